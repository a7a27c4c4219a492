//! (N,N) atomic register `nnar` from (1,N) atomic registers (CGR Module 4.3, Algorithm 4.7,
//! "From (1,N) Atomic to (N,N) Atomic Registers"): a composition example.
//!
//! Algorithm id: `one-to-many-writers` (over Read-Impose Write-Majority).
//!
//! Model: that of the atomic registers below (Read-Impose Write-Majority: fail-silent with
//! N > 2f); any process may write. Uses N (1,N) atomic registers `onar.q`, register q written
//! by process q only. Properties: NNAR1 termination, NNAR2 atomicity (linearizability). Values
//! carry timestamps `(ts, wr)`, ordered by `ts` and then by the writer's rank. A reader reads
//! all N registers and returns the value with the highest timestamp; a writer does the same
//! reads first, to learn the highest timestamp, and writes its value with one higher into its
//! own register. Cost: a read is N reads below (4 steps and 4N² messages over Read-Impose
//! Write-Majority), a write N reads and one write (6 steps, 4N² + 2N messages).
//!
//! Limitation: the registers below are instances of at most 25 slots ([`crate::instances`]),
//! so N ≤ 25.
//!
//! Mutant: [`OneToManyWriters::without_consult`] writes with its own last timestamp plus one,
//! without reading the others' registers: a later write by a process that wrote less often
//! loses to an earlier one (NNAR2).

use crate::instances::MAX;
use crate::interface::{empty_list, highest, Client, Operations, Register, RegisterRet};
use crate::RegisterOp;
use automata::{Ctx, Payload, Pid};
use std::collections::BTreeMap;

/// A value with its timestamp `(ts, wr)`.
type Stamped<V> = ((u64, Pid), V);

/// The trace names of the registers below, by number.
const ONAR: [&str; MAX] = [
    "onar.0", "onar.1", "onar.2", "onar.3", "onar.4", "onar.5", "onar.6", "onar.7", "onar.8",
    "onar.9", "onar.10", "onar.11", "onar.12", "onar.13", "onar.14", "onar.15", "onar.16",
    "onar.17", "onar.18", "onar.19", "onar.20", "onar.21", "onar.22", "onar.23", "onar.24",
];

/// The (N,N) atomic register built from N (1,N) atomic registers `R` of timestamped values.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OneToManyWriters<V: Payload + Default, R: Register<Stamped<V>>> {
    /// `onar.q`, by number q; each made from `template`.
    onar: BTreeMap<usize, R>,
    template: R,
    client: Client<V>,
    /// `val`, `writing`, `readlist`.
    val: V,
    writing: bool,
    readlist: Vec<Option<Stamped<V>>>,
    /// The timestamp of this process's last write (the mutant's only source of timestamps).
    wts: u64,
    /// Mutant switch: `false` writes without reading the registers first.
    consult: bool,
}

impl<V: Payload + Default, R: Register<Stamped<V>>> OneToManyWriters<V, R> {
    /// Over atomic registers made from `template` (one writer each).
    pub fn over(template: R) -> Self {
        OneToManyWriters {
            onar: BTreeMap::new(),
            template,
            client: Client::new(),
            val: V::default(),
            writing: false,
            readlist: Vec::new(),
            wts: 0,
            consult: true,
        }
    }

    /// MUTANT: a write uses the writer's own last timestamp plus one.
    pub fn without_consult(mut self) -> Self {
        self.consult = false;
        self
    }

    /// `forall q ∈ Π do trigger ⟨ onar.q, Read ⟩`.
    fn read_all(&mut self, ctx: &mut Ctx<Self>) {
        for q in ctx.processes() {
            crate::instances::trigger(ctx, self, q, RegisterOp::Read);
        }
    }

    /// `trigger ⟨ onar.self, Write | ((ts, rank(self)), val) ⟩`.
    fn write_own(&mut self, ctx: &mut Ctx<Self>, ts: u64) {
        self.wts = ts;
        let op = RegisterOp::Write(((ts, ctx.me()), self.val.clone()));
        crate::instances::trigger(ctx, self, ctx.me(), op);
    }

