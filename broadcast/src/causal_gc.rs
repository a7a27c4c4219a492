//! Causal-order broadcast `crb` by No-Waiting Causal Broadcast with Garbage Collection of the
//! Causal Past (CGR Module 3.9, Algorithms 3.13 and 3.14).
//!
//! Algorithm id: `no-waiting-causal-broadcast` with `[params] gc = "on"`.
//!
//! Model: fail-stop (crash-stop with a perfect failure detector P), and whatever the reliable
//! broadcast below needs. Uses any reliable broadcast and any perfect failure detector below it
//! (`model.detector`). Properties: CRB1-CRB5, as No-Waiting Causal Broadcast
//! ([`crate::causal`]), whose delivery rule it keeps unchanged.
//!
//! What it adds is a bound on message size. Every process acknowledges each message it
//! delivers, by reliable broadcast (`[ACK, m]`); once every process not detected as crashed has
//! acknowledged m, every live process has delivered it, so no message needs to carry m in its
//! past any more and m is removed from `past`. The past a message carries is then only what is
//! not yet known to be delivered everywhere, instead of everything broadcast so far. The price
//! is N acknowledgements (each a reliable broadcast) per message. `delivered` and `ack` still
//! grow (they hold identities, not payloads).
//!
//! The removal leans on P's accuracy: with a detector that falsely suspects a slow process, a
//! message may leave the past before that process has it, and a later message that overtakes
//! it arrives without it (causal delivery fails; `scenarios/broadcast/causal-gc-eventually-
//! perfect.toml`).

use crate::causal::{CausalPast, WithPast};
use crate::eager::EagerReliableBroadcast;
use crate::interface::{BebOrDetector, Broadcast, BroadcastModule, Deliver};
use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Module, Payload, Pid, Time, ToValue, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::marker::PhantomData;

/// A message's identity: (original sender, its sequence number).
type Id = (Pid, u64);

/// What the garbage-collecting variant broadcasts: `[DATA, mpast, m]` or `[ACK, m]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CausalGc<P> {
    Data(WithPast<P>),
    /// `[ACK, m]`: the sender has delivered m.
    Ack(Id),
}

impl<P: ToValue> ToValue for CausalGc<P> {
    /// `[DATA, mpast, m]` shows as [`WithPast`] does; `[ACK, m]` as `["ACK", s, sn]`.
    fn to_value(&self) -> Value {
        match self {
            CausalGc::Data(d) => d.to_value(),
            CausalGc::Ack((s, sn)) => Value::List(vec![
                Value::str("ACK"),
                Value::Int(*s as i64),
                Value::Int(*sn as i64),
            ]),
        }
    }
}

/// No-Waiting Causal Broadcast with garbage collection, over the reliable broadcast `R` (Eager
/// Reliable Broadcast by default) and the perfect detector `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GcCausalBroadcast<
    P: Payload,
    D: PerfectDetector,
    R: BroadcastModule<CausalGc<P>> = EagerReliableBroadcast<CausalGc<P>>,
> {
    rb: R,
    p: D,
    /// `delivered` and `past`, as in No-Waiting Causal Broadcast.
    past: CausalPast<P>,
    /// `correct`: the processes not detected as crashed.
    correct: BTreeSet<Pid>,
    /// `ack[m]`: the processes that have acknowledged m.
    ack: BTreeMap<Id, BTreeSet<Pid>>,
    /// MUTANT: removes a message from the past as soon as it is delivered here, without
    /// waiting for the acknowledgements ([`GcCausalBroadcast::trimming_at_delivery`]).
    trim_at_delivery: bool,
    _payload: PhantomData<P>,
}

type Wire<D, R> = BebOrDetector<<R as Module>::Msg, <D as Module>::Msg>;
type Timers<D, R> = BebOrDetector<<R as Module>::Timer, <D as Module>::Timer>;

automata::below! {
    impl[P: Payload, D: PerfectDetector, R: BroadcastModule<CausalGc<P>>]
        GcCausalBroadcast<P, D, R>;
    /// Slot of the reliable broadcast below.
    Rb(rb: R) => on_rb_deliver, msg BebOrDetector::Beb, timer BebOrDetector::Beb;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg BebOrDetector::Detector, timer BebOrDetector::Detector;
}

impl<P: Payload, D: PerfectDetector> GcCausalBroadcast<P, D> {
    /// Over Eager Reliable Broadcast over Basic Broadcast over perfect links with
    /// retransmission period `period`, and the detector `p`.
    pub fn new(period: Time, p: D) -> Self {
        GcCausalBroadcast::over(EagerReliableBroadcast::new(period), p)
    }
}

