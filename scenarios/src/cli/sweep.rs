//! `ioa sweep`: the command line of a sweep (its `--param` axes, seeds and threads); the sweep
//! itself is [`crate::sweep`], its figure [`crate::plot`].

use crate::error::InputError;
use std::path::Path;

pub(super) fn sweep(
    path: &Path,
    seeds: u64,
    param: &[String],
    threads: Option<usize>,
    json: bool,
    plot: Option<&Path>,
    metric: Option<&str>,
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
    let progress = !json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    if plot.is_some() && axes.is_empty() {
        return Err(InputError::new(
            &file,
            "--plot draws a figure against a parameter: give at least one --param KEY=V1,V2,...",
        ));
    }
    let report = crate::sweep::sweep(&file, &src, seeds, &axes, threads, progress)?;
    if let Some(out) = plot {
        let metric = metric
            .map(str::to_string)
            .unwrap_or_else(|| report.default_metric());
        crate::plot::plot(&report, axes[0].0, &metric, out)?;
        eprintln!("wrote {} ({metric} against {})", out.display(), axes[0].0);
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("reports serialize")
        );
    } else {
        print!("{}", report.text());
    }
    Ok(true)
}
