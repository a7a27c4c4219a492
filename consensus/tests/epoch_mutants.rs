//! Each epoch-consensus property (EP1-EP6 but EP4, whose mutant is the no-read one of
//! `leader_driven.rs`) shown catching a broken Read/Write Epoch Consensus inside Leader-Driven
//! Consensus: a switch on the real algorithm ([`EpMutant`], [`LeaderDrivenConsensus::proposal_as_state`]),
//! every path explored (N = 3 proposing 0, 1, 1, each message taking one tick, Ω switching
//! from process 0 to process 1), and the violation named. Where the fault plan differs from the
//! one of `leader_driven.rs` (no fault, switch at 6), the correct algorithm holds on every
//! path of the same plan first.
//!
//! [`LeaderDrivenConsensus::proposal_as_state`]: consensus::LeaderDrivenConsensus::proposal_as_state

use automata::Fault;
use consensus::mutants::EpMutant;

mod common;
use common::{all_but, check_ldc, crash, epochs, ldc, only, with_epochs, Checked};

fn report(what: &str, c: &Checked) {
    eprintln!(
        "{what}: {:?} at depth {}, {} states, complete: {}, {:?}",
        c.violated, c.depth, c.unique_states, c.complete, c.elapsed
    );
}

/// EP1 validity: a process with nothing accepted starts epoch 3 from its own proposal, so
/// process 0, leading epoch 3, reads 1 from process 1 or 2 (timestamp 0, above its own 0)
/// and writes it: epoch 3 decides 1, which no leader proposed by epoch 3 (process 1 proposes
/// it in epoch 4). Every other property holds on every path: 1 was proposed, so it is a valid
/// consensus decision, and every epoch agrees.
#[test]
fn a_proposal_taken_for_a_state_breaks_ep_validity() {
    let make = |s| ldc(s).proposal_as_state();
    let c = check_ldc(make, 6, vec![], with_epochs("uc"));
    report("proposal as state", &c);
    assert_eq!(c.violated, Some("ep-validity"));
    let c = check_ldc(make, 6, vec![], all_but(&["ep-validity"]));
    report("proposal as state, without EP1", &c);
    assert_eq!((c.violated, c.complete), (None, true));
}

/// The plan of EP2: Ω switches at 3, so epoch 3's WRITE of 0 (delivered at 4) reaches some
/// processes before they move to a later epoch of process 1 and not others (process 1's
/// NEWEPOCH 4, NACKed by the others, becomes 7 and 10); and what process 1 sends process 2
/// from 6 to 7 (the last epoch's WRITE) takes 3 more ticks, so that epoch's DECIDED reaches
/// process 2 first.
fn late_write() -> Vec<Fault> {
    vec![Fault::Delay {
        from_process: 1,
        to_process: 2,
        extra: 3,
        from: 6,
        until: 8,
    }]
}

/// EP2 uniform agreement: a process that decides the value it last accepted, not the one
/// DECIDED carries, disagrees within an epoch. On the path the search finds (depth 46),
/// process 2 accepted epoch 3's 0; process 1, leading epoch 10, read the empty states of 0
/// and 1 and wrote its own 1; DECIDED 1 reaches process 2 before that WRITE, and it decides 0
/// while process 0 decides 1. The correct algorithm holds every property on every path of
/// the same plan (249,298 states). Uniform agreement fails at the same step; of the epochs'
/// properties, EP2 alone. About 6 s per search in the test profile.
#[test]
fn deciding_the_accepted_value_breaks_ep_agreement() {
    let c = check_ldc(ldc, 3, late_write(), with_epochs("uc"));
    report("correct, late write", &c);
    assert_eq!((c.violated, c.complete), (None, true));
    assert_eq!(c.unique_states, 249_298, "pinned state count changed");
    let make = |s| ldc(s).ep_mutant(EpMutant::DecideOwnVal);
    let c = check_ldc(make, 3, late_write(), epochs());
    report("deciding its own val", &c);
    assert_eq!(c.violated, Some("ep-agreement"));
    let c = check_ldc(
        make,
        3,
        late_write(),
        all_but(&["ep-agreement", "uniform-agreement"]),
    );
    report("deciding its own val, without EP2 and UC4", &c);
    assert_eq!((c.violated, c.complete), (None, true));
}

