//! Total-order broadcast `tob` by Consensus-Based Total-Order Broadcast (CGR Module 6.1,
//! Algorithm 6.1), and its uniform version `utob`.
//!
//! Algorithm ids: `consensus-tob` (over Eager Reliable Broadcast and Flooding Consensus),
//! `consensus-utob` (over All-Ack Uniform Reliable Broadcast and Flooding Uniform Consensus).
//!
//! Model: fail-stop (the consensus and, for `utob`, the broadcast below need the perfect
//! failure detector P, `model.detector`). Properties: TOB1 validity, TOB2 no duplication, TOB3
//! no creation, TOB4 agreement, TOB5 total order (two correct processes that both deliver m1
//! and m2 deliver them in the same order); with uniform broadcast and uniform consensus
//! below, UTOB4 uniform agreement and UTOB5 uniform total order (any two processes, faulty
//! ones included), and every process delivers a prefix of the same sequence.
//!
//! Messages are reliably broadcast; each process collects the ones it has not delivered yet
//! (`unordered`) and, in rounds, proposes them to a fresh consensus instance `c.round`. The
//! decided set is delivered in a fixed order (sorted), so every process delivers the same
//! sequence of batches. Cost: a reliable broadcast per message, then one consensus per round.
//!
//! Mutant: [`ConsensusTob::without_consensus`] delivers what reliable broadcast delivers at
//! once: that is reliable broadcast, and two concurrent broadcasts reach two processes in
//! opposite orders (TOB5).

use automata::{Ctx, Instances, Module, Payload, Pid, ToValue, Value};
use broadcast::{Broadcast, BroadcastModule, Deliver, Unique};
use consensus::{Decide, Propose};
use std::collections::{BTreeMap, BTreeSet};

/// A consensus value of total-order broadcast: a set of messages, delivered in its order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Batch<M>(pub BTreeSet<Unique<M>>);

impl<M: ToValue> ToValue for Batch<M> {
    fn to_value(&self) -> Value {
        Value::List(self.0.iter().map(ToValue::to_value).collect())
    }
}

/// Any consensus module deciding batches of `M`.
pub trait BatchConsensus<M>: Module<Req = Propose<Batch<M>>, Ind = Decide<Batch<M>>> {}

impl<M, C: Module<Req = Propose<Batch<M>>, Ind = Decide<Batch<M>>>> BatchConsensus<M> for C {}

/// The messages (or timers) of the reliable broadcast below, or of consensus instance `i`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire<R, C> {
    Rb(R),
    Cons(u64, C),
}

/// Consensus-Based Total-Order Broadcast over the reliable broadcast `R` and numbered
/// instances of the consensus `C`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConsensusTob<M: Payload, R: BroadcastModule<Unique<M>>, C: BatchConsensus<M>> {
    rb: R,
    c: Instances<C>,
    /// Sequence number of this process's next broadcast (makes messages unique).
    lsn: u64,
    /// `unordered`: messages rb-delivered and not yet to-delivered.
    unordered: BTreeSet<Unique<M>>,
    /// `delivered`: the ids (s, sn) of every message to-delivered.
    delivered: BTreeSet<(Pid, u64)>,
    /// `round`, from 1.
    round: u64,
    /// `wait`: a consensus instance of this round is running.
    wait: bool,
    /// Decisions of later rounds, waiting for theirs (the book's `such that r = round`).
    early: BTreeMap<u64, Batch<M>>,
    /// `false` in the mutant: deliver at once, without consensus.
    order: bool,
}

automata::below! {
    impl[M: Payload, R: BroadcastModule<Unique<M>>, C: BatchConsensus<M>] ConsensusTob<M, R, C>;
    /// Slot of the reliable broadcast.
    Rb(rb: R) => on_rb_deliver, msg Wire::Rb, timer Wire::Rb;
}

automata::numbered! {
    impl[M: Payload, R: BroadcastModule<Unique<M>>, C: BatchConsensus<M>] ConsensusTob<M, R, C>;
    /// The consensus instances, `c.1`, `c.2`, ... one a round.
    Cons(c: C) => on_decide, msg Wire::Cons, timer Wire::Cons;
}

impl<M: Payload, R: BroadcastModule<Unique<M>>, C: BatchConsensus<M>> ConsensusTob<M, R, C> {
    /// Over the reliable broadcast `rb`; each round's consensus instance starts as `c`.
    pub fn new(rb: R, c: C) -> Self {
        ConsensusTob {
            rb,
            c: Instances::new(c),
            lsn: 0,
            unordered: BTreeSet::new(),
            delivered: BTreeSet::new(),
            round: 1,
            wait: false,
            early: BTreeMap::new(),
            order: true,
        }
    }

    /// MUTANT: delivers every message as soon as reliable broadcast delivers it.
    pub fn without_consensus(self) -> Self {
        ConsensusTob {
            order: false,
            ..self
        }
    }

