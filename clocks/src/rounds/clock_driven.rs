//! Rounds from synchronized clocks, `clock-driven-rounds` (book §10.3.1; Lynch ch. 24's
//! simulation of the synchronous model in a timed one).
//!
//! Round `r` runs while the process's clock reads `[T0 + rP, T0 + (r+1)P)`: when the clock
//! reaches `T0 + rP` the process ends round `r − 1` (the round algorithm's transition on what
//! it received for that round) and sends its round-`r` messages, each tagged with `r`. A
//! message tagged with a later round is buffered until that round; one tagged with an earlier
//! round arrived too late and is dropped (the SR1 round-integrity monitor reports it). The
//! construction waits for nobody, so crashes are tolerated.
//!
//! **Synchronized clocks.** The clocks are the model's hardware clocks `H_p` (`[model.clocks]
//! drift = ρ, offset`): the environment provides them already synchronized, with offsets in
//! `[0, offset]` and rates in `[1 − ρ, 1 + ρ]`, so over a run of real length `T` their
//! precision is `ε = offset + 2ρT` ([`precision`]). A clock-synchronization algorithm of
//! chapter 10 would provide the same guarantee with its own ε; taking the environment's clocks
//! keeps this construction independent of any one of them.
//!
//! **Round length.** When `p` starts round `r`, `q`'s clock reads at most `T0 + rP + ε` (plus
//! the tick granularity). `p`'s message arrives within real time `d`, during which `q`'s clock
//! advances at most `(1+ρ)d`; it is in time if it arrives before `q`'s clock reaches
//! `T0 + (r+1)P`. Hence `P ≥ (1+ρ)d + ε`. In integer ticks a clock is read with `floor` and a
//! timer fires at the first tick at which the clock has reached its target, which adds up to
//! `2 + ρ` ticks: [`min_period`] is `⌈(1+ρ)d + ε + ρ⌉ + 2`. Below it round integrity fails
//! (B-10.8, C.19).
//!
//! **Model.** Delays at most `d` once rounds run: synchronous, or partially synchronous with
//! round 0 after GST ([`start_after`]). Crash-stop failures.

use automata::rounds::{
    note_done, note_receive, note_round, note_send, RoundAlgorithm, RoundOutput,
};
use automata::{Ctx, Module, Pid, SystemModel, Time};
use std::convert::Infallible;

/// The precision ε of the model's hardware clocks over a run of real length `horizon`.
pub fn precision(model: &SystemModel, horizon: Time) -> f64 {
    model.clocks.offset as f64 + 2.0 * model.clocks.drift * horizon as f64
}

/// The threshold `(1+ρ)d + ε` of the round length, in real numbers (no tick granularity).
pub fn threshold(model: &SystemModel, horizon: Time) -> f64 {
    (1.0 + model.clocks.drift) * model.delay.max as f64 + precision(model, horizon)
}

/// The shortest safe round length in ticks: `⌈(1+ρ)d + ε + ρ⌉ + 2`.
pub fn min_period(model: &SystemModel, horizon: Time) -> Time {
    (threshold(model, horizon) + model.clocks.drift).ceil() as Time + 2
}

/// A local start time `T0` at which every process's clock reads `T0` only after GST (and
/// after one spare round, so a fault plan can act before round 0).
pub fn start_after(model: &SystemModel, period: Time) -> Time {
    let gst = model.stabilization();
    let gst = if gst == Time::MAX { 0 } else { gst };
    ((1.0 + model.clocks.drift) * gst as f64).ceil() as Time + model.clocks.offset + period
}

/// The timer: the clock has reached `T0 + rP`, the start of round `r`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoundStart(pub u64);

/// `clock-driven-rounds` running the round algorithm `A`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClockDrivenRounds<A: RoundAlgorithm> {
    pub alg: A,
    /// P, the round length in local ticks.
    period: Time,
    /// T0, the local time at which round 0 starts.
    start: Time,
    /// The next round to start; round `next − 1` is running (none before `T0`).
    next: u64,
    /// Messages received for the current and later rounds: (round, from, message).
    inbox: Vec<(u64, Pid, A::Msg)>,
}

impl<A: RoundAlgorithm> ClockDrivenRounds<A> {
    pub fn new(alg: A, period: Time, start: Time) -> Self {
        ClockDrivenRounds {
            alg,
            period,
            start,
            next: 0,
            inbox: Vec::new(),
        }
    }

    /// The local time at which round `r` starts.
    pub fn round_start(&self, r: u64) -> Time {
        self.start + r * self.period
    }

    fn wait_for(&self, ctx: &mut Ctx<Self>, r: u64) {
        let after = self.round_start(r).saturating_sub(ctx.clock());
        ctx.set_timer(after, RoundStart(r));
    }

    /// End of round `r`: the transition on what arrived for it.
    fn end_round(&mut self, ctx: &mut Ctx<Self>, r: u64) {
        let mut received: Vec<(Pid, A::Msg)> = self
            .inbox
            .iter()
            .filter(|(round, _, _)| *round == r)
            .map(|(_, p, m)| (*p, m.clone()))
            .collect();
        received.sort();
        self.inbox.retain(|(round, _, _)| *round > r);
        if let Some(out) = self.alg.transition(ctx.me(), ctx.n(), r, &received) {
            ctx.indicate(RoundOutput(out));
        }
    }
}

impl<A: RoundAlgorithm> Module for ClockDrivenRounds<A> {
    const NAME: &'static str = "sr";
    type Req = Infallible;
    type Ind = RoundOutput<A::Output>;
    type Msg = (u64, A::Msg);
    type Timer = RoundStart;

    /// `upon ⟨ Init ⟩`: wait until the clock reads `T0`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        if let Some(e) = self.alg.start_event() {
            ctx.internal(e);
        }
        if self.alg.rounds() > 0 {
            self.wait_for(ctx, 0);
        }
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: Infallible) {
        match req {}
    }

    // ANCHOR: rounds
    /// `upon receiving (r, m) from q`: keep it for round `r`, unless round `r` is over.
    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, (r, m): (u64, A::Msg)) {
        note_receive(ctx, from, r);
        if r + 1 >= self.next {
            self.inbox.push((r, from, m));
        }
    }

    /// `upon clock = T0 + rP`: end round `r − 1`, start round `r`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, RoundStart(r): RoundStart) {
        if r != self.next {
            return;
        }
        if r > 0 {
            self.end_round(ctx, r - 1);
        }
        self.next = r + 1;
        if r == self.alg.rounds() {
            note_done(ctx, r);
            return;
        }
        note_round(ctx, r);
        for (to, m) in self.alg.messages(ctx.me(), ctx.n(), r) {
            note_send(ctx, to, r);
            ctx.send(to, (r, m));
        }
        self.wait_for(ctx, r + 1);
    }
    // ANCHOR_END: rounds
}
