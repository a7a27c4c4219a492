//! How verdicts are reached: a liveness property on a run cut short is `inconclusive`, never
//! `hold`; the same run long enough holds; exit statuses follow the scenario's `expect`.

use automata::monitor::Verdict;
use scenarios::cli::load_str;
use scenarios::report::{RunJson, RunVerdict};

const GOOD: &str = include_str!("../links/perfect-links.toml");

fn run(src: &str) -> RunJson {
    let (l, job) = load_str("verdicts.toml", src).unwrap();
    let s = &l.scenario;
    let outcome = job.simulate(s.seed, false);
    RunJson::new(
        &s.name,
        &s.algorithm,
        s.seed,
        s.check.expect.clone(),
        &outcome,
    )
}

#[test]
fn liveness_on_a_run_cut_short_is_inconclusive() {
    // The last request is at 55 and settle is 400: a horizon of 300 cannot judge liveness.
    let short = GOOD.replace("max_time = 2000", "max_time = 300");
    let report = run(&short);
    let live = report
        .properties
        .iter()
        .find(|p| p.name == "reliable-delivery")
        .unwrap();
    assert_eq!(live.verdict, "inconclusive");
    assert!(!live.holds);
    assert_eq!(report.verdict, RunVerdict::Inconclusive);
    assert!(
        !report.matches_expectation,
        "an inconclusive run does not match `expect = hold`"
    );
    // Safety is still judged on the prefix.
    let safe = report
        .properties
        .iter()
        .find(|p| p.name == "no-duplication")
        .unwrap();
    assert_eq!(safe.verdict, "hold");
}

#[test]
fn the_same_run_long_enough_holds() {
    let report = run(GOOD);
    assert_eq!(report.verdict, RunVerdict::Hold);
    assert!(report.properties.iter().all(|p| p.holds));
}

#[test]
fn an_unmet_expectation_exits_1() {
    let wrong = GOOD.replace("expect = \"hold\"", "expect = \"violation\"");
    let dir = std::env::temp_dir().join(format!("ioa-verdicts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("wrong.toml");
    std::fs::write(&path, wrong).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ioa"))
        .arg("run")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("EXPECTED violation"));
}

#[test]
fn inconclusive_is_a_verdict_of_its_own() {
    let v = Verdict::Inconclusive {
        reason: "short".into(),
    };
    assert!(!v.holds());
}

/// A sweep's table says how many runs were inconclusive: a row of runs cut short, with no
/// violation, must not read as a row of runs that held.
#[test]
fn a_sweep_counts_its_inconclusive_runs() {
    let short = GOOD.replace("max_time = 2000", "max_time = 300");
    let dir = std::env::temp_dir().join(format!("ioa-verdicts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("short.toml");
    std::fs::write(&path, &short).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ioa"))
        .args(["sweep", path.to_str().unwrap(), "--seeds", "3"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.ends_with("3 runs, 0 with a violation, 3 inconclusive"),
        "{text}"
    );
    assert!(text.contains("inconclusive runs: 3"), "{text}");
}
