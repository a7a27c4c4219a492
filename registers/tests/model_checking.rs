//! Exhaustive checks of a three-process register: every interleaving of a write and a later
//! read, where the network may lose any packet (a lost packet stands for one that stays in
//! flight past the read). Safety only: over the bare network a lost read request leaves the
//! read unfinished, which is the network's doing, not the register's.
//!
//! The stacks run over the bare network (`FairLossLinks`) rather than over retransmitting
//! links, whose endless retransmissions would never let a path end.

use automata::check::{Budget, Explore, Search};
use automata::model::Timing;
use automata::{Module, Monitor, Monitors, Setup, SystemModel, Value};
use links::FairLossLinks;
use registers::monitors::RegularValidity;
use registers::{MajorityVoting, Msg, RegisterOp};

type Net = FairLossLinks<Msg<Value>>;

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
        .request(1, 0, RegisterOp::Write(Value::str("v")))
        .request(20, 1, RegisterOp::Read)
}

/// The first property violated on some path, the unique states and whether the search was
/// exhaustive.
fn explore<R: Module>(setup: Setup<R>) -> (Option<&'static str>, usize, bool) {
    let monitors: Vec<Box<dyn Monitor>> = vec![Box::new(RegularValidity::new("onrr"))];
    let budget = Budget {
        max_states: Some(1_000_000),
        ..Budget::depth(60)
    };
    let r = Explore::new(setup, Monitors::new(monitors)).check(Search::Bfs, budget, 1);
    (
        r.counterexample.map(|c| c.property),
        r.unique_states,
        r.coverage.complete,
    )
}

#[test]
fn majority_voting_is_regular_on_every_path_and_small_quorums_are_not() {
    let (violated, states, complete) = explore(write_then_read(|_| {
        MajorityVoting::over(Net::default(), Net::default())
    }));
    assert_eq!(violated, None, "majority voting after {states} states");
    assert!(complete, "not exhaustive: {states} states");
    assert!(states > 100, "{states} states: too few to mean much");
    let (violated, states, _) = explore(write_then_read(|_| {
        MajorityVoting::over(Net::default(), Net::default()).non_intersecting_quorums()
    }));
    assert_eq!(
        violated,
        Some("regular-validity"),
        "the small-quorums mutant under the same bounds ({states} states)"
    );
}
