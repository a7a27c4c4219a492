//! Uniform consensus `uc` by classic single-decree Paxos (Lamport, *Paxos Made Simple*, 2001):
//! proposers, acceptors and learners with ballots, the shape of TLA+'s and stateright's Paxos.
//!
//! Algorithm id: `paxos`.
//!
//! Model: crash-stop, asynchronous for safety, N > 2f; perfect links. Every process is an
//! acceptor and a learner; a process that is asked to propose is also a proposer. Properties:
//! C2 validity, C3 integrity, UC4 uniform agreement always; C1 termination only once a single
//! proposer runs its two phases without being overtaken (after GST, with retries spaced wider
//! than a round trip): two proposers can keep preempting each other forever.
//!
//! A proposer picks a ballot (round, its id) higher than any it has seen and asks every
//! acceptor to *prepare* (phase 1a). An acceptor *promises* never to accept a lower ballot and
//! answers with the proposal it accepted last, if any (1b). With a majority of promises the
//! proposer asks to *accept* (2a) the value of the highest-ballot proposal among them, or its
//! own value if there is none. An acceptor accepts unless it promised a higher ballot and tells
//! every learner (2b); a learner decides a value once a majority accepted it in one ballot. A
//! proposer that has not seen its value decided after `retry` ticks tries again, higher.
//!
//! Mutant: [`Paxos::accepting_lower`]: an acceptor accepts a proposal whatever it promised (a
//! lower ballot than its promise), so a value chosen in one ballot can be replaced by a later
//! proposer's.

use crate::interface::{Decide, Propose};
use automata::{Ctx, Module, Payload, Pid, Time, ToValue, Value};
use links::{Deliver, Link, PerfectLinksAck, Send};
use std::collections::{BTreeMap, BTreeSet};

/// A ballot: (round, proposer). Round 0 is "none".
pub type Ballot = (u64, Pid);

/// A proposal an acceptor accepted: its ballot and value.
pub type Accepted<V> = Option<(Ballot, V)>;

/// Paxos's messages.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PaxosMsg<V> {
    /// 1a `[PREPARE, b]`.
    Prepare(Ballot),
    /// 1b `[PROMISE, b, accepted]`.
    Promise(Ballot, Accepted<V>),
    /// 2a `[ACCEPT, b, v]`.
    Accept(Ballot, V),
    /// 2b `[ACCEPTED, b, v]`, to every learner.
    Accepted(Ballot, V),
}

impl<V: ToValue> ToValue for PaxosMsg<V> {
    fn to_value(&self) -> Value {
        let b = |(r, p): &Ballot| Value::List(vec![Value::Int(*r as i64), Value::Int(*p as i64)]);
        Value::List(match self {
            PaxosMsg::Prepare(x) => vec![Value::str("PREPARE"), b(x)],
            PaxosMsg::Promise(x, a) => vec![
                Value::str("PROMISE"),
                b(x),
                a.as_ref().map_or(Value::Unit, |(ab, v)| {
                    Value::List(vec![b(ab), v.to_value()])
                }),
            ],
            PaxosMsg::Accept(x, v) => vec![Value::str("ACCEPT"), b(x), v.to_value()],
            PaxosMsg::Accepted(x, v) => vec![Value::str("ACCEPTED"), b(x), v.to_value()],
        })
    }
}

/// The proposer's retry timer, or one of the links'.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PaxosTimer<T> {
    Retry,
    Pl(T),
}

/// Classic Paxos over the links `L`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Paxos<V: Payload, L: Link<PaxosMsg<V>> = PerfectLinksAck<PaxosMsg<V>>> {
    pl: L,
    /// Ticks a proposer waits for a decision before it tries a higher ballot (0: never).
    retry: Time,
    // Proposer.
    /// Its value, once asked to propose.
    value: Option<V>,
    /// Its current ballot (round 0: not proposing).
    ballot: Ballot,
    /// Promises for `ballot`, with what each acceptor had accepted.
    promises: BTreeMap<Pid, Accepted<V>>,
    /// Whether it has asked to accept in `ballot`.
    asked: bool,
    /// The highest round it has seen, to pick the next ballot above it.
    highest: u64,
    // Acceptor.
    promised: Ballot,
    accepted: Accepted<V>,
    // Learner.
    votes: BTreeMap<(Ballot, V), BTreeSet<Pid>>,
    decided: bool,
    /// Mutant switch: accept whatever was promised.
    lower: bool,
}

