//! Failure detection and leader election (CGR chapter 2.6, the book's chapter 5).
//!
//! Every detector here is a module with the interface of its class ([`automata::detector`]),
//! so an algorithm that needs one (`Lazy<B, D: PerfectDetector>`, [`MonarchicalLeaderElection`],
//! ...) takes the algorithm below or the environment's oracle ([`automata::oracle`]) alike; the
//! scenario chooses with `model.detector`.
//!
//! | abstraction | algorithm (id) | file | uses | model |
//! |---|---|---|---|---|
//! | perfect failure detector P (`p`) | Exclude on Timeout (`perfect-detector`) | [`exclude_on_timeout`] | links | synchronous |
//! | leader election `le` | Monarchical Leader Election (`monarchical-leader-election`) | [`monarchical_le`] | P | fail-stop |
//! | eventually perfect detector ◇P (`ep`) | Increasing Timeout (`eventually-perfect-detector`) | [`increasing_timeout`] | pl | partially synchronous |
//! | eventual leader detector Ω (`omega`) | Monarchical Eventual Leader Detection (`monarchical-omega`) | [`monarchical_omega`] | ◇P | fail-noisy |
//! | eventual leader detector Ω (`omega`) | Elect Lower Epoch (`elect-lower-epoch`) | [`elect_lower_epoch`] | fll, stable storage | fail-recovery |
//! | epoch change `ec` | Leader-Based Epoch-Change (`leader-based-epoch-change`) | [`epoch_change`] | pl, Ω | fail-noisy |
//!
//! Ranks: process 0 ranks highest, so `maxrank(S)` is the smallest process id in `S` (the same
//! convention as the Ω oracle). [`weak`] holds the detectors that are too weak on purpose (◇P
//! used as P, a detector that never detects) and [`monitors`] the properties of `le` and `ec`
//! (the detector classes' own monitors live in [`automata::conformance`]).

pub mod abstractions;
pub mod any;
mod heartbeat;
pub mod monitors;
pub mod weak;

catalogue::algorithms! {
    pub mod exclude_on_timeout;
    pub mod monarchical_le;
    pub mod increasing_timeout;
    pub mod monarchical_omega;
    pub mod elect_lower_epoch;
    pub mod epoch_change;
    pub mod logged_epoch_change;
}

pub use any::{AnyEventuallyPerfect, AnyLeader, AnyPerfect};
pub use elect_lower_epoch::{ElectLowerEpoch, EpochHeartbeat};
pub use epoch_change::{EpochWire, LeaderBasedEpochChange, StartEpoch};
pub use exclude_on_timeout::ExcludeOnTimeout;
pub use heartbeat::Heartbeat;
pub use increasing_timeout::IncreasingTimeout;
pub use monarchical_le::MonarchicalLeaderElection;
pub use monarchical_omega::{Misrank, MonarchicalOmega};
pub use weak::{NeverDetect, SuspicionsAsCrashes};

use automata::Pid;

/// A detector's timers: its own timeout, or one of the links' below.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tick<T> {
    /// `⟨ Timeout ⟩`: the end of a heartbeat period.
    Timeout,
    /// A timer of the links below.
    Link(T),
}

/// `maxrank(S)`: the highest-ranked process of `S` (process 0 ranks highest).
pub fn maxrank(mut candidates: impl Iterator<Item = Pid>) -> Option<Pid> {
    candidates
        .next()
        .map(|first| candidates.fold(first, Pid::min))
}

/// A local ranking, the bug of the self-first mutants: the first of `candidates` counting from
/// `me` upwards (wrapping around among `n` processes), so every process ranks itself highest.
pub fn maxrank_from(me: Pid, n: usize, candidates: impl Iterator<Item = Pid>) -> Option<Pid> {
    candidates.min_by_key(|&p| (p + n - me) % n.max(1))
}
