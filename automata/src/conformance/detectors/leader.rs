//! The eventual leader detector Ω: eventual accuracy (ELD1) and eventual agreement (ELD2).

use super::{owned, Life};
use crate::monitor::{RunSummary, Verdict};
use crate::trace::{Event, Kind, TraceEvent};
use crate::{Mark, Monitor, Pid, Time, Violation};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// ELD1 eventual accuracy (L): at the end every correct process trusts a correct process;
/// bounded (`.bounded(gst, b)`): also, none changed whom it trusts after
/// max(GST, last crash or recovery) + b.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EventualAccuracy {
    module: Cow<'static, str>,
    bound: Option<(Time, Time)>,
    life: Life,
    /// q → (trusted process, the `Trust` event).
    trust: BTreeMap<Pid, (Pid, Mark)>,
    /// q → the last `Trust` at q that changed whom it trusts.
    changed: BTreeMap<Pid, Mark>,
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
fn record_trust(trust: &mut BTreeMap<Pid, (Pid, Mark)>, e: &TraceEvent, p: Pid) -> bool {
    let old = trust.insert(e.process, (p, Mark::of(e)));
    old.is_none_or(|(o, _)| o != p)
}

impl Monitor for EventualAccuracy {
    crate::property!("eventual-accuracy", Liveness);
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
                self.changed.insert(e.process, Mark::of(e));
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
                Some(&(p, at)) if !run.is_correct(p) => {
                    failed = Some(Violation::marked(
                        at,
                        format!(
                        "correct process {q}'s {} trusts {p} from {} to the end, but {p} is faulty",
                        self.module, at.time
                    ),
                    ))
                }
                Some(_) => {
                    if let (Some((gst, b)), Some(&at)) = (self.bound, self.changed.get(&q)) {
                        let from = gst.max(self.life.last);
                        if at.time > from + b {
                            failed = Some(Violation::marked(
                                at,
                                format!(
                                    "correct process {q}'s {} changed its leader at {}, later than max(GST, last failure) + bound = {}",
                                    self.module,
                                    at.time,
                                    from + b
                                ),
                            ));
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
    trust: BTreeMap<Pid, (Pid, Mark)>,
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
    crate::property!("eventual-agreement", Liveness);
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
            let at = run
                .correct()
                .filter_map(|q| self.trust.get(&q).map(|t| t.1))
                .max()
                .unwrap_or(Mark {
                    time: run.end_time,
                    event: run.events.saturating_sub(1),
                });
            let views: Vec<String> = run
                .correct()
                .map(|q| match self.trust.get(&q) {
                    Some((p, _)) => format!("{q} trusts {p}"),
                    None => format!("{q} trusts no one"),
                })
                .collect();
            Violation::marked(
                at,
                format!(
                    "the correct processes' {} disagree at the end: {}",
                    self.module,
                    views.join(", ")
                ),
            )
        });
        run.liveness(failed)
    }
}
