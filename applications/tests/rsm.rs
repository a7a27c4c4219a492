//! The replicated key-value store over Consensus-Based TOB: replica consistency,
//! linearizability and progress under random crash plans, operations and schedules, on every
//! path of a small exhaustive check, and the mutant that reads locally caught by
//! linearizability under the same bounds.

use applications::consensus_tob::{self, Batch, ConsensusTob};
use applications::kv::KvOp;
use applications::monitors::{Linearizability, Progress, ReplicaConsistency};
use applications::tob_rsm::{Command, TobRsm};
use automata::oracle::PerfectOracle;
use automata::sim::Sim;
use automata::{Module, Monitor, Monitors, Pid, Setup, SystemModel, Value};
use broadcast::{BestEffortBroadcast, EagerReliableBroadcast, Unique};
use consensus::{FloodingConsensus, Msg};
use links::FairLossLinks;
use proptest::prelude::*;

mod common;
use common::{config, crash, Found};

fn monitors() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(ReplicaConsistency::new("kv")),
        Box::new(Linearizability::new("kv")),
        Box::new(Progress::new("kv")),
    ]
}

fn key(k: u8) -> Value {
    Value::str(&format!("k{k}"))
}

/// An operation on one of two keys, with values 0..3.
fn op() -> impl Strategy<Value = KvOp> {
    (0..4u8, 0..2u8, 0..3i64, 0..3i64).prop_map(|(kind, k, a, b)| match kind {
        0 => KvOp::Get(key(k)),
        1 => KvOp::Put(key(k), Value::Int(a)),
        2 => KvOp::Delete(key(k)),
        _ => KvOp::Cas(key(k), Value::Int(a), Value::Int(b)),
    })
}

proptest! {
    #![proptest_config(config(32, 0x0052_534d))]

    /// Up to two of three or four replicas crash in the first 60 ticks; up to eight
    /// operations from any client in the first 40 ticks.
    #[test]
    fn tob_rsm_is_a_linearizable_store(
        n in 3..5usize,
        crashes in proptest::collection::btree_map(0..4usize, 0..60u64, 0..3),
        ops in proptest::collection::vec((0..4usize, 1..40u64, op()), 1..9),
        seed in any::<u64>(),
    ) {
        let faults = crashes
            .into_iter()
            .filter(|&(p, _)| p < n)
            .map(|(process, at)| crash(process, at, true))
            .collect();
        let setup = Setup::new(n, SystemModel::synchronous(1, 8), |_| {
            TobRsm::new(consensus_tob::regular::<Command, _>(10, PerfectOracle::new(2)))
        })
        .faults(faults);
        let setup = ops.into_iter().fold(setup, |s, (p, at, op)| s.request(at, p % n, op));
        let out = Sim::new(setup, Monitors::new(monitors())).seed(seed).max_time(2_000).run();
        prop_assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
    }
}

/// The whole stack over the bare network (no retransmission), so every path of a check ends.
type Net<M> = FairLossLinks<M>;
type Rb = EagerReliableBroadcast<
    Unique<Command>,
    BestEffortBroadcast<Unique<Unique<Command>>, Net<Unique<Unique<Command>>>>,
>;
type Cons = FloodingConsensus<Batch<Command>, PerfectOracle, Net<Msg<Batch<Command>>>>;
type Replica = TobRsm<ConsensusTob<Command, Rb, Cons>>;

fn replica_over(p: PerfectOracle) -> Replica {
    let rb = EagerReliableBroadcast::over(BestEffortBroadcast::over(FairLossLinks::default()));
    TobRsm::new(ConsensusTob::new(
        rb,
        FloodingConsensus::over(Net::default(), p),
    ))
}

fn replica() -> Replica {
    replica_over(PerfectOracle::new(2).quiescent_after(0))
}

/// Explores `setup` (N = 2, every message taking one tick) exhaustively.
fn explore<R: Module<Req = KvOp>>(setup: Setup<R>, monitors: Vec<Box<dyn Monitor>>) -> Found {
    common::explore(setup, monitors, 300_000, 150)
}

/// Process 0 puts k0 := 1 at time 1; process 1 gets k0 at time 3, when on some schedules the
/// put has returned at process 0 and not yet been applied at process 1.
fn put_then_get<R: Module<Req = KvOp>>(make: fn() -> R) -> Setup<R> {
    Setup::new(2, SystemModel::synchronous(1, 1), move |_| make())
        .request(1, 0, KvOp::Put(key(0), Value::Int(1)))
        .request(3, 1 as Pid, KvOp::Get(key(0)))
}

/// Every property holds on every path; answering gets locally breaks linearizability under
/// the same bounds (the get returns ⊥ after the put of 1 returned).
#[test]
fn tob_rsm_is_linearizable_on_every_path_and_local_reads_are_not() {
    let (violated, states, complete) = explore(put_then_get(replica), monitors());
    assert_eq!((violated, complete), (None, true), "after {states} states");
    assert_eq!(states, 2_084, "pinned state count changed");
    let mutant = || replica().reading_locally();
    let (violated, _, _) = explore(put_then_get(mutant), monitors());
    assert_eq!(violated, Some("linearizability"));
}

/// Two replicas putting the same key at once apply the puts in one order on every path;
/// over the total-order mutant that skips consensus, they apply them in different orders and
/// replica consistency catches it, same bounds.
#[test]
fn replica_consistency_catches_replicas_applying_in_different_orders() {
    fn both_put<R: Module<Req = KvOp>>(make: fn() -> R) -> Setup<R> {
        Setup::new(2, SystemModel::synchronous(1, 1), move |_| make())
            .request(1, 0, KvOp::Put(key(0), Value::Int(0)))
            .request(1, 1, KvOp::Put(key(0), Value::Int(1)))
    }
    let alone = || -> Vec<Box<dyn Monitor>> { vec![Box::new(ReplicaConsistency::new("kv"))] };
    let (violated, states, complete) = explore(both_put(replica), alone());
    assert_eq!((violated, complete), (None, true), "after {states} states");
    let unordered = || {
        let rb = EagerReliableBroadcast::over(BestEffortBroadcast::over(FairLossLinks::default()));
        let c = FloodingConsensus::over(Net::default(), PerfectOracle::new(2).quiescent_after(0));
        TobRsm::new(ConsensusTob::new(rb, c).without_consensus())
    };
    assert_eq!(
        explore(both_put(unordered), alone()).0,
        Some("replica-consistency")
    );
}

/// Progress needs the detector's completeness: with process 1 crashing at time 2, a P that
/// detects it lets process 0's put return on every path; a detector that never detects
/// leaves the consensus below waiting for process 1 for ever, and progress catches it.
#[test]
fn progress_catches_a_detector_that_never_detects() {
    fn crashing(expected: usize) -> Setup<Replica> {
        Setup::new(2, SystemModel::synchronous(1, 1), move |_| {
            replica_over(PerfectOracle::new(2).quiescent_after(expected))
        })
        .faults(vec![crash(1, 2, true)])
        .request(1, 0, KvOp::Put(key(0), Value::Int(1)))
    }
    let alone = || -> Vec<Box<dyn Monitor>> { vec![Box::new(Progress::new("kv"))] };
    let (violated, states, complete) = explore(crashing(1), alone());
    assert_eq!((violated, complete), (None, true), "after {states} states");
    assert_eq!(explore(crashing(0), alone()).0, Some("progress"));
}
