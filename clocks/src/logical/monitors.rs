//! Monitors of logical time (book §10.1): LC1 clock-condition, VC1
//! strong-clock-condition, VC2 own-count, and the C.17 false-order rate.
//!
//! The monitor reads the `timestamp` events a clock module traces ([`super::stamp_event`]) and
//! computes happened-before itself: it keeps, for every event, the set of events in its causal
//! past as a vector of per-process event counts (local order, then send → receive, closed under
//! transitivity), independent of whatever the clock under test computed. Every new event is
//! compared with every earlier one (exhaustive: the runs that check this are small), so a
//! timestamp is judged against the true relation on every pair.

use automata::monitor::PropertyKind;
use automata::{Event, Kind, Layer, Mark, Monitor, Pid, RunSummary, TraceEvent, Value, Violation};
use std::collections::BTreeMap;

/// Which predicate the monitor judges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Condition {
    /// LC1: e → f ⇒ T(e) < T(f).
    Clock,
    /// VC1: e → f ⇔ T(e) < T(f) (both directions).
    Strong,
    /// VC2: T(e)[p] = the number of events at p up to and including e.
    OwnCount,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Stamped {
    /// Where it happened (the trace index names it in explanations).
    at: Mark,
    process: Pid,
    /// The event's causal past, as counts of events per process (the monitor's own).
    past: Vec<u64>,
    /// The timestamp the clock gave it.
    stamp: Vec<i64>,
}

/// One monitor per condition; all of them also measure `false_order` (C.17): the fraction of
/// concurrent pairs the timestamps order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Causality {
    layer: Layer,
    condition: Condition,
    /// The causal past of each process's latest event.
    current: BTreeMap<Pid, Vec<u64>>,
    /// The causal past of each message's send event, by (sender, seq).
    sent: BTreeMap<(Pid, u64), Vec<u64>>,
    events: Vec<Stamped>,
    concurrent: u64,
    falsely_ordered: u64,
}

/// a ≤ b component-wise (missing components are 0).
fn leq<A: Copy + Into<i128>>(a: &[A], b: &[A]) -> bool {
    (0..a.len().max(b.len())).all(|k| {
        let x = a.get(k).map_or(0, |&x| x.into());
        let y = b.get(k).map_or(0, |&y| y.into());
        x <= y
    })
}

/// a < b: a ≤ b and a ≠ b.
fn lt<A: Copy + Into<i128>>(a: &[A], b: &[A]) -> bool {
    leq(a, b) && !leq(b, a)
}

fn merge(into: &mut Vec<u64>, other: &[u64]) {
    if into.len() < other.len() {
        into.resize(other.len(), 0);
    }
    for (k, &x) in other.iter().enumerate() {
        into[k] = into[k].max(x);
    }
}

/// The `[side, sender, seq, [components]]` of a `timestamp` event.
fn parse(value: &Value) -> Option<(bool, Pid, u64, Vec<i64>)> {
    let Value::List(items) = value else {
        return None;
    };
    let [Value::Str(side), Value::Int(sender), Value::Int(seq), Value::List(ts)] = items.as_slice()
    else {
        return None;
    };
    let stamp = ts
        .iter()
        .map(|c| match c {
            Value::Int(i) => Some(*i),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some((&**side == "receive", *sender as Pid, *seq as u64, stamp))
}

impl Causality {
    pub fn new(module: &str, condition: Condition) -> Self {
        Causality {
            layer: Layer::new(module),
            condition,
            current: BTreeMap::new(),
            sent: BTreeMap::new(),
            events: Vec::new(),
            concurrent: 0,
            falsely_ordered: 0,
        }
    }

    /// LC1 clock-condition on module `module`.
    pub fn clock_condition(module: &str) -> Self {
        Self::new(module, Condition::Clock)
    }

    /// VC1 strong-clock-condition on module `module`.
    pub fn strong_clock_condition(module: &str) -> Self {
        Self::new(module, Condition::Strong)
    }

    /// VC2 own-count on module `module`.
    pub fn own_count(module: &str) -> Self {
        Self::new(module, Condition::OwnCount)
    }

    /// Concurrent pairs seen, and how many of them the timestamps order.
    pub fn concurrent_pairs(&self) -> (u64, u64) {
        (self.concurrent, self.falsely_ordered)
    }

    fn show(stamp: &[i64]) -> String {
        let parts: Vec<String> = stamp.iter().map(i64::to_string).collect();
        if parts.len() == 1 {
            parts[0].clone()
        } else {
            format!("[{}]", parts.join(", "))
        }
    }
}

impl Monitor for Causality {
    fn name(&self) -> &str {
        match self.condition {
            Condition::Clock => "clock-condition",
            Condition::Strong => "strong-clock-condition",
            Condition::OwnCount => "own-count",
        }
    }

    fn kind(&self) -> PropertyKind {
        PropertyKind::Safety
    }

    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if e.kind != Kind::Internal || !self.layer.is(&e.module) {
            return None;
        }
        let Event::Other { name, value } = &e.event else {
            return None;
        };
        if name != "timestamp" {
            return None;
        }
        let (receive, sender, seq, stamp) = parse(value)?;
        let p = e.process;
        let mut past = self.current.get(&p).cloned().unwrap_or_default();
        if receive {
            if let Some(at_send) = self.sent.get(&(sender, seq)) {
                merge(&mut past, &at_send.clone());
            }
        }
        if past.len() <= p {
            past.resize(p + 1, 0);
        }
        past[p] += 1;
        self.current.insert(p, past.clone());
        if !receive {
            self.sent.insert((p, seq), past.clone());
        }
        let mut violation = None;
        if self.condition == Condition::OwnCount {
            let own = stamp.get(p).copied().unwrap_or(0);
            if own != past[p] as i64 {
                violation = Some(Violation::at(
                    e,
                    format!(
                        "V(e)[{p}] = {own}, but e is event number {} at process {p}",
                        past[p]
                    ),
                ));
            }
        }
        for earlier in &self.events {
            // Trace order extends causality, so the new event cannot precede an earlier one.
            let before = leq(&earlier.past, &past);
            let ordered = lt(&earlier.stamp, &stamp);
            let reversed = lt(&stamp, &earlier.stamp);
            if !before {
                self.concurrent += 1;
                if ordered || reversed {
                    self.falsely_ordered += 1;
                }
            }
            if violation.is_some() {
                continue;
            }
            let (te, tf) = (Self::show(&earlier.stamp), Self::show(&stamp));
            let (ie, pe) = (earlier.at.event, earlier.process);
            if before && !ordered && self.condition != Condition::OwnCount {
                violation = Some(Violation::at(
                    e,
                    format!(
                        "event {ie} at {pe} happened before event {} at {p}, but its timestamp {te} is not below {tf}",
                        e.index
                    ),
                ));
            } else if !before && (ordered || reversed) && self.condition == Condition::Strong {
                violation = Some(Violation::at(
                    e,
                    format!(
                        "events {ie} at {pe} and {} at {p} are concurrent, but their timestamps {te} and {tf} are ordered",
                        e.index
                    ),
                ));
            }
        }
        self.events.push(Stamped {
            at: Mark::of(e),
            process: p,
            past,
            stamp,
        });
        violation
    }

    fn measure(&self, _run: &RunSummary) -> Vec<(&'static str, f64)> {
        if self.concurrent == 0 {
            return Vec::new();
        }
        vec![(
            "false_order",
            self.falsely_ordered as f64 / self.concurrent as f64,
        )]
    }
}
