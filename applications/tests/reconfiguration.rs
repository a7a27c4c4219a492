//! Stop-sign reconfiguration of the replicated key-value store: runs with one and two changes
//! of configuration (members joining and leaving, an old member crashing after the change)
//! whose client history is linearizable, random fault plans and schedules, a small exhaustive
//! check with a change of configuration, and the two mutants caught: the one-step change by
//! `single-configuration-decisions` (two values for one slot), the change without state
//! transfer by `no-lost-commands`.

use applications::kv::KvOp;
use applications::monitors::{
    ConfigurationAgreement, Linearizability, NoLostCommands, Progress, ReplicaConsistency,
    SingleConfigurationDecisions,
};
use applications::multi_paxos::MpMsg;
use applications::stop_sign_reconfiguration::{Entry, Members, RcMsg, Rrsm, StopSign};
use automata::sim::Sim;
use automata::{Event, Kind, Monitor, Monitors, Pid, Setup, SystemModel, Time, TraceEvent, Value};
use links::{FairLossLinks, PerfectLinksAck};
use proptest::prelude::*;

mod common;
use common::{config, crash, Found};

/// RC1-RC5 and replica consistency, on the `rrsm` layer.
fn monitors() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(ConfigurationAgreement::new("rrsm")),
        Box::new(NoLostCommands::new("rrsm")),
        Box::new(Linearizability::new("rrsm")),
        Box::new(SingleConfigurationDecisions::new("rrsm")),
        Box::new(Progress::new("rrsm")),
        Box::new(ReplicaConsistency::new("rrsm")),
    ]
}

const ALL: [&str; 6] = [
    "configuration-agreement",
    "no-lost-commands",
    "linearizability",
    "single-configuration-decisions",
    "progress",
    "replica-consistency",
];

fn members(m: &[Pid]) -> Members {
    m.iter().copied().collect()
}

type Replica = StopSign<PerfectLinksAck<MpMsg<Entry>>, PerfectLinksAck<RcMsg>>;

fn replica(initial: &[Pid]) -> Replica {
    StopSign::new(10, members(initial), Some(3))
}

fn put(k: &str, v: i64) -> Rrsm {
    Rrsm::Execute(KvOp::Put(Value::str(k), Value::Int(v)))
}

fn get(k: &str) -> Rrsm {
    Rrsm::Execute(KvOp::Get(Value::str(k)))
}

/// The internal steps `name` of the run, as (process, arguments).
fn steps(trace: &[TraceEvent], name: &str) -> Vec<(Pid, Vec<Value>)> {
    trace
        .iter()
        .filter(|e| e.module == "rrsm" && e.kind == Kind::Internal)
        .filter_map(|e| match &e.event {
            Event::Other {
                name: n,
                value: Value::List(a),
            } if n == name => Some((e.process, a.clone())),
            _ => None,
        })
        .collect()
}

/// Which configurations applied at least one command.
fn configurations_that_applied(trace: &[TraceEvent]) -> Vec<i64> {
    let mut cids: Vec<i64> = steps(trace, "decided")
        .into_iter()
        .filter_map(|(_, a)| match (&a[1], &a[2]) {
            (Value::Int(c), Value::List(x)) if x.len() == 3 => Some(*c),
            _ => None,
        })
        .collect();
    cids.sort();
    cids.dedup();
    cids
}

