//! What the register monitors measure besides their verdicts: what an operation costs in
//! messages (CGR's "2N messages a write"; [`Cost`], for the termination monitor, which also
//! measures what it costs in time), and how many reads were stale ([`Stale`], for the regular
//! validity monitor: the rate at which random quorums miss each other, C.16).
//!
//! Both are measurements, not state: every value equals every other, so that the model
//! checker, which keeps monitors inside its states, does not tell apart two states that differ
//! only in what their paths measured. No verdict depends on them.
//!
//! A message is a `Send` request to the links the algorithm uses: its perfect links (`pl`),
//! or, for the fail-recovery algorithms, its stubborn links (`sl`). That is what the algorithm
//! asks to send, each broadcast counting once per destination, not the links' retransmissions
//! (perfect links hand each message to the stubborn links below them once; only `pl` is
//! counted when there is one). An operation is charged with every such message, at any
//! process, from its start to its return, both instants included: exact when operations do
//! not overlap (the cost scenario spaces them out), an overcount when they do.

use automata::history::{Change, History};
use automata::{Event, Kind, TraceEvent};
use std::hash::{Hash, Hasher};

/// The link layers counted, in order of preference.
const LAYERS: [&str; 2] = ["pl", "sl"];

/// Messages sent so far on each layer of [`LAYERS`].
type Count = [u64; 2];

/// The messages charged to each operation of a history (equal to every other `Cost`).
#[derive(Clone, Debug, Default)]
pub struct Cost {
    sent: Count,
    /// Per operation (by index in the history): the count at its start, then its cost.
    start: Vec<Option<Count>>,
    cost: Vec<Option<Count>>,
}

/// A measurement: equal to every other of its type, hashed as nothing.
macro_rules! measurement {
    ($t:ty) => {
        impl PartialEq for $t {
            fn eq(&self, _: &$t) -> bool {
                true
            }
        }

        impl Eq for $t {}

        impl Hash for $t {
            fn hash<H: Hasher>(&self, _: &mut H) {}
        }
    };
}

measurement!(Cost);
measurement!(Stale);

/// The reads judged and those found stale (equal to every other `Stale`).
#[derive(Clone, Debug, Default)]
pub struct Stale {
    reads: u64,
    stale: u64,
}

impl Stale {
    /// A read was judged; `legal` says whether it returned a value it may return.
    pub fn read(&mut self, legal: bool) {
        self.reads += 1;
        self.stale += u64::from(!legal);
    }

    /// The fraction of the reads that were stale.
    pub fn rate(&self) -> Option<f64> {
        (self.reads > 0).then(|| self.stale as f64 / self.reads as f64)
    }
}

impl Cost {
    /// The layer of [`LAYERS`] that `e` is a message on, if it is one.
    fn layer(e: &TraceEvent) -> Option<usize> {
        if e.kind != Kind::Request || !matches!(e.event, Event::Send { .. }) {
            return None;
        }
        LAYERS.iter().position(|l| e.module == *l)
    }

    /// Whether `e` is a message: a `Send` request to perfect or stubborn links.
    pub fn counts(e: &TraceEvent) -> bool {
        Cost::layer(e).is_some()
    }

    /// Whether events of layer `module` can be messages.
    pub fn counts_module(module: &str) -> bool {
        LAYERS.contains(&module)
    }

    /// Counts `e` if it is a message.
    pub fn message(&mut self, e: &TraceEvent) {
        if let Some(l) = Cost::layer(e) {
            self.sent[l] += 1;
        }
    }

    /// Follows the history: an operation that starts opens its account, one that returns
    /// closes it.
    pub fn change(&mut self, change: &Change) {
        match *change {
            Change::Invoked { op, started: true } => self.open(op),
            Change::Returned { op, next } => {
                if let Some(Some(start)) = self.start.get(op).copied() {
                    if self.cost.len() <= op {
                        self.cost.resize(op + 1, None);
                    }
                    self.cost[op] = Some([self.sent[0] - start[0], self.sent[1] - start[1]]);
                }
                if let Some(n) = next {
                    self.open(n);
                }
            }
            _ => {}
        }
    }

    fn open(&mut self, op: usize) {
        if self.start.len() <= op {
            self.start.resize(op + 1, None);
        }
        self.start[op] = Some(self.sent);
    }

    /// The mean cost of the completed reads (`reads`) or writes of `history`, on the highest
    /// layer that carried any message.
    pub fn mean(&self, history: &History, reads: bool) -> Option<f64> {
        let layer = if self.sent[0] > 0 { 0 } else { 1 };
        let costs: Vec<u64> = history
            .ops()
            .iter()
            .enumerate()
            .filter(|(_, o)| matches!(o.request, Event::Read) == reads)
            .filter_map(|(i, _)| Some(self.cost.get(i).copied().flatten()?[layer]))
            .collect();
        (!costs.is_empty()).then(|| costs.iter().sum::<u64>() as f64 / costs.len() as f64)
    }
}
