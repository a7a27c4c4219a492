//! Failure-detector oracles: the environment's P, ◇P and Ω (book §3.7; scenario
//! key `model.detector`).
//!
//! An oracle is a module like any other, with the interface of its class
//! ([`crate::detector`]), but instead of exchanging heartbeats it asks the environment: every
//! `period` local ticks it polls the world's oracle view ([`Ctx::oracle_crashed`],
//! [`Ctx::oracle_suspects`], [`Ctx::oracle_leader`]) and indicates what changed. So it has
//! exactly its class's guarantees and no more. The polling is one module, [`Oracle`]; a class
//! is the [`View`] it keeps and updates:
//!
//! - [`PerfectOracle`] (`p`): detects a crashed process within one period (strong
//!   completeness) and never detects a live one (strong accuracy). Crash-stop models.
//! - [`EventuallyPerfectOracle`] (`ep`): suspects crashed processes, plus the scenario's
//!   scripted mistakes (`Fault::Suspect`, confined to before GST), and restores a process once
//!   it is no longer suspected (or has recovered).
//! - [`LeaderOracle`] (`omega`): trusts the highest-ranked (lowest-numbered) process it does not suspect; after
//!   GST and the last crash, the same correct process everywhere.
//!
//! Plug one in wherever an algorithm needs a detector; the conformance monitors
//! ([`crate::conformance::conformance_monitors`]) check that it kept its promise.

use crate::context::Ctx;
use crate::detector::{Crash, NoRequest, Suspicion, Trust};
use crate::module::{Module, Observe};
use crate::{Pid, Time};
use std::collections::BTreeSet;
use std::convert::Infallible;
use std::fmt::Debug;
use std::hash::Hash;

/// Default polling period of the oracles, in local ticks.
pub const DEFAULT_PERIOD: Time = 5;

/// The oracles' only timer: time to ask the environment again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Poll;

/// What sets one oracle class apart: its name and indication, what it remembers of the
/// environment's answers (`Default` is its state at `Init`), and how it polls.
pub trait View: Clone + Debug + Default + Eq + Hash + Send + Sync + 'static {
    /// The abstraction's short name in traces (`p`, `ep`, `omega`).
    const NAME: &'static str;
    type Ind: Observe + Clone + Debug + Send + Sync + 'static;

    /// Asks the environment and indicates what changed.
    fn poll(&mut self, ctx: &mut Ctx<Oracle<Self>>);

    /// Whether the view has seen `expected` events and can stop polling (only P's can: it
    /// has detected that many crashes, which never undo themselves).
    fn settled(&self, _expected: usize) -> bool {
        false
    }
}

/// An environment oracle of class `V`: polls the environment at `Init` and then every `period`
/// local ticks.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Oracle<V> {
    /// Polling period, in local ticks.
    period: Time,
    view: V,
    /// Stop polling once the view has settled on this many events ([`Oracle::quiescent_after`]).
    expected: Option<usize>,
}

impl<V: View> Oracle<V> {
    /// An oracle that polls every `period` local ticks (at least 1).
    pub fn new(period: Time) -> Self {
        Oracle {
            period: period.max(1),
            view: V::default(),
            expected: None,
        }
    }

    /// For exhaustive checks: the same oracle, falling silent once it has seen `expected`
    /// events (P: detected that many crashes). On every path of a configuration whose fault
    /// plan crashes exactly that many processes it is still P, and the path can end, so
    /// liveness is judged there (endless polling would keep every path going to the depth
    /// bound).
    pub fn quiescent_after(mut self, expected: usize) -> Self {
        self.expected = Some(expected);
        self
    }

    /// `poll; if not settled then starttimer(period)`.
    fn poll(&mut self, ctx: &mut Ctx<Self>) {
        self.view.poll(ctx);
        if !self.expected.is_some_and(|e| self.view.settled(e)) {
            ctx.set_timer(self.period, Poll);
        }
    }
}

impl<V: View> Default for Oracle<V> {
    fn default() -> Self {
        Oracle::new(DEFAULT_PERIOD)
    }
}

impl<V: View> Module for Oracle<V> {
    const NAME: &'static str = V::NAME;
    type Req = NoRequest;
    type Ind = V::Ind;
    type Msg = Infallible;
    type Timer = Poll;

    /// `upon event ⟨ Init ⟩ do view := ⊥; poll; starttimer(period)`, where `view := ⊥` is
    /// `detected := ∅`, `suspected := ∅` or `leader := ⊥`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.view = V::default();
        self.poll(ctx);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }

    /// `upon event ⟨ Timeout ⟩ do poll; starttimer(period)`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, Poll: Poll) {
        self.poll(ctx);
    }
}

