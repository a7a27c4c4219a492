//! (1,N) regular register `onrr` by Majority Voting Regular Register (CGR Module 4.1,
//! Algorithm 4.2).
//!
//! Algorithm id: `majority-voting-register`.
//!
//! Model: fail-silent with a majority of correct processes (N > 2f), one writer. Uses
//! best-effort broadcast and perfect links. Properties: ONRR1 termination, ONRR2 validity (a
//! read returns the last value written, or one written concurrently). Every write and every
//! read waits for a majority; any two majorities intersect, so a read that starts after a write
//! returned hears from at least one process that stored it, and returns the value with the
//! highest timestamp. Regular, not atomic: two reads concurrent with one write may see the new
//! value and then the old (a new-old inversion). Cost: a write 2 steps and 2N messages, a read
//! the same.
//!
//! Mutant: [`MajorityVoting::non_intersecting_quorums`] waits for ⌊N/2⌋ answers instead of a
//! majority; two such quorums can be disjoint and a read misses a completed write (ONRR2).

use crate::interface::{BebPl, Client, Msg, Operations, RegisterRet};
use crate::quorum::{ReadList, Stored};
use automata::{Ctx, Payload, Time};
use broadcast::{BestEffortBroadcast, Broadcast, Deliver};
use links::{Link, PerfectLinks, Send};

type Beb<V, L> = BestEffortBroadcast<Msg<V>, L>;

/// Majority Voting over Basic Broadcast and Eliminate Duplicates.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MajorityVoting<V: Payload + Default, L: Link<Msg<V>> = PerfectLinks<Msg<V>>> {
    beb: Beb<V, L>,
    pl: L,
    client: Client<V>,
    /// `(ts, val)`: the timestamped value stored here.
    stored: Stored<V>,
    /// `wts`: the timestamp of the writer's last write; `acks`: its acknowledgements.
    wts: u64,
    acks: usize,
    writing: bool,
    /// `rid`: the id of this process's last read; `readlist`: the values heard for it.
    rid: u64,
    readlist: ReadList<(u64, V)>,
    reading: bool,
    /// Mutant switch: quorums of ⌊N/2⌋ instead of ⌊N/2⌋ + 1.
    small_quorums: bool,
}

automata::below! {
    impl[V: Payload + Default, L: Link<Msg<V>>] MajorityVoting<V, L>;
    /// Slot of the best-effort broadcast.
    BebSlot(beb: Beb<V, L>) as "beb" => on_beb_deliver, msg BebPl::Beb, timer BebPl::Beb;
    /// Slot of the perfect links.
    PlSlot(pl: L) as "pl" => on_pl_deliver, msg BebPl::Pl, timer BebPl::Pl;
}

impl<V: Payload + Default> MajorityVoting<V> {
    /// Majority Voting over perfect links with retransmission period `period`.
    pub fn new(period: Time) -> Self {
        MajorityVoting::over(PerfectLinks::new(period), PerfectLinks::new(period))
    }
}

impl<V: Payload + Default, L: Link<Msg<V>>> MajorityVoting<V, L> {
    /// Over the given links: those of the best-effort broadcast and its own.
    pub fn over(beb_links: L, pl: L) -> Self {
        MajorityVoting {
            beb: BestEffortBroadcast::over(beb_links),
            pl,
            client: Client::new(),
            stored: Stored::default(),
            wts: 0,
            acks: 0,
            writing: false,
            rid: 0,
            readlist: ReadList::default(),
            reading: false,
            small_quorums: false,
        }
    }

    /// MUTANT: quorums of ⌊N/2⌋ processes, which need not intersect.
    pub fn non_intersecting_quorums(mut self) -> Self {
        self.small_quorums = true;
        self
    }

    /// How many answers an operation waits for: more than N/2 (⌊N/2⌋ in the mutant).
    fn quorum(&self, n: usize) -> usize {
        if self.small_quorums {
            (n / 2).max(1)
        } else {
            n / 2 + 1
        }
    }

