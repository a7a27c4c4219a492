//! Early-deciding uniform consensus in the synchronous round model (Charron-Bost & Schiper,
//! "Uniform consensus is harder than consensus", J. Algorithms 51, 2004; Raynal's
//! presentation in *Fault-Tolerant Agreement in Synchronous Message-Passing Systems*, 2010):
//! FloodSet that stops as soon as it can (book §8.6, C.7, `early-deciding-floodset`).
//!
//! Every process keeps `est`, the smallest value it has seen, starting with its own initial
//! value, and `nb`, how many processes it heard from in the previous round, itself included
//! (`n` before the first round: no crash seen yet). A process that hears from as many
//! processes in round `r` as in round `r − 1` heard in round `r` from every process that
//! lived through round `r − 1` (such a process sent to everyone in it, so it is among those
//! heard in round `r − 1`, which all reached it again): its `est` is now the smallest value any
//! live process holds, and no smaller one can appear later. It becomes *early*. An early process sends `DECIDE(est)` instead of `EST(est)` in the next round and
//! decides `est` at the end of it; a process that receives a `DECIDE(v)` adopts `v` and becomes
//! early too. Everyone still undecided decides at the end of round `t + 1`, as in FloodSet.
//!
//! Why the extra round: deciding at the end of the clean round itself would be enough for
//! (regular) consensus, but the decider could crash right after and take its value with it,
//! while the others, who have not seen the clean round, decide something else later. Sending
//! `DECIDE` first means that when a process decides, every process still alive has received
//! its value and is early itself: uniform agreement. The mutant
//! [`crate::mutants::HastyEarlyDeciding`] skips that round and breaks UC4.
//!
//! Model: Lynch's synchronous round model (lockstep rounds, a message of round `r` arrives in
//! round `r`), stopping failures in the middle of a round's sends, any `t < n`. Runs on any
//! round runner, like FloodSet.
//!
//! Properties (uniform consensus): C1 termination, C2 validity, C3 integrity, UC4 uniform
//! agreement. With `f ≤ t` actual crashes every process decides by the end of round
//! `min(f + 2, t + 1)` (rounds counted from 1): its counts `n = nb[0] ≥ nb[1] ≥ … ≥ nb[f + 1]`
//! are `f + 2` numbers between `n − f` and `n`, so two consecutive ones are equal and it is
//! early by the end of round `f + 1`. Without crashes (and `t ≥ 1`) that is round 1, and
//! everyone decides at the end of round 2. Messages: at most `n (n − 1)` per round, none from a
//! process that has decided. Uniform consensus cannot do better in general: in runs with
//! `f ≤ t − 2` crashes some process needs `f + 2` rounds (Charron-Bost & Schiper 2004; Keidar &
//! Rajsbaum 2003), one more than (regular) consensus needs.

use automata::rounds::RoundAlgorithm;
use automata::{Event, Payload, Pid};

/// A round message: the sender's estimate, or its estimate once it is early.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EarlyMsg<V> {
    /// `EST(est)`: the smallest value the sender has seen.
    Est(V),
    /// `DECIDE(est)`: the sender is early and decides `est` at the end of this round.
    Decide(V),
}

/// Early-deciding uniform consensus at one process.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EarlyDeciding<V: Payload> {
    /// The process's initial value (its proposal).
    pub initial: V,
    /// `est`: the smallest value seen so far (or the value of a `DECIDE` adopted).
    pub est: V,
    /// `t`: the number of stopping failures tolerated.
    pub t: u64,
    /// `nb[r − 1]`: processes heard from in the previous round, itself included (`None` before
    /// the first round, read as `nb[0] = n`).
    pub nb: Option<usize>,
    /// `early`: a clean round was seen, or a `DECIDE` received; decide after the next round.
    pub early: bool,
    /// `decision`, once made.
    pub decision: Option<V>,
}

impl<V: Payload> EarlyDeciding<V> {
    /// A process with initial value `v` in a system with at most `t` crashes.
    pub fn new(v: V, t: u64) -> Self {
        EarlyDeciding {
            initial: v.clone(),
            est: v,
            t,
            nb: None,
            early: false,
            decision: None,
        }
    }

    /// `est := v` for a `DECIDE(v)` received (and become early), else `est := min(est, all
    /// EST received)`. Every `DECIDE` of a round carries the same value, the smallest any
    /// live process holds, so which one is adopted does not matter.
    fn update_estimate(&mut self, received: &[(Pid, EarlyMsg<V>)]) {
        let decide = received.iter().find_map(|(_, m)| match m {
            EarlyMsg::Decide(v) => Some(v),
            EarlyMsg::Est(_) => None,
        });
        if let Some(v) = decide {
            self.est = v.clone();
            self.early = true;
            return;
        }
        for (_, m) in received {
            if let EarlyMsg::Est(v) = m {
                if *v < self.est {
                    self.est = v.clone();
                }
            }
        }
    }

    /// `nb[r] := heard`; early if `nb[r] = nb[r − 1]`: nobody it heard from in the previous
    /// round crashed before sending to it in this one.
    fn count(&mut self, n: usize, heard: usize) {
        if self.nb.unwrap_or(n) == heard {
            self.early = true;
        }
        self.nb = Some(heard);
    }

    /// `decide(est)`.
    fn decide(&mut self) -> Option<V> {
        self.decision = Some(self.est.clone());
        self.decision.clone()
    }
}

impl<V: Payload> RoundAlgorithm for EarlyDeciding<V> {
    type Msg = EarlyMsg<V>;
    type Output = V;

    // ANCHOR: rounds
    /// `msgs_i`: `DECIDE(est)` if early, else `EST(est)`, to every `j ≠ i`; nothing once
    /// decided. A process decides at the end of the round in which it sent `DECIDE` to all,
    /// so every process alive at that point has received it, is early, and decides at the end
    /// of the next round whatever it receives: a decided process has nothing left to say
    /// (Raynal's processes stop there). Its silence lowers the others' counts, but only once
    /// they are all early, when counts no longer matter.
    fn messages(&self, me: Pid, n: usize, _round: u64) -> Vec<(Pid, EarlyMsg<V>)> {
        if self.decision.is_some() {
            return Vec::new();
        }
        let m = if self.early {
            EarlyMsg::Decide(self.est.clone())
        } else {
            EarlyMsg::Est(self.est.clone())
        };
        (0..n)
            .filter(|&j| j != me)
            .map(|j| (j, m.clone()))
            .collect()
    }

    /// `trans_i`: an early process has just sent `DECIDE(est)` and decides `est`; any other
    /// updates `est`, counts who it heard from, and decides at the end of round `t + 1`.
    fn transition(
        &mut self,
        _me: Pid,
        n: usize,
        round: u64,
        received: &[(Pid, EarlyMsg<V>)],
    ) -> Option<V> {
        if self.decision.is_some() {
            return None;
        }
        if self.early {
            return self.decide();
        }
        self.update_estimate(received);
        self.count(n, received.len() + 1);
        if round + 1 == self.rounds() {
            return self.decide();
        }
        None
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
    id: "early-deciding-floodset", abstraction: "uc", params: PARAMS,
    model: "synchronous rounds (ideal-rounds, or clock-driven-rounds after GST), crash-stop, any t < n",
    summary: "early-deciding uniform consensus (Charron-Bost & Schiper 2004): FloodSet that decides one round after a round with no new crash, by round min(f + 2, t + 1)",
    build: |l, p| rounds_job(l, p, p.str("substrate"), EarlyDeciding::new);
};
