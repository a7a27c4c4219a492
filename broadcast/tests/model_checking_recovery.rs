//! Exhaustive checks of the crash-recovery broadcasts (stubborn, logged best-effort, logged
//! majority-ack) on three processes, one broadcast, one scripted crash and recovery: every
//! interleaving of deliveries, retransmissions, the crash and the recovery, to a depth bound.
//!
//! Stubborn links retransmit forever, so no path ever ends: the checker judges the safety
//! properties (no creation; no duplication for the logged ones) on every state it reaches,
//! and cannot judge liveness (that is the simulator's job, under random plans, in
//! `logged.rs` and `stubborn.rs`). The depth bound is what makes these checks finite, so each
//! check is paired with a broken variant that fails under the same configuration and the same
//! bound: a bound too shallow to reach the bug would pass the broken variant too, and prove
//! nothing. The crash comes right after the first deliveries and the recovery one tick later,
//! so that the volatile-`delivered` mutant of B-6.9 delivers again after 15 actions; the bound is 17.
//! Unique state counts are pinned.

mod common;

use automata::check::Explore;
use automata::model::{Delay, Failures, Storage, Timing};
use automata::{Fault, Module, Monitor, Monitors, Setup, SystemModel, Value};
use broadcast::monitors::{NoCreation, NoDuplication};
use broadcast::{ForgingBeb, LoggedBestEffortBroadcast, LoggedMajorityAckUrb, StubbornBroadcast};
use common::*;

/// Synchronous, delays in [1, 2], crash-recovery with `storage`.
fn model(storage: Storage) -> SystemModel {
    SystemModel {
        timing: Timing::Synchronous,
        delay: Delay {
            min: 1,
            max: 2,
            ..Delay::default()
        },
        failures: Failures::CrashRecovery,
        storage,
        ..SystemModel::default()
    }
}

/// Retransmission period of the stubborn links: a few deliveries between retransmissions.
const SL_PERIOD: automata::Time = 4;

/// The depth every check of this configuration explores to.
const DEPTH: usize = 17;

/// 0 broadcasts `m` at 1; 1 crashes at 3 (on some paths after it delivered `m`) and recovers
/// at 4.
fn setup<R: Module<Req = broadcast::Broadcast<Value>>>(
    storage: Storage,
    factory: impl Fn(usize) -> R + Send + Sync + 'static,
) -> Setup<R> {
    bcast(Setup::new(3, model(storage), factory), 1, 0, "m")
        .faults(vec![crash_at(1, 3), Fault::Recover { process: 1, at: 4 }])
}

fn safety(module: &str, dedup: bool) -> Monitors {
    let mut ms: Vec<Box<dyn Monitor>> = vec![Box::new(NoCreation::new(module))];
    if dedup {
        ms.push(Box::new(NoDuplication::new(module)));
    }
    Monitors::new(ms)
}

/// Basic Stubborn Broadcast never delivers what was not broadcast, on every path of up to 17 actions;
/// the same broadcast under a layer that names the wrong sender (the `ForgingBeb` mutant) is
/// caught by no-creation on the same configuration and bound.
#[test]
fn stubborn_broadcast_never_creates() {
    let r = check(
        Explore::new(
            setup(Storage::Stable, |_| {
                StubbornBroadcast::<Value>::new(SL_PERIOD)
            }),
            safety("sbeb", false),
        ),
        DEPTH,
    );
    assert_none(&r);
    assert_eq!(
        r.unique_states, PINNED_STUBBORN,
        "pinned state count changed"
    );
    let forging = setup(Storage::Stable, |_| {
        ForgingBeb::<Value, _>::over(StubbornBroadcast::<Value>::new(SL_PERIOD))
    });
    let ce = check(Explore::new(forging, safety("beb", false)), DEPTH)
        .counterexample
        .expect("the forging mutant is caught");
    assert_eq!(ce.property, "no-creation");
}

/// Unique states of stubborn broadcast, 17 actions.
const PINNED_STUBBORN: usize = 260;

