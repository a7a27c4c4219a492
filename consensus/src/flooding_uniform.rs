//! Uniform consensus `uc` by Flooding Uniform Consensus (CGR Module 5.2, Algorithm 5.3).
//!
//! Algorithm id: `flooding-uniform-consensus`.
//!
//! Model: fail-stop (crash-stop with a perfect failure detector P), any number of crashes.
//! Uses best-effort broadcast and P (`model.detector`). Properties: C1 termination, C2
//! validity, C3 integrity, UC4 uniform agreement. Every process runs all N rounds, flooding
//! the proposals it has seen, and decides the smallest only after round N: with at most
//! N − 1 crashes some round had none, and after it every process alive holds the same set,
//! so even a process that decides and then crashes decided what the others will. Cost: always
//! N rounds, N² messages per round.
//!
//! Mutant: [`FloodingUniformConsensus::deciding_after`] decides after fewer rounds; a process
//! that crashes after deciding may have decided on a set the survivors never completed (UC4).

use crate::interface::{Decide, Msg, Propose};
use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Module, Payload, Pid, Time};
use broadcast::{BebOrDetector, BestEffortBroadcast, Broadcast, Deliver};
use links::{Link, PerfectLinks};
use std::collections::{BTreeMap, BTreeSet};

type Beb<V, L> = BestEffortBroadcast<Msg<V>, L>;

/// Flooding Uniform Consensus over Basic Broadcast and the detector `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FloodingUniformConsensus<
    V: Payload,
    D: PerfectDetector,
    L: Link<Msg<V>> = PerfectLinks<Msg<V>>,
> {
    beb: Beb<V, L>,
    p: D,
    /// `correct`: the processes not detected as crashed.
    correct: BTreeSet<Pid>,
    /// `round`, from 1.
    round: u64,
    /// `decision`, once made.
    decision: Option<V>,
    /// `proposalset`: every proposal seen.
    proposalset: BTreeSet<V>,
    /// `receivedfrom`: the processes whose proposals for this round arrived.
    receivedfrom: BTreeSet<Pid>,
    /// Proposals of later rounds, waiting for their round (the book's `such that r = round`).
    early: BTreeMap<u64, Vec<(Pid, BTreeSet<V>)>>,
    /// The round after which to decide: N in the book (fewer in the mutant; 0 means N).
    last: u64,
}

type Wire<V, D, L> = BebOrDetector<<Beb<V, L> as Module>::Msg, <D as Module>::Msg>;
type Timers<V, D, L> = BebOrDetector<<Beb<V, L> as Module>::Timer, <D as Module>::Timer>;

automata::below! {
    impl[V: Payload, D: PerfectDetector, L: Link<Msg<V>>] FloodingUniformConsensus<V, D, L>;
    /// Slot of the best-effort broadcast.
    BebSlot(beb: Beb<V, L>) as "beb" => on_beb_deliver, msg BebOrDetector::Beb, timer BebOrDetector::Beb;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg BebOrDetector::Detector, timer BebOrDetector::Detector;
}

impl<V: Payload, D: PerfectDetector> FloodingUniformConsensus<V, D> {
    /// Over perfect links with retransmission period `period` and the detector `p`.
    pub fn new(period: Time, p: D) -> Self {
        FloodingUniformConsensus::over(PerfectLinks::new(period), p)
    }
}

impl<V: Payload, D: PerfectDetector, L: Link<Msg<V>>> FloodingUniformConsensus<V, D, L> {
    /// Over Basic Broadcast over the links `links`, and the detector `p`.
    pub fn over(links: L, p: D) -> Self {
        FloodingUniformConsensus {
            beb: BestEffortBroadcast::over(links),
            p,
            correct: BTreeSet::new(),
            round: 1,
            decision: None,
            proposalset: BTreeSet::new(),
            receivedfrom: BTreeSet::new(),
            early: BTreeMap::new(),
            last: 0,
        }
    }

    /// MUTANT: decides after `rounds` rounds instead of N.
    pub fn deciding_after(mut self, rounds: u64) -> Self {
        self.last = rounds.max(1);
        self
    }

    // ANCHOR: deliver
    /// `upon event ⟨ P, Crash | p ⟩ do correct := correct \ {p}`.
    fn on_crash(&mut self, _ctx: &mut Ctx<Self>, Crash(p): Crash) {
        self.correct.remove(&p);
    }

