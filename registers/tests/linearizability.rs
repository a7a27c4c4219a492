//! The linearizability monitor against stateright's tester, fed directly, on hand-written
//! and on random histories: the two must agree, a failed operation (its invoker crashed)
//! included. The monitor judges unique-valued histories by zones (polynomial), so this is
//! where zones are shown to give the search's answers.

use automata::history::History;
use automata::{Event, Kind, Monitor, TraceEvent, Value};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use registers::monitors::{search, zones, Linearizability, Ordering, RegularValidity};
use stateright::semantics::register::{Register, RegisterOp, RegisterRet};
use stateright::semantics::{ConsistencyTester, LinearizabilityTester};

/// One step of a hand-written history: process, and what happened there.
#[derive(Clone, Copy)]
enum Step {
    Write(usize, &'static str),
    Read(usize),
    WriteOk(usize),
    ReadOk(usize, Option<&'static str>),
    Crash(usize),
}

fn value(v: Option<&str>) -> Value {
    v.map_or(Value::Unit, Value::str)
}

fn events(steps: &[Step]) -> Vec<TraceEvent> {
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (process, kind, event) = match *s {
                Step::Write(p, v) => (
                    p,
                    Kind::Request,
                    Event::Write {
                        value: Value::str(v),
                    },
                ),
                Step::Read(p) => (p, Kind::Request, Event::Read),
                Step::WriteOk(p) => (p, Kind::Indication, Event::WriteReturn),
                Step::ReadOk(p, v) => (p, Kind::Indication, Event::ReadReturn { value: value(v) }),
                Step::Crash(p) => (p, Kind::Crash, Event::Lifecycle),
            };
            let module = if kind == Kind::Crash { "env" } else { "nnar" };
            TraceEvent {
                index: i as u64,
                time: i as u64,
                process,
                module: module.into(),
                kind,
                event,
            }
        })
        .collect()
}

/// The monitor's verdict: whether some event violated linearizability.
fn monitor_says(steps: &[Step]) -> bool {
    let mut m = Linearizability::new("nnar");
    let mut ok = true;
    for e in events(steps) {
        if m.observe(&e).is_some() {
            ok = false;
        }
    }
    ok
}

/// stateright's tester, fed by hand with threads (process, incarnation).
fn stateright_says(steps: &[Step]) -> bool {
    let mut t = LinearizabilityTester::new(Register(Value::Unit));
    let mut incarnation = [0u32; 8];
    let mut busy = [false; 8];
    for s in steps {
        match *s {
            Step::Write(p, v) => {
                busy[p] = true;
                t.on_invoke((p, incarnation[p]), RegisterOp::Write(Value::str(v)))
                    .expect("one operation at a time");
            }
            Step::Read(p) => {
                busy[p] = true;
                t.on_invoke((p, incarnation[p]), RegisterOp::Read)
                    .expect("one operation at a time");
            }
            Step::WriteOk(p) => {
                busy[p] = false;
                t.on_return((p, incarnation[p]), RegisterRet::WriteOk)
                    .expect("a return answers an invocation");
            }
            Step::ReadOk(p, v) => {
                busy[p] = false;
                t.on_return((p, incarnation[p]), RegisterRet::ReadOk(value(v)))
                    .expect("a return answers an invocation");
            }
            Step::Crash(p) => {
                if busy[p] {
                    incarnation[p] += 1;
                    busy[p] = false;
                }
            }
        }
    }
    t.is_consistent()
}

use Step::*;

fn histories() -> Vec<(&'static str, Vec<Step>)> {
    vec![
        (
            "sequential",
            vec![Write(0, "a"), WriteOk(0), Read(1), ReadOk(1, Some("a"))],
        ),
        (
            "stale read after a write",
            vec![Write(0, "a"), WriteOk(0), Read(1), ReadOk(1, None)],
        ),
        (
            "concurrent read may see either",
            vec![
                Write(0, "a"),
                Read(1),
                ReadOk(1, None),
                WriteOk(0),
                Read(2),
                ReadOk(2, Some("a")),
            ],
        ),
        (
            "new-old inversion",
            vec![
                Write(0, "a"),
                Read(1),
                ReadOk(1, Some("a")),
                Read(2),
                ReadOk(2, None),
                WriteOk(0),
            ],
        ),
        (
            "a lost write of two writers",
            vec![
                Write(0, "a"),
                WriteOk(0),
                Write(1, "b"),
                WriteOk(1),
                Read(2),
                ReadOk(2, Some("a")),
            ],
        ),
        (
            "a failed write may take effect",
            vec![
                Write(0, "a"),
                Crash(0),
                Read(1),
                ReadOk(1, Some("a")),
                Read(2),
                ReadOk(2, Some("a")),
            ],
        ),
        (
            "a failed write may not take effect",
            vec![Write(0, "a"), Crash(0), Read(1), ReadOk(1, None)],
        ),
        (
            "but once seen it stays",
            vec![
                Write(0, "a"),
                Crash(0),
                Read(1),
                ReadOk(1, Some("a")),
                Read(2),
                ReadOk(2, None),
            ],
        ),
        ("a value never written", vec![Read(1), ReadOk(1, Some("z"))]),
    ]
}

