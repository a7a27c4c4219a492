//! Exhaustive checks of small detector configurations: every schedule the synchronous model
//! allows, with one crash anywhere (book §5.2, §5.3, B-5.2, B-5.7); and the eventual
//! properties of ◇P and Ω (§5.4, §5.5) as bounded liveness, on every schedule up to a horizon
//! (B-5.3).
//! State counts are pinned: a change in the world's semantics or an algorithm shows up as a
//! number. Every check that holds is paired with a broken variant that fails under the same
//! configuration and bounds, so the bounds are shown to reach a bug.

use automata::check::{Explore, Search};
use automata::conformance::{
    EventualAccuracy, EventualAgreement, EventualStrongAccuracy, StrongAccuracy, StrongCompleteness,
};
use automata::model::{Delay, Failures, Timing};
use automata::oracle::{LeaderOracle, PerfectOracle};
use automata::{Fault, Module, Monitor, Monitors, Setup, SystemModel, Time};
use links::detectors::monitors::{Consistency, LeaderAccuracy, Monotonicity};
use links::detectors::{
    ElectLowerEpoch, ExcludeOnTimeout, IncreasingTimeout, LeaderBasedEpochChange, Misrank,
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

/// Exclude on Timeout with period Δ, two processes, delays in [1, 2], any one crash.
fn exclude_on_timeout(period: Time) -> Explore<ExcludeOnTimeout> {
    let setup = Setup::new(2, sync(2), move |_| ExcludeOnTimeout::new(period)).fault_budget(1);
    Explore::new(setup, p_props()).crashes(1)
}

/// 5.1: two processes, delays in [1, 2], Δ = 5 > the round trip, any one crash: no schedule
/// makes Exclude on Timeout detect a live process.
#[test]
fn exclude_on_timeout_is_accurate_on_every_synchronous_schedule() {
    assert_eq!(states_if_all_hold(exclude_on_timeout(5), 13), 1816);
}

/// B-5.2: the same configuration and depth with Δ = 3 < the round trip of 4: the checker finds
/// the late reply.
#[test]
fn checker_finds_exclude_on_timeout_with_a_short_period() {
    assert_eq!(
        first_violation(exclude_on_timeout(3), 13),
        Some("strong-accuracy")
    );
}

/// 5.2: three processes, leader election over the P oracle, any one crash; the mutant that
/// ranks processes from itself elects two live leaders on the same configuration and depth.
#[test]
fn monarchical_leader_election_is_accurate_on_every_schedule() {
    let le = |self_first: bool| {
        let setup = Setup::new(3, sync(2), move |_| {
            let le = MonarchicalLeaderElection::new(PerfectOracle::new(2));
            if self_first {
                le.self_first()
            } else {
                le
            }
        })
        .fault_budget(1);
        let ms: Vec<Box<dyn Monitor>> = vec![Box::new(LeaderAccuracy::new("le"))];
        Explore::new(setup, Monitors::new(ms)).crashes(1)
    };
    let r = le(false).run(Search::Bfs, 11, 1);
    assert!(r.counterexample.is_none());
    assert_eq!(r.unique_states, 157);
    assert_eq!(first_violation(le(true), 11), Some("accuracy"));
}

/// B-5.7: with a scripted Ω mistake, adding 1 instead of N lets two leaders share a timestamp
/// on some schedule; the book's N never does. (Over the checker's network, which loses
/// nothing and so is a perfect link itself, like Increasing Timeout above.)
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
        LeaderBasedEpochChange::over(LeaderOracle::new(2), FairLossLinks::default())
    })
    .faults(mistake.clone());
    let r = Explore::new(good, props()).run(Search::Bfs, 12, 1);
    assert!(r.counterexample.is_none());
    let mutant = Setup::new(3, model, |_| {
        LeaderBasedEpochChange::over(LeaderOracle::new(2), FairLossLinks::default()).with_step(1)
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
/// on every schedule: 2Δ after it.) The mutant that never takes a suspicion back keeps a
/// pre-GST mistake to the end of some schedule, on the same configuration and horizon.
///
/// The constant-timeout mutant cannot be the pair here: with Δ above the post-GST round trip
/// it makes no mistake after GST either; and with Δ below it, the correct algorithm's one
/// post-GST mistake can come as late as the scheduler likes (mistakes are bounded in number,
/// not in time), so no horizon holds on every schedule. B-5.3 is shown on its own below.
#[test]
fn increasing_timeout_is_eventually_perfect_on_every_schedule() {
    let setup = |never_restoring: bool| {
        Setup::new(2, partially_synchronous(6, 2), move |_| {
            let ep = increasing_timeout(5);
            if never_restoring {
                ep.never_restoring()
            } else {
                ep
            }
        })
        .faults(vec![crash_at(1, 12)])
    };
    assert_eq!(
        states_if_all_hold(Explore::new(setup(false), ep_props()).horizon(30), 1000),
        7571
    );
    assert_eq!(
        first_violation(Explore::new(setup(false), ep_props()).horizon(20), 1000),
        Some("strong-completeness")
    );
    // Depth-first, as below: a liveness violation shows only where a run ends.
    let r = Explore::new(setup(true), ep_props())
        .horizon(30)
        .run(Search::Dfs, 1000, 1);
    assert_eq!(
        r.counterexample.map(|c| c.property),
        Some("eventual-strong-accuracy")
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
/// it trusted before GST. The mutant that never moves to a lower-ranked leader still trusts
/// the crashed 0 at the end, on the same configuration and horizon.
#[test]
fn monarchical_omega_is_eventually_accurate_on_every_schedule() {
    let setup = |never_demote: bool| {
        Setup::new(2, partially_synchronous(6, 2), move |_| {
            let omega = MonarchicalOmega::new(increasing_timeout(5));
            if never_demote {
                omega.misranking(Misrank::NeverDemote)
            } else {
                omega
            }
        })
        .faults(vec![crash_at(0, 12)])
    };
    assert_eq!(
        states_if_all_hold(Explore::new(setup(false), omega_props()).horizon(30), 1000),
        7475
    );
    let r = Explore::new(setup(true), omega_props())
        .horizon(30)
        .run(Search::Dfs, 1000, 1);
    assert_eq!(
        r.counterexample.map(|c| c.property),
        Some("eventual-accuracy")
    );
}

/// 5.4, bounded liveness in crash-recovery: Elect Lower Epoch, process 0 down from 8 to 14.
/// On every schedule, by 60 both processes trust the same live process. The periods grow with
/// every change of leader, so before they exceed each other's heartbeat spacing the two can
/// disagree: a horizon of 40 is not enough on every schedule. The mutant that heartbeats the
/// others but not itself makes each process trust the other to the end, on the same
/// configuration and horizon.
#[test]
fn elect_lower_epoch_agrees_on_every_schedule() {
    let setup = |no_self: bool| {
        let mut m = partially_synchronous(6, 2);
        m.failures = Failures::CrashRecovery;
        Setup::new(2, m, move |_| {
            let omega = ElectLowerEpoch::new(5);
            if no_self {
                omega.without_self_heartbeat()
            } else {
                omega
            }
        })
        .faults(vec![crash_at(0, 8), Fault::Recover { process: 0, at: 14 }])
    };
    assert_eq!(
        states_if_all_hold(Explore::new(setup(false), omega_props()).horizon(60), 1000),
        3292
    );
    assert_eq!(
        first_violation(Explore::new(setup(false), omega_props()).horizon(40), 1000),
        Some("eventual-agreement")
    );
    let r = Explore::new(setup(true), omega_props())
        .horizon(60)
        .run(Search::Dfs, 1000, 1);
    assert_eq!(
        r.counterexample.map(|c| c.property),
        Some("eventual-agreement")
    );
}
