//! The environment's failure-detector oracles (P, ◇P, Ω) satisfy exactly their class's
//! properties, and the detector monitors (reused by chapter 5) catch detectors that do not.

use automata::conformance::{
    conformance_monitors, EventualAccuracy, EventualAgreement, EventualStrongAccuracy,
    StrongAccuracy, StrongCompleteness,
};
use automata::detector::{Crash, NoRequest, Suspicion, Trust};
use automata::model::{DetectorSource, Failures, Timing};
use automata::oracle::{EventuallyPerfectOracle, LeaderOracle, Oracle, PerfectOracle, View};
use automata::sim::{Outcome, Sim};
use automata::{
    Ctx, Event, Fault, Kind, Module, Monitor, Monitors, Setup, SystemModel, Time, Verdict,
};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::convert::Infallible;

const SETTLE: Time = 200;
const PERIOD: Time = 5;

fn crash(process: usize, at: Time) -> Fault {
    Fault::Crash {
        process,
        at,
        after_sends: None,
        drop_in_flight: false,
    }
}

fn model(timing: Timing, gst: Time, detector: DetectorSource) -> SystemModel {
    SystemModel {
        timing,
        gst,
        detector,
        ..SystemModel::default()
    }
}

fn run<R: Module>(setup: Setup<R>, monitors: Vec<Box<dyn Monitor>>) -> Outcome {
    let max_time = setup.quiet_from() + SETTLE;
    Sim::new(setup, Monitors::new(monitors))
        .record(true)
        .max_time(max_time)
        .settle(SETTLE)
        .run()
}

fn verdict<'o>(out: &'o Outcome, name: &str) -> &'o Verdict {
    out.verdict(name)
}

fn assert_hold(out: &Outcome, name: &str) {
    out.assert_holds(name)
}

fn violated(out: &Outcome, name: &str) -> automata::TraceEvent {
    out.violating_event(name).clone()
}

fn indications(out: &Outcome, module: &str) -> Vec<(usize, Time, Event)> {
    out.trace
        .as_ref()
        .unwrap()
        .iter()
        .filter(|e| e.module == module && e.kind == Kind::Indication)
        .map(|e| (e.process, e.time, e.event.clone()))
        .collect()
}

#[test]
fn perfect_oracle_detects_every_crash_within_a_period_and_nothing_else() {
    let m = model(Timing::Synchronous, 0, DetectorSource::Perfect);
    let setup = Setup::new(4, m.clone(), |_| PerfectOracle::new(PERIOD))
        .faults(vec![crash(1, 20), crash(3, 52)]);
    let mut ms = conformance_monitors(&m, 4, setup.f);
    ms.push(Box::new(StrongCompleteness::perfect("p").within(PERIOD)));
    let out = run(setup, ms);
    assert!(out.all_hold(), "{:?}", out.properties);
    let detections = indications(&out, "p");
    assert_eq!(detections.len(), 5, "{detections:?}");
    assert!(detections.contains(&(0, 20, Event::Detect { process: 1 })));
    assert!(detections.contains(&(2, 55, Event::Detect { process: 3 })));
}

/// P's polling oracle whose view reads ◇P's answers (scripted mistakes included) and calls
/// them crashes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Hasty(BTreeSet<usize>);

impl View for Hasty {
    const NAME: &'static str = "p";
    type Ind = Crash;
    fn poll(&mut self, ctx: &mut Ctx<Oracle<Self>>) {
        for p in ctx.processes() {
            if ctx.oracle_suspects(p) && self.0.insert(p) {
                ctx.indicate(Crash(p));
            }
        }
    }
}

