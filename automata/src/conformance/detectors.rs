//! Failure-detector properties (CGR Modules 2.6, 2.8, 2.9; CATALOGUE.md 5.1, 5.3, 5.4) as
//! monitors over one module instance's indications.
//!
//! Each monitor takes the module's trace name, so the same monitor judges an environment
//! oracle ([`crate::oracle`]: conformance) and a chapter 5 algorithm (its correctness):
//!
//! | id | CGR | monitor | kind |
//! |---|---|---|---|
//! | `strong-completeness` | PFD1 (P) | [`StrongCompleteness::perfect`] | L |
//! | `strong-accuracy` | PFD2 (P) | [`StrongAccuracy`] | S |
//! | `strong-completeness` | EPFD1 (◇P) | [`StrongCompleteness::eventually_perfect`] | L |
//! | `eventual-strong-accuracy` | EPFD2 (◇P) | [`EventualStrongAccuracy`] | L |
//! | `eventual-accuracy` | ELD1 (Ω) | [`EventualAccuracy`] | L |
//! | `eventual-agreement` | ELD2 (Ω) | [`EventualAgreement`] | L |
//!
//! "Eventually" is judged at the end of a complete run (CATALOGUE.md part 0); the bounded
//! variants (`.within(b)`, `.bounded(gst, b)`) also require that it happened within `b` ticks
//! of the crash, GST or last failure. A process that recovers restarts its detector, so its
//! earlier outputs are forgotten.

use crate::monitor::{PropertyKind, RunSummary, Verdict};
use crate::trace::{Event, Kind, TraceEvent, ENV};
use crate::{Monitor, Pid, Time, Violation};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// (index, time) of a trace event.
type At = (u64, Time);

/// What the environment did: last crash and last recovery of each process.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Life {
    crash: BTreeMap<Pid, At>,
    recover: BTreeMap<Pid, At>,
    /// Time of the last crash or recovery anywhere.
    last: Time,
}

impl Life {
    /// Records a crash or recovery; returns the process that recovered, if one did.
    fn observe(&mut self, e: &TraceEvent) -> Option<Pid> {
        if e.module != ENV {
            return None;
        }
        match e.kind {
            Kind::Crash => {
                self.crash.insert(e.process, (e.index, e.time));
                self.last = self.last.max(e.time);
                None
            }
            Kind::Recover => {
                self.recover.insert(e.process, (e.index, e.time));
                self.last = self.last.max(e.time);
                Some(e.process)
            }
            _ => None,
        }
    }

    /// `p`'s last crash, if it has not recovered since.
    fn down(&self, p: Pid) -> Option<At> {
        let c = *self.crash.get(&p)?;
        match self.recover.get(&p) {
            Some(r) if r.0 > c.0 => None,
            _ => Some(c),
        }
    }

    fn recovered_at(&self, p: Pid) -> Time {
        self.recover.get(&p).map_or(0, |r| r.1)
    }
}

fn owned(module: &str) -> Cow<'static, str> {
    Cow::Owned(module.to_string())
}

/// Which detector class a completeness monitor judges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Class {
    /// P: `Crash | p` once, for good.
    Perfect,
    /// ◇P: suspected at the end, no `Restore | p` after the crash (+ bound).
    EventuallyPerfect,
}

/// PFD1 / EPFD1 strong completeness (L): eventually every process that crashed (and stayed
/// down) is detected (P: `Crash | p`) or permanently suspected (◇P: `Suspect | p` with no later
/// `Restore | p`) by every correct process.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StrongCompleteness {
    module: Cow<'static, str>,
    class: Class,
    bound: Option<Time>,
    life: Life,
    /// P: (q, p) → time q detected p. ◇P: (q, p) → time q last suspected p, while it does.
    detected: BTreeMap<(Pid, Pid), Time>,
    /// ◇P: (q, p) → last `Restore | p` at q.
    restored: BTreeMap<(Pid, Pid), At>,
}

impl StrongCompleteness {
    fn new(module: &str, class: Class) -> Self {
        StrongCompleteness {
            module: owned(module),
            class,
            bound: None,
            life: Life::default(),
            detected: BTreeMap::new(),
            restored: BTreeMap::new(),
        }
    }

    /// PFD1 for the perfect failure detector whose trace name is `module`.
    pub fn perfect(module: &str) -> Self {
        StrongCompleteness::new(module, Class::Perfect)
    }

    /// EPFD1 for the eventually perfect failure detector whose trace name is `module`.
    pub fn eventually_perfect(module: &str) -> Self {
        StrongCompleteness::new(module, Class::EventuallyPerfect)
    }

