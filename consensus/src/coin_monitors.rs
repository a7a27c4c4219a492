//! The common coin's properties as monitors (CC2 unpredictability, CC3 matching), and the
//! termination of randomized consensus with the rounds it took (C.18).
//!
//! The coin's events are `Event::Other` of module `coin`: `coin-release` (value `r`) and
//! `coin-output` (value `[r, c]`); randomized consensus traces `rc-round` (value `r`) when a
//! process starts round `r`.

use crate::monitors::Termination;
use automata::{
    Event, Layer, Mark, Monitor, Pid, RunSummary, TraceEvent, Value, Verdict, Violation,
};
use std::collections::{BTreeMap, BTreeSet};

/// A process releases the coin of round `r`.
pub const COIN_RELEASE: &str = "coin-release";
/// A process outputs the coin of round `r`: `[r, c]`.
pub const COIN_OUTPUT: &str = "coin-output";
/// A randomized-consensus process starts round `r`.
pub const RC_ROUND: &str = "rc-round";

/// The coin event `name` of `e` on the layer, with its integers.
fn coin_event(layer: &Layer, name: &str, e: &TraceEvent) -> Option<Vec<i64>> {
    let int = |x: &Value| match x {
        Value::Int(i) => Some(*i),
        _ => None,
    };
    match layer.named(e)? {
        (_, n, Value::Int(x)) if n == name => Some(vec![*x]),
        (_, n, Value::List(xs)) if n == name => Some(xs.iter().filter_map(int).collect()),
        (_, n, _) if n == name => Some(vec![]),
        _ => None,
    }
}

/// CC3 matching (S): every process that outputs the coin of round `r` outputs the same value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CoinMatching {
    layer: Layer,
    /// The first output of each round, with its event.
    first: BTreeMap<i64, (i64, Mark)>,
}

impl CoinMatching {
    pub fn new(module: &str) -> Self {
        CoinMatching {
            layer: Layer::new(module),
            first: BTreeMap::new(),
        }
    }
}

impl Monitor for CoinMatching {
    automata::property!("coin-matching", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let [r, c] = coin_event(&self.layer, COIN_OUTPUT, e)?[..] else {
            return None;
        };
        let (first, at) = *self.first.entry(r).or_insert((c, Mark::of(e)));
        (first != c).then(|| {
            Violation::at(
                e,
                format!(
                    "process {} output coin {c} for round {r}; event {} output {first}",
                    e.process, at.event
                ),
            )
        })
    }
}

/// CC2 unpredictability (S over correct processes): no process outputs the coin of round `r`
/// before some correct process released it. The releases that precede each round's first
/// output are kept; the verdict waits for the end of the run, which tells who is correct.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CoinUnpredictability {
    layer: Layer,
    /// Who released round `r` so far.
    released: BTreeMap<i64, BTreeSet<Pid>>,
    /// Each round's first output, with who had released it by then.
    revealed: BTreeMap<i64, (Mark, BTreeSet<Pid>)>,
}

impl CoinUnpredictability {
    pub fn new(module: &str) -> Self {
        CoinUnpredictability {
            layer: Layer::new(module),
            released: BTreeMap::new(),
            revealed: BTreeMap::new(),
        }
    }
}

impl Monitor for CoinUnpredictability {
    automata::property!("coin-unpredictability", SafetyOverCorrect; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(&[r]) = coin_event(&self.layer, COIN_RELEASE, e).as_deref() {
            self.released.entry(r).or_default().insert(e.process);
        }
        if let Some(&[r, _]) = coin_event(&self.layer, COIN_OUTPUT, e).as_deref() {
            let by = self.released.get(&r).cloned().unwrap_or_default();
            self.revealed.entry(r).or_insert((Mark::of(e), by));
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let early = self
            .revealed
            .iter()
            .find(|(_, (_, by))| !by.iter().any(|&p| run.is_correct(p)));
        match early {
            Some((r, (at, by))) => Verdict::Violation(Violation::marked(
                *at,
                format!(
                    "the coin of round {r} was output when only {by:?} had released it, \
                     none of them correct"
                ),
            )),
            None => Verdict::Hold,
        }
    }
}

/// RC1 termination (L), as C1, measuring the rounds it took: `decision_round` is the round
/// the last process to decide was in, and `beyond_round_k` (k = 1..4) is 1 when that is later
/// than round k, so a sweep's means are the tail P(rounds > k) (C.18).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RoundsToDecide {
    termination: Termination,
    layer: Layer,
    /// The round each process is in.
    round: BTreeMap<Pid, u64>,
    /// The latest round in which a process decided.
    last: Option<u64>,
}

impl RoundsToDecide {
    pub fn new(module: &str) -> Self {
        RoundsToDecide {
            termination: Termination::new(module),
            layer: Layer::new(module),
            round: BTreeMap::new(),
            last: None,
        }
    }
}

/// The tail the sweep reports: `beyond_round_k` for these `k`.
const TAIL: [(&str, u64); 4] = [
    ("beyond_round_1", 1),
    ("beyond_round_2", 2),
    ("beyond_round_3", 3),
    ("beyond_round_4", 4),
];

impl Monitor for RoundsToDecide {
    automata::property!("termination", Liveness);
    fn cares_module(&self, module: &str) -> bool {
        self.termination.cares_module(module)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(&[r]) = coin_event(&self.layer, RC_ROUND, e).as_deref() {
            self.round.insert(e.process, r as u64);
        }
        if self.layer.is(&e.module) && matches!(e.event, Event::Decide { .. }) {
            let r = self.round.get(&e.process).copied().unwrap_or(0);
            self.last = self.last.max(Some(r));
        }
        self.termination.observe(e)
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        self.termination.finish(run)
    }
    fn measure(&self, run: &RunSummary) -> Vec<(&'static str, f64)> {
        let Some(last) = self.last else {
            return Vec::new();
        };
        let mut out = self.termination.measure(run);
        out.push(("decision_round", last as f64));
        out.extend(
            TAIL.iter()
                .map(|&(name, k)| (name, f64::from(u8::from(last > k)))),
        );
        out
    }
}
