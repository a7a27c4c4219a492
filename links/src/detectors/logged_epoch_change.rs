//! Logged epoch change `ec` by Logged Leader-Based Epoch-Change (CGR Module 5.6, Algorithm 5.8).
//!
//! Algorithm id: `logged-leader-based-epoch-change`. Abstraction: logged epoch change,
//! indication `StartEpoch | startts, startl` (CGR: "the variables startts and startl in stable
//! storage hold the timestamp and leader of the next epoch"; here `(lastts, lastleader)`, read
//! by the layer above through [`LoggedLeaderBasedEpochChange::started`]).
//!
//! Model: fail-recovery (crash-recovery, partial synchrony, stable storage); uses an eventual
//! leader detector for crash-recovery `O` (Elect Lower Epoch, or the Ω oracle:
//! [`RecoveryOmega`]) and stubborn links `L` (Retransmit Forever). Properties: LEC1-LEC3, EC1-EC3
//! read over log-started epochs: monotonicity (across recoveries too), consistency, eventual
//! leadership.
//!
//! Leader-Based Epoch-Change ([`super::epoch_change`]) whose promise survives a crash: `lastts`
//! (with its leader) is stored before `StartEpoch` is indicated, and `ts` before a claim is
//! broadcast, and both are retrieved on recovery. A recovered process therefore never starts an
//! epoch older than one it started before (EC1), and never claims a timestamp it already used.
//! `trusted` and `rejected` stay volatile: Ω says again whom to trust when it recovers.
//!
//! Stubborn links deliver every message again and again, so two of the fail-noisy version's
//! refinements change. (1) A NEWEPOCH that repeats the epoch this process is in is ignored; the
//! book refuses it (`newts > lastts` fails), and each refusal would make the leader claim again,
//! forever. (2) The leader answers `[NACK, ⊥]` ("I trust you now, but my epoch is not yours")
//! by sending its latest claim again to that process, not by claiming anew: the NACK keeps
//! coming back, and each copy would start another epoch. The process then starts that claim,
//! or answers `[NACK, ts]` if it is stale, which does start a new claim.

use super::epoch_change::{EcMsg, EpochWire, StartEpoch};
use super::ElectLowerEpoch;
use crate::interface::{Deliver, Link, Send};
use crate::stubborn::StubbornLinks;
use automata::detector::{EventualLeaderDetector, NoRequest, Trust};
use automata::model::DetectorSource;
use automata::oracle::LeaderOracle;
use automata::{Ctx, Module, Pid, Time};
use std::collections::BTreeSet;

automata::one_of! {
    /// An eventual leader detector for crash-recovery: Elect Lower Epoch or the Ω oracle.
    pub enum RecoveryOmega: "omega", NoRequest => Trust; wire RecoveryOmegaMsg, RecoveryOmegaTimer;
    Algorithm(ElectLowerEpoch),
    Oracle(LeaderOracle),
}

impl RecoveryOmega {
    /// The Ω that `source` names (`algorithm`: Elect Lower Epoch; `leader`: the oracle), with
    /// period Δ.
    pub fn from_source(source: DetectorSource, period: Time) -> Option<Self> {
        match source {
            DetectorSource::Algorithm => {
                Some(RecoveryOmega::Algorithm(ElectLowerEpoch::new(period)))
            }
            DetectorSource::Leader => Some(RecoveryOmega::Oracle(LeaderOracle::new(period))),
            _ => None,
        }
    }
}

/// Stable-storage keys: `(lastts, lastleader)` (the book's `startts, startl`) and `ts`.
const STARTED: &str = "started";
const TS: &str = "ts";

/// Logged Leader-Based Epoch-Change over Ω `O` and links `L`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LoggedLeaderBasedEpochChange<
    O: EventualLeaderDetector = RecoveryOmega,
    L: Link<EpochWire> = StubbornLinks<EpochWire>,
