//! The four properties of uniform terminating reliable broadcast (CGR Section 6.3):
//! termination, validity, integrity and uniform agreement, over the `Broadcast | m` request
//! and the `Deliver | s, v` indications of the `utrb` layer, v a message or ⊥ (the string
//! `⊥`, [`BOTTOM`]).

use crate::interface::BOTTOM;
use automata::{
    Event, Kind, Layer, Mark, Monitor, Pid, RunSummary, TraceEvent, Value, Verdict, Violation,
};
use std::collections::{BTreeMap, BTreeSet};

/// A broadcast request of the TRB layer: the message.
fn trb_broadcast<'e>(layer: &Layer, e: &'e TraceEvent) -> Option<&'e Value> {
    match (e.kind, layer.event(e)?) {
        (Kind::Request, Event::Broadcast { msg }) => Some(msg),
        _ => None,
    }
}

/// A delivery of the TRB layer: the sender it names and the value, a message or ⊥.
fn trb_delivery<'e>(layer: &Layer, e: &'e TraceEvent) -> Option<(Pid, &'e Value)> {
    match (e.kind, layer.event(e)?) {
        (Kind::Indication, Event::Deliver { from, msg }) => Some((*from, msg)),
        _ => None,
    }
}

/// Whether a delivered value is ⊥.
fn is_bottom(v: &Value) -> bool {
    v.as_str() == Some(BOTTOM)
}

/// TRB `termination` (L): every correct process delivers exactly one value, a message or ⊥,
/// by the end of a complete run. (Integrity forbids a second delivery at any process, at once;
/// this judges the correct ones at the end, and a missing delivery.)
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TrbTermination {
    layer: Layer,
    /// The broadcast, if any: the witness of a missing delivery.
    broadcast: Option<Mark>,
    /// Each process's deliveries (counted up to 2) and the last of them.
    delivered: BTreeMap<Pid, (u8, Mark)>,
}

impl TrbTermination {
    pub fn new(module: &str) -> Self {
        TrbTermination {
            layer: Layer::new(module),
            broadcast: None,
            delivered: BTreeMap::new(),
        }
    }
}

impl Monitor for TrbTermination {
    automata::property!("termination", Liveness; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if trb_broadcast(&self.layer, e).is_some() {
            self.broadcast.get_or_insert(Mark::of(e));
        } else if trb_delivery(&self.layer, e).is_some() {
            let (count, at) = self.delivered.entry(e.process).or_insert((0, Mark::of(e)));
            *count = (*count + 1).min(2);
            *at = Mark::of(e);
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let failed = run.correct().find_map(|p| match self.delivered.get(&p) {
            None => Some(Violation::marked(
                self.broadcast.unwrap_or_default(),
                format!("correct process {p} never delivered a message or ⊥"),
            )),
            Some(&(count, at)) if count > 1 => Some(Violation::marked(
                at,
                format!("correct process {p} delivered more than once"),
            )),
            Some(_) => None,
        });
        run.liveness(failed)
    }
}

/// TRB `validity` (L): if the sender s is correct and broadcasts m, every correct process
/// delivers m (its first delivery is m; ⊥ or anything else fails). The sender is the process
/// of the broadcast request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TrbValidity {
    layer: Layer,
    /// The sender, its message and when it broadcast it.
    broadcast: Option<(Pid, Value, Mark)>,
    /// Each process's first delivery: the sender it names, the value, when.
    delivered: BTreeMap<Pid, (Pid, Value, Mark)>,
}

impl TrbValidity {
    pub fn new(module: &str) -> Self {
        TrbValidity {
            layer: Layer::new(module),
            broadcast: None,
            delivered: BTreeMap::new(),
        }
    }
}

impl Monitor for TrbValidity {
    automata::property!("validity", Liveness; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(m) = trb_broadcast(&self.layer, e) {
            self.broadcast
                .get_or_insert_with(|| (e.process, m.clone(), Mark::of(e)));
        } else if let Some((from, v)) = trb_delivery(&self.layer, e) {
            self.delivered
                .entry(e.process)
                .or_insert_with(|| (from, v.clone(), Mark::of(e)));
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let Some((s, m, sent)) = self.broadcast.as_ref().filter(|b| run.is_correct(b.0)) else {
            return run.liveness(None);
        };
        let failed = run.correct().find_map(|p| match self.delivered.get(&p) {
            None => Some(Violation::marked(
                *sent,
                format!("the sender {s} is correct and broadcast {m:?}, but correct process {p} never delivered it"),
            )),
            Some((from, v, at)) if (from, v) != (s, m) => Some(Violation::marked(
                *at,
                format!("the sender {s} is correct and broadcast {m:?}, but correct process {p} delivered {v:?} from {from}"),
            )),
            Some(_) => None,
        });
        run.liveness(failed)
    }
}

/// TRB `integrity` (S): no process delivers more than once, and a delivered message other
/// than ⊥ was broadcast by the sender it names, before.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TrbIntegrity {
    layer: Layer,
    /// The broadcasts so far: (sender, message).
    broadcast: BTreeSet<(Pid, Value)>,
    /// The processes that delivered.
    delivered: BTreeSet<Pid>,
}

impl TrbIntegrity {
    pub fn new(module: &str) -> Self {
        TrbIntegrity {
            layer: Layer::new(module),
            broadcast: BTreeSet::new(),
            delivered: BTreeSet::new(),
        }
    }
}

