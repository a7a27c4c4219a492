//! Uniform reliable broadcast `urb` by All-Ack Uniform Reliable Broadcast (CGR Module 3.3,
//! Algorithm 3.4).
//!
//! Algorithm id: `all-ack-urb`.
//!
//! Model: fail-stop (crash-stop with a perfect failure detector P), any number of crashes. Uses
//! any best-effort broadcast and any perfect failure detector (`model.detector`). Properties:
//! URB1 validity, URB2 no duplication, URB3 no creation, URB4 uniform agreement. Every process
//! relays a message the first time it sees it (the relay is its ack) and delivers it once every
//! process it has not detected as crashed has acked: then every correct process has the message.
//! With ◇P instead of P a false suspicion lets a process deliver before a correct process has
//! the message, and if it then crashes, uniform agreement fails (book §6.3, B-6.3).

use crate::best_effort::BestEffortBroadcast;
use crate::interface::{BebOrDetector, Broadcast, BroadcastModule, Deliver, Unique};
use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Module, Payload, Pid, Time};
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::marker::PhantomData;

/// All-Ack over the best-effort broadcast `B` and the perfect detector `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AllAckUrb<
    P: Payload,
    D: PerfectDetector,
    B: BroadcastModule<Unique<P>> = BestEffortBroadcast<Unique<P>>,
> {
    beb: B,
    p: D,
    /// Sequence number of this process's next broadcast (makes messages unique).
    lsn: u64,
    /// `correct`: the processes not detected as crashed.
    correct: BTreeSet<Pid>,
    /// `delivered`: ids (s, sn) of the messages delivered so far.
    delivered: BTreeSet<(Pid, u64)>,
    /// `pending`: the messages seen (and relayed), by id.
    pending: BTreeMap<(Pid, u64), P>,
    /// `ack[m]`: the processes whose relay of m has arrived.
    ack: BTreeMap<(Pid, u64), BTreeSet<Pid>>,
    _payload: PhantomData<P>,
}

type Wire<D, B> = BebOrDetector<<B as Module>::Msg, <D as Module>::Msg>;
type Timers<D, B> = BebOrDetector<<B as Module>::Timer, <D as Module>::Timer>;

automata::below! {
    impl[P: Payload, D: PerfectDetector, B: BroadcastModule<Unique<P>>] AllAckUrb<P, D, B>;
    /// Slot of the best-effort broadcast.
    Beb(beb: B) => on_beb_deliver, msg BebOrDetector::Beb, timer BebOrDetector::Beb;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg BebOrDetector::Detector, timer BebOrDetector::Detector;
}

impl<P: Payload, D: PerfectDetector> AllAckUrb<P, D> {
    /// All-Ack over Basic Broadcast (perfect links with retransmission period `period`) and
    /// the detector `p`.
    pub fn new(period: Time, p: D) -> Self {
        AllAckUrb::over(BestEffortBroadcast::new(period), p)
    }
}

impl<P: Payload, D: PerfectDetector, B: BroadcastModule<Unique<P>>> AllAckUrb<P, D, B> {
    /// All-Ack over the given best-effort broadcast and detector.
    pub fn over(beb: B, p: D) -> Self {
        AllAckUrb {
            beb,
            p,
            lsn: 0,
            correct: BTreeSet::new(),
            delivered: BTreeSet::new(),
            pending: BTreeMap::new(),
            ack: BTreeMap::new(),
            _payload: PhantomData,
        }
    }

    // ANCHOR: deliver
    /// `upon event ⟨ beb, Deliver | p, [DATA, s, m] ⟩ do ack[m] := ack[m] ∪ {p};
    /// if (s, m) ∉ pending then pending := pending ∪ {(s, m)};
    /// trigger ⟨ beb, Broadcast | [DATA, s, m] ⟩`.
    fn on_beb_deliver(
        &mut self,
        ctx: &mut Ctx<Self>,
        Deliver { from: p, msg: m }: Deliver<Unique<P>>,
    ) {
        let id = m.id();
        self.ack.entry(id).or_default().insert(p);
        if let Entry::Vacant(e) = self.pending.entry(id) {
            e.insert(m.msg.clone());
            ctx.trigger(self, Beb, Broadcast { msg: m });
        }
        self.deliver_ready(ctx);
    }

    /// `upon event ⟨ P, Crash | p ⟩ do correct := correct \ {p}`.
    fn on_crash(&mut self, ctx: &mut Ctx<Self>, Crash(p): Crash) {
        self.correct.remove(&p);
        self.deliver_ready(ctx);
    }

    /// `upon exists (s, m) ∈ pending such that candeliver(m) ∧ m ∉ delivered do
    /// delivered := delivered ∪ {m}; trigger ⟨ urb, Deliver | s, m ⟩`, where
    /// `candeliver(m)` is `correct ⊆ ack[m]`.
    fn deliver_ready(&mut self, ctx: &mut Ctx<Self>) {
        let ready: Vec<(Pid, u64)> = self
            .pending
            .keys()
            .filter(|id| !self.delivered.contains(id))
            .filter(|id| {
                self.ack
                    .get(id)
                    .is_some_and(|acks| self.correct.is_subset(acks))
            })
            .copied()
            .collect();
        for id in ready {
            self.delivered.insert(id);
            ctx.indicate(Deliver {
                from: id.0,
                msg: self.pending[&id].clone(),
            });
        }
    }
    // ANCHOR_END: deliver
}

impl<P: Payload, D: PerfectDetector, B: BroadcastModule<Unique<P>>> Module for AllAckUrb<P, D, B> {
    const NAME: &'static str = "urb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    type Msg = Wire<D, B>;
    type Timer = Timers<D, B>;

    /// `upon event ⟨ urb, Init ⟩ do delivered := ∅; pending := ∅; correct := Π;
    /// forall m do ack[m] := ∅`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.correct = ctx.processes().collect();
        self.delivered.clear();
        self.pending.clear();
        self.ack.clear();
        ctx.init(self, Beb);
        ctx.init(self, Fd);
    }

    /// `upon event ⟨ urb, Broadcast | m ⟩ do pending := pending ∪ {(self, m)};
    /// trigger ⟨ beb, Broadcast | [DATA, self, m] ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let sn = self.lsn;
        self.lsn += 1;
        let m = Unique {
            sender: ctx.me(),
            sn,
            msg,
        };
        self.pending.insert(m.id(), m.msg.clone());
        ctx.trigger(self, Beb, Broadcast { msg: m });
    }

    automata::pass_through!(match BebOrDetector {
        Beb => Beb,
        Detector => Fd,
    });
}

use crate::abstractions::{broadcast, PERIOD};
use automata::Value;
use catalogue::{job, Algorithm};
use links::detectors::{abstractions::perfect, AnyPerfect};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "all-ack-urb", abstraction: "urb", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect; eventually-perfect to see it fail)",
    summary: "All-Ack Uniform Reliable Broadcast (CGR 3.4): deliver once every undetected process relayed",
    build: |l, p| {
        let (d, period) = (perfect(l, p)?, p.int("period"));
        job(l, p, move |_| AllAckUrb::<Value, AnyPerfect>::new(period, d.clone()), broadcast)
    };
};
