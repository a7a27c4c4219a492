//! The four properties of group membership (CGR Section 6.7, crash-stop version): GM1
//! monotonicity, GM2 uniform agreement, GM3 completeness, GM4 accuracy, over the
//! `View | (id, M)` indications of a layer (`gm`, or view-synchronous communication's `vs`),
//! in the trace `Other { name: "view", value: [id, [members]] }` ([`View`]). The initial view
//! (0, Π) is indicated at `Init`, so the monitors learn Π from it.

use crate::consensus_group_membership::{View, VIEW};
use automata::trace::ENV;
use automata::{Kind, Layer, Mark, Monitor, Pid, RunSummary, TraceEvent, Verdict, Violation};
use std::collections::{BTreeMap, BTreeSet};

/// A view installed on the layer.
pub fn installed(layer: &Layer, e: &TraceEvent) -> Option<View> {
    match layer.named(e)? {
        (Kind::Indication, VIEW, value) => View::from_value(value),
        _ => None,
    }
}

fn show(v: &View) -> String {
    format!("({}, {:?})", v.id, v.members)
}

/// GM1 `monotonicity` (S): each view a process installs after its first has a larger id and
/// strictly fewer members than the one before (crash-stop: members only leave).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Monotonicity {
    layer: Layer,
    /// Each process's current view.
    current: BTreeMap<Pid, View>,
}

impl Monotonicity {
    pub fn new(module: &str) -> Self {
        Monotonicity {
            layer: Layer::new(module),
            current: BTreeMap::new(),
        }
    }
}

impl Monitor for Monotonicity {
    automata::property!("monotonicity", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let next = installed(&self.layer, e)?;
        let p = e.process;
        let before = self.current.insert(p, next.clone())?;
        let grows = next.id <= before.id;
        let shrinks = next.members.is_subset(&before.members) && next.members != before.members;
        (grows || !shrinks).then(|| {
            Violation::at(
                e,
                format!(
                    "process {p} installed view {} after {}: ids must increase and memberships shrink",
                    show(&next),
                    show(&before)
                ),
            )
        })
    }
}

/// GM2 `uniform-agreement` (S): two views with the same id, installed at any processes,
/// crashed ones included, have the same members. On `vs` the same monitor is named
/// `view-agreement` ([`ViewAgreement::named`]), beside broadcast's uniform agreement.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ViewAgreement {
    layer: Layer,
    name: &'static str,
    /// The first installation of each id: where, and the members.
    first: BTreeMap<u64, (Pid, BTreeSet<Pid>)>,
}

impl ViewAgreement {
    pub fn new(module: &str) -> Self {
        ViewAgreement {
            layer: Layer::new(module),
            name: "uniform-agreement",
            first: BTreeMap::new(),
        }
    }

    /// The same monitor under another property id.
    pub fn named(self, name: &'static str) -> Self {
        ViewAgreement { name, ..self }
    }
}

impl Monitor for ViewAgreement {
    fn name(&self) -> &str {
        self.name
    }
    fn kind(&self) -> automata::monitor::PropertyKind {
        automata::monitor::PropertyKind::Safety
    }
    fn cares_module(&self, module: &str) -> bool {
        self.layer.is(module)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let v = installed(&self.layer, e)?;
        let (p, members) = self
            .first
            .entry(v.id)
            .or_insert_with(|| (e.process, v.members.clone()));
        (*members != v.members).then(|| {
            Violation::at(
                e,
                format!(
                    "process {} installed view {}, but process {p} installed view ({}, {members:?})",
                    e.process,
                    show(&v),
                    v.id
                ),
            )
        })
    }
}

/// GM4 `accuracy` (S): if a process installs a view (id, M) and q ∉ M (q a process of the
/// initial view, or of any view seen), then q crashed before that installation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Accuracy {
    layer: Layer,
    /// Π as the views have shown it: every member of every view seen.
    processes: BTreeSet<Pid>,
    /// The processes crashed so far.
    crashed: BTreeSet<Pid>,
}

impl Accuracy {
    pub fn new(module: &str) -> Self {
        Accuracy {
            layer: Layer::new(module),
            processes: BTreeSet::new(),
            crashed: BTreeSet::new(),
        }
    }
}

impl Monitor for Accuracy {
    automata::property!("accuracy", Safety);
    fn cares_module(&self, module: &str) -> bool {
        self.layer.is(module) || module == ENV
    }
    fn cares(&self, e: &TraceEvent) -> bool {
        e.kind == Kind::Crash || (self.layer.is(&e.module) && e.kind == Kind::Indication)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if e.kind == Kind::Crash {
            self.crashed.insert(e.process);
            return None;
        }
        let v = installed(&self.layer, e)?;
        self.processes.extend(v.members.iter().copied());
        self.processes.insert(e.process);
        let wrongly = self
            .processes
            .iter()
            .find(|q| !v.members.contains(q) && !self.crashed.contains(q))?;
        Some(Violation::at(
            e,
            format!(
                "process {} installed view {}, which excludes process {wrongly}, not crashed",
                e.process,
                show(&v)
            ),
        ))
    }
}

/// GM3 `completeness` (L): by the end of a complete run, the last view of every correct
/// process excludes every crashed process (inconclusive if the run ended before it settled).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Completeness {
    layer: Layer,
    /// Each process's last view and when it installed it.
    last: BTreeMap<Pid, (View, Mark)>,
}