> {
    omega: O,
    sl: L,
    /// `trusted`: the process Ω trusts (volatile).
    trusted: Pid,
    /// `lastts`: the timestamp of the last epoch started here (stable).
    lastts: u64,
    /// The leader of that epoch (stable, with `lastts`).
    lastleader: Pid,
    /// The processes whose claims this process NACKed since it last started an epoch.
    rejected: BTreeSet<Pid>,
    /// `ts`: the timestamp of the last epoch this process tried to lead (stable).
    ts: u64,
}

automata::below! {
    impl[O: EventualLeaderDetector, L: Link<EpochWire>] LoggedLeaderBasedEpochChange<O, L>;
    /// Slot of the eventual leader detector.
    Omega(omega: O) => on_trust, msg EcMsg::Omega, timer EcMsg::Omega;
    /// Slot of the stubborn links.
    Sl(sl: L) => on_sl_deliver, msg EcMsg::Link, timer EcMsg::Link;
}

impl<O: EventualLeaderDetector> LoggedLeaderBasedEpochChange<O> {
    /// Over Ω `omega` and stubborn links retransmitting every `period` ticks.
    pub fn new(omega: O, period: Time) -> Self {
        LoggedLeaderBasedEpochChange::over(omega, StubbornLinks::new(period.max(1)))
    }
}

impl<O: EventualLeaderDetector, L: Link<EpochWire>> LoggedLeaderBasedEpochChange<O, L> {
    /// Over Ω `omega` and links `sl`.
    pub fn over(omega: O, sl: L) -> Self {
        LoggedLeaderBasedEpochChange {
            omega,
            sl,
            trusted: 0,
            lastts: 0,
            lastleader: 0,
            rejected: BTreeSet::new(),
            ts: 0,
        }
    }

    /// `(startts, startl)`: the last epoch started here, as stable storage holds it.
    pub fn started(&self) -> StartEpoch {
        StartEpoch {
            ts: self.lastts,
            leader: self.lastleader,
        }
    }

    fn newepoch(&mut self, ctx: &mut Ctx<Self>, to: Pid) {
        let msg = EpochWire::NewEpoch(self.ts);
        ctx.trigger(self, Sl, Send { to, msg });
    }

    /// `ts := ts + N; store(ts); trigger ⟨ sbeb, Broadcast | [NEWEPOCH, ts] ⟩`.
    fn claim(&mut self, ctx: &mut Ctx<Self>) {
        self.ts += ctx.n() as u64;
        ctx.store(TS, &self.ts);
        for q in ctx.processes() {
            self.newepoch(ctx, q);
        }
    }

    /// `upon event ⟨ Ω, Trust | p ⟩ do trusted := p; if p = self then ts := ts + N; store(ts);
    /// trigger ⟨ sbeb, Broadcast | [NEWEPOCH, ts] ⟩ else if lastleader ≠ p ∨ p ∈ rejected then
    /// trigger ⟨ sl, Send | p, [NACK, ⊥] ⟩`.
    fn on_trust(&mut self, ctx: &mut Ctx<Self>, Trust(p): Trust) {
        self.trusted = p;
        if p == ctx.me() {
            self.claim(ctx);
        } else if self.lastleader != p || self.rejected.contains(&p) {
            let msg = EpochWire::Nack(None);
            ctx.trigger(self, Sl, Send { to: p, msg });
        }
    }

