//! Exhaustive checks of small link configurations through the `ioa check` path. The unique
//! state counts are pinned: a change to the semantics of the world, the network or an algorithm
//! shows up here as a number.

use automata::check::{Budget, Search};
use scenarios::cli::load_str;

fn scenario(algorithm: &str, abstraction: &str, links: &str) -> String {
    format!(
        r#"
name = "small {algorithm}"
algorithm = "{algorithm}"
processes = 2
[params]
period = 20
[model]
delay = {{ min = 1, max = 5 }}
[model.links]
{links}
[[workload]]
process = 0
at = 1
request = {{ send = {{ to = 1, message = "a" }} }}
[[workload]]
process = 0
at = 2
request = {{ send = {{ to = 1, message = "b" }} }}
[check]
abstraction = "{abstraction}"
properties = ["no-duplication", "no-creation", "reliable-delivery"]
"#
    )
}

#[test]
fn perfect_links_hold_on_every_path() {
    let src = scenario(
        "perfect-links",
        "pl",
        "loss = 0.5\nduplication = 0.5\nmax_copies = 2",
    );
    let (_, job) = load_str("pl.toml", &src).unwrap();
    let e = job.explore(Search::Bfs, Budget::depth(15), 1, None);
    assert!(e.counterexample.is_none(), "{:?}", e.counterexample);
    assert_eq!(e.unique_states, 1085, "pinned state count changed");
    assert_eq!(e.max_depth, 15);
}

#[test]
fn stubborn_links_used_as_perfect_links_duplicate() {
    let src = scenario("stubborn-links", "pl", "duplication = 0.5\nmax_copies = 2");
    let (_, job) = load_str("sl.toml", &src).unwrap();
    let e = job.explore(Search::Bfs, Budget::depth(12), 1, None);
    let (property, trace) = e.counterexample.expect("a counterexample");
    assert_eq!(property, "no-duplication");
    let deliveries = trace
        .iter()
        .filter(|t| t.module == "sl" && t.kind == automata::Kind::Indication)
        .count();
    let shown: Vec<String> = trace.iter().map(scenarios::report::trace_line).collect();
    assert_eq!(
        deliveries,
        2,
        "the shortest counterexample delivers one message twice:\n{}",
        shown.join("\n")
    );
}

#[test]
fn depth_first_search_finds_the_same_violation() {
    let src = scenario("stubborn-links", "pl", "duplication = 0.5\nmax_copies = 2");
    let (_, job) = load_str("sl.toml", &src).unwrap();
    let e = job.explore(Search::Dfs, Budget::depth(12), 2, None);
    assert_eq!(
        e.counterexample.map(|c| c.0).as_deref(),
        Some("no-duplication")
    );
}

#[test]
fn the_no_dedup_mutant_is_caught_by_ioa_check() {
    let src = scenario(
        "perfect-links-no-dedup",
        "pl",
        "duplication = 0.3\nmax_copies = 2",
    );
    let dir = std::env::temp_dir().join(format!("ioa-mc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("no-dedup.toml");
    std::fs::write(
        &path,
        src.replace("[check]", "[check]\nexpect = \"violation\""),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ioa"))
        .args(["check", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verdict"], "violation");
    let no_dup = json["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "no-duplication")
        .unwrap();
    assert_eq!(no_dup["holds"], false);
    let trace = json["counterexample"].as_array().unwrap();
    let delivered_a = trace
        .iter()
        .filter(|e| {
            e["module"] == "pl" && e["kind"] == "indication" && e["event"]["deliver"]["msg"] == "a"
        })
        .count();
    assert_eq!(delivered_a, 2, "the counterexample delivers `a` twice");
}

/// Bounded liveness through `ioa check`: `[explore] horizon` ends every run, so a heartbeat
/// detector that never quiesces has its eventual properties judged on every schedule. The
/// count is the one links/tests/detectors_model_checking.rs pins for the same configuration.
#[test]
fn a_horizon_judges_eventual_properties_on_every_schedule() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/detectors/eventually-perfect-every-schedule.toml"
    );
    let src = std::fs::read_to_string(path).unwrap();
    let (_, job) = load_str(path, &src).unwrap();
    let e = job.explore(Search::Bfs, Budget::depth(1000), 1, None);
    assert!(e.counterexample.is_none(), "{:?}", e.counterexample);
    assert_eq!(e.unique_states, 7571, "pinned state count changed");
    let short = src.replace("horizon = 30", "horizon = 20");
    let (_, job) = load_str(path, &short).unwrap();
    let e = job.explore(Search::Bfs, Budget::depth(1000), 1, None);
    assert_eq!(
        e.counterexample.map(|c| c.0).as_deref(),
        Some("strong-completeness")
    );
}
