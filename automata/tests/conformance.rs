//! Conformance monitors: the environment keeps the model it claims (book §3.3,
//! B-3.4), and each monitor flags an environment that does not, whether a too-weak fault plan
//! in the simulator or a hand-built trace of a broken network.

use automata::conformance::{
    conformance_monitors, ChannelFifo, ChannelNoCreation, EventualDelivery, FaultBudget,
    FiniteDuplication, PartitionRespected,
};
use automata::model::{DetectorSource, Failures, Links, Partition, Timing};
use automata::sim::{Outcome, Sim};
use automata::trace::{ENV, NET};
use automata::{
    Ctx, Event, Fault, Kind, Module, Monitor, Monitors, Observe, Pid, RunSummary, Setup,
    SystemModel, Time, TraceEvent, Value, Verdict,
};
use std::borrow::Cow;
use std::convert::Infallible;

const SETTLE: Time = 200;

/// Request: send `count` pings to everyone else; every ping is answered with a pong.
#[derive(Clone, Debug)]
struct Go(u32);

impl Observe for Go {
    fn observe(&self) -> Option<Event> {
        None
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Wire {
    Ping(u32),
    Pong(u32),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct PingAll;

impl Module for PingAll {
    const NAME: &'static str = "ping";
    type Req = Go;
    type Ind = Infallible;
    type Msg = Wire;
    type Timer = Infallible;
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Go(count): Go) {
        let me = ctx.me();
        for k in 0..count {
            for q in ctx.processes().filter(|&q| q != me) {
                ctx.send(q, Wire::Ping(k));
            }
        }
    }
    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Wire) {
        if let Wire::Ping(k) = msg {
            ctx.send(from, Wire::Pong(k));
        }
    }
}

fn setup(n: usize, model: SystemModel) -> Setup<PingAll> {
    let mut s = Setup::new(n, model, |_| PingAll);
    for p in 0..n {
        s = s.request(10 + 7 * p as Time, p, Go(5));
    }
    s
}

fn run(setup: Setup<PingAll>, seed: u64) -> Outcome {
    let ms = conformance_monitors(&setup.model, setup.n, setup.f);
    let max_time = setup.quiet_from() + SETTLE;
    Sim::new(setup, Monitors::new(ms))
        .seed(seed)
        .record(true)
        .max_time(max_time)
        .settle(SETTLE)
        .run()
}

fn names(ms: &[Box<dyn Monitor>]) -> Vec<&str> {
    ms.iter().map(|m| m.name()).collect()
}

fn verdict<'o>(out: &'o Outcome, name: &str) -> &'o Verdict {
    out.verdict(name)
}

fn violated(out: &Outcome, name: &str) -> TraceEvent {
    out.violating_event(name).clone()
}

fn delay(extra: Time, from: Time, until: Time) -> Fault {
    Fault::Delay {
        from_process: 0,
        to_process: 1,
        extra,
        from,
        until,
    }
}

#[test]
fn conformance_monitors_follow_the_model() {
    let sync = SystemModel::default();
    assert_eq!(
        names(&conformance_monitors(&sync, 3, 1)),
        [
            "delay-bound",
            "eventual-delivery",
            "finite-duplication",
            "channel-no-creation",
            "fault-budget"
        ]
    );
    let async_fifo = SystemModel {
        timing: Timing::Asynchronous,
        links: Links {
            fifo: true,
            ..Links::default()
        },
        partitions: vec![Partition {
            groups: vec![vec![0], vec![1, 2]],
            from: 10,
            until: 20,
            one_way: false,
        }],
        detector: DetectorSource::EventuallyPerfect,
        ..SystemModel::default()
    };
    assert_eq!(
        names(&conformance_monitors(&async_fifo, 3, 1)),
        [
            "eventual-delivery",
            "partition-respected",
            "finite-duplication",
            "channel-no-creation",
            "channel-fifo",
            "fault-budget",
            "strong-completeness",
            "eventual-strong-accuracy"
        ]
    );
    let ps = SystemModel {
        timing: Timing::PartiallySynchronous,
        gst: 100,
        detector: DetectorSource::Perfect,
        ..SystemModel::default()
    };
    let ms = conformance_monitors(&ps, 3, 1);
    assert_eq!(names(&ms)[0], "delay-bound");
    assert!(names(&ms).ends_with(&["strong-completeness", "strong-accuracy"]));
    let omega = SystemModel {
        detector: DetectorSource::Leader,
        ..ps
    };
    assert!(names(&conformance_monitors(&omega, 3, 1))
        .ends_with(&["eventual-accuracy", "eventual-agreement"]));
}

