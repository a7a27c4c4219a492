//! What a pulse costs (book §10.3.4, C.11), measured from the trace: the synchronizer's control
//! messages (each recorded as a [`super::OVERHEAD`] event), the algorithm's messages and the
//! time until every process finished its pulses. [`PulseCost`] judges SR3 progress too, so a
//! blocked synchronizer (B-10.7) shows up in the verdict and its cost is not averaged in.

use super::OVERHEAD;
use crate::rounds::monitors::{round_event, Progress, RoundEvent};
use automata::{Event, Kind, Layer, Monitor, RunSummary, Time, TraceEvent, Verdict, Violation};
use std::collections::BTreeMap;

/// SR3 progress, with the cost of the pulses.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PulseCost {
    layer: Layer,
    progress: Progress,
    /// Control messages by kind (`ack`, `safe`, `subtree-safe`, ...).
    pub overhead: BTreeMap<String, u64>,
    /// Algorithm messages.
    pub messages: u64,
    /// Pulses run (from the processes' "done" events).
    pub pulses: u64,
    /// When the last process finished its last pulse.
    pub end: Time,
}

impl PulseCost {
    pub fn new(module: &str) -> Self {
        PulseCost {
            layer: Layer::new(module),
            progress: Progress::new(module),
            overhead: BTreeMap::new(),
            messages: 0,
            pulses: 0,
            end: 0,
        }
    }

    /// All control messages.
    pub fn overhead_total(&self) -> u64 {
        self.overhead.values().sum()
    }
}

impl Monitor for PulseCost {
    automata::property!("progress", Liveness);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        self.progress.observe(e);
        if !self.layer.is(&e.module) {
            return None;
        }
        match (e.kind, &e.event) {
            (Kind::Internal, Event::Other { name, value }) if name == OVERHEAD => {
                let kind = value.as_str().unwrap_or("?").to_string();
                *self.overhead.entry(kind).or_default() += 1;
            }
            _ => match round_event(&self.layer, e) {
                Some(RoundEvent::Send { .. }) => self.messages += 1,
                Some(RoundEvent::Done(r)) => {
                    self.pulses = self.pulses.max(r);
                    self.end = self.end.max(e.time);
                }
                _ => {}
            },
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        self.progress.finish(run)
    }
    fn measure(&self, _run: &RunSummary) -> Vec<(&'static str, f64)> {
        let r = self.pulses.max(1) as f64;
        vec![
            (
                "overhead_messages_per_pulse",
                self.overhead_total() as f64 / r,
            ),
            ("algorithm_messages_per_pulse", self.messages as f64 / r),
            ("time_per_pulse", self.end as f64 / r),
        ]
    }
}
