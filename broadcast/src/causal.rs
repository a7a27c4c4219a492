//! Causal-order broadcast `crb` by No-Waiting Causal Broadcast (CGR Module 3.9,
//! Algorithm 3.13).
//!
//! Algorithm id: `no-waiting-causal-broadcast`.
//!
//! Model: fail-silent (whatever the reliable broadcast below needs). Uses any reliable
//! broadcast below it. Properties: CRB1-CRB4 as RB1-RB4 (validity, no duplication, no
//! creation, agreement) and CRB5 causal delivery (if m1 → m2, no process delivers m2 unless
//! it has already delivered m1), where m1 → m2 when some process broadcasts m1 before m2, or
//! delivers m1 and then broadcasts m2, or a chain of these (CGR §3.9).
//!
//! Each message carries its causal past (`past`: every message its sender broadcast or
//! delivered before it, in order); a receiver first delivers whatever of that past it has not
//! delivered yet, then the message. Nothing waits, but messages grow without bound: the k-th
//! message carries the k − 1 before it. CGR's garbage-collecting variant (Algorithm 3.14,
//! [`crate::causal_gc`]) trims `past` of what every correct process has delivered; both keep
//! their `delivered` and `past` in a [`CausalPast`].

use crate::eager::EagerReliableBroadcast;
use crate::interface::{Broadcast, BroadcastModule, Deliver, Unique};
use automata::{Ctx, Module, Payload, Pid, Time, ToValue, Value};
use std::collections::BTreeSet;
use std::marker::PhantomData;

/// `[DATA, mpast, m]`: a message with its causal past.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WithPast<P> {
    /// `mpast`: the messages the sender broadcast or delivered before `m`, in order.
    pub past: Vec<Unique<P>>,
    /// `m`, made unique by (sender, sequence number).
    pub msg: Unique<P>,
}

impl<P: ToValue> ToValue for WithPast<P> {
    fn to_value(&self) -> Value {
        Value::List(vec![
            Value::List(self.past.iter().map(ToValue::to_value).collect()),
            self.msg.to_value(),
        ])
    }
}

/// What No-Waiting Causal Broadcast remembers (CGR 3.13), shared with its garbage-collecting
/// variant (CGR 3.14): `delivered`, `past` and the sequence number that makes messages unique.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CausalPast<P> {
    /// Sequence number of this process's next broadcast.
    lsn: u64,
    /// `delivered`: ids (s, sn) of the messages delivered so far.
    delivered: BTreeSet<(Pid, u64)>,
    /// `past`: the messages this process broadcast or delivered, in order.
    past: Vec<Unique<P>>,
}

impl<P> Default for CausalPast<P> {
    fn default() -> Self {
        CausalPast {
            lsn: 0,
            delivered: BTreeSet::new(),
            past: Vec::new(),
        }
    }
}

impl<P: Payload> CausalPast<P> {
    /// `delivered := ∅; past := []`.
    pub fn clear(&mut self) {
        self.delivered.clear();
        self.past.clear();
    }

    /// For `⟨ crb, Broadcast | m ⟩` at `me`: the message `[DATA, past, m]` to broadcast, then
    /// `append(past, (self, m))`.
    pub fn broadcast(&mut self, me: Pid, msg: P) -> WithPast<P> {
        let m = Unique {
            sender: me,
            sn: self.lsn,
            msg,
        };
        self.lsn += 1;
        let out = WithPast {
            past: self.past.clone(),
            msg: m.clone(),
        };
        self.past.push(m);
        out
    }

    /// For `⟨ rb, Deliver | p, [DATA, mpast, m] ⟩`: if m ∉ delivered, the messages to deliver
    /// now, in order (those of `mpast` not delivered yet, then m), each recorded in
    /// `delivered` and appended to `past`; else none.
    pub fn receive(
        &mut self,
        WithPast {
            past: mpast,
            msg: m,
        }: WithPast<P>,
    ) -> Vec<Unique<P>> {
        if self.delivered.contains(&m.id()) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for n in mpast.into_iter().chain([m]) {
            if self.delivered.insert(n.id()) {
                if !self.past.iter().any(|x| x.id() == n.id()) {
                    self.past.push(n.clone());
                }
                out.push(n);
            }
        }
        out
    }

    /// Whether message `id` has been delivered.
    pub fn is_delivered(&self, id: (Pid, u64)) -> bool {
        self.delivered.contains(&id)
    }

