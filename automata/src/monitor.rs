//! Properties as monitors (book §2.6).
//!
//! A [`Monitor`] is a small automaton over [`TraceEvent`]s. Safety (S) is judged on every event
//! in [`Monitor::observe`]; properties that quantify over correct processes (S\*), liveness (L)
//! and operation histories are judged in [`Monitor::finish`] once the run's [`RunSummary`] says
//! who is correct and whether the run was long enough to judge liveness at all.

use crate::shared::Shared;
use crate::trace::TraceEvent;
use crate::{Pid, Time};
use serde::Serialize;
use std::any::Any;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::hash::{Hash, Hasher};

/// The kinds of property (book §2.6, "Monitors").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum PropertyKind {
    /// Safety, prefix-closed: checked at every event.
    Safety,
    /// Safety over correct processes: candidates found online, confirmed at the end.
    SafetyOverCorrect,
    /// Liveness: obligations discharged by the end of a complete run.
    Liveness,
}

/// The first event at which a property failed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Violation {
    /// Index of the witnessing trace event.
    pub event: u64,
    /// Its time.
    pub time: Time,
    /// What went wrong, in the book's words.
    pub explanation: String,
}

impl Violation {
    /// A violation witnessed by the event `mark` recorded.
    pub fn marked(mark: Mark, explanation: impl Into<String>) -> Self {
        Violation {
            event: mark.event,
            time: mark.time,
            explanation: explanation.into(),
        }
    }

    pub fn at(e: &TraceEvent, explanation: impl Into<String>) -> Self {
        Violation {
            event: e.index,
            time: e.time,
            explanation: explanation.into(),
        }
    }
}

/// Where a monitor saw something happen, kept to report it later: the event's time and its
/// index in the trace. The index is for reports only: the model checker numbers each step's
/// events from 0 (a counterexample is replayed to number them along its path), so marks
/// compare and hash by time alone, and two states that differ only in where a step's events
/// fell in that step do not split. Order events of one time by other means (a monitor's own
/// counter, as [`crate::history`] does), never by the index.
#[derive(Clone, Copy, Debug, Default)]
pub struct Mark {
    pub time: Time,
    pub event: u64,
}

impl Mark {
    pub fn of(e: &TraceEvent) -> Self {
        Mark {
            time: e.time,
            event: e.index,
        }
    }
}

impl PartialEq for Mark {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time
    }
}

impl Eq for Mark {}

impl PartialOrd for Mark {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Mark {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.time.cmp(&other.time)
    }
}

impl Hash for Mark {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.time.hash(state);
    }
}

/// A property's verdict on one run.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase", tag = "verdict")]
pub enum Verdict {
    Hold,
    Violation(Violation),
    /// Liveness could not be judged: the run ended too early (see [`RunSummary::complete`]).
    Inconclusive {
        reason: String,
    },
}

impl Verdict {
    pub fn holds(&self) -> bool {
        matches!(self, Verdict::Hold)
    }

    /// Whether the property was violated. Not the same as `!holds()`: an inconclusive verdict
    /// neither holds nor is violated, so a test that a monitor catches a bug asserts this.
    pub fn is_violation(&self) -> bool {
        matches!(self, Verdict::Violation(_))
    }
}

/// What the end of a finite run tells about its processes (book §2.6, "Who is correct in a
/// finite run?").
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct RunSummary {
    pub n: usize,
    /// Time the run ended (its horizon).
    pub end_time: Time,
    /// Index of the last trace event + 1.
    pub events: u64,
    /// Whether liveness can be judged: the horizon is at least
    /// max(GST, last fault, last request) + settle.
    pub complete: bool,
    /// Start of the final settle window (crash-recovery: a crash after it makes a process faulty).
    pub settle_from: Time,
    /// Crash times, per process, in order.
    pub crashes: BTreeMap<Pid, Vec<Time>>,
    /// Processes up at the end.
    pub up_at_end: Vec<bool>,
    /// Processes the scenario marked as omitting.
    pub omitting: Vec<Pid>,
    /// Whether the failure model is crash-recovery.
    pub crash_recovery: bool,
    /// The model's global stabilization time (0 unless partially synchronous).
    pub gst: Time,
}

impl RunSummary {
    /// A run of `n` processes with no failures, complete at `end_time`.
    pub fn failure_free(n: usize, end_time: Time) -> Self {
        RunSummary {
            n,
            end_time,
            complete: true,
            up_at_end: vec![true; n],
            ..Default::default()
        }
    }

    // ANCHOR: correct
    /// `Correct`: crash-stop: never crashed; crash-recovery: up at the end and no crash in the
    /// final settle window; omission: not marked as omitting.
    pub fn is_correct(&self, p: Pid) -> bool {
        if self.omitting.contains(&p) {
            return false;
        }
        let crashes = self.crashes.get(&p).map(Vec::as_slice).unwrap_or(&[]);
        if self.crash_recovery {
            self.up_at_end.get(p).copied().unwrap_or(false)
                && crashes.iter().all(|&t| t < self.settle_from)
        } else {
            crashes.is_empty()
        }
    }

