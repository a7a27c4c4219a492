//! What `ioa run` and `ioa check` print: text for people, JSON (SCENARIOS.md) for tools.

use crate::registry::Explored;
use crate::spec::Expect;
use automata::monitor::{PropertyResult, Verdict};
use automata::sim::{Outcome, Stats};
use automata::TraceEvent;
use serde::Serialize;

/// The verdict of a whole run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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

    /// Whether this is the outcome the scenario expects (hold when it states none).
    pub fn matches(self, expect: Option<Expect>) -> bool {
        matches!(
            (self, expect.unwrap_or(Expect::Hold)),
            (RunVerdict::Hold, Expect::Hold) | (RunVerdict::Violation, Expect::Violation)
        )
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
        RunJson {
            scenario: scenario.to_string(),
            algorithm: algorithm.to_string(),
            seed,
            verdict,
            expected: expect,
            matches_expectation: verdict.matches(expect),
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
            expectation(self.expected, self.matches_expectation)
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

fn expectation(expected: Option<Expect>, matches: bool) -> String {
    let word = match expected {
        Some(Expect::Hold) | None => "hold",
        Some(Expect::Violation) => "violation",
    };
    if matches {
        format!(" (as expected: {word})")
    } else {
        format!(" (EXPECTED {word})")
    }
}

/// `ioa check --json`.
#[derive(Debug, Serialize)]
pub struct CheckJson {
    pub scenario: String,
    pub algorithm: String,
    pub verdict: RunVerdict,
    pub expected: Option<Expect>,
    pub matches_expectation: bool,
    pub unique_states: usize,
    pub max_depth: usize,
    pub properties: Vec<CheckProperty>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counterexample: Option<Vec<TraceEvent>>,
}

#[derive(Debug, Serialize)]
pub struct CheckProperty {
    pub name: String,
    pub holds: bool,
}

impl CheckJson {
    pub fn new(scenario: &str, algorithm: &str, expect: Option<Expect>, e: Explored) -> Self {
        let violated = e.counterexample.as_ref().map(|(p, _)| p.clone());
        let verdict = if violated.is_some() {
            RunVerdict::Violation
        } else {
            RunVerdict::Hold
        };
        CheckJson {
            scenario: scenario.to_string(),
            algorithm: algorithm.to_string(),
            verdict,
            expected: expect,
            matches_expectation: verdict.matches(expect),
            unique_states: e.unique_states,
            max_depth: e.max_depth,
            properties: e
                .properties
                .iter()
                .map(|name| CheckProperty {
                    name: name.clone(),
                    holds: violated.as_deref() != Some(name),
                })
                .collect(),
            counterexample: e.counterexample.map(|(_, trace)| trace),
        }
    }

    pub fn text(&self, depth_bound: usize) -> String {
        let mut out = format!(
            "{} ({}): exhaustive check up to depth {depth_bound}\n",
            self.scenario, self.algorithm
        );
        out.push_str(&format!(
            "  {} unique states, deepest path {}\n",
            self.unique_states, self.max_depth
        ));
        for p in &self.properties {
            out.push_str(&format!(
                "  {}  {}\n",
                p.name,
                if p.holds {
                    "holds on every explored path"
                } else {
                    "VIOLATED"
                }
            ));
        }
        if let Some(trace) = &self.counterexample {
            out.push_str("counterexample:\n");
            for e in trace {
                out.push_str(&format!("  {}\n", trace_line(e)));
            }
        }
        out.push_str(&format!(
            "verdict: {}{}\n",
            self.verdict.word(),
            expectation(self.expected, self.matches_expectation)
        ));
        out
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
