//! Atomic commit: Consensus-Based NBAC keeps NBAC1-NBAC5 under random crash plans, votes and
//! schedules over the P oracle, and on every path of small exhaustive checks; each of its
//! mutants, and Two-Phase Commit and its timeout mutant, break the property they break under
//! the same bounds; and what a failure-free decision costs each of them.

use applications::consensus_nbac::{self, ConsensusNbac};
use applications::monitors::{AbortValidity, CommitValidity};
use applications::paxos_commit::{self, PaxosCommit};
use applications::three_phase_commit::{self, ThreePhaseCommit};
use applications::two_phase_commit::{self, TwoPhaseCommit};
use applications::Vote;
use automata::model::Delay;
use automata::oracle::{LeaderOracle, PerfectOracle, SwitchingOmega};
use automata::sim::Sim;
use automata::{Fault, Module, Monitor, Monitors, Setup, SystemModel, Time};
use consensus::monitors::{Integrity, Termination, UniformAgreement};
use consensus::{FloodingUniformConsensus, Msg, Propose};
use links::FairLossLinks;
use proptest::prelude::*;

mod common;
use common::{config, crash, Checked};

/// NBAC1-NBAC5 on the `nbac` layer, in that order.
fn monitors() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(Termination::new("nbac")),
        Box::new(AbortValidity::new("nbac")),
        Box::new(CommitValidity::new("nbac")),
        Box::new(Integrity::new("nbac")),
        Box::new(UniformAgreement::new("nbac")),
    ]
}

/// The one monitor of NBAC1-NBAC5 named `name`.
fn only(name: &str) -> Vec<Box<dyn Monitor>> {
    let mut all = monitors();
    all.retain(|m| m.name() == name);
    assert_eq!(all.len(), 1, "{name}");
    all
}

/// NBAC2-NBAC5: the safety properties.
fn safety() -> Vec<Box<dyn Monitor>> {
    let mut all = monitors();
    all.retain(|m| m.name() != "termination");
    all
}

/// Process p votes `votes[p]` at `at[p]`.
fn voting<R: Module<Req = Propose<Vote>>>(
    setup: Setup<R>,
    votes: &[Vote],
    at: &[Time],
) -> Setup<R> {
    votes
        .iter()
        .zip(at)
        .enumerate()
        .fold(setup, |s, (p, (&v, &t))| s.request(t, p, Propose(v)))
}

/// A random run of `n` processes: each votes (ABORT one time in four) at a time in the first
/// 30 ticks; up to n − 1 of them crash in the first 40 ticks, some losing what they had in
/// flight (a process may crash before it votes).
type Plan = (usize, Vec<Vote>, Vec<Time>, Vec<Fault>);

fn plan() -> impl Strategy<Value = Plan> {
    (2..5usize).prop_flat_map(|n| {
        let vote = prop_oneof![3 => Just(Vote::Commit), 1 => Just(Vote::Abort)];
        (
            Just(n),
            proptest::collection::vec(vote, n),
            proptest::collection::vec(1..30u64, n),
            proptest::collection::btree_map(0..n, (0..40u64, any::<bool>()), 0..n),
        )
            .prop_map(|(n, votes, at, crashes)| {
                let faults = crashes
                    .into_iter()
                    .map(|(p, (t, drop))| crash(p, t, drop))
                    .collect();
                (n, votes, at, faults)
            })
    })
}

fn simulate<R: Module<Req = Propose<Vote>>>(
    setup: Setup<R>,
    plan: &Plan,
    monitors: Vec<Box<dyn Monitor>>,
    seed: u64,
) -> automata::sim::Outcome {
    let setup = voting(setup.faults(plan.3.clone()), &plan.1, &plan.2);
    Sim::new(setup, Monitors::new(monitors))
        .seed(seed)
        .max_time(1_500)
        .run()
}

