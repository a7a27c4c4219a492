//! Multi-Paxos as uniform total-order broadcast: every `utob` property under random crash
//! plans and schedules over the Ω oracle, on every path of a small exhaustive check with a
//! leader change, and the mutant whose new leader does not adopt accepted values caught under
//! the same bounds.

use applications::monitors::{PrefixOrder, TotalOrder};
use applications::multi_paxos::{MpMsg, MultiPaxos};
use automata::check::{Budget, Explore, Search};
use automata::model::{Delay, Timing};
use automata::oracle::{LeaderOracle, SwitchingOmega};
use automata::sim::Sim;
use automata::{Fault, Module, Monitor, Monitors, Pid, Setup, SystemModel, Time, Value};
use broadcast::monitors::{Agreement, NoCreation, NoDuplication, Validity};
use broadcast::Broadcast;
use links::FairLossLinks;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// The properties of `utob`.
fn monitors() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(Validity::reliable("tob")),
        Box::new(NoDuplication::new("tob")),
        Box::new(NoCreation::new("tob")),
        Box::new(Agreement::uniform("tob")),
        Box::new(TotalOrder::uniform("tob")),
        Box::new(PrefixOrder::new("tob")),
    ]
}

fn model(max: Time) -> SystemModel {
    SystemModel {
        timing: Timing::Synchronous,
        delay: Delay {
            min: 1,
            max,
            ..Delay::default()
        },
        ..SystemModel::default()
    }
}

fn crash(process: Pid, at: Time) -> Fault {
    Fault::Crash {
        process,
        at,
        after_sends: None,
        drop_in_flight: true,
    }
}

fn broadcasting<R: Module<Req = Broadcast<Value>>>(
    setup: Setup<R>,
    broadcasts: &[(Pid, Time)],
) -> Setup<R> {
    broadcasts
        .iter()
        .enumerate()
        .fold(setup, |s, (i, &(p, at))| {
            s.request(
                at,
                p,
                Broadcast {
                    msg: Value::str(&format!("m{i}")),
                },
            )
        })
}

fn config() -> Config {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 32;
    }
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(0x004d_5058);
    }
    config
}

proptest! {
    #![proptest_config(config())]

    /// A minority of three to five processes crashes in the first 60 ticks (the leader
    /// among them, often: Ω moves on); up to six broadcasts in the first 50 ticks.
    #[test]
    fn multi_paxos_is_uniform_total_order_broadcast(
        n in 3..6usize,
        crashes in proptest::collection::btree_map(0..5usize, 0..60u64, 0..3),
        broadcasts in proptest::collection::vec((0..5usize, 1..50u64), 1..7),
        seed in any::<u64>(),
    ) {
        let faults: Vec<Fault> = crashes
            .into_iter()
            .filter(|&(p, _)| p < n)
            .take((n - 1) / 2)
            .map(|(p, at)| crash(p, at))
            .collect();
        let broadcasts: Vec<(Pid, Time)> = broadcasts.into_iter().map(|(p, at)| (p % n, at)).collect();
        let setup = Setup::new(n, model(8), |_| MultiPaxos::<Value, _>::new(10, LeaderOracle::new(3)))
            .faults(faults);
        let out = Sim::new(broadcasting(setup, &broadcasts), Monitors::new(monitors()))
            .seed(seed)
            .max_time(2_000)
            .run();
        prop_assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
    }
}

type Net = FairLossLinks<MpMsg<Value>>;
type Mp = MultiPaxos<Value, SwitchingOmega, Net>;

/// N = 3 over the bare network, every message taking one tick: process 0 leads and
/// broadcasts m0 at time 1, process 1 broadcasts m1 at time 1; process 0 crashes at `crash_at`
/// losing what it had in flight, and Ω trusts process 1 from time `crash_at` on. The first
/// property violated on some path, the unique states, whether the search was exhaustive.
fn explore(make: fn(Time) -> Mp, crash_at: Time) -> (Option<&'static str>, usize, bool) {
    let setup = Setup::new(3, model(1), move |_| make(crash_at)).faults(vec![crash(0, crash_at)]);
    let setup = broadcasting(setup, &[(0, 1), (1, 1)]);
    let budget = Budget {
        max_states: Some(400_000),
        ..Budget::depth(150)
    };
    let r = Explore::new(setup, Monitors::new(monitors())).check(Search::Bfs, budget, 1);
    (
        r.counterexample.map(|c| c.property),
        r.unique_states,
        r.coverage.complete,
    )
}

fn multi_paxos(switch: Time) -> Mp {
    MultiPaxos::over(Net::default(), SwitchingOmega { switch })
}

/// With process 0 crashing at time 5, after it led slot 0 to a decision that not every
/// learner heard of: every `utob` property holds on every path; a new leader that does not
/// adopt accepted values decides slot 0 again with another message, and prefix order catches
/// it, same bounds.
#[test]
fn multi_paxos_orders_on_every_path_and_not_adopting_does_not() {
    let (violated, states, complete) = explore(multi_paxos, 5);
    assert_eq!((violated, complete), (None, true), "after {states} states");
    assert_eq!(states, 77_445, "pinned state count changed");
    let (violated, _, _) = explore(|s| multi_paxos(s).without_adopting(), 5);
    assert_eq!(violated, Some("prefix-order"));
}
