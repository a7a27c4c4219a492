//! (1,N) atomic register `onar` from (1,N) regular registers (CGR Module 4.2, Algorithms
//! 4.3-4.4, "From (1,N) Regular to (1,N) Atomic Registers"): a composition example.
//!
//! Algorithm id: `regular-to-atomic` (over Majority Voting).
//!
//! Model: that of the regular registers below (Majority Voting: fail-silent with N > 2f), one
//! writer. Uses N² (1,N) regular registers `onrr.q.r`, one for each reader q and writer r:
//! process r writes only the registers `onrr.q.r` of its row and q reads only those of its
//! column. Properties: ONAR1-ONAR3, linearizability. Every value carries the writer's
//! timestamp. The writer writes `(ts, v)` into the register of every reader; a reader reads the
//! N registers written for it, takes the highest timestamp and, before returning, writes it
//! into the registers it writes for every other reader: the write-back of Read-Impose
//! Write-Majority, one level up, so that a later reader finds a timestamp at least as high.
//! Cost: a write is N writes below (2 steps and 2N² messages over Majority Voting), a read N
//! reads and N writes (4 steps, 4N² messages).
//!
//! Limitation: the registers below are instances numbered `q * 5 + r` of at most 25 slots
//! ([`crate::instances`]), so N ≤ 5.
//!
//! Mutant: [`RegularToAtomic::without_write_back`] returns the highest value read without
//! writing it back: regular, not atomic (ONAR3).

use crate::instances::MAX;
use crate::interface::{empty_list, highest, Client, Operations, Register, RegisterRet};
use crate::RegisterOp;
use automata::{Ctx, Payload, Pid};
use std::collections::BTreeMap;

/// The number of register `onrr.q.r`.
fn onrr(q: Pid, r: Pid) -> usize {
    q * 5 + r
}

/// The trace names of the registers below, by number.
const ONRR: [&str; MAX] = [
    "onrr.0.0", "onrr.0.1", "onrr.0.2", "onrr.0.3", "onrr.0.4", "onrr.1.0", "onrr.1.1", "onrr.1.2",
    "onrr.1.3", "onrr.1.4", "onrr.2.0", "onrr.2.1", "onrr.2.2", "onrr.2.3", "onrr.2.4", "onrr.3.0",
    "onrr.3.1", "onrr.3.2", "onrr.3.3", "onrr.3.4", "onrr.4.0", "onrr.4.1", "onrr.4.2", "onrr.4.3",
    "onrr.4.4",
];

/// The (1,N) atomic register built from N² (1,N) regular registers `R` of timestamped values.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RegularToAtomic<V: Payload + Default, R: Register<(u64, V)>> {
    /// `onrr.q.r`, by number; each made from `template`.
    onrr: BTreeMap<usize, R>,
    template: R,
    client: Client<V>,
    /// `ts`, `acks`, `writing`, `readval`, `readlist`.
    ts: u64,
    acks: usize,
    writing: bool,
    readval: V,
    readlist: Vec<Option<(u64, V)>>,
    /// Mutant switch: `false` returns a read without writing it back.
    write_back: bool,
}

impl<V: Payload + Default, R: Register<(u64, V)>> RegularToAtomic<V, R> {
    /// Over regular registers made from `template` (one writer and one reader each).
    pub fn over(template: R) -> Self {
        RegularToAtomic {
            onrr: BTreeMap::new(),
            template,
            client: Client::new(),
            ts: 0,
            acks: 0,
            writing: false,
            readval: V::default(),
            readlist: Vec::new(),
            write_back: true,
        }
    }

    /// MUTANT: a read returns the highest value it read, without writing it back.
    pub fn without_write_back(mut self) -> Self {
        self.write_back = false;
        self
    }

    /// `forall q ∈ Π do trigger ⟨ onrr.q.self, Write | (ts, v) ⟩`.
    fn write_row(&mut self, ctx: &mut Ctx<Self>, ts: u64, v: V) {
        let me = ctx.me();
        for q in ctx.processes() {
            let op = RegisterOp::Write((ts, v.clone()));
            crate::instances::trigger(ctx, self, onrr(q, me), op);
        }
    }

