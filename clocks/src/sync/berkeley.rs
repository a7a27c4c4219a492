//! The Berkeley algorithm `berkeley` (Gusella & Zatti 1989): internal synchronization by a
//! master that averages.
//!
//! Abstraction: clock synchronization, CS1 precision and CS4 monotonicity (internal: no
//! reference to real time). Model: master/slaves, crash-stop slaves (a slave that does not
//! answer within `wait` is left out of the round), every delay in [d_min, d_max], drift ρ
//! small against the period.
//! Algorithm: every `period` local ticks the master polls every slave; a slave answers with
//! its adjusted clock; the master estimates each slave's offset as C_q + RTT/2 − C_master, takes
//! the fault-tolerant average (the mean of the offsets within `tolerance` of their median, its
//! own offset 0 included), and sends each slave its own correction (average − offset), applying
//! the average to itself. Slaves slew backward corrections, so clocks never run backwards.
//! Precision: each offset estimate is off by at most (d_max − d_min)/2, so after a round the
//! clocks that took part are within about d_max − d_min of each other, plus 2ρ·period of drift
//! (Gusella and Zatti give no closed form; the scenarios use that figure as the target).
//! [`Berkeley::stepping`] is the B-10.9 mutant that steps backward corrections (CS4).

use super::{after_correction, Tick};
use crate::physical::AdjustedClock;
use automata::{Ctx, Module, Pid, Time};
use std::collections::BTreeMap;

/// Wire messages (clock values in 1/den ticks, den = 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire {
    /// Master → slave: round number.
    Poll(u64),
    /// Slave → master: round and the slave's adjusted clock.
    Time(u64, i64),
    /// Master → slave: round and the correction to add.
    Adjust(u64, i64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer {
    /// Start the next round.
    Round,
    /// Stop waiting for answers to the current round.
    Collect,
    Tick(Tick),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BerkeleyParams {
    pub master: Pid,
    pub period: Time,
    /// Ticks the master waits for answers (at least the largest round trip).
    pub wait: Time,
    /// Offsets further than this from the median are left out of the average (ticks).
    pub tolerance: Time,
    /// The clock is traced every `probe` local ticks (0: never).
    pub probe: Time,
}

const DEN: i64 = 2;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Berkeley {
    params: BerkeleyParams,
    clock: AdjustedClock,
    stepping: bool,
    round: u64,
    /// The local time the current poll left.
    polled_at: Time,
    /// Offsets estimated this round, in half ticks.
    offsets: BTreeMap<Pid, i64>,
}

impl Berkeley {
    pub fn new(params: BerkeleyParams) -> Self {
        Berkeley {
            params,
            clock: AdjustedClock::new(DEN),
            stepping: false,
            round: 0,
            polled_at: 0,
            offsets: BTreeMap::new(),
        }
    }

    /// B-10.9: backward corrections are stepped, not slewed.
    pub fn stepping(mut self) -> Self {
        self.stepping = true;
        self
    }

    fn fresh_clock(&self) -> AdjustedClock {
        let c = AdjustedClock::new(DEN);
        if self.stepping {
            c.stepping()
        } else {
            c
        }
    }

    fn is_master(&self, ctx: &Ctx<Self>) -> bool {
        ctx.me() == self.params.master
    }

    // ANCHOR: master
    /// `upon timeout (round) do forall slaves q: send [POLL] to q`.
    fn poll(&mut self, ctx: &mut Ctx<Self>) {
        self.round += 1;
        self.polled_at = ctx.clock();
        self.offsets.clear();
        self.offsets.insert(ctx.me(), 0);
        let me = ctx.me();
        for q in ctx.processes().filter(|&q| q != me) {
            ctx.send(q, Wire::Poll(self.round));
        }
        ctx.set_timer(self.params.wait, Timer::Collect);
        ctx.set_timer(self.params.period, Timer::Round);
    }

    /// `upon receiving [TIME, C_q] from q do offset[q] := C_q + RTT/2 − C`.
    fn on_time(&mut self, ctx: &mut Ctx<Self>, q: Pid, round: u64, c_q: i64) {
        if round != self.round {
            return;
        }
        let rtt = (ctx.clock() - self.polled_at) as i64;
        let me = self.clock.read(ctx.clock());
        // In half ticks: C_q + RTT/2 − C_master.
        self.offsets.insert(q, c_q + rtt - me);
    }

    /// `upon timeout (collect) do avg := fault-tolerant average of offsets; forall q: send
    /// [ADJUST, avg − offset[q]] to q; C := C + avg`.
    fn collect(&mut self, ctx: &mut Ctx<Self>) {
        let mut sorted: Vec<i64> = self.offsets.values().copied().collect();
        sorted.sort_unstable();
        let median = sorted[sorted.len() / 2];
        let tol = self.params.tolerance as i64 * DEN;
        let kept: Vec<i64> = sorted
            .iter()
            .copied()
            .filter(|o| (o - median).abs() <= tol)
            .collect();
        let avg = kept.iter().sum::<i64>() / kept.len() as i64;
        let me = ctx.me();
        for (&q, &o) in &self.offsets {
            if q != me {
                ctx.send(q, Wire::Adjust(self.round, avg - o));
            }
        }
        self.correct(ctx, avg);
    }
    // ANCHOR_END: master

    fn correct(&mut self, ctx: &mut Ctx<Self>, delta: i64) {
        self.clock.adjust(delta, ctx.clock());
        after_correction(ctx, &mut self.clock, Timer::Tick(Tick::Slewed));
    }
}

impl Module for Berkeley {
    const NAME: &'static str = "cs";
    type Req = ();
    type Ind = ();
    type Msg = Wire;
    type Timer = Timer;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.clock = self.fresh_clock();
        if self.is_master(ctx) {
            self.poll(ctx);
        }
        self.clock.trace(ctx);
        if self.params.probe > 0 {
            ctx.set_timer(self.params.probe, Timer::Tick(Tick::Probe));
        }
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, _req: ()) {}

    // ANCHOR: slave
    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Wire) {
        match msg {
            // Slave: `upon receiving [POLL] from the master do send [TIME, C] to the master`.
            Wire::Poll(r) => {
                let c = self.clock.read(ctx.clock());
                ctx.send(from, Wire::Time(r, c));
            }
            Wire::Time(r, c) if self.is_master(ctx) => self.on_time(ctx, from, r, c),
            Wire::Time(..) => {}
            // Slave: `upon receiving [ADJUST, δ] do C := C + δ` (slewed if δ < 0).
            Wire::Adjust(_, delta) => self.correct(ctx, delta),
        }
        self.clock.trace(ctx);
    }
    // ANCHOR_END: slave

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Timer) {
        match timer {
            Timer::Round => self.poll(ctx),
            Timer::Collect => self.collect(ctx),
            Timer::Tick(Tick::Slewed) => {
                after_correction(ctx, &mut self.clock, Timer::Tick(Tick::Slewed))
            }
            Timer::Tick(Tick::Probe) => ctx.set_timer(self.params.probe, timer),
        }
        self.clock.trace(ctx);
    }
}

