//! Perfect links `pl` by Eliminate Duplicates (CGR Module 2.3, Algorithm 2.2).
//!
//! Model: crash-stop (fail-stop, fail-noisy, fail-silent) over fair-loss links, through
//! stubborn links. Properties: PL1 reliable delivery, PL2 no duplication, PL3 no creation.
//! Like the book, it assumes every message is unique; it makes that true by tagging each
//! message with the sender's sequence number, so `delivered` holds (sender, number) pairs.

use crate::interface::{Deliver, Link, Send};
use crate::stubborn::StubbornLinks;
use automata::{Ctx, Module, Payload, Pid, Time, ToValue, Value};
use std::collections::BTreeSet;
use std::marker::PhantomData;

/// A payload with the sender's sequence number that makes it unique.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tagged<P> {
    pub seq: u64,
    pub msg: P,
}

impl<P: ToValue> ToValue for Tagged<P> {
    fn to_value(&self) -> Value {
        Value::List(vec![Value::Int(self.seq as i64), self.msg.to_value()])
    }
}

// ANCHOR: state
/// Eliminate Duplicates over any link `L` that carries tagged payloads (stubborn links by
/// default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PerfectLinks<P: Payload, L: Link<Tagged<P>> = StubbornLinks<Tagged<P>>> {
    sl: L,
    /// Sequence number of the next message this process sends.
    next: u64,
    /// `delivered`: (sender, sequence number) of every message delivered so far.
    delivered: BTreeSet<(Pid, u64)>,
    /// Mutant switch: `false` drops the `if m ∉ delivered` test (book §4.4, B-4.3), so every
    /// copy the link below hands up is delivered. Caught by PL2 no-duplication.
    dedup: bool,
    _payload: PhantomData<P>,
}
// ANCHOR_END: state

automata::below! {
    impl[P: Payload, L: Link<Tagged<P>>] PerfectLinks<P, L>;
    /// Slot of the stubborn link below.
    Sl(sl: L) => on_sl_deliver;
}

impl<P: Payload> PerfectLinks<P> {
    /// Eliminate Duplicates over Retransmit Forever with retransmission period `period`.
    pub fn new(period: Time) -> Self {
        PerfectLinks::over(StubbornLinks::new(period))
    }

    /// MUTANT: Eliminate Duplicates without `delivered`, over Retransmit Forever. Over stubborn
    /// links every retransmission is a duplicate; with a retransmission period beyond the
    /// horizon, only a duplicating network makes it fail.
    pub fn without_dedup(period: Time) -> Self {
        PerfectLinks {
            dedup: false,
            ..PerfectLinks::new(period)
        }
    }
}

impl<P: Payload, L: Link<Tagged<P>>> PerfectLinks<P, L> {
    /// Eliminate Duplicates over the given link.
    pub fn over(sl: L) -> Self {
        PerfectLinks {
            sl,
            next: 0,
            delivered: BTreeSet::new(),
            dedup: true,
            _payload: PhantomData,
        }
    }

    // ANCHOR: deliver
    /// `upon event ⟨ sl, Deliver | p, m ⟩ do if m ∉ delivered then delivered := delivered ∪ {m};
    /// trigger ⟨ pl, Deliver | p, m ⟩`.
    fn on_sl_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Tagged<P>>) {
        if !self.dedup || self.delivered.insert((from, msg.seq)) {
            ctx.indicate(Deliver { from, msg: msg.msg });
        }
    }
    // ANCHOR_END: deliver
}

impl<P: Payload, L: Link<Tagged<P>>> Module for PerfectLinks<P, L> {
    const NAME: &'static str = "pl";
    type Req = Send<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(Sl: L);

    // ANCHOR: send
    /// `upon event ⟨ pl, Init ⟩ do delivered := ∅`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.delivered.clear();
        ctx.init(self, Sl);
    }

    /// `upon event ⟨ pl, Send | q, m ⟩ do trigger ⟨ sl, Send | q, m ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Send { to, msg }: Send<P>) {
        let seq = self.next;
        self.next += 1;
        ctx.trigger(
            self,
            Sl,
            Send {
                to,
                msg: Tagged { seq, msg },
            },
        );
    }
    // ANCHOR_END: send
}

use crate::abstractions::{send, PERIOD};
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "perfect-links", abstraction: "pl", params: &[PERIOD],
    model: "crash-stop (fail-stop, fail-noisy, fail-silent)",
    summary: "Eliminate Duplicates (CGR 2.2) over Retransmit Forever",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| PerfectLinks::<Value>::new(period), send)
    };

    id: "perfect-links-no-dedup", abstraction: "pl", params: &[PERIOD], mutant: true,
    model: "crash-stop",
    summary: "MUTANT: Eliminate Duplicates without its `delivered` set (B-4.3)",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| PerfectLinks::<Value>::without_dedup(period), send)
    };
};
