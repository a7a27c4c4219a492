//! Monitors of the register properties, over the operation history of one module instance
//! ([`automata::history`]): ONRR1 termination, ONRR2 validity (regular), ONAR3 ordering (no
//! new-old inversion) and NNAR2 atomicity (linearizability).
//!
//! Writes are identified by their value: the workload makes written values unique (a stream's
//! `"p<p>-<k>"`). Where a value was written twice, a read of it is judged against whichever
//! write of it makes the read legal. ⊥, the initial value, is `Value::Unit`.

use crate::measure::{Cost, Stale};
use automata::history::{Change, History, Op};
use automata::{Event, Monitor, RunSummary, TraceEvent, Value, Verdict, Violation};
use std::collections::BTreeMap;

mod linearizability;
pub mod zones;
pub use linearizability::{search, Linearizability};

/// The value a write wrote, or a read returned.
pub(crate) fn written(op: &Op) -> Option<&Value> {
    match &op.request {
        Event::Write { value } => Some(value),
        _ => None,
    }
}

pub(crate) fn returned(op: &Op) -> Option<&Value> {
    match &op.response {
        Some((_, Event::ReadReturn { value })) => Some(value),
        _ => None,
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::Unit => "⊥".to_string(),
        v => format!("{v:?}"),
    }
}

/// The writes of `v` in the history (none for ⊥).
fn writes_of<'h>(h: &'h History, v: &'h Value) -> impl Iterator<Item = usize> + 'h {
    h.ops()
        .iter()
        .enumerate()
        .filter(move |(_, o)| written(o) == Some(v))
        .map(|(i, _)| i)
}

fn is_write(h: &History, i: usize) -> bool {
    written(&h.ops()[i]).is_some()
}

/// ONRR1 termination (L): every operation invoked by a correct process eventually completes.
/// It also measures what the operations cost, in time and in messages ([`Cost`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Termination {
    history: History,
    cost: Cost,
}

impl Termination {
    pub fn new(module: &str) -> Self {
        Termination {
            history: History::new(module.to_string()),
            cost: Cost::default(),
        }
    }
}

impl Monitor for Termination {
    automata::property!("termination", Liveness);
    fn cares(&self, e: &TraceEvent) -> bool {
        self.history.cares(e) || Cost::counts(e)
    }
    fn cares_module(&self, module: &str) -> bool {
        self.history.cares_module(module) || Cost::counts_module(module)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if Cost::counts(e) {
            self.cost.message(e);
        } else if let Some(change) = self.history.record(e) {
            self.cost.change(&change);
        }
        None
    }
    /// `read_latency` and `write_latency`: mean ticks from an operation's start to its return,
    /// over the completed reads and writes (the cost in message delays, times the delays);
    /// `read_messages` and `write_messages`: mean messages sent from an operation's start to
    /// its return ([`Cost`]).
    fn measure(&self, _run: &RunSummary) -> Vec<(&'static str, f64)> {
        let mean = |reads: bool| {
            let ticks: Vec<u64> = self
                .history
                .ops()
                .iter()
                .filter(|o| written(o).is_none() == reads)
                .filter_map(|o| Some(o.response.as_ref()?.0.time() - o.started?.time()))
                .collect();
            (!ticks.is_empty()).then(|| ticks.iter().sum::<u64>() as f64 / ticks.len() as f64)
        };
        let mut out = Vec::new();
        if let Some(x) = mean(true) {
            out.push(("read_latency", x));
        }
        if let Some(x) = mean(false) {
            out.push(("write_latency", x));
        }
        if let Some(x) = self.cost.mean(&self.history, true) {
            out.push(("read_messages", x));
        }
        if let Some(x) = self.cost.mean(&self.history, false) {
            out.push(("write_messages", x));
        }
        out
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        self.history.stuck(run)
    }
}

/// ONRR2 validity (S), regular: a read returns the last value written before it started, or
/// a value written concurrently with it (⊥ only if no write precedes it). It also measures
/// the fraction of reads that were not ([`Stale`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RegularValidity {
    history: History,
    stale: Stale,
}

impl RegularValidity {
    pub fn new(module: &str) -> Self {
        RegularValidity {
            history: History::new(module.to_string()),
            stale: Stale::default(),
        }
    }

