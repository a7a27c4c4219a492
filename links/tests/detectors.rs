//! Chapter 5: every detector, leader election and epoch change holds its properties under
//! random fault plans and schedules, and every monitor catches a mutant or a too-weak model
//! (book §5.2-5.6, B-5.1-B-5.5, B-5.7, C.12, C.13).

mod common;

use automata::conformance::{
    EventualAccuracy, EventualAgreement, EventualStrongAccuracy, StrongAccuracy, StrongCompleteness,
};
use automata::model::{Delay, Failures, Timing};
use automata::oracle::{EventuallyPerfectOracle, LeaderOracle, PerfectOracle};
use automata::sim::{Outcome, Sim};
use automata::{Fault, Module, Monitor, Monitors, PropertyKind, Setup, SystemModel, Time, Verdict};
use common::{assert_hold, assert_violated};
use links::detectors::monitors::{
    Consistency, EventualDetection, EventualLeadership, LeaderAccuracy, MistakeBound, Monotonicity,
};
use links::detectors::{
    ElectLowerEpoch, ExcludeOnTimeout, IncreasingTimeout, LeaderBasedEpochChange, Misrank,
    MonarchicalLeaderElection, MonarchicalOmega, NeverDetect, SuspicionsAsCrashes,
};
use proptest::prelude::*;

/// Largest one-way delay; the largest round trip is twice it.
const MAX: Time = 10;

/// Increasing Timeout's Δ under Ω. Not a divisor of the round trip 2·MAX: a timeout exactly
/// equal to it errs only on a lost tie, so rarely that its last mistake (and leader change) can
/// come after any horizon a test can afford.
const OMEGA_PERIOD: Time = 15;

fn model(timing: Timing, gst: Time, tail: f64) -> SystemModel {
    SystemModel {
        timing,
        gst,
        delay: Delay {
            min: 1,
            max: MAX,
            tail,
        },
        ..SystemModel::default()
    }
}

fn crash(process: usize, at: Time) -> Fault {
    Fault::Crash {
        process,
        at,
        after_sends: None,
        drop_in_flight: false,
    }
}

/// Runs to a complete horizon: the quiet point plus a settle of 40 periods or 100 round trips,
/// whichever is longer. ◇P's mistakes after GST are bounded in number, not in time (a timeout
/// just under the round trip errs rarely, so its last mistake can come late), hence the
/// generous settle.
fn run<R: Module>(
    setup: Setup<R>,
    monitors: Vec<Box<dyn Monitor>>,
    period: Time,
    seed: u64,
) -> Outcome {
    run_settling(setup, monitors, period, seed, 1)
}

/// [`run`] with a final settle window `times` as long.
fn run_settling<R: Module>(
    setup: Setup<R>,
    monitors: Vec<Box<dyn Monitor>>,
    period: Time,
    seed: u64,
    times: Time,
) -> Outcome {
    let settle = (40 * period).max(100 * 2 * MAX) * times;
    let max_time = setup.quiet_from() + settle;
    Sim::new(setup, Monitors::new(monitors))
        .seed(seed)
        .record(true)
        .max_time(max_time)
        .settle(settle)
        .run()
}

fn p_props(m: &str) -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(StrongCompleteness::perfect(m)),
        Box::new(StrongAccuracy::new(m)),
    ]
}

fn ep_props(m: &str) -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(StrongCompleteness::eventually_perfect(m)),
        Box::new(EventualStrongAccuracy::new(m)),
    ]
}

fn le_props() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(EventualDetection::new("le")),
        Box::new(LeaderAccuracy::new("le")),
    ]
}

fn omega_props() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(EventualAccuracy::new("omega")),
        Box::new(EventualAgreement::new("omega")),
    ]
}

fn ec_props() -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(Monotonicity::new("ec")),
        Box::new(Consistency::new("ec")),
        Box::new(EventualLeadership::new("ec")),
    ]
}

