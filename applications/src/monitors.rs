//! Monitors of total-order broadcast's ordering properties (CGR Module 6.1): TOB5 total order
//! over correct processes, UTOB5 uniform total order over all processes, and prefix order
//! (every process delivers a prefix of one sequence). Validity, no duplication, no creation
//! and (uniform) agreement are reliable broadcast's, judged by `broadcast::monitors`.
//!
//! A message is its original sender and payload, as for the broadcast monitors.
//!
//! And the two validity properties of non-blocking atomic commit (CGR Section 6.4), NBAC2
//! abort-validity and NBAC3 commit-validity, over the `Propose | v` and `Decide | d` events of
//! the `nbac` layer and the crashes of the run. Its uniform agreement, integrity and
//! termination are consensus's (`consensus::monitors`), on the same events.
//!
//! And the four properties of uniform terminating reliable broadcast (CGR Section 6.2):
//! termination, validity, integrity and uniform agreement, over the `Broadcast | m` request
//! and the `Deliver | s, v` indications of the `utrb` layer, v a message or ⊥ (the string
//! `⊥`, [`BOTTOM`]).

use crate::interface::{Vote, BOTTOM};
use automata::{
    Event, Kind, Mark, Monitor, Pid, RunSummary, TraceEvent, Value, Verdict, Violation,
};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

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
    module: Cow<'static, str>,
    uniform: bool,
    seen: Sequences,
    /// The first disagreement of each pair of processes (regular version, judged at the end).
    candidates: BTreeMap<(Pid, Pid), Violation>,
}

