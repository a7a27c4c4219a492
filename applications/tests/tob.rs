//! Consensus-Based Total-Order Broadcast (CGR 6.1): every property of `tob` and `utob` under
//! random crash plans and schedules over the P oracle, on every path of small exhaustive
//! checks, and the mutant that skips consensus caught by total order under the same bounds.

use applications::consensus_tob::{self, Batch, ConsensusTob};
use applications::monitors::{PrefixOrder, TotalOrder};
use automata::oracle::PerfectOracle;
use automata::sim::Sim;
use automata::{Fault, Module, Monitor, Monitors, Pid, Setup, SystemModel, Time, Value};
use broadcast::{BestEffortBroadcast, Broadcast, EagerReliableBroadcast, Unique};
use consensus::{FloodingConsensus, FloodingUniformConsensus, Msg};
use links::FairLossLinks;
use proptest::prelude::*;

mod common;
use common::{broadcasting, config, crash, tob_monitors, Found};

/// Up to n − 1 processes crash in the first 40 ticks, some losing what they had in flight;
/// up to five broadcasts from any process in the first 30 ticks.
fn plan(n: usize) -> impl Strategy<Value = (Vec<Fault>, Vec<(Pid, Time)>)> {
    (
        proptest::collection::btree_map(0..n, (0..40u64, any::<bool>()), 0..n),
        proptest::collection::vec((0..n, 1..30u64), 1..6),
    )
        .prop_map(|(crashes, broadcasts)| {
            let faults = crashes
                .into_iter()
                .map(|(p, (at, drop))| crash(p, at, drop))
                .collect();
            (faults, broadcasts)
        })
}

fn assert_holds<R: Module<Req = Broadcast<Value>>>(
    setup: Setup<R>,
    plan: (Vec<Fault>, Vec<(Pid, Time)>),
    uniform: bool,
    seed: u64,
) {
    let setup = broadcasting(setup.faults(plan.0), &plan.1);
    let out = Sim::new(setup, Monitors::new(tob_monitors(uniform)))
        .seed(seed)
        .max_time(1_500)
        .run();
    assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
}

proptest! {
    #![proptest_config(config(32, 0x0054_4f42))]

    /// Over Eager RB and Flooding Consensus: TOB1-TOB5 under any crash plan and schedule.
    #[test]
    fn consensus_tob_is_total_order_broadcast(n in 2..5usize, plan in plan(4), seed in any::<u64>()) {
        let plan = (plan.0.into_iter().filter(|f| matches!(f, Fault::Crash { process, .. } if *process < n)).collect(),
                    plan.1.into_iter().map(|(p, at)| (p % n, at)).collect());
        let setup = Setup::new(n, SystemModel::synchronous(1, 8), |_| consensus_tob::regular::<Value, _>(10, PerfectOracle::new(2)));
        assert_holds(setup, plan, false, seed);
    }

    /// Over All-Ack URB and Flooding Uniform Consensus: uniform agreement, uniform total
    /// order and prefix order under any crash plan and schedule.
    #[test]
    fn consensus_utob_is_uniform(n in 2..5usize, plan in plan(4), seed in any::<u64>()) {
        let plan = (plan.0.into_iter().filter(|f| matches!(f, Fault::Crash { process, .. } if *process < n)).collect(),
                    plan.1.into_iter().map(|(p, at)| (p % n, at)).collect());
        let setup = Setup::new(n, SystemModel::synchronous(1, 8), |_| consensus_tob::uniform::<Value, _>(10, PerfectOracle::new(2)));
        assert_holds(setup, plan, true, seed);
    }
}

/// The whole stack over the bare network (no retransmission), so every path of a check ends.
type Net<M> = FairLossLinks<M>;
type Rb = EagerReliableBroadcast<
    Unique<Value>,
    BestEffortBroadcast<Unique<Unique<Value>>, Net<Unique<Unique<Value>>>>,