/// Five processes, configuration 0 = {0, 1, 2}. Every process puts and reads on two keys
/// every 20 ticks; process 1 asks for {2, 3, 4} at 60 (0 and 1 leave, 3 and 4 join); process
/// 0, an old member, crashes at 250, after the change, and the others go on.
#[test]
fn one_change_joining_and_leaving_keeps_the_history_linearizable() {
    let mut setup = Setup::new(5, SystemModel::synchronous(1, 8), |_| replica(&[0, 1, 2]))
        .faults(vec![crash(0, 250, true)])
        .request(60, 1, Rrsm::Reconfigure(members(&[2, 3, 4])));
    for round in 0..12u64 {
        for p in 0..5usize {
            let at = 5 + round * 20 + p as Time;
            let key = if p.is_multiple_of(2) { "x" } else { "y" };
            let req = if round % 3 == 2 {
                get(key)
            } else {
                put(key, (round * 10 + p as u64) as i64)
            };
            setup = setup.request(at, p, req);
        }
    }
    let out = Sim::new(setup, Monitors::new(monitors()))
        .seed(11)
        .max_time(1_500)
        .record(true)
        .run();
    for p in ALL {
        assert!(out.verdict(p).holds(), "{p}: {:?}", out.verdict(p));
    }
    let trace = out.trace.as_deref().expect("recorded");
    // Both configurations applied commands, and every correct process installed {2, 3, 4}.
    assert_eq!(configurations_that_applied(trace), vec![0, 1]);
    let installed: Vec<Pid> = steps(trace, "installed")
        .into_iter()
        .filter(|(_, a)| a[0] == Value::Int(1))
        .map(|(p, _)| p)
        .collect();
    for p in 1..5 {
        assert!(
            installed.contains(&p),
            "process {p} did not install configuration 1"
        );
    }
    // The new members started from the state, not from scratch.
    let moved = steps(trace, "installed")
        .into_iter()
        .any(|(p, a)| p >= 3 && matches!(&a[2], Value::List(s) if s[0] != Value::Int(0)));
    assert!(moved, "no new member received commands with the state");
}

/// Six processes, two changes: {0, 1, 2} → {1, 2, 3} at 50 → {3, 4, 5} at 200; processes 0
/// and 1 crash after leaving (at 300 and 350). Clients keep writing and reading one key.
#[test]
fn two_changes_keep_the_history_linearizable() {
    let mut setup = Setup::new(6, SystemModel::synchronous(1, 8), |_| replica(&[0, 1, 2]))
        .faults(vec![crash(0, 300, true), crash(1, 350, true)])
        .request(50, 2, Rrsm::Reconfigure(members(&[1, 2, 3])))
        .request(200, 5, Rrsm::Reconfigure(members(&[3, 4, 5])));
    for round in 0..15u64 {
        for p in 0..6usize {
            let at = 3 + round * 30 + p as Time;
            let req = if (round + p as u64).is_multiple_of(2) {
                get("k")
            } else {
                put("k", (round * 10 + p as u64) as i64)
            };
            setup = setup.request(at, p, req);
        }
    }
    let out = Sim::new(setup, Monitors::new(monitors()))
        .seed(5)
        .max_time(2_000)
        .record(true)
        .run();
    for p in ALL {
        assert!(out.verdict(p).holds(), "{p}: {:?}", out.verdict(p));
    }
    let trace = out.trace.as_deref().expect("recorded");
    assert_eq!(configurations_that_applied(trace), vec![0, 1, 2]);
}

/// The same first run with new members that start from the empty store: the commands
/// answered in configuration 0 are lost (no-lost-commands), and a read returns an old value
/// (linearizability).
#[test]
fn without_transfer_commands_are_lost() {
    let mut setup = Setup::new(5, SystemModel::synchronous(1, 8), |_| {
        replica(&[0, 1, 2]).without_transfer()
    })
    .request(5, 0, put("x", 1))
    .request(60, 1, Rrsm::Reconfigure(members(&[2, 3, 4])))
    .request(200, 3, get("x"));
    setup = setup.request(6, 1, put("y", 2));
    let out = Sim::new(setup, Monitors::new(monitors()))
        .seed(1)
        .max_time(800)
        .run();
    assert!(
        out.verdict("no-lost-commands").is_violation(),
        "{:?}",
        out.verdict("no-lost-commands")
    );
    assert!(
        out.verdict("linearizability").is_violation(),
        "{:?}",
        out.verdict("linearizability")
    );
    assert!(out.verdict("single-configuration-decisions").holds());
}

