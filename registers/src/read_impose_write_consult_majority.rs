//! (N,N) atomic register `nnar` by Read-Impose Write-Consult-Majority (CGR Module 4.3,
//! Algorithms 4.10-4.11; Attiya, Bar-Noy and Dolev's algorithm for many writers).
//!
//! Algorithm id: `read-impose-write-consult-majority`.
//!
//! Model: fail-silent with a majority of correct processes (N > 2f), any process may write.
//! Uses best-effort broadcast and perfect links. Properties: NNAR1 termination, NNAR2
//! atomicity (linearizability). Values carry timestamps `(ts, wr)`, ordered by `ts` and then by
//! the writer's rank. A writer first *consults* a majority for the highest timestamp and writes
//! with one higher; a reader imposes the value it returns, as in the single-writer algorithm.
//! Cost: a write and a read both 4 steps and 4N messages.
//!
//! Mutant: [`ReadImposeWriteConsultMajority::without_consult`] writes with its own timestamp
//! plus one, not the highest of a majority: a writer that has not heard of a completed write
//! picks a smaller timestamp and its later write is lost (NNAR2).

use crate::interface::{BebPl, Client, Msg, Operations, RegisterRet};
use crate::quorum::{ReadList, Stored};
use automata::{Ctx, Payload, Pid, Time};
use broadcast::{BestEffortBroadcast, Broadcast, Deliver};
use links::{Link, PerfectLinks, Send};

type Beb<V, L> = BestEffortBroadcast<Msg<V>, L>;

/// A timestamp-writer-value triple `(ts, wr, v)`, ordered by `(ts, wr)`.
type Stamped<V> = (u64, Pid, V);

/// Read-Impose Write-Consult-Majority over Basic Broadcast and Eliminate Duplicates.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReadImposeWriteConsultMajority<
    V: Payload + Default,
    L: Link<Msg<V>> = PerfectLinks<Msg<V>>,
> {
    beb: Beb<V, L>,
    pl: L,
    client: Client<V>,
    /// `(ts, wr, val)`: the timestamped value stored here.
    stored: Stored<V>,
    /// `acks`, `writeval`, `rid`, `readlist`, `readval`, `reading`.
    acks: usize,
    writeval: V,
    rid: u64,
    readlist: ReadList<Stamped<V>>,
    readval: V,
    reading: bool,
    /// The operation is in its second phase, waiting for acknowledgements.
    imposing: bool,
    /// Mutant switch: `false` writes without consulting a majority first.
    consult: bool,
}

automata::below! {
    impl[V: Payload + Default, L: Link<Msg<V>>] ReadImposeWriteConsultMajority<V, L>;
    /// Slot of the best-effort broadcast.
    BebSlot(beb: Beb<V, L>) as "beb" => on_beb_deliver, msg BebPl::Beb, timer BebPl::Beb;
    /// Slot of the perfect links.
    PlSlot(pl: L) as "pl" => on_pl_deliver, msg BebPl::Pl, timer BebPl::Pl;
}

impl<V: Payload + Default> ReadImposeWriteConsultMajority<V> {
    /// Over perfect links with retransmission period `period`.
    pub fn new(period: Time) -> Self {
        ReadImposeWriteConsultMajority::over(PerfectLinks::new(period), PerfectLinks::new(period))
    }
}

impl<V: Payload + Default, L: Link<Msg<V>>> ReadImposeWriteConsultMajority<V, L> {
    /// Over the given links: those of the best-effort broadcast and its own.
    pub fn over(beb_links: L, pl: L) -> Self {
        ReadImposeWriteConsultMajority {
            beb: BestEffortBroadcast::over(beb_links),
            pl,
            client: Client::new(),
            stored: Stored::default(),
            acks: 0,
            writeval: V::default(),
            rid: 0,
            readlist: ReadList::default(),
            readval: V::default(),
            reading: false,
            imposing: false,
            consult: true,
        }
    }

    /// MUTANT: a write skips the consult phase and uses its local timestamp plus one.
    pub fn without_consult(mut self) -> Self {
        self.consult = false;
        self
    }

