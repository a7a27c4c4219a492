//! Exhaustive checks of three-process broadcast configurations (CATALOGUE.md B-6.2, B-6.6 and
//! B-6.7 are "mc n=3" rows): the checker finds each counterexample on some interleaving, and
//! finds none for the correct algorithm, even when the adversary may crash a process at any
//! moment (`crashes(1)` with fault budget f = 1) or the fault plan crashes one mid-broadcast.
//! Every correct algorithm of the chapter's crash-stop part is here; the crash-recovery ones
//! are in `model_checking_recovery.rs`, the gossip ones in `probabilistic.rs` and
//! `lazy_gossip.rs`.
//!
//! The detector-based algorithms (Lazy RB, All-Ack, garbage collection of the causal past) run
//! over [`QuiescentP`], the P oracle that stops polling once it has reported the plan's crashes,
//! so that every path ends and agreement, a liveness property, is judged on every path.
//! Unique state counts are pinned (STYLE.md "pin what the checker finds"): a change in the
//! semantics of the world or an algorithm shows up as a number.
//!
//! The stacks run over the (lossless) network itself, `FairLossLinks`, rather than over
//! Retransmit Forever, whose endless retransmissions would never let a path quiesce; on a
//! reliable network the two give the same deliveries.

mod common;

use automata::check::Explore;
use automata::model::{Delay, Timing};
use automata::{Module, Setup, SystemModel, Value};
use broadcast::*;
use common::*;
use links::FairLossLinks;

/// Basic Broadcast over the network, carrying `P`.
type Beb<P> = BestEffortBroadcast<P, FairLossLinks<P>>;

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

/// Eager Reliable Broadcast keeps RB1-RB4 on every path, whichever process the adversary
/// crashes at whatever moment.
#[test]
fn eager_reliable_broadcast_holds_on_every_path() {
    let setup = one_broadcast(|_| eager());
    let r = check(Explore::new(setup, rb_monitors("rb")).crashes(1), 40);
    assert_none(&r);
    assert_eq!(r.unique_states, PINNED_EAGER, "pinned state count changed");
}

/// Unique states of Eager Reliable Broadcast, n = 3, one broadcast, one crash anywhere.
const PINNED_EAGER: usize = 37832;

/// Majority-Ack keeps URB1-URB4 on every path with one crash anywhere (N = 3 > 2f = 2).
#[test]
fn majority_ack_holds_on_every_path() {
    let setup = one_broadcast(|_| majority());
    let r = check(Explore::new(setup, urb_monitors("urb")).crashes(1), 40);
    assert_none(&r);
    assert_eq!(
        r.unique_states, PINNED_MAJORITY,
        "pinned state count changed"
    );
}

/// Unique states of Majority-Ack, n = 3, one broadcast, one crash anywhere.
const PINNED_MAJORITY: usize = 6756;

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
    let setup = one_broadcast(|_| NonRelayingRb::<Value, Beb<Unique<Value>>>::over(beb()))
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
        one_broadcast(|_| HastyFifoBroadcast::<Value, Beb<Sequenced<Value>>>::over(beb())),
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

    let setup = two_causal(|_| SenderOnlyCausal::<Value, Beb<Stamped<Value>>>::over(beb()));
    let ce = check(Explore::new(setup, crb_monitors("crb")), 30)
        .counterexample
        .expect("a counterexample");
    assert_eq!(ce.property, "causal-delivery");
}

/// Unique states of Waiting Causal Broadcast over Basic Broadcast, n = 3, two broadcasts.
const PINNED_WAITING: usize = 292;

/// Unique states of No-Waiting Causal Broadcast over Basic Broadcast, n = 3, two broadcasts.
const PINNED_NO_WAITING: usize = 319;

/// Basic Broadcast keeps BEB1-BEB3 on every path, whichever process the adversary crashes at
/// whatever moment (validity is owed to correct senders only).
#[test]
fn best_effort_broadcast_holds_on_every_path() {
    let setup = one_broadcast(|_| beb::<Value>());
    let r = check(Explore::new(setup, beb_monitors("beb")).crashes(1), 40);
    assert_none(&r);
    assert_eq!(r.unique_states, PINNED_BEB, "pinned state count changed");
}

