//! Uniform consensus `uc` by Hierarchical Uniform Consensus (CGR Module 5.2, Algorithm 5.4).
//!
//! Algorithm id: `hierarchical-uniform-consensus`.
//!
//! Model: fail-stop (crash-stop with a perfect failure detector P), any number of crashes.
//! Uses best-effort broadcast, perfect links, reliable broadcast and P (`model.detector`).
//! Properties: C1 termination, C2 validity, C3 integrity, UC4 uniform agreement. The process
//! of rank r leads round r: it proposes its value by best-effort broadcast, and every process
//! that has not moved past round r adopts it and acknowledges. Only once every process has
//! acknowledged or been detected does the leader reliably broadcast DECIDED, so by the time
//! anyone decides, every live process holds the value as its proposal, and a later leader can
//! only propose it again. Processes decide when DECIDED is delivered. Cost: one leader's round
//! without crashes: 3 steps and 3N messages, plus the reliable broadcast's N².
//!
//! Mutant: [`HierarchicalUniformConsensus::without_acks`] broadcasts DECIDED with its
//! proposal; a leader that decides and crashes before anyone adopted its value leaves the
//! next leader free to impose another (UC4).

use crate::interface::{rank, Decide, Msg, Propose, Wire};
use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Module, Payload, Time};
use broadcast::{BestEffortBroadcast, Broadcast, BroadcastModule, Deliver, EagerReliableBroadcast};
use links::{Link, PerfectLinks, Send};
use std::collections::{BTreeMap, BTreeSet};

type Beb<V, L> = BestEffortBroadcast<Msg<V>, L>;

/// Hierarchical Uniform Consensus over Basic Broadcast and perfect links `L`, the reliable
/// broadcast `R` and the detector `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HierarchicalUniformConsensus<
    V: Payload,
    D: PerfectDetector,
    L: Link<Msg<V>> = PerfectLinks<Msg<V>>,
    R: BroadcastModule<Msg<V>> = EagerReliableBroadcast<Msg<V>>,
> {
    beb: Beb<V, L>,
    pl: L,
    rb: R,
    p: D,
    /// `detectedranks`: the ranks of the processes detected as crashed.
    detectedranks: BTreeSet<u64>,
    /// `ackranks`: the ranks of the processes that acknowledged this leader's proposal.
    ackranks: BTreeSet<u64>,
    /// `round`, from 1.
    round: u64,
    /// `proposal`: this process's value, or the last leader's it adopted.
    proposal: Option<V>,
    /// `decision`, once made.
    decision: Option<V>,
    /// `proposed[r]`: the value the leader of round r proposed.
    proposed: BTreeMap<u64, V>,
    /// This process has proposed in its round, and has broadcast DECIDED (the book's guards
    /// fire once).
    led: bool,
    decided_sent: bool,
    /// Mutant switch: `false` broadcasts DECIDED without waiting for acknowledgements.
    wait_for_acks: bool,
}

type Wires<V, D, L, R> =
    Wire<<Beb<V, L> as Module>::Msg, <L as Module>::Msg, <R as Module>::Msg, <D as Module>::Msg>;
type Timers<V, D, L, R> = Wire<
    <Beb<V, L> as Module>::Timer,
    <L as Module>::Timer,
    <R as Module>::Timer,
    <D as Module>::Timer,
>;

automata::below! {
    impl[V: Payload, D: PerfectDetector, L: Link<Msg<V>>, R: BroadcastModule<Msg<V>>]
        HierarchicalUniformConsensus<V, D, L, R>;
    /// Slot of the best-effort broadcast.
    BebSlot(beb: Beb<V, L>) as "beb" => on_beb_deliver, msg Wire::Beb, timer Wire::Beb;
    /// Slot of the perfect links.
    PlSlot(pl: L) as "pl" => on_pl_deliver, msg Wire::Pl, timer Wire::Pl;
    /// Slot of the reliable broadcast.
    RbSlot(rb: R) as "rb" => on_rb_deliver, msg Wire::Rb, timer Wire::Rb;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg Wire::Detector, timer Wire::Detector;
}

impl<V: Payload, D: PerfectDetector> HierarchicalUniformConsensus<V, D> {
    /// Over perfect links with retransmission period `period`, Eager Reliable Broadcast over
    /// them, and the detector `p`.
    pub fn new(period: Time, p: D) -> Self {
        let rb = EagerReliableBroadcast::new(period);
        HierarchicalUniformConsensus::over(
            PerfectLinks::new(period),
            PerfectLinks::new(period),
            rb,
            p,
        )
    }
}

