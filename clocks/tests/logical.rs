//! Logical clocks (book §10.1, B-10.1-B-10.3, C.17): each monitor catches its
//! mutant, in simulation and by exhaustive model checking; the correct clocks hold their
//! properties under proptest-drawn seeds and message patterns.

use automata::check::{Explore, Search};
use automata::model::Timing;
use automata::sim::Sim;
use automata::{Monitor, Monitors, Setup, SystemModel, Value};
use clocks::logical::monitors::Causality;
use clocks::logical::{
    DoubleTickVectorClock, LamportClock, NoMaxLamportClock, NoMergeVectorClock, Timestamped,
    VectorClock,
};
use links::{FairLossLinks, Send};
use proptest::prelude::*;

fn monitors(module: &str) -> Monitors {
    let ms: Vec<Box<dyn Monitor>> = vec![
        Box::new(Causality::clock_condition(module)),
        Box::new(Causality::strong_clock_condition(module)),
        Box::new(Causality::own_count(module)),
    ];
    Monitors::new(ms)
}

/// `sends` as (time, from, to): a message pattern.
fn with_sends<R: automata::Module<Req = Send<Value>>>(
    mut setup: Setup<R>,
    sends: &[(u64, usize, usize)],
) -> Setup<R> {
    for (i, &(at, from, to)) in sends.iter().enumerate() {
        setup = setup.request(
            at,
            from,
            Send {
                to,
                msg: Value::str(&format!("m{i}")),
            },
        );
    }
    setup
}

fn asynchronous() -> SystemModel {
    SystemModel {
        timing: Timing::Asynchronous,
        ..SystemModel::default()
    }
}

/// A random message pattern: `count` sends among `n` processes over `span` ticks.
fn pattern(n: usize, count: usize, span: u64) -> impl Strategy<Value = Vec<(u64, usize, usize)>> {
    prop::collection::vec((0..span, 0..n, 1..n), count).prop_map(move |v| {
        v.into_iter()
            .map(|(at, from, off)| (at, from, (from + off) % n))
            .collect()
    })
}

fn verdict(o: &automata::sim::Outcome, name: &str) -> bool {
    o.property(name).expect("monitored").verdict.holds()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// LC1 holds for Lamport clocks on any message pattern and schedule.
    #[test]
    fn lamport_clock_satisfies_the_clock_condition(seed in 0u64..1000, n in 2usize..5, sends in pattern(4, 12, 60)) {
        let sends: Vec<_> = sends.into_iter().map(|(t, a, b)| (t, a % n, if b % n == a % n { (a + 1) % n } else { b % n })).collect();
        let setup = with_sends(Setup::new(n, asynchronous(), |_| LamportClock::<Value>::new(5)), &sends);
        let o = Sim::new(setup, monitors("lc")).seed(seed).max_time(2_000).run();
        prop_assert!(verdict(&o, "clock-condition"), "{:?}", o.properties);
    }

    /// VC1 (both directions) and VC2 hold for vector clocks on any pattern and schedule.
    #[test]
    fn vector_clock_satisfies_the_strong_clock_condition(seed in 0u64..1000, n in 2usize..5, sends in pattern(4, 12, 60)) {
        let sends: Vec<_> = sends.into_iter().map(|(t, a, b)| (t, a % n, if b % n == a % n { (a + 1) % n } else { b % n })).collect();
        let setup = with_sends(Setup::new(n, asynchronous(), |_| VectorClock::<Value>::new(5)), &sends);
        let o = Sim::new(setup, monitors("vc")).seed(seed).max_time(2_000).run();
        prop_assert!(o.all_hold(), "{:?}", o.properties);
    }
}

/// B-10.1, by exhaustive search (n = 2, no retransmissions): the clock that only increments on
/// receipt violates LC1; the correct clock has no counterexample on the same model.
#[test]
fn checker_catches_lamport_without_max() {
    let sends = [(1, 0, 1), (2, 0, 1), (3, 1, 0)];
    let mutant = with_sends(
        Setup::new(2, SystemModel::default(), |_| {
            NoMaxLamportClock::over::<Value, _>(FairLossLinks::<Timestamped<Value, u64>>::default())
        }),
        &sends,
    );
    let r = Explore::new(mutant, monitors("lc")).run(Search::Bfs, 20, 1);
    let ce = r.counterexample.expect("B-10.1 has a counterexample");
    assert_eq!(ce.property, "clock-condition");
    let correct = with_sends(
        Setup::new(2, SystemModel::default(), |_| {
            LamportClock::<Value, _>::over(FairLossLinks::<Timestamped<Value, u64>>::default())
        }),
        &sends,
    );
    let lc1: Vec<Box<dyn Monitor>> = vec![Box::new(Causality::clock_condition("lc"))];
    let r = Explore::new(correct, Monitors::new(lc1)).run(Search::Bfs, 20, 1);
    assert!(r.counterexample.is_none(), "{r:?}");
    assert!(r.unique_states > 1);
}

