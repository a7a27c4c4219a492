//! `--diagram`: every bundled scenario's run draws as a well-formed SVG with one lane per
//! process, and the first violation, where there is one, is named above the lanes; the model
//! checker's counterexample draws the same way, its deliveries paired with their sends.

use roxmltree::Document;
use std::path::{Path, PathBuf};
use std::process::Command;

fn ioa() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ioa"))
}

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("diagrams");
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Every `<text>` of the SVG with its y coordinate.
fn texts(svg: &str) -> Vec<(String, f64)> {
    let doc = Document::parse(svg).expect("the diagram is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.tag_name().name() == "text")
        .map(|n| {
            let y = n.attribute("y").and_then(|y| y.parse().ok()).unwrap_or(0.0);
            (n.text().unwrap_or("").trim().to_string(), y)
        })
        .collect()
}

/// The lane labels `p<i>`, each with its y.
fn lanes(texts: &[(String, f64)]) -> Vec<(usize, f64)> {
    texts
        .iter()
        .filter_map(|(t, y)| {
            let i = t.strip_prefix('p')?;
            (!i.is_empty() && i.chars().all(|c| c.is_ascii_digit()))
                .then(|| (i.parse().expect("digits"), *y))
        })
        .collect()
}

/// Checks that the SVG has exactly lanes p0..p(n-1), top to bottom, and, if `violated` names
/// a property, that its marker is above the first lane and the subtitle names it too.
fn check_svg(file: &Path, svg: &str, n: usize, violated: Option<&str>) {
    let texts = texts(svg);
    let mut found = lanes(&texts);
    let ids: Vec<usize> = found.iter().map(|l| l.0).collect();
    assert_eq!(
        ids,
        (0..n).collect::<Vec<_>>(),
        "{}: want one lane per process, top to bottom",
        file.display()
    );
    found.dedup_by(|a, b| a.1 == b.1);
    assert_eq!(
        found.len(),
        n,
        "{}: two lanes at one height",
        file.display()
    );
    if let Some(property) = violated {
        let marker = format!("✗ {property}");
        let first_lane = found[0].1;
        let above: Vec<_> = texts
            .iter()
            .filter(|(t, y)| *t == marker && *y < first_lane)
            .collect();
        assert_eq!(
            above.len(),
            1,
            "{}: no `{marker}` above the lanes",
            file.display()
        );
        assert!(
            texts
                .iter()
                .any(|(t, y)| t.starts_with(&format!("{marker} violated at t=")) && *y < first_lane),
            "{}: the subtitle does not name {property}",
            file.display()
        );
    } else {
        assert!(
            !texts.iter().any(|(t, _)| t.starts_with('✗')),
            "{}: a violation marker where nothing is violated",
            file.display()
        );
    }
}

fn processes(file: &Path) -> usize {
    let src = std::fs::read_to_string(file).expect("scenario");
    scenarios::spec::parse(&file.display().to_string(), &src)
        .expect("bundled scenarios parse")
        .scenario
        .processes
}

/// The property a run's report says was violated first (by witness event; on a tie, the one
/// the report lists first), if any.
fn first_violation(report: &serde_json::Value) -> Option<String> {
    report["properties"]
        .as_array()
        .expect("properties")
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let event = p["violation"]["event"].as_u64()?;
            Some(((event, i), p["name"].as_str()?.to_string()))
        })
        .min()
        .map(|(_, name)| name)
}

#[test]
fn every_bundled_scenario_draws_one_lane_per_process() {
    let dir = out_dir();
    let files = scenarios::cli::bundled();
    assert!(files.len() > 40, "the bundled scenarios are found");
    let mut violations = 0;
    for file in files {
        let out = dir.join(format!(
            "{}.svg",
            file.file_stem().unwrap().to_string_lossy()
        ));
        let run = ioa()
            .arg("run")
            .arg(&file)
            .arg("--json")
            .arg("--diagram")
            .arg(&out)
            .output()
            .expect("ioa runs");
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&run.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON report");
        let violated = first_violation(&report);
        if report["expected"].get("violation").is_some() {
            assert!(
                violated.is_some(),
                "{}: expected a violation",
                file.display()
            );
            violations += 1;
        }
        let svg = std::fs::read_to_string(&out).expect("the diagram is written");
        check_svg(&file, &svg, processes(&file), violated.as_deref());
    }
    assert!(violations >= 20, "the counterexamples are among them");
}