proptest! {
    #![proptest_config(config(24, 0x4e42_4143))]

    /// Consensus-Based NBAC over Basic Broadcast, P and Flooding Uniform Consensus: NBAC1-NBAC5
    /// under any crash plan, any votes and any schedule.
    #[test]
    fn consensus_nbac_is_nbac(plan in plan(), seed in any::<u64>()) {
        let setup = Setup::new(plan.0, SystemModel::synchronous(1, 8), |_| consensus_nbac::standard(10, PerfectOracle::new(2)));
        let out = simulate(setup, &plan, monitors(), seed);
        prop_assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
    }

    /// Three-Phase Commit over P: NBAC1-NBAC5 under any crash plan, any votes and any
    /// schedule (it does not block where Two-Phase Commit does).
    #[test]
    fn three_phase_commit_is_nbac(plan in plan(), seed in any::<u64>()) {
        let setup = Setup::new(plan.0, SystemModel::synchronous(1, 8), |_| ThreePhaseCommit::new(10, PerfectOracle::new(2)));
        let out = simulate(setup, &plan, monitors(), seed);
        prop_assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
    }

    /// Two-Phase Commit keeps NBAC5-NBAC3 under any crash plan, and terminates when nobody
    /// crashes.
    #[test]
    fn two_phase_commit_is_safe_and_terminates_without_crashes(plan in plan(), seed in any::<u64>()) {
        let make = |_| TwoPhaseCommit::new(10);
        let out = simulate(Setup::new(plan.0, SystemModel::synchronous(1, 8), make), &plan, safety(), seed);
        prop_assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
        let calm = (plan.0, plan.1.clone(), plan.2.clone(), vec![]);
        let out = simulate(Setup::new(plan.0, SystemModel::synchronous(1, 8), make), &calm, monitors(), seed);
        prop_assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
    }
}

/// The whole stack over the bare network (no retransmission), so every path of a check ends.
type Net<M> = FairLossLinks<M>;
type Uc = FloodingUniformConsensus<Vote, PerfectOracle, Net<Msg<Vote>>>;
type Nbac = ConsensusNbac<PerfectOracle, Uc, Net<Vote>>;
type Tpc = TwoPhaseCommit<Net<two_phase_commit::Msg>>;

fn nbac(p: PerfectOracle) -> Nbac {
    ConsensusNbac::over(
        Net::default(),
        FloodingUniformConsensus::over(Net::default(), p.clone()),
        p,
    )
}

/// N processes, as many as `votes`.
const N: usize = 3;

/// Explores every path, breadth-first on one thread (the same counts on every run): every
/// process votes at time 1 (`votes`), every message takes one tick, so what varies is the
/// order of each tick's steps (which messages a crash catches in flight, which arrive before
/// a detection), with `plan`'s crashes, over the P oracle made quiescent once it has
/// detected them.
fn explore<R: Module<Req = Propose<Vote>>>(
    make: impl Fn(PerfectOracle) -> R + Send + Sync + 'static,
    votes: [Vote; N],
    plan: Vec<Fault>,
    monitors: Vec<Box<dyn Monitor>>,
) -> Checked {
    let p = PerfectOracle::new(2).quiescent_after(plan.len());
    explore_over(p, make, votes, plan, monitors)
}

/// [`explore`] over the oracle `oracle` (made quiescent once it has seen the plan's crashes).
fn explore_over<O: Clone + Send + Sync + 'static, R: Module<Req = Propose<Vote>>>(
    oracle: O,
    make: impl Fn(O) -> R + Send + Sync + 'static,
    votes: [Vote; N],
    plan: Vec<Fault>,
    monitors: Vec<Box<dyn Monitor>>,
) -> Checked {
    let setup = Setup::new(N, SystemModel::synchronous(1, 1), move |_| {
        make(oracle.clone())
    })
    .faults(plan);
    common::explore(voting(setup, &votes, &[1; N]), monitors, 1_000_000, 200).into()
}

use Vote::{Abort as A, Commit as C};

/// The configurations of the exhaustive checks: everyone votes COMMIT and nobody crashes;
/// process 1 votes ABORT; everyone votes COMMIT and process 0 crashes at time 2, losing
/// what it has in flight (its vote, sent at time 1 and due at 2, may have reached anyone or
/// no one, so the others may propose COMMIT or wait for P and propose ABORT).
fn configurations() -> Vec<([Vote; N], Vec<Fault>)> {
    vec![
        ([C, C, C], vec![]),
        ([C, A, C], vec![]),
        ([C, C, C], vec![crash(0, 2, true)]),
    ]
}

