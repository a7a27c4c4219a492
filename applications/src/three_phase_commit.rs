//! Three-Phase Commit (Skeen 1981), with its termination protocol: atomic commit that does
//! not block when processes crash, offered as `nbac`, and that breaks agreement when the network
//! partitions.
//!
//! Algorithm id: `three-phase-commit` (over perfect links and the perfect failure detector P,
//! `model.detector`).
//!
//! Model: fail-stop (P), any number of crashes, no partition. Properties: NBAC1-NBAC5.
//!
//! Process 0 coordinates and votes too. Phase 1: it asks for the votes (CANCOMMIT); a
//! participant answers once it has voted (VOTE), and an ABORT vote decides ABORT at once.
//! Phase 2: with every vote COMMIT the coordinator becomes *pre-committed* and sends PRECOMMIT;
//! each participant becomes pre-committed and acknowledges (ACK). Phase 3: with every ACK (or
//! a crash detected instead) the coordinator decides COMMIT and sends DOCOMMIT. An ABORT vote,
//! or a crash before phase 2, makes it decide ABORT and send ABORT. The extra phase is what
//! 2PC lacks: nobody commits before everyone still up is pre-committed, so a process that is
//! *uncertain* (voted COMMIT, not pre-committed) knows that nobody has committed.
//!
//! Termination protocol: the coordinator is the lowest process P has not detected. A process
//! that becomes coordinator after process 0 crashed sends its decision to all if it has one,
//! and otherwise asks everyone still up for their state (STATEREQ, STATE): if some process
//! committed it decides COMMIT; if some aborted, ABORT; if some is pre-committed it runs
//! phases 2 and 3 again; if all are uncertain, ABORT. If it crashes in turn, the next one
//! starts again. Agreement rests on P's accuracy: only a crashed coordinator is replaced.
//!
//! Broken by a partition (the book's B-9.7): a detector that takes a partition for crashes
//! elects a coordinator on each side. The coordinator's side, pre-committed, commits when the
//! other side's ACKs stop; the other side, all uncertain, aborts (uniform agreement, NBAC5).
//! No atomic commit protocol that decides on both sides of a partition can avoid this.

use crate::interface::{Decide, Propose, Vote};
use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Module, Pid, Time, ToValue, Value};
use links::{Deliver, Link, PerfectLinks, Send};
use std::collections::{BTreeMap, BTreeSet};

/// The first coordinator.
pub const COORDINATOR: Pid = 0;

/// What a process reports to a new coordinator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Not pre-committed and undecided.
    Uncertain,
    PreCommitted,
    Committed,
    Aborted,
}

/// The messages of Three-Phase Commit, in Skeen's words.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Msg {
    CanCommit,
    Vote(Vote),
    PreCommit,
    Ack,
    DoCommit,
    Abort,
    StateReq,
    State(Phase),
}

impl ToValue for Msg {
    fn to_value(&self) -> Value {
        let word = |w: &str| Value::str(w);
        match self {
            Msg::CanCommit => word("CANCOMMIT"),
            Msg::Vote(v) => Value::List(vec![word("VOTE"), v.to_value()]),
            Msg::PreCommit => word("PRECOMMIT"),
            Msg::Ack => word("ACK"),
            Msg::DoCommit => word("DOCOMMIT"),
            Msg::Abort => word("ABORT"),
            Msg::StateReq => word("STATEREQ"),
            Msg::State(p) => Value::List(vec![word("STATE"), Value::debug(p)]),
        }
    }
}

/// The messages (or timers) of the links or of P.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire<L, D> {
    Pl(L),
    Detector(D),
}

/// Three-Phase Commit over the links `L` and the detector `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ThreePhaseCommit<D: PerfectDetector, L: Link<Msg> = PerfectLinks<Msg>> {
    pl: L,
    p: D,
    vote: Option<Vote>,
    /// Participant: the coordinator asked for the vote; the vote has been sent.
    asked: bool,
    sent: bool,
    /// Pre-committed (phase 2).
    precommitted: bool,
    decision: Option<Vote>,
    /// The decision has been sent to all (as coordinator).
    announced: bool,
    detected: BTreeSet<Pid>,
    /// Coordinator: the votes (process 0 only), the ACKs of its PRECOMMIT round (`None`
    /// before it), the states reported to it (a new coordinator's termination protocol).
    votes: BTreeMap<Pid, Vote>,
    acks: Option<BTreeSet<Pid>>,
    states: Option<BTreeMap<Pid, Phase>>,
}

automata::below! {
    impl[D: PerfectDetector, L: Link<Msg>] ThreePhaseCommit<D, L>;
    /// Slot of the perfect links.
    Pl(pl: L) as "pl" => on_pl_deliver, msg Wire::Pl, timer Wire::Pl;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg Wire::Detector, timer Wire::Detector;
}

