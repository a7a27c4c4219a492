//! FIFO perfect links `fpl` by Sequence Number (book §4.6; a CGR exercise, the KTH
//! ID2203 "FIFO perfect point-to-point links").
//!
//! Algorithm id: `fifo-perfect-links`.
//!
//! Model: any crash-stop model (fail-stop, fail-noisy, fail-silent) over a fair-loss network,
//! through any perfect link below (Eliminate Duplicates by default; [`crate::PerfectLinksAck`]
//! fits as well). The network may reorder, lose and duplicate: the sequence numbers restore the
//! order. Properties: PL1 reliable delivery, PL2 no duplication, PL3 no creation and FPL4 fifo
//! delivery (if p sent m1 before m2 to q, q delivers m2 only after m1).
//!
//! The sender numbers its messages per destination (`lsn[q]`); the receiver keeps the number it
//! expects next from each sender (`next[p]`) and buffers (`pending`) what arrives early until
//! the gap is filled.

use crate::interface::{Deliver, Link, Send};
use crate::perfect::PerfectLinks;
use automata::{Ctx, Module, Payload, Pid, SequenceBuffer, Time, ToValue, Value};
use std::collections::BTreeMap;
use std::marker::PhantomData;

/// A payload with its per-destination sequence number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Numbered<P> {
    /// `sn`: the position of this message among those its sender sent to its destination.
    pub sn: u64,
    pub msg: P,
}

impl<P: ToValue> ToValue for Numbered<P> {
    fn to_value(&self) -> Value {
        Value::List(vec![Value::Int(self.sn as i64), self.msg.to_value()])
    }
}

/// Sequence Number over any perfect link `L` that carries numbered payloads (Eliminate
/// Duplicates over Retransmit Forever by default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FifoPerfectLinks<P: Payload, L: Link<Numbered<P>> = PerfectLinks<Numbered<P>>> {
    pl: L,
    /// `lsn[q]`: the sequence number of the next message to `q` (absent: 0).
    lsn: BTreeMap<Pid, u64>,
    /// `pending` and `next[p]`: what arrived before its predecessors, and the number due
    /// next from each sender.
    buffer: SequenceBuffer<P>,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, L: Link<Numbered<P>>] FifoPerfectLinks<P, L>;
    /// Slot of the perfect link below.
    Pl(pl: L) => on_pl_deliver;
}

impl<P: Payload> FifoPerfectLinks<P> {
    /// Sequence Number over Eliminate Duplicates over Retransmit Forever with retransmission
    /// period `period` (the `period` parameter, default 10).
    pub fn new(period: Time) -> Self {
        FifoPerfectLinks::over(PerfectLinks::new(period))
    }
}

impl<P: Payload, L: Link<Numbered<P>>> FifoPerfectLinks<P, L> {
    /// Sequence Number over the given perfect link.
    pub fn over(pl: L) -> Self {
        FifoPerfectLinks {
            pl,
            lsn: BTreeMap::new(),
            buffer: SequenceBuffer::default(),
            _payload: PhantomData,
        }
    }

    // ANCHOR: deliver
    /// `upon event ⟨ pl, Deliver | p, (sn, m) ⟩ do pending := pending ∪ {(p, sn, m)};
    /// while exists (p, next[p], m') ∈ pending do next[p] := next[p] + 1;
    /// pending := pending \ {(p, next[p] − 1, m')}; trigger ⟨ fpl, Deliver | p, m' ⟩`.
    fn on_pl_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Numbered<P>>) {
        for msg in self.buffer.accept(from, msg.sn, msg.msg) {
            ctx.indicate(Deliver { from, msg });
        }
    }
    // ANCHOR_END: deliver
}

impl<P: Payload, L: Link<Numbered<P>>> Module for FifoPerfectLinks<P, L> {
    const NAME: &'static str = "fpl";
    type Req = Send<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(Pl: L);

    /// `upon event ⟨ fpl, Init ⟩ do forall p: lsn[p] := 0; next[p] := 0; pending := ∅`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.lsn.clear();
        self.buffer.clear();
        ctx.init(self, Pl);
    }

    // ANCHOR: send
    /// `upon event ⟨ fpl, Send | q, m ⟩ do lsn[q] := lsn[q] + 1;
    /// trigger ⟨ pl, Send | q, (lsn[q], m) ⟩` (numbers start at 0 here).
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Send { to, msg }: Send<P>) {
        let lsn = self.lsn.entry(to).or_insert(0);
        let sn = *lsn;
        *lsn += 1;
        ctx.trigger(
            self,
            Pl,
            Send {
                to,
                msg: Numbered { sn, msg },
            },
        );
    }
    // ANCHOR_END: send
}

use crate::abstractions::{send, PERIOD};
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "fifo-perfect-links", abstraction: "fpl", params: &[PERIOD],
    model: "crash-stop",
    summary: "sequence numbers over perfect links; the receiver buffers until the next expected number",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| FifoPerfectLinks::<Value>::new(period), send)
    };
};
