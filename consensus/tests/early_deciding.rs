//! Early-deciding uniform consensus on the ideal lockstep runner (book §8.6, C.7): the
//! consensus properties and the decision round min(f + 2, t + 1) under random crash plans,
//! the bound reached when one process crashes silently per round, exhaustive checks for
//! n = 3, t = 2 (every plan of at most two crashes) and n = 4, t = 2 (the crash chains that
//! carry the smallest value), and the mutant that decides one round earlier, at
//! min(f + 1, t + 1), caught by uniform agreement at the same bounds while it keeps (regular)
//! agreement.

use automata::sim::Sim;
use automata::{Fault, Kind, Monitors, Pid, Value};
use consensus::early_deciding::EarlyDeciding;
use consensus::monitors;
use consensus::mutants::HastyEarlyDeciding;
use proptest::prelude::*;
use std::collections::BTreeSet;

mod common;
use common::{
    check_rounds, config, decisions, regular, round_ending_at, round_plan, rounds_setup as setup,
    Checked, RoundCrash, LENGTH, START,
};

/// The last round (from 0) at whose end a process may decide with `f` crashes: round
/// min(f + 2, t + 1) counted from 1.
fn deadline(f: u64, t: u64) -> u64 {
    (f + 1).min(t)
}

proptest! {
    #![proptest_config(config(0x4541_524c))]

    /// C1-C4 and UC4 under any plan of at most t crashes, each at any point of any round's
    /// sends; every decision is at the end of round min(f + 2, t + 1) at the latest (f: the
    /// processes that crashed in the run), and none before the end of round 2 unless t = 0.
    /// Without crashes every process decides the minimum at the end of round min(2, t + 1).
    #[test]
    fn early_deciding_is_uniform_consensus_by_round_min_f_plus_2_t_plus_1(
        (n, t, values, crashes) in round_plan(), seed in 0u64..1000,
    ) {
        let vs = values.clone();
        let setup = setup(n, t, &crashes, move |p| EarlyDeciding::new(Value::Int(vs[p]), t as u64));
        let out = Sim::new(setup, Monitors::new(monitors::all("sr")))
            .seed(seed)
            .record(true)
            .max_time(START + (t as u64 + 2) * LENGTH)
            .run();
        prop_assert!(out.all_hold(), "{:?}", out.properties);
        let trace = out.trace.as_ref().unwrap();
        let crashed: BTreeSet<Pid> = trace
            .iter()
            .filter(|e| e.kind == Kind::Crash)
            .map(|e| e.process)
            .collect();
        let f = crashed.len() as u64;
        let ds = decisions(trace);
        let rounds: Vec<u64> = ds.iter().map(|(_, _, time)| round_ending_at(*time)).collect();
        let (earliest, latest) = (1.min(t as u64), deadline(f, t as u64));
        prop_assert!(
            rounds.iter().all(|r| (earliest..=latest).contains(r)),
            "f = {}: decisions {:?} in rounds {:?}, not in {}..={}", f, ds, rounds, earliest, latest
        );
        if crashed.is_empty() {
            let min = *values.iter().min().unwrap();
            prop_assert_eq!(ds.len(), n);
            prop_assert!(ds.iter().all(|(_, v, _)| *v == Value::Int(min)), "{:?}", ds);
            prop_assert!(rounds.iter().all(|r| *r == earliest), "{:?}", rounds);
        }
    }
}

/// `process` crashes one tick before round `round` (from 0) starts: it sent all its messages
/// of the rounds before and sends none in `round` (round 0: at time 0, right after `Init`).
fn silent_from(process: Pid, round: u64) -> Fault {
    Fault::Crash {
        process,
        at: START + round * LENGTH - 1,
        after_sends: None,
        drop_in_flight: false,
    }
}

/// The bound is reached: with f ≤ t crashes, process k crashing silently from round k (from
/// 0) for k < f, every survivor hears from one process fewer in each of the first f rounds,
/// sees its first clean round in round f + 1 (counted from 1) and decides at the end of round
/// min(f + 2, t + 1), exactly. Only process 0 never sends (process k > 0 sent its value in
/// the rounds before k): the survivors f..n decide 0 without crashes, 1 with.
#[test]
fn one_silent_crash_per_round_delays_the_decision_to_round_min_f_plus_2_t_plus_1() {
    for (n, t) in [(2, 1), (3, 1), (3, 2), (4, 2), (4, 3), (5, 2), (5, 4)] {
        for f in 0..=t {
            let plan = (0..f).map(|k| silent_from(k, k as u64)).collect();
            let setup = setup(n, t, &[], move |p| {
                EarlyDeciding::new(Value::Int(p as i64), t as u64)
            })
            .faults(plan);
            let out = Sim::new(setup, Monitors::new(monitors::all("sr")))
                .record(true)
                .max_time(START + (t as u64 + 2) * LENGTH)
                .run();
            assert!(
                out.all_hold(),
                "n = {n}, t = {t}, f = {f}: {:?}",
                out.properties
            );
            let ds = decisions(out.trace.as_ref().unwrap());
            let v = Value::Int(f.min(1) as i64);
            let expected: Vec<(Pid, Value, u64)> = (f..n)
                .map(|p| (p, v.clone(), deadline(f as u64, t as u64)))
                .collect();
            let got: Vec<(Pid, Value, u64)> = ds
                .into_iter()
                .map(|(p, v, time)| (p, v, round_ending_at(time)))
                .collect();
            assert_eq!(got, expected, "n = {n}, t = {t}, f = {f}");
        }
    }
}

