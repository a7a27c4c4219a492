//! What `ioa run` and `ioa check` print: text for people, JSON for tools.

use crate::registry::Explored;
use crate::spec::Expect;
use automata::monitor::{PropertyResult, Verdict};
use automata::sim::{Outcome, Stats};
use automata::TraceEvent;
use serde::{Deserialize, Serialize};

/// The verdict of a whole run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunVerdict {
    Hold,
    Violation,
    Inconclusive,
}

impl RunVerdict {
    pub fn of(properties: &[PropertyResult]) -> Self {
        if properties
            .iter()
            .any(|p| matches!(p.verdict, Verdict::Violation(_)))
        {
            RunVerdict::Violation
        } else if properties
            .iter()
            .any(|p| matches!(p.verdict, Verdict::Inconclusive { .. }))
        {
            RunVerdict::Inconclusive
        } else {
            RunVerdict::Hold
        }
    }

    /// Whether this is the outcome the scenario expects (hold when it states none), given
    /// the properties found violated.
    pub fn matches(self, expect: Option<&Expect>, violated: &[&str]) -> bool {
        match (self, expect.unwrap_or(&Expect::Hold)) {
            (RunVerdict::Hold, Expect::Hold) => true,
            (RunVerdict::Violation, Expect::Violation(None)) => true,
            (RunVerdict::Violation, Expect::Violation(Some(p))) => violated.contains(&p.as_str()),
            _ => false,
        }
    }

    fn word(self) -> &'static str {
        match self {
            RunVerdict::Hold => "hold",
            RunVerdict::Violation => "violation",
            RunVerdict::Inconclusive => "inconclusive",
        }
    }
}

/// One property in the JSON report.
#[derive(Debug, Serialize)]
pub struct PropertyJson {
    pub name: String,
    pub holds: bool,
    pub verdict: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub violation: Option<automata::Violation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl PropertyJson {
    fn of(p: &PropertyResult) -> Self {
        let (verdict, violation, reason) = match &p.verdict {
            Verdict::Hold => ("hold", None, None),
            Verdict::Violation(v) => ("violation", Some(v.clone()), None),
            Verdict::Inconclusive { reason } => ("inconclusive", None, Some(reason.clone())),
        };
        PropertyJson {
            name: p.name.clone(),
            holds: p.verdict.holds(),
            verdict,
            violation,
            reason,
        }
    }
}

/// `ioa run --json`.
#[derive(Debug, Serialize)]
pub struct RunJson {
    pub scenario: String,
    pub algorithm: String,
    pub seed: u64,
    pub verdict: RunVerdict,
    pub expected: Option<Expect>,
    pub matches_expectation: bool,
    pub properties: Vec<PropertyJson>,
    pub stats: Stats,
    /// The monitors' measurements (`false_suspicions`, `detection_time`, ...), when any.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub metrics: std::collections::BTreeMap<String, f64>,
}

impl RunJson {
    pub fn new(
        scenario: &str,
        algorithm: &str,
        seed: u64,
        expect: Option<Expect>,
        outcome: &Outcome,
    ) -> Self {
        let verdict = RunVerdict::of(&outcome.properties);
        let violated: Vec<&str> = outcome
            .properties
            .iter()
            .filter(|p| matches!(p.verdict, Verdict::Violation(_)))
            .map(|p| p.name.as_str())
            .collect();
        RunJson {
            scenario: scenario.to_string(),
            algorithm: algorithm.to_string(),
            seed,
            verdict,
            matches_expectation: verdict.matches(expect.as_ref(), &violated),
            expected: expect,
            properties: outcome.properties.iter().map(PropertyJson::of).collect(),
            stats: outcome.stats.clone(),
            metrics: outcome.metrics.clone(),
        }
    }

