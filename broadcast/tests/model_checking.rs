//! Exhaustive checks of three-process broadcast configurations (book §6.3, B-6.2; §6.5, B-6.6
//! and B-6.7): the checker finds each counterexample on some interleaving, and finds none for
//! the correct algorithm, even when the adversary may crash a process at any
//! moment (`crashes(1)` with fault budget f = 1) or the fault plan crashes one mid-broadcast.
//! Every correct algorithm of the chapter's crash-stop part is here; the crash-recovery ones
//! are in `model_checking_recovery.rs`, the gossip ones in `probabilistic.rs` and
//! `lazy_gossip.rs`.
//!
//! The detector-based algorithms (Lazy RB, All-Ack, garbage collection of the causal past) run
//! over the P oracle made quiescent (`PerfectOracle::quiescent_after`): it stops polling once it has reported the plan's crashes,
//! so that every path ends and agreement, a liveness property, is judged on every path.
//! Unique state counts are pinned: a change in the semantics of the world or an algorithm shows
//! up as a number.
//!
//! Every "holds on every path" check is paired with a broken variant that fails on the same
//! configurations, to the same depth: a configuration in which the bug the property exists for
//! cannot happen proves nothing. The adversary's crashes (`crashes(1)`) come between steps, so
//! they never split a broadcast and never lose what is in flight: under them alone a broadcast
//! that never relays, or one that is not uniform, passes. The crash-stop checks therefore also
//! run the fault plans that crash a process in the middle of a broadcast.
//!
//! The stacks run over the (lossless) network itself, `FairLossLinks`, rather than over
//! Retransmit Forever, whose endless retransmissions would never let a path quiesce; on a
//! reliable network the two give the same deliveries.

mod common;

use automata::check::Explore;
use automata::model::{Delay, Timing};
use automata::oracle::PerfectOracle;
use automata::{Module, Monitors, Setup, SystemModel, Value};
use broadcast::*;
use common::*;
use links::FairLossLinks;

/// Basic Broadcast over the network, carrying `P`.
type Beb<P> = BestEffortBroadcast<P, FairLossLinks<P>>;

/// The P oracle, polling every 5 ticks until it has detected `crashes` crashes.
fn quiescent_p(crashes: usize) -> PerfectOracle {
    PerfectOracle::new(5).quiescent_after(crashes)
}

fn beb<P: automata::Payload>() -> Beb<P> {
    BestEffortBroadcast::over(FairLossLinks::default())
}

fn eager() -> EagerReliableBroadcast<Value, Beb<Unique<Value>>> {
    EagerReliableBroadcast::over(beb())
}

fn majority() -> MajorityAckUrb<Value, Beb<Unique<Value>>> {
    MajorityAckUrb::over(beb())
}

/// Synchronous, delays in [1, 3], no loss (or `timing` as given).
fn model(timing: Timing) -> SystemModel {
    SystemModel {
        timing,
        delay: Delay {
            min: 1,
            max: 3,
            ..Delay::default()
        },
        ..SystemModel::default()
    }
}

/// Process 0 broadcasts `m` at time 1; the fault budget is f = 1 (what `crashes(1)` may use).
fn one_broadcast<R: Module<Req = Broadcast<Value>>>(
    factory: impl Fn(usize) -> R + Send + Sync + 'static,
) -> Setup<R> {
    bcast(
        Setup::new(3, model(Timing::Synchronous), factory).fault_budget(1),
        1,
        0,
        "m",
    )
}

/// The configurations of one broadcast by 0 with one crash: the adversary crashing any one
/// process at any moment, and each plan of [`one_crash_plans`] (the sender in the middle of
/// its broadcast, another process while the message is in flight).
fn one_crash<R: Module<Req = Broadcast<Value>>>(
    factory: impl Fn(usize) -> R + Clone + Send + Sync + 'static,
    monitors: impl Fn() -> Monitors,
) -> Vec<Explore<R>> {
    let mut all = vec![Explore::new(one_broadcast(factory.clone()), monitors()).crashes(1)];
    for plan in one_crash_plans() {
        all.push(Explore::new(
            one_broadcast(factory.clone()).faults(plan),
            monitors(),
        ));
    }
    all
}

