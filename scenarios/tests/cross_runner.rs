//! One environment, two runners: every bundled scenario, simulated with several seeds, is a
//! path of the model checker's model. Each run's schedule (which packet arrived when, which
//! was lost or duplicated, which timer fired, each step's random choices) is replayed as the
//! checker's actions, every one of which must be enabled there, and the trace the checker
//! records must be the simulator's, event for event. A counterexample from either runner can
//! then be trusted without reading two codebases.

use scenarios::cli::{bundled, load};

const SEEDS: [u64; 3] = [1, 2, 3];

#[test]
fn every_simulated_run_is_a_path_of_the_checker() {
    let mut failures = Vec::new();
    let mut events = 0;
    for file in bundled() {
        let (_, job) = load(&file).expect("bundled scenarios load");
        for seed in SEEDS {
            match job.cross_check(seed) {
                Ok(n) => events += n,
                Err(e) => failures.push(format!("{} seed {seed}: {e}", file.display())),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} runs part from the checker:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(events > 10_000, "the runs compared only {events} events");
}
