//! Clock synchronization algorithms (book §10.2), one file each. Every algorithm keeps
//! an [`AdjustedClock`](crate::physical::AdjustedClock), traces its readings for the CS1/CS4
//! monitors, and states its model and precision bound in its doc comment.

catalogue::algorithms! {
    pub mod cristian;
    pub mod berkeley;
    pub mod lundelius_lynch;
    pub mod welch_lynch;
}

pub use berkeley::{Berkeley, BerkeleyParams};
pub use cristian::{Cristian, CristianParams};
pub use lundelius_lynch::LundeliusLynch;
pub use welch_lynch::{WelchLynch, WelchLynchParams};

use crate::physical::AdjustedClock;
use automata::{Ctx, Module};

/// Timers every synchronization algorithm has: the end of a slewed correction, and probing
/// (tracing) the clock so that the monitors see it between protocol steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tick {
    /// A backward correction has been absorbed.
    Slewed,
    /// Trace the clock.
    Probe,
}

/// After a correction: the clock is synchronized at once, or once its slewing ends (`timer`).
pub(crate) fn after_correction<M: Module>(
    ctx: &mut Ctx<M>,
    clock: &mut AdjustedClock,
    timer: M::Timer,
) {
    ctx.cancel_timer(timer.clone());
    match clock.slew_left(ctx.clock()) {
        0 => clock.mark_synced(),
        left => ctx.set_timer(left, timer),
    }
}