impl<D: PerfectDetector> ThreePhaseCommit<D> {
    /// Over perfect links with retransmission period `period` and the detector `p`.
    pub fn new(period: Time, p: D) -> Self {
        ThreePhaseCommit::over(PerfectLinks::new(period), p)
    }
}

impl<D: PerfectDetector, L: Link<Msg>> ThreePhaseCommit<D, L> {
    /// Over the links `pl` and the detector `p`.
    pub fn over(pl: L, p: D) -> Self {
        ThreePhaseCommit {
            pl,
            p,
            vote: None,
            asked: false,
            sent: false,
            precommitted: false,
            decision: None,
            announced: false,
            detected: BTreeSet::new(),
            votes: BTreeMap::new(),
            acks: None,
            states: None,
        }
    }

    fn phase(&self) -> Phase {
        match self.decision {
            Some(Vote::Commit) => Phase::Committed,
            Some(Vote::Abort) => Phase::Aborted,
            None if self.precommitted => Phase::PreCommitted,
            None => Phase::Uncertain,
        }
    }

    /// The coordinator as this process sees it: the lowest process P has not detected.
    fn coordinator(&self, ctx: &Ctx<Self>) -> Pid {
        ctx.processes()
            .find(|q| !self.detected.contains(q))
            .unwrap_or(COORDINATOR)
    }

    /// The processes not detected, but this one.
    fn others_up(&self, ctx: &Ctx<Self>) -> Vec<Pid> {
        let me = ctx.me();
        ctx.processes()
            .filter(|q| *q != me && !self.detected.contains(q))
            .collect()
    }

    fn send(&mut self, ctx: &mut Ctx<Self>, to: Pid, msg: Msg) {
        ctx.trigger(self, Pl, Send { to, msg });
    }

    fn send_all(&mut self, ctx: &mut Ctx<Self>, msg: Msg) {
        for q in self.others_up(ctx) {
            self.send(ctx, q, msg.clone());
        }
    }

    fn decide(&mut self, ctx: &mut Ctx<Self>, d: Vote) {
        if self.decision.is_none() {
            self.decision = Some(d);
            ctx.indicate(Decide(d));
        }
    }

    /// Decides `d` and tells everyone still up (DOCOMMIT or ABORT).
    fn decide_and_send(&mut self, ctx: &mut Ctx<Self>, d: Vote) {
        self.decide(ctx, d);
        self.announced = true;
        let msg = match d {
            Vote::Commit => Msg::DoCommit,
            Vote::Abort => Msg::Abort,
        };
        self.send_all(ctx, msg);
    }

    /// Phase 2 as coordinator: pre-commit, send PRECOMMIT, collect ACKs.
    fn precommit_all(&mut self, ctx: &mut Ctx<Self>) {
        self.precommitted = true;
        self.acks = Some(BTreeSet::from([ctx.me()]));
        self.send_all(ctx, Msg::PreCommit);
    }

    /// `upon event ⟨ P, Crash | q ⟩ do detected := detected ∪ {q}`.
    fn on_crash(&mut self, _ctx: &mut Ctx<Self>, Crash(q): Crash) {
        self.detected.insert(q);
    }

