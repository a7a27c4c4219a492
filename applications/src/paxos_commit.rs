//! Transaction commit by Paxos Commit (Gray and Lamport, "Consensus on transaction commit",
//! ACM TODS 31(1), 2006), offered as `nbac`.
//!
//! Algorithm id: `paxos-commit` (parameter `acceptor_faults` = F: processes 0..=2F are the
//! 2F + 1 acceptors; every process is a resource manager, RM).
//!
//! Model: crash-stop over perfect links, N ≥ 2F + 1, at most F acceptors crash; the eventual
//! leader detector Ω (`model.detector`) picks who finishes a transaction whose first leader,
//! process 0, crashed. Properties: NBAC1 termination, NBAC3 commit-validity, NBAC4 integrity
//! and NBAC5 uniform agreement; NBAC2 abort-validity only while a recovering leader's
//! `timeout` outlasts a failure-free commit (a leader that gives up on a slow RM aborts it,
//! crash or not).
//!
//! Two-Phase Commit with the coordinator's memory replaced by consensus: each RM's vote is
//! decided by its own instance of Paxos, and the transaction commits iff every instance
//! decides PREPARED (here [`Vote::Commit`]). Ballot 0 of RM i's instance belongs to RM i, so
//! it skips phase 1: RM i sends its vote as a phase 2a message straight to the acceptors.
//! The acceptors bundle their phase 2b messages, one message for all instances, to the
//! leader, which learns an instance once F + 1 acceptors accepted it in one ballot and sends
//! the outcome to the RMs. Failure-free, RM 0 starts (PREPARE), the others vote (2a, to F + 1
//! acceptors only), the acceptors answer (2b) and the leader, co-located with RM 0 and
//! acceptor 0, decides (COMMIT): four message delays, one more than Two-Phase Commit, and
//! (N − 1)(F + 3) + F messages, 17 for N = 5 and F = 1 against Two-Phase Commit's 12 (the
//! counts Gray and Lamport give with co-location). If process 0 crashes, the process Ω
//! trusts runs a higher ballot over every instance: phase 1 with F + 1 acceptors, then
//! phase 2 with, for each instance, the value accepted in the highest ballot, or ABORTED if
//! none was: a value chosen before is never changed, so every outcome is the same. With
//! F = 0 (one acceptor, co-located with the leader) it is Two-Phase Commit.
//!
//! Mutant: [`PaxosCommit::without_phase_one`] lets a recovering leader skip phase 1 and
//! propose ABORTED for every instance it has not learned: after process 0 decided COMMIT and
//! crashed, the new leader decides ABORT (NBAC5).

use crate::interface::{Decide, Propose, Vote};
use automata::detector::{EventualLeaderDetector, Trust};
use automata::{Ctx, Module, Pid, Time, ToValue, Value};
use links::{Deliver, Link, PerfectLinks, Send};
use std::collections::{BTreeMap, BTreeSet};

/// The first leader, which is also the RM that starts the transaction.
pub const LEADER: Pid = 0;

/// A ballot `(round, leader)`; round 0 is each RM's own ballot 0.
pub type Ballot = (u64, Pid);

/// Ballot 0, every RM's own.
const ZERO: Ballot = (0, LEADER);

/// The messages of Paxos Commit, in Gray and Lamport's words. A phase 2a or 2b message
/// carries values for several instances (RMs) at once.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Msg {
    /// `[PREPARE]`: the leader asks the RMs to vote.
    Prepare,
    /// Phase 1a `[P1A, b]`: a recovering leader's ballot, for every instance.
    P1a(Ballot),
    /// Phase 1b `[P1B, b, accepted]`: an acceptor's promise and what it accepted, by
    /// instance.
    P1b(Ballot, BTreeMap<Pid, (Ballot, Vote)>),
    /// `[NACK, b']`: an acceptor already promised the higher ballot b'.
    Nack(Ballot),
    /// Phase 2a `[P2A, b, values]`: accept these values, by instance, in ballot b.
    P2a(Ballot, BTreeMap<Pid, Vote>),
    /// Phase 2b `[P2B, b, values]`: the acceptor accepted them.
    P2b(Ballot, BTreeMap<Pid, Vote>),
    /// `[OUTCOME, d]`: the transaction's outcome.
    Outcome(Vote),
    /// `[QUERY]`: an RM that waited `timeout` asks the leader Ω trusts for the outcome.
    Query,
}

