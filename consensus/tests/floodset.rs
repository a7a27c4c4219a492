//! FloodSet on the ideal lockstep runner (book §8.6, C.7; §10.3.2, B-8.8): the consensus
//! properties under random crash plans (crashes in the middle of a round's sends), the
//! decision after exactly t + 1 rounds, exhaustive checks for n = 3, t = 1 (every one-crash
//! plan) and n = 4, t = 2 (the two-crash chains that carry the smallest value), and the
//! one-round-short mutant caught by agreement at the same bounds. Each consensus monitor is
//! shown catching a broken variant.

use automata::rounds::{IdealRounds, RoundAlgorithm};
use automata::sim::Sim;
use automata::{Event, Monitors, Pid, Setup, Value};
use consensus::monitors::{self, Agreement, Integrity, Termination, UniformAgreement, Validity};
use consensus::mutants::ShortFloodSet;
use consensus::FloodSet;
use proptest::prelude::*;
use std::collections::BTreeSet;

mod common;
use common::{
    check_rounds, config, decisions, regular, round_plan, rounds_setup as setup, Checked,
    RoundCrash, LENGTH, START,
};

proptest! {
    #![proptest_config(config(0x464c_4f4f))]

    /// C1-C4 and UC4 under any plan of at most t crashes, each at any point of any round's
    /// sends; every process that decides does so at the end of round t + 1.
    #[test]
    fn floodset_is_uniform_consensus((n, t, values, crashes) in round_plan(), seed in 0u64..1000) {
        let vs = values.clone();
        let setup = setup(n, t, &crashes, move |p| FloodSet::new(Value::Int(vs[p]), t as u64));
        let out = Sim::new(setup, Monitors::new(monitors::all("sr")))
            .seed(seed)
            .record(true)
            .max_time(START + (t as u64 + 2) * LENGTH)
            .run();
        prop_assert!(out.all_hold(), "{:?}", out.properties);
        let end_of_round_t1 = START + (t as u64 + 1) * LENGTH;
        let ds = decisions(out.trace.as_ref().unwrap());
        prop_assert!(ds.iter().all(|(_, _, time)| *time == end_of_round_t1), "{ds:?}");
        // Without crashes the decision is the minimum of all initial values.
        if crashes.is_empty() {
            let min = *values.iter().min().unwrap();
            prop_assert_eq!(ds.len(), n);
            prop_assert!(ds.iter().all(|(_, v, _)| *v == Value::Int(min)));
        }
    }
}

/// Process p proposes p: process 0 alone holds the smallest value, which every decision is
/// unless a crash hides it.
fn initial(p: Pid) -> Value {
    Value::Int(p as i64)
}

/// FloodSet and the one-round-short mutant explored on every plan, each with the adversary
/// allowed `adversary` more crashes: asserts that FloodSet holds on every path of every plan
/// (no counterexample, search complete) and returns its unique states summed over the plans,
/// and the mutant's result on each plan.
fn floodset_and_short_mutant(
    n: usize,
    t: usize,
    plans: &[(Vec<RoundCrash>, usize)],
) -> (usize, Vec<Checked>) {
    let mut states = 0;
    let mut short = Vec::new();
    for (crashes, adversary) in plans {
        let good = setup(n, t, crashes, move |p| FloodSet::new(initial(p), t as u64));
        let r = check_rounds(good, *adversary, monitors::all("sr"));
        assert_eq!(r.violated, None, "n = {n}, t = {t}, {crashes:?}: {r:?}");
        assert!(
            r.complete,
            "n = {n}, t = {t}, {crashes:?}: not exhaustive: {r:?}"
        );
        states += r.unique_states;
        let bad = setup(n, t, crashes, move |p| {
            ShortFloodSet::new(initial(p), t as u64)
        });
        let r = check_rounds(bad, *adversary, monitors::all("sr"));
        // Where it finds nothing, the mutant's search must be exhaustive too.
        assert!(r.violated.is_some() || r.complete, "{crashes:?}: {r:?}");
        short.push(r);
    }
    (states, short)
}

/// What the checker finds against the short mutant on `crashes` under C1-C4 alone: agreement
/// among the correct processes fails too, not only uniform agreement (which the full set of
/// monitors reports first, at the second decision).
fn short_mutant_under_c1_c4(n: usize, t: usize, crashes: &[RoundCrash]) -> Checked {
    let bad = setup(n, t, crashes, move |p| {
        ShortFloodSet::new(initial(p), t as u64)
    });
    check_rounds(bad, 0, regular())
}

/// The plans on which the mutant is caught, with what the checker reports.
fn caught<'p>(
    plans: &'p [(Vec<RoundCrash>, usize)],
    short: &[Checked],
) -> Vec<(&'p [RoundCrash], &'static str, usize, usize)> {
    plans
        .iter()
        .zip(short)
        .filter_map(|((crashes, _), r)| {
            r.violated
                .map(|p| (&crashes[..], p, r.depth, r.unique_states))
        })
        .collect()
}

