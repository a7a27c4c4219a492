//! Every promised property holds, for every link algorithm, over random seeds, random fault
//! plans and random workloads (proptest shrinks a failing plan to a small one).
//!
//! Network: loss in [0, 0.5], duplication in [0, 0.3], FIFO on or off, delays in [1, 10],
//! synchronous or (over non-FIFO channels) asynchronous (a tail of messages far slower than Δ).
//! Crash-stop algorithms get crashes of random processes at random times; logged perfect links
//! get crash-recovery with random crash/recover cycles under stable storage. Every run is
//! complete (horizon = quiet point + settle), so liveness is judged, never inconclusive.
//!
//! `PROPTEST_CASES` sets the number of cases per algorithm (default 256).

mod common;

use automata::model::{Failures, SystemModel, Timing};
use automata::sim::Sim;
use automata::{Fault, Module, Monitors, Pid, Setup, Time, Value, Verdict};
use common::*;
use links::{
    FifoPerfectLinks, LoggedPerfectLinks, PerfectLinks, PerfectLinksAck, Send, StubbornLinks,
};
use proptest::prelude::*;

/// A random scenario: network, workload and fault plan.
#[derive(Clone, Debug)]
struct Plan {
    seed: u64,
    n: usize,
    loss: f64,
    duplication: f64,
    fifo: bool,
    /// Asynchronous timing (a tail of messages far slower than Δ) instead of synchronous.
    asynchronous: bool,
    /// (time, from, to); payloads are made unique from the index.
    sends: Vec<(Time, Pid, Pid)>,
    /// (process, crash time, down for): crash-stop ignores `down for`; crash-recovery
    /// recovers after it when it is `Some`.
    crashes: Vec<(Pid, Time, Option<Time>)>,
    drop_in_flight: bool,
}

fn plan() -> impl Strategy<Value = Plan> {
    (2usize..=4).prop_flat_map(|n| {
        (
            any::<u64>(),
            0.0..=0.5f64,
            0.0..=0.3f64,
            (any::<bool>(), any::<bool>()),
            prop::collection::vec((0..100 as Time, 0..n, 0..n), 1..16),
            prop::collection::vec(
                (0..n, 0..150 as Time, prop::option::of(1..80 as Time)),
                0..n,
            ),
            any::<bool>(),
        )
            .prop_map(
                move |(
                    seed,
                    loss,
                    duplication,
                    (fifo, asynchronous),
                    sends,
                    crashes,
                    drop_in_flight,
                )| Plan {
                    seed,
                    n,
                    loss,
                    duplication,
                    fifo,
                    asynchronous,
                    sends,
                    crashes,
                    drop_in_flight,
                },
            )
    })
}

impl Plan {
    fn model(&self, failures: Failures) -> SystemModel {
        SystemModel {
            failures,
            // Not with FIFO channels: there one packet in the asynchronous tail holds back every
            // later packet of its channel, retransmissions included, for hundreds of ticks, so
            // a finite settle window cannot judge liveness (every bounded horizon is too short
            // for some run; that is asynchrony, not a bug).
            timing: if self.asynchronous && !self.fifo {
                Timing::Asynchronous
            } else {
                Timing::Synchronous
            },
            ..net(self.loss, self.duplication, self.fifo)
        }
    }

    fn crash_stop(&self) -> Vec<Fault> {
        self.crashes
            .iter()
            .map(|&(process, at, _)| Fault::Crash {
                process,
                at,
                after_sends: None,
                drop_in_flight: self.drop_in_flight,
            })
            .collect()
    }

    fn crash_recovery(&self) -> Vec<Fault> {
        let mut faults = Vec::new();
        for &(process, at, down) in &self.crashes {
            faults.push(Fault::Crash {
                process,
                at,
                after_sends: None,
                drop_in_flight: self.drop_in_flight,
            });
            if let Some(d) = down {
                faults.push(Fault::Recover {
                    process,
                    at: at + d,
                });
            }
        }
        faults
    }