    /// `upon event ⟨ beb, Deliver | p, [READ, r] ⟩ do
    /// trigger ⟨ pl, Send | p, [VALUE, r, ts, wr, val] ⟩`, and
    /// `upon event ⟨ beb, Deliver | p, [WRITE, r, ts', wr', v'] ⟩ do if (ts', wr') is larger
    /// than (ts, wr) then (ts, wr, val) := (ts', wr', v'); trigger ⟨ pl, Send | p, [ACK, r] ⟩`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from: p, msg }: Deliver<Msg<V>>) {
        let reply = match msg {
            Msg::Read { r } => self.stored.value(r),
            Msg::Write { r, ts, wr, v } => {
                self.stored.adopt(ts, wr, v);
                Msg::Ack { r }
            }
            _ => return,
        };
        ctx.trigger(self, PlSlot, Send { to: p, msg: reply });
    }

    // ANCHOR: answers
    /// `upon event ⟨ pl, Deliver | q, [VALUE, r, ts', wr', v'] ⟩ such that r = rid do
    /// readlist[q] := (ts', wr', v'); if #(readlist) > N/2 then ((maxts, rr), readval) :=
    /// highest(readlist); readlist := [⊥]^N; if reading = TRUE then
    /// trigger ⟨ beb, Broadcast | [WRITE, rid, maxts, rr, readval] ⟩ else
    /// trigger ⟨ beb, Broadcast | [WRITE, rid, maxts + 1, rank(self), writeval] ⟩`, and
    /// `upon event ⟨ pl, Deliver | q, [ACK, r] ⟩ such that r = rid do acks := acks + 1;
    /// if acks > N/2 then acks := 0; if reading = TRUE then reading := FALSE;
    /// trigger ⟨ nnar, ReadReturn | readval ⟩ else trigger ⟨ nnar, WriteReturn ⟩`.
    fn on_pl_deliver(
        &mut self,
        ctx: &mut Ctx<Self>,
        links::Deliver { from: q, msg }: links::Deliver<Msg<V>>,
    ) {
        let n = ctx.n();
        match msg {
            Msg::Value { r, ts, wr, v } if !self.imposing && r == self.rid => {
                let answers = self.readlist.put(q, (ts, wr, v));
                if answers * 2 > n {
                    let (maxts, rr, readval) = self.readlist.highest(|(ts, wr, _)| (*ts, *wr));
                    self.readlist.reset(n);
                    self.imposing = true;
                    let msg = if self.reading {
                        self.readval = readval.clone();
                        Msg::Write {
                            r: self.rid,
                            ts: maxts,
                            wr: rr,
                            v: readval,
                        }
                    } else {
                        Msg::Write {
                            r: self.rid,
                            ts: maxts + 1,
                            wr: ctx.me(),
                            v: self.writeval.clone(),
                        }
                    };
                    ctx.trigger(self, BebSlot, Broadcast { msg });
                }
            }
            Msg::Ack { r } if self.imposing && r == self.rid => {
                self.acks += 1;
                if self.acks * 2 > n {
                    self.acks = 0;
                    self.imposing = false;
                    self.client.done();
                    if self.reading {
                        self.reading = false;
                        ctx.indicate(RegisterRet::ReadReturn(self.readval.clone()));
                    } else {
                        ctx.indicate(RegisterRet::WriteReturn);
                    }
                }
            }
            _ => {}
        }
    }
    // ANCHOR_END: answers
}

impl<V: Payload + Default, L: Link<Msg<V>>> Operations<V> for ReadImposeWriteConsultMajority<V, L> {
    /// `upon event ⟨ nnar, Init ⟩ do (ts, wr, val) := (0, 0, ⊥); acks := 0; writeval := ⊥;
    /// rid := 0; readlist := [⊥]^N; readval := ⊥; reading := FALSE`.
    fn init(&mut self, ctx: &mut Ctx<Self>) {
        self.readlist.reset(ctx.n());
    }

    /// `upon event ⟨ nnar, Write | v ⟩ do rid := rid + 1; writeval := v; acks := 0;
    /// readlist := [⊥]^N; trigger ⟨ beb, Broadcast | [READ, rid] ⟩`.
    fn write(&mut self, ctx: &mut Ctx<Self>, v: V) {
        self.rid += 1;
        self.writeval = v;
        self.acks = 0;
        self.readlist.reset(ctx.n());
        if !self.consult {
            self.imposing = true;
            let msg = Msg::Write {
                r: self.rid,
                ts: self.stored.ts + 1,
                wr: ctx.me(),
                v: self.writeval.clone(),
            };
            ctx.trigger(self, BebSlot, Broadcast { msg });
            return;
        }
        let msg = Msg::Read { r: self.rid };
        ctx.trigger(self, BebSlot, Broadcast { msg });
    }

    /// `upon event ⟨ nnar, Read ⟩ do rid := rid + 1; acks := 0; readlist := [⊥]^N;
    /// reading := TRUE; trigger ⟨ beb, Broadcast | [READ, rid] ⟩`.
    fn read(&mut self, ctx: &mut Ctx<Self>) {
        self.rid += 1;
        self.acks = 0;
        self.readlist.reset(ctx.n());
        self.reading = true;
        let msg = Msg::Read { r: self.rid };
        ctx.trigger(self, BebSlot, Broadcast { msg });
    }
}

crate::register_module! {
    impl[V: Payload + Default, L: Link<Msg<V>>] ReadImposeWriteConsultMajority<V, L> as "nnar", V;
    BebPl { Beb => BebSlot: Beb<V, L>, Pl => PlSlot: L }
}

use crate::abstractions::{predicted, register, PERIOD};
use automata::Value;
use catalogue::{job, job_predicting, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "read-impose-write-consult-majority", abstraction: "nnar", params: &[PERIOD],
    model: "fail-silent with N > 2f; any process writes",
    summary: "Read-Impose Write-Consult-Majority (CGR 4.10-4.11, ABD): a writer consults a majority for the highest timestamp (ts, rank)",
    build: |l, p| {
        let n = l.scenario.processes as u64;
        let costs = predicted(l, (4, 4 * n), (4, 4 * n));
        let period = p.int("period");
        job_predicting(l, p, move |_| ReadImposeWriteConsultMajority::<Value>::new(period), register, costs)
    };

    id: "read-impose-write-consult-majority-no-consult", abstraction: "nnar", params: &[PERIOD], mutant: true,
    model: "without the consult phase a writer may pick a smaller timestamp than a completed write's",
    summary: "MUTANT: Read-Impose Write-Consult-Majority whose writes use the local timestamp",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| ReadImposeWriteConsultMajority::<Value>::new(period).without_consult(), register)
    };
};