#[test]
fn strong_accuracy_catches_a_perfect_detector_that_trusts_suspicions() {
    let mistake = Fault::Suspect {
        process: 2,
        by: 0,
        from: 30,
        until: 40,
    };
    let m = model(Timing::PartiallySynchronous, 100, DetectorSource::Perfect);
    let setup =
        Setup::new(3, m.clone(), |_| Oracle::<Hasty>::new(PERIOD)).faults(vec![mistake.clone()]);
    let out = run(setup, conformance_monitors(&m, 3, 0));
    let w = violated(&out, "strong-accuracy");
    assert_eq!(
        (w.process, w.time, w.event),
        (0, 30, Event::Detect { process: 2 })
    );
    assert_hold(&out, "strong-completeness");

    // The real oracle ignores ◇P's mistakes.
    let setup = Setup::new(3, m.clone(), |_| PerfectOracle::new(PERIOD)).faults(vec![mistake]);
    assert!(run(setup, conformance_monitors(&m, 3, 0)).all_hold());
}

#[test]
fn strong_completeness_catches_a_detector_too_slow_for_the_run() {
    let m = model(Timing::Synchronous, 0, DetectorSource::Perfect);
    let setup =
        Setup::new(3, m.clone(), |_| PerfectOracle::new(100_000)).faults(vec![crash(2, 10)]);
    let out = run(setup, conformance_monitors(&m, 3, 1));
    let w = violated(&out, "strong-completeness");
    assert_eq!((w.process, w.kind, w.time), (2, Kind::Crash, 10));
    assert_hold(&out, "strong-accuracy");

    // The same for ◇P.
    let m = model(
        Timing::PartiallySynchronous,
        50,
        DetectorSource::EventuallyPerfect,
    );
    let setup = Setup::new(3, m.clone(), |_| EventuallyPerfectOracle::new(100_000))
        .faults(vec![crash(1, 10)]);
    let out = run(setup, conformance_monitors(&m, 3, 1));
    let w = violated(&out, "strong-completeness");
    assert_eq!((w.process, w.kind), (1, Kind::Crash));
    assert_hold(&out, "eventual-strong-accuracy");
}

/// A scripted ◇P mistake before GST: 1 suspects 0 during [20, 60), is restored by the first
/// poll after 60, and the oracle conforms.
#[test]
fn scripted_mistake_before_gst_is_suspected_then_restored() {
    let m = model(
        Timing::PartiallySynchronous,
        100,
        DetectorSource::EventuallyPerfect,
    );
    let setup = Setup::new(3, m.clone(), |_| EventuallyPerfectOracle::new(PERIOD)).faults(vec![
        Fault::Suspect {
            process: 0,
            by: 1,
            from: 20,
            until: 60,
        },
        crash(2, 70),
    ]);
    let mut ms = conformance_monitors(&m, 3, 1);
    ms.push(Box::new(
        StrongCompleteness::eventually_perfect("ep").within(PERIOD),
    ));
    let out = run(setup, ms);
    assert!(out.all_hold(), "{:?}", out.properties);
    assert_eq!(
        indications(&out, "ep"),
        vec![
            (1, 20, Event::Suspect { process: 0 }),
            (1, 60, Event::Restore { process: 0 }),
            (0, 70, Event::Suspect { process: 2 }),
            (1, 70, Event::Suspect { process: 2 }),
        ]
    );
}

/// ◇P's polling oracle whose view never forgives: it suspects like the oracle but never
/// restores.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Grudging(BTreeSet<usize>);

impl View for Grudging {
    const NAME: &'static str = "ep";
    type Ind = Suspicion;
    fn poll(&mut self, ctx: &mut Ctx<Oracle<Self>>) {
        for p in ctx.processes() {
            if ctx.oracle_suspects(p) && self.0.insert(p) {
                ctx.indicate(Suspicion::Suspect(p));
            }
        }
    }
}

