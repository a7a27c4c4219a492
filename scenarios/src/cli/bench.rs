//! `ioa bench`: speed and scale measured side by side, one run, ratios as the figures.
//!
//! Four comparisons, each against a yardstick on the same work, so that the ratio says
//! something about the code rather than about the machine:
//!
//! 1. the simulator against a bare binary-heap event loop on the same flood deliveries
//!    ([`automata::bench`]), n = 10, 100, 10,000;
//! 2. a bundled scenario's events per second with the trace off and on;
//! 3. a sweep of a bundled scenario on one thread against all threads: seeds per second,
//!    speed-up and the ratio of CPU times (utime + stime of `/proc/self/stat`);
//! 4. the model checker against stateright's own on two-phase commit as TLA+ writes it
//!    ([`applications::two_phase_stateright`] against the `two-phase-tla` scenario): unique
//!    states per second and bytes per state. Each search runs in a child process (`ioa bench`
//!    runs itself again with the hidden `--search CHECKER:RMS`), whose peak resident memory
//!    (`VmHWM`) less its resident memory before the search (`VmRSS`), over the unique states,
//!    estimates bytes per state.

use crate::error::InputError;
use crate::load::load_str;
use crate::sweep::with_param;
use automata::check::{Budget, Search};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// The scenario whose events per second are measured with the trace off and on.
const TRACE_FILE: &str = "broadcast/eager-reliable-broadcast.toml";
const TRACE_SRC: &str = include_str!("../../broadcast/eager-reliable-broadcast.toml");
/// The scenario swept on one thread and on all.
const SWEEP_FILE: &str = "broadcast/gossip-below-threshold.toml";
const SWEEP_SRC: &str = include_str!("../../broadcast/gossip-below-threshold.toml");
/// The scenario our checker searches, its `processes` set to 1 + the resource managers.
const TPC_FILE: &str = "applications/two-phase-tla-5.toml";
const TPC_SRC: &str = include_str!("../../applications/two-phase-tla-5.toml");

/// Unique states of TwoPhase for 3, 5 and 7 resource managers (TLC's and stateright's counts).
pub const TWO_PHASE_STATES: [(usize, usize); 3] = [(3, 288), (5, 8_832), (7, 296_448)];

/// Clock ticks per second of `/proc/self/stat` (`USER_HZ`, 100 on every Linux).
const TICKS_PER_SECOND: f64 = 100.0;

/// The sizes one run measures.
struct Sizes {
    flood_n: [usize; 3],
    flood_deliveries: u64,
    trace_runs: u64,
    /// Seeds of the sweep; `None`: as many as make the one-thread sweep last `sweep_target`.
    sweep_seeds: Option<u64>,
    sweep_target: Duration,
    rms: [usize; 2],
}

impl Sizes {
    fn of(quick: bool) -> Self {
        if quick {
            Sizes {
                flood_n: [10, 100, 10_000],
                flood_deliveries: 20_000,
                trace_runs: 2,
                sweep_seeds: None,
                sweep_target: Duration::from_millis(300),
                rms: [3, 5],
            }
        } else {
            Sizes {
                flood_n: [10, 100, 10_000],
                flood_deliveries: 1_000_000,
                trace_runs: 20,
                sweep_seeds: Some(1_000),
                sweep_target: Duration::ZERO,
                rms: [5, 7],
            }
        }
    }

    fn steps(&self) -> u64 {
        self.flood_n.len() as u64 + 1 + 2 + 2 * self.rms.len() as u64
    }
}

/// `ioa bench --json`: every figure, under stable keys. Rates are per second of wall time;
/// every `*ratio` and `speedup` is the quotient of two figures of the same object.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BenchJson {
    /// `release` or `debug`: figures of a debug build say little.
    pub profile: String,
    pub quick: bool,
    /// What "all threads" means here (the cores the process may use).
    pub threads: usize,
    pub flood: Vec<FloodRow>,
    pub trace: TraceRow,
    pub sweep: SweepRow,
    pub checker: Vec<CheckerRow>,
}

