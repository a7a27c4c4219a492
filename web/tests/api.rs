//! The browser's functions, run natively: what the page shows for a bundled scenario, an edited
//! one, a bounded check and a bad input. (`.ci/run` also runs the WebAssembly build under Node
//! and compares its reports and traces with `ioa`'s byte for byte.)

use std::path::Path;

fn bundled(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios")
        .join(name);
    std::fs::read_to_string(path).expect("bundled scenario")
}

fn verdict(report: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(report).expect("the report is JSON");
    v["verdict"].as_str().expect("a verdict").to_string()
}

#[test]
fn a_bundled_violation_is_reported_traced_and_drawn() {
    let toml = bundled("broadcast/eager-rb-not-uniform.toml");
    let out = web::run(&toml, None, &web::DiagramWindow::default()).expect("runs");
    assert_eq!(verdict(&out.report), "violation");
    assert!(
        out.matches_expectation,
        "the scenario expects uniform-agreement to fail"
    );
    assert!(out.text.contains("uniform-agreement"), "{}", out.text);
    assert!(out.trace.lines().count() > 10);
    assert!(out.svg.starts_with("<svg") && out.svg.contains("uniform-agreement"));
    for lane in ["p0", "p1", "p2"] {
        assert!(
            out.svg.contains(&format!(">\n{lane}\n</text>")),
            "no lane {lane}"
        );
    }
    let again = web::run(&toml, None, &web::DiagramWindow::default()).expect("runs");
    assert_eq!(
        (out.report, out.trace, out.svg),
        (again.report, again.trace, again.svg)
    );
}

#[test]
fn removing_the_crashes_turns_the_violation_into_a_hold() {
    // The book's example: without process 1's crash after its relay, m1 reaches everyone.
    let toml = bundled("broadcast/eager-rb-not-uniform.toml");
    let cut = toml
        .find("[[faults]]\ncrash = 1")
        .expect("the second crash");
    let rest = &toml[cut..];
    let end = rest.find("\n\n").expect("the block's end");
    let edited = format!("{}{}", &toml[..cut], &rest[end + 2..]);
    let out = web::run(&edited, Some(1), &web::DiagramWindow::default()).expect("runs");
    assert_eq!(verdict(&out.report), "hold", "{}", out.text);
    assert!(
        !out.matches_expectation,
        "the file still expects a violation"
    );
}

#[test]
fn a_layer_and_window_choose_what_is_drawn() {
    let toml = bundled("broadcast/fifo-not-causal.toml");
    let window = web::DiagramWindow {
        layer: Some("rb".into()),
        from: None,
        until: Some(150),
    };
    let out = web::run(&toml, None, &window).expect("runs");
    assert!(out.svg.contains("layer rb:"), "the legend names the layer");
    let bad = web::DiagramWindow {
        layer: Some("nosuch".into()),
        ..Default::default()
    };
    let e = web::run(&toml, None, &bad).expect_err("no such layer");
    assert!(e.rule.contains("--layer nosuch"), "{e}");
}

#[test]
fn a_bounded_check_finds_the_counterexample() {
    let toml = bundled("links/perfect-links-no-dedup.toml");
    let out = web::check(&toml, 100_000).expect("checks");
    let v: serde_json::Value = serde_json::from_str(&out.report).expect("JSON");
    assert_eq!(v["verdict"], "violation", "{}", out.text);
    assert!(
        out.matches_expectation,
        "the scenario expects no-duplication to fail"
    );
}

#[test]
fn bad_input_comes_back_with_line_key_and_rule() {
    let toml = bundled("broadcast/eager-rb-not-uniform.toml")
        .replace("processes = 3", "processes = \"three\"");
    let e = web::ErrorOutput::from(web::run(&toml, None, &Default::default()).expect_err("bad"));
    assert_eq!(e.line, Some(4));
    assert!(e.message.starts_with(web::SOURCE), "{}", e.message);
    assert!(e.message.contains("processes"), "{}", e.message);
    let toml = bundled("broadcast/eager-rb-not-uniform.toml")
        .replace("\"eager-reliable-broadcast\"", "\"nosuch\"");
    let e = web::run(&toml, None, &Default::default()).expect_err("no such algorithm");
    assert!(e.rule.contains("nosuch"), "{e}");
}

#[test]
fn the_catalogue_lists_every_algorithm_once() {
    let all = web::algorithms();
    assert!(all.len() > 40);
    let mut ids: Vec<_> = all.iter().map(|a| a.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all.len());
    assert!(all
        .iter()
        .any(|a| a.id == "eager-reliable-broadcast" && a.abstraction == "rb"));
}
