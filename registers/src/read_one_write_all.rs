//! (1,N) regular register `onrr` by Read-One Write-All (CGR Module 4.1, Algorithm 4.1).
//!
//! Algorithm id: `read-one-write-all`.
//!
//! Model: fail-stop (crash-stop with a perfect failure detector P), any number of crashes, one
//! writer. Uses best-effort broadcast, perfect links and P (`model.detector`). Properties: ONRR1
//! termination, ONRR2 validity. A read returns the local value at once; a write returns once
//! every process P has not detected as crashed acknowledged it, so a later read anywhere sees
//! it. With a detector that may suspect a correct process (◇P), the writer stops waiting for a
//! process that has not yet stored the value, and a later read there returns an old one
//! (ONRR2). Cost: a write 2 steps and 2N messages, a read none.

use crate::interface::{Client, Msg, Operations, RegisterRet, Wire};
use crate::quorum::WriteSet;
use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Payload, Time};
use broadcast::{BestEffortBroadcast, Broadcast, Deliver};
use links::{Link, PerfectLinks, Send};

type Beb<V, L> = BestEffortBroadcast<Msg<V>, L>;

/// Read-One Write-All over Basic Broadcast, Eliminate Duplicates and the detector `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReadOneWriteAll<
    V: Payload + Default,
    D: PerfectDetector,
    L: Link<Msg<V>> = PerfectLinks<Msg<V>>,
> {
    beb: Beb<V, L>,
    pl: L,
    p: D,
    client: Client<V>,
    /// `val`: the value stored here.
    val: V,
    /// `correct`, `writeset`; writes are numbered, and an acknowledgement names its write.
    writeset: WriteSet,
}

automata::below! {
    impl[V: Payload + Default, D: PerfectDetector, L: Link<Msg<V>>] ReadOneWriteAll<V, D, L>;
    /// Slot of the best-effort broadcast.
    BebSlot(beb: Beb<V, L>) as "beb" => on_beb_deliver, msg Wire::Beb, timer Wire::Beb;
    /// Slot of the perfect links.
    PlSlot(pl: L) as "pl" => on_pl_deliver, msg Wire::Pl, timer Wire::Pl;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg Wire::Detector, timer Wire::Detector;
}

impl<V: Payload + Default, D: PerfectDetector> ReadOneWriteAll<V, D> {
    /// Over perfect links with retransmission period `period` and the detector `p`.
    pub fn new(period: Time, p: D) -> Self {
        ReadOneWriteAll::over(PerfectLinks::new(period), PerfectLinks::new(period), p)
    }
}

impl<V: Payload + Default, D: PerfectDetector, L: Link<Msg<V>>> ReadOneWriteAll<V, D, L> {
    /// Over the given links (the best-effort broadcast's and its own) and the detector `p`.
    pub fn over(beb_links: L, pl: L, p: D) -> Self {
        ReadOneWriteAll {
            beb: BestEffortBroadcast::over(beb_links),
            pl,
            p,
            client: Client::new(),
            val: V::default(),
            writeset: WriteSet::default(),
        }
    }

    // ANCHOR: replica
    /// `upon event ⟨ P, Crash | p ⟩ do correct := correct \ {p}`.
    fn on_crash(&mut self, _ctx: &mut Ctx<Self>, Crash(p): Crash) {
        self.writeset.crash(p);
    }

    /// `upon event ⟨ beb, Deliver | q, [WRITE, v] ⟩ do val := v;
    /// trigger ⟨ pl, Send | q, ACK ⟩`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from: q, msg }: Deliver<Msg<V>>) {
        if let Msg::Write { ts, v, .. } = msg {
            self.val = v;
            let msg = Msg::Ack { r: ts };
            ctx.trigger(self, PlSlot, Send { to: q, msg });
        }
    }

    /// `upon event ⟨ pl, Deliver | p, ACK ⟩ do writeset := writeset ∪ {p}`.
    fn on_pl_deliver(
        &mut self,
        _ctx: &mut Ctx<Self>,
        links::Deliver { from: p, msg }: links::Deliver<Msg<V>>,
    ) {
        if let Msg::Ack { r } = msg {
            self.writeset.ack(p, r);
        }
    }
    // ANCHOR_END: replica
}

impl<V: Payload + Default, D: PerfectDetector, L: Link<Msg<V>>> Operations<V>
    for ReadOneWriteAll<V, D, L>
{
    // ANCHOR: operations
    /// `upon event ⟨ onrr, Init ⟩ do val := ⊥; correct := Π; writeset := ∅`.
    fn init(&mut self, ctx: &mut Ctx<Self>) {
        self.writeset.init(ctx.processes());
    }

    /// `upon event ⟨ onrr, Read ⟩ do trigger ⟨ onrr, ReadReturn | val ⟩`.
    fn read(&mut self, ctx: &mut Ctx<Self>) {
        self.client.done();
        ctx.indicate(RegisterRet::ReadReturn(self.val.clone()));
    }

    /// `upon event ⟨ onrr, Write | v ⟩ do trigger ⟨ beb, Broadcast | [WRITE, v] ⟩`.
    fn write(&mut self, ctx: &mut Ctx<Self>, v: V) {
        let msg = Msg::Write {
            r: 0,
            ts: self.writeset.start(),
            wr: 0,
            v,
        };
        ctx.trigger(self, BebSlot, Broadcast { msg });
    }

    /// `upon correct ⊆ writeset do writeset := ∅; trigger ⟨ onrr, WriteReturn ⟩`.
    fn complete(&mut self, ctx: &mut Ctx<Self>) {
        if self.writeset.complete() {
            self.client.done();
            ctx.indicate(RegisterRet::WriteReturn);
        }
    }
    // ANCHOR_END: operations
}

crate::register_module! {
    impl[V: Payload + Default, D: PerfectDetector, L: Link<Msg<V>>]
        ReadOneWriteAll<V, D, L> as "onrr", V;
    Wire { Beb => BebSlot: Beb<V, L>, Pl => PlSlot: L, Detector => Fd: D }
}

use crate::abstractions::{predicted, register, PERIOD};
use automata::Value;
use catalogue::{job_predicting, Algorithm};
use links::detectors::{abstractions::perfect, AnyPerfect};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "read-one-write-all", abstraction: "onrr", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect; eventually-perfect to see it fail); one writer",
    summary: "Read-One Write-All (CGR 4.1): read locally, write to every process P has not detected",
    build: |l, p| {
        let n = l.scenario.processes as u64;
        let costs = predicted(l, (0, 0), (2, 2 * n));
        let (d, period) = (perfect(l, p)?, p.int("period"));
        job_predicting(l, p, move |_| ReadOneWriteAll::<Value, AnyPerfect>::new(period, d.clone()), register, costs)
    };
};