/// EP3 integrity: the leader keeps counting ACCEPTs past the quorum, so the third ACCEPT of
/// epoch 3 sends a second DECIDED and every process ep-decides twice. Nothing else breaks (the
/// consensus layer decides once, and both decisions carry the same value).
#[test]
fn deciding_on_every_accept_breaks_ep_integrity() {
    let make = |s| ldc(s).ep_mutant(EpMutant::DecideOnEveryAccept);
    let c = check_ldc(make, 6, vec![], with_epochs("uc"));
    report("decided per accept", &c);
    assert_eq!(c.violated, Some("ep-integrity"));
    let c = check_ldc(make, 6, vec![], all_but(&["ep-integrity"]));
    report("decided per accept, without EP3", &c);
    assert_eq!((c.violated, c.complete), (None, true));
}

/// The plan of EP5: process 2 crashes at time 2, before epoch 3 writes.
fn one_crash() -> Vec<Fault> {
    vec![crash(2, 2, false)]
}

/// EP5 termination: a leader that waits for every process's ACCEPT waits for ever once one
/// process crashed. Epoch 3 is aborted when Ω switches; epoch 4's leader, process 1, is
/// correct, proposed and is never aborted, yet nobody decides there. The correct algorithm
/// decides on every path of the same plan. (Consensus termination fails too; of the epochs'
/// properties, EP5 alone.)
#[test]
fn waiting_for_every_accept_breaks_ep_termination() {
    let c = check_ldc(ldc, 6, one_crash(), with_epochs("uc"));
    report("correct, one crash", &c);
    assert_eq!((c.violated, c.complete), (None, true));
    assert_eq!(c.unique_states, 1_390, "pinned state count changed");
    let make = |s| ldc(s).ep_mutant(EpMutant::WaitForAll);
    let c = check_ldc(make, 6, one_crash(), epochs());
    report("waiting for all", &c);
    assert_eq!(c.violated, Some("ep-termination"));
    let c = check_ldc(
        make,
        6,
        one_crash(),
        all_but(&["ep-termination", "termination"]),
    );
    report("waiting for all, without EP5 and C1", &c);
    assert_eq!((c.violated, c.complete), (None, true));
    let c = check_ldc(make, 6, one_crash(), only(&["termination"]));
    assert_eq!(c.violated, Some("termination"));
}

/// EP6 abort behaviour: a leader that has proposed ignores `Abort`. On the path the search
/// finds first, process 0 proposes in epoch 0 just before epoch 3 starts and stays in epoch 0
/// for good; process 1, leading epoch 4, proposes, and stays there when epochs 7 and 10
/// start. Their aborts never complete (EP6); consensus termination fails too, but no epoch's
/// termination (EP5): epoch 4 was aborted by process 2, and the leader of 7 and 10 never
/// proposed there.
#[test]
fn ignoring_an_abort_breaks_abort_behaviour() {
    let make = |s| ldc(s).ep_mutant(EpMutant::IgnoreAbortAfterPropose);
    let c = check_ldc(make, 6, vec![], epochs());
    report("ignoring abort", &c);
    assert_eq!(c.violated, Some("abort-behaviour"));
    let c = check_ldc(make, 6, vec![], only(&["abort-behaviour"]));
    assert_eq!(c.violated, Some("abort-behaviour"));
    let c = check_ldc(make, 6, vec![], only(&["termination"]));
    assert_eq!(c.violated, Some("termination"));
}

/// EP6's safety half: an instance that reports `Aborted` right after it ep-decided, though
/// no process asked to abort that epoch, is caught when it does, on the first path where an
/// epoch decides.
#[test]
fn an_abort_nobody_asked_for_breaks_abort_behaviour() {
    let make = |s| ldc(s).ep_mutant(EpMutant::AbortedUnasked);
    let c = check_ldc(make, 6, vec![], epochs());
    report("aborted unasked", &c);
    assert_eq!(c.violated, Some("abort-behaviour"));
}
