//! Every register monitor catches a bug: each test runs a broken register (a mutant switch, a
//! model too weak for the algorithm, or an algorithm used beyond its abstraction) on a
//! schedule where the bug shows, asserts that the named property is violated, and that the
//! correct algorithm keeps it on the same schedule.

use automata::model::Delay;
use automata::sim::Sim;
use automata::{Fault, Monitors, Setup, SystemModel, Value};
use registers::monitors::{Linearizability, Ordering, RegularValidity, Termination};
use registers::*;

mod common;
use common::{asynchronous, inversion, run, slow, two_writers, write};

#[test]
fn ordering_catches_majority_voting_and_abd_without_write_back() {
    let v = run(
        inversion(|_| MajorityVoting::<Value>::new(10)),
        Ordering::new("onrr"),
    );
    assert!(v.is_violation(), "{v:?}");
    let mutant = |_| ReadImposeWriteMajority::<Value>::new(10).without_write_back();
    let v = run(inversion(mutant), Ordering::new("onar"));
    assert!(v.is_violation(), "{v:?}");
    let v = run(inversion(mutant), Linearizability::new("onar"));
    assert!(v.is_violation(), "{v:?}");
    // The same schedule: both reads are regular, and ABD keeps the order.
    let v = run(
        inversion(|_| MajorityVoting::<Value>::new(10)),
        RegularValidity::new("onrr"),
    );
    assert!(v.holds(), "{v:?}");
    let abd = |_| ReadImposeWriteMajority::<Value>::new(10);
    assert!(run(inversion(abd), Ordering::new("onar")).holds());
    assert!(run(inversion(abd), Linearizability::new("onar")).holds());
}

#[test]
fn regular_validity_catches_majority_voting_with_non_intersecting_quorums() {
    let setup = |small: bool| {
        Setup::new(4, asynchronous(), move |_| {
            let r = MajorityVoting::<Value>::new(10);
            if small {
                r.non_intersecting_quorums()
            } else {
                r
            }
        })
        .faults(vec![slow(0, 2, 200), slow(0, 3, 200), slow(1, 3, 200)])
        .request(10, 0, write("v1"))
        .request(80, 3, RegisterOp::Read)
    };
    let v = run(setup(true), RegularValidity::new("onrr"));
    assert!(v.is_violation(), "{v:?}");
    assert!(run(setup(false), RegularValidity::new("onrr")).holds());
}

#[test]
fn linearizability_catches_multi_writer_abd_without_consult() {
    let mutant = |_| ReadImposeWriteConsultMajority::<Value>::new(10).without_consult();
    let v = run(two_writers(mutant), Linearizability::new("nnar"));
    assert!(v.is_violation(), "{v:?}");
    let abd = |_| ReadImposeWriteConsultMajority::<Value>::new(10);
    assert!(run(two_writers(abd), Linearizability::new("nnar")).holds());
}

#[test]
fn linearizability_catches_a_single_writer_register_with_two_writers() {
    let single = |_| ReadImposeWriteMajority::<Value>::new(10);
    let setup = Setup::new(3, SystemModel::default(), single)
        .request(10, 0, write("a"))
        .request(60, 1, write("b"))
        .request(120, 2, RegisterOp::Read);
    let v = run(setup, Linearizability::new("onar"));
    assert!(v.is_violation(), "{v:?}");
}

#[test]
fn termination_catches_majority_voting_without_a_correct_majority() {
    let setup = |crashes: Vec<Fault>| {
        Setup::new(3, SystemModel::default(), |_| {
            MajorityVoting::<Value>::new(10)
        })
        .faults(crashes)
        .request(10, 0, write("v1"))
        .request(20, 0, RegisterOp::Read)
    };
    let crash = |p| Fault::Crash {
        process: p,
        at: 0,
        after_sends: None,
        drop_in_flight: false,
    };
    let v = run(setup(vec![crash(1), crash(2)]), Termination::new("onrr"));
    assert!(v.is_violation(), "{v:?}");
    assert!(run(setup(vec![crash(2)]), Termination::new("onrr")).holds());
}

/// The cost of ABD in message delays, measured by the termination monitor: with every message
/// taking exactly 5 ticks, a write (one round trip) takes 10 and a read (two round trips, the
/// query and the write-back) 20; Majority Voting's read, without the write-back, 10.
#[test]
fn termination_measures_two_delays_a_write_and_four_a_read() {
    let fixed = SystemModel {
        delay: Delay {
            min: 5,
            max: 5,
            tail: 0.0,
        },
        ..SystemModel::default()
    };
    let latency = |setup: Setup<ReadImposeWriteMajority<Value>>| {
        let out = Sim::new(
            setup,
            Monitors::new(vec![Box::new(Termination::new("onar"))]),
        )
        .max_time(600)
        .settle(300)
        .run();
        (out.metrics["read_latency"], out.metrics["write_latency"])
    };
    let abd = |_| ReadImposeWriteMajority::<Value>::new(10);
    let setup = Setup::new(3, fixed.clone(), abd)
        .request(10, 0, write("v1"))
        .request(50, 1, RegisterOp::Read)
        .request(100, 2, RegisterOp::Read);
    assert_eq!(latency(setup), (20.0, 10.0));
    let voting = |_| ReadImposeWriteMajority::<Value>::new(10).without_write_back();
    let setup = Setup::new(3, fixed, voting)
        .request(10, 0, write("v1"))
        .request(50, 1, RegisterOp::Read);
    assert_eq!(latency(setup).0, 10.0);
}
