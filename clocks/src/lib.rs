//! # clocks: logical time, clock synchronization and synchrony (the book's chapter 10)
//!
//! **Logical time** ([`logical`]): Lamport and vector clocks as layers over any link; their
//! monitors compute happened-before from the trace and judge LC1, VC1 and VC2. **Physical time**
//! ([`physical`]): the monitors of clock synchronization, CS1 precision (the skew between correct
//! processes' adjusted clocks C_p = H_p + adj_p) and CS4 monotonicity, judged from the clock
//! readings the algorithms trace. **Clock synchronization** ([`sync`]): Cristian, Berkeley,
//! Lundelius-Lynch averaging (optimal precision u(1 − 1/n), C.5) and Welch-Lynch's
//! fault-tolerant midpoint, each with its model and precision bound in its doc comment.
//!
//! **Synchrony** ([`rounds`], [`synchronizers`]): lockstep rounds built from synchronized clocks
//! (`clock-driven-rounds`, round length `P ≥ (1+ρ)d + ε`) and a clock built from lockstep rounds
//! (`round-driven-clock`, precision `σ + 2ρP`), the round monitors SR1-SR3, and the
//! synchronizers α, β and γ that simulate rounds on an asynchronous network without failures,
//! with their per-pulse message and time costs (C.11).
#![forbid(unsafe_code)]

pub mod abstractions;
pub mod logical;
pub mod physical;
pub mod rounds;
pub mod sync;
pub mod synchronizers;
