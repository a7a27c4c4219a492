//! Clock synchronization by averaging (book §10.2, C.5, B-10.4, B-10.5): the optimal precision
//! u(1 − 1/n) is never exceeded under random delays and is reached, within one tick, under the
//! adversarial delay pattern; the same bound is checked exhaustively for small n; free-running
//! clocks violate CS1.

use automata::check::{Explore, Search};
use automata::model::{Adversary, Clocks, Delay};
use automata::sim::{draw_clocks, Outcome, Sim};
use automata::{Monitor, Monitors, Setup, SystemModel};
use clocks::physical::{FreeRunning, Monotonicity, Precision};
use clocks::sync::LundeliusLynch;

const D: u64 = 200;

fn model(u: u64, adversarial: bool) -> SystemModel {
    SystemModel {
        delay: Delay {
            min: D - u,
            max: D,
            ..Delay::default()
        },
        adversary: if adversarial {
            Adversary {
                fast_to: Some(0),
                slow_to: Some(1),
            }
        } else {
            Adversary::default()
        },
        clocks: Clocks {
            drift: 0.0,
            offset: 50,
        },
        ..SystemModel::default()
    }
}

fn monitors(eps: f64) -> Monitors {
    let ms: Vec<Box<dyn Monitor>> = vec![
        Box::new(Precision::new("cs", eps)),
        Box::new(Monotonicity::new("cs")),
    ];
    Monitors::new(ms)
}

/// The C.5 bound.
fn bound(n: usize, u: u64) -> f64 {
    u as f64 * (1.0 - 1.0 / n as f64)
}

fn run_ll(n: usize, u: u64, adversarial: bool, seed: u64) -> Outcome {
    let mut setup = Setup::new(n, model(u, adversarial), move |_| {
        LundeliusLynch::new(D, u, 25)
    });
    setup.clocks = draw_clocks(n, 0.0, 50, seed);
    Sim::new(setup, monitors(bound(n, u)))
        .seed(seed)
        .max_time(2_000)
        .run()
}

/// C.5: for every n ∈ {2, 3, 5, 10} and u ∈ {1, 10, 100}, the worst skew after
/// synchronization never exceeds u(1 − 1/n) over random delays, and under the adversarial
/// pattern (every message to 0 takes d − u, to 1 takes d) it equals u(1 − 1/n) within a tick.
#[test]
fn averaging_precision_table_matches_u_times_one_minus_one_over_n() {
    println!(
        "{:>3} {:>4} {:>12} {:>12} {:>12}",
        "n", "u", "random", "adversarial", "u(1-1/n)"
    );
    for n in [2, 3, 5, 10] {
        for u in [1, 10, 100] {
            let b = bound(n, u);
            let mut random: f64 = 0.0;
            for seed in 0..20 {
                let o = run_ll(n, u, false, seed);
                assert!(o.all_hold(), "n={n} u={u} seed={seed}: {:?}", o.properties);
                random = random.max(o.metrics["skew_max"]);
            }
            let mut adversarial: f64 = f64::INFINITY;
            for seed in 0..3 {
                let o = run_ll(n, u, true, seed);
                assert!(o.all_hold(), "n={n} u={u} seed={seed}: {:?}", o.properties);
                adversarial = adversarial.min(o.metrics["skew_max"]);
                assert!(
                    (o.metrics["skew_max"] - b).abs() <= 1.0,
                    "n={n} u={u}: {} vs {b}",
                    o.metrics["skew_max"]
                );
            }
            println!("{n:>3} {u:>4} {random:>12.4} {adversarial:>12.4} {b:>12.4}");
            assert!(random <= b + 1e-9);
        }
    }
}

/// B-10.5: with the adversarial delays, a precision target below u(1 − 1/n) is violated and
/// u(1 − 1/n) itself holds, on every interleaving the model checker finds (n = 3, d = 3, u = 2).
#[test]
fn checker_confirms_the_bound_is_tight() {
    let (n, d, u) = (3, 3, 2);
    let m = SystemModel {
        delay: Delay {
            min: d - u,
            max: d,
            ..Delay::default()
        },
        adversary: Adversary {
            fast_to: Some(0),
            slow_to: Some(1),
        },
        ..SystemModel::default()
    };
    let setup = || {
        let mut s = Setup::new(n, m.clone(), move |_| LundeliusLynch::new(d, u, 0));
        s.clocks = draw_clocks(n, 0.0, 4, 7);
        s
    };
    let b = bound(n, u);
    let r = Explore::new(setup(), monitors(b)).run(Search::Bfs, 40, 1);
    assert!(r.counterexample.is_none(), "{r:?}");
    let r = Explore::new(setup(), monitors(b - 0.25)).run(Search::Bfs, 40, 1);
    assert_eq!(
        r.counterexample
            .expect("below the bound is violated")
            .property,
        "precision"
    );
}

/// B-10.4: without synchronization, clocks with drift ρ drift apart: CS1 with target ε fails,
/// and not before (ε − 1)/(2ρ) (two clocks separate at rate at most 2ρ; one tick of rounding).
#[test]
fn free_running_clocks_violate_precision() {
    let (rho, eps) = (0.001, 5.0);
    let mut setup = Setup::new(3, SystemModel::default(), |_| FreeRunning::new(10));
    setup.clocks = draw_clocks(3, rho, 0, 4);
    let o = Sim::new(setup, monitors(eps)).max_time(50_000).run();
    let p = o.property("precision").expect("monitored");
    let automata::Verdict::Violation(v) = &p.verdict else {
        panic!(
            "free-running clocks stayed within {eps}: {:?}",
            o.properties
        )
    };
    assert!(v.time as f64 >= (eps - 1.0) / (2.0 * rho), "{v:?}");
    assert!(o.property("monotonicity").unwrap().verdict.holds());
}

/// CS1 is promised once every live process has synchronized (Attiya and Welch's
/// ε-synchronized clocks: the algorithm terminates, and from then on the clocks are within ε).
/// Lundelius-Lynch sends its clock once; over a network that loses 60% of the packets a process
/// that misses one never synchronizes, and its clock stays where it started, tens of ticks from
/// the others. The monitor could not judge precision there: its verdict must say so
/// (inconclusive, naming the process), not report that precision holds.
#[test]
fn precision_is_inconclusive_when_a_process_never_synchronizes() {
    let n = 5;
    for seed in 0..5 {
        let mut m = model(10, false);
        m.links.loss = 0.6;
        let mut setup = Setup::new(n, m, move |_| LundeliusLynch::new(D, 10, 25));
        setup.clocks = draw_clocks(n, 0.0, 50, seed);
        let o = Sim::new(setup, monitors(bound(n, 10)))
            .seed(seed)
            .max_time(2_000)
            .run();
        let p = o.property("precision").expect("monitored");
        let automata::Verdict::Inconclusive { reason } = &p.verdict else {
            panic!("seed {seed}: expected inconclusive, got {:?}", p.verdict)
        };
        assert!(reason.contains("never synchronized"), "{reason}");
    }
}
