//! The fail-stop consensus algorithms (CGR 5.1-5.3): C1-C4 (and UC4 for the uniform one) under
//! random crash plans and schedules over the P oracle, on every path of small exhaustive
//! checks, and each mutant caught by the property it breaks under the same bounds.

use automata::check::{Budget, Explore, Search};
use automata::oracle::PerfectOracle;
use automata::sim::Sim;
use automata::{Fault, Module, Monitor, Monitors, Setup, SystemModel, Time, Value};
use broadcast::{BestEffortBroadcast, EagerReliableBroadcast, Unique};
use consensus::monitors;
use consensus::{
    FloodingConsensus, FloodingUniformConsensus, HierarchicalConsensus,
    HierarchicalUniformConsensus, Msg, Propose,
};
use links::FairLossLinks;
use proptest::prelude::*;

mod common;
use common::{config, crash};

/// Largest one-way delay.
const MAX: Time = 5;

fn model() -> SystemModel {
    SystemModel::synchronous(1, MAX)
}

/// Every process proposes at time 1: process p proposes `values[p]`.
fn proposing<R: Module<Req = Propose<Value>>>(setup: Setup<R>, values: &[i64]) -> Setup<R> {
    values
        .iter()
        .enumerate()
        .fold(setup, |s, (p, &v)| s.request(1, p, Propose(Value::Int(v))))
}

/// C1-C4, and UC4 when `uniform`, on module `module`.
fn consensus_monitors(module: &str, uniform: bool) -> Vec<Box<dyn Monitor>> {
    let mut all = monitors::all(module);
    if !uniform {
        all.retain(|m| m.name() != "uniform-agreement");
    }
    all
}

/// Simulates `setup` to a horizon well past every decision; panics naming the properties
/// that failed.
fn assert_holds<R: Module>(setup: Setup<R>, module: &str, uniform: bool, seed: u64) {
    let out = Sim::new(setup, Monitors::new(consensus_monitors(module, uniform)))
        .seed(seed)
        .max_time(2_000)
        .run();
    assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
}

/// Random crash plans: up to n − 1 distinct processes crash at random times in the first 40
/// ticks, some losing what they had in flight.
fn plans(n: usize) -> impl Strategy<Value = Vec<Fault>> {
    proptest::collection::btree_map(0..n, (0..40u64, any::<bool>()), 0..n).prop_map(|m| {
        m.into_iter()
            .map(|(p, (at, drop))| crash(p, at, drop))
            .collect()
    })
}

proptest! {
    #![proptest_config(config(0x4655_5354))]

    /// 5.1: Flooding Consensus keeps C1-C4 under any crash plan over P.
    #[test]
    fn flooding_consensus_is_consensus(n in 2..5usize, values in proptest::collection::vec(0..3i64, 4), faults in plans(4), seed in any::<u64>()) {
        let faults: Vec<Fault> = faults.into_iter().filter(|f| matches!(f, Fault::Crash { process, .. } if *process < n)).collect();
        let setup = Setup::new(n, model(), |_| FloodingConsensus::<Value, _>::new(10, PerfectOracle::new(2))).faults(faults);
        assert_holds(proposing(setup, &values[..n]), "c", false, seed);
    }

    /// 5.2: Hierarchical Consensus keeps C1-C4 under any crash plan over P.
    #[test]
    fn hierarchical_consensus_is_consensus(n in 2..5usize, values in proptest::collection::vec(0..3i64, 4), faults in plans(4), seed in any::<u64>()) {
        let faults: Vec<Fault> = faults.into_iter().filter(|f| matches!(f, Fault::Crash { process, .. } if *process < n)).collect();
        let setup = Setup::new(n, model(), |_| HierarchicalConsensus::<Value, _>::new(10, PerfectOracle::new(2))).faults(faults);
        assert_holds(proposing(setup, &values[..n]), "c", false, seed);
    }

    /// 5.4: Hierarchical Uniform Consensus keeps C1-C3 and UC4 under any crash plan over P.
    #[test]
    fn hierarchical_uniform_consensus_is_uniform(n in 2..5usize, values in proptest::collection::vec(0..3i64, 4), faults in plans(4), seed in any::<u64>()) {
        let faults: Vec<Fault> = faults.into_iter().filter(|f| matches!(f, Fault::Crash { process, .. } if *process < n)).collect();
        let setup = Setup::new(n, model(), |_| HierarchicalUniformConsensus::<Value, _>::new(10, PerfectOracle::new(2))).faults(faults);
        assert_holds(proposing(setup, &values[..n]), "uc", true, seed);
    }

    /// 5.3: Flooding Uniform Consensus keeps C1-C3 and UC4 under any crash plan over P.
    #[test]
    fn flooding_uniform_consensus_is_uniform(n in 2..5usize, values in proptest::collection::vec(0..3i64, 4), faults in plans(4), seed in any::<u64>()) {
        let faults: Vec<Fault> = faults.into_iter().filter(|f| matches!(f, Fault::Crash { process, .. } if *process < n)).collect();
        let setup = Setup::new(n, model(), |_| FloodingUniformConsensus::<Value, _>::new(10, PerfectOracle::new(2))).faults(faults);
        assert_holds(proposing(setup, &values[..n]), "uc", true, seed);
    }
}

