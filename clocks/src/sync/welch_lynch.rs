//! Welch-Lynch fault-tolerant midpoint `welch-lynch` (Welch & Lynch 1988).
//!
//! Abstraction: clock synchronization, CS1 precision among correct processes, tolerating f
//! faulty clocks (crashed, or Byzantine: two-faced).
//! Model: N ≥ 3f + 1 (necessary without authentication: Dolev, Halpern, Strong 1986), complete
//! graph, delays in [d − u, d], drift ρ, resynchronization every P local ticks.
//! Algorithm: in round k, at adjusted time kP, every process sends [ROUND k, C] to every
//! process. On receipt it estimates the sender's offset as C_q + d − u/2 − C (off by at most
//! ε = u/2 for a correct sender). At kP + `wait` it drops the f largest and f smallest of the
//! estimates it has (its own offset 0 included) and moves to the midpoint of the remaining
//! extremes.
//! With N ≤ 3f a two-faced clock can tell each correct process a value on its own side, and
//! the correct clocks stop converging (B-10.6).
//!
//! Precision, derived for this implementation ([`WelchLynchParams::precision`]; after Welch and
//! Lynch 1988, whose γ is the same β + ε). Write P̂ = P/(1 − ρ) for a round's length in real
//! time and W = (wait + β)/(1 − ρ) for the real time from the first send of a round to its last
//! update.
//!
//! - ε, the error of one estimate against the true offset at the update: the delay term,
//!   d − u/2 − (1 ± ρ)δ with δ ∈ [d − u, d], is at most u/2 + ρd; hardware clocks are read in
//!   whole ticks, which adds less than 1 when ρ > 0 (r = 1; r = 0 without drift, when every
//!   reading is exact); and the offset drifts by up to 2ρW between the receipt and the update.
//!   ε = u/2 + ρd + r + 2ρW.
//! - β, the spread of the correct clocks when a round's estimates are taken, once converged.
//!   With N ≥ 3f + 1, dropping f estimates at each end leaves at every correct process a range
//!   within the correct estimates, and the midpoints of two correct processes differ by at most
//!   half the old spread plus 2ε (Dolev, Lynch et al.'s approximate agreement, the step of
//!   Welch and Lynch's Lemma); the clocks then drift apart by up to 2ρP̂ until the next round.
//!   β = β/2 + 2ε + 2ρP̂ gives β = 4ε + 4ρP̂ (β appears in ε through W; solved exactly in
//!   [`WelchLynchParams::precision`]).
//! - γ, the skew at any moment: during a round some processes have applied their correction
//!   and some not, and a corrected clock may land up to ε beyond the correct ones: γ = β + ε.
//! - Warm-up: from an initial spread β₀ (the clocks' initial offsets) the spread is at most
//!   β + β₀/2^k after round k, and the monitors judge from round `warmup` = w on, so the
//!   target is γ + β₀/2^w.
//!
//! The often-quoted 2u + 4ρP is β with ε = u/2 only: it leaves out the skew within a round
//! (ε), the whole-tick readings of drifting clocks (4r), the drift during a round (ρd, 2ρW),
//! and the warm-up (β₀/2^w). Measured (tests/sync_props.rs): after a long warm-up, every seed
//! and drift stays within 2u + 4ρP; with the scenarios' warm-up of 3 rounds from offsets up
//! to 100 and adversarial delays it does not (21.9 ticks against 2u = 20 with N = 4, u = 10,
//! ρ = 0), while γ + β₀/2^w holds. The inductive step, clocks within 2u before a round stay
//! within 2u after it, is model-checked on every delay of a small instance
//! (tests/sync_model_checking.rs); from a wider spread one round is not enough (n = 4, u = 2,
//! spread 6: 4.5 after round 1).
//! A process counts as synchronized from round `warmup` on; backward corrections are slewed.

use super::{after_correction, Tick};
use crate::physical::AdjustedClock;
use automata::{Ctx, Module, Pid, Time};
use std::collections::BTreeMap;

/// Clock values are in 1/8 ticks, so half-tick estimates and their midpoints are exact.
const DEN: i64 = 8;

