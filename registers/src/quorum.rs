//! The pieces the message-passing registers share, named as the book names them: the
//! timestamped value every process stores and serves (`(ts, wr, val)`), the `writeset` a
//! fail-stop operation waits to cover `correct`, and the `readlist` a majority operation fills.
//!
//! Each algorithm keeps its own `upon` handlers (their doc comments quote its pseudocode); these
//! pieces hold only the variable updates the algorithms write alike.

use crate::interface::{empty_list, highest, Msg};
use automata::Pid;
use std::collections::BTreeSet;

/// `(ts, wr, val)`: the value a process stores, its timestamp and the rank of its writer.
/// Single-writer algorithms send `wr = 0` throughout, so for them the order is `ts` alone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Stored<V> {
    pub ts: u64,
    pub wr: Pid,
    pub val: V,
}

impl<V: Clone> Stored<V> {
    // ANCHOR: stored
    /// `if (ts', wr') is larger than (ts, wr) then (ts, wr, val) := (ts', wr', v')`.
    pub fn adopt(&mut self, ts: u64, wr: Pid, v: V) {
        if (ts, wr) > (self.ts, self.wr) {
            (self.ts, self.wr, self.val) = (ts, wr, v);
        }
    }

    /// `[VALUE, r, ts, wr, val]`: the answer to `[READ, r]`.
    pub fn value(&self, r: u64) -> Msg<V> {
        Msg::Value {
            r,
            ts: self.ts,
            wr: self.wr,
            v: self.val.clone(),
        }
    }
    // ANCHOR_END: stored
}

/// `correct` and `writeset` of the fail-stop registers: the processes P has not detected, and
/// those that acknowledged the running operation. Operations are numbered, and an
/// acknowledgement counts only for the operation it answers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct WriteSet {
    correct: BTreeSet<Pid>,
    writeset: BTreeSet<Pid>,
    /// The number of the latest operation.
    op: u64,
    /// An operation is waiting for acknowledgements.
    waiting: bool,
}

impl WriteSet {
    /// `correct := Π; writeset := ∅`.
    pub fn init(&mut self, processes: impl IntoIterator<Item = Pid>) {
        self.correct = processes.into_iter().collect();
    }

    /// `correct := correct \ {p}`.
    pub fn crash(&mut self, p: Pid) {
        self.correct.remove(&p);
    }

    /// A new operation starts waiting; its number tags its messages.
    pub fn start(&mut self) -> u64 {
        self.op += 1;
        self.waiting = true;
        self.op
    }

    /// `writeset := writeset ∪ {p}`, if `p` acknowledged operation `r`, the running one.
    pub fn ack(&mut self, p: Pid, r: u64) {
        if self.waiting && r == self.op {
            self.writeset.insert(p);
        }
    }

    /// `upon correct ⊆ writeset do writeset := ∅`: whether the running operation just
    /// completed.
    pub fn complete(&mut self) -> bool {
        if !(self.waiting && self.correct.is_subset(&self.writeset)) {
            return false;
        }
        self.writeset.clear();
        self.waiting = false;
        true
    }
}

/// `readlist`: one slot per process for the answers to the running read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ReadList<T>(Vec<Option<T>>);

impl<T: Clone + Default> ReadList<T> {
    /// `readlist := [⊥]^N`.
    pub fn reset(&mut self, n: usize) {
        self.0 = empty_list(n);
    }

    /// `readlist[q] := t`; returns `#(readlist)`, the number of answers so far.
    pub fn put(&mut self, q: Pid, t: T) -> usize {
        self.0[q] = Some(t);
        self.0.iter().flatten().count()
    }

    /// `highest(readlist)` by the timestamp `key`.
    pub fn highest<K: Ord>(&self, key: impl Fn(&T) -> K) -> T {
        highest(&self.0, key)
    }
}
