//! (Regular) consensus `c` by Hierarchical Consensus (CGR Module 5.1, Algorithm 5.2).
//!
//! Algorithm id: `hierarchical-consensus`.
//!
//! Model: fail-stop (crash-stop with a perfect failure detector P), any number of crashes.
//! Uses best-effort broadcast and P (`model.detector`). Properties: C1 termination, C2
//! validity, C3 integrity, C4 agreement. Not uniform: the process of rank 1 decides its own
//! proposal at once and may crash before its DECIDED reaches anyone; the others then decide
//! the next leader's value (UC4, B-8.2). With ◇P a process may give up on a correct leader
//! before its DECIDED arrives and decide its own value (C4, B-8.3).
//!
//! The pseudocode numbers the processes rank(p) = p + 1 (process 0 ranks highest). In round
//! r the process numbered r, if alive, decides its proposal and broadcasts it; every process
//! numbered above r adopts the value of the largest-numbered leader below itself that it
//! heard from. A process moves past round r once it heard from that round's leader or P
//! detected its crash. Cost: N rounds, N messages per round.
//!
//! Mutant: [`HierarchicalConsensus::without_adopting`] keeps its own proposal instead of
//! adopting the leaders' values, so every process decides what it proposed (C4).

use crate::interface::{rank, Decide, Msg, Propose};
use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Module, Payload, Time};
use broadcast::{BebOrDetector, BestEffortBroadcast, Broadcast, Deliver};
use links::{Link, PerfectLinks};
use std::collections::BTreeSet;

type Beb<V, L> = BestEffortBroadcast<Msg<V>, L>;

/// Hierarchical Consensus over Basic Broadcast and the detector `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HierarchicalConsensus<
    V: Payload,
    D: PerfectDetector,
    L: Link<Msg<V>> = PerfectLinks<Msg<V>>,
> {
    beb: Beb<V, L>,
    p: D,
    /// `detectedranks`: the ranks of the processes detected as crashed.
    detectedranks: BTreeSet<u64>,
    /// `round`, from 1.
    round: u64,
    /// `proposal`: this process's value, or the one it adopted.
    proposal: Option<V>,
    /// `proposer`: the rank of the leader whose value was adopted (0: none).
    proposer: u64,
    /// `delivered`: the ranks whose DECIDED arrived.
    delivered: BTreeSet<u64>,
    /// `broadcast`: this process has led its round.
    broadcast: bool,
    /// Mutant switch: `false` never adopts a leader's value.
    adopt: bool,
}

type Wire<V, D, L> = BebOrDetector<<Beb<V, L> as Module>::Msg, <D as Module>::Msg>;
type Timers<V, D, L> = BebOrDetector<<Beb<V, L> as Module>::Timer, <D as Module>::Timer>;

automata::below! {
    impl[V: Payload, D: PerfectDetector, L: Link<Msg<V>>] HierarchicalConsensus<V, D, L>;
    /// Slot of the best-effort broadcast.
    BebSlot(beb: Beb<V, L>) as "beb" => on_beb_deliver, msg BebOrDetector::Beb, timer BebOrDetector::Beb;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg BebOrDetector::Detector, timer BebOrDetector::Detector;
}

impl<V: Payload, D: PerfectDetector> HierarchicalConsensus<V, D> {
    /// Over perfect links with retransmission period `period` and the detector `p`.
    pub fn new(period: Time, p: D) -> Self {
        HierarchicalConsensus::over(PerfectLinks::new(period), p)
    }
}

impl<V: Payload, D: PerfectDetector, L: Link<Msg<V>>> HierarchicalConsensus<V, D, L> {
    /// Over Basic Broadcast over the links `links`, and the detector `p`.
    pub fn over(links: L, p: D) -> Self {
        HierarchicalConsensus {
            beb: BestEffortBroadcast::over(links),
            p,
            detectedranks: BTreeSet::new(),
            round: 1,
            proposal: None,
            proposer: 0,
            delivered: BTreeSet::new(),
            broadcast: false,
            adopt: true,
        }
    }

