//! Total-order broadcast's ordering properties (CGR Module 6.1): TOB5 total order over correct
//! processes, UTOB5 uniform total order over all processes, and prefix order (every process
//! delivers a prefix of one sequence). A message is its original sender and payload, as for
//! the broadcast monitors.

use automata::{
    Event, Kind, Layer, Monitor, Pid, RunSummary, TraceEvent, Value, Verdict, Violation,
};
use std::collections::BTreeMap;

type Msg = (Pid, Value);

/// Each process's deliveries at one layer, in order, with each message's position.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Sequences {
    seq: BTreeMap<Pid, Vec<Msg>>,
    pos: BTreeMap<Pid, BTreeMap<Msg, usize>>,
}

impl Sequences {
    /// Records `e` if it is a delivery; returns the process and message.
    fn record(&mut self, e: &TraceEvent) -> Option<(Pid, Msg)> {
        let (Kind::Indication, Event::Deliver { from, msg }) = (&e.kind, &e.event) else {
            return None;
        };
        let m = (*from, msg.clone());
        let seq = self.seq.entry(e.process).or_default();
        self.pos
            .entry(e.process)
            .or_default()
            .entry(m.clone())
            .or_insert(seq.len());
        seq.push(m.clone());
        Some((e.process, m))
    }
}

/// TOB5 `total-order` (S\*): if correct processes p and q both deliver m1 and m2, and p
/// delivers m1 before m2, then q delivers m1 before m2. [`TotalOrder::uniform`] is UTOB5
/// `uniform-total-order` (S): the same for any two processes. Each delivery is compared with
/// every earlier delivery of the same process and the other processes' order of the pair.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TotalOrder {
    layer: Layer,
    uniform: bool,
    seen: Sequences,
    /// The first disagreement of each pair of processes (regular version, judged at the end).
    candidates: BTreeMap<(Pid, Pid), Violation>,
}

impl TotalOrder {
    pub fn regular(module: &str) -> Self {
        TotalOrder {
            layer: Layer::new(module),
            uniform: false,
            seen: Sequences::default(),
            candidates: BTreeMap::new(),
        }
    }

    pub fn uniform(module: &str) -> Self {
        TotalOrder {
            uniform: true,
            ..TotalOrder::regular(module)
        }
    }
}

impl Monitor for TotalOrder {
    fn name(&self) -> &str {
        if self.uniform {
            "uniform-total-order"
        } else {
            "total-order"
        }
    }
    fn kind(&self) -> automata::PropertyKind {
        if self.uniform {
            automata::PropertyKind::Safety
        } else {
            automata::PropertyKind::SafetyOverCorrect
        }
    }
    fn cares_module(&self, module: &str) -> bool {
        self.layer.is(module)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if !self.layer.is(&e.module) {
            return None;
        }
        let (q, m2) = self.seen.record(e)?;
        let earlier = &self.seen.seq[&q][..self.seen.seq[&q].len() - 1];
        for (&p, pos) in &self.seen.pos {
            if p == q || self.candidates.contains_key(&(p.min(q), p.max(q))) {
                continue;
            }
            let Some(&at2) = pos.get(&m2) else { continue };
            // q delivered m1 then m2; p delivered m2 before m1.
            let Some(m1) = earlier
                .iter()
                .find(|m1| pos.get(*m1).is_some_and(|&at1| at1 > at2))
            else {
                continue;
            };
            let v = Violation::at(
                e,
                format!(
                    "process {q} delivered {:?} from {} after {:?} from {}, but process {p} delivered them in the opposite order",
                    m2.1, m2.0, m1.1, m1.0
                ),
            );
            if self.uniform {
                return Some(v);
            }
            self.candidates.insert((p.min(q), p.max(q)), v);
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        self.candidates
            .iter()
            .filter(|((p, q), _)| self.uniform || (run.is_correct(*p) && run.is_correct(*q)))
            .map(|(_, v)| v)
            .min_by_key(|v| v.event)
            .map_or(Verdict::Hold, |v| Verdict::Violation(v.clone()))
    }
}

/// `prefix-order` (S): of any two processes, faulty ones included, one delivered a prefix of
/// what the other delivered: the k-th delivery of every process is the same message. Stronger
/// than TOB5 and UTOB5, which allow a process to skip a message the others deliver.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PrefixOrder {
    layer: Layer,
    seen: Sequences,
}

impl PrefixOrder {
    pub fn new(module: &str) -> Self {
        PrefixOrder {
            layer: Layer::new(module),
            seen: Sequences::default(),
        }
    }
}

impl Monitor for PrefixOrder {
    automata::property!("prefix-order", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if !self.layer.is(&e.module) {
            return None;
        }
        let (q, m) = self.seen.record(e)?;
        let k = self.seen.seq[&q].len() - 1;
        self.seen.seq.iter().find_map(|(&p, seq)| {
            let other = seq.get(k).filter(|o| p != q && **o != m)?;
            Some(Violation::at(
                e,
                format!(
                    "process {q}'s delivery number {} is {:?} from {}, but process {p}'s is {:?} from {}",
                    k + 1,
                    m.1,
                    m.0,
                    other.1,
                    other.0
                ),
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deliveries(seqs: &[(Pid, &[&str])]) -> Vec<TraceEvent> {
        let mut events = Vec::new();
        for &(p, msgs) in seqs {
            for m in msgs {
                let deliver = Event::Deliver {
                    from: 0,
                    msg: Value::str(m),
                };
                let i = events.len();
                events.push(TraceEvent::scripted(i, p, "tob", Kind::Indication, deliver));
            }
        }
        events
    }

    use automata::monitor::first_violation;

    /// A process that skips m1 and delivers m2 breaks no total order (it delivered only one
    /// of the pair) but breaks prefix order, at its first delivery.
    #[test]
    fn prefix_order_catches_a_gap_that_total_order_allows() {
        let events = deliveries(&[(0, &["m1", "m2"]), (1, &["m2"])]);
        assert_eq!(
            first_violation(&mut TotalOrder::uniform("tob"), &events),
            None
        );
        assert_eq!(
            first_violation(&mut PrefixOrder::new("tob"), &events),
            Some(2)
        );
    }

    /// Two processes delivering a pair in opposite orders break uniform total order at the
    /// second delivery of the second process; a process delivering a prefix breaks nothing.
    #[test]
    fn total_order_catches_opposite_orders_only() {
        let swapped = deliveries(&[(0, &["m1", "m2"]), (1, &["m2", "m1"])]);
        assert_eq!(
            first_violation(&mut TotalOrder::uniform("tob"), &swapped),
            Some(3)
        );
        let prefix = deliveries(&[(0, &["m1", "m2", "m3"]), (1, &["m1", "m2"])]);
        assert_eq!(
            first_violation(&mut TotalOrder::uniform("tob"), &prefix),
            None
        );
        assert_eq!(first_violation(&mut PrefixOrder::new("tob"), &prefix), None);
    }
}
