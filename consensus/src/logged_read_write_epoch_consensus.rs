//! Logged epoch consensus (the book's `lep`; module `epc` in traces, as in
//! [`crate::read_write_epoch_consensus`]) by Logged Read/Write Epoch Consensus (CGR Module 5.7,
//! Algorithm 5.9).
//!
//! Algorithm id: none of its own; it runs inside Logged Leader-Driven Consensus
//! ([`crate::logged_leader_driven`]), which starts one instance per epoch.
//!
//! Model: fail-recovery (crash-recovery, partial synchrony, stable storage), N > 2f; uses
//! stubborn links (the book's `sl` and, as a send to every process, `sbeb`). Properties (judged
//! by [`crate::epoch_monitors`]): LEP1-LEP4, that is EP1 validity, EP2 uniform agreement, EP4
//! lock-in and EP6 abort behaviour read over log-decisions, and LEP5 termination (judged as EP5,
//! for every correct leader, not only one that never crashes). EP3 integrity holds too, though
//! CGR drops it: `epochdecision` is stored, and a process ep-decides at most once in an epoch,
//! across its recoveries.
//!
//! Read/Write Epoch Consensus whose promise survives a crash. The state `(valts, val)` is
//! stored when an instance starts and when a process accepts a WRITE, *before* its ACCEPT goes
//! out: an acceptance counted towards a decision is in the stable storage of a majority, so
//! every later leader still reads it (lock-in). The decision is stored before it is indicated
//! (`epochdecision`, which the layer above reads on recovery:
//! [`LoggedReadWriteEpochConsensus::epoch_decision`]). On recovery the process retrieves its
//! instance (`ets` and its leader: one module plays every instance in turn), `(valts, val)` and
//! `epochdecision`, and carries on in that instance.
//!
//! Stubborn links deliver every message again and again, so the leader counts who accepted
//! (a set, not the book's counter), and its WRITE and DECIDED each go out once per instance
//! (`written`, `announced`): a second WRITE, of another majority's highest value, could write
//! a different value in the same epoch. A leader writes only what it proposed in its current
//! incarnation; after a recovery it does not propose again in the same epoch (the layer above
//! stores `proposed`), so the instance ends only when a new epoch aborts it.
//!
//! Mutant: [`LoggedReadWriteEpochConsensus::forgetting_writes`] accepts a WRITE without storing
//! it. A process that crashes after its ACCEPT counted towards a decision recovers with the
//! state its instance started with, a later leader can read it and a process that never saw
//! the value, and writes its own value over the decided one: EP4 lock-in, then uniform
//! agreement.

use crate::read_write_epoch_consensus::{EpIndication, EpMsg, EpRequest, EpWire, State};
use automata::{Ctx, Module, Payload, Pid, Time};
use links::{Deliver, Link, Send, StubbornLinks};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What a value must be to sit in stable storage.
pub trait Logged: Payload + Serialize + DeserializeOwned {}
impl<V: Payload + Serialize + DeserializeOwned> Logged for V {}

/// Stable-storage keys: the instance `(ets, l)`, its state `(valts, val)` and
/// `epochdecision` (with the epoch that decided it).
const EPOCH: &str = "epoch";
const STATE: &str = "state";
const DECISION: &str = "epochdecision";

/// Logged Read/Write Epoch Consensus over the links `L`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LoggedReadWriteEpochConsensus<V: Logged, L: Link<EpMsg<V>> = StubbornLinks<EpMsg<V>>> {
    sl: L,
    /// `ets`: this instance's epoch (`None` before the first `Init`; stable).
    ets: Option<u64>,
    /// `l`: its leader (stable).
    leader: Pid,
    /// `(valts, val)` (stable).
    state: State<V>,
    /// `tmpval`: the leader's value for this epoch.
    tmpval: Option<V>,
    /// `states`: the states read, by process (leader).
    states: BTreeMap<Pid, State<V>>,
    /// `accepted`: the processes that accepted the leader's write (leader).
    accepted: BTreeSet<Pid>,
    /// The leader's WRITE and DECIDED went out (once per instance).
    written: bool,
    announced: bool,
    /// `epochdecision` (stable).
    epochdecision: Option<V>,
    /// Aborted: the instance has halted.
    halted: bool,
    /// Messages of epochs not started here yet, by epoch (a set: they come again and again).
    early: BTreeMap<u64, BTreeSet<(Pid, EpWire<V>)>>,
    /// Mutant switch: `false` accepts a WRITE without storing it.
    store_writes: bool,
}

