//! Cristian (C.6), Berkeley (B-10.9) and Welch-Lynch (B-10.6) under random seeds.

use automata::model::{Adversary, Clocks, Delay};
use automata::sim::{draw_clocks, Sim};
use automata::{Monitor, Monitors, Setup, SystemModel};
use clocks::physical::{CristianBound, Monotonicity, Precision};
use clocks::sync::{
    Berkeley, BerkeleyParams, Cristian, CristianParams, WelchLynch, WelchLynchParams,
};
use proptest::prelude::*;

fn model(min: u64, max: u64, adversary: Adversary) -> SystemModel {
    SystemModel {
        delay: Delay {
            min,
            max,
            ..Delay::default()
        },
        adversary,
        clocks: Clocks {
            drift: 0.0,
            offset: 100,
        },
        ..SystemModel::default()
    }
}

fn monitors(eps: f64) -> Monitors {
    let ms: Vec<Box<dyn Monitor>> = vec![
        Box::new(Precision::new("cs", eps)),
        Box::new(Monotonicity::new("cs")),
        Box::new(CristianBound::new("cs")),
    ];
    Monitors::new(ms)
}

fn cristian(d_min: u64, max_rtt: u64) -> CristianParams {
    CristianParams {
        server: 0,
        period: 50,
        max_rtt,
        d_min,
        probe: 10,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// C.6: every attempt's true error is within RTT/2 − d_min, and clients adopting only
    /// round trips ≤ max_rtt are within max_rtt − 2·d_min of each other.
    #[test]
    fn cristian_error_is_within_half_rtt_minus_d_min(seed in 0u64..1000, n in 2usize..5) {
        let (d_min, d_max, max_rtt) = (2, 12, 16);
        let mut setup = Setup::new(n, model(d_min, d_max, Adversary::default()), move |_| Cristian::new(cristian(d_min, max_rtt)));
        setup.clocks = draw_clocks(n, 0.0, 100, seed);
        let o = Sim::new(setup, monitors((max_rtt - 2 * d_min) as f64)).seed(seed).max_time(3_000).run();
        prop_assert!(o.all_hold(), "{:?}", o.properties);
    }

    /// Berkeley keeps CS1 (target d_max − d_min) and CS4 under random delays and offsets.
    #[test]
    fn berkeley_holds_precision_and_monotonicity(seed in 0u64..1000, n in 2usize..6) {
        let p = BerkeleyParams { master: 0, period: 200, wait: 30, tolerance: 1_000, probe: 10 };
        let mut setup = Setup::new(n, model(2, 12, Adversary::default()), move |_| Berkeley::new(p));
        setup.clocks = draw_clocks(n, 0.0, 100, seed);
        let ms: Vec<Box<dyn Monitor>> = vec![Box::new(Precision::new("cs", 10.0)), Box::new(Monotonicity::new("cs"))];
        let o = Sim::new(setup, Monitors::new(ms)).seed(seed).max_time(2_000).run();
        prop_assert!(o.all_hold(), "{:?}", o.properties);
    }
}

/// C.6 attained: requests to the server take d_max, replies d_min: the error reaches the bound.
#[test]
fn cristian_bound_is_attained_with_asymmetric_delays() {
    let (d_min, d_max) = (2, 12);
    let adv = Adversary {
        fast_to: Some(1),
        slow_to: Some(0),
    };
    let mut setup = Setup::new(2, model(d_min, d_max, adv), move |_| {
        Cristian::new(cristian(d_min, 100))
    });
    setup.clocks = draw_clocks(2, 0.0, 100, 1);
    let o = Sim::new(setup, monitors(1e9)).max_time(1_000).run();
    assert!(o.all_hold(), "{:?}", o.properties);
    let rtt = (d_min + d_max) as f64;
    assert_eq!(o.metrics["cristian_error_max"], rtt / 2.0 - d_min as f64);
}

/// B-10.9: Berkeley stepping backward corrections violates CS4 (some clock is above average).
#[test]
fn stepping_berkeley_violates_monotonicity() {
    let p = BerkeleyParams {
        master: 0,
        period: 200,
        wait: 30,
        tolerance: 1_000,
        probe: 10,
    };
    let mut setup = Setup::new(4, model(2, 12, Adversary::default()), move |_| {
        Berkeley::new(p).stepping()
    });
    setup.clocks = draw_clocks(4, 0.0, 100, 3);
    let ms: Vec<Box<dyn Monitor>> = vec![Box::new(Monotonicity::new("cs"))];
    let o = Sim::new(setup, Monitors::new(ms)).max_time(1_000).run();
    let v = &o.property("monotonicity").unwrap().verdict;
    assert!(v.is_violation(), "{v:?}");
}

fn wl(f: usize) -> WelchLynchParams {
    WelchLynchParams {
        f,
        period: 400,
        wait: 150,
        d: 12,
        u: 10,
        warmup: 3,
        probe: 10,
    }
}

/// Welch-Lynch with N = 4, f = 1 (one two-faced process) converges to 2u; with N = 3, f = 1
/// (B-10.6) the two correct clocks keep their initial skew.
#[test]
fn welch_lynch_tolerates_f_of_3f_plus_1_but_not_of_3() {
    let eps = 2.0 * 10.0;
    let mk = |n: usize| {
        let mut s = Setup::new(n, model(2, 12, Adversary::default()), move |p| {
            if p == n - 1 {
                WelchLynch::two_faced(wl(1))
            } else {
                WelchLynch::new(wl(1))
            }
        });
        s.clocks = draw_clocks(n, 0.0, 100, 5);
        s.clocks[0].offset = 0;
        s.clocks[1].offset = 60;
        s
    };
    let ms = || -> Monitors {
        Monitors::new(vec![Box::new(Precision::new("cs", eps)) as Box<dyn Monitor>])
    };
    let o = Sim::new(mk(4), ms()).max_time(3_000).run();
    assert!(o.all_hold(), "N = 4: {:?} {:?}", o.properties, o.metrics);
    let o = Sim::new(mk(3), ms()).max_time(3_000).run();
    let v = &o.property("precision").unwrap().verdict;
    assert!(v.is_violation(), "N = 3: {v:?} {:?}", o.metrics);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// C.5 under random n, u, offsets and delays: Lundelius-Lynch never exceeds u(1 − 1/n).
    #[test]
    fn lundelius_lynch_stays_within_u_times_one_minus_one_over_n(
        seed in 0u64..1000, n in 2usize..7, d in 20u64..200, u_share in 0.0f64..1.0,
    ) {
        let u = ((d as f64 * u_share) as u64).max(1);
        let mut setup = Setup::new(n, model(d - u, d, Adversary::default()), move |_| {
            clocks::sync::LundeliusLynch::new(d, u, 13)
        });
        setup.clocks = draw_clocks(n, 0.0, 100, seed);
        let eps = u as f64 * (1.0 - 1.0 / n as f64);
        let ms: Vec<Box<dyn Monitor>> = vec![Box::new(Precision::new("cs", eps)), Box::new(Monotonicity::new("cs"))];
        let o = Sim::new(setup, Monitors::new(ms)).seed(seed).max_time(10 * d).run();
        prop_assert!(o.all_hold(), "{:?} {:?}", o.properties, o.metrics);
    }

    /// Welch-Lynch with N = 3f + 1 (f ≤ 1 two-faced processes, the highest ids) keeps the
    /// correct clocks within 2u once warmed up, whatever the initial offsets and delays.
    #[test]
    fn welch_lynch_holds_precision_with_n_at_least_3f_plus_1(
        seed in 0u64..1000, f in 0usize..2, extra in 0usize..2, byzantine in proptest::bool::ANY,
    ) {
        let n = 3 * f + 1 + extra;
        let faulty = if byzantine { f } else { 0 };
        let mut setup = Setup::new(n, model(2, 12, Adversary::default()), move |p| {
            if p >= n - faulty {
                WelchLynch::two_faced(wl(f))
            } else {
                WelchLynch::new(wl(f))
            }
        });
        setup.clocks = draw_clocks(n, 0.0, 100, seed);
        let ms: Vec<Box<dyn Monitor>> = vec![Box::new(Precision::new("cs", 20.0)), Box::new(Monotonicity::new("cs"))];
        let o = Sim::new(setup, Monitors::new(ms)).seed(seed).max_time(3_000).run();
        prop_assert!(o.all_hold(), "n = {n}, f = {f}, two-faced {faulty}: {:?} {:?}", o.properties, o.metrics);
    }
}

/// A Welch-Lynch configuration: `n` processes, the `f` highest two-faced (inside the trimming
/// window when `within`), drift up to `rho`, delays in [2, 12] (adversarial: every message to
/// 0 takes 2, to 1 takes 12), offsets up to 100, warm-up 3; `trim: false` is the mutant.
#[derive(Clone, Copy)]
struct Wl {
    n: usize,
    f: usize,
    rho: f64,
    within: bool,
    adversarial: bool,
    trim: bool,
}

/// One run of `c` with seed `seed`, judged at precision `eps`.
fn welch_lynch_run(c: Wl, seed: u64, eps: f64) -> automata::sim::Outcome {
    let Wl {
        n,
        f,
        rho,
        within,
        adversarial,
        trim,
    } = c;
    let adversary = if adversarial {
        Adversary {
            fast_to: Some(0),
            slow_to: Some(1),
        }
    } else {
        Adversary::default()
    };
    let mut m = model(2, 12, adversary);
    m.clocks.drift = rho;
    let p = wl(f);
    let mut setup = Setup::new(n, m, move |q| match (q >= n - f, within) {
        (true, false) => WelchLynch::two_faced(p),
        (true, true) => WelchLynch::two_faced_within(p),
        (false, _) if trim => WelchLynch::new(p),
        (false, _) => WelchLynch::new(p).without_trimming(),
    });
    setup.clocks = draw_clocks(n, rho, 100, seed);
    let ms: Vec<Box<dyn Monitor>> = vec![
        Box::new(Precision::new("cs", eps)),
        Box::new(Monotonicity::new("cs")),
    ];
    Sim::new(setup, Monitors::new(ms))
        .seed(seed)
        .max_time(8_000)
        .run()
}

/// The target the registry gives Welch-Lynch with `wl`'s parameters, drift `rho` and offsets
/// up to 100: γ + β₀/2^w of the module doc.
fn welch_lynch_target(f: usize, rho: f64) -> f64 {
    let p = wl(f);
    p.precision(rho, 100.0 + 2.0 * rho * p.period as f64 / (1.0 - rho))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Welch-Lynch with N ≥ 3f + 1 stays within its derived precision (γ + β₀/2^w,
    /// [`WelchLynchParams::precision`]) under drift up to 0.005, adversarial or random delays,
    /// and two-faced clocks lying far outside or inside the trimming window.
    #[test]
    fn welch_lynch_stays_within_its_derived_precision(
        seed in 0u64..1000, n in 4usize..8, rho in 0.0f64..0.005, within in proptest::bool::ANY,
        adversarial in proptest::bool::ANY,
    ) {
        let f = (n - 1) / 3;
        let eps = welch_lynch_target(f, rho);
        let c = Wl { n, f, rho, within, adversarial, trim: true };
        let o = welch_lynch_run(c, seed, eps);
        prop_assert!(o.all_hold(), "n = {n}, ρ = {rho}, within {within}, adversarial {adversarial}: {:?} {:?}", o.properties, o.metrics);
    }
}

/// The mutant that takes the midpoint of every estimate, without trimming, is dragged
/// hundreds of ticks by one lying clock: CS1 fails at the derived target (and so does the
/// algorithm at a target too tight for it: the catalogue's 2u, under adversarial delays).
#[test]
fn welch_lynch_without_trimming_or_with_a_too_tight_target_fails() {
    let eps = welch_lynch_target(1, 0.0);
    let c = Wl {
        n: 4,
        f: 1,
        rho: 0.0,
        within: false,
        adversarial: false,
        trim: false,
    };
    let o = welch_lynch_run(c, 1, eps);
    let v = &o.property("precision").unwrap().verdict;
    assert!(v.is_violation(), "{v:?}");
    let o = welch_lynch_run(Wl { trim: true, ..c }, 1, eps);
    assert!(o.all_hold(), "{:?}", o.properties);
    let too_tight = 2.0 * 10.0;
    let adversarial = Wl {
        trim: true,
        adversarial: true,
        ..c
    };
    let violated = (0..12)
        .filter(|&seed| {
            let o = welch_lynch_run(adversarial, seed, too_tight);
            o.property("precision").unwrap().verdict.is_violation()
        })
        .count();
    assert!(violated > 0, "2u held on every seed");
}

/// The measured worst skew against the derived target and the catalogue's 2u + 4ρP, printed
/// for the book (N = 4, f = 1, 12 seeds each, adversarial delays, far and in-window liars).
#[test]
fn welch_lynch_precision_table() {
    println!("| ρ | liar | worst skew | 2u + 4ρP | derived γ + β₀/2^w |");
    for rho in [0.0, 0.001, 0.005] {
        for within in [false, true] {
            let eps = welch_lynch_target(1, rho);
            let worst = (0..12)
                .map(|seed| {
                    let c = Wl {
                        n: 4,
                        f: 1,
                        rho,
                        within,
                        adversarial: true,
                        trim: true,
                    };
                    let o = welch_lynch_run(c, seed, eps);
                    assert!(o.all_hold(), "{:?}", o.properties);
                    o.metrics["skew_max"]
                })
                .fold(0.0, f64::max);
            let catalogue = 2.0 * 10.0 + 4.0 * rho * 400.0;
            let liar = if within { "within" } else { "far" };
            println!("| {rho} | {liar} | {worst:.2} | {catalogue:.1} | {eps:.1} |");
            assert!(worst <= eps);
        }
    }
}
