//! Conformance of the failure model: the fault budget (book §3.4, "Process failures": #faulty ≤ f).

use crate::model::{Failures, SystemModel};
use crate::monitor::{RunSummary, Verdict};
use crate::trace::{Kind, TraceEvent, ENV};
use crate::{Mark, Monitor, Pid, Violation};
use std::collections::BTreeMap;

/// Fault budget (S): at most `f` processes fail.
///
/// Crash-stop and omission: a process fails when it crashes, so the `(f+1)`-th distinct process
/// to crash is reported at its crash event; at the end, omitting processes count too.
/// Crash-recovery: a process may crash and recover any number of times and still be correct,
/// so the budget is judged at the end on the faulty processes (down at the end, or crashed in
/// the final settle window).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FaultBudget {
    f: usize,
    crash_recovery: bool,
    /// Last crash event per process.
    crashed: BTreeMap<Pid, Mark>,
}

impl FaultBudget {
    pub fn new(model: &SystemModel, f: usize) -> Self {
        FaultBudget {
            f,
            crash_recovery: model.failures == Failures::CrashRecovery,
            crashed: BTreeMap::new(),
        }
    }
}

impl Monitor for FaultBudget {
    crate::property!("fault-budget", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if e.module != ENV || e.kind != Kind::Crash {
            return None;
        }
        self.crashed.insert(e.process, Mark::of(e));
        (!self.crash_recovery && self.crashed.len() > self.f).then(|| {
            Violation::at(
                e,
                format!(
                    "process {} is the {}-th process to crash, but the fault budget is f = {}",
                    e.process,
                    self.crashed.len(),
                    self.f
                ),
            )
        })
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let faulty: Vec<Pid> = (0..run.n).filter(|&p| !run.is_correct(p)).collect();
        if faulty.len() <= self.f {
            return Verdict::Hold;
        }
        let at = self.crashed.values().max().copied().unwrap_or(Mark {
            time: run.end_time,
            event: run.events.saturating_sub(1),
        });
        Verdict::Violation(Violation::marked(
            at,
            format!(
                "processes {faulty:?} are faulty at the end, {} of them, but the fault budget is f = {}",
                faulty.len(),
                self.f
            ),
        ))
    }
}
