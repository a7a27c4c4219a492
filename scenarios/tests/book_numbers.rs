//! The numbers the book prints from `ioa sweep` are the sweeps' numbers. Each test reads a
//! table (and the command above it) from the chapter's markdown, reruns that command with
//! `--json`, and compares every printed number with the sweep's value at the printed
//! precision, so a change that moves a measurement fails here instead of leaving the book
//! wrong. The book is read, not copied: editing a table or its command changes what is checked.
//!
//! Sweeps that take minutes even in release are `#[ignore]`d (each says why); run them with
//! `cargo test --release -p scenarios --test book_numbers -- --ignored`.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn chapter(name: &str) -> String {
    std::fs::read_to_string(root().join("book/src").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Where `marker` starts in `text`: each table is found from a heading or phrase above it.
fn find(text: &str, marker: &str, what: &str) -> usize {
    text.find(marker)
        .unwrap_or_else(|| panic!("{what}: `{marker}` is not in the chapter"))
}

/// The arguments of the first `ioa sweep` command at or after `from`, inline in backticks or
/// in a code block (line continuations joined, shown output after it ignored), without
/// `--plot` and its file: the test runs exactly what the book shows.
fn sweep_command(text: &str, from: usize) -> (Vec<String>, usize) {
    let at = from
        + text[from..]
            .match_indices("ioa sweep")
            .find(|(i, _)| text[from + i + "ioa sweep".len()..].starts_with(char::is_whitespace))
            .expect("an `ioa sweep` command")
            .0;
    let body = &text[at + "ioa ".len()..];
    // Inline, the command ends at its closing backtick; in a block, at the end of its last
    // line (one not continued by `\`): a console block's output follows it.
    let end = if text[..at].ends_with('`') {
        body.find('`').expect("the command's closing backtick")
    } else {
        let mut end = 0;
        for line in body.split_inclusive('\n') {
            end += line.find("```").unwrap_or(line.len());
            if line.contains("```") || !line.trim_end().ends_with('\\') {
                break;
            }
        }
        end
    };
    let mut args: Vec<String> = body[..end]
        .split_whitespace()
        .filter(|w| *w != "\\")
        .map(str::to_string)
        .collect();
    if let Some(i) = args.iter().position(|a| a == "--plot") {
        args.drain(i..i + 2);
    }
    (args, at + "ioa ".len() + end)
}

/// `args` with `--KEY VALUE` replaced (or added).
fn with_option(args: &[String], key: &str, value: &str) -> Vec<String> {
    let mut out = args.to_vec();
    match out.iter().position(|a| a == key) {
        Some(i) => out[i + 1] = value.to_string(),
        None => out.extend([key.to_string(), value.to_string()]),
    }
    out
}

/// `args` with the values of `--param NAME=...` replaced (or the parameter added).
fn with_param(args: &[String], name: &str, values: &str) -> Vec<String> {
    let mut out = args.to_vec();
    let prefix = format!("{name}=");
    let new = format!("{name}={values}");
    match out.iter().position(|a| a.starts_with(&prefix)) {
        Some(i) => out[i] = new,
        None => out.extend(["--param".to_string(), new]),
    }
    out
}

/// Runs `ioa` with `args` and `--json` from the repository root: the sweep's JSON.
fn run_json(args: &[String]) -> Value {
    let o = Command::new(env!("CARGO_BIN_EXE_ioa"))
        .args(args)
        .arg("--json")
        .current_dir(root())
        .output()
        .expect("ioa runs");
    assert!(
        o.status.success(),
        "ioa {}: exit {:?}\n{}",
        args.join(" "),
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("sweep --json prints JSON")
}

/// The rows of a sweep's JSON.
fn rows(json: &Value) -> &[Value] {
    json["rows"].as_array().expect("rows")
}

fn metric(row: &Value, name: &str) -> Option<f64> {
    row["metrics"][name].as_f64()
}

fn predicted(row: &Value, name: &str) -> Option<f64> {
    row["predicted"][name].as_f64()
}

/// A row's value of a swept parameter, as a number.
fn param(row: &Value, name: &str) -> f64 {
    row["params"][name]
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("row {row} has no numeric parameter {name}"))
}

/// The sweep's row whose parameters have these values.
fn row_with<'a>(json: &'a Value, values: &[(&str, f64)]) -> &'a Value {
    rows(json)
        .iter()
        .find(|r| values.iter().all(|(k, v)| (param(r, k) - v).abs() < 1e-9))
        .unwrap_or_else(|| panic!("the sweep has no row with {values:?}"))
}

