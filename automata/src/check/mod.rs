//! The model checker: the same [`World`] explored exhaustively by `stateright` (book §2.5).
//!
//! A state is the world (every process's module tree, timers, storage, and the monitors), the
//! packets in flight, the current time and how far the workload and fault plan have got. An
//! action is anything that can happen next: deliver, drop or duplicate an in-flight packet (drop
//! and duplicate only where the link model allows), fire a timer, issue the next request, apply
//! the next scripted fault, or crash a process within the exploration's crash budget.
//!
//! Time is discrete and honours the timing model: a packet sent at `t` can arrive from
//! `t + delay.min`, and where the model bounds delays (synchronous, or after GST) it must arrive
//! by `t + Δ`, so no timer, request or fault scheduled later may happen while it is in flight.
//! Under asynchrony every interleaving goes. Hence a timeout-based algorithm that is correct in
//! the synchronous model is not blamed for schedules that model forbids.
//! A packet arrives at the earliest time its interleaving allows unless
//! [`Explore::every_delay`] lets time pass with packets in flight ([`Action::Wait`]); then every
//! arrival time in the window is explored, which algorithms that read clocks need.
//!
//! Every safety monitor is an `always` property. A liveness monitor is an `always` property
//! judged on quiescent states (no action enabled): the run is over there, so every obligation
//! must be met. Paths that never quiesce (stubborn links retransmit forever) are only bounded by
//! the depth; liveness on those infinite paths is judged by the fair-cycle search (lasso/).
//!
//! Bounded liveness ([`Explore::horizon`]): with a horizon `H`, nothing happens after `H`, so
//! every path ends (the state space is finite even for algorithms that never quiesce, like
//! heartbeats), and a state with nothing left to do by `H` is the end of a run of length `H`.
//! Liveness is judged there, as the simulator judges it at `max_time`: choose `H` at least
//! max(GST, last fault, last request) + the settle time the property needs.

use crate::model::Fault;
use crate::module::Module;
use crate::monitor::Monitors;
use crate::trace::TraceEvent;
use crate::world::Setup;
use crate::Time;

mod state;
pub use state::{Action, InFlight, Packet, State};

/// Exhaustive exploration of a setup. Configure with the builder methods.
#[derive(Clone)]
pub struct Explore<R: Module> {
    setup: Setup<R>,
    monitors: Monitors,
    requests: Vec<usize>,
    faults: Vec<usize>,
    crash_budget: usize,
    names: Vec<&'static str>,
    progress: Option<ProgressFn>,
    progress_every: std::time::Duration,
    horizon: Option<Time>,
    diagram: Option<Diagram>,
    every_delay: bool,
    /// Run the fair-cycle search for liveness after the main search.
    lasso: bool,
    /// Shift quiet states back in time ([`Explore::normalize`]): the lasso search's model.
    normalized: bool,
    /// Set once any step read a clock (then states at different times cannot be merged).
    clock_read: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Set once a step had more outcome combinations than [`CHOICES_PER_STEP`] (then the
    /// search explored only the first ones and cannot call itself complete).
    choices_cut: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// The most combinations of `ctx.choose` outcomes the checker explores for one action (a
/// gossip step picking k of n targets has n^k); beyond it the search says it was cut.
pub const CHOICES_PER_STEP: usize = 1_024;

/// Draws a trace as an SVG picture (for the Explorer), or gives none.
pub type Diagram = std::sync::Arc<dyn Fn(&[TraceEvent]) -> Option<String> + Send + Sync>;

impl<R: Module> Explore<R> {
    /// Explores `setup` with `monitors` as properties. Scripted faults happen at their times;
    /// no other crash happens unless [`Explore::crashes`] allows it.
    pub fn new(setup: Setup<R>, monitors: Monitors) -> Self {
        let mut requests: Vec<usize> = (0..setup.workload.len()).collect();
        requests.sort_by_key(|&i| setup.workload[i].at);
        let mut faults: Vec<usize> = (0..setup.faults.len())
            .filter(|&i| matches!(setup.faults[i], Fault::Crash { .. } | Fault::Recover { .. }))
            .collect();
        faults.sort_by_key(|&i| setup.faults[i].last_time());
        assert!(
            monitors.watches.len() <= 64,
            "the checker judges at most 64 properties at once"
        );
        let names = monitors
            .watches
            .iter()
            .map(|w| &*Box::leak(w.monitor.name().to_string().into_boxed_str()))
            .collect();
        Explore {
            setup,
            monitors,
            requests,
            faults,
            crash_budget: 0,
            names,
            progress: None,
            progress_every: std::time::Duration::from_secs(5),
            horizon: None,
            diagram: None,
            every_delay: false,
            lasso: true,
            normalized: false,
            clock_read: Default::default(),
            choices_cut: Default::default(),
        }
    }

    /// Ends every run at time `h`: no action happens later, and liveness is judged on the
    /// states where nothing is left to do by `h` (bounded liveness, see the module docs).
    pub fn horizon(mut self, h: Time) -> Self {
        self.horizon = Some(h);
        self
    }

    /// Calls `f` with a snapshot of the search about every `every` (a spinner on a terminal
    /// wants a tenth of a second, a log a few seconds).
    pub fn progress(mut self, f: ProgressFn, every: std::time::Duration) -> Self {
        self.progress = Some(f);
        self.progress_every = every;
        self
    }

    /// Gives the Explorer a picture of each path ([`Explore::serve`]).
    pub fn diagram(mut self, f: Diagram) -> Self {
        self.diagram = Some(f);
        self
    }

    /// Lets the adversary crash up to `k` more processes at any moment (within the budget f).
    pub fn crashes(mut self, k: usize) -> Self {
        self.crash_budget = k;
        self
    }

    /// Lets time pass while packets are in flight, so that every arrival time in a packet's
    /// window is explored. Without it a packet arrives at the earliest time the interleaving
    /// allows (its `earliest`, or later only if other events moved time on): enough for
    /// algorithms that do not read clocks, not for those whose correctness depends on how
    /// long messages take (clock synchronization, timeouts). Multiplies the state space by
    /// the width of the delay windows; where delays are unbounded (asynchrony, before GST)
    /// only a horizon bounds the waiting.
    pub fn every_delay(mut self, on: bool) -> Self {
        self.every_delay = on;
        self
    }

    /// Whether liveness is also judged on infinite executions by the fair-cycle (lasso)
    /// search after the main search (on by default; it runs only where a liveness property
    /// was not violated and no horizon ends every run).
    pub fn lasso(mut self, on: bool) -> Self {
        self.lasso = on;
        self
    }

    pub fn setup(&self) -> &Setup<R> {
        &self.setup
    }
}

mod bridge;
mod budget;
mod judge;
mod lasso;
mod relation;
mod replay;
mod report;
mod search;
mod visited;
pub use bridge::MAX_PROPERTIES;
pub use budget::{
    bytes, per_second, resident_memory, Budget, Coverage, Progress, ProgressFn, StoppedBy,
};
pub use report::{Counterexample, Cycle, LassoCoverage, PropertyCheck, Report, Search};