    /// A message of the links: a claim or a refusal.
    fn on_sl_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<EpochWire>) {
        match msg {
            EpochWire::NewEpoch(ts) => self.on_new_epoch(ctx, from, ts),
            EpochWire::Nack(ts) => self.on_nack(ctx, from, ts),
        }
    }

    /// `upon event ⟨ sbeb, Deliver | l, [NEWEPOCH, newts] ⟩ do if l = trusted ∧ newts > lastts
    /// then lastts := newts; store(lastts); trigger ⟨ lec, StartEpoch | lastts, l ⟩ else
    /// trigger ⟨ sl, Send | l, [NACK, newts] ⟩` (a repeat of the current epoch is ignored).
    fn on_new_epoch(&mut self, ctx: &mut Ctx<Self>, l: Pid, newts: u64) {
        if l == self.trusted && newts > self.lastts {
            (self.lastts, self.lastleader) = (newts, l);
            ctx.store(STARTED, &(self.lastts, self.lastleader));
            self.rejected.clear();
            ctx.indicate(StartEpoch {
                ts: newts,
                leader: l,
            });
        } else if (newts, l) != (self.lastts, self.lastleader) {
            self.rejected.insert(l);
            let msg = EpochWire::Nack(Some(newts));
            ctx.trigger(self, Sl, Send { to: l, msg });
        }
    }

    /// `upon event ⟨ sl, Deliver | p, [NACK, nts] ⟩ do if trusted = self then if nts = ts then
    /// ts := ts + N; store(ts); trigger ⟨ sbeb, Broadcast | [NEWEPOCH, ts] ⟩ else if nts = ⊥
    /// then trigger ⟨ sl, Send | p, [NEWEPOCH, ts] ⟩`.
    fn on_nack(&mut self, ctx: &mut Ctx<Self>, p: Pid, nts: Option<u64>) {
        if self.trusted != ctx.me() {
            return;
        }
        match nts {
            Some(nts) if nts == self.ts => self.claim(ctx),
            None => self.newepoch(ctx, p),
            Some(_) => {}
        }
    }
}

impl<O: EventualLeaderDetector, L: Link<EpochWire>> Module for LoggedLeaderBasedEpochChange<O, L> {
    const NAME: &'static str = "ec";
    type Req = NoRequest;
    type Ind = StartEpoch;
    type Msg = EcMsg<O::Msg, L::Msg>;
    type Timer = EcMsg<O::Timer, L::Timer>;

    /// `upon event ⟨ lec, Init ⟩ do trusted := l0; lastts := 0; ts := rank(self);
    /// store(lastts, ts)` (l0 = maxrank(Π) = process 0, the leader of epoch 0).
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        (self.trusted, self.lastts, self.lastleader) = (0, 0, 0);
        self.rejected.clear();
        self.ts = ctx.me() as u64;
        ctx.store(STARTED, &(self.lastts, self.lastleader));
        ctx.store(TS, &self.ts);
        ctx.init(self, Sl);
        ctx.init(self, Omega);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }

    /// `upon event ⟨ Recovery ⟩ do retrieve(lastts, ts); trusted := l0` (then the links and Ω
    /// start again, and Ω says whom it trusts).
    fn on_recovery(&mut self, ctx: &mut Ctx<Self>) {
        (self.lastts, self.lastleader) = ctx.retrieve(STARTED).unwrap_or((0, 0));
        self.ts = ctx.retrieve(TS).unwrap_or(ctx.me() as u64);
        self.trusted = 0;
        self.rejected.clear();
        ctx.recover(self, Sl);
        ctx.recover(self, Omega);
    }

    automata::pass_through!(match EcMsg {
        Omega => Omega,
        Link => Sl,
    });
}

use crate::detectors::abstractions::{no_request, PERIOD};
use catalogue::{job, Algorithm, InputError, Loaded, Params};

/// The Ω a crash-recovery algorithm gets, as `model.detector` says: `algorithm` → Elect Lower
/// Epoch, `leader` → the Ω oracle.
pub fn recovery_leader(l: &Loaded, p: &Params) -> Result<RecoveryOmega, InputError> {
    RecoveryOmega::from_source(l.scenario.model.detector, p.int("period")).ok_or_else(|| {
        l.error(
            "model.detector",
            "this algorithm needs an eventual leader detector for crash-recovery: use \"algorithm\" (Elect Lower Epoch) or \"leader\" (the oracle)",
        )
    })
}

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "logged-leader-based-epoch-change", abstraction: "ec", params: &[PERIOD],
    model: "fail-recovery (crash-recovery, partial synchrony, stable storage); uses Ω (model.detector: algorithm = Elect Lower Epoch | leader)",
    summary: "Logged Leader-Based Epoch-Change (CGR 5.8): store lastts and ts before acting, over stubborn links",
    build: |l, p| {
        let (d, period) = (recovery_leader(l, p)?, p.int("period"));
        job(l, p, move |_| LoggedLeaderBasedEpochChange::new(d.clone(), period), no_request)
    };
};