impl Completeness {
    pub fn new(module: &str) -> Self {
        Completeness {
            layer: Layer::new(module),
            last: BTreeMap::new(),
        }
    }
}

impl Monitor for Completeness {
    automata::property!("completeness", Liveness; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(v) = installed(&self.layer, e) {
            self.last.insert(e.process, (v, Mark::of(e)));
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let crashed: Vec<Pid> = (0..run.n).filter(|&q| !run.is_correct(q)).collect();
        let failed = run.correct().find_map(|p| match self.last.get(&p) {
            None => Some(Violation::marked(
                Mark::default(),
                format!("correct process {p} never installed a view"),
            )),
            Some((v, at)) => crashed
                .iter()
                .find(|q| v.members.contains(q))
                .map(|q| {
                    Violation::marked(
                        *at,
                        format!(
                            "process {q} crashed, but the last view of correct process {p}, {}, still includes it",
                            show(v)
                        ),
                    )
                }),
        });
        run.liveness(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automata::ToValue;

    /// One step: process p installs view (id, members) (`V`) or crashes (`X`).
    type Step = (Pid, char, u64, &'static [Pid]);

    fn run(steps: &[Step]) -> Vec<TraceEvent> {
        let step = |(i, &(p, s, id, members)): (usize, &Step)| match s {
            'V' => {
                let members = members.iter().copied().collect();
                let value = View { id, members }.to_value();
                TraceEvent::named(i, p, "gm", Kind::Indication, VIEW, value)
            }
            _ => TraceEvent::scripted(i, p, ENV, Kind::Crash, automata::Event::Lifecycle),
        };
        steps.iter().enumerate().map(step).collect()
    }

    /// Judges `steps` to the end with `m` over 3 processes: the index of the violation, if any.
    fn verdict(mut m: impl Monitor, steps: &[Step]) -> Option<u64> {
        match automata::monitor::judge_scripted(&mut m, &run(steps), 3) {
            Verdict::Violation(v) => Some(v.event),
            _ => None,
        }
    }

    const ALL: &[Pid] = &[0, 1, 2];

    /// The trace value of a view reads back as the same view.
    #[test]
    fn views_round_trip_through_the_trace() {
        let v = View {
            id: 3,
            members: [0, 2].into(),
        };
        assert_eq!(View::from_value(&v.to_value()), Some(v));
    }

    /// A run where 0 crashes and 1 and 2 install (1, {1, 2}) holds everything; a view that
    /// grows or repeats its id breaks monotonicity; two memberships for id 1 break agreement,
    /// at a crashed process too.
    #[test]
    fn monotonicity_and_agreement_catch_what_they_are_for() {
        let good: &[Step] = &[
            (0, 'V', 0, ALL),
            (1, 'V', 0, ALL),
            (2, 'V', 0, ALL),
            (0, 'X', 0, &[]),
            (1, 'V', 1, &[1, 2]),
            (2, 'V', 1, &[1, 2]),
        ];
        for m in [
            verdict(Monotonicity::new("gm"), good),
            verdict(ViewAgreement::new("gm"), good),
            verdict(Accuracy::new("gm"), good),
            verdict(Completeness::new("gm"), good),
        ] {
            assert_eq!(m, None);
        }
        let regrow: &[Step] = &[(1, 'V', 0, ALL), (1, 'V', 1, &[1]), (1, 'V', 2, &[1, 2])];
        assert_eq!(verdict(Monotonicity::new("gm"), regrow), Some(2));
        let same_id: &[Step] = &[(1, 'V', 0, ALL), (1, 'V', 0, &[1])];
        assert_eq!(verdict(Monotonicity::new("gm"), same_id), Some(1));
        let split: &[Step] = &[
            (0, 'X', 0, &[]),
            (1, 'X', 0, &[]),
            (1, 'V', 1, &[1, 2]),
            (2, 'V', 1, &[2]),
        ];
        assert_eq!(verdict(ViewAgreement::new("gm"), split), Some(3));
        assert_eq!(
            ViewAgreement::new("vs").named("view-agreement").name(),
            "view-agreement"
        );
    }

    /// Excluding a process before it crashed breaks accuracy, after it does not; a correct
    /// process still counting a crashed one at the end breaks completeness.
    #[test]
    fn accuracy_and_completeness_catch_what_they_are_for() {
        let early: &[Step] = &[(1, 'V', 0, ALL), (1, 'V', 1, &[1, 2]), (0, 'X', 0, &[])];
        assert_eq!(verdict(Accuracy::new("gm"), early), Some(1));
        let stale: &[Step] = &[
            (1, 'V', 0, ALL),
            (2, 'V', 0, ALL),
            (0, 'X', 0, &[]),
            (1, 'V', 1, &[1, 2]),
        ];
        assert_eq!(verdict(Accuracy::new("gm"), stale), None);
        assert_eq!(verdict(Completeness::new("gm"), stale), Some(1));
        let mut m = Completeness::new("gm");
        run(stale).iter().for_each(|e| {
            m.observe(e);
        });
        let mut cut = RunSummary::failure_free(3, 4);
        cut.complete = false;
        assert!(matches!(m.finish(&cut), Verdict::Inconclusive { .. }));
    }
}
