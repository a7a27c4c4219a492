//! FloodSet on the ideal lockstep runner (CATALOGUE.md chapter 8, C.7, B-8.8): the consensus
//! properties under random crash plans (crashes in the middle of a round's sends), the
//! decision after exactly t + 1 rounds, exhaustive checks of every one-crash plan for n = 3,
//! t = 1, and the one-round-short mutant caught by agreement. Each consensus monitor is shown
//! catching a broken variant.

use automata::check::{Explore, Search};
use automata::model::{Delay, Fault};
use automata::rounds::{IdealRounds, RoundAlgorithm};
use automata::sim::Sim;
use automata::{Event, Monitors, Pid, Setup, SystemModel, Time, Value};
use consensus::monitors::{self, Agreement, Integrity, Termination, UniformAgreement, Validity};
use consensus::mutants::ShortFloodSet;
use consensus::FloodSet;
use proptest::prelude::*;
use std::collections::BTreeSet;

/// Δ of the synchronous model.
const DELTA: Time = 3;
/// Round length: longer than Δ, so every round-r message arrives in round r.
const LENGTH: Time = DELTA + 1;
/// Round 0 starts at local time 1, so a plan can crash a process during its round-0 sends.
const START: Time = 1;

fn model() -> SystemModel {
    SystemModel {
        delay: Delay {
            min: 1,
            max: DELTA,
            ..Delay::default()
        },
        ..SystemModel::default()
    }
}

/// A crash in round terms: `process` crashes in round `round` after `sends` of its round
/// messages (0: before sending any).
#[derive(Clone, Copy, Debug)]
struct RoundCrash {
    process: Pid,
    round: u64,
    sends: u64,
}

impl RoundCrash {
    /// The same crash for the ideal runner: counted from just before the round starts.
    fn fault(self) -> Fault {
        let at = START + self.round * LENGTH - 1;
        Fault::Crash {
            process: self.process,
            at: if self.sends == 0 { at + 1 } else { at },
            after_sends: (self.sends > 0).then_some(self.sends),
            drop_in_flight: false,
        }
    }
}

fn setup<A: RoundAlgorithm>(
    n: usize,
    t: usize,
    crashes: &[RoundCrash],
    alg: impl Fn(Pid) -> A + Send + Sync + 'static,
) -> Setup<IdealRounds<A>> {
    Setup::new(n, model(), move |p| {
        IdealRounds::new(alg(p), LENGTH).starting_at(START)
    })
    .faults(crashes.iter().map(|c| c.fault()).collect())
    .fault_budget(t)
}

fn decisions(trace: &[automata::TraceEvent]) -> Vec<(Pid, Value, Time)> {
    trace
        .iter()
        .filter_map(|e| match &e.event {
            Event::Decide { value } => Some((e.process, value.clone(), e.time)),
            _ => None,
        })
        .collect()
}

fn plan() -> impl Strategy<Value = (usize, usize, Vec<i64>, Vec<RoundCrash>)> {
    (2usize..=5).prop_flat_map(|n| {
        (0..n).prop_flat_map(move |t| {
            let crash =
                (0..n, 0..=t as u64, 0..n as u64).prop_map(|(process, round, sends)| RoundCrash {
                    process,
                    round,
                    sends,
                });
            (
                Just(n),
                Just(t),
                proptest::collection::vec(0i64..4, n),
                proptest::collection::vec(crash, 0..=t),
            )
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// C1-C4 and UC4 under any plan of at most t crashes, each at any point of any round's
    /// sends; every process that decides does so at the end of round t + 1.
    #[test]
    fn floodset_is_uniform_consensus((n, t, values, crashes) in plan(), seed in 0u64..1000) {
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

/// Every one-crash plan for n = 3, t = 1 (which process, which round, after how many sends),
/// explored exhaustively, and the adversary free to crash any one process at any moment
/// (between steps): FloodSet holds on every schedule of every configuration; the mutant that
/// stops after t rounds violates agreement on some of them, all plans (B-8.8, C.7). The
/// adversary's crashes never split a round's sends, so under it alone the mutant passes too:
/// only the plans that crash a process in the middle of its sends reach the bug.
#[test]
fn one_round_short_is_caught_by_the_checker_and_t_plus_one_rounds_are_not() {
    let (n, t) = (3, 1);
    let initial = |p: Pid| Value::Int(p as i64);
    let mut plans = Vec::new();
    for process in 0..n {
        for round in 0..=t as u64 {
            for sends in 0..n as u64 {
                plans.push(Some(RoundCrash {
                    process,
                    round,
                    sends,
                }));
            }
        }
    }
    // `None`: no plan, the adversary crashes one process whenever it likes.
    plans.push(None);
    fn explore<A: RoundAlgorithm>(
        plan: Option<RoundCrash>,
        setup: Setup<IdealRounds<A>>,
    ) -> Explore<IdealRounds<A>> {
        let e = Explore::new(setup, Monitors::new(monitors::all("sr")));
        match plan {
            Some(_) => e,
            None => e.crashes(1),
        }
    }
    let mut short_violations = Vec::new();
    for plan in &plans {
        let crashes: Vec<RoundCrash> = plan.iter().copied().collect();
        let good = setup(n, t, &crashes, move |p| FloodSet::new(initial(p), t as u64));
        let r = explore(*plan, good).run(Search::Bfs, 40, 1);
        assert!(r.counterexample.is_none(), "{plan:?}: {r:?}");
        assert!(r.unique_states > 10, "{plan:?}: {}", r.unique_states);
        let bad = setup(n, t, &crashes, move |p| {
            ShortFloodSet::new(initial(p), t as u64)
        });
        let r = explore(*plan, bad).run(Search::Bfs, 40, 1);
        if let Some(ce) = r.counterexample {
            short_violations.push((*plan, ce.property));
        }
    }
    // The mutant's counterexamples: a crash in round 1 (the only one) that reaches only some.
    eprintln!("short mutant counterexamples: {short_violations:?}");
    assert!(!short_violations.is_empty());
    for (plan, property) in &short_violations {
        let plan = plan.expect("the adversary alone never splits a round's sends");
        assert_eq!(plan.round, 0, "{plan:?}");
        assert!(plan.sends > 0 && plan.sends < n as u64 - 1, "{plan:?}");
        assert!(
            ["agreement", "uniform-agreement"].contains(property),
            "{property}"
        );
    }
}

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
