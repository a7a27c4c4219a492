//! Every link monitor shown catching a bug: a mutant algorithm or a model too weak for the
//! algorithm (book §2.2, B-2.1; ch. 4, B-4.1 to B-4.5). Each test names the property it expects
//! to fail, the event that witnesses it, and the properties that must still hold; where it helps,
//! a control run shows the correct algorithm (or model) passing the same scenario.

mod common;

use automata::model::{Failures, Storage};
use automata::{Event, Fault, Kind, Setup, SystemModel, TraceEvent, Value};
use common::*;
use links::{
    AmnesicLoggedLinks, FairLossLinks, FifoPerfectLinks, ForgingLinks, LoggedPerfectLinks,
    PerfectLinks, StubbornLinks,
};

/// The trace event a violation points at.
fn witness(out: &automata::sim::Outcome, index: u64) -> TraceEvent {
    let trace = out.trace.as_ref().expect("recorded");
    trace[index as usize].clone()
}

/// Asserts that the witness is an indication `Deliver` of `module` at `process`.
fn is_delivery(e: &TraceEvent, module: &str, process: usize) {
    assert_eq!(e.kind, Kind::Indication, "{e:?}");
    assert_eq!(e.module, module, "{e:?}");
    assert_eq!(e.process, process, "{e:?}");
    assert!(matches!(e.event, Event::Deliver { .. }), "{e:?}");
}

/// B-4.3: dedup is needed on a duplicating network. `PerfectLinks::without_dedup` with a retransmission
/// period beyond the horizon (so only the network makes copies) over duplication 0.3.
#[test]
fn no_duplication_catches_no_dedup_links_on_a_duplicating_network() {
    let setup = sends(
        Setup::new(2, net(0.0, 0.3, false), |_| {
            PerfectLinks::<Value>::without_dedup(100_000)
        }),
        5,
        0,
        1,
        10,
    );
    let out = run_complete(setup.clone(), pl_monitors("pl"), 1);
    let at = assert_violated(&out, "no-duplication");
    is_delivery(&witness(&out, at), "pl", 1);
    assert_hold(&out, "no-creation");
    assert_hold(&out, "reliable-delivery");

    // Control 1: the same mutant on a network that does not duplicate passes.
    let quiet = Setup {
        model: net(0.0, 0.0, false),
        ..setup.clone()
    };
    let out = run_complete(quiet, pl_monitors("pl"), 1);
    assert_hold(&out, "no-duplication");

    // Control 2: Eliminate Duplicates on the duplicating network passes.
    let real = sends(
        Setup::new(2, net(0.0, 0.3, false), |_| {
            PerfectLinks::<Value>::new(100_000)
        }),
        5,
        0,
        1,
        10,
    );
    let out = run_complete(real, pl_monitors("pl"), 1);
    assert!(out.all_hold(), "{:?}", out.properties);
}

/// B-4.3 as the catalogue states it: the mutant over Retransmit Forever, duplication 0.3.
#[test]
fn no_duplication_catches_no_dedup_links_over_stubborn_links() {
    let setup = sends(
        Setup::new(2, net(0.0, 0.3, false), |_| {
            PerfectLinks::<Value>::without_dedup(PERIOD)
        }),
        5,
        0,
        1,
        3,
    );
    let out = run_complete(setup, pl_monitors("pl"), 2);
    assert_violated(&out, "no-duplication");
    assert_hold(&out, "no-creation");
    assert_hold(&out, "reliable-delivery");
}

/// B-4.2: stubborn links are not perfect links: used as `pl`, their retransmissions are
/// delivered again, even on a network that neither loses nor duplicates.
#[test]
fn no_duplication_catches_stubborn_links_used_as_perfect_links() {
    let setup = sends(
        Setup::new(2, net(0.0, 0.0, true), |_| {
            StubbornLinks::<Value>::new(PERIOD)
        }),
        5,
        0,
        1,
        1,
    );
    let out = run_complete(setup, pl_monitors("sl"), 0);
    let at = assert_violated(&out, "no-duplication");
    let e = witness(&out, at);
    is_delivery(&e, "sl", 1);
    assert_hold(&out, "no-creation");
    assert_hold(&out, "reliable-delivery");
}