impl ToValue for Msg {
    fn to_value(&self) -> Value {
        let ballot = |b: &Ballot| Value::List(vec![Value::Int(b.0 as i64), Value::Int(b.1 as i64)]);
        let values = |vs: &BTreeMap<Pid, Vote>| {
            Value::List(
                vs.iter()
                    .map(|(rm, v)| Value::List(vec![Value::Int(*rm as i64), v.to_value()]))
                    .collect(),
            )
        };
        Value::List(match self {
            Msg::Prepare => vec![Value::str("PREPARE")],
            Msg::P1a(b) => vec![Value::str("P1A"), ballot(b)],
            Msg::P1b(b, acc) => vec![
                Value::str("P1B"),
                ballot(b),
                Value::List(
                    acc.iter()
                        .map(|(rm, (ab, v))| {
                            Value::List(vec![Value::Int(*rm as i64), ballot(ab), v.to_value()])
                        })
                        .collect(),
                ),
            ],
            Msg::Nack(b) => vec![Value::str("NACK"), ballot(b)],
            Msg::P2a(b, vs) => vec![Value::str("P2A"), ballot(b), values(vs)],
            Msg::P2b(b, vs) => vec![Value::str("P2B"), ballot(b), values(vs)],
            Msg::Outcome(d) => vec![Value::str("OUTCOME"), d.to_value()],
            Msg::Query => vec![Value::str("QUERY")],
        })
    }
}

/// The messages (or timers) of the links or of Ω.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire<P, O> {
    Pl(P),
    Omega(O),
}

/// The timers: the links' and Ω's, the leader's recovery and the acceptor's bundle.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer<P, O> {
    Pl(P),
    Omega(O),
    /// A leader that has not decided `timeout` ticks after the transaction reached it.
    Recover,
    /// An acceptor stops waiting to bundle ballot 0's phase 2b messages.
    Flush,
}

/// Paxos Commit over the links `L` and the leader detector `O`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PaxosCommit<O: EventualLeaderDetector, L: Link<Msg> = PerfectLinks<Msg>> {
    pl: L,
    omega: O,
    /// F: processes 0..=2F are acceptors; ballot 0 goes to 0..=F.
    faults: usize,
    /// How long a leader waits before it runs a higher ballot.
    timeout: Time,
    /// The process Ω trusts.
    leader: Pid,
    // RM.
    /// This RM's vote, once proposed.
    vote: Option<Vote>,
    /// Asked to vote (PREPARE).
    asked: bool,
    /// This RM's ballot-0 phase 2a has left.
    sent: bool,
    /// The outcome, once decided.
    decision: Option<Vote>,
    // Acceptor.
    /// The highest ballot promised, for every instance at once.
    promised: Ballot,
    /// What it accepted, by instance: `(ballot, value)`.
    accepted: BTreeMap<Pid, (Ballot, Vote)>,
    /// Ballot 0's acceptances not yet reported (bundled until complete or flushed).
    bundle: BTreeMap<Pid, Vote>,
    /// The bundle was flushed: report ballot 0's acceptances one by one.
    flushed: bool,
    // Leader.
    /// The highest round seen.
    highest: u64,
    /// This leader's current ballot above 0, if it started one.
    ballot: Option<Ballot>,
    /// Phase 1b replies to `ballot`, by acceptor.
    promises: BTreeMap<Pid, BTreeMap<Pid, (Ballot, Vote)>>,
    /// Phase 2b replies, by (ballot, instance): the value and who accepted it.
    votes: BTreeMap<(Ballot, Pid), (Vote, BTreeSet<Pid>)>,
    /// The instances' chosen values, as learned.
    learned: BTreeMap<Pid, Vote>,
    /// The recovery timer is armed.
    armed: bool,
    /// `false` in the mutant: a recovering leader skips phase 1.
    phase_one: bool,
}

