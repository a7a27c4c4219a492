//! Best-effort broadcast `beb` by Basic Broadcast (CGR Module 3.1, Algorithm 3.1).
//!
//! Algorithm id: `best-effort-broadcast`.
//!
//! Model: any crash-stop model (fail-stop, fail-noisy, fail-silent) over perfect links (any
//! [`links::Link`] fits the type; with a weaker one, validity is lost). Properties: BEB1
//! validity (if a correct process broadcasts m, every correct process eventually delivers m),
//! BEB2 no duplication, BEB3 no creation. Cost: one communication step, N messages.
//!
//! Nothing is promised when the sender crashes in the middle of its broadcast: some processes
//! deliver, others never do (book §6.1, B-6.1).

use crate::interface::{Broadcast, Deliver};
use automata::{Ctx, Module, Payload, Time};
use links::{Link, PerfectLinks, Send};
use std::marker::PhantomData;

/// Basic Broadcast over any link `L` (Eliminate Duplicates over Retransmit Forever by default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BestEffortBroadcast<P: Payload, L: Link<P> = PerfectLinks<P>> {
    pl: L,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, L: Link<P>] BestEffortBroadcast<P, L>;
    /// Slot of the perfect link below.
    Pl(pl: L) => on_pl_deliver;
}

impl<P: Payload> BestEffortBroadcast<P> {
    /// Basic Broadcast over Eliminate Duplicates over Retransmit Forever with retransmission
    /// period `period` (the `period` parameter, default 10).
    pub fn new(period: Time) -> Self {
        BestEffortBroadcast::over(PerfectLinks::new(period))
    }
}

impl<P: Payload, L: Link<P>> BestEffortBroadcast<P, L> {
    /// Basic Broadcast over the given link.
    pub fn over(pl: L) -> Self {
        BestEffortBroadcast {
            pl,
            _payload: PhantomData,
        }
    }

    // ANCHOR: deliver
    /// `upon event ⟨ pl, Deliver | p, m ⟩ do trigger ⟨ beb, Deliver | p, m ⟩`.
    fn on_pl_deliver(
        &mut self,
        ctx: &mut Ctx<Self>,
        links::Deliver { from, msg }: links::Deliver<P>,
    ) {
        ctx.indicate(Deliver { from, msg });
    }
    // ANCHOR_END: deliver
}

impl<P: Payload, L: Link<P>> Module for BestEffortBroadcast<P, L> {
    const NAME: &'static str = "beb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(Pl: L);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Pl);
    }

    // ANCHOR: broadcast
    /// `upon event ⟨ beb, Broadcast | m ⟩ do forall q ∈ Π do trigger ⟨ pl, Send | q, m ⟩`
    /// (in rank order: a crash after k sends reaches exactly the first k processes).
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        for q in ctx.processes() {
            ctx.trigger(
                self,
                Pl,
                Send {
                    to: q,
                    msg: msg.clone(),
                },
            );
        }
    }
    // ANCHOR_END: broadcast
}

use crate::abstractions::{broadcast, PERIOD};
use automata::Value;
use catalogue::{job, Algorithm};
use links::FairLossLinks;

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "best-effort-broadcast", abstraction: "beb", params: &[PERIOD],
    model: "crash-stop (fail-stop, fail-noisy, fail-silent)",
    summary: "Basic Broadcast (CGR 3.1): send to every process over perfect links",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| BestEffortBroadcast::<Value>::new(period), broadcast)
    };

    id: "best-effort-broadcast-fair-loss", abstraction: "beb", mutant: true,
    model: "needs perfect links: over fair-loss links validity is lost",
    summary: "MUTANT: Basic Broadcast straight over the fair-loss network",
    build: |l, p| {
        job(
            l,
            p,
            |_| BestEffortBroadcast::<Value, FairLossLinks<Value>>::over(FairLossLinks::default()),
            broadcast,
        )
    };
};
