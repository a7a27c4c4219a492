//! (Regular) consensus `c` by Flooding Consensus (CGR Module 5.1, Algorithm 5.1).
//!
//! Algorithm id: `flooding-consensus`.
//!
//! Model: fail-stop (crash-stop with a perfect failure detector P), any number of crashes.
//! Uses best-effort broadcast and P (`model.detector`). Properties: C1 termination, C2
//! validity, C3 integrity, C4 agreement. Not uniform: a process may decide and crash before
//! its DECIDED leaves, and the survivors, who never saw its proposals, decide another value
//! (UC4, B-8.1). With a detector that may suspect a correct process (◇P) a process stops
//! waiting for a correct one and decides on fewer proposals than the rest (C4, B-8.3).
//!
//! In rounds, every process floods the proposals it has seen; a process decides the smallest
//! once a round brings messages from the same processes as the round before (no crash in
//! between: it has seen everything anyone alive has seen). Cost: one round and N² messages
//! without crashes, at most N rounds.
//!
//! Mutant: [`FloodingConsensus::deciding_at_once`] decides at the end of the first round,
//! without waiting for a round without crashes: a process that saw a crashed process's
//! proposal decides it and the others decide another (C4).

use crate::interface::{Decide, Msg, Propose};
use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Module, Payload, Pid, Time};
use broadcast::{BebOrDetector, BestEffortBroadcast, Broadcast, Deliver};
use links::{Link, PerfectLinks};
use std::collections::{BTreeMap, BTreeSet};

type Beb<V, L> = BestEffortBroadcast<Msg<V>, L>;

/// Flooding Consensus over Basic Broadcast and the detector `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FloodingConsensus<V: Payload, D: PerfectDetector, L: Link<Msg<V>> = PerfectLinks<Msg<V>>>
{
    beb: Beb<V, L>,
    p: D,
    /// `correct`: the processes not detected as crashed.
    correct: BTreeSet<Pid>,
    /// `round`, from 1.
    round: u64,
    /// `decision`, once made.
    decision: Option<V>,
    /// `receivedfrom[r]`: the processes whose round-r proposals arrived.
    receivedfrom: BTreeMap<u64, BTreeSet<Pid>>,
    /// `proposals[r]`: the proposals seen in round r.
    proposals: BTreeMap<u64, BTreeSet<V>>,
    /// Mutant switch: `false` decides at the end of round 1 whatever crashed.
    quiet_round: bool,
}

type Wire<V, D, L> = BebOrDetector<<Beb<V, L> as Module>::Msg, <D as Module>::Msg>;
type Timers<V, D, L> = BebOrDetector<<Beb<V, L> as Module>::Timer, <D as Module>::Timer>;

automata::below! {
    impl[V: Payload, D: PerfectDetector, L: Link<Msg<V>>] FloodingConsensus<V, D, L>;
    /// Slot of the best-effort broadcast.
    BebSlot(beb: Beb<V, L>) as "beb" => on_beb_deliver, msg BebOrDetector::Beb, timer BebOrDetector::Beb;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg BebOrDetector::Detector, timer BebOrDetector::Detector;
}

impl<V: Payload, D: PerfectDetector> FloodingConsensus<V, D> {
    /// Over perfect links with retransmission period `period` and the detector `p`.
    pub fn new(period: Time, p: D) -> Self {
        FloodingConsensus::over(PerfectLinks::new(period), p)
    }
}

impl<V: Payload, D: PerfectDetector, L: Link<Msg<V>>> FloodingConsensus<V, D, L> {
    /// Over Basic Broadcast over the links `links`, and the detector `p`.
    pub fn over(links: L, p: D) -> Self {
        FloodingConsensus {
            beb: BestEffortBroadcast::over(links),
            p,
            correct: BTreeSet::new(),
            round: 1,
            decision: None,
            receivedfrom: BTreeMap::new(),
            proposals: BTreeMap::new(),
            quiet_round: true,
        }
    }

    /// MUTANT: decides at the end of round 1, not after a round without crashes.
    pub fn deciding_at_once(mut self) -> Self {
        self.quiet_round = false;
        self
    }

    // ANCHOR: deliver
    /// `upon event ⟨ P, Crash | p ⟩ do correct := correct \ {p}`.
    fn on_crash(&mut self, _ctx: &mut Ctx<Self>, Crash(p): Crash) {
        self.correct.remove(&p);
    }