automata::below! {
    impl[O: EventualLeaderDetector, L: Link<Msg>] PaxosCommit<O, L>;
    /// Slot of the perfect links.
    PlSlot(pl: L) as "pl" => on_deliver, msg Wire::Pl, timer Timer::Pl;
    /// Slot of the eventual leader detector.
    OmegaSlot(omega: O) => on_trust, msg Wire::Omega, timer Timer::Omega;
}

impl<O: EventualLeaderDetector> PaxosCommit<O> {
    /// Over perfect links with retransmission period `period`.
    pub fn new(period: Time, omega: O, faults: usize, timeout: Time) -> Self {
        PaxosCommit::over(PerfectLinks::new(period), omega, faults, timeout)
    }
}

impl<O: EventualLeaderDetector, L: Link<Msg>> PaxosCommit<O, L> {
    /// Over the links `pl` and the leader detector `omega`, with 2F + 1 acceptors for
    /// F = `faults`, a recovering leader waiting `timeout` ticks.
    pub fn over(pl: L, omega: O, faults: usize, timeout: Time) -> Self {
        PaxosCommit {
            pl,
            omega,
            faults,
            timeout: timeout.max(1),
            leader: LEADER,
            vote: None,
            asked: false,
            sent: false,
            decision: None,
            promised: ZERO,
            accepted: BTreeMap::new(),
            bundle: BTreeMap::new(),
            flushed: false,
            highest: 0,
            ballot: None,
            promises: BTreeMap::new(),
            votes: BTreeMap::new(),
            learned: BTreeMap::new(),
            armed: false,
            phase_one: true,
        }
    }

    /// MUTANT: a recovering leader skips phase 1 and proposes ABORTED for every instance it
    /// has not learned.
    pub fn without_phase_one(self) -> Self {
        PaxosCommit {
            phase_one: false,
            ..self
        }
    }

    /// The 2F + 1 acceptors.
    fn acceptors(&self) -> std::ops::RangeInclusive<Pid> {
        0..=2 * self.faults
    }

    /// A majority of them.
    fn quorum(&self) -> usize {
        self.faults + 1
    }

    /// Sends `msg` to `to`; to itself, a co-located role, it is handled at once and travels
    /// nowhere (so it is not a message).
    fn send(&mut self, ctx: &mut Ctx<Self>, to: Pid, msg: Msg) {
        if to == ctx.me() {
            self.handle(ctx, to, msg);
        } else {
            ctx.trigger(self, PlSlot, Send { to, msg });
        }
    }

