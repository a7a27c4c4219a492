//! The workload: a `[[workload]]` table as written (one request, or a generated stream), and
//! its expansion into timed requests.

use super::{pid, rule, Rule};
use automata::{Pid, Time};
use serde::Deserialize;

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

/// Requests a scenario's workload may generate (each is kept in memory before the run).
pub const MAX_REQUESTS: usize = 1_000_000;

pub(super) fn expand(
    w: &WorkloadSpec,
    i: usize,
    n: usize,
    out: &mut Vec<RequestSpec>,
) -> Result<(), Rule> {
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
