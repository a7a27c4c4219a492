//! Helpers shared by the links tests: monitor sets per abstraction, runs, verdict checks.
#![allow(dead_code)]

use automata::model::{Links, SystemModel};
use automata::sim::{Outcome, Sim};
use automata::{Module, Monitor, Monitors, Pid, Setup, Time, Value, Verdict};
use links::monitors::*;
use links::Send;

/// Retransmission period used throughout.
pub const PERIOD: Time = 10;
/// Settle time: 20 periods (the default of book §2.6).
pub const SETTLE: Time = 200;

/// PL1-PL3 on module `m` (also used for fll, sl and mutants "used as pl").
pub fn pl_monitors(m: &str) -> Monitors {
    Monitors::new(vec![
        Box::new(ReliableDelivery::new(m)),
        Box::new(NoDuplication::new(m)),
        Box::new(NoCreation::new(m)),
    ])
}

/// PL1-PL3 and FPL4 on module `m`.
pub fn fpl_monitors(m: &str) -> Monitors {
    let mut ms = pl_monitors(m);
    ms.push(Box::new(FifoDelivery::new(m)));
    ms
}

/// SL1-SL2 on module `m`.
pub fn sl_monitors(m: &str) -> Monitors {
    Monitors::new(vec![
        Box::new(StubbornDelivery::new(m)),
        Box::new(NoCreation::new(m)),
    ])
}

/// LPL1-LPL3 on module `m`.
pub fn lpl_monitors(m: &str) -> Monitors {
    let ms: Vec<Box<dyn Monitor>> = vec![
        Box::new(ReliableDelivery::logged(m)),
        Box::new(NoDuplication::new(m)),
        Box::new(NoCreation::new(m)),
    ];
    Monitors::new(ms)
}

/// ◇P's strong completeness and eventual strong accuracy on module `m`.
pub fn ep_monitors(m: &str) -> Monitors {
    Monitors::new(vec![
        Box::new(automata::conformance::StrongCompleteness::eventually_perfect(m)),
        Box::new(automata::conformance::EventualStrongAccuracy::new(m)),
    ])
}

/// Ω's eventual accuracy and eventual agreement on module `m`.
pub fn omega_monitors(m: &str) -> Monitors {
    Monitors::new(vec![
        Box::new(automata::conformance::EventualAccuracy::new(m)),
        Box::new(automata::conformance::EventualAgreement::new(m)),
    ])
}

/// A network with the given loss and duplication, reordering unless `fifo`.
pub fn net(loss: f64, duplication: f64, fifo: bool) -> SystemModel {
    SystemModel {
        links: Links {
            loss,
            duplication,
            fifo,
            ..Links::default()
        },
        ..SystemModel::default()
    }
}

/// `count` sends from `from` to `to`, one per tick from `start`, payloads `m0`, `m1`, ...
pub fn sends<R: Module<Req = Send<Value>>>(
    mut setup: Setup<R>,
    start: Time,
    from: Pid,
    to: Pid,
    count: usize,
) -> Setup<R> {
    for i in 0..count {
        setup = setup.request(
            start + i as Time,
            from,
            Send {
                to,
                msg: Value::str(&format!("m{i}")),
            },
        );
    }
    setup
}

/// Runs `setup` to the earliest complete horizon (quiet point + settle), recording the trace.
pub fn run_complete<R: Module>(setup: Setup<R>, monitors: Monitors, seed: u64) -> Outcome {
    let max_time = setup.quiet_from() + SETTLE;
    run_until(setup, monitors, seed, max_time)
}

/// Runs `setup` to horizon `max_time` with settle [`SETTLE`], recording the trace.
pub fn run_until<R: Module>(
    setup: Setup<R>,
    monitors: Monitors,
    seed: u64,
    max_time: Time,
) -> Outcome {
    Sim::new(setup, monitors)
        .seed(seed)
        .record(true)
        .max_time(max_time)
        .settle(SETTLE)
        .run()
}

/// The verdict of property `name` (panics if the run did not monitor it).
pub fn verdict<'o>(out: &'o Outcome, name: &str) -> &'o Verdict {
    out.verdict(name)
}

pub fn assert_hold(out: &Outcome, name: &str) {
    out.assert_holds(name)
}

/// Asserts that `name` is violated and returns the witnessing event's index.
pub fn assert_violated(out: &Outcome, name: &str) -> u64 {
    match out.verdict(name) {
        Verdict::Violation(v) => v.event,
        other => panic!("{name}: expected a violation, got {other:?}"),
    }
}

pub fn assert_inconclusive(out: &Outcome, name: &str) {
    let v = verdict(out, name);
    assert!(
        matches!(v, Verdict::Inconclusive { .. }),
        "{name}: expected inconclusive, got {v:?}"
    );
}

/// `cases` cases from a fixed proptest seed (one per test file), so a run of the suite is
/// reproducible: each case still draws its own fault plan and simulation seed, and a failure
/// found once is found on every run (CI included) until fixed. `PROPTEST_CASES` and
/// `PROPTEST_RNG_SEED` explore other cases; the cases saved in a file's
/// `.proptest-regressions` run first.
pub fn proptest_config(seed: u64, cases: u32) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(seed);
    }
    config
}
