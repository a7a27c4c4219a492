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
//! delivered yet, then the message. Nothing waits, but messages grow without bound (CGR's
//! garbage-collecting variant, Algorithm 3.14, trims `past`).

use crate::eager::EagerReliableBroadcast;
use crate::interface::{Broadcast, BroadcastModule, Deliver, Unique};
use automata::{Below, Ctx, Module, Payload, Pid, Time, ToValue, Value};
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

/// No-Waiting Causal Broadcast over any reliable broadcast `R` (Eager Reliable Broadcast by
/// default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoWaitingCausalBroadcast<
    P: Payload,
    R: BroadcastModule<WithPast<P>> = EagerReliableBroadcast<WithPast<P>>,
> {
    rb: R,
    /// Sequence number of this process's next broadcast (makes messages unique).
    lsn: u64,
    /// `delivered`: ids (s, sn) of the messages delivered so far.
    delivered: BTreeSet<(Pid, u64)>,
    /// `past`: the messages this process broadcast or delivered, in order.
    past: Vec<Unique<P>>,
    _payload: PhantomData<P>,
}

/// Slot of the reliable broadcast below.
#[derive(Clone, Copy, Debug)]
pub struct Rb;

impl<P: Payload, R: BroadcastModule<WithPast<P>>> Below<NoWaitingCausalBroadcast<P, R>> for Rb {
    type Lower = R;
    fn lower(crb: &mut NoWaitingCausalBroadcast<P, R>) -> &mut R {
        &mut crb.rb
    }
    fn wrap_msg(msg: R::Msg) -> R::Msg {
        msg
    }
    fn wrap_timer(t: R::Timer) -> R::Timer {
        t
    }
    fn indication(
        crb: &mut NoWaitingCausalBroadcast<P, R>,
        ctx: &mut Ctx<NoWaitingCausalBroadcast<P, R>>,
        ind: Deliver<WithPast<P>>,
    ) {
        crb.on_rb_deliver(ctx, ind);
    }
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
            lsn: 0,
            delivered: BTreeSet::new(),
            past: Vec::new(),
            _payload: PhantomData,
        }
    }

    /// `trigger ⟨ crb, Deliver | s, n ⟩; delivered := delivered ∪ {n};
    /// if (s, n) ∉ past then append(past, (s, n))`.
    fn deliver(&mut self, ctx: &mut Ctx<Self>, n: Unique<P>) {
        ctx.indicate(Deliver {
            from: n.sender,
            msg: n.msg.clone(),
        });
        self.delivered.insert(n.id());
        if !self.past.iter().any(|x| x.id() == n.id()) {
            self.past.push(n);
        }
    }

    /// `upon event ⟨ rb, Deliver | p, [DATA, mpast, m] ⟩ do if m ∉ delivered then
    /// forall (s, n) ∈ mpast (in list order) do if n ∉ delivered then deliver (s, n);
    /// deliver (p, m)`.
    fn on_rb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { msg, .. }: Deliver<WithPast<P>>) {
        let WithPast {
            past: mpast,
            msg: m,
        } = msg;
        if self.delivered.contains(&m.id()) {
            return;
        }
        for n in mpast {
            if !self.delivered.contains(&n.id()) {
                self.deliver(ctx, n);
            }
        }
        self.deliver(ctx, m);
    }
}

impl<P: Payload, R: BroadcastModule<WithPast<P>>> Module for NoWaitingCausalBroadcast<P, R> {
    const NAME: &'static str = "crb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    type Msg = R::Msg;
    type Timer = R::Timer;

    /// `upon event ⟨ crb, Init ⟩ do delivered := ∅; past := []`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.delivered.clear();
        self.past.clear();
        ctx.init(self, Rb);
    }

    /// `upon event ⟨ crb, Broadcast | m ⟩ do trigger ⟨ rb, Broadcast | [DATA, past, m] ⟩;
    /// append(past, (self, m))`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let sn = self.lsn;
        self.lsn += 1;
        let m = Unique {
            sender: ctx.me(),
            sn,
            msg,
        };
        let msg = WithPast {
            past: self.past.clone(),
            msg: m.clone(),
        };
        ctx.trigger(self, Rb, Broadcast { msg });
        self.past.push(m);
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: R::Msg) {
        ctx.pass_message(self, Rb, from, msg);
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: R::Timer) {
        ctx.pass_timer(self, Rb, timer);
    }
}
