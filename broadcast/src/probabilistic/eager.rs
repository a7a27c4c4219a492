//! Probabilistic broadcast `pb` by Eager Probabilistic Broadcast (CGR Module 3.7, Algorithm 3.9),
//! with the infect-and-die mode of C.1 (book §6.6).
//!
//! Algorithm id: `eager-probabilistic-broadcast`.
//!
//! Model: crash-stop, fair-loss network, no detector. Properties: PB1 probabilistic validity
//! (a broadcast by a correct sender reaches every correct process with probability ≥ 1 − ε,
//! judged over seeds), PB2 no duplication, PB3 no creation.
//!
//! - [`Mode::Rounds`] (the book): the sender gossips to `k` random processes with round counter
//!   R; a receiver delivers on first receipt and forwards *every* copy it receives while r > 1,
//!   to k random processes with r − 1 (so traffic grows like k^R).
//! - [`Mode::InfectAndDie`] (C.1): a process forwards a message once, on first receipt, to a
//!   random set of other processes whose size has mean `fanout` (randomized rounding), and never
//!   again. With fanout ln n + c the probability that everyone delivers tends to exp(−e^{−c})
//!   (Kermarrec, Massoulié, Ganesh 2003).

use super::{fanout, targets};
use crate::interface::{Broadcast, Deliver};
use automata::{Ctx, Module, Payload, Pid, ToValue, Value};
use std::collections::BTreeSet;
use std::convert::Infallible;

/// `[GOSSIP, s, sn, m, r]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Gossip<P> {
    pub sender: Pid,
    pub sn: u64,
    pub msg: P,
    /// Rounds left (Rounds mode); 0 in infect-and-die mode.
    pub round: u32,
}

impl<P: ToValue> ToValue for Gossip<P> {
    fn to_value(&self) -> Value {
        Value::List(vec![
            Value::str("GOSSIP"),
            Value::Int(self.sender as i64),
            Value::Int(self.sn as i64),
            self.msg.to_value(),
            Value::Int(i64::from(self.round)),
        ])
    }
}

/// How gossip spreads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// CGR's algorithm: fanout `k` (mean, randomized rounding), `rounds` R.
    Rounds { k: f64, rounds: u32 },
    /// Forward once, on first receipt, to `fanout` (mean, randomized rounding) others.
    InfectAndDie { fanout: f64 },
}

impl Eq for Mode {}

impl std::hash::Hash for Mode {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match *self {
            Mode::Rounds { k, rounds } => (0u8, k.to_bits(), rounds).hash(state),
            Mode::InfectAndDie { fanout } => (1u8, fanout.to_bits()).hash(state),
        }
    }
}

/// Eager Probabilistic Broadcast over the network.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EagerProbabilisticBroadcast<P: Payload> {
    mode: Mode,
    /// Sequence number of this process's next broadcast.
    lsn: u64,
    /// `delivered`: ids (s, sn) delivered so far.
    delivered: BTreeSet<(Pid, u64)>,
    /// MUTANT: delivers every copy it receives, not only the first
    /// ([`EagerProbabilisticBroadcast::delivering_every_copy`]).
    every_copy: bool,
    _payload: std::marker::PhantomData<P>,
}

impl<P: Payload> EagerProbabilisticBroadcast<P> {
    pub fn new(mode: Mode) -> Self {
        EagerProbabilisticBroadcast {
            mode,
            lsn: 0,
            delivered: BTreeSet::new(),
            every_copy: false,
            _payload: std::marker::PhantomData,
        }
    }

    /// MUTANT: delivers every copy of a message it receives (PB2 no duplication fails as soon
    /// as two gossips reach the same process).
    pub fn delivering_every_copy(mut self) -> Self {
        self.every_copy = true;
        self
    }

    // ANCHOR: gossip
    /// `procedure gossip(msg) is forall t ∈ picktargets(k) do trigger ⟨ fll, Send | t, msg ⟩`.
    fn gossip(&mut self, ctx: &mut Ctx<Self>, msg: Gossip<P>) {
        let mean = match self.mode {
            Mode::Rounds { k, .. } => k,
            Mode::InfectAndDie { fanout } => fanout,
        };
        let k = fanout(ctx, mean);
        for t in targets(ctx, k) {
            ctx.send(t, msg.clone());
        }
    }

    /// `upon event ⟨ fll, Deliver | p, [GOSSIP, s, m, r] ⟩ do if m ∉ delivered then
    /// delivered := delivered ∪ {m}; trigger ⟨ pb, Deliver | s, m ⟩; if r > 1 then
    /// gossip([GOSSIP, s, m, r − 1])` (infect-and-die: forward on first receipt only).
    fn on_gossip(&mut self, ctx: &mut Ctx<Self>, g: Gossip<P>) {
        let first = self.delivered.insert((g.sender, g.sn));
        if first || self.every_copy {
            ctx.indicate(Deliver {
                from: g.sender,
                msg: g.msg.clone(),
            });
        }
        match self.mode {
            Mode::Rounds { .. } if g.round > 1 => {
                let round = g.round - 1;
                self.gossip(ctx, Gossip { round, ..g });
            }
            Mode::InfectAndDie { .. } if first => self.gossip(ctx, g),
            _ => {}
        }
    }
    // ANCHOR_END: gossip
}

impl<P: Payload> Module for EagerProbabilisticBroadcast<P> {
    const NAME: &'static str = "pb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    type Msg = Gossip<P>;
    type Timer = Infallible;

    /// `upon event ⟨ pb, Init ⟩ do delivered := ∅`.
    fn on_init(&mut self, _ctx: &mut Ctx<Self>) {
        self.delivered.clear();
    }

    /// `upon event ⟨ pb, Broadcast | m ⟩ do delivered := delivered ∪ {m};
    /// trigger ⟨ pb, Deliver | self, m ⟩; gossip([GOSSIP, self, m, R])`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let sn = self.lsn;
        self.lsn += 1;
        let me = ctx.me();
        self.delivered.insert((me, sn));
        ctx.indicate(Deliver {
            from: me,
            msg: msg.clone(),
        });
        let round = match self.mode {
            Mode::Rounds { rounds, .. } => rounds,
            Mode::InfectAndDie { .. } => 0,
        };
        self.gossip(
            ctx,
            Gossip {
                sender: me,
                sn,
                msg,
                round,
            },
        );
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, _from: Pid, msg: Gossip<P>) {
        self.on_gossip(ctx, msg);
    }
}

use crate::abstractions::broadcast;
use catalogue::{job_predicting, Algorithm, Param};
use std::collections::BTreeMap;

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "eager-probabilistic-broadcast", abstraction: "pb",
    params: &[
        Param::str("mode", "infect-and-die", "\"rounds\" (the book: forward every copy while r > 1) or \"infect-and-die\" (forward once, on first receipt)"),
        Param::float("fanout", 0.0, "mean fanout k (randomized rounding); 0 means ln n + c"),
        Param::float("c", 0.0, "the c of fanout ln n + c (C.1 predicts P(all deliver) = exp(-e^-c))"),
        Param::int("rounds", 3, "R, the rounds a gossip lives (mode \"rounds\")"),
    ],
    model: "crash-stop, fair-loss network",
    summary: "Eager Probabilistic Broadcast (CGR 3.9): gossip to k random processes for R rounds; mode \"infect-and-die\" forwards once with mean fanout (C.1)",
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
    };
};
