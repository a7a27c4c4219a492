//! # clocks: logical time, clock synchronization and synchrony (the book's chapter 10)
//!
//! Will hold Lamport and vector clocks, Cristian, Berkeley, Lundelius-Lynch and Welch-Lynch
//! clock synchronization, synchronous rounds from clocks and clocks from rounds, and the
//! synchronizers alpha, beta and gamma, with their monitors.
#![forbid(unsafe_code)]