    /// The report for people.
    pub fn text(&self) -> String {
        let mut out = format!(
            "{} ({}, seed {})\n",
            self.scenario, self.algorithm, self.seed
        );
        let width = self
            .properties
            .iter()
            .map(|p| p.name.len())
            .max()
            .unwrap_or(0);
        for p in &self.properties {
            let detail = match (&p.violation, &p.reason) {
                (Some(v), _) => format!(
                    "VIOLATED at event {} (time {}): {}",
                    v.event, v.time, v.explanation
                ),
                (_, Some(r)) => format!("inconclusive: {r}"),
                _ => "holds".to_string(),
            };
            out.push_str(&format!("  {:width$}  {detail}\n", p.name));
        }
        out.push_str(&format!(
            "verdict: {}{}\n",
            self.verdict.word(),
            expectation(self.expected.as_ref(), self.matches_expectation)
        ));
        let s = &self.stats;
        out.push_str(&format!(
            "stats: {} events, {} messages sent, {} delivered, {} dropped, run ended at {}\n",
            s.events, s.messages_sent, s.messages_delivered, s.messages_dropped, s.end_time
        ));
        if !self.metrics.is_empty() {
            let m: Vec<String> = self
                .metrics
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            out.push_str(&format!("measured: {}\n", m.join(", ")));
        }
        out
    }
}

fn expectation(expected: Option<&Expect>, matches: bool) -> String {
    let word = expected.map_or("hold".to_string(), Expect::describe);
    if matches {
        format!(" (as expected: {word})")
    } else {
        format!(" (EXPECTED {word})")
    }
}

/// The verdict of a bounded search: `hold` only when it was complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckVerdict {
    /// The state space was exhausted and every property was judged and holds.
    Hold,
    Violation,
    /// No violation in the part of the state space the search covered.
    NoViolationWithinBound,
    /// A liveness property was never judged: no explored path reached the end of a run.
    Inconclusive,
}

impl CheckVerdict {
    fn words(self) -> &'static str {
        match self {
            CheckVerdict::Hold => "hold",
            CheckVerdict::Violation => "violation",
            CheckVerdict::NoViolationWithinBound => "no violation within the bound",
            CheckVerdict::Inconclusive => "inconclusive",
        }
    }
}

/// `ioa check --json`.
#[derive(Debug, Serialize)]
pub struct CheckJson {
    pub scenario: String,
    pub algorithm: String,
    /// `bfs` or `dfs`.
    pub search: &'static str,
    pub verdict: CheckVerdict,
    pub expected: Option<Expect>,
    pub matches_expectation: bool,
    pub unique_states: usize,
    /// The deepest path explored, in actions.
    pub max_depth: usize,
    /// Every reachable state was explored.
    pub complete: bool,
    /// What stopped the search short of that: `depth`, `states`, `time` or `memory`.
    pub stopped_by: Option<&'static str>,
    /// Every path of at most this many actions was explored.
    pub depth_covered: Option<usize>,
    pub seconds: f64,
    pub states_per_second: f64,
    /// Growth of resident memory per unique state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes_per_state: Option<f64>,
    pub properties: Vec<CheckProperty>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counterexample: Option<Vec<TraceEvent>>,
    /// For a liveness lasso: the first event of the cycle the counterexample repeats forever.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cycle_from: Option<u64>,
    /// The fair-cycle search for liveness on infinite executions, when it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lasso: Option<LassoJson>,
    /// The depth bound the search was given.
    #[serde(skip)]
    depth_bound: usize,
}

/// What the lasso search covered (`ioa check --json`, key `lasso`).
#[derive(Debug, Serialize)]
pub struct LassoJson {
    /// States of the time-shifted graph explored.
    pub states: usize,
    pub complete: bool,
    pub stopped_by: Option<&'static str>,
    /// Fair cycles with an unmet obligation that were examined.
    pub fair_cycles: usize,
    /// Why it gave no verdict, when it could not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CheckProperty {
    pub name: String,
    /// `hold` (complete search), `violation`, `no-violation-within-bound` or `inconclusive`.
    pub verdict: CheckVerdict,
    /// True only when the property was shown to hold on the whole state space.
    pub holds: bool,
    /// States at which it was judged (liveness: where a run ended).
    pub judged: usize,
    /// Run ends at which the monitor could not judge.
    pub inconclusive: usize,
}

