//! Physical time as the processes see it (book §10.2): hardware clocks H_p come from the
//! environment (`ctx.clock()`, drawn from `[model.clocks] drift, offset`); a synchronization
//! algorithm keeps an adjusted clock C_p = H_p + adj_p ([`AdjustedClock`]) and traces every
//! reading it takes, so the monitors ([`monitors`]) can reconstruct every correct process's
//! C_p at any event time and judge CS1 precision and CS4 monotonicity.
//!
//! [`FreeRunning`] is the baseline without synchronization (B-10.4).

pub mod accuracy;
pub mod monitors;
pub mod readings;

catalogue::algorithms! {
    mod free_running;
}

pub use accuracy::CristianBound;
pub use free_running::FreeRunning;
pub use monitors::{Monotonicity, Precision};

use automata::{Ctx, Event, Module, Time, Value};

/// The adjusted clock C_p = H_p + adj_p of one process, with adj_p = `num / den` ticks.
///
/// Corrections forward are applied at once (a clock may jump ahead); corrections backward are
/// amortized ("slewed"): from the moment of the correction the clock runs at half speed until
/// the correction is absorbed, so C_p never decreases (CS4). [`AdjustedClock::stepping`] builds
/// the B-10.9 mutant that applies backward corrections at once.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AdjustedClock {
    num: i64,
    den: i64,
    /// A backward correction being slewed, in 1/den ticks (≤ 0), since H_p = `slew_from`.
    pending: i64,
    slew_from: Time,
    synced: bool,
    slew: bool,
}

impl AdjustedClock {
    /// adj_p = 0, measured in units of 1/`den` ticks.
    pub fn new(den: i64) -> Self {
        AdjustedClock {
            num: 0,
            den: den.max(1),
            pending: 0,
            slew_from: 0,
            synced: false,
            slew: true,
        }
    }

    /// The B-10.9 mutant: backward corrections are stepped, not slewed.
    pub fn stepping(mut self) -> Self {
        self.slew = false;
        self
    }

    /// The unit of adj_p: 1/den ticks.
    pub fn den(&self) -> i64 {
        self.den
    }

    /// The part of the pending correction absorbed by the time H_p = `hw` (≤ 0).
    fn absorbed(&self, hw: Time) -> i64 {
        let elapsed = hw.saturating_sub(self.slew_from) as i64;
        -(elapsed * self.den / 2).min(-self.pending)
    }

    /// adj_p when H_p = `hw`, in 1/den ticks.
    pub fn adj(&self, hw: Time) -> i64 {
        self.num + self.absorbed(hw)
    }

    /// C_p, in 1/den ticks, when the hardware clock reads `hw`.
    pub fn read(&self, hw: Time) -> i64 {
        hw as i64 * self.den + self.adj(hw)
    }

    // ANCHOR: adjust
    /// Adds `delta` (in 1/den ticks) to adj_p when H_p = `hw`: at once forward, slewed backward.
    pub fn adjust(&mut self, delta: i64, hw: Time) {
        if !self.slew {
            self.num += delta;
            return;
        }
        let absorbed = self.absorbed(hw);
        self.num += absorbed;
        let total = self.pending - absorbed + delta;
        if total >= 0 {
            self.num += total;
            self.pending = 0;
        } else {
            self.pending = total;
            self.slew_from = hw;
        }
    }
    // ANCHOR_END: adjust

    /// Local ticks until a pending backward correction is absorbed (0: none pending).
    pub fn slew_left(&self, hw: Time) -> Time {
        let left = -self.pending + self.absorbed(hw);
        (2 * left + self.den - 1).div_euclid(self.den).max(0) as Time
    }

    /// From now on the monitors judge this clock (the first synchronization is complete).
    pub fn mark_synced(&mut self) {
        self.synced = true;
    }

    pub fn synced(&self) -> bool {
        self.synced
    }

    /// Traces the reading `[H_p, adj num, adj den, synced]` as `Event::Other { name: "clock" }`.
    pub fn trace<M: Module>(&self, ctx: &mut Ctx<M>) {
        let hw = ctx.clock();
        ctx.internal(Event::Other {
            name: "clock".into(),
            value: Value::List(vec![
                Value::Int(hw as i64),
                Value::Int(self.adj(hw)),
                Value::Int(self.den),
                Value::Int(i64::from(self.synced)),
            ]),
        });
    }
}
