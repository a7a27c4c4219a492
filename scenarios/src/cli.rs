//! The `ioa` commands (documented in the book, chapter 1). Exit status: 0 when the outcome matches the
//! scenario's `expect`, 1 when it does not, 2 for a usage or input error.

use crate::error::InputError;
use crate::registry::{self, Runnable};
use crate::report::{trace_line, CheckJson, RunJson, RunVerdict};
use crate::spec::Loaded;
use automata::check::{Budget, ProgressFn, Search};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub use crate::list::{bundled, bundled_dir};
pub use crate::load::{load, load_str};
pub use crate::tour::tour_run;

pub const AFTER_HELP: &str = "\
Examples:
  ioa list                                        algorithms, their properties and bundled scenarios
  ioa run scenarios/links/perfect-links.toml      one simulated run, every property judged
  ioa run scenarios/links/stubborn-as-perfect.toml --trace out.jsonl
  ioa run scenarios/broadcast/eager-rb-not-uniform.toml --diagram run.svg   the run, drawn
  ioa run scenarios/broadcast/eager-rb-not-uniform.toml --diagram run.svg --layer beb
  ioa check scenarios/links/perfect-links-no-dedup.toml   exhaustive search for a counterexample
  ioa check scenarios/links/perfect-links-no-dedup.toml --diagram cex.svg   the counterexample, drawn
  ioa sweep scenarios/clocks/lundelius-lynch-adversarial.toml --seeds 3 --param processes=2,3,5,10
                                                  measured skew, worst and predicted u(1 − 1/n)
  ioa run scenarios/clocks/welch-lynch.toml --skew-plot skew.svg   the clocks converging, drawn

Exit status: 0 when the outcome matches the scenario's `expect`, 1 when it does not,
2 for a usage or input error.";

