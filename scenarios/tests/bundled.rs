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

/// The contrast `consensus-tob-not-uniform.toml` draws: the faults that leave its faulty
/// process on a sequence of its own break prefix order and uniform agreement for
/// `consensus-tob`, while `consensus-utob`, under the very same faults and seeds, keeps every
/// process, the faulty one included, on one sequence.
#[test]
fn the_faults_that_split_regular_total_order_leave_the_uniform_one_on_one_sequence() {
    let file = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("applications/consensus-tob-not-uniform.toml");
    let src = std::fs::read_to_string(&file).expect("bundled scenario");
    let uniform = src.replace(
        "algorithm = \"consensus-tob\"",
        "algorithm = \"consensus-utob\"",
    );
    assert_ne!(src, uniform);
    let violated = |src: &str, seed: u64| {
        let (_, job) = scenarios::cli::load_str("t.toml", src).expect("loads");
        let outcome = job.simulate(seed, false);
        let mut v: Vec<String> = outcome
            .properties
            .iter()
            .filter(|p| matches!(p.verdict, automata::Verdict::Violation(_)))
            .map(|p| p.name.clone())
            .collect();
        v.sort();
        v
    };
    for seed in 1..=5 {
        assert_eq!(
            violated(&src, seed),
            ["prefix-order", "uniform-agreement"],
            "consensus-tob, seed {seed}"
        );
        assert!(
            violated(&uniform, seed).is_empty(),
            "consensus-utob, seed {seed}"
        );
    }
}