    fn setup<R: Module<Req = Send<Value>>>(
        &self,
        model: SystemModel,
        faults: Vec<Fault>,
        factory: impl Fn(Pid) -> R + std::marker::Send + Sync + 'static,
    ) -> Setup<R> {
        let mut setup = Setup::new(self.n, model, factory).faults(faults);
        for (i, &(at, from, to)) in self.sends.iter().enumerate() {
            let msg = Value::str(&format!("p{from}-{i}"));
            setup = setup.request(at, from, Send { to, msg });
        }
        setup
    }
}

/// Runs the plan to a complete horizon and requires every property in `expected` to hold.
fn all_hold<R: Module>(
    plan: &Plan,
    setup: Setup<R>,
    monitors: Monitors,
    expected: &[&str],
) -> Result<(), TestCaseError> {
    let max_time = setup.quiet_from() + LONG_SETTLE;
    let out = Sim::new(setup, monitors)
        .seed(plan.seed)
        .max_time(max_time)
        .settle(LONG_SETTLE)
        .run();
    prop_assert!(out.summary.complete, "the run must be complete");
    let names: Vec<&str> = out.properties.iter().map(|p| p.name.as_str()).collect();
    prop_assert_eq!(&names[..], expected);
    for p in &out.properties {
        prop_assert!(
            p.verdict == Verdict::Hold,
            "{} does not hold: {:?}",
            p.name,
            p.verdict
        );
    }
    Ok(())
}

/// 40 retransmission periods.
const LONG_SETTLE: Time = 40 * PERIOD;

const PL: &[&str] = &["reliable-delivery", "no-duplication", "no-creation"];
const FPL: &[&str] = &[
    "reliable-delivery",
    "no-duplication",
    "no-creation",
    "fifo-delivery",
];
const SL: &[&str] = &["stubborn-delivery", "no-creation"];

proptest! {
    #![proptest_config(common::proptest_config(0x4C49_4E4B, 256))]

    /// Retransmit Forever: SL1 stubborn delivery, SL2 no creation.
    #[test]
    fn stubborn_links(plan in plan()) {
        let setup = plan.setup(plan.model(Failures::CrashStop), plan.crash_stop(),
            |_| StubbornLinks::<Value>::new(PERIOD));
        all_hold(&plan, setup, sl_monitors("sl"), SL)?;
    }

    /// Eliminate Duplicates: PL1-PL3.
    #[test]
    fn perfect_links(plan in plan()) {
        let setup = plan.setup(plan.model(Failures::CrashStop), plan.crash_stop(),
            |_| PerfectLinks::<Value>::new(PERIOD));
        all_hold(&plan, setup, pl_monitors("pl"), PL)?;
    }

    /// Retransmit Until Acknowledged: PL1-PL3.
    #[test]
    fn perfect_links_ack(plan in plan()) {
        let setup = plan.setup(plan.model(Failures::CrashStop), plan.crash_stop(),
            |_| PerfectLinksAck::<Value>::new(PERIOD));
        all_hold(&plan, setup, pl_monitors("pl"), PL)?;
    }

    /// Sequence Number over Eliminate Duplicates: PL1-PL3 and FPL4.
    #[test]
    fn fifo_perfect_links(plan in plan()) {
        let setup = plan.setup(plan.model(Failures::CrashStop), plan.crash_stop(),
            |_| FifoPerfectLinks::<Value>::new(PERIOD));
        all_hold(&plan, setup, fpl_monitors("fpl"), FPL)?;
    }

    /// Sequence Number over Retransmit Until Acknowledged: the same guarantees.
    #[test]
    fn fifo_perfect_links_over_ack(plan in plan()) {
        let setup = plan.setup(plan.model(Failures::CrashStop), plan.crash_stop(),
            |_| FifoPerfectLinks::<Value, _>::over(PerfectLinksAck::new(PERIOD)));
        all_hold(&plan, setup, fpl_monitors("fpl"), FPL)?;
    }

    /// Log Delivered under crash-recovery with stable storage: LPL1-LPL3.
    #[test]
    fn logged_perfect_links(plan in plan()) {
        let setup = plan.setup(plan.model(Failures::CrashRecovery), plan.crash_recovery(),
            |_| LoggedPerfectLinks::<Value>::new(PERIOD));
        all_hold(&plan, setup, lpl_monitors("lpl"), PL)?;
    }
}
