//! Exhaustive checks of two-process link configurations (book §4.4, B-4.3; §4.6, B-4.4; §4.7,
//! B-4.5): the checker finds each counterexample on some interleaving, and finds none for the
//! correct algorithm. Unique state counts are pinned: a change in the semantics of the world or
//! an algorithm shows up as a number.

mod common;

use automata::check::{Explore, Search};
use automata::model::{Delay, Failures, Links, Storage};
use automata::{Fault, Kind, Module, Monitors, Setup, SystemModel, Value};
use common::*;
use links::{FifoPerfectLinks, LoggedPerfectLinks, PerfectLinks, Send};

fn model(loss: f64, duplication: f64) -> SystemModel {
    SystemModel {
        delay: Delay {
            min: 1,
            max: 5,
            ..Delay::default()
        },
        links: Links {
            loss,
            duplication,
            max_copies: 2,
            fifo: false,
            redeliver: false,
        },
        ..SystemModel::default()
    }
}

/// Two sends 0 → 1, `a` at 1 and `b` at 2.
fn two_sends<R: Module<Req = Send<Value>>>(setup: Setup<R>) -> Setup<R> {
    setup
        .request(
            1,
            0,
            Send {
                to: 1,
                msg: Value::str("a"),
            },
        )
        .request(
            2,
            0,
            Send {
                to: 1,
                msg: Value::str("b"),
            },
        )
}

fn check<R: Module>(
    setup: Setup<R>,
    monitors: Monitors,
    depth: usize,
) -> automata::check::Report<R> {
    Explore::new(setup, monitors).run(Search::Bfs, depth, 1)
}

/// B-4.3: with one duplicated packet, the mutant without `delivered` delivers twice.
#[test]
fn checker_finds_no_dedup_links_duplicating() {
    let setup = Setup::new(2, model(0.0, 0.5), |_| {
        PerfectLinks::<Value>::without_dedup(1_000)
    })
    .request(
        1,
        0,
        Send {
            to: 1,
            msg: Value::str("a"),
        },
    );
    let r = check(setup, pl_monitors("pl"), 10);
    let ce = r.counterexample.expect("a counterexample");
    assert_eq!(ce.property, "no-duplication");
    let deliveries = ce
        .trace
        .iter()
        .filter(|e| e.module == "pl" && e.kind == Kind::Indication)
        .count();
    assert_eq!(
        deliveries, 2,
        "the shortest path delivers the one message twice"
    );
}

/// B-4.4: two sends p → q over a reordering network: Eliminate Duplicates used as `fpl`
/// can deliver `b` before `a`.
#[test]
fn checker_finds_perfect_links_reordering() {
    let setup = two_sends(Setup::new(2, model(0.0, 0.0), |_| {
        PerfectLinks::<Value>::new(20)
    }));
    let r = check(setup, fpl_monitors("pl"), 10);
    let ce = r.counterexample.expect("a counterexample");
    assert_eq!(ce.property, "fifo-delivery");
}

/// Sequence Number holds on every path of the same configuration, even over a lossy,
/// duplicating network.
#[test]
fn fifo_perfect_links_hold_on_every_path() {
    let setup = two_sends(Setup::new(2, model(0.5, 0.5), |_| {
        FifoPerfectLinks::<Value>::new(20)
    }));
    let r = check(setup, fpl_monitors("fpl"), 17);
    assert!(
        r.counterexample.is_none(),
        "{:?}",
        r.counterexample.map(|c| c.property)
    );
    assert_eq!(r.unique_states, PINNED_FPL, "pinned state count changed");
}

/// Unique states of Sequence Number, two sends, loss and duplication 0.5, paths of up to 17
/// actions.
const PINNED_FPL: usize = 1202;

/// B-4.5: Log Delivered when storage is volatile: the receiver crashes after delivering and
/// recovers; a retransmission is log-delivered again.
#[test]
fn checker_finds_logged_links_without_stable_storage() {
    let crash_recovery = |storage| SystemModel {
        failures: Failures::CrashRecovery,
        storage,
        ..model(0.0, 0.0)
    };
    let faults = vec![
        Fault::Crash {
            process: 1,
            at: 8,
            after_sends: None,
            drop_in_flight: false,
        },
        Fault::Recover { process: 1, at: 9 },
    ];
    let setup = Setup::new(2, crash_recovery(Storage::Volatile), |_| {
        LoggedPerfectLinks::<Value>::new(10)
    })
    .faults(faults.clone())
    .request(
        1,
        0,
        Send {
            to: 1,
            msg: Value::str("a"),
        },
    );
    let r = check(setup.clone(), lpl_monitors("lpl"), 14);
    let ce = r.counterexample.expect("a counterexample");
    assert_eq!(ce.property, "no-duplication");

    let stable = Setup {
        model: crash_recovery(Storage::Stable),
        ..setup
    };
    let r = check(stable, lpl_monitors("lpl"), 14);
    assert!(
        r.counterexample.is_none(),
        "{:?}",
        r.counterexample.map(|c| c.property)
    );
}

/// Our search against stateright's own breadth-first checker on the same model: both visit
/// exactly the same unique states on every path of up to 10 actions (perfect links over a
/// lossy, duplicating network, and with a crash anywhere), and our depth-first search covers
/// what our breadth-first search does. A search that skipped or double-counted states would
/// differ here.
#[test]
fn our_search_visits_the_states_stateright_visits() {
    for (loss, duplication, crashes) in [(0.5, 0.5, 0), (0.0, 0.0, 1)] {
        let setup = two_sends(
            Setup::new(2, model(loss, duplication), |_| {
                PerfectLinks::<Value>::new(3)
            })
            .fault_budget(crashes),
        );
        let explore = Explore::new(setup, pl_monitors("pl")).crashes(crashes);
        let ours = explore.run(Search::Bfs, 10, 1).unique_states;
        assert!(ours > 1_000, "a real search: {ours} states");
        assert_eq!(ours, explore.stateright_unique_states(10));
        assert_eq!(ours, explore.run(Search::Dfs, 10, 1).unique_states);
        assert_eq!(ours, explore.run(Search::Bfs, 10, 2).unique_states);
    }
}
