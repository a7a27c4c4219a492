//! Chapter 5's catalogue entries: failure detectors, leader election and epoch change.
//!
//! An algorithm that uses a detector is generic over it; [`with_perfect`],
//! [`with_eventually_perfect`] and [`with_leader`] pick the concrete one from
//! `model.detector` (the chapter 5 algorithm, the environment's oracle, or a deliberately weaker
//! stand-in), so the algorithm's code never changes. Chapter 6 (lazy RB, all-ack URB) uses them
//! too.

use crate::detectors::monitors::{
    Consistency, EventualDetection, EventualLeadership, LeaderAccuracy, MistakeBound, Monotonicity,
};
use crate::detectors::{
    ElectLowerEpoch, ExcludeOnTimeout, IncreasingTimeout, LeaderBasedEpochChange, Misrank,
    MonarchicalLeaderElection, MonarchicalOmega, NeverDetect, SuspicionsAsCrashes,
};
use crate::FairLossLinks;
use ::catalogue::InputError;
use ::catalogue::{job, job_with, Abstraction, Algorithm, Default, Param, PropertyDef, Runnable};
use ::catalogue::{Loaded, RequestSpec};
use automata::conformance::{
    EventualAccuracy, EventualAgreement, EventualStrongAccuracy, StrongAccuracy, StrongCompleteness,
};
use automata::detector::{
    EventualLeaderDetector, EventuallyPerfectDetector, NoRequest, PerfectDetector,
};
use automata::model::DetectorSource;
use automata::oracle::{EventuallyPerfectOracle, LeaderOracle, PerfectOracle};
use automata::{Monitor, Time};
use std::collections::BTreeMap;

use ::catalogue::Params;

/// Builds a job once the detector's type is chosen (Rust needs the type at compile time, so
/// each choice is its own instantiation of the algorithm).
pub trait WithDetector<D> {
    fn build(
        self,
        l: &Loaded,
        p: &Params,
        detector: impl Fn() -> D + Send + Sync + 'static,
    ) -> Result<Box<dyn Runnable>, InputError>;
}

/// The detector an algorithm that needs P gets: `algorithm` → Exclude on Timeout, `perfect`
/// → the P oracle, `eventually-perfect` → the ◇P oracle taken as P (too weak: B-5.5, B-6.3),
/// `none` → a detector that never detects (too weak: B-6.5).
pub fn with_perfect<B>(l: &Loaded, p: &Params, b: B) -> Result<Box<dyn Runnable>, InputError>
where
    B: WithDetector<ExcludeOnTimeout>
        + WithDetector<PerfectOracle>
        + WithDetector<SuspicionsAsCrashes<EventuallyPerfectOracle>>
        + WithDetector<NeverDetect>,
{
    let period = p.int("period");
    match l.scenario.model.detector {
        DetectorSource::Algorithm => b.build(l, p, move || ExcludeOnTimeout::new(period)),
        DetectorSource::Perfect => b.build(l, p, move || PerfectOracle::new(period)),
        DetectorSource::EventuallyPerfect => b.build(l, p, move || {
            SuspicionsAsCrashes::new(EventuallyPerfectOracle::new(period))
        }),
        DetectorSource::None => b.build(l, p, || NeverDetect),
        DetectorSource::Leader => Err(l.error(
            "model.detector",
            "this algorithm needs a perfect failure detector: use \"algorithm\" (Exclude on Timeout), \"perfect\" (the oracle), or, to see it fail, \"eventually-perfect\" or \"none\"",
        )),
    }
}

/// The detector an algorithm that needs ◇P gets: `algorithm` → Increasing Timeout,
/// `eventually-perfect` → the ◇P oracle.
pub fn with_eventually_perfect<B>(
    l: &Loaded,
    p: &Params,
    b: B,
) -> Result<Box<dyn Runnable>, InputError>
where
    B: WithDetector<IncreasingTimeout> + WithDetector<EventuallyPerfectOracle>,
{
    let period = p.int("period");
    match l.scenario.model.detector {
        DetectorSource::Algorithm => b.build(l, p, move || IncreasingTimeout::new(period)),
        DetectorSource::EventuallyPerfect => {
            b.build(l, p, move || EventuallyPerfectOracle::new(period))
        }
        _ => Err(l.error(
            "model.detector",
            "this algorithm needs an eventually perfect failure detector: use \"algorithm\" (Increasing Timeout) or \"eventually-perfect\" (the oracle)",
        )),
    }
}

