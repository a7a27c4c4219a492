//! Deliberately broken broadcasts: each one exists to show that a monitor catches a bug
//! (the B labels of book §1.5: every monitor ships with a mutant it provably catches).
//!
//! A mutant that changes one line of a real algorithm is a switch on that algorithm, named
//! MUTANT in its file: the module here is a layer of its own.
//!
//! | mutant (id) | what is wrong | property that catches it |
//! |---|---|---|
//! | [`crate::EagerReliableBroadcast::without_relay`] (`eager-rb-no-relay`) | Eager Reliable Broadcast that never relays | RB4 agreement |
//! | [`crate::EagerReliableBroadcast::delivering_every_copy`] (`eager-rb-no-dedup`) | delivers every copy, not only the first | RB2 no-duplication |
//! | [`ForgingBeb`] (`beb-forging`) | names the wrong process as the sender | BEB3 no-creation |
//! | [`crate::FifoReliableBroadcast::hasty`] (`fifo-broadcast-hasty`) | delivers on arrival, ignoring sequence numbers | FRB5 fifo-delivery |
//! | [`crate::WaitingCausalBroadcast::comparing_sender_only`] (`waiting-causal-sender-only`) | compares only the sender's vector entry (B-6.7) | CRB5 causal-delivery |
//!
//! Models too weak for a correct algorithm show the other monitors: Basic Broadcast over
//! fair-loss links on a lossy network loses BEB1 validity, Majority-Ack with N ≤ 2f loses RB1
//! validity (B-6.4), Basic Broadcast with a sender crashing mid-broadcast loses RB4 agreement
//! (B-6.1), Eager Reliable Broadcast loses URB4 uniform agreement (B-6.2), FIFO broadcast loses
//! CRB5 (B-6.6), Basic Broadcast over perfect links loses SBEB1 best-effort validity (it
//! delivers once, never again), Logged Basic Broadcast over a broadcast that does not
//! retransmit loses LBEB1, and garbage collection of the causal past over ◇P loses CRB5. The
//! logged mutant of B-6.9 is an option of [`crate::LoggedMajorityAckUrb`]
//! (`volatile_delivered`), and the garbage collection that trims a message from the causal past
//! as soon as it is delivered (CRB5) an option of [`crate::GcCausalBroadcast`]
//! (`trimming_at_delivery`).

use crate::best_effort::BestEffortBroadcast;
use crate::interface::{Broadcast, BroadcastModule, Deliver};
use automata::{Ctx, Module, Payload, Time};
use std::marker::PhantomData;

/// Mutant of Basic Broadcast (CGR 3.1) that reports each message as broadcast by the next
/// process in rank order. Caught by BEB3 no-creation (with n ≥ 2). NAME `beb`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ForgingBeb<P: Payload, B: BroadcastModule<P> = BestEffortBroadcast<P>> {
    beb: B,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, B: BroadcastModule<P>] ForgingBeb<P, B>;
    /// Slot of the module below.
    ForgeBeb(beb: B) => on_beb_deliver;
}

impl<P: Payload> ForgingBeb<P> {
    pub fn new(period: Time) -> Self {
        ForgingBeb::over(BestEffortBroadcast::new(period))
    }
}

impl<P: Payload, B: BroadcastModule<P>> ForgingBeb<P, B> {
    pub fn over(beb: B) -> Self {
        ForgingBeb {
            beb,
            _payload: PhantomData,
        }
    }

    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<P>) {
        // The bug: the wrong sender.
        let from = (from + 1) % ctx.n();
        ctx.indicate(Deliver { from, msg });
    }
}

impl<P: Payload, B: BroadcastModule<P>> Module for ForgingBeb<P, B> {
    const NAME: &'static str = "beb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(ForgeBeb: B);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, ForgeBeb);
    }

    fn on_request(&mut self, ctx: &mut Ctx<Self>, req: Broadcast<P>) {
        ctx.trigger(self, ForgeBeb, req);
    }
}

use crate::abstractions::{broadcast, PERIOD};
use automata::Value;
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "beb-forging", abstraction: "beb", params: &[PERIOD], mutant: true,
    model: "crash-stop",
    summary: "MUTANT: Basic Broadcast that names the next process as the sender",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| ForgingBeb::<Value>::new(period), broadcast)
    };
};
