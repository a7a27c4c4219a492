//! (Regular) reliable broadcast `rb` by Lazy Reliable Broadcast (CGR Module 3.2, Algorithm 3.2).
//!
//! Algorithm id: `lazy-reliable-broadcast`.
//!
//! Model: fail-stop (crash-stop with a perfect failure detector P), any number of crashes. Uses
//! any best-effort broadcast and any perfect failure detector below it (Exclude on Timeout or
//! the P oracle: `model.detector`). Properties: RB1 validity, RB2 no duplication, RB3 no
//! creation, RB4 agreement. Lazy: a message is relayed only when its sender is detected to have
//! crashed, so a failure-free run costs N messages per broadcast instead of N². It needs P's
//! strong completeness: with a detector that never reports the sender's crash, a message that
//! reached only some processes is never relayed (book §6.2, B-6.5). Not uniform.

use crate::best_effort::BestEffortBroadcast;
use crate::interface::{BebOrDetector, Broadcast, BroadcastModule, Deliver, Unique};
use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Module, Payload, Pid, Time};
use std::collections::{BTreeMap, BTreeSet};
use std::marker::PhantomData;

/// Lazy Reliable Broadcast over the best-effort broadcast `B` and the perfect detector `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LazyReliableBroadcast<
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
    /// `from[s]`: the messages of original sender s delivered so far.
    from: BTreeMap<Pid, BTreeSet<Unique<P>>>,
    _payload: PhantomData<P>,
}

type Wire<D, B> = BebOrDetector<<B as Module>::Msg, <D as Module>::Msg>;
type Timers<D, B> = BebOrDetector<<B as Module>::Timer, <D as Module>::Timer>;

automata::below! {
    impl[P: Payload, D: PerfectDetector, B: BroadcastModule<Unique<P>>]
        LazyReliableBroadcast<P, D, B>;
    /// Slot of the best-effort broadcast.
    Beb(beb: B) => on_beb_deliver, msg BebOrDetector::Beb, timer BebOrDetector::Beb;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg BebOrDetector::Detector, timer BebOrDetector::Detector;
}

impl<P: Payload, D: PerfectDetector> LazyReliableBroadcast<P, D> {
    /// Lazy Reliable Broadcast over Basic Broadcast (perfect links with retransmission period
    /// `period`) and the detector `p`.
    pub fn new(period: Time, p: D) -> Self {
        LazyReliableBroadcast::over(BestEffortBroadcast::new(period), p)
    }
}

impl<P: Payload, D: PerfectDetector, B: BroadcastModule<Unique<P>>> LazyReliableBroadcast<P, D, B> {
    /// Lazy Reliable Broadcast over the given best-effort broadcast and detector.
    pub fn over(beb: B, p: D) -> Self {
        LazyReliableBroadcast {
            beb,
            p,
            lsn: 0,
            correct: BTreeSet::new(),
            from: BTreeMap::new(),
            _payload: PhantomData,
        }
    }

    // ANCHOR: relay
    /// `upon event ⟨ beb, Deliver | p, [DATA, s, m] ⟩ do if m ∉ from[s] then
    /// trigger ⟨ rb, Deliver | s, m ⟩; from[s] := from[s] ∪ {m}; if s ∉ correct then
    /// trigger ⟨ beb, Broadcast | [DATA, s, m] ⟩`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { msg: m, .. }: Deliver<Unique<P>>) {
        let s = m.sender;
        if self.from.entry(s).or_default().insert(m.clone()) {
            ctx.indicate(Deliver {
                from: s,
                msg: m.msg.clone(),
            });
            if !self.correct.contains(&s) {
                ctx.trigger(self, Beb, Broadcast { msg: m });
            }
        }
    }

    /// `upon event ⟨ P, Crash | p ⟩ do correct := correct \ {p}; forall m ∈ from[p] do
    /// trigger ⟨ beb, Broadcast | [DATA, p, m] ⟩`.
    fn on_crash(&mut self, ctx: &mut Ctx<Self>, Crash(p): Crash) {
        self.correct.remove(&p);
        let relay: Vec<Unique<P>> = self.from.get(&p).into_iter().flatten().cloned().collect();
        for m in relay {
            ctx.trigger(self, Beb, Broadcast { msg: m });
        }
    }
    // ANCHOR_END: relay
}

impl<P: Payload, D: PerfectDetector, B: BroadcastModule<Unique<P>>> Module
    for LazyReliableBroadcast<P, D, B>
{
    const NAME: &'static str = "rb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    type Msg = Wire<D, B>;
    type Timer = Timers<D, B>;

    /// `upon event ⟨ rb, Init ⟩ do correct := Π; from[p] := ∅ for all p`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.correct = ctx.processes().collect();
        self.from.clear();
        ctx.init(self, Beb);
        ctx.init(self, Fd);
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
    id: "lazy-reliable-broadcast", abstraction: "rb", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect; none or eventually-perfect to see it fail)",
    summary: "Lazy Reliable Broadcast (CGR 3.2): relay a crashed sender's messages only once P detects it",
    build: |l, p| {
        let (d, period) = (perfect(l, p)?, p.int("period"));
        job(
            l,
            p,
            move |_| LazyReliableBroadcast::<Value, AnyPerfect>::new(period, d.clone()),
            broadcast,
        )
    };
};
