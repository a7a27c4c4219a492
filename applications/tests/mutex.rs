//! Mutual exclusion (book §9.6): Lamport's algorithm and Ricart-Agrawala keep mutual exclusion
//! and no starvation under random acquires and delays, and on every path of a small
//! exhaustive check; Ricart-Agrawala's always-reply mutant breaks mutual exclusion under the
//! same bounds; and what an entry costs each of them.

use applications::lamport_mutex::{self, LamportMutex};
use applications::monitors::{MutualExclusion, NoStarvation};
use applications::ricart_agrawala::{self, RicartAgrawala};
use applications::Acquire;
use automata::model::Delay;
use automata::sim::Sim;
use automata::{Module, Monitor, Monitors, Pid, Setup, SystemModel, Time};
use links::FairLossLinks;
use proptest::prelude::*;

mod common;
use common::config;

/// Mutual exclusion and no starvation on the `mutex` layer.
fn monitors() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(MutualExclusion::new("mutex")),
        Box::new(NoStarvation::new("mutex")),
    ]
}

/// `acquires[i] = (process, at)`.
fn acquiring<R: Module<Req = Acquire>>(setup: Setup<R>, acquires: &[(Pid, Time)]) -> Setup<R> {
    acquires
        .iter()
        .fold(setup, |s, &(p, at)| s.request(at, p, Acquire))
}

/// A random run: N = 2 to 4 processes and 1 to 6 acquires at random processes in the first
/// 30 ticks (a process may acquire again while its first is pending).
fn plan() -> impl Strategy<Value = (usize, Vec<(Pid, Time)>)> {
    (2..5usize).prop_flat_map(|n| (Just(n), proptest::collection::vec((0..n, 1..30u64), 1..7)))
}

fn simulate<R: Module<Req = Acquire>>(
    n: usize,
    make: impl Fn(Pid) -> R + Send + Sync + 'static,
    acquires: &[(Pid, Time)],
    seed: u64,
) -> automata::sim::Outcome {
    let setup = acquiring(
        Setup::new(n, SystemModel::synchronous(1, 8), make),
        acquires,
    );
    Sim::new(setup, Monitors::new(monitors()))
        .seed(seed)
        .max_time(1_500)
        .run()
}

proptest! {
    #![proptest_config(config(24, 0x6d75_7465))]

    /// Both algorithms, over their links with retransmission, keep mutual exclusion and no
    /// starvation under any acquires and any schedule of delays 1 to 8.
    #[test]
    fn both_algorithms_are_mutual_exclusion((n, acquires) in plan(), seed in any::<u64>()) {
        let out = simulate(n, |_| LamportMutex::new(10, 5), &acquires, seed);
        prop_assert!(out.all_hold(), "lamport, seed {seed}: {:#?}", out.properties);
        let out = simulate(n, |_| RicartAgrawala::new(10, 5), &acquires, seed);
        prop_assert!(out.all_hold(), "ricart-agrawala, seed {seed}: {:#?}", out.properties);
    }
}

/// Both algorithms over the bare network (no retransmission), so every path of a check ends
/// and every send is one of the algorithm's messages.
type Net<M> = FairLossLinks<M>;
type Lamport = LamportMutex<Net<lamport_mutex::Msg>>;
type Ra = RicartAgrawala<Net<ricart_agrawala::Msg>>;

fn lamport(hold: Time) -> Lamport {
    LamportMutex::over(Net::default(), hold)
}

fn ra(hold: Time) -> Ra {
    RicartAgrawala::over(Net::default(), hold)
}

/// Explores every path, breadth-first on one thread: N processes, processes 0 and 1 acquire
/// at time 1, every message takes one tick over FIFO channels, the section is held 2 ticks.
/// What varies is the order of each tick's steps.
fn explore<R: Module<Req = Acquire>>(
    n: usize,
    make: impl Fn(Pid) -> R + Send + Sync + 'static,
    monitors: Vec<Box<dyn Monitor>>,
) -> common::Found {
    let mut model = SystemModel::synchronous(1, 1);
    model.links.fifo = true;
    let setup = acquiring(Setup::new(n, model, make), &[(0, 1), (1, 1)]);
    common::explore(setup, monitors, 1_000_000, 200)
}

/// The configurations: N = 2 and N = 3.
const SIZES: [usize; 2] = [2, 3];

