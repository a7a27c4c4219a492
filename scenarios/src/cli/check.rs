//! `ioa check`: exhaustive model checking within a budget (depth, states, time, memory), with
//! progress on stderr and the counterexample drawn on request.

use super::draw::draw_counterexample;
use crate::error::InputError;
use crate::load::load;
use crate::report::CheckJson;
use automata::check::{Budget, ProgressFn, Search};
use std::path::Path;

/// `ioa check`'s flags.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    pub max_depth: Option<usize>,
    pub max_states: Option<usize>,
    pub max_seconds: Option<f64>,
    pub max_memory: Option<u64>,
    pub dfs: bool,
    pub threads: Option<usize>,
    pub json: bool,
    pub quiet: bool,
}

/// The default time budget of `ioa check`, in seconds.
pub const DEFAULT_MAX_SECONDS: f64 = 60.0;

/// The default memory ceiling: 8 GiB, or a third of the machine's memory if that is less.
pub fn default_max_memory() -> u64 {
    let total = std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| {
        m.lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map(|kib| kib * 1024)
    });
    let eight = 8 << 30;
    total.map_or(eight, |t| (t / 3).min(eight))
}

/// Parses a memory size: a number with an optional unit (B, KiB, MiB, GiB; K, M, G; KB, MB, GB
/// as powers of 1024 too); a bare number is MiB.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let x: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write e.g. 512MiB or 8GiB"))?;
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "" | "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("`{other}` is not a unit: use B, KiB, MiB or GiB")),
    };
    let bytes = x * scale as f64;
    if bytes < 1.0 {
        return Err(format!("`{text}`: the memory ceiling must be positive"));
    }
    Ok(bytes as u64)
}

pub(super) fn check(
    path: &Path,
    o: CheckOptions,
    diagram: &crate::diagram::Options,
) -> Result<bool, InputError> {
    let (l, job) = load(path)?;
    let s = &l.scenario;
    let file = path.display().to_string();
    if o.max_seconds.is_some_and(|t| !(t > 0.0 && t.is_finite())) {
        return Err(InputError::new(
            &file,
            "--max-seconds must be a positive number",
        ));
    }
    let budget = Budget {
        max_depth: o.max_depth.unwrap_or(s.explore.max_depth),
        max_states: o.max_states.or(s.explore.max_states),
        max_time: Some(std::time::Duration::from_secs_f64(
            o.max_seconds
                .or(s.explore.max_seconds)
                .unwrap_or(DEFAULT_MAX_SECONDS),
        )),
        max_memory: Some(o.max_memory.unwrap_or_else(default_max_memory)),
    };
    let search = if o.dfs { Search::Dfs } else { Search::Bfs };
    let threads = o.threads.unwrap_or_else(automata::sim::default_threads);
    let explored = with_progress(o.quiet, |progress| {
        job.explore(search, budget, threads, progress)
    });
    if let Some(out) = &diagram.diagram {
        if draw_counterexample(&l, job.as_ref(), &explored, diagram, out)? {
            eprintln!("wrote {}", out.display());
        } else {
            eprintln!("note: no counterexample to draw: no property was found violated");
        }
    }
    let report = CheckJson::new(
        &s.name,
        &s.algorithm,
        s.check.expect.clone(),
        budget.max_depth,
        explored,
    );
    if o.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("reports serialize")
        );
    } else {
        print!("{}", report.text());
    }
    Ok(report.matches_expectation)
}

/// Runs `work` with progress on stderr: a spinner on a terminal, a plain line every five
/// seconds otherwise (as cargo does), nothing when `quiet`.
fn with_progress<T>(
    quiet: bool,
    work: impl FnOnce(Option<(ProgressFn, std::time::Duration)>) -> T,
) -> T {
    use std::time::Duration;
    if quiet {
        return work(None);
    }
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let bar = std::sync::Arc::new(indicatif::ProgressBar::new_spinner());
        bar.set_message("exploring");
        let shown = bar.clone();
        let f: ProgressFn = std::sync::Arc::new(move |p: &automata::check::Progress| {
            shown.set_message(p.line());
            shown.tick();
        });
        let out = work(Some((f, Duration::from_millis(100))));
        bar.finish_and_clear();
        out
    } else {
        let f: ProgressFn = std::sync::Arc::new(|p: &automata::check::Progress| {
            eprintln!("checking: {}", p.line());
        });
        work(Some((f, Duration::from_secs(5))))
    }
}
