//! Perfect failure detector P by Exclude on Timeout (CGR Algorithm 2.5).
//!
//! Algorithm id: `perfect-detector`. Abstraction: P (CGR Module 2.6), indication `Crash | p`.
//!
//! Model: synchronous (fail-stop). It needs the period Δ to exceed the largest round trip
//! (request + reply delay, plus processing); then it has PFD1 strong completeness (a crash is
//! detected within 2Δ: the first timeout after the crash sends a request that goes unanswered,
//! the second one detects) and PFD2 strong accuracy (a live process always answers in time).
//! With Δ below the round trip, or under asynchrony, it detects live processes: book §5.2,
//! B-5.1 and B-5.2, and the C.12 sweep.
//!
//! Links: the book uses perfect links. Over a synchronous network a retransmitted heartbeat
//! would arrive after its timeout anyway, so the default is the network itself (fair-loss links,
//! lossless in the synchronous model); any link module can stand below.

use super::heartbeat::{heartbeat_module, Heartbeat, HeartbeatDetector};
use super::Tick;
use crate::fair_loss::FairLossLinks;
use crate::interface::Link;
use automata::detector::Crash;
use automata::{Ctx, Module, Pid, Time};
use std::collections::BTreeSet;

/// Exclude on Timeout over links `L`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExcludeOnTimeout<L: Link<Heartbeat> = FairLossLinks<Heartbeat>> {
    pl: L,
    /// Δ: the heartbeat period and timeout.
    period: Time,
    /// `alive`: the processes that answered since the last timeout.
    alive: BTreeSet<Pid>,
    /// `detected`: the processes indicated as crashed.
    detected: BTreeSet<Pid>,
}

automata::below! {
    impl[L: Link<Heartbeat>] ExcludeOnTimeout<L>;
    /// Slot of the links below.
    Pl(pl: L) => on_pl_deliver, timer Tick::Link;
}

impl ExcludeOnTimeout {
    /// Exclude on Timeout with period Δ = `period` over the network.
    pub fn new(period: Time) -> Self {
        ExcludeOnTimeout::over(FairLossLinks::default(), period)
    }
}

impl<L: Link<Heartbeat>> ExcludeOnTimeout<L> {
    /// Exclude on Timeout with period Δ = `period` over the links `pl`.
    pub fn over(pl: L, period: Time) -> Self {
        ExcludeOnTimeout {
            pl,
            period: period.max(1),
            alive: BTreeSet::new(),
            detected: BTreeSet::new(),
        }
    }

    /// The processes detected so far.
    pub fn detected(&self) -> &BTreeSet<Pid> {
        &self.detected
    }
}

impl<L: Link<Heartbeat>> HeartbeatDetector for ExcludeOnTimeout<L> {
    type Pl = Pl;
    const PL: Pl = Pl;

    // ANCHOR: handlers
    /// `upon event ⟨ pl, Deliver | q, [HEARTBEATREQUEST] ⟩ do
    /// trigger ⟨ pl, Send | q, [HEARTBEATREPLY] ⟩`.
    fn on_heartbeat_request(&mut self, ctx: &mut Ctx<Self>, q: Pid) {
        self.send(ctx, q, Heartbeat::Reply);
    }

    /// `upon event ⟨ pl, Deliver | p, [HEARTBEATREPLY] ⟩ do alive := alive ∪ {p}`.
    fn on_heartbeat_reply(&mut self, p: Pid) {
        self.alive.insert(p);
    }

    /// `upon event ⟨ Timeout ⟩ do forall p ∈ Π: if p ∉ alive ∧ p ∉ detected then
    /// detected := detected ∪ {p}; trigger ⟨ P, Crash | p ⟩; trigger ⟨ pl, Send | p,
    /// [HEARTBEATREQUEST] ⟩; alive := ∅; starttimer(Δ)`.
    fn on_timeout(&mut self, ctx: &mut Ctx<Self>) {
        for p in ctx.processes() {
            if !self.alive.contains(&p) && self.detected.insert(p) {
                ctx.indicate(Crash(p));
            }
            self.send(ctx, p, Heartbeat::Request);
        }
        self.alive.clear();
        ctx.set_timer(self.period, Tick::Timeout);
    }
    // ANCHOR_END: handlers
}

impl<L: Link<Heartbeat>> Module for ExcludeOnTimeout<L> {
    const NAME: &'static str = "p";
    type Ind = Crash;
    heartbeat_module!(L);

    /// `upon event ⟨ P, Init ⟩ do alive := Π; detected := ∅; starttimer(Δ)`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.alive = ctx.processes().collect();
        self.detected.clear();
        ctx.init(self, Pl);
        ctx.set_timer(self.period, Tick::Timeout);
    }
}

use crate::detectors::abstractions::{no_request, PERIOD};
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "perfect-detector", abstraction: "p", params: &[PERIOD],
    model: "synchronous, Δ > the largest round trip (fail-stop)",
    summary: "Exclude on Timeout (CGR 2.5): heartbeat every Δ, detect who did not answer",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| ExcludeOnTimeout::new(period), no_request)
    };
};
