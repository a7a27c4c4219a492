//! Chapter 10's catalogue entries for time: logical clocks (`lamport-clock`, `vector-clock`) over perfect links, and
//! clock synchronization (`cristian`, `berkeley`, `lundelius-lynch`, `welch-lynch`) with the
//! precision each one promises as the CS1 target, what theory predicts for `skew_max`, and
//! the mutants and the free-running baseline the monitors catch.
//!
//! The synchronization algorithms know their system model: d and u (delays in [d − u, d]) and
//! d_min come from `[model] delay`, f from the scenario's `f`.

use crate::logical::{
    Causality, DoubleTickVectorClock, LamportClock, NoMaxLamportClock, NoMergeVectorClock,
    VectorClock,
};
use crate::physical::{CristianBound, FreeRunning, Monotonicity, Precision};
use crate::sync::{
    Berkeley, BerkeleyParams, Cristian, CristianParams, LundeliusLynch, WelchLynch,
    WelchLynchParams,
};
use ::catalogue::InputError;
use ::catalogue::Loaded;
use ::catalogue::{
    job, job_with, no_request, Abstraction, Algorithm, Default, Param, Params, PropertyDef,
    Runnable,
};
use automata::{Module, Monitor, Pid, Time, Value};
use links::catalogue::send;
use std::collections::BTreeMap;

const LC1: PropertyDef = PropertyDef {
    id: "clock-condition",
    kind: "S",
    make: |m| Box::new(Causality::clock_condition(m)),
};
const VC1: PropertyDef = PropertyDef {
    id: "strong-clock-condition",
    kind: "S",
    make: |m| Box::new(Causality::strong_clock_condition(m)),
};
const VC2: PropertyDef = PropertyDef {
    id: "own-count",
    kind: "S",
    make: |m| Box::new(Causality::own_count(m)),
};
/// Placeholder target: every builder below replaces it with the scenario's ε ([`precision`]).
const CS1: PropertyDef = PropertyDef {
    id: "precision",
    kind: "S",
    make: |m| Box::new(Precision::new(m, f64::INFINITY)),
};
const CS4: PropertyDef = PropertyDef {
    id: "monotonicity",
    kind: "S",
    make: |m| Box::new(Monotonicity::new(m)),
};
const C6: PropertyDef = PropertyDef {
    id: "cristian-error-bound",
    kind: "S",
    make: |m| Box::new(CristianBound::new(m)),
};

pub const ABSTRACTIONS: &[Abstraction] = &[
    Abstraction {
        id: "lc",
        name: "logical clock (Lamport): links whose events carry timestamps",
        requests: "send",
        properties: &[LC1],
    },
    Abstraction {
        id: "vc",
        name: "vector clock: links whose events carry vector timestamps",
        requests: "send",
        properties: &[VC1, VC2],
    },
    Abstraction {
        id: "cs",
        name: "clock synchronization (internal)",
        requests: "none",
        properties: &[CS1, CS4],
    },
    Abstraction {
        id: "ecs",
        name: "clock synchronization against a time server (external)",
        requests: "none",
        properties: &[CS1, CS4, C6],
    },
];

const PERIOD: Param = Param {
    name: "period",
    default: Default::Int(10),
    doc: "retransmission period of the perfect links below (local ticks)",
};
const PROBE: Param = Param {
    name: "probe",
    default: Default::Int(10),
    doc: "local ticks between two traced readings of the adjusted clock (the monitors' samples); 0: only at corrections (keeps model checking finite)",
};
const EPS: Param = Param {
    name: "eps",
    default: Default::Float(0.0),
    doc: "precision target ε of CS1 in ticks; 0: the algorithm's own bound (see its summary)",
};
const SYNC_PERIOD: Param = Param {
    name: "period",
    default: Default::Int(200),
    doc: "local ticks between two synchronization rounds",
};
const BERKELEY_PARAMS: &[Param] = &[
    SYNC_PERIOD,
    Param {
        name: "wait",
        default: Default::Int(0),
        doc: "local ticks the master waits for answers; 0: 2·d + 2",
    },
    Param {
        name: "tolerance",
        default: Default::Int(1000),
        doc: "offsets further than this from the median are left out of the average",
    },
    PROBE,
    EPS,
];

