//! Free-running clocks (B-10.4): no synchronization at all, C_p = H_p.
//!
//! Model: drifting hardware clocks, rate in [1 − ρ, 1 + ρ]. Two clocks that agree at time 0
//! are up to 2ρt apart at time t, so CS1 with target ε fails once t > ε/(2ρ) (and at once if
//! the initial offsets already differ by more than ε). The module only reads its clock every
//! `probe` ticks, claiming from the start that it is synchronized.

use super::AdjustedClock;
use automata::{Ctx, Module, Time};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FreeRunning {
    clock: AdjustedClock,
    probe: Time,
}

/// The probe timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Probe;

impl FreeRunning {
    /// Reads the clock every `probe` local ticks.
    pub fn new(probe: Time) -> Self {
        let mut clock = AdjustedClock::new(1);
        clock.mark_synced();
        FreeRunning {
            clock,
            probe: probe.max(1),
        }
    }
}

impl Module for FreeRunning {
    const NAME: &'static str = "cs";
    type Req = ();
    type Ind = ();
    type Msg = std::convert::Infallible;
    type Timer = Probe;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.clock.trace(ctx);
        ctx.set_timer(self.probe, Probe);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, _req: ()) {}

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, Probe: Probe) {
        self.clock.trace(ctx);
        ctx.set_timer(self.probe, Probe);
    }
}

use crate::abstractions::{precision, EPS, PROBE};
use catalogue::{job_with, no_request, Algorithm, InputError, Loaded, Params, Runnable};
use std::collections::BTreeMap;

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "free-running", abstraction: "cs", params: &[PROBE, EPS], mutant: true,
    model: "none: the baseline without synchronization (B-10.4)",
    summary: "MUTANT: C_p = H_p, never adjusted; drifting clocks leave any ε (default: [model] clocks.offset)",
    build: free_running;
};

fn free_running(l: &Loaded, p: &Params) -> Result<Box<dyn Runnable>, InputError> {
    let probe = p.int("probe");
    // No bound to predict: the default target is the initial offset bound (≥ 1 tick), which
    // drifting clocks leave sooner or later.
    let eps = (l.scenario.model.clocks.offset as f64).max(1.0);
    let monitors = vec![precision(p, eps)];
    job_with(
        l,
        p,
        move |_| FreeRunning::new(probe),
        no_request,
        BTreeMap::new(),
        monitors,
    )
}
