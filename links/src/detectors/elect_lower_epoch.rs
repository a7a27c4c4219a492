//! Eventual leader detector Ω by Elect Lower Epoch (CGR Algorithm 2.9).
//!
//! Algorithm id: `elect-lower-epoch`. Abstraction: Ω (CGR Module 2.9), indication `Trust | p`.
//!
//! Model: fail-recovery (crash-recovery, partial synchrony, stable storage), over fair-loss
//! links. Properties: ELD1 eventual accuracy, ELD2 eventual agreement. Each process counts its
//! recoveries in an `epoch` kept in stable storage and heartbeats it every period; a process
//! trusts the candidate with the lowest epoch (ties: the highest rank), and lengthens its
//! period whenever its leader changes. A process that keeps crashing and recovering accumulates
//! epochs and stops being chosen, where Monarchical Ω would trust it again at every recovery
//! (B-5.6); a recovered process is trusted again once it is no less stable than the others.

use super::{maxrank, Tick};
use crate::fair_loss::FairLossLinks;
use crate::interface::{Deliver, Link, Send};
use automata::detector::{NoRequest, Trust};
use automata::{Ctx, Module, Pid, Time, ToValue, Value};
use std::collections::BTreeMap;

/// `[HEARTBEAT, epoch]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EpochHeartbeat {
    pub epoch: u64,
}

impl ToValue for EpochHeartbeat {
    fn to_value(&self) -> Value {
        Value::List(vec![Value::str("HEARTBEAT"), Value::Int(self.epoch as i64)])
    }
}

/// Elect Lower Epoch over links `L`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ElectLowerEpoch<L: Link<EpochHeartbeat> = FairLossLinks<EpochHeartbeat>> {
    fll: L,
    /// Δ: the initial period.
    period: Time,
    /// What a change of leader adds to the period: Δ in the book (0 in the constant-period
    /// mutant).
    increment: Time,
    /// `delay`: the current period.
    delay: Time,
    /// `epoch`: how many times this process has started (stored).
    epoch: u64,
    /// `leader`: the trusted process.
    leader: Option<Pid>,
    /// `candidates`: the highest epoch heard from each process this period.
    candidates: BTreeMap<Pid, u64>,
    /// `false` only in the mutant that heartbeats the others but not itself.
    heartbeat_self: bool,
}

automata::below! {
    impl[L: Link<EpochHeartbeat>] ElectLowerEpoch<L>;
    /// Slot of the links below.
    Fll(fll: L) => on_fll_deliver, timer Tick::Link;
}

/// The stable-storage key of `epoch`.
const EPOCH: &str = "epoch";

impl ElectLowerEpoch {
    /// Elect Lower Epoch with period Δ = `period` over the network.
    pub fn new(period: Time) -> Self {
        ElectLowerEpoch::over(FairLossLinks::default(), period)
    }
}

impl<L: Link<EpochHeartbeat>> ElectLowerEpoch<L> {
    /// Elect Lower Epoch with period Δ = `period` over links `fll`.
    pub fn over(fll: L, period: Time) -> Self {
        let period = period.max(1);
        ElectLowerEpoch {
            fll,
            period,
            increment: period,
            delay: period,
            epoch: 0,
            leader: None,
            candidates: BTreeMap::new(),
            heartbeat_self: true,
        }
    }

    /// MUTANT: heartbeats go to the others only, so a process is never its own candidate: two
    /// processes each trust the other's epoch and can disagree forever (ELD2).
    pub fn without_self_heartbeat(mut self) -> Self {
        self.heartbeat_self = false;
        self
    }

    /// MUTANT: the period grows by `increment` per change of leader instead of Δ; with 0 it
    /// never grows, and two processes whose heartbeats straddle each other's period
    /// boundaries can disagree forever (ELD2).
    pub fn with_increment(mut self, increment: Time) -> Self {
        self.increment = increment;
        self
    }

    /// This process's epoch.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// `upon event ⟨ fll, Deliver | q, [HEARTBEAT, ep] ⟩ do if exists (s, e) ∈ candidates
    /// such that s = q ∧ e < ep then candidates := candidates \ {(q, e)};
    /// candidates := candidates ∪ {(q, ep)}`.
    fn on_fll_deliver(&mut self, _ctx: &mut Ctx<Self>, ind: Deliver<EpochHeartbeat>) {
        self.on_heartbeat(ind.from, ind.msg.epoch);
    }