/// Two changes asked at once, by processes 0 and 2 of {0, 1, 2}, to different members: with
/// stop-signs, the log orders them and the first one decided wins everywhere; taking effect at
/// once, each requester installs its own configuration 1 (configuration-agreement).
#[test]
fn concurrent_changes_agree_with_stop_signs_and_not_in_one_step() {
    let run = |one_step: bool| {
        let setup = Setup::new(4, SystemModel::synchronous(1, 8), move |_| {
            let r = replica(&[0, 1, 2]);
            if one_step {
                r.one_step()
            } else {
                r
            }
        })
        .request(5, 0, put("x", 1))
        .request(20, 0, Rrsm::Reconfigure(members(&[0, 1, 3])))
        .request(20, 2, Rrsm::Reconfigure(members(&[1, 2, 3])))
        .request(100, 3, get("x"));
        Sim::new(setup, Monitors::new(monitors()))
            .seed(3)
            .max_time(800)
            .run()
    };
    let out = run(false);
    assert!(out.all_hold(), "{:#?}", out.properties);
    let out = run(true);
    let v = out.verdict("configuration-agreement");
    assert!(v.is_violation(), "{v:?}");
}

proptest! {
    #![proptest_config(config(10, 0x5153_5243))]

    /// Five processes, {0, 1, 2} → {2, 3, 4} at a random time; one random process crashes at a
    /// random time (a majority of each configuration stays correct); random operations on
    /// two keys.
    #[test]
    fn stop_sign_reconfiguration_is_a_linearizable_store(
        change in 1..200u64,
        by in 0..5usize,
        crashed in proptest::option::of((0..5usize, 1..300u64)),
        ops in proptest::collection::vec((0..5usize, 1..250u64, 0..3u8), 1..12),
        seed in any::<u64>(),
    ) {
        let faults = crashed.into_iter().map(|(p, at)| crash(p, at, true)).collect();
        let mut setup = Setup::new(5, SystemModel::synchronous(1, 8), |_| replica(&[0, 1, 2]))
            .faults(faults)
            .request(change, by, Rrsm::Reconfigure(members(&[2, 3, 4])));
        for (i, (p, at, kind)) in ops.into_iter().enumerate() {
            let key = if i % 2 == 0 { "a" } else { "b" };
            let req = match kind {
                0 => get(key),
                _ => put(key, i as i64),
            };
            setup = setup.request(at, p, req);
        }
        let out = Sim::new(setup, Monitors::new(monitors()))
            .seed(seed)
            .max_time(2_000)
            .run();
        prop_assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
    }
}

type Net = FairLossLinks<MpMsg<Entry>>;
type Small = StopSign<Net, FairLossLinks<RcMsg>>;

/// N = 3 over the bare network, every message taking one or two ticks, Ω the lowest member
/// of each configuration: configuration 0 = {0, 1}; process 0 puts x = 1 at 1; process 2,
/// outside, asks for {1, 2} at 6 and puts x = 2 at 7. The first property violated on some
/// path, the unique states, whether the search was exhaustive.
fn explore(make: fn() -> Small) -> Found {
    let setup = Setup::new(3, SystemModel::synchronous(1, 2), move |_| make())
        .request(1, 0, put("x", 1))
        .request(6, 2, Rrsm::Reconfigure(members(&[1, 2])))
        .request(7, 2, put("x", 2));
    common::explore(setup, monitors(), 400_000, 200)
}

fn small() -> Small {
    StopSign::over(
        Net::default(),
        FairLossLinks::default(),
        members(&[0, 1]),
        None,
    )
}

/// Every property holds on every path (the stop-sign lands before or after the put of 1,
/// the put of 2 is forwarded to {0, 1} or waits for {1, 2}). Same bounds: the one-step
/// change lets {0, 1} and {1, 2} each decide slot 0, with x = 1 and x = 2
/// (single-configuration-decisions); the change without transfer starts 2 from the empty
/// store after the put of 1 was applied (no-lost-commands).
#[test]
fn stop_sign_holds_on_every_path_and_the_mutants_do_not() {
    let (violated, states, complete) = explore(small);
    assert_eq!((violated, complete), (None, true), "after {states} states");
    assert_eq!(states, 188_055, "pinned state count changed");
    let (violated, _, _) = explore(|| small().one_step());
    assert_eq!(violated, Some("single-configuration-decisions"));
    let (violated, _, _) = explore(|| small().without_transfer());
    assert_eq!(violated, Some("no-lost-commands"));
}
