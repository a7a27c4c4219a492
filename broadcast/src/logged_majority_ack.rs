//! Logged uniform reliable broadcast `lurb` by Logged Majority-Ack (CGR Module 3.6,
//! Algorithm 3.8).
//!
//! Algorithm id: `logged-majority-ack-urb`.
//!
//! Model: fail-recovery (crash-recovery with stable storage) with a majority of correct
//! processes (N > 2f, where "correct" means eventually up for good). Uses any stubborn
//! best-effort broadcast below it (Basic Stubborn Broadcast, [`crate::stubborn`], by
//! default). Properties: LURB1
//! validity, LURB2 no duplication (a message enters `delivered` at most once, across crashes
//! and recoveries), LURB3 no creation, LURB4 uniform agreement. Like logged perfect links
//! (chapter 4), delivering means adding to a set `delivered` in stable storage; the indication
//! `Deliver | delivered` says it grew, and the trace shows each addition as a `Deliver`, so the
//! broadcast monitors check it. `pending` and `delivered` are stored *before* anything is sent
//! or indicated; after a recovery the process re-broadcasts everything pending, since its
//! stubborn links forgot what they were retransmitting. The mutant that keeps `delivered`
//! volatile delivers again after a recovery (book §6.3, B-6.9).

use crate::interface::{Broadcast, BroadcastModule, Deliver, Unique};
use crate::stubborn::StubbornBroadcast;
use automata::{Ctx, Module, Payload, Pid, Time};
use links::Delivered;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::marker::PhantomData;

/// A message's identity: (original sender, the sender's stable sequence number).
type Id = (Pid, u64);

/// Stable-storage keys.
const PENDING: &str = "pending";
const DELIVERED: &str = "delivered";
const LSN: &str = "lsn";

/// Logged Majority-Ack over any stubborn best-effort broadcast `S` of unique messages.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LoggedMajorityAckUrb<
    P: Payload,
    S: BroadcastModule<Unique<P>> = StubbornBroadcast<Unique<P>>,
> {
    sbeb: S,
    /// Sequence number of this process's next broadcast (stable).
    lsn: u64,
    /// `pending`: the messages seen and relayed (stable).
    pending: BTreeMap<Id, P>,
    /// `delivered`: the messages delivered (stable, unless the mutant forgets to log it).
    delivered: BTreeSet<Id>,
    /// `ack[m]`: the processes whose relay of m has arrived (volatile).
    ack: BTreeMap<Id, BTreeSet<Pid>>,
    /// MUTANT (B-6.9): `delivered` is never written to stable storage.
    volatile_delivered: bool,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload + Serialize + DeserializeOwned, S: BroadcastModule<Unique<P>>]
        LoggedMajorityAckUrb<P, S>;
    /// Slot of the stubborn best-effort broadcast.
    Sbeb(sbeb: S) as "sbeb" => on_sbeb_deliver;
}

impl<P: Payload + Serialize + DeserializeOwned> LoggedMajorityAckUrb<P> {
    /// Logged Majority-Ack over Basic Stubborn Broadcast with retransmission period `period`.
    pub fn new(period: Time) -> Self {
        LoggedMajorityAckUrb::over(StubbornBroadcast::new(period))
    }
}

impl<P, S> LoggedMajorityAckUrb<P, S>
where
    P: Payload + Serialize + DeserializeOwned,
    S: BroadcastModule<Unique<P>>,
{
    /// Logged Majority-Ack over the given stubborn best-effort broadcast.
    pub fn over(sbeb: S) -> Self {
        LoggedMajorityAckUrb {
            sbeb,
            lsn: 0,
            pending: BTreeMap::new(),
            delivered: BTreeSet::new(),
            ack: BTreeMap::new(),
            volatile_delivered: false,
            _payload: PhantomData,
        }
    }

    /// MUTANT (B-6.9): never log `delivered`, so a recovered process delivers again.
    pub fn volatile_delivered(mut self) -> Self {
        self.volatile_delivered = true;
        self
    }

    fn store_pending(&self, ctx: &mut Ctx<Self>) {
        let log: Vec<(&Id, &P)> = self.pending.iter().collect();
        ctx.store(PENDING, &log);
    }

    fn store_delivered(&self, ctx: &mut Ctx<Self>) {
        if !self.volatile_delivered {
            ctx.store(DELIVERED, &self.delivered);
        }
    }

    fn relay(&mut self, ctx: &mut Ctx<Self>, (sender, sn): Id, msg: P) {
        let msg = Unique { sender, sn, msg };
        ctx.trigger(self, Sbeb, Broadcast { msg });
    }

    // ANCHOR: deliver
    /// `upon event ⟨ sbeb, Deliver | p, [DATA, s, m] ⟩ do if (s, m) ∉ pending then
    /// pending := pending ∪ {(s, m)}; store(pending); trigger ⟨ sbeb, Broadcast | [DATA, s, m] ⟩;
    /// if p ∉ ack[m] then ack[m] := ack[m] ∪ {p}; if #(ack[m]) > N/2 ∧ m ∉ delivered then
    /// delivered := delivered ∪ {m}; store(delivered); trigger ⟨ lurb, Deliver | delivered ⟩`.
    fn on_sbeb_deliver(
        &mut self,
        ctx: &mut Ctx<Self>,
        Deliver { from: p, msg: m }: Deliver<Unique<P>>,
    ) {
        let id = m.id();
        if let Entry::Vacant(e) = self.pending.entry(id) {
            e.insert(m.msg.clone());
            self.store_pending(ctx);
            self.relay(ctx, id, m.msg.clone());
        }
        let acks = self.ack.entry(id).or_default();
        acks.insert(p);
        if 2 * acks.len() > ctx.n() && self.delivered.insert(id) {
            self.store_delivered(ctx);
            ctx.indicate(Delivered {
                added: Some(links::Deliver {
                    from: id.0,
                    msg: m.msg,
                }),
                size: self.delivered.len(),
            });
        }
    }
    // ANCHOR_END: deliver
}

