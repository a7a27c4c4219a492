//! The transition relation: which actions are enabled in a state, and the state each leads to.
//!
//! The environment's rules (delay windows, partitions, omission, pauses, what a crash loses)
//! come from [`crate::env::Env`], the same functions the simulator calls; this module decides
//! only what the checker branches on: which packet arrives next, which is lost or duplicated,
//! which timer fires, when the next request or fault happens, and which process crashes.
//!
//! `enabled.rs` lists what can happen in a state, `apply.rs` makes it happen.

use super::{Explore, InFlight, State};
use crate::env::Env;
use crate::module::Module;
use crate::{Pid, Time};

mod apply;
mod enabled;

impl<R: Module> Explore<R> {
    pub(super) fn env(&self) -> Env<'_> {
        Env::new(&self.setup.model, &self.setup.faults)
    }

    /// When a packet can arrive at the earliest: at its window's start, not before now, and
    /// after any pause of its destination.
    fn arrives(&self, s: &State<R>, m: &InFlight<R::Msg>) -> Time {
        self.env().ready_at(m.to, m.earliest.max(s.now))
    }

    /// When process `p` can handle an event due at `at`: not before now, after any pause.
    fn due(&self, s: &State<R>, p: Pid, at: Time) -> Time {
        self.env().ready_at(p, at.max(s.now))
    }
}
