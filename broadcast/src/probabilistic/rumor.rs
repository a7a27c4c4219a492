//! Push rumor mongering with feedback (Demers et al., "Epidemic algorithms for replicated
//! database maintenance", PODC 1987, §1.4), book §6.6, C.2.
//!
//! Algorithm id: `rumor-mongering` (an extension of probabilistic broadcast `pb`).
//!
//! Model: crash-stop, synchronous cycles (the period must exceed a round trip, so the feedback
//! of one push arrives before the next). A process that hears the rumor for the first time
//! delivers it and becomes *infective*; every cycle an infective process pushes the rumor to
//! one random process, which answers whether it already knew; on "already knew", the pusher
//! loses interest with probability 1/k. It stops when no infective process remains, leaving a
//! fraction s of processes that never heard the rumor: the *residue*, which in the large-n
//! limit solves s = e^{−(k+1)(1−s)} (k = 1: 0.203, 2: 0.060, 3: 0.020). Gossip without
//! redundancy is cheap and unreliable: PB1 does not hold, by design.

use super::targets;
use crate::interface::{Broadcast, Deliver};
use automata::{Ctx, Module, Payload, Pid, Time, ToValue, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The rumor's identity: (original sender, sequence number).
type Id = (Pid, u64);

/// Rumor mongering's messages.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rumor<P> {
    /// `[PUSH, s, sn, m]`.
    Push { id: Id, msg: P },
    /// `[FEEDBACK, s, sn, knew]`: whether the target already knew the rumor.
    Feedback { id: Id, knew: bool },
}

impl<P: ToValue> ToValue for Rumor<P> {
    fn to_value(&self) -> Value {
        match self {
            Rumor::Push { id, msg } => Value::List(vec![
                Value::str("PUSH"),
                Value::Int(id.0 as i64),
                Value::Int(id.1 as i64),
                msg.to_value(),
            ]),
            Rumor::Feedback { id, knew } => Value::List(vec![
                Value::str("FEEDBACK"),
                Value::Int(id.0 as i64),
                Value::Int(id.1 as i64),
                Value::str(if *knew { "knew" } else { "new" }),
            ]),
        }
    }
}

/// The cycle timer of one rumor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cycle(pub Id);

/// Push rumor mongering with feedback and loss of interest with probability 1/k.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RumorMongering<P: Payload> {
    /// The cycle length (ticks).
    period: Time,
    /// Loss of interest: probability 1/k on each useless push.
    k: u64,
    lsn: u64,
    /// The rumors heard so far (delivered), with their payload.
    known: BTreeMap<Id, P>,
    /// The rumors this process still spreads.
    infective: BTreeSet<Id>,
    /// MUTANT: delivers every push it receives ([`RumorMongering::delivering_every_copy`]).
    every_copy: bool,
}

impl<P: Payload> RumorMongering<P> {
    pub fn new(period: Time, k: u64) -> Self {
        RumorMongering {
            period: period.max(1),
            k: k.max(1),
            lsn: 0,
            known: BTreeMap::new(),
            infective: BTreeSet::new(),
            every_copy: false,
        }
    }

    /// MUTANT: delivers a rumor again on every push of it, not only the first (PB2 no
    /// duplication fails as soon as a process is told twice).
    pub fn delivering_every_copy(mut self) -> Self {
        self.every_copy = true;
        self
    }

    /// First hearing: deliver, become infective, start cycling.
    fn hear(&mut self, ctx: &mut Ctx<Self>, id: Id, msg: P) {
        self.known.insert(id, msg.clone());
        ctx.indicate(Deliver { from: id.0, msg });
        self.infective.insert(id);
        ctx.set_timer(self.period, Cycle(id));
    }

    // ANCHOR: push
    /// `upon event ⟨ fll, Deliver | p, [PUSH, id, m] ⟩ do if id ∉ known then hear(id, m);
    /// trigger ⟨ fll, Send | p, [FEEDBACK, id, knew] ⟩`.
    fn on_push(&mut self, ctx: &mut Ctx<Self>, p: Pid, id: Id, msg: P) {
        let knew = self.known.contains_key(&id);
        if !knew {
            self.hear(ctx, id, msg);
        } else if self.every_copy {
            ctx.indicate(Deliver { from: id.0, msg });
        }
        ctx.send(p, Rumor::Feedback { id, knew });
    }

    /// `upon event ⟨ fll, Deliver | q, [FEEDBACK, id, true] ⟩ do with probability 1/k:
    /// infective := infective \ {id}`.
    fn on_feedback(&mut self, ctx: &mut Ctx<Self>, id: Id, knew: bool) {
        if knew && self.infective.contains(&id) && ctx.coin(1.0 / self.k as f64) {
            self.infective.remove(&id);
        }
    }
    // ANCHOR_END: push
}

impl<P: Payload> Module for RumorMongering<P> {
    const NAME: &'static str = "pb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    type Msg = Rumor<P>;
    type Timer = Cycle;

    /// `upon event ⟨ pb, Broadcast | m ⟩ do hear((self, lsn), m)`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let id = (ctx.me(), self.lsn);
        self.lsn += 1;
        self.hear(ctx, id, msg);
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Rumor<P>) {
        match msg {
            Rumor::Push { id, msg } => self.on_push(ctx, from, id, msg),
            Rumor::Feedback { id, knew } => self.on_feedback(ctx, id, knew),
        }
    }

    // ANCHOR: cycle
    /// `upon event ⟨ Cycle | id ⟩ do if id ∈ infective then trigger ⟨ fll, Send | t, [PUSH,
    /// id, m] ⟩ for one random t; starttimer(period)`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, Cycle(id): Cycle) {
        if !self.infective.contains(&id) {
            return;
        }
        if let (Some(&t), Some(msg)) = (targets(ctx, 1).first(), self.known.get(&id).cloned()) {
            ctx.send(t, Rumor::Push { id, msg });
        }
        ctx.set_timer(self.period, Cycle(id));
    }
    // ANCHOR_END: cycle
}

use crate::abstractions::broadcast;
use crate::probabilistic::abstractions::residue;
use catalogue::{job_predicting, Algorithm, Param};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "rumor-mongering", abstraction: "pb",
    params: &[
        Param::int("period", 3, "cycle length (ticks): longer than a push and its feedback"),
        Param::int("k", 1, "loss of interest with probability 1/k per push to an informed process"),
    ],
    model: "crash-stop, synchronous cycles longer than a round trip",
    summary: "push rumor mongering with feedback (Demers et al. 1987): lose interest with probability 1/k on each useless push (C.2)",
    build: |l, p| {
        let (period, k) = (p.int("period"), p.int("k"));
        let predicted = BTreeMap::from([("residue".to_string(), residue(k as f64))]);
        job_predicting(l, p, move |_| RumorMongering::<Value>::new(period, k), broadcast, predicted)
    };
};
