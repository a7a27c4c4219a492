//! Two-phase commit as Lamport's TLA+ specification `TwoPhase` writes it (Gray and Lamport,
//! "Consensus on Transaction Commit", 2006), offered as transaction commit `tc` (the
//! specification's `TCommit`), whose one property is `tc-consistent`: no resource manager
//! commits while another aborts.
//!
//! Algorithm id: `two-phase-tla`.
//!
//! Process 0 is the transaction manager (TM), processes 1 to N − 1 the resource managers (RMs).
//! Model: no failures; the network is a set of messages that only grows, as the
//! specification's `msgs` is (`[model.links] redeliver = true`: a message once sent can be
//! received any number of times). Each action of the specification is one step here:
//!
//! | TLA+ action | here |
//! |---|---|
//! | `RMPrepare(rm)`, `RMChooseToAbort(rm)` | a working RM's `Choose` timer: it picks one (`ctx.choose`) |
//! | `TMRcvPrepared(rm)` | the TM receives `[Prepared]` from rm while undecided |
//! | `TMCommit`, `TMAbort` | the TM's `Choose` timer: COMMIT (if every RM prepared) or ABORT |
//! | `RMRcvCommitMsg(rm)`, `RMRcvAbortMsg(rm)` | rm receives `[Commit]`, `[Abort]` |
//!
//! A pending `Choose` timer is the specification's "working" (an RM) or "init" (the TM);
//! every timer is due at time 0 and every delay may be 0, so time never passes and any
//! interleaving goes. The model checker's state graph is then the specification's: 288,
//! 8,832 and 296,448 distinct states for 3, 5 and 7 RMs, the counts TLC and stateright give
//! (pinned in `applications/tests/two_phase_tla.rs`). The simulator runs one interleaving.
//!
//! Mutant: [`TwoPhase::commit_early`] drops `TMCommit`'s guard that every RM has prepared;
//! an RM that chose to abort then sees the TM commit (`tc-consistent`).

use crate::interface::{Decide, Vote};
use automata::model::{Delay, Links, Timing};
use automata::{Ctx, Module, Pid, SystemModel, ToValue, Value};
use std::collections::BTreeSet;
use std::convert::Infallible;

/// The transaction manager.
pub const TM: Pid = 0;

/// The specification's network, as the bundled scenarios give it: every delay may be 0 (time
/// never passes), no bound on it, and every message stays deliverable.
pub fn tla_network() -> SystemModel {
    SystemModel {
        timing: Timing::Asynchronous,
        delay: Delay {
            min: 0,
            max: 1,
            tail: 0.0,
        },
        links: Links {
            redeliver: true,
            ..Links::default()
        },
        ..SystemModel::default()
    }
}

/// The specification's messages.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Msg {
    /// `[type |-> "Prepared", rm |-> rm]`, the RM being the sender.
    Prepared,
    /// `[type |-> "Commit"]`.
    Commit,
    /// `[type |-> "Abort"]`.
    Abort,
}

impl ToValue for Msg {
    fn to_value(&self) -> Value {
        Value::str(match self {
            Msg::Prepared => "Prepared",
            Msg::Commit => "Commit",
            Msg::Abort => "Abort",
        })
    }
}

/// An RM's `rmState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RmState {
    Working,
    Prepared,
    Committed,
    Aborted,
}

/// The one timer: the process's own next move is due.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Choose;

/// One process of TwoPhase: the TM's state at process 0, an RM's elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TwoPhase {
    /// RM: `rmState[self]`.
    rm_state: RmState,
    /// TM: `tmState` is "init" while this is `None`.
    tm_state: Option<Vote>,
    /// TM: `tmPrepared`.
    tm_prepared: BTreeSet<Pid>,
    /// MUTANT: the TM may commit before every RM prepared.
    commit_early: bool,
}

impl Default for TwoPhase {
    fn default() -> Self {
        TwoPhase {
            rm_state: RmState::Working,
            tm_state: None,
            tm_prepared: BTreeSet::new(),
            commit_early: false,
        }
    }
}

impl TwoPhase {
    /// MUTANT: `TMCommit` without its guard `tmPrepared = RM`.
    pub fn commit_early(self) -> Self {
        TwoPhase {
            commit_early: true,
            ..self
        }
    }

