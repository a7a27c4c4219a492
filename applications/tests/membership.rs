//! Group membership and view synchrony: Consensus-Based Group Membership keeps GM1-GM4, and
//! Consensus-Based Uniform View-Synchronous Communication its properties, under random crash
//! plans and schedules over the P oracle and on every path of small exhaustive checks;
//! installing views without consensus breaks uniform agreement, ◇P taken as P breaks
//! accuracy, and a view change without flush breaks same-view delivery, under the same
//! bounds.

use applications::consensus_group_membership::{self, ConsensusGroupMembership, View};
use applications::consensus_view_synchrony::{self, ConsensusViewSynchrony, NextView, VsMsg};
use applications::monitors::{Accuracy, Completeness, Monotonicity, ViewAgreement};
use applications::monitors::{SameViewDelivery, ViewInclusion};
use automata::oracle::{EventuallyPerfectOracle, PerfectOracle};
use automata::sim::Sim;
use automata::Pid;
use automata::Value;
use automata::{detector::PerfectDetector, Fault, Module, Monitor, Monitors, Setup, SystemModel};
use broadcast::monitors::{Agreement, NoCreation, NoDuplication, Validity};
use consensus::{FloodingUniformConsensus, Msg};
use links::detectors::{NeverDetect, SuspicionsAsCrashes};
use links::FairLossLinks;
use proptest::prelude::*;

mod common;
use common::{broadcasting, config, crash};

/// GM1-GM4 on the `gm` layer, in that order.
fn gm_monitors() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(Monotonicity::new("gm")),
        Box::new(ViewAgreement::new("gm")),
        Box::new(Completeness::new("gm")),
        Box::new(Accuracy::new("gm")),
    ]
}

/// The one GM monitor named `name`.
fn gm_only(name: &str) -> Vec<Box<dyn Monitor>> {
    let mut all = gm_monitors();
    all.retain(|m| m.name() == name);
    assert_eq!(all.len(), 1, "{name}");
    all
}

/// Up to n − 1 of `n` processes crash in the first 40 ticks, some losing what they had in
/// flight.
fn crashes(n: usize) -> impl Strategy<Value = Vec<Fault>> {
    proptest::collection::btree_map(0..n, (0..40u64, any::<bool>()), 0..n).prop_map(|c| {
        c.into_iter()
            .map(|(p, (t, drop))| crash(p, t, drop))
            .collect()
    })
}

fn gm_plan() -> impl Strategy<Value = (usize, Vec<Fault>)> {
    (2..5usize).prop_flat_map(|n| (Just(n), crashes(n)))
}

proptest! {
    #![proptest_config(config(24, 0x474d_0000))]

    /// Consensus-Based Group Membership over P and Flooding Uniform Consensus: GM1-GM4 under
    /// any crash plan and schedule.
    #[test]
    fn consensus_group_membership_is_gm((n, faults) in gm_plan(), seed in any::<u64>()) {
        let setup = Setup::new(n, SystemModel::synchronous(1, 8), |_| {
            consensus_group_membership::standard(10, PerfectOracle::new(2))
        })
        .faults(faults);
        let out = Sim::new(setup, Monitors::new(gm_monitors()))
            .seed(seed)
            .max_time(2_000)
            .run();
        prop_assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
    }
}

/// N = 4, processes 0 and 1 crash at 5 and 30: the correct processes 2 and 3 install (1, {1,
/// 2, 3}) and then (2, {2, 3}), and GM1-GM4 hold.
#[test]
fn two_crashes_give_two_views() {
    let setup = Setup::new(4, SystemModel::synchronous(1, 5), |_| {
        consensus_group_membership::standard(10, PerfectOracle::new(2))
    })
    .faults(vec![crash(0, 5, true), crash(1, 30, false)]);
    let out = Sim::new(setup, Monitors::new(gm_monitors()))
        .seed(7)
        .max_time(1_000)
        .record(true)
        .run();
    assert!(out.all_hold(), "{:#?}", out.properties);
    let trace = out.trace.expect("recorded");
    let gm = automata::Layer::new("gm");
    for p in [2, 3] {
        let views: Vec<View> = trace
            .iter()
            .filter(|e| e.process == p)
            .filter_map(|e| applications::monitors::membership::installed(&gm, e))
            .collect();
        let ids: Vec<(u64, Vec<Pid>)> = views
            .iter()
            .map(|v| (v.id, v.members.iter().copied().collect()))
            .collect();
        assert_eq!(
            ids,
            [(0, vec![0, 1, 2, 3]), (1, vec![1, 2, 3]), (2, vec![2, 3])]
        );
    }
}

/// The whole stack over the bare network (no retransmission), so every path of a check ends.
type Net<M> = FairLossLinks<M>;
type Uc<D> = FloodingUniformConsensus<View, D, Net<Msg<View>>>;
type Gm<D> = ConsensusGroupMembership<D, Uc<D>>;

fn gm<D: PerfectDetector>(p: D) -> Gm<D> {
    ConsensusGroupMembership::over(FloodingUniformConsensus::over(Net::default(), p.clone()), p)
}

