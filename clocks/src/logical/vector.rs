//! Vector clocks `vc` (Fidge 1988, Mattern 1989; book §10.1), as a layer over links.
//!
//! Abstraction: point-to-point links whose every event carries a vector timestamp V(e).
//! Model: any (asynchronous is enough); it inherits the properties of the link `L` below
//! (perfect links by default). Properties: VC1 strong clock condition, e → f ⇔ V(e) < V(f)
//! (component-wise ≤ and different), and VC2 own count, V(e)[p] = number of events at p up
//! to and including e. No clock of fewer than N integer components characterizes causality
//! (Charron-Bost 1991), which is why a Lamport clock cannot (B-10.2, C.17).
//!
//! ```text
//! upon event ⟨ Init ⟩ do V := [0]^N
//! upon event ⟨ vc, Send | q, m ⟩ do V[self] := V[self] + 1; trigger ⟨ pl, Send | q, [V, m] ⟩
//! upon event ⟨ pl, Deliver | p, [W, m] ⟩ do
//!     forall k: V[k] := max(V[k], W[k]); V[self] := V[self] + 1; trigger ⟨ vc, Deliver | p, m ⟩
//! ```

use super::{stamp_event, Side, Timestamped};
use automata::{Ctx, Module, Payload, Time};
use links::{Deliver, Link, PerfectLinks, Send};
use std::marker::PhantomData;

/// Vector clock over any link `L` (perfect links by default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VectorClock<
    P: Payload,
    L: Link<Timestamped<P, Vec<u64>>> = PerfectLinks<Timestamped<P, Vec<u64>>>,
> {
    link: L,
    /// `V`: one counter a process.
    v: Vec<u64>,
    next: u64,
    /// `false` only in the B-10.3 mutant ([`super::mutants::NoMergeVectorClock`]).
    pub(crate) merge: bool,
    /// `true` only in the mutant that counts a delivery twice
    /// ([`super::mutants::DoubleTickVectorClock`]).
    pub(crate) double_tick: bool,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, L: Link<Timestamped<P, Vec<u64>>>] VectorClock<P, L>;
    /// Slot of the link below.
    Pl(link: L) => on_pl_deliver;
}

impl<P: Payload> VectorClock<P> {
    /// Over perfect links retransmitting every `period` ticks.
    pub fn new(period: Time) -> Self {
        VectorClock::over(PerfectLinks::new(period))
    }
}

impl<P: Payload, L: Link<Timestamped<P, Vec<u64>>>> VectorClock<P, L> {
    pub fn over(link: L) -> Self {
        VectorClock {
            link,
            v: Vec::new(),
            next: 0,
            merge: true,
            double_tick: false,
            _payload: PhantomData,
        }
    }

    /// The clock's current value.
    pub fn time(&self) -> &[u64] {
        &self.v
    }

    // ANCHOR: deliver
    /// `upon event ⟨ pl, Deliver | p, [W, m] ⟩ do V := max(V, W); V[self] := V[self] + 1`.
    fn on_pl_deliver(
        &mut self,
        ctx: &mut Ctx<Self>,
        Deliver { from, msg }: Deliver<Timestamped<P, Vec<u64>>>,
    ) {
        let merged = if self.merge { msg.ts.as_slice() } else { &[] };
        for (k, w) in merged.iter().enumerate() {
            if let Some(vk) = self.v.get_mut(k) {
                *vk = (*vk).max(*w);
            }
        }
        self.v[ctx.me()] += if self.double_tick { 2 } else { 1 };
        stamp_event(ctx, Side::Receive, from, msg.seq, &self.v);
        ctx.indicate(Deliver { from, msg: msg.msg });
    }
    // ANCHOR_END: deliver
}

impl<P: Payload, L: Link<Timestamped<P, Vec<u64>>>> Module for VectorClock<P, L> {
    const NAME: &'static str = "vc";
    type Req = Send<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(Pl: L);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.v = vec![0; ctx.n()];
        ctx.init(self, Pl);
    }

    // ANCHOR: send
    /// `upon event ⟨ vc, Send | q, m ⟩ do V[self] := V[self] + 1; trigger ⟨ pl, Send | q, [V, m] ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Send { to, msg }: Send<P>) {
        self.v[ctx.me()] += 1;
        let seq = self.next;
        self.next += 1;
        stamp_event(ctx, Side::Send, ctx.me(), seq, &self.v);
        let ts = self.v.clone();
        ctx.trigger(
            self,
            Pl,
            Send {
                to,
                msg: Timestamped { ts, seq, msg },
            },
        );
    }
    // ANCHOR_END: send
}

use crate::abstractions::PERIOD;
use automata::Value;
use catalogue::{job, Algorithm};
use links::abstractions::send;

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "vector-clock", abstraction: "vc", params: &[PERIOD],
    model: "any (asynchronous is enough), over perfect links",
    summary: "Fidge 1988, Mattern 1989: V[p] += 1 at each event, V := max(V, W) on delivery",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| VectorClock::<Value>::new(period), send)
    };
};
