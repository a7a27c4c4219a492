//! The two properties of mutual exclusion (book §9.6), over the `acquire` request and the
//! `enter` and `exit` indications of the `mutex` layer ([`crate::interface::Cs`]) and the
//! crashes of the run.

use crate::interface::{ACQUIRE, ENTER, EXIT};
use automata::{Event, Kind, Mark, Monitor, Pid, RunSummary, TraceEvent, Verdict, Violation};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// What `e` is on the mutex layer `module`: `acquire` (a request), `enter` or `exit` (an
/// indication).
fn mutex_event(module: &str, e: &TraceEvent) -> Option<&'static str> {
    if e.module != module {
        return None;
    }
    let Event::Other { name, .. } = &e.event else {
        return None;
    };
    match (&e.kind, name.as_ref()) {
        (Kind::Request, ACQUIRE) => Some(ACQUIRE),
        (Kind::Indication, ENTER) => Some(ENTER),
        (Kind::Indication, EXIT) => Some(EXIT),
        _ => None,
    }
}

/// `mutual-exclusion` (S): no two processes are in the critical section at once. A process is
/// in it from its `enter` to its `exit`, or to its crash. The state is the set of processes in
/// the critical section, a function of the processes' states.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MutualExclusion {
    module: Cow<'static, str>,
    inside: BTreeSet<Pid>,
}

impl MutualExclusion {
    pub fn new(module: &str) -> Self {
        MutualExclusion {
            module: Cow::Owned(module.to_string()),
            inside: BTreeSet::new(),
        }
    }
}

impl Monitor for MutualExclusion {
    automata::property!("mutual-exclusion", Safety);
    /// The layer's entries and exits, and every crash.
    fn cares(&self, e: &TraceEvent) -> bool {
        e.module == self.module || e.kind == Kind::Crash
    }
    fn cares_module(&self, module: &str) -> bool {
        module == self.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = e.process;
        if e.kind == Kind::Crash {
            self.inside.remove(&p);
            return None;
        }
        match mutex_event(&self.module, e)? {
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
    module: Cow<'static, str>,
    open: BTreeMap<Pid, VecDeque<Mark>>,
}

impl NoStarvation {
    pub fn new(module: &str) -> Self {
        NoStarvation {
            module: Cow::Owned(module.to_string()),
            open: BTreeMap::new(),
        }
    }
}

impl Monitor for NoStarvation {
    automata::property!("no-starvation", Liveness);
    fn cares_module(&self, module: &str) -> bool {
        module == self.module
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = e.process;
        match mutex_event(&self.module, e)? {
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
    use automata::Value;

    /// One step of a mutex run: process p acquires (`A`), enters (`E`), exits (`X`) or
    /// crashes (`C`).
    fn mutex_run(steps: &[(Pid, char)]) -> Vec<TraceEvent> {
        steps
            .iter()
            .enumerate()
            .map(|(i, &(p, step))| {
                let (module, kind, name) = match step {
                    'A' => ("mutex", Kind::Request, ACQUIRE),
                    'E' => ("mutex", Kind::Indication, ENTER),
                    'X' => ("mutex", Kind::Indication, EXIT),
                    _ => (automata::trace::ENV, Kind::Crash, ""),
                };
                let event = if step == 'C' {
                    Event::Lifecycle
                } else {
                    Event::Other {
                        name: Cow::Borrowed(name),
                        value: Value::Unit,
                    }
                };
                TraceEvent {
                    index: i as u64,
                    time: i as u64,
                    process: p,
                    module: Cow::Borrowed(module),
                    kind,
                    event,
                }
            })
            .collect()
    }

    fn first_violation(m: &mut dyn Monitor, events: &[TraceEvent]) -> Option<u64> {
        events.iter().find_map(|e| m.observe(e)).map(|v| v.event)
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
        let mut m = NoStarvation::new("mutex");
        for e in mutex_run(steps) {
            assert_eq!(m.observe(&e), None);
        }
        let mut run = RunSummary::failure_free(3, 100);
        for &(p, s) in steps {
            if s == 'C' {
                run.crashes.entry(p).or_default().push(0);
            }
        }
        matches!(m.finish(&run), Verdict::Violation(_))
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
