//! Garbage Collection of the Causal Past (CGR 3.14): the past a message carries stays bounded
//! with it and grows with every broadcast without it, measured on the trace (the length of the
//! `mpast` list in each `[DATA, mpast, m]` handed to reliable broadcast); and the garbage
//! collection needs P's accuracy (with ◇P taken as P, causal delivery fails).
//!
//! Random plans: `properties.rs`; exhaustive checks: `model_checking.rs`.

mod common;

use automata::model::{Delay, Timing};
use automata::oracle::{EventuallyPerfectOracle, PerfectOracle};
use automata::sim::Outcome;
use automata::{Event, Fault, Kind, Module, Setup, SystemModel, Value};
use broadcast::{Broadcast, GcCausalBroadcast, NoWaitingCausalBroadcast};
use common::*;
use links::detectors::SuspicionsAsCrashes;

/// The past carried by each causal broadcast, in trace order: the `mpast` of every `[DATA,
/// mpast, m]` that the causal layer hands to reliable broadcast (acknowledgements excluded).
fn carried(out: &Outcome) -> Vec<usize> {
    out.trace
        .as_ref()
        .expect("recorded")
        .iter()
        .filter(|e| e.module == "rb" && e.kind == Kind::Request)
        .filter_map(|e| match &e.event {
            Event::Broadcast {
                msg: Value::List(parts),
            } => match parts.as_slice() {
                [Value::List(past), _] => Some(past.len()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Every process broadcasts `per_process` messages, one every 10 ticks from time 10 (the
/// processes interleave), over a network losing 10%; process 2 crashes at `crash` if given.
fn workload<R: Module<Req = Broadcast<Value>>>(
    make: impl Fn() -> R + Send + Sync + 'static,
    per_process: u64,
    crash: Option<u64>,
) -> Setup<R> {
    let mut setup = Setup::new(3, net(0.1, 0.0), move |_| make());
    for i in 0..per_process {
        for p in 0..3 {
            setup = bcast(setup, 10 + 10 * i + p as u64, p, &format!("p{p}-{i}"));
        }
    }
    if let Some(at) = crash {
        setup = setup.faults(vec![crash_at(2, at)]);
    }
    setup
}

/// The pasts carried in one run, after checking CRB1-CRB5 on it.
fn pasts(gc: bool, per_process: u64, crash: Option<u64>) -> Vec<usize> {
    let out = if gc {
        let setup = workload(
            || GcCausalBroadcast::<Value, _>::new(PERIOD, PerfectOracle::new(5)),
            per_process,
            crash,
        );
        run_complete(setup, crb_monitors("crb"), 1)
    } else {
        let setup = workload(
            || NoWaitingCausalBroadcast::<Value>::new(PERIOD),
            per_process,
            crash,
        );
        run_complete(setup, crb_monitors("crb"), 1)
    };
    assert_all_hold(&out);
    let pasts = carried(&out);
    let lost = crash.map_or(0, |at| {
        (0..per_process).filter(|i| 12 + 10 * i > at).count()
    });
    assert_eq!(
        pasts.len() as u64,
        3 * per_process - lost as u64,
        "one [DATA, mpast, m] per broadcast"
    );
    pasts
}

fn max(v: &[usize]) -> usize {
    v.iter().copied().max().unwrap_or(0)
}

/// Without garbage collection the past grows with every broadcast: doubling the number of
/// broadcasts doubles the largest past. With it, the past holds only what is not yet known to
/// be delivered everywhere, so its largest size does not depend on how many messages went
/// before. CRB1-CRB5 hold in all four runs.
#[test]
fn the_past_stays_bounded_with_garbage_collection_and_grows_without() {
    let (short, long) = (pasts(false, 10, None), pasts(false, 20, None));
    // Every message carries at least everything its sender broadcast before it, and here
    // everything broadcast before it at all.
    assert!(max(&short) >= 27, "{short:?}");
    assert!(max(&long) >= 57, "{long:?}");

    let (short, long) = (pasts(true, 10, None), pasts(true, 20, None));
    assert!(max(&long) <= 12, "{long:?}");
    assert!(max(&long) <= max(&short) + 2, "{short:?} / {long:?}");
}

/// After a crash, garbage collection goes on once P reports it (the crashed process's
/// acknowledgement is no longer awaited): the past stays bounded. Without it, it grows.
#[test]
fn garbage_collection_goes_on_after_a_crash() {
    let with = pasts(true, 20, Some(60));
    assert!(with.iter().all(|&k| k <= 12), "{with:?}");
    let without = pasts(false, 20, Some(60));
    assert!(max(&without) >= 40, "{without:?}");
}

/// The setting of `scenarios/broadcast/causal-gc-eventually-perfect.toml`: 1 falsely suspects
/// 2 before GST while the copies of m1 to 2 are held up; 1 drops m1 from its past, so m2
/// reaches 2 without m1 and 2 delivers it first. With P the same schedule is harmless.
#[test]
fn causal_delivery_catches_garbage_collection_over_eventually_perfect() {
    let model = SystemModel {
        timing: Timing::PartiallySynchronous,
        gst: 300,
        delay: Delay {
            min: 1,
            max: 10,
            tail: 0.0,
        },
        ..SystemModel::default()
    };
    let hold_up = |from_process, to_process| Fault::Delay {
        from_process,
        to_process,
        extra: 100,
        from: 0,
        until: 25,
    };
    let faults = vec![
        Fault::Suspect {
            process: 2,
            by: 1,
            from: 0,
            until: 200,
        },
        hold_up(0, 2),
        hold_up(1, 2),
    ];
    let weak = Setup::new(3, model.clone(), |_| {
        GcCausalBroadcast::<Value, _>::new(
            100,
            SuspicionsAsCrashes::new(EventuallyPerfectOracle::new(5)),
        )
    })
    .faults(faults.clone());
    let out = run_complete(
        bcast(bcast(weak, 5, 0, "m1"), 30, 1, "m2"),
        crb_monitors("crb"),
        1,
    );
    let e = assert_violated(&out, "causal-delivery");
    assert_eq!((e.process, e.kind), (2, Kind::Indication), "{e:?}");
    assert!(matches!(e.event, Event::Deliver { from: 1, .. }), "{e:?}");

    let good = Setup::new(3, model, |_| {
        GcCausalBroadcast::<Value, _>::new(100, PerfectOracle::new(5))
    })
    .faults(faults);
    let out = run_complete(
        bcast(bcast(good, 5, 0, "m1"), 30, 1, "m2"),
        crb_monitors("crb"),
        1,
    );
    assert_all_hold(&out);
}

/// Determinism: the same seed gives the same trace.
#[test]
fn the_same_seed_gives_the_same_trace() {
    let run = || {
        let setup = workload(
            || GcCausalBroadcast::<Value, _>::new(PERIOD, PerfectOracle::new(5)),
            5,
            Some(40),
        );
        run_complete(setup, crb_monitors("crb"), 7).trace.unwrap()
    };
    assert_eq!(run(), run());
}
