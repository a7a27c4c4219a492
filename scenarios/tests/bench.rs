//! `ioa bench --quick --json`: every figure is there and positive, each ratio is the quotient
//! of the figures it compares, and both checkers find TwoPhase's pinned state counts. Nothing
//! here asserts a speed: the figures depend on the machine.

use scenarios::cli::{BenchJson, TWO_PHASE_STATES};
use serde_json::Value;
use std::process::Command;

/// `a / b` equals `ratio` up to rounding.
fn quotient(what: &str, ratio: f64, a: f64, b: f64) {
    let q = a / b;
    assert!(
        (ratio - q).abs() <= 1e-9 * q.abs(),
        "{what}: ratio {ratio}, but {a} / {b} = {q}"
    );
}

fn positive(what: &str, x: f64) {
    assert!(
        x.is_finite() && x > 0.0,
        "{what} = {x}, not a positive figure"
    );
}

#[test]
fn quick_bench_prints_every_figure_consistently() {
    let out = Command::new(env!("CARGO_BIN_EXE_ioa"))
        .args(["bench", "--quick", "--json", "-q"])
        .output()
        .expect("runs ioa");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ioa bench failed: {stderr}");
    assert!(stderr.is_empty(), "-q prints no progress: {stderr}");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    // Every key is there (the typed parse fails on a missing one) ...
    let b: BenchJson = serde_json::from_str(&text).expect("the bench JSON");
    // ... and no other: the keys are stable.
    let v: Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["checker", "flood", "profile", "quick", "sweep", "threads", "trace"]
    );
    assert!(b.quick);
    assert!(b.threads >= 1);

    let ns: Vec<usize> = b.flood.iter().map(|f| f.n).collect();
    assert_eq!(ns, [10, 100, 10_000]);
    for f in &b.flood {
        let w = format!("flood n = {}", f.n);
        positive(&w, f.deliveries as f64);
        positive(&w, f.sim_deliveries_per_s);
        positive(&w, f.bare_deliveries_per_s);
        quotient(&w, f.ratio, f.sim_deliveries_per_s, f.bare_deliveries_per_s);
    }

    let t = &b.trace;
    positive("trace runs", t.runs as f64);
    positive("trace events", t.events as f64);
    positive("trace off", t.off_events_per_s);
    positive("trace on", t.on_events_per_s);
    quotient("trace", t.ratio, t.on_events_per_s, t.off_events_per_s);
    assert!(t.scenario.ends_with(".toml"), "{}", t.scenario);

    let w = &b.sweep;
    assert_eq!(w.threads, b.threads);
    positive("sweep seeds", w.seeds as f64);
    positive("sweep 1 thread", w.one_thread_seeds_per_s);
    positive("sweep all threads", w.all_threads_seeds_per_s);
    positive("sweep CPU 1 thread", w.one_thread_cpu_s);
    positive("sweep CPU all threads", w.all_threads_cpu_s);
    quotient(
        "speed-up",
        w.speedup,
        w.all_threads_seeds_per_s,
        w.one_thread_seeds_per_s,
    );
    quotient(
        "CPU ratio",
        w.cpu_ratio,
        w.all_threads_cpu_s,
        w.one_thread_cpu_s,
    );

    let rms: Vec<usize> = b.checker.iter().map(|c| c.rms).collect();
    assert_eq!(rms, [3, 5], "--quick: 3 and 5 resource managers");
    for c in &b.checker {
        let pinned = TWO_PHASE_STATES
            .iter()
            .find(|&&(r, _)| r == c.rms)
            .map(|&(_, s)| s)
            .unwrap();
        assert_eq!(
            c.stateright.unique_states, pinned,
            "stateright, {} RMs",
            c.rms
        );
        assert_eq!(c.ioa.unique_states, pinned, "ours, {} RMs", c.rms);
        for (who, s) in [("stateright", &c.stateright), ("ioa", &c.ioa)] {
            let w = format!("{who}, {} RMs", c.rms);
            positive(&w, s.seconds);
            positive(&w, s.bytes_per_state);
            quotient(&w, s.states_per_s, s.unique_states as f64, s.seconds);
        }
        let w = format!("checker ratios, {} RMs", c.rms);
        quotient(
            &w,
            c.states_per_s_ratio,
            c.ioa.states_per_s,
            c.stateright.states_per_s,
        );
        quotient(
            &w,
            c.bytes_per_state_ratio,
            c.ioa.bytes_per_state,
            c.stateright.bytes_per_state,
        );
    }
}

#[test]
fn bench_help_says_what_the_figures_are() {
    let out = Command::new(env!("CARGO_BIN_EXE_ioa"))
        .args(["bench", "--help"])
        .output()
        .expect("runs ioa");
    let help = String::from_utf8(out.stdout).unwrap();
    for phrase in [
        "sim / bare",
        "on / off",
        "speed-up",
        "CPU time ratio",
        "RSS estimate",
        "Linux only",
        "--quick",
        "--json",
    ] {
        assert!(help.contains(phrase), "--help lacks `{phrase}`:\n{help}");
    }
    assert!(!help.contains("--search"), "the child's flag is hidden");
}
