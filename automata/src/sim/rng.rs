//! The run's randomness: one ChaCha8 stream per run, and the clocks drawn from the seed.

use crate::context::Chooser;
use crate::world::Clock;
use crate::Time;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The run's random stream: the network's choices and the modules' `ctx.choose`.
pub struct SimRng(pub ChaCha8Rng);

impl SimRng {
    pub fn seeded(seed: u64) -> Self {
        SimRng(ChaCha8Rng::seed_from_u64(seed))
    }

    pub(super) fn between(&mut self, lo: Time, hi: Time) -> Time {
        if lo >= hi {
            lo
        } else {
            self.0.random_range(lo..=hi)
        }
    }

    pub(super) fn exponential(&mut self, mean: f64) -> Time {
        let u: f64 = self.0.random();
        (-mean * (1.0 - u).ln()).round() as Time
    }
}

impl Chooser for SimRng {
    fn choose(&mut self, n: usize) -> usize {
        self.0.random_range(0..n as u64) as usize
    }
    fn coin(&mut self, p: f64) -> bool {
        self.0.random_bool(p.clamp(0.0, 1.0))
    }
    fn unit(&mut self) -> f64 {
        self.0.random()
    }
}

/// Draws each process's hardware clock from the model's drift and offset bounds.
pub fn draw_clocks(n: usize, drift: f64, offset: Time, seed: u64) -> Vec<Clock> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xC10C_C10C_C10C_C10C);
    (0..n)
        .map(|_| Clock {
            rate: if drift > 0.0 {
                1.0 + rng.random_range(-drift..=drift)
            } else {
                1.0
            },
            offset: if offset > 0 {
                rng.random_range(0..=offset)
            } else {
                0
            },
        })
        .collect()
}
