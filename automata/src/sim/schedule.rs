//! What a run did, as the model checker's actions name it: the record of each decision, and
//! the chooser that remembers a step's choices for it.

use super::SimRng;
use crate::context::Chooser;
use crate::module::Module;
use crate::{Pid, Time};

/// One decision of a simulated run, as the model checker's actions name it: a replay of the
/// schedule in the checker ([`crate::check::Explore::replay_schedule`]) must give the same
/// trace. `choices` are the outcomes of the step's `ctx.choose` calls.
#[derive(Clone, Debug, PartialEq)]
pub enum Scheduled<R: Module> {
    /// Workload request `index` was issued.
    Request { index: usize, choices: Vec<u32> },
    /// Scripted fault `index` (a crash or a recovery) happened.
    Fault { index: usize, choices: Vec<u32> },
    /// `process`'s timer set to fire at `at` fired (at `at`, or after a pause).
    Timer {
        process: Pid,
        at: Time,
        timer: R::Timer,
        choices: Vec<u32>,
    },
    /// Packet `packet` reached its destination at `at` (a drop if the destination was down
    /// or cut off then).
    Deliver {
        packet: u64,
        at: Time,
        choices: Vec<u32>,
    },
    /// The network lost packet `packet` at `at` (loss, or an omitting sender or receiver).
    Lose { packet: u64, at: Time },
    /// The network made one more copy of packet `packet` when it was sent.
    Duplicate { packet: u64 },
}

/// A chooser that remembers what it chose (for [`Scheduled`] choices).
pub(super) struct Remember<'a> {
    pub(super) inner: &'a mut SimRng,
    pub(super) picks: &'a mut Vec<u32>,
}

impl Chooser for Remember<'_> {
    fn choose(&mut self, n: usize) -> usize {
        let pick = self.inner.choose(n);
        self.picks.push(pick as u32);
        pick
    }
    fn coin(&mut self, p: f64) -> bool {
        let heads = self.inner.coin(p);
        self.picks.push(heads as u32);
        heads
    }
    fn unit(&mut self) -> f64 {
        self.inner.unit()
    }
}
