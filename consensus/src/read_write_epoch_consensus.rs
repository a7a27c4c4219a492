//! Epoch consensus `epc` (the book's `ep`; here `ep` is ◇P) by Read/Write Epoch Consensus
//! (CGR Module 5.4, Algorithm 5.6).
//!
//! Algorithm id: none of its own; it runs inside Leader-Driven Consensus
//! ([`crate::leader_driven`]), which starts one instance per epoch.
//!
//! Model: fail-noisy (crash-stop, partial synchrony), N > 2f; uses perfect links. Properties
//! (judged by [`crate::epoch_monitors`]): EP1 validity, EP2 uniform agreement, EP3 integrity,
//! EP4 lock-in, EP5 termination, EP6 abort behaviour.
//!
//! One instance of epoch `ets` with leader `l` starts from the state `(valts, val)` the
//! previous epoch handed over. Its leader *reads* the states of a majority and adopts the value
//! with the highest timestamp (or proposes its own if there is none), then *writes* it to a
//! majority; once a majority accepted, it tells everyone to decide. Two majorities intersect,
//! so a value decided in an earlier epoch is read by every later leader (lock-in).
//!
//! Here one module plays every instance in turn: `Init | ts, l, state` (a request, so the
//! trace shows it) starts instance `ts`; its messages carry `ts`. A message for an epoch this
//! process has not started yet waits for it; one for an older epoch is dropped. The book
//! broadcasts READ, WRITE and DECIDED with best-effort broadcast; here that is a send to every
//! process over the links (Basic Broadcast).
//!
//! Mutants: [`ReadWriteEpochConsensus::mutant`] switches on one of the bugs of [`EpMutant`],
//! each caught by the property it breaks (the table of [`crate::mutants`]);
//! [`ReadWriteEpochConsensus::skipping_read`] is the first of them.

pub use crate::mutants::EpMutant;
use automata::{Ctx, Event, Module, Observe, Payload, Pid, ToValue, Value};
use links::{Deliver, Link, Send};
use std::collections::BTreeMap;

/// An epoch's state: the value last written (`val`) and the epoch that wrote it (`valts`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct State<V> {
    pub valts: u64,
    pub val: Option<V>,
}

impl<V> State<V> {
    /// `(0, ⊥)`: the state of the first epoch.
    pub fn initial() -> Self {
        State {
            valts: 0,
            val: None,
        }
    }
}

/// Requests to instance `ts`: `Init | state` (with the epoch's leader), `Propose | v`, `Abort`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EpRequest<V> {
    Init {
        ts: u64,
        leader: Pid,
        state: State<V>,
    },
    Propose {
        ts: u64,
        v: V,
    },
    Abort {
        ts: u64,
    },
}

/// Indications of instance `ts`: `Decide | v`, `Aborted | state`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EpIndication<V> {
    Decide { ts: u64, v: V },
    Aborted { ts: u64, state: State<V> },
}

/// The trace names of epoch consensus's events (`Event::Other`, module `epc`), with value
/// `[ts, ...]`.
pub const EP_INIT: &str = "ep-init";
pub const EP_PROPOSE: &str = "ep-propose";
pub const EP_ABORT: &str = "ep-abort";
pub const EP_DECIDE: &str = "ep-decide";
pub const EP_ABORTED: &str = "ep-aborted";

fn other(name: &'static str, ts: u64, rest: Vec<Value>) -> Option<Event> {
    let mut value = vec![Value::Int(ts as i64)];
    value.extend(rest);
    Some(Event::Other {
        name: name.into(),
        value: Value::List(value),
    })
}

fn opt<V: ToValue>(v: &Option<V>) -> Value {
    v.as_ref().map_or(Value::Unit, ToValue::to_value)
}

impl<V: ToValue> Observe for EpRequest<V> {
    fn observe(&self) -> Option<Event> {
        match self {
            EpRequest::Init { ts, leader, state } => other(
                EP_INIT,
                *ts,
                vec![
                    Value::Int(*leader as i64),
                    Value::Int(state.valts as i64),
                    opt(&state.val),
                ],
            ),
            EpRequest::Propose { ts, v } => other(EP_PROPOSE, *ts, vec![v.to_value()]),
            EpRequest::Abort { ts } => other(EP_ABORT, *ts, vec![]),
        }
    }
}

impl<V: ToValue> Observe for EpIndication<V> {
    fn observe(&self) -> Option<Event> {
        match self {
            EpIndication::Decide { ts, v } => other(EP_DECIDE, *ts, vec![v.to_value()]),
            EpIndication::Aborted { ts, state } => other(
                EP_ABORTED,
                *ts,
                vec![Value::Int(state.valts as i64), opt(&state.val)],
            ),
        }
    }
}

