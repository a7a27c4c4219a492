//! What the consensus tests share: the proptest configuration, crash faults and the uniform
//! consensus monitors.
#![allow(dead_code)] // each test file uses its own part

use automata::{Fault, Monitor, Pid, Time};
use consensus::monitors;
use proptest::test_runner::{Config, RngSeed};

/// 48 cases from the fixed seed `seed`, so a run of the suite is reproducible (each case draws
/// its own faults and simulation seed); `PROPTEST_CASES` and `PROPTEST_RNG_SEED` explore
/// other cases.
pub fn config(seed: u64) -> Config {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 48;
    }
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(seed);
    }
    config
}

/// `process` crashes at `at`; `drop_in_flight`: what it had sent and not yet delivered is lost.
pub fn crash(process: Pid, at: Time, drop_in_flight: bool) -> Fault {
    Fault::Crash {
        process,
        at,
        after_sends: None,
        drop_in_flight,
    }
}

/// C1-C3 and UC4 on module `uc`.
pub fn uniform() -> Vec<Box<dyn Monitor>> {
    let mut all = monitors::all("uc");
    all.retain(|m| m.name() != "agreement");
    all
}
