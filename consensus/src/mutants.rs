//! Deliberately broken consensus algorithms: each exists to show that a monitor catches a bug
//! (CATALOGUE.md part B). None is a textbook algorithm.
//!
//! | mutant | what is wrong | property that catches it |
//! |---|---|---|
//! | [`ShortFloodSet`] (`floodset-short`) | FloodSet that decides after `t` rounds, not `t + 1` (B-8.8, C.7) | C4 agreement / UC4 uniform agreement |
//! | [`HastyEarlyDeciding`] (`early-deciding-floodset-hasty`) | early deciding without the `DECIDE` round: decides at the end of the clean round, by round `min(f + 1, t + 1)` (C.7) | UC4 uniform agreement |

use crate::early_deciding::{EarlyDeciding, EarlyMsg};
use crate::floodset::FloodSet;
use automata::rounds::RoundAlgorithm;
use automata::{Event, Payload, Pid};
use std::collections::BTreeSet;

/// FloodSet stopped one round short (CATALOGUE.md B-8.8): with one crash per round, each in
/// the middle of its sends, two correct processes end the `t` rounds with different `W`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ShortFloodSet<V: Payload>(pub FloodSet<V>);

impl<V: Payload> ShortFloodSet<V> {
    pub fn new(v: V, t: u64) -> Self {
        ShortFloodSet(FloodSet::new(v, t))
    }
}

impl<V: Payload> RoundAlgorithm for ShortFloodSet<V> {
    type Msg = BTreeSet<V>;
    type Output = V;

    fn messages(&self, me: Pid, n: usize, round: u64) -> Vec<(Pid, BTreeSet<V>)> {
        self.0.messages(me, n, round)
    }

    fn transition(
        &mut self,
        _me: Pid,
        _n: usize,
        round: u64,
        received: &[(Pid, BTreeSet<V>)],
    ) -> Option<V> {
        for (_, x) in received {
            self.0.w.extend(x.iter().cloned());
        }
        // The bug: `t` rounds, one too few.
        self.0.decide_after(round, self.0.t)
    }

    fn rounds(&self) -> u64 {
        self.0.t
    }

    fn start_event(&self) -> Option<Event> {
        self.0.start_event()
    }
}

/// Early deciding without the extra round (CATALOGUE.md C.7): a process decides at the end of
/// the round in which it becomes early (a round with as many senders as the one before, or a
/// `DECIDE` received), instead of sending `DECIDE` first and deciding one round later; it
/// otherwise runs [`EarlyDeciding`] unchanged. That is the `f + 1` rounds of (regular)
/// consensus, not the `f + 2` of uniform consensus: a process that saw the crashed one's value
/// decides it and crashes, the others never see it and decide another value later.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HastyEarlyDeciding<V: Payload> {
    pub inner: EarlyDeciding<V>,
    /// The value it decided (reported as soon as `inner` became early).
    pub decided: Option<V>,
}

impl<V: Payload> HastyEarlyDeciding<V> {
    pub fn new(v: V, t: u64) -> Self {
        HastyEarlyDeciding {
            inner: EarlyDeciding::new(v, t),
            decided: None,
        }
    }
}

impl<V: Payload> RoundAlgorithm for HastyEarlyDeciding<V> {
    type Msg = EarlyMsg<V>;
    type Output = V;

    fn messages(&self, me: Pid, n: usize, round: u64) -> Vec<(Pid, EarlyMsg<V>)> {
        self.inner.messages(me, n, round)
    }

    fn transition(
        &mut self,
        me: Pid,
        n: usize,
        round: u64,
        received: &[(Pid, EarlyMsg<V>)],
    ) -> Option<V> {
        let out = self.inner.transition(me, n, round, received);
        if self.decided.is_some() {
            return None;
        }
        // The bug: decide as soon as early, before anyone was sent `DECIDE`.
        if self.inner.early || out.is_some() {
            self.decided = Some(self.inner.est.clone());
            return self.decided.clone();
        }
        None
    }

    fn rounds(&self) -> u64 {
        self.inner.rounds()
    }

    fn start_event(&self) -> Option<Event> {
        self.inner.start_event()
    }
}

use crate::abstractions::{rounds_job, PARAMS};
use catalogue::Algorithm;

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "floodset-short", abstraction: "uc", params: PARAMS, mutant: true,
    model: "as floodset",
    summary: "mutant: FloodSet that decides after t rounds instead of t + 1 (B-8.8)",
    build: |l, p| rounds_job(l, p, p.str("substrate"), ShortFloodSet::new);

    id: "early-deciding-floodset-hasty", abstraction: "uc", params: PARAMS, mutant: true,
    model: "as early-deciding-floodset",
    summary: "mutant: early deciding that decides at the end of the clean round, without the DECIDE round (C.7)",
    build: |l, p| rounds_job(l, p, p.str("substrate"), HastyEarlyDeciding::new);
};
