//! Lazy Probabilistic Broadcast (CGR 3.10-3.11): PB2 no duplication and PB3 no creation under
//! random plans and on every path of a tiny configuration; PB1 in cheap statistical form (the
//! stored copies repair what the first gossip lost: more processes get every message with
//! α > 0 than with α = 0, where nothing is stored and the repair finds nothing).

mod common;

use automata::check::{Explore, Search};
use automata::model::{Delay, Links, Timing};
use automata::sim::{Outcome, Sim};
use automata::{Fault, Monitor, Monitors, Setup, SystemModel, Time, Value};
use broadcast::monitors::{NoCreation, NoDuplication};
use broadcast::probabilistic::monitors::GossipStats;
use broadcast::probabilistic::{LazyParams, LazyProbabilisticBroadcast};
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

fn model(loss: f64, duplication: f64, max: Time) -> SystemModel {
    SystemModel {
        timing: Timing::Synchronous,
        delay: Delay {
            min: 1,
            max,
            tail: 0.0,
        },
        links: Links {
            loss,
            duplication,
            ..Links::default()
        },
        ..SystemModel::default()
    }
}

fn lazy(k: f64, rounds: u32, alpha: f64, timeout: Time) -> LazyProbabilisticBroadcast<Value> {
    LazyProbabilisticBroadcast::new(LazyParams {
        k,
        rounds,
        alpha,
        timeout,
    })
}

proptest! {
    #![proptest_config(proptest_config(0x4c50_4242))]

    /// PB2 and PB3 whatever the network loses or duplicates, whoever crashes, however many
    /// messages several senders broadcast, and whatever k, R, α and the timeout are.
    #[test]
    fn lazy_gossip_never_duplicates_nor_creates(
        n in 2..20usize,
        loss in 0.0..0.4f64,
        duplication in 0.0..0.2f64,
        k in 1.0..4.0f64,
        rounds in 1..4u32,
        alpha in 0.0..=1.0f64,
        timeout in 1..80 as Time,
        broadcasts in proptest::collection::vec((0..60 as Time, 0..3usize), 1..10),
        crashes in proptest::collection::vec((0..20usize, 0..80 as Time), 0..3),
        seed in any::<u64>(),
    ) {
        let faults: Vec<Fault> = crashes.into_iter().filter(|&(p, _)| p < n).map(|(p, at)| crash_at(p, at)).collect();
        let mut setup = Setup::new(n, model(loss, duplication, 10), move |_| lazy(k, rounds, alpha, timeout))
            .faults(faults);
        for (i, &(at, p)) in broadcasts.iter().enumerate() {
            setup = bcast(setup, at, p % n, &format!("m{i}"));
        }
        let max_time = setup.quiet_from() + 400;
        let out = Sim::new(setup, monitors()).seed(seed).max_time(max_time).settle(400).run();
        for name in ["no-duplication", "no-creation"] {
            prop_assert!(out.property(name).is_some_and(|p| p.verdict.holds()), "{name}: {:?}", out.properties);
        }
    }
}

/// Every schedule, every loss, every random choice (targets, fanout rounding, whether to
/// store) of three processes, where 0 broadcasts two messages with k = 1, R = 1 and α = 0.5:
/// no duplication and no creation on every path. The mutant that accepts a copy of a message
/// it already delivered is caught on the same configuration and depth.
#[test]
fn lazy_gossip_is_safe_on_every_path() {
    let check = |accept_old: bool| {
        let setup = bcast(
            bcast(
                Setup::new(3, model(0.5, 0.0, 2), move |_| {
                    let pb = lazy(1.0, 1, 0.5, 3);
                    if accept_old {
                        pb.accepting_old_copies()
                    } else {
                        pb
                    }
                }),
                1,
                0,
                "a",
            ),
            2,
            0,
            "b",
        );
        let ms: Vec<Box<dyn Monitor>> = vec![
            Box::new(NoDuplication::new("pb")),
            Box::new(NoCreation::new("pb")),
        ];
        Explore::new(setup, Monitors::new(ms)).run(Search::Bfs, 40, 1)
    };
    let r = check(false);
    assert!(
        r.counterexample.is_none(),
        "{:?}",
        r.counterexample.map(|c| c.trace)
    );
    assert_eq!(r.unique_states, PINNED_LAZY, "pinned state count changed");
    let ce = check(true).counterexample.expect("the mutant is caught");
    assert_eq!(ce.property, "no-duplication");
}

/// Unique states of the configuration above.
const PINNED_LAZY: usize = 1091;

/// 30 processes, 20% loss, k = 2, R = 2: process 0 broadcasts eight messages, 10 ticks apart.
fn stats(alpha: f64, seed: u64) -> Outcome {
    let mut setup = Setup::new(30, model(0.2, 0.0, 10), move |_| lazy(2.0, 2, alpha, 60));
    for i in 0..8 {
        setup = bcast(setup, 10 + 10 * i, 0, &format!("m{i}"));
    }
    Sim::new(setup, monitors())
        .seed(seed)
        .max_time(800)
        .settle(400)
        .run()
}

fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}

/// PB1 in small: without stored copies (α = 0) a message the first gossip missed stays missed;
/// with α = 0.5 the gaps are repaired, so the mean fraction of processes reached by a
/// broadcast rises by far more than three standard errors (only the last message, which no
/// later one reveals as missing, stays as the first gossip left it).
#[test]
fn stored_copies_repair_what_the_first_gossip_lost() {
    let measure = |alpha: f64| {
        let xs: Vec<f64> = (1..=40)
            .map(|seed| {
                let out = stats(alpha, seed);
                for name in ["no-duplication", "no-creation"] {
                    assert!(out.property(name).unwrap().verdict.holds(), "{name}");
                }
                out.metrics["delivered_fraction"]
            })
            .collect();
        mean_se(&xs)
    };
    let (none, se0) = measure(0.0);
    let (half, se1) = measure(0.5);
    assert!(
        half - none > 3.0 * (se0 + se1) && half - none > 0.05,
        "delivered fraction: α = 0: {none:.3} ± {se0:.3}, α = 0.5: {half:.3} ± {se1:.3}"
    );
}
