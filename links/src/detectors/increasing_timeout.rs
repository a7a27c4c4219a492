//! Eventually perfect failure detector ◇P by Increasing Timeout (CGR Algorithm 2.7).
//!
//! Algorithm id: `eventually-perfect-detector`. Abstraction: ◇P (CGR Module 2.8), indications
//! `Suspect | p` and `Restore | p`.
//!
//! Model: partially synchronous (fail-noisy), crash-stop; uses perfect links `pl`, as the book
//! does. Properties: EPFD1 strong completeness
//! (a crashed process never answers again, so it is suspected for good) and EPFD2 eventual
//! strong accuracy: every false suspicion is followed by a reply, which restores the process
//! and adds Δ to the timeout, so once the timeout exceeds the round trips after GST no correct
//! process is suspected again. After GST the timeout grows at most ⌈(D − Δ)/Δ⌉ more times
//! (D the largest round trip), but one increment can follow several periods with a false
//! suspicion, one for each process suspected at that timeout value: each process has at most
//! n · ⌊D/Δ⌋ (+ 1 for the period that straddles GST) periods with a mistake after GST, the bound
//! [`MistakeBound`](super::monitors::MistakeBound) judges and derives (C.13). With a constant
//! timeout (the `increment = 0` mutant)
//! a round trip longer than the timeout makes it suspect a correct process forever (B-5.3).
//!
//! Links: by default Retransmit Until Acknowledged ([`PerfectLinksAck`]), retransmitting every
//! Δ. Over a lossy network a lost request or reply is then late, not missing, and lateness is
//! what the growing timeout learns from; over fair-loss links a lost reply is a false suspicion
//! at any timeout, so mistakes never stop and EPFD2 fails. (Eliminate Duplicates over
//! Retransmit Forever is a perfect link too, but it sends every heartbeat ever sent again every
//! period, a quadratic cost in the length of a run.) [`IncreasingTimeout::over`] puts any link
//! below: the network itself is a perfect link when it loses and duplicates nothing, and that
//! is what the model checker explores (acknowledgements would multiply its schedules).

use super::heartbeat::{heartbeat_module, Heartbeat, HeartbeatDetector};
use super::Tick;
use crate::interface::Link;
use crate::perfect_ack::PerfectLinksAck;
use automata::detector::Suspicion;
use automata::{Ctx, Module, Pid, Time};
use std::collections::BTreeSet;

/// Increasing Timeout over links `L`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IncreasingTimeout<L: Link<Heartbeat> = PerfectLinksAck<Heartbeat>> {
    pl: L,
    /// Δ: the initial timeout.
    period: Time,
    /// What a mistake adds to the timeout: Δ in the book (0 in the constant-timeout mutant).
    increment: Time,
    /// `delay`: the current timeout.
    delay: Time,
    /// `alive`: the processes that answered since the last timeout.
    alive: BTreeSet<Pid>,
    /// `suspected`: the processes suspected now.
    suspected: BTreeSet<Pid>,
    /// `false` only in the mutant that never restores ([`IncreasingTimeout::never_restoring`]).
    restore: bool,
}

automata::below! {
    impl[L: Link<Heartbeat>] IncreasingTimeout<L>;
    /// Slot of the links below.
    Pl(pl: L) => on_pl_deliver, timer Tick::Link;
}

impl IncreasingTimeout {
    /// Increasing Timeout with initial timeout and increment Δ = `period`, over perfect links
    /// (Retransmit Until Acknowledged) that retransmit every Δ.
    pub fn new(period: Time) -> Self {
        IncreasingTimeout::over(PerfectLinksAck::new(period.max(1)), period)
    }
}

impl<L: Link<Heartbeat>> IncreasingTimeout<L> {
    /// Increasing Timeout with initial timeout and increment Δ = `period`, over links `pl`.
    pub fn over(pl: L, period: Time) -> Self {
        let period = period.max(1);
        IncreasingTimeout {
            pl,
            period,
            increment: period,
            delay: period,
            alive: BTreeSet::new(),
            suspected: BTreeSet::new(),
            restore: true,
        }
    }

    /// MUTANT: a suspicion is never taken back (no `Restore`, no longer timeout), as if ◇P
    /// were P: one false suspicion before GST lasts forever (EPFD2).
    pub fn never_restoring(mut self) -> Self {
        self.restore = false;
        self
    }

    /// MUTANT (B-5.3): the timeout grows by `increment` per mistake instead of Δ; with 0 it
    /// never grows, and a round trip longer than Δ is a false suspicion every period forever.
    pub fn with_increment(mut self, increment: Time) -> Self {
        self.increment = increment;
        self
    }

    /// The current timeout.
    pub fn delay(&self) -> Time {
        self.delay
    }
}

impl<L: Link<Heartbeat>> HeartbeatDetector for IncreasingTimeout<L> {
    type Pl = Pl;
    const PL: Pl = Pl;

    /// `upon event ⟨ pl, Deliver | q, [HEARTBEATREQUEST] ⟩ do
    /// trigger ⟨ pl, Send | q, [HEARTBEATREPLY] ⟩`.
    fn on_heartbeat_request(&mut self, ctx: &mut Ctx<Self>, q: Pid) {
        self.send(ctx, q, Heartbeat::Reply);
    }