    /// `upon event ⟨ onrr.q.self, WriteReturn ⟩ do acks := acks + 1; if acks = N then
    /// acks := 0; if writing = TRUE then writing := FALSE; trigger ⟨ onar, WriteReturn ⟩ else
    /// trigger ⟨ onar, ReadReturn | readval ⟩`, and
    /// `upon event ⟨ onrr.self.r, ReadReturn | (ts', v') ⟩ do readlist[r] := (ts', v');
    /// if #(readlist) = N then (maxts, readval) := highest(readlist); readlist := [⊥]^N;
    /// forall q ∈ Π do trigger ⟨ onrr.q.self, Write | (maxts, readval) ⟩`.
    fn on_onrr_return(&mut self, ctx: &mut Ctx<Self>, i: usize, ind: RegisterRet<(u64, V)>) {
        let n = ctx.n();
        match ind {
            RegisterRet::WriteReturn => {
                self.acks += 1;
                if self.acks == n {
                    self.acks = 0;
                    self.client.done();
                    if self.writing {
                        self.writing = false;
                        ctx.indicate(RegisterRet::WriteReturn);
                    } else {
                        ctx.indicate(RegisterRet::ReadReturn(self.readval.clone()));
                    }
                }
            }
            RegisterRet::ReadReturn(stamped) => {
                self.readlist[i % 5] = Some(stamped);
                if self.readlist.iter().flatten().count() == n {
                    let (maxts, readval) = highest(&self.readlist, |(ts, _)| *ts);
                    self.readlist = empty_list(n);
                    self.readval = readval.clone();
                    if !self.write_back {
                        self.client.done();
                        ctx.indicate(RegisterRet::ReadReturn(readval));
                        return;
                    }
                    self.write_row(ctx, maxts, readval);
                }
            }
        }
    }
}

impl<V: Payload + Default, R: Register<(u64, V)>> Operations<V> for RegularToAtomic<V, R> {
    /// `upon event ⟨ onar, Init ⟩ do ts := 0; acks := 0; writing := FALSE; readval := ⊥;
    /// readlist := [⊥]^N; forall q ∈ Π, r ∈ Π do initialize a new instance onrr.q.r of
    /// (1,N)-RegularRegister with writer r and reader q`.
    fn init(&mut self, ctx: &mut Ctx<Self>) {
        assert!(
            ctx.n() <= 5,
            "regular-to-atomic runs with at most 5 processes"
        );
        self.readlist = empty_list(ctx.n());
        for q in ctx.processes() {
            for r in ctx.processes() {
                self.onrr.insert(onrr(q, r), self.template.clone());
            }
        }
    }

    /// `upon event ⟨ onar, Write | v ⟩ do ts := ts + 1; writing := TRUE;
    /// forall q ∈ Π do trigger ⟨ onrr.q.self, Write | (ts, v) ⟩`.
    fn write(&mut self, ctx: &mut Ctx<Self>, v: V) {
        self.ts += 1;
        self.writing = true;
        self.write_row(ctx, self.ts, v);
    }

    /// `upon event ⟨ onar, Read ⟩ do forall r ∈ Π do trigger ⟨ onrr.self.r, Read ⟩`.
    fn read(&mut self, ctx: &mut Ctx<Self>) {
        let me = ctx.me();
        for r in ctx.processes() {
            crate::instances::trigger(ctx, self, onrr(me, r), RegisterOp::Read);
        }
    }
}

crate::register_module! {
    impl[V: Payload + Default, R: Register<(u64, V)>] RegularToAtomic<V, R> as "onar", V;
    instances onrr: R, names ONRR => on_onrr_return
}

use crate::abstractions::{predicted, register, PERIOD};
use crate::MajorityVoting;
use automata::Value;
use catalogue::{job, job_predicting, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "regular-to-atomic", abstraction: "onar", params: &[PERIOD],
    model: "that of the regular registers below (Majority Voting: fail-silent, N > 2f); one writer; N ≤ 5",
    summary: "From (1,N) regular to (1,N) atomic (CGR 4.3-4.4): N² Majority Voting registers, a reader writes back what it returns",
    build: |l, p| {
        let n = l.scenario.processes as u64;
        let costs = predicted(l, (4, 4 * n * n), (2, 2 * n * n));
        let period = p.int("period");
        job_predicting(l, p, move |_| RegularToAtomic::<Value, _>::over(MajorityVoting::new(period)), register, costs)
    };

    id: "regular-to-atomic-no-write-back", abstraction: "onar", params: &[PERIOD], mutant: true,
    model: "without the write-back the registers below are only regular: new-old inversions",
    summary: "MUTANT: the regular-to-atomic transformation whose reads do not write back",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| RegularToAtomic::<Value, _>::over(MajorityVoting::new(period)).without_write_back(), register)
    };
};
