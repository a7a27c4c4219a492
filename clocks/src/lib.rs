//! # clocks: logical time, clock synchronization and synchrony (the book's chapter 10)
//!
//! Will hold Lamport and vector clocks, Cristian, Berkeley, Lundelius-Lynch and Welch-Lynch
//! clock synchronization, synchronous rounds from clocks and clocks from rounds, and the
//! synchronizers alpha, beta and gamma, with their monitors.
//!
//! **Logical time** ([`logical`]): Lamport and vector clocks as layers over any link; their
//! monitors compute happened-before from the trace and judge LC1, VC1 and VC2. **Physical time**
//! ([`physical`]): the monitors of clock synchronization, CS1 precision (the skew between correct
//! processes' adjusted clocks C_p = H_p + adj_p) and CS4 monotonicity, judged from the clock
//! readings the algorithms trace. **Clock synchronization** ([`sync`]): Cristian, Berkeley,
//! Lundelius-Lynch averaging (optimal precision u(1 − 1/n), C.5) and Welch-Lynch's
//! fault-tolerant midpoint, each with its model and precision bound in its doc comment.
#![forbid(unsafe_code)]

pub mod logical;
pub mod physical;
pub mod sync;
