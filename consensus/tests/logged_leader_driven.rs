//! Logged Leader-Driven Consensus (CGR 5.8-5.10, the book's Paxos for crash-recovery): LUC1-LUC3,
//! integrity of log-decisions and the epochs' EP1-EP6 under random crash-and-recover plans,
//! false leadership before GST and schedules, over Elect Lower Epoch and the Ω oracle; on every
//! path of a small exhaustive check across a crash and a recovery; and the mutant that forgets
//! what it accepted caught there and in simulation.

use automata::check::{Budget, Explore, Report, Search};
use automata::detector::{NoRequest, Trust};
use automata::model::{DetectorSource, Failures, Storage};
use automata::oracle::LeaderOracle;
use automata::sim::{Outcome, Sim};
use automata::{
    Ctx, Event, Fault, Kind, Module, Monitor, Monitors, Setup, SystemModel, Time, Value, Verdict,
};
use consensus::logged_leader_driven::LoggedLeaderDrivenConsensus;
use consensus::read_write_epoch_consensus::EpMsg;
use links::detectors::logged_epoch_change::{LoggedLeaderBasedEpochChange, RecoveryOmega};
use links::detectors::EpochWire;
use links::FairLossLinks;
use proptest::prelude::*;
use std::convert::Infallible;

mod common;
use common::{config, crash, one_tick, partially_synchronous, proposing, with_epochs};

/// LUC1 termination, LUC2 validity, integrity of log-decisions, LUC3 uniform agreement, and
/// EP1-EP6 of the epochs.
fn all_monitors() -> Vec<Box<dyn Monitor>> {
    with_epochs("luc")
}

/// Crash-recovery with stable storage, partially synchronous, delays in [1, 10].
fn crash_recovery(gst: Time) -> SystemModel {
    SystemModel {
        failures: Failures::CrashRecovery,
        storage: Storage::Stable,
        ..partially_synchronous(gst)
    }
}

/// `process` crashes at `at` and recovers at `until`.
fn outage(process: usize, at: Time, until: Time) -> [Fault; 2] {
    [
        crash(process, at, false),
        Fault::Recover { process, at: until },
    ]
}

proptest! {
    #![proptest_config(config(0x4c4c_4443))]

    /// N ∈ {3, 5}; any process may crash once, at a random time after the proposals at 5, and
    /// recover after a random outage (outages may overlap: a majority may be down for a while);
    /// GST up to 200; Ω is Elect Lower Epoch or the oracle, whose false suspicions before GST
    /// make it disagree and change its mind; with the oracle the network loses up to a fifth
    /// of the packets (Elect Lower Epoch heartbeats once a period, so under
    /// loss its leader keeps changing and epochs never settle). Every property holds once the
    /// run has settled. (A process down when its proposal is due never gets it, and the workload
    /// does not repeat it; consensus's termination assumes every correct process proposes.)
    #[test]
    fn logged_leader_driven_consensus_is_logged_uniform_consensus(
        five in any::<bool>(),
        algorithm in any::<bool>(),
        gst in 0..200u64,
        loss in 0.0..0.2f64,
        values in proptest::collection::vec(0..3i64, 5),
        plan in proptest::collection::btree_map(0..5usize, (6..300u64, 1..150u64), 0..5),
        suspicions in proptest::collection::vec((0..5usize, 0..5usize, 0..200u64), 0..4),
        seed in any::<u64>(),
    ) {
        let n = if five { 5 } else { 3 };
        let mut faults: Vec<Fault> = plan
            .into_iter()
            .filter(|&(p, _)| p < n)
            .flat_map(|(p, (at, len))| outage(p, at, at + len))
            .collect();
        faults.extend(suspicions.into_iter().filter(|&(p, by, _)| p < n && by < n && p != by).map(
            |(process, by, from)| Fault::Suspect { process, by, from: from.min(gst), until: gst },
        ));
        let mut model = crash_recovery(gst);
        model.detector = if algorithm { DetectorSource::Algorithm } else { DetectorSource::Leader };
        model.links.loss = if algorithm { 0.0 } else { loss };
        let omega = RecoveryOmega::from_source(model.detector, 10).expect("an Ω");
        let setup = Setup::new(n, model, move |_| LoggedLeaderDrivenConsensus::<Value, _>::new(omega.clone(), 10))
            .faults(faults);
        let setup = proposing(setup, &values[..n], 5);
        let max_time = setup.quiet_from() + 2_500;
        let out = Sim::new(setup, Monitors::new(all_monitors())).seed(seed).max_time(max_time).run();
        prop_assert!(out.all_hold(), "seed {}: {:#?}", seed, out.properties);
    }
}

/// The run of the bundled `logged-leader-driven-consensus-forgetful.toml`: the Ω oracle,
/// GST = 100; the links from 0 to 1 slow before 60, so epoch 3 (leader 0) decides on 0 and
/// 2 alone; 0 crashes at 60 (recovering at 200), 2 crashes at 65 and recovers at 75.
fn forgetful_run(forgetful: bool, seed: u64) -> Outcome {
    let mut model = crash_recovery(100);
    model.detector = DetectorSource::Leader;
    let slow = Fault::Delay {
        from_process: 0,
        to_process: 1,
        extra: 50,
        from: 0,
        until: 60,
    };
    let mut faults = vec![slow];
    faults.extend(outage(0, 60, 200));
    faults.extend(outage(2, 65, 75));
    let setup = Setup::new(3, model, move |_| {
        let omega = RecoveryOmega::Oracle(LeaderOracle::new(10));
        let lldc = LoggedLeaderDrivenConsensus::<Value, _>::new(omega, 10);
        if forgetful {
            lldc.forgetting_writes()
        } else {
            lldc
        }
    })
    .faults(faults);
    Sim::new(
        proposing(setup, &[0, 1, 2], 5),
        Monitors::new(all_monitors()),
    )
    .seed(seed)
    .max_time(1_000)
    .record(true)
    .run()
}

