//! # clocks: logical time, clock synchronization and synchrony (the book's chapter 10)
//!
//! Will hold Lamport and vector clocks, Cristian, Berkeley, Lundelius-Lynch and Welch-Lynch
//! clock synchronization, synchronous rounds from clocks and clocks from rounds, and the
//! synchronizers alpha, beta and gamma, with their monitors.
//!
//! **Synchrony** ([`rounds`], [`synchronizers`]): lockstep rounds built from synchronized clocks
//! (`clock-driven-rounds`, round length `P ≥ (1+ρ)d + ε`) and a clock built from lockstep rounds
//! (`round-driven-clock`, precision `σ + 2ρP`), the round monitors SR1-SR3, and the
//! synchronizers α, β and γ that simulate rounds on an asynchronous network without failures,
//! with their per-pulse message and time costs (C.11).
#![forbid(unsafe_code)]

pub mod rounds;
pub mod synchronizers;
