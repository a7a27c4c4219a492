//! (N,N) atomic register `nnar` by Read-Impose Write-Consult-All (CGR Module 4.3, Algorithms
//! 4.8-4.9).
//!
//! Algorithm id: `read-impose-write-consult-all`.
//!
//! Model: fail-stop (crash-stop with a perfect failure detector P), any number of crashes, any
//! process may write. Uses best-effort broadcast, perfect links and P (`model.detector`).
//! Properties: NNAR1 termination, NNAR2 atomicity (linearizability). Read-Impose Write-All with
//! timestamps `(ts, wr)`, ordered by `ts` and then by the writer's rank. A write reaches every
//! process P has not detected before it returns, so the next writer's own timestamp is already
//! the highest of every completed write: consulting is local, and a writer writes with its own
//! `ts + 1`. Concurrent writers may pick the same `ts`; the rank breaks the tie the same way
//! everywhere. Cost: a write and a read both 2 steps and 2N messages.
//!
//! Mutant: [`ReadImposeWriteConsultAll::without_rank`] compares timestamps alone: of two
//! concurrent writes with the same `ts`, each process keeps the one it received first, and
//! two reads after both writes returned disagree (NNAR2).

use crate::interface::{Client, Msg, Operations, RegisterRet, Wire};
use crate::quorum::{Stored, WriteSet};
use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Payload, Pid, Time};
use broadcast::{BestEffortBroadcast, Broadcast, Deliver};
use links::{Link, PerfectLinks, Send};

type Beb<V, L> = BestEffortBroadcast<Msg<V>, L>;

/// Read-Impose Write-Consult-All over Basic Broadcast, Eliminate Duplicates and the detector
/// `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReadImposeWriteConsultAll<
    V: Payload + Default,
    D: PerfectDetector,
    L: Link<Msg<V>> = PerfectLinks<Msg<V>>,
> {
    beb: Beb<V, L>,
    pl: L,
    p: D,
    client: Client<V>,
    /// `(ts, wr, val)`: the timestamped value stored here.
    stored: Stored<V>,
    /// `correct`, `writeset`.
    writeset: WriteSet,
    /// `readval`, `reading`.
    readval: V,
    reading: bool,
    /// Mutant switch: `false` orders values by `ts` alone.
    rank: bool,
}

automata::below! {
    impl[V: Payload + Default, D: PerfectDetector, L: Link<Msg<V>>]
        ReadImposeWriteConsultAll<V, D, L>;
    /// Slot of the best-effort broadcast.
    BebSlot(beb: Beb<V, L>) as "beb" => on_beb_deliver, msg Wire::Beb, timer Wire::Beb;
    /// Slot of the perfect links.
    PlSlot(pl: L) as "pl" => on_pl_deliver, msg Wire::Pl, timer Wire::Pl;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg Wire::Detector, timer Wire::Detector;
}

impl<V: Payload + Default, D: PerfectDetector> ReadImposeWriteConsultAll<V, D> {
    /// Over perfect links with retransmission period `period` and the detector `p`.
    pub fn new(period: Time, p: D) -> Self {
        ReadImposeWriteConsultAll::over(PerfectLinks::new(period), PerfectLinks::new(period), p)
    }
}

impl<V: Payload + Default, D: PerfectDetector, L: Link<Msg<V>>> ReadImposeWriteConsultAll<V, D, L> {
    /// Over the given links (the best-effort broadcast's and its own) and the detector `p`.
    pub fn over(beb_links: L, pl: L, p: D) -> Self {
        ReadImposeWriteConsultAll {
            beb: BestEffortBroadcast::over(beb_links),
            pl,
            p,
            client: Client::new(),
            stored: Stored::default(),
            writeset: WriteSet::default(),
            readval: V::default(),
            reading: false,
            rank: true,
        }
    }

    /// MUTANT: `(ts', wr')` is larger than `(ts, wr)` when `ts' > ts`, whatever the ranks.
    pub fn without_rank(mut self) -> Self {
        self.rank = false;
        self
    }

    /// `upon event ⟨ P, Crash | p ⟩ do correct := correct \ {p}`.
    fn on_crash(&mut self, _ctx: &mut Ctx<Self>, Crash(p): Crash) {
        self.writeset.crash(p);
    }

