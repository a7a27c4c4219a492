//! The scenario file: parsing, defaults and validation.
//!
//! Parsing rejects unknown keys and wrong types (serde, with the span of the offending key or
//! value); validation rejects impossible values (f ≥ n, min > max, a process that does not
//! exist, a property the abstraction does not have). A model that is merely too weak for the
//! algorithm is not an error: that is how a reader sees a violation.

use crate::error::InputError;
use automata::model::{Failures, Fault, SystemModel, Timing};
use automata::{Pid, Time};
use serde::Deserialize;

/// The outcome a scenario is meant to show: `expect = "hold"`, `expect = "violation"` (any
/// property), or `expect = { violation = "uniform-agreement" }` (that property).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    Hold,
    /// A violation; of the named property when given.
    Violation(Option<String>),
}

impl Expect {
    /// `hold`, `violation` or `violation of <property>`, for reports.
    pub fn describe(&self) -> String {
        match self {
            Expect::Hold => "hold".to_string(),
            Expect::Violation(None) => "violation".to_string(),
            Expect::Violation(Some(p)) => format!("violation of {p}"),
        }
    }

    /// The property a counterexample must break, when the scenario names one.
    pub fn property(&self) -> Option<&str> {
        match self {
            Expect::Violation(Some(p)) => Some(p),
            _ => None,
        }
    }
}

impl serde::Serialize for Expect {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Expect::Hold => s.serialize_str("hold"),
            Expect::Violation(None) => s.serialize_str("violation"),
            Expect::Violation(Some(p)) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("violation", p)?;
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Expect {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        const FORMS: &str = "\"hold\", \"violation\" or { violation = \"<property>\" }";
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Expect;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "{FORMS}")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Expect, E> {
                match v {
                    "hold" => Ok(Expect::Hold),
                    "violation" => Ok(Expect::Violation(None)),
                    other => Err(E::custom(format!(
                        "`{other}` is not an outcome: write {FORMS}"
                    ))),
                }
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Expect, A::Error> {
                let mut property = None;
                while let Some(key) = m.next_key::<String>()? {
                    if key != "violation" || property.is_some() {
                        return Err(serde::de::Error::custom(format!(
                            "`{key}`: the only key of an expected outcome is `violation`"
                        )));
                    }
                    property = Some(m.next_value::<String>()?);
                }
                property
                    .map(|p| Expect::Violation(Some(p)))
                    .ok_or_else(|| serde::de::Error::custom(format!("write {FORMS}")))
            }
        }
        d.deserialize_any(V)
    }
}

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

/// One `[[faults]]` table: exactly one of `crash`, `recover`, `suspect`, `pause`, `omit`,
/// `delay_from` says which kind it is.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    pub crash: Option<Pid>,
    pub recover: Option<Pid>,
    pub suspect: Option<Pid>,
    pub pause: Option<Pid>,
    pub omit: Option<Pid>,
    pub delay_from: Option<Pid>,
    pub delay_to: Option<Pid>,
    pub by: Option<Pid>,
    pub at: Option<Time>,
    pub after_sends: Option<u64>,
    pub drop_in_flight: Option<bool>,
    pub from: Option<Time>,
    pub until: Option<Time>,
    pub extra: Option<Time>,
    pub probability: Option<f64>,
}

/// One `[[workload]]` table: a single request (`process`, `at`) or a generated stream
/// (`processes`, `from`, `every`, `count`) with unique payloads.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadSpec {
    pub process: Option<Pid>,
    pub at: Option<Time>,
    pub processes: Option<Vec<Pid>>,
    pub from: Option<Time>,
    pub every: Option<Time>,
    pub count: Option<u32>,
    pub request: toml::Value,
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
    /// Default: 20 × the largest of Δ and the algorithm's periods (CATALOGUE.md part 0).
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

/// A workload request, expanded: at `at`, process `process` issues `name` with argument `arg`.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestSpec {
    pub at: Time,
    pub process: Pid,
    pub name: String,
    pub arg: toml::Value,
    /// Where it came from (`workload[i]`), for error messages.
    pub key: String,
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
    if n > 100_000 {
        return Err(err(
            "processes",
            format!("{n} processes is more than the simulator's limit of 100000"),
        ));
    }
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

