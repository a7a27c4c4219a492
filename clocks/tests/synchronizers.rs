//! Synchronizers α, β, γ (book §10.3.4, C.11, B-10.7, B-10.10): SynchBFS run through each
//! on grids, random graphs and paths over an asynchronous network. The BFS distances are the
//! graph's; SR1-SR3 hold (under random graphs and seeds, and on every schedule of a small
//! graph); the measured control messages equal the formulas computed from the graph, exactly;
//! the time per pulse is within the bounds. The early-pulse α mutant breaks lockstep (found by
//! the checker), and one crash blocks α (SR3).

use automata::check::{Explore, Search};
use automata::model::{Delay, Fault, Timing};
use automata::sim::{Outcome, Sim};
use automata::{Event, Module, Monitor, Monitors, Pid, Setup, SystemModel, Time, Value};
use clocks::rounds::monitors as sr;
use clocks::synchronizers::bfs::SynchBfs;
use clocks::synchronizers::cost::PulseCost;
use clocks::synchronizers::graph::Graph;
use clocks::synchronizers::mutants::{early_alpha, early_beta, early_gamma};
use clocks::synchronizers::{SynchronizerAlpha, SynchronizerBeta, SynchronizerGamma};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// δ: the largest message delay (asynchronous model without the unbounded tail).
const DELTA: Time = 4;

fn model() -> SystemModel {
    SystemModel {
        timing: Timing::Asynchronous,
        delay: Delay {
            min: 1,
            max: DELTA,
            tail: 0.0,
        },
        ..SystemModel::default()
    }
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Alpha,
    Beta,
    Gamma(u64),
}

fn bfs(g: &Graph, p: Pid, pulses: u64) -> SynchBfs {
    SynchBfs::new(p, 0, g.neighbours(p).to_vec(), pulses)
}

fn monitors() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(sr::RoundIntegrity::new("sr")),
        Box::new(sr::Lockstep::new("sr")),
        Box::new(PulseCost::new("sr")),
    ]
}

fn simulate<R: Module>(
    g: &Graph,
    factory: impl Fn(Pid) -> R + Send + Sync + 'static,
    faults: Vec<Fault>,
    seed: u64,
) -> Outcome {
    let setup = Setup::new(g.n(), model(), factory).faults(faults);
    Sim::new(setup, Monitors::new(monitors()))
        .seed(seed)
        .record(true)
        .max_time(20_000)
        .run()
}

fn run(g: &Graph, kind: Kind, pulses: u64, seed: u64) -> Outcome {
    let g = Arc::new(g.clone());
    match kind {
        Kind::Alpha => {
            let h = g.clone();
            simulate(
                &g,
                move |p| SynchronizerAlpha::new(bfs(&h, p, pulses), h.neighbours(p).to_vec()),
                vec![],
                seed,
            )
        }
        Kind::Beta => {
            let (h, t) = (g.clone(), g.bfs_tree(0));
            simulate(
                &g,
                move |p| {
                    SynchronizerBeta::new(bfs(&h, p, pulses), t.parent[p], t.children[p].clone())
                },
                vec![],
                seed,
            )
        }
        Kind::Gamma(k) => {
            let (h, c) = (g.clone(), g.clusters(k));
            simulate(
                &g,
                move |p| {
                    SynchronizerGamma::new(
                        bfs(&h, p, pulses),
                        c.tree.parent[p],
                        c.tree.children[p].clone(),
                        c.preferred[p].clone(),
                    )
                },
                vec![],
                seed,
            )
        }
    }
}

/// The cost the run measured: the `PulseCost` monitor's counts, read back from the trace.
struct Measured {
    overhead: BTreeMap<String, u64>,
    messages: u64,
    end: Time,
    dist: BTreeMap<Pid, i64>,
}

fn measure(out: &Outcome) -> Measured {
    let trace = out.trace.as_ref().unwrap();
    let mut m = PulseCost::new("sr");
    for e in trace {
        m.observe(e);
    }
    let dist = trace
        .iter()
        .filter_map(|e| match &e.event {
            Event::Decide {
                value: Value::Int(d),
            } => Some((e.process, *d)),
            _ => None,
        })
        .collect();
    Measured {
        overhead: m.overhead.clone(),
        messages: m.messages,
        end: m.end,
        dist,
    }
}

