//! The two validity properties of non-blocking atomic commit (CGR Section 6.6), NBAC2
//! abort-validity and NBAC3 commit-validity, over the `Propose | v` and `Decide | d` events of
//! the `nbac` layer and the crashes of the run. And TLA+'s `TCConsistent`, the one property of
//! transaction commit `tc`, over the resource managers' `Decide | d` events.

use crate::interface::Vote;
use automata::{Event, Kind, Layer, Monitor, Pid, TraceEvent, Value, Violation};
use std::collections::BTreeMap;

/// The vote of a `Propose` request or the outcome of a `Decide` indication of the layer:
/// `(is a decision, value)`.
fn commit_event<'e>(layer: &Layer, e: &'e TraceEvent) -> Option<(bool, &'e Value)> {
    match (e.kind, layer.event(e)?) {
        (Kind::Request, Event::Propose { value }) => Some((false, value)),
        (Kind::Indication, Event::Decide { value }) => Some((true, value)),
        _ => None,
    }
}

/// NBAC2 `abort-validity` (S): a process decides ABORT only if some process proposed ABORT or
/// some process crashed. Judged when the decision is taken: the proposal or the crash must
/// come before it (no algorithm can know of one that has not happened yet), so the property
/// is prefix-closed. A crash is the environment's `crash` event, at any process.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AbortValidity {
    layer: Layer,
    /// The first process that proposed ABORT.
    aborter: Option<Pid>,
    /// The first process that crashed.
    crashed: Option<Pid>,
}

impl AbortValidity {
    pub fn new(module: &str) -> Self {
        AbortValidity {
            layer: Layer::new(module),
            aborter: None,
            crashed: None,
        }
    }
}

impl Monitor for AbortValidity {
    automata::property!("abort-validity", Safety; layer, crashes);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if e.kind == Kind::Crash {
            self.crashed.get_or_insert(e.process);
            return None;
        }
        let (decision, value) = commit_event(&self.layer, e)?;
        if Vote::parse(value.as_str()?)? != Vote::Abort {
            return None;
        }
        if !decision {
            self.aborter.get_or_insert(e.process);
            return None;
        }
        (self.aborter.is_none() && self.crashed.is_none()).then(|| {
            Violation::at(
                e,
                format!(
                    "process {} decided abort, but no process had proposed abort and none had crashed",
                    e.process
                ),
            )
        })
    }
}

/// NBAC3 `commit-validity` (S): a process decides COMMIT only if no process proposes ABORT.
/// Violated by a COMMIT decision after an ABORT proposal, and by an ABORT proposal after a
/// COMMIT decision (the property speaks of the whole run).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CommitValidity {
    layer: Layer,
    /// The first process that proposed ABORT.
    aborter: Option<Pid>,
    /// The first process that decided COMMIT.
    committer: Option<Pid>,
}

impl CommitValidity {
    pub fn new(module: &str) -> Self {
        CommitValidity {
            layer: Layer::new(module),
            aborter: None,
            committer: None,
        }
    }
}

impl Monitor for CommitValidity {
    automata::property!("commit-validity", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let (decision, value) = commit_event(&self.layer, e)?;
        let p = e.process;
        match (decision, Vote::parse(value.as_str()?)?) {
            (false, Vote::Abort) => {
                self.aborter.get_or_insert(p);
                let q = self.committer?;
                Some(Violation::at(
                    e,
                    format!("process {p} proposed abort after process {q} decided commit"),
                ))
            }
            (true, Vote::Commit) => {
                self.committer.get_or_insert(p);
                let q = self.aborter?;
                Some(Violation::at(
                    e,
                    format!("process {p} decided commit, but process {q} proposed abort"),
                ))
            }
            _ => None,
        }
    }
}

/// `tc-consistent` (S), TLA+'s `TCConsistent`: no resource manager has committed while another
/// has aborted. Its state is each process's last outcome (a function of the processes' states,
/// so that it splits no state of the model checker's graph); an outcome that differs from
/// another process's current one breaks it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TcConsistent {
    layer: Layer,
    outcome: BTreeMap<Pid, Vote>,
}

impl TcConsistent {
    pub fn new(module: &str) -> Self {
        TcConsistent {
            layer: Layer::new(module),
            outcome: BTreeMap::new(),
        }
    }
}

