//! The key-value store over the Multi-Paxos log at scale: five replicas, 10,000 client
//! operations, the leader crashing half-way. Every operation of a correct client returns,
//! the replicas agree command by command, and the history of the 10,000 operations is
//! linearizable, so every acknowledged write survives the change of leader (a later read of
//! its key sees it or a later write). A final read of every key, after the run has settled,
//! is part of the history.

use applications::kv::{KvOp, KvRet};
use applications::monitors::{Linearizability, Progress, ReplicaConsistency};
use applications::multi_paxos::{MpMsg, MultiPaxos};
use applications::tob_rsm::{Command, TobRsm};
use automata::oracle::LeaderOracle;
use automata::sim::Sim;
use automata::{Event, Fault, Kind, Monitor, Monitors, Pid, Setup, SystemModel, Time, Value};
use links::FairLossLinks;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

mod common;
use common::crash;

/// Over the bare network: the model loses nothing, so it is already perfect links, and
/// nothing is retransmitted for ever to the crashed leader.
type Replica = TobRsm<MultiPaxos<Command, LeaderOracle, FairLossLinks<MpMsg<Command>>>>;

const N: usize = 5;
/// Operations before the final reads.
const OPS: usize = 10_000;
const KEYS: u32 = 100;
/// Ticks between two requests of one client (a client queues what it cannot start yet).
const EVERY: Time = 25;

fn monitors() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(ReplicaConsistency::new("kv")),
        Box::new(Linearizability::new("kv")),
        Box::new(Progress::new("kv")),
    ]
}

/// A random operation on one of `KEYS` keys: 40% put (a value no one else writes), 40% get,
/// 10% delete, 10% compare-and-set from a value some put may have written.
fn op(rng: &mut ChaCha8Rng, unique: &mut i64) -> KvOp {
    let key = Value::str(&format!("k{}", rng.random_range(0..KEYS)));
    *unique += 1;
    match rng.random_range(0..10) {
        0..=3 => KvOp::Put(key, Value::Int(*unique)),
        4..=7 => KvOp::Get(key),
        8 => KvOp::Delete(key),
        _ => KvOp::Cas(
            key,
            Value::Int(rng.random_range(0..*unique)),
            Value::Int(*unique),
        ),
    }
}

/// The correct clients 1..N share the operations, each issuing one every `EVERY` ticks;
/// the leader, process 0, issues its own share until it crashes at `crash_at`. Then a
/// get of every key.
fn setup(crash_at: Time) -> (Setup<Replica>, Time) {
    let mut rng = ChaCha8Rng::seed_from_u64(0x10_000);
    let mut unique = 0;
    let mut setup = Setup::new(N, SystemModel::synchronous(1, 8), |_| {
        TobRsm::new(MultiPaxos::over(
            FairLossLinks::default(),
            LeaderOracle::new(3),
        ))
    })
    .faults(vec![crash(0, crash_at, true)]);
    let mut issued = 0;
    let mut at = 1;
    while issued < OPS {
        for p in 0..N {
            if issued == OPS || (p == 0 && at >= crash_at) {
                continue;
            }
            setup = setup.request(at + p as Time, p as Pid, op(&mut rng, &mut unique));
            issued += 1;
        }
        at += EVERY;
    }
    let settled = at + 2_000;
    for k in 0..KEYS {
        let p = 1 + (k as usize % (N - 1));
        setup = setup.request(settled, p, KvOp::Get(Value::str(&format!("k{k}"))));
    }
    (setup, settled + 5_000)
}

#[test]
fn ten_thousand_operations_across_a_leader_crash_are_linearizable() {
    let (setup, end) = setup(OPS as Time / N as Time * EVERY / 2);
    assert!(matches!(setup.faults[0], Fault::Crash { process: 0, .. }));
    let out = Sim::new(setup, Monitors::new(monitors()))
        .seed(7)
        .max_time(end)
        .record(true)
        .run();
    for p in ["replica-consistency", "linearizability", "progress"] {
        assert!(out.verdict(p).holds(), "{p}: {:?}", out.verdict(p));
    }
    // What the monitors judged: the operations that returned, the leader's last ones cut
    // off by its crash, and the reads of the settled store.
    let trace = out.trace.as_deref().expect("recorded");
    let replies = trace
        .iter()
        .filter(|e| e.module == "kv" && e.kind == Kind::Indication)
        .count();
    let failed = OPS + KEYS as usize - replies;
    assert!(replies >= OPS, "{replies} replies");
    assert!(failed <= 1, "{failed} operations of the leader failed");
    let reads_of_a_write = trace
        .iter()
        .filter(|e| e.module == "kv" && e.kind == Kind::Indication)
        .filter(|e| match &e.event {
            Event::Other { .. } => {
                KvRet::of_event(&e.event).is_some_and(|r| matches!(r, KvRet::Value(Value::Int(_))))
            }
            _ => false,
        })
        .count();
    assert!(
        reads_of_a_write > OPS / 10,
        "only {reads_of_a_write} reads saw a write"
    );
}