/// n = 3, t = 1: every one-crash plan (which process, which round, after how many of its two
/// sends), explored exhaustively, and the adversary free to crash any one process at any
/// moment (between steps). FloodSet holds on every schedule of every configuration; the
/// mutant that stops after t rounds violates agreement on exactly one plan, derived by hand:
/// process 0, alone holding the smallest value 0, crashes in round 1 (index 0) after its first
/// send, to process 1. Then 1 decides 0 and 2, which never heard of 0, decides 1. A crash of 1
/// or 2 cannot hide 0, which process 0 sends to everyone; a crash of 0 in round 2 comes after
/// the mutant's only round; and a crash before any send (`sends = 0`) falls at the tick that
/// starts the round, so that either nothing or everything is sent: all decide 1, or all 0. The
/// adversary's crashes never split a round's sends, so under it alone the mutant passes too.
#[test]
fn one_round_short_is_caught_by_the_checker_and_t_plus_one_rounds_are_not_n3_t1() {
    let (n, t) = (3, 1);
    let mut plans = Vec::new();
    for process in 0..n {
        for round in 0..=t as u64 {
            for sends in 0..n as u64 {
                let crash = RoundCrash {
                    process,
                    round,
                    sends,
                };
                plans.push((vec![crash], 0));
            }
        }
    }
    // No plan: the adversary crashes one process whenever it likes.
    plans.push((vec![], 1));
    let started = std::time::Instant::now();
    let (states, short) = floodset_and_short_mutant(n, t, &plans);
    let caught = caught(&plans, &short);
    eprintln!(
        "n = 3, t = 1: FloodSet holds on {} plans, {states} unique states in all; \
         short mutant caught (plan, property, depth, states): {caught:?}; {:?}",
        plans.len(),
        started.elapsed()
    );
    let expected = [RoundCrash {
        process: 0,
        round: 0,
        sends: 1,
    }];
    assert_eq!(
        caught.iter().map(|c| c.0).collect::<Vec<_>>(),
        vec![&expected[..]]
    );
    assert!(["agreement", "uniform-agreement"].contains(&caught[0].1));
    let c1_c4 = short_mutant_under_c1_c4(n, t, &expected);
    assert_eq!(c1_c4.violated, Some("agreement"), "{c1_c4:?}");
    eprintln!("  under C1-C4 alone: {c1_c4:?}");
    assert_eq!(states, PINNED_N3_T1, "pinned state count changed");
    assert_eq!((caught[0].2, caught[0].3), PINNED_SHORT_N3_T1);
}

/// n = 4, t = 2: the chains of crashes that carry the smallest value through the mutant's two
/// rounds, not every combination (four live processes without a crash alone take 200 000
/// states). Process 0, alone holding 0, crashes in round 1 (index 0) after one or two of its
/// three sends (to 1, then 2), and then nobody else crashes, or process 1, which has 0,
/// crashes in round 2 after 0 to 3 of its sends (to 0, then 2, then 3): 10 plans, no
/// adversary. FloodSet holds on every path of every plan; the mutant that stops after t = 2
/// rounds violates agreement on exactly one, derived by hand: 0 reaches only 1 in round 1,
/// and 1 passes it only to 2 in round 2 (sends = 2), so 2 decides 0 and 3 decides 1. With one
/// send 0 reaches nobody alive (all decide 1), with three everybody; with `sends = 0` the
/// crash falls at the tick that starts the round (nothing or everything is sent); and when 0
/// reaches 1 and 2 in round 1, 2 survives round 2 and passes it on.
#[test]
fn one_round_short_is_caught_by_the_checker_and_t_plus_one_rounds_are_not_n4_t2() {
    let (n, t) = (4, 2);
    let mut plans = Vec::new();
    for s0 in 1..=2 {
        let first = RoundCrash {
            process: 0,
            round: 0,
            sends: s0,
        };
        plans.push((vec![first], 0));
        for sends in 0..=3 {
            let second = RoundCrash {
                process: 1,
                round: 1,
                sends,
            };
            plans.push((vec![first, second], 0));
        }
    }
    let started = std::time::Instant::now();
    let (states, short) = floodset_and_short_mutant(n, t, &plans);
    let caught = caught(&plans, &short);
    eprintln!(
        "n = 4, t = 2: FloodSet holds on {} plans, {states} unique states in all; \
         short mutant caught (plan, property, depth, states): {caught:?}; {:?}",
        plans.len(),
        started.elapsed()
    );
    let expected = [
        RoundCrash {
            process: 0,
            round: 0,
            sends: 1,
        },
        RoundCrash {
            process: 1,
            round: 1,
            sends: 2,
        },
    ];
    assert_eq!(
        caught.iter().map(|c| c.0).collect::<Vec<_>>(),
        vec![&expected[..]]
    );
    assert!(["agreement", "uniform-agreement"].contains(&caught[0].1));
    let c1_c4 = short_mutant_under_c1_c4(n, t, &expected);
    assert_eq!(c1_c4.violated, Some("agreement"), "{c1_c4:?}");
    eprintln!("  under C1-C4 alone: {c1_c4:?}");
    assert_eq!(states, PINNED_N4_T2, "pinned state count changed");
    assert_eq!((caught[0].2, caught[0].3), PINNED_SHORT_N4_T2);
}