impl Monitor for TcConsistent {
    automata::property!("tc-consistent", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let (true, value) = commit_event(&self.layer, e)? else {
            return None;
        };
        let d = Vote::parse(value.as_str()?)?;
        self.outcome.insert(e.process, d);
        let (&q, _) = self.outcome.iter().find(|&(_, &o)| o != d)?;
        Some(Violation::at(
            e,
            format!(
                "process {} {} while process {q} {}",
                e.process,
                past(d),
                past(self.outcome[&q])
            ),
        ))
    }
}

fn past(d: Vote) -> &'static str {
    match d {
        Vote::Commit => "committed",
        Vote::Abort => "aborted",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use automata::monitor::first_violation;
    use automata::trace::ENV;

    /// One step of an atomic-commit run: process p proposes (`P`) or decides (`D`) a vote, or
    /// crashes (`X`, the vote ignored).
    fn commit_run(steps: &[(Pid, char, Vote)]) -> Vec<TraceEvent> {
        let step = |(i, &(p, s, v)): (usize, &(Pid, char, Vote))| {
            let value = v.to_value();
            let (module, kind, event) = match s {
                'P' => ("nbac", Kind::Request, Event::Propose { value }),
                'D' => ("nbac", Kind::Indication, Event::Decide { value }),
                _ => (ENV, Kind::Crash, Event::Lifecycle),
            };
            TraceEvent::scripted(i, p, module, kind, event)
        };
        steps.iter().enumerate().map(step).collect()
    }

    use crate::interface::Vote::{Abort, Commit};
    use automata::ToValue;

    /// ABORT is a valid decision after an ABORT proposal or a crash, by anyone, and not
    /// otherwise; nor is a crash that comes after the decision an excuse.
    #[test]
    fn abort_validity_needs_an_abort_or_a_crash_before_the_decision() {
        let check = |steps| first_violation(&mut AbortValidity::new("nbac"), &commit_run(steps));
        assert_eq!(
            check(&[(0, 'P', Abort), (1, 'P', Commit), (1, 'D', Abort)]),
            None
        );
        assert_eq!(
            check(&[(0, 'P', Commit), (2, 'X', Commit), (1, 'D', Abort)]),
            None
        );
        assert_eq!(
            check(&[(0, 'P', Commit), (1, 'P', Commit), (1, 'D', Abort)]),
            Some(2)
        );
        assert_eq!(
            check(&[(0, 'P', Commit), (1, 'D', Abort), (2, 'X', Commit)]),
            Some(1)
        );
        assert_eq!(check(&[(0, 'P', Commit), (0, 'D', Commit)]), None);
    }

    /// COMMIT is invalid once anyone proposed ABORT, and an ABORT proposal after a COMMIT
    /// decision breaks the property as well; crashes do not matter.
    #[test]
    fn commit_validity_catches_an_abort_proposal_before_or_after_the_commit() {
        let check = |steps| first_violation(&mut CommitValidity::new("nbac"), &commit_run(steps));
        assert_eq!(
            check(&[(0, 'P', Abort), (1, 'P', Commit), (1, 'D', Commit)]),
            Some(2)
        );
        assert_eq!(
            check(&[(0, 'P', Commit), (0, 'D', Commit), (1, 'P', Abort)]),
            Some(2)
        );
        assert_eq!(
            check(&[(0, 'P', Commit), (1, 'X', Commit), (0, 'D', Commit)]),
            None
        );
        assert_eq!(check(&[(0, 'P', Abort), (0, 'D', Abort)]), None);
    }

    /// An abort and a commit at two processes break TCConsistent, in either order; an RM that
    /// aborts twice, or every RM committing, does not.
    #[test]
    fn tc_consistent_catches_a_commit_beside_an_abort() {
        let check = |steps| first_violation(&mut TcConsistent::new("nbac"), &commit_run(steps));
        assert_eq!(check(&[(1, 'D', Abort), (2, 'D', Commit)]), Some(1));
        assert_eq!(
            check(&[(1, 'D', Commit), (3, 'D', Commit), (2, 'D', Abort)]),
            Some(2)
        );
        assert_eq!(
            check(&[(1, 'D', Abort), (1, 'D', Abort), (2, 'D', Abort)]),
            None
        );
        assert_eq!(check(&[(1, 'D', Commit), (2, 'D', Commit)]), None);
    }
}
