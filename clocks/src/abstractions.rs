//! Chapter 10's time for the catalogue: the abstractions of logical clocks and clock
//! synchronization and their properties, and what the synchronization entries share (the
//! precision each one promises as the CS1 target, what theory predicts for `skew_max`). Each
//! algorithm's entry is at the end of its file.
//!
//! The synchronization algorithms know their system model: d and u (delays in [d − u, d]) and
//! d_min come from `[model] delay`, f from the scenario's `f`.

use crate::logical::Causality;
use crate::physical::{CristianBound, Monotonicity, Precision};
use automata::{Module, Monitor, Pid, Time};
use catalogue::{
    job_with, no_request, Abstraction, InputError, Loaded, Param, Params, PropertyDef, Runnable,
};
use std::collections::BTreeMap;

const LC1: PropertyDef = PropertyDef::new("clock-condition", "S", |m| {
    Box::new(Causality::clock_condition(m))
});
const VC1: PropertyDef = PropertyDef::new("strong-clock-condition", "S", |m| {
    Box::new(Causality::strong_clock_condition(m))
});
const VC2: PropertyDef = PropertyDef::new("own-count", "S", |m| Box::new(Causality::own_count(m)));
/// Placeholder target: every builder below replaces it with the scenario's ε ([`precision`]).
const CS1: PropertyDef = PropertyDef::new("precision", "S", |m| {
    Box::new(Precision::new(m, f64::INFINITY))
});
const CS4: PropertyDef = PropertyDef::new("monotonicity", "S", |m| Box::new(Monotonicity::new(m)));
const C6: PropertyDef = PropertyDef::new("cristian-error-bound", "S", |m| {
    Box::new(CristianBound::new(m))
});

pub const ABSTRACTIONS: &[Abstraction] = catalogue::abstractions! {
    id: "lc", requests: "send",
    name: "logical clock (Lamport): links whose events carry timestamps",
    properties: &[LC1];

    id: "vc", name: "vector clock: links whose events carry vector timestamps", requests: "send",
    properties: &[VC1, VC2];

    id: "cs", name: "clock synchronization (internal)", requests: "none",
    properties: &[CS1, CS4];

    id: "ecs", name: "clock synchronization against a time server (external)", requests: "none",
    properties: &[CS1, CS4, C6];
};

pub const PERIOD: Param = Param::int(
    "period",
    10,
    "retransmission period of the perfect links below (local ticks)",
);
pub const PROBE: Param = Param::int("probe", 10, "local ticks between two traced readings of the adjusted clock (the monitors' samples); 0: only at corrections (keeps model checking finite)");
pub const EPS: Param = Param::float(
    "eps",
    0.0,
    "precision target ε of CS1 in ticks; 0: the algorithm's own bound (see its summary)",
);
pub const SYNC_PERIOD: Param = Param::int(
    "period",
    200,
    "local ticks between two synchronization rounds",
);
pub const BERKELEY_PARAMS: &[Param] = &[
    SYNC_PERIOD,
    Param::int(
        "wait",
        0,
        "local ticks the master waits for answers; 0: 2·d + 2",
    ),
    Param::int(
        "tolerance",
        1000,
        "offsets further than this from the median are left out of the average",
    ),
    PROBE,
    EPS,
];

/// CS1 with target `eps`, unless the scenario sets its own `params.eps`.
pub fn precision(p: &Params, eps: f64) -> Box<dyn Monitor> {
    let eps = match p.float("eps") {
        x if x > 0.0 => x,
        _ => eps,
    };
    Box::new(Precision::new("cs", eps))
}

/// A clock synchronization job: CS1 at the algorithm's bound `eps`, `skew_max` predicted to be
/// at most that bound.
pub fn sync_job<R: Module<Req = ()>>(
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
pub fn delays(l: &Loaded) -> (Time, Time, Time) {
    let d = &l.scenario.model.delay;
    (d.max, d.max - d.min, d.min)
}
