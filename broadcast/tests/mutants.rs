//! Every broadcast monitor shown catching a bug: a mutant algorithm or a model too weak for the
//! algorithm (book ch. 6: B-6.1, B-6.2, B-6.4, B-6.6, B-6.7). Each test names the property it
//! expects to fail, the event that witnesses it, and the properties that must still hold; a
//! control run shows the correct algorithm (or model) passing the same scenario.

mod common;

use automata::{Event, Fault, Kind, Setup, TraceEvent, Value};
use broadcast::*;
use common::*;
use links::FairLossLinks;

/// Asserts that the witness is an indication `Deliver` of `module` at `process`.
fn is_delivery(e: &TraceEvent, module: &str, process: usize) {
    assert_eq!(e.kind, Kind::Indication, "{e:?}");
    assert_eq!(e.module, module, "{e:?}");
    assert_eq!(e.process, process, "{e:?}");
    assert!(matches!(e.event, Event::Deliver { .. }), "{e:?}");
}

/// Asserts that the witness is the `Broadcast` request of `module` at `process`.
fn is_broadcast(e: &TraceEvent, module: &str, process: usize) {
    assert_eq!(e.kind, Kind::Request, "{e:?}");
    assert_eq!(e.module, module, "{e:?}");
    assert_eq!(e.process, process, "{e:?}");
    assert!(matches!(e.event, Event::Broadcast { .. }), "{e:?}");
}

/// B-6.1: best-effort is not reliable. Process 0 crashes right after its second send, in the
/// middle of broadcasting `m`: the message reaches process 1 only (0 itself is down). Process 1
/// delivers, process 2 never does, and both are correct: RB4 agreement, run on beb, fails.
#[test]
fn agreement_catches_best_effort_broadcast_with_a_sender_crashing_mid_broadcast() {
    let setup = bcast(
        Setup::new(3, net(0.0, 0.0), |_| {
            BestEffortBroadcast::<Value>::new(PERIOD)
        }),
        5,
        0,
        "m",
    )
    .faults(vec![crash_after(0, 0, 2, false)]);
    let out = run_complete(setup.clone(), rb_monitors("beb"), 1);
    let e = assert_violated(&out, "agreement");
    is_delivery(&e, "beb", 1);
    assert_hold(&out, "validity");
    assert_hold(&out, "no-duplication");
    assert_hold(&out, "no-creation");
    // Best-effort broadcast promises nothing more: its own properties hold.
    assert_all_hold(&run_complete(setup, beb_monitors("beb"), 1));

    // Control: Eager Reliable Broadcast in the same run relays, so 2 delivers too.
    let setup = bcast(
        Setup::new(3, net(0.0, 0.0), |_| {
            EagerReliableBroadcast::<Value>::new(PERIOD)
        }),
        5,
        0,
        "m",
    )
    .faults(vec![crash_after(0, 0, 2, false)]);
    assert_all_hold(&run_complete(setup, rb_monitors("rb"), 1));
}

/// The same schedule catches the eager RB mutant that never relays.
#[test]
fn agreement_catches_eager_reliable_broadcast_without_relay() {
    let setup = bcast(
        Setup::new(3, net(0.0, 0.0), |_| {
            EagerReliableBroadcast::<Value>::new(PERIOD).without_relay()
        }),
        5,
        0,
        "m",
    )
    .faults(vec![crash_after(0, 0, 2, false)]);
    let out = run_complete(setup, rb_monitors("rb"), 1);
    let e = assert_violated(&out, "agreement");
    is_delivery(&e, "rb", 1);
    assert_hold(&out, "no-duplication");
    assert_hold(&out, "no-creation");
}

/// The B-6.2 schedule: 0 broadcasts `m` and crashes after its second send (reaching only 1);
/// 1 delivers, relays, and crashes right after the first send of its relay (to 0), its
/// in-flight packets lost. No correct process ever gets `m`.
fn b62<R: automata::Module<Req = Broadcast<Value>>>(setup: Setup<R>) -> Setup<R> {
    bcast(setup, 5, 0, "m").faults(vec![
        crash_after(0, 0, 2, false),
        crash_after(1, 0, 1, true),
    ])
}

