//! FLP made visible (book §8.10): Leader-Driven Consensus whose Ω trusts a crashed
//! leader for ever has a fair infinite execution in which nobody decides, and the model
//! checker's fair-cycle search finds it as a lasso naming termination; with an Ω that stops
//! trusting the crashed leader ([`SwitchingOmega`] at time 3), the same search under the same bound finds no such cycle.

use automata::check::{Budget, Explore, Search};
use automata::{Fault, Monitors, Setup, Value};
use consensus::flp::UnreliableOmega;
use consensus::{LeaderDrivenConsensus, Propose};

mod common;
use common::{one_tick, uniform, SwitchingOmega};

/// N = 3 proposing a, b, c at time 1, every message taking one tick, process 0 (the first
/// leader) crashing at time 2, before its epoch decides; breadth-first to depth 30, then the
/// fair-cycle search.
fn check<O: automata::detector::EventualLeaderDetector + Clone + Send + Sync>(
    omega: O,
) -> automata::check::Report<LeaderDrivenConsensus<Value, O>> {
    let model = one_tick();
    let crash = Fault::Crash {
        process: 0,
        at: 2,
        after_sends: None,
        drop_in_flight: false,
    };
    let setup = ["a", "b", "c"].iter().enumerate().fold(
        Setup::new(3, model, move |_| {
            LeaderDrivenConsensus::new(omega.clone(), 10)
        }),
        |s, (p, v)| s.request(1, p, Propose(Value::str(v))),
    );
    Explore::new(setup.faults(vec![crash]), Monitors::new(uniform())).check(
        Search::Bfs,
        Budget::depth(30),
        1,
    )
}

#[test]
fn an_omega_that_trusts_a_crashed_leader_for_ever_leaves_a_fair_lasso_that_never_decides() {
    let r = check(UnreliableOmega);
    let ce = r.counterexample.as_ref().expect("a lasso");
    assert_eq!(ce.property, "termination");
    let cycle = ce.cycle.expect("an infinite execution: a cycle");
    assert!(cycle.action < ce.actions.len(), "{cycle:?}");
    let lasso = r.lasso.as_ref().expect("the fair-cycle search ran");
    eprintln!(
        "unreliable Ω: {} states, lasso graph {} nodes (complete: {}), cycle from action {} of {}",
        r.unique_states,
        lasso.nodes,
        lasso.complete,
        cycle.action,
        ce.actions.len()
    );
    assert!(lasso.fair_cycles >= 1);
}

#[test]
fn an_omega_that_stops_trusting_it_leaves_no_such_cycle_under_the_same_bound() {
    let r = check(SwitchingOmega { switch: 3 });
    assert_eq!(r.counterexample.map(|c| c.property), None);
    let lasso = r.lasso.expect("the fair-cycle search ran");
    eprintln!(
        "stabilising Ω: {} states, lasso graph {} nodes, complete {}",
        r.unique_states, lasso.nodes, lasso.complete
    );
    assert_eq!(lasso.fair_cycles, 0);
}