/// Asserts that no property fails on any path of any of `explorations`, to `depth`; returns
/// the unique states, summed.
fn holds_on_all<R: Module>(explorations: Vec<Explore<R>>, depth: usize) -> usize {
    explorations
        .into_iter()
        .map(|e| {
            let r = check(e, depth);
            assert_none(&r);
            r.unique_states
        })
        .sum()
}

/// The properties that fail on some path of each of `explorations` (to `depth`), one per
/// configuration where one does.
fn caught<R: Module>(explorations: Vec<Explore<R>>, depth: usize) -> Vec<&'static str> {
    explorations
        .into_iter()
        .filter_map(|e| check(e, depth).counterexample.map(|c| c.property))
        .collect()
}

/// Eager Reliable Broadcast keeps RB1-RB4 on every path, whichever process the adversary
/// crashes at whatever moment, and when the sender crashes mid-broadcast; on the same
/// configurations the mutant that never relays loses RB4 agreement.
#[test]
fn eager_reliable_broadcast_holds_on_every_path() {
    let states = holds_on_all(one_crash(|_| eager(), || rb_monitors("rb")), 40);
    assert_eq!(states, PINNED_EAGER, "pinned state count changed");
    let relay =
        |_| EagerReliableBroadcast::<Value, Beb<Unique<Value>>>::over(beb()).without_relay();
    assert!(caught(one_crash(relay, || rb_monitors("rb")), 40).contains(&"agreement"));
}

/// Unique states of Eager Reliable Broadcast, n = 3, one broadcast, one crash anywhere or
/// per plan, summed.
const PINNED_EAGER: usize = 47502;

/// Majority-Ack keeps URB1-URB4 on every path with one crash anywhere or per plan (N = 3 >
/// 2f = 2), and on the B-6.2 schedule. On the same configurations Eager Reliable Broadcast,
/// which is Majority-Ack delivering on the first copy instead of a majority, loses URB4
/// uniform agreement (on B-6.2: with one crash every process that delivers relays in time).
#[test]
fn majority_ack_holds_on_every_path() {
    let configurations = |urb: fn(usize) -> MajorityAckUrb<Value, Beb<Unique<Value>>>| {
        let mut all = one_crash(urb, || urb_monitors("urb"));
        all.push(Explore::new(b62(one_broadcast(urb)), urb_monitors("urb")));
        all
    };
    let states = holds_on_all(configurations(|_| majority()), 40);
    assert_eq!(states, PINNED_MAJORITY, "pinned state count changed");
    let first_copy = |urb: fn(usize) -> EagerReliableBroadcast<Value, Beb<Unique<Value>>>| {
        let mut all = one_crash(urb, || urb_monitors("rb"));
        all.push(Explore::new(b62(one_broadcast(urb)), urb_monitors("rb")));
        all
    };
    assert_eq!(
        caught(first_copy(|_| eager()), 40),
        vec!["uniform-agreement"]
    );
}

/// Unique states of Majority-Ack, n = 3, one broadcast, one crash anywhere or per plan, and
/// B-6.2, summed.
const PINNED_MAJORITY: usize = 7809;

/// The B-6.2 schedule: 0 crashes after its second send, 1 after the first send of its relay
/// (losing what it had in flight).
fn b62<R: Module<Req = Broadcast<Value>>>(setup: Setup<R>) -> Setup<R> {
    setup.faults(vec![
        crash_after(0, 0, 2, false),
        crash_after(1, 0, 1, true),
    ])
}

