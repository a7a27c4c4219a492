//! Uniform consensus `uc` by Leader-Driven Consensus (CGR Algorithm 5.7): the book's Paxos.
//!
//! Algorithm id: `leader-driven-consensus`.
//!
//! Model: fail-noisy (crash-stop, partial synchrony), N > 2f; uses epoch change
//! (Leader-Based Epoch-Change over Ω, `model.detector`: algorithm | leader) and one instance of
//! epoch consensus (Read/Write Epoch Consensus) per epoch. Properties: C1 termination, C2
//! validity, C3 integrity, UC4 uniform agreement.
//!
//! Each time epoch change starts a new epoch, the current epoch-consensus instance is aborted
//! and its state `(valts, val)` seeds the next one. The leader of the current epoch proposes
//! its value there; the first epoch whose leader is correct and is not aborted decides. Safety
//! never depends on Ω: two epochs' decisions agree by EP4 lock-in. Liveness needs Ω to
//! stabilise (after GST). Cost without failures, leader 0 from the start: one epoch of four
//! message delays (READ, STATE, WRITE, ACCEPT) plus DECIDED, 5N messages.
//!
//! Mutants (the table of [`crate::mutants`]): [`LeaderDrivenConsensus::impatient`] decides its
//! own proposal on a timeout (UC4); [`LeaderDrivenConsensus::proposal_as_state`] lets a value
//! no leader proposed into an epoch (EP1); [`LeaderDrivenConsensus::ep_mutant`] switches on a
//! bug of epoch consensus ([`EpMutant`]: EP2-EP6), [`LeaderDrivenConsensus::skipping_read`]
//! the one caught by EP4 lock-in and UC4.

use crate::interface::{Decide, Propose};
use crate::mutants::{EpMutant, LdcMutant};
use crate::read_write_epoch_consensus::{
    EpIndication, EpMsg, EpRequest, ReadWriteEpochConsensus, State,
};
use automata::detector::EventualLeaderDetector;
use automata::{Ctx, Module, Payload, Pid, Time, Value};
use links::detectors::{EpochWire, LeaderBasedEpochChange, StartEpoch};
use links::{Link, PerfectLinksAck};

/// The messages (or timers) of epoch change and of epoch consensus.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LdcWire<E, P> {
    Ec(E),
    Ep(P),
}

/// The timers of epoch change and of epoch consensus, and the impatient mutant's own.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LdcTimer<E, P> {
    Ec(E),
    Ep(P),
    Impatient,
}

type Ec<O, E> = LeaderBasedEpochChange<O, E>;
type Ep<V, P> = ReadWriteEpochConsensus<V, P>;

/// Leader-Driven Consensus over Ω `O`, with epoch change over links `E` and epoch consensus
/// over links `P`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LeaderDrivenConsensus<
    V: Payload,
    O: EventualLeaderDetector,
    E: Link<EpochWire> = PerfectLinksAck<EpochWire>,
    P: Link<EpMsg<V>> = PerfectLinksAck<EpMsg<V>>,
> {
    ec: Ec<O, E>,
    ep: Ep<V, P>,
    /// `val`: this process's proposal.
    val: Option<V>,
    proposed: bool,
    decided: bool,
    /// `(ets, l)`: the current epoch and its leader.
    ets: u64,
    l: Pid,
    /// `(newts, newl)`: the epoch epoch change started last.
    newts: u64,
    newl: Pid,
    /// Mutant switch: the bug of this process, if any (constant for the run).
    mutant: Option<LdcMutant>,
}

automata::below! {
    impl[V: Payload, O: EventualLeaderDetector, E: Link<EpochWire>, P: Link<EpMsg<V>>] LeaderDrivenConsensus<V, O, E, P>;
    /// Slot of epoch change.
    EcSlot(ec: Ec<O, E>) => on_start_epoch, msg LdcWire::Ec, timer LdcTimer::Ec;
    /// Slot of epoch consensus (one instance per epoch, played in turn).
    EpSlot(ep: Ep<V, P>) => on_ep, msg LdcWire::Ep, timer LdcTimer::Ep;
}

