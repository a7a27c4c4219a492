//! `ioa sweep`: many seeds on all cores, optionally across values of one parameter.
//!
//! A `--param KEY=V1,V2,...` sets any scenario key (`params.period`, `model.delay.max`,
//! `model.links.loss`, `processes`, ...) to each value in turn; several `--param`s sweep their
//! product (the first varies slowest). Each row runs the same seeds.
//! Metrics are means over a row's runs, each with its standard error (`<name>_se`); the
//! monitors' measurements also with their largest value over the runs (`<name>_worst`), which
//! is what a bound is about: the table prints it next to the prediction.
//!
//! `--shard I/N` runs one slice of the runs and prints its [`ShardJson`]: every run's
//! [`Sample`]. [`merge`] puts N slices back together into the report the whole sweep gives,
//! bit for bit (samples in seed order, aggregated by the same code), so a sweep can be spread
//! over a cluster's jobs.

use crate::error::InputError;
use crate::load::load_str;
use crate::report::RunVerdict;
use automata::monitor::Verdict;
use automata::sim::par_seeds;
use serde::{Deserialize, Serialize};
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
type Metric = fn(&Sample) -> f64;

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

/// What one run leaves for a sweep's figures: enough to aggregate it again after shards
/// are merged, in the same order, to the same bits.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Sample {
    pub seed: u64,
    pub verdict: RunVerdict,
    /// The properties the run violated.
    pub violated: Vec<String>,
    /// The monitors' measurements.
    pub metrics: BTreeMap<String, f64>,
    pub messages: u64,
    pub delivered: u64,
}

impl Sample {
    fn of(seed: u64, o: &automata::sim::Outcome) -> Self {
        Sample {
            seed,
            verdict: RunVerdict::of(&o.properties),
            violated: o
                .properties
                .iter()
                .filter(|p| matches!(p.verdict, Verdict::Violation(_)))
                .map(|p| p.name.clone())
                .collect(),
            metrics: o.metrics.clone(),
            messages: o.stats.messages_sent,
            delivered: o.stats.messages_delivered,
        }
    }
}

/// The I-th of N slices of a sweep (`--shard I/N`, 1 ≤ I ≤ N): of the runs (parameter row,
/// seed), numbered row by row, it takes those whose number is I − 1 modulo N.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("--shard {s}: write I/N with 1 ≤ I ≤ N, e.g. --shard 2/8");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            i.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// One parameter row of a shard: its samples, in seed order.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShardRow {
    pub params: BTreeMap<String, String>,
    pub predicted: BTreeMap<String, f64>,
    pub samples: Vec<Sample>,
}

/// `ioa sweep --shard I/N`: what `ioa merge` combines into the unsharded sweep's report.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShardJson {
    pub scenario: String,
    pub shard: Shard,
    pub seeds: u64,
    /// The swept keys, in `--param` order (the first is a plot's x axis).
    pub axes: Vec<String>,
    pub rows: Vec<ShardRow>,
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
    let all = Shard { index: 1, count: 1 };
    let samples = sweep_shard(file, src, seeds, axes, threads, progress, all)?;
    merge(vec![samples]).map_err(|e| InputError::new(file, e))
}

