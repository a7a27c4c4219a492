//! Small model checks of Logged Majority Voting across a crash and recovery, and of the two
//! transformations, each paired with its mutant caught under the same bounds. Three processes
//! over the bare network (`FairLossLinks`: the retransmissions of stubborn or perfect links
//! would never let a path end). Safety only.
//!
//! Logged Majority Voting: exhaustive over the network of the ABD checks in
//! `model_checking.rs` (synchronous, each packet taking one or two ticks and any of them lost:
//! a lost packet stands for one still in flight when the path ends), in crash-recovery with
//! stable storage, one crash and recovery per plan.
//!
//! The transformations: NOT exhaustive over that network. Each of their operations is N operations
//! of the register below, so a phase puts nine packets in flight at once; with loss, or with delays
//! of one or two ticks, a write and two reads of From (1,N) Regular to (1,N) Atomic pass two
//! million states before depth 20, short of its mutant's violation (which takes at least 28
//! actions: each read needs two answers from each of three registers). They are checked instead,
//! exhaustively, against a restricted adversary: no loss, every packet takes exactly one tick
//! except on the channels a plan holds back (40 ticks more, past the end of the workload), and
//! every order of the deliveries within a tick (which decides every quorum). The plans hold back
//! every subset of the channels of each of the first two operations' processes during that
//! operation: delays an asynchronous network may impose, not all of them.

use automata::model::{Failures, Storage};
use automata::{Fault, Monitor, Pid, Setup, Time, Value};
use links::FairLossLinks;

mod common;
use common::{caught, holds_on_every_path, lockstep, write, Net};
use registers::monitors::{Linearizability, Ordering, RegularValidity};
use registers::{
    LoggedMajorityVoting, MajorityVoting, Msg, OneToManyWriters, ReadImposeWriteMajority,
    RegisterOp, RegularToAtomic,
};

/// `process` crashes right after its `k`-th send, and recovers at `at` (if it crashed).
fn crash_and_recover(process: Pid, k: u64, at: Time) -> Vec<Fault> {
    let crash = Fault::Crash {
        process,
        at: 0,
        after_sends: Some(k),
        drop_in_flight: false,
    };
    vec![crash, Fault::Recover { process, at }]
}

fn lonrr() -> Vec<Box<dyn Monitor>> {
    vec![Box::new(RegularValidity::new("lonrr"))]
}

/// Process 0 writes v at 1; process 2 reads at 8, after the write returned on every path
/// where it returns, and process 1 at 12, after that read returned.
fn logged_majority_voting(
    plan: Vec<Fault>,
    store_first: bool,
) -> Setup<LoggedMajorityVoting<Value, Net>> {
    let mut model = lockstep(2, true);
    model.failures = Failures::CrashRecovery;
    model.storage = Storage::Stable;
    Setup::new(3, model, move |_| {
        let lmv = LoggedMajorityVoting::over(Net::default(), Net::default());
        if store_first {
            lmv
        } else {
            lmv.acking_before_storing()
        }
    })
    .faults(plan)
    .request(1, 0, write("v"))
    .request(8, 2, RegisterOp::Read)
    .request(12, 1, RegisterOp::Read)
}

/// Logged Majority Voting keeps LONRR2 on every path of every plan: no crash; process 1
/// crashing right after its first send (its ACK, where the WRITE reaches it) and recovering
/// at 4; the writer crashing once its WRITE went to 0 and 1, recovering at 4 and finishing the
/// write. Acknowledging before storing breaks it under the same plans and bounds: 1's ACK
/// completes the write, 1 recovers without v, and a read of 2 that hears only from 1 and
/// itself misses v.
#[test]
fn logged_majority_voting_is_regular_across_recovery_and_acking_first_is_not() {
    let plans = [
        vec![],
        crash_and_recover(1, 1, 4),
        crash_and_recover(0, 2, 4),
    ];
    let lmv = |plan| logged_majority_voting(plan, true);
    let states = holds_on_every_path(lmv, &plans, lonrr, None);
    assert_eq!(states, PINNED_LOGGED, "pinned states");
    let mutant = |plan| logged_majority_voting(plan, false);
    assert!(caught(mutant, &plans, lonrr).contains(&"regular-validity"));
}

/// Every subset of the channels from `from` to `to`, held back 40 ticks for packets sent
/// during `[start, until)`.
fn held_back(from: Pid, to: &[Pid], start: Time, until: Time) -> Vec<Vec<Fault>> {
    (0..1usize << to.len())
        .map(|set| {
            to.iter()
                .enumerate()
                .filter(|(i, _)| set >> i & 1 == 1)
                .map(|(_, &q)| Fault::Delay {
                    from_process: from,
                    to_process: q,
                    extra: 40,
                    from: start,
                    until,
                })
                .collect()
        })
        .collect()
}