    /// The RMs: every process but the TM.
    fn rms(ctx: &Ctx<Self>) -> impl Iterator<Item = Pid> {
        ctx.processes().filter(|&p| p != TM)
    }

    /// `rmState[self] := s`, telling the layer above when the RM's outcome changes.
    fn set_rm_state(&mut self, ctx: &mut Ctx<Self>, s: RmState) {
        if self.rm_state == RmState::Working {
            ctx.cancel_timer(Choose);
        }
        let outcome = |s| match s {
            RmState::Committed => Some(Vote::Commit),
            RmState::Aborted => Some(Vote::Abort),
            _ => None,
        };
        if let (Some(d), true) = (outcome(s), outcome(s) != outcome(self.rm_state)) {
            ctx.indicate(Decide(d));
        }
        self.rm_state = s;
    }

    /// `TMCommit` / `TMAbort`: `tmState := d; msgs := msgs ∪ {[type |-> d]}`.
    fn tm_decide(&mut self, ctx: &mut Ctx<Self>, d: Vote) {
        self.tm_state = Some(d);
        let msg = match d {
            Vote::Commit => Msg::Commit,
            Vote::Abort => Msg::Abort,
        };
        for rm in Self::rms(ctx).collect::<Vec<_>>() {
            ctx.send(rm, msg.clone());
        }
    }
}

impl Module for TwoPhase {
    const NAME: &'static str = "tc";
    type Req = Infallible;
    type Ind = Decide<Vote>;
    type Msg = Msg;
    type Timer = Choose;

    /// `TPInit`: every RM working, the TM in "init", nothing prepared, no message.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.set_timer(0, Choose);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: Infallible) {
        match req {}
    }

    // ANCHOR: actions
    /// TM: `TMCommit` (`tmState = "init" ∧ tmPrepared = RM`) or `TMAbort`
    /// (`tmState = "init"`). RM: `RMPrepare(rm)` (`rmState[rm] = "working"`; send
    /// `[Prepared, rm]`) or `RMChooseToAbort(rm)`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, _: Choose) {
        if ctx.me() == TM {
            let all = self.tm_prepared.len() == Self::rms(ctx).count();
            let d = if (all || self.commit_early) && ctx.choose(2) == 0 {
                Vote::Commit
            } else {
                Vote::Abort
            };
            self.tm_decide(ctx, d);
        } else if ctx.choose(2) == 0 {
            self.set_rm_state(ctx, RmState::Prepared);
            ctx.send(TM, Msg::Prepared);
        } else {
            self.set_rm_state(ctx, RmState::Aborted);
        }
    }

    /// `TMRcvPrepared(rm)`: `tmState = "init" ∧ [Prepared, rm] ∈ msgs`;
    /// `tmPrepared := tmPrepared ∪ {rm}`. `RMRcvCommitMsg(rm)`: `[Commit] ∈ msgs`;
    /// `rmState[rm] := "committed"`. `RMRcvAbortMsg(rm)`: `rmState[rm] := "aborted"`.
    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Msg) {
        match msg {
            Msg::Prepared if ctx.me() == TM && self.tm_state.is_none() => {
                self.tm_prepared.insert(from);
            }
            Msg::Commit if ctx.me() != TM => self.set_rm_state(ctx, RmState::Committed),
            Msg::Abort if ctx.me() != TM => self.set_rm_state(ctx, RmState::Aborted),
            _ => {}
        }
    }
    // ANCHOR_END: actions
}

use catalogue::{job, no_request, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "two-phase-tla", abstraction: "tc",
    model: "no failures; a network that keeps every message (model.links.redeliver), as TLA+'s msgs",
    summary: "TwoPhase as Lamport's TLA+ specification writes it: process 0 the TM, the others RMs that prepare or abort on their own",
    build: |l, p| job(l, p, |_| TwoPhase::default(), no_request);

    id: "two-phase-tla-commit-early", abstraction: "tc", mutant: true,
    model: "the TM commits without waiting for every RM to prepare",
    summary: "MUTANT: TwoPhase whose TMCommit has no guard tmPrepared = RM",
    build: |l, p| job(l, p, |_| TwoPhase::default().commit_early(), no_request);
};
