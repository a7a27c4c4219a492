//! Uniform reliable broadcast `urb` by Majority-Ack Uniform Reliable Broadcast (CGR Module 3.3,
//! Algorithm 3.5).
//!
//! Algorithm id: `majority-ack-urb`.
//!
//! Model: fail-silent with a majority of correct processes (N > 2f). Uses any best-effort
//! broadcast below it. Properties: URB1 validity, URB2 no duplication, URB3 no creation, URB4
//! uniform agreement (if any process, correct or not, delivers m, every correct process
//! delivers m). With N ≤ 2f a correct sender may wait forever for a majority of acks, so
//! validity is lost (book §6.3, B-6.4). Cost: two steps, N² messages.
//!
//! Every process relays a message the first time it sees it (its relay is its ack); a process
//! delivers once more than N/2 processes have relayed, so at least one correct process has
//! the message and its relay reaches every correct process.

use crate::best_effort::BestEffortBroadcast;
use crate::interface::{Broadcast, BroadcastModule, Deliver, Unique};
use automata::{Ctx, Module, Payload, Pid, Time};
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::marker::PhantomData;

/// Majority-Ack over any best-effort broadcast `B` of unique messages (Basic Broadcast over
/// perfect links by default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MajorityAckUrb<
    P: Payload,
    B: BroadcastModule<Unique<P>> = BestEffortBroadcast<Unique<P>>,
> {
    beb: B,
    /// Sequence number of this process's next broadcast (makes messages unique).
    lsn: u64,
    /// `delivered`: ids (s, sn) of the messages delivered so far.
    delivered: BTreeSet<(Pid, u64)>,
    /// `pending`: the messages seen (and relayed) but not yet delivered, by id.
    pending: BTreeMap<(Pid, u64), P>,
    /// `ack[m]`: the processes whose relay of m has arrived.
    ack: BTreeMap<(Pid, u64), BTreeSet<Pid>>,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, B: BroadcastModule<Unique<P>>] MajorityAckUrb<P, B>;
    /// Slot of the best-effort broadcast below.
    Beb(beb: B) => on_beb_deliver;
}

impl<P: Payload> MajorityAckUrb<P> {
    /// Majority-Ack over Basic Broadcast over perfect links with retransmission period
    /// `period`.
    pub fn new(period: Time) -> Self {
        MajorityAckUrb::over(BestEffortBroadcast::new(period))
    }
}

impl<P: Payload, B: BroadcastModule<Unique<P>>> MajorityAckUrb<P, B> {
    /// Majority-Ack over the given best-effort broadcast.
    pub fn over(beb: B) -> Self {
        MajorityAckUrb {
            beb,
            lsn: 0,
            delivered: BTreeSet::new(),
            pending: BTreeMap::new(),
            ack: BTreeMap::new(),
            _payload: PhantomData,
        }
    }

    // ANCHOR: ack
    /// `upon event ⟨ beb, Deliver | p, [DATA, s, m] ⟩ do ack[m] := ack[m] ∪ {p};
    /// if (s, m) ∉ pending then pending := pending ∪ {(s, m)};
    /// trigger ⟨ beb, Broadcast | [DATA, s, m] ⟩`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Unique<P>>) {
        let id = msg.id();
        if self.delivered.contains(&id) {
            // Late acks of a delivered message change nothing (the book keeps them; we forget).
            return;
        }
        self.ack.entry(id).or_default().insert(from);
        if let Entry::Vacant(slot) = self.pending.entry(id) {
            slot.insert(msg.msg.clone());
            ctx.trigger(self, Beb, Broadcast { msg });
        }
        self.deliver_ready(ctx);
    }

    /// `function candeliver(m) returns Boolean is return #(ack[m]) > N/2`.
    fn candeliver(&self, id: &(Pid, u64), n: usize) -> bool {
        self.ack.get(id).map_or(0, BTreeSet::len) * 2 > n
    }

    /// `upon exists (s, m) ∈ pending such that candeliver(m) ∧ m ∉ delivered do
    /// delivered := delivered ∪ {m}; trigger ⟨ urb, Deliver | s, m ⟩`.
    fn deliver_ready(&mut self, ctx: &mut Ctx<Self>) {
        let n = ctx.n();
        let ready: Vec<(Pid, u64)> = self
            .pending
            .keys()
            .filter(|id| self.candeliver(id, n))
            .copied()
            .collect();
        for id in ready {
            if let Some(m) = self.pending.remove(&id) {
                self.delivered.insert(id);
                self.ack.remove(&id);
                ctx.indicate(Deliver { from: id.0, msg: m });
            }
        }
    }
    // ANCHOR_END: ack
}

impl<P: Payload, B: BroadcastModule<Unique<P>>> Module for MajorityAckUrb<P, B> {
    const NAME: &'static str = "urb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(Beb: B);

    /// `upon event ⟨ urb, Init ⟩ do delivered := ∅; pending := ∅; forall m do ack[m] := ∅`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.delivered.clear();
        self.pending.clear();
        self.ack.clear();
        ctx.init(self, Beb);
    }

    // ANCHOR: broadcast
    /// `upon event ⟨ urb, Broadcast | m ⟩ do pending := pending ∪ {(self, m)};
    /// trigger ⟨ beb, Broadcast | [DATA, self, m] ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let sn = self.lsn;
        self.lsn += 1;
        let me = ctx.me();
        self.pending.insert((me, sn), msg.clone());
        let msg = Unique {
            sender: me,
            sn,
            msg,
        };
        ctx.trigger(self, Beb, Broadcast { msg });
        self.deliver_ready(ctx);
    }
    // ANCHOR_END: broadcast
}

use crate::abstractions::{broadcast, PERIOD};
use automata::Value;
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "majority-ack-urb", abstraction: "urb", params: &[PERIOD],
    model: "fail-silent with N > 2f",
    summary: "Majority-Ack Uniform Reliable Broadcast (CGR 3.5): deliver once more than N/2 processes relayed",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| MajorityAckUrb::<Value>::new(period), broadcast)
    };
};
