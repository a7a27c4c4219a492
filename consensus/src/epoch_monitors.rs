//! Epoch consensus properties as monitors (CGR Module 5.4, EP1-EP6), over the `ep-*` events
//! of the epoch-consensus instances inside a consensus algorithm (module `epc`, as `ep` is ◇P; see
//! [`crate::read_write_epoch_consensus`] for the events and their values `[ts, ...]`).
//!
//! EP2 and EP4 are judged uniformly (over every process, not only the correct ones): that is
//! what Read/Write Epoch Consensus provides and what uniform consensus needs.

use crate::read_write_epoch_consensus::{EP_ABORT, EP_ABORTED, EP_DECIDE, EP_PROPOSE};
use automata::{Event, Mark, Monitor, Pid, RunSummary, TraceEvent, Value, Verdict, Violation};
use std::collections::{BTreeMap, BTreeSet};

/// The module name of epoch consensus in traces.
pub const EP: &str = "epc";

/// An epoch-consensus event: its name, epoch and the rest of its value.
fn ep_event(e: &TraceEvent) -> Option<(&str, u64, &[Value])> {
    if e.module != EP {
        return None;
    }
    let Event::Other { name, value } = &e.event else {
        return None;
    };
    let Value::List(items) = value else {
        return None;
    };
    let (Value::Int(ts), rest) = items.split_first()? else {
        return None;
    };
    Some((name, *ts as u64, rest))
}

/// `ep-decide`: (epoch, value).
fn decision(e: &TraceEvent) -> Option<(u64, &Value)> {
    match ep_event(e)? {
        (EP_DECIDE, ts, [v]) => Some((ts, v)),
        _ => None,
    }
}

/// EP1 validity (S): a value ep-decided in epoch ts was ep-proposed by the leader of some
/// epoch ts' ≤ ts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct EpValidity {
    /// The values proposed, with the earliest epoch that proposed each.
    proposed: BTreeMap<Value, u64>,
}

impl EpValidity {
    pub fn new(_module: &str) -> Self {
        EpValidity::default()
    }
}

impl Monitor for EpValidity {
    automata::property!("ep-validity", Safety);
    fn cares_module(&self, module: &str) -> bool {
        module == EP
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some((EP_PROPOSE, ts, [v])) = ep_event(e) {
            let first = self.proposed.entry(v.clone()).or_insert(ts);
            *first = (*first).min(ts);
        }
        let (ts, v) = decision(e)?;
        let ok = self.proposed.get(v).is_some_and(|&first| first <= ts);
        (!ok).then(|| {
            Violation::at(
                e,
                format!(
                    "process {} ep-decided {v:?} in epoch {ts}, which no leader of epoch {ts} or earlier proposed",
                    e.process
                ),
            )
        })
    }
}

/// EP2 uniform agreement (S): no two processes ep-decide differently in the same epoch.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct EpAgreement {
    /// Per epoch, the first decision and where it happened.
    decided: BTreeMap<u64, (Value, Pid)>,
}

impl EpAgreement {
    pub fn new(_module: &str) -> Self {
        EpAgreement::default()
    }
}

impl Monitor for EpAgreement {
    automata::property!("ep-agreement", Safety);
    fn cares_module(&self, module: &str) -> bool {
        module == EP
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let (ts, v) = decision(e)?;
        let (first, p) = self.decided.entry(ts).or_insert((v.clone(), e.process));
        (first != v).then(|| {
            Violation::at(
                e,
                format!(
                    "in epoch {ts} process {p} ep-decided {first:?} and process {} {v:?}",
                    e.process
                ),
            )
        })
    }
}

/// EP3 integrity (S): a process ep-decides at most once in an epoch.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct EpIntegrity {
    decided: BTreeSet<(Pid, u64)>,
}

impl EpIntegrity {
    pub fn new(_module: &str) -> Self {
        EpIntegrity::default()
    }
}

impl Monitor for EpIntegrity {
    automata::property!("ep-integrity", Safety);
    fn cares_module(&self, module: &str) -> bool {
        module == EP
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let (ts, _) = decision(e)?;
        (!self.decided.insert((e.process, ts))).then(|| {
            Violation::at(
                e,
                format!("process {} ep-decided twice in epoch {ts}", e.process),
            )
        })
    }
}

/// EP4 lock-in (S): once a process ep-decided v in epoch ts', no process ep-decides a value
/// other than v in another epoch (in a later one by the book's statement; in an earlier one
/// the same pair of decisions breaks it the other way round).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct LockIn {
    /// The first decision of each epoch.
    decided: BTreeMap<u64, Value>,
}

impl LockIn {
    pub fn new(_module: &str) -> Self {
        LockIn::default()
    }
}

