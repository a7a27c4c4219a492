//! Probabilistic broadcast: no duplication and no creation on every schedule and random plan;
//! the epidemic results (C.1, C.2, C.3) in cheap statistical form (the full tables are `ioa
//! sweep` runs, in the book and the closing notes); PB1 failing below the threshold (B-6.8).

mod common;

use automata::check::{Explore, Search};
use automata::model::{Delay, Timing};
use automata::sim::Sim;
use automata::{Fault, Module, Monitor, Monitors, Setup, SystemModel, Value};
use broadcast::monitors::{NoCreation, NoDuplication};
use broadcast::probabilistic::monitors::GossipStats;
use broadcast::probabilistic::{EagerProbabilisticBroadcast, Mode, PushGossip, RumorMongering};
use broadcast::Broadcast;
use common::*;
use proptest::prelude::*;

fn monitors() -> Monitors {
    let ms: Vec<Box<dyn Monitor>> = vec![
        Box::new(GossipStats::new("pb")),
        Box::new(NoDuplication::new("pb")),
        Box::new(NoCreation::new("pb")),
    ];
    Monitors::new(ms)
}

fn unit_delay() -> SystemModel {
    SystemModel {
        timing: Timing::Synchronous,
        delay: Delay {
            min: 1,
            max: 1,
            tail: 0.0,
        },
        ..SystemModel::default()
    }
}

/// One run of `n` processes, one broadcast by 0 at time 1, with `faults`.
fn once<R: Module<Req = Broadcast<Value>>>(
    n: usize,
    model: SystemModel,
    faults: Vec<Fault>,
    seed: u64,
    make: impl Fn() -> R + Send + Sync + 'static,
) -> automata::sim::Outcome {
    let setup = bcast(
        Setup::new(n, model, move |_| make()).faults(faults),
        1,
        0,
        "m",
    );
    Sim::new(setup, monitors())
        .seed(seed)
        .max_time(2_000)
        .settle(1_000)
        .run()
}

fn mean(xs: impl Iterator<Item = f64>) -> (f64, f64) {
    let xs: Vec<f64> = xs.collect();
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// PB2, PB3 for every gossip, any seed, lossy network, random crashes.
    #[test]
    fn gossip_never_duplicates_nor_creates(
        n in 2..30usize, loss in 0.0..0.3f64, seed in any::<u64>(), which in 0..4u8,
        crashes in proptest::collection::vec((0..30usize, 0..20u64), 0..3)
    ) {
        let m = SystemModel { links: automata::model::Links { loss, ..Default::default() }, ..unit_delay() };
        let f: Vec<Fault> = crashes.into_iter().filter(|&(p, _)| p < n).map(|(p, at)| crash_at(p, at)).collect();
        let out = match which {
            0 => once(n, m, f, seed, || EagerProbabilisticBroadcast::<Value>::new(Mode::InfectAndDie { fanout: 2.5 })),
            1 => once(n, m, f, seed, || EagerProbabilisticBroadcast::<Value>::new(Mode::Rounds { k: 2.0, rounds: 3 })),
            2 => once(n, m, f, seed, || RumorMongering::<Value>::new(3, 2)),
            _ => once(n, m, f, seed, || PushGossip::<Value>::new(10)),
        };
        for name in ["no-duplication", "no-creation"] {
            prop_assert!(out.property(name).is_some_and(|p| p.verdict.holds()), "{name}: {:?}", out.properties);
        }
    }
}

/// C.1 in small: infect-and-die with fanout ln n + c at n = 300, 300 seeds per c. The finite-n
/// bias is positive and shrinks with n (about +0.02 here), so the bar is max(3 SE, 0.06).
#[test]
fn infect_and_die_reaches_everyone_with_probability_exp_minus_exp_minus_c() {
    let n = 300usize;
    for c in [0.0f64, 2.0] {
        let fanout = (n as f64).ln() + c;
        let (m, se) = mean((1..=300).map(|seed| {
            once(n, unit_delay(), vec![], seed, move || {
                EagerProbabilisticBroadcast::<Value>::new(Mode::InfectAndDie { fanout })
            })
            .metrics["all_delivered"]
        }));
        let predicted = (-(-c).exp()).exp();
        assert!(
            (m - predicted).abs() <= (3.0 * se).max(0.06),
            "c = {c}: measured {m:.3} ± {se:.3}, predicted {predicted:.3}"
        );
    }
}

/// B-6.8: below the threshold (c = −1) most runs miss someone, so PB1 with ε = 0.01 fails
/// by far: the violation rate is near 1 − e^{−e} = 0.93.
#[test]
fn probabilistic_validity_fails_below_the_threshold() {
    let n = 300usize;
    let fanout = (n as f64).ln() - 1.0;
    let violations = (1..=100)
        .filter(|&seed| {
            let out = once(n, unit_delay(), vec![], seed, move || {
                EagerProbabilisticBroadcast::<Value>::new(Mode::InfectAndDie { fanout })
            });
            out.property("probabilistic-validity")
                .unwrap()
                .verdict
                .is_violation()
        })
        .count();
    assert!(
        violations > 80,
        "only {violations} of 100 runs missed someone"
    );
}