/// What the formulas say about SynchBFS from 0 for `pulses` pulses: the processes at distance
/// d ≤ pulses know d, and every process at distance d < pulses sends to all its neighbours in
/// pulse d (the algorithm messages).
fn bfs_expectations(g: &Graph, pulses: u64) -> (BTreeMap<Pid, i64>, u64) {
    let t = g.bfs_tree(0);
    let dist = (0..g.n())
        .filter(|&p| t.depth[p] <= pulses)
        .map(|p| (p, t.depth[p] as i64))
        .collect();
    let msgs = (0..g.n())
        .filter(|&p| t.depth[p] < pulses)
        .map(|p| g.neighbours(p).len() as u64)
        .sum();
    (dist, msgs)
}

fn count(m: &Measured, kind: &str) -> u64 {
    m.overhead.get(kind).copied().unwrap_or(0)
}

/// One row of the cost table, after checking it against the formulas.
fn check_costs(name: &str, g: &Graph, kind: Kind, pulses: u64, seed: u64) -> String {
    let out = run(g, kind, pulses, seed);
    assert!(out.all_hold(), "{name} {kind:?}: {:?}", out.properties);
    let m = measure(&out);
    let (dist, msgs) = bfs_expectations(g, pulses);
    assert_eq!(m.dist, dist, "{name} {kind:?}: BFS distances");
    assert_eq!(m.messages, msgs, "{name} {kind:?}: algorithm messages");
    assert_eq!(
        count(&m, "ack"),
        msgs,
        "{name} {kind:?}: one ACK per message"
    );
    let (n, e, r) = (g.n() as u64, g.edges() as u64, pulses);
    let (predicted, bound) = match kind {
        Kind::Alpha => {
            assert_eq!(
                count(&m, "safe"),
                2 * e * r,
                "{name} α SAFE = 2|E| per pulse"
            );
            (2 * e * r, 3 * DELTA * r)
        }
        Kind::Beta => {
            let h = g.bfs_tree(0).height();
            assert_eq!(count(&m, "subtree-safe"), (n - 1) * r);
            assert_eq!(count(&m, "go"), (n - 1) * r);
            (2 * (n - 1) * r, (2 * h + 2) * DELTA * r)
        }
        Kind::Gamma(k) => {
            let c = g.clusters(k);
            let (nc, pref, h) = (c.count() as u64, c.preferred_edges() as u64, c.height());
            let tree: u64 = ["subtree-safe", "cluster-safe", "ready", "go"]
                .iter()
                .map(|k| count(&m, k))
                .sum();
            assert_eq!(tree, 4 * (n - nc) * r, "{name} γ tree messages");
            assert_eq!(
                count(&m, "safe"),
                2 * pref * r,
                "{name} γ preferred-edge SAFE"
            );
            (4 * (n - nc) * r + 2 * pref * r, (4 * h + 3) * DELTA * r)
        }
    };
    let overhead: u64 = m.overhead.values().sum::<u64>() - count(&m, "ack");
    assert_eq!(overhead, predicted);
    assert!(
        m.end <= bound,
        "{name} {kind:?}: time {} > bound {bound}",
        m.end
    );
    format!(
        "| {name} | {kind:?} | {n} | {e} | {:.1} | {:.1} | {:.1} | {:.2} | {:.1} |",
        overhead as f64 / r as f64,
        msgs as f64 / r as f64,
        predicted as f64 / r as f64,
        m.end as f64 / r as f64,
        bound as f64 / r as f64,
    )
}

#[test]
fn measured_costs_equal_the_formulas() {
    let graphs = [
        ("grid 4x4", Graph::grid(4, 4), 8),
        ("random 16, p = 0.2", Graph::random(16, 0.2, 7), 6),
        ("path 8", Graph::path(8), 8),
    ];
    println!("| graph | synchronizer | n | E | overhead/pulse | ACKs/pulse | predicted overhead/pulse | time/pulse | time bound/pulse |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (name, g, pulses) in &graphs {
        for kind in [
            Kind::Alpha,
            Kind::Beta,
            Kind::Gamma(0),
            Kind::Gamma(1),
            Kind::Gamma(2),
            Kind::Gamma(16),
        ] {
            println!("{}", check_costs(name, g, kind, *pulses, 3));
        }
    }
}