/// Wire message: the round and the sender's adjusted clock (1/8 ticks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoundMsg {
    pub k: u64,
    pub clock: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer {
    /// Adjusted time kP: send round k.
    Send(u64),
    /// Adjusted time kP + wait: average round k.
    Update(u64),
    Tick(Tick),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WelchLynchParams {
    pub f: usize,
    pub period: Time,
    pub wait: Time,
    pub d: Time,
    pub u: Time,
    pub warmup: u64,
    pub probe: Time,
}

impl WelchLynchParams {
    /// The precision γ + β₀/2^w of the module doc, for drift `rho` and an initial spread of
    /// the correct clocks of at most `initial` ticks: the CS1 target the monitors judge from
    /// round `warmup` on. Returns infinity when 8ρ/(1 − ρ) ≥ 1 (the drift during a round
    /// outruns the halving).
    pub fn precision(&self, rho: f64, initial: f64) -> f64 {
        let (u, d, wait, p) = (
            self.u as f64,
            self.d as f64,
            self.wait as f64,
            self.period as f64,
        );
        let r = if rho > 0.0 { 1.0 } else { 0.0 };
        let slow = 1.0 - rho;
        let gain = 1.0 - 8.0 * rho / slow;
        if gain <= 0.0 {
            return f64::INFINITY;
        }
        // β = 4ε + 4ρP̂ with ε = u/2 + ρd + r + 2ρ(wait + β)/(1 − ρ), solved for β.
        let beta =
            (2.0 * u + 4.0 * rho * d + 4.0 * r + (8.0 * rho * wait + 4.0 * rho * p) / slow) / gain;
        let eps = u / 2.0 + rho * d + r + 2.0 * rho * (wait + beta) / slow;
        beta + eps + initial / 2f64.powi(self.warmup.min(60) as i32)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WelchLynch {
    params: WelchLynchParams,
    clock: AdjustedClock,
    /// Estimated offsets of round k, per sender (1/8 ticks).
    estimates: BTreeMap<u64, BTreeMap<Pid, i64>>,
    /// A two-faced Byzantine process (B-10.6), not the algorithm.
    two_faced: bool,
    /// How far beyond the correct clocks the two-faced process claims to be (1/8 ticks): far
    /// outside the trimming window, or 0, at the edge of the correct clocks (inside it).
    lie_beyond: i64,
    /// `false` only in the mutant that takes the midpoint of every estimate
    /// ([`WelchLynch::without_trimming`]).
    trim: bool,
}

impl WelchLynch {
    pub fn new(params: WelchLynchParams) -> Self {
        WelchLynch {
            params,
            clock: AdjustedClock::new(DEN),
            estimates: BTreeMap::new(),
            two_faced: false,
            lie_beyond: 0,
            trim: true,
        }
    }

    /// MUTANT: the midpoint of all the estimates, without dropping the f largest and f
    /// smallest: one lying clock drags every correct clock its way (CS1).
    pub fn without_trimming(mut self) -> Self {
        self.trim = false;
        self
    }

    /// A two-faced faulty process (B-10.6): it answers each correct process's round message
    /// with a clock far on that process's own side of the others (below the lowest correct
    /// clock it has seen for the lowest, above for the others), keeping every correct clock
    /// where it is. It does not trace a clock: it is not one of the correct processes.
    pub fn two_faced(params: WelchLynchParams) -> Self {
        WelchLynch {
            two_faced: true,
            lie_beyond: 1_000 * DEN,
            ..WelchLynch::new(params)
        }
    }

    /// A two-faced process that stays inside the trimming window: it tells the lowest correct
    /// process that its clock is the lowest correct clock it has seen, and the others that it
    /// is the highest, each corrected for the expected delay, so each correct process sees it
    /// among (or at the edge of) the correct clocks and may keep it after trimming. This is
    /// the liar the midpoint's halving bound is about: with n = 3f + 1 its lies are as
    /// effective as far ones, and no filter on outliers could tell them from correct clocks.
    pub fn two_faced_within(params: WelchLynchParams) -> Self {
        WelchLynch {
            two_faced: true,
            lie_beyond: 0,
            ..WelchLynch::new(params)
        }
    }

    /// Local ticks until the adjusted clock reads `target` ticks (at least 1).
    fn until(&self, ctx: &Ctx<Self>, target: i64) -> Time {
        let now = self.clock.read(ctx.clock());
        ((target * DEN - now + DEN - 1).div_euclid(DEN)).max(1) as Time
    }

    fn at_round_time(&mut self, ctx: &mut Ctx<Self>, k: u64, extra: Time, timer: Timer) {
        let target = (k * self.params.period + extra) as i64;
        ctx.set_timer(self.until(ctx, target), timer);
    }

    // ANCHOR: round
    /// `upon C = kP do forall q: send [ROUND k, C] to q`.
    fn on_send(&mut self, ctx: &mut Ctx<Self>, k: u64) {
        let target = (k * self.params.period) as i64 * DEN;
        if self.clock.read(ctx.clock()) < target {
            // The clock was slewing: not yet kP.
            return self.at_round_time(ctx, k, 0, Timer::Send(k));
        }
        let clock = self.clock.read(ctx.clock());
        let me = ctx.me();
        for q in ctx.processes().filter(|&q| q != me) {
            ctx.send(q, RoundMsg { k, clock });
        }
        self.estimates.entry(k).or_default().insert(me, 0);
        self.at_round_time(ctx, k, self.params.wait, Timer::Update(k));
    }

    /// `upon receiving [ROUND k, C_q] from q do est[k][q] := C_q + d − u/2 − C`.
    fn on_round(&mut self, ctx: &mut Ctx<Self>, from: Pid, m: RoundMsg) {
        let half = DEN / 2;
        let est = m.clock + self.params.d as i64 * DEN
            - self.params.u as i64 * half
            - self.clock.read(ctx.clock());
        self.estimates.entry(m.k).or_default().insert(from, est);
    }

    /// `upon C = kP + wait do drop the f largest and f smallest estimates; adj += (min + max)/2`.
    fn on_update(&mut self, ctx: &mut Ctx<Self>, k: u64) {
        let mut est: Vec<i64> = self
            .estimates
            .remove(&k)
            .unwrap_or_default()
            .into_values()
            .collect();
        est.sort_unstable();
        let f = if self.trim { self.params.f } else { 0 };
        if est.len() > 2 * f {
            let kept = &est[f..est.len() - f];
            let mid = (kept[0] + kept[kept.len() - 1]) / 2;
            self.clock.adjust(mid, ctx.clock());
        }
        if k >= self.params.warmup {
            after_correction(ctx, &mut self.clock, Timer::Tick(Tick::Slewed));
        }
        self.at_round_time(ctx, k + 1, 0, Timer::Send(k + 1));
    }
    // ANCHOR_END: round

    /// The two-faced answer, once every correct process's round-k message is in. A process
    /// whose message arrived later (by the liar's own clock) is behind.
    fn lie(&mut self, ctx: &mut Ctx<Self>, from: Pid, m: RoundMsg) {
        let hw = ctx.clock() as i64 * DEN;
        let seen = self.estimates.entry(m.k).or_default();
        seen.insert(from, m.clock - hw);
        if seen.len() < ctx.n() - self.params.f {
            return;
        }
        let seen = seen.clone();
        let lowest = seen.values().copied().min().unwrap_or(0);
        let highest = seen.values().copied().max().unwrap_or(0);
        let far = self.lie_beyond;
        // q estimates a clock sent at `clock` as `clock` + d − u/2 minus its own.
        let half = self.params.d as i64 * DEN - self.params.u as i64 * (DEN / 2);
        for (&q, &ahead) in &seen {
            let clock = if far > 0 {
                let shift = if ahead <= lowest { -far } else { far };
                m.clock + shift - half
            } else {
                // The lowest (highest) correct clock now, as seen through one delay: add the
                // estimated delay back, so that q's estimate lands on it.
                let edge = if ahead <= lowest { lowest } else { highest };
                hw + edge + half
            };
            ctx.send(q, RoundMsg { k: m.k, clock });
        }
    }
}

impl Module for WelchLynch {
    const NAME: &'static str = "cs";
    type Req = ();
    type Ind = ();
    type Msg = RoundMsg;
    type Timer = Timer;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.clock = AdjustedClock::new(DEN);
        self.estimates.clear();
        if self.two_faced {
            return;
        }
        self.at_round_time(ctx, 1, 0, Timer::Send(1));
        self.clock.trace(ctx);
        if self.params.probe > 0 {
            ctx.set_timer(self.params.probe, Timer::Tick(Tick::Probe));
        }
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, _req: ()) {}

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, m: RoundMsg) {
        if self.two_faced {
            return self.lie(ctx, from, m);
        }
        self.on_round(ctx, from, m);
        self.clock.trace(ctx);
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Timer) {
        match timer {
            Timer::Send(k) => self.on_send(ctx, k),
            Timer::Update(k) => self.on_update(ctx, k),
            Timer::Tick(Tick::Slewed) => {
                after_correction(ctx, &mut self.clock, Timer::Tick(Tick::Slewed))
            }
            Timer::Tick(Tick::Probe) => ctx.set_timer(self.params.probe, timer),
        }
        self.clock.trace(ctx);
    }
}

use crate::abstractions::{delays, sync_job, EPS, PROBE};
use catalogue::{Algorithm, InputError, Loaded, Param, Params, Runnable};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "welch-lynch", abstraction: "cs",
    params: &[
        Param::int("period", 400, "P: local ticks between two rounds"),
        Param::int("wait", 0, "local ticks from a round's start to its averaging; 0: P/2"),
        Param::int("warmup", 3, "rounds before a process counts as synchronized"),
        Param::int("two_faced", 0, "how many processes (the highest ids) are two-faced Byzantine clocks (B-10.6)"),
        Param::str("lies", "far", "what the two-faced clocks claim: \"far\" (1000 ticks beyond the correct clocks, outside the trimming window) or \"within\" (the lowest or highest correct clock, inside it)"),
        PROBE,
        EPS,
    ],
    model: "N ≥ 3f + 1, f Byzantine or crashed clocks, drift ρ, delays in [d − u, d]",
    summary: "Welch & Lynch 1988: every period broadcast the clock, drop the f largest and f smallest estimates, move to the midpoint of the rest; ε = β + ε_est + offset/2^warmup with β = 4ε_est + 4ρP̂ (clocks/src/sync/welch_lynch.rs derives it)",
    build: welch_lynch;
};