/// At most n - 1 distinct processes crash, at random times.
fn crashes(n: usize, until: Time) -> impl Strategy<Value = Vec<Fault>> {
    proptest::collection::btree_map(0..n, 0..until, 0..n)
        .prop_map(|m| m.into_iter().map(|(p, at)| crash(p, at)).collect())
}

proptest! {
    #![proptest_config(common::proptest_config(0x4445_5445, 256))]

    /// 5.1, C.12: with Δ above the largest round trip, no false detection, and every crash
    /// detected within 2Δ.
    #[test]
    fn exclude_on_timeout_is_perfect_when_the_period_exceeds_the_round_trip(
        n in 2..6usize, period in (2 * MAX + 1)..60, faults in crashes(5, 300), seed in any::<u64>()
    ) {
        let faults: Vec<Fault> = faults.into_iter().filter(|f| matches!(f, Fault::Crash { process, .. } if *process < n)).collect();
        let setup = Setup::new(n, model(Timing::Synchronous, 0, 0.0), move |_| ExcludeOnTimeout::new(period)).faults(faults);
        let out = run(setup, p_props("p"), period, seed);
        prop_assert!(out.all_hold(), "{:?}", out.properties);
        if let Some(&worst) = out.metrics.get("detection_time_max") {
            prop_assert!(worst <= 2.0 * period as f64, "detected after {worst} > 2Δ = {}", 2 * period);
        }
    }

    /// 5.3, C.13: Increasing Timeout under partial synchrony, random GST and crashes.
    #[test]
    fn increasing_timeout_is_eventually_perfect(
        n in 2..5usize, period in (2..30u64).prop_filter("a divisor of the round trip errs on ties, rarely and late", |p| !(2 * MAX).is_multiple_of(*p)), gst in 0..400u64, faults in crashes(4, 300), seed in any::<u64>()
    ) {
        let faults: Vec<Fault> = faults.into_iter().filter(|f| matches!(f, Fault::Crash { process, .. } if *process < n)).collect();
        let setup = Setup::new(n, model(Timing::PartiallySynchronous, gst, 0.2), move |_| IncreasingTimeout::new(period)).faults(faults);
        let out = run_eventual(setup, || ep_props("ep"), period, seed);
        prop_assert!(out.all_hold(), "{:?}", out.properties);
    }

    /// C.13 with GST = 0 (every round trip ≤ D = 2·MAX): at most n · ⌊D/Δ⌋ periods with a
    /// false suspicion at any process ([`MistakeBound`]: while the timeout keeps one value each
    /// of the n processes is newly suspected at most once, and only the values up to D can
    /// err), judged by the monitor on every event and by the measured worst.
    #[test]
    fn increasing_timeout_mistakes_are_bounded_after_gst(
        n in 2..5usize, period in 1..25u64, seed in any::<u64>()
    ) {
        let bound = MistakeBound::increasing_timeout(n, period, 2 * MAX, 0);
        let setup = Setup::new(n, model(Timing::PartiallySynchronous, 0, 0.0), move |_| IncreasingTimeout::new(period));
        let mut props = ep_props("ep");
        props.push(Box::new(MistakeBound::new("ep", 0, bound)));
        let out = run(setup, props, period, seed);
        // Only the bound: the mistakes are bounded in number, not in time, so the last one
        // may come after any horizon (eventual strong accuracy is judged by the test above).
        let v = &out.property("mistake-bound").unwrap().verdict;
        prop_assert!(v.holds(), "{v:?}");
        prop_assert!(out.metrics["post_gst_mistakes"] <= bound as f64, "{} periods with mistakes > bound {bound}", out.metrics["post_gst_mistakes"]);
    }

    /// 5.2: Monarchical Leader Election over Exclude on Timeout and over the P oracle.
    #[test]
    fn monarchical_leader_election_holds_over_either_p(
        n in 2..5usize, faults in crashes(4, 300), seed in any::<u64>(), oracle in any::<bool>()
    ) {
        let faults: Vec<Fault> = faults.into_iter().filter(|f| matches!(f, Fault::Crash { process, .. } if *process < n)).collect();
        let m = model(Timing::Synchronous, 0, 0.0);
        let out = if oracle {
            run(Setup::new(n, m, |_| MonarchicalLeaderElection::new(PerfectOracle::new(5))).faults(faults), le_props(), 30, seed)
        } else {
            run(Setup::new(n, m, |_| MonarchicalLeaderElection::new(ExcludeOnTimeout::new(30))).faults(faults), le_props(), 30, seed)
        };
        prop_assert!(out.all_hold(), "{:?}", out.properties);
    }

    /// 5.4: Monarchical Ω over Increasing Timeout.
    #[test]
    fn monarchical_omega_holds_under_partial_synchrony(
        n in 2..5usize, gst in 0..300u64, faults in crashes(4, 300), seed in any::<u64>()
    ) {
        let faults: Vec<Fault> = faults.into_iter().filter(|f| matches!(f, Fault::Crash { process, .. } if *process < n)).collect();
        let setup = Setup::new(n, model(Timing::PartiallySynchronous, gst, 0.2), |_| MonarchicalOmega::new(IncreasingTimeout::new(OMEGA_PERIOD))).faults(faults);
        let out = run_eventual(setup, omega_props, 10, seed);
        prop_assert!(out.all_hold(), "{:?}", out.properties);
    }

    /// 5.4: Elect Lower Epoch under random crash-recovery plans (every process ends up), judged
    /// past its last late leader change ([`run_eventual`]).
    #[test]
    fn elect_lower_epoch_holds_in_crash_recovery(
        n in 2..5usize,
        outages in proptest::collection::vec((0..4usize, 0..400u64, 1..100u64), 0..5),
        seed in any::<u64>()
    ) {
        let mut m = model(Timing::PartiallySynchronous, 0, 0.0);
        m.failures = Failures::CrashRecovery;
        // One outage per process at most, so crash and recovery alternate.
        let mut faults = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (p, at, len) in outages {
            if p < n && seen.insert(p) {
                faults.push(crash(p, at));
                faults.push(Fault::Recover { process: p, at: at + len });
            }
        }
        let setup = Setup::new(n, m, |_| ElectLowerEpoch::new(20)).faults(faults);
        let out = run_eventual(setup, omega_props, 20, seed);
        prop_assert!(out.all_hold(), "{:?}", out.properties);
    }

    /// 5.5: Leader-Based Epoch-Change over either Ω.
    #[test]
    fn epoch_change_holds_over_either_omega(
        n in 2..5usize, gst in 0..200u64, faults in crashes(4, 300), seed in any::<u64>(), oracle in any::<bool>()
    ) {
        let faults: Vec<Fault> = faults.into_iter().filter(|f| matches!(f, Fault::Crash { process, .. } if *process < n)).collect();
        let m = model(Timing::PartiallySynchronous, gst, 0.0);
        let out = if oracle {
            run_eventual(Setup::new(n, m, |_| LeaderBasedEpochChange::new(LeaderOracle::new(5), 10)).faults(faults), ec_props, 10, seed)
        } else {
            run_eventual(Setup::new(n, m, |_| LeaderBasedEpochChange::new(MonarchicalOmega::new(IncreasingTimeout::new(OMEGA_PERIOD)), 10)).faults(faults), ec_props, 10, seed)
        };
        prop_assert!(out.all_hold(), "{:?}", out.properties);
    }
}