/// The simulator against the bare loop on one flood (best of 3 each).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FloodRow {
    pub n: usize,
    pub deliveries: u64,
    pub sim_deliveries_per_s: f64,
    pub bare_deliveries_per_s: f64,
    /// `sim_deliveries_per_s / bare_deliveries_per_s`: the fraction of the bare loop's speed.
    pub ratio: f64,
}

/// One scenario's runs with the trace off and on (best of 3 each).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TraceRow {
    pub scenario: String,
    pub runs: u64,
    /// Trace events of all the runs (the same with the trace off and on).
    pub events: u64,
    pub off_events_per_s: f64,
    pub on_events_per_s: f64,
    /// `on_events_per_s / off_events_per_s`: the fraction of the speed kept with the trace on.
    pub ratio: f64,
}

/// One sweep on one thread and on all.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SweepRow {
    pub scenario: String,
    pub seeds: u64,
    pub threads: usize,
    pub one_thread_seeds_per_s: f64,
    pub all_threads_seeds_per_s: f64,
    /// `all_threads_seeds_per_s / one_thread_seeds_per_s`.
    pub speedup: f64,
    /// CPU time (user + system) of the sweep on one thread, in seconds.
    pub one_thread_cpu_s: f64,
    pub all_threads_cpu_s: f64,
    /// `all_threads_cpu_s / one_thread_cpu_s`: 1 when threads cost nothing extra.
    pub cpu_ratio: f64,
}

/// Both checkers on TwoPhase with `rms` resource managers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CheckerRow {
    pub rms: usize,
    pub stateright: SearchFigures,
    pub ioa: SearchFigures,
    /// `ioa.states_per_s / stateright.states_per_s`.
    pub states_per_s_ratio: f64,
    /// `ioa.bytes_per_state / stateright.bytes_per_state`.
    pub bytes_per_state_ratio: f64,
}

/// One breadth-first search on one thread.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SearchFigures {
    pub unique_states: usize,
    pub seconds: f64,
    pub states_per_s: f64,
    /// RSS estimate: (peak resident memory − resident memory before) / unique states.
    pub bytes_per_state: f64,
}

/// What the child process (`ioa bench --search CHECKER:RMS`) prints.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OneSearch {
    pub checker: String,
    pub rms: usize,
    pub unique_states: usize,
    pub seconds: f64,
    /// `VmRSS` before the search, bytes.
    pub rss_before: u64,
    /// `VmHWM` after it (the peak having been reset before it where the kernel allows), bytes.
    pub hwm_after: u64,
}

