//! # consensus: agreement and its applications (CGR chapter 5, the book's chapters 8-9)
//!
//! Every consensus algorithm speaks [`Propose`] / [`Decide`] ([`interface`]); the monitors
//! C1-C4 and UC4 judge them ([`monitors`]).
//!
//! | abstraction | algorithm (id) | CGR | file | uses |
//! |---|---|---|---|---|
//! | (regular) consensus `c` | Flooding Consensus (`flooding-consensus`) | Alg. 5.1 | [`flooding`] | beb, P |
//! | (regular) consensus `c` | Hierarchical Consensus (`hierarchical-consensus`) | Alg. 5.2 | [`hierarchical`] | beb, P |
//! | uniform consensus `uc` | Flooding Uniform Consensus (`flooding-uniform-consensus`) | Alg. 5.3 | [`flooding_uniform`] | beb, P |
//! | uniform consensus `uc` | Hierarchical Uniform Consensus (`hierarchical-uniform-consensus`) | Alg. 5.4 | [`hierarchical_uniform`] | beb, pl, rb, P |
//! | uniform consensus `uc` | FloodSet (`floodset`) | Lynch §6.2 | [`floodset`] | synchronous rounds |
//! | uniform consensus `uc` | Early-Deciding FloodSet (`early-deciding-floodset`) | Charron-Bost & Schiper 2004 | [`early_deciding`] | synchronous rounds |
//! | epoch consensus `ep` | Read/Write Epoch Consensus (inside the next) | Alg. 5.6 | [`read_write_epoch_consensus`] | pl |
//! | uniform consensus `uc` | Leader-Driven Consensus (`leader-driven-consensus`) | Alg. 5.7 | [`leader_driven`] | ec (Ω), ep |
//! | uniform consensus `uc` | classic Paxos (`paxos`) | Lamport 2001 | [`paxos`] | pl |
//! | logged epoch consensus `lep` | Logged Read/Write Epoch Consensus (inside the next) | Alg. 5.9 | [`logged_read_write_epoch_consensus`] | sl |
//! | logged uniform consensus `luc` | Logged Leader-Driven Consensus (`logged-leader-driven-consensus`) | Alg. 5.10-5.11 | [`logged_leader_driven`] | lec (Ω for crash-recovery, sl), lep |
//! | common coin `coin` | a threshold coin (inside the next) | Module 5.12 | [`common_coin`] | beb, the environment's coin |
//! | randomized consensus `rc` | Randomized Binary Consensus (`randomized-binary-consensus`) | Alg. 5.12 | [`randomized_binary`] | beb, rb, coin |
//! | uniform consensus `uc` | Leader-Driven Consensus whose Ω never learns (`leader-driven-consensus-unreliable-omega`) | FLP 1985 | [`flp`] | ec (over an unreliable Ω), ep |
//!
//! FloodSet is a round algorithm that runs on any round runner (the ideal lockstep runner of
//! `automata::rounds`, rounds from synchronized clocks and the synchronizers of the `clocks`
//! crate); [`mutants`] holds its one-round-short variant, which shows why `t + 1` rounds are
//! needed, and the hasty variant of [`early_deciding`], which shows why uniform consensus
//! needs the round after the clean one. Leader-Driven Consensus is the book's Paxos; its epoch-consensus properties EP1-EP6 are
//! judged by [`epoch_monitors`], and its mutants are switches on it, listed in [`mutants`]. Classic Paxos is its sibling in
//! proposers, acceptors and learners. Randomized consensus escapes FLP with a common coin
//! ([`coin_monitors`] judges the coin and counts the rounds). Still to come: the applications
//! of chapter 9.
#![forbid(unsafe_code)]

pub mod abstractions;
pub mod coin_monitors;
pub mod common_coin;
pub mod cost;
pub mod epoch_monitors;
pub mod interface;
pub mod logged_read_write_epoch_consensus;
pub mod monitors;
pub mod read_write_epoch_consensus;

catalogue::algorithms! {
    pub mod early_deciding;
    pub mod flooding;
    pub mod flooding_uniform;
    pub mod floodset;
    pub mod flp;
    pub mod hierarchical;
    pub mod hierarchical_uniform;
    pub mod leader_driven;
    pub mod logged_leader_driven;
    pub mod mutants;
    pub mod paxos;
    pub mod randomized_binary;
}

pub use flooding::FloodingConsensus;
pub use flooding_uniform::FloodingUniformConsensus;
pub use floodset::FloodSet;
pub use hierarchical::HierarchicalConsensus;
pub use hierarchical_uniform::HierarchicalUniformConsensus;
pub use interface::{Decide, Msg, Propose};
pub use leader_driven::LeaderDrivenConsensus;
pub use paxos::Paxos;
pub use randomized_binary::RandomizedBinaryConsensus;
pub use read_write_epoch_consensus::ReadWriteEpochConsensus;
