//! Logged Majority Voting in crash-recovery with stable storage: it keeps its properties when
//! any one process, the writer included, crashes and recovers at random times over a lossy
//! network; and its acknowledge-before-store mutant loses a completed write when two of five
//! processes crash right after their acknowledgement (the schedule of the bundled scenario
//! `logged-majority-voting-ack-first.toml`), where the real algorithm keeps it.

use automata::model::{Delay, Failures, Storage, Timing};
use automata::sim::Sim;
use automata::{Fault, Module, Monitor, Monitors, Setup, SystemModel, Value, Verdict};
use proptest::prelude::*;
use registers::monitors::{RegularValidity, Termination};
use registers::*;

mod common;
use common::config;

const SETTLE: u64 = 400;

fn crash_recovery(timing: Timing, loss: f64) -> SystemModel {
    let mut m = SystemModel {
        timing,
        failures: Failures::CrashRecovery,
        storage: Storage::Stable,
        ..SystemModel::default()
    };
    m.links.loss = loss;
    m
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn logged_majority_voting_is_regular_across_crashes_and_recoveries(
        seed in 0u64..1_000_000, victim in 0usize..3, at in 0u64..150, down in 1u64..100, offset in 0u64..20,
    ) {
        let mut setup = Setup::new(3, crash_recovery(Timing::Synchronous, 0.1), |_| {
            LoggedMajorityVoting::<Value>::new(10)
        })
        .faults(vec![
            Fault::Crash { process: victim, at, after_sends: None, drop_in_flight: false },
            Fault::Recover { process: victim, at: at + down },
        ]);
        for k in 0..4u64 {
            setup = setup.request(10 + offset + 40 * k, 0, RegisterOp::Write(Value::str(&format!("p0-{k}"))));
            setup = setup.request(20 + 40 * k, 1, RegisterOp::Read);
            setup = setup.request(30 + 40 * k, 2, RegisterOp::Read);
        }
        let monitors: Vec<Box<dyn Monitor>> = vec![
            Box::new(Termination::new("lonrr")),
            Box::new(RegularValidity::new("lonrr")),
        ];
        let max_time = setup.quiet_from() + SETTLE;
        let out = Sim::new(setup, Monitors::new(monitors)).seed(seed).max_time(max_time).settle(SETTLE).run();
        prop_assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
    }
}

fn crash_after_first_send(process: usize) -> Fault {
    Fault::Crash {
        process,
        at: 0,
        after_sends: Some(1),
        drop_in_flight: false,
    }
}

fn slow(from: usize, to: usize, since: u64) -> Fault {
    Fault::Delay {
        from_process: from,
        to_process: to,
        extra: 500,
        from: since,
        until: 300,
    }
}

/// N = 5: 0 writes v1 at 10; 1 and 2 crash right after their first send (the ACK) and recover
/// at 40; the channels from 0 to 3 and 4, and its retransmissions to 1 and 2, are slow; 3 reads
/// at 60.
fn crash_after_ack<R: Module<Req = RegisterOp<Value>>>(
    factory: impl Fn(usize) -> R + Send + Sync + 'static,
) -> Setup<R> {
    let mut model = crash_recovery(Timing::Asynchronous, 0.0);
    model.delay = Delay {
        min: 1,
        max: 5,
        tail: 0.0,
    };
    Setup::new(5, model, factory)
        .faults(vec![
            crash_after_first_send(1),
            crash_after_first_send(2),
            Fault::Recover { process: 1, at: 40 },
            Fault::Recover { process: 2, at: 40 },
            slow(0, 3, 0),
            slow(0, 4, 0),
            slow(0, 1, 15),
            slow(0, 2, 15),
        ])
        .request(10, 0, RegisterOp::Write(Value::str("v1")))
        .request(60, 3, RegisterOp::Read)
}

fn run<R: Module<Req = RegisterOp<Value>>>(setup: Setup<R>) -> Verdict {
    let monitors: Vec<Box<dyn Monitor>> = vec![Box::new(RegularValidity::new("lonrr"))];
    let out = Sim::new(setup, Monitors::new(monitors))
        .max_time(1500)
        .settle(600)
        .run();
    out.properties[0].verdict.clone()
}

#[test]
fn regular_validity_catches_logged_majority_voting_acking_before_storing() {
    let v = run(crash_after_ack(|_| {
        LoggedMajorityVoting::<Value>::new(10).acking_before_storing()
    }));
    assert!(v.is_violation(), "{v:?}");
    let v = run(crash_after_ack(|_| LoggedMajorityVoting::<Value>::new(10)));
    assert!(v.holds(), "{v:?}");
}
