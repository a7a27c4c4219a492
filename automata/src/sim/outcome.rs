//! What a run produced: its verdicts, counters, measurements and trace.

use crate::monitor::{PropertyResult, RunSummary, Verdict};
use crate::trace::TraceEvent;
use crate::Time;
use serde::Serialize;
use std::collections::BTreeMap;

/// Counters of a run, as `ioa run --json` prints them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Trace events (requests, indications, sends, deliveries, ... at every layer).
    pub events: u64,
    /// Process steps taken (inputs handled).
    pub steps: u64,
    pub messages_sent: u64,
    pub messages_delivered: u64,
    pub messages_dropped: u64,
    pub end_time: Time,
}

/// What a run produced.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub properties: Vec<PropertyResult>,
    pub stats: Stats,
    pub summary: RunSummary,
    /// The monitors' measurements ([`crate::Monitor::measure`]).
    pub metrics: BTreeMap<String, f64>,
    pub trace: Option<Vec<TraceEvent>>,
    /// Why the run stopped before its horizon, when it outgrew the simulator's limits (its
    /// verdicts then judge a truncated run and should not be reported).
    pub cut_short: Option<String>,
}

impl Outcome {
    /// Whether every property holds (none violated, none inconclusive).
    pub fn all_hold(&self) -> bool {
        self.properties.iter().all(|p| p.verdict.holds())
    }

    /// The result for property `name`.
    pub fn property(&self, name: &str) -> Option<&PropertyResult> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// The verdict on property `name`; panics if the run did not monitor it (for tests).
    pub fn verdict(&self, name: &str) -> &Verdict {
        &self
            .property(name)
            .unwrap_or_else(|| panic!("property {name} was not monitored"))
            .verdict
    }

    /// Panics unless property `name` holds (for tests).
    pub fn assert_holds(&self, name: &str) {
        let v = self.verdict(name);
        assert!(
            matches!(v, Verdict::Hold),
            "{name}: expected hold, got {v:?}"
        );
    }

    /// The event that violates property `name`, from the recorded trace; panics unless the
    /// run violated it (an inconclusive verdict is not a violation) or was not recorded (for
    /// tests).
    pub fn violating_event(&self, name: &str) -> &TraceEvent {
        match self.verdict(name) {
            Verdict::Violation(v) => {
                &self.trace.as_ref().expect("a recorded trace")[v.event as usize]
            }
            other => panic!("{name}: expected a violation, got {other:?}"),
        }
    }
}