/// B-10.3, by exhaustive search (n = 3): the vector clock without the component-wise merge
/// violates VC1; the correct vector clock satisfies VC1 and VC2 on every interleaving; and,
/// on the same message pattern and depth, the vector clock that counts a delivery twice keeps
/// VC1 on every interleaving but violates VC2.
#[test]
fn checker_catches_vector_clock_without_merge() {
    let sends = [(1, 0, 1), (2, 1, 2), (3, 2, 0)];
    let fll = || FairLossLinks::<Timestamped<Value, Vec<u64>>>::default();
    let mutant = with_sends(
        Setup::new(3, SystemModel::default(), move |_| {
            NoMergeVectorClock::over::<Value, _>(fll())
        }),
        &sends,
    );
    let vc1: Vec<Box<dyn Monitor>> = vec![Box::new(Causality::strong_clock_condition("vc"))];
    let r = Explore::new(mutant, Monitors::new(vc1)).run(Search::Bfs, 20, 1);
    assert_eq!(
        r.counterexample
            .expect("B-10.3 has a counterexample")
            .property,
        "strong-clock-condition"
    );
    let correct = with_sends(
        Setup::new(3, SystemModel::default(), move |_| {
            VectorClock::<Value, _>::over(fll())
        }),
        &sends,
    );
    let r = Explore::new(correct, monitors("vc")).run(Search::Bfs, 20, 1);
    assert!(r.counterexample.is_none(), "{r:?}");
    let double = || {
        with_sends(
            Setup::new(3, SystemModel::default(), move |_| {
                DoubleTickVectorClock::over::<Value, _>(fll())
            }),
            &sends,
        )
    };
    let r = Explore::new(double(), monitors("vc")).run(Search::Bfs, 20, 1);
    assert_eq!(
        r.counterexample
            .expect("the double tick has a counterexample")
            .property,
        "own-count"
    );
    let vc1: Vec<Box<dyn Monitor>> = vec![Box::new(Causality::strong_clock_condition("vc"))];
    let r = Explore::new(double(), Monitors::new(vc1)).run(Search::Bfs, 20, 1);
    assert!(r.counterexample.is_none(), "VC1 alone misses it: {r:?}");
}

/// VC2 in simulation: on a random message pattern the vector clock that counts each delivery
/// twice is caught by own-count (and only by it), the correct one is not.
#[test]
fn own_count_catches_a_vector_clock_that_ticks_twice_on_receipt() {
    let sends = [(1, 0, 1), (5, 1, 2), (9, 2, 0), (12, 0, 2)];
    let o = Sim::new(
        with_sends(
            Setup::new(3, asynchronous(), |_| {
                DoubleTickVectorClock::build::<Value>(5)
            }),
            &sends,
        ),
        monitors("vc"),
    )
    .seed(1)
    .max_time(2_000)
    .run();
    let v = &o.property("own-count").unwrap().verdict;
    assert!(v.is_violation(), "{v:?}");
    assert!(verdict(&o, "strong-clock-condition"), "{:?}", o.properties);
    let o = Sim::new(
        with_sends(
            Setup::new(3, asynchronous(), |_| VectorClock::<Value>::new(5)),
            &sends,
        ),
        monitors("vc"),
    )
    .seed(1)
    .max_time(2_000)
    .run();
    assert!(o.all_hold(), "{:?}", o.properties);
}

/// B-10.2: two concurrent events, one at each process (no message between them): Lamport
/// timestamps order them (1 < 2 after a later local step), so checked against VC1's "⇐"
/// direction they fail, while vector clocks pass; LC1 holds for both.
#[test]
fn lamport_clocks_do_not_characterize_causality() {
    // 0 sends twice to 1, 1 sends once to 0 before receiving anything: 1's send (L = 1) is
    // concurrent with 0's second send (L = 2).
    let sends = [(1, 0, 1), (2, 0, 1), (2, 1, 0)];
    let lamport = with_sends(
        Setup::new(2, SystemModel::default(), |_| LamportClock::<Value>::new(5)),
        &sends,
    );
    let o = Sim::new(lamport, monitors("lc")).max_time(500).run();
    assert!(verdict(&o, "clock-condition"));
    let v = &o.property("strong-clock-condition").unwrap().verdict;
    assert!(
        v.is_violation(),
        "Lamport timestamps order a concurrent pair: {v:?}"
    );
    let vector = with_sends(
        Setup::new(2, SystemModel::default(), |_| VectorClock::<Value>::new(5)),
        &sends,
    );
    let o = Sim::new(vector, monitors("vc")).max_time(500).run();
    assert!(o.all_hold(), "{:?}", o.properties);
}

/// C.17: on random message patterns (n = 5, about 1,000 timestamped events), LC1 and VC1 hold
/// on every pair; Lamport clocks order a positive fraction of the concurrent pairs, vector
/// clocks none.
#[test]
fn false_order_rate_is_positive_for_lamport_and_zero_for_vectors() {
    let n = 5;
    let mut rng = 12345u64;
    let mut next = |m: u64| {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (rng >> 33) % m
    };
    let sends: Vec<(u64, usize, usize)> = (0..500)
        .map(|_| {
            let from = next(n as u64) as usize;
            let to = (from + 1 + next(n as u64 - 1) as usize) % n;
            (next(2_000), from, to)
        })
        .collect();
    let lamport = with_sends(
        Setup::new(n, asynchronous(), |_| LamportClock::<Value>::new(50)),
        &sends,
    );
    let lc1: Vec<Box<dyn Monitor>> = vec![Box::new(Causality::clock_condition("lc"))];
    let o = Sim::new(lamport, Monitors::new(lc1))
        .seed(3)
        .max_time(20_000)
        .run();
    assert!(o.all_hold(), "{:?}", o.properties);
    let lamport_rate = o.metrics["false_order"];
    let vector = with_sends(
        Setup::new(n, asynchronous(), |_| VectorClock::<Value>::new(50)),
        &sends,
    );
    let vc1: Vec<Box<dyn Monitor>> = vec![Box::new(Causality::strong_clock_condition("vc"))];
    let o = Sim::new(vector, Monitors::new(vc1))
        .seed(3)
        .max_time(20_000)
        .run();
    assert!(o.all_hold(), "{:?}", o.properties);
    let vector_rate = o.metrics["false_order"];
    println!("C.17 false-order rate: lamport {lamport_rate:.4}, vector {vector_rate:.4}");
    assert!(lamport_rate > 0.0);
    assert_eq!(vector_rate, 0.0);
}