impl Monitor for TrbIntegrity {
    automata::property!("integrity", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(m) = trb_broadcast(&self.layer, e) {
            self.broadcast.insert((e.process, m.clone()));
            return None;
        }
        let (from, v) = trb_delivery(&self.layer, e)?;
        let q = e.process;
        if !self.delivered.insert(q) {
            return Some(Violation::at(
                e,
                format!("process {q} delivered {v:?} from {from}, a second delivery"),
            ));
        }
        (!is_bottom(v) && !self.broadcast.contains(&(from, v.clone()))).then(|| {
            Violation::at(
                e,
                format!("process {q} delivered {v:?} from {from}, which {from} never broadcast"),
            )
        })
    }
}

/// TRB `uniform-agreement` (S): no two processes, crashed or not, deliver different values
/// (a message and ⊥, or two messages).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TrbAgreement {
    layer: Layer,
    /// The first delivery: the process, the sender it names, the value.
    first: Option<(Pid, Pid, Value)>,
}

impl TrbAgreement {
    pub fn new(module: &str) -> Self {
        TrbAgreement {
            layer: Layer::new(module),
            first: None,
        }
    }
}

impl Monitor for TrbAgreement {
    automata::property!("uniform-agreement", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let (from, v) = trb_delivery(&self.layer, e)?;
        let (p, s, w) = self
            .first
            .get_or_insert_with(|| (e.process, from, v.clone()));
        ((*s, &*w) != (from, v)).then(|| {
            Violation::at(
                e,
                format!(
                    "process {} delivered {v:?} from {from}, but process {p} delivered {w:?} from {s}",
                    e.process
                ),
            )
        })
    }
}

#[cfg(test)]
#[cfg(test)]
mod tests {
    use super::*;

    /// One step of a TRB run over sender 0: process p broadcasts (`B`) or delivers (`D`) a
    /// value from 0, or crashes (`X`, the value ignored).
    fn trb_run(steps: &[(Pid, char, &str)]) -> Vec<TraceEvent> {
        let step = |(i, &(p, s, v)): (usize, &(Pid, char, &str))| {
            let msg = Value::str(v);
            let (module, kind, event) = match s {
                'B' => ("utrb", Kind::Request, Event::Broadcast { msg }),
                'D' => ("utrb", Kind::Indication, Event::Deliver { from: 0, msg }),
                _ => (automata::trace::ENV, Kind::Crash, Event::Lifecycle),
            };
            TraceEvent::scripted(i, p, module, kind, event)
        };
        steps.iter().enumerate().map(step).collect()
    }

    /// Judges `steps` to the end with `m`, process 0 crashed if some step says so.
    fn trb_verdict(mut m: impl Monitor, steps: &[(Pid, char, &str)]) -> Option<u64> {
        match automata::monitor::judge_scripted(&mut m, &trb_run(steps), 3) {
            Verdict::Violation(v) => Some(v.event),
            _ => None,
        }
    }

    /// ⊥ is a valid delivery when the sender crashes, at any time, and not when it is
    /// correct; a message delivered once everywhere holds.
    #[test]
    fn trb_validity_excuses_bottom_only_when_the_sender_crashes() {
        let v = || TrbValidity::new("utrb");
        let all_m = [(0, 'B', "m"), (0, 'D', "m"), (1, 'D', "m"), (2, 'D', "m")];
        assert_eq!(trb_verdict(v(), &all_m), None);
        let bottom = [
            (0, 'B', "m"),
            (0, 'D', "m"),
            (1, 'D', "m"),
            (2, 'D', BOTTOM),
        ];
        assert_eq!(trb_verdict(v(), &bottom), Some(3));
        let crashed = [
            (0, 'B', "m"),
            (1, 'D', BOTTOM),
            (2, 'D', BOTTOM),
            (0, 'X', ""),
        ];
        assert_eq!(trb_verdict(v(), &crashed), None);
    }

    /// Uniform agreement catches a message against ⊥, even at a process that crashed;
    /// integrity a second delivery and a message nobody broadcast, not ⊥; termination a
    /// correct process that delivers nothing or twice.
    #[test]
    fn trb_safety_and_termination_catch_what_they_are_for() {
        let split = [(0, 'B', "m"), (0, 'D', "m"), (0, 'X', ""), (1, 'D', BOTTOM)];
        assert_eq!(trb_verdict(TrbAgreement::new("utrb"), &split), Some(3));
        assert_eq!(trb_verdict(TrbIntegrity::new("utrb"), &split), None);
        let twice = [
            (0, 'B', "m"),
            (0, 'D', "m"),
            (1, 'D', "m"),
            (1, 'D', "m"),
            (2, 'D', "m"),
        ];
        assert_eq!(trb_verdict(TrbIntegrity::new("utrb"), &twice), Some(3));
        let forged = [(1, 'D', BOTTOM), (2, 'D', "m")];
        assert_eq!(trb_verdict(TrbIntegrity::new("utrb"), &forged), Some(1));
        let t = || TrbTermination::new("utrb");
        assert_eq!(trb_verdict(t(), &twice), Some(3));
        let missing = [(0, 'B', "m"), (0, 'D', "m"), (1, 'D', "m")];
        assert_eq!(trb_verdict(t(), &missing), Some(0));
        let crashed = [
            (0, 'B', "m"),
            (0, 'X', ""),
            (1, 'D', BOTTOM),
            (2, 'D', BOTTOM),
        ];
        assert_eq!(trb_verdict(t(), &crashed), None);
    }
}
