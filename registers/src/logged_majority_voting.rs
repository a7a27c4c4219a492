//! (1,N) logged regular register `lonrr` by Logged Majority Voting (CGR Module 4.4, Algorithms
//! 4.12-4.13).
//!
//! Algorithm id: `logged-majority-voting`.
//!
//! Model: fail-recovery (crash-recovery with stable storage) with a majority of processes up,
//! one writer. Uses stubborn best-effort broadcast and stubborn links, which deliver every
//! message again and again (so acknowledgements are collected in a set, `acklist`).
//! Properties: LONRR1 termination (an operation of a correct process completes), LONRR2
//! validity (regular). Majority Voting whose variables survive a crash: a process *stores*
//! `(ts, val)` before it acknowledges a WRITE, so a completed write is in the stable storage of
//! a majority and every later read quorum meets it; the writer stores `wts` and the write it is
//! running, which it finishes on recovery; a reader stores `rid`, so the VALUE replies to a
//! read from before its crash, still retransmitted, never answer a new one. Cost: as Majority
//! Voting (a write 2 steps and 2N messages, a read the same), plus a store before every
//! acknowledgement.
//!
//! Mutant: [`LoggedMajorityVoting::acking_before_storing`] sends the acknowledgement first;
//! a process that crashes right after it (an `after_sends` crash) has acknowledged a value it
//! never stored, and once two of three did, a completed write is lost (LONRR2).

use crate::interface::{empty_list, highest, Client, Msg, Operations, RegisterRet, SbebSl};
use automata::{Ctx, Payload, Pid, Time};
use broadcast::{Broadcast, Deliver, StubbornBroadcast};
use links::{Link, Send, StubbornLinks};
use serde::{de::DeserializeOwned, Serialize};
use std::collections::BTreeSet;

type Sbeb<V, L> = StubbornBroadcast<Msg<V>, L>;

/// What a value must be to sit in stable storage.
pub trait Logged: Payload + Default + Serialize + DeserializeOwned {}
impl<V: Payload + Default + Serialize + DeserializeOwned> Logged for V {}

/// Logged Majority Voting over Basic Stubborn Broadcast and Retransmit Forever.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LoggedMajorityVoting<V: Logged, L: Link<Msg<V>> = StubbornLinks<Msg<V>>> {
    sbeb: Sbeb<V, L>,
    sl: L,
    client: Client<V>,
    /// `(ts, val)`: the timestamped value stored here (stable).
    ts: u64,
    val: V,
    /// `wts`, `writing`, `writeval`: the writer's last write (stable).
    wts: u64,
    writing: bool,
    writeval: V,
    /// `acklist`: who acknowledged the running write.
    acklist: BTreeSet<Pid>,
    /// `rid` (stable), `readlist`.
    rid: u64,
    readlist: Vec<Option<(u64, V)>>,
    reading: bool,
    /// A client waits for the running write (not so for a write resumed on recovery).
    answering: bool,
    /// Mutant switch: `false` acknowledges a WRITE before storing it.
    store_first: bool,
}

automata::below! {
    impl[V: Logged, L: Link<Msg<V>>] LoggedMajorityVoting<V, L>;
    /// Slot of the stubborn best-effort broadcast.
    SbebSlot(sbeb: Sbeb<V, L>) as "sbeb" => on_sbeb_deliver,
        msg SbebSl::Sbeb, timer SbebSl::Sbeb;
    /// Slot of the stubborn links.
    SlSlot(sl: L) as "sl" => on_sl_deliver, msg SbebSl::Sl, timer SbebSl::Sl;
}

/// Stable-storage keys.
const TSVAL: &str = "ts-val";
const WRITE: &str = "wts-writing-writeval";
const RID: &str = "rid";

impl<V: Logged> LoggedMajorityVoting<V> {
    /// Over stubborn links with retransmission period `period`.
    pub fn new(period: Time) -> Self {
        LoggedMajorityVoting::over(StubbornLinks::new(period), StubbornLinks::new(period))
    }
}

