//! What the application tests share: the proptest configuration, crash faults, broadcasting
//! workloads, the total-order monitors and the exhaustive search of the small checks.
#![allow(dead_code)] // each test file uses its own part

use applications::monitors::{PrefixOrder, TotalOrder};
use automata::check::{Budget, Explore, Search};
use automata::{Fault, Module, Monitor, Monitors, Pid, Setup, Time, Value};
use broadcast::monitors::{Agreement, NoCreation, NoDuplication, Validity};
use broadcast::Broadcast;
use proptest::test_runner::{Config, RngSeed};

/// `cases` cases from the fixed seed `seed`, so a run of the suite is reproducible;
/// `PROPTEST_CASES` and `PROPTEST_RNG_SEED` explore others.
pub fn config(cases: u32, seed: u64) -> Config {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
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

/// `broadcasts[i] = (process, at)`: the i-th message, `m<i>`.
pub fn broadcasting<R: Module<Req = Broadcast<Value>>>(
    setup: Setup<R>,
    broadcasts: &[(Pid, Time)],
) -> Setup<R> {
    broadcasts
        .iter()
        .enumerate()
        .fold(setup, |s, (i, &(p, at))| {
            s.request(
                at,
                p,
                Broadcast {
                    msg: Value::str(&format!("m{i}")),
                },
            )
        })
}

/// The properties of `tob` (TOB1-TOB5), or of `utob` (with uniform agreement, UTOB5 and
/// prefix order), on the layer `tob`.
pub fn tob_monitors(uniform: bool) -> Vec<Box<dyn Monitor>> {
    let mut all: Vec<Box<dyn Monitor>> = vec![
        Box::new(Validity::reliable("tob")),
        Box::new(NoDuplication::new("tob")),
        Box::new(NoCreation::new("tob")),
    ];
    if uniform {
        all.push(Box::new(Agreement::uniform("tob")));
        all.push(Box::new(TotalOrder::uniform("tob")));
        all.push(Box::new(PrefixOrder::new("tob")));
    } else {
        all.push(Box::new(Agreement::regular("tob")));
        all.push(Box::new(TotalOrder::regular("tob")));
    }
    all
}

/// What a small check found: the first property violated on some path, the unique states,
/// and whether the search was exhaustive.
pub type Found = (Option<&'static str>, usize, bool);

/// [`Found`] with names.
#[derive(Debug)]
pub struct Checked {
    pub violated: Option<&'static str>,
    pub unique: usize,
    pub complete: bool,
}

impl From<Found> for Checked {
    fn from((violated, unique, complete): Found) -> Self {
        Checked {
            violated,
            unique,
            complete,
        }
    }
}

/// Explores `setup` breadth-first on one thread (the same counts on every run) within
/// `max_states` states and paths of `depth` actions.
pub fn explore<R: Module>(
    setup: Setup<R>,
    monitors: Vec<Box<dyn Monitor>>,
    max_states: usize,
    depth: usize,
) -> Found {
    let budget = Budget {
        max_states: Some(max_states),
        ..Budget::depth(depth)
    };
    let r = Explore::new(setup, Monitors::new(monitors)).check(Search::Bfs, budget, 1);
    (
        r.counterexample.map(|c| c.property),
        r.unique_states,
        r.coverage.complete,
    )
}
