//! Clocks from synchronous rounds, `round-driven-clock` (book §10.3.3): on a lockstep
//! network of rounds of length `P`, `C_p := r·P + (H_p − H_p at the start of round r)`.
//!
//! The lockstep network announces each round: here a round source (process 0) starts round
//! `r` when its hardware clock has advanced by `r·P`, and its ROUND(r) message is the network's
//! round signal to the others; a process starts round `r` when the signal reaches it. Between
//! round starts each process interpolates with its own hardware clock, so two processes differ
//! by how far apart in real time they started the round (σ, the spread of real round-start
//! times: at most the delay spread `max − min` here) plus what their rates make of a round's
//! length, `2ρP`: precision `σ + 2ρP` (plus two ticks of clock-reading granularity).
//!
//! Model: synchronous (delays in `[min, max]`), no failures of the round source; drifting
//! clocks with any offsets (the offsets cancel: only clock differences are used). Each process
//! records `C_p` (event `adjusted-clock`) at each round start and every `probe` local ticks;
//! [`RoundClockSkew`] measures the skew and σ from those records.

use automata::rounds::{note_done, note_round};
use automata::{
    Ctx, Event, Kind, Layer, Module, Monitor, Pid, RunSummary, Time, TraceEvent, Value, Violation,
};
use std::collections::BTreeMap;
use std::convert::Infallible;

/// Name of the event that records `C_p`.
pub const ADJUSTED: &str = "adjusted-clock";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tick {
    /// At the round source: the next round starts.
    NextRound,
    /// Record the clock.
    Probe,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RoundDrivenClock {
    /// P, the round length.
    period: Time,
    /// How many rounds the run lasts.
    rounds: u64,
    /// Local ticks between two records of the clock.
    probe: Time,
    /// The current round and `H_p` at its start.
    round: Option<(u64, Time)>,
}

impl RoundDrivenClock {
    pub fn new(period: Time, rounds: u64, probe: Time) -> Self {
        RoundDrivenClock {
            period,
            rounds,
            probe,
            round: None,
        }
    }

    // ANCHOR: clock
    /// `C_p = r·P + (H_p − H_p at the start of round r)` (`None` before round 0).
    pub fn adjusted(&self, h: Time) -> Option<Time> {
        self.round.map(|(r, h0)| r * self.period + (h - h0))
    }
    // ANCHOR_END: clock

    fn record(&self, ctx: &mut Ctx<Self>) {
        if let Some(c) = self.adjusted(ctx.clock()) {
            ctx.internal(Event::Other {
                name: ADJUSTED.into(),
                value: Value::Int(c as i64),
            });
        }
    }

    /// Round `r` starts here.
    fn enter(&mut self, ctx: &mut Ctx<Self>, r: u64) {
        self.round = Some((r, ctx.clock()));
        note_round(ctx, r);
        self.record(ctx);
        if r + 1 == self.rounds {
            note_done(ctx, self.rounds);
        }
    }
}

impl Module for RoundDrivenClock {
    const NAME: &'static str = "rdc";
    type Req = Infallible;
    type Ind = Infallible;
    type Msg = u64;
    type Timer = Tick;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        if self.rounds == 0 {
            return;
        }
        if ctx.me() == 0 {
            self.signal(ctx, 0);
        }
        ctx.set_timer(self.probe, Tick::Probe);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: Infallible) {
        match req {}
    }

    /// `upon receiving ROUND(r)`: round r starts.
    fn on_message(&mut self, ctx: &mut Ctx<Self>, _from: Pid, r: u64) {
        if self.round.is_none_or(|(now, _)| r > now) {
            self.enter(ctx, r);
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, t: Tick) {
        let r = self.round.map_or(0, |(r, _)| r);
        match t {
            Tick::NextRound => self.signal(ctx, r + 1),
            Tick::Probe => {
                self.record(ctx);
                if r + 1 < self.rounds || self.round.is_none() {
                    ctx.set_timer(self.probe, Tick::Probe);
                }
            }
        }
    }
}

impl RoundDrivenClock {
    /// The round source signals round `r` to everyone and starts it.
    fn signal(&mut self, ctx: &mut Ctx<Self>, r: u64) {
        let me = ctx.me();
        for q in (0..ctx.n()).filter(|&q| q != me) {
            ctx.send(q, r);
        }
        self.enter(ctx, r);
        if r + 1 < self.rounds {
            ctx.set_timer(self.period, Tick::NextRound);
        }
    }
}

/// Precision of the adjusted clocks (CS1 for this construction): at every record of `C_p` at
/// real time t, `|C_p(t) − C_q(t)| ≤ target` for every q, where `C_q(t)` is q's last record
/// advanced at rate 1 (an error of at most ρ times the time since it, which the target must
/// allow for). Also measures σ, the spread of real round-start times.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RoundClockSkew {
    layer: Layer,
    /// Allowed skew, in thousandths of a tick.
    target_milli: u64,
    last: BTreeMap<Pid, (Time, Time)>,
    starts: BTreeMap<u64, (Time, Time)>,
    /// Largest skew seen.
    pub skew_max: u64,
}

impl RoundClockSkew {
    pub fn new(module: &str, target: f64) -> Self {
        RoundClockSkew {
            layer: Layer::new(module),
            target_milli: (target * 1000.0).floor() as u64,
            last: BTreeMap::new(),
            starts: BTreeMap::new(),
            skew_max: 0,
        }
    }

    /// σ: the largest spread of real round-start times.
    pub fn sigma(&self) -> Time {
        self.starts.values().map(|(a, b)| b - a).max().unwrap_or(0)
    }
}

impl Monitor for RoundClockSkew {
    automata::property!("precision", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if !self.layer.is(&e.module) || e.kind != Kind::Internal {
            return None;
        }
        let Event::Other { name, value } = &e.event else {
            return None;
        };
        match (name.as_ref(), value) {
            (automata::rounds::events::ROUND, Value::Int(r)) => {
                let s = self.starts.entry(*r as u64).or_insert((e.time, e.time));
                s.0 = s.0.min(e.time);
                s.1 = s.1.max(e.time);
                None
            }
            (ADJUSTED, Value::Int(c)) => {
                let c = *c as Time;
                self.last.insert(e.process, (e.time, c));
                let mut worst = 0;
                for (&q, &(tq, cq)) in &self.last {
                    if q != e.process {
                        let estimate = cq + (e.time - tq);
                        worst = worst.max(c.abs_diff(estimate));
                    }
                }
                self.skew_max = self.skew_max.max(worst);
                (worst * 1000 > self.target_milli).then(|| {
                    Violation::at(
                        e,
                        format!(
                            "process {}'s clock is {worst} ticks from another's, more than {:.3}",
                            e.process,
                            self.target_milli as f64 / 1000.0
                        ),
                    )
                })
            }
            _ => None,
        }
    }
    fn measure(&self, _run: &RunSummary) -> Vec<(&'static str, f64)> {
        vec![
            ("skew_max", self.skew_max as f64),
            ("sigma", self.sigma() as f64),
        ]
    }
}
