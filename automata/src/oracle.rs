//! Failure-detector oracles: the environment's P, ◇P and Ω (CATALOGUE.md chapter 3,
//! "detector oracles"; scenario key `model.detector`).
//!
//! An oracle is a module like any other, with the interface of its class
//! ([`crate::detector`]), but instead of exchanging heartbeats it asks the environment: every
//! `period` local ticks it polls the world's oracle view ([`Ctx::oracle_crashed`],
//! [`Ctx::oracle_suspects`], [`Ctx::oracle_leader`]) and indicates what changed. So it has
//! exactly its class's guarantees and no more:
//!
//! - [`PerfectOracle`] (`p`): detects a crashed process within one period (strong
//!   completeness) and never detects a live one (strong accuracy). Crash-stop models.
//! - [`EventuallyPerfectOracle`] (`ep`): suspects crashed processes, plus the scenario's
//!   scripted mistakes (`Fault::Suspect`, confined to before GST), and restores a process once
//!   it is no longer suspected (or has recovered).
//! - [`LeaderOracle`] (`omega`): trusts the lowest-ranked process it does not suspect; after
//!   GST and the last crash, the same correct process everywhere.
//!
//! Plug one in wherever an algorithm needs a detector; the conformance monitors
//! ([`crate::conformance::conformance_monitors`]) check that it kept its promise.

use crate::context::Ctx;
use crate::detector::{Crash, NoRequest, Suspicion, Trust};
use crate::module::Module;
use crate::{Pid, Time};
use std::collections::BTreeSet;
use std::convert::Infallible;

/// Default polling period of the oracles, in local ticks.
pub const DEFAULT_PERIOD: Time = 5;

/// The oracles' only timer: time to ask the environment again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Poll;

/// Perfect failure detector P as an environment oracle (CGR Module 2.6).
///
/// Model: crash-stop (fail-stop). Properties: PFD1 strong completeness (every crash is
/// detected by every correct process, within one period), PFD2 strong accuracy (no process is
/// detected before it crashes).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PerfectOracle {
    /// Polling period, in local ticks.
    period: Time,
    /// `detected`: the processes already indicated as crashed.
    detected: BTreeSet<Pid>,
}

impl PerfectOracle {
    /// An oracle that polls every `period` local ticks (at least 1).
    pub fn new(period: Time) -> Self {
        PerfectOracle {
            period: period.max(1),
            detected: BTreeSet::new(),
        }
    }

    /// The processes indicated as crashed so far.
    pub fn detected(&self) -> &BTreeSet<Pid> {
        &self.detected
    }

    /// forall p ∈ Π \ detected such that the environment says p crashed:
    /// detected := detected ∪ {p}; trigger ⟨ P, Crash | p ⟩.
    fn poll(&mut self, ctx: &mut Ctx<Self>) {
        for p in ctx.processes() {
            if !self.detected.contains(&p) && ctx.oracle_crashed(p) {
                self.detected.insert(p);
                ctx.indicate(Crash(p));
            }
        }
    }
}

impl Default for PerfectOracle {
    fn default() -> Self {
        PerfectOracle::new(DEFAULT_PERIOD)
    }
}

impl Module for PerfectOracle {
    const NAME: &'static str = "p";
    type Req = NoRequest;
    type Ind = Crash;
    type Msg = Infallible;
    type Timer = Poll;

    /// `upon event ⟨ P, Init ⟩ do detected := ∅; poll; starttimer(period)`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.detected.clear();
        self.poll(ctx);
        ctx.set_timer(self.period, Poll);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }

    /// `upon event ⟨ Timeout ⟩ do poll; starttimer(period)`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, Poll: Poll) {
        self.poll(ctx);
        ctx.set_timer(self.period, Poll);
    }
}

/// Eventually perfect failure detector ◇P as an environment oracle (CGR Module 2.8).
///
/// Model: crash-stop or crash-recovery, partial synchrony (fail-noisy). Properties: EPFD1
/// strong completeness (every crashed process is eventually suspected for good by every
/// correct process), EPFD2 eventual strong accuracy (correct processes are suspected only by
/// the scenario's scripted mistakes, which end before GST).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EventuallyPerfectOracle {
    /// Polling period, in local ticks.
    period: Time,
    /// `suspected`: the processes currently suspected.
    suspected: BTreeSet<Pid>,
}