/// B-6.2 by model checking: on some path Eager Reliable Broadcast breaks URB4 (1 delivers,
/// then crashes, and 2 never gets `m`) while RB4 holds on every path; Majority-Ack does not.
#[test]
fn checker_finds_eager_reliable_broadcast_not_uniform() {
    let r = check(
        Explore::new(b62(one_broadcast(|_| eager())), urb_monitors("rb")),
        40,
    );
    let ce = r.counterexample.expect("a counterexample");
    assert_eq!(ce.property, "uniform-agreement");

    let r = check(
        Explore::new(b62(one_broadcast(|_| eager())), rb_monitors("rb")),
        40,
    );
    assert_none(&r);

    let r = check(
        Explore::new(b62(one_broadcast(|_| majority())), urb_monitors("urb")),
        40,
    );
    assert_none(&r);
}

/// The mutant that never relays breaks RB4 when the sender crashes mid-broadcast.
#[test]
fn checker_finds_non_relaying_rb() {
    let setup = one_broadcast(|_| {
        EagerReliableBroadcast::<Value, Beb<Unique<Value>>>::over(beb()).without_relay()
    })
    .faults(vec![crash_after(0, 0, 2, false)]);
    let r = check(Explore::new(setup, rb_monitors("rb")), 40);
    let ce = r.counterexample.expect("a counterexample");
    assert_eq!(ce.property, "agreement");
}

/// The FIFO mutant that does not wait: two broadcasts by 0 overtake each other on some path
/// (here over Basic Broadcast, which is reliable enough without crashes, to keep the state
/// space small).
#[test]
fn checker_finds_hasty_fifo_broadcast() {
    let setup = bcast(
        one_broadcast(|_| {
            FifoReliableBroadcast::<Value, Beb<Sequenced<Value>>>::over(beb()).hasty()
        }),
        2,
        0,
        "m2",
    );
    let r = check(Explore::new(setup, frb_monitors("frb")), 40);
    let ce = r.counterexample.expect("a counterexample");
    assert_eq!(ce.property, "fifo-delivery");
}

/// B-6.6 and B-6.7 setting, asynchronous: 0 broadcasts m1 at 1, 1 broadcasts m2 at 2 (after
/// delivering m1 on some paths, before on others). No crashes, so Basic Broadcast below is as
/// good as reliable broadcast and the state space stays small.
fn two_causal<R: Module<Req = Broadcast<Value>>>(
    factory: impl Fn(usize) -> R + Send + Sync + 'static,
) -> Setup<R> {
    let setup = Setup::new(3, model(Timing::Asynchronous), factory);
    bcast(bcast(setup, 1, 0, "m1"), 2, 1, "m2")
}

/// B-6.6 by model checking: FIFO broadcast is not causal; on some path 2 delivers m2 before m1
/// although 1 delivered m1 before broadcasting m2.
#[test]
fn checker_finds_fifo_broadcast_not_causal() {
    let setup = two_causal(|_| FifoReliableBroadcast::<Value, Beb<Sequenced<Value>>>::over(beb()));
    let r = check(Explore::new(setup, crb_monitors("frb")), 30);
    let ce = r.counterexample.expect("a counterexample");
    assert_eq!(ce.property, "causal-delivery");
}

/// Both causal broadcasts keep CRB5 on every path of the same configuration; the mutant that
/// compares only the sender's entry does not (B-6.7).
#[test]
fn causal_broadcasts_hold_on_every_path() {
    let setup =
        two_causal(|_| NoWaitingCausalBroadcast::<Value, Beb<WithPast<Value>>>::over(beb()));
    let r = check(Explore::new(setup, crb_monitors("crb")), 30);
    assert_none(&r);
    assert_eq!(
        r.unique_states, PINNED_NO_WAITING,
        "pinned state count changed"
    );

    let setup = two_causal(|_| WaitingCausalBroadcast::<Value, Beb<Stamped<Value>>>::over(beb()));
    let r = check(Explore::new(setup, crb_monitors("crb")), 30);
    assert_none(&r);
    assert_eq!(
        r.unique_states, PINNED_WAITING,
        "pinned state count changed"
    );

    let setup = two_causal(|_| {
        WaitingCausalBroadcast::<Value, Beb<Stamped<Value>>>::over(beb()).comparing_sender_only()
    });
    let ce = check(Explore::new(setup, crb_monitors("crb")), 30)
        .counterexample
        .expect("a counterexample");
    assert_eq!(ce.property, "causal-delivery");
}

