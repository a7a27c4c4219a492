//! Logged uniform consensus `luc` by Logged Leader-Driven Consensus (CGR Module 5.5, Algorithms
//! 5.10-5.11): the book's Paxos for crash-recovery.
//!
//! Algorithm id: `logged-leader-driven-consensus`.
//!
//! Model: fail-recovery (crash-recovery, partial synchrony, stable storage), N > 2f, where a
//! correct process is one that is eventually up for good; uses logged epoch change (Logged
//! Leader-Based Epoch-Change over Ω for crash-recovery, `model.detector`: algorithm = Elect
//! Lower Epoch | leader, and stubborn links) and one instance of logged epoch consensus (Logged
//! Read/Write Epoch Consensus) per epoch. Properties: LUC1 termination, LUC2 validity, LUC3
//! uniform agreement (CGR's three), and integrity read over log-decisions (no process
//! log-decides twice); the epochs' EP1-EP6 are judged too.
//!
//! Leader-Driven Consensus ([`crate::leader_driven`]) whose variables survive a crash. Stored:
//! the current epoch `(ets, l)` (when it starts, before its instance is initialized), the
//! decision (before it is indicated), and, unlike the book, the proposal `val` (when it
//! arrives) and `proposed` (before the proposal goes out): the workload's `Propose` is not
//! repeated after a recovery, and a recovered leader that proposed again in the same epoch
//! could write two values there. On recovery the process retrieves them, the epoch it was told
//! to start last (`(newts, newl) := (startts, startl)` of epoch change) and the current
//! instance's `epochdecision`, and carries on; a leader that had proposed waits for a new
//! epoch, which its recovered Ω starts (a fresh Ω indicates whom it trusts, and a trusted
//! leader claims a new epoch). The abort is the book's guarded action `upon (ets, l) ≠ (newts,
//! newl) ∧ aborted = FALSE`, so a recovery that finds a newer epoch started moves to it.
//!
//! **The logged decision.** `⟨ luc, Decide | decision ⟩` says "the stable variable `decision`
//! holds the decided value"; the layer above reads it ([`LoggedLeaderDrivenConsensus::decision`])
//! and the indication may come again. As with logged perfect links, the trace shows the first
//! one, the *log-decision*, as `Decide`, so the consensus monitors judge it as they judge any
//! decision, and the notification after a recovery, which decides nothing new, as
//! `Other { name: "decision" }`, which they ignore. So C3 integrity, judged over log-decisions,
//! says that `decision` is written once: a recovered process that forgot it and decided again
//! would be caught, even with the same value. Module 5.5 has no integrity property (a
//! re-notification is not a second decision); uniform agreement covers two different values.
//!
//! Cost, nothing failing and leader 0 from the start: as Leader-Driven Consensus (READ, STATE,
//! WRITE, ACCEPT, DECIDED: 5 message delays and 5N messages, before the stubborn links' first
//! retransmission), plus stable writes: at each process its proposal, the accepted state
//! (before its ACCEPT), `epochdecision` and `decision` (before the decision), and the leader's
//! `proposed` (before its READ); starting an epoch writes 4 more at each process
//! (`(startts, startl)`, `(ets, l)`, the instance and its state) and the claim's `ts` at the
//! leader. The messages go over stubborn links, which the `decision_messages` measure (sends
//! to perfect links) does not count.
//!
//! Mutant: [`LoggedLeaderDrivenConsensus::forgetting_writes`] (in epoch consensus), caught by
//! EP4 lock-in and uniform agreement.

use crate::interface::Propose;
use crate::leader_driven::LdcWire;
use crate::logged_read_write_epoch_consensus::{Logged, LoggedReadWriteEpochConsensus};
use crate::read_write_epoch_consensus::{EpIndication, EpMsg, EpRequest, State};
use automata::detector::EventualLeaderDetector;
use automata::{Ctx, Event, Module, Observe, Pid, Time, Value};
use links::detectors::logged_epoch_change::{LoggedLeaderBasedEpochChange, RecoveryOmega};
use links::detectors::{EpochWire, StartEpoch};
use links::{Link, StubbornLinks};

