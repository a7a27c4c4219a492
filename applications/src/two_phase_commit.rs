//! Two-Phase Commit, the classic coordinator-based atomic commit, offered as `nbac` to show
//! which of its properties it lacks.
//!
//! Algorithm id: `two-phase-commit`.
//!
//! Model: crash-stop over perfect links, no failure detector. Process 0 coordinates and also
//! votes. When it proposes COMMIT it asks every other process for its vote (PREPARE); a
//! participant answers with its vote once it has both proposed and been asked (VOTE). The
//! coordinator decides COMMIT once all N votes are COMMIT, ABORT as soon as one is ABORT (its
//! own ABORT vote decides at once, without asking), and sends its decision to every
//! participant (DECISION), which decides it. Cost without failures, every vote COMMIT: three
//! steps (PREPARE, VOTE, DECISION) and 3(N − 1) messages, since the coordinator's own vote and
//! decision do not travel.
//!
//! It is safe: every decision is the coordinator's one decision (uniform agreement, integrity),
//! COMMIT needs every vote COMMIT (commit-validity), and ABORT an ABORT vote (abort-validity).
//! It is not an NBAC algorithm: it blocks. A participant that has voted COMMIT cannot tell
//! whether the coordinator decided, and must wait for it; if the coordinator crashes before
//! its decision leaves, every participant waits for ever (termination, NBAC1). The coordinator
//! waits as well for the vote of a participant that crashed before voting.
//!
//! Mutant: [`TwoPhaseCommit::timeout_abort`] lets a participant that has voted and heard
//! nothing for `timeout` ticks decide ABORT (a later decision is ignored). When the
//! coordinator decided COMMIT and crashed before the decision arrived, the two decisions
//! differ (uniform agreement, NBAC5); with slow links and no crash at all, the participant
//! aborts though nobody proposed ABORT or crashed (abort-validity, NBAC2).

use crate::interface::{Decide, Propose, Vote};
use automata::{Ctx, Module, Pid, Time, ToValue, Value};
use links::{Deliver, Link, PerfectLinks, Send};
use std::collections::BTreeMap;

/// The coordinator.
pub const COORDINATOR: Pid = 0;

/// The messages of Two-Phase Commit, in the classic words.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Msg {
    /// `[PREPARE]`: the coordinator asks for a vote.
    Prepare,
    /// `[VOTE, v]`: a participant's vote.
    Vote(Vote),
    /// `[DECISION, d]`: the coordinator's decision.
    Decision(Vote),
}

impl ToValue for Msg {
    fn to_value(&self) -> Value {
        Value::List(match self {
            Msg::Prepare => vec![Value::str("PREPARE")],
            Msg::Vote(v) => vec![Value::str("VOTE"), v.to_value()],
            Msg::Decision(d) => vec![Value::str("DECISION"), d.to_value()],
        })
    }
}

/// The timers: the links' own, and the mutant's timeout.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer<T> {
    Pl(T),
    Timeout,
}

/// Two-Phase Commit over the links `L`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TwoPhaseCommit<L: Link<Msg> = PerfectLinks<Msg>> {
    pl: L,
    /// This process's vote, once proposed.
    vote: Option<Vote>,
    /// Participant: the coordinator asked for the vote.
    asked: bool,
    /// Participant: the vote has been sent.
    sent: bool,
    /// Coordinator: the votes received, its own included.
    votes: BTreeMap<Pid, Vote>,
    /// The decision, once made.
    decision: Option<Vote>,
    /// The mutant's timeout, counted from the participant's vote.
    timeout: Option<Time>,
}

automata::below! {
    impl[L: Link<Msg>] TwoPhaseCommit<L>;
    /// Slot of the perfect links.
    Pl(pl: L) as "pl" => on_pl_deliver, timer Timer::Pl;
}

impl TwoPhaseCommit {
    /// Over perfect links with retransmission period `period`.
    pub fn new(period: Time) -> Self {
        TwoPhaseCommit::over(PerfectLinks::new(period))
    }
}

impl<L: Link<Msg>> TwoPhaseCommit<L> {
    /// Over the links `pl`.
    pub fn over(pl: L) -> Self {
        TwoPhaseCommit {
            pl,
            vote: None,
            asked: false,
            sent: false,
            votes: BTreeMap::new(),
            decision: None,
            timeout: None,
        }
    }

    /// MUTANT: a participant that has voted and has no decision `timeout` ticks later decides
    /// ABORT.
    pub fn timeout_abort(self, timeout: Time) -> Self {
        TwoPhaseCommit {
            timeout: Some(timeout.max(1)),
            ..self
        }
    }

