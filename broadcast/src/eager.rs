//! (Regular) reliable broadcast `rb` by Eager Reliable Broadcast (CGR Module 3.2,
//! Algorithm 3.3).
//!
//! Algorithm id: `eager-reliable-broadcast`.
//!
//! Model: fail-silent (crash-stop, perfect links, no failure detector), any number of crashes.
//! Uses any best-effort broadcast below it. Properties: RB1 validity, RB2 no duplication, RB3
//! no creation, RB4 agreement (if a correct process delivers m, every correct process
//! delivers m). Not uniform: a process may deliver m and crash before its relay leaves, so no
//! correct process ever delivers m (CATALOGUE.md B-6.2). Cost: one step, N² messages.
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
            _payload: PhantomData,
        }
    }

    // ANCHOR: relay
    /// `upon event ⟨ beb, Deliver | p, [DATA, s, m] ⟩ do if m ∉ delivered then
    /// delivered := delivered ∪ {m}; trigger ⟨ rb, Deliver | s, m ⟩;
    /// trigger ⟨ beb, Broadcast | [DATA, s, m] ⟩`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { msg, .. }: Deliver<Unique<P>>) {
        if self.delivered.insert(msg.id()) {
            ctx.indicate(Deliver {
                from: msg.sender,
                msg: msg.msg.clone(),
            });
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