/// Asserts that NBAC1-NBAC5 hold on every path of every configuration, exhaustively; the
/// unique states of each.
fn holds_on_every_path<R: Module<Req = Propose<Vote>>>(
    make: impl Fn(PerfectOracle) -> R + Clone + Send + Sync + 'static,
) -> Vec<usize> {
    configurations()
        .into_iter()
        .map(|(votes, plan)| {
            let c = explore(make.clone(), votes, plan.clone(), monitors());
            assert_eq!(
                c.violated, None,
                "{votes:?} {plan:?}: after {} states",
                c.unique
            );
            assert!(c.complete, "{votes:?} {plan:?}: not exhaustive: {c:?}");
            c.unique
        })
        .collect()
}

/// Whether the monitor of `property` alone finds a violation on some path of some
/// configuration.
fn caught<R: Module<Req = Propose<Vote>>>(
    make: impl Fn(PerfectOracle) -> R + Clone + Send + Sync + 'static,
    property: &str,
) -> bool {
    configurations().into_iter().any(|(votes, plan)| {
        explore(make.clone(), votes, plan, only(property))
            .violated
            .is_some()
    })
}

/// N = 3, every message taking one tick: Consensus-Based NBAC keeps NBAC1-NBAC5 on every
/// path of the three configurations, and under the same bounds each mutant breaks its
/// property: proposing COMMIT on its own vote breaks commit-validity, ignoring P
/// termination, deciding ABORT at once integrity.
#[test]
fn consensus_nbac_holds_on_every_path_and_its_mutants_do_not() {
    let states = holds_on_every_path(nbac);
    assert_eq!(states, PINNED_NBAC, "pinned state counts changed");
    assert!(caught(|p| nbac(p).hasty(), "commit-validity"));
    assert!(caught(|p| nbac(p).blind(), "termination"));
    assert!(caught(|p| nbac(p).abort_at_once(), "integrity"));
    // All five monitors together name the same property first.
    let one_abort = configurations()[1].0;
    let hasty = explore(|p| nbac(p).hasty(), one_abort, vec![], monitors());
    assert_eq!(hasty.violated, Some("commit-validity"));
    let twice = explore(|p| nbac(p).abort_at_once(), one_abort, vec![], monitors());
    assert_eq!(twice.violated, Some("integrity"));
    let blind = explore(
        |p| nbac(p).blind(),
        [C; N],
        vec![crash(0, 2, true)],
        monitors(),
    );
    assert_eq!(blind.violated, Some("termination"));
}

fn tpc(_: PerfectOracle) -> Tpc {
    TwoPhaseCommit::over(Net::default())
}

/// Under the same bounds: Two-Phase Commit keeps NBAC1-NBAC5 on every path without a crash
/// and NBAC5-NBAC3 on every path where the coordinator crashes at time 3, when the votes
/// arrive; there termination fails. A participant deciding ABORT after waiting one tick
/// breaks uniform agreement (the coordinator decided COMMIT and crashed) and abort-validity
/// (nobody crashed).
#[test]
fn two_phase_commit_is_safe_on_every_path_but_blocks_and_timing_out_is_unsafe() {
    let mut states = Vec::new();
    for (votes, plan) in &configurations()[..2] {
        let c = explore(tpc, *votes, plan.clone(), monitors());
        assert_eq!(c.violated, None, "{votes:?}: after {} states", c.unique);
        assert!(c.complete, "{votes:?}: {c:?}");
        states.push(c.unique);
    }
    let coordinator_crash = || vec![crash(0, 3, true)];
    let c = explore(tpc, [C; N], coordinator_crash(), safety());
    assert_eq!(c.violated, None, "after {} states", c.unique);
    assert!(c.complete, "{c:?}");
    states.push(c.unique);
    assert_eq!(states, PINNED_TPC, "pinned state counts changed");
    let blocked = explore(tpc, [C; N], coordinator_crash(), monitors());
    assert_eq!(blocked.violated, Some("termination"));

    let impatient = |_| TwoPhaseCommit::over(Net::default()).timeout_abort(1);
    let split = explore(
        impatient,
        [C; N],
        coordinator_crash(),
        only("uniform-agreement"),
    );
    assert_eq!(split.violated, Some("uniform-agreement"));
    let unfounded = explore(impatient, [C; N], vec![], only("abort-validity"));
    assert_eq!(unfounded.violated, Some("abort-validity"));
}