impl EventuallyPerfectOracle {
    /// An oracle that polls every `period` local ticks (at least 1).
    pub fn new(period: Time) -> Self {
        EventuallyPerfectOracle {
            period: period.max(1),
            suspected: BTreeSet::new(),
        }
    }

    /// The processes currently suspected.
    pub fn suspected(&self) -> &BTreeSet<Pid> {
        &self.suspected
    }

    /// forall p ∈ Π: if the environment suspects p and p ∉ suspected: suspected ∪= {p};
    /// trigger ⟨ ◇P, Suspect | p ⟩; else if it does not and p ∈ suspected: suspected −= {p};
    /// trigger ⟨ ◇P, Restore | p ⟩.
    fn poll(&mut self, ctx: &mut Ctx<Self>) {
        for p in ctx.processes() {
            let now = ctx.oracle_suspects(p);
            if now && self.suspected.insert(p) {
                ctx.indicate(Suspicion::Suspect(p));
            } else if !now && self.suspected.remove(&p) {
                ctx.indicate(Suspicion::Restore(p));
            }
        }
    }
}

impl Default for EventuallyPerfectOracle {
    fn default() -> Self {
        EventuallyPerfectOracle::new(DEFAULT_PERIOD)
    }
}

impl Module for EventuallyPerfectOracle {
    const NAME: &'static str = "ep";
    type Req = NoRequest;
    type Ind = Suspicion;
    type Msg = Infallible;
    type Timer = Poll;

    /// `upon event ⟨ ◇P, Init ⟩ do suspected := ∅; poll; starttimer(period)`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.suspected.clear();
        self.poll(ctx);
        ctx.set_timer(self.period, Poll);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }

    /// `upon event ⟨ Timeout ⟩ do poll; starttimer(period)`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, Poll: Poll) {
        self.poll(ctx);
        ctx.set_timer(self.period, Poll);
    }
}

/// Eventual leader detector Ω as an environment oracle (CGR Module 2.9).
///
/// Model: crash-stop or crash-recovery, partial synchrony (fail-noisy, fail-recovery).
/// Properties: ELD1 eventual accuracy (eventually every correct process trusts a correct
/// process), ELD2 eventual agreement (eventually all trust the same one). It trusts the
/// lowest-ranked process it does not suspect (◇P's view), so before GST scripted mistakes can
/// make processes disagree.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LeaderOracle {
    /// Polling period, in local ticks.
    period: Time,
    /// `leader`: the process trusted now (`None` before the first poll).
    leader: Option<Pid>,
}

impl LeaderOracle {
    /// An oracle that polls every `period` local ticks (at least 1).
    pub fn new(period: Time) -> Self {
        LeaderOracle {
            period: period.max(1),
            leader: None,
        }
    }

    /// The process trusted now.
    pub fn leader(&self) -> Option<Pid> {
        self.leader
    }

    /// if the environment's leader ≠ leader then leader := it; trigger ⟨ Ω, Trust | leader ⟩.
    fn poll(&mut self, ctx: &mut Ctx<Self>) {
        let l = ctx.oracle_leader();
        if self.leader != Some(l) {
            self.leader = Some(l);
            ctx.indicate(Trust(l));
        }
    }
}

impl Default for LeaderOracle {
    fn default() -> Self {
        LeaderOracle::new(DEFAULT_PERIOD)
    }
}

impl Module for LeaderOracle {
    const NAME: &'static str = "omega";
    type Req = NoRequest;
    type Ind = Trust;
    type Msg = Infallible;
    type Timer = Poll;

    /// `upon event ⟨ Ω, Init ⟩ do leader := ⊥; poll; starttimer(period)`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.leader = None;
        self.poll(ctx);
        ctx.set_timer(self.period, Poll);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }

    /// `upon event ⟨ Timeout ⟩ do poll; starttimer(period)`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, Poll: Poll) {
        self.poll(ctx);
        ctx.set_timer(self.period, Poll);
    }
}
