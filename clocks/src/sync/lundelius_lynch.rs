//! The Lundelius-Lynch averaging algorithm `lundelius-lynch` (Lundelius & Lynch 1984; AW §6.3).
//!
//! Abstraction: clock synchronization, CS1 precision and CS4 monotonicity.
//! Model: n processes on a complete graph, no failures, hardware clocks without drift, every
//! message delay in [d − u, d] with d and u known.
//! Algorithm: at start every process sends its hardware clock reading to every other process.
//! On receiving T from q at local time H, it estimates q's offset as T + (d − u/2) − H (assuming
//! the delay is the middle of its range, so the estimate is off by at most u/2). Once it has all
//! n − 1 estimates it adds their average over n (its own offset counting 0) to its clock.
//! Precision bound: |C_p − C_q| ≤ u(1 − 1/n). When every message to i takes d − u and every
//! message to k takes d, C_i − C_k = u(1 − 1/n): averaging reaches its own bound. That no
//! algorithm can guarantee less (C.5) is a separate result, Lundelius and Lynch's shifting
//! argument, which no single run of this algorithm shows.
//! A backward correction is slewed (the clock runs at half speed), so C_p never decreases;
//! the process counts as synchronized once its correction is absorbed.

use super::{after_correction, Tick};
use crate::physical::AdjustedClock;
use automata::{Ctx, Module, Pid, Time};

/// The wire message: the sender's hardware clock when it sent it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockValue(pub Time);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LundeliusLynch {
    d: Time,
    u: Time,
    probe: Time,
    clock: AdjustedClock,
    /// Sum of the estimated offsets received so far, in half ticks.
    sum: i64,
    /// Processes heard from.
    heard: Vec<Pid>,
}

impl LundeliusLynch {
    /// Delays in [d − u, d]; the clock is traced every `probe` local ticks (0: never).
    pub fn new(d: Time, u: Time, probe: Time) -> Self {
        LundeliusLynch {
            d,
            u: u.min(d),
            probe,
            clock: AdjustedClock::new(1),
            sum: 0,
            heard: Vec::new(),
        }
    }

    /// The adjusted clock.
    pub fn clock(&self) -> &AdjustedClock {
        &self.clock
    }

    /// With all n − 1 estimates: adj := (sum of estimates) / n.
    fn adjust(&mut self, ctx: &mut Ctx<Self>) {
        // The sum is in half ticks and is divided by n: the unit of adj is 1/(2n).
        self.clock.adjust(self.sum, ctx.clock());
        after_correction(ctx, &mut self.clock, Tick::Slewed);
    }
}

impl Module for LundeliusLynch {
    const NAME: &'static str = "cs";
    type Req = ();
    type Ind = ();
    type Msg = ClockValue;
    type Timer = Tick;

    // ANCHOR: init
    /// `upon event ⟨ Init ⟩ do forall q ≠ self: send [H] to q`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.clock = AdjustedClock::new(2 * ctx.n() as i64);
        self.sum = 0;
        self.heard.clear();
        let h = ctx.clock();
        let me = ctx.me();
        for q in ctx.processes().filter(|&q| q != me) {
            ctx.send(q, ClockValue(h));
        }
        if ctx.n() == 1 {
            self.clock.mark_synced();
        }
        self.clock.trace(ctx);
        if self.probe > 0 {
            ctx.set_timer(self.probe, Tick::Probe);
        }
    }
    // ANCHOR_END: init

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, _req: ()) {}

    // ANCHOR: receive
    /// `upon receiving [T] from q do diff[q] := T + d − u/2 − H; if all heard: adj := Σ diff / n`.
    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, ClockValue(t): ClockValue) {
        if self.heard.contains(&from) {
            return;
        }
        self.heard.push(from);
        let h = ctx.clock() as i64;
        self.sum += 2 * t as i64 + 2 * self.d as i64 - self.u as i64 - 2 * h;
        if self.heard.len() == ctx.n() - 1 {
            self.adjust(ctx);
        }
        self.clock.trace(ctx);
    }
    // ANCHOR_END: receive

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, tick: Tick) {
        match tick {
            Tick::Slewed => after_correction(ctx, &mut self.clock, Tick::Slewed),
            Tick::Probe => ctx.set_timer(self.probe, Tick::Probe),
        }
        self.clock.trace(ctx);
    }
}

use crate::abstractions::{delays, sync_job, EPS, PROBE};
use catalogue::{Algorithm, InputError, Loaded, Param, Params, Runnable};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "lundelius-lynch", abstraction: "cs",
    params: &[
        Param::int("probe", 25, PROBE.doc),
        EPS,
    ],
    model: "complete graph, no failures, no drift, delays in [d − u, d] with d and u known",
    summary: "Lundelius & Lynch 1984: broadcast the clock once, estimate each offset assuming delay d − u/2, add their average; ε = u(1 − 1/n), optimal (C.5)",
    build: lundelius_lynch;
};

fn lundelius_lynch(l: &Loaded, p: &Params) -> Result<Box<dyn Runnable>, InputError> {
    let (d, u, _) = delays(l);
    let n = l.scenario.processes as f64;
    let probe = p.int("probe");
    sync_job(
        l,
        p,
        move |_| LundeliusLynch::new(d, u, probe),
        u as f64 * (1.0 - 1.0 / n),
    )
}
