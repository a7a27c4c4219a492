//! # broadcast: the broadcast family (CGR chapter 3, the book's chapter 6)
//!
//! Will hold best-effort, (regular) reliable (lazy, eager), uniform reliable (all-ack,
//! majority-ack), stubborn and logged, probabilistic (eager gossip, lazy), FIFO and causal
//! broadcast, each generic over the abstractions it uses, with the monitors of their properties.
#![forbid(unsafe_code)]