/// Unique states of Basic Broadcast, n = 3, one broadcast, one crash anywhere.
const PINNED_BEB: usize = 49;

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
const PINNED_FIFO: usize = 296;

/// The crash plans of the detector-based checks: the sender crashes after one or two of its
/// three sends (mid-broadcast), or one of the others crashes at time 2 (while the message and
/// its relays are in flight). Each plan crashes exactly one process on every path, so
/// [`QuiescentP`] with `expect = 1` is P there and falls silent once it has reported it.
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
/// agreement is judged on each).
#[test]
fn lazy_reliable_broadcast_holds_on_every_path() {
    let mut states = 0;
    for plan in one_crash_plans() {
        let setup = one_broadcast(|_| {
            LazyReliableBroadcast::<Value, _, Beb<Unique<Value>>>::over(
                beb(),
                QuiescentP::new(5, 1),
            )
        })
        .faults(plan);
        let r = check(Explore::new(setup, rb_monitors("rb")), 60);
        assert_none(&r);
        states += r.unique_states;
    }
    assert_eq!(states, PINNED_LAZY_RB, "pinned state count changed");
}

/// Unique states of Lazy Reliable Broadcast over P, n = 3, one broadcast, summed over the
/// four crash plans.
const PINNED_LAZY_RB: usize = 105;

/// All-Ack over P keeps URB1-URB4 on every path of every plan above; the same algorithm with a
/// detector that never reports a crash blocks: its correct sender never delivers when another
/// process crashes before acknowledging (validity is lost on some path).
#[test]
fn all_ack_holds_on_every_path() {
    let mut states = 0;
    for plan in one_crash_plans() {
        let setup = one_broadcast(|_| {
            AllAckUrb::<Value, _, Beb<Unique<Value>>>::over(beb(), QuiescentP::new(5, 1))
        })
        .faults(plan);
        let r = check(Explore::new(setup, urb_monitors("urb")), 60);
        assert_none(&r);
        states += r.unique_states;
    }
    assert_eq!(states, PINNED_ALL_ACK, "pinned state count changed");

    let setup = one_broadcast(|_| {
        AllAckUrb::<Value, _, Beb<Unique<Value>>>::over(beb(), links::detectors::NeverDetect)
    })
    .faults(vec![crash_at(2, 1)]);
    let ce = check(Explore::new(setup, urb_monitors("urb")), 60)
        .counterexample
        .expect("a counterexample");
    assert_eq!(ce.property, "validity");
}

/// Unique states of All-Ack over P, n = 3, one broadcast, summed over the four crash plans.
const PINNED_ALL_ACK: usize = 2750;

/// No-Waiting Causal Broadcast with garbage collection keeps CRB1-CRB5 on every path of a
/// synchronous two-broadcast configuration: 0 broadcasts m1 at 1, 1 broadcasts m2 at 4, delays
/// in [1, 2], so on some paths m1 has left 1's past when m2 goes out (every acknowledgement
/// was in by then) and on others not. No crash, so P never has anything to report. (The
/// asynchronous configuration of the other causal checks, with its 24 packets of data and
/// acknowledgements in any order, is too large for the suite.)
#[test]
fn garbage_collecting_causal_broadcast_holds_on_every_path() {
    let model = SystemModel {
        delay: Delay {
            min: 1,
            max: 2,
            ..Delay::default()
        },
        ..model(Timing::Synchronous)
    };
    let setup = Setup::new(3, model, |_| {
        GcCausalBroadcast::<Value, _, Beb<CausalGc<Value>>>::over(beb(), QuiescentP::new(5, 0))
    });
    let setup = bcast(bcast(setup, 1, 0, "m1"), 4, 1, "m2");
    let r = check(Explore::new(setup, crb_monitors("crb")), 40);
    assert_none(&r);
    assert_eq!(r.unique_states, PINNED_GC, "pinned state count changed");
}

/// Unique states of the garbage-collecting causal broadcast over Basic Broadcast, n = 3, two
/// broadcasts, synchronous.
const PINNED_GC: usize = 37074;
