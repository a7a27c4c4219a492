//! Every promised property holds, for every broadcast algorithm, over random seeds, random
//! workloads, random networks and random crash plans (proptest shrinks a failing plan to a
//! small one).
//!
//! Network: loss in [0, 0.3], duplication in [0, 0.2], delays in [1, 10], synchronous or
//! asynchronous (a tail of messages far slower than Δ). Crashes hit random processes at random
//! times, some in the middle of a step (`after_sends`: right after the k-th send, e.g. half-way
//! through a broadcast or a relay), some losing their in-flight packets. Majority-Ack gets at
//! most f < N/2 crashes, the model it needs; the others any number. Every run is complete
//! (horizon = quiet point + settle), so liveness is judged, never inconclusive.
//!
//! `PROPTEST_CASES` sets the number of cases per algorithm (default 256).

mod common;

use automata::model::{SystemModel, Timing};
use automata::oracle::PerfectOracle;
use automata::sim::Sim;
use automata::{Fault, Module, Monitors, Pid, Setup, Time, Value, Verdict};
use broadcast::*;
use common::*;
use links::detectors::ExcludeOnTimeout;
use proptest::prelude::*;

/// A random scenario: network, workload and fault plan.
#[derive(Clone, Debug)]
struct Plan {
    seed: u64,
    n: usize,
    loss: f64,
    duplication: f64,
    asynchronous: bool,
    /// (time, process); payloads are made unique from the index.
    broadcasts: Vec<(Time, Pid)>,
    /// (process, time, after how many sends from then, or at once).
    crashes: Vec<(Pid, Time, Option<u64>)>,
    drop_in_flight: bool,
}

fn plan() -> impl Strategy<Value = Plan> {
    (2usize..=4).prop_flat_map(|n| {
        (
            any::<u64>(),
            0.0..=0.3f64,
            0.0..=0.2f64,
            any::<bool>(),
            prop::collection::vec((0..80 as Time, 0..n), 1..8),
            prop::collection::vec((0..n, 0..100 as Time, prop::option::of(1..8u64)), 0..n),
            any::<bool>(),
        )
            .prop_map(
                move |(
                    seed,
                    loss,
                    duplication,
                    asynchronous,
                    broadcasts,
                    crashes,
                    drop_in_flight,
                )| {
                    Plan {
                        seed,
                        n,
                        loss,
                        duplication,
                        asynchronous,
                        broadcasts,
                        crashes,
                        drop_in_flight,
                    }
                },
            )
    })
}

impl Plan {
    fn model(&self) -> SystemModel {
        SystemModel {
            timing: if self.asynchronous {
                Timing::Asynchronous
            } else {
                Timing::Synchronous
            },
            ..net(self.loss, self.duplication)
        }
    }

    /// The crash plan, keeping at most `max_faulty` distinct processes.
    fn faults(&self, max_faulty: usize) -> Vec<Fault> {
        let mut faulty = Vec::new();
        let mut faults = Vec::new();
        for &(process, at, after_sends) in &self.crashes {
            if !faulty.contains(&process) {
                if faulty.len() == max_faulty {
                    continue;
                }
                faulty.push(process);
            }
            faults.push(Fault::Crash {
                process,
                at,
                after_sends,
                drop_in_flight: self.drop_in_flight,
            });
        }
        faults
    }

    fn setup<R: Module<Req = Broadcast<Value>>>(
        &self,
        max_faulty: usize,
        factory: impl Fn(Pid) -> R + Send + Sync + 'static,
    ) -> Setup<R> {
        let mut setup = Setup::new(self.n, self.model(), factory).faults(self.faults(max_faulty));
        for (i, &(at, p)) in self.broadcasts.iter().enumerate() {
            setup = bcast(setup, at, p, &format!("p{p}-{i}"));
        }
        setup
    }
}

/// Settle time of these runs: 40 retransmission periods (the asynchronous tail needs room).
const LONG_SETTLE: Time = 40 * PERIOD;

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

const BEB: &[&str] = &["validity", "no-duplication", "no-creation"];
const RB: &[&str] = &["validity", "no-duplication", "no-creation", "agreement"];
const URB: &[&str] = &[
    "validity",
    "no-duplication",
    "no-creation",
    "agreement",
    "uniform-agreement",
];
const FRB: &[&str] = &[
    "validity",
    "no-duplication",
    "no-creation",
    "agreement",
    "fifo-delivery",
];
const CRB: &[&str] = &[
    "validity",
    "no-duplication",
    "no-creation",
    "agreement",
    "causal-delivery",
];