/// B-6.2: regular vs uniform agreement. Under the schedule above Eager Reliable Broadcast
/// keeps RB4 (no correct process delivered) but breaks URB4: faulty 1 delivered `m`, correct 2
/// never does. Majority-Ack, uniform, survives the same schedule: 1 cannot deliver alone.
#[test]
fn uniform_agreement_catches_eager_reliable_broadcast() {
    let setup = b62(Setup::new(3, net(0.0, 0.0), |_| {
        EagerReliableBroadcast::<Value>::new(PERIOD)
    }));
    let out = run_complete(setup, urb_monitors("rb"), 1);
    let e = assert_violated(&out, "uniform-agreement");
    is_delivery(&e, "rb", 1);
    assert_hold(&out, "agreement");
    assert_hold(&out, "validity");
    assert_hold(&out, "no-duplication");
    assert_hold(&out, "no-creation");
    // Both crashed as planned.
    assert_eq!(out.summary.correct().collect::<Vec<_>>(), vec![2]);

    let setup = b62(Setup::new(3, net(0.0, 0.0), |_| {
        MajorityAckUrb::<Value>::new(PERIOD)
    }));
    let out = run_complete(setup, urb_monitors("urb"), 1);
    assert_all_hold(&out);
}

/// B-6.4: Majority-Ack needs N > 2f. With N = 4 and 2 processes crashed from the start, the
/// correct sender collects 2 acks, never more than N/2: it never delivers its own message.
/// With one crash (N > 2f) it does.
#[test]
fn validity_catches_majority_ack_without_a_majority() {
    let run = |crashed: &[usize]| {
        let setup = bcast(
            Setup::new(4, net(0.0, 0.0), |_| MajorityAckUrb::<Value>::new(PERIOD)),
            5,
            0,
            "m",
        )
        .faults(crashed.iter().map(|&p| crash_at(p, 0)).collect());
        run_complete(setup, urb_monitors("urb"), 1)
    };
    let out = run(&[2, 3]);
    let e = assert_violated(&out, "validity");
    is_broadcast(&e, "urb", 0);
    assert_hold(&out, "no-duplication");
    assert_hold(&out, "no-creation");
    assert_hold(&out, "agreement");
    assert_hold(&out, "uniform-agreement");

    assert_all_hold(&run(&[3]));
}

/// BEB1 validity needs perfect links: Basic Broadcast straight over a network that loses half
/// its packets misses deliveries although nobody crashes; over perfect links it does not.
#[test]
fn validity_catches_best_effort_broadcast_over_fair_loss_links() {
    let setup = bcast(
        bcast(
            Setup::new(3, net(0.5, 0.0), |_| {
                BestEffortBroadcast::<Value, FairLossLinks<Value>>::over(FairLossLinks::default())
            }),
            5,
            0,
            "m1",
        ),
        6,
        1,
        "m2",
    );
    let out = run_complete(setup, beb_monitors("beb"), 1);
    let e = assert_violated(&out, "validity");
    is_broadcast(&e, "beb", e.process);
    assert_hold(&out, "no-duplication");
    assert_hold(&out, "no-creation");

    let setup = bcast(
        Setup::new(3, net(0.5, 0.0), |_| {
            BestEffortBroadcast::<Value>::new(PERIOD)
        }),
        5,
        0,
        "m1",
    );
    assert_all_hold(&run_complete(setup, beb_monitors("beb"), 1));
}

/// RB2 no-duplication catches the eager RB mutant that delivers every relayed copy.
#[test]
fn no_duplication_catches_eager_rb_delivering_every_copy() {
    let setup = bcast(
        Setup::new(3, net(0.0, 0.0), |_| {
            EagerReliableBroadcast::<Value>::new(PERIOD).delivering_every_copy()
        }),
        5,
        0,
        "m",
    );
    let out = run_complete(setup, rb_monitors("rb"), 1);
    let e = assert_violated(&out, "no-duplication");
    assert_eq!(e.module, "rb");
    assert_eq!(e.kind, Kind::Indication);
    assert_hold(&out, "no-creation");
    assert_hold(&out, "validity");
    assert_hold(&out, "agreement");
}

/// BEB3 no-creation catches the Basic Broadcast mutant that names the wrong sender.
#[test]
fn no_creation_catches_forging_beb() {
    let setup = bcast(
        Setup::new(3, net(0.0, 0.0), |_| ForgingBeb::<Value>::new(PERIOD)),
        5,
        0,
        "m",
    );
    let out = run_complete(setup, beb_monitors("beb"), 1);
    let e = assert_violated(&out, "no-creation");
    assert!(matches!(e.event, Event::Deliver { from: 1, .. }), "{e:?}");
    assert_hold(&out, "no-duplication");
    // What 0 broadcast is never delivered as such.
    assert_violated(&out, "validity");
}