/// Every simulated environment keeps its promises: lossy, duplicating, FIFO, partitioned,
/// partially synchronous, with crashes, over several seeds.
#[test]
fn the_simulator_conforms_to_every_model() {
    let models = [
        SystemModel::default(),
        SystemModel {
            timing: Timing::Asynchronous,
            links: Links {
                loss: 0.2,
                duplication: 0.3,
                ..Links::default()
            },
            ..SystemModel::default()
        },
        SystemModel {
            timing: Timing::PartiallySynchronous,
            gst: 40,
            links: Links {
                duplication: 0.5,
                max_copies: 2,
                fifo: true,
                ..Links::default()
            },
            ..SystemModel::default()
        },
        SystemModel {
            partitions: vec![Partition {
                groups: vec![vec![0, 1], vec![2]],
                from: 0,
                until: 30,
                one_way: false,
            }],
            ..SystemModel::default()
        },
    ];
    for (i, m) in models.into_iter().enumerate() {
        for seed in 0..4 {
            let s = setup(3, m.clone()).faults(vec![Fault::Crash {
                process: 2,
                at: 25,
                after_sends: None,
                drop_in_flight: seed % 2 == 0,
            }]);
            let out = run(s, seed);
            assert!(
                out.all_hold(),
                "model {i}, seed {seed}: {:?}",
                out.properties
            );
        }
    }
}

/// B-3.4: a `Delay` fault in the synchronous model pushes packets past Δ; the conformance
/// monitor flags the environment at the late delivery. The same plan is legal under
/// asynchrony, and before GST.
#[test]
fn delay_bound_flags_a_synchronous_network_that_exceeds_delta() {
    let out = run(
        setup(2, SystemModel::default()).faults(vec![delay(50, 0, 100)]),
        1,
    );
    let w = violated(&out, "delay-bound");
    assert_eq!(
        (w.module.as_ref(), w.kind, w.process),
        (NET, Kind::Deliver, 1)
    );
    let Event::Packet {
        id, from: 0, to: 1, ..
    } = w.event
    else {
        panic!("{w:?}");
    };
    let sent = out.trace.as_ref().unwrap().iter().find(|e| {
        e.kind == Kind::Send && matches!(e.event, Event::Packet { id: i, .. } if i == id)
    });
    assert!(w.time > sent.unwrap().time + SystemModel::default().delay.max);
    assert!(matches!(verdict(&out, "eventual-delivery"), Verdict::Hold));

    let asynchronous = SystemModel {
        timing: Timing::Asynchronous,
        ..SystemModel::default()
    };
    let out = run(setup(2, asynchronous).faults(vec![delay(50, 0, 100)]), 1);
    assert!(out.all_hold(), "{:?}", out.properties);

    let ps = SystemModel {
        timing: Timing::PartiallySynchronous,
        gst: 100,
        ..SystemModel::default()
    };
    let out = run(setup(2, ps.clone()).faults(vec![delay(50, 0, 100)]), 1);
    assert!(out.all_hold(), "{:?}", out.properties);
    // After GST the same delay breaks the model.
    let mut late = setup(2, ps).faults(vec![delay(50, 100, 200)]);
    late = late.request(150, 0, Go(1));
    let out = run(late, 1);
    let w = violated(&out, "delay-bound");
    assert!(w.time > 150, "{w:?}");
}