automata::below! {
    impl[V: Logged, L: Link<EpMsg<V>>] LoggedReadWriteEpochConsensus<V, L>;
    /// Slot of the stubborn links.
    Sl(sl: L) => on_sl_deliver;
}

impl<V: Logged> LoggedReadWriteEpochConsensus<V> {
    /// Over stubborn links retransmitting every `period` ticks.
    pub fn new(period: Time) -> Self {
        LoggedReadWriteEpochConsensus::over(StubbornLinks::new(period.max(1)))
    }
}

impl<V: Logged, L: Link<EpMsg<V>>> LoggedReadWriteEpochConsensus<V, L> {
    /// Over the links `sl`.
    pub fn over(sl: L) -> Self {
        LoggedReadWriteEpochConsensus {
            sl,
            ets: None,
            leader: 0,
            state: State::initial(),
            tmpval: None,
            states: BTreeMap::new(),
            accepted: BTreeSet::new(),
            written: false,
            announced: false,
            epochdecision: None,
            halted: true,
            early: BTreeMap::new(),
            store_writes: true,
        }
    }

    /// MUTANT: a WRITE is accepted (and acknowledged) without `store(valts, val)`.
    pub fn forgetting_writes(mut self) -> Self {
        self.store_writes = false;
        self
    }

    /// `epochdecision` of the current instance, as stable storage holds it.
    pub fn epoch_decision(&self) -> Option<&V> {
        self.epochdecision.as_ref()
    }

    fn store_state(&self, ctx: &mut Ctx<Self>) {
        ctx.store(STATE, &(self.state.valts, &self.state.val));
    }

    fn send(&mut self, ctx: &mut Ctx<Self>, to: Pid, wire: EpWire<V>) {
        let ts = self.ets.expect("a started epoch");
        ctx.trigger(
            self,
            Sl,
            Send {
                to,
                msg: EpMsg { ts, wire },
            },
        );
    }

    fn send_all(&mut self, ctx: &mut Ctx<Self>, wire: EpWire<V>) {
        for q in ctx.processes() {
            self.send(ctx, q, wire.clone());
        }
    }

    /// `upon event ⟨ lep, Init | state ⟩ do (valts, val) := state; store(valts, val);
    /// tmpval := ⊥; states := [⊥]^N; accepted := 0`, then the messages that came early.
    fn init(&mut self, ctx: &mut Ctx<Self>, ts: u64, leader: Pid, state: State<V>) {
        (self.ets, self.leader, self.state) = (Some(ts), leader, state);
        ctx.store(EPOCH, &(ts, leader));
        self.store_state(ctx);
        self.tmpval = None;
        self.states.clear();
        self.accepted.clear();
        (self.written, self.announced, self.halted) = (false, false, false);
        self.epochdecision = None;
        self.early = self.early.split_off(&ts);
        for (from, wire) in self.early.remove(&ts).unwrap_or_default() {
            self.on_wire(ctx, from, wire);
        }
    }

    /// `upon event ⟨ lep, Propose | v ⟩ do tmpval := v; trigger ⟨ sbeb, Broadcast | [READ] ⟩`
    /// (leader only).
    fn propose(&mut self, ctx: &mut Ctx<Self>, v: V) {
        self.tmpval = Some(v);
        self.send_all(ctx, EpWire::Read);
    }

    /// `upon event ⟨ lep, Abort ⟩ do trigger ⟨ lep, Aborted | (valts, val) ⟩; halt`.
    fn abort(&mut self, ctx: &mut Ctx<Self>, ts: u64) {
        self.halted = true;
        let state = self.state.clone();
        ctx.indicate(EpIndication::Aborted { ts, state });
    }