    /// `upon event ⟨ beb, Deliver | p, [PROPOSAL, r, ps] ⟩ do
    /// receivedfrom[r] := receivedfrom[r] ∪ {p}; proposals[r] := proposals[r] ∪ ps`, and
    /// `upon event ⟨ beb, Deliver | p, [DECIDED, v] ⟩ such that p ∈ correct ∧ decision = ⊥ do
    /// decision := v; trigger ⟨ beb, Broadcast | [DECIDED, decision] ⟩;
    /// trigger ⟨ c, Decide | decision ⟩`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from: p, msg }: Deliver<Msg<V>>) {
        match msg {
            Msg::Proposal { round, set } => {
                self.receivedfrom.entry(round).or_default().insert(p);
                self.proposals.entry(round).or_default().extend(set);
            }
            Msg::Decided(v) if self.correct.contains(&p) && self.decision.is_none() => {
                self.decide(ctx, v);
            }
            _ => {}
        }
    }

    fn decide(&mut self, ctx: &mut Ctx<Self>, v: V) {
        self.decision = Some(v.clone());
        let msg = Msg::Decided(v.clone());
        ctx.trigger(self, BebSlot, Broadcast { msg });
        ctx.indicate(Decide(v));
    }
    // ANCHOR_END: deliver
}

impl<V: Payload, D: PerfectDetector, L: Link<Msg<V>>> Module for FloodingConsensus<V, D, L> {
    const NAME: &'static str = "c";
    type Req = Propose<V>;
    type Ind = Decide<V>;
    type Msg = Wire<V, D, L>;
    type Timer = Timers<V, D, L>;

    // ANCHOR: rounds
    /// `upon event ⟨ c, Init ⟩ do correct := Π; round := 1; decision := ⊥;
    /// receivedfrom := [∅]^N; proposals := [∅]^N; receivedfrom[0] := Π`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.correct = ctx.processes().collect();
        self.receivedfrom.insert(0, ctx.processes().collect());
        ctx.init(self, BebSlot);
        ctx.init(self, Fd);
    }

    /// `upon event ⟨ c, Propose | v ⟩ do proposals[1] := proposals[1] ∪ {v};
    /// trigger ⟨ beb, Broadcast | [PROPOSAL, 1, proposals[1]] ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Propose(v): Propose<V>) {
        let set = self.proposals.entry(1).or_default();
        set.insert(v);
        let msg = Msg::Proposal {
            round: 1,
            set: set.clone(),
        };
        ctx.trigger(self, BebSlot, Broadcast { msg });
    }

    /// `upon correct ⊆ receivedfrom[round] ∧ decision = ⊥ do
    /// if receivedfrom[round] = receivedfrom[round − 1] then decision := min(proposals[round]);
    /// trigger ⟨ beb, Broadcast | [DECIDED, decision] ⟩; trigger ⟨ c, Decide | decision ⟩
    /// else round := round + 1;
    /// trigger ⟨ beb, Broadcast | [PROPOSAL, round, proposals[round − 1]] ⟩`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        let heard = |r| self.receivedfrom.get(&r).cloned().unwrap_or_default();
        let now = heard(self.round);
        if self.decision.is_some() || !self.correct.is_subset(&now) {
            return;
        }
        let proposals = self.proposals.get(&self.round).cloned().unwrap_or_default();
        if now == heard(self.round - 1) || !self.quiet_round {
            if let Some(v) = proposals.first() {
                self.decide(ctx, v.clone());
            }
        } else {
            self.round += 1;
            let msg = Msg::Proposal {
                round: self.round,
                set: proposals,
            };
            ctx.trigger(self, BebSlot, Broadcast { msg });
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
    id: "flooding-consensus", abstraction: "c", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect; eventually-perfect to see it fail)",
    summary: "Flooding Consensus (CGR 5.1): flood proposal sets in rounds; decide the smallest after a round without crashes",
    build: |l, p| fail_stop_costing(l, p, FloodingConsensus::new, |n| (1, n * n));

    id: "flooding-consensus-at-once", abstraction: "c", params: &[PERIOD], mutant: true,
    model: "deciding after round 1 whatever crashed: a crashed process's proposal reaches some processes only",
    summary: "MUTANT: Flooding Consensus deciding at the end of round 1",
    build: |l, p| fail_stop(l, p, |period, d| FloodingConsensus::new(period, d).deciding_at_once());
};
