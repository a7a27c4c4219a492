//! `ioa sweep`: many seeds on all cores, optionally across values of one parameter.
//!
//! A `--param KEY=V1,V2,...` sets any scenario key (`params.period`, `model.delay.max`,
//! `model.links.loss`, `processes`, ...) to each value in turn; several `--param`s sweep their
//! product (the first varies slowest). Each row runs the same seeds.
//! Metrics are means over a row's runs, each with its standard error (`<name>_se`); the
//! monitors' measurements also with their largest value over the runs (`<name>_worst`), which
//! is what a bound is about: the table prints it next to the prediction.

use crate::error::InputError;
use crate::load::load_str;
use crate::report::RunVerdict;
use automata::monitor::Verdict;
use automata::sim::par_seeds;
use serde::Serialize;
use std::collections::BTreeMap;

/// One row of a sweep: one parameter value, all seeds.
#[derive(Debug, Serialize)]
pub struct Row {
    pub params: BTreeMap<String, String>,
    pub runs: usize,
    pub violations: usize,
    pub inconclusive: usize,
    /// Per property: in how many runs it was violated.
    pub violated: BTreeMap<String, usize>,
    pub metrics: BTreeMap<String, f64>,
    /// What theory predicts for some metrics at this row's parameters (same names).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub predicted: BTreeMap<String, f64>,
}

/// `ioa sweep --json`.
#[derive(Debug, Serialize)]
pub struct SweepJson {
    pub scenario: String,
    pub runs: usize,
    pub violations: usize,
    pub rows: Vec<Row>,
}

/// Sets `key` (dotted) in the TOML text `src` to `value` (parsed as TOML, else a string).
pub fn with_param(file: &str, src: &str, key: &str, value: &str) -> Result<String, InputError> {
    let mut doc: toml::Table =
        toml::from_str(src).map_err(|e| InputError::new(file, e.message().to_string()))?;
    let parsed: toml::Value = toml::from_str::<toml::Table>(&format!("v = {value}"))
        .ok()
        .and_then(|t| t.get("v").cloned())
        .unwrap_or_else(|| toml::Value::String(value.to_string()));
    let parts: Vec<&str> = key.split('.').collect();
    let (last, path) = parts
        .split_last()
        .ok_or_else(|| InputError::new(file, "--param needs KEY=V1,V2,..."))?;
    let mut table = &mut doc;
    for part in path {
        let entry = table
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        table = entry.as_table_mut().ok_or_else(|| {
            InputError::new(file, format!("--param {key}: `{part}` is not a table"))
        })?;
    }
    table.insert(last.to_string(), parsed);
    toml::to_string(&doc).map_err(|e| InputError::new(file, format!("--param {key}: {e}")))
}

/// A per-run figure a sweep averages.
type Metric = fn(&automata::sim::Outcome) -> f64;

fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    if xs.is_empty() {
        return (0.0, 0.0);
    }
    let mean = xs.iter().sum::<f64>() / n;
    let var = if xs.len() > 1 {
        xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, (var / n).sqrt())
}

/// Every combination of the axes' values, the first axis varying slowest.
fn product(axes: &[(&str, Vec<String>)]) -> Vec<Vec<(String, String)>> {
    let mut rows = vec![Vec::new()];
    for (key, values) in axes {
        rows = rows
            .into_iter()
            .flat_map(|row: Vec<(String, String)>| {
                values.iter().map(move |v| {
                    let mut r = row.clone();
                    r.push((key.to_string(), v.clone()));
                    r
                })
            })
            .collect();
    }
    rows
}