/// The scenario file a command sweeps, parsed: figures the book derives from it (the round
/// trip, u, P) come from the scenario itself.
fn scenario(args: &[String]) -> toml::Table {
    let file = root().join(&args[1]);
    toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap()
}

fn toml_f64(t: &toml::Table, path: &str) -> f64 {
    let mut v = t.get(path.split('.').next().unwrap());
    for part in path.split('.').skip(1) {
        v = v.and_then(|v| v.get(part));
    }
    match v {
        Some(toml::Value::Integer(i)) => *i as f64,
        Some(toml::Value::Float(x)) => *x,
        _ => panic!("the scenario has no number at {path}"),
    }
}

/// The first markdown table at or after `from`: its header cells and its rows' cells.
fn table(text: &str, from: usize) -> (Vec<String>, Vec<Vec<String>>) {
    let cells = |line: &str| -> Vec<String> {
        let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
        inner.split('|').map(|c| c.trim().to_string()).collect()
    };
    let mut lines = text[from..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'));
    let header = cells(lines.next().expect("a table"));
    let rows = lines.skip(1).map(cells).collect();
    (header, rows)
}

/// The index of the column headed `name`.
fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column `{name}` in the table {header:?}"))
}

/// A number as the book prints it (`1,000`, `−1` with a minus sign, `0.069`), and its decimals.
fn number(printed: &str) -> Option<(f64, usize)> {
    let s = printed.trim().replace(',', "").replace('−', "-");
    let x = s.parse().ok()?;
    Some((x, s.split_once('.').map_or(0, |(_, d)| d.len())))
}

/// Whether `printed` is `value` at the printed precision: within half a unit of its last
/// digit. A whole number is exact: `ioa sweep` prints one only for a whole value, and the
/// book's whole numbers are counts, bounds and such exact figures.
fn agrees(printed: &str, value: f64) -> bool {
    match number(printed) {
        Some((x, 0)) => same(x, value),
        Some((x, d)) => (x - value).abs() <= 0.5 * 10f64.powi(-(d as i32)) + 1e-9,
        None => false,
    }
}

/// Equal but for floating-point noise (the adversarial skew is 80.00000000000006).
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The mismatches of one chapter, reported together.
struct Check {
    chapter: &'static str,
    failures: Vec<String>,
}

impl Check {
    fn new(chapter: &'static str) -> Self {
        Check {
            chapter,
            failures: Vec::new(),
        }
    }

    /// `printed` (a number, or `–` for no value) against the sweep's `value`.
    fn value(&mut self, row: &str, column: &str, printed: &str, value: Option<f64>) {
        let ok = match value {
            None => matches!(printed, "–" | "-"),
            Some(v) => agrees(printed, v),
        };
        if !ok {
            let sweep = value.map_or("no value".to_string(), |v| v.to_string());
            self.failures.push(format!(
                "{}, row {row}, {column}: the book prints {printed}, the sweep gives {sweep}",
                self.chapter
            ));
        }
    }

    /// A `mean ± se` cell against a metric and its standard error.
    fn mean_se(&mut self, row: &str, column: &str, printed: &str, r: &Value, name: &str) {
        let (mean, se) = printed.split_once(" ± ").unwrap_or((printed, ""));
        self.value(row, column, mean, metric(r, name));
        if !se.is_empty() {
            let column = format!("{column} (standard error)");
            self.value(row, &column, se, metric(r, &format!("{name}_se")));
        }
    }

    fn claim(&mut self, holds: bool, what: String) {
        if !holds {
            self.failures.push(format!("{}: {what}", self.chapter));
        }
    }

    fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "{} book number(s) disagree with the sweep:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

/// C.12: Exclude on Timeout across Δ / RTT, including the worst detection time, which must
/// stay below 2Δ as the chapter says.
#[test]
fn ch05_perfect_detector_c12() {
    let name = "ch05-failure-detection.md";
    let text = chapter(name);
    let (args, end) = sweep_command(&text, find(&text, "**Measured ([C.12]", name));
    let rtt = 2.0 * toml_f64(&scenario(&args), "model.delay.max");
    let json = run_json(&args);
    let (header, book) = table(&text, end);
    let mut check = Check::new(name);
    assert_eq!(book.len(), rows(&json).len(), "{name}: C.12 rows");
    let col = |n: &str| column(&header, n);
    let columns = [
        ("detection time, mean", "detection_time"),
        ("mean of run maxima", "detection_time_max"),
        ("max over all runs", "detection_time_max_worst"),
    ];
    for (cells, r) in book.iter().zip(rows(&json)) {
        let period = param(r, "params.period");
        let row = format!("Δ / RTT = {}", cells[0]);
        check.value(&row, "Δ / RTT", &cells[col("Δ / RTT")], Some(period / rtt));
        let runs = &cells[col("runs with a false detection")];
        let (with, of) = runs.split_once(" / ").unwrap_or((runs, ""));
        let violated = r["violated"]["strong-accuracy"].as_f64().unwrap_or(0.0);
        check.value(&row, "runs with a false detection", with, Some(violated));
        check.value(&row, "runs", of, r["runs"].as_f64());
        let false_suspicions = metric(r, "false_suspicions");
        check.value(
            &row,
            "false detections per run",
            &cells[col("false detections per run")],
            false_suspicions,
        );
        for (c, m) in columns {
            check.value(&row, c, &cells[col(c)], metric(r, m));
        }
        check.value(&row, "2Δ", &cells[col("2Δ")], Some(2.0 * period));
        if let Some(worst) = metric(r, "detection_time_max_worst") {
            check.claim(
                worst < 2.0 * period,
                format!("Δ = {period}: detection took {worst}, not less than 2Δ"),
            );
        }
    }
    check.finish();
}

/// C.13: Increasing Timeout's mistakes after GST against the increments and the bound.
#[test]
#[ignore = "1,000 runs, 1.3 s each at Δ = 3 with GST = 0: about 7 minutes in release"]
fn ch05_eventually_perfect_detector_c13() {
    let name = "ch05-failure-detection.md";
    let text = chapter(name);
    let (args, end) = sweep_command(&text, find(&text, "**Measured ([C.13]", name));
    let d = 2.0 * toml_f64(&scenario(&args), "model.delay.max");
    let json = run_json(&args);
    let (header, book) = table(&text, end);
    let mut check = Check::new(name);
    assert_eq!(book.len(), rows(&json).len(), "{name}: C.13 rows");
    let col = |n: &str| column(&header, n);
    for (cells, r) in book.iter().zip(rows(&json)) {
        let period = param(r, "params.period");
        let row = format!("Δ = {}", cells[0]);
        check.value(&row, "Δ", &cells[col("Δ")], Some(period));
        let mean = "mean periods with a false suspicion";
        check.value(
            &row,
            mean,
            &cells[col(mean)],
            metric(r, "post_gst_mistakes"),
        );
        let worst = metric(r, "post_gst_mistakes_worst");
        check.value(&row, "worst", &cells[col("worst")], worst);
        let increments = ((d - period) / period).ceil().max(0.0);
        let c = "⌈(D − Δ)/Δ⌉ (increments)";
        check.value(&row, c, &cells[col(c)], Some(increments));
        let c = "n · ⌊D/Δ⌋ (the bound)";
        check.value(&row, c, &cells[col(c)], predicted(r, "post_gst_mistakes"));
    }
    check.finish();
}

/// C.1's table, the columns for the process counts `ns` only (the sweep is the book's, with
/// `processes` narrowed to them: every row runs the same seeds, so a cell does not depend on
/// the others). At n ≥ 1,000 every cell must be within max(3 SE, 0.015) of the limit, as the
/// chapter says.
fn infect_and_die(ns: &[u64]) {
    let name = "ch06-gossip.md";
    let text = chapter(name);
    let (args, end) = sweep_command(&text, find(&text, "## Eager gossip", name));
    let list: Vec<String> = ns.iter().map(u64::to_string).collect();
    let json = run_json(&with_param(&args, "processes", &list.join(",")));
    let (header, book) = table(&text, end);
    let mut check = Check::new(name);
    let predicted_column = column(&header, "predicted exp(−e^{−c})");
    assert_eq!(book.len() * ns.len(), rows(&json).len(), "{name}: C.1 rows");
    for cells in &book {
        let c = number(&cells[0]).expect("c").0;
        let row = format!("c = {}", cells[0]);
        for &n in ns {
            let label = format!("n = {}", cells_n(n));
            let r = row_with(&json, &[("params.c", c), ("processes", n as f64)]);
            let cell = &cells[column(&header, &label)];
            check.mean_se(&row, &label, cell, r, "all_delivered");
            let limit = predicted(r, "all_delivered");
            check.value(&row, "predicted", &cells[predicted_column], limit);
            if n >= 1000 {
                let (m, se, p) = (
                    metric(r, "all_delivered").unwrap(),
                    metric(r, "all_delivered_se").unwrap(),
                    limit.unwrap(),
                );
                check.claim(
                    (m - p).abs() <= (3.0 * se).max(0.015),
                    format!("c = {c}, n = {n}: {m} is not within max(3 SE, 0.015) of {p}"),
                );
            }
        }
    }
    check.finish();
}

/// `n` as the book writes it in a header: `1,000`.
fn cells_n(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// C.1 at n = 100 and 1,000: 8,000 runs, about 10 s in the dev profile.
#[test]
fn ch06_infect_and_die_c1() {
    infect_and_die(&[100, 1000]);
}

#[test]
#[ignore = "4,000 runs of 10,000 processes: about 10 minutes in release on one core"]
fn ch06_infect_and_die_c1_n10000() {
    infect_and_die(&[10000]);
}

/// C.2: rumor mongering's residue against its fixed point.
#[test]
#[ignore = "1,000 runs of 10,000 processes: over a minute in release"]
fn ch06_rumor_mongering_c2() {
    let name = "ch06-gossip.md";
    let text = chapter(name);
    let (args, end) = sweep_command(&text, find(&text, "## Rumor mongering", name));
    let json = run_json(&args);
    let (header, book) = table(&text, end);
    let mut check = Check::new(name);
    assert_eq!(book.len(), rows(&json).len(), "{name}: C.2 rows");
    for cells in &book {
        let k = number(&cells[0]).expect("k").0;
        let r = row_with(&json, &[("params.k", k)]);
        let row = format!("k = {}", cells[0]);
        let c = "predicted residue";
        check.value(&row, c, &cells[column(&header, c)], predicted(r, "residue"));
        let c = "measured residue";
        check.mean_se(&row, c, &cells[column(&header, c)], r, "residue");
    }
    check.finish();
}

/// C.3's rows for the process counts `ns`: the book's sweep narrowed to them, and at a count
/// the command does not list, the seeds the chapter names for it ("and 100 seeds at
/// n = 10,000"). A difference is checked where both its rows are.
fn push_gossip(ns: &[u64]) {
    let name = "ch06-gossip.md";
    let text = chapter(name);
    let (args, end) = sweep_command(&text, find(&text, "## Push gossip", name));
    let listed = |n: u64| {
        args.iter().any(|a| {
            a.strip_prefix("processes=")
                .is_some_and(|v| v.split(',').any(|v| v == n.to_string()))
        })
    };
    let mut measured = Vec::new();
    for &n in ns {
        let args = if listed(n) {
            with_param(&args, "processes", &n.to_string())
        } else {
            let marker = format!("seeds at n = {}", cells_n(n));
            let at = find(&text[end..], &marker, name);
            let seeds = text[end..end + at].split_whitespace().last().unwrap();
            let args = with_option(&args, "--seeds", seeds);
            with_param(&args, "processes", &n.to_string())
        };
        let json = run_json(&args);
        measured.push((n, rows(&json)[0].clone()));
    }
    let (header, book) = table(&text, end);
    let mut check = Check::new(name);
    let col = |n: &str| column(&header, n);
    let mut previous: Option<f64> = None;
    for cells in &book {
        let n = number(&cells[0]).expect("n").0 as u64;
        let Some((_, r)) = measured.iter().find(|(m, _)| *m == n) else {
            previous = None;
            continue;
        };
        let row = format!("n = {}", cells[0]);
        check.mean_se(
            &row,
            "measured rounds",
            &cells[col("measured rounds")],
            r,
            "rounds",
        );
        let c = "log₂ n + ln n";
        check.value(&row, c, &cells[col(c)], predicted(r, "rounds"));
        let rounds = metric(r, "rounds").unwrap();
        if let Some(p) = previous {
            let c = "difference from the previous decade";
            check.value(&row, c, &cells[col(c)], Some(rounds - p));
        }
        previous = Some(rounds);
    }
    check.finish();
}

/// C.3 at n = 100: 1,000 runs.
#[test]
fn ch06_push_gossip_c3_n100() {
    push_gossip(&[100]);
}

/// The n = 1,000 and 10,000 rows, and the differences between decades.
#[test]
#[ignore = "1,000 runs of 1,000 processes (30 s of CPU in the dev profile) and 100 of 10,000 \
            (about 80 s in release)"]
fn ch06_push_gossip_c3() {
    push_gossip(&[100, 1000, 10000]);
}

/// Lazy probabilistic broadcast across α.
#[test]
fn ch06_lazy_probabilistic_broadcast() {
    let name = "ch06-gossip.md";
    let text = chapter(name);
    let (args, end) = sweep_command(&text, find(&text, "## Lazy probabilistic broadcast", name));
    let json = run_json(&args);
    let (header, book) = table(&text, end);
    let mut check = Check::new(name);
    assert_eq!(book.len(), rows(&json).len(), "{name}: lazy rows");
    for cells in &book {
        let alpha = number(&cells[0]).expect("α").0;
        let r = row_with(&json, &[("params.alpha", alpha)]);
        let row = format!("α = {}", cells[0]);
        let c = "runs where everyone gets all ten";
        check.mean_se(&row, c, &cells[column(&header, c)], r, "all_delivered");
        let c = "fraction of deliveries made";
        check.mean_se(&row, c, &cells[column(&header, c)], r, "delivered_fraction");
    }
    check.finish();
}

/// C.5: the sweep output the chapter prints verbatim, number by number, and the sentence on
/// the adversarial scenario (`worst` = `predicted` in every row, over the range it names).
#[test]
fn ch10_lundelius_lynch_c5() {
    let name = "ch10-clocks.md";
    let text = chapter(name);
    let (args, end) = sweep_command(&text, find(&text, "### Optimal precision (C.5)", name));
    let json = run_json(&args);
    let mut check = Check::new(name);
    let block = &text[end + find(&text[end..], "```text\n", name) + "```text\n".len()..];
    let block = &block[..block.find("```").unwrap()];
    let mut lines = block.lines();
    let title = lines.next().unwrap();
    let (scenario_name, summary) = title.rsplit_once(": ").unwrap();
    check.claim(
        json["scenario"] == scenario_name,
        format!(
            "the output names `{scenario_name}`, the sweep {}",
            json["scenario"]
        ),
    );
    let counts: Vec<&str> = summary.split_whitespace().collect();
    check.value("(title)", "runs", counts[0], json["runs"].as_f64());
    check.value(
        "(title)",
        "violations",
        counts[2],
        json["violations"].as_f64(),
    );
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    let mut printed = 0;
    for line in lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        let params: Vec<(&str, f64)> = words
            .iter()
            .map_while(|w| w.split_once('='))
            .map(|(k, v)| (k, v.parse().unwrap()))
            .collect();
        let r = row_with(&json, &params);
        let row = words[..params.len()].join(" ");
        let mut values = words[params.len()..].iter();
        let mut last_metric = "";
        for &c in &header[1..] {
            let cell = *values.next().unwrap_or(&"(missing)");
            match c {
                "runs" | "violations" => check.value(&row, c, cell, r[c].as_f64()),
                "worst" => {
                    let worst = metric(r, &format!("{last_metric}_worst"));
                    check.value(&row, c, cell, worst);
                }
                "predicted" => check.value(&row, c, cell, predicted(r, last_metric)),
                _ => {
                    last_metric = c;
                    check.value(&row, c, cell, metric(r, c));
                    if values.clone().next() == Some(&"±") {
                        values.next();
                        let se = *values.next().unwrap();
                        check.value(&row, &format!("{c}_se"), se, metric(r, &format!("{c}_se")));
                    }
                }
            }
        }
        printed += 1;
    }
    assert_eq!(printed, rows(&json).len(), "{name}: C.5 rows");

    // "The same sweep of `lundelius-lynch-adversarial.toml` (3 seeds suffice: ...) gives
    // `worst` = `predicted` in all twelve rows, 0.5 to 90".
    let sentence = &text[find(&text, "The same sweep of `", name)..];
    let file = sentence["The same sweep of `".len()..]
        .split('`')
        .next()
        .unwrap();
    let seeds = sentence[sentence.find('(').unwrap() + 1..]
        .split_whitespace()
        .next()
        .unwrap();
    let dir = Path::new(&args[1]).parent().unwrap();
    let mut adversarial = args.clone();
    adversarial[1] = dir.join(file).display().to_string();
    let adversarial = with_option(&adversarial, "--seeds", seeds);
    let json = run_json(&adversarial);
    let range = &sentence[sentence.find("rows, ").unwrap() + "rows, ".len()..];
    let range = &range[..range.find(':').unwrap()];
    let (low, high) = range.split_once(" to ").unwrap();
    let bounds: Vec<f64> = rows(&json)
        .iter()
        .map(|r| predicted(r, "skew_max").unwrap())
        .collect();
    for r in rows(&json) {
        let (worst, bound) = (metric(r, "skew_max_worst"), predicted(r, "skew_max"));
        check.claim(
            matches!((worst, bound), (Some(w), Some(b)) if same(w, b)),
            format!(
                "{file}, row {}: worst {worst:?} is not predicted {bound:?}",
                r["params"]
            ),
        );
    }
    check.claim(
        rows(&json).len() == printed,
        format!(
            "{file}: {} rows, not the same sweep's {printed}",
            rows(&json).len()
        ),
    );
    let min = bounds.iter().copied().fold(f64::INFINITY, f64::min);
    let max = bounds.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    check.value(file, "lowest predicted", low, Some(min));
    check.value(file, "highest predicted", high, Some(max));
    check.finish();
}

/// Welch-Lynch's precision table (worst skew over the seeds, the older figure 2u + 4ρP from the
/// scenario's u and P, the derived target) and the warm-up sentence after it.
#[test]
fn ch10_welch_lynch_precision() {
    let name = "ch10-clocks.md";
    let text = chapter(name);
    let from = find(
        &text,
        "**Welch-Lynch's precision, derived for the code.**",
        name,
    );
    let (args, end) = sweep_command(&text, from);
    let s = scenario(&args);
    let u = toml_f64(&s, "model.delay.max") - toml_f64(&s, "model.delay.min");
    let period = toml_f64(&s, "params.period");
    let json = run_json(&args);
    let (header, book) = table(&text, end);
    let mut check = Check::new(name);
    assert_eq!(book.len(), rows(&json).len(), "{name}: Welch-Lynch rows");
    let col = |n: &str| column(&header, n);
    let row_for = |rho: f64, lies: &str| {
        rows(&json).iter().find(|r| {
            (param(r, "model.clocks.drift") - rho).abs() < 1e-12
                && r["params"]["params.lies"] == lies
        })
    };
    for cells in &book {
        let rho = number(&cells[col("ρ")]).expect("ρ").0;
        let liar = &cells[col("liar")];
        let lies = if liar.starts_with("within") {
            "within"
        } else {
            "far"
        };
        let r =
            row_for(rho, lies).unwrap_or_else(|| panic!("{name}: no row for ρ = {rho}, {liar}"));
        let row = format!("ρ = {rho}, {liar}");
        let c = "worst skew";
        check.value(&row, c, &cells[col(c)], metric(r, "skew_max_worst"));
        let c = "2u + 4ρP";
        check.value(&row, c, &cells[col(c)], Some(2.0 * u + 4.0 * rho * period));
        let c = "γ + β₀/2^w";
        check.value(&row, c, &cells[col(c)], predicted(r, "skew_max"));
    }
    // "The liar inside the trimming window does no more harm than the far one".
    for far in rows(&json)
        .iter()
        .filter(|r| r["params"]["params.lies"] == "far")
    {
        let rho = param(far, "model.clocks.drift");
        let worst = |r: Option<&Value>| r.and_then(|r| metric(r, "skew_max_worst"));
        let (w, f) = (worst(row_for(rho, "within")), worst(Some(far)));
        check.claim(
            matches!((w, f), (Some(w), Some(f)) if w <= f),
            format!("ρ = {rho}: the liar within the window ({w:?}) does more harm than the far one ({f:?})"),
        );
    }

    // "With a warm-up of 8 rounds, ..., the worst measured over the same seeds drops to X at
    // ρ = R."
    let after = &text[end..];
    let sentence = &after[find(after, "With a warm-up of ", name) + "With a warm-up of ".len()..];
    let warmup = sentence.split_whitespace().next().unwrap();
    let drop = &sentence[sentence.find("drops to ").unwrap() + "drops to ".len()..];
    let worst = drop.split_whitespace().next().unwrap();
    let rho = drop[drop.find("ρ = ").unwrap() + "ρ = ".len()..]
        .split(|c: char| c.is_whitespace() || c == ',')
        .next()
        .unwrap()
        .trim_end_matches('.');
    let args = with_param(&args, "model.clocks.drift", rho);
    let json = run_json(&with_param(&args, "params.warmup", warmup));
    let measured = rows(&json)
        .iter()
        .map(|r| metric(r, "skew_max_worst").unwrap())
        .fold(f64::NEG_INFINITY, f64::max);
    check.value(
        &format!("warm-up {warmup}, ρ = {rho}"),
        "worst",
        worst,
        Some(measured),
    );
    check.finish();
}
