//! The simulator's event queue: a ring of time buckets with a heap for the far future.
//!
//! Events come out in (time, insertion order), exactly as a binary heap keyed by
//! `(time, sequence number)` would give them, but almost every push and pop is O(1): an event
//! due within [`WINDOW`] ticks of the current time goes to the back of its time's bucket, and
//! the buckets are visited in time order (a bitmap finds the next non-empty one). Events due
//! later wait in a binary heap and move into their bucket, in (time, sequence) order, as soon
//! as the window reaches their time and before anything else can be pushed at that time, so
//! every bucket stays in insertion order. A heap of a million processes' packets cost about
//! twenty cache misses a pop; the ring costs one or two.

use crate::Time;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Ticks the ring covers from the current time (a power of two).
const WINDOW: usize = 1024;
const WORDS: usize = WINDOW / 64;

pub(super) struct Queue {
    /// The current time: every event in the ring is due in `[base, base + WINDOW)`.
    base: Time,
    /// Bucket `t % WINDOW` holds the slots of the events due at time `t`, in push order.
    ring: Vec<VecDeque<usize>>,
    /// Bit `i` is set when bucket `i` is non-empty.
    bits: [u64; WORDS],
    in_ring: usize,
    /// Events due at `base + WINDOW` or later, as (time, sequence number, slot).
    far: BinaryHeap<Reverse<(Time, u64, usize)>>,
    seq: u64,
}

impl Queue {
    pub(super) fn new() -> Self {
        Queue {
            base: 0,
            ring: (0..WINDOW).map(|_| VecDeque::new()).collect(),
            bits: [0; WORDS],
            in_ring: 0,
            far: BinaryHeap::new(),
            seq: 0,
        }
    }

    /// Events queued.
    pub(super) fn len(&self) -> usize {
        self.in_ring + self.far.len()
    }

    /// Queues `slot` at time `at` (never before the current time: the runner only schedules
    /// forward).
    pub(super) fn push(&mut self, at: Time, slot: usize) {
        debug_assert!(at >= self.base, "an event scheduled in the past");
        let at = at.max(self.base);
        if at - self.base < WINDOW as Time {
            self.file(at, slot);
        } else {
            self.far.push(Reverse((at, self.seq, slot)));
        }
        self.seq += 1;
    }

    fn file(&mut self, at: Time, slot: usize) {
        let i = (at % WINDOW as Time) as usize;
        self.ring[i].push_back(slot);
        self.bits[i / 64] |= 1 << (i % 64);
        self.in_ring += 1;
    }

    /// Distance from `base` to the first non-empty bucket (the ring must not be empty).
    fn next_offset(&self) -> usize {
        let start = (self.base % WINDOW as Time) as usize;
        let (w0, b0) = (start / 64, start % 64);
        let first = self.bits[w0] & (!0u64 << b0);
        if first != 0 {
            return first.trailing_zeros() as usize - b0;
        }
        for k in 1..=WORDS {
            let w = (w0 + k) % WORDS;
            let mut word = self.bits[w];
            if k == WORDS {
                word &= (1u64 << b0).wrapping_sub(1);
            }
            if word != 0 {
                let i = w * 64 + word.trailing_zeros() as usize;
                return (i + WINDOW - start) % WINDOW;
            }
        }
        unreachable!("next_offset on an empty ring")
    }

    /// Moves the window to start at `base`, taking in the far events it now covers.
    fn advance(&mut self, base: Time) {
        self.base = base;
        while let Some(&Reverse((at, _, slot))) = self.far.peek() {
            if at - base >= WINDOW as Time {
                break;
            }
            self.far.pop();
            self.file(at, slot);
        }
    }

    /// The time of the next event, or `None` if there is none. Moves the window there.
    pub(super) fn next_time(&mut self) -> Option<Time> {
        if self.in_ring == 0 {
            let &Reverse((at, _, _)) = self.far.peek()?;
            self.advance(at);
            return Some(at);
        }
        let d = self.next_offset();
        if d > 0 {
            self.advance(self.base + d as Time);
        }
        Some(self.base)
    }

    /// Takes the next event (after [`Queue::next_time`] said there is one): its slot.
    pub(super) fn pop(&mut self) -> usize {
        let i = (self.base % WINDOW as Time) as usize;
        let slot = self.ring[i]
            .pop_front()
            .expect("next_time found this bucket");
        if self.ring[i].is_empty() {
            self.bits[i / 64] &= !(1 << (i % 64));
        }
        self.in_ring -= 1;
        slot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The queue gives the same order as a heap keyed by (time, sequence number).
    #[test]
    fn same_order_as_a_heap() {
        let mut q = Queue::new();
        let mut heap = BinaryHeap::new();
        let mut seq = 0u64;
        let mut state = 12345u64;
        let mut rand = |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        let mut now = 0;
        for round in 0..20_000 {
            for _ in 0..rand(3) {
                let at = now
                    + match rand(4) {
                        0 => 0,
                        1 => rand(10),
                        2 => rand(3000),
                        _ => WINDOW as Time - 1 + rand(3),
                    };
                q.push(at, round);
                heap.push(Reverse((at, seq, round)));
                seq += 1;
            }
            if rand(2) == 0 {
                let Some(t) = q.next_time() else {
                    assert!(heap.is_empty());
                    continue;
                };
                let Reverse((at, _, slot)) = heap.pop().unwrap();
                assert_eq!((t, q.pop()), (at, slot));
                now = t;
            }
            assert_eq!(q.len(), heap.len());
        }
        while let Some(t) = q.next_time() {
            let Reverse((at, _, slot)) = heap.pop().unwrap();
            assert_eq!((t, q.pop()), (at, slot));
        }
        assert!(heap.is_empty());
    }
}