/// A ◇P that keeps a mistake made before GST to the end is caught; so is, by the bounded
/// variant, a broken environment whose scripted mistake happens after GST.
#[test]
fn eventual_strong_accuracy_catches_mistakes_kept_or_made_after_gst() {
    let m = model(
        Timing::PartiallySynchronous,
        100,
        DetectorSource::EventuallyPerfect,
    );
    let mistake = Fault::Suspect {
        process: 0,
        by: 1,
        from: 20,
        until: 60,
    };
    let setup =
        Setup::new(3, m.clone(), |_| Oracle::<Grudging>::new(PERIOD)).faults(vec![mistake.clone()]);
    let out = run(setup, conformance_monitors(&m, 3, 0));
    let w = violated(&out, "eventual-strong-accuracy");
    assert_eq!((w.process, w.time), (1, 20));
    assert_eq!(w.event, Event::Suspect { process: 0 });
    assert_hold(&out, "strong-completeness");

    let late = Fault::Suspect {
        process: 0,
        by: 1,
        from: 150,
        until: 160,
    };
    let setup =
        Setup::new(3, m.clone(), |_| EventuallyPerfectOracle::new(PERIOD)).faults(vec![late]);
    let ms: Vec<Box<dyn Monitor>> = vec![Box::new(
        EventualStrongAccuracy::new("ep").bounded(100, PERIOD),
    )];
    let out = run(setup, ms);
    let w = violated(&out, "eventual-strong-accuracy");
    assert_eq!((w.process, w.time), (1, 150));
}

#[test]
fn leader_oracle_moves_to_the_next_correct_process_and_agrees_after_gst() {
    let m = model(Timing::PartiallySynchronous, 100, DetectorSource::Leader);
    let setup = Setup::new(4, m.clone(), |_| LeaderOracle::new(PERIOD)).faults(vec![
        Fault::Suspect {
            process: 0,
            by: 3,
            from: 10,
            until: 50,
        },
        crash(0, 80),
    ]);
    let mut ms = conformance_monitors(&m, 4, 1);
    ms.push(Box::new(
        EventualAccuracy::new("omega").bounded(100, PERIOD),
    ));
    let out = run(setup, ms);
    assert!(out.all_hold(), "{:?}", out.properties);
    let trusts = indications(&out, "omega");
    assert!(
        trusts.contains(&(3, 10, Event::Trust { process: 1 })),
        "{trusts:?}"
    );
    assert!(trusts.contains(&(3, 50, Event::Trust { process: 0 })));
    for q in 1..4 {
        assert!(
            trusts.contains(&(q, 80, Event::Trust { process: 1 })),
            "{trusts:?}"
        );
    }
}

/// Ω mutants: one where everyone trusts itself (accurate, never agrees), one with a fixed
/// leader that may crash (agrees, not accurate).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct FixedTrust {
    /// `None`: trust yourself.
    leader: Option<usize>,
}

impl Module for FixedTrust {
    const NAME: &'static str = "omega";
    type Req = NoRequest;
    type Ind = Trust;
    type Msg = Infallible;
    type Timer = Infallible;
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        let l = self.leader.unwrap_or(ctx.me());
        ctx.indicate(Trust(l));
    }
    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }
}

#[test]
fn eventual_agreement_and_accuracy_catch_broken_leader_detectors() {
    let m = model(Timing::PartiallySynchronous, 50, DetectorSource::Leader);
    let selfish = Setup::new(3, m.clone(), |_| FixedTrust { leader: None });
    let out = run(selfish, conformance_monitors(&m, 3, 0));
    let w = violated(&out, "eventual-agreement");
    assert_eq!(w.event, Event::Trust { process: w.process });
    assert_hold(&out, "eventual-accuracy");

    let stuck =
        Setup::new(3, m.clone(), |_| FixedTrust { leader: Some(0) }).faults(vec![crash(0, 30)]);
    let out = run(stuck, conformance_monitors(&m, 3, 1));
    let w = violated(&out, "eventual-accuracy");
    assert_eq!(w.event, Event::Trust { process: 0 });
    assert_hold(&out, "eventual-agreement");
}

#[test]
fn oracle_liveness_on_a_run_cut_short_is_inconclusive() {
    let m = model(Timing::PartiallySynchronous, 100, DetectorSource::Leader);
    let setup = Setup::new(3, m.clone(), |_| FixedTrust { leader: None });
    let out = Sim::new(setup, Monitors::new(conformance_monitors(&m, 3, 0)))
        .max_time(150)
        .settle(SETTLE)
        .run();
    for name in ["eventual-agreement", "eventual-accuracy"] {
        assert!(
            matches!(verdict(&out, name), Verdict::Inconclusive { .. }),
            "{name}"
        );
    }
}