    fn on_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Msg>) {
        self.handle(ctx, from, msg);
    }

    fn handle(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Msg) {
        match msg {
            Msg::Prepare => self.on_prepare(ctx),
            Msg::P1a(b) => self.on_p1a(ctx, from, b),
            Msg::P1b(b, acc) => self.on_p1b(ctx, from, b, acc),
            Msg::Nack(b) => self.highest = self.highest.max(b.0),
            Msg::P2a(b, vs) => self.on_p2a(ctx, b, vs),
            Msg::P2b(b, vs) => self.on_p2b(ctx, from, b, vs),
            Msg::Outcome(d) => self.decide(ctx, d),
            Msg::Query => self.on_query(ctx, from),
        }
    }

    /// `upon [QUERY] from q do if decision ≠ ⊥ then send [OUTCOME, decision] to q` (an
    /// undecided leader recovers on its own timer).
    fn on_query(&mut self, ctx: &mut Ctx<Self>, q: Pid) {
        if let Some(d) = self.decision {
            self.send(ctx, q, Msg::Outcome(d));
        }
    }

    /// RM: `upon event ⟨ pl, Deliver | l, [PREPARE] ⟩ do asked := TRUE; arm the recovery
    /// timer`.
    fn on_prepare(&mut self, ctx: &mut Ctx<Self>) {
        self.asked = true;
        self.arm(ctx);
    }

    /// Acceptor, phase 1b: `upon [P1A, b] do if b > promised then promised := b;
    /// send [P1B, b, accepted] to b's leader else send [NACK, promised]`.
    fn on_p1a(&mut self, ctx: &mut Ctx<Self>, from: Pid, b: Ballot) {
        if b > self.promised {
            self.promised = b;
            let acc = self.accepted.clone();
            self.send(ctx, from, Msg::P1b(b, acc));
        } else {
            let p = self.promised;
            self.send(ctx, from, Msg::Nack(p));
        }
    }

    /// Leader: `upon [P1B, b, acc] from F + 1 acceptors for its ballot b do` propose, for
    /// each instance, the value accepted in the highest ballot, or ABORTED;
    /// `send [P2A, b, values]` to every acceptor.
    fn on_p1b(
        &mut self,
        ctx: &mut Ctx<Self>,
        from: Pid,
        b: Ballot,
        acc: BTreeMap<Pid, (Ballot, Vote)>,
    ) {
        if self.ballot != Some(b) || self.decision.is_some() {
            return;
        }
        self.promises.insert(from, acc);
        if self.promises.len() != self.quorum() {
            return;
        }
        let mut values = BTreeMap::new();
        for rm in ctx.processes() {
            let highest = self
                .promises
                .values()
                .filter_map(|acc| acc.get(&rm))
                .max_by_key(|(ab, _)| *ab);
            values.insert(rm, highest.map_or(Vote::Abort, |&(_, v)| v));
        }
        self.propose(ctx, b, values);
    }

    /// Sends phase 2a for `values` in ballot `b` to every acceptor.
    fn propose(&mut self, ctx: &mut Ctx<Self>, b: Ballot, values: BTreeMap<Pid, Vote>) {
        for a in self.acceptors() {
            self.send(ctx, a, Msg::P2a(b, values.clone()));
        }
    }

    // ANCHOR: acceptor
    /// Acceptor, phase 2b: `upon [P2A, b, values] do if b ≥ promised then promised := b;
    /// accepted[i] := (b, v) for each (i, v); report to b's leader` (ballot 0's reports to
    /// process 0, bundled: sent once every instance is in, or when `Flush` fires; an ABORTED
    /// goes at once).
    fn on_p2a(&mut self, ctx: &mut Ctx<Self>, b: Ballot, values: BTreeMap<Pid, Vote>) {
        if b < self.promised {
            let p = self.promised;
            self.send(ctx, b.1, Msg::Nack(p));
            return;
        }
        self.promised = b;
        for (&rm, &v) in &values {
            self.accepted.insert(rm, (b, v));
        }
        if b != ZERO {
            self.send(ctx, b.1, Msg::P2b(b, values));
            return;
        }
        if self.bundle.is_empty() && !self.flushed {
            ctx.set_timer(self.timeout, Timer::Flush);
        }
        self.bundle.extend(values);
        let abort = self.bundle.values().any(|&v| v == Vote::Abort);
        if self.flushed || abort || self.bundle.len() == ctx.n() {
            self.flush(ctx);
        }
    }
    // ANCHOR_END: acceptor

    /// Reports ballot 0's pending acceptances to process 0.
    fn flush(&mut self, ctx: &mut Ctx<Self>) {
        if !self.bundle.is_empty() {
            let bundle = std::mem::take(&mut self.bundle);
            self.send(ctx, LEADER, Msg::P2b(ZERO, bundle));
        }
    }

    /// Leader: `upon [P2B, b, values] do` count the acceptor for each instance; an instance
    /// accepted by F + 1 acceptors in one ballot is learned; `upon` an instance learned
    /// ABORTED, or all learned, `decide` and `send [OUTCOME, d]` to every RM.
    fn on_p2b(&mut self, ctx: &mut Ctx<Self>, from: Pid, b: Ballot, values: BTreeMap<Pid, Vote>) {
        for (rm, v) in values {
            let (_, who) = self
                .votes
                .entry((b, rm))
                .or_insert_with(|| (v, BTreeSet::new()));
            who.insert(from);
            if who.len() >= self.quorum() {
                self.learned.insert(rm, v);
            }
        }
        if self.decision.is_some() {
            return;
        }
        let abort = self.learned.values().any(|&v| v == Vote::Abort);
        if abort || self.learned.len() == ctx.n() {
            let d = if abort { Vote::Abort } else { Vote::Commit };
            self.decide(ctx, d);
            let me = ctx.me();
            for rm in ctx.processes().filter(|&q| q != me).collect::<Vec<_>>() {
                self.send(ctx, rm, Msg::Outcome(d));
            }
        }
    }

    /// RM: `upon [OUTCOME, d] do if decision = ⊥ then decision := d;
    /// trigger ⟨ nbac, Decide | d ⟩`.
    fn decide(&mut self, ctx: &mut Ctx<Self>, d: Vote) {
        if self.decision.is_none() {
            self.decision = Some(d);
            ctx.indicate(Decide(d));
        }
    }

    /// `upon event ⟨ Ω, Trust | p ⟩ do leader := p`.
    fn on_trust(&mut self, _ctx: &mut Ctx<Self>, Trust(p): Trust) {
        self.leader = p;
    }

    /// Arms the recovery timer once the transaction has reached this process.
    fn arm(&mut self, ctx: &mut Ctx<Self>) {
        if !self.armed && self.decision.is_none() {
            self.armed = true;
            ctx.set_timer(self.timeout, Timer::Recover);
        }
    }

    // ANCHOR: recover
    /// Recovery: `upon Recover ∧ decision = ⊥ do` (again `timeout` later) `if leader = self
    /// then` start ballot (highest + 1, self): `send [P1A, b]` to every acceptor (the mutant
    /// proposes ABORTED for every instance not learned, at once) `else send [QUERY] to
    /// leader` (it may have learned the outcome from a leader that crashed before telling
    /// us).
    fn on_recover(&mut self, ctx: &mut Ctx<Self>) {
        self.armed = false;
        if self.decision.is_some() {
            return;
        }
        self.arm(ctx);
        if self.leader != ctx.me() {
            let l = self.leader;
            self.send(ctx, l, Msg::Query);
            return;
        }
        self.highest += 1;
        let b = (self.highest, ctx.me());
        self.ballot = Some(b);
        self.promises.clear();
        if self.phase_one {
            for a in self.acceptors() {
                self.send(ctx, a, Msg::P1a(b));
            }
        } else {
            let values = ctx
                .processes()
                .map(|rm| (rm, *self.learned.get(&rm).unwrap_or(&Vote::Abort)))
                .collect();
            self.propose(ctx, b, values);
        }
    }
    // ANCHOR_END: recover
}

