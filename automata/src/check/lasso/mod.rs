//! Liveness over infinite executions: the fair-cycle (lasso) search.
//!
//! A liveness property ("every message sent to a correct process is eventually delivered")
//! fails on an infinite execution, which a finite search sees as a *lasso*: a path to a state
//! and a cycle back to it that the system can repeat forever, fair to the environment, with
//! the property's obligation unmet all along. stateright's `eventually` properties are judged
//! only where a path ends, so algorithms that never stop (retransmission, heartbeats) were
//! never judged; this search judges them.
//!
//! **States that repeat.** Time only grows, so no state repeats as it stands. Once the
//! workload and the fault plan are over and the model is stable (after max(GST, last fault,
//! last request)), the future depends on time only through differences, so a state is shifted
//! back to that moment: timers and packet windows keep their distance from now. This is sound
//! for algorithms that do not read their clock; if any step did, the search says so and gives
//! no verdict. The monitors are not part of a node: a node is the system's state plus which
//! liveness obligations are unmet there.
//!
//! **What it cannot judge.** A state that grows forever (a timeout raised on every
//! heartbeat, a counter) never repeats, so there is no cycle to find: the search then stops at
//! its depth or state budget and says so, and the property stays unjudged.
//!
//! The search builds the graph of the time-shifted model (`graph.rs`), finds its components
//! that contain a fair cycle (`fair.rs`, which says what fairness means here) and confirms each
//! candidate with the real monitors (`confirm.rs`).

use super::budget::{Budget, Meter, StoppedBy};
use super::report::{Counterexample, LassoCoverage};
use super::{Action, Explore, State};
use crate::module::Module;
use crate::monitor::{PropertyKind, RunSummary, Verdict};
use crate::Time;

mod confirm;
mod fair;
mod graph;
use fair::fair_components;

impl<R: Module> Explore<R> {
    /// Whether `s` is past everything scheduled: every request issued, every scripted fault
    /// applied, and the model stable (GST, partitions, fault windows over).
    fn quiet(&self, s: &State<R>) -> bool {
        s.requests == self.requests.len()
            && s.faults == self.faults.len()
            && s.now >= self.setup.quiet_from()
    }

    /// The lasso search's model: a quiet state is shifted back to the quiet moment, and a
    /// packet that may already arrive has its window start at now (both change nothing an
    /// algorithm that does not read its clock could tell).
    pub(in crate::check) fn normalize(&self, s: &mut State<R>) {
        let now = s.now;
        let shift = if self.quiet(s) {
            now - self.setup.quiet_from()
        } else {
            0
        };
        for m in s.net.iter_mut() {
            if m.earliest < now || shift > 0 {
                let m = m.make_mut();
                m.earliest = m.earliest.max(now) - shift;
                m.latest = m.latest.map(|l| l - shift);
            }
        }
        s.net.sort();
        if shift > 0 {
            s.now -= shift;
            for proc in s.world.procs.iter_mut() {
                if !proc.timers.is_empty() {
                    for (at, _) in proc.make_mut().timers.iter_mut() {
                        *at -= shift;
                    }
                }
            }
        }
    }

    /// `a`, enabled in a state at time `now` shifted back by `shift`, as the normalized model
    /// names it.
    fn normalize_action(&self, a: &Action<R>, now: Time, shift: Time) -> Action<R> {
        let mut a = a.clone();
        match &mut a {
            Action::Deliver { packet, .. }
            | Action::Drop { packet }
            | Action::Duplicate { packet } => {
                let m = packet.make_mut();
                m.earliest = m.earliest.max(now) - shift;
                m.latest = m.latest.map(|l| l - shift);
            }
            Action::Timer { at, .. } => *at -= shift,
            Action::Wait { to } => *to -= shift,
            _ => {}
        }
        a
    }

    /// The run summary of an infinite execution that stays in `s`'s configuration.
    fn forever(&self, s: &State<R>) -> RunSummary {
        let mut run = self.summary(s);
        run.complete = true;
        run
    }

    /// Which liveness properties are unmet in `s` (bit `i` for property `i`).
    fn unmet(&self, s: &State<R>) -> u64 {
        let run = self.forever(s);
        let mut mask = 0;
        for (i, w) in s.world.monitors.watches.iter().enumerate() {
            if w.monitor.kind() == PropertyKind::Liveness
                && matches!(w.monitor.finish(&run), Verdict::Violation(_))
            {
                mask |= 1 << i;
            }
        }
        mask
    }

    /// The lasso search within `budget`: the first liveness property a confirmed fair cycle
    /// violates, and what the search covered. `judged` counts, per property, the fair cycles
    /// examined for it.
    pub(in crate::check) fn lasso_search(
        &self,
        budget: Budget,
        meter: &mut Meter,
        judged: &mut [usize],
    ) -> (Option<Counterexample<R>>, LassoCoverage) {
        let mut coverage = LassoCoverage {
            nodes: 0,
            complete: false,
            stopped_by: None,
            fair_cycles: 0,
            skipped: None,
        };
        let live: Vec<usize> = (0..self.names.len())
            .filter(|&i| self.monitors.watches[i].monitor.kind() == PropertyKind::Liveness)
            .collect();
        if live.is_empty() {
            coverage.skipped = Some("no liveness property to judge".to_string());
            return (None, coverage);
        }
        if self.horizon.is_some() {
            coverage.skipped = Some("a horizon ends every run, so no run is infinite".to_string());
            return (None, coverage);
        }
        let mut model = self.clone();
        model.normalized = true;
        model.lasso = false;
        model.choices_cut = Default::default();
        let (graph, stopped) = model.lasso_graph(budget, meter);
        let cut = model.choices_cut.load(std::sync::atomic::Ordering::Relaxed);
        let stopped = stopped.or(cut.then_some(StoppedBy::Choices));
        coverage.nodes = graph.parent.len();
        coverage.complete = stopped.is_none();
        coverage.stopped_by = stopped;
        if self.clock_read.load(std::sync::atomic::Ordering::Relaxed) {
            coverage.skipped = Some(
                "an algorithm reads its clock, so states at different times cannot be merged"
                    .to_string(),
            );
            return (None, coverage);
        }
        for i in live {
            let nodes: Vec<u32> = (0..graph.parent.len() as u32)
                .filter(|&v| graph.expanded[v as usize] && graph.unmet[v as usize] & (1 << i) != 0)
                .collect();
            let mut candidates = fair_components(&graph, nodes);
            candidates.sort_by_key(|scc| scc.iter().map(|&v| graph.depth[v as usize]).min());
            for scc in candidates {
                coverage.fair_cycles += 1;
                judged[i] += 1;
                if let Some(ce) = model.confirm(self, &graph, &scc, i) {
                    return (Some(ce), coverage);
                }
            }
        }
        (None, coverage)
    }
}