/// The first of `seeds` seeds on which `property` is violated (B-rows that need a bad schedule).
fn violated_on_some_seed(property: &str, seeds: u64, run_seed: impl Fn(u64) -> Outcome) -> u64 {
    (1..=seeds)
        .find(|&s| {
            let out = run_seed(s);
            out.property(property)
                .is_some_and(|p| matches!(p.verdict, automata::Verdict::Violation(_)))
        })
        .unwrap_or_else(|| panic!("{property} was never violated in {seeds} seeds"))
}

/// B-5.1: the same detector, asynchronous delays: a live process is detected.
#[test]
fn strong_accuracy_catches_exclude_on_timeout_in_asynchrony() {
    violated_on_some_seed("strong-accuracy", 10, |seed| {
        let setup = Setup::new(3, model(Timing::Asynchronous, 0, 0.05), |_| {
            ExcludeOnTimeout::new(30)
        });
        run(setup, p_props("p"), 30, seed)
    });
}

/// B-5.2: synchronous, but the period is shorter than the round trip.
#[test]
fn strong_accuracy_catches_a_period_shorter_than_the_round_trip() {
    let setup = Setup::new(3, model(Timing::Synchronous, 0, 0.0), |_| {
        ExcludeOnTimeout::new(12)
    });
    let out = run(setup, p_props("p"), 12, 1);
    assert_violated(&out, "strong-accuracy");
    assert!(out.metrics["false_suspicions"] > 0.0);
}

