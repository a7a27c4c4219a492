//! The interface of a reconfigurable replicated state machine `rrsm` (the book's chapter 9,
//! "Reconfiguration by stop-sign"): its requests `⟨ Execute | cmd ⟩` and
//! `⟨ Reconfigure | M' ⟩`, its indications `⟨ Output | result ⟩` and
//! `⟨ ConfigInstalled | (cid, M) ⟩`, the log entries a configuration decides, the state a new
//! configuration starts from, and the messages that hand it over. The algorithm is
//! [`crate::stop_sign_reconfiguration`].

use crate::kv::{KvOp, KvRet, Store};
use crate::tob_rsm::Command;
use automata::{Event, Observe, Pid, ToValue, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A configuration: its members.
pub type Members = BTreeSet<Pid>;

/// The members as a trace value: the list of their ids.
pub fn members_value(m: &Members) -> Value {
    Value::List(m.iter().map(|&p| Value::Int(p as i64)).collect())
}

/// A log entry: a client's command, or the stop-sign naming the next configuration.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Entry {
    Cmd(Command),
    Stop(Members),
}

impl ToValue for Entry {
    fn to_value(&self) -> Value {
        match self {
            Entry::Cmd(c) => c.to_value(),
            Entry::Stop(m) => Value::List(vec![Value::str("STOP"), members_value(m)]),
        }
    }
}

/// The requests of `rrsm`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rrsm {
    /// `⟨ Execute | cmd ⟩`: a client's operation on the store.
    Execute(KvOp),
    /// `⟨ Reconfigure | M' ⟩`: the next configuration's members.
    Reconfigure(Members),
}

impl Observe for Rrsm {
    /// An `Execute` is the store's request; a `Reconfigure` is no client operation (it is the
    /// internal step `reconfigure`).
    fn observe(&self) -> Option<Event> {
        match self {
            Rrsm::Execute(op) => op.observe(),
            Rrsm::Reconfigure(_) => None,
        }
    }
}

/// The indications of `rrsm`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RrsmInd {
    /// `⟨ Output | result ⟩`: the reply to this client's command.
    Output(KvRet),
    /// `⟨ ConfigInstalled | (cid, M) ⟩` (in traces, the internal step `installed`).
    ConfigInstalled(u64, Members),
}

impl Observe for RrsmInd {
    fn observe(&self) -> Option<Event> {
        match self {
            RrsmInd::Output(r) => r.observe(),
            RrsmInd::ConfigInstalled(..) => None,
        }
    }
}

/// The replicated state a new configuration starts from: the store after `slot - 1`, how many
/// commands made it, each client's next command number and its last reply.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Snapshot {
    /// The first global slot of the new configuration's log.
    pub slot: u64,
    pub applied: u64,
    pub store: BTreeMap<Value, Value>,
    pub next: BTreeMap<Pid, u64>,
    pub cache: BTreeMap<Pid, (u64, KvRet)>,
}

/// The messages of the reconfiguration layer itself.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RcMsg {
    /// `[NEWCONFIG, configurations, state]`: every configuration so far (index: cid); the
    /// state for a member of the last one.
    NewConfig(Vec<Members>, Option<Snapshot>),
    /// `[REPLY, seq, result]`: to a client outside the configuration that applied its command.
    Reply(u64, KvRet),
}

impl ToValue for RcMsg {
    fn to_value(&self) -> Value {
        match self {
            RcMsg::NewConfig(cs, s) => Value::List(vec![
                Value::str("NEWCONFIG"),
                Value::List(cs.iter().map(members_value).collect()),
                s.as_ref().map_or(Value::str("no state"), |s| {
                    Value::List(vec![
                        Value::Int(s.slot as i64),
                        Value::Int(s.applied as i64),
                        Value::Int(Store(s.store.clone()).digest()),
                    ])
                }),
            ]),
            RcMsg::Reply(seq, r) => Value::List(vec![
                Value::str("REPLY"),
                Value::Int(*seq as i64),
                Value::str(&r.to_string()),
            ]),
        }
    }
}
