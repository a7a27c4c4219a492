//! A speed baseline: the simulator against a bare event loop on the same flooding workload.
//!
//! The workload: `n` processes each run a [`Flood`] module. Process `p` starts one token at
//! `Init` carrying a hop budget; every delivery forwards the token to a random other process
//! until its budget is spent. The budgets add up to `deliveries`, so the run makes exactly that
//! many deliveries whatever the seed. The simulator runs it synchronously, delays uniform in
//! `[1, 10]`, with the trace off and no monitors.
//!
//! The baseline, [`bare_flood`], is the least an event loop can do for the same work: a std
//! `BinaryHeap` of `(time, seq, destination, hops left)` popped and pushed, destinations and
//! delays drawn from a ChaCha8 stream in the same order as the simulator draws them.
//! [`flood_report`] times both (best of 3) and gives the ratio; `ioa bench` prints it for
//! n = 10, 100 and 10,000 beside its other figures, `cargo bench -p automata --bench flood`
//! before its criterion measurements.

use crate::model::SystemModel;
use crate::monitor::Monitors;
use crate::sim::Sim;
use crate::world::Setup;
use crate::{Ctx, Module, Pid, Time};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::convert::Infallible;
use std::fmt;
use std::time::{Duration, Instant};

/// The flooding module: forwards each token it receives to a random other process while the
/// token has hops left.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Flood {
    /// Hop budget of the token this process starts at `Init` (0: it starts none).
    pub start: u64,
}

impl Flood {
    /// A random process other than this one: `(me + 1 + choose(n - 1)) % n`.
    fn next(ctx: &mut Ctx<Self>) -> Pid {
        let n = ctx.n();
        (ctx.me() + 1 + ctx.choose(n - 1)) % n
    }
}

impl Module for Flood {
    const NAME: &'static str = "flood";
    type Req = ();
    type Ind = ();
    /// Hops the token has left after this delivery.
    type Msg = u64;
    type Timer = Infallible;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        if self.start > 0 {
            let to = Self::next(ctx);
            ctx.send(to, self.start - 1);
        }
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, _req: ()) {}

    fn on_message(&mut self, ctx: &mut Ctx<Self>, _from: Pid, left: u64) {
        if left > 0 {
            let to = Self::next(ctx);
            ctx.send(to, left - 1);
        }
    }
}

/// Hop budget of process `p`'s token: `deliveries` split as evenly as possible over `n`.
fn budget(n: usize, deliveries: u64, p: Pid) -> u64 {
    let n = n as u64;
    deliveries / n + u64::from((p as u64) < deliveries % n)
}

/// Runs the flood in the simulator; returns the number of deliveries.
pub fn sim_flood(n: usize, deliveries: u64, seed: u64) -> u64 {
    assert!(n >= 2, "a flood needs at least two processes");
    let setup = Setup::new(n, SystemModel::default(), move |p| Flood {
        start: budget(n, deliveries, p),
    });
    let outcome = Sim::new(setup, Monitors::default())
        .seed(seed)
        .record(false)
        .max_time(Time::MAX)
        .run();
    outcome.stats.messages_delivered
}

/// The same flood as a bare event loop; returns the number of deliveries.
pub fn bare_flood(n: usize, deliveries: u64, seed: u64) -> u64 {
    assert!(n >= 2, "a flood needs at least two processes");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Drawn as `Ctx::choose` and the synchronous network draw them.
    let send = |rng: &mut ChaCha8Rng, me: usize| {
        let k = if n - 1 <= 1 {
            0
        } else {
            rng.random_range(0..(n - 1) as u64) as usize
        };
        let to = (me + 1 + k) % n;
        let delay: Time = rng.random_range(1..=10);
        (to, delay)
    };
    let mut queue: BinaryHeap<Reverse<(Time, u64, usize, u64)>> = BinaryHeap::new();
    let mut seq = 0;
    for p in 0..n {
        let start = budget(n, deliveries, p);
        if start > 0 {
            let (to, delay) = send(&mut rng, p);
            queue.push(Reverse((delay, seq, to, start - 1)));
            seq += 1;
        }
    }
    let mut delivered = 0;
    while let Some(Reverse((now, _, me, left))) = queue.pop() {
        delivered += 1;
        if left > 0 {
            let (to, delay) = send(&mut rng, me);
            queue.push(Reverse((now + delay, seq, to, left - 1)));
            seq += 1;
        }
    }
    delivered
}

