//! Perfect links `pl` by Eliminate Duplicates with a watermark: the book's Eliminate Duplicates
//! (CGR Algorithm 2.2) whose `delivered` set forgets what it no longer needs.
//!
//! Algorithm id: `perfect-links-watermark`. The worked example of the book's contributor page:
//! a new algorithm for an existing abstraction, in this file and its scenario.
//!
//! Model: as Eliminate Duplicates, crash-stop over fair-loss links through stubborn links.
//! Properties: PL1 reliable delivery, PL2 no duplication, PL3 no creation. Eliminate
//! Duplicates keeps every (sender, number) it ever delivered, so its state grows with every
//! message. Here each sender numbers its messages 0, 1, 2, ... and the receiver keeps, per
//! sender, a watermark `low` (every number below it was delivered) and the numbers above it
//! delivered out of order: the state is as large as the gaps the network opened, not as the
//! history.

use crate::abstractions::{send, PERIOD};
use crate::interface::{Deliver, Link, Send};
use crate::perfect::Tagged;
use crate::stubborn::StubbornLinks;
use automata::{Ctx, Module, Payload, Pid, Time, Value};
use catalogue::{job, Algorithm};
use std::collections::{BTreeMap, BTreeSet};
use std::marker::PhantomData;

// ANCHOR: state
/// Eliminate Duplicates with a watermark, over any link `L` of tagged payloads.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WatermarkLinks<P: Payload, L: Link<Tagged<P>> = StubbornLinks<Tagged<P>>> {
    sl: L,
    /// Number of the next message this process sends.
    next: u64,
    /// `low[q]`: every message from q numbered below it was delivered (absent: 0).
    low: BTreeMap<Pid, u64>,
    /// `above[q]`: the numbers at or above `low[q]` delivered from q, out of order.
    above: BTreeMap<Pid, BTreeSet<u64>>,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, L: Link<Tagged<P>>] WatermarkLinks<P, L>;
    /// Slot of the stubborn link below.
    Sl(sl: L) => on_sl_deliver;
}
// ANCHOR_END: state

impl<P: Payload> WatermarkLinks<P> {
    /// Over Retransmit Forever with retransmission period `period`.
    pub fn new(period: Time) -> Self {
        WatermarkLinks {
            sl: StubbornLinks::new(period),
            next: 0,
            low: BTreeMap::new(),
            above: BTreeMap::new(),
            _payload: PhantomData,
        }
    }
}

// ANCHOR: handlers
impl<P: Payload, L: Link<Tagged<P>>> WatermarkLinks<P, L> {
    /// `upon event ⟨ sl, Deliver | q, [n, m] ⟩ do if n ≥ low[q] ∧ n ∉ above[q] then
    /// above[q] := above[q] ∪ {n}; while low[q] ∈ above[q] do above[q] := above[q] \ {low[q]};
    /// low[q] := low[q] + 1; trigger ⟨ pl, Deliver | q, m ⟩`.
    fn on_sl_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Tagged<P>>) {
        let low = self.low.entry(from).or_insert(0);
        if msg.seq < *low {
            return;
        }
        let above = self.above.entry(from).or_default();
        if !above.insert(msg.seq) {
            return;
        }
        while above.remove(low) {
            *low += 1;
        }
        if above.is_empty() {
            self.above.remove(&from);
        }
        ctx.indicate(Deliver { from, msg: msg.msg });
    }
}

impl<P: Payload, L: Link<Tagged<P>>> Module for WatermarkLinks<P, L> {
    const NAME: &'static str = "pl";
    type Req = Send<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(Sl: L);

    /// `upon event ⟨ pl, Init ⟩ do low := [0]^N; above := [∅]^N`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.low.clear();
        self.above.clear();
        ctx.init(self, Sl);
    }

    /// `upon event ⟨ pl, Send | q, m ⟩ do trigger ⟨ sl, Send | q, [next, m] ⟩;
    /// next := next + 1`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Send { to, msg }: Send<P>) {
        let seq = self.next;
        self.next += 1;
        let msg = Tagged { seq, msg };
        ctx.trigger(self, Sl, Send { to, msg });
    }
}
// ANCHOR_END: handlers

// ANCHOR: entry
/// The catalogue entry: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "perfect-links-watermark", abstraction: "pl", params: &[PERIOD],
    model: "crash-stop (fail-stop, fail-noisy, fail-silent)",
    summary: "Eliminate Duplicates with a watermark: per sender, the lowest undelivered number and the numbers delivered above it",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| WatermarkLinks::<Value>::new(period), send)
    };
};
// ANCHOR_END: entry
