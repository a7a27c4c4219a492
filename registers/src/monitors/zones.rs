//! Linearizability of a register history in O(n log n) when every written value is unique:
//! the zones of Gibbons and Korach (1997), in the form Golab, Li and Shah (2011) give them.
//!
//! A *cluster* is a write and the reads that returned its value (⊥, the initial value, has a
//! write that ends before anything starts). Its *zone* runs between the earliest finish and
//! the latest start of its operations. If the earliest finish comes first, the zone is
//! *forward*: the value was in the register from that finish to that start, at least, so no
//! other value can be linearized wholly inside it. Otherwise it is *backward*: all of the
//! cluster's operations overlap, and they can be linearized at one point. The history is
//! linearizable if and only if every read has a write of its value that starts before the
//! read returns, no two forward zones overlap, and no backward zone lies inside a forward one.
//!
//! A failed operation (its invoker crashed) finishes at infinity: a failed write may take
//! effect at any time after its start; a failed or pending read says nothing and is left out.

use super::{returned, written};
use automata::history::History;
use automata::Value;
use std::collections::BTreeMap;

/// Why a history is not linearizable (values as the history has them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anomaly {
    /// Read operation `read` returned a value that no operation wrote.
    NeverWritten { read: usize },
    /// Read operation `read` returned before the write of its value started.
    ReadBeforeWrite { read: usize, write: usize },
    /// The forward zones of two values overlap: each value was read after the other was.
    Overlap { first: Value, second: Value },
    /// The whole cluster of `inner` lies inside the forward zone of `outer`: `inner` was
    /// written and read between a finished operation on `outer` and a later read of it.
    Inside { outer: Value, inner: Value },
}

/// A point of the history's timeline. A finish at trace place `s` sorts before a start at
/// the same place (the queued operation starts at its predecessor's response), and every
/// operation's start and finish are distinct points.
type Point = u64;
const NEVER: Point = Point::MAX;

fn start(seq: u64) -> Point {
    2 * seq + 3
}

fn finish(seq: u64) -> Point {
    2 * seq + 2
}

/// The zone of one cluster: the earliest finish and the latest start of its operations.
#[derive(Clone, Copy)]
struct Zone {
    first_finish: Point,
    last_start: Point,
}

impl Zone {
    fn forward(&self) -> bool {
        self.first_finish < self.last_start
    }

    fn span(&self) -> (Point, Point) {
        if self.forward() {
            (self.first_finish, self.last_start)
        } else {
            (self.last_start, self.first_finish)
        }
    }
}

/// The zones verdict on `h`; `None` when some value was written twice (or ⊥ written), where
/// clusters are ambiguous and only a search can judge.
pub fn check(h: &History) -> Option<Result<(), Anomaly>> {
    // Each value's cluster: its write (⊥'s is before everything) and its zone so far.
    let mut clusters: BTreeMap<&Value, (Option<usize>, Zone)> = BTreeMap::new();
    clusters.insert(
        &Value::Unit,
        (
            None,
            Zone {
                first_finish: 1,
                last_start: 0,
            },
        ),
    );
    for (i, o) in h.ops().iter().enumerate() {
        let (Some(v), Some(s)) = (written(o), o.started) else {
            continue;
        };
        let f = o.response.as_ref().map_or(NEVER, |(at, _)| finish(at.seq));
        let zone = Zone {
            first_finish: f,
            last_start: start(s.seq),
        };
        if clusters.insert(v, (Some(i), zone)).is_some() {
            return None;
        }
    }
    for (i, o) in h.ops().iter().enumerate() {
        let (Some(v), Some(s), Some((r, _))) = (returned(o), o.started, &o.response) else {
            continue;
        };
        let Some((write, zone)) = clusters.get_mut(v) else {
            return Some(Err(Anomaly::NeverWritten { read: i }));
        };
        let (s, f) = (start(s.seq), finish(r.seq));
        if let Some(w) = *write {
            let ws = start(h.ops()[w].started.expect("a clustered write started").seq);
            if f < ws {
                return Some(Err(Anomaly::ReadBeforeWrite { read: i, write: w }));
            }
        }
        zone.first_finish = zone.first_finish.min(f);
        zone.last_start = zone.last_start.max(s);
    }
    // Forward zones sorted by their start must not overlap; then each backward zone must not
    // lie inside the forward zone that starts last before it.
    let mut forward: Vec<(Point, Point, &Value)> = Vec::new();
    let mut backward: Vec<(Point, Point, &Value)> = Vec::new();
    for (&v, (_, zone)) in &clusters {
        let (lo, hi) = zone.span();
        if zone.forward() {
            forward.push((lo, hi, v));
        } else {
            backward.push((lo, hi, v));
        }
    }
    forward.sort_unstable_by_key(|z| z.0);
    if let Some(w) = forward.windows(2).find(|w| w[1].0 < w[0].1) {
        return Some(Err(Anomaly::Overlap {
            first: w[0].2.clone(),
            second: w[1].2.clone(),
        }));
    }
    for &(lo, hi, inner) in &backward {
        let before = forward.partition_point(|z| z.0 < lo);
        if let Some(&(_, end, outer)) = before.checked_sub(1).map(|k| &forward[k]) {
            if hi < end {
                return Some(Err(Anomaly::Inside {
                    outer: outer.clone(),
                    inner: inner.clone(),
                }));
            }
        }
    }
    Some(Ok(()))
}