    /// Bounded variant: P must detect within `b` ticks of the crash (or of the detecting
    /// process's recovery, if later); ◇P must not restore a crashed process later than `b`
    /// ticks after its crash.
    pub fn within(mut self, b: Time) -> Self {
        self.bound = Some(b);
        self
    }
}

impl Monitor for StrongCompleteness {
    fn name(&self) -> &str {
        "strong-completeness"
    }
    fn kind(&self) -> PropertyKind {
        PropertyKind::Liveness
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(q) = self.life.observe(e) {
            self.detected.retain(|&(x, _), _| x != q);
            return None;
        }
        if e.module != self.module || e.kind != Kind::Indication {
            return None;
        }
        let q = e.process;
        match (self.class, &e.event) {
            (Class::Perfect, Event::Detect { process }) => {
                self.detected.entry((q, *process)).or_insert(e.time);
            }
            (Class::EventuallyPerfect, Event::Suspect { process }) => {
                self.detected.insert((q, *process), e.time);
            }
            (Class::EventuallyPerfect, Event::Restore { process }) => {
                self.detected.remove(&(q, *process));
                self.restored.insert((q, *process), (e.index, e.time));
            }
            _ => {}
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let mut failed = None;
        'all: for p in 0..run.n {
            let Some((index, crashed)) = self.life.down(p) else {
                continue;
            };
            for q in run.correct().filter(|&q| q != p) {
                let what = match self.class {
                    Class::Perfect => "detected",
                    Class::EventuallyPerfect => "suspects",
                };
                let explanation = match self.detected.get(&(q, p)) {
                    None => Some(format!(
                        "process {p} crashed at {crashed} but correct process {q}'s {} never {what} it",
                        self.module
                    )),
                    Some(&t) if self.class == Class::Perfect => self.bound.and_then(|b| {
                        let from = crashed.max(self.life.recovered_at(q));
                        (t > from + b).then(|| {
                            format!(
                                "process {p} crashed at {crashed} but {q}'s {} detected it only at {t}, later than {from} + {b}",
                                self.module
                            )
                        })
                    }),
                    Some(_) => self.bound.and_then(|b| {
                        let &(_, t) = self.restored.get(&(q, p))?;
                        (t > crashed + b).then(|| {
                            format!(
                                "process {p} crashed at {crashed} but {q}'s {} restored it at {t}, later than {crashed} + {b}",
                                self.module
                            )
                        })
                    }),
                };
                if let Some(explanation) = explanation {
                    failed = Some(Violation {
                        event: index,
                        time: crashed,
                        explanation,
                    });
                    break 'all;
                }
            }
        }
        run.liveness(failed)
    }
    /// `detection_time` (mean) and `detection_time_max`: ticks from a crash to its detection
    /// (◇P: to the suspicion still standing at the end), over every correct detector and
    /// every crashed process it detected.
    fn measure(&self, run: &RunSummary) -> Vec<(&'static str, f64)> {
        let mut latencies = Vec::new();
        for (&(q, p), &t) in &self.detected {
            if let Some((_, crashed)) = self.life.down(p) {
                if run.is_correct(q) && t >= crashed {
                    latencies.push((t - crashed) as f64);
                }
            }
        }
        if latencies.is_empty() {
            return Vec::new();
        }
        let mean = latencies.iter().sum::<f64>() / latencies.len() as f64;
        let max = latencies.iter().copied().fold(0.0, f64::max);
        vec![("detection_time", mean), ("detection_time_max", max)]
    }
}

/// PFD2 strong accuracy (S): `Crash | p` is indicated only after `p` crashed (and, in
/// crash-recovery, while it is down).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StrongAccuracy {
    module: Cow<'static, str>,
    life: Life,
    /// How many `Crash | p` named a process that was up (measured as `false_suspicions`).
    false_detections: u64,
}

impl StrongAccuracy {
    pub fn new(module: &str) -> Self {
        StrongAccuracy {
            module: owned(module),
            life: Life::default(),
            false_detections: 0,
        }
    }
}

impl Monitor for StrongAccuracy {
    fn name(&self) -> &str {
        "strong-accuracy"
    }
    fn kind(&self) -> PropertyKind {
        PropertyKind::Safety
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        self.life.observe(e);
        if e.module != self.module || e.kind != Kind::Indication {
            return None;
        }
        match e.event {
            Event::Detect { process } if self.life.down(process).is_none() => {
                self.false_detections += 1;
                Some(Violation::at(
                    e,
                    format!(
                        "process {}'s {} detected the crash of {process} at {}, but {process} has not crashed",
                        e.process, self.module, e.time
                    ),
                ))
            }
            _ => None,
        }
    }
    /// `false_suspicions`: detections of processes that had not crashed.
    fn measure(&self, _run: &RunSummary) -> Vec<(&'static str, f64)> {
        vec![("false_suspicions", self.false_detections as f64)]
    }
}

