//! Each algorithm, failure-free and with a crash, on a small fixed workload: every promised
//! property holds and every correct process delivers every message.

mod common;

use automata::{Event, Kind, Value};
use broadcast::*;
use common::*;

fn workload<R: automata::Module<Req = Broadcast<Value>>>(
    setup: automata::Setup<R>,
) -> automata::Setup<R> {
    let setup = bcast(setup, 5, 0, "a");
    let setup = bcast(setup, 6, 0, "b");
    let setup = bcast(setup, 7, 1, "c");
    bcast(setup, 30, 2, "d")
}

fn deliveries(out: &automata::sim::Outcome, module: &str) -> usize {
    out.trace
        .as_ref()
        .unwrap()
        .iter()
        .filter(|e| {
            e.module == module
                && e.kind == Kind::Indication
                && matches!(e.event, Event::Deliver { .. })
        })
        .count()
}

#[test]
fn best_effort_broadcast_delivers_everything_everywhere() {
    let setup = workload(automata::Setup::new(3, net(0.2, 0.1), |_| {
        BestEffortBroadcast::<Value>::new(PERIOD)
    }));
    let out = run_complete(setup, beb_monitors("beb"), 1);
    assert_all_hold(&out);
    assert_eq!(deliveries(&out, "beb"), 12);
}

#[test]
fn eager_reliable_broadcast_delivers_everything_everywhere() {
    let setup = workload(automata::Setup::new(3, net(0.2, 0.1), |_| {
        EagerReliableBroadcast::<Value>::new(PERIOD)
    }));
    let out = run_complete(setup, urb_monitors("rb"), 1);
    assert_all_hold(&out);
    assert_eq!(deliveries(&out, "rb"), 12);
}

#[test]
fn majority_ack_delivers_everything_everywhere() {
    let setup = workload(automata::Setup::new(3, net(0.2, 0.1), |_| {
        MajorityAckUrb::<Value>::new(PERIOD)
    }))
    .faults(vec![crash_at(2, 40)]);
    let out = run_complete(setup, urb_monitors("urb"), 1);
    assert_all_hold(&out);
}

#[test]
fn fifo_broadcast_holds() {
    let setup = workload(automata::Setup::new(3, net(0.2, 0.1), |_| {
        FifoReliableBroadcast::<Value>::new(PERIOD)
    }));
    let out = run_complete(setup, frb_monitors("frb"), 1);
    assert_all_hold(&out);
    assert_eq!(deliveries(&out, "frb"), 12);
}

#[test]
fn causal_broadcasts_hold() {
    let setup = workload(automata::Setup::new(3, net(0.2, 0.1), |_| {
        NoWaitingCausalBroadcast::<Value>::new(PERIOD)
    }));
    let out = run_complete(setup, crb_monitors("crb"), 1);
    assert_all_hold(&out);
    assert_eq!(deliveries(&out, "crb"), 12);
    let setup = workload(automata::Setup::new(3, net(0.2, 0.1), |_| {
        WaitingCausalBroadcast::<Value>::new(PERIOD)
    }));
    let out = run_complete(setup, crb_monitors("crb"), 1);
    assert_all_hold(&out);
    assert_eq!(deliveries(&out, "crb"), 12);
}
