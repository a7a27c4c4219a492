//! Multi-Paxos as uniform total-order broadcast: every `utob` property under random crash
//! plans and schedules over the Ω oracle, on every path of a small exhaustive check with a
//! leader change, and the mutant whose new leader does not adopt accepted values caught under
//! the same bounds.

use applications::multi_paxos::{MpMsg, MultiPaxos};
use automata::oracle::{LeaderOracle, SwitchingOmega};
use automata::sim::Sim;
use automata::{Fault, Monitors, Pid, Setup, SystemModel, Time, Value};
use links::FairLossLinks;
use proptest::prelude::*;

mod common;
use common::{broadcasting, config, crash, tob_monitors, Found};

proptest! {
    #![proptest_config(config(32, 0x004d_5058))]

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
            .map(|(p, at)| crash(p, at, true))
            .collect();
        let broadcasts: Vec<(Pid, Time)> = broadcasts.into_iter().map(|(p, at)| (p % n, at)).collect();
        let setup = Setup::new(n, SystemModel::synchronous(1, 8), |_| MultiPaxos::<Value, _>::new(10, LeaderOracle::new(3)))
            .faults(faults);
        let out = Sim::new(broadcasting(setup, &broadcasts), Monitors::new(tob_monitors(true)))
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
fn explore(make: fn(Time) -> Mp, crash_at: Time) -> Found {
    let setup = Setup::new(3, SystemModel::synchronous(1, 1), move |_| make(crash_at))
        .faults(vec![crash(0, crash_at, true)]);
    let setup = broadcasting(setup, &[(0, 1), (1, 1)]);
    common::explore(setup, tob_monitors(true), 400_000, 150)
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
