//! Synchronous rounds (Lynch ch. 2; book §10.3, D.12): a round algorithm is a message
//! generation function and a state transition function of the messages received, and a
//! runner turns it into a [`Module`].
//!
//! [`IdealRounds`] runs it on the synchronous model: round `r` lasts `length` local ticks, so
//! with `length > Δ` and perfect clocks every round-`r` message arrives within round `r`.
//! Chapter 10 adds runners from synchronized clocks and synchronizers; the algorithm does not
//! change.

use crate::context::Ctx;
use crate::module::{Data, Module, Observe};
use crate::trace::Event;
use crate::value::ToValue;
use crate::{Pid, Time};
use std::convert::Infallible;
use std::fmt::Debug;
use std::hash::Hash;

/// An algorithm in the synchronous round model.
pub trait RoundAlgorithm: Clone + Debug + Eq + Hash + Send + Sync + 'static {
    type Msg: Data;
    /// What the algorithm tells the layer above at the end of a round (e.g. a decision).
    type Output: Clone + Debug + Send + Sync + ToValue + 'static;

    /// `msgs(state, r)`: what this process sends in round `r`, to whom.
    fn messages(&self, me: Pid, n: usize, round: u64) -> Vec<(Pid, Self::Msg)>;

    /// `trans(state, r, received)`: the new state after round `r`; may produce an output.
    fn transition(
        &mut self,
        me: Pid,
        n: usize,
        round: u64,
        received: &[(Pid, Self::Msg)],
    ) -> Option<Self::Output>;

    /// How many rounds to run.
    fn rounds(&self) -> u64;

    /// What the start state shows in the trace (e.g. FloodSet's initial value as a `Propose`);
    /// runners record it at `Init`.
    fn start_event(&self) -> Option<Event> {
        None
    }
}

/// Names of the round events every runner records (as [`Event::Other`]), so that the
/// round-integrity, lockstep and progress monitors (chapter 10) judge any runner alike.
pub mod events {
    /// A process starts round `r` (value: `r`).
    pub const ROUND: &str = "round";
    /// A process sends a round message (value: `[to, r]`).
    pub const SEND: &str = "round-send";
    /// A process takes a round-`r` message from `from` (value: `[from, r]`), in the round it
    /// is in at that moment (buffered if `r` is later, too late if earlier).
    pub const RECEIVE: &str = "round-receive";
    /// A process has finished its last round (value: the number of rounds).
    pub const DONE: &str = "rounds-done";
}

fn int(x: u64) -> crate::Value {
    crate::Value::Int(x as i64)
}

/// Records that this process starts round `r`.
pub fn note_round<M: Module>(ctx: &mut Ctx<M>, r: u64) {
    ctx.internal(Event::Other {
        name: events::ROUND.into(),
        value: int(r),
    });
}

/// Records a round-`r` message to `to` (call it where the runner sends it).
pub fn note_send<M: Module>(ctx: &mut Ctx<M>, to: Pid, r: u64) {
    ctx.internal(Event::Other {
        name: events::SEND.into(),
        value: crate::Value::List(vec![int(to as u64), int(r)]),
    });
}

/// Records the arrival of a round-`r` message from `from`.
pub fn note_receive<M: Module>(ctx: &mut Ctx<M>, from: Pid, r: u64) {
    ctx.internal(Event::Other {
        name: events::RECEIVE.into(),
        value: crate::Value::List(vec![int(from as u64), int(r)]),
    });
}

/// Records that this process completed all `rounds` rounds.
pub fn note_done<M: Module>(ctx: &mut Ctx<M>, rounds: u64) {
    ctx.internal(Event::Other {
        name: events::DONE.into(),
        value: int(rounds),
    });
}

/// The output of a round algorithm, observed as a decision.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RoundOutput<O>(pub O);

impl<O: ToValue> Observe for RoundOutput<O> {
    fn observe(&self) -> Option<Event> {
        Some(Event::Decide {
            value: self.0.to_value(),
        })
    }
}

/// The end of a round (`RoundEnd(u64::MAX)`: the delayed start of round 0).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoundEnd(pub u64);

impl Debug for RoundEnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            u64::MAX => write!(f, "RoundStart(0)"),
            r => write!(f, "RoundEnd({r})"),
        }
    }
}

/// `ideal-rounds`: lockstep rounds of `length` local ticks on a synchronous network.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdealRounds<A: RoundAlgorithm> {
    pub alg: A,
    length: Time,
    /// Local time at which round 0 starts (0: at `Init`).
    start: Time,
    round: u64,
    /// Messages received, tagged with the round they belong to.
    inbox: Vec<(u64, Pid, A::Msg)>,
}

impl<A: RoundAlgorithm> IdealRounds<A> {
    pub fn new(alg: A, length: Time) -> Self {
        IdealRounds {
            alg,
            length,
            start: 0,
            round: 0,
            inbox: Vec::new(),
        }
    }

    /// Round `r` starts at local time `start + r · length` instead of at `Init`, so that a
    /// fault plan can crash a process in the middle of its round-0 sends.
    pub fn starting_at(mut self, start: Time) -> Self {
        self.start = start;
        self
    }

    /// The local time at which round `r` starts.
    pub fn round_start(&self, r: u64) -> Time {
        self.start + r * self.length
    }

