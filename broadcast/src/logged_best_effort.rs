//! Logged best-effort broadcast `lbeb` by Logged Basic Broadcast (CGR Module 3.5,
//! Algorithm 3.6).
//!
//! Algorithm id: `logged-best-effort-broadcast`.
//!
//! Model: fail-recovery (crash-recovery with stable storage). Uses stubborn best-effort
//! broadcast (Basic Broadcast over stubborn links). Properties: LBEB1 validity (a message
//! broadcast by a process that never crashes is eventually log-delivered by every correct
//! process), LBEB2 no duplication (a message enters `delivered` at most once, across crashes and
//! recoveries), LBEB3 no creation. Delivering means adding to `delivered` in stable storage,
//! *then* notifying; the trace shows each addition as a `Deliver`.

use crate::interface::{Broadcast, Unique};
use crate::logged_majority_ack::StubbornBroadcast;
use crate::BestEffortBroadcast;
use automata::{Below, Ctx, Module, Payload, Pid, Time};
use links::{Delivered, StubbornLinks};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::BTreeMap;

/// Stable-storage keys.
const DELIVERED: &str = "delivered";
const LSN: &str = "lsn";

/// Logged Basic Broadcast over stubborn best-effort broadcast.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LoggedBestEffortBroadcast<P: Payload> {
    sbeb: StubbornBroadcast<Unique<P>>,
    /// Sequence number of this process's next broadcast (stable).
    lsn: u64,
    /// `delivered`: the messages log-delivered, by id (stable).
    delivered: BTreeMap<(Pid, u64), P>,
}

/// Slot of the stubborn best-effort broadcast.
#[derive(Clone, Copy, Debug)]
pub struct Sbeb;

impl<P: Payload + Serialize + DeserializeOwned> Below<LoggedBestEffortBroadcast<P>> for Sbeb {
    type Lower = StubbornBroadcast<Unique<P>>;
    const NAME: &'static str = "sbeb";
    fn lower(b: &mut LoggedBestEffortBroadcast<P>) -> &mut Self::Lower {
        &mut b.sbeb
    }
    fn wrap_msg(msg: Unique<P>) -> Unique<P> {
        msg
    }
    fn wrap_timer(t: <Self::Lower as Module>::Timer) -> <Self::Lower as Module>::Timer {
        t
    }
    fn indication(
        b: &mut LoggedBestEffortBroadcast<P>,
        ctx: &mut Ctx<LoggedBestEffortBroadcast<P>>,
        d: crate::interface::Deliver<Unique<P>>,
    ) {
        b.on_sbeb_deliver(ctx, d.msg);
    }
}

impl<P: Payload + Serialize + DeserializeOwned> LoggedBestEffortBroadcast<P> {
    /// Logged Basic Broadcast over stubborn links with retransmission period `period`.
    pub fn new(period: Time) -> Self {
        LoggedBestEffortBroadcast {
            sbeb: BestEffortBroadcast::over(StubbornLinks::new(period)),
            lsn: 0,
            delivered: BTreeMap::new(),
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

impl<P: Payload + Serialize + DeserializeOwned> Module for LoggedBestEffortBroadcast<P> {
    const NAME: &'static str = "lbeb";
    type Req = Broadcast<P>;
    type Ind = Delivered<P>;
    type Msg = Unique<P>;
    type Timer = <StubbornBroadcast<Unique<P>> as Module>::Timer;

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

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Unique<P>) {
        ctx.pass_message(self, Sbeb, from, msg);
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Self::Timer) {
        ctx.pass_timer(self, Sbeb, timer);
    }
}
