//! Chapter 2's tutorial modules and their monitors (book §2.3, §2.4, B-2.2, B-2.3): the
//! job handlers and the buffering transformation keep their properties, and every monitor
//! catches a broken variant.

use automata::check::{Explore, Search};
use automata::sim::{Outcome, Sim};
use automata::tutorial::monitors::{
    GuaranteedResponse, NoCreation, ProcessedBeforeConfirm, Soundness,
};
use automata::tutorial::mutants::{DoubleConfirmJobHandler, ForgetfulJobHandler, LeakyBuffering};
use automata::tutorial::{AsyncJobHandler, BufferingTransformation, Submit, SyncJobHandler};
use automata::{
    Event, Fault, Kind, Module, Monitor, Monitors, Setup, SystemModel, Time, Value, Verdict,
};

const SETTLE: Time = 200;

fn job(i: usize) -> Submit<Value> {
    Submit(Value::str(&format!("job-{i}")))
}

/// `count` jobs submitted at `p`, one every `every` ticks from `start`.
fn jobs<R: Module<Req = Submit<Value>>>(
    mut setup: Setup<R>,
    p: usize,
    start: Time,
    every: Time,
    count: usize,
) -> Setup<R> {
    for i in 0..count {
        setup = setup.request(start + every * i as Time, p, job(i));
    }
    setup
}

fn jh_monitors(m: &str) -> Monitors {
    let ms: Vec<Box<dyn Monitor>> = vec![
        Box::new(GuaranteedResponse::new(m)),
        Box::new(NoCreation::new(m)),
        Box::new(ProcessedBeforeConfirm::new(m)),
    ];
    Monitors::new(ms)
}

