//! # registers: shared memory over message passing (CGR chapter 4, the book's chapter 7)
//!
//! Every register speaks the same interface ([`RegisterOp`] requests `Read` / `Write | v`,
//! [`RegisterRet`] indications `ReadReturn | v` / `WriteReturn`), so one algorithm can be
//! checked against another abstraction's properties (a single-writer register used by two
//! writers, a regular register judged as atomic).
//!
//! | abstraction | algorithm (id) | CGR | file | uses |
//! |---|---|---|---|---|
//! | (1,N) regular register `onrr` | Read-One Write-All (`read-one-write-all`) | Alg. 4.1 | [`read_one_write_all`] | beb, pl, P |
//! | (1,N) regular register `onrr` | Majority Voting (`majority-voting-register`) | Alg. 4.2 | [`majority_voting`] | beb, pl |
//! | (1,N) atomic register `onar` | Read-Impose Write-All (`read-impose-write-all`) | Alg. 4.5 | [`read_impose_write_all`] | beb, pl, P |
//! | (1,N) atomic register `onar` | Read-Impose Write-Majority (`read-impose-write-majority`) | Alg. 4.6 | [`read_impose_write_majority`] | beb, pl |
//! | (N,N) atomic register `nnar` | Read-Impose Write-Consult-All (`read-impose-write-consult-all`) | Alg. 4.8-4.9 | [`read_impose_write_consult_all`] | beb, pl, P |
//! | (N,N) atomic register `nnar` | Read-Impose Write-Consult-Majority (`read-impose-write-consult-majority`) | Alg. 4.10-4.11 | [`read_impose_write_consult_majority`] | beb, pl |
//! | (1,N) logged regular register `lonrr` | Logged Majority Voting (`logged-majority-voting`) | Alg. 4.12-4.13 | [`logged_majority_voting`] | sbeb, sl, stable storage |
//! | (1,N) atomic register `onar` | From (1,N) Regular to (1,N) Atomic (`regular-to-atomic`) | Alg. 4.3-4.4 | [`regular_to_atomic`] | N² onrr (Majority Voting) |
//! | (N,N) atomic register `nnar` | From (1,N) Atomic to (N,N) Atomic (`one-to-many-writers`) | Alg. 4.7 | [`one_to_many_writers`] | N onar (Read-Impose Write-Majority) |
//! | (1,N) register, regular with high probability | Random quorums of ⌈ℓ√N⌉ (`probabilistic-quorums`) | C.16 | [`probabilistic_quorums`] | pl |
//!
//! The variables several algorithms update alike are in [`quorum`], under the book's names:
//! the stored `(ts, wr, val)` ([`quorum::Stored`]), `correct` and `writeset`
//! ([`quorum::WriteSet`]), `readlist` ([`quorum::ReadList`]).
//!
//! The two transformations compose numbered instances of a lower register
//! ([`instances`]); [`register_module!`](crate::register_module) ([`skeleton`]) writes every
//! register's `Module` impl around its [`skeleton::Operations`].
//!
//! [`monitors`] judges the properties on the operation history ([`automata::history`]):
//! termination, regular validity, ordering (no new-old inversion) and linearizability.
#![forbid(unsafe_code)]

pub mod abstractions;
pub mod instances;
pub mod interface;
pub mod measure;
pub mod monitors;
pub mod quorum;
pub mod skeleton;

catalogue::algorithms! {
    pub mod read_one_write_all;
    pub mod majority_voting;
    pub mod read_impose_write_all;
    pub mod read_impose_write_majority;
    pub mod read_impose_write_consult_all;
    pub mod read_impose_write_consult_majority;
    pub mod logged_majority_voting;
    pub mod regular_to_atomic;
    pub mod one_to_many_writers;
    pub mod probabilistic_quorums;
}

pub use interface::{Client, Msg, RegisterOp, RegisterRet};
pub use logged_majority_voting::LoggedMajorityVoting;
pub use majority_voting::MajorityVoting;
pub use one_to_many_writers::OneToManyWriters;
pub use probabilistic_quorums::ProbabilisticQuorums;
pub use read_impose_write_all::ReadImposeWriteAll;
pub use read_impose_write_consult_all::ReadImposeWriteConsultAll;
pub use read_impose_write_consult_majority::ReadImposeWriteConsultMajority;
pub use read_impose_write_majority::ReadImposeWriteMajority;
pub use read_one_write_all::ReadOneWriteAll;
pub use regular_to_atomic::RegularToAtomic;
