//! (Regular) reliable broadcast `rb` by Eager Reliable Broadcast (CGR Module 3.2,
//! Algorithm 3.3).
//!
//! Algorithm id: `eager-reliable-broadcast`.
//!
//! Model: fail-silent (crash-stop, perfect links, no failure detector), any number of crashes.
//! Uses any best-effort broadcast below it. Properties: RB1 validity, RB2 no duplication, RB3
//! no creation, RB4 agreement (if a correct process delivers m, every correct process
//! delivers m). Not uniform: a process may deliver m and crash before its relay leaves, so no
//! correct process ever delivers m (book §6.3, B-6.2). Cost: one step, N² messages.
//!
//! Every process relays every message the first time it delivers it, so if any correct process
//! delivers m, its relay reaches every correct process.

use crate::best_effort::BestEffortBroadcast;
use crate::interface::{Broadcast, BroadcastModule, Deliver, Unique};
use automata::{Ctx, Module, Payload, Pid, Time};
use std::collections::BTreeSet;
use std::marker::PhantomData;

/// Eager Reliable Broadcast over any best-effort broadcast `B` of unique messages (Basic
/// Broadcast over perfect links by default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EagerReliableBroadcast<
    P: Payload,
    B: BroadcastModule<Unique<P>> = BestEffortBroadcast<Unique<P>>,
> {
    beb: B,
    /// Sequence number of this process's next broadcast (makes messages unique).
    lsn: u64,
    /// `delivered`: the ids (s, sn) of every message delivered so far.
    delivered: BTreeSet<(Pid, u64)>,
    /// Mutant switches, both `true` in the book's algorithm: without the relay it is
    /// best-effort broadcast with de-duplication (caught by RB4 agreement when a sender crashes
    /// mid-broadcast); without `if m ∉ delivered` around the delivery it delivers every copy
    /// (caught by RB2 no-duplication).
    relay: bool,
    dedup: bool,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, B: BroadcastModule<Unique<P>>] EagerReliableBroadcast<P, B>;
    /// Slot of the best-effort broadcast below.
    Beb(beb: B) => on_beb_deliver;
}

impl<P: Payload> EagerReliableBroadcast<P> {
    /// Eager Reliable Broadcast over Basic Broadcast over perfect links with retransmission
    /// period `period`.
    pub fn new(period: Time) -> Self {
        EagerReliableBroadcast::over(BestEffortBroadcast::new(period))
    }
}

impl<P: Payload, B: BroadcastModule<Unique<P>>> EagerReliableBroadcast<P, B> {
    /// Eager Reliable Broadcast over the given best-effort broadcast.
    pub fn over(beb: B) -> Self {
        EagerReliableBroadcast {
            beb,
            lsn: 0,
            delivered: BTreeSet::new(),
            relay: true,
            dedup: true,
            _payload: PhantomData,
        }
    }

    /// MUTANT: never relays (`eager-rb-no-relay`).
    pub fn without_relay(self) -> Self {
        EagerReliableBroadcast {
            relay: false,
            ..self
        }
    }

    /// MUTANT: delivers every copy it receives, still relaying once (`eager-rb-no-dedup`).
    pub fn delivering_every_copy(self) -> Self {
        EagerReliableBroadcast {
            dedup: false,
            ..self
        }
    }

    // ANCHOR: relay
    /// `upon event ⟨ beb, Deliver | p, [DATA, s, m] ⟩ do if m ∉ delivered then
    /// delivered := delivered ∪ {m}; trigger ⟨ rb, Deliver | s, m ⟩;
    /// trigger ⟨ beb, Broadcast | [DATA, s, m] ⟩`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { msg, .. }: Deliver<Unique<P>>) {
        let first = self.delivered.insert(msg.id());
        if first || !self.dedup {
            ctx.indicate(Deliver {
                from: msg.sender,
                msg: msg.msg.clone(),
            });
        }
        if first && self.relay {
            ctx.trigger(self, Beb, Broadcast { msg });
        }
    }
    // ANCHOR_END: relay
}

impl<P: Payload, B: BroadcastModule<Unique<P>>> Module for EagerReliableBroadcast<P, B> {
    const NAME: &'static str = "rb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(Beb: B);

    /// `upon event ⟨ rb, Init ⟩ do delivered := ∅`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.delivered.clear();
        ctx.init(self, Beb);
    }

    /// `upon event ⟨ rb, Broadcast | m ⟩ do trigger ⟨ beb, Broadcast | [DATA, self, m] ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let sn = self.lsn;
        self.lsn += 1;
        let msg = Unique {
            sender: ctx.me(),
            sn,
            msg,
        };
        ctx.trigger(self, Beb, Broadcast { msg });
    }
}

use crate::abstractions::{broadcast, PERIOD};
use automata::Value;
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "eager-reliable-broadcast", abstraction: "rb", params: &[PERIOD],
    model: "fail-silent, any f",
    summary: "Eager Reliable Broadcast (CGR 3.3): relay every message on first delivery",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| EagerReliableBroadcast::<Value>::new(period), broadcast)
    };

    id: "eager-rb-no-relay", abstraction: "rb", params: &[PERIOD], mutant: true,
    model: "fail-silent",
    summary: "MUTANT: Eager Reliable Broadcast that never relays",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| EagerReliableBroadcast::<Value>::new(period).without_relay(), broadcast)
    };

    id: "eager-rb-no-dedup", abstraction: "rb", params: &[PERIOD], mutant: true,
    model: "fail-silent",
    summary: "MUTANT: Eager Reliable Broadcast that delivers every relayed copy",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| EagerReliableBroadcast::<Value>::new(period).delivering_every_copy(), broadcast)
    };
};
