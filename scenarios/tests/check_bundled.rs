//! `ioa check` on every bundled scenario, with a small budget: the search always answers
//! (complete, or stopped by a budget it names, with the depth it covered), and where it can
//! judge, it agrees with the scenario's `expect`: a scenario expected to hold has no
//! counterexample, and a counterexample to a scenario expected to fail breaks the property
//! the scenario names. The budget is counted in states, not seconds, so the test is
//! deterministic.

use automata::check::{Budget, Search};
use scenarios::cli::{bundled, load};
use scenarios::report::{CheckJson, CheckVerdict};
use scenarios::spec::Expect;

/// Unique states per scenario (half for the main search and half for the fair-cycle search
/// when there is liveness to judge).
const STATES: usize = 4_000;

/// The scenarios too big to judge within [`STATES`] (their runs are long, or they retransmit
/// and poll forever, so the counterexample or the fair cycle lies deeper than a few thousand
/// states): the search still answers on them, and `ioa check` with its default budget, or a
/// pinned exhaustive test of a smaller configuration, judges them. Every other scenario must
/// be judged, and a listed one that becomes judgeable must leave the list.
const BEYOND_BUDGET: &[&str] = &[
    "applications/consensus-nbac-abort-at-once.toml",
    "applications/consensus-nbac-blind.toml",
    "applications/consensus-nbac-hasty.toml",
    "applications/consensus-tob-no-consensus.toml",
    "applications/consensus-tob-not-uniform.toml",
    "applications/consensus-tob.toml",
    "applications/consensus-trb-impatient.toml",
    "applications/consensus-trb-no-consensus.toml",
    "applications/group-membership-eventually-perfect.toml",
    "applications/lock-service-no-drift-margin.toml",
    "applications/lock-service-no-fencing.toml",
    "applications/multi-paxos-tob-no-adopt.toml",
    "applications/paxos-commit-no-phase-one.toml",
    "applications/reconfiguration-no-transfer.toml",
    "applications/reconfiguration-one-step.toml",
    "applications/three-phase-commit-partition.toml",
    "applications/tob-rsm-local-reads.toml",
    "applications/view-synchrony-no-flush.toml",
    "broadcast/all-ack-urb-eventually-perfect.toml",
    "broadcast/beb-not-stubborn.toml",
    "broadcast/causal-gc-eventually-perfect.toml",
    "broadcast/fifo-broadcast-hasty.toml",
    "broadcast/fifo-reliable-broadcast.toml",
    "broadcast/gossip-below-threshold.toml",
    "broadcast/logged-majority-ack-volatile.toml",
    "broadcast/majority-ack-minority.toml",
    "broadcast/rumor-mongering.toml",
    "clocks/berkeley-stepping.toml",
    "clocks/free-running-drift.toml",
    "clocks/lundelius-lynch-below-bound.toml",
    "clocks/welch-lynch-n3.toml",
    "consensus/decision-costs.toml",
    "consensus/early-deciding-floodset.toml",
    "consensus/flooding-consensus-at-once.toml",
    "consensus/flooding-consensus-not-uniform.toml",
    "consensus/flooding-consensus.toml",
    "consensus/flooding-uniform-consensus-short.toml",
    "consensus/flooding-uniform-consensus.toml",
    "consensus/floodset-clock-driven.toml",
    "consensus/floodset.toml",
    "consensus/flp-escape-perfect-detector.toml",
    "consensus/flp-escape-randomization.toml",
    "consensus/flp-unreliable-omega.toml",
    "consensus/hierarchical-consensus-eventually-perfect.toml",
    "consensus/hierarchical-consensus-no-adopt.toml",
    "consensus/hierarchical-consensus.toml",
    "consensus/hierarchical-uniform-consensus-no-acks.toml",
    "consensus/hierarchical-uniform-consensus.toml",
    "consensus/leader-driven-consensus-accept-all.toml",
    "consensus/leader-driven-consensus-decided-per-accept.toml",
    "consensus/leader-driven-consensus-half-quorum.toml",
    "consensus/leader-driven-consensus-no-read.toml",
    "consensus/leader-driven-consensus-proposal-as-state.toml",
    "consensus/logged-leader-driven-consensus-forgetful.toml",
    "consensus/paxos-accepting-lower.toml",
    "consensus/paxos-costs.toml",
    "consensus/paxos.toml",
    "consensus/randomized-binary-consensus-one-vote.toml",
    "consensus/randomized-binary-consensus.toml",
    "detectors/eventually-perfect-constant-timeout.toml",
    "detectors/eventually-perfect-every-schedule.toml",
    "detectors/eventually-perfect-fair-loss.toml",
    "detectors/monarchical-omega-never-demote.toml",
    "detectors/monarchical-omega-self-first.toml",
    "detectors/perfect-detector-short-period.toml",
    "links/logged-volatile-storage.toml",
    "models/synchronous-conformance.toml",
    "registers/logged-majority-voting-ack-first.toml",
    "registers/majority-voting-new-old-inversion.toml",
    "registers/majority-voting-small-quorums.toml",
    "registers/one-to-many-writers-no-consult.toml",
    "registers/probabilistic-quorums.toml",
    "registers/read-impose-write-all-no-impose.toml",
    "registers/read-impose-write-consult-all-no-rank.toml",
    "registers/read-impose-write-consult-majority-no-consult.toml",
    "registers/read-impose-write-majority-no-write-back.toml",
    "registers/read-impose-write-majority-two-writers.toml",
    "registers/read-one-write-all-eventually-perfect.toml",
    "registers/regular-to-atomic-no-write-back.toml",
    "synchrony/clock-driven-rounds.toml",
    "synchrony/floodset-short-rounds.toml",
    "synchrony/round-driven-clock-too-tight.toml",
    "synchrony/synchronizer-alpha-crash.toml",
];

