//! Eventual leader detector Ω by Monarchical Eventual Leader Detection (CGR Algorithm 2.8).
//!
//! Algorithm id: `monarchical-omega`. Abstraction: Ω (CGR Module 2.9), indication `Trust | p`.
//!
//! Model: fail-noisy (crash-stop, partial synchrony); uses any eventually perfect failure
//! detector `D` (Increasing Timeout or the ◇P oracle). Properties: ELD1 eventual accuracy and
//! ELD2 eventual agreement: once ◇P stops making mistakes, every correct process trusts the
//! highest-ranked correct process. Before that, processes may trust different ones. In
//! crash-recovery a process that keeps crashing and recovering keeps being trusted again, which
//! is why Elect Lower Epoch counts epochs (B-5.6).
//!
//! Two mutants break the election rule, one property each ([`Misrank`]): every process ranking
//! itself highest (they trust different leaders forever: ELD2 eventual agreement), and a
//! process that only ever moves to a higher-ranked leader (the crashed leader stays trusted
//! forever: ELD1 eventual accuracy).

use super::{maxrank, maxrank_from};
use automata::detector::{EventuallyPerfectDetector, NoRequest, Suspicion, Trust};
use automata::{Ctx, Module, Pid};
use std::collections::BTreeSet;

/// How a mutant gets the election rule wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Misrank {
    /// Every process ranks itself highest (ranks counted from itself): each trusts itself, and
    /// the correct processes never agree (ELD2).
    SelfFirst,
    /// A process moves only to a higher-ranked leader, never down: once the leader crashes
    /// it is trusted forever (ELD1).
    NeverDemote,
}

/// Monarchical Eventual Leader Detection over the eventually perfect failure detector `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MonarchicalOmega<D: EventuallyPerfectDetector> {
    ep: D,
    /// `suspected`: the processes ◇P suspects now.
    suspected: BTreeSet<Pid>,
    /// `leader`: the trusted process (⊥ before the first one).
    leader: Option<Pid>,
    /// MUTANT: the election rule's bug (`None` in the book's algorithm).
    misrank: Option<Misrank>,
}

automata::below! {
    impl[D: EventuallyPerfectDetector] MonarchicalOmega<D>;
    /// Slot of the eventually perfect failure detector below.
    Ep(ep: D) => on_suspicion;
}

impl<D: EventuallyPerfectDetector> MonarchicalOmega<D> {
    pub fn new(ep: D) -> Self {
        MonarchicalOmega {
            ep,
            suspected: BTreeSet::new(),
            leader: None,
            misrank: None,
        }
    }

    /// MUTANT: the election rule gets `misrank` wrong.
    pub fn misranking(mut self, misrank: Misrank) -> Self {
        self.misrank = Some(misrank);
        self
    }

    /// The trusted process.
    pub fn leader(&self) -> Option<Pid> {
        self.leader
    }

    /// A suspicion or its withdrawal from ◇P.
    fn on_suspicion(&mut self, ctx: &mut Ctx<Self>, ind: Suspicion) {
        match ind {
            Suspicion::Suspect(p) => self.on_suspect(ctx, p),
            Suspicion::Restore(p) => self.on_restore(ctx, p),
        }
    }

    // ANCHOR: select
    /// `upon event ⟨ ◇P, Suspect | p ⟩ do suspected := suspected ∪ {p}`.
    fn on_suspect(&mut self, ctx: &mut Ctx<Self>, p: Pid) {
        self.suspected.insert(p);
        self.elect(ctx);
    }

    /// `upon event ⟨ ◇P, Restore | p ⟩ do suspected := suspected \ {p}`.
    fn on_restore(&mut self, ctx: &mut Ctx<Self>, p: Pid) {
        self.suspected.remove(&p);
        self.elect(ctx);
    }

    /// `upon exists leader ≠ maxrank(Π \ suspected) do leader := maxrank(Π \ suspected);
    /// trigger ⟨ Ω, Trust | leader ⟩`.
    fn elect(&mut self, ctx: &mut Ctx<Self>) {
        let unsuspected = ctx.processes().filter(|p| !self.suspected.contains(p));
        let best = match self.misrank {
            None => maxrank(unsuspected),
            Some(Misrank::SelfFirst) => maxrank_from(ctx.me(), ctx.n(), unsuspected),
            Some(Misrank::NeverDemote) => {
                maxrank(unsuspected).filter(|&l| self.leader.is_none_or(|old| l < old))
            }
        };
        if let Some(l) = best.filter(|&l| Some(l) != self.leader) {
            self.leader = Some(l);
            ctx.indicate(Trust(l));
        }
    }
    // ANCHOR_END: select
}

impl<D: EventuallyPerfectDetector> Module for MonarchicalOmega<D> {
    const NAME: &'static str = "omega";
    type Req = NoRequest;
    type Ind = Trust;
    automata::pass_through!(Ep: D);

    /// `upon event ⟨ Ω, Init ⟩ do suspected := ∅; leader := ⊥` (then the election rule).
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.suspected.clear();
        self.leader = None;
        ctx.init(self, Ep);
        self.elect(ctx);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }
}

use crate::detectors::abstractions::{eventually_perfect, no_request, PERIOD};
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "monarchical-omega", abstraction: "omega", params: &[PERIOD],
    model: "fail-noisy; uses ◇P (model.detector: algorithm | eventually-perfect)",
    summary: "Monarchical Eventual Leader Detection (CGR 2.8): the highest-ranked unsuspected process",
    build: |l, p| {
        let d = eventually_perfect(l, p)?;
        job(l, p, move |_| MonarchicalOmega::new(d.clone()), no_request)
    };

    id: "monarchical-omega-self-first", abstraction: "omega", params: &[PERIOD], mutant: true,
    model: "fail-noisy; uses ◇P",
    summary: "MUTANT: Monarchical Ω whose processes rank themselves highest: each trusts itself forever (ELD2)",
    build: |l, p| {
        let d = eventually_perfect(l, p)?;
        job(l, p, move |_| MonarchicalOmega::new(d.clone()).misranking(Misrank::SelfFirst), no_request)
    };

    id: "monarchical-omega-never-demote", abstraction: "omega", params: &[PERIOD], mutant: true,
    model: "fail-noisy; uses ◇P",
    summary: "MUTANT: Monarchical Ω that only moves to a higher-ranked leader: a crashed leader stays trusted forever (ELD1)",
    build: |l, p| {
        let d = eventually_perfect(l, p)?;
        job(l, p, move |_| MonarchicalOmega::new(d.clone()).misranking(Misrank::NeverDemote), no_request)
    };
};
