//! Chapter 8 for the catalogue: the consensus abstractions and their properties, the `propose`
//! request, and the shared builders of FloodSet (Lynch §6.2), a round algorithm, on either
//! round substrate: `ideal-rounds` (the synchronous model) or `clock-driven-rounds`
//! (synchronized clocks over a partially synchronous network, rounds after GST). Each
//! algorithm's own entry is at the end of its file.

use crate::coin_monitors::{CoinMatching, CoinUnpredictability, RoundsToDecide};
use crate::cost::{predicted, Predicted};
use crate::epoch_monitors::{
    AbortBehaviour, EpAgreement, EpIntegrity, EpTermination, EpValidity, LockIn,
};
use crate::interface::Propose;
use crate::monitors::{Agreement, Integrity, Termination, UniformAgreement, Validity};
use crate::FloodSet;
use automata::rounds::{IdealRounds, RoundAlgorithm};
use automata::{Module, Time, Value};
use catalogue::InputError;
use catalogue::Loaded;
use catalogue::{
    job, job_predicting, no_request, payload, Abstraction, Algorithm, Param, Params, PropertyDef,
    RequestSpec, Runnable,
};
use clocks::rounds::clock_driven::{min_period, start_after};
use clocks::rounds::ClockDrivenRounds;
use links::detectors::{abstractions::perfect, AnyPerfect};

const C1: PropertyDef = PropertyDef::new("termination", "L", |m| Box::new(Termination::new(m)));
const C2: PropertyDef = PropertyDef::new("validity", "S", |m| Box::new(Validity::new(m)));
const C3: PropertyDef = PropertyDef::new("integrity", "S", |m| Box::new(Integrity::new(m)));
const C4: PropertyDef = PropertyDef::new("agreement", "S*", |m| Box::new(Agreement::new(m)));
const UC4: PropertyDef = PropertyDef::new("uniform-agreement", "S", |m| {
    Box::new(UniformAgreement::new(m))
});

const RC1: PropertyDef = PropertyDef::new("termination", "L", |m| Box::new(RoundsToDecide::new(m)));
const CC2: PropertyDef = PropertyDef::new("coin-unpredictability", "S*", |_| {
    Box::new(CoinUnpredictability::new("coin"))
});
const CC3: PropertyDef = PropertyDef::new("coin-matching", "S", |_| {
    Box::new(CoinMatching::new("coin"))
});

const EP1: PropertyDef = PropertyDef::new("ep-validity", "S", |m| Box::new(EpValidity::new(m)));
const EP2: PropertyDef = PropertyDef::new("ep-agreement", "S", |m| Box::new(EpAgreement::new(m)));
const EP3: PropertyDef = PropertyDef::new("ep-integrity", "S", |m| Box::new(EpIntegrity::new(m)));
const EP4: PropertyDef = PropertyDef::new("lock-in", "S", |m| Box::new(LockIn::new(m)));
const EP5: PropertyDef =
    PropertyDef::new("ep-termination", "L", |m| Box::new(EpTermination::new(m)));
const EP6: PropertyDef =
    PropertyDef::new("abort-behaviour", "L", |m| Box::new(AbortBehaviour::new(m)));

pub const ABSTRACTIONS: &[Abstraction] = catalogue::abstractions! {
    id: "c", name: "(regular) consensus", requests: "propose",
    properties: &[C1, C2, C3, C4];

    id: "uc", name: "uniform consensus",
    requests: "propose; none for a round algorithm, whose proposals are its initial values (params.values)",
    properties: &[C1, C2, C3, C4, UC4];

    id: "uc-ep", name: "uniform consensus from epoch consensus (the epochs' EP1-EP6 judged too)",
    requests: "propose",
    properties: &[C1, C2, C3, UC4, EP1, EP2, EP3, EP4, EP5, EP6];

    id: "luc", name: "logged uniform consensus (LUC1-LUC3, integrity over log-decisions; the epochs' EP1-EP6 judged too)",
    requests: "propose",
    properties: &[C1, C2, C3, UC4, EP1, EP2, EP3, EP4, EP5, EP6];

    id: "rc", name: "randomized (binary, uniform) consensus, with its common coin's CC2 and CC3",
    requests: "propose (0 or 1)",
    properties: &[RC1, C2, C3, C4, UC4, CC2, CC3];
};

pub const PERIOD: Param = Param::int(
    "period",
    10,
    "retransmission period of the perfect links below (local ticks)",
);

/// The job of a fail-stop consensus algorithm `make(period, P)`: P is the detector the scenario
/// picks (`model.detector`), `period` the links' retransmission period.
pub fn fail_stop<R: Module<Req = Propose<Value>>>(
    l: &Loaded,
    p: &Params,
    make: fn(Time, AnyPerfect) -> R,
) -> Result<Box<dyn Runnable>, InputError> {
    let (d, period) = (perfect(l, p)?, p.int("period"));
    job(l, p, move |_| make(period, d.clone()), propose)
}

