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
use automata::{Ctx, Module, Payload, Pid, Time};
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

automata::below! {
    impl[P: Payload + Serialize + DeserializeOwned, S: BroadcastModule<Unique<P>>]
        LoggedBestEffortBroadcast<P, S>;
    /// Slot of the stubborn best-effort broadcast.
    Sbeb(sbeb: S) as "sbeb" => on_sbeb_deliver;
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
    fn on_sbeb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { msg: m, .. }: Deliver<Unique<P>>) {
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
    automata::pass_through!(Sbeb: S);

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
}

use crate::abstractions::{broadcast, PERIOD_SL};
use automata::Value;
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "logged-best-effort-broadcast", abstraction: "lbeb", params: &[PERIOD_SL],
    model: "fail-recovery (crash-recovery, stable storage)",
    summary: "Logged Basic Broadcast (CGR 3.7): stubborn broadcast, log `delivered` before notifying",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| LoggedBestEffortBroadcast::<Value>::new(period), broadcast)
    };
};