/// Indication `⟨ luc, Decide | decision ⟩`: the stable variable `decision` holds `decision`.
/// `again` marks the notification after a recovery (traced as `Other { name: "decision" }`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LogDecide<V> {
    pub decision: V,
    pub again: bool,
}

impl<V: automata::ToValue> Observe for LogDecide<V> {
    fn observe(&self) -> Option<Event> {
        let value = self.decision.to_value();
        Some(if self.again {
            Event::Other {
                name: "decision".into(),
                value,
            }
        } else {
            Event::Decide { value }
        })
    }
}

/// Stable-storage keys: `(ets, l, proposed)`, `decision`, `val`.
const EPOCH: &str = "epoch";
const DECISION: &str = "decision";
const VAL: &str = "val";

type Ec<O, E> = LoggedLeaderBasedEpochChange<O, E>;
type Ep<V, P> = LoggedReadWriteEpochConsensus<V, P>;

/// Logged Leader-Driven Consensus over Ω `O`, with epoch change over links `E` and epoch
/// consensus over links `P`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LoggedLeaderDrivenConsensus<
    V: Logged,
    O: EventualLeaderDetector = RecoveryOmega,
    E: Link<EpochWire> = StubbornLinks<EpochWire>,
    P: Link<EpMsg<V>> = StubbornLinks<EpMsg<V>>,
> {
    ec: Ec<O, E>,
    ep: Ep<V, P>,
    /// `val`: this process's proposal (stable).
    val: Option<V>,
    /// `proposed` (stable, with the epoch).
    proposed: bool,
    /// `decision` (stable).
    decision: Option<V>,
    /// An abort of the current instance is under way.
    aborted: bool,
    /// `(ets, l)`: the current epoch and its leader (stable).
    ets: u64,
    l: Pid,
    /// `(newts, newl)`: the epoch epoch change started last.
    newts: u64,
    newl: Pid,
}

automata::below! {
    impl[V: Logged, O: EventualLeaderDetector, E: Link<EpochWire>, P: Link<EpMsg<V>>] LoggedLeaderDrivenConsensus<V, O, E, P>;
    /// Slot of logged epoch change.
    EcSlot(ec: Ec<O, E>) => on_start_epoch, msg LdcWire::Ec, timer LdcWire::Ec;
    /// Slot of logged epoch consensus (one instance per epoch, played in turn).
    EpSlot(ep: Ep<V, P>) => on_ep, msg LdcWire::Ep, timer LdcWire::Ep;
}

impl<V: Logged, O: EventualLeaderDetector> LoggedLeaderDrivenConsensus<V, O> {
    /// Over Ω `omega` and stubborn links retransmitting every `period` ticks.
    pub fn new(omega: O, period: Time) -> Self {
        let period = period.max(1);
        LoggedLeaderDrivenConsensus::over(
            LoggedLeaderBasedEpochChange::new(omega, period),
            StubbornLinks::new(period),
        )
    }
}