fn window(f: &FaultSpec) -> Result<(Time, Time), Rule> {
    let from = f
        .from
        .ok_or_else(|| rule("from", "this fault needs `from` (the start of its window)"))?;
    let until = f
        .until
        .ok_or_else(|| rule("until", "this fault needs `until` (the end of its window)"))?;
    if from >= until {
        return Err(rule(
            "until",
            format!("until = {until} must be later than from = {from}"),
        ));
    }
    Ok((from, until))
}

/// Checks that only the keys a fault kind uses are present.
fn only(f: &FaultSpec, kind: &str, allowed: &[&str]) -> Result<(), Rule> {
    let present = [
        ("by", f.by.is_some()),
        ("at", f.at.is_some()),
        ("after_sends", f.after_sends.is_some()),
        ("drop_in_flight", f.drop_in_flight.is_some()),
        ("from", f.from.is_some()),
        ("until", f.until.is_some()),
        ("extra", f.extra.is_some()),
        ("probability", f.probability.is_some()),
        ("delay_to", f.delay_to.is_some()),
    ];
    for (key, is) in present {
        if is && !allowed.contains(&key) {
            return Err(rule(
                key,
                format!(
                    "a `{kind}` fault has no `{key}` (it takes {})",
                    allowed.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

fn fault(f: &FaultSpec, model: &SystemModel, n: usize) -> Result<Fault, Rule> {
    let kinds = [
        ("crash", f.crash),
        ("recover", f.recover),
        ("suspect", f.suspect),
        ("pause", f.pause),
        ("omit", f.omit),
        ("delay_from", f.delay_from),
    ];
    let given: Vec<_> = kinds.iter().filter(|(_, v)| v.is_some()).collect();
    let &&(kind, Some(p)) = given.first().ok_or_else(|| {
        rule(
            "crash",
            "a fault needs one of crash, recover, suspect, pause, omit, delay_from",
        )
    })?
    else {
        unreachable!("filtered on is_some")
    };
    if given.len() > 1 {
        return Err(rule(
            given[1].0,
            format!(
                "a fault is one thing: `{kind}` and `{}` cannot be in the same [[faults]] table",
                given[1].0
            ),
        ));
    }
    let p = pid(kind, p, n)?;
    match kind {
        "crash" => {
            only(f, kind, &["at", "after_sends", "drop_in_flight"])?;
            if f.at.is_none() && f.after_sends.is_none() {
                return Err(rule(
                    "at",
                    "a crash needs `at` (a time) or `after_sends` (a number of sends)",
                ));
            }
            if f.after_sends == Some(0) {
                return Err(rule(
                    "after_sends",
                    "after_sends must be at least 1 (use `at` to crash before any send)",
                ));
            }
            Ok(Fault::Crash {
                process: p,
                at: f.at.unwrap_or(0),
                after_sends: f.after_sends,
                drop_in_flight: f.drop_in_flight.unwrap_or(false),
            })
        }
        "recover" => {
            only(f, kind, &["at"])?;
            if model.failures != Failures::CrashRecovery {
                return Err(rule(
                    "recover",
                    "processes recover only when model.failures = \"crash-recovery\"",
                ));
            }
            let at = f.at.ok_or_else(|| rule("at", "a recovery needs `at`"))?;
            Ok(Fault::Recover { process: p, at })
        }
        "suspect" => {
            only(f, kind, &["by", "from", "until"])?;
            let by = pid(
                "by",
                f.by.ok_or_else(|| {
                    rule(
                        "by",
                        "a scripted suspicion needs `by` (the process that suspects)",
                    )
                })?,
                n,
            )?;
            let (from, until) = window(f)?;
            match model.timing {
                Timing::Synchronous => {
                    return Err(rule("suspect", "oracle mistakes are not allowed in the synchronous model (P makes none); use timing = \"partially-synchronous\""))
                }
                Timing::PartiallySynchronous if until > model.gst => {
                    return Err(rule("until", format!("until = {until} is after gst = {}: ◇P and Ω make mistakes only before GST", model.gst)))
                }
                _ => {}
            }
            Ok(Fault::Suspect {
                process: p,
                by,
                from,
                until,
            })
        }
        "pause" => {
            only(f, kind, &["from", "until"])?;
            let (from, until) = window(f)?;
            Ok(Fault::Pause {
                process: p,
                from,
                until,
            })
        }
        "omit" => {
            only(f, kind, &["probability", "from", "until"])?;
            if model.failures != Failures::Omission {
                return Err(rule(
                    "omit",
                    "omission faults need model.failures = \"omission\"",
                ));
            }
            let probability = f.probability.unwrap_or(1.0);
            if !(0.0..=1.0).contains(&probability) {
                return Err(rule(
                    "probability",
                    format!("{probability} is not a probability: it must lie in [0, 1]"),
                ));
            }
            let (from, until) = window(f)?;
            Ok(Fault::Omit {
                process: p,
                probability,
                from,
                until,
            })
        }
        _ => {
            only(f, kind, &["delay_to", "extra", "from", "until"])?;
            let to = pid(
                "delay_to",
                f.delay_to
                    .ok_or_else(|| rule("delay_to", "a delay fault needs `delay_to`"))?,
                n,
            )?;
            let extra = f.extra.ok_or_else(|| {
                rule(
                    "extra",
                    "a delay fault needs `extra` (ticks added to each packet)",
                )
            })?;
            let (from, until) = window(f)?;
            Ok(Fault::Delay {
                from_process: p,
                to_process: to,
                extra,
                from,
                until,
            })
        }
    }
}

/// Requests a scenario's workload may generate (each is kept in memory before the run).
pub const MAX_REQUESTS: usize = 1_000_000;

fn expand(w: &WorkloadSpec, i: usize, n: usize, out: &mut Vec<RequestSpec>) -> Result<(), Rule> {
    let key = format!("workload[{i}]");
    let (name, arg) = match &w.request {
        toml::Value::String(s) => (s.clone(), toml::Value::String(String::new())),
        toml::Value::Table(t) if t.len() == 1 => {
            let (k, v) = t.iter().next().expect("one entry");
            (k.clone(), v.clone())
        }
        _ => return Err(rule("request", "a request is a table with one entry, e.g. { broadcast = \"m1\" }, or a bare request name")),
    };
    match (w.process, &w.processes) {
        (Some(p), None) => {
            if w.from.is_some() || w.every.is_some() || w.count.is_some() {
                return Err(rule("from", "a single request takes `process` and `at`; a generated stream takes `processes`, `from`, `every`, `count`"));
            }
            let at =
                w.at.ok_or_else(|| rule("at", "a single request needs `at`"))?;
            out.push(RequestSpec {
                at,
                process: pid("process", p, n)?,
                name,
                arg,
                key,
            });
        }
        (None, Some(ps)) => {
            if w.at.is_some() {
                return Err(rule("at", "a generated stream starts at `from`, not `at`"));
            }
            let from = w.from.unwrap_or(0);
            let every = w.every.ok_or_else(|| {
                rule(
                    "every",
                    "a generated stream needs `every` (ticks between requests)",
                )
            })?;
            let count = w.count.ok_or_else(|| {
                rule(
                    "count",
                    "a generated stream needs `count` (requests per process)",
                )
            })?;
            if every == 0 {
                return Err(rule("every", "every must be at least 1 tick"));
            }
            if !arg.as_str().is_some_and(str::is_empty) {
                return Err(rule("request", "a generated stream names the request only (e.g. request = \"broadcast\"); payloads are made unique"));
            }
            for &p in ps {
                pid("processes", p, n)?;
            }
            if out.len() as u64 + u64::from(count) * ps.len() as u64 > MAX_REQUESTS as u64 {
                return Err(rule(
                    "count",
                    format!("a scenario may make at most {MAX_REQUESTS} requests in all"),
                ));
            }
            for k in 0..count {
                for &p in ps {
                    out.push(RequestSpec {
                        at: from + u64::from(k) * every,
                        process: p,
                        name: name.clone(),
                        arg: toml::Value::String(format!("p{p}-{k}")),
                        key: key.clone(),
                    });
                }
            }
        }
        (Some(_), Some(_)) => {
            return Err(rule(
                "processes",
                "give either `process` (one request) or `processes` (a stream), not both",
            ))
        }
        (None, None) => {
            return Err(rule(
                "process",
                "a request needs `process` (or `processes` for a generated stream)",
            ))
        }
    }
    Ok(())
}

/// The settle time CATALOGUE.md part 0 prescribes by default: 20 × the largest of Δ and the
/// algorithm's periods.
pub fn default_settle(s: &Scenario, periods: &[Time]) -> Time {
    20 * periods
        .iter()
        .copied()
        .chain([s.model.delay.max])
        .max()
        .unwrap_or(1)
}