    // ANCHOR: replica
    /// `upon event ⟨ beb, Deliver | p, [WRITE, ts', v'] ⟩ do if ts' > ts then
    /// (ts, val) := (ts', v'); trigger ⟨ pl, Send | p, [ACK, ts'] ⟩`, and
    /// `upon event ⟨ beb, Deliver | p, [READ, r] ⟩ do
    /// trigger ⟨ pl, Send | p, [VALUE, r, ts, val] ⟩`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from: p, msg }: Deliver<Msg<V>>) {
        let reply = match msg {
            Msg::Write { ts, v, .. } => {
                self.stored.adopt(ts, 0, v);
                Msg::Ack { r: ts }
            }
            Msg::Read { r } => self.stored.value(r),
            _ => return,
        };
        ctx.trigger(self, PlSlot, Send { to: p, msg: reply });
    }

    /// `upon event ⟨ pl, Deliver | q, [ACK, ts'] ⟩ such that ts' = wts do acks := acks + 1;
    /// if acks > N/2 then acks := 0; trigger ⟨ onrr, WriteReturn ⟩`, and
    /// `upon event ⟨ pl, Deliver | q, [VALUE, r, ts', v'] ⟩ such that r = rid do
    /// readlist[q] := (ts', v'); if #(readlist) > N/2 then v := highestval(readlist);
    /// readlist := [⊥]^N; trigger ⟨ onrr, ReadReturn | v ⟩`.
    fn on_pl_deliver(
        &mut self,
        ctx: &mut Ctx<Self>,
        links::Deliver { from: q, msg }: links::Deliver<Msg<V>>,
    ) {
        let quorum = self.quorum(ctx.n());
        match msg {
            Msg::Ack { r } if self.writing && r == self.wts => {
                self.acks += 1;
                if self.acks >= quorum {
                    self.acks = 0;
                    self.writing = false;
                    self.client.done();
                    ctx.indicate(RegisterRet::WriteReturn);
                }
            }
            Msg::Value { r, ts, v, .. } if self.reading && r == self.rid => {
                let answers = self.readlist.put(q, (ts, v));
                if answers >= quorum {
                    let v = self.readlist.highest(|(ts, _)| *ts).1;
                    self.readlist.reset(ctx.n());
                    self.reading = false;
                    self.client.done();
                    ctx.indicate(RegisterRet::ReadReturn(v));
                }
            }
            _ => {}
        }
    }
    // ANCHOR_END: replica
}

impl<V: Payload + Default, L: Link<Msg<V>>> Operations<V> for MajorityVoting<V, L> {
    // ANCHOR: operations
    /// `upon event ⟨ onrr, Init ⟩ do (ts, val) := (0, ⊥); wts := 0; acks := 0; rid := 0;
    /// readlist := [⊥]^N`.
    fn init(&mut self, ctx: &mut Ctx<Self>) {
        self.readlist.reset(ctx.n());
    }

    /// `upon event ⟨ onrr, Write | v ⟩ do wts := wts + 1; acks := 0;
    /// trigger ⟨ beb, Broadcast | [WRITE, wts, v] ⟩`.
    fn write(&mut self, ctx: &mut Ctx<Self>, v: V) {
        self.wts += 1;
        self.acks = 0;
        self.writing = true;
        let msg = Msg::Write {
            r: 0,
            ts: self.wts,
            wr: 0,
            v,
        };
        ctx.trigger(self, BebSlot, Broadcast { msg });
    }

    /// `upon event ⟨ onrr, Read ⟩ do rid := rid + 1; readlist := [⊥]^N;
    /// trigger ⟨ beb, Broadcast | [READ, rid] ⟩`.
    fn read(&mut self, ctx: &mut Ctx<Self>) {
        self.rid += 1;
        self.readlist.reset(ctx.n());
        self.reading = true;
        let msg = Msg::Read { r: self.rid };
        ctx.trigger(self, BebSlot, Broadcast { msg });
    }
    // ANCHOR_END: operations
}

crate::register_module! {
    impl[V: Payload + Default, L: Link<Msg<V>>] MajorityVoting<V, L> as "onrr", V;
    BebPl { Beb => BebSlot: Beb<V, L>, Pl => PlSlot: L }
}

use crate::abstractions::{predicted, register, PERIOD};
use automata::Value;
use catalogue::{job, job_predicting, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "majority-voting-register", abstraction: "onrr", params: &[PERIOD],
    model: "fail-silent with N > 2f; one writer",
    summary: "Majority Voting Regular Register (CGR 4.2): write to and read from a majority, keep the highest timestamp",
    build: |l, p| {
        let n = l.scenario.processes as u64;
        let costs = predicted(l, (2, 2 * n), (2, 2 * n));
        let period = p.int("period");
        job_predicting(l, p, move |_| MajorityVoting::<Value>::new(period), register, costs)
    };

    id: "majority-voting-small-quorums", abstraction: "onrr", params: &[PERIOD], mutant: true,
    model: "quorums of ⌊N/2⌋ need not intersect: a read may miss a completed write",
    summary: "MUTANT: Majority Voting waiting for ⌊N/2⌋ answers instead of a majority",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| MajorityVoting::<Value>::new(period).non_intersecting_quorums(), register)
    };
};