    /// `NeverCrashed`: no crash event at all.
    pub fn never_crashed(&self, p: Pid) -> bool {
        self.crashes.get(&p).is_none_or(Vec::is_empty)
    }
    // ANCHOR_END: correct

    /// The correct processes, in order.
    pub fn correct(&self) -> impl Iterator<Item = Pid> + '_ {
        (0..self.n).filter(|&p| self.is_correct(p))
    }

    // ANCHOR: liveness
    /// The verdict for a liveness obligation that `failed` (or not) at the end of this run.
    pub fn liveness(&self, failed: Option<Violation>) -> Verdict {
        if !self.complete {
            return Verdict::Inconclusive {
                reason: format!(
                    "the run ended at {} before max(GST, last fault, last request) + settle",
                    self.end_time
                ),
            };
        }
        match failed {
            Some(v) => Verdict::Violation(v),
            None => Verdict::Hold,
        }
    }
    // ANCHOR_END: liveness
}

// ANCHOR: monitor
/// A property monitor. Implement [`Monitor::observe`] for safety and [`Monitor::finish`] for
/// what can only be judged at the end. Monitors are plain data (`Clone + Hash + Eq`) so the
/// model checker can keep them inside its states.
pub trait Monitor: DynMonitor + Debug + Send + Sync + 'static {
    /// The property id (`no-duplication`, `reliable-delivery`, ...).
    fn name(&self) -> &str;

    fn kind(&self) -> PropertyKind;

    /// Sees every event once, in order; returns the first violation of a safety property.
    fn observe(&mut self, event: &TraceEvent) -> Option<Violation>;

    /// Whether `event` can change this monitor (default: [`Monitor::cares_module`] of its
    /// module). The model checker shares a monitor between states until an event it cares
    /// about arrives. Debug builds check the claim: observing an event the monitor does not
    /// care about must change nothing.
    fn cares(&self, event: &TraceEvent) -> bool {
        self.cares_module(&event.module)
    }

    /// Whether a request, indication or internal event of the layer `module` can change this
    /// monitor (default: yes). The model checker does not even build the events of a layer
    /// no monitor cares about, so a monitor that watches one layer says so here
    /// (`module == self.module`). It must answer yes whenever [`Monitor::cares`] would for
    /// such an event (debug builds check).
    fn cares_module(&self, _module: &str) -> bool {
        true
    }

    /// Judges the run once it has ended. Safety monitors return `Hold` (their violations were
    /// reported by `observe`).
    fn finish(&self, _run: &RunSummary) -> Verdict {
        Verdict::Hold
    }

    /// What the monitor measured over the run, as named figures (`false_suspicions`,
    /// `detection_time`, `skew_max`, ...). `ioa sweep` averages each over its runs; a monitor
    /// quantifies the property it judges, so the numbers and the verdict come from one place.
    fn measure(&self, _run: &RunSummary) -> Vec<(&'static str, f64)> {
        Vec::new()
    }
}
// ANCHOR_END: monitor

/// The index of the first event of `events` at which `m` reports a violation: how monitor
/// tests judge a scripted trace.
pub fn first_violation(m: &mut dyn Monitor, events: &[TraceEvent]) -> Option<u64> {
    events.iter().find_map(|e| m.observe(e)).map(|v| v.event)
}

/// Judges a scripted complete run of `n` crash-stop processes with `m`: its first violation
/// as it happens, else `m`'s verdict at the end (a process with a crash event crashed then).
pub fn judge_scripted(m: &mut dyn Monitor, events: &[TraceEvent], n: usize) -> Verdict {
    if let Some(v) = events.iter().find_map(|e| m.observe(e)) {
        return Verdict::Violation(v);
    }
    let mut run = RunSummary::failure_free(n, events.len() as Time);
    for e in events.iter().filter(|e| e.kind == crate::Kind::Crash) {
        run.crashes.entry(e.process).or_default().push(e.time);
    }
    m.finish(&run)
}

/// A fixed property id and kind, inside `impl Monitor`: `automata::property!("no-creation",
/// Safety);` is `name` and `kind` for the many monitors whose property does not vary.
///
/// A monitor of one layer names its [`crate::layer::Layer`] field after a `;`:
/// `property!("validity", Safety; layer)` also writes `cares_module` (that layer only), and
/// `property!("mutual-exclusion", Safety; layer, crashes)` writes `cares` too (that layer's
/// events and every crash).
#[macro_export]
macro_rules! property {
    ($name:literal, $kind:ident) => {
        fn name(&self) -> &str {
            $name
        }
        fn kind(&self) -> $crate::monitor::PropertyKind {
            $crate::monitor::PropertyKind::$kind
        }
    };
    ($name:literal, $kind:ident; $layer:ident) => {
        $crate::property!($name, $kind);
        fn cares_module(&self, module: &str) -> bool {
            self.$layer.is(module)
        }
    };
    ($name:literal, $kind:ident; $layer:ident, crashes) => {
        $crate::property!($name, $kind; $layer);
        /// The layer's events and every crash.
        fn cares(&self, e: &$crate::TraceEvent) -> bool {
            self.$layer.or_crash(e)
        }
    };
}

