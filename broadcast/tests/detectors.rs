//! The broadcasts built on a failure detector (lazy RB, all-ack URB) with the detector each
//! needs, and with one that is too weak (book §6.3, B-6.3; §6.2, B-6.5): the same algorithm, only
//! the detector changes.

mod common;

use automata::model::{Adversary, Delay, Timing};
use automata::oracle::{EventuallyPerfectOracle, PerfectOracle};
use automata::sim::{Outcome, Sim};
use automata::{Fault, Module, Monitors, Setup, SystemModel, Value, Verdict};
use broadcast::*;
use common::*;
use links::detectors::{NeverDetect, SuspicionsAsCrashes};

fn crash(process: usize, at: u64, after_sends: Option<u64>, drop_in_flight: bool) -> Fault {
    Fault::Crash {
        process,
        at,
        after_sends,
        drop_in_flight,
    }
}

fn run<R: Module>(setup: Setup<R>, monitors: Monitors) -> Outcome {
    let max_time = setup.quiet_from() + SETTLE;
    Sim::new(setup, monitors)
        .seed(1)
        .max_time(max_time)
        .settle(SETTLE)
        .run()
}

fn violated(out: &Outcome, name: &str) -> bool {
    matches!(
        out.property(name).map(|p| &p.verdict),
        Some(Verdict::Violation(_))
    )
}

fn sync() -> SystemModel {
    SystemModel {
        timing: Timing::Synchronous,
        ..SystemModel::default()
    }
}

/// 0 broadcasts m1 at 10 and crashes after reaching 0 and 1 (not 2).
fn sender_crash<R: Module<Req = Broadcast<Value>>>(setup: Setup<R>) -> Setup<R> {
    bcast(setup.faults(vec![crash(0, 0, Some(2), false)]), 10, 0, "m1")
}

/// B-6.5: with P, 1 relays 0's message once 0's crash is detected; with a detector that never
/// detects, nobody relays and agreement fails.
#[test]
fn agreement_catches_lazy_reliable_broadcast_without_completeness() {
    let good = sender_crash(Setup::new(3, sync(), |_| {
        LazyReliableBroadcast::<Value, _>::new(PERIOD, PerfectOracle::new(5))
    }));
    let out = run(good, rb_monitors("rb"));
    assert!(out.all_hold(), "{:?}", out.properties);
    let weak = sender_crash(Setup::new(3, sync(), |_| {
        LazyReliableBroadcast::<Value, _>::new(PERIOD, NeverDetect)
    }));
    let out = run(weak, rb_monitors("rb"));
    assert!(violated(&out, "agreement"), "{:?}", out.properties);
}

/// B-6.3: 1 falsely suspects correct 2 before GST, delivers m1 with only 0's and its own ack,
/// and crashes before its relay reaches 2: uniform agreement fails. With P it holds.
#[test]
fn uniform_agreement_catches_all_ack_over_eventually_perfect() {
    let model = SystemModel {
        timing: Timing::PartiallySynchronous,
        gst: 200,
        delay: Delay {
            min: 1,
            max: 10,
            tail: 0.0,
        },
        adversary: Adversary {
            fast_to: Some(1),
            slow_to: Some(2),
        },
        ..SystemModel::default()
    };
    let faults = vec![
        Fault::Suspect {
            process: 2,
            by: 1,
            from: 0,
            until: 100,
        },
        crash(0, 0, Some(2), false),
        crash(1, 17, None, true),
    ];
    let weak = bcast(
        Setup::new(3, model.clone(), |_| {
            AllAckUrb::<Value, _>::new(
                PERIOD,
                SuspicionsAsCrashes::new(EventuallyPerfectOracle::new(5)),
            )
        })
        .faults(faults.clone()),
        10,
        0,
        "m1",
    );
    let out = run(weak, urb_monitors("urb"));
    assert!(violated(&out, "uniform-agreement"), "{:?}", out.properties);
    let good = bcast(
        Setup::new(3, model, |_| {
            AllAckUrb::<Value, _>::new(PERIOD, PerfectOracle::new(5))
        })
        .faults(faults),
        10,
        0,
        "m1",
    );
    let out = run(good, urb_monitors("urb"));
    assert!(out.all_hold(), "{:?}", out.properties);
}
