//! Exhaustive checks of small detector configurations: every schedule the synchronous model
//! allows, with one crash anywhere (CATALOGUE.md 5.1, 5.2, B-5.2, B-5.7); and the eventual
//! properties of 5.3 and 5.4 as bounded liveness, on every schedule up to a horizon (B-5.3).
//! State counts are pinned: a change in the world's semantics or an algorithm shows up as a
//! number.

use automata::check::{Explore, Search};
use automata::conformance::{
    EventualAccuracy, EventualAgreement, EventualStrongAccuracy, StrongAccuracy, StrongCompleteness,
};
use automata::model::{Delay, Failures, Timing};
use automata::oracle::{LeaderOracle, PerfectOracle};
use automata::{Fault, Module, Monitor, Monitors, Setup, SystemModel, Time};
use links::detectors::monitors::{Consistency, LeaderAccuracy, Monotonicity};
use links::detectors::{
    ElectLowerEpoch, ExcludeOnTimeout, IncreasingTimeout, LeaderBasedEpochChange,
    MonarchicalLeaderElection, MonarchicalOmega,
};
use links::FairLossLinks;

/// Increasing Timeout straight over the checker's network, which loses and duplicates nothing
/// and so is a perfect link itself (the acknowledgements of the default links would multiply
/// the schedules without adding a behaviour the lossless network does not have).
fn increasing_timeout(
    period: Time,
) -> IncreasingTimeout<FairLossLinks<links::detectors::Heartbeat>> {
    IncreasingTimeout::over(FairLossLinks::default(), period)
}

/// Explores every schedule breadth-first to `depth`, asserts that no property fails on any of
/// them, and returns how many distinct states there were (pinned by the tests).
fn states_if_all_hold<R: Module>(explore: Explore<R>, depth: usize) -> usize {
    let r = explore.run(Search::Bfs, depth, 1);
    assert!(
        r.counterexample.is_none(),
        "{:?}",
        r.counterexample.map(|c| c.trace)
    );
    r.unique_states
}

/// The property that fails on the shortest violating schedule, if any.
fn first_violation<R: Module>(explore: Explore<R>, depth: usize) -> Option<&'static str> {
    explore
        .run(Search::Bfs, depth, 1)
        .counterexample
        .map(|c| c.property)
}

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
    assert_eq!(
        states_if_all_hold(Explore::new(setup, p_props()).crashes(1), 14),
        1816
    );
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

fn partially_synchronous(gst: Time, max: Time) -> SystemModel {
    SystemModel {
        timing: Timing::PartiallySynchronous,
        gst,
        ..sync(max)
    }
}

fn crash_at(process: usize, at: Time) -> Fault {
    Fault::Crash {
        process,
        at,
        after_sends: None,
        drop_in_flight: false,
    }
}

fn ep_props() -> Monitors {
    let ms: Vec<Box<dyn Monitor>> = vec![
        Box::new(StrongCompleteness::eventually_perfect("ep")),
        Box::new(EventualStrongAccuracy::new("ep")),
    ];
    Monitors::new(ms)
}

fn omega_props() -> Monitors {
    let ms: Vec<Box<dyn Monitor>> = vec![
        Box::new(EventualAccuracy::new("omega")),
        Box::new(EventualAgreement::new("omega")),
    ];
    Monitors::new(ms)
}

/// 5.3, bounded liveness: two processes, delays in [1, 2] after GST = 6 and up to GST + 2
/// before it, Δ = 5, process 1 crashing at 12. On every schedule, a run that ends at 30 ends
/// with 0 suspecting 1 and no live process suspected: whatever the pre-GST mistakes,
/// Increasing Timeout is eventually perfect. (A horizon of 20 is too short to detect the crash
/// on every schedule: 2Δ after it.)
#[test]
fn increasing_timeout_is_eventually_perfect_on_every_schedule() {
    let setup = || {
        Setup::new(2, partially_synchronous(6, 2), |_| increasing_timeout(5))
            .faults(vec![crash_at(1, 12)])
    };
    assert_eq!(
        states_if_all_hold(Explore::new(setup(), ep_props()).horizon(30), 1000),
        7571
    );
    assert_eq!(
        first_violation(Explore::new(setup(), ep_props()).horizon(20), 1000),
        Some("strong-completeness")
    );
}

/// B-5.3 on every schedule: with a timeout of 3 that never grows, below the round trip of 4, a
/// schedule exists on which a live process is still suspected at the end.
#[test]
fn checker_finds_a_constant_timeout_suspecting_forever() {
    let setup = Setup::new(2, partially_synchronous(0, 2), |_| {
        increasing_timeout(3).with_increment(0)
    });
    // Depth-first: a liveness violation shows only where a run ends, so the breadth-first
    // search for a shortest path would repeat the whole search once per depth.
    let r = Explore::new(setup, ep_props())
        .horizon(20)
        .run(Search::Dfs, 1000, 1);
    assert_eq!(
        r.counterexample.map(|c| c.property),
        Some("eventual-strong-accuracy")
    );
}

/// 5.4, bounded liveness: Monarchical Ω over Increasing Timeout, the leader 0 crashing at 12:
/// on every schedule that ends at 30, the survivor trusts itself at the end, whatever
/// it trusted before GST.
#[test]
fn monarchical_omega_is_eventually_accurate_on_every_schedule() {
    let setup = Setup::new(2, partially_synchronous(6, 2), |_| {
        MonarchicalOmega::new(increasing_timeout(5))
    })
    .faults(vec![crash_at(0, 12)]);
    assert_eq!(
        states_if_all_hold(Explore::new(setup, omega_props()).horizon(30), 1000),
        7499
    );
}

/// 5.4, bounded liveness in crash-recovery: Elect Lower Epoch, process 0 down from 8 to 14.
/// On every schedule, by 60 both processes trust the same live process. The periods grow with
/// every change of leader, so before they exceed each other's heartbeat spacing the two can
/// disagree: a horizon of 40 is not enough on every schedule.
#[test]
fn elect_lower_epoch_agrees_on_every_schedule() {
    let setup = || {
        let mut m = partially_synchronous(6, 2);
        m.failures = Failures::CrashRecovery;
        Setup::new(2, m, |_| ElectLowerEpoch::new(5))
            .faults(vec![crash_at(0, 8), Fault::Recover { process: 0, at: 14 }])
    };
    assert_eq!(
        states_if_all_hold(Explore::new(setup(), omega_props()).horizon(60), 1000),
        3292
    );
    assert_eq!(
        first_violation(Explore::new(setup(), omega_props()).horizon(40), 1000),
        Some("eventual-agreement")
    );
}