/// Both loops timed on the same flood.
#[derive(Clone, Debug)]
pub struct FloodReport {
    pub n: usize,
    pub deliveries: u64,
    pub seed: u64,
    /// Deliveries each loop made (equal, or the comparison is void).
    pub sim_delivered: u64,
    pub bare_delivered: u64,
    /// Wall time of every repetition, in run order.
    pub sim_times: Vec<Duration>,
    pub bare_times: Vec<Duration>,
}

fn best(times: &[Duration]) -> Duration {
    times.iter().copied().min().unwrap_or_default()
}

fn rate(deliveries: u64, time: Duration) -> f64 {
    deliveries as f64 / time.as_secs_f64().max(1e-12)
}

/// Slowest over fastest repetition: 1.0 means no noise.
fn spread(times: &[Duration]) -> f64 {
    let max = times.iter().copied().max().unwrap_or_default();
    max.as_secs_f64() / best(times).as_secs_f64().max(1e-12)
}

impl FloodReport {
    /// Whether both loops made the same number of deliveries (and as many as asked).
    pub fn same_work(&self) -> bool {
        self.sim_delivered == self.bare_delivered && self.sim_delivered == self.deliveries
    }

    /// Deliveries per second of the simulator (best repetition).
    pub fn sim_rate(&self) -> f64 {
        rate(self.sim_delivered, best(&self.sim_times))
    }

    /// Deliveries per second of the bare loop (best repetition).
    pub fn bare_rate(&self) -> f64 {
        rate(self.bare_delivered, best(&self.bare_times))
    }

    /// Simulator speed as a fraction of the bare loop's.
    pub fn ratio(&self) -> f64 {
        self.sim_rate() / self.bare_rate()
    }
}

impl fmt::Display for FloodReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "flood: n = {}, {} deliveries, seed {}{}",
            self.n,
            self.deliveries,
            self.seed,
            if self.same_work() {
                ""
            } else {
                " (LOOPS DISAGREE)"
            }
        )?;
        writeln!(
            f,
            "{:<10} {:>12} {:>12} {:>14} {:>8}",
            "loop", "deliveries", "best ms", "deliveries/s", "spread"
        )?;
        for (name, done, times) in [
            ("simulator", self.sim_delivered, &self.sim_times),
            ("bare", self.bare_delivered, &self.bare_times),
        ] {
            writeln!(
                f,
                "{:<10} {:>12} {:>12.2} {:>14.0} {:>8.2}",
                name,
                done,
                best(times).as_secs_f64() * 1e3,
                rate(done, best(times)),
                spread(times)
            )?;
        }
        write!(f, "simulator / bare = {:.3}", self.ratio())
    }
}

/// Times the simulator and the bare loop on the same flood, best of 3 repetitions each
/// (interleaved, so both see the same machine load).
pub fn flood_report(n: usize, deliveries: u64, seed: u64) -> FloodReport {
    let mut report = FloodReport {
        n,
        deliveries,
        seed,
        sim_delivered: 0,
        bare_delivered: 0,
        sim_times: Vec::new(),
        bare_times: Vec::new(),
    };
    for _ in 0..3 {
        let t = Instant::now();
        report.sim_delivered = std::hint::black_box(sim_flood(n, deliveries, seed));
        report.sim_times.push(t.elapsed());
        let t = Instant::now();
        report.bare_delivered = std::hint::black_box(bare_flood(n, deliveries, seed));
        report.bare_times.push(t.elapsed());
    }
    assert!(
        report.same_work(),
        "the loops did different work:\n{report}"
    );
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_loops_do_the_same_deliveries() {
        assert_eq!(sim_flood(4, 1000, 7), 1000);
        assert_eq!(bare_flood(4, 1000, 7), 1000);
        let report = flood_report(4, 1000, 7);
        assert!(report.same_work(), "{report}");
        assert_eq!(report.sim_times.len(), 3);
    }

    #[test]
    fn budgets_add_up() {
        for (n, d) in [(2, 0), (3, 1), (4, 1000), (7, 100)] {
            assert_eq!((0..n).map(|p| budget(n, d, p)).sum::<u64>(), d);
        }
        assert_eq!(bare_flood(2, 5, 1), 5);
        assert_eq!(sim_flood(2, 5, 1), 5);
    }
}