    fn on_heartbeat(&mut self, q: Pid, ep: u64) {
        let e = self.candidates.entry(q).or_insert(ep);
        *e = (*e).max(ep);
    }

    /// forall p ∈ Π do trigger ⟨ fll, Send | p, [HEARTBEAT, epoch] ⟩.
    fn heartbeat(&mut self, ctx: &mut Ctx<Self>) {
        let (me, to_self) = (ctx.me(), self.heartbeat_self);
        for p in ctx.processes().filter(|&p| to_self || p != me) {
            let msg = EpochHeartbeat { epoch: self.epoch };
            ctx.trigger(self, Fll, Send { to: p, msg });
        }
    }

    // ANCHOR: select
    /// `select(candidates)`: the lowest epoch, ties broken by rank.
    fn select(&self) -> Option<Pid> {
        let lowest = self.candidates.values().min()?;
        maxrank(
            self.candidates
                .iter()
                .filter(|(_, e)| *e == lowest)
                .map(|(&p, _)| p),
        )
    }

    /// `upon event ⟨ Timeout ⟩ do newleader := select(candidates); if newleader ≠ leader then
    /// delay := delay + Δ; leader := newleader; trigger ⟨ Ω, Trust | leader ⟩; heartbeat;
    /// candidates := ∅; starttimer(delay)`. (No heartbeat heard at all: keep the leader.)
    fn on_timeout(&mut self, ctx: &mut Ctx<Self>) {
        if let Some(new) = self.select() {
            if Some(new) != self.leader {
                self.delay += self.increment;
                self.leader = Some(new);
                ctx.indicate(Trust(new));
            }
        }
        self.heartbeat(ctx);
        self.candidates.clear();
        ctx.set_timer(self.delay, Tick::Timeout);
    }
    // ANCHOR_END: select
}

impl<L: Link<EpochHeartbeat>> Module for ElectLowerEpoch<L> {
    const NAME: &'static str = "omega";
    type Req = NoRequest;
    type Ind = Trust;
    type Msg = L::Msg;
    type Timer = Tick<L::Timer>;

    /// `upon event ⟨ Ω, Init ⟩ do epoch := 0; store(epoch); candidates := ∅;
    /// trigger ⟨ Recovery ⟩`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.store(EPOCH, &0u64);
        self.candidates.clear();
        ctx.init(self, Fll);
        self.start(ctx);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: L::Msg) {
        ctx.pass_message(self, Fll, from, msg);
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Tick<L::Timer>) {
        match timer {
            Tick::Timeout => self.on_timeout(ctx),
            Tick::Link(t) => ctx.pass_timer(self, Fll, t),
        }
    }

    /// `upon event ⟨ Recovery ⟩` (see [`ElectLowerEpoch::start`]).
    fn on_recovery(&mut self, ctx: &mut Ctx<Self>) {
        ctx.recover(self, Fll);
        self.start(ctx);
    }
}

impl<L: Link<EpochHeartbeat>> ElectLowerEpoch<L> {
    /// `upon event ⟨ Recovery ⟩ do retrieve(epoch); leader := maxrank(Π);
    /// trigger ⟨ Ω, Trust | leader ⟩; delay := Δ; epoch := epoch + 1; store(epoch);
    /// heartbeat; candidates := ∅; starttimer(delay)`.
    fn start(&mut self, ctx: &mut Ctx<Self>) {
        self.epoch = ctx.retrieve::<u64>(EPOCH).unwrap_or(0);
        self.leader = maxrank(ctx.processes());
        if let Some(l) = self.leader {
            ctx.indicate(Trust(l));
        }
        self.delay = self.period;
        self.epoch += 1;
        ctx.store(EPOCH, &self.epoch);
        self.heartbeat(ctx);
        self.candidates.clear();
        ctx.set_timer(self.delay, Tick::Timeout);
    }
}

use crate::detectors::abstractions::{no_request, PERIOD};
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "elect-lower-epoch", abstraction: "omega", params: &[PERIOD],
    model: "fail-recovery (crash-recovery, partial synchrony, stable storage)",
    summary: "Elect Lower Epoch (CGR 2.9): trust the process with the fewest recoveries",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| ElectLowerEpoch::new(period), no_request)
    };
};
