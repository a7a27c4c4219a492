//! `--diagram`: a scenario's simulated run, or the model checker's counterexample, drawn as a
//! space-time diagram.

use crate::error::InputError;
use crate::registry::{self, Runnable};
use crate::spec::Loaded;
use std::path::Path;

/// Draws the diagram of a simulated run (`--diagram`), the first violation highlighted.
pub fn draw_run(
    l: &Loaded,
    job: &dyn Runnable,
    seed: u64,
    outcome: &automata::sim::Outcome,
    opts: &crate::diagram::Options,
    out: &Path,
) -> Result<crate::diagram::Layout, InputError> {
    let picture = crate::diagram::Picture::of_run(l, job.layer(), seed, outcome);
    crate::diagram::render(&picture, opts, out)
}

/// Draws the counterexample of an exploration; `false` when there is none.
pub fn draw_counterexample(
    l: &Loaded,
    job: &dyn Runnable,
    explored: &registry::Explored,
    opts: &crate::diagram::Options,
    out: &Path,
) -> Result<bool, InputError> {
    let s = &l.scenario;
    let Some((property, trace)) = &explored.counterexample else {
        return Ok(false);
    };
    let picture = crate::diagram::Picture {
        title: format!(
            "{} ({}): counterexample found by the model checker",
            s.name, s.algorithm
        ),
        trace,
        n: s.processes,
        root: job.layer(),
        violation: Some(crate::diagram::Violation {
            property: property.clone(),
            // Without a witness from the monitor, the path's last step shows the violation.
            event: explored
                .violation
                .as_ref()
                .map(|v| v.event)
                .or_else(|| trace.last().map(|e| e.index))
                .unwrap_or(0),
            explanation: explored
                .violation
                .as_ref()
                .map(|v| v.explanation.clone())
                .unwrap_or_else(|| "the path's last state violates it".to_string()),
        }),
        also: Vec::new(),
        verdict: String::new(),
        cycle_from: explored.cycle_from,
    };
    crate::diagram::render(&picture, opts, out)?;
    Ok(true)
}