/// What a failure-free decision costs, everyone voting COMMIT at time 5 and every message
/// taking δ = 5 ticks: (`decision_latency` / δ, `decision_messages`) for N = 2 to 5.
fn cost<R: Module<Req = Propose<Vote>>>(ns: &[usize], make: fn() -> R) -> Vec<(u64, u64)> {
    let delta = 5;
    ns.iter()
        .map(|&n| {
            let model = SystemModel {
                delay: Delay {
                    min: delta,
                    max: delta,
                    ..Delay::default()
                },
                ..SystemModel::synchronous(1, delta)
            };
            let setup = voting(
                Setup::new(n, model, move |_| make()),
                &vec![C; n],
                &vec![5; n],
            );
            let out = Sim::new(setup, Monitors::new(monitors()))
                .max_time(1_000)
                .run();
            assert!(out.all_hold(), "{:#?}", out.properties);
            let m = |k: &str| out.metrics[k] as u64;
            (m("decision_latency") / delta, m("decision_messages"))
        })
        .collect()
}

/// Two-Phase Commit: three steps (PREPARE, VOTE, DECISION) and 3(N − 1) messages, the
/// coordinator's own vote and decision not travelling. Consensus-Based NBAC over Flooding
/// Uniform Consensus: one step and N² messages for the votes, then N rounds of N² messages.
#[test]
fn failure_free_costs() {
    let tpc = cost(&[2, 3, 4, 5], || TwoPhaseCommit::new(100));
    assert_eq!(tpc, [2, 3, 4, 5].map(|n| (3, 3 * (n - 1))));
    let nbac = cost(&[2, 3, 4, 5], || {
        consensus_nbac::standard(100, PerfectOracle::new(100))
    });
    assert_eq!(nbac, [2, 3, 4, 5].map(|n| (n + 1, n * n * (n + 1))));
}

/// Unique states of the exhaustive checks, one per configuration.
const PINNED_NBAC: [usize; 3] = [2_071, 2_071, 263_373];
const PINNED_TPC: [usize; 3] = [13, 13, 19];

type Tpc3 = ThreePhaseCommit<PerfectOracle, Net<three_phase_commit::Msg>>;

fn tpc3(p: PerfectOracle) -> Tpc3 {
    ThreePhaseCommit::over(Net::default(), p)
}

/// Unique states of Three-Phase Commit's checks: the three configurations, then the
/// coordinator crashing at 3 (when the votes reach it: where Two-Phase Commit blocks), at 4
/// (its PRECOMMITs in flight, lost), and at 2 with process 1 voting ABORT (the new
/// coordinator decided on its own vote and must still tell the others).
const PINNED_3PC: [usize; 6] = [19, 13, 149, 71, 195, 129];

/// Under the same bounds as above, Three-Phase Commit keeps NBAC1-NBAC5 on every path, also
/// where the coordinator's crash blocks Two-Phase Commit: the others run the termination
/// protocol and decide.
#[test]
fn three_phase_commit_holds_on_every_path_where_two_phase_commit_blocks() {
    let mut states = holds_on_every_path(tpc3);
    for (votes, at) in [([C; N], 3), ([C; N], 4), ([C, A, C], 2)] {
        let c = explore(tpc3, votes, vec![crash(0, at, true)], monitors());
        assert_eq!(c.violated, None, "crash at {at}: after {} states", c.unique);
        assert!(c.complete, "crash at {at}: {c:?}");
        states.push(c.unique);
    }
    assert_eq!(states, PINNED_3PC, "pinned state counts changed");
}

