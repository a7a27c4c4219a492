//! The numbers chapter 7 prints from `ioa sweep` are the sweeps' numbers, and the measured
//! costs are the formulas (C.15), the measured stale-read rates the exact probability of two
//! random quorums missing each other, within four standard errors, and below e^{−ℓ²} (C.16).
//! Each test reads a table and the command above it from the chapter, reruns the command with
//! `--json` and compares every cell at its printed precision (as `book_numbers.rs` does for
//! the other chapters).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const CHAPTER: &str = "ch07-shared-memory.md";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn chapter() -> String {
    std::fs::read_to_string(root().join("book/src").join(CHAPTER)).unwrap()
}

/// The arguments of the first `ioa sweep` command of a shell or console block after `marker`
/// (continuation lines joined; a console block's output after it ignored), and where the
/// command ends.
fn sweep_after(text: &str, marker: &str) -> (Vec<String>, usize) {
    let from = text
        .find(marker)
        .unwrap_or_else(|| panic!("`{marker}` is not in {CHAPTER}"));
    let at = from
        + ["\nioa sweep", "\n$ ioa sweep"]
            .iter()
            .filter_map(|p| {
                text[from..]
                    .find(p)
                    .map(|i| i + p.len() - "ioa sweep".len())
            })
            .min()
            .expect("an `ioa sweep` command in a block");
    let body = &text[at + "ioa ".len()..];
    let mut end = 0;
    for line in body.split_inclusive('\n') {
        end += line.len();
        if !line.trim_end().ends_with('\\') {
            break;
        }
    }
    let args = body[..end]
        .split_whitespace()
        .filter(|w| *w != "\\")
        .map(str::to_string)
        .collect();
    (args, at + "ioa ".len() + end)
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
        "ioa {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("sweep --json prints JSON")
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
    (header, lines.skip(1).map(cells).collect())
}

/// A printed number (the last one in the cell: `2N = 6` is 6) and its decimals; `None` for
/// `–`.
fn number(cell: &str) -> Option<(f64, usize)> {
    let s = cell.rsplit("= ").next()?.trim().replace(',', "");
    let x = s.parse().ok()?;
    Some((x, s.split_once('.').map_or(0, |(_, d)| d.len())))
}

/// Whether `printed` is `value` at the printed precision (`–` for no value).
fn agrees(printed: &str, value: Option<f64>) -> bool {
    match (number(printed), value) {
        (None, None) => printed == "–",
        (Some((x, d)), Some(v)) => (x - v).abs() <= 0.5 * 10f64.powi(-(d as i32)) + 1e-9,
        _ => false,
    }
}

fn get(row: &Value, group: &str, name: &str) -> Option<f64> {
    row[group][name].as_f64()
}

/// Mismatches, reported together.
#[derive(Default)]
struct Check(Vec<String>);

impl Check {
    fn cell(&mut self, row: &str, column: &str, printed: &str, value: Option<f64>) {
        if !agrees(printed, value) {
            self.0.push(format!(
                "{CHAPTER}, row {row}, {column}: the book prints {printed}, the sweep gives {value:?}"
            ));
        }
    }

    fn claim(&mut self, holds: bool, what: String) {
        if !holds {
            self.0.push(format!("{CHAPTER}: {what}"));
        }
    }

    fn finish(self) {
        assert!(self.0.is_empty(), "{}", self.0.join("\n"));
    }
}

/// A C.15 table: each metric column is followed by its formula's column; the measure must be
/// the book's number, the formula the catalogue's prediction, and the two equal.
fn c15(marker: &str, first: &str, param: &str) {
    let text = chapter();
    let (args, end) = sweep_after(&text, marker);
    let json = run_json(&args);
    let rows = json["rows"].as_array().expect("rows");
    let (header, book) = table(&text, end);
    assert_eq!(header[0], first);
    assert_eq!(book.len(), rows.len(), "{marker}: rows");
    let mut check = Check::default();
    let metrics = [
        ("read latency", "read_latency"),
        ("read messages", "read_messages"),
        ("write latency", "write_latency"),
        ("write messages", "write_messages"),
    ];
    for (cells, r) in book.iter().zip(rows) {
        let row = cells[0].trim_matches('`').to_string();
        check.claim(
            r["params"][param].as_str() == Some(row.as_str()),
            format!("row {row}: the sweep's row is {}", r["params"]),
        );
        for (name, metric) in metrics {
            let c = header.iter().position(|h| h == name).expect(name);
            let (measured, predicted) = (get(r, "metrics", metric), get(r, "predicted", metric));
            check.cell(&row, name, &cells[c], measured);
            check.cell(&row, &header[c + 1], &cells[c + 1], predicted);
            if let Some(p) = predicted {
                check.claim(
                    measured == Some(p),
                    format!("row {row}, {name}: measured {measured:?}, the formula gives {p}"),
                );
            }
        }
    }
    check.finish();
}

#[test]
fn c15_abd_costs_as_n_grows() {
    c15("**Measured ([C.15]", "N", "processes");
}

#[test]
fn c15_every_register() {
    c15("Every register of the chapter", "algorithm", "algorithm");
}

/// C.16: the stale-read rate against C(N − q, q) / C(N, q) and e^{−ℓ²}.
#[test]
fn c16_random_quorums_miss_as_predicted() {
    let text = chapter();
    let (args, end) = sweep_after(&text, "**Measured ([C.16]");
    let scenario: toml::Table =
        toml::from_str(&std::fs::read_to_string(root().join(&args[1])).unwrap()).unwrap();
    let n = scenario["processes"].as_integer().unwrap() as f64;
    let json = run_json(&args);
    let rows = json["rows"].as_array().expect("rows");
    let (header, book) = table(&text, end);
    assert_eq!(book.len(), rows.len(), "C.16 rows");
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let mut check = Check::default();
    for (cells, r) in book.iter().zip(rows) {
        let row = format!("ℓ = {}", cells[0]);
        let ell: f64 = r["params"]["params.ell"].as_str().unwrap().parse().unwrap();
        check.cell(&row, "ℓ", &cells[col("ℓ")], Some(ell));
        check.cell(&row, "q", &cells[col("q")], Some((ell * n.sqrt()).ceil()));
        let (mean, se) = cells[col("stale reads")]
            .split_once(" ± ")
            .expect("mean ± se");
        let (m, s) = (
            get(r, "metrics", "stale_reads"),
            get(r, "metrics", "stale_reads_se"),
        );
        check.cell(&row, "stale reads", mean, m);
        check.cell(&row, "stale reads (standard error)", se, s);
        let exact = get(r, "predicted", "stale_reads");
        check.cell(
            &row,
            "C(N − q, q) / C(N, q)",
            &cells[col("C(N − q, q) / C(N, q)")],
            exact,
        );
        let bound = (-ell * ell).exp();
        check.cell(&row, "e^{−ℓ²}", &cells[col("e^{−ℓ²}")], Some(bound));
        let (m, s, p) = (m.unwrap(), s.unwrap(), exact.unwrap());
        check.claim(
            (m - p).abs() <= 4.0 * s,
            format!("{row}: measured {m} ± {s}, exact {p}"),
        );
        check.claim(
            p <= bound,
            format!("{row}: exact {p} above the bound {bound}"),
        );
    }
    check.finish();
}