/// EPFD2 eventual strong accuracy (L): at the end no correct process suspects a correct
/// process; bounded (`.bounded(gst, b)`): also, no correct process suspected a correct one
/// after GST + b.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EventualStrongAccuracy {
    module: Cow<'static, str>,
    /// GST + b, if bounded.
    after: Option<Time>,
    life: Life,
    /// (q, p) → the `Suspect | p` at q, while q suspects p.
    suspected: BTreeMap<(Pid, Pid), At>,
    /// (q, p) → the first `Suspect | p` at q after GST + b.
    late: BTreeMap<(Pid, Pid), At>,
    /// (q, time) of every `Suspect | p` at q while p was up (measured).
    mistakes: BTreeSet<(Pid, Time, Pid)>,
}

impl EventualStrongAccuracy {
    pub fn new(module: &str) -> Self {
        EventualStrongAccuracy {
            module: owned(module),
            after: None,
            life: Life::default(),
            suspected: BTreeMap::new(),
            late: BTreeMap::new(),
            mistakes: BTreeSet::new(),
        }
    }

    /// Bounded variant: no suspicion of a correct process after `gst + b`.
    pub fn bounded(mut self, gst: Time, b: Time) -> Self {
        self.after = Some(gst + b);
        self
    }
}

impl Monitor for EventualStrongAccuracy {
    fn name(&self) -> &str {
        "eventual-strong-accuracy"
    }
    fn kind(&self) -> PropertyKind {
        PropertyKind::Liveness
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(q) = self.life.observe(e) {
            self.suspected.retain(|&(x, _), _| x != q);
            return None;
        }
        if e.module != self.module || e.kind != Kind::Indication {
            return None;
        }
        let q = e.process;
        match e.event {
            Event::Suspect { process } => {
                if self.life.down(process).is_none() {
                    self.mistakes.insert((q, e.time, process));
                }
                self.suspected.insert((q, process), (e.index, e.time));
                if self.after.is_some_and(|t| e.time > t) {
                    self.late.entry((q, process)).or_insert((e.index, e.time));
                }
            }
            Event::Restore { process } => {
                self.suspected.remove(&(q, process));
            }
            _ => {}
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let both_correct = |&(q, p): &(Pid, Pid)| run.is_correct(q) && run.is_correct(p);
        let still = self.suspected.iter().find(|(k, _)| both_correct(k)).map(
            |(&(q, p), &(event, time))| Violation {
                event,
                time,
                explanation: format!(
                    "correct process {q}'s {} suspects correct process {p} from {time} to the end",
                    self.module
                ),
            },
        );
        let late = || {
            self.late
                .iter()
                .find(|(k, _)| both_correct(k))
                .map(|(&(q, p), &(event, time))| Violation {
                    event,
                    time,
                    explanation: format!(
                        "correct process {q}'s {} suspected correct process {p} at {time}, after GST + bound = {}",
                        self.module,
                        self.after.unwrap_or(0)
                    ),
                })
        };
        run.liveness(still.or_else(late))
    }
    /// `false_suspicions`: suspicions of processes that were up; `post_gst_mistakes`: the most
    /// timeout periods (distinct times) after GST in which one process suspected a live one
    /// (C.13 bounds it for Increasing Timeout).
    fn measure(&self, run: &RunSummary) -> Vec<(&'static str, f64)> {
        let mut periods: BTreeMap<Pid, BTreeSet<Time>> = BTreeMap::new();
        for &(q, t, _) in &self.mistakes {
            if t >= run.gst {
                periods.entry(q).or_default().insert(t);
            }
        }
        let worst = periods.values().map(BTreeSet::len).max().unwrap_or(0);
        vec![
            ("false_suspicions", self.mistakes.len() as f64),
            ("post_gst_mistakes", worst as f64),
        ]
    }
}

/// ELD1 eventual accuracy (L): at the end every correct process trusts a correct process;
/// bounded (`.bounded(gst, b)`): also, none changed whom it trusts after
/// max(GST, last crash or recovery) + b.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EventualAccuracy {
    module: Cow<'static, str>,
    bound: Option<(Time, Time)>,
    life: Life,
    /// q → (trusted process, the `Trust` event).
    trust: BTreeMap<Pid, (Pid, At)>,
    /// q → the last `Trust` at q that changed whom it trusts.
    changed: BTreeMap<Pid, At>,
}