impl<P, S> Module for LoggedMajorityAckUrb<P, S>
where
    P: Payload + Serialize + DeserializeOwned,
    S: BroadcastModule<Unique<P>>,
{
    const NAME: &'static str = "lurb";
    type Req = Broadcast<P>;
    type Ind = Delivered<P>;
    automata::pass_through!(Sbeb: S);

    /// `upon event ⟨ lurb, Init ⟩ do delivered := ∅; pending := ∅; forall m do ack[m] := ∅;
    /// store(pending, delivered)`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.pending.clear();
        self.delivered.clear();
        self.ack.clear();
        self.lsn = 0;
        self.store_pending(ctx);
        self.store_delivered(ctx);
        ctx.store(LSN, &self.lsn);
        ctx.init(self, Sbeb);
    }

    // ANCHOR: recovery
    /// `upon event ⟨ lurb, Recovery ⟩ do retrieve(pending, delivered);
    /// trigger ⟨ lurb, Deliver | delivered ⟩; forall (s, m) ∈ pending do
    /// trigger ⟨ sbeb, Broadcast | [DATA, s, m] ⟩`.
    fn on_recovery(&mut self, ctx: &mut Ctx<Self>) {
        let pending: Vec<(Id, P)> = ctx.retrieve(PENDING).unwrap_or_default();
        self.pending = pending.into_iter().collect();
        self.delivered = ctx.retrieve(DELIVERED).unwrap_or_default();
        self.lsn = ctx.retrieve(LSN).unwrap_or(0);
        ctx.recover(self, Sbeb);
        ctx.indicate(Delivered {
            added: None,
            size: self.delivered.len(),
        });
        let pending: Vec<(Id, P)> = self
            .pending
            .iter()
            .map(|(&id, m)| (id, m.clone()))
            .collect();
        for (id, m) in pending {
            self.relay(ctx, id, m);
        }
    }
    // ANCHOR_END: recovery

    /// `upon event ⟨ lurb, Broadcast | m ⟩ do pending := pending ∪ {(self, m)}; store(pending);
    /// trigger ⟨ sbeb, Broadcast | [DATA, self, m] ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let id = (ctx.me(), self.lsn);
        self.lsn += 1;
        ctx.store(LSN, &self.lsn);
        self.pending.insert(id, msg.clone());
        self.store_pending(ctx);
        self.relay(ctx, id, msg);
    }
}

use crate::abstractions::{broadcast, PERIOD_SL};
use automata::Value;
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "logged-majority-ack-urb", abstraction: "lurb", params: &[PERIOD_SL],
    model: "fail-recovery (crash-recovery, stable storage), N > 2f",
    summary: "Logged Majority-Ack (CGR 3.8): log pending and delivered before acting; re-broadcast pending on recovery",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| LoggedMajorityAckUrb::<Value>::new(period), broadcast)
    };

    id: "logged-majority-ack-urb-volatile", abstraction: "lurb", params: &[PERIOD_SL], mutant: true,
    model: "fail-recovery",
    summary: "MUTANT: Logged Majority-Ack that never logs `delivered` (B-6.9)",
    build: |l, p| {
        let period = p.int("period");
        job(
            l,
            p,
            move |_| LoggedMajorityAckUrb::<Value>::new(period).volatile_delivered(),
            broadcast,
        )
    };
};
