//! Deliberately broken consensus algorithms: each exists to show that a monitor catches a bug
//! (the B labels of book §1.5). None is a textbook algorithm. The round algorithms' mutants are
//! wrappers here; those of Leader-Driven Consensus and its epoch consensus are switches on the
//! real algorithm ([`EpMutant`], [`LdcMutant`]), so the correct one runs unchanged.
//!
//! | mutant | what is wrong | property that catches it |
//! |---|---|---|
//! | [`ShortFloodSet`] (`floodset-short`) | FloodSet that decides after `t` rounds, not `t + 1` (B-8.8, C.7) | C4 agreement / UC4 uniform agreement |
//! | [`HastyEarlyDeciding`] (`early-deciding-floodset-hasty`) | early deciding without the `DECIDE` round: decides at the end of the clean round, by round `min(f + 1, t + 1)` (C.7) | UC4 uniform agreement |
//! | [`LdcMutant::Impatient`] (`leader-driven-consensus-impatient`) | Leader-Driven Consensus that decides its own proposal when a timer fires before a decision | C4 agreement / UC4 uniform agreement |
//! | [`LdcMutant::ProposalAsState`] (`leader-driven-consensus-proposal-as-state`) | a process with nothing accepted starts a new epoch with its own proposal as its state, so a leader reads and writes a value no leader proposed | EP1 validity |
//! | [`EpMutant::SkipRead`] (`leader-driven-consensus-no-read`) | the epoch's leader writes its own value without reading a majority | EP4 lock-in, then UC4 |
//! | [`EpMutant::DecideOwnVal`] | on `DECIDED` a process ep-decides the value it last accepted, not the one carried | EP2 uniform agreement |
//! | [`EpMutant::DecideOnEveryAccept`] (`leader-driven-consensus-decided-per-accept`) | the leader sends `DECIDED` again on every `ACCEPT` beyond the quorum | EP3 integrity |
//! | [`EpMutant::WaitForAll`] (`leader-driven-consensus-accept-all`) | the leader waits for every process's `ACCEPT`, not a majority's | EP5 termination |
//! | [`EpMutant::IgnoreAbortAfterPropose`] | a leader that has proposed ignores `Abort`, so its abort never completes | EP6 abort behaviour |
//! | [`EpMutant::AbortedUnasked`] | an instance that has ep-decided reports `Aborted` without being asked | EP6 abort behaviour |
//! | [`EpMutant::HalfQuorum`] (`leader-driven-consensus-half-quorum`) | the leader reads and waits for `ACCEPT`s from ⌊N/2⌋ processes: N = 4 split in two halves decides twice (B-8.4) | UC4 uniform agreement |

/// The bugs a Read/Write Epoch Consensus instance can be switched to
/// ([`crate::ReadWriteEpochConsensus::mutant`], [`crate::LeaderDrivenConsensus::ep_mutant`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EpMutant {
    /// MUTANT: the leader writes its own value without reading a majority first (EP4 lock-in).
    SkipRead,
    /// MUTANT: on `DECIDED` a process ep-decides its own `val` (the value it last accepted,
    /// or the carried one if it accepted none), ignoring the value carried (EP2).
    DecideOwnVal,
    /// MUTANT: after a quorum of `ACCEPT`s the leader keeps its count at one below a quorum
    /// instead of resetting it, so every further `ACCEPT` sends `DECIDED` again, and the
    /// processes, which decide on every `DECIDED`, decide twice (EP3 integrity).
    DecideOnEveryAccept,
    /// MUTANT: the leader waits for an `ACCEPT` from every process, not a majority: one
    /// crashed process blocks every epoch (EP5 termination).
    WaitForAll,
    /// MUTANT: a leader that has proposed in its epoch ignores `Abort` (meaning to finish the
    /// epoch first) and never answers it with `Aborted` (EP6 abort behaviour).
    IgnoreAbortAfterPropose,
    /// MUTANT: an instance that has ep-decided reports `Aborted` at once, unasked, and halts
    /// (EP6 abort behaviour, its safety half).
    AbortedUnasked,
    /// MUTANT: the leader reads and collects `ACCEPT`s from ⌊N/2⌋ processes, not a majority:
    /// two such quorums need not intersect, so the two sides of a partition, each with its
    /// own leader before GST, decide apart (B-8.4: UC4 uniform agreement).
    HalfQuorum,
}

/// The bugs Leader-Driven Consensus itself can be switched to
/// ([`crate::LeaderDrivenConsensus::impatient`],
/// [`crate::LeaderDrivenConsensus::proposal_as_state`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LdcMutant {
    /// MUTANT: a process that has proposed and not decided `timeout` ticks after its proposal
    /// decides its own proposal (C4 / UC4 agreement).
    Impatient { timeout: automata::Time },
    /// MUTANT: a new epoch whose handed-over state is empty (nothing accepted yet) starts from
    /// the process's own proposal, as if accepted at timestamp 0, so a leader reads and writes
    /// a value no leader ep-proposed (EP1 validity). Epoch consensus never sees a value its
    /// leaders did not propose, so this bug lets one in from the layer above.
    ProposalAsState,
}

use crate::early_deciding::{EarlyDeciding, EarlyMsg};
use crate::floodset::FloodSet;
use automata::rounds::RoundAlgorithm;
use automata::{Event, Payload, Pid};
use std::collections::BTreeSet;

/// FloodSet stopped one round short (book §10.3.2, B-8.8): with one crash per round, each in
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

/// Early deciding without the extra round (book §8.6, C.7): a process decides at the end of
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
