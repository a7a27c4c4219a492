//! Exhaustive checks of small detector configurations: every schedule the synchronous model
//! allows, with one crash anywhere (CATALOGUE.md 5.1, 5.2, B-5.2, B-5.7). State counts are
//! pinned: a change in the world's semantics or an algorithm shows up as a number.

use automata::check::{Explore, Search};
use automata::conformance::{StrongAccuracy, StrongCompleteness};
use automata::model::{Delay, Timing};
use automata::oracle::{LeaderOracle, PerfectOracle};
use automata::{Fault, Monitor, Monitors, Setup, SystemModel, Time};
use links::detectors::monitors::{Consistency, LeaderAccuracy, Monotonicity};
use links::detectors::{ExcludeOnTimeout, LeaderBasedEpochChange, MonarchicalLeaderElection};

fn sync(max: Time) -> SystemModel {
    SystemModel {
        timing: Timing::Synchronous,
        delay: Delay {
            min: 1,
            max,
            tail: 0.0,
        },
        ..SystemModel::default()
    }
}

fn p_props() -> Monitors {
    let ms: Vec<Box<dyn Monitor>> = vec![
        Box::new(StrongAccuracy::new("p")),
        Box::new(StrongCompleteness::perfect("p")),
    ];
    Monitors::new(ms)
}

/// 5.1: two processes, delays in [1, 2], Δ = 5 > the round trip, any one crash: no schedule
/// makes Exclude on Timeout detect a live process.
#[test]
fn exclude_on_timeout_is_accurate_on_every_synchronous_schedule() {
    let setup = Setup::new(2, sync(2), |_| ExcludeOnTimeout::new(5)).fault_budget(1);
    let r = Explore::new(setup, p_props())
        .crashes(1)
        .run(Search::Bfs, 14, 1);
    assert!(
        r.counterexample.is_none(),
        "{:?}",
        r.counterexample.map(|c| c.trace)
    );
    assert_eq!(r.unique_states, 1816);
}

/// B-5.2: the same with Δ = 3 < the round trip of 4: the checker finds the late reply.
#[test]
fn checker_finds_exclude_on_timeout_with_a_short_period() {
    let setup = Setup::new(2, sync(2), |_| ExcludeOnTimeout::new(3));
    let r = Explore::new(setup, p_props()).run(Search::Bfs, 14, 1);
    let ce = r.counterexample.expect("a counterexample");
    assert_eq!(ce.property, "strong-accuracy");
}

/// 5.2: three processes, leader election over the P oracle, any one crash.
#[test]
fn monarchical_leader_election_is_accurate_on_every_schedule() {
    let setup = Setup::new(3, sync(2), |_| {
        MonarchicalLeaderElection::new(PerfectOracle::new(2))
    })
    .fault_budget(1);
    let ms: Vec<Box<dyn Monitor>> = vec![Box::new(LeaderAccuracy::new("le"))];
    let r = Explore::new(setup, Monitors::new(ms))
        .crashes(1)
        .run(Search::Bfs, 12, 1);
    assert!(r.counterexample.is_none());
    assert_eq!(r.unique_states, 157);
}

/// B-5.7: with a scripted Ω mistake, adding 1 instead of N lets two leaders share a timestamp
/// on some schedule; the book's N never does.
#[test]
fn checker_finds_epoch_change_adding_one() {
    let model = SystemModel {
        timing: Timing::PartiallySynchronous,
        gst: 40,
        ..sync(2)
    };
    let mistake = vec![Fault::Suspect {
        process: 0,
        by: 1,
        from: 1,
        until: 30,
    }];
    let props = || {
        let ms: Vec<Box<dyn Monitor>> = vec![
            Box::new(Monotonicity::new("ec")),
            Box::new(Consistency::new("ec")),
        ];
        Monitors::new(ms)
    };
    let good = Setup::new(3, model.clone(), |_| {
        LeaderBasedEpochChange::new(LeaderOracle::new(2))
    })
    .faults(mistake.clone());
    let r = Explore::new(good, props()).run(Search::Bfs, 12, 1);
    assert!(r.counterexample.is_none());
    let mutant = Setup::new(3, model, |_| {
        LeaderBasedEpochChange::new(LeaderOracle::new(2)).with_step(1)
    })
    .faults(mistake);
    let r = Explore::new(mutant, props()).run(Search::Bfs, 12, 1);
    assert_eq!(
        r.counterexample.expect("a counterexample").property,
        "consistency"
    );
}