/// Runs `seeds` seeds of `src` for each combination of the `axes`' values on `threads` threads.
pub fn sweep(
    file: &str,
    src: &str,
    seeds: u64,
    axes: &[(&str, Vec<String>)],
    threads: usize,
    progress: bool,
) -> Result<SweepJson, InputError> {
    let values = product(axes);
    let bar = progress.then(|| {
        let bar = indicatif::ProgressBar::new(seeds * values.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} runs, {per_sec}, eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut rows = Vec::new();
    let mut name = String::new();
    for value in values {
        let mut text = src.to_string();
        for (k, v) in &value {
            text = with_param(file, &text, k, v)?;
        }
        let (l, job) = load_str(file, &text)?;
        name = l.scenario.name.clone();
        let seed_list: Vec<u64> = (0..seeds).map(|i| l.scenario.seed + i).collect();
        let outcomes = par_seeds(&seed_list, threads, |seed| {
            let o = job.simulate(seed, false);
            if let Some(b) = &bar {
                b.inc(1);
            }
            o
        });
        if let Some(why) = outcomes.iter().find_map(|o| o.cut_short.as_ref()) {
            return Err(InputError::new(file, why));
        }
        let mut violated = BTreeMap::new();
        let (mut violations, mut inconclusive) = (0, 0);
        for o in &outcomes {
            match RunVerdict::of(&o.properties) {
                RunVerdict::Violation => violations += 1,
                RunVerdict::Inconclusive => inconclusive += 1,
                RunVerdict::Hold => {}
            }
            for p in &o.properties {
                if matches!(p.verdict, Verdict::Violation(_)) {
                    *violated.entry(p.name.clone()).or_insert(0) += 1;
                }
            }
        }
        let mut metrics = BTreeMap::new();
        // The monitors' own measurements: averaged over the runs that report each one.
        let names: std::collections::BTreeSet<&String> =
            outcomes.iter().flat_map(|o| o.metrics.keys()).collect();
        for metric in names {
            let xs: Vec<f64> = outcomes
                .iter()
                .filter_map(|o| o.metrics.get(metric).copied())
                .collect();
            let (m, se) = mean_se(&xs);
            metrics.insert(metric.clone(), m);
            metrics.insert(format!("{metric}_se"), se);
            let worst = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            metrics.insert(format!("{metric}_worst"), worst);
        }
        let series: [(&str, Metric); 3] = [
            ("messages", |o| o.stats.messages_sent as f64),
            ("delivered", |o| o.stats.messages_delivered as f64),
            ("violation_rate", |o| {
                f64::from(u8::from(
                    RunVerdict::of(&o.properties) == RunVerdict::Violation,
                ))
            }),
        ];
        for (metric, f) in series {
            let xs: Vec<f64> = outcomes.iter().map(&f).collect();
            let (m, se) = mean_se(&xs);
            metrics.insert(metric.to_string(), m);
            metrics.insert(format!("{metric}_se"), se);
        }
        rows.push(Row {
            params: value.into_iter().collect(),
            runs: outcomes.len(),
            violations,
            inconclusive,
            violated,
            metrics,
            predicted: job.predicted(),
        });
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(SweepJson {
        scenario: name,
        runs: rows.iter().map(|r| r.runs).sum(),
        violations: rows.iter().map(|r| r.violations).sum(),
        rows,
    })
}

/// Figures every run has; the table shows them only when no monitor measured anything.
const BASIC: [&str; 3] = ["messages", "delivered", "violation_rate"];

impl SweepJson {
    /// The metric columns of the table: the monitors' measurements when there are any, else
    /// messages and deliveries.
    fn columns(&self) -> Vec<&str> {
        let mut measured: Vec<&str> = self
            .rows
            .iter()
            .flat_map(|r| r.metrics.keys())
            .map(String::as_str)
            .filter(|k| !k.ends_with("_se") && !k.ends_with("_worst") && !BASIC.contains(k))
            .collect();
        measured.sort_unstable();
        measured.dedup();
        if measured.is_empty() {
            vec!["messages", "delivered"]
        } else {
            measured
        }
    }

    /// The figure `--plot` draws by default: the first one monitors measured, else the
    /// violation rate.
    pub fn default_metric(&self) -> String {
        self.columns()
            .into_iter()
            .find(|c| !BASIC.contains(c) && self.rows.iter().any(|r| r.metrics.contains_key(*c)))
            .unwrap_or("violation_rate")
            .to_string()
    }

    /// The table for people: each metric as mean ± standard error, and where theory predicts
    /// it, its worst value over the runs next to the prediction.
    pub fn text(&self) -> String {
        let mut out = format!(
            "{}: {} runs, {} with a violation\n",
            self.scenario, self.runs, self.violations
        );
        let columns = self.columns();
        let predicted: Vec<bool> = columns
            .iter()
            .map(|c| self.rows.iter().any(|r| r.predicted.contains_key(*c)))
            .collect();
        let label = |r: &Row| {
            let params: Vec<String> = r.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            if params.is_empty() {
                "(scenario)".to_string()
            } else {
                params.join(" ")
            }
        };
        let w = self
            .rows
            .iter()
            .map(|r| label(r).len())
            .max()
            .unwrap_or(0)
            .max(10);
        let mut header = format!("{:<w$} {:>6} {:>10}", "params", "runs", "violations");
        for (c, p) in columns.iter().zip(&predicted) {
            header.push_str(&format!(" {c:>20}"));
            if *p {
                header.push_str(&format!(" {:>12} {:>12}", "worst", "predicted"));
            }
        }
        out.push_str(&header);
        out.push_str("  violated properties\n");
        for r in &self.rows {
            let mut line = format!("{:<w$} {:>6} {:>10}", label(r), r.runs, r.violations);
            for (c, p) in columns.iter().zip(&predicted) {
                let cell = match (r.metrics.get(*c), r.metrics.get(&format!("{c}_se"))) {
                    (Some(m), Some(se)) if *se > 1e-9 => format!("{} ± {}", fmt(*m), fmt(*se)),
                    (Some(m), _) => fmt(*m),
                    (None, _) => "-".to_string(),
                };
                line.push_str(&format!(" {cell:>20}"));
                if *p {
                    let show = |x: Option<&f64>| x.map_or("-".to_string(), |x| fmt(*x));
                    let worst = show(r.metrics.get(&format!("{c}_worst")));
                    let predicted = show(r.predicted.get(*c));
                    line.push_str(&format!(" {worst:>12} {predicted:>12}"));
                }
            }
            let violated: Vec<String> = r
                .violated
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            out.push_str(&format!("{line}  {}\n", violated.join(", ")));
        }
        out
    }
}

/// A figure with about four significant digits.
fn fmt(x: f64) -> String {
    // Floating-point noise (79.99999999999999) is not a digit worth showing.
    let x = if (x - x.round()).abs() < 1e-9 {
        x.round()
    } else {
        x
    };
    if x == x.trunc() && x.abs() < 1e9 {
        format!("{x:.0}")
    } else if x.abs() >= 100.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.4}")
    }
}