pub const ALGORITHMS: &[Algorithm] = &[
    Algorithm {
        id: "lamport-clock",
        abstraction: "lc",
        model: "any (asynchronous is enough), over perfect links",
        summary: "Lamport 1978: l := l + 1 before a send, l := max(l, t) + 1 on delivery",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| LamportClock::<Value>::new(period), send)
        },
    },
    Algorithm {
        id: "lamport-clock-no-max",
        abstraction: "lc",
        model: "as lamport-clock",
        summary: "MUTANT: on delivery l := l + 1, ignoring the message's timestamp (B-10.1)",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| NoMaxLamportClock::build::<Value>(period), send)
        },
    },
    Algorithm {
        id: "vector-clock",
        abstraction: "vc",
        model: "any (asynchronous is enough), over perfect links",
        summary: "Fidge 1988, Mattern 1989: V[p] += 1 at each event, V := max(V, W) on delivery",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| VectorClock::<Value>::new(period), send)
        },
    },
    Algorithm {
        id: "vector-clock-no-merge",
        abstraction: "vc",
        model: "as vector-clock",
        summary: "MUTANT: on delivery only V[p] += 1, without merging the message's vector (B-10.3)",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| NoMergeVectorClock::build::<Value>(period), send)
        },
    },
    Algorithm {
        id: "vector-clock-double-tick",
        abstraction: "vc",
        model: "as vector-clock",
        summary: "MUTANT: on delivery V[p] += 2 (the delivery counted twice), after the merge: VC1 holds, VC2 own-count fails",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| DoubleTickVectorClock::build::<Value>(period), send)
        },
    },
    Algorithm {
        id: "cristian",
        abstraction: "ecs",
        model: "client/server (the server is process 0), no failures, no drift, delays ≥ d_min",
        summary: "Cristian 1989: ask the server, C := T + RTT/2 if RTT ≤ max_rtt; error ≤ RTT/2 − d_min (C.6); ε = max_rtt − 2·d_min",
        params: &[
            Param {
                name: "period",
                default: Default::Int(50),
                doc: "local ticks between two attempts",
            },
            Param {
                name: "max_rtt",
                default: Default::Int(0),
                doc: "the largest round trip a client accepts; 0: 2·d (every one)",
            },
            Param {
                name: "d_min",
                default: Default::Int(0),
                doc: "the minimum delay the client assumes; 0: [model] delay.min",
            },
            PROBE,
            EPS,
        ],
        mutant: false,
        build: cristian,
    },
    Algorithm {
        id: "berkeley",
        abstraction: "cs",
        model: "master/slaves (the master is process 0), delays in [d_min, d], small drift",
        summary: "Gusella & Zatti 1989: the master polls, averages the offsets within a tolerance of their median, sends each its correction; slaves slew; ε = d − d_min + 2ρ·period",
        params: BERKELEY_PARAMS,
        mutant: false,
        build: |l, p| berkeley(l, p, false),
    },
    Algorithm {
        id: "berkeley-stepping",
        abstraction: "cs",
        model: "as berkeley",
        summary: "MUTANT: Berkeley that steps backward corrections instead of slewing them (B-10.9)",
        params: BERKELEY_PARAMS,
        mutant: true,
        build: |l, p| berkeley(l, p, true),
    },
    Algorithm {
        id: "lundelius-lynch",
        abstraction: "cs",
        model: "complete graph, no failures, no drift, delays in [d − u, d] with d and u known",
        summary: "Lundelius & Lynch 1984: broadcast the clock once, estimate each offset assuming delay d − u/2, add their average; ε = u(1 − 1/n), optimal (C.5)",
        params: &[
            Param {
                name: "probe",
                default: Default::Int(25),
                doc: PROBE.doc,
            },
            EPS,
        ],
        mutant: false,
        build: lundelius_lynch,
    },
    Algorithm {
        id: "welch-lynch",
        abstraction: "cs",
        model: "N ≥ 3f + 1, f Byzantine or crashed clocks, drift ρ, delays in [d − u, d]",
        summary: "Welch & Lynch 1988: every period broadcast the clock, drop the f largest and f smallest estimates, move to the midpoint of the rest; ε = β + ε_est + offset/2^warmup with β = 4ε_est + 4ρP̂ (clocks/src/sync/welch_lynch.rs derives it)",
        params: &[
            Param {
                name: "period",
                default: Default::Int(400),
                doc: "P: local ticks between two rounds",
            },
            Param {
                name: "wait",
                default: Default::Int(0),
                doc: "local ticks from a round's start to its averaging; 0: P/2",
            },
            Param {
                name: "warmup",
                default: Default::Int(3),
                doc: "rounds before a process counts as synchronized",
            },
            Param {
                name: "two_faced",
                default: Default::Int(0),
                doc: "how many processes (the highest ids) are two-faced Byzantine clocks (B-10.6)",
            },
            Param {
                name: "lies",
                default: Default::Str("far"),
                doc: "what the two-faced clocks claim: \"far\" (1000 ticks beyond the correct clocks, outside the trimming window) or \"within\" (the lowest or highest correct clock, inside it)",
            },
            PROBE,
            EPS,
        ],
        mutant: false,
        build: welch_lynch,
    },
    Algorithm {
        id: "free-running",
        abstraction: "cs",
        model: "none: the baseline without synchronization (B-10.4)",
        summary: "MUTANT: C_p = H_p, never adjusted; drifting clocks leave any ε (default: [model] clocks.offset)",
        params: &[PROBE, EPS],
        mutant: true,
        build: free_running,
    },
];

/// CS1 with target `eps`, unless the scenario sets its own `params.eps`.
fn precision(p: &Params, eps: f64) -> Box<dyn Monitor> {
    let eps = match p.float("eps") {
        x if x > 0.0 => x,
        _ => eps,
    };
    Box::new(Precision::new("cs", eps))
}

