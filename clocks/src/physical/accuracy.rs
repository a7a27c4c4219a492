//! C.6: Cristian's error bound. Every attempt a client traces (`attempt`: server, RTT, the
//! estimate of the server's clock in half ticks, d_min) is compared with the server's adjusted
//! clock at that moment, reconstructed from the server's own readings: the true error must
//! satisfy |error| ≤ RTT/2 − d_min.

use super::readings::Readings;
use automata::{Event, Kind, Layer, Monitor, RunSummary, TraceEvent, Value, Violation};

/// The C.6 monitor `cristian-error-bound`; measures `cristian_error_max` (the largest |error|)
/// and `cristian_bound_max` (the largest RTT/2 − d_min it allowed).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CristianBound {
    layer: Layer,
    readings: Readings,
    /// Per attempt: RTT and twice the true error (half ticks, exact).
    attempts: Vec<(i64, i64, i64)>,
}

impl CristianBound {
    pub fn new(module: &str) -> Self {
        CristianBound {
            layer: Layer::new(module),
            readings: Readings::default(),
            attempts: Vec::new(),
        }
    }

    /// Every attempt seen: (RTT, true error, d_min), in ticks.
    pub fn attempts(&self) -> Vec<(f64, f64, f64)> {
        self.attempts
            .iter()
            .map(|&(rtt, e2, d)| (rtt as f64, e2 as f64 / 2.0, d as f64))
            .collect()
    }
}

impl Monitor for CristianBound {
    automata::property!("cristian-error-bound", Safety);

    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        self.readings.observe(e, &self.layer);
        if e.kind != Kind::Internal || !self.layer.is(&e.module) {
            return None;
        }
        let Event::Other { name, value } = &e.event else {
            return None;
        };
        let Value::List(items) = value else {
            return None;
        };
        let [Value::Int(server), Value::Int(rtt), Value::Int(estimate), Value::Int(d_min)] =
            items.as_slice()
        else {
            return None;
        };
        if name != "attempt" {
            return None;
        }
        let server_now = self.readings.at(*server as usize, e.time)?;
        let error2 = *estimate - (2.0 * server_now).round() as i64;
        self.attempts.push((*rtt, error2, *d_min));
        (error2.abs() > rtt - 2 * d_min).then(|| {
            Violation::at(
                e,
                format!(
                    "the estimate is off by {} ticks, more than RTT/2 - d_min = {}",
                    error2 as f64 / 2.0,
                    *rtt as f64 / 2.0 - *d_min as f64
                ),
            )
        })
    }

    fn measure(&self, _run: &RunSummary) -> Vec<(&'static str, f64)> {
        if self.attempts.is_empty() {
            return Vec::new();
        }
        let err = self.attempts.iter().map(|a| a.1.abs()).max().unwrap_or(0) as f64 / 2.0;
        let bound = self
            .attempts
            .iter()
            .map(|a| a.0 - 2 * a.2)
            .max()
            .unwrap_or(0) as f64
            / 2.0;
        vec![("cristian_error_max", err), ("cristian_bound_max", bound)]
    }
}
