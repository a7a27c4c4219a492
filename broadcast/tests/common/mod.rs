//! Helpers shared by the broadcast tests: monitor sets per abstraction, runs, verdict checks.
#![allow(dead_code)]

use automata::model::{Links, SystemModel};
use automata::sim::{Outcome, Sim};
use automata::{Fault, Module, Monitor, Monitors, Pid, Setup, Time, TraceEvent, Value, Verdict};
use broadcast::monitors::*;
use broadcast::Broadcast;

/// Retransmission period of the perfect links below.
pub const PERIOD: Time = 10;
/// Settle time: 20 periods (the default of book §2.6).
pub const SETTLE: Time = 200;

/// BEB1-BEB3 on module `m`.
pub fn beb_monitors(m: &str) -> Monitors {
    Monitors::new(vec![
        Box::new(Validity::best_effort(m)),
        Box::new(NoDuplication::new(m)),
        Box::new(NoCreation::new(m)),
    ])
}

/// RB1-RB4 on module `m`, plus URB4 (to show regular agreement holding where uniform fails).
pub fn rb_monitors(m: &str) -> Monitors {
    let ms: Vec<Box<dyn Monitor>> = vec![
        Box::new(Validity::reliable(m)),
        Box::new(NoDuplication::new(m)),
        Box::new(NoCreation::new(m)),
        Box::new(Agreement::regular(m)),
    ];
    Monitors::new(ms)
}

/// URB1-URB4 on module `m`.
pub fn urb_monitors(m: &str) -> Monitors {
    let mut ms = rb_monitors(m);
    ms.push(Box::new(Agreement::uniform(m)));
    ms
}

/// FRB1-FRB5 on module `m`.
pub fn frb_monitors(m: &str) -> Monitors {
    let mut ms = rb_monitors(m);
    ms.push(Box::new(FifoDelivery::new(m)));
    ms
}

/// CRB1-CRB5 on module `m`.
pub fn crb_monitors(m: &str) -> Monitors {
    let mut ms = rb_monitors(m);
    ms.push(Box::new(CausalDelivery::new(m)));
    ms
}

/// The default network: synchronous, delays in [1, 10], reliable links.
pub fn net(loss: f64, duplication: f64) -> SystemModel {
    SystemModel {
        links: Links {
            loss,
            duplication,
            ..Links::default()
        },
        ..SystemModel::default()
    }
}

/// A crash of `process` right after its `sends`-th send from time `at`.
pub fn crash_after(process: Pid, at: Time, sends: u64, drop_in_flight: bool) -> Fault {
    Fault::Crash {
        process,
        at,
        after_sends: Some(sends),
        drop_in_flight,
    }
}

/// A crash of `process` at time `at`.
pub fn crash_at(process: Pid, at: Time) -> Fault {
    Fault::Crash {
        process,
        at,
        after_sends: None,
        drop_in_flight: false,
    }
}

/// `Broadcast | msg` at `process` at time `at`.
pub fn bcast<R: Module<Req = Broadcast<Value>>>(
    setup: Setup<R>,
    at: Time,
    process: Pid,
    msg: &str,
) -> Setup<R> {
    setup.request(
        at,
        process,
        Broadcast {
            msg: Value::str(msg),
        },
    )
}

/// Runs `setup` to the earliest complete horizon (quiet point + settle), recording the trace.
pub fn run_complete<R: Module>(setup: Setup<R>, monitors: Monitors, seed: u64) -> Outcome {
    let max_time = setup.quiet_from() + SETTLE;
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

/// Asserts that `name` is violated and returns the witnessing event.
pub fn assert_violated(out: &Outcome, name: &str) -> TraceEvent {
    out.violating_event(name).clone()
}

/// Asserts that every monitored property holds.
pub fn assert_all_hold(out: &Outcome) {
    assert!(out.all_hold(), "{:#?}", out.properties);
}

/// 256 cases from a fixed proptest seed (one per test file), so a run of the suite is
/// reproducible (each case draws its own simulation seed); `PROPTEST_CASES` and
/// `PROPTEST_RNG_SEED` change them.
pub fn proptest_config(seed: u64) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 256;
    }
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(seed);
    }
    config
}

/// Breadth-first exploration to `depth` on one thread (the first counterexample is a shortest).
pub fn check<R: Module>(
    explore: automata::check::Explore<R>,
    depth: usize,
) -> automata::check::Report<R> {
    explore.run(automata::check::Search::Bfs, depth, 1)
}

/// No property was violated on any explored path (else: which one, and the path).
pub fn assert_none<R: Module>(r: &automata::check::Report<R>) {
    assert!(
        r.counterexample.is_none(),
        "{:?}",
        r.counterexample.as_ref().map(|c| (c.property, &c.trace))
    );
}
