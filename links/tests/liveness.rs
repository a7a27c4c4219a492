//! Liveness is judged only on complete runs: a run cut short (horizon below the quiet point +
//! settle) reports `Inconclusive` for every liveness property, never `Hold` and never a
//! violation, while safety is judged as usual (book §2.6,
//! "Complete runs and inconclusive verdicts").

mod common;

use automata::{Setup, Value, Verdict};
use common::*;
use links::{FairLossLinks, LoggedPerfectLinks, PerfectLinks, StubbornLinks};

#[test]
fn a_run_cut_short_is_inconclusive_for_reliable_delivery() {
    // The last request is at 104: complete from 104 + 200 = 304.
    let setup = sends(
        Setup::new(2, net(0.2, 0.1, false), |_| {
            PerfectLinks::<Value>::new(PERIOD)
        }),
        100,
        0,
        1,
        5,
    );
    assert_eq!(setup.quiet_from(), 104);
    let out = run_until(setup.clone(), pl_monitors("pl"), 0, 303);
    assert!(!out.summary.complete);
    assert_inconclusive(&out, "reliable-delivery");
    assert_hold(&out, "no-duplication");
    assert_hold(&out, "no-creation");
    assert!(!out.all_hold());

    // One tick later the run is complete and the same property holds.
    let out = run_until(setup, pl_monitors("pl"), 0, 304);
    assert!(out.summary.complete);
    assert_hold(&out, "reliable-delivery");
}

#[test]
fn a_run_cut_short_is_inconclusive_even_when_messages_were_lost() {
    // Fair-loss links used as perfect links lose messages (a violation on a complete run,
    // see mutants.rs), but a run cut short cannot tell.
    let setup = sends(
        Setup::new(2, net(0.5, 0.0, false), |_| {
            FairLossLinks::<Value>::default()
        }),
        5,
        0,
        1,
        10,
    );
    let out = run_until(setup.clone(), pl_monitors("fll"), 0, 100);
    assert_inconclusive(&out, "reliable-delivery");
    let out = run_complete(setup, pl_monitors("fll"), 0);
    assert_violated(&out, "reliable-delivery");
}

#[test]
fn a_run_cut_short_is_inconclusive_for_stubborn_delivery() {
    let setup = sends(
        Setup::new(3, net(0.3, 0.0, false), |_| {
            StubbornLinks::<Value>::new(PERIOD)
        }),
        50,
        1,
        2,
        3,
    );
    let out = run_until(setup, sl_monitors("sl"), 0, 200);
    assert_inconclusive(&out, "stubborn-delivery");
    assert_hold(&out, "no-creation");
}

#[test]
fn a_run_cut_short_is_inconclusive_for_logged_reliable_delivery() {
    let setup = sends(
        Setup::new(2, net(0.3, 0.0, false), |_| {
            LoggedPerfectLinks::<Value>::new(PERIOD)
        }),
        5,
        0,
        1,
        3,
    );
    let out = run_until(setup, lpl_monitors("lpl"), 0, 150);
    assert!(matches!(
        verdict(&out, "reliable-delivery"),
        Verdict::Inconclusive { .. }
    ));
    assert_hold(&out, "no-duplication");
}