/// Strong completeness fails with a detector that never detects.
#[test]
fn strong_completeness_catches_a_detector_that_never_detects() {
    let setup = Setup::new(3, model(Timing::Synchronous, 0, 0.0), |_| NeverDetect)
        .faults(vec![crash(2, 50)]);
    let out = run(setup, p_props("p"), 10, 1);
    assert_violated(&out, "strong-completeness");
    assert_hold(&out, "strong-accuracy");
}

/// B-5.3: a timeout that never grows keeps suspecting correct processes.
#[test]
fn eventual_strong_accuracy_catches_a_constant_timeout() {
    let setup = Setup::new(3, model(Timing::PartiallySynchronous, 100, 0.0), |_| {
        IncreasingTimeout::new(8).with_increment(0)
    });
    let out = run(setup, ep_props("ep"), 8, 1);
    assert_violated(&out, "eventual-strong-accuracy");
}

/// B-5.5: leader election over ◇P taken as P elects a second leader while the first lives.
#[test]
fn leader_accuracy_catches_leader_election_over_eventually_perfect() {
    let setup = Setup::new(3, model(Timing::PartiallySynchronous, 200, 0.0), |_| {
        MonarchicalLeaderElection::new(SuspicionsAsCrashes::new(EventuallyPerfectOracle::new(5)))
    })
    .faults(vec![Fault::Suspect {
        process: 0,
        by: 1,
        from: 50,
        until: 100,
    }]);
    let out = run(setup, le_props(), 10, 1);
    assert_violated(&out, "accuracy");
}

/// LE1 fails when the detector never reports the leader's crash.
#[test]
fn eventual_detection_catches_leader_election_without_completeness() {
    let setup = Setup::new(3, model(Timing::Synchronous, 0, 0.0), |_| {
        MonarchicalLeaderElection::new(NeverDetect)
    })
    .faults(vec![crash(0, 50)]);
    let out = run(setup, le_props(), 10, 1);
    assert_violated(&out, "eventual-detection");
    assert_hold(&out, "accuracy");
}

/// B-5.7: adding 1 instead of N lets two leaders claim the same timestamp. The ◇P oracle's
/// scripted mistake makes 2 trust 1 for a while, so 0's claim is NACKed while 1 claims too.
#[test]
fn consistency_catches_epoch_change_adding_one() {
    let m = model(Timing::PartiallySynchronous, 300, 0.0);
    let mistakes = vec![
        Fault::Suspect {
            process: 0,
            by: 1,
            from: 20,
            until: 200,
        },
        Fault::Suspect {
            process: 0,
            by: 2,
            from: 20,
            until: 200,
        },
    ];
    let good = Setup::new(3, m.clone(), |_| {
        LeaderBasedEpochChange::new(LeaderOracle::new(5), 10)
    })
    .faults(mistakes.clone());
    let out = run(good, ec_props(), 10, 1);
    assert!(out.all_hold(), "{:?}", out.properties);
    let mutant = Setup::new(3, m, |_| {
        LeaderBasedEpochChange::new(LeaderOracle::new(5), 10).with_step(1)
    })
    .faults(mistakes);
    let out = run(mutant, ec_props(), 10, 1);
    assert_violated(&out, "consistency");
}

