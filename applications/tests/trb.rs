//! Terminating reliable broadcast: Consensus-Based Uniform TRB keeps termination, validity,
//! integrity and uniform agreement under random crash plans, senders and schedules over the P
//! oracle, and on every path of small exhaustive checks with the sender crashing and not;
//! each of its mutants breaks the property it breaks under the same bounds.

use applications::consensus_trb::{self, ConsensusTrb};
use applications::monitors::{TrbAgreement, TrbIntegrity, TrbTermination, TrbValidity};
use applications::TrbValue;
use automata::oracle::PerfectOracle;
use automata::sim::Sim;
use automata::{Fault, Module, Monitor, Monitors, Pid, Setup, SystemModel, Time, Value};
use broadcast::Broadcast;
use consensus::{FloodingUniformConsensus, Msg};
use links::FairLossLinks;
use proptest::prelude::*;

mod common;
use common::{config, crash, Checked};

/// Termination, validity, integrity and uniform agreement on the `utrb` layer, in that order.
fn monitors() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(TrbTermination::new("utrb")),
        Box::new(TrbValidity::new("utrb")),
        Box::new(TrbIntegrity::new("utrb")),
        Box::new(TrbAgreement::new("utrb")),
    ]
}

/// The one monitor named `name`.
fn only(name: &str) -> Vec<Box<dyn Monitor>> {
    let mut all = monitors();
    all.retain(|m| m.name() == name);
    assert_eq!(all.len(), 1, "{name}");
    all
}

/// The sender `s` broadcasts `"m"` at `at`.
fn sending<R: Module<Req = Broadcast<Value>>>(setup: Setup<R>, s: Pid, at: Time) -> Setup<R> {
    setup.request(
        at,
        s,
        Broadcast {
            msg: Value::str("m"),
        },
    )
}

/// A random run of `n` processes: the sender (any process) broadcasts at a time in the first
/// 30 ticks; up to n − 1 processes crash in the first 40 ticks, the sender among them or not,
/// some losing what they had in flight (the sender may crash before it broadcasts).
type Plan = (usize, Pid, Time, Vec<Fault>);

fn plan() -> impl Strategy<Value = Plan> {
    (2..5usize).prop_flat_map(|n| {
        (
            Just(n),
            0..n,
            1..30u64,
            proptest::collection::btree_map(0..n, (0..40u64, any::<bool>()), 0..n),
        )
            .prop_map(|(n, s, at, crashes)| {
                let faults = crashes
                    .into_iter()
                    .map(|(p, (t, drop))| crash(p, t, drop))
                    .collect();
                (n, s, at, faults)
            })
    })
}

proptest! {
    #![proptest_config(config(24, 0x5452_4200))]

    /// Consensus-Based Uniform TRB over Basic Broadcast, P and Flooding Uniform Consensus: all
    /// four properties under any sender, crash plan and schedule.
    #[test]
    fn consensus_trb_is_utrb(plan in plan(), seed in any::<u64>()) {
        let (n, s, at, faults) = plan;
        let setup = Setup::new(n, SystemModel::synchronous(1, 8), move |_| {
            consensus_trb::standard(s, 10, PerfectOracle::new(2))
        });
        let setup = sending(setup.faults(faults), s, at);
        let out = Sim::new(setup, Monitors::new(monitors()))
            .seed(seed)
            .max_time(1_500)
            .run();
        prop_assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
    }
}

/// The whole stack over the bare network (no retransmission), so every path of a check ends.
type Net<M> = FairLossLinks<M>;
type Uc = FloodingUniformConsensus<TrbValue, PerfectOracle, Net<Msg<TrbValue>>>;
type Trb = ConsensusTrb<PerfectOracle, Uc, Net<Value>>;

/// The sender of the exhaustive checks.
const S: Pid = 0;

fn trb(p: PerfectOracle) -> Trb {
    ConsensusTrb::over(
        S,
        Net::default(),
        FloodingUniformConsensus::over(Net::default(), p.clone()),
        p,
    )
}

/// N processes.
const N: usize = 3;

/// Explores every path, breadth-first on one thread (the same counts on every run): process
/// 0, the sender, broadcasts at time 1, every message takes one tick, so what varies is the
/// order of each tick's steps (which messages a crash catches in flight, which arrive before
/// a detection), with `plan`'s crashes, over the P oracle made quiescent once it has detected
/// them.
fn explore<R: Module<Req = Broadcast<Value>>>(
    make: impl Fn(PerfectOracle) -> R + Send + Sync + 'static,
    plan: Vec<Fault>,
    monitors: Vec<Box<dyn Monitor>>,
) -> Checked {
    let p = PerfectOracle::new(2).quiescent_after(plan.len());
    let setup =
        Setup::new(N, SystemModel::synchronous(1, 1), move |_| make(p.clone())).faults(plan);
    common::explore(sending(setup, S, 1), monitors, 1_000_000, 200).into()
}

/// The crash plans of the exhaustive checks: nobody crashes; the sender crashes at time 2,
/// losing what it has in flight (its message, sent at 1 and due at 2, may have reached
/// anyone or no one, so the others may propose it, or wait for P and propose ⊥); the sender
/// crashes at time 3, during the first round of consensus (everyone has its message, but its
/// own proposal may have reached anyone or no one).
fn plans() -> Vec<Vec<Fault>> {
    vec![vec![], vec![crash(S, 2, true)], vec![crash(S, 3, true)]]
}

/// Asserts that the four properties hold on every path of every plan, exhaustively; the
/// unique states of each.
fn holds_on_every_path<R: Module<Req = Broadcast<Value>>>(
    make: impl Fn(PerfectOracle) -> R + Clone + Send + Sync + 'static,
) -> Vec<usize> {
    plans()
        .into_iter()
        .map(|plan| {
            let c = explore(make.clone(), plan.clone(), monitors());
            assert_eq!(c.violated, None, "{plan:?}: after {} states", c.unique);
            assert!(c.complete, "{plan:?}: not exhaustive: {c:?}");
            c.unique
        })
        .collect()
}

/// Whether the monitor of `property` alone finds a violation on some path of some plan.
fn caught<R: Module<Req = Broadcast<Value>>>(
    make: impl Fn(PerfectOracle) -> R + Clone + Send + Sync + 'static,
    property: &str,
) -> bool {
    plans().into_iter().any(|plan| {
        explore(make.clone(), plan, only(property))
            .violated
            .is_some()
    })
}

/// N = 3, every message taking one tick: Consensus-Based Uniform TRB keeps the four
/// properties on every path of the three plans, and under the same bounds each mutant breaks
/// its property: delivering without consensus breaks uniform agreement (the sender crashes
/// after its message reached only some), proposing ⊥ after a one-tick timeout validity (the
/// message is still on its way from a correct sender).
#[test]
fn consensus_trb_holds_on_every_path_and_its_mutants_do_not() {
    let states = holds_on_every_path(trb);
    assert_eq!(states, PINNED_TRB, "pinned state counts changed");
    assert!(caught(|p| trb(p).no_consensus(), "uniform-agreement"));
    assert!(caught(|p| trb(p).impatient(1), "validity"));
    // All four monitors together name the same property first.
    let split = explore(
        |p| trb(p).no_consensus(),
        vec![crash(S, 2, true)],
        monitors(),
    );
    assert_eq!(split.violated, Some("uniform-agreement"));
    let impatient = explore(|p| trb(p).impatient(1), vec![], monitors());
    assert_eq!(impatient.violated, Some("validity"));
}

/// Unique states of the exhaustive checks, one per crash plan.
const PINNED_TRB: [usize; 3] = [1_565, 13_103, 27_345];