    /// `upon event ⟨ beb, Deliver | p, [PROPOSAL, r, ps] ⟩ such that r = round do
    /// receivedfrom := receivedfrom ∪ {p}; proposalset := proposalset ∪ ps`. A proposal of a
    /// later round waits for it; one of an earlier round (from a process since detected) is
    /// no longer awaited.
    fn on_beb_deliver(&mut self, _ctx: &mut Ctx<Self>, Deliver { from: p, msg }: Deliver<Msg<V>>) {
        if let Msg::Proposal { round, set } = msg {
            if round == self.round {
                self.receivedfrom.insert(p);
                self.proposalset.extend(set);
            } else if round > self.round {
                self.early.entry(round).or_default().push((p, set));
            }
        }
    }
    // ANCHOR_END: deliver
}

impl<V: Payload, D: PerfectDetector, L: Link<Msg<V>>> Module for FloodingUniformConsensus<V, D, L> {
    const NAME: &'static str = "uc";
    type Req = Propose<V>;
    type Ind = Decide<V>;
    type Msg = Wire<V, D, L>;
    type Timer = Timers<V, D, L>;

    // ANCHOR: rounds
    /// `upon event ⟨ uc, Init ⟩ do correct := Π; round := 1; decision := ⊥;
    /// proposalset := ∅; receivedfrom := ∅`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.correct = ctx.processes().collect();
        if self.last == 0 {
            self.last = ctx.n() as u64;
        }
        ctx.init(self, BebSlot);
        ctx.init(self, Fd);
    }

    /// `upon event ⟨ uc, Propose | v ⟩ do proposalset := proposalset ∪ {v};
    /// trigger ⟨ beb, Broadcast | [PROPOSAL, 1, proposalset] ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Propose(v): Propose<V>) {
        self.proposalset.insert(v);
        let msg = Msg::Proposal {
            round: 1,
            set: self.proposalset.clone(),
        };
        ctx.trigger(self, BebSlot, Broadcast { msg });
    }

    /// `upon correct ⊆ receivedfrom ∧ decision = ⊥ do if round = N then
    /// decision := min(proposalset); trigger ⟨ uc, Decide | decision ⟩ else
    /// round := round + 1; receivedfrom := ∅;
    /// trigger ⟨ beb, Broadcast | [PROPOSAL, round, proposalset] ⟩`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        while self.decision.is_none() && self.correct.is_subset(&self.receivedfrom) {
            if self.round == self.last {
                let Some(v) = self.proposalset.first().cloned() else {
                    return;
                };
                self.decision = Some(v.clone());
                ctx.indicate(Decide(v));
                return;
            }
            self.round += 1;
            self.receivedfrom.clear();
            let msg = Msg::Proposal {
                round: self.round,
                set: self.proposalset.clone(),
            };
            ctx.trigger(self, BebSlot, Broadcast { msg });
            for (p, set) in self.early.remove(&self.round).unwrap_or_default() {
                self.receivedfrom.insert(p);
                self.proposalset.extend(set);
            }
        }
    }
    // ANCHOR_END: rounds

    automata::pass_through!(match BebOrDetector {
        Beb => BebSlot,
        Detector => Fd,
    });
}

use crate::abstractions::{fail_stop_costing, propose, PERIOD};
use automata::Value;
use catalogue::{job, Algorithm, Param};
use links::detectors::{abstractions::perfect, AnyPerfect};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "flooding-uniform-consensus", abstraction: "uc", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect)",
    summary: "Flooding Uniform Consensus (CGR 5.3): flood proposal sets for N rounds, then decide the smallest",
    build: |l, p| fail_stop_costing(l, p, FloodingUniformConsensus::new, |n| (n, n * n * n));

    id: "flooding-uniform-consensus-short", abstraction: "uc",
    params: &[PERIOD, Param::int("rounds", 1, "rounds after which to decide (the book: N)")], mutant: true,
    model: "deciding before round N: a process may decide on a set the survivors never complete, then crash",
    summary: "MUTANT: Flooding Uniform Consensus deciding after params.rounds rounds",
    build: |l, p| {
        let (d, period, rounds) = (perfect(l, p)?, p.int("period"), p.int("rounds"));
        job(l, p, move |_| FloodingUniformConsensus::<Value, AnyPerfect>::new(period, d.clone()).deciding_after(rounds), propose)
    };
};
