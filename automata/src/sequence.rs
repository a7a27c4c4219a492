//! The reorder buffer of the FIFO algorithms (FIFO perfect links, FIFO reliable broadcast):
//! `pending` holds what arrived early, `next[p]` the sequence number due from `p`.

use crate::Pid;
use std::collections::BTreeMap;

/// `pending` and `next` of the book's "while exists (p, next[p], m) ∈ pending" loop.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SequenceBuffer<P> {
    /// `next[p]`: the sequence number due from `p` (0 until something arrives).
    next: BTreeMap<Pid, u64>,
    /// `pending`: (p, sn) ↦ m for what arrived before its turn.
    pending: BTreeMap<(Pid, u64), P>,
}

impl<P> Default for SequenceBuffer<P> {
    fn default() -> Self {
        SequenceBuffer {
            next: BTreeMap::new(),
            pending: BTreeMap::new(),
        }
    }
}

impl<P> SequenceBuffer<P> {
    /// `pending := pending ∪ {(from, sn, m)}; while exists (from, next[from], m') ∈ pending do
    /// next[from] := next[from] + 1; pending := pending \ {...}`: the messages now due, in
    /// order. A number already delivered is ignored (a layer below that never duplicates
    /// never sends one; a weaker one might).
    pub fn accept(&mut self, from: Pid, sn: u64, msg: P) -> Vec<P> {
        let next = self.next.entry(from).or_insert(0);
        if sn < *next {
            return Vec::new();
        }
        self.pending.insert((from, sn), msg);
        let mut ready = Vec::new();
        while let Some(m) = self.pending.remove(&(from, *next)) {
            *next += 1;
            ready.push(m);
        }
        ready
    }

    /// `next[p] := 0` for all p; `pending := ∅`.
    pub fn clear(&mut self) {
        self.next.clear();
        self.pending.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_in_order_and_ignores_old_numbers() {
        let mut b = SequenceBuffer::default();
        assert!(b.accept(1, 1, "b").is_empty());
        assert!(b.accept(1, 2, "c").is_empty());
        assert_eq!(b.accept(2, 0, "x"), vec!["x"]);
        assert_eq!(b.accept(1, 0, "a"), vec!["a", "b", "c"]);
        assert!(b.accept(1, 1, "b again").is_empty());
        assert_eq!(b.accept(1, 3, "d"), vec!["d"]);
    }
}
