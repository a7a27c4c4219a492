//! Chapter 5 for the catalogue: the abstractions of failure detectors, leader election and epoch
//! change and their properties, the parameters the detectors share, and the detector an
//! algorithm above gets. Each algorithm's own entry is at the end of its file.
//!
//! An algorithm that uses a detector is generic over it; [`perfect`], [`eventually_perfect`]
//! and [`leader`] pick, at run time, the one (an [`crate::detectors::any`] enum) from
//! `model.detector` (the chapter 5 algorithm, the environment's oracle, or a deliberately weaker
//! stand-in), so the algorithm's code never changes. Chapter 6 (lazy RB, all-ack URB) uses them
//! too.

use crate::detectors::monitors::{
    Consistency, EventualDetection, EventualLeadership, LeaderAccuracy, MistakeBound, Monotonicity,
};
use crate::detectors::{AnyEventuallyPerfect, AnyLeader, AnyPerfect};
use automata::conformance::{
    EventualAccuracy, EventualAgreement, EventualStrongAccuracy, StrongAccuracy, StrongCompleteness,
};
use automata::detector::NoRequest;
use automata::model::{DetectorSource, Timing};
use catalogue::{Abstraction, InputError, Loaded, Param, Params, PropertyDef, RequestSpec};

/// The P an algorithm that needs one gets, as `model.detector` says: `algorithm` → Exclude on
/// Timeout, `perfect` → the P oracle, `eventually-perfect` → the ◇P oracle taken as P (too
/// weak: B-5.5, B-6.3), `none` → a detector that never detects (too weak: B-6.5).
///
/// Exclude on Timeout is P only if its period Δ outlasts a heartbeat's round trip: on a
/// synchronous network a Δ of at most 2 × `model.delay.max` is refused, since the detector would
/// then detect correct processes (itself included, its own reply still in flight) and every
/// verdict of the algorithm above would rest on a P that is not one.
pub fn perfect(l: &Loaded, p: &Params) -> Result<AnyPerfect, InputError> {
    let model = &l.scenario.model;
    let period = p.int("period");
    let round_trip = 2 * model.delay.max;
    if model.detector == DetectorSource::Algorithm
        && model.timing == Timing::Synchronous
        && period <= round_trip
    {
        return Err(l.error(
            "params.period",
            format!(
                "model.detector = \"algorithm\" runs Exclude on Timeout with Δ = params.period = {period}, but a heartbeat's round trip can take 2 × model.delay.max = {round_trip} ticks: correct processes would be detected. Use a period above {round_trip}, or model.detector = \"perfect\" (the oracle)"
            ),
        ));
    }
    AnyPerfect::from_source(model.detector, period).ok_or_else(|| {
        l.error(
            "model.detector",
            "this algorithm needs a perfect failure detector: use \"algorithm\" (Exclude on Timeout), \"perfect\" (the oracle), or, to see it fail, \"eventually-perfect\" or \"none\"",
        )
    })
}

/// The ◇P an algorithm that needs one gets: `algorithm` → Increasing Timeout,
/// `eventually-perfect` → the ◇P oracle.
pub fn eventually_perfect(l: &Loaded, p: &Params) -> Result<AnyEventuallyPerfect, InputError> {
    AnyEventuallyPerfect::from_source(l.scenario.model.detector, p.int("period")).ok_or_else(|| {
        l.error(
            "model.detector",
            "this algorithm needs an eventually perfect failure detector: use \"algorithm\" (Increasing Timeout) or \"eventually-perfect\" (the oracle)",
        )
    })
}

/// The Ω an algorithm that needs one gets: `algorithm` → Monarchical Ω over Increasing
/// Timeout, `leader` → the Ω oracle.
pub fn leader(l: &Loaded, p: &Params) -> Result<AnyLeader, InputError> {
    AnyLeader::from_source(l.scenario.model.detector, p.int("period")).ok_or_else(|| {
        l.error(
            "model.detector",
            "this algorithm needs an eventual leader detector: use \"algorithm\" (Monarchical Ω over Increasing Timeout) or \"leader\" (the oracle)",
        )
    })
}

