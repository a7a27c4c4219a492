//! Chapter 10's catalogue entries for synchrony: the round abstraction (its runners, shown
//! running FloodSet, are in the consensus crate's catalogue), clocks from rounds (`round-driven-clock`) and the synchronizers α, β, γ
//! running SynchBFS on a graph, with what the formulas predict for their cost (C.11).

use crate::rounds::monitors::{Lockstep, Progress, RoundIntegrity};
use crate::rounds::round_driven_clock::RoundClockSkew;
use crate::rounds::RoundDrivenClock;
use crate::synchronizers::bfs::SynchBfs;
use crate::synchronizers::cost::PulseCost;
use crate::synchronizers::graph::Graph;
use crate::synchronizers::mutants::early_alpha;
use crate::synchronizers::{SynchronizerAlpha, SynchronizerBeta, SynchronizerGamma};
use automata::{Module, Pid};
use catalogue::InputError;
use catalogue::Loaded;
use catalogue::{
    job_predicting, job_with, no_request, Abstraction, Algorithm, Param, Params, PropertyDef,
    Runnable,
};
use std::collections::BTreeMap;
use std::sync::Arc;

const SR1: PropertyDef =
    PropertyDef::new("round-integrity", "S", |m| Box::new(RoundIntegrity::new(m)));
const SR2: PropertyDef = PropertyDef::new("lockstep", "S", |m| Box::new(Lockstep::new(m)));
const SR3: PropertyDef = PropertyDef::new("progress", "L", |m| Box::new(Progress::new(m)));
const SR3_COST: PropertyDef = PropertyDef::new("progress", "L", |m| Box::new(PulseCost::new(m)));
/// Placeholder target: the builder of `round-driven-clock` replaces it with the scenario's.
const PRECISION: PropertyDef = PropertyDef::new("precision", "S", |m| {
    Box::new(RoundClockSkew::new(m, f64::INFINITY))
});

pub const ABSTRACTIONS: &[Abstraction] = catalogue::abstractions! {
    id: "sr", name: "synchronous rounds", requests: "none",
    properties: &[SR1, SR2, SR3];

    id: "synchronizer", requests: "none",
    name: "synchronous rounds on an asynchronous network (pulses, with their cost)",
    properties: &[SR1, SR2, SR3_COST];

    id: "rdc", name: "clock from synchronous rounds", requests: "none",
    properties: &[PRECISION];
};

const GRAPH_PARAMS: [Param; 5] = [
    Param::str("topology", "grid", "\"grid\" (width × n/width), \"path\" or \"random\" (a random tree plus each other edge with probability p)"),
    Param::int("width", 0, "grid width; 0: ⌊√n⌋"),
    Param::float("p", 0.2, "random graph: probability of each extra edge"),
    Param::int("graph_seed", 1, "random graph: its seed (the run's seed decides delays)"),
    Param::int("pulses", 0, "pulses R of SynchBFS from process 0; 0: the root's eccentricity + 1"),
];

const ALPHA_PARAMS: &[Param] = &GRAPH_PARAMS;
const GAMMA_PARAMS: &[Param] = &[
    GRAPH_PARAMS[0],
    GRAPH_PARAMS[1],
    GRAPH_PARAMS[2],
    GRAPH_PARAMS[3],
    GRAPH_PARAMS[4],
    Param::int(
        "k",
        1,
        "cluster radius: 0 makes γ into α, a radius beyond the diameter one cluster",
    ),
];

#[derive(Clone, Copy)]
enum Synchronizer {
    Alpha,
    AlphaEarly,
    Beta,
    Gamma,
}

pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "round-driven-clock", abstraction: "rdc",
    params: &[
        Param::int("period", 50, "P, the round length (local ticks of the round source)"),
        Param::int("rounds", 20, "rounds to run"),
        Param::int("probe", 7, "local ticks between two records of C_p"),
        Param::float("target", 0.0, "precision target in ticks; 0: Δ + 2ρP + 2 + ρ·probe (σ ≤ Δ)"),
    ],
    model: "lockstep rounds signalled over a synchronous network, drifting clocks",
    summary: "C_p := r·P + (H_p − H_p at the start of round r); precision σ + 2ρP",
    build: round_driven_clock;

    id: "synchronizer-alpha", abstraction: "synchronizer", params: ALPHA_PARAMS,
    model: "asynchronous reliable network, no failures",
    summary: "α (Awerbuch 1985): ACK every message; safe nodes send SAFE to all neighbours; next pulse when all neighbours are safe. Runs SynchBFS",
    build: |l, p| synchronizer(l, p, Synchronizer::Alpha);

    id: "synchronizer-alpha-early", abstraction: "synchronizer", params: ALPHA_PARAMS, mutant: true,
    model: "as synchronizer-alpha",
    summary: "mutant: α that starts the next pulse without waiting for its neighbours' SAFE (B-10.10)",
    build: |l, p| synchronizer(l, p, Synchronizer::AlphaEarly);

    id: "synchronizer-beta", abstraction: "synchronizer", params: ALPHA_PARAMS,
    model: "asynchronous reliable network, no failures, a BFS spanning tree from process 0",
    summary: "β (Awerbuch 1985): convergecast of safety to the root, which broadcasts the next pulse. Runs SynchBFS",
    build: |l, p| synchronizer(l, p, Synchronizer::Beta);

    id: "synchronizer-gamma", abstraction: "synchronizer", params: GAMMA_PARAMS,
    model: "asynchronous reliable network, no failures, clusters of radius k",
    summary: "γ (Awerbuch 1985): β inside clusters, α between neighbouring clusters over preferred edges. Runs SynchBFS",
    build: |l, p| synchronizer(l, p, Synchronizer::Gamma);
};

