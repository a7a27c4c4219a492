//! The fail-stop atomic registers' mutants caught, each on a schedule where the correct
//! algorithm keeps the property (the schedules of the bundled scenarios
//! `read-impose-write-all-no-impose.toml` and `read-impose-write-consult-all-no-rank.toml`).
//! The P oracle is perfect whatever the timing; the slow channels come before GST.

use automata::model::{Delay, DetectorSource, Timing};
use automata::{Fault, Module, Setup, SystemModel, Value};
use links::detectors::AnyPerfect;
use registers::monitors::{Linearizability, Ordering, RegularValidity};
use registers::*;

mod common;
use common::{run, write};

fn p_oracle() -> AnyPerfect {
    AnyPerfect::from_source(DetectorSource::Perfect, 10).expect("the P oracle")
}

/// Partially synchronous (GST 300), delays in [1, 5], the P oracle.
fn fail_stop() -> SystemModel {
    SystemModel {
        timing: Timing::PartiallySynchronous,
        gst: 300,
        delay: Delay {
            min: 1,
            max: 5,
            tail: 0.0,
        },
        detector: DetectorSource::Perfect,
        ..SystemModel::default()
    }
}

fn slow(from: usize, to: usize, extra: u64) -> Fault {
    Fault::Delay {
        from_process: from,
        to_process: to,
        extra,
        from: 0,
        until: 100,
    }
}

/// 0 writes v1 at 10; 1 reads at 30 (it has v1), 2 reads at 50 (the channel 0 → 2 is slow).
fn write_then_two_reads<R: Module<Req = RegisterOp<Value>>>(
    factory: impl Fn(usize) -> R + Send + Sync + 'static,
) -> Setup<R> {
    Setup::new(3, fail_stop(), factory)
        .faults(vec![slow(0, 2, 100)])
        .request(10, 0, write("v1"))
        .request(30, 1, RegisterOp::Read)
        .request(50, 2, RegisterOp::Read)
}

#[test]
fn ordering_catches_read_impose_write_all_without_impose() {
    let mutant = |_| ReadImposeWriteAll::<Value, AnyPerfect>::new(10, p_oracle()).without_impose();
    let v = run(write_then_two_reads(mutant), Ordering::new("onar"));
    assert!(v.is_violation(), "{v:?}");
    let v = run(write_then_two_reads(mutant), Linearizability::new("onar"));
    assert!(v.is_violation(), "{v:?}");
    // Each read alone is regular; the real algorithm keeps the order.
    let v = run(write_then_two_reads(mutant), RegularValidity::new("onar"));
    assert!(v.holds(), "{v:?}");
    let riwa = |_| ReadImposeWriteAll::<Value, AnyPerfect>::new(10, p_oracle());
    assert!(run(write_then_two_reads(riwa), Ordering::new("onar")).holds());
    assert!(run(write_then_two_reads(riwa), Linearizability::new("onar")).holds());
}

/// 0 writes a and 1 writes b at 10, the channels between them slow; 0 reads at 100, 1 at 150.
fn concurrent_writes_then_reads<R: Module<Req = RegisterOp<Value>>>(
    factory: impl Fn(usize) -> R + Send + Sync + 'static,
) -> Setup<R> {
    Setup::new(3, fail_stop(), factory)
        .faults(vec![slow(0, 1, 30), slow(1, 0, 30)])
        .request(10, 0, write("a"))
        .request(10, 1, write("b"))
        .request(100, 0, RegisterOp::Read)
        .request(150, 1, RegisterOp::Read)
}

#[test]
fn linearizability_catches_read_impose_write_consult_all_without_rank() {
    let mutant =
        |_| ReadImposeWriteConsultAll::<Value, AnyPerfect>::new(10, p_oracle()).without_rank();
    let v = run(
        concurrent_writes_then_reads(mutant),
        Linearizability::new("nnar"),
    );
    assert!(v.is_violation(), "{v:?}");
    let riwca = |_| ReadImposeWriteConsultAll::<Value, AnyPerfect>::new(10, p_oracle());
    let v = run(
        concurrent_writes_then_reads(riwca),
        Linearizability::new("nnar"),
    );
    assert!(v.holds(), "{v:?}");
}