use crate::abstractions::{delays, sync_job, BERKELEY_PARAMS};
use catalogue::{Algorithm, InputError, Loaded, Params, Runnable};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "berkeley", abstraction: "cs", params: BERKELEY_PARAMS,
    model: "master/slaves (the master is process 0), delays in [d_min, d], small drift",
    summary: "Gusella & Zatti 1989: the master polls, averages the offsets within a tolerance of their median, sends each its correction; slaves slew; ε = d − d_min + 2ρ·period",
    build: |l, p| berkeley(l, p, false);

    id: "berkeley-stepping", abstraction: "cs", params: BERKELEY_PARAMS, mutant: true,
    model: "as berkeley",
    summary: "MUTANT: Berkeley that steps backward corrections instead of slewing them (B-10.9)",
    build: |l, p| berkeley(l, p, true);
};

fn berkeley(l: &Loaded, p: &Params, stepping: bool) -> Result<Box<dyn Runnable>, InputError> {
    let (d, _, d_min) = delays(l);
    let params = BerkeleyParams {
        master: 0,
        period: p.int("period").max(1),
        wait: match p.int("wait") {
            0 => 2 * d + 2,
            w => w,
        },
        tolerance: p.int("tolerance"),
        probe: p.int("probe"),
    };
    let rho = l.scenario.model.clocks.drift;
    let eps = (d - d_min) as f64 + 2.0 * rho * params.period as f64;
    sync_job(
        l,
        p,
        move |_| {
            let b = Berkeley::new(params);
            if stepping {
                b.stepping()
            } else {
                b
            }
        },
        eps,
    )
}