/// N processes.
const N: usize = 3;

/// Explores every path of `N` processes, breadth-first on one thread (the same counts on
/// every run), every message taking one tick, with `plan`'s faults; `make` builds each
/// process's module over the detector it is handed.
fn explore<R: Module>(
    make: impl Fn() -> R + Send + Sync + 'static,
    plan: Vec<Fault>,
    monitors: Vec<Box<dyn Monitor>>,
) -> common::Found {
    let setup = Setup::new(N, SystemModel::synchronous(1, 1), move |_| make()).faults(plan);
    common::explore(setup, monitors, 2_000_000, 200)
}

/// The crash plans of the exhaustive checks: process 0 crashes at 1 (one view change);
/// process 0 crashes at 1 and process 1 at 2, as process 1's detector polls (process 1 may
/// detect 0 and take part in the first change, or crash before; process 2 may see the crashes
/// one by one or both at once).
fn plans() -> Vec<Vec<Fault>> {
    vec![
        vec![crash(0, 1, true)],
        vec![crash(0, 1, true), crash(1, 2, true)],
    ]
}

/// The P oracle, quiescent once it has detected the plan's crashes.
fn oracle(plan: &[Fault]) -> PerfectOracle {
    PerfectOracle::new(2).quiescent_after(plan.len())
}

/// N = 3, every message taking one tick: Consensus-Based Group Membership keeps GM1-GM4 on
/// every path of both plans, and under the same bounds installing views without consensus
/// breaks uniform agreement (GM2): process 1 installs (1, {1, 2}) before it crashes, process
/// 2 detects both crashes at once and installs (1, {2}).
#[test]
fn consensus_group_membership_holds_on_every_path_and_its_mutant_does_not() {
    let states: Vec<usize> = plans()
        .into_iter()
        .map(|plan| {
            let p = oracle(&plan);
            let (violated, unique, complete) =
                explore(move || gm(p.clone()), plan.clone(), gm_monitors());
            assert_eq!(violated, None, "{plan:?}: after {unique} states");
            assert!(complete, "{plan:?}: not exhaustive after {unique} states");
            unique
        })
        .collect();
    assert_eq!(states, PINNED_GM, "pinned state counts changed");
    let caught = plans().into_iter().any(|plan| {
        let p = oracle(&plan);
        let found = explore(
            move || gm(p.clone()).local(),
            plan,
            gm_only("uniform-agreement"),
        );
        found.0.is_some()
    });
    assert!(caught, "the local mutant keeps uniform agreement");
    let plan = plans().pop().expect("two plans");
    let p = oracle(&plan);
    let all = explore(move || gm(p.clone()).local(), plan, gm_monitors());
    assert_eq!(all.0, Some("uniform-agreement"));
}

/// Unique states of the exhaustive checks, one per crash plan.
const PINNED_GM: [usize; 2] = [198, 143];

/// ◇P taken as P, under the same bounds: with no crash at all, processes 1 and 2 falsely
/// suspect process 0 during [0, 3); they propose (1, {1, 2}), and without waiting for 0 the
/// consensus below decides it: accuracy (GM4) fails.
#[test]
fn eventually_perfect_detector_breaks_accuracy() {
    let suspect = |by| Fault::Suspect {
        process: 0,
        by,
        from: 0,
        until: 3,
    };
    let ep = SuspicionsAsCrashes::new(EventuallyPerfectOracle::new(2));
    let plan = vec![suspect(1), suspect(2)];
    let (violated, unique, _) = explore(move || gm(ep.clone()), plan, gm_only("accuracy"));
    assert_eq!(violated, Some("accuracy"), "after {unique} states");
}

/// A detector that never detects (too weak: no completeness), under the same bounds:
/// process 0 crashes and the survivors stay in view (0, {0, 1, 2}) to the end of every path:
/// completeness (GM3) fails.
#[test]
fn a_detector_that_never_detects_breaks_completeness() {
    let plan = plans().remove(0);
    let (violated, unique, _) = explore(move || gm(NeverDetect), plan, gm_only("completeness"));
    assert_eq!(violated, Some("completeness"), "after {unique} states");
}

/// The end of a run the checks above do not need: a simulator run whose horizon falls before
/// the crashes have settled leaves completeness inconclusive, never violated.
#[test]
fn completeness_is_inconclusive_on_a_cut_run() {
    let setup = Setup::new(3, SystemModel::synchronous(1, 5), |_| {
        consensus_group_membership::standard(10, PerfectOracle::new(2))
    })
    .faults(vec![crash(0, 50, true)]);
    let out = Sim::new(setup, Monitors::new(gm_monitors()))
        .seed(1)
        .settle(500)
        .max_time(52)
        .run();
    assert!(!out.verdict("completeness").is_violation());
    assert!(!out.verdict("completeness").holds());
}