    /// `upon event ⟨ pl, Deliver | p, [HEARTBEATREPLY] ⟩ do alive := alive ∪ {p}`.
    fn on_heartbeat_reply(&mut self, p: Pid) {
        self.alive.insert(p);
    }

    // ANCHOR: timeout
    /// `upon event ⟨ Timeout ⟩ do if alive ∩ suspected ≠ ∅ then delay := delay + Δ;
    /// forall p ∈ Π: if p ∉ alive ∧ p ∉ suspected then suspected := suspected ∪ {p};
    /// trigger ⟨ ◇P, Suspect | p ⟩; else if p ∈ alive ∧ p ∈ suspected then
    /// suspected := suspected \ {p}; trigger ⟨ ◇P, Restore | p ⟩;
    /// trigger ⟨ pl, Send | p, [HEARTBEATREQUEST] ⟩; alive := ∅; starttimer(delay)`.
    fn on_timeout(&mut self, ctx: &mut Ctx<Self>) {
        if self.alive.intersection(&self.suspected).next().is_some() {
            self.delay += self.increment;
        }
        for p in ctx.processes() {
            let alive = self.alive.contains(&p);
            if !alive && self.suspected.insert(p) {
                ctx.indicate(Suspicion::Suspect(p));
            } else if alive && self.restore && self.suspected.remove(&p) {
                ctx.indicate(Suspicion::Restore(p));
            }
            self.send(ctx, p, Heartbeat::Request);
        }
        self.alive.clear();
        ctx.set_timer(self.delay, Tick::Timeout);
    }
    // ANCHOR_END: timeout
}

impl<L: Link<Heartbeat>> Module for IncreasingTimeout<L> {
    const NAME: &'static str = "ep";
    type Ind = Suspicion;
    heartbeat_module!(L);

    /// `upon event ⟨ ◇P, Init ⟩ do alive := Π; suspected := ∅; delay := Δ;
    /// starttimer(delay)`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.alive = ctx.processes().collect();
        self.suspected.clear();
        self.delay = self.period;
        ctx.init(self, Pl);
        ctx.set_timer(self.delay, Tick::Timeout);
    }
}

use crate::detectors::abstractions::{no_request, HEARTBEAT_LINKS, PERIOD};
use crate::detectors::monitors::MistakeBound;
use crate::FairLossLinks;
use automata::Monitor;
use catalogue::{job_with, Algorithm, InputError, Loaded, Params, Runnable};
use std::collections::BTreeMap;

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "eventually-perfect-detector", abstraction: "ep", params: &[PERIOD, HEARTBEAT_LINKS],
    model: "partially synchronous (fail-noisy)",
    summary: "Increasing Timeout (CGR 2.7): restore on a late reply and add Δ to the timeout; heartbeats over perfect links",
    build: |l, p| increasing_timeout(l, p, None);

    id: "eventually-perfect-detector-constant", abstraction: "ep", params: &[PERIOD, HEARTBEAT_LINKS], mutant: true,
    model: "partially synchronous",
    summary: "MUTANT: Increasing Timeout whose timeout never grows (B-5.3)",
    build: |l, p| increasing_timeout(l, p, Some(0));
};

/// Increasing Timeout with timeout increment `increment` (None: Δ) over the links `links`
/// names: perfect links (the book's) or the network itself. Its mistake bound (C.13) is
/// judged with n, Δ, D = 2 · delay.max and GST from the scenario, and predicted for
/// `post_gst_mistakes`; over a lossy network no round trip is bounded (each loss costs a
/// retransmission period), so neither is the number of mistakes, and the placeholder stays.
fn increasing_timeout(
    l: &Loaded,
    p: &Params,
    increment: Option<Time>,
) -> Result<Box<dyn Runnable>, InputError> {
    let period = p.int("period");
    let increment = increment.unwrap_or(period);
    let m = &l.scenario.model;
    let bound = MistakeBound::increasing_timeout(
        l.scenario.processes,
        period,
        2 * m.delay.max,
        m.stabilization(),
    );
    let lossless = m.links.loss == 0.0;
    let predicted = if lossless {
        BTreeMap::from([("post_gst_mistakes".to_string(), bound as f64)])
    } else {
        BTreeMap::new()
    };
    let target = || -> Vec<Box<dyn Monitor>> {
        if lossless {
            vec![Box::new(MistakeBound::new("ep", m.stabilization(), bound))]
        } else {
            Vec::new()
        }
    };
    match p.str("links") {
        "perfect" => job_with(
            l,
            p,
            move |_| IncreasingTimeout::new(period).with_increment(increment),
            no_request,
            predicted,
            target(),
        ),
        "network" => job_with(
            l,
            p,
            move |_| {
                IncreasingTimeout::over(FairLossLinks::default(), period).with_increment(increment)
            },
            no_request,
            predicted,
            target(),
        ),
        other => Err(l.error(
            "params.links",
            format!("links is \"perfect\" or \"network\", not \"{other}\""),
        )),
    }
}