    /// A message of the links: of this epoch, handled; of a later one, kept; of an earlier
    /// one (or of this one once aborted), dropped.
    fn on_sl_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<EpMsg<V>>) {
        let EpMsg { ts, wire } = msg;
        match self.ets {
            Some(ets) if ts == ets && !self.halted => self.on_wire(ctx, from, wire),
            Some(ets) if ts <= ets => {}
            _ => {
                self.early.entry(ts).or_default().insert((from, wire));
            }
        }
    }

    fn on_wire(&mut self, ctx: &mut Ctx<Self>, from: Pid, wire: EpWire<V>) {
        let leader = from == self.leader;
        match wire {
            // `upon event ⟨ sbeb, Deliver | l, [READ] ⟩ do
            // trigger ⟨ sl, Send | l, [STATE, valts, val] ⟩`.
            EpWire::Read if leader => {
                let state = self.state.clone();
                self.send(ctx, from, EpWire::State(state));
            }
            // `upon event ⟨ sl, Deliver | q, [STATE, ts, v] ⟩ do states[q] := (ts, v)`.
            EpWire::State(s) => {
                self.states.insert(from, s);
            }
            // `upon event ⟨ sbeb, Deliver | l, [WRITE, v] ⟩ do (valts, val) := (ets, v);
            // store(valts, val); trigger ⟨ sl, Send | l, [ACCEPT] ⟩`.
            EpWire::Write(v) if leader => {
                let valts = self.ets.expect("a started epoch");
                self.state = State {
                    valts,
                    val: Some(v),
                };
                if self.store_writes {
                    self.store_state(ctx);
                }
                self.send(ctx, from, EpWire::Accept);
            }
            // `upon event ⟨ sl, Deliver | q, [ACCEPT] ⟩ do accepted := accepted ∪ {q}`.
            EpWire::Accept => {
                self.accepted.insert(from);
            }
            // `upon event ⟨ sbeb, Deliver | l, [DECIDED, v] ⟩ do epochdecision := v;
            // store(epochdecision); trigger ⟨ lep, Decide | epochdecision ⟩` (once).
            EpWire::Decided(v) if leader && self.epochdecision.is_none() => {
                let ts = self.ets.expect("a started epoch");
                self.epochdecision = Some(v.clone());
                ctx.store(DECISION, &(ts, &v));
                ctx.indicate(EpIndication::Decide { ts, v });
            }
            _ => {}
        }
    }
}

impl<V: Logged, L: Link<EpMsg<V>>> Module for LoggedReadWriteEpochConsensus<V, L> {
    const NAME: &'static str = "epc";
    type Req = EpRequest<V>;
    type Ind = EpIndication<V>;
    automata::pass_through!(Sl: L);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Sl);
    }

    /// `upon event ⟨ lep, Recovery ⟩ do retrieve(valts, val)`, with the instance it belongs to
    /// and its `epochdecision`; the instance carries on.
    fn on_recovery(&mut self, ctx: &mut Ctx<Self>) {
        ctx.recover(self, Sl);
        let Some((ets, leader)) = ctx.retrieve::<(u64, Pid)>(EPOCH) else {
            return;
        };
        (self.ets, self.leader, self.halted) = (Some(ets), leader, false);
        if let Some((valts, val)) = ctx.retrieve(STATE) {
            self.state = State { valts, val };
        }
        let decision: Option<(u64, V)> = ctx.retrieve(DECISION);
        self.epochdecision = decision.filter(|(ts, _)| *ts == ets).map(|(_, v)| v);
    }

    fn on_request(&mut self, ctx: &mut Ctx<Self>, req: EpRequest<V>) {
        match req {
            EpRequest::Init { ts, leader, state } => self.init(ctx, ts, leader, state),
            EpRequest::Propose { ts, v } if Some(ts) == self.ets && !self.halted => {
                self.propose(ctx, v)
            }
            EpRequest::Abort { ts } if Some(ts) == self.ets && !self.halted => self.abort(ctx, ts),
            _ => {}
        }
    }

    /// `upon #(states) > N/2 do (ts, v) := highest(states); if v ≠ ⊥ then tmpval := v;
    /// states := [⊥]^N; trigger ⟨ sbeb, Broadcast | [WRITE, tmpval] ⟩` and
    /// `upon #(accepted) > N/2 do accepted := ∅; trigger ⟨ sbeb, Broadcast | [DECIDED, tmpval] ⟩`
    /// (each once per instance, and only by a leader that proposed in this incarnation).
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        if self.halted || self.tmpval.is_none() {
            return;
        }
        let majority = ctx.n() / 2 + 1;
        if !self.written && self.states.len() >= majority {
            if let Some(v) = self.states.values().max().and_then(|s| s.val.clone()) {
                self.tmpval = Some(v);
            }
            self.states.clear();
            self.written = true;
            let v = self.tmpval.clone().expect("the leader proposed");
            self.send_all(ctx, EpWire::Write(v));
        }
        if self.written && !self.announced && self.accepted.len() >= majority {
            self.accepted.clear();
            self.announced = true;
            let v = self.tmpval.clone().expect("the leader proposed");
            self.send_all(ctx, EpWire::Decided(v));
        }
    }
}
