//! What the consensus tests share: the proptest configuration, crash faults, the uniform and
//! regular consensus monitors, and the round algorithms' crash plans, setups and exhaustive
//! checks (FloodSet and early deciding on the ideal lockstep runner).
#![allow(dead_code)] // each test file uses its own part

use automata::{Fault, Monitor, Pid, Time};
use consensus::monitors;
use proptest::test_runner::{Config, RngSeed};

/// 48 cases from the fixed seed `seed`, so a run of the suite is reproducible (each case draws
/// its own faults and simulation seed); `PROPTEST_CASES` and `PROPTEST_RNG_SEED` explore
/// other cases.
pub fn config(seed: u64) -> Config {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 48;
    }
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(seed);
    }
    config
}

/// `process` crashes at `at`; `drop_in_flight`: what it had sent and not yet delivered is lost.
pub fn crash(process: Pid, at: Time, drop_in_flight: bool) -> Fault {
    Fault::Crash {
        process,
        at,
        after_sends: None,
        drop_in_flight,
    }
}

/// C1-C3 and UC4 on module `uc`.
pub fn uniform() -> Vec<Box<dyn Monitor>> {
    let mut all = monitors::all("uc");
    all.retain(|m| m.name() != "agreement");
    all
}

// --- Round algorithms on the ideal lockstep runner (FloodSet, early deciding) ---------------

use automata::check::{Explore, Search};
use automata::model::{Delay, SystemModel};
use automata::rounds::{IdealRounds, RoundAlgorithm};
use automata::{Event, Monitors, Setup, TraceEvent, Value};

/// Δ of the synchronous model of the round tests.
pub const DELTA: Time = 3;
/// Round length: longer than Δ, so every round-r message arrives in round r.
pub const LENGTH: Time = DELTA + 1;
/// Round 0 starts at local time 1, so a plan can crash a process during its round-0 sends.
pub const START: Time = 1;

/// The synchronous model of the round tests: delays between 1 and Δ.
pub fn round_model() -> SystemModel {
    SystemModel {
        delay: Delay {
            min: 1,
            max: DELTA,
            ..Delay::default()
        },
        ..SystemModel::default()
    }
}

/// A crash in round terms: `process` crashes in round `round` (from 0) after `sends` of its
/// round messages (0: before sending any).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoundCrash {
    pub process: Pid,
    pub round: u64,
    pub sends: u64,
}

impl RoundCrash {
    /// The same crash for the ideal runner: counted from just before the round starts.
    pub fn fault(self) -> Fault {
        let at = START + self.round * LENGTH - 1;
        Fault::Crash {
            process: self.process,
            at: if self.sends == 0 { at + 1 } else { at },
            after_sends: (self.sends > 0).then_some(self.sends),
            drop_in_flight: false,
        }
    }
}

/// `n` processes running `alg` on ideal lockstep rounds from [`START`], with `crashes` and a
/// fault budget of `t`.
pub fn rounds_setup<A: RoundAlgorithm>(
    n: usize,
    t: usize,
    crashes: &[RoundCrash],
    alg: impl Fn(Pid) -> A + Send + Sync + 'static,
) -> Setup<IdealRounds<A>> {
    Setup::new(n, round_model(), move |p| {
        IdealRounds::new(alg(p), LENGTH).starting_at(START)
    })
    .faults(crashes.iter().map(|c| c.fault()).collect())
    .fault_budget(t)
}

/// The decisions of a trace: (process, value, time).
pub fn decisions(trace: &[TraceEvent]) -> Vec<(Pid, Value, Time)> {
    trace
        .iter()
        .filter_map(|e| match &e.event {
            Event::Decide { value } => Some((e.process, value.clone(), e.time)),
            _ => None,
        })
        .collect()
}

/// The round (from 0) at whose end a decision taken at `time` was taken.
pub fn round_ending_at(time: Time) -> u64 {
    assert!(
        time > START && (time - START).is_multiple_of(LENGTH),
        "{time} is not the end of a round"
    );
    (time - START) / LENGTH - 1
}

/// What one exhaustive search of a round algorithm found.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The property of the counterexample, if one was found.
    pub violated: Option<&'static str>,
    /// The counterexample's length in actions, or else the deepest path explored.
    pub depth: usize,
    pub unique_states: usize,
    /// Every reachable state was explored (no budget cut the search).
    pub complete: bool,
    pub elapsed: std::time::Duration,
}

impl Checked {
    /// What the checker's report says.
    pub fn of<R: automata::Module>(r: &automata::check::Report<R>) -> Self {
        Checked {
            violated: r.counterexample.as_ref().map(|c| c.property),
            depth: r
                .counterexample
                .as_ref()
                .map_or(r.max_depth, |c| c.actions.len()),
            unique_states: r.unique_states,
            complete: r.coverage.complete,
            elapsed: r.elapsed,
        }
    }
}

/// Every message takes one tick (what varies is the order of each tick's steps): the
/// exhaustive checks' model.
pub fn one_tick() -> SystemModel {
    SystemModel::synchronous(1, 1)
}

/// Explores `setup` breadth-first on one thread (deterministic: the same counts on every
/// run) with `monitors` on the round module `sr`, the adversary free to crash `adversary`
/// more processes at any moment (between steps: it never splits a round's sends), and paths
/// of up to 200 actions (every path of these checks ends well before: `complete` says so).
pub fn check_rounds<A: RoundAlgorithm>(
    setup: Setup<IdealRounds<A>>,
    adversary: usize,
    monitors: Vec<Box<dyn Monitor>>,
) -> Checked {
    let r = Explore::new(setup, Monitors::new(monitors))
        .crashes(adversary)
        .run(Search::Bfs, 200, 1);
    Checked::of(&r)
}

