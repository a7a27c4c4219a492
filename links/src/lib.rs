//! # links: point-to-point links (CGR chapter 2, the book's chapter 4)
//!
//! The network of the simulator is a fair-loss link; every other link abstraction is a module
//! stacked on it by ownership:
//!
//! | abstraction | algorithm (id) | file | uses |
//! |---|---|---|---|
//! | fair-loss links `fll` | the network (`fair-loss-links`) | [`fair_loss`] | — |
//! | stubborn links `sl` | Retransmit Forever (`stubborn-links`) | [`stubborn`] | fll |
//! | perfect links `pl` | Eliminate Duplicates (`perfect-links`) | [`perfect`] | sl |
//!
//! Every link module speaks the same interface ([`Send`] requests, [`Deliver`] indications), so
//! any of them can stand where another is expected: that is how a reader runs stubborn links
//! "as" perfect links and watches no-duplication fail.
#![forbid(unsafe_code)]

pub mod fair_loss;
pub mod interface;
pub mod monitors;
pub mod perfect;
pub mod stubborn;

pub use fair_loss::FairLossLinks;
pub use interface::{Deliver, Link, Send};
pub use perfect::PerfectLinks;
pub use stubborn::StubbornLinks;
