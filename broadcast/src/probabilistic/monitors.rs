//! PB1 probabilistic validity and the delivery statistics of gossip (book §6.6,
//! "PB-stats"), as one monitor over the `Broadcast` requests and `Deliver` indications of a
//! probabilistic broadcast module.
//!
//! Per run it judges whether every broadcast reached every correct process (so over a sweep the
//! violation rate estimates 1 − P(all), to compare with ε), and measures:
//!
//! - `all_delivered`: 1 if every broadcast reached every correct process, else 0 (C.1);
//! - `delivered_fraction`: mean over broadcasts of the fraction of correct processes reached;
//! - `residue`: 1 − `delivered_fraction`, the fraction never reached (C.2);
//! - `rounds`: the longest time from a broadcast to its last first delivery, in ticks (one tick
//!   a round in the synchronous-round scenarios, C.3).

use automata::{
    Event, Kind, Layer, Monitor, Pid, RunSummary, Time, TraceEvent, Value, Verdict, Violation,
};
use std::collections::BTreeMap;

/// PB1 and the gossip statistics.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GossipStats {
    layer: Layer,
    /// (sender, payload) → broadcast time.
    broadcasts: BTreeMap<(Pid, Value), Time>,
    /// (sender, payload) → process → first delivery time.
    deliveries: BTreeMap<(Pid, Value), BTreeMap<Pid, Time>>,
}

impl GossipStats {
    pub fn new(module: &str) -> Self {
        GossipStats {
            layer: Layer::new(module),
            broadcasts: BTreeMap::new(),
            deliveries: BTreeMap::new(),
        }
    }

    /// Per broadcast: (correct processes reached, time of the last first delivery).
    fn reach(&self, run: &RunSummary) -> Vec<(usize, Time)> {
        self.broadcasts
            .iter()
            .map(|(key, &at)| {
                let got = self.deliveries.get(key);
                let reached = run
                    .correct()
                    .filter(|q| got.is_some_and(|g| g.contains_key(q)))
                    .count();
                let last = got.and_then(|g| g.values().max().copied()).unwrap_or(at);
                (reached, last.saturating_sub(at))
            })
            .collect()
    }
}

impl Monitor for GossipStats {
    automata::property!("probabilistic-validity", Liveness);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if !self.layer.is(&e.module) {
            return None;
        }
        match (&e.kind, &e.event) {
            (Kind::Request, Event::Broadcast { msg }) => {
                self.broadcasts
                    .entry((e.process, msg.clone()))
                    .or_insert(e.time);
            }
            (Kind::Indication, Event::Deliver { from, msg }) => {
                self.deliveries
                    .entry((*from, msg.clone()))
                    .or_default()
                    .entry(e.process)
                    .or_insert(e.time);
            }
            _ => {}
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let correct = run.correct().count();
        let missed = self
            .broadcasts
            .keys()
            .zip(self.reach(run))
            .find(|(_, (reached, _))| *reached < correct);
        run.liveness(missed.map(|((s, m), (reached, _))| Violation {
            event: run.events.saturating_sub(1),
            time: run.end_time,
            explanation: format!(
                "the broadcast of {m} by {s} reached {reached} of the {correct} correct processes"
            ),
        }))
    }
    fn measure(&self, run: &RunSummary) -> Vec<(&'static str, f64)> {
        let correct = run.correct().count().max(1) as f64;
        let reach = self.reach(run);
        if reach.is_empty() {
            return Vec::new();
        }
        let fraction =
            reach.iter().map(|&(r, _)| r as f64 / correct).sum::<f64>() / reach.len() as f64;
        let all = reach.iter().all(|&(r, _)| r as f64 >= correct);
        let rounds = reach.iter().map(|&(_, t)| t).max().unwrap_or(0);
        vec![
            ("all_delivered", f64::from(u8::from(all))),
            ("delivered_fraction", fraction),
            ("residue", 1.0 - fraction),
            ("rounds", rounds as f64),
        ]
    }
}
