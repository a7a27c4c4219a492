//! (1,N) atomic register `onar` by Read-Impose Write-All (CGR Module 4.2, Algorithm 4.5).
//!
//! Algorithm id: `read-impose-write-all`.
//!
//! Model: fail-stop (crash-stop with a perfect failure detector P), any number of crashes, one
//! writer. Uses best-effort broadcast, perfect links and P (`model.detector`). Properties: ONAR1
//! termination, ONAR2 validity, ONAR3 ordering; together, linearizability. Read-One Write-All
//! made atomic: a reader *imposes* the value it read locally on every process P has not
//! detected before returning it, as the writer does, so a later read anywhere finds a
//! timestamp at least as high (no new-old inversion). Cost: a write and a read both 2 steps
//! and 2N messages.
//!
//! Mutant: [`ReadImposeWriteAll::without_impose`] returns the local value at once, which is
//! Read-One Write-All's read: a reader that got a write early returns it while another that
//! has not yet returns the old value afterwards (ONAR3).

use crate::interface::{Client, Msg, Operations, RegisterRet, Wire};
use crate::quorum::{Stored, WriteSet};
use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Payload, Time};
use broadcast::{BestEffortBroadcast, Broadcast, Deliver};
use links::{Link, PerfectLinks, Send};

type Beb<V, L> = BestEffortBroadcast<Msg<V>, L>;

/// Read-Impose Write-All over Basic Broadcast, Eliminate Duplicates and the detector `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReadImposeWriteAll<
    V: Payload + Default,
    D: PerfectDetector,
    L: Link<Msg<V>> = PerfectLinks<Msg<V>>,
> {
    beb: Beb<V, L>,
    pl: L,
    p: D,
    client: Client<V>,
    /// `(ts, val)`: the timestamped value stored here.
    stored: Stored<V>,
    /// `correct`, `writeset`.
    writeset: WriteSet,
    /// `readval`, `reading`.
    readval: V,
    reading: bool,
    /// Mutant switch: `false` returns a read's local value without imposing it.
    impose: bool,
}

automata::below! {
    impl[V: Payload + Default, D: PerfectDetector, L: Link<Msg<V>>] ReadImposeWriteAll<V, D, L>;
    /// Slot of the best-effort broadcast.
    BebSlot(beb: Beb<V, L>) as "beb" => on_beb_deliver, msg Wire::Beb, timer Wire::Beb;
    /// Slot of the perfect links.
    PlSlot(pl: L) as "pl" => on_pl_deliver, msg Wire::Pl, timer Wire::Pl;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg Wire::Detector, timer Wire::Detector;
}

impl<V: Payload + Default, D: PerfectDetector> ReadImposeWriteAll<V, D> {
    /// Over perfect links with retransmission period `period` and the detector `p`.
    pub fn new(period: Time, p: D) -> Self {
        ReadImposeWriteAll::over(PerfectLinks::new(period), PerfectLinks::new(period), p)
    }
}

impl<V: Payload + Default, D: PerfectDetector, L: Link<Msg<V>>> ReadImposeWriteAll<V, D, L> {
    /// Over the given links (the best-effort broadcast's and its own) and the detector `p`.
    pub fn over(beb_links: L, pl: L, p: D) -> Self {
        ReadImposeWriteAll {
            beb: BestEffortBroadcast::over(beb_links),
            pl,
            p,
            client: Client::new(),
            stored: Stored::default(),
            writeset: WriteSet::default(),
            readval: V::default(),
            reading: false,
            impose: true,
        }
    }

    /// MUTANT: a read returns its local value at once (Read-One Write-All's read).
    pub fn without_impose(mut self) -> Self {
        self.impose = false;
        self
    }

    /// `upon event ⟨ P, Crash | p ⟩ do correct := correct \ {p}`.
    fn on_crash(&mut self, _ctx: &mut Ctx<Self>, Crash(p): Crash) {
        self.writeset.crash(p);
    }

    /// Broadcasts `[WRITE, ts, v]` (tagged with the operation) and waits for every process.
    fn impose_on_all(&mut self, ctx: &mut Ctx<Self>, ts: u64, v: V) {
        let msg = Msg::Write {
            r: self.writeset.start(),
            ts,
            wr: 0,
            v,
        };
        ctx.trigger(self, BebSlot, Broadcast { msg });
    }