    // ANCHOR: deliver
    /// `upon event ⟨ rb, Deliver | p, m ⟩ do if m ∉ delivered then
    /// unordered := unordered ∪ {(p, m)}`.
    fn on_rb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { msg, .. }: Deliver<Unique<M>>) {
        if self.delivered.contains(&msg.id()) {
            return;
        }
        if self.order {
            self.unordered.insert(msg);
        } else {
            self.deliver(ctx, msg);
        }
    }

    /// `upon event ⟨ c.r, Decide | decided ⟩ such that r = round do
    /// forall (s, m) ∈ sort(decided) such that (s, m) ∉ delivered do
    /// trigger ⟨ tob, Deliver | s, m ⟩; delivered := delivered ∪ decided;
    /// unordered := unordered \ decided; round := round + 1; wait := FALSE`.
    fn on_decide(&mut self, ctx: &mut Ctx<Self>, r: u64, Decide(decided): Decide<Batch<M>>) {
        if r < self.round {
            return;
        }
        self.early.insert(r, decided);
        while let Some(Batch(decided)) = self.early.remove(&self.round) {
            for m in decided {
                if !self.delivered.contains(&m.id()) {
                    self.deliver(ctx, m);
                }
            }
            let delivered = &self.delivered;
            self.unordered.retain(|m| !delivered.contains(&m.id()));
            self.round += 1;
            self.wait = false;
        }
    }
    // ANCHOR_END: deliver

    fn deliver(&mut self, ctx: &mut Ctx<Self>, m: Unique<M>) {
        self.delivered.insert(m.id());
        ctx.indicate(Deliver {
            from: m.sender,
            msg: m.msg,
        });
    }
}

impl<M: Payload, R: BroadcastModule<Unique<M>>, C: BatchConsensus<M>> Module
    for ConsensusTob<M, R, C>
{
    const NAME: &'static str = "tob";
    type Req = Broadcast<M>;
    type Ind = Deliver<M>;
    type Msg = Wire<R::Msg, C::Msg>;
    type Timer = Wire<R::Timer, C::Timer>;

    /// `upon event ⟨ tob, Init ⟩ do unordered := ∅; delivered := ∅; round := 1;
    /// wait := FALSE`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Rb);
    }

    // ANCHOR: propose
    /// `upon event ⟨ tob, Broadcast | m ⟩ do trigger ⟨ rb, Broadcast | m ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<M>) {
        let msg = Unique {
            sender: ctx.me(),
            sn: self.lsn,
            msg,
        };
        self.lsn += 1;
        ctx.trigger(self, Rb, Broadcast { msg });
    }

    /// `upon unordered ≠ ∅ ∧ wait = FALSE do wait := TRUE;
    /// Initialize a new instance c.round of consensus;
    /// trigger ⟨ c.round, Propose | unordered ⟩`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        while !self.unordered.is_empty() && !self.wait {
            self.wait = true;
            let proposal = Batch(self.unordered.clone());
            ctx.trigger_at(self, Cons, self.round, Propose(proposal));
        }
    }
    // ANCHOR_END: propose

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Self::Msg) {
        match msg {
            Wire::Rb(m) => ctx.pass_message(self, Rb, from, m),
            Wire::Cons(i, m) => ctx.pass_message_at(self, Cons, i, from, m),
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Self::Timer) {
        match timer {
            Wire::Rb(t) => ctx.pass_timer(self, Rb, t),
            Wire::Cons(i, t) => ctx.pass_timer_at(self, Cons, i, t),
        }
    }
}

use crate::abstractions::PERIOD;
use automata::detector::PerfectDetector;
use broadcast::abstractions::broadcast;
use broadcast::{AllAckUrb, EagerReliableBroadcast};
use catalogue::{job, Algorithm, InputError, Loaded, Params, Runnable};
use consensus::{FloodingConsensus, FloodingUniformConsensus};
use links::detectors::{abstractions::perfect, AnyPerfect};

/// Over Eager Reliable Broadcast and Flooding Consensus (`tob`).
pub type RegularTob<M, D> =
    ConsensusTob<M, EagerReliableBroadcast<Unique<M>>, FloodingConsensus<Batch<M>, D>>;

/// Over All-Ack URB and Flooding Uniform Consensus (`utob`).
pub type UniformTob<M, D> =
    ConsensusTob<M, AllAckUrb<Unique<M>, D>, FloodingUniformConsensus<Batch<M>, D>>;

/// [`RegularTob`] with retransmission period `period` and the detector `d`.
pub fn regular<M: Payload, D: PerfectDetector>(period: automata::Time, d: D) -> RegularTob<M, D> {
    ConsensusTob::new(
        EagerReliableBroadcast::new(period),
        FloodingConsensus::new(period, d),
    )
}

/// [`UniformTob`] with retransmission period `period` and the detector `d`.
pub fn uniform<M: Payload, D: PerfectDetector>(period: automata::Time, d: D) -> UniformTob<M, D> {
    ConsensusTob::new(
        AllAckUrb::new(period, d.clone()),
        FloodingUniformConsensus::new(period, d),
    )
}

fn build<R: Module<Req = Broadcast<Value>>>(
    l: &Loaded,
    p: &Params,
    make: impl Fn(automata::Time, AnyPerfect) -> R + Send + Sync + 'static,
) -> Result<Box<dyn Runnable>, InputError> {
    let (d, period) = (perfect(l, p)?, p.int("period"));
    job(l, p, move |_| make(period, d.clone()), broadcast)
}

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "consensus-tob", abstraction: "tob", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect)",
    summary: "Consensus-Based Total-Order Broadcast (CGR 6.1): reliable broadcast, then one consensus a round on the set to deliver",
    build: |l, p| build(l, p, regular::<Value, AnyPerfect>);

    id: "consensus-utob", abstraction: "utob", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect)",
    summary: "Consensus-Based Uniform Total-Order Broadcast (CGR 6.1 over uniform broadcast and uniform consensus)",
    build: |l, p| build(l, p, uniform::<Value, AnyPerfect>);

    id: "consensus-tob-no-consensus", abstraction: "tob", params: &[PERIOD], mutant: true,
    model: "delivering what reliable broadcast delivers at once: concurrent broadcasts arrive in different orders",
    summary: "MUTANT: Consensus-Based Total-Order Broadcast delivering without consensus",
    build: |l, p| build(l, p, |period, d| regular::<Value, AnyPerfect>(period, d).without_consensus());
};
