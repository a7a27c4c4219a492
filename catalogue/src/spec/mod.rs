//! The scenario file: parsing, defaults and validation.
//!
//! Parsing rejects unknown keys and wrong types (serde, with the span of the offending key or
//! value); validation rejects impossible values (f ≥ n, min > max, a process that does not
//! exist, a property the abstraction does not have). A model that is merely too weak for the
//! algorithm is not an error: that is how a reader sees a violation.
//!
//! This file holds the scenario's tables and [`parse`]; the fault plan is validated in
//! `faults.rs`, the workload expanded in `workload.rs`, and the expected outcome read in
//! `expect.rs`.

use crate::error::InputError;
use automata::model::{Fault, SystemModel};
use automata::{Pid, Time};
use serde::Deserialize;

mod expect;
mod faults;
pub mod memory;
mod workload;
pub use expect::Expect;
use faults::fault;
pub use faults::FaultSpec;
use workload::expand;
pub use workload::{RequestSpec, WorkloadSpec, MAX_REQUESTS};

/// A scenario as written in TOML.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub algorithm: String,
    pub processes: usize,
    /// Fault budget; default: the number of processes the fault plan makes fail.
    pub f: Option<usize>,
    #[serde(default = "one")]
    pub seed: u64,
    #[serde(default)]
    pub params: toml::Table,
    #[serde(default)]
    pub model: SystemModel,
    #[serde(default)]
    pub faults: Vec<FaultSpec>,
    #[serde(default)]
    pub workload: Vec<WorkloadSpec>,
    #[serde(default)]
    pub check: CheckSpec,
    #[serde(default)]
    pub explore: ExploreSpec,
}

fn one() -> u64 {
    1
}

/// The `[check]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    /// Default: every property of the abstraction, plus the model's conformance monitors.
    pub properties: Option<Vec<String>>,
    pub expect: Option<Expect>,
    #[serde(default = "default_max_time")]
    pub max_time: Time,
    /// Default: 20 × the largest of Δ and the algorithm's periods (book §2.6).
    pub settle: Option<Time>,
    /// Check the algorithm against another abstraction's properties ("X used as Y").
    pub abstraction: Option<String>,
}

fn default_max_time() -> Time {
    10_000
}

impl Default for CheckSpec {
    fn default() -> Self {
        CheckSpec {
            properties: None,
            expect: None,
            max_time: default_max_time(),
            settle: None,
            abstraction: None,
        }
    }
}

/// The `[explore]` table: bounds for exhaustive model checking.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExploreSpec {
    #[serde(default = "default_depth")]
    pub max_depth: usize,
    /// Crashes the checker may inject at any moment (on top of the scripted ones).
    #[serde(default)]
    pub crashes: usize,
    /// Bounded liveness: every run ends at this time, and liveness is judged where nothing is
    /// left to do by then (for algorithms that never quiesce, such as heartbeats).
    #[serde(default)]
    pub horizon: Option<Time>,
    /// Explore every arrival time in each packet's delay window, not only the earliest its
    /// interleaving allows (for algorithms that read clocks; multiplies the state space).
    #[serde(default)]
    pub every_delay: bool,
    /// Unique states after which `ioa check` stops (default: no limit).
    pub max_states: Option<usize>,
    /// Seconds after which `ioa check` stops (default: 60).
    pub max_seconds: Option<f64>,
}

fn default_depth() -> usize {
    30
}

impl Default for ExploreSpec {
    fn default() -> Self {
        ExploreSpec {
            max_depth: default_depth(),
            crashes: 0,
            horizon: None,
            every_delay: false,
            max_states: None,
            max_seconds: None,
        }
    }
}

/// A scenario file, parsed and validated against the structural rules.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub file: String,
    pub src: String,
    pub scenario: Scenario,
    pub faults: Vec<Fault>,
    pub requests: Vec<RequestSpec>,
    pub f: usize,
}

impl Loaded {
    /// An error about `key`, located in this file.
    pub fn error(&self, key: &str, rule: impl Into<String>) -> InputError {
        InputError::at_key(&self.file, &self.src, key, rule)
    }
}

