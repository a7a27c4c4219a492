//! The two properties of mutual exclusion (book §9.6), over the `acquire` request and the
//! `enter` and `exit` indications of the `mutex` layer ([`crate::interface::Cs`]) and the
//! crashes of the run.

use crate::interface::{ACQUIRE, ENTER, EXIT};
use automata::{Kind, Layer, Mark, Monitor, Pid, RunSummary, TraceEvent, Verdict, Violation};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// What `e` is on the mutex layer: `acquire` (a request), `enter` or `exit` (an indication).
fn mutex_event(layer: &Layer, e: &TraceEvent) -> Option<&'static str> {
    match layer.named(e)? {
        (Kind::Request, ACQUIRE, _) => Some(ACQUIRE),
        (Kind::Indication, ENTER, _) => Some(ENTER),
        (Kind::Indication, EXIT, _) => Some(EXIT),
        _ => None,
    }
}

/// `mutual-exclusion` (S): no two processes are in the critical section at once. A process is
/// in it from its `enter` to its `exit`, or to its crash. The state is the set of processes in
/// the critical section, a function of the processes' states.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MutualExclusion {
    layer: Layer,
    inside: BTreeSet<Pid>,
}

impl MutualExclusion {
    pub fn new(module: &str) -> Self {
        MutualExclusion {
            layer: Layer::new(module),
            inside: BTreeSet::new(),
        }
    }
}

impl Monitor for MutualExclusion {
    automata::property!("mutual-exclusion", Safety; layer, crashes);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = e.process;
        if e.kind == Kind::Crash {
            self.inside.remove(&p);
            return None;
        }
        match mutex_event(&self.layer, e)? {
            ENTER => {
                let other = self.inside.iter().copied().find(|&q| q != p);
                self.inside.insert(p);
                other.map(|q| {
                    Violation::at(
                        e,
                        format!(
                            "process {p} entered the critical section while process {q} was in it"
                        ),
                    )
                })
            }
            EXIT => {
                self.inside.remove(&p);
                None
            }
            _ => None,
        }
    }
}

/// `no-starvation` (L): every `acquire` of a correct process is followed by its `enter` by
/// the end of a complete run. Each `enter` answers the process's oldest open `acquire`; the
/// state is, per process, the times of its open ones.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoStarvation {
    layer: Layer,
    open: BTreeMap<Pid, VecDeque<Mark>>,
}

impl NoStarvation {
    pub fn new(module: &str) -> Self {
        NoStarvation {
            layer: Layer::new(module),
            open: BTreeMap::new(),
        }
    }
}

impl Monitor for NoStarvation {
    automata::property!("no-starvation", Liveness; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = e.process;
        match mutex_event(&self.layer, e)? {
            ACQUIRE => self.open.entry(p).or_default().push_back(Mark::of(e)),
            ENTER => {
                if let Some(open) = self.open.get_mut(&p) {
                    open.pop_front();
                    if open.is_empty() {
                        self.open.remove(&p);
                    }
                }
            }
            _ => {}
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let starved = run.correct().find_map(|p| {
            let at = *self.open.get(&p)?.front()?;
            Some(Violation::marked(
                at,
                format!("correct process {p} asked for the critical section and never entered it"),
            ))
        });
        run.liveness(starved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automata::monitor::{first_violation, judge_scripted};
    use automata::trace::ENV;
    use automata::{Event, Value};

    /// One step of a mutex run: process p acquires (`A`), enters (`E`), exits (`X`) or
    /// crashes (`C`).
    fn mutex_run(steps: &[(Pid, char)]) -> Vec<TraceEvent> {
        let step = |(i, &(p, s)): (usize, &(Pid, char))| {
            let (kind, name) = match s {
                'A' => (Kind::Request, ACQUIRE),
                'E' => (Kind::Indication, ENTER),
                'X' => (Kind::Indication, EXIT),
                _ => return TraceEvent::scripted(i, p, ENV, Kind::Crash, Event::Lifecycle),
            };
            TraceEvent::named(i, p, "mutex", kind, name, Value::Unit)
        };
        steps.iter().enumerate().map(step).collect()
    }

    /// Entries one after the other hold; an entry while another process is inside breaks
    /// the property; a crash takes the crashed process out.
    #[test]
    fn mutual_exclusion_catches_two_processes_inside() {
        let check = |steps| first_violation(&mut MutualExclusion::new("mutex"), &mutex_run(steps));
        assert_eq!(
            check(&[(0, 'A'), (1, 'A'), (0, 'E'), (0, 'X'), (1, 'E')]),
            None
        );
        assert_eq!(check(&[(0, 'E'), (1, 'E'), (0, 'X')]), Some(1));
        assert_eq!(check(&[(0, 'E'), (0, 'X'), (1, 'E'), (2, 'E')]), Some(3));
        assert_eq!(check(&[(0, 'E'), (0, 'C'), (1, 'E')]), None);
    }

    /// Judges `steps` as a complete run of 3 processes (crashed: those with a `C` step).
    fn starved(steps: &[(Pid, char)]) -> bool {
        let verdict = judge_scripted(&mut NoStarvation::new("mutex"), &mutex_run(steps), 3);
        matches!(verdict, Verdict::Violation(_))
    }

    /// Every acquire needs its own entry; a crashed process may starve.
    #[test]
    fn no_starvation_needs_an_entry_per_acquire_of_a_correct_process() {
        assert!(!starved(&[
            (0, 'A'),
            (1, 'A'),
            (0, 'E'),
            (0, 'X'),
            (1, 'E')
        ]));
        assert!(starved(&[(0, 'A'), (1, 'A'), (0, 'E'), (0, 'X')]));
        assert!(starved(&[(0, 'A'), (0, 'A'), (0, 'E'), (0, 'X')]));
        assert!(!starved(&[
            (0, 'A'),
            (0, 'A'),
            (0, 'E'),
            (0, 'X'),
            (0, 'E')
        ]));
        assert!(!starved(&[(0, 'A'), (1, 'A'), (1, 'C'), (0, 'E')]));
    }
}
