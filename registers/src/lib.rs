//! # registers: shared memory over message passing (CGR chapter 4, the book's chapter 7)
//!
//! Will hold (1,N) regular and atomic registers and (N,N) atomic registers (read-one write-all,
//! majority voting, read-impose write-all/majority, read-impose write-consult-all/majority and
//! the logged variants), with history-based monitors (regularity, atomicity).
#![forbid(unsafe_code)]