#[test]
fn fault_budget_flags_more_crashes_than_f() {
    let crashes = vec![
        Fault::Crash {
            process: 1,
            at: 20,
            after_sends: None,
            drop_in_flight: false,
        },
        Fault::Crash {
            process: 2,
            at: 30,
            after_sends: None,
            drop_in_flight: false,
        },
    ];
    let out = run(
        setup(3, SystemModel::default())
            .faults(crashes.clone())
            .fault_budget(1),
        1,
    );
    let w = violated(&out, "fault-budget");
    assert_eq!(
        (w.module.as_ref(), w.kind, w.process, w.time),
        (ENV, Kind::Crash, 2, 30)
    );
    let out = run(
        setup(3, SystemModel::default())
            .faults(crashes)
            .fault_budget(2),
        1,
    );
    assert!(out.all_hold(), "{:?}", out.properties);

    // Crash-recovery: crashing and recovering is within any budget; staying down is not.
    let cr = SystemModel {
        failures: Failures::CrashRecovery,
        ..SystemModel::default()
    };
    let flaky = vec![
        Fault::Crash {
            process: 0,
            at: 20,
            after_sends: None,
            drop_in_flight: false,
        },
        Fault::Recover { process: 0, at: 40 },
        Fault::Crash {
            process: 1,
            at: 50,
            after_sends: None,
            drop_in_flight: false,
        },
        Fault::Recover { process: 1, at: 60 },
    ];
    let out = run(
        setup(3, cr.clone()).faults(flaky.clone()).fault_budget(1),
        1,
    );
    assert!(matches!(verdict(&out, "fault-budget"), Verdict::Hold));
    let mut down = flaky;
    down.pop();
    down.push(Fault::Crash {
        process: 2,
        at: 70,
        after_sends: None,
        drop_in_flight: false,
    });
    let out = run(setup(3, cr).faults(down).fault_budget(1), 1);
    assert!(matches!(
        verdict(&out, "fault-budget"),
        Verdict::Violation(_)
    ));
}

// ---------------------------------------------------------------------------------------
// Hand-built traces of a broken network.

fn packet(index: u64, time: Time, kind: Kind, id: u64, from: Pid, to: Pid) -> TraceEvent {
    TraceEvent {
        index,
        time,
        process: if kind == Kind::Send { from } else { to },
        module: Cow::Borrowed(NET),
        kind,
        event: Event::Packet {
            id,
            from,
            to,
            msg: Value::Unit,
        },
    }
}

/// Feeds `events` to `m`; returns the index of the first violation.
fn first_violation(m: &mut dyn Monitor, events: &[TraceEvent]) -> Option<u64> {
    events.iter().find_map(|e| m.observe(e)).map(|v| v.event)
}

#[test]
fn partition_respected_flags_a_delivery_across_an_active_partition() {
    let model = SystemModel {
        partitions: vec![Partition {
            groups: vec![vec![0], vec![1, 2]],
            from: 10,
            until: 50,
            one_way: false,
        }],
        ..SystemModel::default()
    };
    let trace = [
        packet(0, 5, Kind::Send, 0, 0, 1),
        packet(1, 8, Kind::Deliver, 0, 0, 1),
        packet(2, 9, Kind::Send, 1, 1, 2),
        packet(3, 12, Kind::Deliver, 1, 1, 2),
        packet(4, 12, Kind::Send, 2, 2, 0),
        packet(5, 15, Kind::Deliver, 2, 2, 0),
    ];
    let mut m = PartitionRespected::new(&model);
    assert_eq!(first_violation(&mut m, &trace), Some(5));
    assert_eq!(m.name(), "partition-respected");
}

#[test]
fn finite_duplication_flags_more_copies_than_max_copies() {
    let trace = [
        packet(0, 1, Kind::Send, 7, 0, 1),
        packet(1, 2, Kind::Deliver, 7, 0, 1),
        packet(2, 3, Kind::Deliver, 7, 0, 1),
        packet(3, 4, Kind::Deliver, 7, 0, 1),
    ];
    let mut m = FiniteDuplication::with_max_copies(2);
    assert_eq!(first_violation(&mut m, &trace), Some(3));
    let mut m = FiniteDuplication::with_max_copies(3);
    assert_eq!(first_violation(&mut m, &trace), None);
}

#[test]
fn channel_no_creation_flags_invented_and_misrouted_packets() {
    let invented = [
        packet(0, 1, Kind::Send, 0, 0, 1),
        packet(1, 2, Kind::Deliver, 0, 0, 1),
        packet(2, 3, Kind::Deliver, 9, 0, 1),
    ];
    assert_eq!(
        first_violation(&mut ChannelNoCreation::new(), &invented),
        Some(2)
    );
    let misrouted = [
        packet(0, 1, Kind::Send, 0, 0, 1),
        packet(1, 2, Kind::Deliver, 0, 0, 2),
    ];
    assert_eq!(
        first_violation(&mut ChannelNoCreation::new(), &misrouted),
        Some(1)
    );
    let mut altered = packet(1, 2, Kind::Deliver, 0, 0, 1);
    altered.event = Event::Packet {
        id: 0,
        from: 0,
        to: 1,
        msg: Value::str("forged"),
    };
    let trace = [packet(0, 1, Kind::Send, 0, 0, 1), altered];
    assert_eq!(
        first_violation(&mut ChannelNoCreation::new(), &trace),
        Some(1)
    );
}

