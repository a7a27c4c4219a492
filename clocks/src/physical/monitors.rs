//! Monitors of clock synchronization (book §10.2): CS1 precision and CS4 monotonicity,
//! and the measured worst skew `skew_max`.

use super::readings::Readings;
use automata::{Layer, Monitor, Pid, RunSummary, TraceEvent, Verdict, Violation};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

/// An `f64` that can sit in a model-checker state (compared and hashed by its bits).
#[derive(Clone, Copy, Debug, Default)]
struct Real(f64);

impl PartialEq for Real {
    fn eq(&self, o: &Self) -> bool {
        self.0.to_bits() == o.0.to_bits()
    }
}
impl Eq for Real {}
impl Hash for Real {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state);
    }
}

/// Slack for floating-point rounding of fractional adjustments.
const SLACK: f64 = 1e-9;

/// CS1 precision (S): once every live process's first synchronization is complete, at every
/// event time t (each process also traces its clock periodically: those are the probes),
/// max over live p, q of |C_p(t) − C_q(t)| ≤ ε. Measures `skew_max`, the worst skew it judged.
///
/// This is Attiya and Welch's ε-synchronized clocks (ch. 6): the algorithm terminates at some
/// t_f, and from t_f on the clocks are within ε. Before every live process has synchronized
/// (warm-up, or a process that never hears enough) nothing is promised yet, so nothing is
/// judged; and a run that ends with a live process still unsynchronized never reached t_f, so
/// its verdict is `Inconclusive`, naming the processes, never `Hold`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Precision {
    layer: Layer,
    eps: Real,
    readings: Readings,
    skew_max: Option<Real>,
}

impl Precision {
    /// CS1 on module `module` with target ε = `eps` ticks.
    pub fn new(module: &str, eps: f64) -> Self {
        Precision {
            layer: Layer::new(module),
            eps: Real(eps),
            readings: Readings::default(),
            skew_max: None,
        }
    }

    /// The worst skew judged so far.
    pub fn skew_max(&self) -> Option<f64> {
        self.skew_max.map(|r| r.0)
    }
}

impl Monitor for Precision {
    automata::property!("precision", Safety);

    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        self.readings.observe(e, &self.layer);
        if !self.readings.all_synced() {
            return None;
        }
        let skew = self.readings.skew(e.time)?;
        if self.skew_max.is_none_or(|m| skew > m.0) {
            self.skew_max = Some(Real(skew));
        }
        (skew > self.eps.0 + SLACK).then(|| {
            Violation::at(
                e,
                format!(
                    "at time {} the adjusted clocks are {skew:.3} ticks apart, more than the precision target {}",
                    e.time, self.eps.0
                ),
            )
        })
    }

    fn finish(&self, _run: &RunSummary) -> Verdict {
        let unsynced = self.readings.unsynced();
        if unsynced.is_empty() {
            return Verdict::Hold;
        }
        let who: Vec<String> = unsynced.iter().map(Pid::to_string).collect();
        Verdict::Inconclusive {
            reason: format!(
                "process(es) {} never synchronized, so the clocks never reached the state precision is promised in (every live process synchronized) and precision was not judged",
                who.join(", ")
            ),
        }
    }

    fn measure(&self, _run: &RunSummary) -> Vec<(&'static str, f64)> {
        self.skew_max()
            .map(|s| vec![("skew_max", s)])
            .unwrap_or_default()
    }
}

/// CS4 monotonicity (S): each process's adjusted clock never decreases from one of its
/// readings to the next.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Monotonicity {
    layer: Layer,
    /// The latest C_p, exact, per process.
    last: BTreeMap<Pid, (i128, i128)>,
}

impl Monotonicity {
    pub fn new(module: &str) -> Self {
        Monotonicity {
            layer: Layer::new(module),
            last: BTreeMap::new(),
        }
    }
}

impl Monitor for Monotonicity {
    automata::property!("monotonicity", Safety);

    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let r = super::readings::reading(e, &self.layer)?;
        let (num, den) = r.exact();
        let before = self.last.insert(e.process, (num, den));
        match before {
            Some((b, bd)) if num * bd < b * den => Some(Violation::at(
                e,
                format!(
                    "process {}'s adjusted clock went back from {:.3} to {:.3}",
                    e.process,
                    b as f64 / bd as f64,
                    r.value()
                ),
            )),
            _ => None,
        }
    }
}
