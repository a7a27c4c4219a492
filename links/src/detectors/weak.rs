//! Detectors that are too weak on purpose: they have P's interface but not its guarantees, so
//! a scenario can show what an algorithm built on P does without them.
//!
//! - [`SuspicionsAsCrashes`]: ◇P used as P (every suspicion taken as a crash, restores
//!   ignored). Strong completeness holds; strong accuracy does not, before GST (B-5.5, B-6.3).
//! - [`NeverDetect`]: never detects anything. Strong accuracy holds trivially; strong
//!   completeness does not (B-6.5).
//!
//! The scenario picks them with `model.detector = "eventually-perfect"` / `"none"` where the
//! algorithm asks for P.

use automata::detector::{Crash, EventuallyPerfectDetector, NoRequest, Suspicion};
use automata::{Ctx, Module, Pid};
use std::collections::BTreeSet;
use std::convert::Infallible;

/// ◇P standing in for P: `Suspect | p` becomes `Crash | p`, once; `Restore` is ignored.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SuspicionsAsCrashes<D: EventuallyPerfectDetector> {
    ep: D,
    detected: BTreeSet<Pid>,
}

automata::below! {
    impl[D: EventuallyPerfectDetector] SuspicionsAsCrashes<D>;
    /// Slot of the ◇P below.
    Ep(ep: D) => on_suspicion;
}

impl<D: EventuallyPerfectDetector> SuspicionsAsCrashes<D> {
    pub fn new(ep: D) -> Self {
        SuspicionsAsCrashes {
            ep,
            detected: BTreeSet::new(),
        }
    }

    /// `upon event ⟨ ◇P, Suspect | p ⟩ do trigger ⟨ P, Crash | p ⟩` (once per process).
    fn on_suspicion(&mut self, ctx: &mut Ctx<Self>, ind: Suspicion) {
        if let Suspicion::Suspect(p) = ind {
            if self.detected.insert(p) {
                ctx.indicate(Crash(p));
            }
        }
    }
}

impl<D: EventuallyPerfectDetector> Module for SuspicionsAsCrashes<D> {
    const NAME: &'static str = "p";
    type Req = NoRequest;
    type Ind = Crash;
    automata::pass_through!(Ep: D);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.detected.clear();
        ctx.init(self, Ep);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }
}

/// A "perfect" failure detector that never detects a crash.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct NeverDetect;

impl Module for NeverDetect {
    const NAME: &'static str = "p";
    type Req = NoRequest;
    type Ind = Crash;
    type Msg = Infallible;
    type Timer = Infallible;

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }
}
