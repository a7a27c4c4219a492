//! Push gossip in synchronous rounds (Frieze & Grimmett 1985; Pittel, "On spreading a rumor",
//! 1987), book §6.6, C.3.
//!
//! Algorithm id: `push-gossip` (an extension of probabilistic broadcast `pb`).
//!
//! Model: crash-stop, synchronous rounds of one tick (every delay exactly 1). Every informed
//! process calls one uniformly random other process per round and pushes the message; a process
//! is informed from the round after it first hears it. Everyone is informed after
//! log₂ n + ln n + O(1) rounds, so each tenfold increase of n adds log₂ 10 + ln 10 ≈ 5.63
//! rounds. Each process pushes for `rounds` rounds after the broadcast, then falls silent.

use super::target;
use crate::interface::{Broadcast, Deliver};
use crate::probabilistic::Gossip;
use automata::{Ctx, Module, Payload, Pid};
use std::collections::BTreeMap;

/// The round timer of one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Round(pub (Pid, u64));

/// Push gossip: one call per informed process per round, for `rounds` rounds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PushGossip<P: Payload> {
    /// How many rounds after the broadcast processes keep pushing.
    rounds: u32,
    lsn: u64,
    /// The messages heard, with the rounds they have left, in key order (a sorted vector: a
    /// map's node would take about 700 bytes per process for the one message of a run of a
    /// million processes).
    informed: Vec<((Pid, u64), Gossip<P>)>,
    /// MUTANT: delivers every copy it receives ([`PushGossip::delivering_every_copy`]).
    every_copy: bool,
}

impl<P: Payload> PushGossip<P> {
    pub fn new(rounds: u32) -> Self {
        PushGossip {
            rounds,
            lsn: 0,
            informed: Vec::new(),
            every_copy: false,
        }
    }

    /// MUTANT: delivers every copy of a message it receives, not only the first (PB2 no
    /// duplication fails as soon as two pushes reach the same process).
    pub fn delivering_every_copy(mut self) -> Self {
        self.every_copy = true;
        self
    }

    // ANCHOR: push
    /// Push to one random process now, then again next round while rounds are left.
    fn push(&mut self, ctx: &mut Ctx<Self>, id: (Pid, u64)) {
        let Ok(i) = self.informed.binary_search_by_key(&id, |(k, _)| *k) else {
            return;
        };
        let g = &mut self.informed[i].1;
        if g.round == 0 {
            return;
        }
        g.round -= 1;
        let g = g.clone();
        if let Some(t) = target(ctx) {
            ctx.send(t, g);
        }
        ctx.set_timer(1, Round(id));
    }

    /// `upon event ⟨ fll, Deliver | p, [GOSSIP, s, sn, m, r] ⟩ do if (s, sn) ∉ informed then
    /// informed := informed ∪ {(s, sn)}; trigger ⟨ pb, Deliver | s, m ⟩; push`.
    fn on_gossip(&mut self, ctx: &mut Ctx<Self>, g: Gossip<P>) {
        let id = (g.sender, g.sn);
        let slot = self.informed.binary_search_by_key(&id, |(k, _)| *k);
        if slot.is_ok() {
            if self.every_copy {
                ctx.indicate(Deliver {
                    from: g.sender,
                    msg: g.msg,
                });
            }
            return;
        }
        ctx.indicate(Deliver {
            from: g.sender,
            msg: g.msg.clone(),
        });
        if let Err(i) = slot {
            self.informed.insert(i, (id, g));
        }
        self.push(ctx, id);
    }
    // ANCHOR_END: push
}

impl<P: Payload> Module for PushGossip<P> {
    const NAME: &'static str = "pb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    type Msg = Gossip<P>;
    type Timer = Round;

    /// `upon event ⟨ pb, Broadcast | m ⟩ do deliver m; push`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let id = (ctx.me(), self.lsn);
        self.lsn += 1;
        let g = Gossip {
            sender: id.0,
            sn: id.1,
            msg,
            round: self.rounds,
        };
        self.on_gossip(ctx, g);
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, _from: Pid, msg: Gossip<P>) {
        self.on_gossip(ctx, msg);
    }

    /// `upon event ⟨ Round | m ⟩ do push`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, Round(id): Round) {
        self.push(ctx, id);
    }
}

use crate::abstractions::broadcast;
use automata::Value;
use catalogue::{job_predicting, Algorithm, Param};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "push-gossip", abstraction: "pb",
    params: &[Param::int("rounds", 0, "rounds processes keep pushing after the broadcast; 0 means 3 (log2 n + ln n)")],
    model: "crash-stop, synchronous rounds of one tick (delay exactly 1)",
    summary: "push gossip: every informed process calls one random process per round (C.3: log2 n + ln n rounds)",
    build: |l, p| {
        let n = l.scenario.processes as f64;
        let expected = n.log2() + n.ln();
        let rounds = match p.int("rounds") {
            0 => (3.0 * expected).ceil() as u32,
            r => r as u32,
        };
        let predicted = BTreeMap::from([("rounds".to_string(), expected)]);
        job_predicting(l, p, move |_| PushGossip::<Value>::new(rounds), broadcast, predicted)
    };
};