/// `ioa bench`.
pub(super) fn bench(quick: bool, json: bool, quiet: bool) -> Result<bool, InputError> {
    let sizes = Sizes::of(quick);
    let threads = automata::sim::default_threads();
    let mut progress = Progress::new(quiet, sizes.steps());
    let mut flood = Vec::new();
    for n in sizes.flood_n {
        progress.step(&format!(
            "flood, n = {n}: simulator and bare loop, {} deliveries, best of 3",
            sizes.flood_deliveries
        ));
        let r = automata::bench::flood_report(n, sizes.flood_deliveries, 1);
        flood.push(FloodRow {
            n,
            deliveries: r.deliveries,
            sim_deliveries_per_s: r.sim_rate(),
            bare_deliveries_per_s: r.bare_rate(),
            ratio: r.sim_rate() / r.bare_rate(),
        });
    }
    progress.step(&format!("{TRACE_FILE}: trace off and on"));
    let trace = trace_row(sizes.trace_runs)?;
    let sweep = sweep_row(&sizes, threads, &mut progress)?;
    let mut checker = Vec::new();
    for rms in sizes.rms {
        let mut one = |name: &str| {
            progress.step(&format!(
                "TwoPhase, {rms} resource managers: {name}'s checker"
            ));
            child_search(name, rms)
        };
        let (sr, ours) = (one("stateright")?, one("ioa")?);
        if sr.unique_states != ours.unique_states {
            return Err(InputError::new(
                TPC_FILE,
                format!(
                    "the checkers disagree on TwoPhase with {rms} resource managers: stateright {} unique states, ours {}",
                    sr.unique_states, ours.unique_states
                ),
            ));
        }
        checker.push(CheckerRow {
            rms,
            states_per_s_ratio: ours.states_per_s / sr.states_per_s,
            bytes_per_state_ratio: ours.bytes_per_state / sr.bytes_per_state,
            stateright: sr,
            ioa: ours,
        });
    }
    progress.finish();
    let report = BenchJson {
        profile: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
        .to_string(),
        quick,
        threads,
        flood,
        trace,
        sweep,
        checker,
    };
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

fn trace_row(runs: u64) -> Result<TraceRow, InputError> {
    let (l, job) = load_str(TRACE_FILE, TRACE_SRC)?;
    let seeds: Vec<u64> = (0..runs).map(|i| l.scenario.seed + i).collect();
    let (mut off, mut on) = (Duration::MAX, Duration::MAX);
    let (mut events_off, mut events_on) = (0, 0);
    for _ in 0..3 {
        for (record, best, events) in [
            (false, &mut off, &mut events_off),
            (true, &mut on, &mut events_on),
        ] {
            let t = Instant::now();
            *events = seeds
                .iter()
                .map(|&s| std::hint::black_box(job.simulate(s, record)).stats.events)
                .sum::<u64>();
            *best = (*best).min(t.elapsed());
        }
    }
    if events_off != events_on {
        return Err(InputError::new(
            TRACE_FILE,
            format!("the runs differ with the trace on: {events_off} events off, {events_on} on"),
        ));
    }
    let (off_rate, on_rate) = (rate(events_off, off), rate(events_on, on));
    Ok(TraceRow {
        scenario: TRACE_FILE.to_string(),
        runs,
        events: events_off,
        off_events_per_s: off_rate,
        on_events_per_s: on_rate,
        ratio: on_rate / off_rate,
    })
}

fn sweep_row(
    sizes: &Sizes,
    threads: usize,
    progress: &mut Progress,
) -> Result<SweepRow, InputError> {
    // Wall time and CPU time (user + system, all threads) of one sweep.
    let timed = |seeds: u64, threads: usize| -> Result<(Duration, f64), InputError> {
        let (t, cpu) = (Instant::now(), cpu_seconds());
        std::hint::black_box(crate::sweep::sweep(
            SWEEP_FILE,
            SWEEP_SRC,
            seeds,
            &[],
            threads,
            false,
        )?);
        Ok((t.elapsed(), cpu_seconds() - cpu))
    };
    let (seeds, one) = match sizes.sweep_seeds {
        Some(seeds) => {
            progress.step(&format!("{SWEEP_FILE}: sweep of {seeds} seeds on 1 thread"));
            (seeds, timed(seeds, 1)?)
        }
        None => {
            progress.step(&format!(
                "{SWEEP_FILE}: sweep on 1 thread, seeds doubled until it lasts {} ms",
                sizes.sweep_target.as_millis()
            ));
            let mut seeds = 8;
            loop {
                let one = timed(seeds, 1)?;
                if one.0 >= sizes.sweep_target || seeds >= 1 << 16 {
                    break (seeds, one);
                }
                seeds *= 2;
            }
        }
    };
    progress.step(&format!(
        "{SWEEP_FILE}: sweep of {seeds} seeds on {threads} threads"
    ));
    let all = timed(seeds, threads)?;
    let (one_rate, all_rate) = (rate(seeds, one.0), rate(seeds, all.0));
    Ok(SweepRow {
        scenario: SWEEP_FILE.to_string(),
        seeds,
        threads,
        one_thread_seeds_per_s: one_rate,
        all_threads_seeds_per_s: all_rate,
        speedup: all_rate / one_rate,
        one_thread_cpu_s: one.1,
        all_threads_cpu_s: all.1,
        cpu_ratio: all.1 / one.1,
    })
}

fn rate(count: u64, time: Duration) -> f64 {
    count as f64 / time.as_secs_f64().max(1e-9)
}

/// CPU time of this process so far, all its threads (ended ones included), user + system:
/// fields 14 and 15 of `/proc/self/stat`, in clock ticks. Linux only; 0 elsewhere.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // After the name, field 3 (state) is index 0: utime (14) is 11, stime (15) is 12.
    (ticks(11) + ticks(12)) as f64 / TICKS_PER_SECOND
}

