//! Failure-detector properties (CGR Modules 2.6, 2.8, 2.9; book §5.2, §5.4, §5.5) as
//! monitors over one module instance's indications.
//!
//! Each monitor takes the module's trace name, so the same monitor judges an environment
//! oracle ([`crate::oracle`]: conformance) and a chapter 5 algorithm (its correctness):
//!
//! | id | CGR | monitor | kind |
//! |---|---|---|---|
//! | `strong-completeness` | PFD1 (P) | [`StrongCompleteness::perfect`] | L |
//! | `strong-accuracy` | PFD2 (P) | [`StrongAccuracy`] | S |
//! | `strong-completeness` | EPFD1 (◇P) | [`StrongCompleteness::eventually_perfect`] | L |
//! | `eventual-strong-accuracy` | EPFD2 (◇P) | [`EventualStrongAccuracy`] | L |
//! | `eventual-accuracy` | ELD1 (Ω) | [`EventualAccuracy`] | L |
//! | `eventual-agreement` | ELD2 (Ω) | [`EventualAgreement`] | L |
//!
//! "Eventually" is judged at the end of a complete run (book §2.6); the bounded
//! variants (`.within(b)`, `.bounded(gst, b)`) also require that it happened within `b` ticks
//! of the crash, GST or last failure. A process that recovers restarts its detector, so its
//! earlier outputs are forgotten.
//!
//! One file per detector: `perfect.rs` (P), `eventually_perfect.rs` (◇P), `leader.rs` (Ω);
//! strong completeness, shared by P and ◇P, in `completeness.rs`.

use crate::trace::{Kind, TraceEvent, ENV};
use crate::{Mark, Pid, Time};
use std::borrow::Cow;
use std::collections::BTreeMap;

mod completeness;
mod eventually_perfect;
mod leader;
mod perfect;
pub use completeness::StrongCompleteness;
pub use eventually_perfect::EventualStrongAccuracy;
pub use leader::{EventualAccuracy, EventualAgreement};
pub use perfect::StrongAccuracy;

/// What the environment did: each process's crash while it is down, its last recovery.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Life {
    down: BTreeMap<Pid, Mark>,
    recovered: BTreeMap<Pid, Time>,
    /// Time of the last crash or recovery anywhere.
    last: Time,
}

impl Life {
    /// Records a crash or recovery; returns the process that recovered, if one did.
    fn observe(&mut self, e: &TraceEvent) -> Option<Pid> {
        if e.module != ENV {
            return None;
        }
        match e.kind {
            Kind::Crash => {
                self.down.insert(e.process, Mark::of(e));
                self.last = self.last.max(e.time);
                None
            }
            Kind::Recover => {
                self.down.remove(&e.process);
                self.recovered.insert(e.process, e.time);
                self.last = self.last.max(e.time);
                Some(e.process)
            }
            _ => None,
        }
    }

    /// `p`'s last crash, if it has not recovered since.
    fn down(&self, p: Pid) -> Option<Mark> {
        self.down.get(&p).copied()
    }

    fn recovered_at(&self, p: Pid) -> Time {
        self.recovered.get(&p).copied().unwrap_or(0)
    }
}

fn owned(module: &str) -> Cow<'static, str> {
    Cow::Owned(module.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Event;
    use crate::Monitor;

    fn ev(
        index: u64,
        time: Time,
        process: Pid,
        module: &'static str,
        kind: Kind,
        event: Event,
    ) -> TraceEvent {
        TraceEvent {
            index,
            time,
            process,
            module: module.into(),
            kind,
            event,
        }
    }

    fn env(index: u64, time: Time, kind: Kind) -> TraceEvent {
        ev(index, time, 1, ENV, kind, Event::Lifecycle)
    }

    /// The model checker numbers each step's events from 0: a recovery in a later step can
    /// carry a lower index than the crash it ends.
    #[test]
    fn a_recovery_numbered_below_its_crash_still_ends_it() {
        let mut life = Life::default();
        life.observe(&env(3, 10, Kind::Crash));
        assert_eq!(life.down(1).map(|m| m.time), Some(10));
        life.observe(&env(0, 20, Kind::Recover));
        assert_eq!(life.down(1), None);
        assert_eq!(life.recovered_at(1), 20);
    }

    /// Two monitors that saw the same events at the same times are one state, whatever the
    /// events' indices (else the checker counts one state once per numbering).
    #[test]
    fn monitors_compare_events_by_time_not_index() {
        let suspect = |index| {
            ev(
                index,
                7,
                0,
                "ep",
                Kind::Indication,
                Event::Suspect { process: 1 },
            )
        };
        let (mut a, mut b) = (
            EventualStrongAccuracy::new("ep"),
            EventualStrongAccuracy::new("ep"),
        );
        a.observe(&suspect(0));
        b.observe(&suspect(5));
        assert_eq!(a, b);
        let mut c = EventualStrongAccuracy::new("ep");
        c.observe(&ev(
            0,
            8,
            0,
            "ep",
            Kind::Indication,
            Event::Suspect { process: 1 },
        ));
        assert_ne!(a, c, "a different time is a different state");
    }
}