#[derive(Subcommand, Debug)]
pub enum Command {
    /// One simulated run, checked by the monitors.
    Run {
        /// The scenario file (TOML).
        file: PathBuf,
        /// Seed of the run (default: the scenario's `seed`).
        #[arg(long)]
        seed: Option<u64>,
        /// Print the report as JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Write the trace as JSON lines to this file (`-` for standard output).
        #[arg(long, value_name = "OUT.jsonl")]
        trace: Option<PathBuf>,
        #[command(flatten)]
        diagram: crate::diagram::Options,
        /// Draw the adjusted clocks of a clock-synchronization run over time as an SVG: each
        /// process's C_p(t) − t, and the skew against its predicted bound.
        #[arg(long, value_name = "OUT.svg")]
        skew_plot: Option<PathBuf>,
    },
    /// Exhaustive model checking within a budget; a violated property prints its
    /// counterexample, and the report says what the search covered.
    ///
    /// The search explores every interleaving the scenario's model allows, up to a depth
    /// bound, and stops early at the first violation or when a budget (states, time, memory)
    /// is spent. "holds" means the whole state space was explored; otherwise the report says
    /// "no violation within the bound" and how deep every path was covered.
    ///
    /// Liveness is also judged on infinite executions: after the main search (given half the
    /// time when there is liveness to judge) a fair-cycle search looks for a loop the system
    /// can repeat forever, fair to timers and to messages sent again and again, along which a
    /// liveness property stays unmet; such a lasso is printed with its cycle marked.
    ///
    /// Exit status: 0 when the outcome matches the scenario's `expect`, 1 when it does not
    /// (including "no violation within the bound" for a scenario that expects one), 2 for bad
    /// input.
    Check {
        file: PathBuf,
        /// Depth bound in actions (default: the scenario's [explore] max_depth, else 30).
        #[arg(long)]
        max_depth: Option<usize>,
        /// Stop after this many unique states (default: the scenario's [explore] max_states,
        /// else no limit).
        #[arg(long, value_name = "N")]
        max_states: Option<usize>,
        /// Stop after this many seconds (default: the scenario's [explore] max_seconds, else 60).
        #[arg(long, value_name = "S")]
        max_seconds: Option<f64>,
        /// Stop when the process's resident memory reaches this much, e.g. 512MiB or 8GiB
        /// (default: 8GiB, or a third of the machine's memory if that is less).
        #[arg(long, value_name = "SIZE", value_parser = parse_size)]
        max_memory: Option<u64>,
        /// Depth-first instead of breadth-first search (less memory, longer counterexamples,
        /// one thread).
        #[arg(long)]
        dfs: bool,
        /// Worker threads for breadth-first search (default: all cores; the result does not
        /// depend on it).
        #[arg(long)]
        threads: Option<usize>,
        /// Print the report as JSON: verdict, complete, stopped_by, depth_covered, states per
        /// second, bytes per state, each property's verdict, the counterexample and its cycle.
        #[arg(long)]
        json: bool,
        /// No progress on stderr.
        #[arg(long, short)]
        quiet: bool,
        /// `--diagram OUT.svg` draws the counterexample (with `--layer`, `--from`, `--until`).
        #[command(flatten)]
        diagram: crate::diagram::Options,
    },
    /// Many seeds on all cores, optionally across parameter values: a table or JSON.
    Sweep {
        file: PathBuf,
        /// Number of seeds (consecutive, from the scenario's `seed`).
        #[arg(long, default_value_t = 100)]
        seeds: u64,
        /// A scenario key and its values, e.g. `params.period=5,10,20` or `model.links.loss=0,0.3`.
        /// Repeat it to sweep the product of several keys (one row per combination).
        #[arg(long, value_name = "KEY=V1,V2,...")]
        param: Vec<String>,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        #[arg(long)]
        json: bool,
        /// Also draw the figure against the first --param as an SVG (one curve per value of
        /// the other parameters, ±1 standard error, the prediction dashed).
        #[arg(long, value_name = "OUT.svg")]
        plot: Option<PathBuf>,
        /// The figure to plot (default: the first the monitors measured, else violation_rate).
        #[arg(long, value_name = "NAME")]
        metric: Option<String>,
    },
    /// Re-run one seed exactly (e.g. the one a sweep or a failing property test reported) and
    /// print its trace.
    Replay {
        file: PathBuf,
        #[arg(long)]
        seed: u64,
        /// Print the JSON report instead of the trace.
        #[arg(long)]
        json: bool,
        #[arg(long, value_name = "OUT.jsonl")]
        trace: Option<PathBuf>,
        #[command(flatten)]
        diagram: crate::diagram::Options,
        /// As `ioa run --skew-plot`.
        #[arg(long, value_name = "OUT.svg")]
        skew_plot: Option<PathBuf>,
    },
    /// Step through the scenario's model by hand in stateright's Explorer (a web UI on
    /// localhost): pick the next action, see the state and the space-time diagram of the path.
    /// Runs until interrupted (Ctrl-C).
    Explore {
        file: PathBuf,
        /// Port on 127.0.0.1.
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Depth bound of the Explorer's own search (default: the scenario's [explore] max_depth).
        #[arg(long)]
        max_depth: Option<usize>,
        /// The layer the path's diagram labels (default: the algorithm's own abstraction).
        #[arg(long, value_name = "MODULE")]
        layer: Option<String>,
    },
    /// Algorithms (with abstraction, system model, properties, parameters) and bundled scenarios.
    List,
    /// The guided tour (also what `ioa` with no command does).
    Tour,
}

