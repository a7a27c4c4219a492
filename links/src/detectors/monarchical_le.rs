//! Leader election `le` by Monarchical Leader Election (CGR Algorithm 2.6).
//!
//! Algorithm id: `monarchical-leader-election`. Abstraction: leader election (CGR Module 2.7),
//! indication `Leader | p`.
//!
//! Model: fail-stop; uses any perfect failure detector `D` (the Exclude on Timeout algorithm or
//! the environment's P oracle). Properties: LE1 eventual detection (eventually every correct
//! process elects the same correct process), LE2 accuracy (a leader is replaced only after it
//! crashed). The leader is the highest-ranked process not detected. Fed a detector without
//! strong accuracy (◇P used as P) it elects a second leader while the first is alive (B-5.5).
//! The mutant that ranks processes from itself ([`MonarchicalLeaderElection::self_first`])
//! elects a different leader at every process from the start (LE2).

use super::{maxrank, maxrank_from};
use automata::detector::{Crash, Leader, NoRequest, PerfectDetector};
use automata::{Ctx, Module, Pid};
use std::collections::BTreeSet;

/// Monarchical Leader Election over the perfect failure detector `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MonarchicalLeaderElection<D: PerfectDetector> {
    p: D,
    /// `suspected`: the processes detected as crashed.
    suspected: BTreeSet<Pid>,
    /// `leader`: the current leader (⊥ before the first election).
    leader: Option<Pid>,
    /// MUTANT: every process ranks itself highest.
    self_first: bool,
}

automata::below! {
    impl[D: PerfectDetector] MonarchicalLeaderElection<D>;
    /// Slot of the perfect failure detector below.
    P(p: D) => on_crash;
}

impl<D: PerfectDetector> MonarchicalLeaderElection<D> {
    pub fn new(p: D) -> Self {
        MonarchicalLeaderElection {
            p,
            suspected: BTreeSet::new(),
            leader: None,
            self_first: false,
        }
    }

    /// MUTANT: ranks counted from this process, so each process elects itself and two leaders
    /// are alive at once (LE2 accuracy).
    pub fn self_first(mut self) -> Self {
        self.self_first = true;
        self
    }

    /// The current leader.
    pub fn leader(&self) -> Option<Pid> {
        self.leader
    }

    // ANCHOR: handlers
    /// `upon event ⟨ P, Crash | p ⟩ do suspected := suspected ∪ {p}`.
    fn on_crash(&mut self, ctx: &mut Ctx<Self>, Crash(p): Crash) {
        self.suspected.insert(p);
        self.elect(ctx);
    }

    /// `upon exists leader ≠ maxrank(Π \ suspected) do leader := maxrank(Π \ suspected);
    /// trigger ⟨ le, Leader | leader ⟩`.
    fn elect(&mut self, ctx: &mut Ctx<Self>) {
        let undetected = ctx.processes().filter(|p| !self.suspected.contains(p));
        let best = if self.self_first {
            maxrank_from(ctx.me(), ctx.n(), undetected)
        } else {
            maxrank(undetected)
        };
        if let Some(l) = best.filter(|&l| Some(l) != self.leader) {
            self.leader = Some(l);
            ctx.indicate(Leader(l));
        }
    }
    // ANCHOR_END: handlers
}

impl<D: PerfectDetector> Module for MonarchicalLeaderElection<D> {
    const NAME: &'static str = "le";
    type Req = NoRequest;
    type Ind = Leader;
    automata::pass_through!(P: D);

    /// `upon event ⟨ le, Init ⟩ do suspected := ∅; leader := ⊥` (then the election rule).
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.suspected.clear();
        self.leader = None;
        ctx.init(self, P);
        self.elect(ctx);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }
}

use crate::detectors::abstractions::{no_request, perfect, PERIOD};
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "monarchical-leader-election", abstraction: "le", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect; eventually-perfect or none to see it fail)",
    summary: "Monarchical Leader Election (CGR 2.6): the highest-ranked process not detected",
    build: |l, p| {
        let d = perfect(l, p)?;
        job(l, p, move |_| MonarchicalLeaderElection::new(d.clone()), no_request)
    };
};