/// Perfect failure detector P as an environment oracle (CGR Module 2.6).
///
/// Model: crash-stop (fail-stop). Properties: PFD1 strong completeness (every crash is
/// detected by every correct process, within one period), PFD2 strong accuracy (no process is
/// detected before it crashes).
pub type PerfectOracle = Oracle<Detected>;

/// P's view: `detected`, the processes already indicated as crashed (`∅` at `Init`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Detected(BTreeSet<Pid>);

impl PerfectOracle {
    /// The processes indicated as crashed so far.
    pub fn detected(&self) -> &BTreeSet<Pid> {
        &self.view.0
    }
}

impl View for Detected {
    const NAME: &'static str = "p";
    type Ind = Crash;

    /// forall p ∈ Π \ detected such that the environment says p crashed:
    /// detected := detected ∪ {p}; trigger ⟨ P, Crash | p ⟩.
    fn poll(&mut self, ctx: &mut Ctx<Oracle<Self>>) {
        for p in ctx.processes() {
            if !self.0.contains(&p) && ctx.oracle_crashed(p) {
                self.0.insert(p);
                ctx.indicate(Crash(p));
            }
        }
    }

    fn settled(&self, expected: usize) -> bool {
        self.0.len() >= expected
    }
}

/// Eventually perfect failure detector ◇P as an environment oracle (CGR Module 2.8).
///
/// Model: crash-stop or crash-recovery, partial synchrony (fail-noisy). Properties: EPFD1
/// strong completeness (every crashed process is eventually suspected for good by every
/// correct process), EPFD2 eventual strong accuracy (correct processes are suspected only by
/// the scenario's scripted mistakes, which end before GST).
pub type EventuallyPerfectOracle = Oracle<Suspected>;

/// ◇P's view: `suspected`, the processes currently suspected (`∅` at `Init`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Suspected(BTreeSet<Pid>);

impl EventuallyPerfectOracle {
    /// The processes currently suspected.
    pub fn suspected(&self) -> &BTreeSet<Pid> {
        &self.view.0
    }
}

impl View for Suspected {
    const NAME: &'static str = "ep";
    type Ind = Suspicion;

    /// forall p ∈ Π: if the environment suspects p and p ∉ suspected: suspected ∪= {p};
    /// trigger ⟨ ◇P, Suspect | p ⟩; else if it does not and p ∈ suspected: suspected −= {p};
    /// trigger ⟨ ◇P, Restore | p ⟩.
    fn poll(&mut self, ctx: &mut Ctx<Oracle<Self>>) {
        for p in ctx.processes() {
            let now = ctx.oracle_suspects(p);
            if now && self.0.insert(p) {
                ctx.indicate(Suspicion::Suspect(p));
            } else if !now && self.0.remove(&p) {
                ctx.indicate(Suspicion::Restore(p));
            }
        }
    }
}

/// Eventual leader detector Ω as an environment oracle (CGR Module 2.9).
///
/// Model: crash-stop or crash-recovery, partial synchrony (fail-noisy, fail-recovery).
/// Properties: ELD1 eventual accuracy (eventually every correct process trusts a correct
/// process), ELD2 eventual agreement (eventually all trust the same one). It trusts the
/// highest-ranked (lowest-numbered) process it does not suspect (◇P's view), so before GST scripted mistakes can
/// make processes disagree.
pub type LeaderOracle = Oracle<Trusted>;

/// Ω's view: `leader`, the process trusted now (`⊥` at `Init`, until the first poll).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Trusted(Option<Pid>);

impl LeaderOracle {
    /// The process trusted now.
    pub fn leader(&self) -> Option<Pid> {
        self.view.0
    }
}

impl View for Trusted {
    const NAME: &'static str = "omega";
    type Ind = Trust;

    /// if the environment's leader ≠ leader then leader := it; trigger ⟨ Ω, Trust | leader ⟩.
    fn poll(&mut self, ctx: &mut Ctx<Oracle<Self>>) {
        let l = ctx.oracle_leader();
        if self.0 != Some(l) {
            self.0 = Some(l);
            ctx.indicate(Trust(l));
        }
    }
}

/// A scripted Ω for exhaustive checks: trusts process 0 from `Init` and process 1 from time
/// `switch` on, everywhere at once, then falls silent, so every path of a check can end (a
/// polling oracle never does). On a run where process 0 crashes before `switch` and 1 stays
/// up, it is an Ω.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SwitchingOmega {
    pub switch: Time,
}

impl Module for SwitchingOmega {
    const NAME: &'static str = "omega";
    type Req = NoRequest;
    type Ind = Trust;
    type Msg = std::convert::Infallible;
    type Timer = ();

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.indicate(Trust(0));
        ctx.set_timer(self.switch, ());
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, (): ()) {
        ctx.indicate(Trust(1));
    }
}
