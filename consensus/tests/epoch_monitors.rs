//! The epoch-consensus monitors (EP1-EP6) on hand-written traces: each catches the history
//! that breaks its property and passes the one that keeps it. (In runs, lock-in and the rest
//! are exercised by Leader-Driven Consensus and its no-read mutant, `leader_driven.rs`.)

use automata::{Event, Kind, Monitor, RunSummary, TraceEvent, Value, Verdict};
use consensus::epoch_monitors::{
    AbortBehaviour, EpAgreement, EpIntegrity, EpTermination, EpValidity, LockIn, EP,
};
use consensus::read_write_epoch_consensus::{EP_ABORT, EP_ABORTED, EP_DECIDE, EP_INIT, EP_PROPOSE};

/// An epoch-consensus event at process `p`: `name` of epoch `ts`, with `rest`.
fn ep(p: usize, name: &'static str, ts: i64, rest: &[&str]) -> TraceEvent {
    let kind = match name {
        EP_DECIDE | EP_ABORTED => Kind::Indication,
        _ => Kind::Request,
    };
    let mut value = vec![Value::Int(ts)];
    value.extend(rest.iter().map(|s| Value::str(s)));
    TraceEvent {
        index: 0,
        time: 0,
        process: p,
        module: EP.into(),
        kind,
        event: Event::Other {
            name: name.into(),
            value: Value::List(value),
        },
    }
}

/// The names of the monitor's violations over `trace`, then its final verdict.
fn judge(mut m: impl Monitor, trace: &[TraceEvent], run: &RunSummary) -> (bool, Verdict) {
    let violated = trace.iter().any(|e| m.observe(e).is_some());
    (violated, m.finish(run))
}

fn run() -> RunSummary {
    RunSummary::failure_free(3, 1_000)
}

#[test]
fn ep_validity_catches_a_value_no_leader_proposed() {
    let good = [ep(0, EP_PROPOSE, 3, &["a"]), ep(1, EP_DECIDE, 4, &["a"])];
    let bad = [ep(0, EP_PROPOSE, 3, &["a"]), ep(1, EP_DECIDE, 3, &["b"])];
    let later = [ep(0, EP_PROPOSE, 4, &["a"]), ep(1, EP_DECIDE, 3, &["a"])];
    assert!(!judge(EpValidity::default(), &good, &run()).0);
    assert!(judge(EpValidity::default(), &bad, &run()).0);
    assert!(
        judge(EpValidity::default(), &later, &run()).0,
        "proposed only in a later epoch"
    );
}

#[test]
fn ep_agreement_catches_two_decisions_in_one_epoch() {
    let bad = [ep(0, EP_DECIDE, 3, &["a"]), ep(1, EP_DECIDE, 3, &["b"])];
    let two_epochs = [ep(0, EP_DECIDE, 3, &["a"]), ep(1, EP_DECIDE, 4, &["b"])];
    assert!(judge(EpAgreement::default(), &bad, &run()).0);
    assert!(!judge(EpAgreement::default(), &two_epochs, &run()).0);
    // The two-epoch history is lock-in's to catch.
    assert!(judge(LockIn::default(), &two_epochs, &run()).0);
    let locked = [ep(0, EP_DECIDE, 3, &["a"]), ep(1, EP_DECIDE, 4, &["a"])];
    assert!(!judge(LockIn::default(), &locked, &run()).0);
}

#[test]
fn ep_integrity_catches_a_second_decision_in_an_epoch() {
    let bad = [ep(0, EP_DECIDE, 3, &["a"]), ep(0, EP_DECIDE, 3, &["a"])];
    let good = [ep(0, EP_DECIDE, 3, &["a"]), ep(0, EP_DECIDE, 4, &["a"])];
    assert!(judge(EpIntegrity::default(), &bad, &run()).0);
    assert!(!judge(EpIntegrity::default(), &good, &run()).0);
}

#[test]
fn ep_termination_catches_a_correct_process_that_never_decides_in_an_unaborted_epoch() {
    let init: Vec<_> = (0..3).map(|p| ep(p, EP_INIT, 3, &[])).collect();
    let mut stuck = init.clone();
    stuck.push(ep(0, EP_PROPOSE, 3, &["a"]));
    stuck.push(ep(0, EP_DECIDE, 3, &["a"]));
    stuck.push(ep(1, EP_DECIDE, 3, &["a"]));
    assert!(judge(EpTermination::default(), &stuck, &run())
        .1
        .is_violation());
    let mut done = stuck.clone();
    done.push(ep(2, EP_DECIDE, 3, &["a"]));
    assert!(judge(EpTermination::default(), &done, &run()).1.holds());
    let mut aborted = stuck.clone();
    aborted.push(ep(2, EP_ABORT, 3, &[]));
    assert!(judge(EpTermination::default(), &aborted, &run()).1.holds());
    // Proposed at time 0: stuck in a simulated run whose settle window opens at 600 too; an
    // epoch proposed at 900, inside the window, had no time to end and is not judged.
    let settling = RunSummary {
        settle_from: 600,
        ..run()
    };
    assert!(judge(EpTermination::default(), &stuck, &settling)
        .1
        .is_violation());
    let late: Vec<_> = stuck
        .into_iter()
        .map(|e| TraceEvent { time: 900, ..e })
        .collect();
    let verdict = judge(EpTermination::default(), &late, &settling).1;
    assert!(
        matches!(verdict, Verdict::Inconclusive { .. }),
        "{verdict:?}"
    );
}

#[test]
fn abort_behaviour_catches_an_abort_that_never_completes() {
    let open = [ep(0, EP_ABORT, 3, &[])];
    let closed = [ep(0, EP_ABORT, 3, &[]), ep(0, EP_ABORTED, 3, &[])];
    assert!(judge(AbortBehaviour::default(), &open, &run())
        .1
        .is_violation());
    assert!(judge(AbortBehaviour::default(), &closed, &run()).1.holds());
}

#[test]
fn abort_behaviour_catches_an_abort_nobody_asked_for() {
    let unasked = [ep(0, EP_ABORTED, 3, &[])];
    let asked_elsewhere = [
        ep(1, EP_ABORT, 3, &[]),
        ep(0, EP_ABORTED, 3, &[]),
        ep(1, EP_ABORTED, 3, &[]),
    ];
    assert!(judge(AbortBehaviour::default(), &unasked, &run()).0);
    assert!(judge(AbortBehaviour::default(), &asked_elsewhere, &run())
        .1
        .holds());
}
