//! # web: the simulator in the reader's browser
//!
//! The same scenario parser, algorithms, simulator, monitors and diagram renderer as `ioa`,
//! compiled to WebAssembly for the book's editable examples and its playground. Each function
//! takes a scenario as TOML text and answers with what the command line would print:
//! [`run`] is `ioa run --json --trace - --diagram`, [`check`] is `ioa check --json` within a
//! state budget, [`algorithms`] is the catalogue. A browser run is one seed on one thread, and
//! has no wall clock: a check there is bounded by states and depth, not by time.
//!
//! Natively these are plain Rust functions (the tests compare them with `ioa`); in the browser
//! [`bindings`] exposes them to JavaScript, every answer a JSON string.
#![forbid(unsafe_code)]

use scenarios::error::InputError;
use scenarios::report::{CheckJson, RunJson};
use serde::Serialize;

#[cfg(target_arch = "wasm32")]
pub mod bindings;

/// What a simulated run gives the page.
#[derive(Debug, Serialize)]
pub struct RunOutput {
    /// The report, exactly as `ioa run --json` prints it (without the final newline).
    pub report: String,
    /// The report as `ioa run` prints it for people.
    pub text: String,
    /// The trace, exactly as `ioa run --trace -` writes it (one JSON event a line).
    pub trace: String,
    /// The space-time diagram (SVG), as `ioa run --diagram OUT.svg` draws it.
    pub svg: String,
    /// Whether the run ended as the scenario's `check.expect` says it should.
    pub matches_expectation: bool,
}

/// Where to draw: `layer` as `--layer` (the stack's own abstraction when `None`), the window
/// `from..until` in ticks as `--from` and `--until`.
#[derive(Clone, Debug, Default)]
pub struct DiagramWindow {
    pub layer: Option<String>,
    pub from: Option<automata::Time>,
    pub until: Option<automata::Time>,
}

/// The name errors in pasted or edited scenario text are reported against.
pub const SOURCE: &str = "scenario.toml";

/// One simulated run of the scenario `toml` with `seed` (the scenario's own when `None`): the
/// loaded scenario, its job's root layer, the seed used, the outcome and its report.
struct Simulated {
    loaded: scenarios::spec::Loaded,
    layer: &'static str,
    seed: u64,
    outcome: automata::sim::Outcome,
    report: RunJson,
}

fn simulate(toml: &str, seed: Option<u64>, record: bool) -> Result<Simulated, InputError> {
    let (loaded, job) = scenarios::load::load_str(SOURCE, toml)?;
    let s = &loaded.scenario;
    let seed = seed.unwrap_or(s.seed);
    let outcome = job.simulate(seed, record);
    if let Some(why) = &outcome.cut_short {
        return Err(InputError::new(SOURCE, why));
    }
    let report = RunJson::new(
        &s.name,
        &s.algorithm,
        seed,
        s.check.expect.clone(),
        &outcome,
    );
    Ok(Simulated {
        layer: job.layer(),
        loaded,
        seed,
        outcome,
        report,
    })
}

/// Runs the scenario `toml` once with `seed` (the scenario's own when `None`), recording its
/// trace and drawing it.
pub fn run(toml: &str, seed: Option<u64>, window: &DiagramWindow) -> Result<RunOutput, InputError> {
    let r = simulate(toml, seed, true)?;
    let picture = scenarios::diagram::Picture::of_run(&r.loaded, r.layer, r.seed, &r.outcome);
    let opts = scenarios::diagram::Options {
        diagram: None,
        layer: window.layer.clone(),
        from: window.from,
        until: window.until,
    };
    Ok(RunOutput {
        svg: scenarios::diagram::svg(&picture, &opts)?,
        trace: automata::trace::to_jsonl(r.outcome.trace.as_deref().unwrap_or(&[])),
        report: serde_json::to_string_pretty(&r.report).expect("reports serialize"),
        text: r.report.text(),
        matches_expectation: r.report.matches_expectation,
    })
}

/// The report alone (as `ioa run --json` prints it, on one line), for a sweep over seeds: no
/// trace is recorded and nothing is drawn.
pub fn report(toml: &str, seed: Option<u64>) -> Result<String, InputError> {
    let r = simulate(toml, seed, false)?;
    Ok(serde_json::to_string(&r.report).expect("reports serialize"))
}

/// What a bounded check gives the page.
#[derive(Debug, Serialize)]
pub struct CheckOutput {
    /// The report, as `ioa check --json` prints it (its timings are zero: no clock here).
    pub report: String,
    /// The report as `ioa check` prints it for people.
    pub text: String,
    pub matches_expectation: bool,
}

/// Explores every interleaving of the scenario `toml` breadth-first, on one thread, up to
/// `max_states` unique states (and the scenario's `explore.max_depth`).
pub fn check(toml: &str, max_states: usize) -> Result<CheckOutput, InputError> {
    let (l, job) = scenarios::load::load_str(SOURCE, toml)?;
    let s = &l.scenario;
    let budget = automata::check::Budget {
        max_depth: s.explore.max_depth,
        max_states: Some(max_states.min(s.explore.max_states.unwrap_or(usize::MAX))),
        max_time: None,
        max_memory: None,
    };
    let explored = job.explore(automata::check::Search::Bfs, budget, 1, None);
    let report = CheckJson::new(
        &s.name,
        &s.algorithm,
        s.check.expect.clone(),
        budget.max_depth,
        explored,
    );
    Ok(CheckOutput {
        report: serde_json::to_string_pretty(&report).expect("reports serialize"),
        text: report.text(),
        matches_expectation: report.matches_expectation,
    })
}

/// One algorithm of the catalogue, for the playground's menu.
#[derive(Debug, Serialize)]
pub struct AlgorithmEntry {
    pub id: &'static str,
    pub abstraction: &'static str,
    pub model: &'static str,
    pub summary: &'static str,
    /// A deliberately broken variant, kept to show a property failing.
    pub mutant: bool,
}

/// Every algorithm, in catalogue order.
pub fn algorithms() -> Vec<AlgorithmEntry> {
    scenarios::registry::algorithms()
        .iter()
        .map(|a| AlgorithmEntry {
            id: a.id,
            abstraction: a.abstraction,
            model: a.model,
            summary: a.summary,
            mutant: a.mutant,
        })
        .collect()
}

/// An error as the page shows it: the message `ioa` prints, and its parts.
#[derive(Debug, Serialize)]
pub struct ErrorOutput {
    pub message: String,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub rule: String,
}

impl From<InputError> for ErrorOutput {
    fn from(e: InputError) -> Self {
        ErrorOutput {
            message: e.to_string(),
            line: e.line,
            key: e.key.clone(),
            rule: e.rule,
        }
    }
}