/// No-creation catches `ForgingLinks`, which delivers each message as if the next process had
/// sent it.
#[test]
fn no_creation_catches_forging_links() {
    let setup = sends(
        Setup::new(3, net(0.0, 0.0, false), |_| {
            ForgingLinks::<Value>::new(PERIOD)
        }),
        5,
        0,
        2,
        2,
    );
    let out = run_complete(setup, pl_monitors("pl"), 0);
    let at = assert_violated(&out, "no-creation");
    let e = witness(&out, at);
    is_delivery(&e, "pl", 2);
    // A message 0 sent, delivered "from 1", which sent nothing.
    assert!(matches!(e.event, Event::Deliver { from: 1, .. }), "{e:?}");
    assert_hold(&out, "no-duplication");
    // What was really sent (by 0) never arrives as such.
    assert_violated(&out, "reliable-delivery");

    // Control: the honest link inside it passes.
    let setup = sends(
        Setup::new(3, net(0.0, 0.0, false), |_| {
            PerfectLinks::<Value>::new(PERIOD)
        }),
        5,
        0,
        2,
        2,
    );
    assert!(run_complete(setup, pl_monitors("pl"), 0).all_hold());
}

/// B-4.1: fair-loss links are not reliable: used as `pl`, send once each at loss 0.5, some
/// message is lost, on every seed of a small sweep; the safety properties still hold.
#[test]
fn reliable_delivery_catches_fair_loss_links_used_as_perfect_links() {
    for seed in 0..10 {
        let setup = sends(
            Setup::new(2, net(0.5, 0.0, false), |_| {
                FairLossLinks::<Value>::default()
            }),
            5,
            0,
            1,
            10,
        );
        let out = run_complete(setup, pl_monitors("fll"), seed);
        let at = assert_violated(&out, "reliable-delivery");
        // The witness is the send request of a message that never arrived.
        let e = witness(&out, at);
        assert_eq!(
            (e.kind, e.module.as_ref(), e.process),
            (Kind::Request, "fll", 0)
        );
        assert_hold(&out, "no-duplication");
        assert_hold(&out, "no-creation");
    }
}

/// B-2.1: fairness matters. With an unfair scheduler (timers never fire) Eliminate
/// Duplicates never retransmits, so a message lost once is lost for good; every safety
/// property still holds. The same run under a fair scheduler passes.
#[test]
fn reliable_delivery_catches_an_unfair_scheduler() {
    let unfair = SystemModel {
        fair: false,
        ..net(0.5, 0.0, false)
    };
    let setup = sends(
        Setup::new(2, unfair, |_| PerfectLinks::<Value>::new(PERIOD)),
        5,
        0,
        1,
        10,
    );
    let out = run_complete(setup.clone(), pl_monitors("pl"), 3);
    assert_violated(&out, "reliable-delivery");
    assert_hold(&out, "no-duplication");
    assert_hold(&out, "no-creation");

    let fair = Setup {
        model: net(0.5, 0.0, false),
        ..setup
    };
    let out = run_complete(fair, pl_monitors("pl"), 3);
    assert!(out.all_hold(), "{:?}", out.properties);
}

/// B-2.1 for SL1: without retransmissions, a message is delivered once early on and never
/// again in the final settle window, even over a network that loses nothing. (The horizon is
/// two settle windows past the last send, so the first delivery falls before the final one.)
#[test]
fn stubborn_delivery_catches_an_unfair_scheduler() {
    let unfair = SystemModel {
        fair: false,
        ..net(0.0, 0.0, false)
    };
    let setup = sends(
        Setup::new(2, unfair, |_| StubbornLinks::<Value>::new(PERIOD)),
        5,
        0,
        1,
        2,
    );
    let horizon = setup.quiet_from() + 2 * SETTLE;
    let out = run_until(setup.clone(), sl_monitors("sl"), 0, horizon);
    let at = assert_violated(&out, "stubborn-delivery");
    let e = witness(&out, at);
    assert_eq!((e.kind, e.module.as_ref()), (Kind::Request, "sl"));
    assert_hold(&out, "no-creation");

    let fair = Setup {
        model: net(0.0, 0.0, false),
        ..setup
    };
    assert!(run_until(fair, sl_monitors("sl"), 0, horizon).all_hold());
}