/// The book's messages: `[READ]`, `[STATE, valts, val]`, `[WRITE, v]`, `[ACCEPT]`,
/// `[DECIDED, v]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EpWire<V> {
    Read,
    State(State<V>),
    Write(V),
    Accept,
    Decided(V),
}

/// A message of epoch `ts`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EpMsg<V> {
    pub ts: u64,
    pub wire: EpWire<V>,
}

impl<V: ToValue> ToValue for EpMsg<V> {
    fn to_value(&self) -> Value {
        let mut out = vec![Value::Int(self.ts as i64)];
        out.extend(match &self.wire {
            EpWire::Read => vec![Value::str("READ")],
            EpWire::State(s) => vec![Value::str("STATE"), Value::Int(s.valts as i64), opt(&s.val)],
            EpWire::Write(v) => vec![Value::str("WRITE"), v.to_value()],
            EpWire::Accept => vec![Value::str("ACCEPT")],
            EpWire::Decided(v) => vec![Value::str("DECIDED"), v.to_value()],
        });
        Value::List(out)
    }
}

/// Read/Write Epoch Consensus over the links `L`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReadWriteEpochConsensus<V: Payload, L: Link<EpMsg<V>>> {
    pl: L,
    /// `ets`: this instance's epoch (`None` before the first `Init`).
    ets: Option<u64>,
    /// `l`: its leader.
    leader: Pid,
    /// `(valts, val)`.
    state: State<V>,
    /// `tmpval`: the leader's value for this epoch.
    tmpval: Option<V>,
    /// `states`: the states read, by process (leader).
    states: BTreeMap<Pid, State<V>>,
    /// `accepted`: how many processes accepted the leader's write (leader).
    accepted: usize,
    /// Aborted: the instance has halted.
    halted: bool,
    /// Messages of epochs not started here yet, by epoch.
    early: BTreeMap<u64, Vec<(Pid, EpWire<V>)>>,
    /// Mutant switch: the bug this instance has, if any (constant for the run).
    mutant: Option<EpMutant>,
}

automata::below! {
    impl[V: Payload, L: Link<EpMsg<V>>] ReadWriteEpochConsensus<V, L>;
    /// Slot of the links.
    Pl(pl: L) => on_pl_deliver;
}

impl<V: Payload, L: Link<EpMsg<V>>> ReadWriteEpochConsensus<V, L> {
    /// Over the links `pl`.
    pub fn over(pl: L) -> Self {
        ReadWriteEpochConsensus {
            pl,
            ets: None,
            leader: 0,
            state: State::initial(),
            tmpval: None,
            states: BTreeMap::new(),
            accepted: 0,
            halted: true,
            early: BTreeMap::new(),
            mutant: None,
        }
    }

    /// MUTANT: the bug `m` (see [`EpMutant`]).
    pub fn mutant(mut self, m: EpMutant) -> Self {
        self.mutant = Some(m);
        self
    }

    /// MUTANT: the leader writes its own value without reading a majority first.
    pub fn skipping_read(self) -> Self {
        self.mutant(EpMutant::SkipRead)
    }

    fn is(&self, m: EpMutant) -> bool {
        self.mutant == Some(m)
    }

    fn send_all(&mut self, ctx: &mut Ctx<Self>, wire: EpWire<V>) {
        for q in ctx.processes() {
            self.send(ctx, q, wire.clone());
        }
    }

    fn send(&mut self, ctx: &mut Ctx<Self>, to: Pid, wire: EpWire<V>) {
        let ts = self.ets.expect("a started epoch");
        let msg = EpMsg { ts, wire };
        ctx.trigger(self, Pl, Send { to, msg });
    }

    // ANCHOR: operations
    /// `upon event ⟨ ep, Init | state ⟩ do (valts, val) := state; tmpval := ⊥;
    /// states := [⊥]^N; accepted := 0`, then the messages that came early for this epoch.
    fn init(&mut self, ctx: &mut Ctx<Self>, ts: u64, leader: Pid, state: State<V>) {
        self.ets = Some(ts);
        self.leader = leader;
        self.state = state;
        self.tmpval = None;
        self.states.clear();
        self.accepted = 0;
        self.halted = false;
        self.early = self.early.split_off(&ts);
        for (from, wire) in self.early.remove(&ts).unwrap_or_default() {
            self.on_wire(ctx, from, wire);
        }
    }

    /// `upon event ⟨ ep, Propose | v ⟩ do tmpval := v; trigger ⟨ beb, Broadcast | [READ] ⟩`
    /// (leader only).
    fn propose(&mut self, ctx: &mut Ctx<Self>, v: V) {
        self.tmpval = Some(v.clone());
        if self.is(EpMutant::SkipRead) {
            self.send_all(ctx, EpWire::Write(v));
        } else {
            self.send_all(ctx, EpWire::Read);
        }
    }