    /// MUTANT: keeps its own proposal whatever the leaders decided.
    pub fn without_adopting(mut self) -> Self {
        self.adopt = false;
        self
    }

    // ANCHOR: deliver
    /// `upon event ⟨ P, Crash | p ⟩ do detectedranks := detectedranks ∪ {rank(p)}`.
    fn on_crash(&mut self, _ctx: &mut Ctx<Self>, Crash(p): Crash) {
        self.detectedranks.insert(rank(p));
    }

    /// `upon event ⟨ beb, Deliver | p, [DECIDED, v] ⟩ do r := rank(p);
    /// if r < rank(self) ∧ r > proposer then proposal := v; proposer := r;
    /// delivered[r] := TRUE`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from: p, msg }: Deliver<Msg<V>>) {
        if let Msg::Decided(v) = msg {
            let r = rank(p);
            if r < rank(ctx.me()) && r > self.proposer && self.adopt {
                self.proposal = Some(v);
                self.proposer = r;
            }
            self.delivered.insert(r);
        }
    }
    // ANCHOR_END: deliver
}

impl<V: Payload, D: PerfectDetector, L: Link<Msg<V>>> Module for HierarchicalConsensus<V, D, L> {
    const NAME: &'static str = "c";
    type Req = Propose<V>;
    type Ind = Decide<V>;
    type Msg = Wire<V, D, L>;
    type Timer = Timers<V, D, L>;

    // ANCHOR: rounds
    /// `upon event ⟨ c, Init ⟩ do detectedranks := ∅; round := 1; proposal := ⊥;
    /// proposer := 0; delivered := [FALSE]^N; broadcast := FALSE` (the state [`Self::new`]
    /// builds).
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, BebSlot);
        ctx.init(self, Fd);
    }

    /// `upon event ⟨ c, Propose | v ⟩ such that proposal = ⊥ do proposal := v`.
    fn on_request(&mut self, _ctx: &mut Ctx<Self>, Propose(v): Propose<V>) {
        if self.proposal.is_none() {
            self.proposal = Some(v);
        }
    }

    /// `upon round = rank(self) ∧ proposal ≠ ⊥ ∧ broadcast = FALSE do broadcast := TRUE;
    /// trigger ⟨ beb, Broadcast | [DECIDED, proposal] ⟩; trigger ⟨ c, Decide | proposal ⟩`,
    /// and `upon round ∈ detectedranks ∨ delivered[round] = TRUE do round := round + 1`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        loop {
            if self.round == rank(ctx.me()) && !self.broadcast {
                let Some(v) = self.proposal.clone() else {
                    return;
                };
                self.broadcast = true;
                ctx.trigger(
                    self,
                    BebSlot,
                    Broadcast {
                        msg: Msg::Decided(v.clone()),
                    },
                );
                ctx.indicate(Decide(v));
            } else if self.detectedranks.contains(&self.round)
                || self.delivered.contains(&self.round)
            {
                self.round += 1;
            } else {
                return;
            }
        }
    }
    // ANCHOR_END: rounds

    automata::pass_through!(match BebOrDetector {
        Beb => BebSlot,
        Detector => Fd,
    });
}

use crate::abstractions::{fail_stop, fail_stop_costing, PERIOD};
use catalogue::Algorithm;

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "hierarchical-consensus", abstraction: "c", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect; eventually-perfect to see it fail)",
    summary: "Hierarchical Consensus (CGR 5.2): the process of rank r leads round r, deciding and imposing its value",
    build: |l, p| fail_stop_costing(l, p, HierarchicalConsensus::new, |n| (n - 1, n * (n - 1)));

    id: "hierarchical-consensus-no-adopt", abstraction: "c", params: &[PERIOD], mutant: true,
    model: "a process that keeps its own proposal decides it in its round, whatever the leaders before it decided",
    summary: "MUTANT: Hierarchical Consensus that never adopts a leader's value",
    build: |l, p| fail_stop(l, p, |period, d| HierarchicalConsensus::new(period, d).without_adopting());
};
