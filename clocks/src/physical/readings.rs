//! What the monitors know of each process's adjusted clock: the readings it traced.

use automata::{Kind, Layer, Pid, Time, TraceEvent, Value};
use std::collections::BTreeMap;

/// One traced reading: at real time `t`, H_p = `hw` and adj_p = `num / den`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reading {
    pub t: Time,
    pub hw: i64,
    pub num: i64,
    pub den: i64,
    pub synced: bool,
}

impl Reading {
    /// C_p at the reading, in ticks.
    pub fn value(&self) -> f64 {
        self.hw as f64 + self.num as f64 / self.den as f64
    }

    /// C_p at the reading as an exact fraction (numerator over `den`).
    pub fn exact(&self) -> (i128, i128) {
        (
            self.hw as i128 * self.den as i128 + self.num as i128,
            self.den as i128,
        )
    }
}

/// The `clock` reading an event carries, if it is one of the layer's.
pub fn reading(e: &TraceEvent, layer: &Layer) -> Option<Reading> {
    let (Kind::Internal, "clock", value) = layer.named(e)? else {
        return None;
    };
    let Value::List(items) = value else {
        return None;
    };
    let [Value::Int(hw), Value::Int(num), Value::Int(den), Value::Int(synced)] = items.as_slice()
    else {
        return None;
    };
    Some(Reading {
        t: e.time,
        hw: *hw,
        num: *num,
        den: (*den).max(1),
        synced: *synced != 0,
    })
}

/// Per process: its first and latest readings. From them the monitor extrapolates C_p to any
/// later time: C_p(t) = H_p(t_last) + r_p · (t − t_last) + adj_p, with the hardware rate r_p
/// estimated over the whole run (exact without drift; with drift the error is the clock's
/// integer rounding over the baseline).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Readings {
    first: BTreeMap<Pid, Reading>,
    last: BTreeMap<Pid, Reading>,
    crashed: Vec<Pid>,
}

impl Readings {
    /// Takes in `e`; returns the reading it carried, if any.
    pub fn observe(&mut self, e: &TraceEvent, layer: &Layer) -> Option<Reading> {
        if e.kind == Kind::Crash {
            self.crashed.push(e.process);
            self.first.remove(&e.process);
            self.last.remove(&e.process);
            return None;
        }
        let r = reading(e, layer)?;
        if self.crashed.contains(&e.process) {
            return None;
        }
        self.first.entry(e.process).or_insert(r);
        self.last.insert(e.process, r);
        Some(r)
    }

    /// The latest reading of `p`.
    pub fn last(&self, p: Pid) -> Option<&Reading> {
        self.last.get(&p)
    }

    /// C_p(t), extrapolated from p's readings.
    pub fn at(&self, p: Pid, t: Time) -> Option<f64> {
        let last = self.last.get(&p)?;
        let first = self.first.get(&p)?;
        let rate = if last.t > first.t {
            (last.hw - first.hw) as f64 / (last.t - first.t) as f64
        } else {
            1.0
        };
        Some(last.value() + rate * t.saturating_sub(last.t) as f64)
    }

    /// Whether every process that traced a reading (and has not crashed) is synchronized.
    pub fn all_synced(&self) -> bool {
        self.last.len() >= 2 && self.last.values().all(|r| r.synced)
    }

    /// The live processes whose latest reading is not synchronized yet, in order.
    pub fn unsynced(&self) -> Vec<Pid> {
        self.last
            .iter()
            .filter(|(_, r)| !r.synced)
            .map(|(&p, _)| p)
            .collect()
    }

    /// max − min of C_p(t) over the live processes that traced readings.
    pub fn skew(&self, t: Time) -> Option<f64> {
        let values: Vec<f64> = self.last.keys().filter_map(|&p| self.at(p, t)).collect();
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        (values.len() >= 2).then_some(max - min)
    }
}
