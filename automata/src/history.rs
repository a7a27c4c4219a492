//! Operation histories: what the monitors of shared objects (registers, and later key-value
//! stores) judge. An operation is a request to one module instance and the indication that
//! answers it at the same process; the history keeps, per operation, who invoked it, when, and
//! how it ended.
//!
//! A process is a sequential client: it has at most one operation in flight. A request made
//! while an earlier one is still running waits in the module's queue, and the history counts it
//! as *started* only when the earlier one returns (the algorithms run one operation at a time,
//! so this is when it can first take effect). Responses answer a process's started operation.
//! An operation whose invoker crashes before the response is *failed*: it may or may not have
//! taken effect, at any time after its start (it is concurrent with everything that follows).
//! A recovered process is a new incarnation, that is a new client.

use crate::trace::{Event, Kind, TraceEvent};
use crate::{Mark, Pid, Time};
use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};

/// A point in the trace: where it happened ([`Mark`]: time and trace index) and its place
/// among the events this history recorded. Precedence uses the place: the model checker
/// numbers each step's events afresh, so trace indices order events only within a simulated
/// run (and, being for reports, do not take part in comparisons).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct At {
    pub mark: Mark,
    pub seq: u64,
}

impl At {
    pub fn time(&self) -> Time {
        self.mark.time
    }
}

/// One operation of the history.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Op {
    /// The invoking process and its incarnation: how many of its crashes interrupted one of
    /// its operations before this one (a crash while idle starts no new client).
    pub process: Pid,
    pub incarnation: u32,
    /// The request event.
    pub request: Event,
    /// When the request was made.
    pub invoked: At,
    /// When the operation started: its invocation, or the return of the process's previous
    /// operation if that one was still running.
    pub started: Option<At>,
    /// The answering indication and when it came.
    pub response: Option<(At, Event)>,
    /// The invoker crashed before the response.
    pub failed: bool,
}

impl Op {
    /// The client: (process, incarnation).
    pub fn thread(&self) -> (Pid, u32) {
        (self.process, self.incarnation)
    }

    /// Neither answered nor failed.
    pub fn pending(&self) -> bool {
        self.response.is_none() && !self.failed
    }
}

/// What one trace event did to the history (indices into [`History::ops`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A request was recorded; `started` if it started at once.
    Invoked { op: usize, started: bool },
    /// An operation returned; `next` is the queued operation of the same client that started.
    Returned { op: usize, next: Option<usize> },
    /// The invoker crashed: these operations failed.
    Failed(Vec<usize>),
    /// An indication at a process with no operation in flight (an algorithm's bug).
    Unsolicited,
}

/// The operation history of one module instance.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct History {
    module: Cow<'static, str>,
    ops: Vec<Op>,
    /// Per process, its incarnation (see [`Op::incarnation`]).
    incarnation: BTreeMap<Pid, u32>,
    /// Per process, its operations in flight, oldest (the started one) first.
    queue: BTreeMap<Pid, VecDeque<usize>>,
    /// How many events this history recorded (the order of [`At`]).
    seq: u64,
}

impl History {
    /// The history of the operations of the module instance named `module`.
    pub fn new(module: impl Into<Cow<'static, str>>) -> Self {
        History {
            module: module.into(),
            ops: Vec::new(),
            incarnation: BTreeMap::new(),
            queue: BTreeMap::new(),
            seq: 0,
        }
    }

    pub fn module(&self) -> &str {
        &self.module
    }

    /// Whether the requests and indications of layer `module` can change the history.
    pub fn cares_module(&self, module: &str) -> bool {
        module == self.module
    }

    /// Whether `e` can change the history: the module's requests and indications, crashes.
    pub fn cares(&self, e: &TraceEvent) -> bool {
        match e.kind {
            Kind::Request | Kind::Indication => e.module == self.module,
            Kind::Crash => self.queue.get(&e.process).is_some_and(|q| !q.is_empty()),
            _ => false,
        }
    }

    /// Every operation, in invocation order.
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// Records one trace event; `None` when it does not concern the history.
    pub fn record(&mut self, e: &TraceEvent) -> Option<Change> {
        if !self.cares(e) {
            return None;
        }
        let at = At {
            mark: Mark::of(e),
            seq: self.seq,
        };
        self.seq += 1;
        let p = e.process;
        match e.kind {
            Kind::Request => {
                let queue = self.queue.entry(p).or_default();
                let started = queue.is_empty();
                let op = self.ops.len();
                queue.push_back(op);
                self.ops.push(Op {
                    process: p,
                    incarnation: self.incarnation.get(&p).copied().unwrap_or(0),
                    request: e.event.clone(),
                    invoked: at,
                    started: started.then_some(at),
                    response: None,
                    failed: false,
                });
                Some(Change::Invoked { op, started })
            }
            Kind::Indication => {
                let queue = self.queue.entry(p).or_default();
                let Some(op) = queue.pop_front() else {
                    return Some(Change::Unsolicited);
                };
                let next = queue.front().copied();
                self.ops[op].response = Some((at, e.event.clone()));
                if let Some(n) = next {
                    self.ops[n].started = Some(at);
                }
                Some(Change::Returned { op, next })
            }
            Kind::Crash => {
                *self.incarnation.entry(p).or_default() += 1;
                let failed: Vec<usize> = self.queue.remove(&p).into_iter().flatten().collect();
                for &op in &failed {
                    self.ops[op].failed = true;
                }
                Some(Change::Failed(failed))
            }
            _ => None,
        }
    }

