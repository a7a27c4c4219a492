//! # consensus: agreement and its applications (CGR chapters 5-6, the book's chapters 8-9)
//!
//! Will hold flooding, hierarchical and leader-driven consensus (Paxos), FloodSet, randomized
//! consensus, Raft, total-order broadcast, replicated state machines, atomic commit, group
//! membership, view synchrony and reconfiguration, with their monitors.
#![forbid(unsafe_code)]
