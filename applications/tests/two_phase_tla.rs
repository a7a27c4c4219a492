//! TwoPhase as TLA+ writes it: the model checker's state graph is the specification's, so its
//! unique states are exactly the counts TLC and stateright report for 3, 5 and 7 resource
//! managers (288, 8,832, 296,448), `tc-consistent` holds on every path, and the mutant whose
//! TM commits before every RM prepared is caught under the same bounds. Random interleavings
//! (proptest) agree.

mod common;

use applications::monitors::TcConsistent;
use applications::two_phase_tla::{tla_network, TwoPhase};
use automata::sim::Sim;
use automata::{Monitor, Monitors, Setup};
use proptest::prelude::*;

/// `rms` resource managers and the TM (process 0).
fn setup(rms: usize, make: fn() -> TwoPhase) -> Setup<TwoPhase> {
    Setup::new(rms + 1, tla_network(), move |_| make())
}

fn consistent() -> Vec<Box<dyn Monitor>> {
    vec![Box::new(TcConsistent::new("tc"))]
}

/// Every path within a bound no run reaches (each RM and the TM move at most a few times).
fn check(rms: usize, make: fn() -> TwoPhase) -> common::Found {
    common::explore(setup(rms, make), consistent(), 400_000, 1_000)
}

#[test]
fn three_and_five_resource_managers_give_tlas_counts_and_the_mutant_is_caught() {
    assert_eq!(check(3, TwoPhase::default), (None, 288, true));
    assert_eq!(check(5, TwoPhase::default), (None, 8_832, true));
    let (violated, _, _) = check(3, || TwoPhase::default().commit_early());
    assert_eq!(violated, Some("tc-consistent"));
}

/// 296,448 states: the largest count pinned in the suite (a few seconds optimized).
#[test]
fn seven_resource_managers_give_tlas_count() {
    assert_eq!(check(7, TwoPhase::default), (None, 296_448, true));
}

proptest! {
    #![proptest_config(common::config(64, 0x2FC))]

    /// Any seed: a random interleaving of TwoPhase keeps TCConsistent, for 2 to 7 RMs.
    #[test]
    fn two_phase_is_consistent_under_random_schedules(rms in 2usize..8, seed in any::<u64>()) {
        let out = Sim::new(setup(rms, TwoPhase::default), Monitors::new(consistent()))
            .seed(seed)
            .max_time(50)
            .run();
        prop_assert!(out.verdict("tc-consistent").holds(), "{:?}", out.verdict("tc-consistent"));
    }
}

/// The simulator also catches the mutant, on some of a few seeds.
#[test]
fn the_simulator_catches_the_early_commit_on_some_seed() {
    let caught = (0..200u64).find(|&seed| {
        let out = Sim::new(
            setup(3, || TwoPhase::default().commit_early()),
            Monitors::new(consistent()),
        )
        .seed(seed)
        .max_time(50)
        .run();
        out.verdict("tc-consistent").is_violation()
    });
    assert!(caught.is_some(), "no seed of 200 commits beside an abort");
}
