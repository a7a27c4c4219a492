//! Logged best-effort broadcast `lbeb` by Logged Basic Broadcast (CGR Module 3.5,
//! Algorithm 3.7).
//!
//! Algorithm id: `logged-best-effort-broadcast`.
//!
//! Model: fail-recovery (crash-recovery with stable storage). Uses any stubborn best-effort
//! broadcast below it (Basic Stubborn Broadcast, [`crate::stubborn`], by default). Properties:
//! LBEB1 validity (a message broadcast by a process that never crashes is eventually
//! log-delivered by every correct process), LBEB2 no duplication (a message enters `delivered`
//! at most once, across crashes and recoveries), LBEB3 no creation. Delivering means adding to
//! `delivered` in stable storage, *then* notifying; the trace shows each addition as a
//! `Deliver`. Over a best-effort broadcast that does not retransmit (Basic Broadcast over the
//! bare network), a process that is down when a message arrives never log-delivers it: LBEB1
//! fails.

use crate::interface::{Broadcast, BroadcastModule, Deliver, Unique};
use crate::stubborn::StubbornBroadcast;
use automata::{Below, Ctx, Module, Payload, Pid, Time};
use links::Delivered;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::BTreeMap;
use std::marker::PhantomData;

/// Stable-storage keys.
const DELIVERED: &str = "delivered";
const LSN: &str = "lsn";

/// Logged Basic Broadcast over any stubborn best-effort broadcast `S` of unique messages.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LoggedBestEffortBroadcast<
    P: Payload,
    S: BroadcastModule<Unique<P>> = StubbornBroadcast<Unique<P>>,
> {
    sbeb: S,
    /// Sequence number of this process's next broadcast (stable).
    lsn: u64,
    /// `delivered`: the messages log-delivered, by id (stable).
    delivered: BTreeMap<(Pid, u64), P>,
    _payload: PhantomData<P>,
}

/// Slot of the stubborn best-effort broadcast.
#[derive(Clone, Copy, Debug)]
pub struct Sbeb;

impl<P, S> Below<LoggedBestEffortBroadcast<P, S>> for Sbeb
where
    P: Payload + Serialize + DeserializeOwned,
    S: BroadcastModule<Unique<P>>,
{
    type Lower = S;
    const NAME: &'static str = "sbeb";
    fn lower(b: &mut LoggedBestEffortBroadcast<P, S>) -> &mut S {
        &mut b.sbeb
    }
    fn wrap_msg(msg: S::Msg) -> S::Msg {
        msg
    }
    fn wrap_timer(t: S::Timer) -> S::Timer {
        t
    }
    fn indication(
        b: &mut LoggedBestEffortBroadcast<P, S>,
        ctx: &mut Ctx<LoggedBestEffortBroadcast<P, S>>,
        d: Deliver<Unique<P>>,
    ) {
        b.on_sbeb_deliver(ctx, d.msg);
    }
}

impl<P: Payload + Serialize + DeserializeOwned> LoggedBestEffortBroadcast<P> {
    /// Logged Basic Broadcast over Basic Stubborn Broadcast with retransmission period
    /// `period`.
    pub fn new(period: Time) -> Self {
        LoggedBestEffortBroadcast::over(StubbornBroadcast::new(period))
    }
}

impl<P, S> LoggedBestEffortBroadcast<P, S>
where
    P: Payload + Serialize + DeserializeOwned,
    S: BroadcastModule<Unique<P>>,
{
    /// Logged Basic Broadcast over the given stubborn best-effort broadcast.
    pub fn over(sbeb: S) -> Self {
        LoggedBestEffortBroadcast {
            sbeb,
            lsn: 0,
            delivered: BTreeMap::new(),
            _payload: PhantomData,
        }
    }

    fn store_delivered(&self, ctx: &mut Ctx<Self>) {
        let log: Vec<(&(Pid, u64), &P)> = self.delivered.iter().collect();
        ctx.store(DELIVERED, &log);
    }

    /// `upon event ⟨ sbeb, Deliver | p, [DATA, s, m] ⟩ do if (s, m) ∉ delivered then
    /// delivered := delivered ∪ {(s, m)}; store(delivered); trigger ⟨ lbeb, Deliver | delivered ⟩`.
    fn on_sbeb_deliver(&mut self, ctx: &mut Ctx<Self>, m: Unique<P>) {
        if self.delivered.contains_key(&m.id()) {
            return;
        }
        self.delivered.insert(m.id(), m.msg.clone());
        self.store_delivered(ctx);
        ctx.indicate(Delivered {
            added: Some(links::Deliver {
                from: m.sender,
                msg: m.msg,
            }),
            size: self.delivered.len(),
        });
    }
}

impl<P, S> Module for LoggedBestEffortBroadcast<P, S>
where
    P: Payload + Serialize + DeserializeOwned,
    S: BroadcastModule<Unique<P>>,
{
    const NAME: &'static str = "lbeb";
    type Req = Broadcast<P>;
    type Ind = Delivered<P>;
    type Msg = S::Msg;
    type Timer = S::Timer;

    /// `upon event ⟨ lbeb, Init ⟩ do delivered := ∅; store(delivered)`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.delivered.clear();
        self.lsn = 0;
        self.store_delivered(ctx);
        ctx.store(LSN, &self.lsn);
        ctx.init(self, Sbeb);
    }

    /// `upon event ⟨ lbeb, Recovery ⟩ do retrieve(delivered);
    /// trigger ⟨ lbeb, Deliver | delivered ⟩`.
    fn on_recovery(&mut self, ctx: &mut Ctx<Self>) {
        let log: Vec<((Pid, u64), P)> = ctx.retrieve(DELIVERED).unwrap_or_default();
        self.delivered = log.into_iter().collect();
        self.lsn = ctx.retrieve(LSN).unwrap_or(0);
        ctx.recover(self, Sbeb);
        ctx.indicate(Delivered {
            added: None,
            size: self.delivered.len(),
        });
    }

    /// `upon event ⟨ lbeb, Broadcast | m ⟩ do trigger ⟨ sbeb, Broadcast | [DATA, self, m] ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let sn = self.lsn;
        self.lsn += 1;
        ctx.store(LSN, &self.lsn);
        let msg = Unique {
            sender: ctx.me(),
            sn,
            msg,
        };
        ctx.trigger(self, Sbeb, Broadcast { msg });
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: S::Msg) {
        ctx.pass_message(self, Sbeb, from, msg);
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Self::Timer) {
        ctx.pass_timer(self, Sbeb, timer);
    }
}