impl<V: Logged, O: EventualLeaderDetector, E: Link<EpochWire>, P: Link<EpMsg<V>>>
    LoggedLeaderDrivenConsensus<V, O, E, P>
{
    /// Over the epoch change `ec`, with epoch consensus over the links `sl`.
    pub fn over(ec: Ec<O, E>, sl: P) -> Self {
        LoggedLeaderDrivenConsensus {
            ec,
            ep: LoggedReadWriteEpochConsensus::over(sl),
            val: None,
            proposed: false,
            decision: None,
            aborted: false,
            ets: 0,
            l: 0,
            newts: 0,
            newl: 0,
        }
    }

    /// MUTANT: epoch consensus accepts WRITEs without storing them
    /// ([`LoggedReadWriteEpochConsensus::forgetting_writes`]).
    pub fn forgetting_writes(mut self) -> Self {
        self.ep = self.ep.forgetting_writes();
        self
    }

    /// `decision`, as the layer above reads it.
    pub fn decision(&self) -> Option<&V> {
        self.decision.as_ref()
    }

    fn store_epoch(&self, ctx: &mut Ctx<Self>) {
        ctx.store(EPOCH, &(self.ets, self.l, self.proposed));
    }

    /// `decision := v; store(decision); trigger ⟨ luc, Decide | decision ⟩`.
    fn log_decide(&mut self, ctx: &mut Ctx<Self>, v: V) {
        self.decision = Some(v.clone());
        ctx.store(DECISION, &self.decision);
        ctx.indicate(LogDecide {
            decision: v,
            again: false,
        });
    }

    // ANCHOR: epochs
    /// `upon event ⟨ lec, StartEpoch | startts, startl ⟩ do (newts, newl) := (startts, startl)`.
    fn on_start_epoch(&mut self, _ctx: &mut Ctx<Self>, StartEpoch { ts, leader }: StartEpoch) {
        (self.newts, self.newl) = (ts, leader);
    }

    fn on_ep(&mut self, ctx: &mut Ctx<Self>, ind: EpIndication<V>) {
        match ind {
            EpIndication::Aborted { ts, state } if ts == self.ets => self.on_aborted(ctx, state),
            EpIndication::Decide { ts, v } if ts == self.ets => self.on_ep_decide(ctx, v),
            _ => {}
        }
    }

    /// `upon event ⟨ lep.ts, Aborted | state ⟩ such that ts = ets do (ets, l) := (newts, newl);
    /// store(ets, l); aborted := FALSE; proposed := FALSE; initialize a new instance lep.ets
    /// with state`.
    fn on_aborted(&mut self, ctx: &mut Ctx<Self>, state: State<V>) {
        (self.ets, self.l) = (self.newts, self.newl);
        (self.aborted, self.proposed) = (false, false);
        self.store_epoch(ctx);
        let (ts, leader) = (self.ets, self.l);
        ctx.trigger(self, EpSlot, EpRequest::Init { ts, leader, state });
    }

    /// `upon event ⟨ lep.ts, Decide | epochdecision ⟩ such that ts = ets do if decision = ⊥
    /// then decision := epochdecision; store(decision); trigger ⟨ luc, Decide | decision ⟩`.
    fn on_ep_decide(&mut self, ctx: &mut Ctx<Self>, v: V) {
        if self.decision.is_none() {
            self.log_decide(ctx, v);
        }
    }
    // ANCHOR_END: epochs
}