impl CheckJson {
    pub fn new(
        scenario: &str,
        algorithm: &str,
        expect: Option<Expect>,
        depth_bound: usize,
        e: Explored,
    ) -> Self {
        let complete = e.coverage.complete;
        let lasso = e.lasso.as_ref().filter(|l| l.skipped.is_none());
        let lasso_complete = lasso.is_some_and(|l| l.complete);
        let properties: Vec<CheckProperty> = e
            .properties
            .iter()
            .map(|p| {
                let liveness = p.kind == automata::PropertyKind::Liveness;
                // Liveness holds only if both the finite ends and the fair cycles were covered
                // (with a horizon every run is finite, and judged where it ends).
                let covered = complete && (!liveness || lasso_complete || e.horizon.is_some());
                let judged = p.judged > 0 || (liveness && lasso.is_some());
                let verdict = if p.violated {
                    CheckVerdict::Violation
                } else if !judged || p.inconclusive > 0 {
                    CheckVerdict::Inconclusive
                } else if covered {
                    CheckVerdict::Hold
                } else {
                    CheckVerdict::NoViolationWithinBound
                };
                CheckProperty {
                    name: p.name.clone(),
                    verdict,
                    holds: verdict == CheckVerdict::Hold,
                    judged: p.judged,
                    inconclusive: p.inconclusive,
                }
            })
            .collect();
        let has = |v| properties.iter().any(|p| p.verdict == v);
        let verdict = if has(CheckVerdict::Violation) {
            CheckVerdict::Violation
        } else if has(CheckVerdict::Inconclusive) {
            CheckVerdict::Inconclusive
        } else if has(CheckVerdict::NoViolationWithinBound) || !complete {
            CheckVerdict::NoViolationWithinBound
        } else {
            CheckVerdict::Hold
        };
        let violated: Vec<&str> = e
            .counterexample
            .as_ref()
            .map(|(p, _)| p.as_str())
            .into_iter()
            .collect();
        let matches_expectation = match verdict {
            CheckVerdict::Hold | CheckVerdict::NoViolationWithinBound => {
                RunVerdict::Hold.matches(expect.as_ref(), &[])
            }
            CheckVerdict::Violation => RunVerdict::Violation.matches(expect.as_ref(), &violated),
            CheckVerdict::Inconclusive => false,
        };
        CheckJson {
            scenario: scenario.to_string(),
            algorithm: algorithm.to_string(),
            search: match e.search {
                automata::check::Search::Bfs => "bfs",
                automata::check::Search::Dfs => "dfs",
            },
            verdict,
            expected: expect,
            matches_expectation,
            unique_states: e.unique_states,
            max_depth: e.max_depth,
            complete,
            stopped_by: e.coverage.stopped_by.map(|s| s.word()),
            depth_covered: e.coverage.depth_covered,
            seconds: e.elapsed.as_secs_f64(),
            states_per_second: e.rate(),
            bytes_per_state: e.bytes_per_state,
            properties,
            counterexample: e.counterexample.map(|(_, trace)| trace),
            cycle_from: e.cycle_from,
            lasso: e.lasso.map(|l| LassoJson {
                states: l.nodes,
                complete: l.complete,
                stopped_by: l.stopped_by.map(|s| s.word()),
                fair_cycles: l.fair_cycles,
                skipped: l.skipped,
            }),
            depth_bound,
        }
    }