/// Detectors take no requests.
pub fn no_request(r: &RequestSpec, _n: usize) -> Result<NoRequest, String> {
    Err(format!(
        "detectors take no requests (they only indicate), not `{}`: remove the [[workload]]",
        r.name
    ))
}

const COMPLETENESS_P: PropertyDef = PropertyDef::new("strong-completeness", "L", |m| {
    Box::new(StrongCompleteness::perfect(m))
});
const ACCURACY_P: PropertyDef =
    PropertyDef::new("strong-accuracy", "S", |m| Box::new(StrongAccuracy::new(m)));
const COMPLETENESS_EP: PropertyDef = PropertyDef::new("strong-completeness", "L", |m| {
    Box::new(StrongCompleteness::eventually_perfect(m))
});
const ACCURACY_EP: PropertyDef = PropertyDef::new("eventual-strong-accuracy", "L", |m| {
    Box::new(EventualStrongAccuracy::new(m))
});
/// Placeholder bound: Increasing Timeout's builder replaces it with C.13's
/// ([`MistakeBound::increasing_timeout`]).
const MISTAKES_EP: PropertyDef = PropertyDef::new("mistake-bound", "S", |m| {
    Box::new(MistakeBound::new(m, 0, u64::MAX))
});
const ELD_ACCURACY: PropertyDef = PropertyDef::new("eventual-accuracy", "L", |m| {
    Box::new(EventualAccuracy::new(m))
});
const ELD_AGREEMENT: PropertyDef = PropertyDef::new("eventual-agreement", "L", |m| {
    Box::new(EventualAgreement::new(m))
});
const LE_DETECTION: PropertyDef = PropertyDef::new("eventual-detection", "L", |m| {
    Box::new(EventualDetection::new(m))
});
const LE_ACCURACY: PropertyDef =
    PropertyDef::new("accuracy", "S", |m| Box::new(LeaderAccuracy::new(m)));
const EC_MONOTONICITY: PropertyDef =
    PropertyDef::new("monotonicity", "S", |m| Box::new(Monotonicity::new(m)));
const EC_CONSISTENCY: PropertyDef =
    PropertyDef::new("consistency", "S", |m| Box::new(Consistency::new(m)));
const EC_LEADERSHIP: PropertyDef = PropertyDef::new("eventual-leadership", "L", |m| {
    Box::new(EventualLeadership::new(m))
});

pub const ABSTRACTIONS: &[Abstraction] = catalogue::abstractions! {
    id: "p", name: "perfect failure detector P", requests: "(none)",
    properties: &[COMPLETENESS_P, ACCURACY_P];

    id: "le", name: "leader election", requests: "(none)",
    properties: &[LE_DETECTION, LE_ACCURACY];

    id: "ep", name: "eventually perfect failure detector ◇P", requests: "(none)",
    properties: &[COMPLETENESS_EP, ACCURACY_EP, MISTAKES_EP];

    id: "omega", name: "eventual leader detector Ω", requests: "(none)",
    properties: &[ELD_ACCURACY, ELD_AGREEMENT];

    id: "ec", name: "epoch change", requests: "(none)",
    properties: &[EC_MONOTONICITY, EC_CONSISTENCY, EC_LEADERSHIP];
};

pub const PERIOD: Param = Param::int(
    "period",
    30,
    "heartbeat period and timeout Δ (local ticks); also the oracles' polling period",
);
pub const HEARTBEAT_LINKS: Param = Param::str("links", "perfect", "links under the heartbeats: \"perfect\" (CGR's pl: Retransmit Until Acknowledged, every Δ) or \"network\" (the network itself: a perfect link only when [model.links] loses and duplicates nothing; what `ioa check` explores, with fewer schedules)");