/// Parses and validates `src` (the contents of `file`).
pub fn parse(file: &str, src: &str) -> Result<Loaded, InputError> {
    let scenario: Scenario = toml::from_str(src).map_err(|e| {
        let mut err = InputError::new(file, e.message().trim().to_string());
        if let Some(span) = e.span() {
            err.set_offset(src, span.start);
            err.key = key_on_line(err.source_line.as_deref().unwrap_or(""));
        }
        err
    })?;
    let err = |key: &str, rule: String| InputError::at_key(file, src, key, rule);
    let n = scenario.processes;
    if n == 0 {
        return Err(err(
            "processes",
            "there must be at least one process".into(),
        ));
    }
    // Refused up front, with the estimate, rather than by running out of memory: here with
    // the workload's entries (before anything of size n is built), again below with the
    // requests they expand to.
    let fifo = scenario.model.links.fifo;
    memory::check(n, scenario.workload.len(), fifo, memory::budget())
        .map_err(|rule| err("processes", rule))?;
    scenario
        .model
        .validate(n)
        .map_err(|i| err(&i.key, i.rule))?;
    let faults = scenario
        .faults
        .iter()
        .enumerate()
        .map(|(i, f)| {
            fault(f, &scenario.model, n)
                .map_err(|(key, rule)| err(&format!("faults[{i}].{key}"), rule))
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Crash-recovery: a process whose last crash is followed by a recovery is correct in the
    // end (CGR), so it does not count against f.
    let recovered = |p: Pid, crashed: Time| {
        scenario.model.failures == automata::model::Failures::CrashRecovery
            && faults.iter().any(
                |f| matches!(*f, Fault::Recover { process, at } if process == p && at > crashed),
            )
    };
    let failing: std::collections::BTreeSet<Pid> = faults
        .iter()
        .filter_map(|f| match *f {
            Fault::Crash {
                process,
                at,
                after_sends: None,
                ..
            } if recovered(process, at) => None,
            Fault::Crash { process, .. } | Fault::Omit { process, .. } => Some(process),
            _ => None,
        })
        .collect();
    let f = scenario.f.unwrap_or(failing.len());
    if f >= n {
        return Err(err(
            "f",
            format!(
                "f = {f} must be less than processes = {n}: at most f processes fail, so f < n"
            ),
        ));
    }
    if failing.len() > f {
        return Err(err(
            "f",
            format!(
                "the fault plan makes {} processes fail but f = {f}",
                failing.len()
            ),
        ));
    }
    let mut requests = Vec::new();
    for (i, w) in scenario.workload.iter().enumerate() {
        expand(w, i, n, &mut requests)
            .map_err(|(key, rule)| err(&format!("workload[{i}].{key}"), rule))?;
    }
    memory::check(n, requests.len(), fifo, memory::budget())
        .map_err(|rule| err("processes", rule))?;
    for r in &requests {
        if r.at > scenario.check.max_time {
            return Err(err(
                &format!("{}.at", r.key),
                format!(
                    "a request at {} comes after check.max_time = {}, so it would never happen",
                    r.at, scenario.check.max_time
                ),
            ));
        }
    }
    if scenario.check.max_time == 0 {
        return Err(err(
            "check.max_time",
            "max_time must be at least 1 tick".into(),
        ));
    }
    if let Some(s) = scenario.explore.max_seconds {
        if !(s.is_finite() && s > 0.0) {
            return Err(err(
                "explore.max_seconds",
                format!("max_seconds must be a positive number of seconds, not {s}"),
            ));
        }
    }
    Ok(Loaded {
        file: file.to_string(),
        src: src.to_string(),
        scenario,
        faults,
        requests,
        f,
    })
}

fn key_on_line(line: &str) -> Option<String> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_start_matches('{').trim();
    (!key.is_empty() && !key.starts_with('[')).then(|| key.to_string())
}

type Rule = (String, String);

fn rule(key: &str, rule: impl Into<String>) -> Rule {
    (key.to_string(), rule.into())
}

fn pid(key: &str, p: Pid, n: usize) -> Result<Pid, Rule> {
    if p < n {
        Ok(p)
    } else {
        Err(rule(
            key,
            format!("process {p} does not exist: processes are numbered 0..{n}"),
        ))
    }
}

/// The default settle time (book §2.6): 20 × the largest of Δ and the algorithm's periods.
pub fn default_settle(s: &Scenario, periods: &[Time]) -> Time {
    20 * periods
        .iter()
        .copied()
        .chain([s.model.delay.max])
        .max()
        .unwrap_or(1)
}
