//! # consensus: agreement and its applications (CGR chapters 5-6, the book's chapters 8-9)
//!
//! Will hold flooding, hierarchical and leader-driven consensus (Paxos), FloodSet, randomized
//! consensus, Raft, total-order broadcast, replicated state machines, atomic commit, group
//! membership, view synchrony and reconfiguration, with their monitors.
//!
//! So far: [`floodset`] (Lynch §6.2), a round algorithm that runs on any round runner (the
//! ideal lockstep runner of `automata::rounds`, rounds from synchronized clocks and the
//! synchronizers of the `clocks` crate), the consensus monitors C1-C4 and UC4 ([`monitors`]),
//! and the one-round-short mutant that shows why `t + 1` rounds are needed ([`mutants`]).
#![forbid(unsafe_code)]

pub mod abstractions;
pub mod interface;
pub mod monitors;

catalogue::algorithms! {
    pub mod flooding;
    pub mod flooding_uniform;
    pub mod floodset;
    pub mod hierarchical;
    pub mod mutants;
}

pub use flooding::FloodingConsensus;
pub use flooding_uniform::FloodingUniformConsensus;
pub use floodset::FloodSet;
pub use hierarchical::HierarchicalConsensus;
pub use interface::{Decide, Msg, Propose};
