//! The model checker against stateright's own, on two-phase commit as TLA+ writes it.
//!
//! Both explore the same state graph (288, 8,832, 296,448 states for 3, 5, 7 resource
//! managers): stateright's checker a plain `stateright::Model` written here, the
//! specification's variables as a few sets; ours the `two-phase-tla` algorithm, a world of
//! modules, timers, a network and a monitor. `cargo bench -p applications --bench two_phase`
//! first prints, for 5 and 7 resource managers, the best of 3 full breadth-first searches of
//! each on one thread and their ratio, then runs the criterion measurements for 5.

use applications::monitors::TcConsistent;
use applications::two_phase_tla::{tla_network, TwoPhase};
use automata::check::{Budget, Explore, Search};
use automata::{Monitors, Setup};
use criterion::{criterion_group, BenchmarkId, Criterion};
use stateright::{Checker, Model, Property};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// A resource manager's `rmState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Rm {
    Working,
    Prepared,
    Committed,
    Aborted,
}

/// A message of `msgs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Message {
    Prepared(usize),
    Commit,
    Abort,
}

/// The specification's variables; `tm` is `None` while `tmState = "init"`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Vars {
    rm: Vec<Rm>,
    tm: Option<Message>,
    tm_prepared: BTreeSet<usize>,
    msgs: BTreeSet<Message>,
}

/// The specification's actions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Step {
    TmRcvPrepared(usize),
    TmCommit,
    TmAbort,
    RmPrepare(usize),
    RmChooseToAbort(usize),
    RmRcvCommitMsg(usize),
    RmRcvAbortMsg(usize),
}

/// TwoPhase with `rms` resource managers, as a stateright model.
struct TwoPhaseSpec {
    rms: usize,
}

impl Model for TwoPhaseSpec {
    type State = Vars;
    type Action = Step;

    fn init_states(&self) -> Vec<Vars> {
        vec![Vars {
            rm: vec![Rm::Working; self.rms],
            tm: None,
            tm_prepared: BTreeSet::new(),
            msgs: BTreeSet::new(),
        }]
    }

    fn actions(&self, s: &Vars, out: &mut Vec<Step>) {
        if s.tm.is_none() {
            if s.tm_prepared.len() == self.rms {
                out.push(Step::TmCommit);
            }
            out.push(Step::TmAbort);
        }
        for r in 0..self.rms {
            if s.tm.is_none() && s.msgs.contains(&Message::Prepared(r)) {
                out.push(Step::TmRcvPrepared(r));
            }
            if s.rm[r] == Rm::Working {
                out.push(Step::RmPrepare(r));
                out.push(Step::RmChooseToAbort(r));
            }
            if s.msgs.contains(&Message::Commit) {
                out.push(Step::RmRcvCommitMsg(r));
            }
            if s.msgs.contains(&Message::Abort) {
                out.push(Step::RmRcvAbortMsg(r));
            }
        }
    }

    fn next_state(&self, s: &Vars, step: Step) -> Option<Vars> {
        let mut s = s.clone();
        match step {
            Step::TmRcvPrepared(r) => {
                s.tm_prepared.insert(r);
            }
            Step::TmCommit | Step::TmAbort => {
                let m = if step == Step::TmCommit {
                    Message::Commit
                } else {
                    Message::Abort
                };
                s.tm = Some(m);
                s.msgs.insert(m);
            }
            Step::RmPrepare(r) => {
                s.rm[r] = Rm::Prepared;
                s.msgs.insert(Message::Prepared(r));
            }
            Step::RmChooseToAbort(r) | Step::RmRcvAbortMsg(r) => s.rm[r] = Rm::Aborted,
            Step::RmRcvCommitMsg(r) => s.rm[r] = Rm::Committed,
        }
        Some(s)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![Property::always("consistent", |_, s: &Vars| {
            !(s.rm.contains(&Rm::Committed) && s.rm.contains(&Rm::Aborted))
        })]
    }
}

/// Unique states of stateright's search.
fn stateright_check(rms: usize) -> usize {
    let checker = TwoPhaseSpec { rms }.checker().threads(1).spawn_bfs().join();
    checker.assert_properties();
    checker.unique_state_count()
}

/// Unique states of ours, on the network and delays of the bundled scenarios.
fn ioa_check(rms: usize) -> usize {
    let setup = Setup::new(rms + 1, tla_network(), |_| TwoPhase::default());
    let monitors = Monitors::new(vec![Box::new(TcConsistent::new("tc"))]);
    let report = Explore::new(setup, monitors).check(Search::Bfs, Budget::depth(1_000), 1);
    assert!(report.counterexample.is_none() && report.coverage.complete);
    report.unique_states
}

fn best_of_3(f: impl Fn() -> usize) -> (usize, Duration) {
    let mut best = Duration::MAX;
    let mut states = 0;
    for _ in 0..3 {
        let t = Instant::now();
        states = f();
        best = best.min(t.elapsed());
    }
    (states, best)
}

fn two_phase(c: &mut Criterion) {
    let mut group = c.benchmark_group("two_phase");
    group.sample_size(10);
    let rms = 5;
    group.bench_with_input(BenchmarkId::new("stateright", rms), &rms, |b, &r| {
        b.iter(|| stateright_check(r))
    });
    group.bench_with_input(BenchmarkId::new("ioa", rms), &rms, |b, &r| {
        b.iter(|| ioa_check(r))
    });
    group.finish();
}

criterion_group!(benches, two_phase);

fn main() {
    println!("TwoPhase, breadth-first, 1 thread, best of 3");
    println!("RMs  states   stateright   ioa        ioa / stateright");
    for rms in [5, 7] {
        let (s, sr) = best_of_3(|| stateright_check(rms));
        let (o, ours) = best_of_3(|| ioa_check(rms));
        assert_eq!(s, o, "the two searches must see the same graph");
        println!(
            "{rms:<4} {s:<8} {:>8.3} s {:>8.3} s {:>8.2}",
            sr.as_secs_f64(),
            ours.as_secs_f64(),
            ours.as_secs_f64() / sr.as_secs_f64()
        );
    }
    println!();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
