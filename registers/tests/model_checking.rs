//! Exhaustive checks of three-process registers, each paired with its mutant caught under the
//! same bounds.
//!
//! Majority Voting: every interleaving of a write and a later read over an asynchronous
//! network that may lose any packet (a lost packet stands for one that stays in flight past
//! the read). The two ABD registers: a synchronous network whose packets take one or two ticks
//! (so a later packet may overtake an earlier one) and any of which may be lost, with every
//! interleaving of the packets in flight; their operations are longer (four round trips with
//! two readers or two writers), and asynchrony would not end within the time a test may take.
//! Safety only: over the bare network a lost request leaves its operation unfinished, which is
//! the network's doing, not the register's (an unfinished operation is concurrent with all
//! that follows, as a failed one).
//!
//! The stacks run over the bare network (`FairLossLinks`) rather than over retransmitting
//! links, whose endless retransmissions would never let a path end.

use automata::model::Timing;
use automata::{Module, Monitor, Setup, SystemModel, Value};

mod common;
use common::{explore, lockstep, write, Net};
use registers::monitors::{Linearizability, Ordering, RegularValidity};
use registers::{
    MajorityVoting, ReadImposeWriteConsultMajority, ReadImposeWriteMajority, RegisterOp,
};

/// Asynchronous, and any packet may be lost.
fn lossy() -> SystemModel {
    let mut m = SystemModel {
        timing: Timing::Asynchronous,
        ..SystemModel::default()
    };
    m.links.loss = 0.1;
    m
}

/// Process 0 writes v at time 1; process 1 reads at time 20, after the write returned on
/// every path where it returns.
fn write_then_read<R: Module<Req = RegisterOp<Value>>>(
    factory: impl Fn(usize) -> R + Send + Sync + 'static,
) -> Setup<R> {
    Setup::new(3, lossy(), factory)
        .request(1, 0, write("v"))
        .request(20, 1, RegisterOp::Read)
}

fn regular() -> Vec<Box<dyn Monitor>> {
    vec![Box::new(RegularValidity::new("onrr"))]
}

#[test]
fn majority_voting_is_regular_on_every_path_and_small_quorums_are_not() {
    let (violated, states, complete) = explore(
        write_then_read(|_| MajorityVoting::over(Net::default(), Net::default())),
        regular(),
        None,
    );
    assert_eq!(violated, None, "majority voting after {states} states");
    assert!(complete, "not exhaustive: {states} states");
    assert!(states > 100, "{states} states: too few to mean much");
    let (violated, states, _) = explore(
        write_then_read(|_| {
            MajorityVoting::over(Net::default(), Net::default()).non_intersecting_quorums()
        }),
        regular(),
        None,
    );
    assert_eq!(
        violated,
        Some("regular-validity"),
        "the small-quorums mutant under the same bounds ({states} states)"
    );
}

/// Process 0 writes v at time 1; process 1 reads at time 2, concurrently with the write, and
/// process 2 reads at time 11, after the first read returned on every path where it returns
/// (four round trips of at most two ticks). A lost WRITE keeps the write running, so the
/// first read may see v and the second not: the new-old inversion the write-back prevents.
fn write_and_two_reads<R: Module<Req = RegisterOp<Value>>>(
    factory: impl Fn(usize) -> R + Send + Sync + 'static,
) -> Setup<R> {
    Setup::new(3, lockstep(2, true), factory)
        .request(1, 0, write("v"))
        .request(2, 1, RegisterOp::Read)
        .request(11, 2, RegisterOp::Read)
}

fn atomic() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(Ordering::new("onar")),
        Box::new(Linearizability::new("onar")),
    ]
}

/// About 320,000 states, 4 s in the dev profile (and 0.5 s to catch the mutant).
#[test]
fn read_impose_write_majority_is_atomic_on_every_path_and_without_write_back_is_not() {
    let abd = |_| ReadImposeWriteMajority::over(Net::default(), Net::default());
    let (violated, states, complete) = explore(write_and_two_reads(abd), atomic(), None);
    assert_eq!(
        violated, None,
        "read-impose write-majority after {states} states"
    );
    assert!(complete, "not exhaustive: {states} states");
    assert!(states > 100_000, "{states} states: too few to mean much");
    let mutant =
        |_| ReadImposeWriteMajority::over(Net::default(), Net::default()).without_write_back();
    let (violated, states, _) = explore(write_and_two_reads(mutant), atomic(), None);
    assert_eq!(
        violated,
        Some("ordering"),
        "the no-write-back mutant under the same bounds ({states} states)"
    );
}

/// Process 1 writes a at time 1; process 0 writes b at time 10, after a's write returned on
/// every path where it returns; process 2 reads at time 19. Where a's WRITE to 0 is lost, a
/// writer that does not consult a majority picks a timestamp below a's, and the read returns
/// a after b's write returned.
fn two_writers_then_read<R: Module<Req = RegisterOp<Value>>>(
    factory: impl Fn(usize) -> R + Send + Sync + 'static,
) -> Setup<R> {
    Setup::new(3, lockstep(2, true), factory)
        .request(1, 1, write("a"))
        .request(10, 0, write("b"))
        .request(19, 2, RegisterOp::Read)
}

/// About 820,000 states, 8 s in the dev profile (and 1.3 s to catch the mutant).
#[test]
fn read_impose_write_consult_majority_is_linearizable_on_every_path_and_without_consult_is_not() {
    let linearizable = || -> Vec<Box<dyn Monitor>> { vec![Box::new(Linearizability::new("nnar"))] };
    let abd = |_| ReadImposeWriteConsultMajority::over(Net::default(), Net::default());
    let (violated, states, complete) = explore(two_writers_then_read(abd), linearizable(), None);
    assert_eq!(
        violated, None,
        "read-impose write-consult-majority after {states} states"
    );
    assert!(complete, "not exhaustive: {states} states");
    assert!(states > 300_000, "{states} states: too few to mean much");
    let mutant =
        |_| ReadImposeWriteConsultMajority::over(Net::default(), Net::default()).without_consult();
    let (violated, states, _) = explore(two_writers_then_read(mutant), linearizable(), None);
    assert_eq!(
        violated,
        Some("linearizability"),
        "the no-consult mutant under the same bounds ({states} states)"
    );
}
