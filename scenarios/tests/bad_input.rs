//! Bad input gives an error naming the file, the line, the key and the rule, exit status 2,
//! and never a panic. One test a class of mistake.

use std::process::Command;

const GOOD: &str = include_str!("../links/perfect-links.toml");

/// Runs `ioa run` on `src` and returns (exit status, stderr).
fn ioa_run(name: &str, src: &str) -> (i32, String) {
    let dir = std::env::temp_dir().join(format!("ioa-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, src).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ioa"))
        .arg("run")
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "ioa panicked:\n{stderr}");
    (out.status.code().unwrap_or(-1), stderr)
}

fn line_of(src: &str, needle: &str) -> usize {
    src.lines()
        .position(|l| l.contains(needle))
        .expect("needle in source")
        + 1
}

#[track_caller]
fn assert_error(name: &str, src: &str, line_needle: &str, key: &str, rule: &str) {
    let (code, err) = ioa_run(name, src);
    assert_eq!(code, 2, "exit status 2 for bad input; stderr:\n{err}");
    let line = line_of(src, line_needle);
    assert!(
        err.contains(&format!("{name}:{line}:")),
        "names file and line {line}:\n{err}"
    );
    assert!(
        err.contains(&format!("key `{key}`")),
        "names the key `{key}`:\n{err}"
    );
    assert!(err.contains(rule), "states the rule ({rule}):\n{err}");
}

#[test]
fn the_good_scenario_runs() {
    let (code, err) = ioa_run("good.toml", GOOD);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn malformed_toml() {
    let src = GOOD.replace("processes = 3", "processes = = 3");
    let (code, err) = ioa_run("malformed.toml", &src);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "malformed.toml:{}:",
            line_of(&src, "processes = = 3")
        )),
        "{err}"
    );
}

#[test]
fn unknown_key() {
    let src = GOOD.replace("seed = 1", "seed = 1\nsed = 2");
    assert_error(
        "unknown.toml",
        &src,
        "sed = 2",
        "sed",
        "unknown field `sed`",
    );
}

#[test]
fn unknown_nested_key() {
    let src = GOOD.replace("loss = 0.3", "los = 0.3");
    assert_error(
        "nested.toml",
        &src,
        "los = 0.3",
        "los",
        "unknown field `los`",
    );
}

#[test]
fn wrong_type() {
    let src = GOOD.replace("processes = 3", "processes = \"three\"");
    assert_error(
        "type.toml",
        &src,
        "processes = \"three\"",
        "processes",
        "invalid type",
    );
}

#[test]
fn fault_budget_must_be_below_n() {
    let src = GOOD.replace("seed = 1", "seed = 1\nf = 3");
    assert_error(
        "budget.toml",
        &src,
        "f = 3",
        "f",
        "must be less than processes = 3",
    );
}

#[test]
fn delay_bounds_must_be_ordered() {
    let src = GOOD.replace(
        "delay = { min = 1, max = 10 }",
        "delay = { min = 12, max = 10 }",
    );
    assert_error(
        "delay.toml",
        &src,
        "delay = {",
        "model.delay.min",
        "larger than max",
    );
}

#[test]
fn process_out_of_range() {
    let src = format!("{GOOD}\n[[faults]]\ncrash = 7\nat = 5\n");
    assert_error(
        "range.toml",
        &src,
        "crash = 7",
        "faults[0].crash",
        "process 7 does not exist",
    );
}

#[test]
fn property_the_abstraction_lacks() {
    let src = GOOD.replace("\"no-creation\"]", "\"no-creation\", \"total-order\"]");
    assert_error(
        "property.toml",
        &src,
        "total-order",
        "check.properties[3]",
        "has no property `total-order`",
    );
}

#[test]
fn unknown_algorithm() {
    let src = GOOD.replace(
        "algorithm = \"perfect-links\"",
        "algorithm = \"perfect-lynx\"",
    );
    assert_error(
        "algorithm.toml",
        &src,
        "perfect-lynx",
        "algorithm",
        "there is no algorithm `perfect-lynx`",
    );
}

#[test]
fn unknown_parameter() {
    let src = GOOD.replace("period = 20", "periode = 20");
    assert_error(
        "param.toml",
        &src,
        "periode",
        "params.periode",
        "has no parameter `periode`",
    );
}

