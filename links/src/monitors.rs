//! Monitors of the link properties (book ch. 4: PL1-PL3, SL1-SL2, FPL4, LPL1-LPL3,
//! FLL3). Each watches the `Send` requests and `Deliver` indications of one module instance
//! (`pl`, `sl`, `fpl`, ...), so the same monitor checks any link that claims the property.
//!
//! Messages are matched by content per (sender, receiver): the workload makes payloads unique,
//! and a payload sent twice must be delivered twice (it is two messages).

use automata::ledger::{self, Addressing, Indicated, Ledger, Wording};
use automata::{
    Event, Kind, Layer, Monitor, Pid, RunSummary, TraceEvent, Value, Verdict, Violation,
};
use std::collections::{BTreeMap, BTreeSet};

/// PL2 / LPL2 no-duplication (S): no message is delivered more often than it was sent.
pub type NoDuplication = ledger::NoDuplication<Links>;

/// PL3 / SL2 / FLL3 / LPL3 no-creation (S): a delivered message was sent before.
pub type NoCreation = ledger::NoCreation<Links>;

/// The links' requests (`Send | q, m`) and the wording of their safety violations.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Links;

impl Wording for Links {
    const ADDRESSING: Addressing = Addressing::PointToPoint;
    fn created(e: &TraceEvent, d: &Indicated) -> String {
        format!(
            "process {} delivered {:?}, which was never sent to it",
            e.process, d.msg
        )
    }
    fn duplicated(e: &TraceEvent, d: &Indicated) -> String {
        format!(
            "process {} delivered {:?} {} times but it was sent {} time(s)",
            e.process,
            d.msg,
            d.entry.count(e.process),
            d.entry.requests
        )
    }
}

/// PL1 reliable-delivery (L): every message sent by a correct process to a correct process
/// is delivered (as often as it was sent) by the end. [`ReliableDelivery::logged`] is LPL1:
/// the sender must be in `NeverCrashed` (no crash at all, book §2.6) and the
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
            ledger: Ledger::point_to_point(module),
            logged: false,
        }
    }

    /// LPL1: senders that never crashed, receivers that are correct.
    pub fn logged(module: &str) -> Self {
        ReliableDelivery {
            ledger: Ledger::point_to_point(module),
            logged: true,
        }
    }
}

impl Monitor for ReliableDelivery {
    automata::property!("reliable-delivery", Liveness);
    fn cares_module(&self, module: &str) -> bool {
        self.ledger.cares_module(module)
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
        let missing = self.ledger.first_shortfall(
            |k| {
                k.receiver
                    .filter(|&q| sender_ok(k.sender) && run.is_correct(q))
            },
            |entry, q| entry.short_at(q),
        );
        run.liveness(missing.map(|(k, entry, q)| {
            entry.blame(format!(
                "{:?} from {} to {q} was sent {} time(s) but delivered {} time(s), and both are correct",
                k.msg,
                k.sender,
                entry.requests,
                entry.count(q)
            ))
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
        StubbornDelivery(Ledger::point_to_point(module))
    }
}

impl Monitor for StubbornDelivery {
    automata::property!("stubborn-delivery", Liveness);
    fn cares_module(&self, module: &str) -> bool {
        self.0.cares_module(module)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        self.0.record(e);
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let missing = self.0.first_shortfall(
            |k| {
                k.receiver
                    .filter(|&q| run.is_correct(k.sender) && run.is_correct(q))
            },
            |entry, q| !entry.indicated_since(q, run.settle_from),
        );
        run.liveness(missing.map(|(k, entry, q)| {
            entry.blame(format!(
                "{:?} from {} to {q} was not delivered again after time {}",
                k.msg, k.sender, run.settle_from
            ))
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
    layer: Layer,
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
            layer: Layer::new(module),
            channels: BTreeMap::new(),
        }
    }
}

impl Monitor for FifoDelivery {
    automata::property!("fifo-delivery", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if !self.layer.is(&e.module) {
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
