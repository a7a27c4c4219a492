//! `ioa sweep` and `ioa merge`: the command line of a sweep (its `--param` axes, seeds,
//! threads, shard) and of merging shards; the sweep itself is [`crate::sweep`], its figure
//! [`crate::plot`].

use crate::error::InputError;
use crate::sweep::{Shard, ShardJson, SweepJson};
use std::path::{Path, PathBuf};

/// What to print: the table, `--json`, `--plot`, or a shard's JSON.
pub(super) struct Output<'a> {
    pub json: bool,
    pub plot: Option<&'a Path>,
    pub metric: Option<&'a str>,
    pub shard: Option<Shard>,
}

pub(super) fn sweep(
    path: &Path,
    seeds: u64,
    param: &[String],
    threads: Option<usize>,
    out: Output,
) -> Result<bool, InputError> {
    let file = path.display().to_string();
    let src = std::fs::read_to_string(path)
        .map_err(|e| InputError::new(&file, format!("cannot read the scenario: {e}")))?;
    let mut axes = Vec::new();
    for p in param {
        let (key, values) = p.split_once('=').ok_or_else(|| {
            InputError::new(
                &file,
                format!("--param {p}: write KEY=V1,V2,... (e.g. params.period=5,10)"),
            )
        })?;
        axes.push((
            key,
            values
                .split(',')
                .map(|v| v.trim().to_string())
                .collect::<Vec<_>>(),
        ));
    }
    if seeds == 0 {
        return Err(InputError::new(&file, "--seeds must be at least 1"));
    }
    let threads = threads.unwrap_or_else(automata::sim::default_threads);
    let progress = !out.json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    if out.plot.is_some() && axes.is_empty() {
        return Err(InputError::new(
            &file,
            "--plot draws a figure against a parameter: give at least one --param KEY=V1,V2,...",
        ));
    }
    if let Some(shard) = out.shard {
        if out.plot.is_some() {
            return Err(InputError::new(
                &file,
                "--shard prints one slice of the runs as JSON; draw the figure with `ioa merge --plot`",
            ));
        }
        let progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let slice = crate::sweep::sweep_shard(&file, &src, seeds, &axes, threads, progress, shard)?;
        println!(
            "{}",
            serde_json::to_string(&slice).expect("shards serialize")
        );
        return Ok(true);
    }
    let report = crate::sweep::sweep(&file, &src, seeds, &axes, threads, progress)?;
    let first = axes.first().map(|(k, _)| k.to_string());
    show(&report, first.as_deref(), &file, out)
}

/// `ioa merge FILES...`.
pub(super) fn merge(files: &[PathBuf], out: Output) -> Result<bool, InputError> {
    let mut shards = Vec::new();
    for path in files {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| InputError::new(&file, format!("cannot read the shard: {e}")))?;
        let shard: ShardJson = serde_json::from_str(&text).map_err(|e| {
            InputError::new(
                &file,
                format!("not the output of `ioa sweep --shard I/N`: {e}"),
            )
        })?;
        shards.push(shard);
    }
    let first = shards.first().and_then(|s| s.axes.first().cloned());
    let what = files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if out.plot.is_some() && first.is_none() {
        return Err(InputError::new(
            &what,
            "--plot draws a figure against a parameter, and these shards swept none",
        ));
    }
    let report = crate::sweep::merge(shards).map_err(|e| InputError::new(&what, e))?;
    show(&report, first.as_deref(), &what, out)
}

/// Prints the report as the options ask, drawing the figure against `axis`.
fn show(
    report: &SweepJson,
    axis: Option<&str>,
    file: &str,
    out: Output,
) -> Result<bool, InputError> {
    if let (Some(path), Some(axis)) = (out.plot, axis) {
        let metric = out
            .metric
            .map(str::to_string)
            .unwrap_or_else(|| report.default_metric());
        crate::plot::plot(report, axis, &metric, path)?;
        eprintln!("wrote {} ({metric} against {axis})", path.display());
    } else if out.plot.is_some() {
        return Err(InputError::new(file, "--plot needs a swept parameter"));
    }
    if out.json {
        println!(
            "{}",
            serde_json::to_string_pretty(report).expect("reports serialize")
        );
    } else {
        print!("{}", report.text());
    }
    Ok(true)
}