/// Runs a command and returns the process's exit status.
pub fn main(command: Option<Command>) -> ExitCode {
    let result = match command {
        None | Some(Command::Tour) => crate::tour::run(),
        Some(Command::List) => {
            print!("{}", crate::list::list());
            Ok(true)
        }
        Some(Command::Run {
            file,
            seed,
            json,
            trace,
            diagram,
            skew_plot,
        }) => run(
            &file,
            seed,
            json,
            trace.as_deref(),
            false,
            &diagram,
            skew_plot.as_deref(),
        ),
        Some(Command::Replay {
            file,
            seed,
            json,
            trace,
            diagram,
            skew_plot,
        }) => run(
            &file,
            Some(seed),
            json,
            trace.as_deref(),
            !json,
            &diagram,
            skew_plot.as_deref(),
        ),
        Some(Command::Check {
            file,
            max_depth,
            max_states,
            max_seconds,
            max_memory,
            dfs,
            threads,
            json,
            quiet,
            diagram,
        }) => check(
            &file,
            CheckOptions {
                max_depth,
                max_states,
                max_seconds,
                max_memory,
                dfs,
                threads,
                json,
                quiet,
            },
            &diagram,
        ),
        Some(Command::Explore {
            file,
            port,
            max_depth,
            layer,
        }) => explore(&file, port, max_depth, layer),
        Some(Command::Sweep {
            file,
            seeds,
            param,
            threads,
            json,
            plot,
            metric,
        }) => sweep(
            &file,
            seeds,
            &param,
            threads,
            json,
            plot.as_deref(),
            metric.as_deref(),
        ),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn write_trace(path: &Path, trace: &[automata::TraceEvent]) -> Result<(), InputError> {
    let text = automata::trace::to_jsonl(trace);
    if path == Path::new("-") {
        print!("{text}");
        Ok(())
    } else {
        std::fs::write(path, text).map_err(|e| {
            InputError::new(
                &path.display().to_string(),
                format!("cannot write the trace: {e}"),
            )
        })
    }
}

fn run(
    path: &Path,
    seed: Option<u64>,
    json: bool,
    trace: Option<&Path>,
    show_trace: bool,
    diagram: &crate::diagram::Options,
    skew_plot: Option<&Path>,
) -> Result<bool, InputError> {
    let (l, job) = load(path)?;
    let s = &l.scenario;
    let seed = seed.unwrap_or(s.seed);
    let record = trace.is_some() || show_trace || diagram.diagram.is_some() || skew_plot.is_some();
    let outcome = job.simulate(seed, record);
    if let Some(why) = &outcome.cut_short {
        return Err(InputError::new(&path.display().to_string(), why));
    }
    if let (Some(path), Some(t)) = (trace, &outcome.trace) {
        write_trace(path, t)?;
    }
    if let Some(out) = &diagram.diagram {
        draw_run(&l, job.as_ref(), seed, &outcome, diagram, out)?;
        eprintln!("wrote {}", out.display());
    }
    if let Some(out) = skew_plot {
        let series =
            crate::clockplot::ClockSeries::of(outcome.trace.as_deref().unwrap_or(&[]), job.layer());
        let title = format!("{} ({}, seed {seed})", s.name, s.algorithm);
        let bound = job.predicted().get("skew_max").copied();
        crate::clockplot::plot(&title, &series, bound, out)?;
        eprintln!("wrote {}", out.display());
    }
    let report = RunJson::new(
        &s.name,
        &s.algorithm,
        seed,
        s.check.expect.clone(),
        &outcome,
    );
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("reports serialize")
        );
    } else {
        if show_trace && trace.is_none() {
            for e in outcome.trace.iter().flatten() {
                println!("{}", trace_line(e));
            }
        }
        print!("{}", report.text());
    }
    Ok(report.matches_expectation)
}

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

