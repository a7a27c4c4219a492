//! Every bundled scenario runs and shows the outcome its `expect` states (data-driven tests:
//! a new case is a new file).

use scenarios::cli::{bundled, load};
use scenarios::report::RunJson;
use scenarios::spec::Expect;

#[test]
fn every_bundled_scenario_matches_its_expectation() {
    let files = bundled();
    assert!(
        files.len() >= 30,
        "bundled scenarios missing: found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for file in &files {
        let (l, job) = match load(file) {
            Ok(x) => x,
            Err(e) => {
                failures.push(format!("{e}"));
                continue;
            }
        };
        let s = &l.scenario;
        assert!(
            matches!(
                s.check.expect,
                Some(Expect::Hold) | Some(Expect::Violation(Some(_)))
            ),
            "{}: a bundled scenario states its `expect`, naming the property it breaks",
            file.display()
        );
        let outcome = job.simulate(s.seed, false);
        let report = RunJson::new(
            &s.name,
            &s.algorithm,
            s.seed,
            s.check.expect.clone(),
            &outcome,
        );
        if !report.matches_expectation {
            failures.push(format!("{}:\n{}", file.display(), report.text()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