#[test]
fn a_counterexample_draws_with_its_deliveries_paired_to_their_sends() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("links/perfect-links-no-dedup.toml");
    let out = out_dir().join("check-perfect-links-no-dedup.svg");
    let check = ioa()
        .arg("check")
        .arg(&file)
        .arg("--json")
        .arg("--diagram")
        .arg(&out)
        .output()
        .expect("ioa runs");
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).expect("JSON");
    let trace = report["counterexample"]
        .as_array()
        .expect("a counterexample");
    let mut sends = std::collections::BTreeMap::new();
    let mut deliveries = 0;
    for e in trace {
        let p = &e["event"]["packet"];
        match e["kind"].as_str() {
            Some("send") => {
                let id = p["id"].as_u64().unwrap();
                assert!(
                    sends
                        .insert(id, (p["from"].clone(), p["to"].clone()))
                        .is_none(),
                    "packet ids are unique: {id}"
                );
            }
            Some("deliver") | Some("drop") => {
                deliveries += 1;
                let id = p["id"].as_u64().unwrap();
                assert_eq!(
                    sends.get(&id),
                    Some(&(p["from"].clone(), p["to"].clone())),
                    "delivery of packet {id} pairs with its send"
                );
            }
            _ => {}
        }
    }
    assert!(deliveries >= 2, "the counterexample delivers a duplicate");
    let property = report["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["verdict"] == "violation")
        .and_then(|p| p["name"].as_str())
        .expect("a violated property")
        .to_string();
    let svg = std::fs::read_to_string(&out).expect("diagram written");
    check_svg(&file, &svg, processes(&file), Some(&property));
}

#[test]
fn png_by_extension_and_a_chosen_layer() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("broadcast/eager-rb-not-uniform.toml");
    let png = out_dir().join("eager-rb-not-uniform.png");
    let run = ioa()
        .arg("run")
        .arg(&file)
        .arg("--diagram")
        .arg(&png)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = std::fs::read(&png).expect("PNG written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG file");

    let svg = out_dir().join("eager-rb-not-uniform-beb.svg");
    let run = ioa()
        .arg("run")
        .arg(&file)
        .args([
            "--layer",
            "beb",
            "--from",
            "5",
            "--until",
            "30",
            "--diagram",
        ])
        .arg(&svg)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let texts = texts(&std::fs::read_to_string(&svg).unwrap());
    assert!(
        texts.iter().any(|(t, _)| t == "layer beb:"),
        "the legend names the layer"
    );
    // beb's broadcast of p0 carries rb's (sender, sequence number, message) triple, labelled
    // by the message it wraps, as the book names it.
    assert!(
        texts.iter().any(|(t, _)| t == "bcast m1"),
        "beb's requests are labelled: {texts:?}"
    );

    let bad = ioa()
        .arg("run")
        .arg(&file)
        .args(["--layer", "nosuch", "--diagram"])
        .arg(&svg)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("--layer nosuch") && err.contains("beb"),
        "{err}"
    );
    let bad = ioa()
        .arg("run")
        .arg(&file)
        .args(["--diagram", "out.gif"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// Draws `args` (an `ioa` command without `--diagram`) and returns the SVG's texts.
fn drawn(args: &[&str], name: &str) -> Vec<String> {
    let out = out_dir().join(name);
    let status = ioa()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .arg("--diagram")
        .arg(&out)
        .output()
        .expect("ioa runs");
    assert!(status.status.code().is_some_and(|c| c <= 1), "{status:?}");
    let svg = std::fs::read_to_string(&out).expect("the diagram is written");
    texts(&svg).into_iter().map(|(t, _)| t).collect()
}

/// Links that retransmit forever fill a run to its horizon with traffic: by default the
/// window ends shortly after the layer's last event, and the subtitle says what was cut;
/// `--until` still shows everything.
#[test]
fn the_default_window_ends_after_the_layers_last_event_and_says_so() {
    let texts = drawn(&["run", "broadcast/majority-ack-urb.toml"], "window.svg");
    let cut = texts
        .iter()
        .find(|t| t.contains("after the urb layer"))
        .unwrap_or_else(|| panic!("the subtitle says what was cut: {texts:?}"));
    assert!(cut.contains("the run goes on to t=1000"), "{cut}");
    let last_tick: f64 = texts
        .iter()
        .filter_map(|t| t.parse().ok())
        .fold(0.0, f64::max);
    assert!(last_tick < 200.0, "the axis ends at {last_tick}");
    let texts = drawn(
        &["run", "broadcast/majority-ack-urb.toml", "--until", "1000"],
        "window-until.svg",
    );
    assert!(!texts.iter().any(|t| t.contains("after the urb layer")));
}

/// A lasso is drawn whole, with the start of its cycle marked.
#[test]
fn a_lasso_marks_where_its_cycle_begins() {
    let texts = drawn(
        &["check", "links/stubborn-links-send-once.toml", "-q"],
        "lasso.svg",
    );
    assert!(texts.iter().any(|t| t.contains("cycle ⟳")), "{texts:?}");
    assert!(texts
        .iter()
        .any(|t| t.contains("the cycle repeats forever")));
}