    /// `upon event ⟨ beb, Deliver | p, [WRITE, ts', v'] ⟩ do if ts' > ts then
    /// (ts, val) := (ts', v'); trigger ⟨ pl, Send | p, [ACK] ⟩`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from: p, msg }: Deliver<Msg<V>>) {
        if let Msg::Write { r, ts, v, .. } = msg {
            self.stored.adopt(ts, 0, v);
            ctx.trigger(
                self,
                PlSlot,
                Send {
                    to: p,
                    msg: Msg::Ack { r },
                },
            );
        }
    }

    /// `upon event ⟨ pl, Deliver | p, [ACK] ⟩ do writeset := writeset ∪ {p}`.
    fn on_pl_deliver(
        &mut self,
        _ctx: &mut Ctx<Self>,
        links::Deliver { from: p, msg }: links::Deliver<Msg<V>>,
    ) {
        if let Msg::Ack { r } = msg {
            self.writeset.ack(p, r);
        }
    }
}

impl<V: Payload + Default, D: PerfectDetector, L: Link<Msg<V>>> Operations<V>
    for ReadImposeWriteAll<V, D, L>
{
    /// `upon event ⟨ onar, Init ⟩ do (ts, val) := (0, ⊥); correct := Π; writeset := ∅;
    /// readval := ⊥; reading := FALSE`.
    fn init(&mut self, ctx: &mut Ctx<Self>) {
        self.writeset.init(ctx.processes());
    }

    /// `upon event ⟨ onar, Write | v ⟩ do trigger ⟨ beb, Broadcast | [WRITE, ts + 1, v] ⟩`.
    fn write(&mut self, ctx: &mut Ctx<Self>, v: V) {
        self.impose_on_all(ctx, self.stored.ts + 1, v);
    }

    // ANCHOR: read
    /// `upon event ⟨ onar, Read ⟩ do reading := TRUE; readval := val;
    /// trigger ⟨ beb, Broadcast | [WRITE, ts, val] ⟩`.
    fn read(&mut self, ctx: &mut Ctx<Self>) {
        self.readval = self.stored.val.clone();
        if !self.impose {
            self.client.done();
            ctx.indicate(RegisterRet::ReadReturn(self.readval.clone()));
            return;
        }
        self.reading = true;
        self.impose_on_all(ctx, self.stored.ts, self.readval.clone());
    }

    /// `upon correct ⊆ writeset do writeset := ∅; if reading = TRUE then reading := FALSE;
    /// trigger ⟨ onar, ReadReturn | readval ⟩ else trigger ⟨ onar, WriteReturn ⟩`.
    fn complete(&mut self, ctx: &mut Ctx<Self>) {
        if !self.writeset.complete() {
            return;
        }
        self.client.done();
        if self.reading {
            self.reading = false;
            ctx.indicate(RegisterRet::ReadReturn(self.readval.clone()));
        } else {
            ctx.indicate(RegisterRet::WriteReturn);
        }
    }
    // ANCHOR_END: read
}

crate::register_module! {
    impl[V: Payload + Default, D: PerfectDetector, L: Link<Msg<V>>]
        ReadImposeWriteAll<V, D, L> as "onar", V;
    Wire { Beb => BebSlot: Beb<V, L>, Pl => PlSlot: L, Detector => Fd: D }
}

use crate::abstractions::{predicted, register, PERIOD};
use automata::Value;
use catalogue::{job, job_predicting, Algorithm};
use links::detectors::{abstractions::perfect, AnyPerfect};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "read-impose-write-all", abstraction: "onar", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect); one writer",
    summary: "Read-Impose Write-All (CGR 4.5): a read imposes its local value on every process P has not detected",
    build: |l, p| {
        let n = l.scenario.processes as u64;
        let costs = predicted(l, (2, 2 * n), (2, 2 * n));
        let (d, period) = (perfect(l, p)?, p.int("period"));
        job_predicting(l, p, move |_| ReadImposeWriteAll::<Value, AnyPerfect>::new(period, d.clone()), register, costs)
    };

    id: "read-impose-write-all-no-impose", abstraction: "onar", params: &[PERIOD], mutant: true,
    model: "without the impose phase a read is Read-One Write-All's: new-old inversions",
    summary: "MUTANT: Read-Impose Write-All whose reads return the local value at once",
    build: |l, p| {
        let (d, period) = (perfect(l, p)?, p.int("period"));
        job(l, p, move |_| ReadImposeWriteAll::<Value, AnyPerfect>::new(period, d.clone()).without_impose(), register)
    };
};