    /// The replies to the coordinator (VOTE, ACK, STATE), its orders (CANCOMMIT, PRECOMMIT,
    /// DOCOMMIT, ABORT) and the new coordinator's STATEREQ.
    fn on_pl_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Msg>) {
        match msg {
            Msg::CanCommit => self.asked = true,
            Msg::Vote(v) => {
                self.votes.insert(from, v);
            }
            Msg::PreCommit => {
                if self.decision.is_none() {
                    self.precommitted = true;
                    self.send(ctx, from, Msg::Ack);
                }
            }
            Msg::Ack => {
                if let Some(acks) = self.acks.as_mut() {
                    acks.insert(from);
                }
            }
            Msg::DoCommit => self.decide(ctx, Vote::Commit),
            Msg::Abort => self.decide(ctx, Vote::Abort),
            Msg::StateReq => {
                let s = self.phase();
                self.send(ctx, from, Msg::State(s));
            }
            Msg::State(s) => {
                if let Some(states) = self.states.as_mut() {
                    states.insert(from, s);
                }
            }
        }
    }

    /// Process 0, phases 1 and 2: `upon decision = ⊥ ∧ ¬precommitted ∧ (ABORT ∈ votes ∨
    /// some process detected)` decide and send ABORT; `upon votes = Π × {COMMIT}`
    /// pre-commit.
    fn coordinate_votes(&mut self, ctx: &mut Ctx<Self>) {
        if self.decision.is_some() || self.precommitted {
            return;
        }
        let abort = self.votes.values().any(|&v| v == Vote::Abort);
        if abort || !self.detected.is_empty() {
            self.decide_and_send(ctx, Vote::Abort);
        } else if self.votes.len() == ctx.n() {
            self.precommit_all(ctx);
        }
    }

    // ANCHOR: terminate
    /// A later coordinator: `upon coordinator = self ∧ states = ⊥` send STATEREQ;
    /// `upon decision ≠ ⊥ ∧ ¬announced` send the decision (it may come from its own ABORT
    /// vote, meanwhile); `upon every process up reported` apply the termination rule.
    fn terminate(&mut self, ctx: &mut Ctx<Self>) {
        if let (Some(d), false) = (self.decision, self.announced) {
            return self.decide_and_send(ctx, d);
        }
        if self.states.is_none() {
            self.states = Some(BTreeMap::from([(ctx.me(), self.phase())]));
            return self.send_all(ctx, Msg::StateReq);
        }
        if self.decision.is_some() || self.acks.is_some() {
            return;
        }
        let (phase, up) = (self.phase(), self.others_up(ctx));
        let states = self.states.as_mut().expect("set above");
        states.insert(ctx.me(), phase);
        if !up.iter().all(|q| states.contains_key(q)) {
            return;
        }
        let reported: BTreeSet<Phase> = states.values().copied().collect();
        if reported.contains(&Phase::Committed) {
            self.decide_and_send(ctx, Vote::Commit);
        } else if reported.contains(&Phase::Aborted) {
            self.decide_and_send(ctx, Vote::Abort);
        } else if reported.contains(&Phase::PreCommitted) {
            self.precommit_all(ctx);
        } else {
            self.decide_and_send(ctx, Vote::Abort);
        }
    }
    // ANCHOR_END: terminate
}

impl<D: PerfectDetector, L: Link<Msg>> Module for ThreePhaseCommit<D, L> {
    const NAME: &'static str = "nbac";
    type Req = Propose<Vote>;
    type Ind = Decide<Vote>;
    type Msg = Wire<L::Msg, D::Msg>;
    type Timer = Wire<L::Timer, D::Timer>;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Pl);
        ctx.init(self, Fd);
    }

    /// `upon event ⟨ nbac, Propose | v ⟩ do vote := v`; at the coordinator `votes[0] := v` and
    /// CANCOMMIT to all; an ABORT vote decides ABORT at once.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Propose(v): Propose<Vote>) {
        if self.vote.is_some() {
            return;
        }
        self.vote = Some(v);
        if ctx.me() == COORDINATOR {
            self.votes.insert(COORDINATOR, v);
            if v == Vote::Commit {
                self.send_all(ctx, Msg::CanCommit);
            }
        } else if v == Vote::Abort {
            self.decide(ctx, Vote::Abort);
        }
    }

    /// Participant: `upon asked ∧ vote ≠ ⊥ ∧ ¬sent` send VOTE. Coordinator: the phase rules
    /// above; with every ACK (or detection) in, decide COMMIT and send DOCOMMIT.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        let me = ctx.me();
        if me != COORDINATOR {
            if let (Some(v), true, false) = (self.vote, self.asked, self.sent) {
                self.sent = true;
                self.send(ctx, COORDINATOR, Msg::Vote(v));
            }
        }
        if self.coordinator(ctx) != me {
            return;
        }
        if me == COORDINATOR {
            self.coordinate_votes(ctx);
        } else {
            self.terminate(ctx);
        }
        let all_acked = self.acks.as_ref().is_some_and(|acks| {
            ctx.processes()
                .all(|q| acks.contains(&q) || self.detected.contains(&q))
        });
        if all_acked && self.decision.is_none() {
            self.decide_and_send(ctx, Vote::Commit);
        }
    }

    automata::pass_through!(match Wire {
        Pl => Pl,
        Detector => Fd,
    });
}

use crate::abstractions::{propose, PERIOD};
use catalogue::{job, Algorithm};
use links::detectors::{abstractions::perfect, AnyPerfect};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "three-phase-commit", abstraction: "nbac", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect); agreement breaks when a partition fools the detector",
    summary: "Three-Phase Commit (Skeen): votes, PRECOMMIT and ACKs, then DOCOMMIT; a new coordinator collects the states and finishes (termination protocol)",
    build: |l, p| {
        let (d, period) = (perfect(l, p)?, p.int("period"));
        job(l, p, move |_| ThreePhaseCommit::<AnyPerfect>::new(period, d.clone()), propose)
    };
};