fn run<R: Module>(setup: Setup<R>, monitors: Monitors) -> Outcome {
    let max_time = setup.quiet_from() + SETTLE;
    Sim::new(setup, monitors)
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

/// The witnessing event of `name`'s violation.
fn violated(out: &Outcome, name: &str) -> automata::TraceEvent {
    out.violating_event(name).clone()
}

fn processed(out: &Outcome, j: &str) -> bool {
    out.trace
        .as_ref()
        .unwrap()
        .iter()
        .any(|e| e.kind == Kind::Internal && e.event == Event::Processed { job: Value::str(j) })
}

#[test]
fn synchronous_job_handler_keeps_every_property() {
    for work in [0, 7] {
        let setup = jobs(
            Setup::new(2, SystemModel::default(), move |_| {
                SyncJobHandler::<Value>::with_work(work)
            }),
            0,
            10,
            3,
            5,
        );
        let out = run(setup, jh_monitors("jh"));
        assert!(out.all_hold(), "work {work}: {:?}", out.properties);
        assert!(processed(&out, "job-4"));
    }
}

/// B-2.3: the asynchronous handler confirms at 10 and would process at 15; a crash at 12
/// loses a job that was already confirmed. `processed-before-confirm` fails at the confirm;
/// the synchronous handler under the same crash keeps it.
#[test]
fn processed_before_confirm_separates_async_from_sync_with_a_crash_in_between() {
    let crash = vec![Fault::Crash {
        process: 0,
        at: 12,
        after_sends: None,
        drop_in_flight: false,
    }];
    let setup = Setup::new(2, SystemModel::default(), |_| {
        AsyncJobHandler::<Value>::new(5)
    })
    .request(10, 0, job(1))
    .faults(crash.clone());
    let out = run(setup, jh_monitors("jh"));
    let w = violated(&out, "processed-before-confirm");
    assert_eq!((w.process, w.time, w.kind), (0, 10, Kind::Indication));
    assert_eq!(
        w.event,
        Event::Confirm {
            job: Value::str("job-1")
        }
    );
    assert!(!processed(&out, "job-1"), "the confirmed job is lost");
    assert_hold(&out, "guaranteed-response");
    assert_hold(&out, "no-creation");

    let setup = Setup::new(2, SystemModel::default(), |_| {
        SyncJobHandler::<Value>::new()
    })
    .request(10, 0, job(1))
    .faults(crash);
    let out = run(setup, jh_monitors("jh"));
    assert!(out.all_hold(), "{:?}", out.properties);
}

#[test]
fn asynchronous_job_handler_answers_every_job_and_processes_it_later() {
    let setup = jobs(
        Setup::new(3, SystemModel::default(), |_| {
            AsyncJobHandler::<Value>::default()
        }),
        1,
        10,
        1,
        6,
    );
    let out = run(setup, jh_monitors("jh"));
    assert_hold(&out, "guaranteed-response");
    assert_hold(&out, "no-creation");
    assert!(processed(&out, "job-5"));
    let w = violated(&out, "processed-before-confirm");
    assert_eq!((w.process, w.time), (1, 10));
}

/// B-2.2: a handler that ignores `Submit` while busy is not input-enabled; the second job is
/// never answered.
#[test]
fn guaranteed_response_catches_a_handler_that_ignores_submit_while_busy() {
    let setup = jobs(
        Setup::new(1, SystemModel::default(), |_| {
            ForgetfulJobHandler::<Value>::new(10)
        }),
        0,
        10,
        3,
        2,
    );
    let out = run(setup.clone(), jh_monitors("jh"));
    let w = violated(&out, "guaranteed-response");
    assert_eq!((w.time, w.kind), (13, Kind::Request));
    assert_eq!(
        w.event,
        Event::Submit {
            job: Value::str("job-1")
        }
    );
    assert_hold(&out, "no-creation");
    assert_hold(&out, "processed-before-confirm");

    // Control: the correct handler with the same processing time answers both.
    let good = jobs(
        Setup::new(1, SystemModel::default(), |_| {
            SyncJobHandler::<Value>::with_work(10)
        }),
        0,
        10,
        3,
        2,
    );
    assert!(run(good, jh_monitors("jh")).all_hold());
}

/// B-2.2 exhaustively (input-enabledness, book §2.1): the model checker finds the ignored
/// input within a few steps (liveness judged on quiescent states).
#[test]
fn model_checker_finds_the_ignored_submit() {
    let setup = jobs(
        Setup::new(1, SystemModel::default(), |_| {
            ForgetfulJobHandler::<Value>::new(10)
        }),
        0,
        10,
        3,
        2,
    );
    let monitors = Monitors::new(vec![Box::new(GuaranteedResponse::new("jh"))]);
    let report = Explore::new(setup, monitors).run(Search::Bfs, 10, 1);
    let ce = report.counterexample.expect("a counterexample");
    assert_eq!(ce.property, "guaranteed-response");
    assert!(ce.actions.len() <= 10, "{:?}", ce.actions.len());

    let good = jobs(
        Setup::new(1, SystemModel::default(), |_| {
            SyncJobHandler::<Value>::with_work(10)
        }),
        0,
        10,
        3,
        2,
    );
    let monitors = Monitors::new(vec![Box::new(GuaranteedResponse::new("jh"))]);
    let report = Explore::new(good, monitors).run(Search::Bfs, 10, 1);
    assert!(report.counterexample.is_none());
}

#[test]
fn no_creation_catches_a_handler_that_confirms_twice() {
    let setup = jobs(
        Setup::new(1, SystemModel::default(), |_| {
            DoubleConfirmJobHandler::<Value>::new(0)
        }),
        0,
        10,
        5,
        2,
    );
    let out = run(setup, jh_monitors("jh"));
    let w = violated(&out, "no-creation");
    assert_eq!((w.time, w.kind), (10, Kind::Indication));
    assert_eq!(
        w.event,
        Event::Confirm {
            job: Value::str("job-0")
        }
    );
    assert_hold(&out, "guaranteed-response");
}

fn th_monitors() -> Monitors {
    let ms: Vec<Box<dyn Monitor>> = vec![
        Box::new(GuaranteedResponse::new("th")),
        Box::new(NoCreation::new("th")),
        Box::new(Soundness::new("th", "jh")),
        Box::new(GuaranteedResponse::new("jh")),
    ];
    Monitors::new(ms)
}

fn count(out: &Outcome, module: &str, pred: impl Fn(&Event) -> bool) -> usize {
    out.trace
        .as_ref()
        .unwrap()
        .iter()
        .filter(|e| e.module == module && pred(&e.event))
        .count()
}

/// A burst of 8 jobs into a buffer of 2 over a slow handler: some are rejected, every one is
/// answered, and no rejected job reaches the handler.
#[test]
fn buffering_transformation_rejects_overflow_soundly() {
    let setup = jobs(
        Setup::new(1, SystemModel::default(), |_| {
            BufferingTransformation::<Value>::new(2, 10)
        }),
        0,
        10,
        1,
        8,
    );
    let out = run(setup, th_monitors());
    assert!(out.all_hold(), "{:?}", out.properties);
    let errors = count(&out, "th", |e| matches!(e, Event::Error { .. }));
    let handed = count(&out, "jh", |e| matches!(e, Event::Submit { .. }));
    assert!(errors > 0, "the buffer overflowed");
    assert_eq!(errors + handed, 8);

    // Over the asynchronous handler (which confirms at once) nothing overflows.
    let setup = jobs(
        Setup::new(1, SystemModel::default(), |_| {
            BufferingTransformation::over(2, AsyncJobHandler::<Value>::new(3))
        }),
        0,
        10,
        1,
        8,
    );
    let out = run(setup, th_monitors());
    assert!(out.all_hold(), "{:?}", out.properties);
    assert_eq!(count(&out, "th", |e| matches!(e, Event::Error { .. })), 0);
}

#[test]
fn soundness_catches_a_transformation_that_leaks_rejected_jobs() {
    let setup = jobs(
        Setup::new(1, SystemModel::default(), |_| {
            LeakyBuffering::over(2, SyncJobHandler::<Value>::with_work(10))
        }),
        0,
        10,
        1,
        8,
    );
    let out = run(setup, th_monitors());
    let w = violated(&out, "soundness");
    assert_eq!((w.module.as_ref(), w.kind), ("jh", Kind::Request));
    assert!(matches!(w.event, Event::Submit { .. }));
    assert_hold(&out, "guaranteed-response");
    assert_hold(&out, "no-creation");
}

/// A liveness verdict on a run cut short (before last request + settle) is inconclusive,
/// never `Hold`, even for the mutant that would fail it.
#[test]
fn guaranteed_response_on_a_run_cut_short_is_inconclusive() {
    let setup = jobs(
        Setup::new(1, SystemModel::default(), |_| {
            ForgetfulJobHandler::<Value>::new(10)
        }),
        0,
        10,
        3,
        2,
    );
    let out = Sim::new(setup, jh_monitors("jh"))
        .max_time(100)
        .settle(SETTLE)
        .run();
    assert!(!out.summary.complete);
    assert!(matches!(
        verdict(&out, "guaranteed-response"),
        Verdict::Inconclusive { .. }
    ));
    assert_hold(&out, "no-creation");
}