/// Unique states of Waiting Causal Broadcast over Basic Broadcast, n = 3, two broadcasts.
const PINNED_WAITING: usize = 273;

/// Unique states of No-Waiting Causal Broadcast over Basic Broadcast, n = 3, two broadcasts.
const PINNED_NO_WAITING: usize = 300;

/// Basic Broadcast keeps BEB1-BEB3 on every path, whichever process the adversary crashes at
/// whatever moment, or the plans crash (validity is owed to correct senders only); on the same
/// configurations the mutant that names the wrong sender loses BEB3 no creation.
#[test]
fn best_effort_broadcast_holds_on_every_path() {
    let states = holds_on_all(one_crash(|_| beb::<Value>(), || beb_monitors("beb")), 40);
    assert_eq!(states, PINNED_BEB, "pinned state count changed");
    let forging = |_| ForgingBeb::<Value, Beb<Value>>::over(beb());
    assert!(caught(one_crash(forging, || beb_monitors("beb")), 40).contains(&"no-creation"));
}

/// Unique states of Basic Broadcast, n = 3, one broadcast, one crash anywhere or per plan,
/// summed.
const PINNED_BEB: usize = 101;

/// Broadcast with Sequence Number keeps FRB1-FRB5 on every path of the configuration in which
/// the hasty mutant loses FIFO order (two broadcasts by 0, over Basic Broadcast).
#[test]
fn fifo_reliable_broadcast_holds_on_every_path() {
    let setup = bcast(
        one_broadcast(|_| FifoReliableBroadcast::<Value, Beb<Sequenced<Value>>>::over(beb())),
        2,
        0,
        "m2",
    );
    let r = check(Explore::new(setup, frb_monitors("frb")), 40);
    assert_none(&r);
    assert_eq!(r.unique_states, PINNED_FIFO, "pinned state count changed");
}

/// Unique states of Broadcast with Sequence Number over Basic Broadcast, two broadcasts.
const PINNED_FIFO: usize = 206;

/// The crash plans of the detector-based checks: the sender crashes after one or two of its
/// three sends (mid-broadcast), or one of the others crashes at time 2 (while the message and
/// its relays are in flight). Each plan crashes exactly one process on every path, so
/// The quiescent P oracle expecting one crash is P there and falls silent once it has reported it.
fn one_crash_plans() -> Vec<Vec<automata::Fault>> {
    vec![
        vec![crash_after(0, 0, 1, false)],
        vec![crash_after(0, 0, 2, false)],
        vec![crash_at(1, 2)],
        vec![crash_at(2, 2)],
    ]
}

/// Lazy Reliable Broadcast over P keeps RB1-RB4 on every path of every plan above (the relay
/// of a crashed sender's message happens once P reports the crash, and every path ends, so
/// agreement is judged on each). Over a detector that never reports the crash, nobody relays
/// the message a sender crashed in the middle of broadcasting: agreement fails on the same
/// plans.
#[test]
fn lazy_reliable_broadcast_holds_on_every_path() {
    let mut states = 0;
    for plan in one_crash_plans() {
        let setup = one_broadcast(|_| {
            LazyReliableBroadcast::<Value, _, Beb<Unique<Value>>>::over(beb(), quiescent_p(1))
        })
        .faults(plan);
        let r = check(Explore::new(setup, rb_monitors("rb")), 60);
        assert_none(&r);
        states += r.unique_states;
    }
    assert_eq!(states, PINNED_LAZY_RB, "pinned state count changed");
    let blind: Vec<_> = one_crash_plans()
        .into_iter()
        .map(|plan| {
            let setup = one_broadcast(|_| {
                LazyReliableBroadcast::<Value, _, Beb<Unique<Value>>>::over(
                    beb(),
                    links::detectors::NeverDetect,
                )
            })
            .faults(plan);
            Explore::new(setup, rb_monitors("rb"))
        })
        .collect();
    assert!(caught(blind, 60).contains(&"agreement"));
}

