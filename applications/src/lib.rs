//! # applications: what consensus buys (CGR chapter 6, the book's chapter 9)
//!
//! | abstraction | algorithm (id) | CGR | file | uses |
//! |---|---|---|---|---|
//! | total-order broadcast `tob` | Consensus-Based Total-Order Broadcast (`consensus-tob`) | Alg. 6.1 | [`consensus_tob`] | rb, c (one instance a round) |
//! | uniform total-order broadcast `utob` | the same over uniform parts (`consensus-utob`) | Alg. 6.1 | [`consensus_tob`] | urb, uc (one instance a round) |
//! | uniform total-order broadcast `utob` | Multi-Paxos (`multi-paxos-tob`) | Lamport 2001 | [`multi_paxos`] | pl, Ω |
//! | replicated key-value store `kv` | a state machine over total order (`tob-rsm`) | §6.1 | [`tob_rsm`] | tob |
//! | replicated key-value store `kv` | the same over the Multi-Paxos log (`multi-paxos-log`) | | [`multi_paxos`], [`tob_rsm`] | Multi-Paxos |
//! | non-blocking atomic commit `nbac` | Consensus-Based NBAC (`consensus-nbac`) | §6.6 | [`consensus_nbac`] | beb, P, uc |
//! | `nbac`, which it does not implement | Two-Phase Commit (`two-phase-commit`) | — | [`two_phase_commit`] | pl |
//! | `nbac` (fail-stop, no partition) | Three-Phase Commit (`three-phase-commit`) | Skeen 1981 | [`three_phase_commit`] | pl, P |
//! | `nbac` (crash-stop, at most F of 2F + 1 acceptors crash) | Paxos Commit (`paxos-commit`) | Gray-Lamport 2006 | [`paxos_commit`] | pl, Ω |
//! | transaction commit `tc` | TwoPhase as TLA+ writes it (`two-phase-tla`) | Gray-Lamport 2006 | [`two_phase_tla`] | the network, as a set |
//! | uniform terminating reliable broadcast `utrb` | Consensus-Based Uniform TRB (`consensus-trb`) | §6.3 | [`consensus_trb`] | beb, P, uc |
//! | mutual exclusion `mutex` | Lamport's mutual exclusion (`lamport-mutex`) | Lamport 1978 | [`lamport_mutex`] | fpl |
//! | mutual exclusion `mutex` | Ricart-Agrawala (`ricart-agrawala`) | Ricart-Agrawala 1981 | [`ricart_agrawala`] | pl |
//! | reconfigurable replicated state machine `rrsm` | Stop-sign reconfiguration (`stop-sign-reconfiguration`) | Lamport-Malkhi-Zhou 2010 | [`stop_sign_reconfiguration`] ([`reconfiguration`]: the interface; [`member_omega`]) | Multi-Paxos a configuration, pl |
//! | lock service / k-semaphore `sem` | a state machine with leases and fencing tokens (`rsm-semaphore`) | Gray-Cheriton 1989 | [`rsm_semaphore`] ([`semaphore`]: the interface) | utob |
//! | group membership `gm` | Consensus-Based Group Membership (`consensus-group-membership`) | §6.7 | [`consensus_group_membership`] | P, uc (one instance a view change) |
//! | uniform view-synchronous communication `vs` | Consensus-Based Uniform View-Synchronous Communication (`consensus-view-synchrony`) | §6.8 | [`consensus_view_synchrony`] | beb, P, uc (one instance a view change) |
//!
//! A round's consensus instance is a numbered lower module ([`automata::numbered`]): made
//! when first used, its messages tagged with the round. [`kv`] is the store's interface and
//! sequential specification; [`interface`] gives atomic commit's [`Vote`], TRB's
//! [`TrbValue`] (the sender's message or ⊥) and mutual exclusion's [`Acquire`] and [`Cs`]. [`monitors`] holds the properties this chapter
//! adds, one file an abstraction; the others are reliable broadcast's and consensus's.
#![forbid(unsafe_code)]

pub mod abstractions;
pub mod interface;
pub mod kv;
pub mod member_omega;
pub mod monitors;
pub mod reconfiguration;
pub mod semaphore;
pub mod two_phase_stateright;

catalogue::algorithms! {
    pub mod consensus_tob;
    pub mod multi_paxos;
    pub mod tob_rsm;
    pub mod consensus_nbac;
    pub mod two_phase_commit;
    pub mod three_phase_commit;
    pub mod paxos_commit;
    pub mod two_phase_tla;
    pub mod consensus_trb;
    pub mod lamport_mutex;
    pub mod ricart_agrawala;
    pub mod rsm_semaphore;
    pub mod stop_sign_reconfiguration;
    pub mod consensus_group_membership;
    pub mod consensus_view_synchrony;
}

pub use consensus_group_membership::{ConsensusGroupMembership, View};
pub use consensus_nbac::ConsensusNbac;
pub use consensus_tob::{Batch, ConsensusTob};
pub use consensus_trb::ConsensusTrb;
pub use consensus_view_synchrony::ConsensusViewSynchrony;
pub use interface::{Acquire, Cs, TrbValue, Vote};
pub use lamport_mutex::LamportMutex;
pub use ricart_agrawala::RicartAgrawala;
pub use two_phase_commit::TwoPhaseCommit;