fn check(
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

fn sweep(
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

fn explore(
    path: &Path,
    port: u16,
    max_depth: Option<usize>,
    layer: Option<String>,
) -> Result<bool, InputError> {
    let (l, job) = load(path)?;
    let file = path.display().to_string();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    // stateright's server panics on a busy port: find out first, and say so.
    drop(std::net::TcpListener::bind(addr).map_err(|e| {
        InputError::new(
            &file,
            format!("--port {port}: cannot listen on {addr}: {e}"),
        )
    })?);
    let depth = max_depth.unwrap_or(l.scenario.explore.max_depth);
    let (n, root) = (l.scenario.processes, job.layer());
    let title = l.scenario.name.clone();
    let opts = crate::diagram::Options {
        layer,
        ..Default::default()
    };
    let diagram: automata::check::Diagram = std::sync::Arc::new(move |trace| {
        let picture = crate::diagram::Picture {
            title: format!("{title}: the path so far"),
            trace,
            n,
            root,
            violation: None,
            also: Vec::new(),
            verdict: format!("{} events", trace.len()),
            cycle_from: None,
        };
        crate::diagram::svg(&picture, &opts).ok()
    });
    println!("Explorer for {} on http://{addr}/", l.scenario.name);
    println!("  initial state: http://{addr}/#/steps/0   (Ctrl-C stops it)");
    use std::io::Write;
    std::io::stdout().flush().ok();
    job.serve(addr, depth, Some(diagram))
}

/// Draws the diagram of a simulated run (`--diagram`), the first violation highlighted.
pub fn draw_run(
    l: &Loaded,
    job: &dyn Runnable,
    seed: u64,
    outcome: &automata::sim::Outcome,
    opts: &crate::diagram::Options,
    out: &Path,
) -> Result<crate::diagram::Layout, InputError> {
    let s = &l.scenario;
    let mut violated: Vec<(&str, &automata::Violation)> = outcome
        .properties
        .iter()
        .filter_map(|p| match &p.verdict {
            automata::Verdict::Violation(v) => Some((p.name.as_str(), v)),
            _ => None,
        })
        .collect();
    violated.sort_by_key(|(_, v)| v.event);
    let verdict = RunVerdict::of(&outcome.properties);
    let picture = crate::diagram::Picture {
        title: format!("{} ({}, seed {seed})", s.name, s.algorithm),
        trace: outcome.trace.as_deref().unwrap_or(&[]),
        n: s.processes,
        root: job.layer(),
        violation: violated.first().map(|(name, v)| crate::diagram::Violation {
            property: name.to_string(),
            event: v.event,
            explanation: v.explanation.clone(),
        }),
        also: violated
            .iter()
            .skip(1)
            .map(|(name, _)| name.to_string())
            .collect(),
        verdict: match verdict {
            RunVerdict::Hold => "every property holds".to_string(),
            _ => "inconclusive: a liveness property could not be judged (the run ended too early)"
                .to_string(),
        },
        cycle_from: None,
    };
    crate::diagram::render(&picture, opts, out)
}

/// Draws the counterexample of an exploration; `false` when there is none.
pub fn draw_counterexample(
    l: &Loaded,
    job: &dyn Runnable,
    explored: &registry::Explored,
    opts: &crate::diagram::Options,
    out: &Path,
) -> Result<bool, InputError> {
    let s = &l.scenario;
    let Some((property, trace)) = &explored.counterexample else {
        return Ok(false);
    };
    let picture = crate::diagram::Picture {
        title: format!(
            "{} ({}): counterexample found by the model checker",
            s.name, s.algorithm
        ),
        trace,
        n: s.processes,
        root: job.layer(),
        violation: Some(crate::diagram::Violation {
            property: property.clone(),
            // Without a witness from the monitor, the path's last step shows the violation.
            event: explored
                .violation
                .as_ref()
                .map(|v| v.event)
                .or_else(|| trace.last().map(|e| e.index))
                .unwrap_or(0),
            explanation: explored
                .violation
                .as_ref()
                .map(|v| v.explanation.clone())
                .unwrap_or_else(|| "the path's last state violates it".to_string()),
        }),
        also: Vec::new(),
        verdict: String::new(),
        cycle_from: explored.cycle_from,
    };
    crate::diagram::render(&picture, opts, out)?;
    Ok(true)
}
