//! Chapter 6, probabilistic broadcast: gossip and the epidemic results it reproduces (C.1-C.3).
//! Each job carries what theory predicts, so `ioa sweep` prints it next to the measurement.

use crate::catalogue::{broadcast, NO_CREATION, NO_DUP};
use crate::probabilistic::monitors::GossipStats;
use crate::probabilistic::{
    EagerProbabilisticBroadcast, LazyParams, LazyProbabilisticBroadcast, Mode, PushGossip,
    RumorMongering,
};
use ::catalogue::{job_predicting, Abstraction, Algorithm, Default, Param, PropertyDef};
use automata::Value;
use std::collections::BTreeMap;

const PB1: PropertyDef = PropertyDef {
    id: "probabilistic-validity",
    kind: "L",
    make: |m| Box::new(GossipStats::new(m)),
};

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

pub const ALGORITHMS: &[Algorithm] = &[
    Algorithm {
        id: "eager-probabilistic-broadcast",
        abstraction: "pb",
        model: "crash-stop, fair-loss network",
        summary: "Eager Probabilistic Broadcast (CGR 3.9): gossip to k random processes for R rounds; mode \"infect-and-die\" forwards once with mean fanout (C.1)",
        params: &[
            Param {
                name: "mode",
                default: Default::Str("infect-and-die"),
                doc: "\"rounds\" (the book: forward every copy while r > 1) or \"infect-and-die\" (forward once, on first receipt)",
            },
            Param {
                name: "fanout",
                default: Default::Float(0.0),
                doc: "mean fanout k (randomized rounding); 0 means ln n + c",
            },
            Param {
                name: "c",
                default: Default::Float(0.0),
                doc: "the c of fanout ln n + c (C.1 predicts P(all deliver) = exp(-e^-c))",
            },
            Param {
                name: "rounds",
                default: Default::Int(3),
                doc: "R, the rounds a gossip lives (mode \"rounds\")",
            },
        ],
        mutant: false,
        build: |l, p| {
            let n = l.scenario.processes as f64;
            let c = p.float("c");
            let automatic = p.float("fanout") <= 0.0;
            let k = if automatic { n.ln() + c } else { p.float("fanout") };
            let mode = match p.str("mode") {
                "rounds" => Mode::Rounds {
                    k,
                    rounds: p.int("rounds") as u32,
                },
                "infect-and-die" => Mode::InfectAndDie { fanout: k },
                other => {
                    return Err(l.error(
                        "params.mode",
                        format!("mode is \"rounds\" or \"infect-and-die\", not \"{other}\""),
                    ))
                }
            };
            let mut predicted = BTreeMap::new();
            if automatic && matches!(mode, Mode::InfectAndDie { .. }) {
                predicted.insert("all_delivered".to_string(), (-(-c).exp()).exp());
            }
            job_predicting(
                l,
                p,
                move |_| EagerProbabilisticBroadcast::<Value>::new(mode),
                broadcast,
                predicted,
            )
        },
    },
    Algorithm {
        id: "lazy-probabilistic-broadcast",
        abstraction: "pb",
        model: "crash-stop, fair-loss network",
        summary: "Lazy Probabilistic Broadcast (CGR 3.10-3.11): gossip in rounds, each process stores a message with probability alpha, a gap in a sender's numbers is repaired by asking (by gossip) for the missing message, given up after a timeout",
        params: &[
            Param {
                name: "fanout",
                default: Default::Float(3.0),
                doc: "k: mean fanout of every gossip (randomized rounding)",
            },
            Param {
                name: "rounds",
                default: Default::Int(3),
                doc: "R: rounds of the first dissemination; a request is forwarded at most R - 1 times",
            },
            Param {
                name: "alpha",
                default: Default::Float(0.3),
                doc: "probability that a process stores a message it received, to answer requests",
            },
            Param {
                name: "timeout",
                default: Default::Int(50),
                doc: "ticks a process waits for a missing message before giving up on it",
            },
        ],
        mutant: false,
        build: |l, p| {
            let params = LazyParams {
                k: p.float("fanout"),
                rounds: p.int("rounds") as u32,
                alpha: p.float("alpha"),
                timeout: p.int("timeout"),
            };
            if !(0.0..=1.0).contains(&params.alpha) {
                return Err(l.error(
                    "params.alpha",
                    format!("alpha is a probability, in [0, 1], not {}", params.alpha),
                ));
            }
            job_predicting(
                l,
                p,
                move |_| LazyProbabilisticBroadcast::<Value>::new(params),
                broadcast,
                BTreeMap::new(),
            )
        },
    },
    Algorithm {
        id: "rumor-mongering",
        abstraction: "pb",
        model: "crash-stop, synchronous cycles longer than a round trip",
        summary: "push rumor mongering with feedback (Demers et al. 1987): lose interest with probability 1/k on each useless push (C.2)",
        params: &[
            Param {
                name: "period",
                default: Default::Int(3),
                doc: "cycle length (ticks): longer than a push and its feedback",
            },
            Param {
                name: "k",
                default: Default::Int(1),
                doc: "loss of interest with probability 1/k per push to an informed process",
            },
        ],
        mutant: false,
        build: |l, p| {
            let (period, k) = (p.int("period"), p.int("k"));
            let predicted = BTreeMap::from([("residue".to_string(), residue(k as f64))]);
            job_predicting(
                l,
                p,
                move |_| RumorMongering::<Value>::new(period, k),
                broadcast,
                predicted,
            )
        },
    },
    Algorithm {
        id: "push-gossip",
        abstraction: "pb",
        model: "crash-stop, synchronous rounds of one tick (delay exactly 1)",
        summary: "push gossip: every informed process calls one random process per round (C.3: log2 n + ln n rounds)",
        params: &[Param {
            name: "rounds",
            default: Default::Int(0),
            doc: "rounds processes keep pushing after the broadcast; 0 means 3 (log2 n + ln n)",
        }],
        mutant: false,
        build: |l, p| {
            let n = l.scenario.processes as f64;
            let expected = n.log2() + n.ln();
            let rounds = match p.int("rounds") {
                0 => (3.0 * expected).ceil() as u32,
                r => r as u32,
            };
            let predicted = BTreeMap::from([("rounds".to_string(), expected)]);
            job_predicting(
                l,
                p,
                move |_| PushGossip::<Value>::new(rounds),
                broadcast,
                predicted,
            )
        },
    },
];