    /// Whether the read `r` may return the value of write `w` (`None`: ⊥): `w` does not
    /// follow `r`, and no write comes between them (after `w`, before `r`).
    fn legal(&self, w: Option<usize>, r: usize) -> bool {
        let h = &self.history;
        let writes = (0..h.ops().len()).filter(|&x| is_write(h, x));
        match w {
            None => writes.clone().all(|x| !h.precedes(x, r)),
            Some(w) => {
                !h.precedes(r, w)
                    && writes
                        .clone()
                        .all(|x| !(h.precedes(w, x) && h.precedes(x, r)))
            }
        }
    }
}

impl Monitor for RegularValidity {
    automata::property!("regular-validity", Safety);
    fn cares(&self, e: &TraceEvent) -> bool {
        self.history.cares(e)
    }
    fn cares_module(&self, module: &str) -> bool {
        self.history.cares_module(module)
    }
    /// `stale_reads`: the fraction of completed reads that returned a value they may not.
    fn measure(&self, _run: &RunSummary) -> Vec<(&'static str, f64)> {
        self.stale
            .rate()
            .map(|x| ("stale_reads", x))
            .into_iter()
            .collect()
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let Some(Change::Returned { op: r, .. }) = self.history.record(e) else {
            return None;
        };
        let v = returned(&self.history.ops()[r])?.clone();
        let ok = if v == Value::Unit {
            self.legal(None, r)
        } else {
            writes_of(&self.history, &v).any(|w| self.legal(Some(w), r))
        };
        self.stale.read(ok);
        (!ok).then(|| {
            let o = &self.history.ops()[r];
            Violation::at(
                e,
                format!(
                    "process {} read {} (the read started at time {}), which is neither the last value written before the read nor one written concurrently",
                    o.process,
                    show(&v),
                    o.started.map_or(0, |s| s.time())
                ),
            )
        })
    }
}

/// ONAR3 ordering (S): if a read returns v and a later read (one that starts after it
/// returned) returns w, the write of w does not precede the write of v: no new-old inversion.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ordering {
    history: History,
}

impl Ordering {
    pub fn new(module: &str) -> Self {
        Ordering {
            history: History::new(module.to_string()),
        }
    }

    /// Whether the value `older` is certainly older than `newer`: every write of `older`
    /// precedes every write of `newer` (⊥ is older than any written value). `writes` maps each
    /// value to its writes.
    fn older(&self, writes: &BTreeMap<&Value, Vec<usize>>, older: &Value, newer: &Value) -> bool {
        let h = &self.history;
        if older == newer || *newer == Value::Unit {
            return false;
        }
        if *older == Value::Unit {
            return true;
        }
        let of = |v| writes.get(v).map_or(&[][..], Vec::as_slice);
        of(older)
            .iter()
            .all(|&a| of(newer).iter().all(|&b| h.precedes(a, b)))
    }
}

impl Monitor for Ordering {
    automata::property!("ordering", Safety);
    fn cares(&self, e: &TraceEvent) -> bool {
        self.history.cares(e)
    }
    fn cares_module(&self, module: &str) -> bool {
        self.history.cares_module(module)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let Some(Change::Returned { op: r2, .. }) = self.history.record(e) else {
            return None;
        };
        let h = &self.history;
        let w = returned(&h.ops()[r2])?;
        let mut writes: BTreeMap<&Value, Vec<usize>> = BTreeMap::new();
        for (i, o) in h.ops().iter().enumerate() {
            if let Some(v) = written(o) {
                writes.entry(v).or_default().push(i);
            }
        }
        let earlier = (0..r2).find(|&r1| {
            h.precedes(r1, r2) && returned(&h.ops()[r1]).is_some_and(|v| self.older(&writes, w, v))
        })?;
        let (o1, o2) = (&h.ops()[earlier], &h.ops()[r2]);
        let v = returned(o1).expect("a read");
        Some(Violation::at(
            e,
            format!(
                "new-old inversion: process {} read {} (returned at time {}), then process {} read the older {}",
                o1.process,
                show(v),
                o1.response.as_ref().map_or(0, |r| r.0.time()),
                o2.process,
                show(w)
            ),
        ))
    }
}