/// B-4.4: FIFO needs sequence numbers. Eliminate Duplicates used as `fpl` over a reordering
/// network delivers a later message first; Sequence Number over the same network does not.
#[test]
fn fifo_delivery_catches_perfect_links_over_a_reordering_network() {
    let setup = sends(
        Setup::new(2, net(0.0, 0.0, false), |_| {
            PerfectLinks::<Value>::new(PERIOD)
        }),
        5,
        0,
        1,
        10,
    );
    let out = run_complete(setup, fpl_monitors("pl"), 0);
    let at = assert_violated(&out, "fifo-delivery");
    is_delivery(&witness(&out, at), "pl", 1);
    assert_hold(&out, "reliable-delivery");
    assert_hold(&out, "no-duplication");
    assert_hold(&out, "no-creation");

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
}

/// A duplicating link is blamed by no-duplication only, never by fifo-delivery: stubborn
/// links used as `fpl` over FIFO channels deliver in order, then redeliver every message.
#[test]
fn fifo_delivery_ignores_duplicates() {
    let setup = sends(
        Setup::new(2, net(0.0, 0.0, true), |_| {
            StubbornLinks::<Value>::new(PERIOD)
        }),
        5,
        0,
        1,
        12,
    );
    let out = run_complete(setup, fpl_monitors("sl"), 0);
    assert_violated(&out, "no-duplication");
    assert_hold(&out, "fifo-delivery");
    assert_hold(&out, "no-creation");
}

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

/// B-4.5: crash-recovery needs logging. Log Delivered under a model whose "stable" storage is
/// volatile: the receiver crashes and recovers, forgets `delivered`, and log-delivers again
/// what the sender's stubborn link retransmits. Under stable storage the same run passes.
#[test]
fn logged_no_duplication_catches_volatile_storage() {
    let setup = sends(
        Setup::new(2, crash_recovery(Storage::Volatile), |_| {
            LoggedPerfectLinks::<Value>::new(PERIOD)
        })
        .faults(crash_recover(1, 50, 60)),
        5,
        0,
        1,
        3,
    );
    let out = run_complete(setup.clone(), lpl_monitors("lpl"), 0);
    let at = assert_violated(&out, "no-duplication");
    let e = witness(&out, at);
    is_delivery(&e, "lpl", 1);
    assert!(
        e.time >= 60,
        "the duplicate comes after the recovery: {e:?}"
    );
    assert_hold(&out, "no-creation");
    assert_hold(&out, "reliable-delivery");

    let stable = Setup {
        model: crash_recovery(Storage::Stable),
        ..setup
    };
    let out = run_complete(stable, lpl_monitors("lpl"), 0);
    assert!(out.all_hold(), "{:?}", out.properties);
}

/// B-4.5 as a mutant: `AmnesicLoggedLinks` recovers through `Init` and forgets its log even
/// under stable storage.
#[test]
fn logged_no_duplication_catches_amnesic_logged_links() {
    let setup = sends(
        Setup::new(2, crash_recovery(Storage::Stable), |_| {
            AmnesicLoggedLinks::<Value>::new(PERIOD)
        })
        .faults(crash_recover(1, 50, 60)),
        5,
        0,
        1,
        3,
    );
    let out = run_complete(setup, lpl_monitors("lpl"), 0);
    let at = assert_violated(&out, "no-duplication");
    is_delivery(&witness(&out, at), "lpl", 1);
    assert_hold(&out, "no-creation");
    assert_hold(&out, "reliable-delivery");
}
