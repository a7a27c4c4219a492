//! Failure-detector properties (CGR Modules 2.6, 2.8, 2.9; CATALOGUE.md 5.1, 5.3, 5.4) as
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
//! "Eventually" is judged at the end of a complete run (CATALOGUE.md part 0); the bounded
//! variants (`.within(b)`, `.bounded(gst, b)`) also require that it happened within `b` ticks
//! of the crash, GST or last failure. A process that recovers restarts its detector, so its
//! earlier outputs are forgotten.
//!
//! One file per detector: `perfect.rs` (P), `eventually_perfect.rs` (◇P), `leader.rs` (Ω);
//! strong completeness, shared by P and ◇P, in `completeness.rs`.

use crate::trace::{Kind, TraceEvent, ENV};
use crate::{Pid, Time};
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

/// (index, time) of a trace event.
type At = (u64, Time);

/// What the environment did: last crash and last recovery of each process.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Life {
    crash: BTreeMap<Pid, At>,
    recover: BTreeMap<Pid, At>,
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
                self.crash.insert(e.process, (e.index, e.time));
                self.last = self.last.max(e.time);
                None
            }
            Kind::Recover => {
                self.recover.insert(e.process, (e.index, e.time));
                self.last = self.last.max(e.time);
                Some(e.process)
            }
            _ => None,
        }
    }

    /// `p`'s last crash, if it has not recovered since.
    fn down(&self, p: Pid) -> Option<At> {
        let c = *self.crash.get(&p)?;
        match self.recover.get(&p) {
            Some(r) if r.0 > c.0 => None,
            _ => Some(c),
        }
    }

    fn recovered_at(&self, p: Pid) -> Time {
        self.recover.get(&p).map_or(0, |r| r.1)
    }
}

fn owned(module: &str) -> Cow<'static, str> {
    Cow::Owned(module.to_string())
}