/// Both algorithms keep both properties on every path of both configurations, exhaustively;
/// under the same bounds the always-reply mutant lets both requesters in.
#[test]
fn both_hold_on_every_path_and_always_reply_does_not() {
    let mut states = Vec::new();
    for n in SIZES {
        for (name, found) in [
            ("lamport", explore(n, |_| lamport(2), monitors())),
            ("ricart-agrawala", explore(n, |_| ra(2), monitors())),
        ] {
            let (violated, unique, complete) = found;
            assert_eq!(violated, None, "{name}, N = {n}: after {unique} states");
            assert!(
                complete,
                "{name}, N = {n}: not exhaustive ({unique} states)"
            );
            states.push(unique);
        }
    }
    assert_eq!(states, PINNED, "pinned state counts changed");
    for n in SIZES {
        let (violated, ..) = explore(n, |_| ra(2).always_reply(), monitors());
        assert_eq!(violated, Some("mutual-exclusion"), "N = {n}");
    }
}

/// The messages one failure-free entry sends, process 0 acquiring at time 5 with nobody else
/// competing, every message taking 5 ticks over the bare network (no retransmission, so every
/// send is the algorithm's), for N = 2 to 5.
fn cost<R: Module<Req = Acquire>>(make: fn() -> R) -> Vec<u64> {
    (2..=5)
        .map(|n| {
            let mut model = SystemModel {
                delay: Delay {
                    min: 5,
                    max: 5,
                    ..Delay::default()
                },
                ..SystemModel::synchronous(1, 5)
            };
            model.links.fifo = true;
            let setup = acquiring(Setup::new(n, model, move |_| make()), &[(0, 5)]);
            let out = Sim::new(setup, Monitors::new(monitors()))
                .max_time(1_000)
                .run();
            assert!(out.all_hold(), "{:#?}", out.properties);
            out.stats.messages_sent
        })
        .collect()
}

/// Lamport: N − 1 requests, N − 1 acks, N − 1 releases, 3(N − 1). Ricart-Agrawala: N − 1
/// requests and N − 1 replies, 2(N − 1): the release is folded into the deferred reply.
#[test]
fn failure_free_costs() {
    assert_eq!(cost(|| lamport(5)), [2, 3, 4, 5].map(|n| 3 * (n - 1)));
    assert_eq!(cost(|| ra(5)), [2, 3, 4, 5].map(|n| 2 * (n - 1)));
}

/// Unique states of the exhaustive checks: (Lamport, Ricart-Agrawala) at N = 2, then at N = 3.
const PINNED: [usize; 4] = [13, 10, 91, 28];

/// Too weak a model for both: a crash. Process 0 acquires at 1 and crashes at 3, holding or
/// about to hold the critical section (held 5 ticks); process 1, acquiring at 2, then waits
/// for 0's reply (Ricart-Agrawala) or release (Lamport) for ever. No-starvation, alone, finds
/// such a path; without the crash it holds on every path under the same bounds.
#[test]
fn no_starvation_catches_a_crash_in_the_critical_section() {
    let run = |crash: bool, lamport_not_ra: bool| {
        let mut model = SystemModel::synchronous(1, 1);
        model.links.fifo = true;
        let faults = if crash {
            vec![common::crash(0, 3, true)]
        } else {
            vec![]
        };
        let only = || -> Vec<Box<dyn Monitor>> { vec![Box::new(NoStarvation::new("mutex"))] };
        if lamport_not_ra {
            let setup = Setup::new(2, model, |_| lamport(5)).faults(faults);
            common::explore(acquiring(setup, &[(0, 1), (1, 2)]), only(), 100_000, 200)
        } else {
            let setup = Setup::new(2, model, |_| ra(5)).faults(faults);
            common::explore(acquiring(setup, &[(0, 1), (1, 2)]), only(), 100_000, 200)
        }
    };
    for lamport_not_ra in [true, false] {
        let (violated, _, _) = run(true, lamport_not_ra);
        assert_eq!(violated, Some("no-starvation"), "lamport: {lamport_not_ra}");
        let (violated, _, complete) = run(false, lamport_not_ra);
        assert_eq!(
            (violated, complete),
            (None, true),
            "lamport: {lamport_not_ra}"
        );
    }
}