impl<V: Payload, D: PerfectDetector, L: Link<Msg<V>>, R: BroadcastModule<Msg<V>>>
    HierarchicalUniformConsensus<V, D, L, R>
{
    /// Over Basic Broadcast over `beb_links`, the perfect links `pl`, the reliable broadcast
    /// `rb` and the detector `p`.
    pub fn over(beb_links: L, pl: L, rb: R, p: D) -> Self {
        HierarchicalUniformConsensus {
            beb: BestEffortBroadcast::over(beb_links),
            pl,
            rb,
            p,
            detectedranks: BTreeSet::new(),
            ackranks: BTreeSet::new(),
            round: 1,
            proposal: None,
            decision: None,
            proposed: BTreeMap::new(),
            led: false,
            decided_sent: false,
            wait_for_acks: true,
        }
    }

    /// MUTANT: the leader broadcasts DECIDED together with its proposal.
    pub fn without_acks(mut self) -> Self {
        self.wait_for_acks = false;
        self
    }

    // ANCHOR: deliver
    /// `upon event ⟨ P, Crash | p ⟩ do detectedranks := detectedranks ∪ {rank(p)}`.
    fn on_crash(&mut self, _ctx: &mut Ctx<Self>, Crash(p): Crash) {
        self.detectedranks.insert(rank(p));
    }

    /// `upon event ⟨ beb, Deliver | p, [PROPOSAL, v] ⟩ do proposed[rank(p)] := v;
    /// if rank(p) ≥ round then trigger ⟨ pl, Send | p, [ACK] ⟩`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from: p, msg }: Deliver<Msg<V>>) {
        if let Msg::Proposed(v) = msg {
            self.proposed.insert(rank(p), v);
            if rank(p) >= self.round {
                ctx.trigger(
                    self,
                    PlSlot,
                    Send {
                        to: p,
                        msg: Msg::Ack,
                    },
                );
            }
        }
    }

    /// `upon event ⟨ pl, Deliver | q, [ACK] ⟩ do ackranks := ackranks ∪ {rank(q)}`.
    fn on_pl_deliver(&mut self, _ctx: &mut Ctx<Self>, d: links::Deliver<Msg<V>>) {
        if d.msg == Msg::Ack {
            self.ackranks.insert(rank(d.from));
        }
    }

    /// `upon event ⟨ rb, Deliver | p, [DECIDED, v] ⟩ such that decision = ⊥ do
    /// decision := v; trigger ⟨ uc, Decide | v ⟩`.
    fn on_rb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { msg, .. }: Deliver<Msg<V>>) {
        if let (Msg::Decided(v), None) = (msg, &self.decision) {
            self.decision = Some(v.clone());
            ctx.indicate(Decide(v));
        }
    }

    fn broadcast_decided(&mut self, ctx: &mut Ctx<Self>, v: V) {
        self.decided_sent = true;
        ctx.trigger(
            self,
            RbSlot,
            Broadcast {
                msg: Msg::Decided(v),
            },
        );
    }
    // ANCHOR_END: deliver
}

impl<V: Payload, D: PerfectDetector, L: Link<Msg<V>>, R: BroadcastModule<Msg<V>>> Module
    for HierarchicalUniformConsensus<V, D, L, R>
{
    const NAME: &'static str = "uc";
    type Req = Propose<V>;
    type Ind = Decide<V>;
    type Msg = Wires<V, D, L, R>;
    type Timer = Timers<V, D, L, R>;

    // ANCHOR: rounds
    /// `upon event ⟨ uc, Init ⟩ do detectedranks := ∅; ackranks := ∅; round := 1;
    /// proposal := ⊥; decision := ⊥; proposed := [⊥]^N` (the state `over` builds).
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, BebSlot);
        ctx.init(self, PlSlot);
        ctx.init(self, RbSlot);
        ctx.init(self, Fd);
    }

    /// `upon event ⟨ uc, Propose | v ⟩ such that proposal = ⊥ do proposal := v`.
    fn on_request(&mut self, _ctx: &mut Ctx<Self>, Propose(v): Propose<V>) {
        if self.proposal.is_none() {
            self.proposal = Some(v);
        }
    }

    /// `upon round = rank(self) ∧ proposal ≠ ⊥ ∧ decision = ⊥ do
    /// trigger ⟨ beb, Broadcast | [PROPOSAL, proposal] ⟩`;
    /// `upon round ∈ detectedranks do if proposed[round] ≠ ⊥ then proposal := proposed[round];
    /// round := round + 1`; and `upon detectedranks ∪ ackranks = {1, ..., N} do
    /// trigger ⟨ rb, Broadcast | [DECIDED, proposal] ⟩`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        while self.detectedranks.contains(&self.round) {
            if let Some(v) = self.proposed.get(&self.round) {
                self.proposal = Some(v.clone());
            }
            self.round += 1;
        }
        let me = rank(ctx.me());
        if self.round == me && !self.led && self.decision.is_none() {
            if let Some(v) = self.proposal.clone() {
                self.led = true;
                ctx.trigger(
                    self,
                    BebSlot,
                    Broadcast {
                        msg: Msg::Proposed(v.clone()),
                    },
                );
                if !self.wait_for_acks {
                    self.broadcast_decided(ctx, v);
                }
            }
        }
        let n = ctx.n() as u64;
        let heard = self.detectedranks.union(&self.ackranks).count() as u64;
        if self.led && !self.decided_sent && heard == n {
            if let Some(v) = self.proposal.clone() {
                self.broadcast_decided(ctx, v);
            }
        }
    }
    // ANCHOR_END: rounds

    automata::pass_through!(match Wire {
        Beb => BebSlot,
        Pl => PlSlot,
        Rb => RbSlot,
        Detector => Fd,
    });
}

use crate::abstractions::{fail_stop, fail_stop_costing, PERIOD};
use catalogue::Algorithm;

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "hierarchical-uniform-consensus", abstraction: "uc", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect)",
    summary: "Hierarchical Uniform Consensus (CGR 5.4): the round's leader proposes, waits until every process acknowledged or was detected, then reliably broadcasts DECIDED",
    build: |l, p| fail_stop_costing(l, p, HierarchicalUniformConsensus::new, |n| (3, 3 * n));

    id: "hierarchical-uniform-consensus-no-acks", abstraction: "uc", params: &[PERIOD], mutant: true,
    model: "a leader that decides before anyone adopted its value can crash and leave the next leader free",
    summary: "MUTANT: Hierarchical Uniform Consensus whose leader broadcasts DECIDED with its proposal",
    build: |l, p| fail_stop(l, p, |period, d| HierarchicalUniformConsensus::new(period, d).without_acks());
};
