//! The environment both runners share: when a packet may arrive, whether the network carries
//! it, which processes are paused or omitting, and what a crash takes with it.
//!
//! The simulator picks one outcome of each rule (a delay drawn in the window, a coin for loss);
//! the model checker explores every outcome. Both call the functions here, so that every
//! simulated run is a path of the checker's model (the cross-runner test replays simulator
//! schedules in the checker and requires the identical trace).

use crate::model::{Fault, SystemModel, Timing};
use crate::{Pid, Time};

/// The rules of one run's environment: the system model and the fault plan.
#[derive(Clone, Copy, Debug)]
pub struct Env<'a> {
    pub model: &'a SystemModel,
    pub faults: &'a [Fault],
}

/// When a packet may arrive: from `earliest`, and by `latest` where the model bounds delays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub earliest: Time,
    /// `None`: no bound (asynchrony).
    pub latest: Option<Time>,
}

impl Window {
    pub fn contains(&self, t: Time) -> bool {
        self.earliest <= t && self.latest.is_none_or(|l| t <= l)
    }
}

impl<'a> Env<'a> {
    pub fn new(model: &'a SystemModel, faults: &'a [Fault]) -> Self {
        Env { model, faults }
    }

    /// Extra ticks the fault plan adds to a packet `from` → `to` sent at `now`.
    fn extra(&self, now: Time, from: Pid, to: Pid) -> Time {
        self.faults
            .iter()
            .map(|f| match *f {
                Fault::Delay {
                    from_process,
                    to_process,
                    extra,
                    from: t0,
                    until,
                } if from_process == from && to_process == to && t0 <= now && now < until => extra,
                _ => 0,
            })
            .sum()
    }

    /// The delays a packet to `to` may take before faults: the delay adversary sends every
    /// message to `fast_to` in exactly `min` and to `slow_to` in exactly `max`.
    pub fn base_delays(&self, to: Pid) -> (Time, Time) {
        let (d, adversary) = (self.model.delay, self.model.adversary);
        if adversary.fast_to == Some(to) {
            (d.min, d.min)
        } else if adversary.slow_to == Some(to) {
            (d.max, d.max)
        } else {
            (d.min, d.max)
        }
    }

    /// Whether delays of packets sent at `now` are unbounded (asynchrony, or before GST).
    pub fn unbounded(&self, now: Time) -> bool {
        match self.model.timing {
            Timing::Synchronous => false,
            Timing::Asynchronous => true,
            Timing::PartiallySynchronous => now < self.model.gst,
        }
    }

    /// When a packet `from` → `to` sent at `now` may arrive. Synchronous, or sent after GST:
    /// within the base delays (plus any delay fault, which a synchronous model does not
    /// forbid here: its conformance monitor flags it). Asynchronous: from the earliest on, no
    /// bound. Partially synchronous and sent before GST: whatever happened before GST, by
    /// GST + Δ (Dwork, Lynch and Stockmeyer 1988).
    pub fn window(&self, now: Time, from: Pid, to: Pid) -> Window {
        let (lo, hi) = self.base_delays(to);
        let extra = self.extra(now, from, to);
        let gst_bound = self.model.gst + self.model.delay.max;
        match self.model.timing {
            Timing::Synchronous => Window {
                earliest: now + lo + extra,
                latest: Some(now + hi + extra),
            },
            Timing::Asynchronous => Window {
                earliest: now + lo + extra,
                latest: None,
            },
            Timing::PartiallySynchronous if now >= self.model.gst => Window {
                earliest: now + lo + extra,
                latest: Some(now + hi + extra),
            },
            Timing::PartiallySynchronous => Window {
                earliest: (now + lo + extra).min(gst_bound),
                latest: Some(gst_bound),
            },
        }
    }

    /// The arrival time of a packet sent at `now` whose drawn delay is `delay` (a base delay
    /// plus, where delays are unbounded, a tail): the delay faults added, then clamped into
    /// [`Env::window`].
    pub fn arrival(&self, now: Time, from: Pid, to: Pid, delay: Time) -> Time {
        let w = self.window(now, from, to);
        let at = now + delay + self.extra(now, from, to);
        let at = at.max(w.earliest);
        w.latest.map_or(at, |l| at.min(l))
    }

    /// Whether a partition separates `from` from `to` at `now` (the network drops the packet).
    pub fn blocked(&self, from: Pid, to: Pid, now: Time) -> bool {
        self.model
            .partitions
            .iter()
            .any(|part| part.blocks(from, to, now))
    }

    /// The probability with which `p` omits a send or receive at `now`, if it is omitting.
    pub fn omission(&self, p: Pid, now: Time) -> Option<f64> {
        self.faults.iter().find_map(|f| match *f {
            Fault::Omit {
                process,
                probability,
                from,
                until,
            } if process == p && from <= now && now < until => Some(probability),
            _ => None,
        })
    }

    /// The time until which `p` is paused at `now`, if it is.
    pub fn paused_until(&self, p: Pid, now: Time) -> Option<Time> {
        self.faults.iter().find_map(|f| match *f {
            Fault::Pause {
                process,
                from,
                until,
            } if process == p && from <= now && now < until => Some(until),
            _ => None,
        })
    }

    /// The earliest time from `t` on at which `p` can take a step (after any pause).
    pub fn ready_at(&self, p: Pid, mut t: Time) -> Time {
        while let Some(until) = self.paused_until(p, t) {
            t = until;
        }
        t
    }

    /// Whether the fault plan says that `p`'s crash loses its packets still in flight.
    pub fn crash_drops_in_flight(&self, p: Pid) -> bool {
        self.faults.iter().any(
            |f| matches!(*f, Fault::Crash { process, drop_in_flight: true, .. } if process == p),
        )
    }
}
