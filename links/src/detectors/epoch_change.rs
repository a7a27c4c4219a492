//! Epoch change `ec` by Leader-Based Epoch-Change (CGR Algorithm 5.5).
//!
//! Algorithm id: `leader-based-epoch-change`. Abstraction: epoch change (CGR Module 5.3),
//! indication `StartEpoch | ts, l`.
//!
//! Model: fail-noisy (crash-stop, partial synchrony); uses any eventual leader detector `O`
//! (Monarchical Ω, Elect Lower Epoch or the Ω oracle) and perfect links `L`, as the book does
//! (Retransmit Until Acknowledged by default; over fair-loss links a lost NEWEPOCH leaves a
//! process in an older epoch for good, and EC3 fails). Properties: EC1 monotonicity (a process starts epochs with increasing
//! timestamps), EC2 consistency (one leader per timestamp: a process of rank r only uses
//! timestamps r + kN), EC3 eventual leadership (after Ω stabilizes, every correct process ends in
//! the same epoch, led by a correct process). The `step = 1` mutant adds 1 instead of N, so two
//! leaders can claim the same timestamp (B-5.7).
//!
//! Two changes from the book, both found by the tests. (1) A NACK names the timestamp it
//! rejects, and the leader answers only NACKs of its latest claim: in the book every NACK
//! starts a new claim, which draws a NACK from every process that trusts someone else, so
//! claims multiply while processes disagree (exponentially in the length of the
//! disagreement). (2) A process that comes to trust `p` while in an epoch of another leader
//! (or after rejecting a claim of `p`) sends `p` a `[NACK, ⊥]`: otherwise, when a false suspicion of a leader that kept trusting
//! itself ends, nothing tells it to start a newer epoch, and EC3 fails.
//!
//! The book broadcasts NEWEPOCH with best-effort broadcast; here that is a send to every
//! process over `L` (Basic Broadcast), so chapter 5 does not depend on chapter 6.

use crate::interface::{Deliver, Link, Send};
use crate::perfect_ack::PerfectLinksAck;
use automata::detector::{EventualLeaderDetector, NoRequest, Trust};
use automata::{Ctx, Event, Module, Observe, Pid, Time, ToValue, Value};
use std::collections::BTreeSet;

/// `⟨ ec, StartEpoch | ts, l ⟩`: the epoch with timestamp `ts` and leader `l` starts here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StartEpoch {
    pub ts: u64,
    pub leader: Pid,
}

impl Observe for StartEpoch {
    fn observe(&self) -> Option<Event> {
        Some(Event::StartEpoch {
            ts: self.ts,
            leader: self.leader,
        })
    }
}

/// Epoch change's messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EpochWire {
    /// `[NEWEPOCH, ts]`, from the would-be leader to all.
    NewEpoch(u64),
    /// `[NACK, ts]`: "you are not the leader I trust, or `ts` is old"; `[NACK, ⊥]`: "I trust
    /// you now, but my epoch is not yours".
    Nack(Option<u64>),
}

impl ToValue for EpochWire {
    fn to_value(&self) -> Value {
        match self {
            EpochWire::NewEpoch(ts) => {
                Value::List(vec![Value::str("NEWEPOCH"), Value::Int(*ts as i64)])
            }
            EpochWire::Nack(ts) => Value::List(vec![
                Value::str("NACK"),
                ts.map_or(Value::Unit, |ts| Value::Int(ts as i64)),
            ]),
        }
    }
}

/// Messages of epoch change and of the Ω below.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EcMsg<O, L> {
    Omega(O),
    Link(L),
}

/// Leader-Based Epoch-Change over Ω `O` and links `L`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LeaderBasedEpochChange<
    O: EventualLeaderDetector,
    L: Link<EpochWire> = PerfectLinksAck<EpochWire>,