/// EC1 fails when the leader starts its epoch before its own NEWEPOCH arrives.
#[test]
fn monotonicity_catches_an_eager_leader() {
    let setup = Setup::new(3, model(Timing::Synchronous, 0, 0.0), |_| {
        LeaderBasedEpochChange::new(LeaderOracle::new(5), 10).eager()
    });
    let out = run(setup, ec_props(), 10, 1);
    assert_violated(&out, "monotonicity");
}

/// EC3 fails over an Ω that keeps trusting a crashed leader.
#[test]
fn eventual_leadership_catches_epoch_change_over_a_stuck_omega() {
    /// Ω that trusts process 0 forever (no completeness).
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    struct Stuck;
    impl Module for Stuck {
        const NAME: &'static str = "omega";
        type Req = automata::detector::NoRequest;
        type Ind = automata::detector::Trust;
        type Msg = std::convert::Infallible;
        type Timer = std::convert::Infallible;
        fn on_init(&mut self, ctx: &mut automata::Ctx<Self>) {
            ctx.indicate(automata::detector::Trust(0));
        }
        fn on_request(&mut self, _ctx: &mut automata::Ctx<Self>, req: Self::Req) {
            match req {}
        }
    }
    let setup = Setup::new(3, model(Timing::Synchronous, 0, 0.0), |_| {
        LeaderBasedEpochChange::new(Stuck, 10)
    })
    .faults(vec![crash(0, 100)]);
    let out = run(setup, ec_props(), 10, 1);
    assert_violated(&out, "eventual-leadership");
    assert_hold(&out, "consistency");
}

/// Whether only "eventually" (liveness) properties failed, each on a violation that began in
/// the final settle window: the stand-in for "eventually forever" (judged where the run is
/// cut) cannot tell a last, late mistake from one that lasts.
fn late_mistake(out: &Outcome, settle_from: Time) -> bool {
    !out.all_hold()
        && out.properties.iter().all(|p| match &p.verdict {
            Verdict::Violation(v) => p.kind == PropertyKind::Liveness && v.time >= settle_from,
            verdict => verdict.holds(),
        })
}

/// The start of [`run`]'s final settle window.
fn settle_from<R: Module>(setup: &Setup<R>) -> Time {
    setup.quiet_from()
}

/// [`run`] for algorithms whose mistakes after stabilisation are bounded in number, not in
/// time (Increasing Timeout, and the Ω and epoch changes built on timeouts): a run that fails
/// only on a late mistake ([`late_mistake`]) is run on, three times as long, and judged there.
/// A lasting failure (a mutant's) fails both.
fn run_eventual<R: Module>(
    setup: Setup<R>,
    monitors: fn() -> Vec<Box<dyn Monitor>>,
    period: Time,
    seed: u64,
) -> Outcome {
    let out = run(setup.clone(), monitors(), period, seed);
    if late_mistake(&out, settle_from(&setup)) {
        run_settling(setup, monitors(), period, seed, 3)
    } else {
        out
    }
}