/// A `kB` line of `/proc/self/status` (`VmRSS`, `VmHWM`), in bytes.
fn status_bytes(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Runs `ioa bench --search CHECKER:RMS` in a child process and reads its figures.
fn child_search(checker: &str, rms: usize) -> Result<SearchFigures, InputError> {
    let what = format!("ioa bench --search {checker}:{rms}");
    let fail = |why: String| InputError::new(&what, why);
    let exe = std::env::current_exe().map_err(|e| fail(format!("cannot find ioa itself: {e}")))?;
    let out = std::process::Command::new(exe)
        .args(["bench", "--search", &format!("{checker}:{rms}")])
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| fail(format!("cannot run: {e}")))?;
    if !out.status.success() {
        return Err(fail(format!("failed ({})", out.status)));
    }
    let one: OneSearch = serde_json::from_slice(&out.stdout)
        .map_err(|e| fail(format!("printed no search figures: {e}")))?;
    let grown = one.hwm_after.saturating_sub(one.rss_before);
    Ok(SearchFigures {
        unique_states: one.unique_states,
        seconds: one.seconds,
        states_per_s: one.unique_states as f64 / one.seconds.max(1e-9),
        bytes_per_state: grown as f64 / one.unique_states.max(1) as f64,
    })
}

/// `ioa bench --search CHECKER:RMS` (hidden): one breadth-first search of TwoPhase on one
/// thread, by `stateright` on its plain model or by `ioa` on the `two-phase-tla` scenario, in a
/// fresh process; prints its [`OneSearch`] JSON.
pub(super) fn one_search(spec: &str) -> Result<bool, InputError> {
    let what = format!("ioa bench --search {spec}");
    let bad = || InputError::new(&what, "write --search stateright:RMS or --search ioa:RMS");
    let (checker, rms) = spec.split_once(':').ok_or_else(bad)?;
    let rms: usize = rms.parse().map_err(|_| bad())?;
    if rms == 0 {
        return Err(bad());
    }
    // The ioa job is built before the memory is read: the search alone is measured.
    let job = match checker {
        "stateright" => None,
        "ioa" => {
            let src = with_param(TPC_FILE, TPC_SRC, "processes", &(rms + 1).to_string())?;
            Some(load_str(TPC_FILE, &src)?)
        }
        _ => return Err(bad()),
    };
    // Resets the peak resident memory to the current one (Linux ≥ 4.0; if refused, the peak
    // since the process started is read, which is at most a little higher here).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let rss_before = status_bytes("VmRSS:").unwrap_or(0);
    let t = Instant::now();
    let unique_states = match &job {
        None => applications::two_phase_stateright::stateright_check(rms),
        Some((l, job)) => {
            let budget = Budget {
                max_depth: l.scenario.explore.max_depth,
                max_states: None,
                max_time: None,
                max_memory: Some(super::default_max_memory()),
            };
            let explored = job.explore(Search::Bfs, budget, 1, None);
            if explored.counterexample.is_some() || !explored.coverage.complete {
                return Err(InputError::new(
                    &what,
                    "our search of TwoPhase did not complete without a violation",
                ));
            }
            explored.unique_states
        }
    };
    let seconds = t.elapsed().as_secs_f64();
    let hwm_after = status_bytes("VmHWM:").unwrap_or(0);
    let one = OneSearch {
        checker: checker.to_string(),
        rms,
        unique_states,
        seconds,
        rss_before,
        hwm_after,
    };
    println!(
        "{}",
        serde_json::to_string(&one).expect("figures serialize")
    );
    Ok(true)
}

/// Progress on stderr: a bar on a terminal (the sweep's style), a plain line a step
/// otherwise, nothing with `-q`.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    plain: bool,
    total: u64,
    done: u64,
}