/// The detector an algorithm that needs Ω gets: `algorithm` → Monarchical Ω over Increasing
/// Timeout, `leader` → the Ω oracle.
pub fn with_leader<B>(l: &Loaded, p: &Params, b: B) -> Result<Box<dyn Runnable>, InputError>
where
    B: WithDetector<MonarchicalOmega<IncreasingTimeout>> + WithDetector<LeaderOracle>,
{
    let period = p.int("period");
    match l.scenario.model.detector {
        DetectorSource::Algorithm => b.build(l, p, move || {
            MonarchicalOmega::new(IncreasingTimeout::new(period))
        }),
        DetectorSource::Leader => b.build(l, p, move || LeaderOracle::new(period)),
        _ => Err(l.error(
            "model.detector",
            "this algorithm needs an eventual leader detector: use \"algorithm\" (Monarchical Ω over Increasing Timeout) or \"leader\" (the oracle)",
        )),
    }
}

/// Detectors take no requests.
fn no_request(r: &RequestSpec, _n: usize) -> Result<NoRequest, String> {
    Err(format!(
        "detectors take no requests (they only indicate), not `{}`: remove the [[workload]]",
        r.name
    ))
}

/// Monarchical Leader Election over the chosen P.
struct Le;

impl<D: PerfectDetector> WithDetector<D> for Le {
    fn build(
        self,
        l: &Loaded,
        p: &Params,
        d: impl Fn() -> D + Send + Sync + 'static,
    ) -> Result<Box<dyn Runnable>, InputError> {
        job(
            l,
            p,
            move |_| MonarchicalLeaderElection::new(d()),
            no_request,
        )
    }
}

/// Monarchical Ω over the chosen ◇P, with the election rule's bug in the mutants.
struct Omega(Option<Misrank>);

impl<D: EventuallyPerfectDetector> WithDetector<D> for Omega {
    fn build(
        self,
        l: &Loaded,
        p: &Params,
        d: impl Fn() -> D + Send + Sync + 'static,
    ) -> Result<Box<dyn Runnable>, InputError> {
        let misrank = self.0;
        job(
            l,
            p,
            move |_| match misrank {
                Some(m) => MonarchicalOmega::new(d()).misranking(m),
                None => MonarchicalOmega::new(d()),
            },
            no_request,
        )
    }
}

/// Leader-Based Epoch-Change over the chosen Ω; `step` 0 is the book's N.
struct Ec {
    step: u64,
}

impl<D: EventualLeaderDetector> WithDetector<D> for Ec {
    fn build(
        self,
        l: &Loaded,
        p: &Params,
        d: impl Fn() -> D + Send + Sync + 'static,
    ) -> Result<Box<dyn Runnable>, InputError> {
        let (step, period) = (self.step, p.int("period"));
        job(
            l,
            p,
            move |_| LeaderBasedEpochChange::new(d(), period).with_step(step),
            no_request,
        )
    }
}