fn welch_lynch(l: &Loaded, p: &Params) -> Result<Box<dyn Runnable>, InputError> {
    let (d, u, _) = delays(l);
    let n = l.scenario.processes;
    let two_faced = p.int("two_faced") as usize;
    if two_faced >= n {
        return Err(l.error(
            "params.two_faced",
            format!("{two_faced} two-faced processes of {n}: at least one must be correct"),
        ));
    }
    let period = p.int("period").max(1);
    let params = WelchLynchParams {
        f: l.f,
        period,
        wait: match p.int("wait") {
            0 => period / 2,
            w => w,
        },
        d,
        u,
        warmup: p.int("warmup"),
        probe: p.int("probe"),
    };
    let within = match p.str("lies") {
        "far" => false,
        "within" => true,
        other => {
            return Err(l.error(
                "params.lies",
                format!("lies is \"far\" or \"within\", not \"{other}\""),
            ))
        }
    };
    // The initial spread: offsets drawn in [0, offset], and the drift until the first round.
    let clocks = l.scenario.model.clocks;
    let rho = clocks.drift;
    let initial = clocks.offset as f64 + 2.0 * rho * period as f64 / (1.0 - rho);
    let eps = params.precision(rho, initial);
    sync_job(
        l,
        p,
        move |q| match (q >= n - two_faced, within) {
            (false, _) => WelchLynch::new(params),
            (true, false) => WelchLynch::two_faced(params),
            (true, true) => WelchLynch::two_faced_within(params),
        },
        eps,
    )
}