/// Logged Basic Broadcast: no duplication across the crash and the recovery (the log is in
/// stable storage) and no creation, on every path of up to 17 actions. With volatile storage the
/// recovered process forgets its log and log-delivers `m` again, on the same configuration
/// and bound.
#[test]
fn logged_best_effort_broadcast_is_safe_on_every_path() {
    let lbeb = |storage| {
        let s = setup(storage, |_| {
            LoggedBestEffortBroadcast::<Value>::new(SL_PERIOD)
        });
        check(Explore::new(s, safety("lbeb", true)), DEPTH)
    };
    let r = lbeb(Storage::Stable);
    assert_none(&r);
    assert_eq!(
        r.unique_states, PINNED_LOGGED_BEB,
        "pinned state count changed"
    );
    let ce = lbeb(Storage::Volatile)
        .counterexample
        .expect("volatile storage delivers again");
    assert_eq!(ce.property, "no-duplication");
}

/// Unique states of Logged Basic Broadcast, 17 actions.
const PINNED_LOGGED_BEB: usize = 260;

/// Logged Majority-Ack: no duplication and no creation on every path of up to 17 actions; the B-6.9
/// mutant that keeps `delivered` volatile delivers `m` a second time after the recovery on the
/// same configuration and bound (its shortest such path has 15 actions).
#[test]
fn logged_majority_ack_is_safe_on_every_path() {
    let lurb = |volatile: bool| {
        let s = setup(Storage::Stable, move |_| {
            let u = LoggedMajorityAckUrb::<Value>::new(SL_PERIOD);
            if volatile {
                u.volatile_delivered()
            } else {
                u
            }
        });
        check(Explore::new(s, safety("lurb", true)), DEPTH)
    };
    let r = lurb(false);
    assert_none(&r);
    assert_eq!(
        r.unique_states, PINNED_LOGGED_MAJORITY,
        "pinned state count changed"
    );
    let ce = lurb(true)
        .counterexample
        .expect("the volatile mutant delivers again");
    assert_eq!(ce.property, "no-duplication");
}

/// Unique states of Logged Majority-Ack, 17 actions.
const PINNED_LOGGED_MAJORITY: usize = 88257;

/// B-6.9 by model checking, on the smallest configuration that shows it (two processes, so a
/// majority is both; every delay exactly 1; the links retransmit every 4 ticks): 0 broadcasts
/// m at 1; 1 crashes at 3, on some paths just after it delivered m, and recovers at 4. With
/// `delivered` in stable storage no path delivers m twice; with `delivered` volatile, the
/// recovered process gets m again from 0's retransmission and its own re-broadcast of what it
/// had pending, has a majority of acks again, and delivers m a second time.
#[test]
fn checker_finds_a_logged_majority_ack_that_does_not_log() {
    let model = SystemModel {
        delay: Delay {
            min: 1,
            max: 1,
            ..Delay::default()
        },
        ..model(Storage::Stable)
    };
    let b69 = |volatile: bool| {
        let setup = Setup::new(2, model.clone(), move |_| {
            let u = LoggedMajorityAckUrb::<Value>::new(4);
            if volatile {
                u.volatile_delivered()
            } else {
                u
            }
        });
        let setup = bcast(setup, 1, 0, "m")
            .faults(vec![crash_at(1, 3), Fault::Recover { process: 1, at: 4 }]);
        check(Explore::new(setup, safety("lurb", true)), 23)
    };
    let r = b69(false);
    assert_none(&r);
    assert_eq!(r.unique_states, PINNED_B69, "pinned state count changed");

    let ce = b69(true).counterexample.expect("a counterexample");
    assert_eq!(ce.property, "no-duplication");
    let twice = ce
        .trace
        .iter()
        .filter(|e| {
            e.process == 1
                && e.module == "lurb"
                && e.kind == automata::Kind::Indication
                && matches!(e.event, automata::Event::Deliver { .. })
        })
        .count();
    assert_eq!(twice, 2, "{:?}", ce.trace);
}

/// Unique states of Logged Majority-Ack in the B-6.9 configuration, paths of up to 23 actions.
const PINNED_B69: usize = 120;