/// A clock synchronization job: CS1 at the algorithm's bound `eps`, `skew_max` predicted to be
/// at most that bound.
fn sync_job<R: Module<Req = ()>>(
    l: &Loaded,
    p: &Params,
    factory: impl Fn(Pid) -> R + Send + Sync + 'static,
    eps: f64,
) -> Result<Box<dyn Runnable>, InputError> {
    let predicted = BTreeMap::from([("skew_max".to_string(), eps)]);
    job_with(
        l,
        p,
        factory,
        no_request,
        predicted,
        vec![precision(p, eps)],
    )
}

/// (d, u, d_min) of `[model] delay`.
fn delays(l: &Loaded) -> (Time, Time, Time) {
    let d = &l.scenario.model.delay;
    (d.max, d.max - d.min, d.min)
}

fn lundelius_lynch(l: &Loaded, p: &Params) -> Result<Box<dyn Runnable>, InputError> {
    let (d, u, _) = delays(l);
    let n = l.scenario.processes as f64;
    let probe = p.int("probe");
    sync_job(
        l,
        p,
        move |_| LundeliusLynch::new(d, u, probe),
        u as f64 * (1.0 - 1.0 / n),
    )
}

fn cristian(l: &Loaded, p: &Params) -> Result<Box<dyn Runnable>, InputError> {
    let (d, _, model_d_min) = delays(l);
    let d_min = match p.int("d_min") {
        0 => model_d_min,
        x => x,
    };
    let max_rtt = match p.int("max_rtt") {
        0 => 2 * d,
        x => x,
    };
    if max_rtt < 2 * d_min {
        return Err(l.error(
            "params.max_rtt",
            format!(
                "max_rtt = {max_rtt} is below 2·d_min = {}: no reply could ever be accepted",
                2 * d_min
            ),
        ));
    }
    let params = CristianParams {
        server: 0,
        period: p.int("period").max(1),
        max_rtt,
        d_min,
        probe: p.int("probe"),
    };
    let eps = (max_rtt - 2 * d_min) as f64;
    sync_job(l, p, move |_| Cristian::new(params), eps)
}

fn berkeley(l: &Loaded, p: &Params, stepping: bool) -> Result<Box<dyn Runnable>, InputError> {
    let (d, _, d_min) = delays(l);
    let params = BerkeleyParams {
        master: 0,
        period: p.int("period").max(1),
        wait: match p.int("wait") {
            0 => 2 * d + 2,
            w => w,
        },
        tolerance: p.int("tolerance"),
        probe: p.int("probe"),
    };
    let rho = l.scenario.model.clocks.drift;
    let eps = (d - d_min) as f64 + 2.0 * rho * params.period as f64;
    sync_job(
        l,
        p,
        move |_| {
            let b = Berkeley::new(params);
            if stepping {
                b.stepping()
            } else {
                b
            }
        },
        eps,
    )
}

fn welch_lynch(l: &Loaded, p: &Params) -> Result<Box<dyn Runnable>, InputError> {
    let (d, u, _) = delays(l);
    let n = l.scenario.processes;
    let two_faced = p.int("two_faced") as usize;
    if two_faced >= n {
        return Err(l.error(
            "params.two_faced",
            format!("{two_faced} two-faced processes of {n}: at least one must be correct"),
        ));
    }
    let period = p.int("period").max(1);
    let params = WelchLynchParams {
        f: l.f,
        period,
        wait: match p.int("wait") {
            0 => period / 2,
            w => w,
        },
        d,
        u,
        warmup: p.int("warmup"),
        probe: p.int("probe"),
    };
    let within = match p.str("lies") {
        "far" => false,
        "within" => true,
        other => {
            return Err(l.error(
                "params.lies",
                format!("lies is \"far\" or \"within\", not \"{other}\""),
            ))
        }
    };
    // The initial spread: offsets drawn in [0, offset], and the drift until the first round.
    let clocks = l.scenario.model.clocks;
    let rho = clocks.drift;
    let initial = clocks.offset as f64 + 2.0 * rho * period as f64 / (1.0 - rho);
    let eps = params.precision(rho, initial);
    sync_job(
        l,
        p,
        move |q| match (q >= n - two_faced, within) {
            (false, _) => WelchLynch::new(params),
            (true, false) => WelchLynch::two_faced(params),
            (true, true) => WelchLynch::two_faced_within(params),
        },
        eps,
    )
}

fn free_running(l: &Loaded, p: &Params) -> Result<Box<dyn Runnable>, InputError> {
    let probe = p.int("probe");
    // No bound to predict: the default target is the initial offset bound (≥ 1 tick), which
    // drifting clocks leave sooner or later.
    let eps = (l.scenario.model.clocks.offset as f64).max(1.0);
    let monitors = vec![precision(p, eps)];
    job_with(
        l,
        p,
        move |_| FreeRunning::new(probe),
        no_request,
        BTreeMap::new(),
        monitors,
    )
}
