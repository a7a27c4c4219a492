//! Behaviour of the link algorithms beyond their properties: what the trace shows, which
//! algorithms quiesce, how FIFO links buffer, and determinism (same seed, same trace).

mod common;

use automata::model::{Failures, Storage};
use automata::sim::Sim;
use automata::{Event, Fault, Kind, Module, Monitors, Setup, SystemModel, TraceEvent, Value};
use common::*;
use links::{FifoPerfectLinks, LoggedPerfectLinks, PerfectLinks, PerfectLinksAck};

fn crash_recover(p: usize, at: u64, back: u64) -> Vec<Fault> {
    vec![
        Fault::Crash {
            process: p,
            at,
            after_sends: None,
            drop_in_flight: false,
        },
        Fault::Recover {
            process: p,
            at: back,
        },
    ]
}

fn crash_recovery(storage: Storage) -> SystemModel {
    SystemModel {
        failures: Failures::CrashRecovery,
        storage,
        ..net(0.0, 0.0, false)
    }
}

/// How `Deliver | delivered` shows in the trace: each message entering `delivered` once, as a
/// `Deliver` of `lpl` (what the monitors read), and the notification after a recovery as
/// `Other { name: "delivered", value: <size of the log> }`.
#[test]
fn logged_deliveries_are_observed_as_deliver_events() {
    let setup = sends(
        Setup::new(2, crash_recovery(Storage::Stable), |_| {
            LoggedPerfectLinks::<Value>::new(PERIOD)
        })
        .faults(crash_recover(1, 50, 60)),
        5,
        0,
        1,
        2,
    );
    let out = run_complete(setup, lpl_monitors("lpl"), 0);
    assert!(out.all_hold(), "{:?}", out.properties);
    let trace = out.trace.as_ref().unwrap();
    let lpl: Vec<&TraceEvent> = trace
        .iter()
        .filter(|e| e.module == "lpl" && e.kind == Kind::Indication)
        .collect();
    let mut delivered: Vec<&Event> = lpl
        .iter()
        .map(|e| &e.event)
        .filter(|e| matches!(e, Event::Deliver { .. }))
        .collect();
    delivered.sort();
    assert_eq!(
        delivered,
        vec![
            &Event::Deliver {
                from: 0,
                msg: Value::str("m0")
            },
            &Event::Deliver {
                from: 0,
                msg: Value::str("m1")
            },
        ]
    );
    // The recovery notification `Deliver | delivered` (nothing new, log of size 2) at 1.
    assert!(lpl.iter().any(|e| e.process == 1
        && e.time == 60
        && matches!(&e.event, Event::Other { name, value } if name == "delivered" && *value == Value::Int(2))));
}

/// Packets sent by a run of `setup` to horizon `t`.
fn packets<R: Module>(setup: Setup<R>, t: u64) -> u64 {
    Sim::new(setup, Monitors::default())
        .seed(5)
        .max_time(t)
        .run()
        .stats
        .messages_sent
}

/// Retransmit Until Acknowledged falls silent once everything is acknowledged; Eliminate
/// Duplicates over Retransmit Forever never does.
#[test]
fn perfect_links_ack_quiesces_and_eliminate_duplicates_does_not() {
    let model = net(0.3, 0.2, false);
    let ack = sends(
        Setup::new(3, model.clone(), |_| PerfectLinksAck::<Value>::new(PERIOD)),
        5,
        0,
        2,
        10,
    );
    let (early, late) = (packets(ack.clone(), 2_000), packets(ack, 4_000));
    assert_eq!(early, late, "no packet after time 2000");
    let forever = sends(
        Setup::new(3, model, |_| PerfectLinks::<Value>::new(PERIOD)),
        5,
        0,
        2,
        10,
    );
    assert!(packets(forever.clone(), 4_000) > packets(forever, 2_000));
}

/// Sequence Number hands messages up in send order even when the perfect link below
/// delivers them out of order.
#[test]
fn fifo_links_buffer_until_the_gap_is_filled() {
    let setup = sends(
        Setup::new(2, net(0.0, 0.0, false), |_| {
            FifoPerfectLinks::<Value>::new(PERIOD)
        }),
        5,
        0,
        1,
        10,
    );
    let out = run_complete(setup, fpl_monitors("fpl"), 0);
    assert!(out.all_hold(), "{:?}", out.properties);
    let trace = out.trace.unwrap();
    let order = |module: &str| -> Vec<Value> {
        trace
            .iter()
            .filter(|e| e.module == module && e.kind == Kind::Indication && e.process == 1)
            .filter_map(|e| match &e.event {
                Event::Deliver { msg, .. } => Some(msg.clone()),
                _ => None,
            })
            .collect()
    };
    let fpl = order("fpl");
    let expected: Vec<Value> = (0..10).map(|i| Value::str(&format!("m{i}"))).collect();
    assert_eq!(fpl, expected);
    // Below, the perfect link delivered them in another order (numbered payloads).
    let pl = order("pl");
    assert_eq!(pl.len(), 10);
    let numbers: Vec<Value> = pl
        .iter()
        .map(|m| match m {
            Value::List(v) => v[0].clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    let sorted = {
        let mut s = numbers.clone();
        s.sort();
        s
    };
    assert_ne!(numbers, sorted, "this seed reorders below fpl");
}

fn trace_of<R: Module>(setup: Setup<R>, monitors: Monitors, seed: u64) -> Vec<TraceEvent> {
    run_complete(setup, monitors, seed).trace.unwrap()
}

/// Same seed, same scenario: the same trace, event for event.
#[test]
fn same_seed_same_trace() {
    let fifo = sends(
        Setup::new(3, net(0.3, 0.2, false), |_| {
            FifoPerfectLinks::<Value, _>::over(PerfectLinksAck::new(PERIOD))
        })
        .faults(vec![Fault::Crash {
            process: 2,
            at: 30,
            after_sends: None,
            drop_in_flight: true,
        }]),
        5,
        0,
        1,
        8,
    );
    let a = trace_of(fifo.clone(), fpl_monitors("fpl"), 42);
    let b = trace_of(fifo.clone(), fpl_monitors("fpl"), 42);
    assert_eq!(a, b);
    assert_ne!(a, trace_of(fifo, fpl_monitors("fpl"), 43));

    let logged = sends(
        Setup::new(2, crash_recovery(Storage::Stable), |_| {
            LoggedPerfectLinks::<Value>::new(PERIOD)
        })
        .faults(crash_recover(1, 20, 45)),
        5,
        0,
        1,
        4,
    );
    let a = trace_of(logged.clone(), lpl_monitors("lpl"), 7);
    let b = trace_of(logged, lpl_monitors("lpl"), 7);
    assert_eq!(a, b);
}