> {
    omega: O,
    pl: L,
    /// What a new epoch adds to `ts`: N in the book (1 in the B-5.7 mutant; 0 = N).
    step: u64,
    /// MUTANT: the claiming leader starts its epoch at once, without waiting for its own
    /// NEWEPOCH (which then starts it a second time).
    eager: bool,
    /// `trusted`: the process Ω trusts.
    trusted: Pid,
    /// `lastts`: the timestamp of the last epoch started here.
    lastts: u64,
    /// The leader of that epoch.
    lastleader: Pid,
    /// The processes whose claims this process NACKed since it last started an epoch.
    rejected: BTreeSet<Pid>,
    /// `ts`: the timestamp of the last epoch this process tried to lead.
    ts: u64,
}

automata::below! {
    impl[O: EventualLeaderDetector, L: Link<EpochWire>] LeaderBasedEpochChange<O, L>;
    /// Slot of the eventual leader detector.
    Omega(omega: O) => on_trust, msg EcMsg::Omega, timer EcMsg::Omega;
    /// Slot of the links.
    Pl(pl: L) => on_pl_deliver, msg EcMsg::Link, timer EcMsg::Link;
}

impl<O: EventualLeaderDetector> LeaderBasedEpochChange<O> {
    /// Leader-Based Epoch-Change over Ω `omega` and perfect links (Retransmit Until
    /// Acknowledged) retransmitting every `period` ticks.
    pub fn new(omega: O, period: Time) -> Self {
        LeaderBasedEpochChange::over(omega, PerfectLinksAck::new(period.max(1)))
    }
}

impl<O: EventualLeaderDetector, L: Link<EpochWire>> LeaderBasedEpochChange<O, L> {
    /// Leader-Based Epoch-Change over Ω `omega` and links `pl`.
    pub fn over(omega: O, pl: L) -> Self {
        LeaderBasedEpochChange {
            omega,
            pl,
            step: 0,
            eager: false,
            trusted: 0,
            lastts: 0,
            lastleader: 0,
            rejected: BTreeSet::new(),
            ts: 0,
        }
    }

    /// MUTANT (B-5.7) with `step = 1`: a new epoch adds `step` to `ts` instead of N.
    pub fn with_step(mut self, step: u64) -> Self {
        self.step = step;
        self
    }

    /// MUTANT: the leader starts its epoch when it claims it, then again when its own
    /// NEWEPOCH arrives: the same timestamp twice breaks EC1 monotonicity.
    pub fn eager(mut self) -> Self {
        self.eager = true;
        self
    }

    fn step(&self, ctx: &Ctx<Self>) -> u64 {
        if self.step == 0 {
            ctx.n() as u64
        } else {
            self.step
        }
    }

    /// `ts := ts + N; trigger ⟨ beb, Broadcast | [NEWEPOCH, ts] ⟩`.
    fn claim(&mut self, ctx: &mut Ctx<Self>) {
        self.ts += self.step(ctx);
        let ts = self.ts;
        if self.eager {
            let leader = ctx.me();
            ctx.indicate(StartEpoch { ts, leader });
        }
        for q in ctx.processes() {
            let msg = EpochWire::NewEpoch(ts);
            ctx.trigger(self, Pl, Send { to: q, msg });
        }
    }

    // ANCHOR: trust
    /// `upon event ⟨ Ω, Trust | p ⟩ do trusted := p; if p = self then ts := ts + N;
    /// trigger ⟨ beb, Broadcast | [NEWEPOCH, ts] ⟩ else if lastleader ≠ p ∨ p ∈ rejected then
    /// trigger ⟨ pl, Send | p, [NACK, ⊥] ⟩`.
    fn on_trust(&mut self, ctx: &mut Ctx<Self>, Trust(p): Trust) {
        self.trusted = p;
        if p == ctx.me() {
            self.claim(ctx);
        } else if self.lastleader != p || self.rejected.contains(&p) {
            let msg = EpochWire::Nack(None);
            ctx.trigger(self, Pl, Send { to: p, msg });
        }
    }
    // ANCHOR_END: trust