impl<V: Payload, O: EventualLeaderDetector> LeaderDrivenConsensus<V, O> {
    /// Over Ω `omega` and perfect links (Retransmit Until Acknowledged) retransmitting every
    /// `period` ticks.
    pub fn new(omega: O, period: Time) -> Self {
        let period = period.max(1);
        LeaderDrivenConsensus::over(
            LeaderBasedEpochChange::new(omega, period),
            PerfectLinksAck::new(period),
        )
    }
}

impl<V: Payload, O: EventualLeaderDetector, E: Link<EpochWire>, P: Link<EpMsg<V>>>
    LeaderDrivenConsensus<V, O, E, P>
{
    /// Over the epoch change `ec`, with epoch consensus over the links `pl`.
    pub fn over(ec: Ec<O, E>, pl: P) -> Self {
        LeaderDrivenConsensus {
            ec,
            ep: ReadWriteEpochConsensus::over(pl),
            val: None,
            proposed: false,
            decided: false,
            ets: 0,
            l: 0,
            newts: 0,
            newl: 0,
            mutant: None,
        }
    }

    /// MUTANT: epoch consensus writes without reading ([`ReadWriteEpochConsensus::skipping_read`]).
    pub fn skipping_read(self) -> Self {
        self.ep_mutant(EpMutant::SkipRead)
    }

    /// MUTANT: epoch consensus has the bug `m` ([`ReadWriteEpochConsensus::mutant`]).
    pub fn ep_mutant(mut self, m: EpMutant) -> Self {
        self.ep = self.ep.mutant(m);
        self
    }

    /// MUTANT: a process still undecided `timeout` ticks after its proposal decides it
    /// ([`LdcMutant::Impatient`]).
    pub fn impatient(mut self, timeout: Time) -> Self {
        self.mutant = Some(LdcMutant::Impatient { timeout });
        self
    }

    /// MUTANT: a process with nothing accepted starts each new epoch from its own proposal
    /// ([`LdcMutant::ProposalAsState`]).
    pub fn proposal_as_state(mut self) -> Self {
        self.mutant = Some(LdcMutant::ProposalAsState);
        self
    }

    // ANCHOR: epochs
    /// `upon event ⟨ ec, StartEpoch | newts', newl' ⟩ do (newts, newl) := (newts', newl');
    /// trigger ⟨ ep.ets, Abort ⟩`.
    fn on_start_epoch(&mut self, ctx: &mut Ctx<Self>, StartEpoch { ts, leader }: StartEpoch) {
        (self.newts, self.newl) = (ts, leader);
        let ts = self.ets;
        ctx.trigger(self, EpSlot, EpRequest::Abort { ts });
    }

    fn on_ep(&mut self, ctx: &mut Ctx<Self>, ind: EpIndication<V>) {
        match ind {
            EpIndication::Aborted { ts, state } if ts == self.ets => self.on_aborted(ctx, state),
            EpIndication::Decide { ts, v } if ts == self.ets => self.on_ep_decide(ctx, v),
            _ => {}
        }
    }

    /// `upon event ⟨ ep.ts, Aborted | state ⟩ such that ts = ets do (ets, l) := (newts, newl);
    /// proposed := FALSE; initialize a new instance ep.ets with state`.
    fn on_aborted(&mut self, ctx: &mut Ctx<Self>, mut state: State<V>) {
        (self.ets, self.l) = (self.newts, self.newl);
        self.proposed = false;
        if self.mutant == Some(LdcMutant::ProposalAsState) && state.val.is_none() {
            state.val = self.val.clone();
        }
        let (ts, leader) = (self.ets, self.l);
        ctx.trigger(self, EpSlot, EpRequest::Init { ts, leader, state });
    }

    /// `upon event ⟨ ep.ts, Decide | v ⟩ such that ts = ets do if decided = FALSE then
    /// decided := TRUE; trigger ⟨ c, Decide | v ⟩`.
    fn on_ep_decide(&mut self, ctx: &mut Ctx<Self>, v: V) {
        if !self.decided {
            self.decided = true;
            ctx.indicate(Decide(v));
        }
    }
    // ANCHOR_END: epochs
}

