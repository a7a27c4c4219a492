//! Judging the properties on a state: the first one it violates, which ones it could judge
//! (safety everywhere; liveness where a run ends), and the tally of both over a search.

use super::{Explore, State};
use crate::model::Failures;
use crate::module::Module;
use crate::monitor::{PropertyKind, RunSummary, Verdict, Violation};

/// Which properties a state judged, and which a run ending there left inconclusive.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Masks {
    judged: u64,
    unsure: u64,
}

/// Per property: the states that judged it, and the run ends that left it inconclusive.
pub(super) struct Tally {
    pub(super) judged: Vec<usize>,
    pub(super) unsure: Vec<usize>,
}

impl Tally {
    pub(super) fn new(n: usize) -> Self {
        Tally {
            judged: vec![0; n],
            unsure: vec![0; n],
        }
    }

    pub(super) fn count(&mut self, m: Masks) {
        for i in 0..self.judged.len() {
            if m.judged & (1 << i) != 0 {
                self.judged[i] += 1;
            }
            if m.unsure & (1 << i) != 0 {
                self.unsure[i] += 1;
            }
        }
    }
}

impl<R: Module> Explore<R> {
    /// The first property `s` violates, counting a judgement for each property judged.
    pub(super) fn judge(&self, s: &State<R>, tally: &mut Tally) -> Option<usize> {
        let (violated, masks) = self.judge_mask(s);
        tally.count(masks);
        violated
    }

    /// The first property `s` violates, and which properties could be judged at `s` (bit
    /// `i` for property `i`): safety everywhere; liveness and properties over correct
    /// processes where the run is over (nothing left to do). Where the run is over, a safety
    /// monitor's end-of-run verdict counts too: a violation is one, and an inconclusive
    /// verdict (the monitor could not judge this run) leaves the property unjudged there.
    pub(super) fn judge_mask(&self, s: &State<R>) -> (Option<usize>, Masks) {
        let watches = &s.world.monitors.watches;
        if let Some(i) = watches.iter().position(|w| w.violation.is_some()) {
            return (Some(i), Masks::default());
        }
        let mut mask = 0u64;
        let mut unsure = 0u64;
        let over = self.base_actions(s).is_empty();
        let run = over.then(|| self.summary(s));
        for (i, w) in watches.iter().enumerate() {
            let Some(run) = &run else {
                if w.monitor.kind() == PropertyKind::Safety {
                    mask |= 1 << i;
                }
                continue;
            };
            match w.monitor.finish(run) {
                Verdict::Violation(_) => {
                    let judged = mask | 1 << i;
                    return (Some(i), Masks { judged, unsure });
                }
                Verdict::Hold => mask |= 1 << i,
                Verdict::Inconclusive { .. } => unsure |= 1 << i,
            }
        }
        (
            None,
            Masks {
                judged: mask,
                unsure,
            },
        )
    }

    /// The run summary of a path that ends in `s` (who is up, who crashed).
    pub(super) fn summary(&self, s: &State<R>) -> RunSummary {
        let mut run = RunSummary::failure_free(self.setup.n, self.horizon.unwrap_or(s.now));
        run.up_at_end = s.world.up.clone();
        run.crash_recovery = self.setup.model.failures == Failures::CrashRecovery;
        run.gst = self.setup.model.stabilization();
        for (p, up) in s.world.up.iter().enumerate() {
            if !up {
                run.crashes.insert(p, vec![0]);
            }
        }
        run
    }

    /// How monitor `i` is violated in `s`, if it is: its witness event and explanation.
    pub(super) fn violation(&self, s: &State<R>, i: usize) -> Option<Violation> {
        let w = s.world.monitors.watches.get(i)?;
        if let Some(v) = &w.violation {
            return Some(v.clone());
        }
        if !self.base_actions(s).is_empty() {
            return None;
        }
        match w.monitor.finish(&self.summary(s)) {
            Verdict::Violation(v) => Some(v),
            _ => None,
        }
    }
}