impl<P: Payload, D: PerfectDetector, R: BroadcastModule<CausalGc<P>>> GcCausalBroadcast<P, D, R> {
    /// Over the given reliable broadcast and detector.
    pub fn over(rb: R, p: D) -> Self {
        GcCausalBroadcast {
            rb,
            p,
            past: CausalPast::default(),
            correct: BTreeSet::new(),
            ack: BTreeMap::new(),
            trim_at_delivery: false,
            _payload: PhantomData,
        }
    }

    /// MUTANT: a message leaves the past as soon as this process has delivered it, before
    /// the others are known to have it; a later message then travels without it and can
    /// overtake it (CRB5 causal delivery fails).
    pub fn trimming_at_delivery(mut self) -> Self {
        self.trim_at_delivery = true;
        self
    }

    /// `upon event ⟨ rb, Deliver | p, [DATA, mpast, m] ⟩` and `upon event ⟨ rb, Deliver | p,
    /// [ACK, m] ⟩`: hands each kind of message to its handler.
    fn on_rb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<CausalGc<P>>) {
        match msg {
            CausalGc::Data(d) => self.on_rb_deliver_data(ctx, d),
            CausalGc::Ack(m) => self.on_rb_deliver_ack(ctx, from, m),
        }
    }

    /// `upon event ⟨ rb, Deliver | p, [DATA, mpast, m] ⟩`: as No-Waiting Causal Broadcast
    /// (deliver the missing past in order, then m); then, for each message n just delivered,
    /// `upon exists n ∈ delivered such that self ∉ ack[n] do ack[n] := ack[n] ∪ {self};
    /// trigger ⟨ rb, Broadcast | [ACK, n] ⟩`.
    fn on_rb_deliver_data(&mut self, ctx: &mut Ctx<Self>, d: WithPast<P>) {
        let me = ctx.me();
        for n in self.past.receive(d) {
            let id = n.id();
            ctx.indicate(Deliver {
                from: n.sender,
                msg: n.msg,
            });
            if self.ack.entry(id).or_default().insert(me) {
                ctx.trigger(
                    self,
                    Rb,
                    Broadcast {
                        msg: CausalGc::Ack(id),
                    },
                );
            }
            self.collect(id);
        }
    }

    /// `upon event ⟨ rb, Deliver | p, [ACK, m] ⟩ do ack[m] := ack[m] ∪ {p}`.
    fn on_rb_deliver_ack(&mut self, _ctx: &mut Ctx<Self>, p: Pid, m: Id) {
        self.ack.entry(m).or_default().insert(p);
        self.collect(m);
    }

    /// `upon event ⟨ P, Crash | p ⟩ do correct := correct \ {p}`.
    fn on_crash(&mut self, _ctx: &mut Ctx<Self>, Crash(p): Crash) {
        self.correct.remove(&p);
        let ids: Vec<Id> = self.ack.keys().copied().collect();
        for id in ids {
            self.collect(id);
        }
    }

    /// `upon exists m ∈ delivered such that correct ⊆ ack[m] do forall (s', m') ∈ past such
    /// that m' = m do remove (s', m') from past`.
    fn collect(&mut self, m: Id) {
        let acked = self.trim_at_delivery
            || self
                .ack
                .get(&m)
                .is_some_and(|acks| self.correct.is_subset(acks));
        if acked && self.past.is_delivered(m) {
            self.past.remove(m);
        }
    }
}

impl<P: Payload, D: PerfectDetector, R: BroadcastModule<CausalGc<P>>> Module
    for GcCausalBroadcast<P, D, R>
{
    const NAME: &'static str = "crb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    type Msg = Wire<D, R>;
    type Timer = Timers<D, R>;

    /// `upon event ⟨ crb, Init ⟩ do delivered := ∅; past := []; correct := Π;
    /// forall m do ack[m] := ∅`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.past.clear();
        self.correct = ctx.processes().collect();
        self.ack.clear();
        ctx.init(self, Rb);
        ctx.init(self, Fd);
    }

    /// `upon event ⟨ crb, Broadcast | m ⟩ do trigger ⟨ rb, Broadcast | [DATA, past, m] ⟩;
    /// append(past, (self, m))`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let msg = CausalGc::Data(self.past.broadcast(ctx.me(), msg));
        ctx.trigger(self, Rb, Broadcast { msg });
    }

    automata::pass_through!(match BebOrDetector {
        Beb => Rb,
        Detector => Fd,
    });
}
