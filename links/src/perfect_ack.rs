//! Perfect links `pl` by Retransmit Until Acknowledged (book §4.5, the variant of
//! CGR Module 2.3 that quiesces).
//!
//! Algorithm id: `perfect-links-ack`.
//!
//! Model: crash-stop (fail-stop, fail-noisy, fail-silent) over a fair-loss network (loss,
//! duplication, reordering). Properties: PL1 reliable delivery, PL2 no duplication, PL3 no
//! creation.
//!
//! Eliminate Duplicates over Retransmit Forever (CGR 2.2 over 2.1) sends every message again
//! every period, forever. Here the receiver acknowledges each copy it receives and the sender
//! retransmits only what is still unacknowledged, so once every message to a live process is
//! acknowledged the network falls silent (it keeps retransmitting to a crashed process, which
//! never acknowledges). This is the perfect link long simulations should use.
//!
//! Like [`crate::PerfectLinks`], it makes messages unique by numbering them per sender, so
//! `delivered` holds (sender, number) pairs.

use crate::fair_loss::FairLossLinks;
use crate::interface::{Deliver, Send};
use automata::{Ctx, Module, Payload, Pid, Time, ToValue, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The wire messages: a numbered message and its acknowledgement.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AckWire<P> {
    /// `[DATA, seq, m]`.
    Data { seq: u64, msg: P },
    /// `[ACK, seq]`: the receiver has message `seq` of the sender.
    Ack { seq: u64 },
}

impl<P: ToValue> ToValue for AckWire<P> {
    fn to_value(&self) -> Value {
        match self {
            AckWire::Data { seq, msg } => Value::List(vec![
                Value::str("DATA"),
                Value::Int(*seq as i64),
                msg.to_value(),
            ]),
            AckWire::Ack { seq } => Value::List(vec![Value::str("ACK"), Value::Int(*seq as i64)]),
        }
    }
}

/// The retransmission timer (it runs only while something is unacknowledged).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Retransmit;

/// Retransmit Until Acknowledged.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PerfectLinksAck<P: Payload> {
    fll: FairLossLinks<AckWire<P>>,
    /// Δ: the retransmission period, in local ticks.
    period: Time,
    /// Sequence number of the next message this process sends.
    next: u64,
    /// `unacked`: messages sent and not yet acknowledged, by (destination, number).
    unacked: BTreeMap<(Pid, u64), P>,
    /// `delivered`: (sender, number) of every message delivered so far.
    delivered: BTreeSet<(Pid, u64)>,
    /// Whether the retransmission timer is running.
    ticking: bool,
}

automata::below! {
    impl[P: Payload] PerfectLinksAck<P>;
    /// Slot of the fair-loss link below.
    Fll(fll: FairLossLinks<AckWire<P>>) => on_fll_deliver, timer automata::compose::never;
}

impl<P: Payload> PerfectLinksAck<P> {
    /// Retransmit Until Acknowledged with retransmission period `period` (the `period`
    /// parameter, default 10).
    pub fn new(period: Time) -> Self {
        PerfectLinksAck {
            fll: FairLossLinks::default(),
            period,
            next: 0,
            unacked: BTreeMap::new(),
            delivered: BTreeSet::new(),
            ticking: false,
        }
    }

    /// Messages sent and not yet acknowledged (for tests and the curious reader).
    pub fn unacknowledged(&self) -> usize {
        self.unacked.len()
    }

    fn start_timer(&mut self, ctx: &mut Ctx<Self>) {
        if !self.ticking {
            self.ticking = true;
            ctx.set_timer(self.period, Retransmit);
        }
    }

    /// A packet of the fair-loss link: data or an acknowledgement.
    fn on_fll_deliver(&mut self, ctx: &mut Ctx<Self>, ind: Deliver<AckWire<P>>) {
        match ind.msg {
            AckWire::Data { seq, msg } => self.on_fll_data(ctx, ind.from, seq, msg),
            AckWire::Ack { seq } => self.on_fll_ack(ind.from, seq),
        }
    }

    // ANCHOR: receive
    /// `upon event ⟨ fll, Deliver | p, [DATA, seq, m] ⟩ do trigger ⟨ fll, Send | p, [ACK, seq] ⟩;
    /// if (p, seq) ∉ delivered then delivered := delivered ∪ {(p, seq)};
    /// trigger ⟨ pl, Deliver | p, m ⟩`.
    fn on_fll_data(&mut self, ctx: &mut Ctx<Self>, p: Pid, seq: u64, m: P) {
        ctx.trigger(
            self,
            Fll,
            Send {
                to: p,
                msg: AckWire::Ack { seq },
            },
        );
        if self.delivered.insert((p, seq)) {
            ctx.indicate(Deliver { from: p, msg: m });
        }
    }

    /// `upon event ⟨ fll, Deliver | q, [ACK, seq] ⟩ do unacked := unacked \ {(q, seq, ·)}`.
    fn on_fll_ack(&mut self, q: Pid, seq: u64) {
        self.unacked.remove(&(q, seq));
    }
    // ANCHOR_END: receive
}

impl<P: Payload> Module for PerfectLinksAck<P> {
    const NAME: &'static str = "pl";
    type Req = Send<P>;
    type Ind = Deliver<P>;
    type Msg = AckWire<P>;
    type Timer = Retransmit;

    /// `upon event ⟨ pl, Init ⟩ do unacked := ∅; delivered := ∅`.
    fn on_init(&mut self, _ctx: &mut Ctx<Self>) {
        self.unacked.clear();
        self.delivered.clear();
        self.ticking = false;
    }

    // ANCHOR: send
    /// `upon event ⟨ pl, Send | q, m ⟩ do seq := seq + 1; unacked := unacked ∪ {(q, seq, m)};
    /// trigger ⟨ fll, Send | q, [DATA, seq, m] ⟩; starttimer(Δ) unless it runs`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Send { to, msg }: Send<P>) {
        let seq = self.next;
        self.next += 1;
        self.unacked.insert((to, seq), msg.clone());
        ctx.trigger(
            self,
            Fll,
            Send {
                to,
                msg: AckWire::Data { seq, msg },
            },
        );
        self.start_timer(ctx);
    }
    // ANCHOR_END: send

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: AckWire<P>) {
        ctx.pass_message(self, Fll, from, msg);
    }

    // ANCHOR: timeout
    /// `upon event ⟨ Timeout ⟩ do forall (q, seq, m) ∈ unacked: trigger ⟨ fll, Send | q,
    /// [DATA, seq, m] ⟩; if unacked ≠ ∅ then starttimer(Δ)`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, Retransmit: Retransmit) {
        self.ticking = false;
        for ((to, seq), msg) in self.unacked.clone() {
            ctx.trigger(
                self,
                Fll,
                Send {
                    to,
                    msg: AckWire::Data { seq, msg },
                },
            );
        }
        if !self.unacked.is_empty() {
            self.start_timer(ctx);
        }
    }
    // ANCHOR_END: timeout
}

use crate::abstractions::{send, PERIOD};
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "perfect-links-ack", abstraction: "pl", params: &[PERIOD],
    model: "crash-stop (fail-stop, fail-noisy, fail-silent)",
    summary: "perfect links by retransmit-until-acknowledged: quiesces once every message is acked",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| PerfectLinksAck::<Value>::new(period), send)
    };
};