const COMPLETENESS_P: PropertyDef = PropertyDef {
    id: "strong-completeness",
    kind: "L",
    make: |m| Box::new(StrongCompleteness::perfect(m)),
};
const ACCURACY_P: PropertyDef = PropertyDef {
    id: "strong-accuracy",
    kind: "S",
    make: |m| Box::new(StrongAccuracy::new(m)),
};
const COMPLETENESS_EP: PropertyDef = PropertyDef {
    id: "strong-completeness",
    kind: "L",
    make: |m| Box::new(StrongCompleteness::eventually_perfect(m)),
};
const ACCURACY_EP: PropertyDef = PropertyDef {
    id: "eventual-strong-accuracy",
    kind: "L",
    make: |m| Box::new(EventualStrongAccuracy::new(m)),
};
/// Placeholder bound: Increasing Timeout's builder replaces it with C.13's
/// ([`MistakeBound::increasing_timeout`]).
const MISTAKES_EP: PropertyDef = PropertyDef {
    id: "mistake-bound",
    kind: "S",
    make: |m| Box::new(MistakeBound::new(m, 0, u64::MAX)),
};
const ELD_ACCURACY: PropertyDef = PropertyDef {
    id: "eventual-accuracy",
    kind: "L",
    make: |m| Box::new(EventualAccuracy::new(m)),
};
const ELD_AGREEMENT: PropertyDef = PropertyDef {
    id: "eventual-agreement",
    kind: "L",
    make: |m| Box::new(EventualAgreement::new(m)),
};
const LE_DETECTION: PropertyDef = PropertyDef {
    id: "eventual-detection",
    kind: "L",
    make: |m| Box::new(EventualDetection::new(m)),
};
const LE_ACCURACY: PropertyDef = PropertyDef {
    id: "accuracy",
    kind: "S",
    make: |m| Box::new(LeaderAccuracy::new(m)),
};
const EC_MONOTONICITY: PropertyDef = PropertyDef {
    id: "monotonicity",
    kind: "S",
    make: |m| Box::new(Monotonicity::new(m)),
};
const EC_CONSISTENCY: PropertyDef = PropertyDef {
    id: "consistency",
    kind: "S",
    make: |m| Box::new(Consistency::new(m)),
};
const EC_LEADERSHIP: PropertyDef = PropertyDef {
    id: "eventual-leadership",
    kind: "L",
    make: |m| Box::new(EventualLeadership::new(m)),
};

pub const ABSTRACTIONS: &[Abstraction] = &[
    Abstraction {
        id: "p",
        name: "perfect failure detector P",
        requests: "(none)",
        properties: &[COMPLETENESS_P, ACCURACY_P],
    },
    Abstraction {
        id: "le",
        name: "leader election",
        requests: "(none)",
        properties: &[LE_DETECTION, LE_ACCURACY],
    },
    Abstraction {
        id: "ep",
        name: "eventually perfect failure detector ◇P",
        requests: "(none)",
        properties: &[COMPLETENESS_EP, ACCURACY_EP, MISTAKES_EP],
    },
    Abstraction {
        id: "omega",
        name: "eventual leader detector Ω",
        requests: "(none)",
        properties: &[ELD_ACCURACY, ELD_AGREEMENT],
    },
    Abstraction {
        id: "ec",
        name: "epoch change",
        requests: "(none)",
        properties: &[EC_MONOTONICITY, EC_CONSISTENCY, EC_LEADERSHIP],
    },
];

const PERIOD: Param = Param {
    name: "period",
    default: Default::Int(30),
    doc: "heartbeat period and timeout Δ (local ticks); also the oracles' polling period",
};
const HEARTBEAT_LINKS: Param = Param {
    name: "links",
    default: Default::Str("perfect"),
    doc: "links under the heartbeats: \"perfect\" (CGR's pl: Retransmit Until Acknowledged, every Δ) or \"network\" (the network itself: a perfect link only when [model.links] loses and duplicates nothing; what `ioa check` explores, with fewer schedules)",
};

/// Increasing Timeout with timeout increment `increment` (None: Δ) over the links `links`
/// names: perfect links (the book's) or the network itself. Its mistake bound (C.13) is
/// judged with n, Δ, D = 2 · delay.max and GST from the scenario, and predicted for
/// `post_gst_mistakes`; over a lossy network no round trip is bounded (each loss costs a
/// retransmission period), so neither is the number of mistakes, and the placeholder stays.
fn increasing_timeout(
    l: &Loaded,
    p: &Params,
    increment: Option<Time>,
) -> Result<Box<dyn Runnable>, InputError> {
    let period = p.int("period");
    let increment = increment.unwrap_or(period);
    let m = &l.scenario.model;
    let bound = MistakeBound::increasing_timeout(
        l.scenario.processes,
        period,
        2 * m.delay.max,
        m.stabilization(),
    );
    let lossless = m.links.loss == 0.0;
    let predicted = if lossless {
        BTreeMap::from([("post_gst_mistakes".to_string(), bound as f64)])
    } else {
        BTreeMap::new()
    };
    let target = || -> Vec<Box<dyn Monitor>> {
        if lossless {
            vec![Box::new(MistakeBound::new("ep", m.stabilization(), bound))]
        } else {
            Vec::new()
        }
    };
    match p.str("links") {
        "perfect" => job_with(
            l,
            p,
            move |_| IncreasingTimeout::new(period).with_increment(increment),
            no_request,
            predicted,
            target(),
        ),
        "network" => job_with(
            l,
            p,
            move |_| {
                IncreasingTimeout::over(FairLossLinks::default(), period).with_increment(increment)
            },
            no_request,
            predicted,
            target(),
        ),
        other => Err(l.error(
            "params.links",
            format!("links is \"perfect\" or \"network\", not \"{other}\""),
        )),
    }
}