impl EventualAccuracy {
    pub fn new(module: &str) -> Self {
        EventualAccuracy {
            module: owned(module),
            bound: None,
            life: Life::default(),
            trust: BTreeMap::new(),
            changed: BTreeMap::new(),
        }
    }

    /// Bounded variant: no change of leader after max(`gst`, last crash or recovery) + `b`.
    pub fn bounded(mut self, gst: Time, b: Time) -> Self {
        self.bound = Some((gst, b));
        self
    }
}

/// Records a `Trust | p` at `e.process`; returns whether it changed whom it trusts.
fn record_trust(trust: &mut BTreeMap<Pid, (Pid, At)>, e: &TraceEvent, p: Pid) -> bool {
    let old = trust.insert(e.process, (p, (e.index, e.time)));
    old.is_none_or(|(o, _)| o != p)
}

impl Monitor for EventualAccuracy {
    fn name(&self) -> &str {
        "eventual-accuracy"
    }
    fn kind(&self) -> PropertyKind {
        PropertyKind::Liveness
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(q) = self.life.observe(e) {
            self.trust.remove(&q);
            return None;
        }
        if e.module != self.module || e.kind != Kind::Indication {
            return None;
        }
        if let Event::Trust { process } = e.event {
            if record_trust(&mut self.trust, e, process) {
                self.changed.insert(e.process, (e.index, e.time));
            }
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let mut failed = None;
        for q in run.correct() {
            match self.trust.get(&q) {
                None => {
                    failed = Some(Violation {
                        event: run.events.saturating_sub(1),
                        time: run.end_time,
                        explanation: format!(
                            "correct process {q}'s {} trusts no process at the end",
                            self.module
                        ),
                    })
                }
                Some(&(p, (event, time))) if !run.is_correct(p) => {
                    failed = Some(Violation {
                        event,
                        time,
                        explanation: format!(
                            "correct process {q}'s {} trusts {p} from {time} to the end, but {p} is faulty",
                            self.module
                        ),
                    })
                }
                Some(_) => {
                    if let (Some((gst, b)), Some(&(event, time))) =
                        (self.bound, self.changed.get(&q))
                    {
                        let from = gst.max(self.life.last);
                        if time > from + b {
                            failed = Some(Violation {
                                event,
                                time,
                                explanation: format!(
                                    "correct process {q}'s {} changed its leader at {time}, later than max(GST, last failure) + bound = {}",
                                    self.module,
                                    from + b
                                ),
                            });
                        }
                    }
                }
            }
            if failed.is_some() {
                break;
            }
        }
        run.liveness(failed)
    }
}

/// ELD2 eventual agreement (L): at the end all correct processes trust the same process.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EventualAgreement {
    module: Cow<'static, str>,
    life: Life,
    trust: BTreeMap<Pid, (Pid, At)>,
}

impl EventualAgreement {
    pub fn new(module: &str) -> Self {
        EventualAgreement {
            module: owned(module),
            life: Life::default(),
            trust: BTreeMap::new(),
        }
    }
}

impl Monitor for EventualAgreement {
    fn name(&self) -> &str {
        "eventual-agreement"
    }
    fn kind(&self) -> PropertyKind {
        PropertyKind::Liveness
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(q) = self.life.observe(e) {
            self.trust.remove(&q);
            return None;
        }
        if e.module != self.module || e.kind != Kind::Indication {
            return None;
        }
        if let Event::Trust { process } = e.event {
            record_trust(&mut self.trust, e, process);
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let leaders: BTreeSet<Option<Pid>> = run
            .correct()
            .map(|q| self.trust.get(&q).map(|t| t.0))
            .collect();
        let failed = (leaders.len() > 1).then(|| {
            let (event, time) = run
                .correct()
                .filter_map(|q| self.trust.get(&q).map(|t| t.1))
                .max()
                .unwrap_or((run.events.saturating_sub(1), run.end_time));
            let views: Vec<String> = run
                .correct()
                .map(|q| match self.trust.get(&q) {
                    Some((p, _)) => format!("{q} trusts {p}"),
                    None => format!("{q} trusts no one"),
                })
                .collect();
            Violation {
                event,
                time,
                explanation: format!(
                    "the correct processes' {} disagree at the end: {}",
                    self.module,
                    views.join(", ")
                ),
            }
        });
        run.liveness(failed)
    }
}