#[test]
fn impossible_probability() {
    let src = GOOD.replace("loss = 0.3", "loss = 1.5");
    assert_error(
        "prob.toml",
        &src,
        "loss = 1.5",
        "model.links.loss",
        "not a probability",
    );
}

#[test]
fn missing_file() {
    let out = Command::new(env!("CARGO_BIN_EXE_ioa"))
        .args(["run", "/nonexistent/x.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("/nonexistent/x.toml: cannot read the scenario"));
}

#[test]
fn usage_error_exits_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_ioa"))
        .args(["run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_zero_period_is_refused_not_run_forever() {
    // A retransmission timer of period 0 is due again at the instant it fires: the run would
    // never let time pass.
    let src = GOOD.replace("period = 20", "period = 0");
    assert_error(
        "period.toml",
        &src,
        "period = 0",
        "params.period",
        "at least 1 tick",
    );
}

#[test]
fn an_unaffordable_workload_is_refused_up_front() {
    let src = GOOD.replace("count = 4", "count = 100000000");
    let (code, err) = ioa_run("huge.toml", &src);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("at most 1000000 requests"), "{err}");
}

#[test]
fn expected_violation_of_a_property_not_checked() {
    let src = GOOD.replace(
        "expect = \"hold\"",
        "expect = { violation = \"no-duplicaton\" }",
    );
    assert_error(
        "misspelt-violation.toml",
        &src,
        "expect = {",
        "check.expect",
        "`no-duplicaton`, which this scenario does not check",
    );
}

#[test]
fn explore_time_budget_must_be_positive() {
    let src = format!("{GOOD}\n[explore]\nmax_seconds = -1.0\n");
    assert_error(
        "negative-budget.toml",
        &src,
        "max_seconds",
        "explore.max_seconds",
        "max_seconds must be a positive number of seconds",
    );
}

const TRB: &str = include_str!("../applications/consensus-trb.toml");

/// Terminating reliable broadcast has one sender, `params.sender`: a broadcast anywhere else,
/// a second broadcast and the payload standing for ⊥ are refused at load, each naming the
/// request.
#[test]
fn terminating_reliable_broadcast_takes_one_broadcast_at_the_sender() {
    let elsewhere = TRB.replace("process = 0", "process = 2");
    assert_error(
        "trb-elsewhere.toml",
        &elsewhere,
        "[[workload]]",
        "workload[0]",
        "only the sender, process 0 (params.sender), broadcasts",
    );
    let twice = format!("{TRB}\n[[workload]]\nprocess = 0\nat = 20\nrequest = \"broadcast\"\n");
    let second = twice.rfind("[[workload]]").unwrap();
    let (code, err) = ioa_run("trb-twice.toml", &twice);
    assert_eq!(code, 2, "{err}");
    let line = twice[..second].matches('\n').count() + 1;
    assert!(err.contains(&format!("trb-twice.toml:{line}:")), "{err}");
    assert!(err.contains("key `workload[1]`"), "{err}");
    assert!(err.contains("one message, once"), "{err}");
    let bottom = TRB.replace("{ broadcast = \"m\" }", "{ broadcast = \"⊥\" }");
    assert_error(
        "trb-bottom.toml",
        &bottom,
        "broadcast = \"⊥\"",
        "workload[0].request",
        "stands for the failure indication",
    );
}

/// Exclude on Timeout is P only when its period outlasts a heartbeat's round trip: an algorithm
/// on P whose `model.detector = "algorithm"` would get a shorter one is refused, rather than
/// judged over a "P" that detects correct processes. The same period passes with the oracle.
#[test]
fn a_heartbeat_period_within_the_round_trip_is_refused_as_p() {
    let lazy = include_str!("../broadcast/lazy-reliable-broadcast.toml");
    let short = lazy.replace("period = 30", "period = 20");
    assert_error(
        "short-period.toml",
        &short,
        "period = 20",
        "params.period",
        "round trip can take 2 × model.delay.max = 20 ticks",
    );
    let oracle = short.replace("detector = \"algorithm\"", "detector = \"perfect\"");
    let (code, err) = ioa_run("short-period-oracle.toml", &oracle);
    assert_eq!(code, 0, "{err}");
}