/// Forgetting an acknowledged WRITE in a crash lets epoch 4's leader read a majority without
/// the value decided in epoch 3 and write its own: uniform agreement (and lock-in) fail on a
/// run where, storing it, every property holds. On that run each process log-decides once,
/// and process 2, which decided before its crash, is told its logged decision again when it
/// recovers (at 75), which the monitors do not count as a second decision.
#[test]
fn forgetting_what_was_accepted_breaks_uniform_agreement_in_simulation() {
    let out = forgetful_run(false, 2);
    assert!(out.all_hold(), "{:#?}", out.properties);
    let trace = out.trace.expect("recorded");
    let luc = |name: &str| -> Vec<(usize, Time)> {
        let events = trace
            .iter()
            .filter(|e| e.module == "luc" && e.kind == Kind::Indication);
        let named = events.filter(|e| match &e.event {
            Event::Decide { .. } => name == "decide",
            Event::Other { name: n, .. } => n == name,
            _ => false,
        });
        named.map(|e| (e.process, e.time)).collect()
    };
    let mut deciders: Vec<usize> = luc("decide").into_iter().map(|(p, _)| p).collect();
    deciders.sort();
    assert_eq!(deciders, [0, 1, 2]);
    assert!(luc("decision").contains(&(2, 75)), "{:?}", luc("decision"));
    let out = forgetful_run(true, 2);
    for property in ["uniform-agreement", "lock-in"] {
        assert!(
            matches!(
                out.property(property).map(|p| &p.verdict),
                Some(Verdict::Violation(_))
            ),
            "{property}: {:#?}",
            out.properties
        );
    }
}

/// Ω for the exhaustive checks: trusts process 0 before time `switch` and process 1 from
/// then on, by its clock, so that a recovered process's Ω says what it said before (the shared
/// `common::SwitchingOmega` would start over and trust 0 again); then falls silent (so every
/// path ends). Process 1 switches earlier than the others: before GST, Ω may disagree.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ClockedOmega {
    switch: Time,
}

impl Module for ClockedOmega {
    const NAME: &'static str = "omega";
    type Req = NoRequest;
    type Ind = Trust;
    type Msg = Infallible;
    type Timer = ();

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        let now = ctx.clock();
        if now < self.switch {
            ctx.indicate(Trust(0));
            ctx.set_timer(self.switch - now, ());
        } else {
            ctx.indicate(Trust(1));
        }
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, (): ()) {
        ctx.indicate(Trust(1));
    }
}

type Lldc = LoggedLeaderDrivenConsensus<
    Value,
    ClockedOmega,
    FairLossLinks<EpochWire>,
    FairLossLinks<EpMsg<Value>>,
>;

/// Over the network itself (no loss in these checks, so every path ends; the recovered
/// process catches up by its `[NACK, ⊥]`, not by retransmissions). Ω switches to 1 at 3 at
/// process 1, at 6 elsewhere.
fn lldc(p: usize) -> Lldc {
    let omega = ClockedOmega {
        switch: if p == 1 { 3 } else { 6 },
    };
    let ec = LoggedLeaderBasedEpochChange::over(omega, FairLossLinks::default());
    LoggedLeaderDrivenConsensus::over(ec, FairLossLinks::default())
}

/// N = 3 proposing 0, 1, 1 at time 1, every message taking one tick (what varies is the order
/// of each tick's steps), crash-recovery with stable storage, process 2 crashing at 5 (after
/// it accepted epoch 3's WRITE, on every path) and recovering at 6.
fn explore(make: fn(usize) -> Lldc) -> Report<Lldc> {
    let model = SystemModel {
        failures: Failures::CrashRecovery,
        storage: Storage::Stable,
        ..one_tick()
    };
    let setup = Setup::new(3, model, make).faults(outage(2, 5, 6).to_vec());
    let budget = Budget {
        max_states: Some(3_000_000),
        ..Budget::depth(300)
    };
    Explore::new(
        proposing(setup, &[0, 1, 1], 1),
        Monitors::new(all_monitors()),
    )
    .check(Search::Bfs, budget, 1)
}

/// Every property holds on every path across the crash and the recovery of process 2, with
/// Ω disagreeing before it settles on 1; the mutant that forgets what it accepted is caught
/// under the same bounds (2 recovers without epoch 3's value, which 0 decided, and 1 reads
/// it and itself and writes its own).
#[test]
fn logged_leader_driven_consensus_holds_on_every_path_and_forgetting_does_not() {
    let r = explore(lldc);
    let (states, depth) = (r.unique_states, r.max_depth);
    eprintln!("{states} states, depth {depth}, {:?}", r.elapsed);
    assert_eq!(
        r.counterexample.map(|c| c.property),
        None,
        "after {states} states"
    );
    assert!(r.coverage.complete, "not exhaustive after {states} states");
    assert_eq!(states, 106_750, "pinned state count changed");
    // Runs end, and termination is judged where they do.
    let termination = r.properties.iter().find(|p| p.name == "termination");
    assert!(termination.is_some_and(|p| p.judged > 0 && p.inconclusive == 0));
    let r = explore(|p| lldc(p).forgetting_writes());
    eprintln!(
        "mutant: {} states, depth {}, {:?}",
        r.unique_states, r.max_depth, r.elapsed
    );
    let property = r.counterexample.map(|c| c.property);
    assert_eq!(
        property,
        Some("lock-in"),
        "after {} states",
        r.unique_states
    );
}
