//! Basic Stubborn Broadcast: SBEB1 best-effort validity and SBEB2 no creation under random
//! crash-recovery plans and lossy networks; the SBEB1 monitor catching a broadcast that
//! delivers only once (Basic Broadcast over perfect links) and one that never retransmits
//! (stubborn broadcast straight over the fair-loss network).

mod common;

use automata::model::{Failures, Timing};
use automata::sim::{Outcome, Sim};
use automata::{Fault, Module, Monitor, Monitors, Setup, SystemModel, Time, Value, Verdict};
use broadcast::monitors::{NoCreation, Validity};
use broadcast::{BestEffortBroadcast, Broadcast, StubbornBroadcast};
use common::*;
use links::FairLossLinks;
use proptest::prelude::*;

/// SBEB1, SBEB2 on module `m`.
fn sbeb_monitors(m: &str) -> Monitors {
    let ms: Vec<Box<dyn Monitor>> = vec![
        Box::new(Validity::stubborn(m)),
        Box::new(NoCreation::new(m)),
    ];
    Monitors::new(ms)
}

fn model(loss: f64, failures: Failures) -> SystemModel {
    SystemModel {
        timing: Timing::Synchronous,
        failures,
        ..net(loss, 0.0)
    }
}

/// Runs to the quiet point plus two settle windows, so that the final window (where SBEB1 asks
/// for a delivery again) starts one whole window after the last fault or request.
fn run<R: Module>(setup: Setup<R>, monitors: Monitors, seed: u64, settle: Time) -> Outcome {
    let max_time = setup.quiet_from() + 2 * settle;
    Sim::new(setup, monitors)
        .seed(seed)
        .record(true)
        .max_time(max_time)
        .settle(settle)
        .run()
}

proptest! {
    #![proptest_config(proptest_config(0x5342_4542))]

    /// SBEB1 and SBEB2 under random crash-recovery plans (any process may go down, for a
    /// while or for good), loss up to 30%, random broadcasts and seeds.
    #[test]
    fn stubborn_broadcast_holds_across_crashes_and_recoveries(
        n in 2..5usize,
        loss in 0.0..0.3f64,
        plan in proptest::collection::vec((0..4usize, 0..120 as Time, prop::option::of(1..120 as Time)), 0..4),
        broadcasts in proptest::collection::vec((0..100 as Time, 0..4usize), 1..5),
        seed in any::<u64>(),
    ) {
        let mut faults = Vec::new();
        let mut down = Vec::new();
        for &(p, at, outage) in &plan {
            if p < n && !down.contains(&p) {
                down.push(p);
                faults.push(crash_at(p, at));
                if let Some(len) = outage {
                    faults.push(Fault::Recover { process: p, at: at + len });
                }
            }
        }
        let mut setup = Setup::new(n, model(loss, Failures::CrashRecovery), |_| StubbornBroadcast::<Value>::new(PERIOD))
            .faults(faults);
        for (i, &(at, p)) in broadcasts.iter().enumerate() {
            setup = bcast(setup, at, p % n, &format!("m{i}"));
        }
        let out = run(setup, sbeb_monitors("sbeb"), seed, SETTLE);
        prop_assert!(out.summary.complete);
        prop_assert!(out.all_hold(), "{:?}", out.properties);
    }
}

/// One broadcast by 0 at 5 on a synchronous network with `loss`, crash-recovery.
fn one<R: Module<Req = Broadcast<Value>>>(
    loss: f64,
    make: impl Fn() -> R + Send + Sync + 'static,
) -> Setup<R> {
    bcast(
        Setup::new(3, model(loss, Failures::CrashRecovery), move |_| make()),
        5,
        0,
        "m",
    )
}

/// SBEB1 asks for a delivery in every settle window: stubborn broadcast gives it, Basic
/// Broadcast over perfect links (one delivery per message) does not, although every process
/// delivered `m` once.
#[test]
fn best_effort_validity_catches_a_broadcast_that_delivers_only_once() {
    let out = run(
        one(0.0, || StubbornBroadcast::<Value>::new(PERIOD)),
        sbeb_monitors("sbeb"),
        1,
        SETTLE,
    );
    assert_all_hold(&out);

    let out = run(
        one(0.0, || BestEffortBroadcast::<Value>::new(PERIOD)),
        sbeb_monitors("beb"),
        1,
        SETTLE,
    );
    let e = assert_violated(&out, "best-effort-validity");
    assert_eq!(e.kind, automata::Kind::Request, "{e:?}");
    assert_eq!(e.process, 0, "{e:?}");
    assert_hold(&out, "no-creation");
    // It did deliver, once, everywhere: the failure is "not again", not "never".
    let Verdict::Violation(v) = &out.property("best-effort-validity").unwrap().verdict else {
        unreachable!()
    };
    assert!(v.explanation.contains("again"), "{}", v.explanation);
}

/// Stubborn broadcast straight over the lossy network, without retransmission: some process
/// never gets `m` (or not again). Over Retransmit Forever, the same network is fine.
#[test]
fn best_effort_validity_catches_stubborn_broadcast_without_retransmission() {
    let weak = run(
        one(0.5, || {
            StubbornBroadcast::<Value, FairLossLinks<Value>>::over(FairLossLinks::default())
        }),
        sbeb_monitors("sbeb"),
        1,
        SETTLE,
    );
    assert_violated(&weak, "best-effort-validity");
    assert_hold(&weak, "no-creation");
    let good = run(
        one(0.5, || StubbornBroadcast::<Value>::new(PERIOD)),
        sbeb_monitors("sbeb"),
        1,
        SETTLE,
    );
    assert_all_hold(&good);
}

/// A sender that crashes is owed nothing (SBEB1 speaks of processes that never crash), and a
/// receiver that is down for a while gets the message again once it is back.
#[test]
fn a_recovered_receiver_delivers_again_and_a_crashed_sender_is_owed_nothing() {
    let setup = bcast(
        one(0.0, || StubbornBroadcast::<Value>::new(PERIOD)),
        6,
        1,
        "m1",
    )
    .faults(vec![
        crash_at(2, 3),
        Fault::Recover {
            process: 2,
            at: 150,
        },
        crash_at(1, 40),
    ]);
    let out = run(setup, sbeb_monitors("sbeb"), 1, SETTLE);
    assert_all_hold(&out);
    let trace = out.trace.as_ref().unwrap();
    let late = trace.iter().any(|e| {
        e.process == 2
            && e.time >= out.summary.settle_from
            && e.kind == automata::Kind::Indication
            && matches!(&e.event, automata::Event::Deliver { from: 0, .. })
    });
    assert!(late, "2 delivers 0's message in the final window");
}