#[test]
fn channel_fifo_flags_overtaking_on_one_channel() {
    let trace = [
        packet(0, 1, Kind::Send, 0, 0, 1),
        packet(1, 2, Kind::Send, 1, 0, 1),
        packet(2, 2, Kind::Send, 2, 1, 0),
        packet(3, 3, Kind::Deliver, 2, 1, 0),
        packet(4, 4, Kind::Deliver, 0, 0, 1),
        packet(5, 5, Kind::Deliver, 0, 0, 1),
        packet(6, 6, Kind::Deliver, 1, 0, 1),
    ];
    assert_eq!(first_violation(&mut ChannelFifo::new(), &trace), None);
    let overtaken = [
        packet(0, 1, Kind::Send, 0, 0, 1),
        packet(1, 2, Kind::Send, 1, 0, 1),
        packet(2, 3, Kind::Deliver, 1, 0, 1),
        packet(3, 4, Kind::Deliver, 0, 0, 1),
    ];
    assert_eq!(
        first_violation(&mut ChannelFifo::new(), &overtaken),
        Some(3)
    );
}

#[test]
fn eventual_delivery_flags_a_packet_the_network_swallowed() {
    let trace = [
        packet(0, 1, Kind::Send, 0, 0, 1),
        packet(1, 1, Kind::Send, 1, 0, 1),
        packet(2, 3, Kind::Deliver, 0, 0, 1),
        packet(3, 3, Kind::Send, 2, 1, 0),
        packet(4, 3, Kind::Drop, 2, 1, 0),
    ];
    let mut m = EventualDelivery::with_grace(100);
    assert_eq!(first_violation(&mut m, &trace), None);
    let complete = RunSummary::failure_free(2, 1_000);
    match m.finish(&complete) {
        Verdict::Violation(v) => assert_eq!((v.event, v.time), (1, 1)),
        other => panic!("{other:?}"),
    }
    // Cut short: inconclusive, never `Hold`.
    let short = RunSummary {
        complete: false,
        ..complete.clone()
    };
    assert!(matches!(m.finish(&short), Verdict::Inconclusive { .. }));
    // A receiver that crashed is owed nothing.
    let crashed = RunSummary {
        crashes: [(1, vec![2])].into_iter().collect(),
        up_at_end: vec![true, false],
        ..complete.clone()
    };
    assert_eq!(m.finish(&crashed), Verdict::Hold);
    // A packet sent within the grace period is not yet owed.
    let mut late = EventualDelivery::with_grace(100);
    first_violation(&mut late, &[packet(0, 950, Kind::Send, 0, 0, 1)]);
    assert_eq!(late.finish(&complete), Verdict::Hold);
}

#[test]
fn fault_budget_on_a_hand_built_trace() {
    let crash = |index, p| TraceEvent {
        index,
        time: index * 10,
        process: p,
        module: Cow::Borrowed(ENV),
        kind: Kind::Crash,
        event: Event::Lifecycle,
    };
    let mut m = FaultBudget::new(&SystemModel::default(), 1);
    assert_eq!(
        first_violation(&mut m, &[crash(0, 0), crash(1, 0), crash(2, 2)]),
        Some(2)
    );
}

/// A run that outgrows the pending-event limit stops and says why, instead of exhausting
/// memory: 10 processes each sending 5 pings to everyone put 450 packets in flight at once.
#[test]
fn a_run_over_the_pending_limit_is_cut_short_and_says_so() {
    let sim = || {
        let s = setup(10, SystemModel::default());
        let ms = conformance_monitors(&s.model, s.n, s.f);
        Sim::new(s, Monitors::new(ms))
    };
    let why = sim()
        .max_pending(100)
        .run()
        .cut_short
        .expect("the run is cut short");
    assert!(why.contains("more than 100 events pending"), "{why}");
    assert_eq!(sim().run().cut_short, None);
}