#[test]
fn gamma_with_radius_zero_costs_what_alpha_costs() {
    let g = Graph::grid(3, 3);
    let c = g.clusters(0);
    assert_eq!(c.count(), g.n());
    assert_eq!(c.preferred_edges(), g.edges());
    let one = g.clusters(100);
    assert_eq!(one.count(), 1);
    assert_eq!(one.preferred_edges(), 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// SR1-SR3 and the exact message counts on random graphs, for every synchronizer.
    #[test]
    fn synchronizers_hold_on_random_graphs(n in 2usize..10, p in 0.0f64..0.5, gseed in 0u64..1000, seed in 0u64..1000, k in 0u64..3) {
        let g = Graph::random(n, p, gseed);
        for kind in [Kind::Alpha, Kind::Beta, Kind::Gamma(k)] {
            check_costs("random", &g, kind, 4, seed);
        }
    }
}

fn explore<R: Module>(
    g: &Graph,
    factory: impl Fn(Pid) -> R + Send + Sync + 'static,
) -> automata::check::Report<R> {
    let setup = Setup::new(g.n(), model(), factory);
    Explore::new(setup, Monitors::new(monitors())).run(Search::Bfs, 200, 1)
}

/// Every schedule of a 3-node path, two pulses: α, β and γ keep lockstep; on the same graph,
/// pulses and depth, each one's mutant that moves on without waiting (α for its neighbours'
/// SAFE, β and γ for their children's SUBTREE-SAFE) is caught (B-10.10).
#[test]
fn model_checking_on_a_path_of_three() {
    let g = Arc::new(Graph::path(3));
    let caught = |property: Option<&'static str>| {
        let property = property.expect("the early mutant is caught");
        assert!(
            ["round-integrity", "lockstep"].contains(&property),
            "{property}"
        );
    };
    for early in [false, true] {
        let h = g.clone();
        let r = explore(&g, move |p| {
            if early {
                early_alpha(bfs(&h, p, 2), h.neighbours(p).to_vec())
            } else {
                SynchronizerAlpha::new(bfs(&h, p, 2), h.neighbours(p).to_vec())
            }
        });
        if early {
            assert_eq!(r.counterexample.map(|c| c.property), Some("lockstep"));
        } else {
            assert!(r.counterexample.is_none(), "{r:?}");
            assert!(r.unique_states > 100, "{}", r.unique_states);
        }
        let (h, t) = (g.clone(), g.bfs_tree(0));
        let r = explore(&g, move |p| {
            let (alg, parent, children) = (bfs(&h, p, 2), t.parent[p], t.children[p].clone());
            if early {
                early_beta(alg, parent, children)
            } else {
                SynchronizerBeta::new(alg, parent, children)
            }
        });
        if early {
            caught(r.counterexample.map(|c| c.property));
        } else {
            assert!(r.counterexample.is_none(), "{r:?}");
        }
        let (h, c) = (g.clone(), g.clusters(1));
        let r = explore(&g, move |p| {
            let alg = bfs(&h, p, 2);
            let (parent, children) = (c.tree.parent[p], c.tree.children[p].clone());
            let preferred = c.preferred[p].clone();
            if early {
                early_gamma(alg, parent, children, preferred)
            } else {
                SynchronizerGamma::new(alg, parent, children, preferred)
            }
        });
        if early {
            caught(r.counterexample.map(|c| c.property));
        } else {
            assert!(r.counterexample.is_none(), "{r:?}");
        }
    }
}

/// B-10.7: one crashed node blocks α: its neighbours wait for its SAFE for ever (SR3).
#[test]
fn one_crash_blocks_alpha() {
    let g = Arc::new(Graph::path(4));
    let h = g.clone();
    let crash = Fault::Crash {
        process: 3,
        at: 0,
        after_sends: None,
        drop_in_flight: false,
    };
    let out = simulate(
        &g,
        move |p| SynchronizerAlpha::new(bfs(&h, p, 4), h.neighbours(p).to_vec()),
        vec![crash],
        1,
    );
    let progress = &out.property("progress").unwrap().verdict;
    assert!(progress.is_violation(), "{progress:?}");
    assert!(out.property("lockstep").unwrap().verdict.holds());
}
