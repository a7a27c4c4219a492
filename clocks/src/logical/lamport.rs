//! Lamport's logical clock `lc` (Lamport 1978; book §10.1), as a layer over links.
//!
//! Abstraction: point-to-point links whose every event carries a logical timestamp L(e).
//! Model: any (asynchronous is enough; no clocks, no timing); it inherits the properties of
//! the link `L` below (perfect links by default). Property: LC1 clock condition, e → f ⇒
//! L(e) < L(f). Not the converse (B-10.2): concurrent events are ordered arbitrarily.
//!
//! ```text
//! upon event ⟨ Init ⟩ do l := 0
//! upon event ⟨ lc, Send | q, m ⟩ do l := l + 1; trigger ⟨ pl, Send | q, [l, m] ⟩
//! upon event ⟨ pl, Deliver | p, [t, m] ⟩ do l := max(l, t) + 1; trigger ⟨ lc, Deliver | p, m ⟩
//! ```

use super::{stamp_event, Side, Timestamped};
use automata::{Ctx, Module, Payload, Time};
use links::{Deliver, Link, PerfectLinks, Send};
use std::marker::PhantomData;

/// Lamport clock over any link `L` (perfect links by default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LamportClock<
    P: Payload,
    L: Link<Timestamped<P, u64>> = PerfectLinks<Timestamped<P, u64>>,
> {
    link: L,
    /// `l`: the logical clock.
    l: u64,
    /// Number of the next message sent (names it in the trace).
    next: u64,
    /// `false` only in the B-10.1 mutant ([`super::mutants::NoMaxLamportClock`]).
    pub(crate) take_max: bool,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, L: Link<Timestamped<P, u64>>] LamportClock<P, L>;
    /// Slot of the link below.
    Pl(link: L) => on_pl_deliver;
}

impl<P: Payload> LamportClock<P> {
    /// Over perfect links retransmitting every `period` ticks.
    pub fn new(period: Time) -> Self {
        LamportClock::over(PerfectLinks::new(period))
    }
}

impl<P: Payload, L: Link<Timestamped<P, u64>>> LamportClock<P, L> {
    pub fn over(link: L) -> Self {
        LamportClock {
            link,
            l: 0,
            next: 0,
            take_max: true,
            _payload: PhantomData,
        }
    }

    /// The clock's current value.
    pub fn time(&self) -> u64 {
        self.l
    }

    // ANCHOR: deliver
    /// `upon event ⟨ pl, Deliver | p, [t, m] ⟩ do l := max(l, t) + 1`.
    fn on_pl_deliver(
        &mut self,
        ctx: &mut Ctx<Self>,
        Deliver { from, msg }: Deliver<Timestamped<P, u64>>,
    ) {
        self.l = if self.take_max {
            self.l.max(msg.ts)
        } else {
            self.l
        } + 1;
        stamp_event(ctx, Side::Receive, from, msg.seq, &self.l);
        ctx.indicate(Deliver { from, msg: msg.msg });
    }
    // ANCHOR_END: deliver
}

impl<P: Payload, L: Link<Timestamped<P, u64>>> Module for LamportClock<P, L> {
    const NAME: &'static str = "lc";
    type Req = Send<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(Pl: L);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.l = 0;
        ctx.init(self, Pl);
    }

    // ANCHOR: send
    /// `upon event ⟨ lc, Send | q, m ⟩ do l := l + 1; trigger ⟨ pl, Send | q, [l, m] ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Send { to, msg }: Send<P>) {
        self.l += 1;
        let seq = self.next;
        self.next += 1;
        stamp_event(ctx, Side::Send, ctx.me(), seq, &self.l);
        let ts = self.l;
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
    id: "lamport-clock", abstraction: "lc", params: &[PERIOD],
    model: "any (asynchronous is enough), over perfect links",
    summary: "Lamport 1978: l := l + 1 before a send, l := max(l, t) + 1 on delivery",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| LamportClock::<Value>::new(period), send)
    };
};
