//! Exhaustive checks of the three fail-stop registers (Read-One Write-All, Read-Impose
//! Write-All, Read-Impose Write-Consult-All) with three processes over the P oracle, each paired
//! with its mutant caught under the same bounds.
//!
//! The network is that of the ABD checks in `model_checking.rs`: the bare network
//! (`FairLossLinks`, since the endless retransmissions of perfect links would never let a path
//! end), synchronous, each packet taking one or two ticks (so a later packet may overtake an
//! earlier one) and any of them lost, with every interleaving of the packets in flight. These
//! algorithms read no clock, so a lost packet stands for one still in flight when the path
//! ends, and every path is a prefix of a run over perfect links. Safety only: an operation
//! whose packet was lost never returns, and is concurrent with all that follows.
//!
//! P is the environment's oracle polling every tick, made quiescent once it has detected the
//! plan's crashes so that every path ends. Each algorithm runs under three crash plans: none;
//! a process crashing during the first write and losing what it had in flight, so that an
//! operation returns only once P has detected it; and a writer crashing once its WRITE went to
//! two processes only, so that the write stays partial and the readers (which wait for every
//! process P has not detected) must keep it consistent.

use automata::oracle::{EventuallyPerfectOracle, PerfectOracle};
use automata::{Fault, Monitor, Pid, Setup, Time, Value};
use links::detectors::{AnyPerfect, SuspicionsAsCrashes};

mod common;
use common::{caught, explore, holds_on_every_path, lockstep, write, Net};
use registers::monitors::{Linearizability, Ordering, RegularValidity};
use registers::{ReadImposeWriteAll, ReadImposeWriteConsultAll, ReadOneWriteAll, RegisterOp};

/// The detectors' polling period, in ticks.
const POLL: Time = 1;

/// `process` crashes at `at`, and its packets still in flight are lost.
fn crash(process: Pid, at: Time) -> Fault {
    Fault::Crash {
        process,
        at,
        after_sends: None,
        drop_in_flight: true,
    }
}

/// `process` crashes right after its `k`-th send; what it sent still arrives.
fn crash_after_sends(process: Pid, k: u64) -> Fault {
    Fault::Crash {
        process,
        at: 0,
        after_sends: Some(k),
        drop_in_flight: false,
    }
}

/// The P oracle, silent once it has detected the plan's crashes.
fn p(plan: &[Fault]) -> AnyPerfect {
    let crashes = plan
        .iter()
        .filter(|f| matches!(f, Fault::Crash { .. }))
        .count();
    AnyPerfect::Oracle(PerfectOracle::new(POLL).quiescent_after(crashes))
}

/// No crash; process 2 crashing at 2 during the first write; the writer 0 crashing once its
/// WRITE reached 0 and 1.
fn one_writer_plans() -> Vec<Vec<Fault>> {
    vec![vec![], vec![crash(2, 2)], vec![crash_after_sends(0, 2)]]
}

fn regular() -> Vec<Box<dyn Monitor>> {
    vec![Box::new(RegularValidity::new("onrr"))]
}

/// Process 0 writes v at 1 and w at 3 (once v returned); process 2 reads at 2 and at 6,
/// process 1 at 4.
fn read_one_write_all(
    plan: Vec<Fault>,
    d: AnyPerfect,
) -> Setup<ReadOneWriteAll<Value, AnyPerfect, Net>> {
    Setup::new(3, lockstep(2, true), move |_| {
        ReadOneWriteAll::over(Net::default(), Net::default(), d.clone())
    })
    .faults(plan)
    .request(1, 0, write("v"))
    .request(2, 2, RegisterOp::Read)
    .request(3, 0, write("w"))
    .request(4, 1, RegisterOp::Read)
    .request(6, 2, RegisterOp::Read)
}

/// ◇P polls for ever, so its runs end only at a horizon; the P runs get the same one.
const HORIZON: Time = 20;

