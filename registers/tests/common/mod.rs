//! What the register tests share: for simulations, the asynchronous model with its slow
//! channels, the two schedules that break registers (a new-old inversion, two writers), one run
//! judged by one monitor, and the proptest settings; for model checks, the bare network, the
//! synchronous lossy model, and the search with its verdict per plan.
#![allow(dead_code)] // each test file uses its own part

use automata::check::{Budget, Explore, Search};
use automata::model::{Delay, Timing};
use automata::sim::Sim;
use automata::{Fault, Module, Monitor, Monitors, Setup, SystemModel, Time, Value, Verdict};
use links::FairLossLinks;
use proptest::prelude::*;
use registers::{Msg, RegisterOp};

/// The network itself: no retransmission, so every path ends.
pub type Net = FairLossLinks<Msg<Value>>;

/// Synchronous, each packet takes 1 to `max` ticks, and with `loss` any may be lost (a lost
/// packet stands for one still in flight when the path ends).
pub fn lockstep(max: Time, loss: bool) -> SystemModel {
    let mut m = SystemModel {
        timing: Timing::Synchronous,
        delay: Delay {
            min: 1,
            max,
            tail: 0.0,
        },
        ..SystemModel::default()
    };
    m.links.loss = if loss { 0.1 } else { 0.0 };
    m
}

pub fn write(v: &str) -> RegisterOp<Value> {
    RegisterOp::Write(Value::str(v))
}

/// Asynchronous, delays in [1, 10] without a tail: what is slow is what a schedule's `slow`
/// faults make slow.
pub fn asynchronous() -> SystemModel {
    SystemModel {
        timing: Timing::Asynchronous,
        delay: Delay {
            min: 1,
            max: 10,
            tail: 0.0,
        },
        ..SystemModel::default()
    }
}

/// The channel `from` → `to` takes 500 ticks more until `until`.
pub fn slow(from: usize, to: usize, until: u64) -> Fault {
    Fault::Delay {
        from_process: from,
        to_process: to,
        extra: 500,
        from: 0,
        until,
    }
}

/// The verdict of the one monitor `m` on a run of `setup` (to 1,500, settling 600).
pub fn run<R: Module<Req = RegisterOp<Value>>>(setup: Setup<R>, m: impl Monitor) -> Verdict {
    let out = Sim::new(setup, Monitors::new(vec![Box::new(m)]))
        .max_time(1500)
        .settle(600)
        .run();
    out.properties[0].verdict.clone()
}

/// The new-old inversion schedule of Majority Voting
/// (scenarios/registers/majority-voting-new-old-inversion.toml): N = 5, the writer's WRITEs
/// reach 0 and 3 only; reader 1 hears from 1, 3 and 4, later reader 2 from 2, 1 and 4.
pub fn inversion<R: Module<Req = RegisterOp<Value>>>(
    factory: impl Fn(usize) -> R + Send + Sync + 'static,
) -> Setup<R> {
    Setup::new(5, asynchronous(), factory)
        .faults(vec![
            slow(0, 1, 200),
            slow(0, 2, 200),
            slow(0, 4, 200),
            slow(2, 1, 70),
            slow(3, 2, 200),
        ])
        .request(10, 0, write("v1"))
        .request(30, 1, RegisterOp::Read)
        .request(80, 2, RegisterOp::Read)
}

/// Two writers: 1 writes a, and later 0 writes b while the channel 1 → 0 is slow; 2 reads.
pub fn two_writers<R: Module<Req = RegisterOp<Value>>>(
    factory: impl Fn(usize) -> R + Send + Sync + 'static,
) -> Setup<R> {
    Setup::new(3, asynchronous(), factory)
        .faults(vec![slow(1, 0, 200)])
        .request(10, 1, write("a"))
        .request(60, 0, write("b"))
        .request(120, 2, RegisterOp::Read)
}

/// 256 cases from a fixed seed, nothing persisted.
pub fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(7),
        ..ProptestConfig::default()
    }
}

/// Settle time of the proptest runs.
pub const SETTLE: u64 = 400;

/// Every property of `monitors` holds on the complete run of `setup` from `seed`.
pub fn holds<R: Module>(
    setup: Setup<R>,
    monitors: Monitors,
    seed: u64,
) -> Result<(), TestCaseError> {
    let max_time = setup.quiet_from() + SETTLE;
    let out = Sim::new(setup, monitors)
        .seed(seed)
        .max_time(max_time)
        .settle(SETTLE)
        .run();
    prop_assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
    Ok(())
}

/// The first property violated on some path, the unique states and whether the search was
/// exhaustive (within `horizon`, if any).
pub fn explore<R: Module>(
    setup: Setup<R>,
    monitors: Vec<Box<dyn Monitor>>,
    horizon: Option<Time>,
) -> (Option<&'static str>, usize, bool) {
    let budget = Budget {
        max_states: Some(2_000_000),
        ..Budget::depth(200)
    };
    let mut explore = Explore::new(setup, Monitors::new(monitors));
    if let Some(h) = horizon {
        explore = explore.horizon(h);
    }
    let r = explore.check(Search::Bfs, budget, 1);
    (
        r.counterexample.map(|c| c.property),
        r.unique_states,
        r.coverage.complete,
    )
}

/// Asserts that no property fails on any path of any plan, exhaustively; the unique states,
/// summed over the plans.
pub fn holds_on_every_path<R: Module>(
    setup: impl Fn(Vec<Fault>) -> Setup<R>,
    plans: &[Vec<Fault>],
    monitors: fn() -> Vec<Box<dyn Monitor>>,
    horizon: Option<Time>,
) -> usize {
    let mut total = 0;
    for plan in plans {
        let (violated, states, complete) = explore(setup(plan.clone()), monitors(), horizon);
        assert_eq!(violated, None, "{plan:?}: after {states} states");
        assert!(complete, "{plan:?}: not exhaustive after {states} states");
        total += states;
    }
    total
}

/// The properties that fail on some path, one per plan where one does (same bounds).
pub fn caught<R: Module>(
    setup: impl Fn(Vec<Fault>) -> Setup<R>,
    plans: &[Vec<Fault>],
    monitors: fn() -> Vec<Box<dyn Monitor>>,
) -> Vec<&'static str> {
    plans
        .iter()
        .filter_map(|plan| explore(setup(plan.clone()), monitors(), None).0)
        .collect()
}
