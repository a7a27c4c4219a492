//! Conformance monitors: did the environment keep the model it claims? (book §3.3, B-3.4)
//!
//! A scenario that is too weak for its algorithm is allowed, and the algorithm's monitors then
//! report a violation. These monitors make sure such a report is never the environment's
//! fault: they check the *environment's* promises on the same trace, so a run in which the
//! network exceeded Δ in "synchronous" mode is flagged as non-conforming instead of being
//! blamed on the algorithm.
//!
//! | id | model dimension | kind | monitor |
//! |---|---|---|---|
//! | `delay-bound` | timing: synchronous, partially synchronous (sends from GST on) | S | [`DelayBound`] |
//! | `eventual-delivery` | timing: every model (asynchronous: finite delays) | L | [`EventualDelivery`] |
//! | `partition-respected` | links: partitions | S | [`PartitionRespected`] |
//! | `finite-duplication` | links: FLL2 | S | [`FiniteDuplication`] |
//! | `channel-no-creation` | links: FLL3, channel automaton | S | [`ChannelNoCreation`] |
//! | `channel-fifo` | links: `fifo = true` | S | [`ChannelFifo`] |
//! | `fault-budget` | failures: #faulty ≤ f | S | [`FaultBudget`] |
//! | `strong-completeness`, `strong-accuracy` | detector oracle P | L, S | [`StrongCompleteness`], [`StrongAccuracy`] |
//! | `strong-completeness`, `eventual-strong-accuracy` | detector oracle ◇P | L, L | [`StrongCompleteness`], [`EventualStrongAccuracy`] |
//! | `eventual-accuracy`, `eventual-agreement` | detector oracle Ω | L, L | [`EventualAccuracy`], [`EventualAgreement`] |
//!
//! The detector monitors ([`detectors`]) take the module's trace name, so chapter 5 uses the
//! same monitors to judge its algorithms. The network monitors rely on the simulator's packet
//! ids; the model checker generates only executions of the model it explores, so it needs none
//! of them.

pub mod detectors;
pub mod faults;
pub mod network;

pub use detectors::{
    EventualAccuracy, EventualAgreement, EventualStrongAccuracy, StrongAccuracy, StrongCompleteness,
};
pub use faults::FaultBudget;
pub use network::{
    ChannelFifo, ChannelNoCreation, DelayBound, EventualDelivery, FiniteDuplication,
    PartitionRespected,
};

use crate::model::{DetectorSource, SystemModel, Timing};
use crate::module::Module;
use crate::oracle::{EventuallyPerfectOracle, LeaderOracle, PerfectOracle};
use crate::Monitor;

/// The conformance monitors that apply to `model` with `n` processes and fault budget `f`:
///
/// - always: `eventual-delivery`, `finite-duplication`, `channel-no-creation`, `fault-budget`;
/// - timing synchronous or partially synchronous: `delay-bound`;
/// - at least one partition: `partition-respected`;
/// - `links.fifo`: `channel-fifo`;
/// - `detector = perfect`: `strong-completeness` and `strong-accuracy` on module `p`;
///   `eventually-perfect`: `strong-completeness` and `eventual-strong-accuracy` on `ep`;
///   `leader`: `eventual-accuracy` and `eventual-agreement` on `omega` (the oracles' names;
///   a slot that renames the oracle needs the monitors built by hand).
pub fn conformance_monitors(model: &SystemModel, n: usize, f: usize) -> Vec<Box<dyn Monitor>> {
    let _ = n;
    let mut ms: Vec<Box<dyn Monitor>> = Vec::new();
    if model.timing != Timing::Asynchronous {
        ms.push(Box::new(DelayBound::new(model)));
    }
    ms.push(Box::new(EventualDelivery::new(model)));
    if !model.partitions.is_empty() {
        ms.push(Box::new(PartitionRespected::new(model)));
    }
    ms.push(Box::new(FiniteDuplication::new(model)));
    ms.push(Box::new(ChannelNoCreation::new()));
    if model.links.fifo {
        ms.push(Box::new(ChannelFifo::new()));
    }
    ms.push(Box::new(FaultBudget::new(model, f)));
    ms.extend(oracle_monitors(model.detector));
    ms
}

/// The property monitors of the oracle `detector` names, on the oracle's trace name (none for
/// `none` and `algorithm`).
pub fn oracle_monitors(detector: DetectorSource) -> Vec<Box<dyn Monitor>> {
    match detector {
        DetectorSource::Perfect => vec![
            Box::new(StrongCompleteness::perfect(PerfectOracle::NAME)),
            Box::new(StrongAccuracy::new(PerfectOracle::NAME)),
        ],
        DetectorSource::EventuallyPerfect => vec![
            Box::new(StrongCompleteness::eventually_perfect(
                EventuallyPerfectOracle::NAME,
            )),
            Box::new(EventualStrongAccuracy::new(EventuallyPerfectOracle::NAME)),
        ],
        DetectorSource::Leader => vec![
            Box::new(EventualAccuracy::new(LeaderOracle::NAME)),
            Box::new(EventualAgreement::new(LeaderOracle::NAME)),
        ],
        DetectorSource::None | DetectorSource::Algorithm => Vec::new(),
    }
}