/// The network itself: no retransmission, so every path of a check ends.
type Net = FairLossLinks<Msg<Value>>;

/// Eager Reliable Broadcast over the network.
type RbNet = EagerReliableBroadcast<
    Msg<Value>,
    BestEffortBroadcast<Unique<Msg<Value>>, FairLossLinks<Unique<Msg<Value>>>>,
>;

fn hierarchical_uniform(
    p: PerfectOracle,
) -> HierarchicalUniformConsensus<Value, PerfectOracle, Net, RbNet> {
    let rb = EagerReliableBroadcast::over(BestEffortBroadcast::over(FairLossLinks::default()));
    HierarchicalUniformConsensus::over(Net::default(), Net::default(), rb, p)
}

/// The first property violated on some path (and the unique states, and whether the search
/// was exhaustive), for three processes proposing 0, 1, 1 at time 1 with `plan`'s crashes,
/// over the P oracle made quiescent (silent once it has detected the plan's crashes, so every
/// path ends and termination is judged on it). Every message takes one tick, so what varies
/// is the order of the steps of each tick: which messages a crash catches in flight, which
/// arrive before a detection.
fn explore<R: Module<Req = Propose<Value>>>(
    algorithm: fn(PerfectOracle) -> R,
    plan: Vec<Fault>,
    module: &str,
    uniform: bool,
) -> (Option<&'static str>, usize, bool) {
    let mut model = model();
    model.delay.max = 1;
    let p = PerfectOracle::new(2).quiescent_after(plan.len());
    let setup = Setup::new(3, model, move |_| algorithm(p.clone())).faults(plan);
    let budget = Budget {
        max_states: Some(400_000),
        ..Budget::depth(80)
    };
    let monitors = Monitors::new(consensus_monitors(module, uniform));
    let r = Explore::new(proposing(setup, &[0, 1, 1]), monitors).check(Search::Bfs, budget, 1);
    (
        r.counterexample.map(|c| c.property),
        r.unique_states,
        r.coverage.complete,
    )
}

/// The plans of the exhaustive checks (N = 3, proposals 0, 1, 1): no crash; process 0, the
/// only one proposing 0, crashing at time 2 and losing what it has in flight (its proposal
/// may have reached anyone, or no one); and then also process 1 at time 4, likewise.
fn plans_for_checks() -> Vec<Vec<Fault>> {
    vec![
        vec![],
        vec![crash(0, 2, true)],
        vec![crash(0, 2, true), crash(1, 4, true)],
    ]
}

/// Asserts that no property fails on any path of any plan, exhaustively; the unique states,
/// summed.
fn holds_on_every_path<R: Module<Req = Propose<Value>>>(
    algorithm: fn(PerfectOracle) -> R,
    module: &str,
    uniform: bool,
) -> usize {
    let mut total = 0;
    for plan in plans_for_checks() {
        let (violated, states, complete) = explore(algorithm, plan.clone(), module, uniform);
        assert_eq!(violated, None, "{plan:?}: after {states} states");
        assert!(complete, "{plan:?}: not exhaustive after {states} states");
        total += states;
    }
    total
}

