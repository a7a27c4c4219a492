//! (1,N) atomic register `onar` by Read-Impose Write-Majority (CGR Module 4.2, Algorithm 4.6;
//! Attiya, Bar-Noy and Dolev's algorithm for one writer).
//!
//! Algorithm id: `read-impose-write-majority`.
//!
//! Model: fail-silent with a majority of correct processes (N > 2f), one writer. Uses
//! best-effort broadcast and perfect links. Properties: ONAR1 termination, ONAR2 validity,
//! ONAR3 ordering; together, linearizability. Majority Voting plus one phase: a reader *imposes*
//! the value it is about to return, writing it back to a majority before returning, so every
//! later read finds a timestamp at least as high (no new-old inversion). Cost: a write 2 steps
//! and 2N messages, a read 4 steps and 4N messages.
//!
//! Mutant: [`ReadImposeWriteMajority::without_write_back`] returns the value as soon as a
//! majority answered, which is Majority Voting again: regular, not atomic (ONAR3).

use crate::interface::{BebPl, Client, Msg, Operations, RegisterRet};
use crate::quorum::{ReadList, Stored};
use automata::{Ctx, Payload, Time};
use broadcast::{BestEffortBroadcast, Broadcast, Deliver};
use links::{Link, PerfectLinks, Send};

type Beb<V, L> = BestEffortBroadcast<Msg<V>, L>;

/// Read-Impose Write-Majority over Basic Broadcast and Eliminate Duplicates.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReadImposeWriteMajority<V: Payload + Default, L: Link<Msg<V>> = PerfectLinks<Msg<V>>> {
    beb: Beb<V, L>,
    pl: L,
    client: Client<V>,
    /// `(ts, val)`: the timestamped value stored here.
    stored: Stored<V>,
    /// `wts`: the writer's timestamp; `acks`; `rid`: the id of this process's operation.
    wts: u64,
    acks: usize,
    rid: u64,
    /// `readlist`, `readval`, `reading`.
    readlist: ReadList<(u64, V)>,
    readval: V,
    reading: bool,
    /// An operation is waiting for acknowledgements (late ones are ignored).
    imposing: bool,
    /// Mutant switch: `false` returns a read without imposing its value.
    write_back: bool,
}

automata::below! {
    impl[V: Payload + Default, L: Link<Msg<V>>] ReadImposeWriteMajority<V, L>;
    /// Slot of the best-effort broadcast.
    BebSlot(beb: Beb<V, L>) as "beb" => on_beb_deliver, msg BebPl::Beb, timer BebPl::Beb;
    /// Slot of the perfect links.
    PlSlot(pl: L) as "pl" => on_pl_deliver, msg BebPl::Pl, timer BebPl::Pl;
}

impl<V: Payload + Default> ReadImposeWriteMajority<V> {
    /// Over perfect links with retransmission period `period`.
    pub fn new(period: Time) -> Self {
        ReadImposeWriteMajority::over(PerfectLinks::new(period), PerfectLinks::new(period))
    }
}

impl<V: Payload + Default, L: Link<Msg<V>>> ReadImposeWriteMajority<V, L> {
    /// Over the given links: those of the best-effort broadcast and its own.
    pub fn over(beb_links: L, pl: L) -> Self {
        ReadImposeWriteMajority {
            beb: BestEffortBroadcast::over(beb_links),
            pl,
            client: Client::new(),
            stored: Stored::default(),
            wts: 0,
            acks: 0,
            rid: 0,
            readlist: ReadList::default(),
            readval: V::default(),
            reading: false,
            imposing: false,
            write_back: true,
        }
    }

    /// MUTANT: a read returns without writing back (Majority Voting, not atomic).
    pub fn without_write_back(mut self) -> Self {
        self.write_back = false;
        self
    }

