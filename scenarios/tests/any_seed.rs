//! A bundled scenario that promises `expect = "hold"` keeps its safety properties under every
//! schedule: proptest draws the scenario and the seed (the seed decides delays, losses and
//! every random choice), and a failure prints the `ioa replay` command that reproduces it.
//!
//! Liveness is left to the scenario's own seed (bundled.rs): a random seed may end a run
//! before a liveness property can be judged, and probabilistic broadcast promises delivery
//! only with high probability, but no seed may break a safety property.

use automata::{PropertyKind, Verdict};
use proptest::prelude::*;
use scenarios::cli::{bundled, load};
use scenarios::registry::Runnable;
use scenarios::spec::Expect;
use std::path::PathBuf;

struct Case {
    file: PathBuf,
    job: Box<dyn Runnable>,
}

fn holding() -> Vec<Case> {
    bundled()
        .into_iter()
        .filter_map(|file| {
            let (l, job) = load(&file).expect("bundled scenarios load");
            (l.scenario.check.expect == Some(Expect::Hold)).then_some(Case { file, job })
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_holding_scenario_is_safe_under_any_seed(pick in any::<prop::sample::Index>(), seed in any::<u64>()) {
        thread_local!(static CASES: Vec<Case> = holding());
        CASES.with(|cases| {
            prop_assert!(cases.len() >= 20, "only {} holding scenarios", cases.len());
            let case = &cases[pick.index(cases.len())];
            let outcome = case.job.simulate(seed, false);
            for p in &outcome.properties {
                prop_assert!(
                    p.kind == PropertyKind::Liveness || !matches!(p.verdict, Verdict::Violation(_)),
                    "{} violated: {:?}\n  replay: ioa replay {} --seed {seed}",
                    p.name,
                    p.verdict,
                    case.file.display()
                );
            }
            Ok(())
        })?;
    }
}
