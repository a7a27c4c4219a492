//! Chapter 6's catalogue entries: the broadcast abstractions, their properties and algorithms.

use crate::monitors::{
    Agreement, CausalDelivery, FifoDelivery, NoCreation, NoDuplication, Validity,
};
use crate::{
    AllAckUrb, BestEffortBroadcast, Broadcast, DuplicatingRb, EagerReliableBroadcast,
    FifoReliableBroadcast, ForgingBeb, GcCausalBroadcast, HastyFifoBroadcast,
    LazyReliableBroadcast, LoggedBestEffortBroadcast, LoggedMajorityAckUrb, MajorityAckUrb,
    NoWaitingCausalBroadcast, NonRelayingRb, SenderOnlyCausal, StubbornBroadcast,
    WaitingCausalBroadcast,
};
use ::catalogue::InputError;
use ::catalogue::Loaded;
use ::catalogue::RequestSpec;
use ::catalogue::{
    job, payload, Abstraction, Algorithm, Default, Param, Params, PropertyDef, Runnable,
};
use automata::detector::PerfectDetector;
use automata::Value;
use links::detectors::catalogue::{with_perfect, WithDetector};
use links::FairLossLinks;

const VALIDITY_BEB: PropertyDef = PropertyDef {
    id: "validity",
    kind: "L",
    make: |m| Box::new(Validity::best_effort(m)),
};
const VALIDITY_LBEB: PropertyDef = PropertyDef {
    id: "validity",
    kind: "L",
    make: |m| Box::new(Validity::best_effort(m).logged()),
};
const VALIDITY_SBEB: PropertyDef = PropertyDef {
    id: "best-effort-validity",
    kind: "L",
    make: |m| Box::new(Validity::stubborn(m)),
};
const VALIDITY: PropertyDef = PropertyDef {
    id: "validity",
    kind: "L",
    make: |m| Box::new(Validity::reliable(m)),
};
pub const NO_DUP: PropertyDef = PropertyDef {
    id: "no-duplication",
    kind: "S",
    make: |m| Box::new(NoDuplication::new(m)),
};
pub const NO_CREATION: PropertyDef = PropertyDef {
    id: "no-creation",
    kind: "S",
    make: |m| Box::new(NoCreation::new(m)),
};
const AGREEMENT: PropertyDef = PropertyDef {
    id: "agreement",
    kind: "L",
    make: |m| Box::new(Agreement::regular(m)),
};
const UNIFORM: PropertyDef = PropertyDef {
    id: "uniform-agreement",
    kind: "L",
    make: |m| Box::new(Agreement::uniform(m)),
};
const FIFO: PropertyDef = PropertyDef {
    id: "fifo-delivery",
    kind: "S*",
    make: |m| Box::new(FifoDelivery::new(m)),
};
const CAUSAL: PropertyDef = PropertyDef {
    id: "causal-delivery",
    kind: "S",
    make: |m| Box::new(CausalDelivery::new(m)),
};

pub const ABSTRACTIONS: &[Abstraction] = &[
    Abstraction {
        id: "beb",
        name: "best-effort broadcast",
        requests: "broadcast",
        properties: &[VALIDITY_BEB, NO_DUP, NO_CREATION],
    },
    Abstraction {
        id: "rb",
        name: "(regular) reliable broadcast",
        requests: "broadcast",
        properties: &[VALIDITY, NO_DUP, NO_CREATION, AGREEMENT],
    },
    Abstraction {
        id: "urb",
        name: "uniform reliable broadcast",
        requests: "broadcast",
        properties: &[VALIDITY, NO_DUP, NO_CREATION, UNIFORM],
    },
    Abstraction {
        id: "sbeb",
        name: "stubborn best-effort broadcast",
        requests: "broadcast",
        properties: &[VALIDITY_SBEB, NO_CREATION],
    },
    Abstraction {
        id: "lbeb",
        name: "logged best-effort broadcast",
        requests: "broadcast",
        properties: &[VALIDITY_LBEB, NO_DUP, NO_CREATION],
    },
    Abstraction {
        id: "lurb",
        name: "logged uniform reliable broadcast",
        requests: "broadcast",
        properties: &[VALIDITY, NO_DUP, NO_CREATION, UNIFORM],
    },
    Abstraction {
        id: "frb",
        name: "FIFO reliable broadcast",
        requests: "broadcast",
        properties: &[VALIDITY, NO_DUP, NO_CREATION, AGREEMENT, FIFO],
    },
    Abstraction {
        id: "crb",
        name: "causal-order broadcast",
        requests: "broadcast",
        properties: &[VALIDITY, NO_DUP, NO_CREATION, AGREEMENT, CAUSAL],
    },
];

