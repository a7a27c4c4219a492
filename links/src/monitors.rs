//! Monitors of the link properties (CATALOGUE.md chapter 4: PL1-PL3, SL1-SL2, FPL4, LPL1-LPL3,
//! FLL3). Each watches the `Send` requests and `Deliver` indications of one module instance
//! (`pl`, `sl`, `fpl`, ...), so the same monitor checks any link that claims the property.
//!
//! Messages are matched by content per (sender, receiver): the workload makes payloads unique,
//! and a payload sent twice must be delivered twice (it is two messages).

use automata::monitor::PropertyKind;
use automata::{Event, Kind, Monitor, Pid, RunSummary, TraceEvent, Value, Verdict, Violation};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Sends and deliveries of one (sender, receiver, message) triple.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Tally {
    sends: u32,
    delivers: u32,
    /// Time and index of the first send.
    first_send: (u64, u64),
    /// Time of the last delivery.
    last_deliver: Option<u64>,
}

/// What a link monitor keeps: per (p, q, m), how often it was sent and delivered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Ledger {
    module: Cow<'static, str>,
    tallies: BTreeMap<(Pid, Pid, Value), Tally>,
}

enum Step<'a> {
    Sent,
    Delivered(&'a Tally),
    Other,
}

impl Ledger {
    fn new(module: &str) -> Self {
        Ledger {
            module: Cow::Owned(module.to_string()),
            tallies: BTreeMap::new(),
        }
    }

    fn record(&mut self, e: &TraceEvent) -> Step<'_> {
        if e.module != self.module {
            return Step::Other;
        }
        match (&e.kind, &e.event) {
            (Kind::Request, Event::Send { to, msg }) => {
                let t = self
                    .tallies
                    .entry((e.process, *to, msg.clone()))
                    .or_default();
                if t.sends == 0 {
                    t.first_send = (e.time, e.index);
                }
                t.sends += 1;
                Step::Sent
            }
            (Kind::Indication, Event::Deliver { from, msg }) => {
                let t = self
                    .tallies
                    .entry((*from, e.process, msg.clone()))
                    .or_default();
                t.delivers += 1;
                t.last_deliver = Some(e.time);
                Step::Delivered(t)
            }
            _ => Step::Other,
        }
    }
}

/// PL2 / LPL2 no-duplication (S): no message is delivered more often than it was sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoDuplication(Ledger);

impl NoDuplication {
    pub fn new(module: &str) -> Self {
        NoDuplication(Ledger::new(module))
    }
}

impl Monitor for NoDuplication {
    fn name(&self) -> &str {
        "no-duplication"
    }
    fn kind(&self) -> PropertyKind {
        PropertyKind::Safety
    }
    fn cares(&self, e: &TraceEvent) -> bool {
        e.module == self.0.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        match self.0.record(e) {
            Step::Delivered(t) if t.delivers > t.sends.max(1) => Some(Violation::at(
                e,
                format!(
                    "process {} delivered {:?} {} times but it was sent {} time(s)",
                    e.process,
                    deliver_msg(e),
                    t.delivers,
                    t.sends
                ),
            )),
            _ => None,
        }
    }
}

/// PL3 / SL2 / FLL3 / LPL3 no-creation (S): a delivered message was sent before.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoCreation(Ledger);

impl NoCreation {
    pub fn new(module: &str) -> Self {
        NoCreation(Ledger::new(module))
    }
}

impl Monitor for NoCreation {
    fn name(&self) -> &str {
        "no-creation"
    }
    fn kind(&self) -> PropertyKind {
        PropertyKind::Safety
    }
    fn cares(&self, e: &TraceEvent) -> bool {
        e.module == self.0.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        match self.0.record(e) {
            Step::Delivered(t) if t.sends == 0 => Some(Violation::at(
                e,
                format!(
                    "process {} delivered {:?}, which was never sent to it",
                    e.process,
                    deliver_msg(e)
                ),
            )),
            _ => None,
        }
    }
}

/// PL1 reliable-delivery (L): every message sent by a correct process to a correct process
/// is delivered (as often as it was sent) by the end. [`ReliableDelivery::logged`] is LPL1:
/// the sender must be in `NeverCrashed` (no crash at all, CATALOGUE.md part 0) and the
/// receiver correct (in crash-recovery: up at the end, no crash in the final settle window);
/// for logged perfect links a delivery is a log-delivery (see [`crate::logged`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReliableDelivery {
    ledger: Ledger,
    logged: bool,
}

impl ReliableDelivery {
    pub fn new(module: &str) -> Self {
        ReliableDelivery {
            ledger: Ledger::new(module),
            logged: false,
        }
    }

    /// LPL1: senders that never crashed, receivers that are correct.
    pub fn logged(module: &str) -> Self {
        ReliableDelivery {
            ledger: Ledger::new(module),
            logged: true,
        }
    }
}