    /// `upon event ⟨ onar.q, ReadReturn | ((ts', wr'), v') ⟩ do readlist[q] := ...;
    /// if #(readlist) = N then ((ts, wr), v) := highest(readlist); readlist := [⊥]^N;
    /// if writing = TRUE then writing := FALSE;
    /// trigger ⟨ onar.self, Write | ((ts + 1, rank(self)), val) ⟩ else
    /// trigger ⟨ nnar, ReadReturn | v ⟩`, and
    /// `upon event ⟨ onar.self, WriteReturn ⟩ do trigger ⟨ nnar, WriteReturn ⟩`.
    fn on_onar_return(&mut self, ctx: &mut Ctx<Self>, q: usize, ind: RegisterRet<Stamped<V>>) {
        let n = ctx.n();
        match ind {
            RegisterRet::ReadReturn(stamped) => {
                self.readlist[q] = Some(stamped);
                if self.readlist.iter().flatten().count() == n {
                    let ((ts, _), v) = highest(&self.readlist, |(stamp, _)| *stamp);
                    self.readlist = empty_list(n);
                    if self.writing {
                        self.writing = false;
                        self.write_own(ctx, ts + 1);
                    } else {
                        self.client.done();
                        ctx.indicate(RegisterRet::ReadReturn(v));
                    }
                }
            }
            RegisterRet::WriteReturn => {
                self.client.done();
                ctx.indicate(RegisterRet::WriteReturn);
            }
        }
    }
}

impl<V: Payload + Default, R: Register<Stamped<V>>> Operations<V> for OneToManyWriters<V, R> {
    /// `upon event ⟨ nnar, Init ⟩ do val := ⊥; writing := FALSE; readlist := [⊥]^N;
    /// forall q ∈ Π do initialize a new instance onar.q of (1,N)-AtomicRegister with
    /// writer q`.
    fn init(&mut self, ctx: &mut Ctx<Self>) {
        assert!(
            ctx.n() <= MAX,
            "one-to-many-writers runs with at most {MAX} processes"
        );
        self.readlist = empty_list(ctx.n());
        for q in ctx.processes() {
            self.onar.insert(q, self.template.clone());
        }
    }

    /// `upon event ⟨ nnar, Write | v ⟩ do val := v; writing := TRUE;
    /// forall q ∈ Π do trigger ⟨ onar.q, Read ⟩`.
    fn write(&mut self, ctx: &mut Ctx<Self>, v: V) {
        self.val = v;
        if !self.consult {
            self.write_own(ctx, self.wts + 1);
            return;
        }
        self.writing = true;
        self.read_all(ctx);
    }

    /// `upon event ⟨ nnar, Read ⟩ do forall q ∈ Π do trigger ⟨ onar.q, Read ⟩`.
    fn read(&mut self, ctx: &mut Ctx<Self>) {
        self.read_all(ctx);
    }
}

crate::register_module! {
    impl[V: Payload + Default, R: Register<Stamped<V>>] OneToManyWriters<V, R> as "nnar", V;
    instances onar: R, names ONAR => on_onar_return
}

use crate::abstractions::{predicted, register, PERIOD};
use crate::ReadImposeWriteMajority;
use automata::Value;
use catalogue::{job, job_predicting, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "one-to-many-writers", abstraction: "nnar", params: &[PERIOD],
    model: "that of the atomic registers below (Read-Impose Write-Majority: fail-silent, N > 2f); any process writes; N ≤ 25",
    summary: "From (1,N) atomic to (N,N) atomic (CGR 4.7): one Read-Impose Write-Majority register per writer, timestamps (ts, rank)",
    build: |l, p| {
        let n = l.scenario.processes as u64;
        let costs = predicted(l, (4, 4 * n * n), (6, 4 * n * n + 2 * n));
        let period = p.int("period");
        job_predicting(l, p, move |_| OneToManyWriters::<Value, _>::over(ReadImposeWriteMajority::new(period)), register, costs)
    };

    id: "one-to-many-writers-no-consult", abstraction: "nnar", params: &[PERIOD], mutant: true,
    model: "without reading the others' registers a writer may pick a smaller timestamp than a completed write's",
    summary: "MUTANT: the one-to-many-writers transformation whose writes use the writer's own last timestamp",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| OneToManyWriters::<Value, _>::over(ReadImposeWriteMajority::new(period)).without_consult(), register)
    };
};