proptest! {
    #![proptest_config(proptest_config(0x4243_4153))]

    /// Basic Broadcast: BEB1-BEB3, any number of crashes.
    #[test]
    fn best_effort_broadcast(plan in plan()) {
        let setup = plan.setup(plan.n, |_| BestEffortBroadcast::<Value>::new(PERIOD));
        all_hold(&plan, setup, beb_monitors("beb"), BEB)?;
    }

    /// Eager Reliable Broadcast: RB1-RB4, any number of crashes.
    #[test]
    fn eager_reliable_broadcast(plan in plan()) {
        let setup = plan.setup(plan.n, |_| EagerReliableBroadcast::<Value>::new(PERIOD));
        all_hold(&plan, setup, rb_monitors("rb"), RB)?;
    }

    /// Lazy Reliable Broadcast over the P oracle: RB1-RB4, any number of crashes.
    #[test]
    fn lazy_reliable_broadcast(plan in plan()) {
        let setup = plan.setup(plan.n, |_| LazyReliableBroadcast::<Value, _>::new(PERIOD, PerfectOracle::new(5)));
        all_hold(&plan, setup, rb_monitors("rb"), RB)?;
    }

    /// Lazy Reliable Broadcast over Exclude on Timeout, on a synchronous lossless network (the
    /// model that heartbeat detector needs): RB1-RB4, any number of crashes.
    #[test]
    fn lazy_reliable_broadcast_over_heartbeats(plan in plan()) {
        let plan = Plan { loss: 0.0, duplication: 0.0, asynchronous: false, ..plan };
        let setup = plan.setup(plan.n, |_| LazyReliableBroadcast::<Value, _>::new(PERIOD, ExcludeOnTimeout::new(25)));
        all_hold(&plan, setup, rb_monitors("rb"), RB)?;
    }

    /// All-Ack over the P oracle: URB1-URB4, any number of crashes.
    #[test]
    fn all_ack_urb(plan in plan()) {
        let setup = plan.setup(plan.n, |_| AllAckUrb::<Value, _>::new(PERIOD, PerfectOracle::new(5)));
        all_hold(&plan, setup, urb_monitors("urb"), URB)?;
    }

    /// Majority-Ack: URB1-URB4 (and so RB4) with f < N/2.
    #[test]
    fn majority_ack_urb(plan in plan()) {
        let setup = plan.setup((plan.n - 1) / 2, |_| MajorityAckUrb::<Value>::new(PERIOD));
        all_hold(&plan, setup, urb_monitors("urb"), URB)?;
    }

    /// Broadcast with Sequence Number over Eager Reliable Broadcast: FRB1-FRB5.
    #[test]
    fn fifo_reliable_broadcast(plan in plan()) {
        let setup = plan.setup(plan.n, |_| FifoReliableBroadcast::<Value>::new(PERIOD));
        all_hold(&plan, setup, frb_monitors("frb"), FRB)?;
    }

    /// No-Waiting Causal Broadcast over Eager Reliable Broadcast: CRB1-CRB5.
    #[test]
    fn no_waiting_causal_broadcast(plan in plan()) {
        let setup = plan.setup(plan.n, |_| NoWaitingCausalBroadcast::<Value>::new(PERIOD));
        all_hold(&plan, setup, crb_monitors("crb"), CRB)?;
    }

    /// No-Waiting Causal Broadcast with garbage collection of the causal past, over the P
    /// oracle and Eager Reliable Broadcast: CRB1-CRB5, any number of crashes.
    #[test]
    fn garbage_collecting_causal_broadcast(plan in plan()) {
        let setup = plan.setup(plan.n, |_| GcCausalBroadcast::<Value, _>::new(PERIOD, PerfectOracle::new(5)));
        all_hold(&plan, setup, crb_monitors("crb"), CRB)?;
    }

    /// Waiting Causal Broadcast over Eager Reliable Broadcast: CRB1-CRB5.
    #[test]
    fn waiting_causal_broadcast(plan in plan()) {
        let setup = plan.setup(plan.n, |_| WaitingCausalBroadcast::<Value>::new(PERIOD));
        all_hold(&plan, setup, crb_monitors("crb"), CRB)?;
    }

    /// Causal order over Majority-Ack: the causal layers are generic over their rb.
    #[test]
    fn waiting_causal_over_majority_ack(plan in plan()) {
        let setup = plan.setup((plan.n - 1) / 2, |_| {
            WaitingCausalBroadcast::<Value, _>::over(MajorityAckUrb::new(PERIOD))
        });
        all_hold(&plan, setup, crb_monitors("crb"), CRB)?;
    }
}
