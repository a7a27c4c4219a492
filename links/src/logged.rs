//! Logged perfect links `lpl` by Log Delivered (CGR Module 2.4, Algorithm 2.3).
//!
//! Algorithm id: `logged-perfect-links`.
//!
//! Model: fail-recovery (crash-recovery with stable storage) over a fair-loss network, through
//! stubborn links. Properties: LPL1 reliable delivery (a message a never-crashed process sends
//! to a correct process is eventually log-delivered), LPL2 no duplication (a message enters
//! `delivered` at most once, across all crashes and recoveries), LPL3 no creation.
//!
//! In crash-recovery a process forgets everything on a crash, so "delivering" a message means
//! adding it to a set `delivered` kept in stable storage: the indication `⟨ Deliver |
//! delivered ⟩` says that set changed, and the layer above reads it (its owner through
//! [`LoggedPerfectLinks::delivered`]). The set is stored *before* the notification: a crash
//! between the two then loses the notification, never the log, so nothing is delivered twice.
//!
//! **How the trace shows it.** A `Deliver | delivered` indication that adds message `m` from `p`
//! (a *log-delivery*) appears in the trace as `Event::Deliver { from: p, msg: m }` of module
//! `lpl`, so the link monitors (no-duplication, no-creation, `ReliableDelivery::logged`) check
//! LPL1-LPL3 exactly as they check PL1-PL3. The notification after a recovery adds nothing and
//! appears as `Event::Other { name: "delivered", value: <size of the log> }`, which those
//! monitors ignore.
//!
//! Messages are made unique (the book assumes they are) by tagging each with the sender's
//! incarnation (how many times it recovered, kept in stable storage) and a sequence number.

use crate::interface::{Deliver, Link, Send};
use crate::stubborn::StubbornLinks;
use automata::{Ctx, Event, Module, Observe, Payload, Pid, Time, ToValue, Value};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;

/// A payload with the stamp that makes it unique: the sender's incarnation and sequence number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamped<P> {
    /// How many times the sender had recovered when it sent this.
    pub incarnation: u64,
    /// Per-incarnation sequence number.
    pub seq: u64,
    pub msg: P,
}

impl<P: ToValue> ToValue for Stamped<P> {
    fn to_value(&self) -> Value {
        Value::List(vec![
            Value::Int(self.incarnation as i64),
            Value::Int(self.seq as i64),
            self.msg.to_value(),
        ])
    }
}

/// The identity of a log entry: (sender, incarnation, sequence number).
pub type Uid = (Pid, u64, u64);

/// Indication `⟨ lpl, Deliver | delivered ⟩`: the stable set `delivered` changed.
///
/// `added` is the message that just entered it (a log-delivery, traced as `Deliver`), or `None`
/// for the notification after a recovery (traced as `Other { name: "delivered" }`); `size` is
/// the number of messages in `delivered` now.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Delivered<P> {
    pub added: Option<Deliver<P>>,
    pub size: usize,
}

impl<P: ToValue> Observe for Delivered<P> {
    fn observe(&self) -> Option<Event> {
        Some(match &self.added {
            Some(d) => Event::Deliver {
                from: d.from,
                msg: d.msg.to_value(),
            },
            None => Event::Other {
                name: Cow::Borrowed("delivered"),
                value: Value::Int(self.size as i64),
            },
        })
    }
}

/// Stable-storage keys.
const DELIVERED: &str = "delivered";
const INCARNATION: &str = "incarnation";

/// Log Delivered over any link `L` carrying stamped payloads (stubborn links by default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LoggedPerfectLinks<P: Payload, L: Link<Stamped<P>> = StubbornLinks<Stamped<P>>> {
    sl: L,
    /// `delivered`: every message log-delivered so far, by its identity (stable).
    delivered: BTreeMap<Uid, P>,
    /// This process's incarnation (stable: incremented and stored at each recovery).
    incarnation: u64,
    /// Sequence number of the next message sent in this incarnation.
    next: u64,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload + Serialize + DeserializeOwned, L: Link<Stamped<P>>] LoggedPerfectLinks<P, L>;
    /// Slot of the stubborn link below.
    Sl(sl: L) => on_sl_deliver;
}