/// Two broadcasts by 0 whose first is held up (by 100 ticks) on its way to 2 and its relays.
fn reordered<R: automata::Module<Req = Broadcast<Value>>>(setup: Setup<R>) -> Setup<R> {
    let hold_up = |from_process, to_process| Fault::Delay {
        from_process,
        to_process,
        extra: 100,
        from: 0,
        until: 6,
    };
    bcast(bcast(setup, 5, 0, "m1"), 6, 0, "m2").faults(vec![hold_up(0, 2), hold_up(1, 2)])
}

/// FRB5 fifo-delivery catches the FIFO broadcast mutant that does not wait for sequence
/// numbers: m1 is held up on its way to 2 (and the network reorders), so someone delivers m2
/// first. Broadcast with Sequence
/// Number holds m2 back in the same run.
#[test]
fn fifo_delivery_catches_hasty_fifo_broadcast() {
    let model = net(0.0, 0.0);
    let setup = reordered(Setup::new(3, model.clone(), |_| {
        FifoReliableBroadcast::<Value>::new(PERIOD).hasty()
    }));
    let out = run_complete(setup, frb_monitors("frb"), 1);
    let e = assert_violated(&out, "fifo-delivery");
    // The network reorders on its own too: whoever delivers m2 first is the witness.
    is_delivery(&e, "frb", e.process);
    assert!(
        matches!(&e.event, Event::Deliver { from: 0, msg } if msg.as_str() == Some("m2")),
        "{e:?}"
    );
    assert_hold(&out, "no-duplication");
    assert_hold(&out, "agreement");

    let setup = reordered(Setup::new(3, model, |_| {
        FifoReliableBroadcast::<Value>::new(PERIOD)
    }));
    assert_all_hold(&run_complete(setup, frb_monitors("frb"), 1));
}

/// Retransmission period of the B-6.6 runs: no retransmission of m1 within the hold-up.
const SLOW: automata::Time = 100;

/// B-6.6: FIFO is not causal. 0 broadcasts m1; 1 delivers m1, then broadcasts m2; the copies of
/// m1 to 2 (from 0 and 1's relay) are held up, so 2 delivers m2 before m1. Both causal
/// broadcasts hold m2 back (or deliver m1 first) in the same run.
#[test]
fn causal_delivery_catches_fifo_broadcast() {
    fn b66<R: automata::Module<Req = Broadcast<Value>>>(setup: Setup<R>) -> Setup<R> {
        let hold_up = |from_process, to_process| Fault::Delay {
            from_process,
            to_process,
            extra: 100,
            from: 0,
            until: 25,
        };
        bcast(bcast(setup, 5, 0, "m1"), 30, 1, "m2").faults(vec![hold_up(0, 2), hold_up(1, 2)])
    }
    let setup = b66(Setup::new(3, net(0.0, 0.0), |_| {
        FifoReliableBroadcast::<Value>::new(SLOW)
    }));
    let out = run_complete(setup, crb_monitors("frb"), 1);
    let e = assert_violated(&out, "causal-delivery");
    is_delivery(&e, "frb", 2);
    assert!(matches!(e.event, Event::Deliver { from: 1, .. }), "{e:?}");
    assert_hold(&out, "agreement");
    assert_hold(&out, "validity");

    let setup = b66(Setup::new(3, net(0.0, 0.0), |_| {
        NoWaitingCausalBroadcast::<Value>::new(SLOW)
    }));
    assert_all_hold(&run_complete(setup, crb_monitors("crb"), 1));
    let setup = b66(Setup::new(3, net(0.0, 0.0), |_| {
        WaitingCausalBroadcast::<Value>::new(SLOW)
    }));
    assert_all_hold(&run_complete(setup, crb_monitors("crb"), 1));

    // B-6.7: Waiting Causal Broadcast comparing only the sender's entry is FIFO, not causal.
    let setup = b66(Setup::new(3, net(0.0, 0.0), |_| {
        WaitingCausalBroadcast::<Value>::new(SLOW).comparing_sender_only()
    }));
    let out = run_complete(setup, crb_monitors("crb"), 1);
    let e = assert_violated(&out, "causal-delivery");
    is_delivery(&e, "crb", 2);
}
