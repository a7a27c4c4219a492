//! # broadcast: the broadcast family (CGR chapter 3, the book's chapter 6)
//!
//! Every broadcast speaks the same interface ([`Broadcast`] requests, [`Deliver`]
//! indications with the original sender), so any of them can stand where another is expected:
//! that is how a reader runs best-effort broadcast "as" reliable broadcast and watches
//! agreement fail. Each algorithm is generic over the abstraction below it.
//!
//! | abstraction | algorithm (id) | CGR | file | uses |
//! |---|---|---|---|---|
//! | best-effort broadcast `beb` | Basic Broadcast (`best-effort-broadcast`) | Alg. 3.1 | [`best_effort`] | pl |
//! | reliable broadcast `rb` | Lazy Reliable Broadcast (`lazy-reliable-broadcast`) | Alg. 3.2 | [`lazy`] | beb, P |
//! | reliable broadcast `rb` | Eager Reliable Broadcast (`eager-reliable-broadcast`) | Alg. 3.3 | [`eager`] | beb |
//! | uniform reliable broadcast `urb` | All-Ack (`all-ack-urb`) | Alg. 3.4 | [`all_ack`] | beb, P |
//! | uniform reliable broadcast `urb` | Majority-Ack (`majority-ack-urb`) | Alg. 3.5 | [`majority_ack`] | beb |
//! | stubborn best-effort broadcast `sbeb` | Basic Stubborn Broadcast (`stubborn-broadcast`) | Alg. 3.6 | [`stubborn`] | sl |
//! | logged best-effort broadcast `lbeb` | Logged Basic Broadcast (`logged-best-effort-broadcast`) | Alg. 3.7 | [`logged_best_effort`] | sbeb |
//! | logged uniform reliable broadcast `lurb` | Logged Majority-Ack (`logged-majority-ack-urb`) | Alg. 3.8 | [`logged_majority_ack`] | sbeb |
//! | probabilistic broadcast `pb` | Eager Probabilistic Broadcast (`eager-probabilistic-broadcast`), rumor mongering, push gossip | Alg. 3.9 | [`probabilistic`] | fll |
//! | FIFO reliable broadcast `frb` | Broadcast with Sequence Number (`fifo-reliable-broadcast`) | Alg. 3.12 | [`fifo`] | rb |
//! | causal broadcast `crb` | No-Waiting Causal Broadcast (`no-waiting-causal-broadcast`) | Alg. 3.13 | [`causal`] | rb |
//! | causal broadcast `crb` | the same with Garbage Collection of the Causal Past (`no-waiting-causal-broadcast`, `gc = "on"`) | Alg. 3.14 | [`causal_gc`] | rb, P |
//! | causal broadcast `crb` | Waiting Causal Broadcast (`waiting-causal-broadcast`) | Alg. 3.15 | [`waiting`] | rb |
//!
//! Messages are unique, as the book assumes: each layer that needs it tags a payload with its
//! original sender and that sender's sequence number ([`Unique`]).
//!
//! [`monitors`] holds the properties (validity, best-effort-validity of stubborn broadcast,
//! no-duplication, no-creation, agreement, uniform-agreement, fifo-delivery, causal-delivery) and [`mutants`] the deliberately broken
//! broadcasts that show each monitor catching a bug.
//!
//! ```
//! use automata::{Monitors, Setup, SystemModel, Value};
//! use automata::sim::Sim;
//! use broadcast::{Broadcast, EagerReliableBroadcast};
//! use broadcast::monitors::{Agreement, Validity};
//!
//! let setup = Setup::new(3, SystemModel::default(), |_| EagerReliableBroadcast::<Value>::new(10))
//!     .request(5, 0, Broadcast { msg: Value::str("m1") });
//! let monitors = Monitors::new(vec![
//!     Box::new(Validity::reliable("rb")),
//!     Box::new(Agreement::regular("rb")),
//! ]);
//! let out = Sim::new(setup, monitors).max_time(500).settle(200).run();
//! assert!(out.all_hold(), "{:?}", out.properties);
//! ```
#![forbid(unsafe_code)]

pub mod abstractions;
pub mod causal_gc;
pub mod interface;
pub mod monitors;
pub mod probabilistic;

catalogue::algorithms! {
    pub mod best_effort;
    pub mod eager;
    pub mod lazy;
    pub mod all_ack;
    pub mod majority_ack;
    pub mod stubborn;
    pub mod logged_best_effort;
    pub mod logged_majority_ack;
    pub mod fifo;
    pub mod causal;
    pub mod waiting;
    pub mod mutants;
}

pub use all_ack::AllAckUrb;
pub use best_effort::BestEffortBroadcast;
pub use causal::{CausalPast, NoWaitingCausalBroadcast, WithPast};
pub use causal_gc::{CausalGc, GcCausalBroadcast};
pub use eager::EagerReliableBroadcast;
pub use fifo::{FifoReliableBroadcast, Sequenced};
pub use interface::{BebOrDetector, Broadcast, BroadcastModule, Deliver, Unique};
pub use lazy::LazyReliableBroadcast;
pub use logged_best_effort::LoggedBestEffortBroadcast;
pub use logged_majority_ack::LoggedMajorityAckUrb;
pub use majority_ack::MajorityAckUrb;
pub use mutants::ForgingBeb;
pub use stubborn::StubbornBroadcast;
pub use waiting::{Stamped, WaitingCausalBroadcast};