/// Object-safe cloning, hashing and comparison for boxed monitors (blanket-implemented).
pub trait DynMonitor {
    fn clone_box(&self) -> Box<dyn Monitor>;
    fn hash_dyn(&self, state: &mut dyn Hasher);
    fn eq_dyn(&self, other: &dyn Any) -> bool;
    fn as_any(&self) -> &dyn Any;
}

impl<T: Monitor + Clone + Hash + Eq> DynMonitor for T {
    fn clone_box(&self) -> Box<dyn Monitor> {
        Box::new(self.clone())
    }
    fn hash_dyn(&self, mut state: &mut dyn Hasher) {
        self.hash(&mut state);
    }
    fn eq_dyn(&self, other: &dyn Any) -> bool {
        other.downcast_ref::<T>() == Some(self)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// One monitored property and its first safety violation.
#[derive(Debug)]
pub struct Watch {
    pub monitor: Box<dyn Monitor>,
    pub violation: Option<Violation>,
}

impl Clone for Watch {
    fn clone(&self) -> Self {
        Watch {
            monitor: self.monitor.clone_box(),
            violation: self.violation.clone(),
        }
    }
}

impl PartialEq for Watch {
    fn eq(&self, other: &Self) -> bool {
        self.violation == other.violation && self.monitor.eq_dyn(other.monitor.as_any())
    }
}

impl Eq for Watch {}

impl Hash for Watch {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.violation.hash(state);
        self.monitor.hash_dyn(state);
    }
}

/// Whether to check, in a debug build, that a monitor's [`Monitor::cares`] is honest on this
/// event: the first few thousand events a thread sees, then one in 4096 (cloning a monitor
/// per event would make large runs crawl).
#[cfg(debug_assertions)]
fn probe_now() -> bool {
    thread_local! {
        static SEEN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }
    SEEN.with(|seen| {
        let n = seen.get();
        seen.set(n + 1);
        n < 4096 || n % 4096 == 0
    })
}

/// The monitors of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Monitors {
    /// Shared between model-checker states until an event the monitor cares about.
    pub watches: Vec<Shared<Watch>>,
}

/// One property's result, as `ioa run --json` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PropertyResult {
    pub name: String,
    pub kind: PropertyKind,
    pub verdict: Verdict,
}

impl Monitors {
    pub fn new(monitors: Vec<Box<dyn Monitor>>) -> Self {
        Monitors {
            watches: monitors
                .into_iter()
                .map(|monitor| {
                    Shared::new(Watch {
                        monitor,
                        violation: None,
                    })
                })
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.watches.is_empty()
    }

    pub fn push(&mut self, monitor: Box<dyn Monitor>) {
        self.watches.push(Shared::new(Watch {
            monitor,
            violation: None,
        }));
    }

    /// Whether some monitor cares about the requests and indications of the layer `module`.
    pub fn cares_module(&self, module: &str) -> bool {
        self.watches.iter().any(|w| w.monitor.cares_module(module))
    }

    /// Feeds one event to every monitor, keeping each one's first violation.
    pub fn observe(&mut self, event: &TraceEvent) {
        for w in &mut self.watches {
            #[cfg(debug_assertions)]
            if matches!(
                event.kind,
                crate::trace::Kind::Request
                    | crate::trace::Kind::Indication
                    | crate::trace::Kind::Internal
            ) {
                assert!(
                    w.monitor.cares_module(&event.module) || !w.monitor.cares(event),
                    "monitor {} cares about {event:?} but not about its module",
                    w.monitor.name()
                );
            }
            if !w.monitor.cares(event) {
                #[cfg(debug_assertions)]
                if probe_now() {
                    let mut probe = w.monitor.clone_box();
                    let violation = probe.observe(event);
                    assert!(
                        violation.is_none() && probe.eq_dyn(w.monitor.as_any()),
                        "monitor {} says it does not care about {event:?}, but observing it changed the monitor",
                        w.monitor.name()
                    );
                }
                continue;
            }
            let w = w.make_mut();
            if let Some(v) = w.monitor.observe(event) {
                if w.violation.is_none() {
                    w.violation = Some(v);
                }
            }
        }
    }

    /// Whether some safety monitor has reported a violation so far.
    pub fn any_violation(&self) -> bool {
        self.watches.iter().any(|w| w.violation.is_some())
    }

    /// Every monitor's measurements (a name measured twice keeps the first monitor's figure).
    pub fn measure(&self, run: &RunSummary) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        for w in &self.watches {
            for (name, x) in w.monitor.measure(run) {
                out.entry(name.to_string()).or_insert(x);
            }
        }
        out
    }

    /// Final verdicts, in the order the monitors were given.
    pub fn finish(&self, run: &RunSummary) -> Vec<PropertyResult> {
        self.watches
            .iter()
            .map(|w| PropertyResult {
                name: w.monitor.name().to_string(),
                kind: w.monitor.kind(),
                verdict: match &w.violation {
                    Some(v) => Verdict::Violation(v.clone()),
                    None => w.monitor.finish(run),
                },
            })
            .collect()
    }
}
