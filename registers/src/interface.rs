//! The register interface every register abstraction shares (CGR Modules 4.1-4.3): requests
//! `⟨ Read ⟩` and `⟨ Write | v ⟩`, indications `⟨ ReadReturn | v ⟩` and `⟨ WriteReturn ⟩`.
//!
//! The book's clients are sequential: a process invokes an operation only once its previous
//! one returned. A scenario's workload may ask sooner; [`Client`] then queues the request and
//! the algorithm starts it when the previous operation returns (the history monitors count it
//! as started then). The initial value ⊥ is `V::default()` (`Value::Unit` in scenarios).

pub use crate::skeleton::{Operations, Register};
use automata::{Event, Observe, Pid, ToValue, Value};
use std::collections::VecDeque;

/// Request `⟨ Read ⟩` or `⟨ Write | v ⟩`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RegisterOp<V> {
    Read,
    Write(V),
}

/// Indication `⟨ ReadReturn | v ⟩` or `⟨ WriteReturn ⟩`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RegisterRet<V> {
    ReadReturn(V),
    WriteReturn,
}

impl<V: ToValue> Observe for RegisterOp<V> {
    fn observe(&self) -> Option<Event> {
        Some(match self {
            RegisterOp::Read => Event::Read,
            RegisterOp::Write(v) => Event::Write {
                value: v.to_value(),
            },
        })
    }
}

impl<V: ToValue> Observe for RegisterRet<V> {
    fn observe(&self) -> Option<Event> {
        Some(match self {
            RegisterRet::ReadReturn(v) => Event::ReadReturn {
                value: v.to_value(),
            },
            RegisterRet::WriteReturn => Event::WriteReturn,
        })
    }
}

/// A sequential client's requests: the operation running and those waiting for it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Client<V> {
    waiting: VecDeque<RegisterOp<V>>,
    busy: bool,
}

impl<V> Client<V> {
    pub fn new() -> Self {
        Client {
            waiting: VecDeque::new(),
            busy: false,
        }
    }

    /// A request arrived: it waits its turn.
    pub fn push(&mut self, op: RegisterOp<V>) {
        self.waiting.push_back(op);
    }

    /// The next operation to start, if none is running (it is running from now on).
    pub fn start(&mut self) -> Option<RegisterOp<V>> {
        if self.busy {
            return None;
        }
        let op = self.waiting.pop_front()?;
        self.busy = true;
        Some(op)
    }

    /// The running operation returned.
    pub fn done(&mut self) {
        self.busy = false;
    }

    /// Forgets everything (a crash lost the requests).
    pub fn clear(&mut self) {
        self.waiting.clear();
        self.busy = false;
    }
}

/// The register algorithms' messages, in the book's words: `[WRITE, r, ts, wr, v]` (single
/// writer algorithms leave `r` or `wr` at 0 where the book has no such field), `[READ, r]`,
/// `[VALUE, r, ts, wr, v]`, `[ACK, r]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Msg<V> {
    Write { r: u64, ts: u64, wr: Pid, v: V },
    Read { r: u64 },
    Value { r: u64, ts: u64, wr: Pid, v: V },
    Ack { r: u64 },
}

impl<V: ToValue> ToValue for Msg<V> {
    fn to_value(&self) -> Value {
        let int = |x: u64| Value::Int(x as i64);
        Value::List(match self {
            Msg::Write { r, ts, wr, v } => vec![
                Value::str("WRITE"),
                int(*r),
                int(*ts),
                int(*wr as u64),
                v.to_value(),
            ],
            Msg::Read { r } => vec![Value::str("READ"), int(*r)],
            Msg::Value { r, ts, wr, v } => vec![
                Value::str("VALUE"),
                int(*r),
                int(*ts),
                int(*wr as u64),
                v.to_value(),
            ],
            Msg::Ack { r } => vec![Value::str("ACK"), int(*r)],
        })
    }
}

/// The messages (or timers) of an algorithm that owns a best-effort broadcast, perfect links
/// and, for the fail-stop algorithms, a failure detector.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire<B, L, D> {
    Beb(B),
    Pl(L),
    Detector(D),
}

/// The messages (or timers) of an algorithm that owns a best-effort broadcast and perfect
/// links (the fail-silent algorithms).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BebPl<B, L> {
    Beb(B),
    Pl(L),
}

/// The messages (or timers) of an algorithm that owns perfect links only.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlOnly<L> {
    Pl(L),
}

/// The messages (or timers) of an algorithm that owns a stubborn best-effort broadcast and
/// stubborn links (the fail-recovery algorithms).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SbebSl<B, L> {
    Sbeb(B),
    Sl(L),
}

/// `[⊥]^N`: one empty slot per process.
pub fn empty_list<T>(n: usize) -> Vec<Option<T>> {
    (0..n).map(|_| None).collect()
}

/// `highest(readlist)`: the entry with the largest timestamp (`key`); ⊥ if none.
pub fn highest<T: Clone + Default, K: Ord>(readlist: &[Option<T>], key: impl Fn(&T) -> K) -> T {
    readlist
        .iter()
        .flatten()
        .max_by_key(|e| key(e))
        .cloned()
        .unwrap_or_default()
}