/// The case proptest found (C.13): Increasing Timeout errs 2,150 ticks after GST and the run
/// is cut one tick later, so eventual strong accuracy, judged at the cut, fails. The mistakes
/// are bounded in number, not in time: the same schedule run longer restores the process and
/// holds.
#[test]
fn a_mistake_just_before_the_cut_is_restored_in_a_longer_run() {
    let setup = Setup::new(4, model(Timing::PartiallySynchronous, 141, 0.2), |_| {
        IncreasingTimeout::new(3)
    })
    .faults(vec![crash(2, 20), crash(3, 293)]);
    let seed = 4940430511404732063;
    let out = run(setup.clone(), ep_props("ep"), 3, seed);
    assert!(
        late_mistake(&out, settle_from(&setup)),
        "{:?}",
        out.properties
    );
    let longer = run_settling(setup, ep_props("ep"), 3, seed, 3);
    assert!(longer.all_hold(), "{:?}", longer.properties);
}

/// The case CI's proptest found (5.4): Elect Lower Epoch's process 0, recovered, misses one
/// period's heartbeat from the leader 2 at 2,190, the very tick the run is cut, so eventual
/// agreement, judged at the cut, fails. A miss lengthens the misser's period, so such misses
/// are bounded in number, not in time: run on, 0 trusts 2 again at 2,250 and agreement holds.
#[test]
fn a_leader_change_at_the_cut_is_undone_in_a_longer_run() {
    let mut m = model(Timing::PartiallySynchronous, 0, 0.0);
    m.failures = Failures::CrashRecovery;
    let faults = vec![
        crash(1, 101),
        Fault::Recover {
            process: 1,
            at: 190,
        },
        crash(0, 146),
        Fault::Recover {
            process: 0,
            at: 170,
        },
    ];
    let setup = Setup::new(3, m, |_| ElectLowerEpoch::new(20)).faults(faults);
    let seed = 189444087683610708;
    let out = run(setup.clone(), omega_props(), 20, seed);
    assert_violated(&out, "eventual-agreement");
    assert!(
        late_mistake(&out, settle_from(&setup)),
        "{:?}",
        out.properties
    );
    let longer = run_eventual(setup, omega_props, 20, seed);
    assert!(longer.all_hold(), "{:?}", longer.properties);
}

/// 5.3 over lossy links: CGR's Increasing Timeout sends its heartbeats over perfect links, so a
/// lost request or reply is retransmitted and arrives late, never not at all. A late reply is a
/// mistake the growing timeout learns from; a missing one (fair-loss links) would be a mistake
/// it can never learn from, at any timeout. With 10% loss, eventual strong accuracy holds on
/// every seed, and the crash is still suspected for good.
#[test]
fn increasing_timeout_is_eventually_perfect_over_lossy_links() {
    for seed in 1..=8 {
        let mut m = model(Timing::PartiallySynchronous, 400, 0.3);
        m.links.loss = 0.1;
        let setup = Setup::new(3, m, |_| IncreasingTimeout::new(10)).faults(vec![crash(2, 200)]);
        let out = run(setup, ep_props("ep"), 10, seed);
        assert_hold(&out, "eventual-strong-accuracy");
        assert_hold(&out, "strong-completeness");
    }
}

/// Monarchical Ω over Increasing Timeout, three processes, GST = 100, the leader 0 crashing at
/// 200, with the election rule `misrank` gets wrong (None: the book's).
fn omega_run(misrank: Option<Misrank>) -> Outcome {
    let setup = Setup::new(
        3,
        model(Timing::PartiallySynchronous, 100, 0.0),
        move |_| {
            let omega = MonarchicalOmega::new(IncreasingTimeout::new(OMEGA_PERIOD));
            match misrank {
                Some(m) => omega.misranking(m),
                None => omega,
            }
        },
    )
    .faults(vec![crash(0, 200)]);
    run(setup, omega_props(), OMEGA_PERIOD, 1)
}

/// ELD2: every process ranking itself highest trusts itself to the end, so the correct
/// processes never agree; each trusts a correct process, so ELD1 holds. The book's rule holds
/// both on the same run.
#[test]
fn eventual_agreement_catches_omega_ranking_from_itself() {
    let out = omega_run(Some(Misrank::SelfFirst));
    assert_violated(&out, "eventual-agreement");
    assert_hold(&out, "eventual-accuracy");
    let out = omega_run(None);
    assert!(out.all_hold(), "{:?}", out.properties);
}

