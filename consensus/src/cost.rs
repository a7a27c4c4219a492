//! What a consensus run costs (book §8.11, C.8, C.9), measured by the termination monitor:
//! `decision_latency`, the ticks from the first proposal to the moment the last process
//! decided (with every message taking δ ticks, δ times the communication steps), and
//! `decision_messages`, the messages sent from the first proposal until then.
//!
//! A message is a `Send` request to perfect links (`pl`): what the algorithm asks to send, a
//! broadcast counting once per destination (itself included), not the links' retransmissions
//! or acknowledgements. Messages sent at the instant of the last decision are not counted:
//! with constant delays none of them can have caused it. Round algorithms, which send no `pl`
//! requests, are measured in time only.
//!
//! A measurement, not state: every `Cost` equals every other, so that the model checker, which
//! keeps monitors inside its states, does not tell apart states that differ only in what their
//! paths measured. No verdict depends on it.

use automata::model::Timing;
use automata::{Event, Kind, Time, TraceEvent};
use catalogue::Loaded;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

/// What theory predicts a decision costs for `N` processes when nothing fails and every
/// process proposes at once: `(steps, messages)`, for the book's table (C.8, C.9).
pub type Predicted = fn(n: u64) -> (u64, u64);

/// The figures `ioa sweep` prints beside the measured ones: `decision_messages`, and
/// `decision_latency` (steps × the delay) when every message takes the same time (synchronous
/// timing, or no unbounded tail).
pub fn predicted(l: &Loaded, cost: Predicted) -> BTreeMap<String, f64> {
    let (steps, messages) = cost(l.scenario.processes as u64);
    let mut out = BTreeMap::from([("decision_messages".to_string(), messages as f64)]);
    let (d, timing) = (&l.scenario.model.delay, l.scenario.model.timing);
    if d.min == d.max && (timing == Timing::Synchronous || d.tail == 0.0) {
        out.insert("decision_latency".to_string(), (steps * d.min) as f64);
    }
    out
}

/// The tally of one run (equal to every other `Cost`).
#[derive(Clone, Debug, Default)]
pub struct Cost {
    /// Messages sent so far, and those sent before the current instant.
    sent: u64,
    before_now: u64,
    now: Time,
    /// The first proposal: its time and the messages sent before it.
    first: Option<(Time, u64)>,
    /// The last decision so far: its time and the messages sent before that instant.
    last: Option<(Time, u64)>,
}

impl PartialEq for Cost {
    fn eq(&self, _: &Cost) -> bool {
        true
    }
}

impl Eq for Cost {}

impl Hash for Cost {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

impl Cost {
    /// Whether `e` is a message: a `Send` request to perfect links.
    pub fn counts(e: &TraceEvent) -> bool {
        e.kind == Kind::Request
            && Self::counts_module(&e.module)
            && matches!(e.event, Event::Send { .. })
    }

    /// Whether events of layer `module` can be messages.
    pub fn counts_module(module: &str) -> bool {
        module == "pl"
    }

    /// Follows the clock and counts `e` if it is a message.
    pub fn observe(&mut self, e: &TraceEvent) {
        if e.time > self.now {
            self.now = e.time;
            self.before_now = self.sent;
        }
        if Cost::counts(e) {
            self.sent += 1;
        }
    }

    /// A process proposed (the first proposal opens the account).
    pub fn proposed(&mut self) {
        self.first.get_or_insert((self.now, self.before_now));
    }

    /// A process decided (the latest decision closes it).
    pub fn decided(&mut self) {
        self.last = Some((self.now, self.before_now));
    }

    /// `decision_latency` and `decision_messages`, once someone proposed and decided.
    pub fn measure(&self) -> Vec<(&'static str, f64)> {
        let (Some((t0, m0)), Some((t1, m1))) = (self.first, self.last) else {
            return Vec::new();
        };
        vec![
            ("decision_latency", t1.saturating_sub(t0) as f64),
            ("decision_messages", m1.saturating_sub(m0) as f64),
        ]
    }
}
