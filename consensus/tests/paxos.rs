//! Classic Paxos: C2, C3 and UC4 under random schedules and crashes (and C1 once the
//! proposers' retries are spread out), on every path of three acceptors with two competing
//! proposers, and the accept-below-the-promise mutant caught under the same bounds.

use automata::check::{Budget, Explore, Search};
use automata::model::{Delay, Timing};
use automata::sim::Sim;
use automata::{Fault, Module, Monitors, Pid, Setup, SystemModel, Time, Value};
use consensus::paxos::PaxosMsg;
use consensus::{Paxos, Propose};
use links::FairLossLinks;
use proptest::prelude::*;

mod common;
use common::{config, crash, uniform};

/// Processes `proposers` propose at time `at`: process p proposes p.
fn proposing<R: Module<Req = Propose<Value>>>(
    setup: Setup<R>,
    proposers: &[Pid],
    at: Time,
) -> Setup<R> {
    proposers.iter().fold(setup, |s, &p| {
        s.request(at, p, Propose(Value::Int(p as i64)))
    })
}

proptest! {
    #![proptest_config(config(0x5041_5859))]

    /// N ∈ {3, 5}, every process proposing at a random time, up to f crashes, delays of 1 to
    /// 10 ticks and retries after 100 to 300 ticks (each proposer its own): every property
    /// holds, termination included (a retry is longer than a round trip, so eventually one
    /// proposer completes alone).
    #[test]
    fn paxos_is_uniform_consensus(
        five in any::<bool>(),
        crashes in proptest::collection::btree_map(0..5usize, 0..200u64, 0..3),
        retry in 100..300u64,
        seed in any::<u64>(),
    ) {
        let n = if five { 5 } else { 3 };
        let faults: Vec<Fault> = crashes
            .into_iter()
            .filter(|&(p, _)| p < n)
            .take((n - 1) / 2)
            .map(|(p, at)| crash(p, at, false))
            .collect();
        let model = SystemModel {
            timing: Timing::Asynchronous,
            delay: Delay { min: 1, max: 10, ..Delay::default() },
            ..SystemModel::default()
        };
        let setup = Setup::new(n, model, move |p| Paxos::<Value>::new(10, retry + 37 * p as u64)).faults(faults);
        let all: Vec<Pid> = (0..n).collect();
        let out = Sim::new(proposing(setup, &all, 5), Monitors::new(uniform()))
            .seed(seed)
            .max_time(20_000)
            .run();
        prop_assert!(out.all_hold(), "seed {}: {:#?}", seed, out.properties);
    }
}

type Net = FairLossLinks<PaxosMsg<Value>>;

/// The first safety property violated on some path, the unique states and whether the search
/// was exhaustive: three acceptors (and learners), processes 0 and 1 proposing 0 and 1 at time
/// 1, one ballot each (no retries), every message taking 1 to `max` ticks. Termination is not
/// judged: two proposers may preempt each other, and without retries neither completes.
fn explore(make: fn() -> Paxos<Value, Net>, max: Time) -> (Option<&'static str>, usize, bool) {
    let model = SystemModel::synchronous(1, max);
    let setup = Setup::new(3, model, move |_| make());
    let budget = Budget {
        max_states: Some(2_000_000),
        ..Budget::depth(200)
    };
    let mut safety = uniform();
    safety.retain(|m| m.name() != "termination");
    let r = Explore::new(proposing(setup, &[0, 1], 1), Monitors::new(safety)).check(
        Search::Bfs,
        budget,
        1,
    );
    (
        r.counterexample.map(|c| c.property),
        r.unique_states,
        r.coverage.complete,
    )
}

/// Validity, integrity and uniform agreement hold on every path of two competing proposers,
/// each message taking one tick (7,263 states, under a second); accepting below the promise
/// breaks uniform agreement under the same bounds.
#[test]
fn paxos_agrees_on_every_path_and_accepting_lower_ballots_does_not() {
    let (violated, states, complete) = explore(|| Paxos::over(Net::default(), 0), 1);
    assert_eq!(violated, None, "after {states} states");
    assert!(complete, "not exhaustive after {states} states");
    assert_eq!(states, 7_263, "pinned state count changed");
    let mutant = || Paxos::over(Net::default(), 0).accepting_lower();
    let (violated, states, _) = explore(mutant, 1);
    assert_eq!(violated, Some("uniform-agreement"), "after {states} states");
}

/// The same with each message taking one or two ticks, so a later message may overtake an
/// earlier one: 986,634 states, and the mutant caught under the same bounds (about 25 s for
/// both in the test profile).
#[test]
fn paxos_agrees_on_every_path_with_overtaking_messages() {
    let (violated, states, complete) = explore(|| Paxos::over(Net::default(), 0), 2);
    assert_eq!(violated, None, "after {states} states");
    assert!(complete, "not exhaustive after {states} states");
    assert_eq!(states, 986_634, "pinned state count changed");
    let mutant = || Paxos::over(Net::default(), 0).accepting_lower();
    let (violated, states, _) = explore(mutant, 2);
    assert_eq!(violated, Some("uniform-agreement"), "after {states} states");
}