    // ANCHOR: participant
    /// `upon event ⟨ pl, Deliver | c, [PREPARE] ⟩ do asked := TRUE`;
    /// `upon event ⟨ pl, Deliver | q, [VOTE, v] ⟩ do votes[q] := v` (coordinator);
    /// `upon event ⟨ pl, Deliver | c, [DECISION, d] ⟩ do if decision = ⊥ then decision := d;
    /// trigger ⟨ nbac, Decide | d ⟩`.
    fn on_pl_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Msg>) {
        match msg {
            Msg::Prepare => self.asked = true,
            Msg::Vote(v) => {
                self.votes.insert(from, v);
            }
            Msg::Decision(d) => self.decide(ctx, d),
        }
    }
    // ANCHOR_END: participant

    fn decide(&mut self, ctx: &mut Ctx<Self>, d: Vote) {
        if self.decision.is_none() {
            self.decision = Some(d);
            ctx.indicate(Decide(d));
        }
    }

    fn send_all(&mut self, ctx: &mut Ctx<Self>, msg: Msg) {
        for q in ctx.processes().filter(|&q| q != COORDINATOR) {
            ctx.trigger(
                self,
                Pl,
                Send {
                    to: q,
                    msg: msg.clone(),
                },
            );
        }
    }
}

impl<L: Link<Msg>> Module for TwoPhaseCommit<L> {
    const NAME: &'static str = "nbac";
    type Req = Propose<Vote>;
    type Ind = Decide<Vote>;
    type Msg = L::Msg;
    type Timer = Timer<L::Timer>;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Pl);
    }

    // ANCHOR: coordinator
    /// `upon event ⟨ nbac, Propose | v ⟩ do vote := v; if self = c then votes[c] := v;
    /// if v = COMMIT then forall q ≠ c do trigger ⟨ pl, Send | q, [PREPARE] ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Propose(v): Propose<Vote>) {
        if self.vote.is_some() {
            return;
        }
        self.vote = Some(v);
        if ctx.me() == COORDINATOR {
            self.votes.insert(COORDINATOR, v);
            if v == Vote::Commit {
                self.send_all(ctx, Msg::Prepare);
            }
        }
    }

    /// Participant: `upon asked ∧ vote ≠ ⊥ ∧ sent = FALSE do sent := TRUE;
    /// trigger ⟨ pl, Send | c, [VOTE, vote] ⟩`. Coordinator: `upon decision = ⊥ ∧
    /// (ABORT ∈ votes ∨ #votes = N) do decision := (ABORT if ABORT ∈ votes, else COMMIT);
    /// trigger ⟨ nbac, Decide | decision ⟩; forall q ≠ c do
    /// trigger ⟨ pl, Send | q, [DECISION, decision] ⟩`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        if ctx.me() != COORDINATOR {
            if let (Some(v), true, false) = (self.vote, self.asked, self.sent) {
                self.sent = true;
                ctx.trigger(
                    self,
                    Pl,
                    Send {
                        to: COORDINATOR,
                        msg: Msg::Vote(v),
                    },
                );
                if let Some(t) = self.timeout {
                    ctx.set_timer(t, Timer::Timeout);
                }
            }
            return;
        }
        let abort = self.votes.values().any(|&v| v == Vote::Abort);
        if self.decision.is_none() && (abort || self.votes.len() == ctx.n()) {
            let d = if abort { Vote::Abort } else { Vote::Commit };
            self.decide(ctx, d);
            self.send_all(ctx, Msg::Decision(d));
        }
    }
    // ANCHOR_END: coordinator

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Self::Msg) {
        ctx.pass_message(self, Pl, from, msg);
    }

    /// The mutant's `upon event ⟨ Timeout ⟩ do if decision = ⊥ then decision := ABORT;
    /// trigger ⟨ nbac, Decide | ABORT ⟩`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Self::Timer) {
        match timer {
            Timer::Pl(t) => ctx.pass_timer(self, Pl, t),
            Timer::Timeout => self.decide(ctx, Vote::Abort),
        }
    }
}

use crate::abstractions::{propose, PERIOD};
use catalogue::{job, Algorithm, Param};

/// The mutant's `timeout` parameter.
pub const TIMEOUT: Param = Param::int(
    "timeout",
    50,
    "ticks a participant waits for the decision after voting before it decides ABORT",
);

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "two-phase-commit", abstraction: "nbac", params: &[PERIOD],
    model: "crash-stop, no failure detector; blocks when the coordinator crashes: not an NBAC algorithm",
    summary: "Two-Phase Commit: process 0 collects the votes (PREPARE, VOTE), decides COMMIT iff all are COMMIT and sends its decision (DECISION)",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| TwoPhaseCommit::new(period), propose)
    };

    id: "two-phase-commit-timeout-abort", abstraction: "nbac", params: &[PERIOD, TIMEOUT], mutant: true,
    model: "a participant that waited `timeout` ticks after voting decides ABORT: it may disagree with a coordinator that decided COMMIT",
    summary: "MUTANT: Two-Phase Commit whose participants decide ABORT after params.timeout ticks without a decision",
    build: |l, p| {
        let (period, timeout) = (p.int("period"), p.int("timeout"));
        job(l, p, move |_| TwoPhaseCommit::new(period).timeout_abort(timeout), propose)
    };
};