impl<P: Payload + Serialize + DeserializeOwned> LoggedPerfectLinks<P> {
    /// Log Delivered over Retransmit Forever with retransmission period `period` (the `period`
    /// parameter, default 10).
    pub fn new(period: Time) -> Self {
        LoggedPerfectLinks::over(StubbornLinks::new(period))
    }
}

impl<P, L> LoggedPerfectLinks<P, L>
where
    P: Payload + Serialize + DeserializeOwned,
    L: Link<Stamped<P>>,
{
    /// Log Delivered over the given link.
    pub fn over(sl: L) -> Self {
        LoggedPerfectLinks {
            sl,
            delivered: BTreeMap::new(),
            incarnation: 0,
            next: 0,
            _payload: PhantomData,
        }
    }

    /// The set `delivered`, as the layer above reads it: (sender, message) in stamp order.
    pub fn delivered(&self) -> impl Iterator<Item = (Pid, &P)> + '_ {
        self.delivered.iter().map(|(&(p, _, _), m)| (p, m))
    }

    /// `store(delivered)`: the log as a list, since JSON maps need string keys.
    fn store_delivered(&self, ctx: &mut Ctx<Self>) {
        let log: Vec<(&Uid, &P)> = self.delivered.iter().collect();
        ctx.store(DELIVERED, &log);
    }

    // ANCHOR: deliver
    /// `upon event ⟨ sl, Deliver | p, m ⟩ do if not exists (p', m') ∈ delivered such that
    /// m' = m then delivered := delivered ∪ {(p, m)}; store(delivered);
    /// trigger ⟨ lpl, Deliver | delivered ⟩`.
    fn on_sl_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Stamped<P>>) {
        let uid = (from, msg.incarnation, msg.seq);
        if self.delivered.contains_key(&uid) {
            return;
        }
        self.delivered.insert(uid, msg.msg.clone());
        self.store_delivered(ctx);
        ctx.indicate(Delivered {
            added: Some(Deliver { from, msg: msg.msg }),
            size: self.delivered.len(),
        });
    }
    // ANCHOR_END: deliver
}

impl<P, L> Module for LoggedPerfectLinks<P, L>
where
    P: Payload + Serialize + DeserializeOwned,
    L: Link<Stamped<P>>,
{
    const NAME: &'static str = "lpl";
    type Req = Send<P>;
    type Ind = Delivered<P>;
    automata::pass_through!(Sl: L);

    /// `upon event ⟨ lpl, Init ⟩ do delivered := ∅; store(delivered)`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.delivered.clear();
        self.incarnation = 0;
        self.next = 0;
        self.store_delivered(ctx);
        ctx.store(INCARNATION, &self.incarnation);
        ctx.init(self, Sl);
    }

    // ANCHOR: recovery
    /// `upon event ⟨ lpl, Recovery ⟩ do retrieve(delivered); trigger ⟨ lpl, Deliver |
    /// delivered ⟩` (and the stubborn link below starts afresh: its `sent` was volatile).
    fn on_recovery(&mut self, ctx: &mut Ctx<Self>) {
        let log: Vec<(Uid, P)> = ctx.retrieve(DELIVERED).unwrap_or_default();
        self.delivered = log.into_iter().collect();
        let incarnation: u64 = ctx.retrieve(INCARNATION).unwrap_or(0);
        self.incarnation = incarnation + 1;
        self.next = 0;
        ctx.store(INCARNATION, &self.incarnation);
        ctx.recover(self, Sl);
        ctx.indicate(Delivered {
            added: None,
            size: self.delivered.len(),
        });
    }
    // ANCHOR_END: recovery

    /// `upon event ⟨ lpl, Send | q, m ⟩ do trigger ⟨ sl, Send | q, m ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Send { to, msg }: Send<P>) {
        let seq = self.next;
        self.next += 1;
        let msg = Stamped {
            incarnation: self.incarnation,
            seq,
            msg,
        };
        ctx.trigger(self, Sl, Send { to, msg });
    }
}

use crate::abstractions::{send, PERIOD};
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "logged-perfect-links", abstraction: "lpl", params: &[PERIOD],
    model: "fail-recovery (crash-recovery with stable storage)",
    summary: "Log Delivered (CGR 2.3): store `delivered` before notifying",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| LoggedPerfectLinks::<Value>::new(period), send)
    };
};
