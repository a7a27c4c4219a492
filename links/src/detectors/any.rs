//! A detector chosen at run time: one module type per detector class, whose value is either the
//! chapter's algorithm or the environment's oracle (or, for P, a deliberately weaker stand-in).
//!
//! An algorithm that uses a detector is generic over it, so any P, ◇P or Ω fits below it; these
//! enums are what the catalogue puts there, as `model.detector` says. One type per class keeps
//! each algorithm's stack a single compiled instance, whatever the scenario picks.

use super::{
    ExcludeOnTimeout, IncreasingTimeout, MonarchicalOmega, NeverDetect, SuspicionsAsCrashes,
};
use automata::detector::{Crash, NoRequest, Suspicion, Trust};
use automata::model::DetectorSource;
use automata::oracle::{EventuallyPerfectOracle, LeaderOracle, PerfectOracle};
use automata::Time;

automata::one_of! {
    /// A perfect failure detector P: Exclude on Timeout, the P oracle, the ◇P oracle taken as P
    /// (too weak: book §5.3, B-5.5; §6.3, B-6.3), or a detector that never detects (too
    /// weak: §6.2, B-6.5).
    pub enum AnyPerfect: "p", NoRequest => Crash; wire AnyPerfectMsg, AnyPerfectTimer;
    Algorithm(ExcludeOnTimeout),
    Oracle(PerfectOracle),
    EventuallyPerfect(SuspicionsAsCrashes<EventuallyPerfectOracle>),
    Never(NeverDetect),
}

automata::one_of! {
    /// An eventually perfect failure detector ◇P: Increasing Timeout or the ◇P oracle.
    pub enum AnyEventuallyPerfect: "ep", NoRequest => Suspicion;
    wire AnyEventuallyPerfectMsg, AnyEventuallyPerfectTimer;
    Algorithm(IncreasingTimeout),
    Oracle(EventuallyPerfectOracle),
}

automata::one_of! {
    /// An eventual leader detector Ω: Monarchical Ω over Increasing Timeout, or the Ω oracle.
    pub enum AnyLeader: "omega", NoRequest => Trust; wire AnyLeaderMsg, AnyLeaderTimer;
    Algorithm(MonarchicalOmega<IncreasingTimeout>),
    Oracle(LeaderOracle),
}

impl AnyPerfect {
    /// The P that `source` names, with period Δ; `None` where the source is not a P at all.
    pub fn from_source(source: DetectorSource, period: Time) -> Option<Self> {
        Some(match source {
            DetectorSource::Algorithm => AnyPerfect::Algorithm(ExcludeOnTimeout::new(period)),
            DetectorSource::Perfect => AnyPerfect::Oracle(PerfectOracle::new(period)),
            DetectorSource::EventuallyPerfect => AnyPerfect::EventuallyPerfect(
                SuspicionsAsCrashes::new(EventuallyPerfectOracle::new(period)),
            ),
            DetectorSource::None => AnyPerfect::Never(NeverDetect),
            DetectorSource::Leader => return None,
        })
    }
}

impl AnyEventuallyPerfect {
    /// The ◇P that `source` names, with period Δ.
    pub fn from_source(source: DetectorSource, period: Time) -> Option<Self> {
        match source {
            DetectorSource::Algorithm => Some(AnyEventuallyPerfect::Algorithm(
                IncreasingTimeout::new(period),
            )),
            DetectorSource::EventuallyPerfect => Some(AnyEventuallyPerfect::Oracle(
                EventuallyPerfectOracle::new(period),
            )),
            _ => None,
        }
    }
}

impl AnyLeader {
    /// The Ω that `source` names, with period Δ.
    pub fn from_source(source: DetectorSource, period: Time) -> Option<Self> {
        match source {
            DetectorSource::Algorithm => Some(AnyLeader::Algorithm(MonarchicalOmega::new(
                IncreasingTimeout::new(period),
            ))),
            DetectorSource::Leader => Some(AnyLeader::Oracle(LeaderOracle::new(period))),
            _ => None,
        }
    }
}
