//! Chapter 6, probabilistic broadcast, for the catalogue: the abstraction `pb` and what theory
//! predicts for the epidemic results (C.1-C.3); each algorithm's entry, at the end of its file,
//! gives its job that prediction, so `ioa sweep` prints it next to the measurement.

use crate::abstractions::{NO_CREATION, NO_DUP};
use crate::probabilistic::monitors::GossipStats;
use catalogue::{Abstraction, PropertyDef};

const PB1: PropertyDef = PropertyDef::new("probabilistic-validity", "L", |m| {
    Box::new(GossipStats::new(m))
});

pub const ABSTRACTIONS: &[Abstraction] = &[Abstraction {
    id: "pb",
    name: "probabilistic broadcast",
    requests: "broadcast",
    properties: &[PB1, NO_DUP, NO_CREATION],
}];

/// The residue s of push rumor mongering with loss of interest 1/k: the non-trivial solution
/// of s = e^{−(k+1)(1−s)} (fixed-point iteration from 0 converges to it).
pub fn residue(k: f64) -> f64 {
    let mut s = 0.0;
    for _ in 0..1000 {
        s = (-(k + 1.0) * (1.0 - s)).exp();
    }
    s
}