    /// The operations still running at the end (not answered, invoker up).
    pub fn pending(&self) -> impl Iterator<Item = &Op> {
        self.ops.iter().filter(|o| o.pending())
    }

    /// Every start and every response, in history order: `(op, true)` when operation `op`
    /// starts, `(op, false)` when it returns. At one place a response comes before the start
    /// it lets through. What a consistency tester is fed.
    pub fn calls_and_returns(&self) -> Vec<(usize, bool)> {
        let mut points: Vec<(u64, bool, usize)> = Vec::new();
        for (i, o) in self.ops.iter().enumerate() {
            if let Some(s) = o.started {
                points.push((s.seq, true, i));
            }
            if let Some((r, _)) = &o.response {
                points.push((r.seq, false, i));
            }
        }
        points.sort_unstable();
        points
            .into_iter()
            .map(|(_, starts, i)| (i, starts))
            .collect()
    }

    /// The first operation of a correct process that never returned, as the violation of a
    /// liveness property (termination, progress), judged where the run ended.
    pub fn stuck(&self, run: &crate::RunSummary) -> crate::Verdict {
        let stuck = self.pending().find(|o| run.is_correct(o.process));
        run.liveness(stuck.map(|o| {
            crate::Violation::marked(
                o.invoked.mark,
                format!(
                    "correct process {} invoked {:?} at time {}, and it never returned",
                    o.process,
                    o.request,
                    o.invoked.time()
                ),
            )
        }))
    }

    /// Whether operation `a` precedes `b` in real time: `a` returned before `b` started (a
    /// queued operation starts at the very response of its predecessor).
    pub fn precedes(&self, a: usize, b: usize) -> bool {
        match (&self.ops[a].response, self.ops[b].started) {
            (Some((ra, _)), Some(sb)) => ra.seq <= sb.seq,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Value;

    fn ev(index: u64, process: Pid, module: &'static str, kind: Kind, event: Event) -> TraceEvent {
        TraceEvent {
            index,
            time: index * 10,
            process,
            module: module.into(),
            kind,
            event,
        }
    }

    fn write(v: &str) -> Event {
        Event::Write {
            value: Value::str(v),
        }
    }

    /// The model checker numbers each step's events from 0: precedence must follow the order
    /// the history saw them in, not the trace index.
    #[test]
    fn precedence_follows_the_recording_order_not_the_trace_index() {
        let mut h = History::new("onrr");
        let mut at = |p, kind, event| {
            let mut e = ev(7, p, "onrr", kind, event);
            e.time = 1;
            h.record(&e)
        };
        at(0, Kind::Request, write("x"));
        at(0, Kind::Indication, Event::WriteReturn);
        at(1, Kind::Request, Event::Read);
        assert!(
            h.precedes(0, 1),
            "the write returned before the read was invoked"
        );
        assert!(!h.precedes(1, 0));
    }

    #[test]
    fn pairs_requests_with_responses_and_queues_a_busy_client() {
        let mut h = History::new("onrr");
        let r = |i, p| ev(i, p, "onrr", Kind::Request, write("x"));
        let ok = |i, p| ev(i, p, "onrr", Kind::Indication, Event::WriteReturn);
        assert_eq!(
            h.record(&r(0, 0)),
            Some(Change::Invoked {
                op: 0,
                started: true
            })
        );
        assert_eq!(
            h.record(&r(1, 0)),
            Some(Change::Invoked {
                op: 1,
                started: false
            })
        );
        assert_eq!(
            h.record(&r(2, 1)),
            Some(Change::Invoked {
                op: 2,
                started: true
            })
        );
        assert_eq!(
            h.record(&ok(3, 0)),
            Some(Change::Returned {
                op: 0,
                next: Some(1)
            })
        );
        let started = h.ops()[1].started.map(|a| (a.time(), a.mark.event, a.seq));
        assert_eq!(started, Some((30, 3, 3)));
        assert!(h.precedes(0, 1));
        assert!(!h.precedes(0, 2), "op 2 started before op 0 returned");
        assert_eq!(
            h.record(&ok(4, 0)),
            Some(Change::Returned { op: 1, next: None })
        );
        assert_eq!(h.pending().map(|o| o.process).collect::<Vec<_>>(), vec![1]);
        assert_eq!(h.record(&ok(5, 0)), Some(Change::Unsolicited));
    }

    #[test]
    fn a_crash_fails_the_operations_in_flight_and_starts_a_new_client() {
        let mut h = History::new("onrr");
        h.record(&ev(0, 2, "onrr", Kind::Request, Event::Read));
        let crash = ev(1, 2, crate::trace::ENV, Kind::Crash, Event::Lifecycle);
        assert!(h.cares(&crash));
        assert_eq!(h.record(&crash), Some(Change::Failed(vec![0])));
        assert!(h.ops()[0].failed && !h.ops()[0].pending());
        h.record(&ev(2, 2, "onrr", Kind::Request, Event::Read));
        assert_eq!(h.ops()[1].thread(), (2, 1));
        assert_eq!(h.pending().count(), 1);
    }

    #[test]
    fn ignores_other_modules_and_idle_crashes() {
        let mut h = History::new("onrr");
        assert_eq!(h.record(&ev(0, 0, "beb", Kind::Request, Event::Read)), None);
        assert_eq!(
            h.record(&ev(1, 0, crate::trace::ENV, Kind::Crash, Event::Lifecycle)),
            None
        );
        assert!(h.ops().is_empty());
    }
}
