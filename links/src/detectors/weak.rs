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
use automata::{Below, Ctx, Module, Pid};
use std::collections::BTreeSet;
use std::convert::Infallible;

/// ◇P standing in for P: `Suspect | p` becomes `Crash | p`, once; `Restore` is ignored.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SuspicionsAsCrashes<D: EventuallyPerfectDetector> {
    ep: D,
    detected: BTreeSet<Pid>,
}

/// Slot of the ◇P below.
#[derive(Clone, Copy, Debug)]
pub struct Ep;

impl<D: EventuallyPerfectDetector> Below<SuspicionsAsCrashes<D>> for Ep {
    type Lower = D;
    fn lower(a: &mut SuspicionsAsCrashes<D>) -> &mut D {
        &mut a.ep
    }
    fn wrap_msg(msg: D::Msg) -> D::Msg {
        msg
    }
    fn wrap_timer(t: D::Timer) -> D::Timer {
        t
    }
    fn indication(
        a: &mut SuspicionsAsCrashes<D>,
        ctx: &mut Ctx<SuspicionsAsCrashes<D>>,
        ind: Suspicion,
    ) {
        if let Suspicion::Suspect(p) = ind {
            if a.detected.insert(p) {
                ctx.indicate(Crash(p));
            }
        }
    }
}

impl<D: EventuallyPerfectDetector> SuspicionsAsCrashes<D> {
    pub fn new(ep: D) -> Self {
        SuspicionsAsCrashes {
            ep,
            detected: BTreeSet::new(),
        }
    }
}

impl<D: EventuallyPerfectDetector> Module for SuspicionsAsCrashes<D> {
    const NAME: &'static str = "p";
    type Req = NoRequest;
    type Ind = Crash;
    type Msg = D::Msg;
    type Timer = D::Timer;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.detected.clear();
        ctx.init(self, Ep);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: D::Msg) {
        ctx.pass_message(self, Ep, from, msg);
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: D::Timer) {
        ctx.pass_timer(self, Ep, timer);
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