impl<V: Payload, O: EventualLeaderDetector, E: Link<EpochWire>, P: Link<EpMsg<V>>> Module
    for LeaderDrivenConsensus<V, O, E, P>
{
    const NAME: &'static str = "uc";
    type Req = Propose<V>;
    type Ind = Decide<V>;
    type Msg = LdcWire<<Ec<O, E> as Module>::Msg, <Ep<V, P> as Module>::Msg>;
    type Timer = LdcTimer<<Ec<O, E> as Module>::Timer, <Ep<V, P> as Module>::Timer>;

    /// `upon event ⟨ c, Init ⟩ do val := ⊥; proposed := FALSE; decided := FALSE;
    /// initialize ep.0 with state (0, ⊥) and leader l0; (ets, l) := (0, l0);
    /// (newts, newl) := (0, ⊥)` (l0 is process 0, epoch change's first leader).
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, EpSlot);
        let state = State::initial();
        ctx.trigger(
            self,
            EpSlot,
            EpRequest::Init {
                ts: 0,
                leader: 0,
                state,
            },
        );
        ctx.init(self, EcSlot);
    }

    // ANCHOR: propose
    /// `upon event ⟨ c, Propose | v ⟩ do val := v` (and the impatient mutant's timer).
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Propose(v): Propose<V>) {
        if self.val.is_none() {
            self.val = Some(v);
            if let Some(LdcMutant::Impatient { timeout }) = self.mutant {
                ctx.set_timer(timeout, LdcTimer::Impatient);
            }
        }
    }

    /// `upon l = self ∧ val ≠ ⊥ ∧ proposed = FALSE do proposed := TRUE;
    /// trigger ⟨ ep.ets, Propose | val ⟩`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        if self.l == ctx.me() && !self.proposed {
            if let Some(v) = self.val.clone() {
                self.proposed = true;
                let ts = self.ets;
                ctx.trigger(self, EpSlot, EpRequest::Propose { ts, v });
            }
        }
    }
    // ANCHOR_END: propose

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Self::Msg) {
        match msg {
            LdcWire::Ec(m) => ctx.pass_message(self, EcSlot, from, m),
            LdcWire::Ep(m) => ctx.pass_message(self, EpSlot, from, m),
        }
    }

    /// The impatient mutant's timeout: still undecided, it decides its own proposal.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Self::Timer) {
        match timer {
            LdcTimer::Ec(t) => ctx.pass_timer(self, EcSlot, t),
            LdcTimer::Ep(t) => ctx.pass_timer(self, EpSlot, t),
            LdcTimer::Impatient => {
                if let (false, Some(v)) = (self.decided, self.val.clone()) {
                    self.decided = true;
                    ctx.indicate(Decide(v));
                }
            }
        }
    }
}

use crate::abstractions::{propose, PERIOD};
use crate::cost::predicted;
use catalogue::{job, job_predicting, Algorithm, Param};
use links::detectors::abstractions::leader;