    fn start_round(&mut self, ctx: &mut Ctx<Self>) {
        note_round(ctx, self.round);
        for (to, m) in self.alg.messages(ctx.me(), ctx.n(), self.round) {
            note_send(ctx, to, self.round);
            ctx.send(to, (self.round, m));
        }
        ctx.set_timer(self.length, RoundEnd(self.round));
    }
}

impl<A: RoundAlgorithm> Module for IdealRounds<A> {
    const NAME: &'static str = "sr";
    type Req = Infallible;
    type Ind = RoundOutput<A::Output>;
    type Msg = (u64, A::Msg);
    type Timer = RoundEnd;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        if let Some(e) = self.alg.start_event() {
            ctx.internal(e);
        }
        if self.alg.rounds() == 0 {
            return;
        }
        if self.start == 0 {
            self.start_round(ctx);
        } else {
            // Round "-1" ends at `start`: the timer that starts round 0.
            ctx.set_timer(self.start, RoundEnd(u64::MAX));
        }
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: Infallible) {
        match req {}
    }

    /// A message of a past round arrived too late: the synchronous model forbids it, and the
    /// round-integrity monitor (chapter 10) reports it; the runner drops it.
    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, (round, msg): (u64, A::Msg)) {
        note_receive(ctx, from, round);
        if round >= self.round {
            self.inbox.push((round, from, msg));
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, RoundEnd(r): RoundEnd) {
        if r == u64::MAX {
            self.start_round(ctx);
            return;
        }
        if r != self.round {
            return;
        }
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
        self.round += 1;
        if self.round < self.alg.rounds() {
            self.start_round(ctx);
        } else {
            note_done(ctx, self.round);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Explore, Search};
    use crate::model::SystemModel;
    use crate::monitor::Monitors;
    use crate::sim::Sim;
    use crate::world::Setup;

    /// Every process floods the largest value it knows; after n - 1 rounds all know the maximum.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    struct MaxFlood {
        known: u64,
        rounds: u64,
    }

    impl RoundAlgorithm for MaxFlood {
        type Msg = u64;
        type Output = u64;
        fn messages(&self, me: Pid, n: usize, _round: u64) -> Vec<(Pid, u64)> {
            (0..n)
                .filter(|&q| q != me)
                .map(|q| (q, self.known))
                .collect()
        }
        fn transition(
            &mut self,
            _me: Pid,
            _n: usize,
            round: u64,
            received: &[(Pid, u64)],
        ) -> Option<u64> {
            self.known = received.iter().map(|(_, v)| *v).fold(self.known, u64::max);
            (round + 1 == self.rounds).then_some(self.known)
        }
        fn rounds(&self) -> u64 {
            self.rounds
        }
    }

    fn setup(n: usize) -> Setup<IdealRounds<MaxFlood>> {
        let model = SystemModel::default();
        let length = model.delay.max + 1;
        Setup::new(n, model, move |p| {
            IdealRounds::new(
                MaxFlood {
                    known: (p as u64 * 7) % 5,
                    rounds: n as u64 - 1,
                },
                length,
            )
        })
    }

    #[test]
    fn lockstep_rounds_in_the_simulator() {
        let out = Sim::new(setup(4), Monitors::default())
            .record(true)
            .max_time(200)
            .run();
        let decisions: Vec<_> = out
            .trace
            .unwrap()
            .into_iter()
            .filter_map(|e| match e.event {
                Event::Decide { value } => Some((e.process, value)),
                _ => None,
            })
            .collect();
        assert_eq!(decisions.len(), 4);
        assert!(
            decisions.iter().all(|(_, v)| *v == crate::Value::Int(4)),
            "{decisions:?}"
        );
    }

    /// Every decision is the maximum of the initial values, 4.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    struct DecidesMax;

    impl crate::Monitor for DecidesMax {
        fn name(&self) -> &str {
            "decides-max"
        }
        fn kind(&self) -> crate::PropertyKind {
            crate::PropertyKind::Safety
        }
        fn observe(&mut self, e: &crate::TraceEvent) -> Option<crate::Violation> {
            match &e.event {
                Event::Decide { value } if *value != crate::Value::Int(4) => {
                    Some(crate::Violation::at(e, "not the maximum"))
                }
                _ => None,
            }
        }
    }

    #[test]
    fn lockstep_rounds_in_the_model_checker() {
        // With the synchronous bound in the checker's time semantics, no round ends while a
        // message of that round is in flight, whatever the interleaving.
        let report = Explore::new(setup(3), Monitors::new(vec![Box::new(DecidesMax)])).run(
            Search::Bfs,
            40,
            1,
        );
        assert!(report.counterexample.is_none());
        assert!(report.unique_states > 100, "{}", report.unique_states);
    }

    #[test]
    fn the_monitor_catches_rounds_that_are_too_short() {
        // Rounds shorter than Δ: a message arrives after its round ended and is dropped.
        let model = SystemModel::default();
        let setup = Setup::new(3, model, |p| {
            IdealRounds::new(
                MaxFlood {
                    known: (p as u64 * 7) % 5,
                    rounds: 2,
                },
                2,
            )
        });
        let report =
            Explore::new(setup, Monitors::new(vec![Box::new(DecidesMax)])).run(Search::Bfs, 40, 1);
        assert_eq!(
            report.counterexample.map(|c| c.property),
            Some("decides-max")
        );
    }
}