impl Progress {
    fn new(quiet: bool, total: u64) -> Self {
        let terminal = !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());
        let bar = terminal.then(|| {
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} steps, {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Progress {
            bar,
            plain: !quiet && !terminal,
            total,
            done: 0,
        }
    }

    /// Starts the next step.
    fn step(&mut self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_position(self.done);
            bar.set_message(what.to_string());
        } else if self.plain {
            eprintln!("bench {}/{}: {what}", self.done + 1, self.total);
        }
        self.done += 1;
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `12.3M`, `456k`, `789`: three significant figures or so.
fn si(x: f64) -> String {
    if x >= 1e9 {
        format!("{:.2}G", x / 1e9)
    } else if x >= 1e6 {
        format!("{:.2}M", x / 1e6)
    } else if x >= 1e4 {
        format!("{:.0}k", x / 1e3)
    } else if x >= 100.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

impl BenchJson {
    /// The report as tables, the ratio last on each row.
    pub fn text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "ioa bench ({} build{}, {} threads): the ratios are the figures",
            self.profile,
            if self.quick { ", --quick sizes" } else { "" },
            self.threads
        );
        if self.profile != "release" {
            let _ = writeln!(
                s,
                "note: a debug build; measure with `cargo run --release -p scenarios --bin ioa -- bench`"
            );
        }
        let _ = writeln!(
            s,
            "\n1. simulator against a bare event loop, same flood deliveries (best of 3)"
        );
        let _ = writeln!(
            s,
            "  {:>7} {:>11} {:>13} {:>13} {:>11}",
            "n", "deliveries", "simulator/s", "bare loop/s", "sim / bare"
        );
        for f in &self.flood {
            let _ = writeln!(
                s,
                "  {:>7} {:>11} {:>13} {:>13} {:>11.3}",
                f.n,
                f.deliveries,
                si(f.sim_deliveries_per_s),
                si(f.bare_deliveries_per_s),
                f.ratio
            );
        }
        let t = &self.trace;
        let _ = writeln!(
            s,
            "\n2. trace off against on: {}, {} runs, {} events (best of 3)",
            t.scenario, t.runs, t.events
        );
        let _ = writeln!(
            s,
            "  {:>13} {:>13} {:>11}",
            "off events/s", "on events/s", "on / off"
        );
        let _ = writeln!(
            s,
            "  {:>13} {:>13} {:>11.3}",
            si(t.off_events_per_s),
            si(t.on_events_per_s),
            t.ratio
        );
        let w = &self.sweep;
        let _ = writeln!(
            s,
            "\n3. sweep on 1 thread against {}: {}, {} seeds",
            w.threads, w.scenario, w.seeds
        );
        let _ = writeln!(s, "  {:>7} {:>9} {:>9}", "threads", "seeds/s", "CPU s");
        let _ = writeln!(
            s,
            "  {:>7} {:>9} {:>9.2}",
            1,
            si(w.one_thread_seeds_per_s),
            w.one_thread_cpu_s
        );
        let _ = writeln!(
            s,
            "  {:>7} {:>9} {:>9.2}",
            w.threads,
            si(w.all_threads_seeds_per_s),
            w.all_threads_cpu_s
        );
        let _ = writeln!(
            s,
            "  speed-up {:.2}x, CPU time ratio {:.2}",
            w.speedup, w.cpu_ratio
        );
        let _ = writeln!(
            s,
            "\n4. model checker against stateright's, TwoPhase, breadth-first, 1 thread (bytes: RSS estimate)"
        );
        let _ = writeln!(
            s,
            "  {:>3} {:>8} {:>13} {:>13} {:>12} {:>12} {:>11} {:>9}",
            "RMs",
            "states",
            "stateright/s",
            "ioa states/s",
            "sr B/state",
            "ioa B/state",
            "rate ioa/sr",
            "B ioa/sr"
        );
        for c in &self.checker {
            let _ = writeln!(
                s,
                "  {:>3} {:>8} {:>13} {:>13} {:>12.0} {:>12.0} {:>11.3} {:>9.2}",
                c.rms,
                c.ioa.unique_states,
                si(c.stateright.states_per_s),
                si(c.ioa.states_per_s),
                c.stateright.bytes_per_state,
                c.ioa.bytes_per_state,
                c.states_per_s_ratio,
                c.bytes_per_state_ratio
            );
        }
        s
    }
}