#[test]
fn the_monitor_agrees_with_stateright_on_hand_written_histories() {
    let mut verdicts = Vec::new();
    for (name, steps) in histories() {
        let (ours, theirs) = (monitor_says(&steps), stateright_says(&steps));
        assert_eq!(ours, theirs, "{name}: monitor {ours}, stateright {theirs}");
        verdicts.push(ours);
    }
    // The set exercises both answers.
    assert!(verdicts.contains(&true) && verdicts.contains(&false));
}

/// Regular validity and ordering on the same histories: each is implied by linearizability
/// for one writer, and each catches its own kind of history.
#[test]
fn regular_validity_and_ordering_judge_the_histories_as_their_definitions_say() {
    let judge = |steps: &[Step], mut m: Box<dyn Monitor>| {
        events(steps).iter().all(|e| m.observe(e).is_none())
    };
    for (name, steps) in histories() {
        let regular = judge(&steps, Box::new(RegularValidity::new("nnar")));
        let ordered = judge(&steps, Box::new(Ordering::new("nnar")));
        let expect_regular = !matches!(
            name,
            "stale read after a write" | "a value never written" | "a lost write of two writers"
        );
        let expect_ordered = !matches!(name, "new-old inversion" | "but once seen it stays");
        assert_eq!(regular, expect_regular, "{name}: regular validity");
        assert_eq!(ordered, expect_ordered, "{name}: ordering");
    }
}

#[test]
fn the_history_fails_the_operation_a_crash_interrupts() {
    let mut h = History::new("nnar");
    for e in events(&[Write(0, "a"), Crash(0), Write(0, "b")]) {
        h.record(&e);
    }
    assert!(h.ops()[0].failed);
    assert_eq!(h.ops()[1].thread(), (0, 1));
}

/// Written values: unique per history (the random histories write at most this many).
const VALUES: [&str; 12] = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"];

/// A random history of 3 clients from `draws` (process, what to do, which value): an idle
/// process writes a fresh value, reads, or crashes; a busy one returns or crashes; a read
/// returns ⊥, a value written (or being written) so far, or now and then one nobody wrote.
fn random_history(draws: &[(usize, u8, usize)]) -> Vec<Step> {
    let mut busy: [Option<bool>; 3] = [None; 3]; // Some(is_write) while an operation runs
    let mut written: Vec<&'static str> = Vec::new();
    let mut steps = Vec::new();
    for &(p, what, pick) in draws {
        match (busy[p], what % 4) {
            (_, 3) => {
                steps.push(Crash(p));
                busy[p] = None;
            }
            (None, 0 | 1) if written.len() < VALUES.len() => {
                let v = VALUES[written.len()];
                written.push(v);
                steps.push(Write(p, v));
                busy[p] = Some(true);
            }
            (None, _) => {
                steps.push(Read(p));
                busy[p] = Some(false);
            }
            (Some(true), _) => {
                steps.push(WriteOk(p));
                busy[p] = None;
            }
            (Some(false), _) => {
                let v = match pick % (written.len() + 8) {
                    0 => Some("z"),
                    k if k <= written.len() => Some(written[k - 1]),
                    _ => None,
                };
                steps.push(ReadOk(p, v));
                busy[p] = None;
            }
        }
    }
    steps
}

fn history(steps: &[Step]) -> History {
    let mut h = History::new("nnar");
    for e in events(steps) {
        h.record(&e);
    }
    h
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 3000,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(11),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Zones and the search agree on every random history, the monitor (zones, judged at each
    /// response) agrees with stateright fed by hand, and both answers occur.
    #[test]
    fn zones_give_the_answers_of_stateright_s_search(
        draws in prop::collection::vec((0..3usize, 0..4u8, 0..20usize), 0..24)
    ) {
        let steps = random_history(&draws);
        let h = history(&steps);
        let by_zones = zones::check(&h).expect("unique values").is_ok();
        prop_assert_eq!(by_zones, search(&h), "zones against search on {:?}", h.ops());
        prop_assert_eq!(monitor_says(&steps), stateright_says(&steps));
    }
}

/// The random histories are not all of one answer: a generator that only made linearizable
/// (or only broken) histories would let the agreement above hold vacuously.
#[test]
fn the_random_histories_exercise_both_answers() {
    let mut runner = proptest::test_runner::TestRunner::new(config());
    let strategy = prop::collection::vec((0..3usize, 0..4u8, 0..20usize), 0..24);
    let (mut yes, mut no) = (0, 0);
    for _ in 0..500 {
        let draws = strategy.new_tree(&mut runner).expect("a history").current();
        if search(&history(&random_history(&draws))) {
            yes += 1;
        } else {
            no += 1;
        }
    }
    assert!(yes >= 50 && no >= 50, "{yes} linearizable, {no} not");
}

/// A value written twice: zones cannot tell the writes apart and leave the history to the
/// search, which the monitor then uses.
#[test]
fn a_value_written_twice_is_left_to_the_search() {
    let steps = [
        Write(0, "a"),
        WriteOk(0),
        Write(1, "b"),
        WriteOk(1),
        Write(0, "a"),
        WriteOk(0),
        Read(2),
        ReadOk(2, Some("a")),
    ];
    assert_eq!(zones::check(&history(&steps)), None);
    assert!(monitor_says(&steps) && stateright_says(&steps));
    let lost = [
        Write(0, "a"),
        WriteOk(0),
        Write(1, "b"),
        WriteOk(1),
        Read(2),
        ReadOk(2, Some("a")),
    ];
    assert!(!monitor_says(&lost) && !stateright_says(&lost));
}