/// The properties of `vs` on its layer: VS1, same-view delivery, reliable broadcast's
/// validity, no duplication, no creation and uniform agreement, and GM1-GM4 on its views.
fn vs_monitors() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(ViewInclusion::new("vs")),
        Box::new(SameViewDelivery::new("vs")),
        Box::new(Validity::reliable("vs")),
        Box::new(NoDuplication::new("vs")),
        Box::new(NoCreation::new("vs")),
        Box::new(Agreement::uniform("vs")),
        Box::new(Monotonicity::new("vs")),
        Box::new(ViewAgreement::new("vs").named("view-agreement")),
        Box::new(Completeness::new("vs")),
        Box::new(Accuracy::new("vs")),
    ]
}

/// The one `vs` monitor named `name`.
fn vs_only(name: &str) -> Vec<Box<dyn Monitor>> {
    let mut all = vs_monitors();
    all.retain(|m| m.name() == name);
    assert_eq!(all.len(), 1, "{name}");
    all
}

/// A random run of `n` processes: up to n − 1 crash in the first 40 ticks; up to four
/// broadcasts from any process in the first 60.
fn vs_plan() -> impl Strategy<Value = (usize, Vec<Fault>, Vec<(Pid, u64)>)> {
    (2..5usize).prop_flat_map(|n| {
        (
            Just(n),
            crashes(n),
            proptest::collection::vec((0..n, 1..60u64), 1..5),
        )
    })
}

proptest! {
    #![proptest_config(config(24, 0x5653_0000))]

    /// Consensus-Based Uniform View-Synchronous Communication over Basic Broadcast, P and
    /// Flooding Uniform Consensus: every property under any crash plan, workload and
    /// schedule.
    #[test]
    fn consensus_view_synchrony_is_vs((n, faults, sends) in vs_plan(), seed in any::<u64>()) {
        let setup = Setup::new(n, SystemModel::synchronous(1, 8), |_| {
            consensus_view_synchrony::standard::<Value, _>(10, PerfectOracle::new(2))
        })
        .faults(faults);
        let setup = broadcasting(setup, &sends);
        let out = Sim::new(setup, Monitors::new(vs_monitors()))
            .seed(seed)
            .max_time(2_000)
            .run();
        prop_assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
    }
}

type VsUc = FloodingUniformConsensus<NextView<Value>, PerfectOracle, Net<Msg<NextView<Value>>>>;
type Vs = ConsensusViewSynchrony<Value, PerfectOracle, VsUc, Net<VsMsg<Value>>>;

fn vs(p: PerfectOracle) -> Vs {
    ConsensusViewSynchrony::over(
        Net::default(),
        FloodingUniformConsensus::over(Net::default(), p.clone()),
        p,
    )
}

/// The plans of the view-synchrony checks, process 0 broadcasting m0 at 1 (it reaches
/// everyone at 2, and every relay leaves then): process 2 crashes at 3, its relays caught in
/// flight (process 0 may have received its relay, and delivered m0, while process 1 has
/// not); process 0, the sender, crashes at 2, its own message caught in flight.
fn vs_plans() -> Vec<Vec<Fault>> {
    vec![vec![crash(2, 3, true)], vec![crash(0, 2, true)]]
}

fn explore_vs(
    make: impl Fn(PerfectOracle) -> Vs + Send + Sync + 'static,
    plan: Vec<Fault>,
    monitors: Vec<Box<dyn Monitor>>,
) -> common::Found {
    let p = oracle(&plan);
    let setup =
        Setup::new(N, SystemModel::synchronous(1, 1), move |_| make(p.clone())).faults(plan);
    common::explore(broadcasting(setup, &[(0, 1)]), monitors, 2_000_000, 200)
}

/// N = 3, every message taking one tick: Consensus-Based Uniform View-Synchronous
/// Communication keeps every property on every path of both plans, and under the same bounds
/// the mutant without flush breaks same-view delivery (B-9.10): process 0 delivered m0 in
/// view 0, process 1 did not, and both install (1, {0, 1}).
#[test]
fn consensus_view_synchrony_holds_on_every_path_and_its_mutant_does_not() {
    let states: Vec<usize> = vs_plans()
        .into_iter()
        .map(|plan| {
            let (violated, unique, complete) = explore_vs(vs, plan.clone(), vs_monitors());
            assert_eq!(violated, None, "{plan:?}: after {unique} states");
            assert!(complete, "{plan:?}: not exhaustive after {unique} states");
            unique
        })
        .collect();
    assert_eq!(states, PINNED_VS, "pinned state counts changed");
    let caught = vs_plans().into_iter().any(|plan| {
        explore_vs(|p| vs(p).no_flush(), plan, vs_only("same-view-delivery"))
            .0
            .is_some()
    });
    assert!(caught, "the mutant without flush keeps same-view delivery");
    let all = explore_vs(|p| vs(p).no_flush(), vs_plans().remove(0), vs_monitors());
    assert_eq!(all.0, Some("same-view-delivery"));
}

/// Unique states of the view-synchrony checks, one per plan.
const PINNED_VS: [usize; 2] = [4_368, 19_603];