/// A random crash plan (at most n - 1 crashes), and for ◇P and Ω random scripted mistakes
/// that end before GST.
fn plan(n: usize) -> impl Strategy<Value = (Vec<Fault>, Vec<Fault>)> {
    let crashes = proptest::collection::btree_map(0..n, 0..200u64, 0..n).prop_map(|m| {
        m.into_iter()
            .map(|(p, at)| crash(p, at))
            .collect::<Vec<_>>()
    });
    let mistakes =
        proptest::collection::vec((0..n, 0..n, 0..100u64, 1..50u64), 0..3).prop_map(|v| {
            v.into_iter()
                .map(|(process, by, from, len)| Fault::Suspect {
                    process,
                    by,
                    from,
                    until: (from + len).min(100),
                })
                .filter(|f| matches!(f, Fault::Suspect { from, until, .. } if from < until))
                .collect::<Vec<_>>()
        });
    (crashes, mistakes)
}

fn conforms<R: Module>(
    n: usize,
    m: &SystemModel,
    faults: Vec<Fault>,
    make: fn() -> R,
) -> Result<(), TestCaseError> {
    let setup = Setup::new(n, m.clone(), move |_| make()).faults(faults);
    let ms = conformance_monitors(m, n, setup.f);
    let out = run(setup, ms);
    prop_assert!(out.all_hold(), "{:?}", out.properties);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn perfect_oracle_conforms_under_random_crashes(n in 2..6usize, (crashes, _) in plan(5)) {
        let crashes: Vec<Fault> = crashes.into_iter().filter(|f| matches!(f, Fault::Crash { process, .. } if *process < n)).collect();
        conforms(n, &model(Timing::Synchronous, 0, DetectorSource::Perfect), crashes, || PerfectOracle::new(PERIOD))?;
    }

    #[test]
    fn eventually_perfect_oracle_conforms_under_random_crashes_and_mistakes((crashes, mistakes) in plan(4)) {
        let mut faults = crashes;
        faults.extend(mistakes);
        conforms(4, &model(Timing::PartiallySynchronous, 100, DetectorSource::EventuallyPerfect), faults, || EventuallyPerfectOracle::new(PERIOD))?;
    }

    #[test]
    fn leader_oracle_conforms_under_random_crashes_and_mistakes((crashes, mistakes) in plan(4)) {
        let mut faults = crashes;
        faults.extend(mistakes);
        conforms(4, &model(Timing::PartiallySynchronous, 100, DetectorSource::Leader), faults, || LeaderOracle::new(PERIOD))?;
    }

    #[test]
    fn eventually_perfect_oracle_conforms_under_crash_recovery(crashes in proptest::collection::btree_map(0..3usize, (0..150u64, 1..60u64), 0..3)) {
        let m = SystemModel { failures: Failures::CrashRecovery, ..model(Timing::PartiallySynchronous, 50, DetectorSource::EventuallyPerfect) };
        let faults = crashes.into_iter().flat_map(|(p, (at, down))| [crash(p, at), Fault::Recover { process: p, at: at + down }]).collect();
        conforms(3, &m, faults, || EventuallyPerfectOracle::new(PERIOD))?;
    }
}

#[test]
fn detector_monitors_have_their_catalogue_kinds() {
    use automata::PropertyKind::*;
    let ms: Vec<(Box<dyn Monitor>, &str, automata::PropertyKind)> = vec![
        (
            Box::new(StrongCompleteness::perfect("p")),
            "strong-completeness",
            Liveness,
        ),
        (
            Box::new(StrongAccuracy::new("p")),
            "strong-accuracy",
            Safety,
        ),
        (
            Box::new(EventualStrongAccuracy::new("ep")),
            "eventual-strong-accuracy",
            Liveness,
        ),
        (
            Box::new(EventualAccuracy::new("omega")),
            "eventual-accuracy",
            Liveness,
        ),
        (
            Box::new(EventualAgreement::new("omega")),
            "eventual-agreement",
            Liveness,
        ),
    ];
    for (m, name, kind) in ms {
        assert_eq!((m.name(), m.kind()), (name, kind));
    }
}
