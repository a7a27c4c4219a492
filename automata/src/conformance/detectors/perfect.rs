//! The perfect failure detector P: strong accuracy (PFD2). Its completeness (PFD1) is
//! [`super::StrongCompleteness::perfect`].

use super::{owned, Life};
use crate::monitor::RunSummary;
use crate::trace::{Event, Kind, TraceEvent};
use crate::{Monitor, Violation};
use std::borrow::Cow;

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
    crate::property!("strong-accuracy", Safety);
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