    /// `forall (s', m') ∈ past such that m' = m do remove (s', m') from past` (CGR 3.14).
    pub fn remove(&mut self, id: (Pid, u64)) {
        self.past.retain(|x| x.id() != id);
    }

    /// How many messages `past` holds (what the next broadcast carries).
    pub fn len(&self) -> usize {
        self.past.len()
    }

    pub fn is_empty(&self) -> bool {
        self.past.is_empty()
    }
}

/// No-Waiting Causal Broadcast over any reliable broadcast `R` (Eager Reliable Broadcast by
/// default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoWaitingCausalBroadcast<
    P: Payload,
    R: BroadcastModule<WithPast<P>> = EagerReliableBroadcast<WithPast<P>>,
> {
    rb: R,
    /// `delivered` and `past`.
    past: CausalPast<P>,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, R: BroadcastModule<WithPast<P>>] NoWaitingCausalBroadcast<P, R>;
    /// Slot of the reliable broadcast below.
    Rb(rb: R) => on_rb_deliver;
}

impl<P: Payload> NoWaitingCausalBroadcast<P> {
    /// No-Waiting Causal Broadcast over Eager Reliable Broadcast over Basic Broadcast over
    /// perfect links with retransmission period `period`.
    pub fn new(period: Time) -> Self {
        NoWaitingCausalBroadcast::over(EagerReliableBroadcast::new(period))
    }
}

impl<P: Payload, R: BroadcastModule<WithPast<P>>> NoWaitingCausalBroadcast<P, R> {
    /// No-Waiting Causal Broadcast over the given reliable broadcast.
    pub fn over(rb: R) -> Self {
        NoWaitingCausalBroadcast {
            rb,
            past: CausalPast::default(),
            _payload: PhantomData,
        }
    }

    // ANCHOR: deliver
    /// `upon event ⟨ rb, Deliver | p, [DATA, mpast, m] ⟩ do if m ∉ delivered then
    /// forall (s, n) ∈ mpast (in list order) do if n ∉ delivered then
    /// trigger ⟨ crb, Deliver | s, n ⟩; delivered := delivered ∪ {n};
    /// if (s, n) ∉ past then append(past, (s, n)); (and the same for (p, m))`.
    fn on_rb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { msg, .. }: Deliver<WithPast<P>>) {
        for n in self.past.receive(msg) {
            ctx.indicate(Deliver {
                from: n.sender,
                msg: n.msg,
            });
        }
    }
    // ANCHOR_END: deliver
}

impl<P: Payload, R: BroadcastModule<WithPast<P>>> Module for NoWaitingCausalBroadcast<P, R> {
    const NAME: &'static str = "crb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(Rb: R);

    /// `upon event ⟨ crb, Init ⟩ do delivered := ∅; past := []`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.past.clear();
        ctx.init(self, Rb);
    }

    // ANCHOR: broadcast
    /// `upon event ⟨ crb, Broadcast | m ⟩ do trigger ⟨ rb, Broadcast | [DATA, past, m] ⟩;
    /// append(past, (self, m))`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let msg = self.past.broadcast(ctx.me(), msg);
        ctx.trigger(self, Rb, Broadcast { msg });
    }
    // ANCHOR_END: broadcast
}

use crate::abstractions::{broadcast, PERIOD};
use crate::GcCausalBroadcast;
use catalogue::{job, Algorithm, Param};
use links::detectors::{abstractions::perfect, AnyPerfect};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "no-waiting-causal-broadcast", abstraction: "crb",
    params: &[
        PERIOD,
        Param::str("gc", "off", "\"on\": garbage-collect the causal past once every correct process acknowledged a message (CGR 3.14; uses P, model.detector, fail-stop)"),
    ],
    model: "fail-silent (as the rb below)",
    summary: "No-Waiting Causal Broadcast (CGR 3.13): each message carries its causal past; gc = \"on\" trims it (CGR 3.14)",
    build: |l, p| match p.str("gc") {
        "off" => {
            let period = p.int("period");
            job(l, p, move |_| NoWaitingCausalBroadcast::<Value>::new(period), broadcast)
        }
        "on" => {
            let (d, period) = (perfect(l, p)?, p.int("period"));
            job(
                l,
                p,
                move |_| GcCausalBroadcast::<Value, AnyPerfect>::new(period, d.clone()),
                broadcast,
            )
        }
        other => Err(l.error("params.gc", format!("gc is \"on\" or \"off\", not \"{other}\""))),
    };
};