/// [`fail_stop`], with what a failure-free decision costs ([`crate::cost::predicted`]).
pub fn fail_stop_costing<R: Module<Req = Propose<Value>>>(
    l: &Loaded,
    p: &Params,
    make: fn(Time, AnyPerfect) -> R,
    cost: Predicted,
) -> Result<Box<dyn Runnable>, InputError> {
    let (d, period) = (perfect(l, p)?, p.int("period"));
    let costs = predicted(l, cost);
    job_predicting(l, p, move |_| make(period, d.clone()), propose, costs)
}

/// `{ propose = v }`: an integer or a string.
pub fn propose(r: &RequestSpec, _n: usize) -> Result<Propose<Value>, String> {
    if r.name != "propose" {
        return Err(format!(
            "consensus takes `propose` requests, e.g. {{ propose = 3 }}, not `{}`",
            r.name
        ));
    }
    Ok(Propose(payload(&r.arg, "value")?))
}

/// FloodSet's own parameters, and the round runner's.
pub const FLOODSET_PARAMS: &[Param] = &[
    Param::int("t", 0, "crashes tolerated (rounds = t + 1); 0 means the scenario's f"),
    Param::str("values", "", "initial values, comma-separated, one per process (integers or strings); empty: process p proposes p"),
    Param::int("period", 0, "round length in local ticks; 0: delay.max + 1 (ideal), ⌈(1+ρ)d + ε + ρ⌉ + 2 (clock-driven)"),
    Param::int("start", 0, "local time at which round 0 starts; 0: one period (ideal), (1+ρ)·GST + offset + period (clock-driven)"),
];

pub const PARAMS: &[Param] = &[
    FLOODSET_PARAMS[0],
    FLOODSET_PARAMS[1],
    Param::str("substrate", "ideal", "\"ideal\" (ideal-rounds: the synchronous model) or \"clock-driven\" (clock-driven-rounds: synchronized clocks, rounds after GST)"),
    FLOODSET_PARAMS[2],
    FLOODSET_PARAMS[3],
];

/// The round runners of chapter 10, each shown running FloodSet (their abstraction, `sr`, and
/// its properties are the clocks crate's).
pub const ROUND_RUNNERS: &[Algorithm] = catalogue::entries! {
    id: "ideal-rounds", abstraction: "sr", params: FLOODSET_PARAMS,
    model: "synchronous (round length > Δ, perfect clocks)",
    summary: "lockstep rounds of fixed length on the synchronous model (the reference runner), shown running FloodSet",
    build: |l, p| rounds_job(l, p, "ideal", FloodSet::new);

    id: "clock-driven-rounds", abstraction: "sr", params: FLOODSET_PARAMS,
    model: "synchronized clocks (precision ε, drift ρ), delays ≤ d after GST, crash-stop; P ≥ (1+ρ)d + ε",
    summary: "round r runs while the clock is in [T0 + rP, T0 + (r+1)P); messages carry r, early ones are buffered; shown running FloodSet",
    build: |l, p| rounds_job(l, p, "clock-driven", FloodSet::new);
};

/// The initial values of `params.values` (default: process p proposes p).
fn values(l: &Loaded, p: &Params) -> Result<Vec<Value>, InputError> {
    let n = l.scenario.processes;
    let spec = p.str("values").trim();
    if spec.is_empty() {
        return Ok((0..n).map(|i| Value::Int(i as i64)).collect());
    }
    let vs: Vec<Value> = spec
        .split(',')
        .map(|s| {
            let s = s.trim();
            s.parse::<i64>()
                .map(Value::Int)
                .unwrap_or_else(|_| Value::str(s))
        })
        .collect();
    if vs.len() != n {
        return Err(l.error(
            "params.values",
            format!(
                "{} values for {n} processes: give one per process",
                vs.len()
            ),
        ));
    }
    Ok(vs)
}

/// The scenario's round algorithm on `substrate`.
pub fn rounds_job<A: RoundAlgorithm>(
    l: &Loaded,
    p: &Params,
    substrate: &str,
    make: fn(Value, u64) -> A,
) -> Result<Box<dyn Runnable>, InputError> {
    let s = &l.scenario;
    let t = match p.int("t") {
        0 => l.f as u64,
        t => t,
    };
    if t as usize >= s.processes {
        return Err(l.error(
            "params.t",
            format!("t = {t} crashes with {} processes: t < n", s.processes),
        ));
    }
    let vs = values(l, p)?;
    let model = &s.model;
    match substrate {
        "ideal" => {
            let period = nonzero(p.int("period"), model.delay.max + 1);
            let start = nonzero(p.int("start"), period);
            job(
                l,
                p,
                move |i| IdealRounds::new(make(vs[i].clone(), t), period).starting_at(start),
                no_request,
            )
        }
        "clock-driven" => {
            let period = nonzero(p.int("period"), min_period(model, s.check.max_time));
            let start = nonzero(p.int("start"), start_after(model, period));
            job(
                l,
                p,
                move |i| ClockDrivenRounds::new(make(vs[i].clone(), t), period, start),
                no_request,
            )
        }
        other => Err(l.error(
            "params.substrate",
            format!("substrate is \"ideal\" or \"clock-driven\", not \"{other}\""),
        )),
    }
}

fn nonzero(x: u64, default: Time) -> Time {
    if x == 0 {
        default
    } else {
        x
    }
}
