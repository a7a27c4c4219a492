//! FloodSet (Lynch, *Distributed Algorithms*, §6.2): consensus in the synchronous round model
//! with at most `t` stopping failures (book §8.6, `floodset`).
//!
//! Every process keeps `W`, the set of values it has seen, starting with its own initial
//! value. In each of `t + 1` rounds it sends `W` to every other process and adds what it
//! receives; after round `t + 1` it decides. With at most `t` crashes some round among the
//! `t + 1` has no crash, and after that round every live process holds the same `W`; so every
//! process that decides applies the same rule to the same set. The decision rule is `min(W)`
//! (Lynch's variant of "the single element of `W`, or a default"): it also gives validity,
//! since every element of `W` was somebody's initial value.
//!
//! Model: Lynch's synchronous round model (lockstep rounds, a message of round `r` arrives in
//! round `r`), stopping failures in the middle of a round's sends, any `t < n`. Run it on any
//! round runner: `ideal-rounds`, `clock-driven-rounds` or a synchronizer.
//!
//! Properties (consensus, uniform): C1 termination (after exactly `t + 1` rounds), C2
//! validity, C3 integrity, UC4 uniform agreement. Messages: at most `n (n − 1)` per round.
//! With only `t` rounds, agreement fails (B-8.8, [`crate::mutants::ShortFloodSet`]).

use automata::rounds::RoundAlgorithm;
use automata::{Event, Payload, Pid};
use std::collections::BTreeSet;

/// FloodSet at one process.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FloodSet<V: Payload> {
    /// The process's initial value (its proposal).
    pub initial: V,
    /// `W`: every value seen so far.
    pub w: BTreeSet<V>,
    /// `t`: the number of stopping failures tolerated.
    pub t: u64,
    /// `decision`, once made.
    pub decision: Option<V>,
}

impl<V: Payload> FloodSet<V> {
    /// A process with initial value `v` in a system with at most `t` crashes.
    pub fn new(v: V, t: u64) -> Self {
        FloodSet {
            initial: v.clone(),
            w: BTreeSet::from([v]),
            t,
            decision: None,
        }
    }

    /// Round `round` (from 0) is the last, after which processes decide.
    pub(crate) fn decide_after(&mut self, round: u64, last: u64) -> Option<V> {
        if round + 1 == last && self.decision.is_none() {
            let v = self.w.iter().next().cloned()?;
            self.decision = Some(v.clone());
            return Some(v);
        }
        None
    }
}

impl<V: Payload> RoundAlgorithm for FloodSet<V> {
    type Msg = BTreeSet<V>;
    type Output = V;

    // ANCHOR: rounds
    /// `msgs_i`: send `W` to every `j ≠ i` (Lynch sends while `rounds ≤ t`; here the round
    /// runner stops after `rounds()` = `t + 1` rounds).
    fn messages(&self, me: Pid, n: usize, _round: u64) -> Vec<(Pid, BTreeSet<V>)> {
        (0..n)
            .filter(|&j| j != me)
            .map(|j| (j, self.w.clone()))
            .collect()
    }

    /// `trans_i`: `W := W ∪ ⋃ received`; after round `t + 1`, decide `min(W)`.
    fn transition(
        &mut self,
        _me: Pid,
        _n: usize,
        round: u64,
        received: &[(Pid, BTreeSet<V>)],
    ) -> Option<V> {
        for (_, x) in received {
            self.w.extend(x.iter().cloned());
        }
        self.decide_after(round, self.t + 1)
    }
    // ANCHOR_END: rounds

    fn rounds(&self) -> u64 {
        self.t + 1
    }

    /// The initial value, shown as the process's `Propose`.
    fn start_event(&self) -> Option<Event> {
        Some(Event::Propose {
            value: self.initial.to_value(),
        })
    }
}

use crate::abstractions::{rounds_job, PARAMS};
use catalogue::Algorithm;

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "floodset", abstraction: "uc", params: PARAMS,
    model: "synchronous rounds (ideal-rounds, or clock-driven-rounds after GST), crash-stop, any t < n",
    summary: "FloodSet (Lynch 6.2): flood the set W of values seen for t + 1 rounds, decide min(W)",
    build: |l, p| rounds_job(l, p, p.str("substrate"), FloodSet::new);
};