/// The runs of `shard` of a sweep, each reduced to its [`Sample`].
pub fn sweep_shard(
    file: &str,
    src: &str,
    seeds: u64,
    axes: &[(&str, Vec<String>)],
    threads: usize,
    progress: bool,
    shard: Shard,
) -> Result<ShardJson, InputError> {
    let values = product(axes);
    let mine = |row: usize, i: u64| (row as u64 * seeds + i) % shard.count == shard.index - 1;
    let total = (0..values.len())
        .flat_map(|r| (0..seeds).map(move |i| (r, i)))
        .filter(|&(r, i)| mine(r, i))
        .count();
    let bar = progress.then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
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
    for (r, value) in values.into_iter().enumerate() {
        let mut text = src.to_string();
        for (k, v) in &value {
            text = with_param(file, &text, k, v)?;
        }
        let (l, job) = load_str(file, &text)?;
        name = l.scenario.name.clone();
        let seed_list: Vec<u64> = (0..seeds)
            .filter(|&i| mine(r, i))
            .map(|i| l.scenario.seed + i)
            .collect();
        let predicted = job.predicted();
        // A run shares nothing with the runs on other threads: each worker takes a job of its
        // own from `spare` (loading one when none is free), so the job's reference-counted data
        // (the workload's payload strings, the monitors until first written) is not cloned and
        // dropped by several cores at once. Shared, its counters' cache lines bounced between
        // the cores on every send and delivery, and two threads spent more CPU time than one.
        let spare = std::sync::Mutex::new(vec![job]);
        let outcomes = par_seeds(&seed_list, threads, |seed| {
            let free = spare.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let mine = free.unwrap_or_else(|| {
                load_str(file, &text)
                    .expect("the scenario loaded once already")
                    .1
            });
            let o = mine.simulate(seed, false);
            spare.lock().unwrap_or_else(|e| e.into_inner()).push(mine);
            if let Some(b) = &bar {
                b.inc(1);
            }
            o
        });
        if let Some(why) = outcomes.iter().find_map(|o| o.cut_short.as_ref()) {
            return Err(InputError::new(file, why));
        }
        rows.push(ShardRow {
            params: value.into_iter().collect(),
            predicted,
            samples: seed_list
                .iter()
                .zip(&outcomes)
                .map(|(&seed, o)| Sample::of(seed, o))
                .collect(),
        });
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(ShardJson {
        scenario: name,
        shard,
        seeds,
        axes: axes.iter().map(|(k, _)| k.to_string()).collect(),
        rows,
    })
}

/// Combines the N shards of one sweep (in any order) into the report the unsharded sweep
/// gives, bit for bit: every run's sample, in seed order, aggregated as one sweep does. Refuses
/// shards of different sweeps, a shard twice, or a missing one.
pub fn merge(mut shards: Vec<ShardJson>) -> Result<SweepJson, String> {
    let first = shards.first().ok_or("no shard to merge")?;
    let (count, seeds) = (first.shard.count, first.seeds);
    let grid: Vec<BTreeMap<String, String>> = first.rows.iter().map(|r| r.params.clone()).collect();
    let (scenario, axes) = (first.scenario.clone(), first.axes.clone());
    let mut seen = std::collections::BTreeSet::new();
    for s in &shards {
        let grid_s: Vec<&BTreeMap<String, String>> = s.rows.iter().map(|r| &r.params).collect();
        if s.scenario != scenario
            || s.seeds != seeds
            || s.axes != axes
            || s.shard.count != count
            || grid_s != grid.iter().collect::<Vec<_>>()
        {
            return Err(format!(
                "shard {}/{} is not a slice of the same sweep as shard {}/{} (scenario, seeds, --param or shard count differ)",
                s.shard.index, s.shard.count, first.shard.index, count
            ));
        }
        if !seen.insert(s.shard.index) {
            return Err(format!("shard {}/{count} is given twice", s.shard.index));
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|i| !seen.contains(i))
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(format!("missing shards: {}", missing.join(", ")));
    }
    let mut rows = Vec::new();
    for (r, params) in grid.into_iter().enumerate() {
        let mut samples: Vec<Sample> = shards
            .iter_mut()
            .flat_map(|s| std::mem::take(&mut s.rows[r].samples))
            .collect();
        samples.sort_by_key(|s| s.seed);
        let predicted = std::mem::take(&mut shards[0].rows[r].predicted);
        rows.push(row(params, &samples, predicted));
    }
    Ok(SweepJson {
        scenario,
        runs: rows.iter().map(|r| r.runs).sum(),
        violations: rows.iter().map(|r| r.violations).sum(),
        rows,
    })
}

/// One row of the report from its runs' samples.
fn row(
    params: BTreeMap<String, String>,
    samples: &[Sample],
    predicted: BTreeMap<String, f64>,
) -> Row {
    let mut violated = BTreeMap::new();
    let (mut violations, mut inconclusive) = (0, 0);
    for s in samples {
        match s.verdict {
            RunVerdict::Violation => violations += 1,
            RunVerdict::Inconclusive => inconclusive += 1,
            RunVerdict::Hold => {}
        }
        for p in &s.violated {
            *violated.entry(p.clone()).or_insert(0) += 1;
        }
    }
    let mut metrics = BTreeMap::new();
    // The monitors' own measurements: averaged over the runs that report each one.
    let names: std::collections::BTreeSet<&String> =
        samples.iter().flat_map(|s| s.metrics.keys()).collect();
    for metric in names {
        let xs: Vec<f64> = samples
            .iter()
            .filter_map(|s| s.metrics.get(metric).copied())
            .collect();
        let (m, se) = mean_se(&xs);
        metrics.insert(metric.clone(), m);
        metrics.insert(format!("{metric}_se"), se);
        let worst = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        metrics.insert(format!("{metric}_worst"), worst);
    }
    let series: [(&str, Metric); 3] = [
        ("messages", |s| s.messages as f64),
        ("delivered", |s| s.delivered as f64),
        ("violation_rate", |s| {
            f64::from(u8::from(s.verdict == RunVerdict::Violation))
        }),
    ];
    for (metric, f) in series {
        let xs: Vec<f64> = samples.iter().map(f).collect();
        let (m, se) = mean_se(&xs);
        metrics.insert(metric.to_string(), m);
        metrics.insert(format!("{metric}_se"), se);
    }
    Row {
        params,
        runs: samples.len(),
        violations,
        inconclusive,
        violated,
        metrics,
        predicted,
    }
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
            "{}: {} runs, {} with a violation",
            self.scenario, self.runs, self.violations
        );
        // A run no monitor could judge is not a run that held: say so where there are any.
        let inconclusive: usize = self.rows.iter().map(|r| r.inconclusive).sum();
        if inconclusive > 0 {
            out.push_str(&format!(", {inconclusive} inconclusive"));
        }
        out.push('\n');
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
            let mut violated: Vec<String> = r
                .violated
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            if r.inconclusive > 0 {
                violated.push(format!("inconclusive runs: {}", r.inconclusive));
            }
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
