//! FIFO reliable broadcast `frb` by Broadcast with Sequence Number (CGR Module 3.8,
//! Algorithm 3.12).
//!
//! Algorithm id: `fifo-reliable-broadcast`.
//!
//! Model: fail-silent (whatever the reliable broadcast below needs). Uses any reliable
//! broadcast below it. Properties: FRB1-FRB4 as RB1-RB4 (validity, no duplication, no
//! creation, agreement) and FRB5 FIFO delivery (if some process broadcasts m1 before m2, no
//! correct process delivers m2 unless it has already delivered m1). FIFO is not causal: a
//! message broadcast after delivering another may still overtake it (book §6.5, B-6.6).
//!
//! Each process numbers its broadcasts (`lsn`); a receiver keeps the number it expects next
//! from each sender (`next[s]`) and holds back (`pending`) what arrives early.

use crate::eager::EagerReliableBroadcast;
use crate::interface::{Broadcast, BroadcastModule, Deliver};
use automata::{Ctx, Module, Payload, SequenceBuffer, Time, ToValue, Value};
use std::marker::PhantomData;

/// `[DATA, self, m, lsn]`: a payload with its sender's sequence number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sequenced<P> {
    /// `sn`: the position of this message among its sender's broadcasts (from 0).
    pub sn: u64,
    pub msg: P,
}

impl<P: ToValue> ToValue for Sequenced<P> {
    fn to_value(&self) -> Value {
        Value::List(vec![Value::Int(self.sn as i64), self.msg.to_value()])
    }
}

/// Broadcast with Sequence Number over any reliable broadcast `R` (Eager Reliable Broadcast
/// by default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FifoReliableBroadcast<
    P: Payload,
    R: BroadcastModule<Sequenced<P>> = EagerReliableBroadcast<Sequenced<P>>,
> {
    rb: R,
    /// `lsn`: the number of this process's next broadcast.
    lsn: u64,
    /// `pending` and `next[s]`: what rb delivered before its predecessors, and the number
    /// due next from each sender.
    buffer: SequenceBuffer<P>,
    /// Mutant switch: `true` delivers each message as soon as rb does, sending numbers but
    /// never waiting for them (caught by FRB5 fifo-delivery once the network reorders two
    /// broadcasts).
    hasty: bool,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, R: BroadcastModule<Sequenced<P>>] FifoReliableBroadcast<P, R>;
    /// Slot of the reliable broadcast below.
    Rb(rb: R) => on_rb_deliver;
}

impl<P: Payload> FifoReliableBroadcast<P> {
    /// Sequence Number over Eager Reliable Broadcast over Basic Broadcast over perfect links
    /// with retransmission period `period`.
    pub fn new(period: Time) -> Self {
        FifoReliableBroadcast::over(EagerReliableBroadcast::new(period))
    }
}

impl<P: Payload, R: BroadcastModule<Sequenced<P>>> FifoReliableBroadcast<P, R> {
    /// Sequence Number over the given reliable broadcast.
    pub fn over(rb: R) -> Self {
        FifoReliableBroadcast {
            rb,
            lsn: 0,
            buffer: SequenceBuffer::default(),
            hasty: false,
            _payload: PhantomData,
        }
    }

    /// MUTANT: delivers on arrival, ignoring sequence numbers (`fifo-broadcast-hasty`).
    pub fn hasty(self) -> Self {
        FifoReliableBroadcast {
            hasty: true,
            ..self
        }
    }

    // ANCHOR: deliver
    /// `upon event ⟨ rb, Deliver | p, [DATA, s, m, sn] ⟩ do pending := pending ∪ {(s, m, sn)};
    /// while exists (s, m', sn') ∈ pending such that sn' = next[s] do next[s] := next[s] + 1;
    /// pending := pending \ {(s, m', sn')}; trigger ⟨ frb, Deliver | s, m' ⟩`.
    fn on_rb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Sequenced<P>>) {
        if self.hasty {
            ctx.indicate(Deliver { from, msg: msg.msg });
            return;
        }
        for msg in self.buffer.accept(from, msg.sn, msg.msg) {
            ctx.indicate(Deliver { from, msg });
        }
    }
    // ANCHOR_END: deliver
}

impl<P: Payload, R: BroadcastModule<Sequenced<P>>> Module for FifoReliableBroadcast<P, R> {
    const NAME: &'static str = "frb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(Rb: R);

    /// `upon event ⟨ frb, Init ⟩ do lsn := 0; pending := ∅; next := [0]^N`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.lsn = 0;
        self.buffer.clear();
        ctx.init(self, Rb);
    }

    // ANCHOR: broadcast
    /// `upon event ⟨ frb, Broadcast | m ⟩ do lsn := lsn + 1;
    /// trigger ⟨ rb, Broadcast | [DATA, self, m, lsn] ⟩` (numbers start at 0 here).
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let sn = self.lsn;
        self.lsn += 1;
        ctx.trigger(
            self,
            Rb,
            Broadcast {
                msg: Sequenced { sn, msg },
            },
        );
    }
    // ANCHOR_END: broadcast
}

use crate::abstractions::{broadcast, PERIOD};
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "fifo-reliable-broadcast", abstraction: "frb", params: &[PERIOD],
    model: "fail-silent (as the rb below)",
    summary: "Broadcast with Sequence Number (CGR 3.12) over Eager Reliable Broadcast",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| FifoReliableBroadcast::<Value>::new(period), broadcast)
    };

    id: "fifo-broadcast-hasty", abstraction: "frb", params: &[PERIOD], mutant: true,
    model: "fail-silent",
    summary: "MUTANT: FIFO broadcast that delivers on arrival, ignoring sequence numbers",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| FifoReliableBroadcast::<Value>::new(period).hasty(), broadcast)
    };
};