/// Process p proposes p: process 0 alone holds the smallest value, which every decision is
/// unless a crash hides it.
fn initial(p: Pid) -> Value {
    Value::Int(p as i64)
}

/// What the exhaustive checks of one configuration found.
struct Found {
    /// Unique states of the algorithm's searches, summed over the plans.
    states: usize,
    /// The plans on which the hasty mutant is caught: (plan, property, depth, states).
    caught: Vec<(Vec<RoundCrash>, &'static str, usize, usize)>,
    /// Unique states of the mutant's searches under C1-C4 alone, summed over the plans.
    hasty_regular_states: usize,
}

/// Early deciding and the hasty mutant explored on every plan (`(crashes, adversary)`):
/// asserts that early deciding holds on every path of every plan (no counterexample, search
/// complete), that the mutant's searches are complete wherever they find nothing, and that
/// under C1-C4 alone the mutant holds on every path too (it is (regular) consensus): on
/// every plan if `regular_everywhere`, else on the plans that catch it under UC4.
fn early_deciding_and_hasty_mutant(
    n: usize,
    t: usize,
    plans: &[(Vec<RoundCrash>, usize)],
    regular_everywhere: bool,
) -> Found {
    let mut found = Found {
        states: 0,
        caught: Vec::new(),
        hasty_regular_states: 0,
    };
    let complete = |r: &Checked, what: &str, crashes: &[RoundCrash]| {
        assert!(
            r.complete,
            "{what}, n = {n}, t = {t}, {crashes:?}: not exhaustive: {r:?}"
        );
    };
    for (crashes, adversary) in plans {
        let good = setup(n, t, crashes, move |p| {
            EarlyDeciding::new(initial(p), t as u64)
        });
        let r = check_rounds(good, *adversary, monitors::all("sr"));
        assert_eq!(r.violated, None, "n = {n}, t = {t}, {crashes:?}: {r:?}");
        complete(&r, "early deciding", crashes);
        found.states += r.unique_states;
        let hasty = move |p| HastyEarlyDeciding::new(initial(p), t as u64);
        let r = check_rounds(setup(n, t, crashes, hasty), *adversary, monitors::all("sr"));
        match r.violated {
            Some(property) => {
                found
                    .caught
                    .push((crashes.clone(), property, r.depth, r.unique_states))
            }
            None if regular_everywhere => complete(&r, "hasty", crashes),
            None => {
                complete(&r, "hasty", crashes);
                continue;
            }
        }
        let r = check_rounds(setup(n, t, crashes, hasty), *adversary, regular());
        assert_eq!(r.violated, None, "hasty, C1-C4, {crashes:?}: {r:?}");
        complete(&r, "hasty, C1-C4", crashes);
        found.hasty_regular_states += r.unique_states;
    }
    found
}

/// n = 3, t = 2, every plan of at most two crashes: any process, in any of the three rounds,
/// after any number of its two sends (271 plans), and with no plan the adversary free to
/// crash any two processes at any moment. Early deciding holds on every path of every plan.
/// The hasty mutant holds C1-C4 on every path too, and breaks uniform agreement on exactly
/// one plan, derived by hand. A counterexample needs a decider that crashes (else its
/// `DECIDE` reaches everyone) and a value it knows that the survivor never learns, whose owner
/// must crash in round 1 (index 0) for that: two crashes, one survivor. The hidden value must
/// be smaller than anything the survivor knows, so it is 0. So process 0 crashes in round 1
/// after its send to 1 alone; 1, which heard from everybody, decides 0 at once and crashes in
/// round 2 after its `DECIDE` to the dead 0 and before the one to 2 (one send); 2 decides 1 at
/// the end of round 3. The real algorithm makes 1 wait for the end of round 2, which it does
/// not live to see.
#[test]
fn early_deciding_holds_on_every_path_and_deciding_without_the_decide_round_does_not_n3_t2() {
    let (n, t) = (3, 2);
    let mut one = Vec::new();
    for process in 0..n {
        for round in 0..=t as u64 {
            for sends in 0..n as u64 {
                one.push(RoundCrash {
                    process,
                    round,
                    sends,
                });
            }
        }
    }
    let mut plans = vec![(vec![], 2)];
    plans.extend(one.iter().map(|&c| (vec![c], 0)));
    for a in &one {
        for b in one.iter().filter(|b| b.process > a.process) {
            plans.push((vec![*a, *b], 0));
        }
    }
    assert_eq!(plans.len(), 1 + 27 + 3 * 9 * 9);
    let started = std::time::Instant::now();
    let found = early_deciding_and_hasty_mutant(n, t, &plans, true);
    eprintln!(
        "n = 3, t = 2: early deciding holds on {} plans, {} unique states in all; hasty mutant \
         caught (plan, property, depth, states): {:?}; C1-C4 alone hold for it, {} states; \
         {:?}",
        plans.len(),
        found.states,
        found.caught,
        found.hasty_regular_states,
        started.elapsed()
    );
    let canonical = vec![
        RoundCrash {
            process: 0,
            round: 0,
            sends: 1,
        },
        RoundCrash {
            process: 1,
            round: 1,
            sends: 1,
        },
    ];
    let caught: Vec<_> = found.caught.iter().map(|c| (&c.0, c.1)).collect();
    assert_eq!(caught, vec![(&canonical, "uniform-agreement")]);
    assert_eq!(found.states, PINNED_N3_T2, "pinned state count changed");
    assert_eq!(found.hasty_regular_states, PINNED_HASTY_REGULAR_N3_T2);
    let at = &found.caught[0];
    assert_eq!((at.2, at.3), PINNED_HASTY_N3_T2);
}

/// n = 4, t = 2: the crash chains that carry the smallest value, as for FloodSet (four live
/// processes without a crash alone take 130 000 states). Process 0, alone holding 0, crashes
/// in round 1 after one or two of its three sends (to 1, then 2), and then nobody else
/// crashes, or process 1, which has 0, crashes in round 2 after 0 to 3 of its sends (to 0,
/// then 2, then 3): 10 plans, no adversary. Early deciding holds on every path; the hasty
/// mutant breaks uniform agreement on exactly one plan, derived by hand: 0 reaches only 1,
/// which heard from all four, decides 0 and sends its `DECIDE` only to the dead 0 (one
/// send); 2 and 3 never hear of 0 and decide 1. With two or three sends the `DECIDE` reaches
/// 2, which passes it on; with none the crash falls at the tick that starts round 2, before
/// 1 decided or after it sent everything; and when 0 reaches 1 and 2, both decide 0 at once
/// and 2 lives to send its `DECIDE`.
#[test]
fn early_deciding_holds_on_every_path_and_deciding_without_the_decide_round_does_not_n4_t2() {
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
    let found = early_deciding_and_hasty_mutant(n, t, &plans, false);
    eprintln!(
        "n = 4, t = 2: early deciding holds on {} plans, {} unique states in all; hasty mutant \
         caught (plan, property, depth, states): {:?}; C1-C4 alone hold for it there, {} states; \
         {:?}",
        plans.len(),
        found.states,
        found.caught,
        found.hasty_regular_states,
        started.elapsed()
    );
    let expected = vec![
        RoundCrash {
            process: 0,
            round: 0,
            sends: 1,
        },
        RoundCrash {
            process: 1,
            round: 1,
            sends: 1,
        },
    ];
    let caught: Vec<_> = found.caught.iter().map(|c| (&c.0, c.1)).collect();
    assert_eq!(caught, vec![(&expected, "uniform-agreement")]);
    assert_eq!(found.states, PINNED_N4_T2, "pinned state count changed");
    assert_eq!(found.hasty_regular_states, PINNED_HASTY_REGULAR_N4_T2);
    let at = &found.caught[0];
    assert_eq!((at.2, at.3), PINNED_HASTY_N4_T2);
}

/// Unique states of early deciding's exhaustive checks, summed over the plans; of the hasty
/// mutant's searches under C1-C4 alone (every plan for n = 3, the catching one for n = 4);
/// its counterexample (depth in actions, unique states when it was found).
const PINNED_N3_T2: usize = 84_708;
const PINNED_HASTY_REGULAR_N3_T2: usize = 82_752;
const PINNED_HASTY_N3_T2: (usize, usize) = (19, 104);
const PINNED_N4_T2: usize = 116_300;
const PINNED_HASTY_REGULAR_N4_T2: usize = 6651;
const PINNED_HASTY_N4_T2: (usize, usize) = (35, 6649);
