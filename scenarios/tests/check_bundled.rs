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
            _ => unjudged.push(format!("{name} ({:?})", report.verdict)),
        }
    }
    assert!(
        disagreements.is_empty(),
        "the checker disagrees with {} scenario(s):\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    // Most scenarios are small enough to be judged within the budget: a change that leaves
    // the checker unable to judge them (or quietly skipping them) fails here.
    assert!(
        judged.len() * 3 >= files.len() * 2,
        "only {} of {} scenarios judged; not judged: {}",
        judged.len(),
        files.len(),
        unjudged.join(", ")
    );
    eprintln!(
        "{} of {} scenarios judged within {STATES} states; not found within the budget: {}",
        judged.len(),
        files.len(),
        unjudged.join(", ")
    );
}