/// Read-One Write-All keeps ONRR2 on every path of every plan. It has no mutant switch: its
/// mutant is the too-weak model of CGR's remark, ◇P in place of P (the catalogue's
/// `model.detector = "eventually-perfect"`) with one scripted mistake, 0 suspecting 1 from 1
/// to 5: the writer stops waiting for 1, and 1 reads the old value after the write returned.
#[test]
fn read_one_write_all_is_regular_on_every_path_and_over_eventually_perfect_is_not() {
    let plans = one_writer_plans();
    let rowa = |plan: Vec<Fault>| read_one_write_all(plan.clone(), p(&plan));
    let states = holds_on_every_path(rowa, &plans, regular, Some(HORIZON));
    assert_eq!(states, PINNED_READ_ONE_WRITE_ALL, "pinned states");
    let unbounded = holds_on_every_path(rowa, &plans, regular, None);
    assert_eq!(unbounded, states, "the horizon cut a P run short");
    let mistake = Fault::Suspect {
        process: 1,
        by: 0,
        from: 1,
        until: 5,
    };
    let ep =
        AnyPerfect::EventuallyPerfect(SuspicionsAsCrashes::new(EventuallyPerfectOracle::new(POLL)));
    let (violated, states, _) = explore(
        read_one_write_all(vec![mistake], ep),
        regular(),
        Some(HORIZON),
    );
    assert_eq!(
        violated,
        Some("regular-validity"),
        "◇P in place of P under the same bounds ({states} states)"
    );
}

fn atomic() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(Ordering::new("onar")),
        Box::new(Linearizability::new("onar")),
    ]
}

/// Process 0 writes v at 1; process 1 reads at 2 and process 2 at 4, both concurrently with
/// the write on some paths, and with each other.
fn read_impose_write_all(
    plan: Vec<Fault>,
    impose: bool,
) -> Setup<ReadImposeWriteAll<Value, AnyPerfect, Net>> {
    let d = p(&plan);
    Setup::new(3, lockstep(2, true), move |_| {
        let riwa = ReadImposeWriteAll::over(Net::default(), Net::default(), d.clone());
        if impose {
            riwa
        } else {
            riwa.without_impose()
        }
    })
    .faults(plan)
    .request(1, 0, write("v"))
    .request(2, 1, RegisterOp::Read)
    .request(4, 2, RegisterOp::Read)
}

/// Read-Impose Write-All keeps ordering and linearizability on every path of every plan; a
/// read that returns its local value without imposing it breaks ordering under the same plans
/// and bounds.
#[test]
fn read_impose_write_all_is_atomic_on_every_path_and_without_impose_is_not() {
    let plans = one_writer_plans();
    let riwa = |plan| read_impose_write_all(plan, true);
    let states = holds_on_every_path(riwa, &plans, atomic, None);
    assert_eq!(states, PINNED_READ_IMPOSE_WRITE_ALL, "pinned states");
    let mutant = |plan| read_impose_write_all(plan, false);
    assert!(caught(mutant, &plans, atomic).contains(&"ordering"));
}

fn linearizable() -> Vec<Box<dyn Monitor>> {
    vec![Box::new(Linearizability::new("nnar"))]
}

/// Processes 0 and 1 write a and b at 1, concurrently (both may pick timestamp 1); process 2
/// reads at 6, after both writes returned on every path where they return, and process 1 at
/// 11, after that read returned.
fn read_impose_write_consult_all(
    plan: Vec<Fault>,
    rank: bool,
) -> Setup<ReadImposeWriteConsultAll<Value, AnyPerfect, Net>> {
    let d = p(&plan);
    Setup::new(3, lockstep(2, true), move |_| {
        let riwca = ReadImposeWriteConsultAll::over(Net::default(), Net::default(), d.clone());
        if rank {
            riwca
        } else {
            riwca.without_rank()
        }
    })
    .faults(plan)
    .request(1, 0, write("a"))
    .request(1, 1, write("b"))
    .request(6, 2, RegisterOp::Read)
    .request(11, 1, RegisterOp::Read)
}

/// Read-Impose Write-Consult-All keeps linearizability on every path of every plan (no crash;
/// writer 1 crashing once b reached 0 and 1; writer 0 crashing at 2, losing what it had in
/// flight); ordering timestamps without the writers' ranks breaks it under the same plans and
/// bounds.
#[test]
fn read_impose_write_consult_all_is_linearizable_on_every_path_and_without_rank_is_not() {
    let plans = vec![vec![], vec![crash_after_sends(1, 2)], vec![crash(0, 2)]];
    let riwca = |plan| read_impose_write_consult_all(plan, true);
    let states = holds_on_every_path(riwca, &plans, linearizable, None);
    assert_eq!(
        states, PINNED_READ_IMPOSE_WRITE_CONSULT_ALL,
        "pinned states"
    );
    let mutant = |plan| read_impose_write_consult_all(plan, false);
    assert!(caught(mutant, &plans, linearizable).contains(&"linearizability"));
}

/// Unique states of the exhaustive checks above, summed over the plans.
const PINNED_READ_ONE_WRITE_ALL: usize = 12996;
const PINNED_READ_IMPOSE_WRITE_ALL: usize = 481323;
const PINNED_READ_IMPOSE_WRITE_CONSULT_ALL: usize = 114899;