    /// What the search covered, in words.
    pub fn coverage(&self) -> String {
        if self.complete {
            return "complete: every reachable state was explored".to_string();
        }
        let covered = match self.depth_covered {
            Some(d) => format!("every path of up to {d} actions was explored"),
            None => "no depth was covered in full (depth-first)".to_string(),
        };
        match self.stopped_by {
            Some("depth") => format!(
                "not complete: paths longer than {} actions were cut (the depth bound); {covered}",
                self.depth_bound
            ),
            Some(budget) => format!("not complete: stopped by the {budget} budget; {covered}"),
            None => format!("stopped at the first violation; {covered}"),
        }
    }

    pub fn text(&self) -> String {
        let order = if self.search == "dfs" {
            "depth-first"
        } else {
            "breadth-first"
        };
        let mut out = format!(
            "{} ({}): model checking, {order}, depth bound {}\n",
            self.scenario, self.algorithm, self.depth_bound
        );
        // Below a few thousand states the growth of resident memory is mostly noise.
        let per_state = self
            .bytes_per_state
            .filter(|_| self.unique_states >= 5_000)
            .map(|b| format!(", {} per state", automata::check::bytes(b as u64)))
            .unwrap_or_default();
        // The counts first, on a line of their own that a page can quote and compare; the
        // timing, which varies from machine to machine, after it.
        out.push_str(&format!(
            "  {} unique states, deepest path {}\n",
            self.unique_states, self.max_depth
        ));
        out.push_str(&format!(
            "  {:.1} s ({:.0} states/s{per_state})\n",
            self.seconds, self.states_per_second
        ));
        out.push_str(&format!("  {}\n", self.coverage()));
        if let Some(l) = &self.lasso {
            out.push_str(&format!("  {}\n", l.text()));
        }
        let width = self
            .properties
            .iter()
            .map(|p| p.name.len())
            .max()
            .unwrap_or(0);
        for p in &self.properties {
            let detail = match p.verdict {
                CheckVerdict::Hold => "holds on every path".to_string(),
                CheckVerdict::Violation => "VIOLATED".to_string(),
                CheckVerdict::NoViolationWithinBound => "no violation within the bound".to_string(),
                CheckVerdict::Inconclusive if p.inconclusive > 0 => format!(
                    "inconclusive: the monitor could not judge {} of the runs that ended",
                    p.inconclusive
                ),
                CheckVerdict::Inconclusive => {
                    "inconclusive: no explored run ended and no fair cycle was searched, so it was never judged"
                        .to_string()
                }
            };
            out.push_str(&format!("  {:width$}  {detail}\n", p.name));
        }
        if let Some(trace) = &self.counterexample {
            out.push_str("counterexample:\n");
            for e in trace {
                if Some(e.index) == self.cycle_from {
                    out.push_str("  -- the cycle: from here on the path repeats forever --\n");
                }
                out.push_str(&format!("  {}\n", trace_line(e)));
            }
        }
        out.push_str(&format!(
            "verdict: {}{}\n",
            self.verdict.words(),
            expectation(self.expected.as_ref(), self.matches_expectation)
        ));
        out
    }
}

impl LassoJson {
    /// One line for people.
    pub fn text(&self) -> String {
        if let Some(why) = &self.skipped {
            return format!("liveness on infinite runs (fair cycles): not searched: {why}");
        }
        let extent = if self.complete {
            "every reachable state".to_string()
        } else {
            format!(
                "stopped by the {} bound",
                self.stopped_by.unwrap_or("search")
            )
        };
        format!(
            "liveness on infinite runs: {} states of the time-shifted graph ({extent}), {} fair cycle(s) with an unmet obligation examined",
            self.states, self.fair_cycles
        )
    }
}

/// One trace event on one line, for people.
pub fn trace_line(e: &TraceEvent) -> String {
    let event = serde_json::to_string(&e.event).unwrap_or_default();
    format!(
        "#{:<4} t={:<6} p{:<3} {:<6} {:<10} {event}",
        e.index,
        e.time,
        e.process,
        e.module,
        format!("{:?}", e.kind).to_lowercase()
    )
}