/// The properties that fail on some path, one per plan where one does (same bounds).
fn caught<R: Module<Req = Propose<Value>>>(
    algorithm: fn(PerfectOracle) -> R,
    module: &str,
    uniform: bool,
) -> Vec<&'static str> {
    plans_for_checks()
        .into_iter()
        .filter_map(|plan| explore(algorithm, plan, module, uniform).0)
        .collect()
}

/// Flooding Consensus keeps C1-C4 on every path of every plan; deciding after round 1
/// breaks agreement on the same plans and bounds.
#[test]
fn flooding_consensus_agrees_on_every_path_and_deciding_at_once_does_not() {
    let states = holds_on_every_path(|p| FloodingConsensus::over(Net::default(), p), "c", false);
    assert_eq!(states, PINNED_FLOODING, "pinned state count changed");
    let mutant = |p| FloodingConsensus::over(Net::default(), p).deciding_at_once();
    assert!(caught(mutant, "c", false).contains(&"agreement"));
}

/// Hierarchical Consensus keeps C1-C4 on every path of every plan; never adopting a leader's
/// value breaks agreement on the same plans and bounds.
#[test]
fn hierarchical_consensus_agrees_on_every_path_and_not_adopting_does_not() {
    let states = holds_on_every_path(
        |p| HierarchicalConsensus::over(Net::default(), p),
        "c",
        false,
    );
    assert_eq!(states, PINNED_HIERARCHICAL, "pinned state count changed");
    let mutant = |p| HierarchicalConsensus::over(Net::default(), p).without_adopting();
    assert!(caught(mutant, "c", false).contains(&"agreement"));
}

/// Flooding Uniform Consensus keeps C1-C3 and UC4 on every path of every plan; on the same
/// plans and bounds, deciding after one round breaks uniform agreement, and so does Flooding
/// Consensus, which is only regular.
#[test]
fn flooding_uniform_consensus_is_uniform_on_every_path_and_deciding_early_is_not() {
    let states = holds_on_every_path(
        |p| FloodingUniformConsensus::over(Net::default(), p),
        "uc",
        true,
    );
    assert_eq!(
        states, PINNED_FLOODING_UNIFORM,
        "pinned state count changed"
    );
    let short = |p| FloodingUniformConsensus::over(Net::default(), p).deciding_after(1);
    assert!(caught(short, "uc", true).contains(&"uniform-agreement"));
    let regular = |p| FloodingConsensus::over(Net::default(), p);
    assert!(caught(regular, "c", true).contains(&"uniform-agreement"));
}

/// Hierarchical Uniform Consensus keeps C1-C3 and UC4 on every path of every plan; on the
/// same plans and bounds, a leader that broadcasts DECIDED without waiting for
/// acknowledgements breaks uniform agreement, and so does Hierarchical Consensus.
#[test]
fn hierarchical_uniform_consensus_is_uniform_on_every_path_and_skipping_acks_is_not() {
    let states = holds_on_every_path(hierarchical_uniform, "uc", true);
    assert_eq!(
        states, PINNED_HIERARCHICAL_UNIFORM,
        "pinned state count changed"
    );
    let hasty = |p| hierarchical_uniform(p).without_acks();
    assert!(caught(hasty, "uc", true).contains(&"uniform-agreement"));
    let regular = |p| HierarchicalConsensus::over(Net::default(), p);
    assert!(caught(regular, "c", true).contains(&"uniform-agreement"));
}

/// Unique states of the exhaustive checks above, summed over the three plans.
const PINNED_FLOODING: usize = 48344;
const PINNED_HIERARCHICAL: usize = 2079;
const PINNED_FLOODING_UNIFORM: usize = 54030;
const PINNED_HIERARCHICAL_UNIFORM: usize = 7369;