impl<V: Logged, L: Link<Msg<V>>> LoggedMajorityVoting<V, L> {
    /// Over the given links (the stubborn broadcast's and its own).
    pub fn over(sbeb_links: L, sl: L) -> Self {
        LoggedMajorityVoting {
            sbeb: StubbornBroadcast::over(sbeb_links),
            sl,
            client: Client::new(),
            ts: 0,
            val: V::default(),
            wts: 0,
            writing: false,
            writeval: V::default(),
            acklist: BTreeSet::new(),
            rid: 0,
            readlist: Vec::new(),
            reading: false,
            answering: false,
            store_first: true,
        }
    }

    /// MUTANT: `trigger ⟨ sl, Send | p, [ACK, ts'] ⟩` comes before `store(ts, val)`.
    pub fn acking_before_storing(mut self) -> Self {
        self.store_first = false;
        self
    }

    fn store_write(&self, ctx: &mut Ctx<Self>) {
        ctx.store(WRITE, &(self.wts, self.writing, &self.writeval));
    }

    fn broadcast_write(&mut self, ctx: &mut Ctx<Self>) {
        let msg = Msg::Write {
            r: 0,
            ts: self.wts,
            wr: 0,
            v: self.writeval.clone(),
        };
        ctx.trigger(self, SbebSlot, Broadcast { msg });
    }

    // ANCHOR: replica
    /// `upon event ⟨ sbeb, Deliver | p, [WRITE, ts', v'] ⟩ do if ts' > ts then
    /// (ts, val) := (ts', v'); store(ts, val); trigger ⟨ sl, Send | p, [ACK, ts'] ⟩`, and
    /// `upon event ⟨ sbeb, Deliver | p, [READ, r] ⟩ do
    /// trigger ⟨ sl, Send | p, [VALUE, r, ts, val] ⟩`.
    fn on_sbeb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from: p, msg }: Deliver<Msg<V>>) {
        match msg {
            Msg::Write { ts, v, .. } => {
                let newer = ts > self.ts;
                if newer {
                    (self.ts, self.val) = (ts, v);
                }
                if newer && self.store_first {
                    ctx.store(TSVAL, &(self.ts, &self.val));
                }
                ctx.trigger(
                    self,
                    SlSlot,
                    Send {
                        to: p,
                        msg: Msg::Ack { r: ts },
                    },
                );
                if newer && !self.store_first {
                    ctx.store(TSVAL, &(self.ts, &self.val));
                }
            }
            Msg::Read { r } => {
                let msg = Msg::Value {
                    r,
                    ts: self.ts,
                    wr: 0,
                    v: self.val.clone(),
                };
                ctx.trigger(self, SlSlot, Send { to: p, msg });
            }
            _ => {}
        }
    }
    // ANCHOR_END: replica

    /// `upon event ⟨ sl, Deliver | q, [ACK, ts'] ⟩ such that ts' = wts do
    /// acklist := acklist ∪ {q}; if #(acklist) > N/2 then acklist := ∅; writing := FALSE;
    /// store(writing); trigger ⟨ lonrr, WriteReturn ⟩`, and
    /// `upon event ⟨ sl, Deliver | q, [VALUE, r, ts', v'] ⟩ such that r = rid do
    /// readlist[q] := (ts', v'); if #(readlist) > N/2 then v := highestval(readlist);
    /// readlist := [⊥]^N; trigger ⟨ lonrr, ReadReturn | v ⟩`.
    fn on_sl_deliver(
        &mut self,
        ctx: &mut Ctx<Self>,
        links::Deliver { from: q, msg }: links::Deliver<Msg<V>>,
    ) {
        let n = ctx.n();
        match msg {
            Msg::Ack { r } if self.writing && r == self.wts => {
                self.acklist.insert(q);
                if self.acklist.len() * 2 > n {
                    self.acklist.clear();
                    self.writing = false;
                    self.store_write(ctx);
                    if std::mem::take(&mut self.answering) {
                        self.client.done();
                        ctx.indicate(RegisterRet::WriteReturn);
                    }
                }
            }
            Msg::Value { r, ts, v, .. } if self.reading && r == self.rid => {
                self.readlist[q] = Some((ts, v));
                if self.readlist.iter().flatten().count() * 2 > n {
                    let v = highest(&self.readlist, |(ts, _)| *ts).1;
                    self.readlist = empty_list(n);
                    self.reading = false;
                    self.client.done();
                    ctx.indicate(RegisterRet::ReadReturn(v));
                }
            }
            _ => {}
        }
    }
}