    /// `upon event ⟨ ep, Abort ⟩ do trigger ⟨ ep, Aborted | (valts, val) ⟩; halt`.
    fn abort(&mut self, ctx: &mut Ctx<Self>, ts: u64) {
        if self.is(EpMutant::IgnoreAbortAfterPropose) && self.tmpval.is_some() {
            return;
        }
        self.halted = true;
        let state = self.state.clone();
        ctx.indicate(EpIndication::Aborted { ts, state });
    }
    // ANCHOR_END: operations

    // ANCHOR: wire
    /// A message of the links: of this epoch, handled; of a later one, kept; of an earlier
    /// one (or of this one once aborted), dropped.
    fn on_pl_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<EpMsg<V>>) {
        let EpMsg { ts, wire } = msg;
        match self.ets {
            Some(ets) if ts == ets && !self.halted => self.on_wire(ctx, from, wire),
            Some(ets) if ts <= ets => {}
            _ => self.early.entry(ts).or_default().push((from, wire)),
        }
    }

    fn on_wire(&mut self, ctx: &mut Ctx<Self>, from: Pid, wire: EpWire<V>) {
        let leader = from == self.leader;
        match wire {
            // `upon event ⟨ beb, Deliver | l, [READ] ⟩ do
            // trigger ⟨ pl, Send | l, [STATE, valts, val] ⟩`.
            EpWire::Read if leader => {
                let state = self.state.clone();
                self.send(ctx, from, EpWire::State(state));
            }
            // `upon event ⟨ pl, Deliver | q, [STATE, ts, v] ⟩ do states[q] := (ts, v)`.
            EpWire::State(s) => {
                self.states.insert(from, s);
            }
            // `upon event ⟨ beb, Deliver | l, [WRITE, v] ⟩ do (valts, val) := (ets, v);
            // trigger ⟨ pl, Send | l, [ACCEPT] ⟩`.
            EpWire::Write(v) if leader => {
                self.state = State {
                    valts: self.ets.expect("a started epoch"),
                    val: Some(v),
                };
                self.send(ctx, from, EpWire::Accept);
            }
            // `upon event ⟨ pl, Deliver | q, [ACCEPT] ⟩ do accepted := accepted + 1`.
            EpWire::Accept => self.accepted += 1,
            // `upon event ⟨ beb, Deliver | l, [DECIDED, v] ⟩ do trigger ⟨ ep, Decide | v ⟩`.
            EpWire::Decided(v) if leader => {
                let ts = self.ets.expect("a started epoch");
                let own = self
                    .state
                    .val
                    .clone()
                    .filter(|_| self.is(EpMutant::DecideOwnVal));
                let v = own.unwrap_or(v);
                ctx.indicate(EpIndication::Decide { ts, v });
                if self.is(EpMutant::AbortedUnasked) {
                    self.halted = true;
                    let state = self.state.clone();
                    ctx.indicate(EpIndication::Aborted { ts, state });
                }
            }
            _ => {}
        }
    }
    // ANCHOR_END: wire
}

impl<V: Payload, L: Link<EpMsg<V>>> Module for ReadWriteEpochConsensus<V, L> {
    const NAME: &'static str = "epc";
    type Req = EpRequest<V>;
    type Ind = EpIndication<V>;
    automata::pass_through!(Pl: L);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Pl);
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

    // ANCHOR: guard
    /// `upon #(states) > N/2 do (ts, v) := highest(states); if v ≠ ⊥ then tmpval := v;
    /// states := [⊥]^N; trigger ⟨ beb, Broadcast | [WRITE, tmpval] ⟩` and
    /// `upon accepted > N/2 do accepted := 0; trigger ⟨ beb, Broadcast | [DECIDED, tmpval] ⟩`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        if self.halted {
            return;
        }
        let majority = if self.is(EpMutant::HalfQuorum) {
            ctx.n() / 2
        } else {
            ctx.n() / 2 + 1
        };
        if self.states.len() >= majority {
            if let Some(v) = self.states.values().max().and_then(|s| s.val.clone()) {
                self.tmpval = Some(v);
            }
            self.states.clear();
            let v = self
                .tmpval
                .clone()
                .expect("the leader proposed before it read");
            self.send_all(ctx, EpWire::Write(v));
        }
        let quorum = if self.is(EpMutant::WaitForAll) {
            ctx.n()
        } else {
            majority
        };
        if self.accepted >= quorum {
            self.accepted = if self.is(EpMutant::DecideOnEveryAccept) {
                quorum - 1
            } else {
                0
            };
            let v = self
                .tmpval
                .clone()
                .expect("the leader wrote before it was accepted");
            self.send_all(ctx, EpWire::Decided(v));
        }
    }
    // ANCHOR_END: guard
}
