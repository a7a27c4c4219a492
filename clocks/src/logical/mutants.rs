//! Deliberately broken logical clocks: each exists to show that a monitor catches a bug
//! (book §10.1, B-10.1, B-10.3). They are the textbook modules with one rule removed, built
//! only here, so a reader never mistakes one for the real thing.
//!
//! | mutant | what is wrong | property that catches it |
//! |---|---|---|
//! | [`NoMaxLamportClock`] | `l := l + 1` on receipt, without `max(l, t)` (B-10.1) | LC1 clock-condition |
//! | [`NoMergeVectorClock`] | `V[self] += 1` on receipt, without the component-wise max (B-10.3) | VC1 strong-clock-condition |
//! | [`DoubleTickVectorClock`] | `V[self] += 2` on receipt: the delivery counted twice, once for the link's event and once for the clock's | VC2 own-count (VC1 still holds: the order is kept, only the count is wrong) |

use super::{LamportClock, Timestamped, VectorClock};
use automata::{Payload, Time};
use links::{Link, PerfectLinks};

/// B-10.1: a Lamport clock that only increments on receipt (NAME `lc`, as it claims to be one).
pub struct NoMaxLamportClock;

impl NoMaxLamportClock {
    /// Over perfect links retransmitting every `period` ticks.
    pub fn build<P: Payload>(period: Time) -> LamportClock<P> {
        Self::over(PerfectLinks::new(period))
    }

    pub fn over<P: Payload, L: Link<Timestamped<P, u64>>>(link: L) -> LamportClock<P, L> {
        let mut lc = LamportClock::over(link);
        lc.take_max = false;
        lc
    }
}

/// B-10.3: a vector clock that does not merge the received vector (NAME `vc`).
pub struct NoMergeVectorClock;

impl NoMergeVectorClock {
    /// Over perfect links retransmitting every `period` ticks.
    pub fn build<P: Payload>(period: Time) -> VectorClock<P> {
        Self::over(PerfectLinks::new(period))
    }

    pub fn over<P: Payload, L: Link<Timestamped<P, Vec<u64>>>>(link: L) -> VectorClock<P, L> {
        let mut vc = VectorClock::over(link);
        vc.merge = false;
        vc
    }
}

/// A vector clock that counts a delivery as two events at the receiver (NAME `vc`): the bug of
/// a layer that ticks once when the link delivers and once more when it delivers upwards. Its
/// own entry is then a strictly increasing function of its event count, so VC1 (the order)
/// still holds, and only VC2 (the count) catches it.
pub struct DoubleTickVectorClock;

impl DoubleTickVectorClock {
    /// Over perfect links retransmitting every `period` ticks.
    pub fn build<P: Payload>(period: Time) -> VectorClock<P> {
        Self::over(PerfectLinks::new(period))
    }

    pub fn over<P: Payload, L: Link<Timestamped<P, Vec<u64>>>>(link: L) -> VectorClock<P, L> {
        let mut vc = VectorClock::over(link);
        vc.double_tick = true;
        vc
    }
}

use crate::abstractions::PERIOD;
use automata::Value;
use catalogue::{job, Algorithm};
use links::abstractions::send;

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "lamport-clock-no-max", abstraction: "lc", params: &[PERIOD], mutant: true,
    model: "as lamport-clock",
    summary: "MUTANT: on delivery l := l + 1, ignoring the message's timestamp (B-10.1)",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| NoMaxLamportClock::build::<Value>(period), send)
    };

    id: "vector-clock-no-merge", abstraction: "vc", params: &[PERIOD], mutant: true,
    model: "as vector-clock",
    summary: "MUTANT: on delivery only V[p] += 1, without merging the message's vector (B-10.3)",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| NoMergeVectorClock::build::<Value>(period), send)
    };

    id: "vector-clock-double-tick", abstraction: "vc", params: &[PERIOD], mutant: true,
    model: "as vector-clock",
    summary: "MUTANT: on delivery V[p] += 2 (the delivery counted twice), after the merge: VC1 holds, VC2 own-count fails",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| DoubleTickVectorClock::build::<Value>(period), send)
    };
};
