//! Same scenario and seed ⇒ byte-identical trace, however many threads run seeds in parallel.

use automata::sim::par_seeds;
use scenarios::cli::load_str;

const SCENARIO: &str = include_str!("../links/perfect-links.toml");

fn trace(seed: u64) -> String {
    let (_, job) = load_str("perfect-links.toml", SCENARIO).expect("the bundled scenario loads");
    let outcome = job.simulate(seed, true);
    automata::trace::to_jsonl(outcome.trace.as_deref().expect("recorded"))
}

#[test]
fn same_seed_same_trace() {
    let a = trace(7);
    let b = trace(7);
    assert!(a.lines().count() > 100, "the run does something");
    assert_eq!(a, b);
    assert_ne!(a, trace(8), "a different seed gives a different run");
}

#[test]
fn traces_do_not_depend_on_the_number_of_threads() {
    let seeds: Vec<u64> = (1..=8).collect();
    let one = par_seeds(&seeds, 1, trace);
    let many = par_seeds(&seeds, 4, trace);
    assert_eq!(one, many);
}