impl<V: Logged, O: EventualLeaderDetector, E: Link<EpochWire>, P: Link<EpMsg<V>>> Module
    for LoggedLeaderDrivenConsensus<V, O, E, P>
{
    const NAME: &'static str = "luc";
    type Req = Propose<V>;
    type Ind = LogDecide<V>;
    type Msg = LdcWire<<Ec<O, E> as Module>::Msg, <Ep<V, P> as Module>::Msg>;
    type Timer = LdcWire<<Ec<O, E> as Module>::Timer, <Ep<V, P> as Module>::Timer>;

    // ANCHOR: recovery
    /// `upon event ⟨ luc, Init ⟩ do val := ⊥; decision := ⊥; aborted := FALSE;
    /// proposed := FALSE; initialize lep.0 with leader l0 and state (0, ⊥); (ets, l) := (0, l0);
    /// (newts, newl) := (0, l0); store(ets, l, decision)` (l0 is process 0).
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.store_epoch(ctx);
        ctx.store(DECISION, &self.decision);
        ctx.store(VAL, &self.val);
        ctx.init(self, EpSlot);
        let state = State::initial();
        let init = EpRequest::Init {
            ts: 0,
            leader: 0,
            state,
        };
        ctx.trigger(self, EpSlot, init);
        ctx.init(self, EcSlot);
    }

    /// `upon event ⟨ luc, Recovery ⟩ do retrieve(ets, l, decision);
    /// (newts, newl) := retrieve(startts, startl) of lec; retrieve(epochdecision) of lep.ets;
    /// if epochdecision ≠ ⊥ ∧ decision = ⊥ then decision := epochdecision; store(decision);
    /// trigger ⟨ luc, Decide | decision ⟩; aborted := FALSE` (and `val`, `proposed`; a
    /// decision already logged is notified again).
    fn on_recovery(&mut self, ctx: &mut Ctx<Self>) {
        if let Some((ets, l, proposed)) = ctx.retrieve(EPOCH) {
            (self.ets, self.l, self.proposed) = (ets, l, proposed);
        }
        self.decision = ctx.retrieve(DECISION).flatten();
        self.val = ctx.retrieve(VAL).flatten();
        ctx.recover(self, EpSlot);
        ctx.recover(self, EcSlot);
        let StartEpoch { ts, leader } = self.ec.started();
        (self.newts, self.newl) = (ts, leader);
        match (self.ep.epoch_decision().cloned(), self.decision.clone()) {
            (Some(v), None) => self.log_decide(ctx, v),
            (_, Some(decision)) => ctx.indicate(LogDecide {
                decision,
                again: true,
            }),
            (None, None) => {}
        }
        self.aborted = false;
    }

    /// `upon event ⟨ luc, Propose | v ⟩ do val := v; store(val)`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Propose(v): Propose<V>) {
        if self.val.is_none() {
            self.val = Some(v);
            ctx.store(VAL, &self.val);
        }
    }

    /// `upon (ets, l) ≠ (newts, newl) ∧ aborted = FALSE do aborted := TRUE;
    /// trigger ⟨ lep.ets, Abort ⟩` and `upon l = self ∧ val ≠ ⊥ ∧ proposed = FALSE do
    /// proposed := TRUE; store(proposed); trigger ⟨ lep.ets, Propose | val ⟩`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        if (self.ets, self.l) != (self.newts, self.newl) && !self.aborted {
            self.aborted = true;
            let ts = self.ets;
            ctx.trigger(self, EpSlot, EpRequest::Abort { ts });
        }
        if self.l == ctx.me() && !self.proposed && !self.aborted {
            if let Some(v) = self.val.clone() {
                self.proposed = true;
                self.store_epoch(ctx);
                let ts = self.ets;
                ctx.trigger(self, EpSlot, EpRequest::Propose { ts, v });
            }
        }
    }
    // ANCHOR_END: recovery

    automata::pass_through!(match LdcWire {
        Ec => EcSlot,
        Ep => EpSlot,
    });
}

use crate::abstractions::propose;
use catalogue::{job, Algorithm, Param};
use links::detectors::logged_epoch_change::recovery_leader;

/// The period of the stubborn links and of Elect Lower Epoch.
const PERIOD: Param = Param::int(
    "period",
    10,
    "retransmission period of the stubborn links below, and Δ of Elect Lower Epoch (local ticks)",
);

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "logged-leader-driven-consensus", abstraction: "luc", params: &[PERIOD],
    model: "fail-recovery (crash-recovery, partial synchrony, stable storage) with N > 2f; uses Ω for crash-recovery (model.detector: algorithm = Elect Lower Epoch | leader)",
    summary: "Logged Leader-Driven Consensus (CGR 5.8-5.10): the book's Paxos storing its epoch, accepted state and decision; cost as leader-driven plus stable writes",
    build: |l, p| {
        let (d, period) = (recovery_leader(l, p)?, p.int("period"));
        job(l, p, move |_| LoggedLeaderDrivenConsensus::<Value, _>::new(d.clone(), period), propose)
    };

    id: "logged-leader-driven-consensus-forgetful", abstraction: "luc", params: &[PERIOD], mutant: true,
    model: "a process that accepted a decided value forgets it in a crash; a later leader writes over it",
    summary: "MUTANT: Logged Leader-Driven Consensus whose epoch consensus accepts a WRITE without storing it",
    build: |l, p| {
        let (d, period) = (recovery_leader(l, p)?, p.int("period"));
        job(l, p, move |_| LoggedLeaderDrivenConsensus::<Value, _>::new(d.clone(), period).forgetting_writes(), propose)
    };
};