/// C1-C4 without UC4 on the round module `sr`: (regular) consensus.
pub fn regular() -> Vec<Box<dyn Monitor>> {
    let mut all = monitors::all("sr");
    all.retain(|m| m.name() != "uniform-agreement");
    all
}

/// A random system and crash plan for a round algorithm: `n` from 2 to 5, `t < n`, initial
/// values from 0 to 3, and up to `t` crashes, each of any process in any of the `t + 1`
/// rounds after any number of its sends.
pub fn round_plan(
) -> impl proptest::strategy::Strategy<Value = (usize, usize, Vec<i64>, Vec<RoundCrash>)> {
    use proptest::prelude::*;
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

pub use automata::oracle::SwitchingOmega;

/// C1-C3 and UC4 on module `module`, and the epochs' EP1-EP6 (leader-driven consensus and its
/// logged version, whose decisions the same monitors judge).
pub fn with_epochs(module: &str) -> Vec<Box<dyn Monitor>> {
    use consensus::epoch_monitors::{
        AbortBehaviour, EpAgreement, EpIntegrity, EpTermination, EpValidity, LockIn,
    };
    let mut all = monitors::all(module);
    all.retain(|m| m.name() != "agreement");
    all.push(Box::new(EpValidity::default()));
    all.push(Box::new(EpAgreement::default()));
    all.push(Box::new(EpIntegrity::default()));
    all.push(Box::new(LockIn::default()));
    all.push(Box::new(EpTermination::default()));
    all.push(Box::new(AbortBehaviour::default()));
    all
}

/// Partially synchronous from `gst`, delays in [1, 10].
pub fn partially_synchronous(gst: Time) -> automata::SystemModel {
    use automata::model::{Delay, Timing};
    automata::SystemModel {
        timing: Timing::PartiallySynchronous,
        gst,
        delay: Delay {
            min: 1,
            max: 10,
            ..Delay::default()
        },
        ..automata::SystemModel::default()
    }
}

/// Every process proposes at time `at`: process p proposes `values[p]`.
pub fn proposing<R: automata::Module<Req = consensus::Propose<automata::Value>>>(
    setup: automata::Setup<R>,
    values: &[i64],
    at: Time,
) -> automata::Setup<R> {
    values.iter().enumerate().fold(setup, |s, (p, &v)| {
        s.request(at, p, consensus::Propose(automata::Value::Int(v)))
    })
}

// --- Leader-Driven Consensus on every path (leader_driven.rs, epoch_mutants.rs) -------------

use consensus::read_write_epoch_consensus::EpMsg;
use links::detectors::{EpochWire, LeaderBasedEpochChange};
use links::FairLossLinks;

/// Leader-Driven Consensus for the exhaustive checks: over [`SwitchingOmega`] and the network
/// itself (no loss in these checks, so no retransmission is needed and every path ends).
pub type Ldc = consensus::LeaderDrivenConsensus<
    Value,
    SwitchingOmega,
    FairLossLinks<EpochWire>,
    FairLossLinks<EpMsg<Value>>,
>;

/// [`Ldc`] with Ω switching from process 0 to process 1 at time `switch`.
pub fn ldc(switch: Time) -> Ldc {
    let ec = LeaderBasedEpochChange::over(SwitchingOmega { switch }, FairLossLinks::default());
    consensus::LeaderDrivenConsensus::over(ec, FairLossLinks::default())
}

/// Explores every path breadth-first on one thread (the same counts on every run), up to 2
/// million states and 200 actions: N = 3 proposing 0, 1, 1 at time 1, every message taking
/// one tick (what varies is the order of each tick's steps; a `Fault::Delay` adds to it), Ω
/// switching from 0 to 1 at time `switch`, with `faults`, judged by `monitors`.
pub fn check_ldc(
    make: impl Fn(Time) -> Ldc + Send + Sync + 'static,
    switch: Time,
    faults: Vec<Fault>,
    monitors: Vec<Box<dyn Monitor>>,
) -> Checked {
    use automata::check::Budget;
    let setup = Setup::new(3, one_tick(), move |_| make(switch)).faults(faults);
    let budget = Budget {
        max_states: Some(2_000_000),
        ..Budget::depth(200)
    };
    let r = Explore::new(proposing(setup, &[0, 1, 1], 1), Monitors::new(monitors)).check(
        Search::Bfs,
        budget,
        1,
    );
    Checked::of(&r)
}

/// The epochs' EP1-EP6 only (in that order).
pub fn epochs() -> Vec<Box<dyn Monitor>> {
    all_but(&["termination", "validity", "integrity", "uniform-agreement"])
}

/// The monitors of [`with_epochs`] named `names`.
pub fn only(names: &[&str]) -> Vec<Box<dyn Monitor>> {
    let mut all = with_epochs("uc");
    all.retain(|m| names.contains(&m.name()));
    all
}

/// The monitors of [`with_epochs`] except those named `names`.
pub fn all_but(names: &[&str]) -> Vec<Box<dyn Monitor>> {
    let mut all = with_epochs("uc");
    all.retain(|m| !names.contains(&m.name()));
    all
}
