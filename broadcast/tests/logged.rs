//! Logged Majority-Ack in crash-recovery: LURB1-LURB4 under random crash-recovery plans, lossy
//! networks and seeds; the mutant that keeps `delivered` volatile delivers twice (B-6.9).

mod common;

use automata::model::{Failures, Storage, Timing};
use automata::sim::Sim;
use automata::Monitors;
use automata::{Fault, Setup, SystemModel, Time, Value, Verdict};
use broadcast::monitors::{NoCreation, NoDuplication, Validity};
use broadcast::LoggedMajorityAckUrb;
use common::*;
use proptest::prelude::*;

fn model(loss: f64) -> SystemModel {
    SystemModel {
        timing: Timing::Synchronous,
        failures: Failures::CrashRecovery,
        storage: Storage::Stable,
        ..net(loss, 0.0)
    }
}

/// One outage per process for fewer than half of the processes; everyone ends up.
fn outages(n: usize, plan: &[(usize, Time, Time)]) -> Vec<Fault> {
    outages_of(n, (n - 1) / 2, plan)
}

/// One outage per process for at most `most` processes; everyone ends up.
fn outages_of(n: usize, most: usize, plan: &[(usize, Time, Time)]) -> Vec<Fault> {
    let mut faults = Vec::new();
    let mut down = Vec::new();
    for &(p, at, len) in plan {
        if p < n && !down.contains(&p) && down.len() < most {
            down.push(p);
            faults.push(crash_at(p, at));
            faults.push(Fault::Recover {
                process: p,
                at: at + len,
            });
        }
    }
    faults
}

const SETTLE_LONG: Time = 40 * PERIOD;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn logged_majority_ack_holds_across_recoveries(
        n in 3..6usize,
        loss in 0.0..0.3f64,
        plan in proptest::collection::vec((0..5usize, 0..150 as Time, 1..150 as Time), 0..4),
        broadcasts in proptest::collection::vec((0..100 as Time, 0..5usize), 1..5),
        seed in any::<u64>(),
    ) {
        let mut setup = Setup::new(n, model(loss), |_| LoggedMajorityAckUrb::<Value>::new(PERIOD))
            .faults(outages(n, &plan));
        for (i, &(at, p)) in broadcasts.iter().enumerate() {
            setup = bcast(setup, at, p % n, &format!("m{i}"));
        }
        let max_time = setup.quiet_from() + SETTLE_LONG;
        let out = Sim::new(setup, urb_monitors("lurb")).seed(seed).max_time(max_time).settle(SETTLE_LONG).run();
        prop_assert!(out.all_hold(), "{:?}", out.properties);
    }
}

/// B-6.9: with `delivered` volatile, a recovered process delivers again.
#[test]
fn no_duplication_catches_a_logged_broadcast_that_does_not_log() {
    let faults = vec![
        crash_at(1, 25),
        Fault::Recover {
            process: 1,
            at: 120,
        },
    ];
    let run = |volatile: bool| {
        let setup = Setup::new(3, model(0.0), move |_| {
            let u = LoggedMajorityAckUrb::<Value>::new(PERIOD);
            if volatile {
                u.volatile_delivered()
            } else {
                u
            }
        })
        .faults(faults.clone());
        let setup = bcast(setup, 5, 0, "m1");
        Sim::new(setup, urb_monitors("lurb"))
            .seed(1)
            .max_time(600)
            .settle(SETTLE)
            .run()
    };
    let out = run(false);
    assert!(out.all_hold(), "{:?}", out.properties);
    let out = run(true);
    assert!(matches!(
        out.property("no-duplication").map(|p| &p.verdict),
        Some(Verdict::Violation(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Logged Basic Broadcast: LBEB1-LBEB3 under random crash-recovery plans.
    #[test]
    fn logged_best_effort_holds_across_recoveries(
        n in 2..6usize,
        loss in 0.0..0.3f64,
        plan in proptest::collection::vec((0..5usize, 0..150 as Time, 1..150 as Time), 0..4),
        broadcasts in proptest::collection::vec((0..100 as Time, 0..5usize), 1..5),
        seed in any::<u64>(),
    ) {
        let mut setup = Setup::new(n, model(loss), |_| broadcast::LoggedBestEffortBroadcast::<Value>::new(PERIOD))
            .faults(outages_of(n, n, &plan));
        for (i, &(at, p)) in broadcasts.iter().enumerate() {
            setup = bcast(setup, at, p % n, &format!("m{i}"));
        }
        let max_time = setup.quiet_from() + SETTLE_LONG;
        let ms: Vec<Box<dyn automata::Monitor>> = vec![
            Box::new(Validity::best_effort("lbeb").logged()),
            Box::new(NoDuplication::new("lbeb")),
            Box::new(NoCreation::new("lbeb")),
        ];
        let out = Sim::new(setup, Monitors::new(ms)).seed(seed).max_time(max_time).settle(SETTLE_LONG).run();
        prop_assert!(out.all_hold(), "{:?}", out.properties);
    }
}

/// LBEB1 needs the retransmissions of stubborn broadcast: Logged Basic Broadcast straight over
/// Basic Broadcast on the bare network sends each message once, so a process that is down when
/// it arrives never log-delivers it, although the sender never crashes and the receiver is
/// correct (up from 100 on). Over stubborn broadcast the same plan is fine.
#[test]
fn logged_validity_catches_logged_broadcast_without_retransmission() {
    use broadcast::{BestEffortBroadcast, LoggedBestEffortBroadcast, Unique};
    use links::FairLossLinks;
    let faults = vec![
        crash_at(2, 3),
        Fault::Recover {
            process: 2,
            at: 100,
        },
    ];
    let lbeb = || -> Monitors {
        let ms: Vec<Box<dyn automata::Monitor>> = vec![
            Box::new(Validity::best_effort("lbeb").logged()),
            Box::new(NoDuplication::new("lbeb")),
            Box::new(NoCreation::new("lbeb")),
        ];
        Monitors::new(ms)
    };
    let run = |setup: Setup<_>| {
        let max_time = setup.quiet_from() + SETTLE;
        Sim::new(setup, lbeb())
            .seed(1)
            .max_time(max_time)
            .settle(SETTLE)
            .run()
    };
    type Bare = BestEffortBroadcast<Unique<Value>, FairLossLinks<Unique<Value>>>;
    let weak = bcast(
        Setup::new(3, model(0.0), |_| {
            LoggedBestEffortBroadcast::<Value, Bare>::over(BestEffortBroadcast::over(
                FairLossLinks::default(),
            ))
        })
        .faults(faults.clone()),
        5,
        0,
        "m1",
    );
    let out = run(weak);
    assert!(
        matches!(
            out.property("validity").map(|p| &p.verdict),
            Some(Verdict::Violation(_))
        ),
        "{:?}",
        out.properties
    );
    assert!(out.property("no-duplication").unwrap().verdict.holds());

    let good = bcast(
        Setup::new(3, model(0.0), |_| {
            LoggedBestEffortBroadcast::<Value>::new(PERIOD)
        })
        .faults(faults),
        5,
        0,
        "m1",
    );
    let max_time = good.quiet_from() + SETTLE;
    let out = Sim::new(good, lbeb())
        .seed(1)
        .max_time(max_time)
        .settle(SETTLE)
        .run();
    assert!(out.all_hold(), "{:?}", out.properties);
}