/// Every plan of `a` followed by every plan of `b`.
fn both(a: Vec<Vec<Fault>>, b: Vec<Vec<Fault>>) -> Vec<Vec<Fault>> {
    a.iter()
        .flat_map(|x| b.iter().map(move |y| [x.clone(), y.clone()].concat()))
        .collect()
}

type Stamped = (u64, Value);

type RegularBelow = MajorityVoting<Stamped, FairLossLinks<Msg<Stamped>>>;

fn atomic() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(Ordering::new("onar")),
        Box::new(Linearizability::new("onar")),
    ]
}

/// Process 0 writes v at 1; process 1 reads at 3, and process 2 at 8, after the first read
/// returned wherever it returns.
fn regular_to_atomic(
    plan: Vec<Fault>,
    write_back: bool,
) -> Setup<RegularToAtomic<Value, RegularBelow>> {
    Setup::new(3, lockstep(1, false), move |_| {
        let mv = MajorityVoting::over(Default::default(), Default::default());
        let r2a = RegularToAtomic::over(mv);
        if write_back {
            r2a
        } else {
            r2a.without_write_back()
        }
    })
    .faults(plan)
    .request(1, 0, write("v"))
    .request(3, 1, RegisterOp::Read)
    .request(8, 2, RegisterOp::Read)
}

/// From (1,N) Regular to (1,N) Atomic over Majority Voting keeps ordering and
/// linearizability on every path of every plan (the writer's WRITEs to any subset of the
/// processes held back, and the first reader's packets to any subset of the others); a read
/// that does not write back breaks ordering under the same plans and bounds.
#[test]
fn regular_to_atomic_is_atomic_on_every_path_and_without_write_back_is_not() {
    let plans = both(held_back(0, &[0, 1, 2], 0, 2), held_back(1, &[0, 2], 3, 8));
    let r2a = |plan| regular_to_atomic(plan, true);
    let states = holds_on_every_path(r2a, &plans, atomic, None);
    assert_eq!(states, PINNED_REGULAR_TO_ATOMIC, "pinned states");
    let mutant = |plan| regular_to_atomic(plan, false);
    assert!(caught(mutant, &plans, atomic).contains(&"ordering"));
}

type Ranked = ((u64, Pid), Value);

type AtomicBelow = ReadImposeWriteMajority<Ranked, FairLossLinks<Msg<Ranked>>>;

fn linearizable() -> Vec<Box<dyn Monitor>> {
    vec![Box::new(Linearizability::new("nnar"))]
}

/// Process 1 writes a at 1; process 0, which never wrote, writes b at 8, after a's write
/// returned wherever it returns; process 2 reads at 15, likewise after b's.
fn one_to_many_writers(
    plan: Vec<Fault>,
    consult: bool,
) -> Setup<OneToManyWriters<Value, AtomicBelow>> {
    Setup::new(3, lockstep(1, false), move |_| {
        let abd = ReadImposeWriteMajority::over(Default::default(), Default::default());
        let o2m = OneToManyWriters::over(abd);
        if consult {
            o2m
        } else {
            o2m.without_consult()
        }
    })
    .faults(plan)
    .request(1, 1, write("a"))
    .request(8, 0, write("b"))
    .request(15, 2, RegisterOp::Read)
}

/// From (1,N) Atomic to (N,N) Atomic over Read-Impose Write-Majority keeps linearizability on
/// every path of every plan (the packets of a's writer to any subset of the others held back,
/// and then those of b's writer); a writer that does not consult the registers picks a
/// timestamp below a's and breaks it under the same plans and bounds.
#[test]
fn one_to_many_writers_is_linearizable_on_every_path_and_without_consult_is_not() {
    let plans = both(held_back(1, &[0, 2], 0, 8), held_back(0, &[1, 2], 8, 15));
    let o2m = |plan| one_to_many_writers(plan, true);
    let states = holds_on_every_path(o2m, &plans, linearizable, None);
    assert_eq!(states, PINNED_ONE_TO_MANY, "pinned states");
    let mutant = |plan| one_to_many_writers(plan, false);
    assert!(caught(mutant, &plans, linearizable).contains(&"linearizability"));
}

/// Unique states of the checks above, summed over the plans.
const PINNED_LOGGED: usize = 73427;
const PINNED_REGULAR_TO_ATOMIC: usize = 181607;
const PINNED_ONE_TO_MANY: usize = 63248;
