//! Stubborn best-effort broadcast `sbeb` by Basic Stubborn Broadcast (CGR Module 3.4,
//! Algorithm 3.6).
//!
//! Algorithm id: `stubborn-broadcast`.
//!
//! Model: fail-recovery (crash-recovery, no stable storage needed) or any crash-stop model,
//! over stubborn links (Retransmit Forever over the fair-loss network by default; any
//! [`links::Link`] fits the type, and with one that does not retransmit the promise is lost).
//! Properties: SBEB1 best-effort validity (if a process that never crashes broadcasts m, every
//! correct process delivers m infinitely often; in a finite run: at least once, and again in
//! the final settle window), SBEB2 no creation. There is no no-duplication property: delivering
//! every retransmission is the point. It is the building block of the logged broadcasts
//! ([`crate::logged_best_effort`], [`crate::logged_majority_ack`]), which de-duplicate with a
//! log in stable storage.
//!
//! The algorithm is Basic Broadcast with stubborn links in place of perfect links: send to
//! every process, deliver whatever arrives. A process that crashes and recovers starts
//! afresh (its stubborn links forget what they were retransmitting): CGR's property speaks of
//! senders that never crash.

use crate::interface::{Broadcast, Deliver};
use automata::{Ctx, Module, Payload, Time};
use links::{Link, Send, StubbornLinks};
use std::marker::PhantomData;

/// Basic Stubborn Broadcast over any link `L` (Retransmit Forever by default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StubbornBroadcast<P: Payload, L: Link<P> = StubbornLinks<P>> {
    sl: L,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, L: Link<P>] StubbornBroadcast<P, L>;
    /// Slot of the stubborn link below.
    Sl(sl: L) => on_sl_deliver;
}

impl<P: Payload> StubbornBroadcast<P> {
    /// Basic Stubborn Broadcast over Retransmit Forever with retransmission period `period`
    /// (the `period` parameter, default 10).
    pub fn new(period: Time) -> Self {
        StubbornBroadcast::over(StubbornLinks::new(period))
    }
}

impl<P: Payload, L: Link<P>> StubbornBroadcast<P, L> {
    /// Basic Stubborn Broadcast over the given link.
    pub fn over(sl: L) -> Self {
        StubbornBroadcast {
            sl,
            _payload: PhantomData,
        }
    }

    /// `upon event ⟨ sl, Deliver | p, m ⟩ do trigger ⟨ sbeb, Deliver | p, m ⟩`.
    fn on_sl_deliver(
        &mut self,
        ctx: &mut Ctx<Self>,
        links::Deliver { from, msg }: links::Deliver<P>,
    ) {
        ctx.indicate(Deliver { from, msg });
    }
}

impl<P: Payload, L: Link<P>> Module for StubbornBroadcast<P, L> {
    const NAME: &'static str = "sbeb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(Sl: L);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Sl);
    }

    /// `upon event ⟨ sbeb, Recovery ⟩`: nothing of its own to retrieve; the link below
    /// recovers as it does (Retransmit Forever starts afresh, with nothing to retransmit).
    fn on_recovery(&mut self, ctx: &mut Ctx<Self>) {
        ctx.recover(self, Sl);
    }

    // ANCHOR: broadcast
    /// `upon event ⟨ sbeb, Broadcast | m ⟩ do forall q ∈ Π do trigger ⟨ sl, Send | q, m ⟩`
    /// (in rank order, as Basic Broadcast).
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        for q in ctx.processes() {
            ctx.trigger(
                self,
                Sl,
                Send {
                    to: q,
                    msg: msg.clone(),
                },
            );
        }
    }
    // ANCHOR_END: broadcast
}

use crate::abstractions::{broadcast, PERIOD_SL};
use automata::Value;
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "stubborn-broadcast", abstraction: "sbeb", params: &[PERIOD_SL],
    model: "fail-recovery (or any crash-stop model), fair-loss network",
    summary: "Basic Stubborn Broadcast (CGR 3.6): send to every process over stubborn links, deliver every copy",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| StubbornBroadcast::<Value>::new(period), broadcast)
    };
};
