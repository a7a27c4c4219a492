//! Failure-detector interfaces shared by the environment oracles ([`crate::oracle`]) and the
//! chapter 5 algorithms (CGR Modules 2.6-2.9).
//!
//! A detector has no requests (its request type is uninhabited, [`NoRequest`]) and one kind of
//! indication per class:
//!
//! | abstraction | CGR module | indication | trace event |
//! |---|---|---|---|
//! | perfect failure detector P | 2.6 | [`Crash`]`(p)` | [`Event::Detect`] |
//! | leader election `le` | 2.7 | [`Leader`]`(p)` | [`Event::Leader`] |
//! | eventually perfect failure detector ◇P | 2.8 | [`Suspicion::Suspect`]`(p)`, [`Suspicion::Restore`]`(p)` | [`Event::Suspect`], [`Event::Restore`] |
//! | eventual leader detector Ω | 2.9 | [`Trust`]`(p)` | [`Event::Trust`] |
//!
//! Each class is a trait with a blanket implementation ([`PerfectDetector`],
//! [`EventuallyPerfectDetector`], [`EventualLeaderDetector`], [`LeaderElection`]): any module
//! with the right request and indication types *is* one, so an algorithm written as
//! `Lazy<B, D: PerfectDetector>` takes the oracle or the chapter 5 algorithm alike. Which
//! guarantees it really gives is checked by the monitors in [`crate::conformance`]
//! (`strong-completeness`, `strong-accuracy`, `eventual-strong-accuracy`, `eventual-accuracy`,
//! `eventual-agreement`), which are generic over the module's trace name.

use crate::module::{Module, Observe};
use crate::trace::Event;
use crate::Pid;

/// The request type of a failure detector: it has none.
pub type NoRequest = std::convert::Infallible;

/// `⟨ P, Crash | p ⟩`: process `p` has crashed (perfect failure detector, CGR Module 2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Crash(pub Pid);

impl Observe for Crash {
    fn observe(&self) -> Option<Event> {
        Some(Event::Detect { process: self.0 })
    }
}

/// `⟨ ◇P, Suspect | p ⟩` and `⟨ ◇P, Restore | p ⟩` (eventually perfect failure detector, CGR
/// Module 2.8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Suspicion {
    /// `p` is now suspected.
    Suspect(Pid),
    /// `p` is no longer suspected.
    Restore(Pid),
}

impl Observe for Suspicion {
    fn observe(&self) -> Option<Event> {
        Some(match *self {
            Suspicion::Suspect(process) => Event::Suspect { process },
            Suspicion::Restore(process) => Event::Restore { process },
        })
    }
}

/// `⟨ Ω, Trust | p ⟩`: this process now trusts `p` to be leader (eventual leader detector, CGR
/// Module 2.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Trust(pub Pid);

impl Observe for Trust {
    fn observe(&self) -> Option<Event> {
        Some(Event::Trust { process: self.0 })
    }
}

/// `⟨ le, Leader | p ⟩`: `p` is elected leader (leader election, CGR Module 2.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Leader(pub Pid);

impl Observe for Leader {
    fn observe(&self) -> Option<Event> {
        Some(Event::Leader { process: self.0 })
    }
}

/// A perfect failure detector P: any module that indicates [`Crash`] and takes no requests.
pub trait PerfectDetector: Module<Req = NoRequest, Ind = Crash> {}

impl<M: Module<Req = NoRequest, Ind = Crash>> PerfectDetector for M {}

/// An eventually perfect failure detector ◇P: any module that indicates [`Suspicion`]s.
pub trait EventuallyPerfectDetector: Module<Req = NoRequest, Ind = Suspicion> {}

impl<M: Module<Req = NoRequest, Ind = Suspicion>> EventuallyPerfectDetector for M {}

/// An eventual leader detector Ω: any module that indicates [`Trust`].
pub trait EventualLeaderDetector: Module<Req = NoRequest, Ind = Trust> {}

impl<M: Module<Req = NoRequest, Ind = Trust>> EventualLeaderDetector for M {}

/// A leader election module `le`: any module that indicates [`Leader`].
pub trait LeaderElection: Module<Req = NoRequest, Ind = Leader> {}

impl<M: Module<Req = NoRequest, Ind = Leader>> LeaderElection for M {}
