//! Cristian, Berkeley and Welch-Lynch on every interleaving and every delay of a small
//! instance (delays in [d_min, d] = [1, 3], so u = 2, unless stated; one synchronization
//! round within the horizon). The checker lets every packet arrive at any time in its window
//! ([`Explore::every_delay`]); each test also shows a target just below the measured worst
//! case is violated, so the exploration does reach the bad delays.

use automata::check::{Explore, Report, Search};
use automata::model::Delay;
use automata::sim::draw_clocks;
use automata::world::Clock;
use automata::{Module, Monitor, Monitors, Setup, SystemModel, Time};
use clocks::physical::{CristianBound, Monotonicity, Precision};
use clocks::sync::{
    Berkeley, BerkeleyParams, Cristian, CristianParams, WelchLynch, WelchLynchParams,
};

const D_MIN: Time = 1;
const D: Time = 3;
const U: f64 = (D - D_MIN) as f64;

fn model() -> SystemModel {
    model_with(D_MIN, D)
}

fn model_with(min: Time, max: Time) -> SystemModel {
    SystemModel {
        delay: Delay {
            min,
            max,
            ..Delay::default()
        },
        ..SystemModel::default()
    }
}

/// Explores `setup` to `horizon` against precision `eps`, monotonicity and Cristian's bound.
fn explore<M: Module>(setup: &Setup<M>, eps: f64, horizon: Time) -> Report<M> {
    let ms: Vec<Box<dyn Monitor>> = vec![
        Box::new(Precision::new("cs", eps)),
        Box::new(Monotonicity::new("cs")),
        Box::new(CristianBound::new("cs")),
    ];
    Explore::new(setup.clone(), Monitors::new(ms))
        .horizon(horizon)
        .every_delay(true)
        .run(Search::Bfs, 200, 1)
}

fn violated<M: Module>(r: &Report<M>) -> Option<&str> {
    r.counterexample.as_ref().map(|c| c.property)
}

fn cristian(d_min: Time) -> Setup<Cristian> {
    let p = CristianParams {
        server: 0,
        period: 20,
        max_rtt: 2 * D,
        d_min,
        probe: 0,
    };
    let mut setup = Setup::new(3, model(), move |_| Cristian::new(p));
    setup.clocks = draw_clocks(3, 0.0, 6, 2);
    setup
}

/// A client's error is (request delay − reply delay)/2 ≤ u/2, within RTT/2 − d_min (C.6) on
/// every path; two clients end at most u apart, and that worst case is reached.
#[test]
fn cristian_on_every_interleaving_and_delay() {
    let r = explore(&cristian(D_MIN), U, 15);
    assert!(r.counterexample.is_none(), "{r:?}");
    assert!(r.unique_states > 100, "{r:?}");
    assert_eq!(
        violated(&explore(&cristian(D_MIN), U - 0.5, 15)),
        Some("precision")
    );
}

/// A client that assumes a larger minimum delay than the network's claims a tighter error
/// bound than it has: the C.6 monitor catches it.
#[test]
fn cristian_with_an_overstated_d_min_breaks_its_error_bound() {
    let r = explore(&cristian(D_MIN + 1), 2.0 * U, 15);
    assert_eq!(violated(&r), Some("cristian-error-bound"), "{r:?}");
}

/// The master's average, corrected by half the round trips, leaves the clocks at most u
/// apart on every path, and some path reaches u.
#[test]
fn berkeley_on_every_interleaving_and_delay() {
    let p = BerkeleyParams {
        master: 0,
        period: 30,
        wait: 2 * D + 1,
        tolerance: 100,
        probe: 0,
    };
    let mut setup = Setup::new(3, model(), move |_| Berkeley::new(p));
    setup.clocks = draw_clocks(3, 0.0, 6, 2);
    let r = explore(&setup, U, 25);
    assert!(r.counterexample.is_none(), "{r:?}");
    assert!(r.unique_states > 100, "{r:?}");
    assert_eq!(violated(&explore(&setup, U - 0.5, 25)), Some("precision"));
}

/// Welch-Lynch's inductive step (β = 4ε = 2u with ε = u/2 and no drift): N = 4, f = 1 with
/// a two-faced process, correct clocks 2u apart before the round, delays in [1, 2] (u = 1, so
/// the instance stays small). After the round every path has them within 2u; some path leaves
/// them 1.75 apart, so a 1.5 target is violated.
#[test]
fn welch_lynch_keeps_2u_on_every_interleaving_and_delay() {
    let p = WelchLynchParams {
        f: 1,
        period: 10,
        wait: 6,
        d: 2,
        u: 1,
        warmup: 0,
        probe: 0,
    };
    let mut setup = Setup::new(4, model_with(1, 2), move |q| {
        if q == 3 {
            WelchLynch::two_faced(p)
        } else {
            WelchLynch::new(p)
        }
    });
    setup.clocks = [2, 0, 0, 0]
        .into_iter()
        .map(|offset| Clock { rate: 1.0, offset })
        .collect();
    let r = explore(&setup, 2.0, 20);
    assert!(r.counterexample.is_none(), "{r:?}");
    assert!(r.unique_states > 1000, "{r:?}");
    assert_eq!(violated(&explore(&setup, 1.5, 20)), Some("precision"));
}
