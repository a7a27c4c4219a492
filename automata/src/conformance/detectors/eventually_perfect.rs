//! The eventually perfect failure detector ◇P: eventual strong accuracy (EPFD2). Its
//! completeness (EPFD1) is [`super::StrongCompleteness::eventually_perfect`].

use super::{owned, Life};
use crate::monitor::{RunSummary, Verdict};
use crate::trace::{Event, Kind, TraceEvent};
use crate::{Mark, Monitor, Pid, Time, Violation};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

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
    suspected: BTreeMap<(Pid, Pid), Mark>,
    /// (q, p) → the first `Suspect | p` at q after GST + b.
    late: BTreeMap<(Pid, Pid), Mark>,
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
    crate::property!("eventual-strong-accuracy", Liveness);
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
                self.suspected.insert((q, process), Mark::of(e));
                if self.after.is_some_and(|t| e.time > t) {
                    self.late.entry((q, process)).or_insert(Mark::of(e));
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
        let still = self
            .suspected
            .iter()
            .find(|(k, _)| both_correct(k))
            .map(|(&(q, p), &at)| {
                Violation::marked(
                    at,
                    format!(
                        "correct process {q}'s {} suspects correct process {p} from {} to the end",
                        self.module, at.time
                    ),
                )
            });
        let late = || {
            self.late
                .iter()
                .find(|(k, _)| both_correct(k))
                .map(|(&(q, p), &at)| {
                    Violation::marked(
                        at,
                        format!(
                            "correct process {q}'s {} suspected correct process {p} at {}, after GST + bound = {}",
                            self.module,
                            at.time,
                            self.after.unwrap_or(0)
                        ),
                    )
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