/// C.2 in small: push rumor mongering with k = 1 among 2000 processes leaves a residue within
/// 10% of the fixed point 0.2032.
#[test]
fn rumor_mongering_residue_matches_the_fixed_point() {
    let (m, _) = mean((1..=40).map(|seed| {
        once(2000, unit_delay(), vec![], seed, || {
            RumorMongering::<Value>::new(3, 1)
        })
        .metrics["residue"]
    }));
    assert!((m - 0.2032).abs() <= 0.1 * 0.2032, "residue {m:.4}");
}

/// C.3 in small: push rounds grow with n like log2 n + ln n: going from 100 to 1000 processes
/// adds about 5.63 rounds.
#[test]
fn push_rounds_grow_by_log2_10_plus_ln_10_per_decade() {
    let rounds = |n: usize| {
        mean((1..=100).map(|seed| {
            once(n, unit_delay(), vec![], seed, || {
                PushGossip::<Value>::new(60)
            })
            .metrics["rounds"]
        }))
        .0
    };
    let d = rounds(1000) - rounds(100);
    assert!((d - 5.63).abs() < 0.8, "T(1000) - T(100) = {d:.2}");
}

/// Every schedule, every random choice and every crash of one process (fault budget 1) of a
/// three-process infect-and-die gossip with fanout 1.5 keeps no duplication and no creation;
/// the mutant that delivers every copy it receives is caught on the same configuration and
/// depth (some path gossips the message to one process twice).
#[test]
fn gossip_is_safe_on_every_path() {
    let gossip = |every_copy: bool| {
        let setup = bcast(
            Setup::new(3, unit_delay(), move |_| {
                let pb =
                    EagerProbabilisticBroadcast::<Value>::new(Mode::InfectAndDie { fanout: 1.5 });
                if every_copy {
                    pb.delivering_every_copy()
                } else {
                    pb
                }
            })
            .fault_budget(1),
            1,
            0,
            "m",
        );
        let ms: Vec<Box<dyn Monitor>> = vec![
            Box::new(NoDuplication::new("pb")),
            Box::new(NoCreation::new("pb")),
        ];
        Explore::new(setup, Monitors::new(ms))
            .crashes(1)
            .run(Search::Bfs, 20, 1)
    };
    let r = gossip(false);
    assert!(r.counterexample.is_none());
    assert_eq!(r.unique_states, 255, "pinned state count changed");
    let ce = gossip(true).counterexample.expect("the mutant is caught");
    assert_eq!(ce.property, "no-duplication");
}

/// Push gossip and push rumor mongering, three processes, one broadcast: every schedule and
/// every random target keeps no duplication and no creation (rumor mongering with k = 2, so
/// losing interest is a coin the checker branches on, to a depth bound; push gossip for two
/// rounds, after which every path ends). Each one's mutant that delivers every copy it
/// receives is caught on the same configuration and depth.
#[test]
fn push_gossip_and_rumor_mongering_are_safe_on_every_path() {
    let safety = || -> Monitors {
        let ms: Vec<Box<dyn Monitor>> = vec![
            Box::new(NoDuplication::new("pb")),
            Box::new(NoCreation::new("pb")),
        ];
        Monitors::new(ms)
    };
    let push = |every_copy: bool| {
        let setup = bcast(
            Setup::new(3, unit_delay(), move |_| {
                let pb = PushGossip::<Value>::new(2);
                if every_copy {
                    pb.delivering_every_copy()
                } else {
                    pb
                }
            })
            .fault_budget(1),
            1,
            0,
            "m",
        );
        Explore::new(setup, safety())
            .crashes(1)
            .run(Search::Bfs, 30, 1)
    };
    let r = push(false);
    assert!(r.counterexample.is_none());
    assert_eq!(r.unique_states, PINNED_PUSH, "pinned state count changed");
    let ce = push(true).counterexample.expect("the mutant is caught");
    assert_eq!(ce.property, "no-duplication");

    let rumor = |every_copy: bool| {
        let setup = bcast(
            Setup::new(3, unit_delay(), move |_| {
                let pb = RumorMongering::<Value>::new(3, 2);
                if every_copy {
                    pb.delivering_every_copy()
                } else {
                    pb
                }
            }),
            1,
            0,
            "m",
        );
        Explore::new(setup, safety()).run(Search::Bfs, 29, 1)
    };
    let r = rumor(false);
    assert!(r.counterexample.is_none());
    assert_eq!(r.unique_states, PINNED_RUMOR, "pinned state count changed");
    let ce = rumor(true).counterexample.expect("the mutant is caught");
    assert_eq!(ce.property, "no-duplication");
}

/// Unique states of push gossip (n = 3, two rounds, one crash anywhere).
const PINNED_PUSH: usize = 427;
/// Unique states of rumor mongering (n = 3, k = 2, paths of up to 29 actions).
const PINNED_RUMOR: usize = 5864;