>;
type Cons = FloodingConsensus<Batch<Value>, PerfectOracle, Net<Msg<Batch<Value>>>>;
type Uniform = FloodingUniformConsensus<Batch<Value>, PerfectOracle, Net<Msg<Batch<Value>>>>;

fn rb() -> Rb {
    EagerReliableBroadcast::over(BestEffortBroadcast::over(FairLossLinks::default()))
}

/// N = 2, processes 0 and 1 broadcasting at time 1, every message taking one tick, with
/// `plan`'s crashes over the P oracle made quiescent once it has detected them.
fn explore<R: Module<Req = Broadcast<Value>>>(
    make: impl Fn(PerfectOracle) -> R + Send + Sync + 'static,
    plan: Vec<Fault>,
    monitors: Vec<Box<dyn Monitor>>,
) -> Found {
    let p = PerfectOracle::new(2).quiescent_after(plan.len());
    let setup =
        Setup::new(2, SystemModel::synchronous(1, 1), move |_| make(p.clone())).faults(plan);
    common::explore(
        broadcasting(setup, &[(0, 1), (1, 1)]),
        monitors,
        300_000,
        120,
    )
}

/// No crash, and process 0 crashing at time 2 losing what it had in flight (its message
/// may have reached anyone, or no one).
fn plans() -> [Vec<Fault>; 2] {
    [vec![], vec![crash(0, 2, true)]]
}

fn regular(p: PerfectOracle) -> ConsensusTob<Value, Rb, Cons> {
    ConsensusTob::new(rb(), FloodingConsensus::over(Net::default(), p))
}

/// N = 2, processes 0 and 1 broadcasting at time 1, every message taking one tick (what
/// varies is the order of each tick's steps): TOB1-TOB5 hold on every path of both plans,
/// and skipping consensus breaks total order under the same bounds.
#[test]
fn consensus_tob_orders_on_every_path_and_skipping_consensus_does_not() {
    let mut states = Vec::new();
    for plan in plans() {
        let (violated, unique, complete) = explore(regular, plan.clone(), tob_monitors(false));
        assert_eq!(violated, None, "{plan:?}: after {unique} states");
        assert!(complete, "{plan:?}: not exhaustive after {unique} states");
        states.push(unique);
    }
    assert_eq!(states, PINNED_REGULAR, "pinned state counts changed");
    let (violated, _, _) = explore(
        |p| regular(p).without_consensus(),
        vec![],
        tob_monitors(false),
    );
    assert_eq!(violated, Some("total-order"));
}

/// Over Flooding Uniform Consensus, under the same bounds, uniform total order and prefix
/// order hold on every path: faulty processes too deliver a prefix of the one sequence. (The
/// broadcast below stays Eager RB, so uniform agreement is not claimed.)
#[test]
fn uniform_consensus_orders_every_process_on_every_path() {
    for plan in plans() {
        let make = |p: PerfectOracle| -> ConsensusTob<Value, Rb, Uniform> {
            ConsensusTob::new(rb(), FloodingUniformConsensus::over(Net::default(), p))
        };
        let ordering: Vec<Box<dyn Monitor>> = vec![
            Box::new(TotalOrder::uniform("tob")),
            Box::new(PrefixOrder::new("tob")),
        ];
        let (violated, unique, complete) = explore(make, plan.clone(), ordering);
        assert_eq!(violated, None, "{plan:?}: after {unique} states");
        assert!(complete, "{plan:?}: not exhaustive after {unique} states");
    }
    // Each ordering monitor alone catches the mutant that skips consensus, same bounds.
    let mutant = |p| regular(p).without_consensus();
    let alone: Vec<Box<dyn Monitor>> = vec![Box::new(TotalOrder::uniform("tob"))];
    assert_eq!(
        explore(mutant, vec![], alone).0,
        Some("uniform-total-order")
    );
    let alone: Vec<Box<dyn Monitor>> = vec![Box::new(PrefixOrder::new("tob"))];
    assert_eq!(explore(mutant, vec![], alone).0, Some("prefix-order"));
}

const PINNED_REGULAR: [usize; 2] = [16_961, 1_164];