impl<V: Logged, L: Link<Msg<V>>> Operations<V> for LoggedMajorityVoting<V, L> {
    /// `upon event ⟨ lonrr, Init ⟩ do (ts, val) := (0, ⊥); wts := 0; rid := 0;
    /// writing := FALSE; acklist := ∅; readlist := [⊥]^N; store(ts, val, wts, writing, rid)`.
    fn init(&mut self, ctx: &mut Ctx<Self>) {
        self.readlist = empty_list(ctx.n());
        ctx.store(TSVAL, &(self.ts, &self.val));
        self.store_write(ctx);
        ctx.store(RID, &self.rid);
    }

    /// `upon event ⟨ lonrr, Write | v ⟩ do wts := wts + 1; (writing, writeval) := (TRUE, v);
    /// acklist := ∅; store(wts, writing, writeval);
    /// trigger ⟨ sbeb, Broadcast | [WRITE, wts, v] ⟩`.
    fn write(&mut self, ctx: &mut Ctx<Self>, v: V) {
        self.wts += 1;
        (self.writing, self.writeval) = (true, v);
        self.acklist.clear();
        self.answering = true;
        self.store_write(ctx);
        self.broadcast_write(ctx);
    }

    /// `upon event ⟨ lonrr, Read ⟩ do rid := rid + 1; store(rid); readlist := [⊥]^N;
    /// trigger ⟨ sbeb, Broadcast | [READ, rid] ⟩`.
    fn read(&mut self, ctx: &mut Ctx<Self>) {
        self.rid += 1;
        ctx.store(RID, &self.rid);
        self.readlist = empty_list(ctx.n());
        self.reading = true;
        let msg = Msg::Read { r: self.rid };
        ctx.trigger(self, SbebSlot, Broadcast { msg });
    }

    // ANCHOR: recover
    /// `upon event ⟨ lonrr, Recovery ⟩ do retrieve(ts, val, wts, writing, writeval, rid);
    /// acklist := ∅; readlist := [⊥]^N; if writing = TRUE then
    /// trigger ⟨ sbeb, Broadcast | [WRITE, wts, writeval] ⟩`. Its client crashed, so the
    /// resumed write returns to no one.
    fn recover(&mut self, ctx: &mut Ctx<Self>) {
        if let Some((ts, val)) = ctx.retrieve(TSVAL) {
            (self.ts, self.val) = (ts, val);
        }
        if let Some((wts, writing, writeval)) = ctx.retrieve(WRITE) {
            (self.wts, self.writing, self.writeval) = (wts, writing, writeval);
        }
        self.rid = ctx.retrieve(RID).unwrap_or(0);
        self.readlist = empty_list(ctx.n());
        if self.writing {
            self.broadcast_write(ctx);
        }
    }
    // ANCHOR_END: recover
}

crate::register_module! {
    impl[V: Logged, L: Link<Msg<V>>] LoggedMajorityVoting<V, L> as "lonrr", V;
    SbebSl { Sbeb => SbebSlot: Sbeb<V, L>, Sl => SlSlot: L }
}

use crate::abstractions::register;
use automata::Value;
use broadcast::abstractions::PERIOD_SL;
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "logged-majority-voting", abstraction: "lonrr", params: &[PERIOD_SL],
    model: "fail-recovery (crash-recovery, stable storage) with a majority up; one writer",
    summary: "Logged Majority Voting (CGR 4.12-4.13): Majority Voting over stubborn links that stores before it acknowledges",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| LoggedMajorityVoting::<Value>::new(period), register)
    };

    id: "logged-majority-voting-ack-first", abstraction: "lonrr", params: &[PERIOD_SL], mutant: true,
    model: "a process that crashes between its acknowledgement and its store has acknowledged a value it lost",
    summary: "MUTANT: Logged Majority Voting that acknowledges a WRITE before storing it",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| LoggedMajorityVoting::<Value>::new(period).acking_before_storing(), register)
    };
};