impl Monitor for ReliableDelivery {
    fn name(&self) -> &str {
        "reliable-delivery"
    }
    fn kind(&self) -> PropertyKind {
        PropertyKind::Liveness
    }
    fn cares(&self, e: &TraceEvent) -> bool {
        e.module == self.ledger.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        self.ledger.record(e);
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let sender_ok = |p| {
            if self.logged {
                run.never_crashed(p)
            } else {
                run.is_correct(p)
            }
        };
        let missing = self
            .ledger
            .tallies
            .iter()
            .find(|((p, q, _), t)| sender_ok(*p) && run.is_correct(*q) && t.delivers < t.sends);
        run.liveness(missing.map(|((p, q, m), t)| Violation {
            event: t.first_send.1,
            time: t.first_send.0,
            explanation: format!(
                "{m:?} from {p} to {q} was sent {} time(s) but delivered {} time(s), and both are correct",
                t.sends, t.delivers
            ),
        }))
    }
}

/// SL1 stubborn-delivery (L): every message a correct process sent to a correct process is
/// delivered, and delivered again within the final settle window (the finite stand-in for
/// "infinitely often").
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StubbornDelivery(Ledger);

impl StubbornDelivery {
    pub fn new(module: &str) -> Self {
        StubbornDelivery(Ledger::new(module))
    }
}

impl Monitor for StubbornDelivery {
    fn name(&self) -> &str {
        "stubborn-delivery"
    }
    fn kind(&self) -> PropertyKind {
        PropertyKind::Liveness
    }
    fn cares(&self, e: &TraceEvent) -> bool {
        e.module == self.0.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        self.0.record(e);
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let missing = self.0.tallies.iter().find(|((p, q, _), t)| {
            t.sends > 0
                && run.is_correct(*p)
                && run.is_correct(*q)
                && t.last_deliver.is_none_or(|d| d < run.settle_from)
        });
        run.liveness(missing.map(|((p, q, m), t)| Violation {
            event: t.first_send.1,
            time: t.first_send.0,
            explanation: format!(
                "{m:?} from {p} to {q} was not delivered again after time {}",
                run.settle_from
            ),
        }))
    }
}

/// FPL4 fifo-delivery (S): if p sent m1 before m2 to q, q delivers m2 only after m1.
///
/// Messages are matched by content per channel (p, q), as in the other link monitors. A
/// delivery is judged against the channel's sends in order:
/// - the oldest message not yet delivered: in order, the channel moves on;
/// - a message delivered before (it occurs among the sends already delivered in order): a
///   duplicate, which is no FIFO violation (it is no-duplication's business), even if the same
///   payload was sent again later;
/// - a later message while an older one is still undelivered: the violation;
/// - a message never sent: no-creation's business.
///
/// So a duplicating link is blamed only by no-duplication, never by fifo-delivery.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FifoDelivery {
    module: Cow<'static, str>,
    /// Per (p, q): the messages sent, in order, and how many of them were delivered in order.
    channels: BTreeMap<(Pid, Pid), Channel>,
}

/// One channel (p, q) as [`FifoDelivery`] sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Channel {
    /// What p sent to q, in order.
    sent: Vec<Value>,
    /// `sent[..next]` has been delivered, in order.
    next: usize,
    /// The distinct messages of `sent[..next]`.
    done: BTreeSet<Value>,
}

impl FifoDelivery {
    pub fn new(module: &str) -> Self {
        FifoDelivery {
            module: Cow::Owned(module.to_string()),
            channels: BTreeMap::new(),
        }
    }
}

impl Monitor for FifoDelivery {
    fn name(&self) -> &str {
        "fifo-delivery"
    }
    fn kind(&self) -> PropertyKind {
        PropertyKind::Safety
    }
    fn cares(&self, e: &TraceEvent) -> bool {
        e.module == self.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if e.module != self.module {
            return None;
        }
        match (&e.kind, &e.event) {
            (Kind::Request, Event::Send { to, msg }) => {
                self.channels
                    .entry((e.process, *to))
                    .or_default()
                    .sent
                    .push(msg.clone());
                None
            }
            (Kind::Indication, Event::Deliver { from, msg }) => {
                let c = self.channels.entry((*from, e.process)).or_default();
                if c.sent.get(c.next) == Some(msg) {
                    c.next += 1;
                    c.done.insert(msg.clone());
                    return None;
                }
                if c.done.contains(msg) {
                    // Delivered before: a duplicate, not a reordering.
                    return None;
                }
                if c.sent.iter().skip(c.next).any(|m| m == msg) {
                    return Some(Violation::at(
                        e,
                        format!(
                            "process {} delivered {msg:?} from {from} before {:?}, which {from} sent earlier",
                            e.process, c.sent[c.next]
                        ),
                    ));
                }
                // Never sent: another property's business.
                None
            }
            _ => None,
        }
    }
}

fn deliver_msg(e: &TraceEvent) -> Value {
    match &e.event {
        Event::Deliver { msg, .. } => msg.clone(),
        _ => Value::Unit,
    }
}