#[test]
fn every_bundled_scenario_is_checked_within_a_small_budget_and_agrees_with_its_expectation() {
    let mut disagreements = Vec::new();
    let (mut judged, mut unjudged) = (Vec::new(), Vec::new());
    let files = bundled();
    for file in &files {
        let (l, job) = load(file).expect("bundled scenarios load");
        let s = &l.scenario;
        let budget = Budget {
            max_states: Some(STATES),
            ..Budget::depth(s.explore.max_depth)
        };
        let explored = job.explore(Search::Bfs, budget, 1, None);
        let name = file.display().to_string();
        // The search answers: either it covered everything or it says what stopped it.
        let c = explored.coverage;
        assert!(
            c.complete != c.stopped_by.is_some() || explored.counterexample.is_some(),
            "{name}: coverage says neither complete nor stopped: {c:?}"
        );
        assert!(
            explored.unique_states <= STATES,
            "{name}: {} states, over the budget of {STATES}",
            explored.unique_states
        );
        let expect = s.check.expect.clone();
        let report = CheckJson::new(
            &s.name,
            &s.algorithm,
            expect.clone(),
            budget.max_depth,
            explored,
        );
        let violated: Vec<&str> = report
            .properties
            .iter()
            .filter(|p| p.verdict == CheckVerdict::Violation)
            .map(|p| p.name.as_str())
            .collect();
        match (&expect, report.verdict) {
            (Some(Expect::Hold), CheckVerdict::Violation) => {
                disagreements.push(format!("{name}: expected to hold, but {violated:?} fails"))
            }
            (Some(Expect::Violation(Some(p))), CheckVerdict::Violation)
                if !violated.contains(&p.as_str()) =>
            {
                disagreements.push(format!(
                    "{name}: expected to break {p}, but the counterexample breaks {violated:?}"
                ))
            }
            (_, CheckVerdict::Violation)
            | (Some(Expect::Hold), CheckVerdict::Hold | CheckVerdict::NoViolationWithinBound) => {
                judged.push(name)
            }
            _ => unjudged.push(name),
        }
    }
    assert!(
        disagreements.is_empty(),
        "the checker disagrees with {} scenario(s):\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    // A change that leaves the checker unable to judge a scenario it judged (or quietly
    // skipping one) fails here, and so does a list that no longer says what it claims.
    let listed = |name: &String| {
        BEYOND_BUDGET
            .iter()
            .any(|b| name.ends_with(&format!("scenarios/{b}")))
    };
    let newly_unjudged: Vec<_> = unjudged.iter().filter(|u| !listed(u)).collect();
    assert!(
        newly_unjudged.is_empty(),
        "not judged within {STATES} states: {newly_unjudged:?}"
    );
    let now_judged: Vec<_> = judged.iter().filter(|j| listed(j)).collect();
    assert!(
        now_judged.is_empty(),
        "judged now, remove from BEYOND_BUDGET: {now_judged:?}"
    );
    eprintln!(
        "{} of {} scenarios judged within {STATES} states",
        judged.len(),
        files.len()
    );
}
