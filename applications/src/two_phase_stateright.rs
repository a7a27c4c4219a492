//! TLA+'s `TwoPhase` as a plain `stateright::Model`: the yardstick our model checker is
//! measured against (`ioa bench`, `cargo bench -p applications --bench two_phase`; the book's
//! performance page).
//!
//! The specification's variables are a few sets and its actions an enum, with nothing of this
//! workspace's machinery (modules, timers, network, monitors): stateright's own checker on it
//! is the least a breadth-first search of the protocol costs. Its state graph is the one
//! [`crate::two_phase_tla`] gives our checker: 288, 8,832 and 296,448 distinct states for 3, 5
//! and 7 resource managers (the counts TLC reports), and `consistent` (no RM commits while
//! another aborts, `tc-consistent` there) holds in every state.

use crate::monitors::TcConsistent;
use crate::two_phase_tla::{tla_network, TwoPhase};
use automata::check::{Budget, Explore, Search};
use automata::{Monitors, Setup};
use stateright::{Checker, Model, Property};
use std::collections::BTreeSet;

/// A resource manager's `rmState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rm {
    Working,
    Prepared,
    Committed,
    Aborted,
}

/// A message of `msgs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Message {
    Prepared(usize),
    Commit,
    Abort,
}

/// The specification's variables; `tm` is `None` while `tmState = "init"`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Vars {
    pub rm: Vec<Rm>,
    pub tm: Option<Message>,
    pub tm_prepared: BTreeSet<usize>,
    pub msgs: BTreeSet<Message>,
}

/// The specification's actions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    TmRcvPrepared(usize),
    TmCommit,
    TmAbort,
    RmPrepare(usize),
    RmChooseToAbort(usize),
    RmRcvCommitMsg(usize),
    RmRcvAbortMsg(usize),
}

/// TwoPhase with `rms` resource managers, as a stateright model.
pub struct TwoPhaseSpec {
    pub rms: usize,
}

impl Model for TwoPhaseSpec {
    type State = Vars;
    type Action = Step;

    fn init_states(&self) -> Vec<Vars> {
        vec![Vars {
            rm: vec![Rm::Working; self.rms],
            tm: None,
            tm_prepared: BTreeSet::new(),
            msgs: BTreeSet::new(),
        }]
    }

    fn actions(&self, s: &Vars, out: &mut Vec<Step>) {
        if s.tm.is_none() {
            if s.tm_prepared.len() == self.rms {
                out.push(Step::TmCommit);
            }
            out.push(Step::TmAbort);
        }
        for r in 0..self.rms {
            if s.tm.is_none() && s.msgs.contains(&Message::Prepared(r)) {
                out.push(Step::TmRcvPrepared(r));
            }
            if s.rm[r] == Rm::Working {
                out.push(Step::RmPrepare(r));
                out.push(Step::RmChooseToAbort(r));
            }
            if s.msgs.contains(&Message::Commit) {
                out.push(Step::RmRcvCommitMsg(r));
            }
            if s.msgs.contains(&Message::Abort) {
                out.push(Step::RmRcvAbortMsg(r));
            }
        }
    }

    fn next_state(&self, s: &Vars, step: Step) -> Option<Vars> {
        let mut s = s.clone();
        match step {
            Step::TmRcvPrepared(r) => {
                s.tm_prepared.insert(r);
            }
            Step::TmCommit | Step::TmAbort => {
                let m = if step == Step::TmCommit {
                    Message::Commit
                } else {
                    Message::Abort
                };
                s.tm = Some(m);
                s.msgs.insert(m);
            }
            Step::RmPrepare(r) => {
                s.rm[r] = Rm::Prepared;
                s.msgs.insert(Message::Prepared(r));
            }
            Step::RmChooseToAbort(r) | Step::RmRcvAbortMsg(r) => s.rm[r] = Rm::Aborted,
            Step::RmRcvCommitMsg(r) => s.rm[r] = Rm::Committed,
        }
        Some(s)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![Property::always("consistent", |_, s: &Vars| {
            !(s.rm.contains(&Rm::Committed) && s.rm.contains(&Rm::Aborted))
        })]
    }
}

/// Unique states of stateright's breadth-first search of [`TwoPhaseSpec`] on one thread;
/// panics if `consistent` fails.
pub fn stateright_check(rms: usize) -> usize {
    let checker = TwoPhaseSpec { rms }.checker().threads(1).spawn_bfs().join();
    checker.assert_properties();
    checker.unique_state_count()
}

/// Unique states of our checker's breadth-first search of `two-phase-tla` with `rms` resource
/// managers on one thread, on the network of the bundled scenarios; panics if the search finds
/// a violation or does not finish.
pub fn ioa_check(rms: usize) -> usize {
    let setup = Setup::new(rms + 1, tla_network(), |_| TwoPhase::default());
    let monitors = Monitors::new(vec![Box::new(TcConsistent::new("tc"))]);
    let report = Explore::new(setup, monitors).check(Search::Bfs, Budget::depth(1_000), 1);
    assert!(report.counterexample.is_none() && report.coverage.complete);
    report.unique_states
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_checkers_see_the_specification_graph() {
        assert_eq!(stateright_check(3), 288);
        assert_eq!(ioa_check(3), 288);
    }
}