const PERIOD: Param = Param {
    name: "period",
    default: Default::Int(10),
    doc: "retransmission period of the perfect links below (local ticks)",
};
const PERIOD_SL: Param = Param {
    name: "period",
    default: Default::Int(10),
    doc: "retransmission period of the stubborn links below (local ticks)",
};

pub const ALGORITHMS: &[Algorithm] = &[
    Algorithm {
        id: "best-effort-broadcast",
        abstraction: "beb",
        model: "crash-stop (fail-stop, fail-noisy, fail-silent)",
        summary: "Basic Broadcast (CGR 3.1): send to every process over perfect links",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| BestEffortBroadcast::<Value>::new(period), broadcast)
        },
    },
    Algorithm {
        id: "eager-reliable-broadcast",
        abstraction: "rb",
        model: "fail-silent, any f",
        summary: "Eager Reliable Broadcast (CGR 3.3): relay every message on first delivery",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| EagerReliableBroadcast::<Value>::new(period), broadcast)
        },
    },
    Algorithm {
        id: "lazy-reliable-broadcast",
        abstraction: "rb",
        model: "fail-stop; uses P (model.detector: algorithm | perfect; none or eventually-perfect to see it fail)",
        summary: "Lazy Reliable Broadcast (CGR 3.2): relay a crashed sender's messages only once P detects it",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| with_perfect(l, p, Lazy),
    },
    Algorithm {
        id: "all-ack-urb",
        abstraction: "urb",
        model: "fail-stop; uses P (model.detector: algorithm | perfect; eventually-perfect to see it fail)",
        summary: "All-Ack Uniform Reliable Broadcast (CGR 3.4): deliver once every undetected process relayed",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| with_perfect(l, p, AllAck),
    },
    Algorithm {
        id: "majority-ack-urb",
        abstraction: "urb",
        model: "fail-silent with N > 2f",
        summary: "Majority-Ack Uniform Reliable Broadcast (CGR 3.5): deliver once more than N/2 processes relayed",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| MajorityAckUrb::<Value>::new(period), broadcast)
        },
    },
    Algorithm {
        id: "stubborn-broadcast",
        abstraction: "sbeb",
        model: "fail-recovery (or any crash-stop model), fair-loss network",
        summary: "Basic Stubborn Broadcast (CGR 3.6): send to every process over stubborn links, deliver every copy",
        params: &[PERIOD_SL],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| StubbornBroadcast::<Value>::new(period), broadcast)
        },
    },
    Algorithm {
        id: "logged-best-effort-broadcast",
        abstraction: "lbeb",
        model: "fail-recovery (crash-recovery, stable storage)",
        summary: "Logged Basic Broadcast (CGR 3.7): stubborn broadcast, log `delivered` before notifying",
        params: &[PERIOD_SL],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| LoggedBestEffortBroadcast::<Value>::new(period), broadcast)
        },
    },
    Algorithm {
        id: "logged-majority-ack-urb",
        abstraction: "lurb",
        model: "fail-recovery (crash-recovery, stable storage), N > 2f",
        summary: "Logged Majority-Ack (CGR 3.8): log pending and delivered before acting; re-broadcast pending on recovery",
        params: &[PERIOD_SL],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| LoggedMajorityAckUrb::<Value>::new(period), broadcast)
        },
    },
    Algorithm {
        id: "logged-majority-ack-urb-volatile",
        abstraction: "lurb",
        model: "fail-recovery",
        summary: "MUTANT: Logged Majority-Ack that never logs `delivered` (B-6.9)",
        params: &[PERIOD_SL],
        mutant: true,
        build: |l, p| {
            let period = p.int("period");
            job(
                l,
                p,
                move |_| LoggedMajorityAckUrb::<Value>::new(period).volatile_delivered(),
                broadcast,
            )
        },
    },
    Algorithm {
        id: "fifo-reliable-broadcast",
        abstraction: "frb",
        model: "fail-silent (as the rb below)",
        summary: "Broadcast with Sequence Number (CGR 3.12) over Eager Reliable Broadcast",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| FifoReliableBroadcast::<Value>::new(period), broadcast)
        },
    },
    Algorithm {
        id: "no-waiting-causal-broadcast",
        abstraction: "crb",
        model: "fail-silent (as the rb below)",
        summary: "No-Waiting Causal Broadcast (CGR 3.13): each message carries its causal past; gc = \"on\" trims it (CGR 3.14)",
        params: &[
            PERIOD,
            Param {
                name: "gc",
                default: Default::Str("off"),
                doc: "\"on\": garbage-collect the causal past once every correct process acknowledged a message (CGR 3.14; uses P, model.detector, fail-stop)",
            },
        ],
        mutant: false,
        build: |l, p| match p.str("gc") {
            "off" => {
                let period = p.int("period");
                job(l, p, move |_| NoWaitingCausalBroadcast::<Value>::new(period), broadcast)
            }
            "on" => with_perfect(l, p, CausalGcBuild),
            other => Err(l.error(
                "params.gc",
                format!("gc is \"on\" or \"off\", not \"{other}\""),
            )),
        },
    },
    Algorithm {
        id: "waiting-causal-broadcast",
        abstraction: "crb",
        model: "fail-silent (as the rb below)",
        summary: "Waiting Causal Broadcast (CGR 3.15): vector clocks, hold back until W ≤ V",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| WaitingCausalBroadcast::<Value>::new(period), broadcast)
        },
    },
    Algorithm {
        id: "best-effort-broadcast-fair-loss",
        abstraction: "beb",
        model: "needs perfect links: over fair-loss links validity is lost",
        summary: "MUTANT: Basic Broadcast straight over the fair-loss network",
        params: &[],
        mutant: true,
        build: |l, p| {
            job(
                l,
                p,
                |_| BestEffortBroadcast::<Value, FairLossLinks<Value>>::over(FairLossLinks::default()),
                broadcast,
            )
        },
    },
    Algorithm {
        id: "beb-forging",
        abstraction: "beb",
        model: "crash-stop",
        summary: "MUTANT: Basic Broadcast that names the next process as the sender",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| ForgingBeb::<Value>::new(period), broadcast)
        },
    },
    Algorithm {
        id: "eager-rb-no-relay",
        abstraction: "rb",
        model: "fail-silent",
        summary: "MUTANT: Eager Reliable Broadcast that never relays",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| NonRelayingRb::<Value>::new(period), broadcast)
        },
    },
    Algorithm {
        id: "eager-rb-no-dedup",
        abstraction: "rb",
        model: "fail-silent",
        summary: "MUTANT: Eager Reliable Broadcast that delivers every relayed copy",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| DuplicatingRb::<Value>::new(period), broadcast)
        },
    },
    Algorithm {
        id: "fifo-broadcast-hasty",
        abstraction: "frb",
        model: "fail-silent",
        summary: "MUTANT: FIFO broadcast that delivers on arrival, ignoring sequence numbers",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| HastyFifoBroadcast::<Value>::new(period), broadcast)
        },
    },
    Algorithm {
        id: "waiting-causal-sender-only",
        abstraction: "crb",
        model: "fail-silent",
        summary: "MUTANT: Waiting Causal Broadcast comparing only the sender's entry (B-6.7)",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| SenderOnlyCausal::<Value>::new(period), broadcast)
        },
    },
];