const TIMEOUT: Param = Param::int(
    "timeout",
    4,
    "ticks after its proposal at which a process not yet decided decides its own value (a decision takes at least five message delays)",
);

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "leader-driven-consensus", abstraction: "uc-ep", params: &[PERIOD],
    model: "fail-noisy with N > 2f; uses Ω (model.detector: algorithm | leader)",
    summary: "Leader-Driven Consensus (CGR 5.7, the book's Paxos): epoch change starts epochs; each epoch's leader reads a majority, writes, decides",
    build: |l, p| {
        let (d, period) = (leader(l, p)?, p.int("period"));
        // The first leader's epoch: READ, STATE, WRITE, ACCEPT, DECIDED (C.8).
        let costs = predicted(l, |n| (5, 5 * n));
        job_predicting(l, p, move |_| LeaderDrivenConsensus::<Value, _>::new(d.clone(), period), propose, costs)
    };

    id: "leader-driven-consensus-no-read", abstraction: "uc-ep", params: &[PERIOD], mutant: true,
    model: "a leader that writes its own value without reading a majority overwrites a decided one",
    summary: "MUTANT: Leader-Driven Consensus whose epoch leaders skip the read phase",
    build: |l, p| {
        let (d, period) = (leader(l, p)?, p.int("period"));
        job(l, p, move |_| LeaderDrivenConsensus::<Value, _>::new(d.clone(), period).skipping_read(), propose)
    };

    id: "leader-driven-consensus-impatient", abstraction: "uc-ep", params: &[PERIOD, TIMEOUT], mutant: true,
    model: "a process that gives up waiting and decides its own proposal disagrees with a decision it has not heard of yet",
    summary: "MUTANT: Leader-Driven Consensus in which a process undecided `timeout` ticks after proposing decides its own value",
    build: |l, p| {
        let (d, period, timeout) = (leader(l, p)?, p.int("period"), p.int("timeout"));
        job(l, p, move |_| LeaderDrivenConsensus::<Value, _>::new(d.clone(), period).impatient(timeout), propose)
    };

    id: "leader-driven-consensus-proposal-as-state", abstraction: "uc-ep", params: &[PERIOD], mutant: true,
    model: "a process with nothing accepted reports its own proposal as its state: a leader reads and writes a value no leader proposed",
    summary: "MUTANT: Leader-Driven Consensus whose processes start each epoch from their own proposal when they accepted nothing",
    build: |l, p| {
        let (d, period) = (leader(l, p)?, p.int("period"));
        job(l, p, move |_| LeaderDrivenConsensus::<Value, _>::new(d.clone(), period).proposal_as_state(), propose)
    };

    id: "leader-driven-consensus-decided-per-accept", abstraction: "uc-ep", params: &[PERIOD], mutant: true,
    model: "a leader that sends DECIDED on every ACCEPT beyond the quorum makes every process decide again in the epoch",
    summary: "MUTANT: Leader-Driven Consensus whose epoch leaders send DECIDED again on every further ACCEPT",
    build: |l, p| {
        let (d, period) = (leader(l, p)?, p.int("period"));
        job(l, p, move |_| LeaderDrivenConsensus::<Value, _>::new(d.clone(), period).ep_mutant(EpMutant::DecideOnEveryAccept), propose)
    };

    id: "leader-driven-consensus-half-quorum", abstraction: "uc-ep", params: &[PERIOD], mutant: true,
    model: "quorums of N/2 need not intersect: with N = 4 split in halves, each half's leader decides its own value",
    summary: "MUTANT: Leader-Driven Consensus whose epoch leaders read and count ACCEPTs from N/2 processes, not a majority",
    build: |l, p| {
        let (d, period) = (leader(l, p)?, p.int("period"));
        job(l, p, move |_| LeaderDrivenConsensus::<Value, _>::new(d.clone(), period).ep_mutant(EpMutant::HalfQuorum), propose)
    };

    id: "leader-driven-consensus-accept-all", abstraction: "uc-ep", params: &[PERIOD], mutant: true,
    model: "a leader that waits for every process's ACCEPT waits for ever once one process crashed",
    summary: "MUTANT: Leader-Driven Consensus whose epoch leaders wait for an ACCEPT from every process, not a majority",
    build: |l, p| {
        let (d, period) = (leader(l, p)?, p.int("period"));
        job(l, p, move |_| LeaderDrivenConsensus::<Value, _>::new(d.clone(), period).ep_mutant(EpMutant::WaitForAll), propose)
    };
};