automata::below! {
    impl[V: Payload, L: Link<PaxosMsg<V>>] Paxos<V, L>;
    /// Slot of the links.
    Pl(pl: L) => on_deliver, timer PaxosTimer::Pl;
}

impl<V: Payload> Paxos<V> {
    /// Over perfect links (Retransmit Until Acknowledged) retransmitting every `period` ticks,
    /// retrying after `retry` ticks.
    pub fn new(period: Time, retry: Time) -> Self {
        Paxos::over(PerfectLinksAck::new(period.max(1)), retry)
    }
}

impl<V: Payload, L: Link<PaxosMsg<V>>> Paxos<V, L> {
    /// Over the links `pl`, retrying after `retry` ticks (0: never).
    pub fn over(pl: L, retry: Time) -> Self {
        Paxos {
            pl,
            retry,
            value: None,
            ballot: (0, 0),
            promises: BTreeMap::new(),
            asked: false,
            highest: 0,
            promised: (0, 0),
            accepted: None,
            votes: BTreeMap::new(),
            decided: false,
            lower: false,
        }
    }

    /// MUTANT: acceptors accept a proposal whatever ballot they promised.
    pub fn accepting_lower(mut self) -> Self {
        self.lower = true;
        self
    }

    fn send_all(&mut self, ctx: &mut Ctx<Self>, msg: PaxosMsg<V>) {
        for to in ctx.processes() {
            let msg = msg.clone();
            ctx.trigger(self, Pl, Send { to, msg });
        }
    }

    // ANCHOR: roles
    /// Phase 1a: a ballot above every round seen; `[PREPARE, b]` to every acceptor.
    fn prepare(&mut self, ctx: &mut Ctx<Self>) {
        self.highest += 1;
        self.ballot = (self.highest, ctx.me());
        self.promises.clear();
        self.asked = false;
        self.send_all(ctx, PaxosMsg::Prepare(self.ballot));
        if self.retry > 0 {
            ctx.set_timer(self.retry, PaxosTimer::Retry);
        }
    }

    fn on_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<PaxosMsg<V>>) {
        match msg {
            PaxosMsg::Prepare(b) => self.on_prepare(ctx, from, b),
            PaxosMsg::Promise(b, a) => self.on_promise(ctx, from, b, a),
            PaxosMsg::Accept(b, v) => self.on_accept(ctx, b, v),
            PaxosMsg::Accepted(b, v) => self.on_accepted(ctx, from, b, v),
        }
    }

    /// Acceptor, 1b: `upon [PREPARE, b] with b > promised do promised := b;
    /// send [PROMISE, b, accepted]`.
    fn on_prepare(&mut self, ctx: &mut Ctx<Self>, from: Pid, b: Ballot) {
        self.highest = self.highest.max(b.0);
        if b > self.promised {
            self.promised = b;
            let msg = PaxosMsg::Promise(b, self.accepted.clone());
            ctx.trigger(self, Pl, Send { to: from, msg });
        }
    }

    /// Proposer: `upon [PROMISE, b, a] with b = ballot do promises[q] := a`.
    fn on_promise(&mut self, _ctx: &mut Ctx<Self>, from: Pid, b: Ballot, a: Accepted<V>) {
        if b == self.ballot {
            self.promises.insert(from, a);
        }
    }

    /// Acceptor, 2b: `upon [ACCEPT, b, v] with b ≥ promised do promised := b;
    /// accepted := (b, v); send [ACCEPTED, b, v] to every learner`.
    fn on_accept(&mut self, ctx: &mut Ctx<Self>, b: Ballot, v: V) {
        self.highest = self.highest.max(b.0);
        if b >= self.promised || self.lower {
            self.promised = self.promised.max(b);
            self.accepted = Some((b, v.clone()));
            self.send_all(ctx, PaxosMsg::Accepted(b, v));
        }
    }

    /// Learner: `upon [ACCEPTED, b, v] from a majority for one b ∧ ¬decided do
    /// decided := TRUE; trigger ⟨ c, Decide | v ⟩`.
    fn on_accepted(&mut self, ctx: &mut Ctx<Self>, from: Pid, b: Ballot, v: V) {
        let voters = self.votes.entry((b, v.clone())).or_default();
        voters.insert(from);
        if voters.len() > ctx.n() / 2 && !self.decided {
            self.decided = true;
            ctx.indicate(Decide(v));
        }
    }
    // ANCHOR_END: roles
}

