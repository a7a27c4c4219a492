//! The two transformations are registers of the stronger abstraction: From (1,N) Regular to
//! (1,N) Atomic over Majority Voting keeps ordering and linearizability, and From (1,N) Atomic
//! to (N,N) Atomic over Read-Impose Write-Majority keeps linearizability with two writers,
//! under random schedules and a crash (f = 1 of N = 3); each mutant fails on a schedule where
//! the transformation holds (those of the bundled scenarios `regular-to-atomic-no-write-back`
//! and `one-to-many-writers-no-consult`).

use automata::{Fault, Module, Monitor, Monitors, Setup, Value};
use proptest::prelude::*;
use registers::monitors::{Linearizability, Ordering, RegularValidity, Termination};
use registers::*;

mod common;
use common::{asynchronous, config, holds, inversion, run, two_writers, write};

fn regular_to_atomic() -> RegularToAtomic<Value, MajorityVoting<(u64, Value)>> {
    RegularToAtomic::over(MajorityVoting::new(10))
}

type Stamped = ((u64, usize), Value);

fn one_to_many() -> OneToManyWriters<Value, ReadImposeWriteMajority<Stamped>> {
    OneToManyWriters::over(ReadImposeWriteMajority::new(10))
}

/// Writers write two unique values each, readers read twice, every 60 ticks; `victim`
/// crashes at `at`.
fn workload<R: Module<Req = RegisterOp<Value>>>(
    mut setup: Setup<R>,
    writers: &[usize],
    readers: &[usize],
    offset: u64,
    victim: usize,
    at: u64,
) -> Setup<R> {
    for k in 0..2u64 {
        for &p in writers {
            setup = setup.request(10 + offset + 60 * k, p, write(&format!("p{p}-{k}")));
        }
        for &p in readers {
            setup = setup.request(20 + 60 * k, p, RegisterOp::Read);
        }
    }
    setup.faults(vec![Fault::Crash {
        process: victim,
        at,
        after_sends: None,
        drop_in_flight: false,
    }])
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn regular_to_atomic_is_atomic(seed in 0u64..1_000_000, victim in 1usize..3, at in 0u64..150, offset in 0u64..20) {
        let setup = Setup::new(3, asynchronous(), |_| regular_to_atomic());
        let monitors: Vec<Box<dyn Monitor>> = vec![
            Box::new(Termination::new("onar")),
            Box::new(RegularValidity::new("onar")),
            Box::new(Ordering::new("onar")),
            Box::new(Linearizability::new("onar")),
        ];
        holds(workload(setup, &[0], &[1, 2], offset, victim, at), Monitors::new(monitors), seed)?;
    }

    #[test]
    fn one_to_many_writers_is_linearizable(seed in 0u64..1_000_000, victim in 0usize..3, at in 0u64..150, offset in 0u64..20) {
        let setup = Setup::new(3, asynchronous(), |_| one_to_many());
        let monitors: Vec<Box<dyn Monitor>> = vec![
            Box::new(Termination::new("nnar")),
            Box::new(Linearizability::new("nnar")),
        ];
        holds(workload(setup, &[0, 1], &[1, 2], offset, victim, at), Monitors::new(monitors), seed)?;
    }
}

#[test]
fn ordering_catches_regular_to_atomic_without_write_back() {
    let v = run(
        inversion(|_| regular_to_atomic().without_write_back()),
        Ordering::new("onar"),
    );
    assert!(v.is_violation(), "{v:?}");
    let v = run(inversion(|_| regular_to_atomic()), Ordering::new("onar"));
    assert!(v.holds(), "{v:?}");
    let v = run(
        inversion(|_| regular_to_atomic()),
        Linearizability::new("onar"),
    );
    assert!(v.holds(), "{v:?}");
}

#[test]
fn linearizability_catches_one_to_many_writers_without_consult() {
    let v = run(
        two_writers(|_| one_to_many().without_consult()),
        Linearizability::new("nnar"),
    );
    assert!(v.is_violation(), "{v:?}");
    let v = run(two_writers(|_| one_to_many()), Linearizability::new("nnar"));
    assert!(v.holds(), "{v:?}");
}