impl<O: EventualLeaderDetector, L: Link<Msg>> Module for PaxosCommit<O, L> {
    const NAME: &'static str = "nbac";
    type Req = Propose<Vote>;
    type Ind = Decide<Vote>;
    type Msg = Wire<L::Msg, O::Msg>;
    type Timer = Timer<L::Timer, O::Timer>;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, PlSlot);
        ctx.init(self, OmegaSlot);
    }

    /// `upon event ⟨ nbac, Propose | v ⟩ do vote := v; if self = l then forall q ≠ l do
    /// send [PREPARE] to q; asked := TRUE`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Propose(v): Propose<Vote>) {
        if self.vote.is_some() {
            return;
        }
        self.vote = Some(v);
        if ctx.me() == LEADER && v == Vote::Commit {
            for q in ctx.processes().filter(|&q| q != LEADER).collect::<Vec<_>>() {
                self.send(ctx, q, Msg::Prepare);
            }
            self.asked = true;
        }
        self.arm(ctx);
    }

    /// RM, ballot 0: `upon vote ≠ ⊥ ∧ (asked ∨ vote = ABORTED) ∧ sent = FALSE do
    /// sent := TRUE; send [P2A, 0, {self: vote}]` to acceptors 0..=F.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        let Some(v) = self.vote else { return };
        if self.sent || !(self.asked || v == Vote::Abort) {
            return;
        }
        self.sent = true;
        let values = BTreeMap::from([(ctx.me(), v)]);
        for a in 0..=self.faults {
            self.send(ctx, a, Msg::P2a(ZERO, values.clone()));
        }
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Self::Msg) {
        match msg {
            Wire::Pl(m) => ctx.pass_message(self, PlSlot, from, m),
            Wire::Omega(m) => ctx.pass_message(self, OmegaSlot, from, m),
        }
    }

    /// `upon event ⟨ Recover ⟩` (below) and `upon event ⟨ Flush ⟩ do` report the bundle
    /// and stop bundling.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Self::Timer) {
        match timer {
            Timer::Pl(t) => ctx.pass_timer(self, PlSlot, t),
            Timer::Omega(t) => ctx.pass_timer(self, OmegaSlot, t),
            Timer::Recover => self.on_recover(ctx),
            Timer::Flush => {
                self.flushed = true;
                self.flush(ctx);
            }
        }
    }
}

