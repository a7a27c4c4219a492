//! Monitors of the job handler and job transformation properties (book §2.3, §2.4,
//! B-2.3). Each watches one module instance by its trace name (`jh`, `th`), so the same monitor
//! checks any handler; jobs are matched by value per process (the workload makes them unique).

use crate::monitor::{RunSummary, Verdict};
use crate::trace::{Event, Kind, TraceEvent, ENV};
use crate::value::Value;
use crate::{Mark, Monitor, Pid, Violation};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

fn owned(module: &str) -> Cow<'static, str> {
    Cow::Owned(module.to_string())
}

/// What a job event of the watched module says.
enum Job<'a> {
    Submit(&'a Value),
    /// `Confirm` or `Error`.
    Response(&'a Value),
    Processed(&'a Value),
}

fn job<'a>(module: &str, e: &'a TraceEvent) -> Option<Job<'a>> {
    if e.module != module {
        return None;
    }
    match (e.kind, &e.event) {
        (Kind::Request, Event::Submit { job }) => Some(Job::Submit(job)),
        (Kind::Indication, Event::Confirm { job } | Event::Error { job }) => {
            Some(Job::Response(job))
        }
        (Kind::Internal, Event::Processed { job }) => Some(Job::Processed(job)),
        _ => None,
    }
}

/// JH1 / TH1 guaranteed-response (L): every `Submit | job` at a correct process is answered
/// by `Confirm | job` (or, for a transformation, `Error | job`) at that process by the end.
/// A crash ends the obligations of the crashed process's pending jobs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GuaranteedResponse {
    module: Cow<'static, str>,
    /// (process, job) → (unanswered submits, the first of them).
    pending: BTreeMap<(Pid, Value), (u32, Mark)>,
}

impl GuaranteedResponse {
    pub fn new(module: &str) -> Self {
        GuaranteedResponse {
            module: owned(module),
            pending: BTreeMap::new(),
        }
    }
}

impl Monitor for GuaranteedResponse {
    crate::property!("guaranteed-response", Liveness);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if e.module == ENV && e.kind == Kind::Crash {
            self.pending.retain(|(p, _), _| *p != e.process);
            return None;
        }
        match job(&self.module, e)? {
            Job::Submit(j) => {
                let entry = self
                    .pending
                    .entry((e.process, j.clone()))
                    .or_insert((0, Mark::of(e)));
                if entry.0 == 0 {
                    entry.1 = Mark::of(e);
                }
                entry.0 += 1;
            }
            Job::Response(j) => {
                if let Some(entry) = self.pending.get_mut(&(e.process, j.clone())) {
                    entry.0 = entry.0.saturating_sub(1);
                }
            }
            Job::Processed(_) => {}
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let missing = self
            .pending
            .iter()
            .find(|((p, _), (n, _))| *n > 0 && run.is_correct(*p));
        run.liveness(missing.map(|((p, j), &(_, at))| {
            Violation::marked(
                at,
                format!(
                    "job {j:?} was submitted to {} at correct process {p} at {} and never answered",
                    self.module, at.time
                ),
            )
        }))
    }
}

/// JH no-creation (S): `Confirm | job` (or `Error | job`) only answers an earlier, not yet
/// answered `Submit | job` at the same process.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoCreation {
    module: Cow<'static, str>,
    unanswered: BTreeMap<(Pid, Value), u32>,
}

impl NoCreation {
    pub fn new(module: &str) -> Self {
        NoCreation {
            module: owned(module),
            unanswered: BTreeMap::new(),
        }
    }
}

impl Monitor for NoCreation {
    crate::property!("no-creation", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        match job(&self.module, e)? {
            Job::Submit(j) => {
                *self.unanswered.entry((e.process, j.clone())).or_default() += 1;
                None
            }
            Job::Response(j) => match self.unanswered.get_mut(&(e.process, j.clone())) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    None
                }
                _ => Some(Violation::at(
                    e,
                    format!(
                        "process {}'s {} answered job {j:?}, which has no unanswered submission",
                        e.process, self.module
                    ),
                )),
            },
            Job::Processed(_) => None,
        }
    }
}

/// TH2 soundness (S): a job the transformation `th` answered with `Error | job` never reaches
/// the job handler `jh` below it (`Submit | job` at the lower module), before or after.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Soundness {
    th: Cow<'static, str>,
    jh: Cow<'static, str>,
    errored: BTreeSet<(Pid, Value)>,
    reached: BTreeSet<(Pid, Value)>,
}

impl Soundness {
    /// Watches `Error` of module `th` and `Submit` of module `jh`.
    pub fn new(th: &str, jh: &str) -> Self {
        Soundness {
            th: owned(th),
            jh: owned(jh),
            errored: BTreeSet::new(),
            reached: BTreeSet::new(),
        }
    }
}

impl Monitor for Soundness {
    crate::property!("soundness", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        match (e.kind, &e.event) {
            (Kind::Indication, Event::Error { job }) if e.module == self.th => {
                let key = (e.process, job.clone());
                let bad = self.reached.contains(&key);
                self.errored.insert(key);
                bad.then(|| {
                    Violation::at(
                        e,
                        format!(
                            "process {}'s {} answered Error for job {job:?}, which already reached {}",
                            e.process, self.th, self.jh
                        ),
                    )
                })
            }
            (Kind::Request, Event::Submit { job }) if e.module == self.jh => {
                let key = (e.process, job.clone());
                let bad = self.errored.contains(&key);
                self.reached.insert(key);
                bad.then(|| {
                    Violation::at(
                        e,
                        format!(
                            "job {job:?} reached process {}'s {} although {} answered Error for it",
                            e.process, self.jh, self.th
                        ),
                    )
                })
            }
            _ => None,
        }
    }
}

/// processed-before-confirm (S, B-2.3): `Confirm | job` only after the job was processed
/// (`Processed | job`, an internal step of the same module at the same process). The
/// Synchronous Job Handler satisfies it; the Asynchronous one does not, and a crash between its
/// confirm and its processing loses a confirmed job for good.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProcessedBeforeConfirm {
    module: Cow<'static, str>,
    /// (process, job) → processings not yet matched by a confirm.
    processed: BTreeMap<(Pid, Value), u32>,
}

impl ProcessedBeforeConfirm {
    pub fn new(module: &str) -> Self {
        ProcessedBeforeConfirm {
            module: owned(module),
            processed: BTreeMap::new(),
        }
    }
}

impl Monitor for ProcessedBeforeConfirm {
    crate::property!("processed-before-confirm", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        match job(&self.module, e)? {
            Job::Processed(j) => {
                *self.processed.entry((e.process, j.clone())).or_default() += 1;
                None
            }
            Job::Response(j) if matches!(e.event, Event::Confirm { .. }) => {
                match self.processed.get_mut(&(e.process, j.clone())) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        None
                    }
                    _ => Some(Violation::at(
                        e,
                        format!(
                            "process {}'s {} confirmed job {j:?} before processing it",
                            e.process, self.module
                        ),
                    )),
                }
            }
            _ => None,
        }
    }
}