    /// A message of the links: a claim or a refusal.
    fn on_pl_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<EpochWire>) {
        match msg {
            EpochWire::NewEpoch(ts) => self.on_new_epoch(ctx, from, ts),
            EpochWire::Nack(ts) => self.on_nack(ctx, ts),
        }
    }

    // ANCHOR: deliver
    /// `upon event ⟨ beb, Deliver | l, [NEWEPOCH, newts] ⟩ do if l = trusted ∧ newts > lastts
    /// then lastts := newts; trigger ⟨ ec, StartEpoch | newts, l ⟩ else
    /// rejected := rejected ∪ {l}; trigger ⟨ pl, Send | l, [NACK, newts] ⟩`.
    fn on_new_epoch(&mut self, ctx: &mut Ctx<Self>, l: Pid, newts: u64) {
        if l == self.trusted && newts > self.lastts {
            self.lastts = newts;
            self.lastleader = l;
            self.rejected.clear();
            ctx.indicate(StartEpoch {
                ts: newts,
                leader: l,
            });
        } else {
            self.rejected.insert(l);
            let msg = EpochWire::Nack(Some(newts));
            ctx.trigger(self, Pl, Send { to: l, msg });
        }
    }

    /// `upon event ⟨ pl, Deliver | p, [NACK, nts] ⟩ do if trusted = self ∧ nts ∈ {ts, ⊥} then
    /// ts := ts + N; trigger ⟨ beb, Broadcast | [NEWEPOCH, ts] ⟩`.
    fn on_nack(&mut self, ctx: &mut Ctx<Self>, nts: Option<u64>) {
        if self.trusted == ctx.me() && nts.is_none_or(|nts| nts == self.ts) {
            self.claim(ctx);
        }
    }
    // ANCHOR_END: deliver
}

impl<O: EventualLeaderDetector, L: Link<EpochWire>> Module for LeaderBasedEpochChange<O, L> {
    const NAME: &'static str = "ec";
    type Req = NoRequest;
    type Ind = StartEpoch;
    type Msg = EcMsg<O::Msg, L::Msg>;
    type Timer = EcMsg<O::Timer, L::Timer>;

    /// `upon event ⟨ ec, Init ⟩ do trusted := l0; lastts := 0; ts := rank(self)` (epoch
    /// (0, l0) is the initial one; l0 = maxrank(Π) = process 0).
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.trusted = 0;
        self.lastts = 0;
        self.lastleader = 0;
        self.rejected.clear();
        self.ts = ctx.me() as u64;
        ctx.init(self, Pl);
        ctx.init(self, Omega);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }

    automata::pass_through!(match EcMsg {
        Omega => Omega,
        Link => Pl,
    });
}

use crate::detectors::abstractions::{leader, no_request, PERIOD};
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "leader-based-epoch-change", abstraction: "ec", params: &[PERIOD],
    model: "fail-noisy; uses Ω (model.detector: algorithm | leader)",
    summary: "Leader-Based Epoch-Change (CGR 5.5): the trusted process claims ts + N, others NACK stale claims",
    build: |l, p| {
        let (d, period) = (leader(l, p)?, p.int("period"));
        job(l, p, move |_| LeaderBasedEpochChange::new(d.clone(), period).with_step(0), no_request)
    };

    id: "leader-based-epoch-change-plus-one", abstraction: "ec", params: &[PERIOD], mutant: true,
    model: "fail-noisy; uses Ω",
    summary: "MUTANT: Leader-Based Epoch-Change that adds 1, not N, to ts (B-5.7)",
    build: |l, p| {
        let (d, period) = (leader(l, p)?, p.int("period"));
        job(l, p, move |_| LeaderBasedEpochChange::new(d.clone(), period).with_step(1), no_request)
    };
};