use crate::abstractions::{propose, PERIOD};
use catalogue::{job, Algorithm, InputError, Loaded, Param, Params, Runnable};
use links::detectors::{abstractions::leader, AnyLeader};

/// F, the acceptors' crash budget.
pub const ACCEPTOR_FAULTS: Param = Param::int(
    "acceptor_faults",
    1,
    "F: processes 0..=2F are the 2F + 1 acceptors, and F of them may crash",
);

/// How long a leader waits before it runs a higher ballot.
pub const TIMEOUT: Param = Param::int(
    "timeout",
    100,
    "ticks a leader waits, once the transaction reached it, before it runs a higher ballot (and an acceptor before it stops bundling)",
);

fn build(
    l: &Loaded,
    p: &Params,
    mutate: fn(PaxosCommit<AnyLeader>) -> PaxosCommit<AnyLeader>,
) -> Result<Box<dyn Runnable>, InputError> {
    let omega = leader(l, p)?;
    let (period, timeout) = (p.int("period"), p.int("timeout"));
    let faults = p.int("acceptor_faults") as usize;
    if 2 * faults + 1 > l.scenario.processes {
        let rule = format!(
            "2F + 1 = {} acceptors need as many processes; the scenario has {}",
            2 * faults + 1,
            l.scenario.processes
        );
        return Err(l.error("params.acceptor_faults", rule));
    }
    job(
        l,
        p,
        move |_| mutate(PaxosCommit::new(period, omega.clone(), faults, timeout)),
        propose,
    )
}

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "paxos-commit", abstraction: "nbac", params: &[PERIOD, ACCEPTOR_FAULTS, TIMEOUT],
    model: "crash-stop, N ≥ 2F + 1, at most F acceptors crash; uses Ω (model.detector: algorithm | leader) when process 0 crashes; abort-validity needs params.timeout above a failure-free commit",
    summary: "Paxos Commit (Gray-Lamport 2006): each RM's vote is a Paxos instance, ballot 0 the RM's own; commit iff every instance chose PREPARED",
    build: |l, p| build(l, p, |a| a);

    id: "paxos-commit-no-phase-one", abstraction: "nbac", params: &[PERIOD, ACCEPTOR_FAULTS, TIMEOUT], mutant: true,
    model: "a recovering leader that skips phase 1 aborts instances already chosen PREPARED",
    summary: "MUTANT: Paxos Commit whose recovering leader proposes ABORTED without phase 1",
    build: |l, p| build(l, p, PaxosCommit::without_phase_one);
};