impl Monitor for LockIn {
    automata::property!("lock-in", Safety);
    fn cares_module(&self, module: &str) -> bool {
        module == EP
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let (ts, v) = decision(e)?;
        self.decided.entry(ts).or_insert_with(|| v.clone());
        let (other, w) = self.decided.iter().find(|(t, w)| **t != ts && *w != v)?;
        let (earlier, later) = if *other < ts {
            ((other, w), (&ts, v))
        } else {
            ((&ts, v), (other, w))
        };
        Some(Violation::at(
            e,
            format!(
                "{:?} was ep-decided in epoch {}, and {:?} in the later epoch {} (process {} decided in epoch {ts})",
                earlier.1, earlier.0, later.1, later.0, e.process
            ),
        ))
    }
}

/// EP5 termination (L): if the leader of epoch ts is correct, has ep-proposed and no correct
/// process aborted ts, every correct process ep-decides in ts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct EpTermination {
    /// Per epoch: its leader's proposal (where) and who proposed.
    proposed: BTreeMap<u64, (Pid, Mark)>,
    aborted: BTreeSet<(u64, Pid)>,
    decided: BTreeSet<(u64, Pid)>,
}

impl EpTermination {
    pub fn new(_module: &str) -> Self {
        EpTermination::default()
    }
}

impl Monitor for EpTermination {
    automata::property!("ep-termination", Liveness);
    fn cares_module(&self, module: &str) -> bool {
        module == EP
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        match ep_event(e)? {
            (EP_PROPOSE, ts, _) => {
                self.proposed.entry(ts).or_insert((e.process, Mark::of(e)));
            }
            (EP_ABORT, ts, _) => {
                self.aborted.insert((ts, e.process));
            }
            (EP_DECIDE, ts, _) => {
                self.decided.insert((ts, e.process));
            }
            _ => {}
        }
        None
    }
    /// An epoch proposed within a simulated run's final settle window (Ω may still make a
    /// late mistake there and start one) had no time to end: it is not judged, and if it is
    /// the only one stuck the verdict is inconclusive. A model-checked path has no settle
    /// window (`settle_from` 0): its stuck epochs are all judged.
    fn finish(&self, run: &RunSummary) -> Verdict {
        let late = |mark: Mark| run.settle_from > 0 && mark.time >= run.settle_from;
        let stuck = self.proposed.iter().find_map(|(&ts, &(leader, mark))| {
            let judged = run.is_correct(leader)
                && !late(mark)
                && !run.correct().any(|p| self.aborted.contains(&(ts, p)));
            let missing = run.correct().find(|&p| !self.decided.contains(&(ts, p)))?;
            judged.then(|| {
                Violation::marked(
                    mark,
                    format!(
                        "epoch {ts}: its correct leader {leader} proposed and no correct process aborted it, yet correct process {missing} never ep-decided there"
                    ),
                )
            })
        });
        let unjudged = self.proposed.iter().find(|(ts, (_, mark))| {
            late(*mark) && run.correct().any(|p| !self.decided.contains(&(**ts, p)))
        });
        match (stuck, unjudged) {
            (None, Some((ts, (_, mark)))) if run.complete => Verdict::Inconclusive {
                reason: format!(
                    "epoch {ts} began at time {}, within the final settle window (from {}): too late to be judged",
                    mark.time, run.settle_from
                ),
            },
            (stuck, _) => run.liveness(stuck),
        }
    }
}

/// EP6 abort behaviour (S + L): a correct process that aborts an epoch completes the abort
/// (`Aborted`, judged at the end), and an abort completes only in an epoch some process
/// asked to abort (judged as it happens; whether that process was correct is known only at
/// the end, so a faulty one counts).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct AbortBehaviour {
    /// Aborts not yet completed, and where they were asked for.
    open: BTreeMap<(u64, Pid), Mark>,
    /// The epochs some process asked to abort.
    asked: BTreeSet<u64>,
}

impl AbortBehaviour {
    pub fn new(_module: &str) -> Self {
        AbortBehaviour::default()
    }
}

impl Monitor for AbortBehaviour {
    automata::property!("abort-behaviour", Liveness);
    fn cares_module(&self, module: &str) -> bool {
        module == EP
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        match ep_event(e)? {
            (EP_ABORT, ts, _) => {
                self.open.insert((ts, e.process), Mark::of(e));
                self.asked.insert(ts);
            }
            (EP_ABORTED, ts, _) => {
                self.open.remove(&(ts, e.process));
                if !self.asked.contains(&ts) {
                    return Some(Violation::at(
                        e,
                        format!(
                            "process {} completed an abort of epoch {ts} that no process asked for",
                            e.process
                        ),
                    ));
                }
            }
            _ => {}
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let stuck = self.open.iter().find(|((_, p), _)| run.is_correct(*p));
        run.liveness(stuck.map(|(&(ts, p), &mark)| {
            Violation::marked(
                mark,
                format!("correct process {p} aborted epoch {ts} and the abort never completed"),
            )
        }))
    }
}
