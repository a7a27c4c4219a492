//! Confirming a candidate lasso.
//!
//! **Confirmation.** A candidate lasso is replayed with the real monitors twice around the
//! cycle; it is a counterexample only if the obligation is unmet at every state of the second
//! round. The trace shown is the replay on the real timeline, the cycle marked.

use super::fair::cycle_through;
use super::graph::Graph;
use crate::check::report::{Counterexample, Cycle};
use crate::check::state::with_choices;
use crate::check::{Action, Explore};
use crate::module::Module;
use crate::monitor::{Verdict, Violation};

impl<R: Module> Explore<R> {
    /// Builds the lasso through fair component `scc` and replays it with the monitors: a
    /// counterexample to property `i` if the obligation stays unmet around the cycle.
    pub(super) fn confirm(
        &self,
        real: &Explore<R>,
        graph: &Graph,
        scc: &[u32],
        i: usize,
    ) -> Option<Counterexample<R>> {
        let start = *scc.iter().min_by_key(|&&v| graph.depth[v as usize])?;
        let mut prefix = Vec::new();
        let mut v = start;
        while graph.parent[v as usize].0 != v && v != 0 {
            let (p, a) = graph.parent[v as usize];
            prefix.push(a);
            v = p;
        }
        prefix.reverse();
        let cycle = cycle_through(graph, scc, start);
        // Around the cycle twice in the normalized model, the obligation unmet throughout.
        let mut s = self.initial(None, &mut 0);
        self.normalize(&mut s);
        let mut normalized = Vec::new();
        for &a in &prefix {
            let act = self.enabled(&s).get(a as usize)?.clone();
            s = self.apply(&s, &act, None, &mut 0).0;
            normalized.push(act);
        }
        let closes = Self::node_key(&s, 0);
        for round in 0..2 {
            for &a in &cycle {
                let act = self.enabled(&s).get(a as usize)?.clone();
                s = self.apply(&s, &act, None, &mut 0).0;
                if round == 0 {
                    normalized.push(act);
                }
                if self.unmet(&s) & (1 << i) == 0 {
                    return None;
                }
            }
            if Self::node_key(&s, 0) != closes {
                return None;
            }
        }
        // The same path on the real timeline, for the reader.
        let mut r = real.initial(None, &mut 0);
        let mut actions = Vec::new();
        for want in &normalized {
            let shift = if self.quiet(&r) {
                r.now - self.setup.quiet_from()
            } else {
                0
            };
            let bare = with_choices(want, Vec::new());
            let act = real.enabled(&r).into_iter().find(|a| {
                with_choices(&self.normalize_action(a, r.now, shift), Vec::new()) == bare
            })?;
            let act = match want {
                Action::Deliver { choices, .. }
                | Action::Timer { choices, .. }
                | Action::Request { choices, .. }
                | Action::Fault { choices, .. } => with_choices(&act, choices.clone()),
                _ => act,
            };
            r = real.apply(&r, &act, None, &mut 0).0;
            actions.push(act);
        }
        let (trace_prefix, _) = real.replay_to(&actions[..prefix.len()]);
        let (trace, end) = real.replay_to(&actions);
        let violation = match end.world.monitors.watches[i]
            .monitor
            .finish(&real.forever(&end))
        {
            Verdict::Violation(v) => Some(v),
            _ => Some(Violation {
                event: trace.last().map_or(0, |e| e.index),
                time: end.now,
                explanation: "the obligation is never met on this cycle".to_string(),
            }),
        };
        Some(Counterexample {
            property: self.names[i],
            cycle: Some(Cycle {
                action: prefix.len(),
                event: trace_prefix.len() as u64,
            }),
            actions,
            trace,
            violation,
        })
    }
}