/// Paxos Commit's failure-free cost (C.10, Gray and Lamport 2006), everyone voting COMMIT at
/// once, with the leader, RM 0 and acceptor 0 on one process: four steps (PREPARE, the RMs'
/// phase 2a, the acceptors' bundled phase 2b, OUTCOME), one more than Two-Phase Commit, and
/// (N − 1)(F + 3) + F messages: N − 1 PREPAREs, N − 1 OUTCOMEs, phase 2a to F + 1 acceptors
/// from every RM but their own, one bundle from each of F acceptors. For N = 5 and F = 1 that
/// is the paper's 17 against Two-Phase Commit's 12; with F = 0 it is Two-Phase Commit, step
/// for step and message for message.
#[test]
fn paxos_commit_costs_one_step_more_than_two_phase_commit() {
    let f1 = cost(&[3, 4, 5], || {
        PaxosCommit::new(100, LeaderOracle::new(100), 1, 1_000)
    });
    assert_eq!(f1, [3, 4, 5].map(|n| (4, (n - 1) * 4 + 1)));
    assert_eq!(f1[2], (4, 17));
    let f2 = cost(&[5], || {
        PaxosCommit::new(100, LeaderOracle::new(100), 2, 1_000)
    });
    assert_eq!(f2, [(4, 4 * 5 + 2)]);
    let f0 = cost(&[2, 3, 4, 5], || {
        PaxosCommit::new(100, LeaderOracle::new(100), 0, 1_000)
    });
    assert_eq!(f0, cost(&[2, 3, 4, 5], || TwoPhaseCommit::new(100)));
}

proptest! {
    #![proptest_config(config(24, 0x5043_4d54))]

    /// Paxos Commit with F = 1 over the Ω oracle: NBAC1-NBAC5 under any votes, any schedule
    /// and any crash plan that leaves two of the three acceptors (processes 0, 1, 2) correct;
    /// the recovering leader waits 100 ticks, far above a failure-free commit, so it aborts
    /// only what a crash left undecided.
    #[test]
    fn paxos_commit_is_nbac(plan in plan(), seed in any::<u64>()) {
        let (n, mut votes, mut at, mut faults) = plan;
        let n = n.max(3);
        votes.resize(n, Vote::Commit);
        at.resize(n, 1);
        let mut acceptors = 0;
        faults.retain(|f| match f {
            Fault::Crash { process, .. } if *process <= 2 => { acceptors += 1; acceptors <= 1 }
            _ => true,
        });
        let plan = (n, votes, at, faults);
        let setup = Setup::new(n, SystemModel::synchronous(1, 8), |_| {
            PaxosCommit::new(10, LeaderOracle::new(3), 1, 100)
        });
        let out = simulate(setup, &plan, monitors(), seed);
        prop_assert!(out.all_hold(), "seed {seed}: {:#?}", out.properties);
    }
}

type Pc = PaxosCommit<SwitchingOmega, Net<paxos_commit::Msg>>;

/// Ω trusts process 0, then process 1 from time 3 on, whether 0 crashed or not.
const OMEGA: SwitchingOmega = SwitchingOmega { switch: 3 };

fn pc(omega: SwitchingOmega) -> Pc {
    PaxosCommit::over(Net::default(), omega, 1, 6)
}

fn no_phase_one(omega: SwitchingOmega) -> Pc {
    pc(omega).without_phase_one()
}

/// Unique states of Paxos Commit's checks: the three configurations, then process 0 (leader,
/// RM and acceptor) crashing at 5, when its OUTCOME COMMIT is in flight.
const PINNED_PC: [usize; 4] = [94, 197, 364, 141];

/// N = 3, F = 1, every message taking one tick, over the bare network and an Ω that moves
/// from process 0 to process 1 at time 3 (a leader change whether or not 0 crashed): Paxos
/// Commit keeps NBAC1-NBAC5 on every path of the three configurations and where
/// process 0 crashes after deciding COMMIT (process 1, trusted next, recovers the chosen
/// votes through phase 1 and decides COMMIT too). Under that last bound a recovering leader
/// that skips phase 1 decides ABORT: uniform agreement.
#[test]
fn paxos_commit_holds_on_every_path_and_skipping_phase_one_does_not() {
    let mut plans = configurations();
    plans.push(([C; N], vec![crash(0, 5, true)]));
    let mut states = Vec::new();
    for (votes, plan) in plans {
        let c = explore_over(OMEGA, pc, votes, plan.clone(), monitors());
        assert_eq!(
            c.violated, None,
            "{votes:?} {plan:?}: after {} states",
            c.unique
        );
        assert!(c.complete, "{votes:?} {plan:?}: {c:?}");
        states.push(c.unique);
    }
    assert_eq!(states, PINNED_PC, "pinned state counts changed");
    let c = explore_over(
        OMEGA,
        no_phase_one,
        [C; N],
        vec![crash(0, 5, true)],
        monitors(),
    );
    assert_eq!(c.violated, Some("uniform-agreement"));
}