/// Unique states of FloodSet's exhaustive checks, summed over the plans; the short mutant's
/// counterexample (depth in actions, unique states when it was found).
const PINNED_N3_T1: usize = 6656;
const PINNED_SHORT_N3_T1: (usize, usize) = (11, 52);
const PINNED_N4_T2: usize = 118_802;
const PINNED_SHORT_N4_T2: (usize, usize) = (29, 6778);

// --- Each monitor catches a broken variant -------------------------------------------------

/// Lynch's original rule with a default: decide `v0` when `W` has several values. With a
/// default nobody proposed, validity fails.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct DefaultFloodSet(FloodSet<Value>);

impl RoundAlgorithm for DefaultFloodSet {
    type Msg = BTreeSet<Value>;
    type Output = Value;
    fn messages(&self, me: Pid, n: usize, r: u64) -> Vec<(Pid, BTreeSet<Value>)> {
        self.0.messages(me, n, r)
    }
    fn transition(
        &mut self,
        me: Pid,
        n: usize,
        r: u64,
        rx: &[(Pid, BTreeSet<Value>)],
    ) -> Option<Value> {
        let d = self.0.transition(me, n, r, rx)?;
        Some(if self.0.w.len() == 1 {
            d
        } else {
            Value::str("v0")
        })
    }
    fn rounds(&self) -> u64 {
        self.0.rounds()
    }
    fn start_event(&self) -> Option<Event> {
        self.0.start_event()
    }
}

/// Decides at the end of every round: integrity fails.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct EveryRoundFloodSet(FloodSet<Value>);

impl RoundAlgorithm for EveryRoundFloodSet {
    type Msg = BTreeSet<Value>;
    type Output = Value;
    fn messages(&self, me: Pid, n: usize, r: u64) -> Vec<(Pid, BTreeSet<Value>)> {
        self.0.messages(me, n, r)
    }
    fn transition(
        &mut self,
        me: Pid,
        n: usize,
        r: u64,
        rx: &[(Pid, BTreeSet<Value>)],
    ) -> Option<Value> {
        self.0.transition(me, n, r, rx);
        self.0.w.iter().next().cloned()
    }
    fn rounds(&self) -> u64 {
        self.0.rounds()
    }
}

fn run<A: RoundAlgorithm>(
    setup: Setup<IdealRounds<A>>,
    monitor: Box<dyn automata::Monitor>,
) -> automata::sim::Outcome {
    Sim::new(setup, Monitors::new(vec![monitor]))
        .max_time(100)
        .run()
}

/// Asserts that the run violates `name`: a violation, not merely a verdict other than hold (an
/// inconclusive liveness verdict is not a catch).
fn assert_violated(out: &automata::sim::Outcome, name: &str) {
    let v = &out.property(name).expect("monitored").verdict;
    assert!(v.is_violation(), "{name}: expected a violation, got {v:?}");
}

#[test]
fn validity_catches_a_default_decision() {
    let s = setup(3, 1, &[], |p| {
        DefaultFloodSet(FloodSet::new(Value::Int(p as i64), 1))
    });
    assert_violated(&run(s, Box::new(Validity::new("sr"))), "validity");
    let s = setup(3, 1, &[], |p| FloodSet::new(Value::Int(p as i64), 1));
    assert!(run(s, Box::new(Validity::new("sr"))).all_hold());
}

#[test]
fn integrity_catches_a_decision_every_round() {
    let s = setup(3, 1, &[], |p| {
        EveryRoundFloodSet(FloodSet::new(Value::Int(p as i64), 1))
    });
    assert_violated(&run(s, Box::new(Integrity::new("sr"))), "integrity");
}

#[test]
fn termination_catches_an_unfair_scheduler() {
    // Timers never fire: no round ever ends (a too-weak model, B-2.1).
    let mut s = setup(3, 1, &[], |p| FloodSet::new(Value::Int(p as i64), 1));
    s.model.fair = false;
    assert_violated(&run(s, Box::new(Termination::new("sr"))), "termination");
}

#[test]
fn agreement_monitors_catch_the_short_mutant_in_simulation() {
    // B-8.8 as a schedule: process 0 (value 0) crashes after its first round-1 send (to 1).
    let crash = [RoundCrash {
        process: 0,
        round: 0,
        sends: 1,
    }];
    let short = |c: &[RoundCrash]| {
        setup(3, 1, c, |p| {
            ShortFloodSet::new(Value::Int(p.min(1) as i64), 1)
        })
    };
    assert_violated(
        &run(short(&crash), Box::new(Agreement::new("sr"))),
        "agreement",
    );
    assert_violated(
        &run(short(&crash), Box::new(UniformAgreement::new("sr"))),
        "uniform-agreement",
    );
    let good = setup(3, 1, &crash, |p| {
        FloodSet::new(Value::Int(p.min(1) as i64), 1)
    });
    assert!(run(good, Box::new(Agreement::new("sr"))).all_hold());
}
