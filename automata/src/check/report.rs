//! What a search reports: the order it searched in, what it covered, every property with how
//! often it was judged, and the first counterexample.

use super::budget::{Coverage, StoppedBy};
use super::Action;
use crate::module::Module;
use crate::monitor::{PropertyKind, Violation};
use crate::trace::TraceEvent;
use std::time::Duration;

/// Search order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Search {
    /// Breadth-first: shortest counterexamples, a depth covered in full when a budget stops it.
    #[default]
    Bfs,
    /// Depth-first: memory for one path, not a level; longer counterexamples.
    Dfs,
}

/// The result of a search.
pub struct Report<R: Module> {
    pub unique_states: usize,
    /// Transitions computed (successor states generated, visited or not).
    pub states: usize,
    /// The deepest path explored, in actions.
    pub max_depth: usize,
    pub coverage: Coverage,
    /// The whole check, fair-cycle search included.
    pub elapsed: Duration,
    /// The main search alone (what states per second are measured over).
    pub search_elapsed: Duration,
    /// Growth of resident memory over the search per unique state, where the platform tells.
    pub bytes_per_state: Option<f64>,
    /// The first violated property, with its path.
    pub counterexample: Option<Counterexample<R>>,
    /// What the fair-cycle search for liveness covered, when it ran.
    pub lasso: Option<LassoCoverage>,
    /// Every run ends at this time, so liveness is judged where runs end and no run is
    /// infinite.
    pub horizon: Option<crate::Time>,
    /// Every property checked, in order, with how often it could be judged.
    pub properties: Vec<PropertyCheck>,
}

impl<R: Module> Report<R> {
    /// Unique states per second of the main search.
    pub fn rate(&self) -> f64 {
        super::budget::per_second(self.unique_states, self.search_elapsed)
    }

    /// The names of the properties checked.
    pub fn property_names(&self) -> Vec<&'static str> {
        self.properties.iter().map(|p| p.name).collect()
    }
}

/// One property as a search saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyCheck {
    pub name: &'static str,
    pub kind: PropertyKind,
    /// States at which it was judged: every state for safety; for liveness and properties
    /// over correct processes, the states where a run ends (nothing left to do), and the
    /// states of fair cycles when a lasso search ran.
    pub judged: usize,
    /// Run ends at which the monitor could not judge (its verdict was inconclusive).
    pub inconclusive: usize,
    pub violated: bool,
}

/// A violating path.
pub struct Counterexample<R: Module> {
    pub property: &'static str,
    pub actions: Vec<Action<R>>,
    pub trace: Vec<TraceEvent>,
    /// The monitor's witness (an event of `trace`) and explanation, where it gives one.
    pub violation: Option<Violation>,
    /// For a liveness lasso: the index in `actions` where the cycle starts (the path from
    /// there on repeats forever), and the index of the first trace event of the cycle.
    pub cycle: Option<Cycle>,
}

/// Where a lasso's cycle begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cycle {
    pub action: usize,
    pub event: u64,
}

impl<R: Module> std::fmt::Debug for Report<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report")
            .field("unique_states", &self.unique_states)
            .field("max_depth", &self.max_depth)
            .field("coverage", &self.coverage)
            .field(
                "violated",
                &self.counterexample.as_ref().map(|c| c.property),
            )
            .finish()
    }
}

/// What the lasso search covered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LassoCoverage {
    /// Nodes of the time-shifted state graph explored.
    pub nodes: usize,
    /// Every reachable node was explored.
    pub complete: bool,
    pub stopped_by: Option<StoppedBy>,
    /// Fair cycles with an unmet obligation that were examined.
    pub fair_cycles: usize,
    /// Why the search gave no verdict, when it did not run.
    pub skipped: Option<String>,
}
