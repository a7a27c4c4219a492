//! What a decision costs (book §8.11, C.8, C.9): in failure-free runs with every message
//! taking δ ticks, the termination monitor's `decision_latency` is exactly δ times the
//! communication steps theory gives, and `decision_messages` exactly its message count, for
//! N = 3, 4, 5 and two values of δ. The predictions are the catalogue entries' own formulas
//! (`ioa sweep` prints them beside the measures); chapter 8 tabulates both.

use scenarios::cli::load_str;

/// A failure-free scenario: `algorithm` on N processes, delay δ, the detector `detector`;
/// every process proposes at time 5, or process 0 alone.
fn scenario(algorithm: &str, n: usize, delta: u64, detector: &str, alone: bool) -> String {
    let proposers: Vec<String> = (0..if alone { 1 } else { n })
        .map(|p| p.to_string())
        .collect();
    format!(
        r#"name = "cost"
algorithm = "{algorithm}"
processes = {n}
seed = 1

[params]
period = 100

[model]
timing = "synchronous"
delay = {{ min = {delta}, max = {delta} }}
detector = "{detector}"

[[workload]]
processes = [{}]
from = 5
every = 1
count = 1
request = "propose"

[check]
expect = "hold"
max_time = 3000
"#,
        proposers.join(", ")
    )
}

#[test]
fn failure_free_decisions_cost_what_theory_says() {
    let cases = [
        ("flooding-consensus", "perfect", false, "(1, N²)"),
        (
            "hierarchical-consensus",
            "perfect",
            false,
            "(N − 1, N(N − 1))",
        ),
        ("flooding-uniform-consensus", "perfect", false, "(N, N³)"),
        (
            "hierarchical-uniform-consensus",
            "perfect",
            false,
            "(3, 3N)",
        ),
        ("leader-driven-consensus", "leader", false, "(5, 5N)"),
        ("paxos", "algorithm", true, "(4, 3N + N²)"),
    ];
    for (algorithm, detector, alone, formula) in cases {
        for n in 3..=5 {
            for delta in [1, 3] {
                let src = scenario(algorithm, n, delta, detector, alone);
                let (_, job) = load_str("cost.toml", &src).expect("the scenario loads");
                let out = job.simulate(1, false);
                let at = format!("{algorithm}, N = {n}, δ = {delta}, predicted {formula}");
                assert!(out.all_hold(), "{at}: {:#?}", out.properties);
                let predicted = job.predicted();
                for metric in ["decision_latency", "decision_messages"] {
                    let want = predicted.get(metric).copied();
                    assert!(want.is_some(), "{at}: no prediction for {metric}");
                    assert_eq!(out.metrics.get(metric).copied(), want, "{at}: {metric}");
                }
            }
        }
    }
}