/// Unique states of Lazy Reliable Broadcast over P, n = 3, one broadcast, summed over the
/// four crash plans.
const PINNED_LAZY_RB: usize = 105;

/// All-Ack over P keeps URB1-URB4 on every path of every plan above; on the same plans the
/// same algorithm with a detector that never reports a crash blocks: its correct sender never
/// delivers when another process crashes before acknowledging (validity is lost).
#[test]
fn all_ack_holds_on_every_path() {
    let mut states = 0;
    for plan in one_crash_plans() {
        let setup = one_broadcast(|_| {
            AllAckUrb::<Value, _, Beb<Unique<Value>>>::over(beb(), quiescent_p(1))
        })
        .faults(plan);
        let r = check(Explore::new(setup, urb_monitors("urb")), 60);
        assert_none(&r);
        states += r.unique_states;
    }
    assert_eq!(states, PINNED_ALL_ACK, "pinned state count changed");

    let blind: Vec<_> = one_crash_plans()
        .into_iter()
        .map(|plan| {
            let setup = one_broadcast(|_| {
                AllAckUrb::<Value, _, Beb<Unique<Value>>>::over(
                    beb(),
                    links::detectors::NeverDetect,
                )
            })
            .faults(plan);
            Explore::new(setup, urb_monitors("urb"))
        })
        .collect();
    assert!(caught(blind, 60).contains(&"validity"));
}

/// Unique states of All-Ack over P, n = 3, one broadcast, summed over the four crash plans.
const PINNED_ALL_ACK: usize = 2106;

/// No-Waiting Causal Broadcast with garbage collection keeps CRB1-CRB5 on every path of a
/// synchronous two-process configuration in which the two broadcasts overlap: 0 broadcasts m1
/// at 1, 1 broadcasts m2 at 2, on some paths just after delivering m1, delays in [1, 2], so
/// m2 can reach 0 before 0's own copy of m1. m1 leaves 1's past only once 0 has acknowledged
/// it, so m2 carries it and 0 delivers m1 first. The mutant that trims m1 as soon as it is
/// delivered sends m2 without it, and 0 delivers m2 before m1 on the same configuration and
/// depth. No crash, so P never has anything to report. (Three processes, or an asynchronous
/// configuration, with their data and acknowledgements in any order, are too large for the
/// suite.)
#[test]
fn garbage_collecting_causal_broadcast_holds_on_every_path() {
    let gc = |trim: bool| {
        let model = SystemModel {
            delay: Delay {
                min: 1,
                max: 2,
                ..Delay::default()
            },
            ..model(Timing::Synchronous)
        };
        let setup = Setup::new(2, model, move |_| {
            let gc =
                GcCausalBroadcast::<Value, _, Beb<CausalGc<Value>>>::over(beb(), quiescent_p(0));
            if trim {
                gc.trimming_at_delivery()
            } else {
                gc
            }
        });
        let setup = bcast(bcast(setup, 1, 0, "m1"), 2, 1, "m2");
        check(Explore::new(setup, crb_monitors("crb")), 40)
    };
    let r = gc(false);
    assert_none(&r);
    assert_eq!(r.unique_states, PINNED_GC, "pinned state count changed");
    let ce = gc(true)
        .counterexample
        .expect("the trimming mutant is caught");
    assert_eq!(ce.property, "causal-delivery");
}

/// Unique states of the garbage-collecting causal broadcast over Basic Broadcast, n = 2, two
/// overlapping broadcasts, synchronous.
const PINNED_GC: usize = 4013;