impl TotalOrder {
    pub fn regular(module: &str) -> Self {
        TotalOrder {
            module: Cow::Owned(module.to_string()),
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
        module == self.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if e.module != self.module {
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
    module: Cow<'static, str>,
    seen: Sequences,
}

impl PrefixOrder {
    pub fn new(module: &str) -> Self {
        PrefixOrder {
            module: Cow::Owned(module.to_string()),
            seen: Sequences::default(),
        }
    }
}

impl Monitor for PrefixOrder {
    automata::property!("prefix-order", Safety);
    fn cares_module(&self, module: &str) -> bool {
        module == self.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if e.module != self.module {
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

/// The vote of a `Propose` request or the outcome of a `Decide` indication of `module`:
/// `(is a decision, value)`.
fn commit_event<'e>(module: &str, e: &'e TraceEvent) -> Option<(bool, &'e Value)> {
    if e.module != module {
        return None;
    }
    match (&e.kind, &e.event) {
        (Kind::Request, Event::Propose { value }) => Some((false, value)),
        (Kind::Indication, Event::Decide { value }) => Some((true, value)),
        _ => None,
    }
}

/// NBAC2 `abort-validity` (S): a process decides ABORT only if some process proposed ABORT or
/// some process crashed. Judged when the decision is taken: the proposal or the crash must
/// come before it (no algorithm can know of one that has not happened yet), so the property
/// is prefix-closed. A crash is the environment's `crash` event, at any process.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AbortValidity {
    module: Cow<'static, str>,
    /// The first process that proposed ABORT.
    aborter: Option<Pid>,
    /// The first process that crashed.
    crashed: Option<Pid>,
}

impl AbortValidity {
    pub fn new(module: &str) -> Self {
        AbortValidity {
            module: Cow::Owned(module.to_string()),
            aborter: None,
            crashed: None,
        }
    }
}

impl Monitor for AbortValidity {
    automata::property!("abort-validity", Safety);
    /// The layer's proposals and decisions, and every crash.
    fn cares(&self, e: &TraceEvent) -> bool {
        e.module == self.module || e.kind == Kind::Crash
    }
    fn cares_module(&self, module: &str) -> bool {
        module == self.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if e.kind == Kind::Crash {
            self.crashed.get_or_insert(e.process);
            return None;
        }
        let (decision, value) = commit_event(&self.module, e)?;
        if Vote::parse(value.as_str()?)? != Vote::Abort {
            return None;
        }
        if !decision {
            self.aborter.get_or_insert(e.process);
            return None;
        }
        (self.aborter.is_none() && self.crashed.is_none()).then(|| {
            Violation::at(
                e,
                format!(
                    "process {} decided abort, but no process had proposed abort and none had crashed",
                    e.process
                ),
            )
        })
    }
}

/// NBAC3 `commit-validity` (S): a process decides COMMIT only if no process proposes ABORT.
/// Violated by a COMMIT decision after an ABORT proposal, and by an ABORT proposal after a
/// COMMIT decision (the property speaks of the whole run).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CommitValidity {
    module: Cow<'static, str>,
    /// The first process that proposed ABORT.
    aborter: Option<Pid>,
    /// The first process that decided COMMIT.
    committer: Option<Pid>,
}

impl CommitValidity {
    pub fn new(module: &str) -> Self {
        CommitValidity {
            module: Cow::Owned(module.to_string()),
            aborter: None,
            committer: None,
        }
    }
}

impl Monitor for CommitValidity {
    automata::property!("commit-validity", Safety);
    fn cares_module(&self, module: &str) -> bool {
        module == self.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let (decision, value) = commit_event(&self.module, e)?;
        let p = e.process;
        match (decision, Vote::parse(value.as_str()?)?) {
            (false, Vote::Abort) => {
                self.aborter.get_or_insert(p);
                let q = self.committer?;
                Some(Violation::at(
                    e,
                    format!("process {p} proposed abort after process {q} decided commit"),
                ))
            }
            (true, Vote::Commit) => {
                self.committer.get_or_insert(p);
                let q = self.aborter?;
                Some(Violation::at(
                    e,
                    format!("process {p} decided commit, but process {q} proposed abort"),
                ))
            }
            _ => None,
        }
    }
}

/// A broadcast request of the TRB layer `module`: the message.
fn trb_broadcast<'e>(module: &str, e: &'e TraceEvent) -> Option<&'e Value> {
    match (&e.kind, &e.event) {
        (Kind::Request, Event::Broadcast { msg }) if e.module == module => Some(msg),
        _ => None,
    }
}

/// A delivery of the TRB layer `module`: the sender it names and the value, a message or ⊥.
fn trb_delivery<'e>(module: &str, e: &'e TraceEvent) -> Option<(Pid, &'e Value)> {
    match (&e.kind, &e.event) {
        (Kind::Indication, Event::Deliver { from, msg }) if e.module == module => {
            Some((*from, msg))
        }
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
    module: Cow<'static, str>,
    /// The broadcast, if any: the witness of a missing delivery.
    broadcast: Option<Mark>,
    /// Each process's deliveries (counted up to 2) and the last of them.
    delivered: BTreeMap<Pid, (u8, Mark)>,
}

impl TrbTermination {
    pub fn new(module: &str) -> Self {
        TrbTermination {
            module: Cow::Owned(module.to_string()),
            broadcast: None,
            delivered: BTreeMap::new(),
        }
    }
}

impl Monitor for TrbTermination {
    automata::property!("termination", Liveness);
    fn cares_module(&self, module: &str) -> bool {
        module == self.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if trb_broadcast(&self.module, e).is_some() {
            self.broadcast.get_or_insert(Mark::of(e));
        } else if trb_delivery(&self.module, e).is_some() {
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
    module: Cow<'static, str>,
    /// The sender, its message and when it broadcast it.
    broadcast: Option<(Pid, Value, Mark)>,
    /// Each process's first delivery: the sender it names, the value, when.
    delivered: BTreeMap<Pid, (Pid, Value, Mark)>,
}

impl TrbValidity {
    pub fn new(module: &str) -> Self {
        TrbValidity {
            module: Cow::Owned(module.to_string()),
            broadcast: None,
            delivered: BTreeMap::new(),
        }
    }
}

impl Monitor for TrbValidity {
    automata::property!("validity", Liveness);
    fn cares_module(&self, module: &str) -> bool {
        module == self.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(m) = trb_broadcast(&self.module, e) {
            self.broadcast
                .get_or_insert_with(|| (e.process, m.clone(), Mark::of(e)));
        } else if let Some((from, v)) = trb_delivery(&self.module, e) {
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
    module: Cow<'static, str>,
    /// The broadcasts so far: (sender, message).
    broadcast: BTreeSet<(Pid, Value)>,
    /// The processes that delivered.
    delivered: BTreeSet<Pid>,
}

impl TrbIntegrity {
    pub fn new(module: &str) -> Self {
        TrbIntegrity {
            module: Cow::Owned(module.to_string()),
            broadcast: BTreeSet::new(),
            delivered: BTreeSet::new(),
        }
    }
}

impl Monitor for TrbIntegrity {
    automata::property!("integrity", Safety);
    fn cares_module(&self, module: &str) -> bool {
        module == self.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(m) = trb_broadcast(&self.module, e) {
            self.broadcast.insert((e.process, m.clone()));
            return None;
        }
        let (from, v) = trb_delivery(&self.module, e)?;
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
    module: Cow<'static, str>,
    /// The first delivery: the process, the sender it names, the value.
    first: Option<(Pid, Pid, Value)>,
}

impl TrbAgreement {
    pub fn new(module: &str) -> Self {
        TrbAgreement {
            module: Cow::Owned(module.to_string()),
            first: None,
        }
    }
}

impl Monitor for TrbAgreement {
    automata::property!("uniform-agreement", Safety);
    fn cares_module(&self, module: &str) -> bool {
        module == self.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let (from, v) = trb_delivery(&self.module, e)?;
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
mod tests {
    use super::*;

    fn deliveries(seqs: &[(Pid, &[&str])]) -> Vec<TraceEvent> {
        let mut events = Vec::new();
        for &(p, msgs) in seqs {
            for m in msgs {
                events.push(TraceEvent {
                    index: events.len() as u64,
                    time: events.len() as u64,
                    process: p,
                    module: Cow::Borrowed("tob"),
                    kind: Kind::Indication,
                    event: Event::Deliver {
                        from: 0,
                        msg: Value::str(m),
                    },
                });
            }
        }
        events
    }

    fn first_violation(m: &mut dyn Monitor, events: &[TraceEvent]) -> Option<u64> {
        events.iter().find_map(|e| m.observe(e)).map(|v| v.event)
    }

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

    /// One step of an atomic-commit run: process p proposes (`P`) or decides (`D`) a vote, or
    /// crashes (`X`, the vote ignored).
    fn commit_run(steps: &[(Pid, char, Vote)]) -> Vec<TraceEvent> {
        steps
            .iter()
            .enumerate()
            .map(|(i, &(p, step, v))| {
                let (module, kind, event) = match step {
                    'P' => (
                        "nbac",
                        Kind::Request,
                        Event::Propose {
                            value: v.to_value(),
                        },
                    ),
                    'D' => (
                        "nbac",
                        Kind::Indication,
                        Event::Decide {
                            value: v.to_value(),
                        },
                    ),
                    _ => (automata::trace::ENV, Kind::Crash, Event::Lifecycle),
                };
                TraceEvent {
                    index: i as u64,
                    time: i as u64,
                    process: p,
                    module: Cow::Borrowed(module),
                    kind,
                    event,
                }
            })
            .collect()
    }

    use crate::interface::Vote::{Abort, Commit};
    use automata::ToValue;

    /// ABORT is a valid decision after an ABORT proposal or a crash, by anyone, and not
    /// otherwise; nor is a crash that comes after the decision an excuse.
    #[test]
    fn abort_validity_needs_an_abort_or_a_crash_before_the_decision() {
        let check = |steps| first_violation(&mut AbortValidity::new("nbac"), &commit_run(steps));
        assert_eq!(
            check(&[(0, 'P', Abort), (1, 'P', Commit), (1, 'D', Abort)]),
            None
        );
        assert_eq!(
            check(&[(0, 'P', Commit), (2, 'X', Commit), (1, 'D', Abort)]),
            None
        );
        assert_eq!(
            check(&[(0, 'P', Commit), (1, 'P', Commit), (1, 'D', Abort)]),
            Some(2)
        );
        assert_eq!(
            check(&[(0, 'P', Commit), (1, 'D', Abort), (2, 'X', Commit)]),
            Some(1)
        );
        assert_eq!(check(&[(0, 'P', Commit), (0, 'D', Commit)]), None);
    }

    /// COMMIT is invalid once anyone proposed ABORT, and an ABORT proposal after a COMMIT
    /// decision breaks the property as well; crashes do not matter.
    #[test]
    fn commit_validity_catches_an_abort_proposal_before_or_after_the_commit() {
        let check = |steps| first_violation(&mut CommitValidity::new("nbac"), &commit_run(steps));
        assert_eq!(
            check(&[(0, 'P', Abort), (1, 'P', Commit), (1, 'D', Commit)]),
            Some(2)
        );
        assert_eq!(
            check(&[(0, 'P', Commit), (0, 'D', Commit), (1, 'P', Abort)]),
            Some(2)
        );
        assert_eq!(
            check(&[(0, 'P', Commit), (1, 'X', Commit), (0, 'D', Commit)]),
            None
        );
        assert_eq!(check(&[(0, 'P', Abort), (0, 'D', Abort)]), None);
    }

    /// One step of a TRB run over sender 0: process p broadcasts (`B`) or delivers (`D`) a
    /// value from 0, or crashes (`X`, the value ignored).
    fn trb_run(steps: &[(Pid, char, &str)]) -> Vec<TraceEvent> {
        steps
            .iter()
            .enumerate()
            .map(|(i, &(p, step, v))| {
                let (module, kind, event) = match step {
                    'B' => (
                        "utrb",
                        Kind::Request,
                        Event::Broadcast { msg: Value::str(v) },
                    ),
                    'D' => (
                        "utrb",
                        Kind::Indication,
                        Event::Deliver {
                            from: 0,
                            msg: Value::str(v),
                        },
                    ),
                    _ => (automata::trace::ENV, Kind::Crash, Event::Lifecycle),
                };
                TraceEvent {
                    index: i as u64,
                    time: i as u64,
                    process: p,
                    module: Cow::Borrowed(module),
                    kind,
                    event,
                }
            })
            .collect()
    }

    /// Judges `steps` to the end with `m`, process 0 crashed if some step says so.
    fn trb_verdict(mut m: impl Monitor, steps: &[(Pid, char, &str)]) -> Option<u64> {
        let events = trb_run(steps);
        if let Some(v) = events.iter().find_map(|e| m.observe(e)) {
            return Some(v.event);
        }
        let mut run = RunSummary::failure_free(3, events.len() as u64);
        for e in events.iter().filter(|e| e.kind == Kind::Crash) {
            run.crashes.entry(e.process).or_default().push(e.time);
        }
        match m.finish(&run) {
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
