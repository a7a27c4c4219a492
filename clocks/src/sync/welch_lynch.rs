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
//! Precision: the midpoint roughly halves the spread of correct clocks each round and adds the
//! estimate error, converging to about 4ε + 4ρP = 2u + 4ρP (the catalogue's figure and the
//! scenarios' target). Its inductive step, clocks within 2u before a round stay within 2u after
//! it, is model-checked on every delay of a small instance (tests/sync_model_checking.rs);
//! from a wider spread one round is not enough (n = 4, u = 2, spread 6: 4.5 after round 1). With N ≤ 3f a two-faced clock can tell each correct
//! process a value on its own side, and the correct clocks stop converging (B-10.6).
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

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WelchLynch {
    params: WelchLynchParams,
    clock: AdjustedClock,
    /// Estimated offsets of round k, per sender (1/8 ticks).
    estimates: BTreeMap<u64, BTreeMap<Pid, i64>>,
    /// A two-faced Byzantine process (B-10.6), not the algorithm.
    two_faced: bool,
}

impl WelchLynch {
    pub fn new(params: WelchLynchParams) -> Self {
        WelchLynch {
            params,
            clock: AdjustedClock::new(DEN),
            estimates: BTreeMap::new(),
            two_faced: false,
        }
    }

    /// A two-faced faulty process (B-10.6): it answers each correct process's round message
    /// with a clock far on that process's own side of the others (below the lowest correct
    /// clock it has seen for the lowest, above for the others), keeping every correct clock
    /// where it is. It does not trace a clock: it is not one of the correct processes.
    pub fn two_faced(params: WelchLynchParams) -> Self {
        WelchLynch {
            two_faced: true,
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
        let f = self.params.f;
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

    /// The two-faced answer, once every correct process's round-k message is in. A process
    /// whose message arrived later (by the liar's own clock) is behind.
    fn lie(&mut self, ctx: &mut Ctx<Self>, from: Pid, m: RoundMsg) {
        let hw = ctx.clock() as i64 * DEN;
        let seen = self.estimates.entry(m.k).or_default();
        seen.insert(from, m.clock - hw);
        if seen.len() < ctx.n() - 1 {
            return;
        }
        let seen = seen.clone();
        let lowest = seen.values().copied().min().unwrap_or(0);
        let far = 1_000 * DEN;
        for (&q, &ahead) in &seen {
            let shift = if ahead <= lowest { -far } else { far };
            // q estimates a clock sent at `clock` as `clock` + d − u/2 minus its own.
            let clock =
                m.clock + shift - self.params.d as i64 * DEN + self.params.u as i64 * (DEN / 2);
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
