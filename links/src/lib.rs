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
//! | perfect links `pl` | Retransmit Until Acknowledged (`perfect-links-ack`) | [`perfect_ack`] | fll |
//! | perfect links `pl` | Eliminate Duplicates with a watermark (`perfect-links-watermark`) | [`watermark`] | sl |
//! | FIFO perfect links `fpl` | Sequence Number (`fifo-perfect-links`) | [`fifo`] | pl |
//! | logged perfect links `lpl` | Log Delivered (`logged-perfect-links`) | [`logged`] | sl |
//!
//! Every link module but `lpl` speaks the same interface ([`Send`] requests, [`Deliver`]
//! indications), so any of them can stand where another is expected: that is how a reader
//! runs stubborn links "as" perfect links and watches no-duplication fail. Logged perfect links
//! (crash-recovery) indicate `Deliver | delivered`, a change of a stable set; the trace shows
//! each message entering that set as a `Deliver`, so the same monitors check them.
//!
//! [`detectors`] holds chapter 5: failure detectors, leader election and epoch change, built on
//! these links.
//!
//! [`monitors`] holds the properties (PL1-PL3, SL1-SL2, FPL4, LPL1-LPL3, FLL3) and [`mutants`]
//! the deliberately broken links that show each monitor catching a bug.
#![forbid(unsafe_code)]

pub mod abstractions;
pub mod detectors;
pub mod interface;
pub mod monitors;

catalogue::algorithms! {
    pub mod fair_loss;
    pub mod stubborn;
    pub mod perfect;
    pub mod perfect_ack;
    pub mod watermark;
    pub mod fifo;
    pub mod logged;
    pub mod mutants;
}

pub use fair_loss::FairLossLinks;
pub use fifo::{FifoPerfectLinks, Numbered};
pub use interface::{Deliver, Link, Send};
pub use logged::{Delivered, LoggedPerfectLinks, Stamped};
pub use mutants::{AmnesicLoggedLinks, ForgingLinks};
pub use perfect::{PerfectLinks, Tagged};
pub use perfect_ack::{AckWire, PerfectLinksAck};
pub use stubborn::StubbornLinks;
pub use watermark::WatermarkLinks;
