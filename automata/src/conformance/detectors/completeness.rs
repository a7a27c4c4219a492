//! Strong completeness, one monitor for two detectors: P's PFD1 (every crash detected) and
//! ◇P's EPFD1 (every crashed process suspected for good).

use super::{owned, Life};
use crate::monitor::{RunSummary, Verdict};
use crate::trace::{Event, Kind, TraceEvent};
use crate::{Monitor, Pid, Time, Violation};
use std::borrow::Cow;
use std::collections::BTreeMap;

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
    restored: BTreeMap<(Pid, Pid), Time>,
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
    crate::property!("strong-completeness", Liveness);
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
                self.restored.insert((q, *process), e.time);
            }
            _ => {}
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let mut failed = None;
        'all: for p in 0..run.n {
            let Some(crash) = self.life.down(p) else {
                continue;
            };
            let crashed = crash.time;
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
                        let &t = self.restored.get(&(q, p))?;
                        (t > crashed + b).then(|| {
                            format!(
                                "process {p} crashed at {crashed} but {q}'s {} restored it at {t}, later than {crashed} + {b}",
                                self.module
                            )
                        })
                    }),
                };
                if let Some(explanation) = explanation {
                    failed = Some(Violation::marked(crash, explanation));
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
            if let Some(crashed) = self.life.down(p).map(|c| c.time) {
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