    /// Broadcasts `[WRITE, ts, wr, v]` (tagged with the operation) and waits for every
    /// process.
    fn impose_on_all(&mut self, ctx: &mut Ctx<Self>, ts: u64, wr: Pid, v: V) {
        let msg = Msg::Write {
            r: self.writeset.start(),
            ts,
            wr,
            v,
        };
        ctx.trigger(self, BebSlot, Broadcast { msg });
    }

    // ANCHOR: replica
    /// `upon event ⟨ beb, Deliver | p, [WRITE, ts', wr', v'] ⟩ do if (ts', wr') is larger
    /// than (ts, wr) then (ts, wr, val) := (ts', wr', v'); trigger ⟨ pl, Send | p, [ACK] ⟩`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from: p, msg }: Deliver<Msg<V>>) {
        if let Msg::Write { r, ts, wr, v } = msg {
            if self.rank {
                self.stored.adopt(ts, wr, v);
            } else if ts > self.stored.ts {
                self.stored = Stored { ts, wr, val: v };
            }
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
    // ANCHOR_END: replica

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
    for ReadImposeWriteConsultAll<V, D, L>
{
    /// `upon event ⟨ nnar, Init ⟩ do (ts, wr, val) := (0, 0, ⊥); correct := Π;
    /// writeset := ∅; readval := ⊥; reading := FALSE`.
    fn init(&mut self, ctx: &mut Ctx<Self>) {
        self.writeset.init(ctx.processes());
    }

    /// `upon event ⟨ nnar, Write | v ⟩ do
    /// trigger ⟨ beb, Broadcast | [WRITE, ts + 1, rank(self), v] ⟩`.
    fn write(&mut self, ctx: &mut Ctx<Self>, v: V) {
        self.impose_on_all(ctx, self.stored.ts + 1, ctx.me(), v);
    }

    /// `upon event ⟨ nnar, Read ⟩ do reading := TRUE; readval := val;
    /// trigger ⟨ beb, Broadcast | [WRITE, ts, wr, val] ⟩`.
    fn read(&mut self, ctx: &mut Ctx<Self>) {
        self.reading = true;
        self.readval = self.stored.val.clone();
        let Stored { ts, wr, .. } = self.stored;
        self.impose_on_all(ctx, ts, wr, self.readval.clone());
    }

    /// `upon correct ⊆ writeset do writeset := ∅; if reading = TRUE then reading := FALSE;
    /// trigger ⟨ nnar, ReadReturn | readval ⟩ else trigger ⟨ nnar, WriteReturn ⟩`.
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
}

crate::register_module! {
    impl[V: Payload + Default, D: PerfectDetector, L: Link<Msg<V>>]
        ReadImposeWriteConsultAll<V, D, L> as "nnar", V;
    Wire { Beb => BebSlot: Beb<V, L>, Pl => PlSlot: L, Detector => Fd: D }
}

use crate::abstractions::{predicted, register, PERIOD};
use automata::Value;
use catalogue::{job, job_predicting, Algorithm};
use links::detectors::{abstractions::perfect, AnyPerfect};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "read-impose-write-consult-all", abstraction: "nnar", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect); any process writes",
    summary: "Read-Impose Write-Consult-All (CGR 4.8-4.9): write-all with timestamps (ts, rank); a writer's own ts is the highest",
    build: |l, p| {
        let n = l.scenario.processes as u64;
        let costs = predicted(l, (2, 2 * n), (2, 2 * n));
        let (d, period) = (perfect(l, p)?, p.int("period"));
        job_predicting(l, p, move |_| ReadImposeWriteConsultAll::<Value, AnyPerfect>::new(period, d.clone()), register, costs)
    };

    id: "read-impose-write-consult-all-no-rank", abstraction: "nnar", params: &[PERIOD], mutant: true,
    model: "without the rank tie-break two concurrent writes with one timestamp are kept in arrival order",
    summary: "MUTANT: Read-Impose Write-Consult-All comparing timestamps without the writer's rank",
    build: |l, p| {
        let (d, period) = (perfect(l, p)?, p.int("period"));
        job(l, p, move |_| ReadImposeWriteConsultAll::<Value, AnyPerfect>::new(period, d.clone()).without_rank(), register)
    };
};
