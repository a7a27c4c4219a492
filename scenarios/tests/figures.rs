//! The book's figures are readable in its 750 px column: each figure `.ci/run` draws (run here
//! with the same commands, read from `.ci/run` itself) is at most 750 px wide, or scales to it
//! through its viewBox, and no text in it is smaller than 11 px at that width. Every figure
//! drawn is shown on some page of the book, and every figure a page shows is drawn.

use roxmltree::Document;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The book's column, in px.
const COLUMN: f64 = 750.0;
/// The smallest text readable in it, in px.
const MIN_FONT: f64 = 11.0;

/// The `ioa` commands of `.ci/run` that draw into the book (`$ioa ... "$gen/NAME.svg"`), as
/// arguments with `$gen` replaced by `gen`, each with the figure's file name.
fn figure_commands(ci: &str, gen: &Path) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in ci.lines() {
        let line = line.trim_end();
        if let Some(head) = line.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(line);
        let full = std::mem::take(&mut pending);
        let Some(rest) = full.trim().strip_prefix("$ioa ") else {
            continue;
        };
        let rest = rest.split(">/dev/null").next().unwrap_or(rest);
        let args: Vec<String> = rest
            .split_whitespace()
            .map(|w| {
                w.trim_matches('"')
                    .replace("$gen", &gen.display().to_string())
            })
            .collect();
        let name = args
            .iter()
            .find(|a| a.ends_with(".svg"))
            .map(|a| {
                Path::new(a)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .to_string()
            })
            .expect("a figure command names its SVG");
        out.push((name, args));
    }
    out
}

/// The SVG's width (px; the column's for a percentage) and the scale from its own units to
/// what the column shows (a wider picture is shrunk to the column by the browser).
fn scale(root: roxmltree::Node) -> (f64, f64) {
    let width = root.attribute("width").unwrap_or("100%");
    let view: Option<f64> = root
        .attribute("viewBox")
        .and_then(|v| v.split_whitespace().nth(2))
        .and_then(|w| w.parse().ok());
    let displayed = if width.ends_with('%') {
        COLUMN
    } else {
        width
            .trim_end_matches("px")
            .parse::<f64>()
            .expect("a numeric width")
    };
    let units = view.unwrap_or(displayed);
    let shown = displayed.min(COLUMN);
    (displayed, shown / units)
}

/// Every font size in the SVG (attributes and inline styles), with its text.
fn font_sizes(doc: &Document) -> Vec<(f64, String)> {
    doc.descendants()
        .filter_map(|n| {
            let size = n.attribute("font-size").map(str::to_string).or_else(|| {
                n.attribute("style")?
                    .split(';')
                    .find_map(|d| d.trim().strip_prefix("font-size:").map(str::to_string))
            })?;
            let px: f64 = size.trim().trim_end_matches("px").parse().ok()?;
            Some((px, n.text().unwrap_or("").trim().to_string()))
        })
        .collect()
}

#[test]
fn the_books_figures_fit_the_column_with_readable_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let gen = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("book-figures");
    std::fs::create_dir_all(&gen).unwrap();
    let ci = std::fs::read_to_string(root.join(".ci/run")).expect(".ci/run");
    let commands = figure_commands(&ci, &gen);
    assert!(commands.len() >= 7, "the figures of .ci/run: {commands:?}");
    let mut problems = Vec::new();
    for (name, args) in &commands {
        let o = Command::new(env!("CARGO_BIN_EXE_ioa"))
            .args(args)
            .current_dir(root)
            .output()
            .expect("ioa runs");
        assert!(
            o.status.success(),
            "ioa {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&o.stderr)
        );
        let svg = std::fs::read_to_string(gen.join(name)).expect("the figure is drawn");
        let doc = Document::parse(&svg).expect("well-formed SVG");
        let (width, k) = scale(doc.root_element());
        // An absolute width must fit; a percentage scales the viewBox to the column.
        if width > COLUMN {
            problems.push(format!("{name}: {width} px wide, the column is {COLUMN}"));
        }
        let sizes = font_sizes(&doc);
        assert!(!sizes.is_empty(), "{name}: no text found");
        for (px, text) in sizes {
            if px * k < MIN_FONT - 1e-9 {
                problems.push(format!(
                    "{name}: `{text}` at {:.1} px in the column (at least {MIN_FONT})",
                    px * k
                ));
            }
        }
    }
    // Each figure drawn is shown in the book, and each shown is drawn.
    let mut shown = Vec::new();
    for page in std::fs::read_dir(root.join("book/src")).unwrap().flatten() {
        let text = std::fs::read_to_string(page.path()).unwrap_or_default();
        for part in text.split("generated/").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_alphanumeric() || "-_.".contains(*c))
                .collect();
            shown.push((name, page.file_name().to_string_lossy().to_string()));
        }
    }
    for (name, _) in &commands {
        if !shown.iter().any(|(s, _)| s == name) {
            problems.push(format!("{name} is drawn but no page shows it"));
        }
    }
    for (name, page) in &shown {
        if !commands.iter().any(|(c, _)| c == name) {
            problems.push(format!(
                "{page} shows generated/{name}, which .ci/run does not draw"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The diagrams name messages as the book does (`m2`, not the `[0, m2]` FIFO wraps it in), and
/// a long run is drawn as a window that says so.
#[test]
fn diagrams_name_messages_as_the_book_does_and_say_when_they_show_a_window() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let gen = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("book-figures-names");
    std::fs::create_dir_all(&gen).unwrap();
    let texts = |args: &[&str], name: &str| -> Vec<String> {
        let out = gen.join(name);
        let o = Command::new(env!("CARGO_BIN_EXE_ioa"))
            .args(args)
            .arg("--diagram")
            .arg(&out)
            .current_dir(root)
            .output()
            .expect("ioa runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let svg = std::fs::read_to_string(&out).unwrap();
        let doc = Document::parse(&svg).unwrap();
        doc.descendants()
            .filter(|n| n.tag_name().name() == "text")
            .map(|n| n.text().unwrap_or("").trim().to_string())
            .collect()
    };
    let fifo = texts(
        &[
            "run",
            "scenarios/broadcast/fifo-not-causal.toml",
            "--layer",
            "rb",
            "--until",
            "150",
        ],
        "fifo.svg",
    );
    let labels: Vec<&String> = fifo
        .iter()
        .filter(|t| t.starts_with("dlv ") || t.starts_with("bcast "))
        .collect();
    assert!(!labels.is_empty(), "{fifo:?}");
    assert!(
        labels.iter().all(|t| !t.contains('[')),
        "labels name the message, not FIFO's tuple: {labels:?}"
    );
    assert!(
        labels.iter().any(|t| t.as_str() == "dlv p1:m2"),
        "{labels:?}"
    );
    let long = texts(
        &["run", "scenarios/detectors/perfect-detector-in-async.toml"],
        "long.svg",
    );
    assert!(
        long.iter()
            .any(|t| t.contains("a long run: shown is a window")),
        "{long:?}"
    );
    let last_tick = long
        .iter()
        .filter_map(|t| t.parse::<f64>().ok())
        .fold(0.0, f64::max);
    assert!(last_tick <= 400.0, "the axis ends at {last_tick}");
}