fn round_driven_clock(l: &Loaded, p: &Params) -> Result<Box<dyn Runnable>, InputError> {
    let (period, rounds, probe) = (p.int("period"), p.int("rounds"), p.int("probe"));
    if period == 0 || probe == 0 {
        return Err(l.error("params.period", "period and probe must be at least 1 tick"));
    }
    let m = &l.scenario.model;
    let rho = m.clocks.drift;
    let target = match p.float("target") {
        x if x > 0.0 => x,
        _ => m.delay.max as f64 + 2.0 * rho * period as f64 + 2.0 + rho * probe as f64,
    };
    job_with(
        l,
        p,
        move |_| RoundDrivenClock::new(period, rounds, probe),
        no_request,
        BTreeMap::from([("skew_max".to_string(), target)]),
        vec![Box::new(RoundClockSkew::new(
            RoundDrivenClock::NAME,
            target,
        ))],
    )
}

fn graph(l: &Loaded, p: &Params) -> Result<Graph, InputError> {
    let n = l.scenario.processes;
    match p.str("topology") {
        "grid" => {
            let w = match p.int("width") as usize {
                0 => (n as f64).sqrt().floor() as usize,
                w => w,
            };
            if w == 0 || !n.is_multiple_of(w) {
                return Err(l.error(
                    "params.width",
                    format!("a grid of width {w} cannot hold {n} processes: n must be a multiple of the width"),
                ));
            }
            Ok(Graph::grid(w, n / w))
        }
        "path" => Ok(Graph::path(n)),
        "random" => Ok(Graph::random(n, p.float("p"), p.int("graph_seed"))),
        other => Err(l.error(
            "params.topology",
            format!("topology is \"grid\", \"path\" or \"random\", not \"{other}\""),
        )),
    }
}

fn synchronizer(
    l: &Loaded,
    p: &Params,
    kind: Synchronizer,
) -> Result<Box<dyn Runnable>, InputError> {
    let g = Arc::new(graph(l, p)?);
    let tree = g.bfs_tree(0);
    let pulses = match p.int("pulses") {
        0 => tree.height() + 1,
        r => r,
    };
    let (n, e) = (g.n() as f64, g.edges() as f64);
    // SynchBFS: a process at distance d < R sends to all its neighbours in pulse d.
    let msgs: f64 = (0..g.n())
        .filter(|&v| tree.depth[v] < pulses)
        .map(|v| g.neighbours(v).len() as f64)
        .sum::<f64>()
        / pulses as f64;
    let delta = l.scenario.model.delay.max as f64;
    // Only γ declares the cluster radius k; α and β need no clusters (radius 0: singletons).
    let k = match kind {
        Synchronizer::Gamma => p.int("k"),
        _ => 0,
    };
    let clusters = g.clusters(k);
    let (control, time) = match kind {
        Synchronizer::Alpha | Synchronizer::AlphaEarly => (2.0 * e, 3.0 * delta),
        Synchronizer::Beta => (2.0 * (n - 1.0), (2.0 * tree.height() as f64 + 2.0) * delta),
        Synchronizer::Gamma => (
            4.0 * (n - clusters.count() as f64) + 2.0 * clusters.preferred_edges() as f64,
            (4.0 * clusters.height() as f64 + 3.0) * delta,
        ),
    };
    let predicted = BTreeMap::from([
        ("overhead_messages_per_pulse".to_string(), control + msgs),
        ("algorithm_messages_per_pulse".to_string(), msgs),
        ("time_per_pulse".to_string(), time),
    ]);
    let bfs = move |g: &Graph, v: Pid| SynchBfs::new(v, 0, g.neighbours(v).to_vec(), pulses);
    fn run<R: Module>(
        l: &Loaded,
        p: &Params,
        f: impl Fn(Pid) -> R + Send + Sync + 'static,
        predicted: BTreeMap<String, f64>,
    ) -> Result<Box<dyn Runnable>, InputError> {
        job_predicting(l, p, f, no_request, predicted)
    }
    match kind {
        Synchronizer::Alpha => run(
            l,
            p,
            move |v| SynchronizerAlpha::new(bfs(&g, v), g.neighbours(v).to_vec()),
            predicted,
        ),
        Synchronizer::AlphaEarly => run(
            l,
            p,
            move |v| early_alpha(bfs(&g, v), g.neighbours(v).to_vec()),
            predicted,
        ),
        Synchronizer::Beta => run(
            l,
            p,
            move |v| SynchronizerBeta::new(bfs(&g, v), tree.parent[v], tree.children[v].clone()),
            predicted,
        ),
        Synchronizer::Gamma => run(
            l,
            p,
            move |v| {
                SynchronizerGamma::new(
                    bfs(&g, v),
                    clusters.tree.parent[v],
                    clusters.tree.children[v].clone(),
                    clusters.preferred[v].clone(),
                )
            },
            predicted,
        ),
    }
}