impl<V: Payload, L: Link<PaxosMsg<V>>> Module for Paxos<V, L> {
    const NAME: &'static str = "uc";
    type Req = Propose<V>;
    type Ind = Decide<V>;
    type Msg = L::Msg;
    type Timer = PaxosTimer<L::Timer>;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Pl);
    }

    // ANCHOR: propose
    /// Proposer: `upon ⟨ c, Propose | v ⟩ do value := v; prepare`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Propose(v): Propose<V>) {
        if self.value.is_none() {
            self.value = Some(v);
            self.prepare(ctx);
        }
    }
    // ANCHOR_END: propose

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: L::Msg) {
        ctx.pass_message(self, Pl, from, msg);
    }

    // ANCHOR: retry
    /// Proposer: `upon Timeout ∧ ¬decided do prepare` (a higher ballot).
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: PaxosTimer<L::Timer>) {
        match timer {
            PaxosTimer::Retry if !self.decided => self.prepare(ctx),
            PaxosTimer::Retry => {}
            PaxosTimer::Pl(t) => ctx.pass_timer(self, Pl, t),
        }
    }

    /// Proposer, 2a: `upon #promises > N/2 ∧ ¬asked do asked := TRUE;
    /// v := the value of the highest-ballot accepted proposal among them, or value;
    /// send [ACCEPT, ballot, v] to every acceptor`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        if self.asked || self.promises.len() <= ctx.n() / 2 {
            return;
        }
        let highest = self.promises.values().flatten().max_by_key(|(b, _)| *b);
        let Some(v) = highest
            .map(|(_, v)| v.clone())
            .or_else(|| self.value.clone())
        else {
            return;
        };
        self.asked = true;
        let b = self.ballot;
        self.send_all(ctx, PaxosMsg::Accept(b, v));
    }
    // ANCHOR_END: retry
}

use crate::abstractions::{propose, PERIOD};
use crate::cost::predicted;
use catalogue::{job, job_predicting, Algorithm, Param};

const RETRY: Param = Param::int(
    "retry",
    100,
    "ticks a proposer waits for a decision before it tries a higher ballot (0: never)",
);

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "paxos", abstraction: "uc", params: &[PERIOD, RETRY],
    model: "crash-stop, N > 2f; safe under asynchrony, terminates once one proposer runs alone",
    summary: "classic single-decree Paxos (Lamport 2001): prepare/promise, accept/accepted with ballots; every process an acceptor and a learner",
    build: |l, p| {
        let (period, retry) = (p.int("period"), p.int("retry"));
        // One proposer: prepare, promise, accept to N; accepted from each to all (C.9).
        let costs = predicted(l, |n| (4, 3 * n + n * n));
        job_predicting(l, p, move |_| Paxos::<Value>::new(period, retry), propose, costs)
    };

    id: "paxos-accepting-lower", abstraction: "uc", params: &[PERIOD, RETRY], mutant: true,
    model: "an acceptor that accepts below its promise lets a later ballot's value replace a chosen one",
    summary: "MUTANT: Paxos whose acceptors accept proposals of ballots lower than they promised",
    build: |l, p| {
        let (period, retry) = (p.int("period"), p.int("retry"));
        job(l, p, move |_| Paxos::<Value>::new(period, retry).accepting_lower(), propose)
    };
};
