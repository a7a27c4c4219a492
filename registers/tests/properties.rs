//! Each correct register keeps its abstraction's properties under random schedules (the seed
//! draws every delay) and random fault plans (at most f < N/2 crashes at random times, or,
//! for the fail-stop registers under the P oracle, any crash), with several clients writing
//! and reading concurrently. The crash-recovery register is in `logged.rs`. Liveness is judged on complete runs, so termination must hold.

use automata::model::{DetectorSource, Timing};
use automata::{Fault, Module, Monitor, Monitors, Setup, SystemModel, Value};
use links::detectors::AnyPerfect;
use proptest::prelude::*;
use registers::monitors::{Linearizability, Ordering, RegularValidity, Termination};
use registers::*;

mod common;
use common::{config, holds};

/// Writers `writers` write three unique values each, readers read three times, every 30
/// ticks from the given offsets.
fn workload<R: Module<Req = RegisterOp<Value>>>(
    mut setup: Setup<R>,
    writers: &[usize],
    readers: &[usize],
    offset: u64,
) -> Setup<R> {
    for k in 0..3u64 {
        for &p in writers {
            let v = Value::str(&format!("p{p}-{k}"));
            setup = setup.request(10 + offset + 30 * k, p, RegisterOp::Write(v));
        }
        for &p in readers {
            setup = setup.request(20 + 30 * k, p, RegisterOp::Read);
        }
    }
    setup
}

fn monitors(module: &str, atomic: bool, multi: bool) -> Monitors {
    let mut m: Vec<Box<dyn Monitor>> = vec![Box::new(Termination::new(module))];
    if !multi {
        m.push(Box::new(RegularValidity::new(module)));
    }
    if atomic {
        if !multi {
            m.push(Box::new(Ordering::new(module)));
        }
        m.push(Box::new(Linearizability::new(module)));
    }
    Monitors::new(m)
}

fn asynchronous() -> SystemModel {
    SystemModel {
        timing: Timing::Asynchronous,
        ..SystemModel::default()
    }
}

fn crash(process: usize, at: u64) -> Vec<Fault> {
    vec![Fault::Crash {
        process,
        at,
        after_sends: None,
        drop_in_flight: false,
    }]
}

/// Synchronous, with the P oracle.
fn fail_stop() -> SystemModel {
    SystemModel {
        detector: DetectorSource::Perfect,
        ..SystemModel::default()
    }
}

fn p_oracle() -> AnyPerfect {
    AnyPerfect::from_source(DetectorSource::Perfect, 10).expect("the P oracle")
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn majority_voting_is_regular(seed in 0u64..1_000_000, victim in 1usize..3, at in 0u64..120, offset in 0u64..20) {
        let setup = Setup::new(3, asynchronous(), |_| MajorityVoting::<Value>::new(10))
            .faults(crash(victim, at));
        holds(workload(setup, &[0], &[1, 2], offset), monitors("onrr", false, false), seed)?;
    }

    #[test]
    fn read_impose_write_majority_is_atomic(seed in 0u64..1_000_000, victim in 1usize..3, at in 0u64..120, offset in 0u64..20) {
        let setup = Setup::new(3, asynchronous(), |_| ReadImposeWriteMajority::<Value>::new(10))
            .faults(crash(victim, at));
        holds(workload(setup, &[0], &[1, 2], offset), monitors("onar", true, false), seed)?;
    }

    #[test]
    fn read_impose_write_consult_majority_is_atomic(seed in 0u64..1_000_000, victim in 0usize..3, at in 0u64..120, offset in 0u64..20) {
        let setup = Setup::new(3, asynchronous(), |_| ReadImposeWriteConsultMajority::<Value>::new(10))
            .faults(crash(victim, at));
        holds(workload(setup, &[0, 1], &[1, 2], offset), monitors("nnar", true, true), seed)?;
    }

    #[test]
    fn read_impose_write_all_is_atomic_under_p(seed in 0u64..1_000_000, victim in 0usize..3, at in 0u64..120, offset in 0u64..20) {
        let setup = Setup::new(3, fail_stop(), move |_| ReadImposeWriteAll::<Value, AnyPerfect>::new(10, p_oracle()))
            .faults(crash(victim, at));
        holds(workload(setup, &[0], &[1, 2], offset), monitors("onar", true, false), seed)?;
    }

    #[test]
    fn read_impose_write_consult_all_is_atomic_under_p(seed in 0u64..1_000_000, victim in 0usize..3, at in 0u64..120, offset in 0u64..20) {
        let setup = Setup::new(3, fail_stop(), move |_| ReadImposeWriteConsultAll::<Value, AnyPerfect>::new(10, p_oracle()))
            .faults(crash(victim, at));
        holds(workload(setup, &[0, 1], &[1, 2], offset), monitors("nnar", true, true), seed)?;
    }

    #[test]
    fn read_one_write_all_is_regular_under_p(seed in 0u64..1_000_000, victim in 1usize..3, at in 0u64..120, offset in 0u64..20) {
        let setup = Setup::new(3, fail_stop(), move |_| ReadOneWriteAll::<Value, AnyPerfect>::new(10, p_oracle()))
            .faults(crash(victim, at));
        holds(workload(setup, &[0], &[1, 2], offset), monitors("onrr", false, false), seed)?;
    }
}