/// Lazy Reliable Broadcast over the P that `model.detector` picks.
struct Lazy;

impl<D: PerfectDetector> WithDetector<D> for Lazy {
    fn build(
        self,
        l: &Loaded,
        p: &Params,
        d: impl Fn() -> D + Send + Sync + 'static,
    ) -> Result<Box<dyn Runnable>, InputError> {
        let period = p.int("period");
        job(
            l,
            p,
            move |_| LazyReliableBroadcast::<Value, D>::new(period, d()),
            broadcast,
        )
    }
}

/// All-Ack over the P that `model.detector` picks.
struct AllAck;

impl<D: PerfectDetector> WithDetector<D> for AllAck {
    fn build(
        self,
        l: &Loaded,
        p: &Params,
        d: impl Fn() -> D + Send + Sync + 'static,
    ) -> Result<Box<dyn Runnable>, InputError> {
        let period = p.int("period");
        job(
            l,
            p,
            move |_| AllAckUrb::<Value, D>::new(period, d()),
            broadcast,
        )
    }
}

/// No-Waiting Causal Broadcast with garbage collection, over the P that `model.detector` picks.
struct CausalGcBuild;

impl<D: PerfectDetector> WithDetector<D> for CausalGcBuild {
    fn build(
        self,
        l: &Loaded,
        p: &Params,
        d: impl Fn() -> D + Send + Sync + 'static,
    ) -> Result<Box<dyn Runnable>, InputError> {
        let period = p.int("period");
        job(
            l,
            p,
            move |_| GcCausalBroadcast::<Value, D>::new(period, d()),
            broadcast,
        )
    }
}

pub fn broadcast(r: &RequestSpec, _n: usize) -> Result<Broadcast<Value>, String> {
    if r.name != "broadcast" {
        return Err(format!(
            "broadcasts take `broadcast` requests, e.g. {{ broadcast = \"m1\" }}, not `{}`",
            r.name
        ));
    }
    Ok(Broadcast {
        msg: payload(&r.arg, "message")?,
    })
}