/// ELD1: a process that only ever moves to a higher-ranked leader keeps trusting the crashed
/// leader 0 to the end; all of them do, so ELD2 holds.
#[test]
fn eventual_accuracy_catches_omega_that_never_demotes() {
    let out = omega_run(Some(Misrank::NeverDemote));
    assert_violated(&out, "eventual-accuracy");
    assert_hold(&out, "eventual-agreement");
}

/// C.13, the figure the chapter first gave: ⌈(D − Δ)/Δ⌉ counts the timeout increments after
/// GST, not the periods with a false suspicion. With two processes, Δ = 7 and D = 20 (GST = 0,
/// delays in [1, 10]) the timeout can err at 7 and at 14, and at each value both processes
/// (the other and the process itself) can be suspected at different timeouts before either is
/// restored: 4 periods, twice ⌈13/7⌉ = 2. Over 150 seeds the mistake-bound monitor with the
/// increment count as its bound is violated, and with n · ⌊D/Δ⌋ = 4 it holds and is reached.
#[test]
fn mistakes_after_gst_exceed_the_increment_count_and_reach_n_times_it() {
    let (n, period, d) = (2, 7, 2 * MAX);
    let increments = (d - period).div_ceil(period);
    let bound = MistakeBound::increasing_timeout(n, period, d, 0);
    assert_eq!((increments, bound), (2, 4));
    let mut worst = 0.0f64;
    let mut old_violated = 0;
    for seed in 0..150 {
        let setup = Setup::new(n, model(Timing::PartiallySynchronous, 0, 0.0), move |_| {
            IncreasingTimeout::new(period)
        })
        .faults(vec![crash(1, 200)]);
        let props: Vec<Box<dyn Monitor>> = vec![
            Box::new(EventualStrongAccuracy::new("ep")),
            Box::new(MistakeBound::new("ep", 0, bound)),
        ];
        let out = Sim::new(setup.clone(), Monitors::new(props))
            .seed(seed)
            .max_time(3_000)
            .run();
        assert_hold(&out, "mistake-bound");
        worst = worst.max(out.metrics["post_gst_mistakes"]);
        let old: Vec<Box<dyn Monitor>> = vec![Box::new(MistakeBound::new("ep", 0, increments))];
        let out = Sim::new(setup, Monitors::new(old))
            .seed(seed)
            .max_time(3_000)
            .run();
        if out
            .property("mistake-bound")
            .unwrap()
            .verdict
            .is_violation()
        {
            old_violated += 1;
        }
    }
    println!("C.13 n = 2, Δ = 7: worst {worst} periods; ⌈(D − Δ)/Δ⌉ = {increments} violated on {old_violated} of 150 seeds; n⌊D/Δ⌋ = {bound}");
    assert!(old_violated > 0);
    assert_eq!(worst, bound as f64);
}

/// 5.5 over lossy links: CGR's Leader-Based Epoch-Change sends NEWEPOCH and NACK over perfect
/// links (and best-effort broadcast over them). Over a network that loses 10% of the packets,
/// with the leader 0 crashing at 150, every seed ends with every correct process in the same
/// epoch of a correct leader.
#[test]
fn epoch_change_holds_over_lossy_links() {
    for seed in 0..20 {
        let mut m = model(Timing::PartiallySynchronous, 100, 0.0);
        m.links.loss = 0.1;
        let setup = Setup::new(3, m, |_| {
            LeaderBasedEpochChange::new(LeaderOracle::new(5), 10)
        })
        .faults(vec![crash(0, 150)]);
        let out = run(setup, ec_props(), 10, seed);
        assert!(out.all_hold(), "seed {seed}: {:?}", out.properties);
    }
}
