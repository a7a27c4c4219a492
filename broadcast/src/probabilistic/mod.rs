//! Probabilistic broadcast `pb` (CGR Module 3.7) and the epidemic results it reproduces
//! (book §6.6, C.1-C.3).
//!
//! | algorithm (id) | file | what it shows |
//! |---|---|---|
//! | Eager Probabilistic Broadcast (`eager-probabilistic-broadcast`), CGR Alg. 3.9, and its infect-and-die mode | [`eager`] | C.1: with mean fanout ln n + c, P(everyone delivers) → exp(−e^{−c}) |
//! | push rumor mongering with feedback (`rumor-mongering`), Demers et al. 1987 | [`rumor`] | C.2: the residue s solves s = e^{−(k+1)(1−s)} |
//! | push gossip (`push-gossip`), Frieze-Grimmett, Pittel | [`push`] | C.3: log₂ n + ln n rounds to inform everyone |
//! | Lazy Probabilistic Broadcast (`lazy-probabilistic-broadcast`), CGR Alg. 3.10-3.11 | [`lazy`] | gossip plus recovery of lost messages from a random α of the processes that stored them |
//!
//! All of them gossip over the network itself (fair-loss links): gossip tolerates loss by
//! redundancy, not retransmission. Random targets come from the context (`ctx.choose`,
//! `ctx.coin`), so runs are reproducible from the seed and the model checker branches on
//! every choice. [`monitors`] measures what the results are about: `all_delivered`,
//! `delivered_fraction`, `residue` and `rounds`.

pub mod abstractions;
pub mod monitors;

catalogue::algorithms! {
    pub mod eager;
    pub mod lazy;
    pub mod rumor;
    pub mod push;
}

pub use eager::{EagerProbabilisticBroadcast, Gossip, Mode};
pub use lazy::{LazyParams, LazyProbabilisticBroadcast};
pub use push::PushGossip;
pub use rumor::RumorMongering;

use automata::{Ctx, Module, Pid};

/// Up to `k` distinct processes other than this one, uniformly at random (Floyd's sampling
/// over the other n − 1 processes, drawing only through the context).
pub fn targets<M: Module>(ctx: &mut Ctx<M>, k: usize) -> Vec<Pid> {
    let me = ctx.me();
    let others = ctx.n() - 1;
    let k = k.min(others);
    let mut chosen: Vec<usize> = Vec::with_capacity(k);
    for j in others - k..others {
        let t = ctx.choose(j + 1);
        let pick = if chosen.contains(&t) { j } else { t };
        chosen.push(pick);
    }
    chosen
        .into_iter()
        .map(|i| if i >= me { i + 1 } else { i })
        .collect()
}

/// One process other than this one, uniformly at random: `targets(ctx, 1)`, drawing the same,
/// without the vector (push gossip calls it once a round at every informed process).
pub fn target<M: Module>(ctx: &mut Ctx<M>) -> Option<Pid> {
    let me = ctx.me();
    let others = ctx.n() - 1;
    if others == 0 {
        return None;
    }
    let t = ctx.choose(others);
    Some(if t >= me { t + 1 } else { t })
}

/// A fanout with mean exactly `mean`, drawn by randomized rounding: ⌊mean⌋, plus one with
/// probability equal to the fractional part (never a rounded integer, which biases C.1).
pub fn fanout<M: Module>(ctx: &mut Ctx<M>, mean: f64) -> usize {
    let mean = mean.max(0.0);
    let base = mean.floor();
    base as usize + usize::from(ctx.coin(mean - base))
}