    /// `upon event ⟨ beb, Deliver | p, [READ, r] ⟩ do
    /// trigger ⟨ pl, Send | p, [VALUE, r, ts, val] ⟩`, and
    /// `upon event ⟨ beb, Deliver | p, [WRITE, r, ts', v'] ⟩ do if ts' > ts then
    /// (ts, val) := (ts', v'); trigger ⟨ pl, Send | p, [ACK, r] ⟩`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from: p, msg }: Deliver<Msg<V>>) {
        let reply = match msg {
            Msg::Read { r } => self.stored.value(r),
            Msg::Write { r, ts, v, .. } => {
                self.stored.adopt(ts, 0, v);
                Msg::Ack { r }
            }
            _ => return,
        };
        ctx.trigger(self, PlSlot, Send { to: p, msg: reply });
    }

    // ANCHOR: answers
    /// `upon event ⟨ pl, Deliver | q, [VALUE, r, ts', v'] ⟩ such that r = rid do
    /// readlist[q] := (ts', v'); if #(readlist) > N/2 then (maxts, readval) :=
    /// highest(readlist); readlist := [⊥]^N;
    /// trigger ⟨ beb, Broadcast | [WRITE, rid, maxts, readval] ⟩`, and
    /// `upon event ⟨ pl, Deliver | q, [ACK, r] ⟩ such that r = rid do acks := acks + 1;
    /// if acks > N/2 then acks := 0; if reading = TRUE then reading := FALSE;
    /// trigger ⟨ onar, ReadReturn | readval ⟩ else trigger ⟨ onar, WriteReturn ⟩`.
    fn on_pl_deliver(
        &mut self,
        ctx: &mut Ctx<Self>,
        links::Deliver { from: q, msg }: links::Deliver<Msg<V>>,
    ) {
        let n = ctx.n();
        match msg {
            Msg::Value { r, ts, v, .. } if self.reading && !self.imposing && r == self.rid => {
                let answers = self.readlist.put(q, (ts, v));
                if answers * 2 > n {
                    let (maxts, readval) = self.readlist.highest(|(ts, _)| *ts);
                    self.readlist.reset(n);
                    self.readval = readval.clone();
                    if !self.write_back {
                        self.reading = false;
                        self.client.done();
                        ctx.indicate(RegisterRet::ReadReturn(readval));
                        return;
                    }
                    self.imposing = true;
                    let msg = Msg::Write {
                        r: self.rid,
                        ts: maxts,
                        wr: 0,
                        v: readval,
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

impl<V: Payload + Default, L: Link<Msg<V>>> Operations<V> for ReadImposeWriteMajority<V, L> {
    /// `upon event ⟨ onar, Init ⟩ do (ts, val) := (0, ⊥); wts := 0; acks := 0; rid := 0;
    /// readlist := [⊥]^N; readval := ⊥; reading := FALSE`.
    fn init(&mut self, ctx: &mut Ctx<Self>) {
        self.readlist.reset(ctx.n());
    }

    /// `upon event ⟨ onar, Write | v ⟩ do rid := rid + 1; wts := wts + 1; acks := 0;
    /// trigger ⟨ beb, Broadcast | [WRITE, rid, wts, v] ⟩`.
    fn write(&mut self, ctx: &mut Ctx<Self>, v: V) {
        self.rid += 1;
        self.wts += 1;
        self.acks = 0;
        self.imposing = true;
        let msg = Msg::Write {
            r: self.rid,
            ts: self.wts,
            wr: 0,
            v,
        };
        ctx.trigger(self, BebSlot, Broadcast { msg });
    }

    /// `upon event ⟨ onar, Read ⟩ do rid := rid + 1; acks := 0; readlist := [⊥]^N;
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
    impl[V: Payload + Default, L: Link<Msg<V>>] ReadImposeWriteMajority<V, L> as "onar", V;
    BebPl { Beb => BebSlot: Beb<V, L>, Pl => PlSlot: L }
}

use crate::abstractions::{predicted, register, PERIOD};
use automata::Value;
use catalogue::{job, job_predicting, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "read-impose-write-majority", abstraction: "onar", params: &[PERIOD],
    model: "fail-silent with N > 2f; one writer",
    summary: "Read-Impose Write-Majority (CGR 4.6, ABD): a read writes back what it returns to a majority",
    build: |l, p| {
        let n = l.scenario.processes as u64;
        let costs = predicted(l, (4, 4 * n), (2, 2 * n));
        let period = p.int("period");
        job_predicting(l, p, move |_| ReadImposeWriteMajority::<Value>::new(period), register, costs)
    };

    id: "read-impose-write-majority-no-write-back", abstraction: "onar", params: &[PERIOD], mutant: true,
    model: "without the write-back a read is Majority Voting's: new-old inversions",
    summary: "MUTANT: Read-Impose Write-Majority whose reads do not impose",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| ReadImposeWriteMajority::<Value>::new(period).without_write_back(), register)
    };
};