pub const ALGORITHMS: &[Algorithm] = &[
    Algorithm {
        id: "perfect-detector",
        abstraction: "p",
        model: "synchronous, Δ > the largest round trip (fail-stop)",
        summary: "Exclude on Timeout (CGR 2.5): heartbeat every Δ, detect who did not answer",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| ExcludeOnTimeout::new(period), no_request)
        },
    },
    Algorithm {
        id: "monarchical-leader-election",
        abstraction: "le",
        model: "fail-stop; uses P (model.detector: algorithm | perfect; eventually-perfect or none to see it fail)",
        summary: "Monarchical Leader Election (CGR 2.6): the highest-ranked process not detected",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| with_perfect(l, p, Le),
    },
    Algorithm {
        id: "eventually-perfect-detector",
        abstraction: "ep",
        model: "partially synchronous (fail-noisy)",
        summary: "Increasing Timeout (CGR 2.7): restore on a late reply and add Δ to the timeout; heartbeats over perfect links",
        params: &[PERIOD, HEARTBEAT_LINKS],
        mutant: false,
        build: |l, p| increasing_timeout(l, p, None),
    },
    Algorithm {
        id: "eventually-perfect-detector-constant",
        abstraction: "ep",
        model: "partially synchronous",
        summary: "MUTANT: Increasing Timeout whose timeout never grows (B-5.3)",
        params: &[PERIOD, HEARTBEAT_LINKS],
        mutant: true,
        build: |l, p| increasing_timeout(l, p, Some(0)),
    },
    Algorithm {
        id: "monarchical-omega",
        abstraction: "omega",
        model: "fail-noisy; uses ◇P (model.detector: algorithm | eventually-perfect)",
        summary: "Monarchical Eventual Leader Detection (CGR 2.8): the highest-ranked unsuspected process",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| with_eventually_perfect(l, p, Omega(None)),
    },
    Algorithm {
        id: "monarchical-omega-self-first",
        abstraction: "omega",
        model: "fail-noisy; uses ◇P",
        summary: "MUTANT: Monarchical Ω whose processes rank themselves highest: each trusts itself forever (ELD2)",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| with_eventually_perfect(l, p, Omega(Some(Misrank::SelfFirst))),
    },
    Algorithm {
        id: "monarchical-omega-never-demote",
        abstraction: "omega",
        model: "fail-noisy; uses ◇P",
        summary: "MUTANT: Monarchical Ω that only moves to a higher-ranked leader: a crashed leader stays trusted forever (ELD1)",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| with_eventually_perfect(l, p, Omega(Some(Misrank::NeverDemote))),
    },
    Algorithm {
        id: "elect-lower-epoch",
        abstraction: "omega",
        model: "fail-recovery (crash-recovery, partial synchrony, stable storage)",
        summary: "Elect Lower Epoch (CGR 2.9): trust the process with the fewest recoveries",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| ElectLowerEpoch::new(period), no_request)
        },
    },
    Algorithm {
        id: "leader-based-epoch-change",
        abstraction: "ec",
        model: "fail-noisy; uses Ω (model.detector: algorithm | leader)",
        summary: "Leader-Based Epoch-Change (CGR 5.5): the trusted process claims ts + N, others NACK stale claims",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| with_leader(l, p, Ec { step: 0 }),
    },
    Algorithm {
        id: "leader-based-epoch-change-plus-one",
        abstraction: "ec",
        model: "fail-noisy; uses Ω",
        summary: "MUTANT: Leader-Based Epoch-Change that adds 1, not N, to ts (B-5.7)",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| with_leader(l, p, Ec { step: 1 }),
    },
];
