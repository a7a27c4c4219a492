//! Consensus properties as monitors (book §8.1, C1-C4 and UC4), over the
//! `Propose | v` and `Decide | v` events of one module instance.
//!
//! A proposal is a `Propose` event of the module, whether the layer above requested it or
//! (for round algorithms such as FloodSet, whose initial value is part of the start state) the
//! runner recorded it at `Init`.

use crate::cost::Cost;
use automata::{
    Event, Kind, Layer, Mark, Monitor, Pid, RunSummary, TraceEvent, Value, Verdict, Violation,
};
use std::collections::{BTreeMap, BTreeSet};

/// A decision event of the layer: its value.
fn decision<'e>(layer: &Layer, e: &'e TraceEvent) -> Option<&'e Value> {
    match layer.event(e)? {
        Event::Decide { value } if e.kind == Kind::Indication => Some(value),
        _ => None,
    }
}

/// C1 termination (L): every correct process decides by the end of a complete run.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Termination {
    layer: Layer,
    decided: BTreeSet<Pid>,
    /// Each process's proposal: the witness of a missing decision.
    proposed: BTreeMap<Pid, Mark>,
    /// What deciding cost (a measurement, not state).
    cost: Cost,
}

impl Termination {
    pub fn new(module: &str) -> Self {
        Termination {
            layer: Layer::new(module),
            decided: BTreeSet::new(),
            proposed: BTreeMap::new(),
            cost: Cost::default(),
        }
    }
}

impl Monitor for Termination {
    automata::property!("termination", Liveness);
    fn cares(&self, e: &TraceEvent) -> bool {
        self.layer.is(&e.module) || Cost::counts(e)
    }
    fn cares_module(&self, module: &str) -> bool {
        self.layer.is(module) || Cost::counts_module(module)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        self.cost.observe(e);
        if decision(&self.layer, e).is_some() {
            self.decided.insert(e.process);
            self.cost.decided();
        }
        if let Some(Event::Propose { .. }) = self.layer.event(e) {
            self.proposed.entry(e.process).or_insert(Mark::of(e));
            self.cost.proposed();
        }
        None
    }
    /// What deciding cost: `decision_latency` and `decision_messages` ([`Cost`]).
    fn measure(&self, _run: &RunSummary) -> Vec<(&'static str, f64)> {
        self.cost.measure()
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let missing = run.correct().find(|p| !self.decided.contains(p));
        run.liveness(missing.map(|p| {
            let at = self.proposed.get(&p).copied().unwrap_or_default();
            Violation::marked(at, format!("correct process {p} never decided"))
        }))
    }
}

/// C2 validity (S): a decided value was proposed by some process before the decision.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Validity {
    layer: Layer,
    proposed: BTreeSet<Value>,
}

impl Validity {
    pub fn new(module: &str) -> Self {
        Validity {
            layer: Layer::new(module),
            proposed: BTreeSet::new(),
        }
    }
}

impl Monitor for Validity {
    automata::property!("validity", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(Event::Propose { value }) = self.layer.event(e) {
            self.proposed.insert(value.clone());
        }
        let v = decision(&self.layer, e)?;
        (!self.proposed.contains(v)).then(|| {
            Violation::at(
                e,
                format!("process {} decided {v}, which nobody proposed", e.process),
            )
        })
    }
}

/// C3 integrity (S): no process decides twice.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Integrity {
    layer: Layer,
    decided: BTreeSet<Pid>,
}

impl Integrity {
    pub fn new(module: &str) -> Self {
        Integrity {
            layer: Layer::new(module),
            decided: BTreeSet::new(),
        }
    }
}

impl Monitor for Integrity {
    automata::property!("integrity", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        decision(&self.layer, e)?;
        (!self.decided.insert(e.process))
            .then(|| Violation::at(e, format!("process {} decided twice", e.process)))
    }
}

/// C4 agreement (S\*): no two correct processes decide differently. Every decision is kept
/// (first one per process, with its event); the verdict is given once `Correct` is known.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Agreement {
    layer: Layer,
    decisions: BTreeMap<Pid, (Value, Mark)>,
}

impl Agreement {
    pub fn new(module: &str) -> Self {
        Agreement {
            layer: Layer::new(module),
            decisions: BTreeMap::new(),
        }
    }
}

impl Monitor for Agreement {
    automata::property!("agreement", SafetyOverCorrect; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(v) = decision(&self.layer, e) {
            self.decisions
                .entry(e.process)
                .or_insert((v.clone(), Mark::of(e)));
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        // Correct processes' decisions in time order: the first that differs from the first
        // one is where two correct processes first disagree.
        let mut correct: Vec<_> = self
            .decisions
            .iter()
            .filter(|(p, _)| run.is_correct(**p))
            .collect();
        correct.sort_by_key(|(_, (_, at))| *at);
        let Some((p, (v, _))) = correct.first() else {
            return Verdict::Hold;
        };
        match correct.iter().find(|(_, (w, _))| w != v) {
            Some((q, (w, at))) => Verdict::Violation(Violation::marked(
                *at,
                format!("correct processes {p} and {q} decided {v} and {w}"),
            )),
            None => Verdict::Hold,
        }
    }
}

/// UC4 uniform agreement (S): no two processes, crashed or not, decide differently.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UniformAgreement {
    layer: Layer,
    first: Option<(Pid, Value)>,
}

impl UniformAgreement {
    pub fn new(module: &str) -> Self {
        UniformAgreement {
            layer: Layer::new(module),
            first: None,
        }
    }
}

impl Monitor for UniformAgreement {
    automata::property!("uniform-agreement", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let v = decision(&self.layer, e)?;
        match &self.first {
            None => {
                self.first = Some((e.process, v.clone()));
                None
            }
            Some((p, w)) if w != v => Some(Violation::at(
                e,
                format!("process {p} decided {w}, process {} decided {v}", e.process),
            )),
            Some(_) => None,
        }
    }
}

/// The consensus monitors C1-C4 and UC4 on module `module`.
pub fn all(module: &str) -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(Termination::new(module)),
        Box::new(Validity::new(module)),
        Box::new(Integrity::new(module)),
        Box::new(Agreement::new(module)),
        Box::new(UniformAgreement::new(module)),
    ]
}
