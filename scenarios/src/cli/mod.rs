//! The `ioa` commands (documented in the book, chapter 1). Exit status: 0 when the outcome matches the
//! scenario's `expect`, 1 when it does not, 2 for a usage or input error.
//!
//! This file holds the commands and their dispatch; each command's work is in its own file
//! (`run.rs`, `check.rs`, `sweep.rs`, `explore.rs`, `bench.rs`), the `--diagram` drawing in
//! `draw.rs`.

use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

mod bench;
mod check;
mod draw;
mod explore;
mod run;
mod sweep;
pub use self::bench::{BenchJson, TWO_PHASE_STATES};
pub use self::check::{default_max_memory, parse_size, CheckOptions, DEFAULT_MAX_SECONDS};
pub use self::draw::{draw_counterexample, draw_run};
use self::{check::check, explore::explore, run::run, sweep::sweep};
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
  ioa sweep FILE --seeds 10000 --shard 3/16 > s3.json   one slice of a sweep, for a cluster job
  ioa merge s*.json                               the 16 slices, as the whole sweep reports it
  ioa run scenarios/clocks/welch-lynch.toml --skew-plot skew.svg   the clocks converging, drawn
  ioa bench                                       speed and scale as ratios (build with --release)

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
        /// Run only the I-th of N slices of the runs (1 ≤ I ≤ N) and print them as JSON for
        /// `ioa merge`: N jobs of a cluster (a Slurm array, GNU parallel) each run one slice.
        #[arg(long, value_name = "I/N")]
        shard: Option<crate::sweep::Shard>,
    },
    /// Combine the JSON files of `ioa sweep --shard I/N`, all N of them in any order, into the
    /// report (table, --json or --plot) the unsharded sweep gives, exactly.
    Merge {
        /// The shard files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Draw the figure against the first --param of the sweep, as `ioa sweep --plot`.
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
    /// Speed and scale in one run, each as a ratio against a yardstick on the same work
    /// (Linux only: it reads /proc).
    ///
    /// 1. Simulator against bare loop: a flood (every delivery forwards a token to a random
    ///    process) at n = 10, 100 and 10,000 processes, run by the simulator (trace off, no
    ///    monitors) and by a bare binary-heap event loop making the same deliveries in the same
    ///    order. Deliveries per second of each, best of 3; the figure is sim / bare, the
    ///    fraction of the bare loop's speed the simulator reaches.
    ///
    /// 2. Trace off against on: the runs of a bundled scenario
    ///    (broadcast/eager-reliable-broadcast.toml) with the trace off and recorded, events per
    ///    second each, best of 3; the figure is on / off, the speed kept while tracing.
    ///
    /// 3. Sweep on 1 thread against all: a sweep of broadcast/gossip-below-threshold.toml
    ///    (1,000 seeds) on 1 thread and on all cores. Seeds per second each, the speed-up
    ///    (all / 1; the ideal is the number of cores), and the CPU time ratio: user + system
    ///    time of the process (utime + stime of /proc/self/stat, 10 ms ticks) on all threads
    ///    over 1 thread, 1 when the threads cost nothing extra.
    ///
    /// 4. Model checker against stateright's: TLA+'s TwoPhase with 5 and 7 resource managers
    ///    (3 and 5 with --quick), breadth-first on 1 thread, by stateright's own checker on a
    ///    plain stateright Model of the specification and by ours on the two-phase-tla scenario;
    ///    both must find the same unique states (288, 8,832, 296,448 for 3, 5, 7). Unique
    ///    states per second and bytes per state each, and ours over stateright's. Bytes per
    ///    state is an RSS estimate: each search runs in a fresh child process (ioa runs itself
    ///    again), and (peak resident memory VmHWM at the end − VmRSS before the search) /
    ///    unique states; it counts the allocator's slack and the search's transient memory too.
    ///
    /// Absolute rates depend on the machine and its load; the ratios much less. Measure a
    /// release build (`cargo build --release -p scenarios --bin ioa`) on an idle machine; the
    /// book's performance page shows one machine's figures. Progress goes to stderr (-q
    /// silences it).
    Bench {
        /// Small sizes (20,000 deliveries, a sweep of about 0.3 s, 3 and 5 resource managers):
        /// every figure in seconds, for tests.
        #[arg(long)]
        quick: bool,
        /// Print every figure as one JSON object with stable keys.
        #[arg(long)]
        json: bool,
        /// No progress on stderr.
        #[arg(long, short)]
        quiet: bool,
        /// One search in this process, its figures as JSON (what `ioa bench` runs in its
        /// children): `stateright:RMS` or `ioa:RMS`.
        #[arg(long, hide = true, value_name = "CHECKER:RMS")]
        search: Option<String>,
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
        Some(Command::Bench {
            search: Some(spec), ..
        }) => self::bench::one_search(&spec),
        Some(Command::Bench {
            quick,
            json,
            quiet,
            search: None,
        }) => self::bench::bench(quick, json, quiet),
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
            shard,
        }) => sweep(
            &file,
            seeds,
            &param,
            threads,
            sweep::Output {
                json,
                plot: plot.as_deref(),
                metric: metric.as_deref(),
                shard,
            },
        ),
        Some(Command::Merge {
            files,
            json,
            plot,
            metric,
        }) => sweep::merge(
            &files,
            sweep::Output {
                json,
                plot: plot.as_deref(),
                metric: metric.as_deref(),
                shard: None,
            },
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
