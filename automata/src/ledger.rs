//! What was asked for and what was handed up, per message: the ledger behind the monitors of
//! no creation, no duplication, validity and agreement, for links (`Send | q, m` asks for
//! `Deliver | p, m` at q) and broadcasts (`Broadcast | m` asks for `Deliver | s, m` at every
//! process) alike.
//!
//! A message is its sender, its receiver (links only) and its payload: the workloads make
//! payloads unique, and a payload requested twice is two messages (owed twice). A ledger is
//! monitor state, so it keeps only what some monitor of its kind reads: every field is part of
//! the model checker's states.
//!
//! The two safety monitors are the same for links and broadcasts but for their wording, so
//! they are here, [`NoCreation`] and [`NoDuplication`], worded by each crate's [`Wording`];
//! the liveness monitors differ in whom a message is owed to, and build on
//! [`Ledger::first_shortfall`] and [`Ledger::first_disagreement`].

use crate::monitor::{Monitor, Violation};
use crate::trace::{Event, Kind, TraceEvent};
use crate::{Mark, Pid, Time, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::hash::Hash;
use std::marker::PhantomData;

/// Who a request addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Addressing {
    /// Links: `Send | q, m` at p, indicated as `Deliver | p, m` at q.
    PointToPoint,
    /// Broadcasts: `Broadcast | m` at s, indicated as `Deliver | s, m` anywhere.
    Broadcast,
}

/// A message: sender, receiver (`None` for a broadcast) and payload, ordered in that order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub sender: Pid,
    pub receiver: Option<Pid>,
    pub msg: Value,
}

/// One process's indications of one message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Tally {
    pub count: u32,
    /// (time, index) of the first one; broadcast ledgers only (agreement names it), since a
    /// point-to-point ledger keeping it would split model-checker states no link monitor tells
    /// apart.
    pub first: Option<Mark>,
    /// Time of the latest one.
    pub last: Time,
}

/// What the ledger knows of one message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Entry {
    /// How often it was requested.
    pub requests: u32,
    /// The first request (time 0, event 0 while there is none).
    pub first_request: Mark,
    /// Per process that indicated it.
    pub indications: BTreeMap<Pid, Tally>,
}

impl Entry {
    /// How often `p` indicated the message.
    pub fn count(&self, p: Pid) -> u32 {
        self.indications.get(&p).map_or(0, |i| i.count)
    }

    /// No creation fails: indicated, never requested.
    pub fn created(&self) -> bool {
        self.requests == 0
    }

    /// No duplication fails at `p`: indicated more often than requested, and more than once
    /// (a single unrequested indication is a creation, not a duplicate).
    pub fn duplicated_at(&self, p: Pid) -> bool {
        self.count(p) > self.requests.max(1)
    }

    /// Validity's shortfall at `p`: indicated fewer times than requested.
    pub fn short_at(&self, p: Pid) -> bool {
        self.count(p) < self.requests
    }

    /// A liveness violation owed to this message, placed at its first request.
    pub fn blame(&self, explanation: String) -> Violation {
        Violation::marked(self.first_request, explanation)
    }

    /// Whether `p` indicated the message at `since` or later (the stubborn properties' "again
    /// in the final settle window").
    pub fn indicated_since(&self, p: Pid, since: Time) -> bool {
        self.indications.get(&p).is_some_and(|i| i.last >= since)
    }
}

/// An indication `Deliver | from, msg` just recorded, with its message's entry.
pub struct Indicated<'a> {
    pub from: Pid,
    pub msg: &'a Value,
    pub entry: &'a Entry,
}

/// An agreement failure: `witness` indicated `key`, first at (time, index) `first` (the first
/// request on a point-to-point ledger, which keeps no first indication), and `missing` did not
/// as often.
pub struct Disagreement<'a> {
    pub key: &'a Key,
    pub witness: Pid,
    pub first: Mark,
    pub missing: Pid,
}

/// Requests and indications of one module instance, per message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ledger {
    module: Cow<'static, str>,
    addressing: Addressing,
    entries: BTreeMap<Key, Entry>,
}

impl Ledger {
    /// The `Send` / `Deliver` ledger of links `module`.
    pub fn point_to_point(module: &str) -> Self {
        Ledger::new(module, Addressing::PointToPoint)
    }

    /// The `Broadcast` / `Deliver` ledger of broadcast `module`.
    pub fn broadcast(module: &str) -> Self {
        Ledger::new(module, Addressing::Broadcast)
    }

    pub fn new(module: &str, addressing: Addressing) -> Self {
        Ledger {
            module: Cow::Owned(module.to_string()),
            addressing,
            entries: BTreeMap::new(),
        }
    }

    /// Whether events of layer `module` can change the ledger ([`crate::Monitor::cares_module`]).
    pub fn cares_module(&self, module: &str) -> bool {
        module == self.module
    }

    /// Records a request or indication of the watched module; returns the indication, which
    /// is what the safety properties judge.
    pub fn record<'a>(&'a mut self, e: &'a TraceEvent) -> Option<Indicated<'a>> {
        if !self.cares_module(&e.module) {
            return None;
        }
        let point_to_point = self.addressing == Addressing::PointToPoint;
        match (&e.kind, &e.event) {
            (Kind::Request, Event::Send { to, msg }) if point_to_point => {
                self.request(e, Some(*to), msg);
                None
            }
            (Kind::Request, Event::Broadcast { msg }) if !point_to_point => {
                self.request(e, None, msg);
                None
            }
            (Kind::Indication, Event::Deliver { from, msg }) => {
                let key = Key {
                    sender: *from,
                    receiver: point_to_point.then_some(e.process),
                    msg: msg.clone(),
                };
                let entry = self.entries.entry(key).or_default();
                let i = entry.indications.entry(e.process).or_insert(Tally {
                    count: 0,
                    first: (!point_to_point).then_some(Mark::of(e)),
                    last: e.time,
                });
                i.count += 1;
                i.last = e.time;
                Some(Indicated {
                    from: *from,
                    msg,
                    entry,
                })
            }
            _ => None,
        }
    }

    fn request(&mut self, e: &TraceEvent, receiver: Option<Pid>, msg: &Value) {
        let key = Key {
            sender: e.process,
            receiver,
            msg: msg.clone(),
        };
        let entry = self.entries.entry(key).or_default();
        if entry.requests == 0 {
            entry.first_request = Mark::of(e);
        }
        entry.requests += 1;
    }

    /// Validity: the first requested message, in key order, that a process it is owed to falls
    /// `short` at. `owed` lists, per message, the processes it is owed to, in the order to
    /// check them.
    pub fn first_shortfall<I: IntoIterator<Item = Pid>>(
        &self,
        mut owed: impl FnMut(&Key) -> I,
        short: impl Fn(&Entry, Pid) -> bool,
    ) -> Option<(&Key, &Entry, Pid)> {
        self.entries
            .iter()
            .filter(|(_, entry)| entry.requests > 0)
            .find_map(|(key, entry)| {
                let q = owed(key).into_iter().find(|&q| short(entry, q))?;
                Some((key, entry, q))
            })
    }

    /// Agreement: the first message, in key order, that some process `witness` accepts
    /// indicated and some process of `correct` indicated fewer times than the earliest such
    /// witness did (capped at the requests, or at once if never requested).
    pub fn first_disagreement<I: IntoIterator<Item = Pid>>(
        &self,
        witness: impl Fn(Pid) -> bool,
        correct: impl Fn() -> I,
    ) -> Option<Disagreement<'_>> {
        self.entries.iter().find_map(|(key, entry)| {
            let (&p, i) = entry
                .indications
                .iter()
                .filter(|(p, _)| witness(**p))
                .min_by_key(|(_, i)| i.first)?;
            let owed = i.count.min(entry.requests.max(1));
            let missing = correct().into_iter().find(|&q| entry.count(q) < owed)?;
            Some(Disagreement {
                key,
                witness: p,
                first: i.first.unwrap_or(entry.first_request),
                missing,
            })
        })
    }
}

/// How a family of modules (links, broadcasts) addresses its requests and words the ledger's
/// safety violations at an indication `d` (event `e`).
pub trait Wording: Clone + Debug + Eq + Hash + Send + Sync + 'static {
    const ADDRESSING: Addressing;
    /// No creation's explanation.
    fn created(e: &TraceEvent, d: &Indicated) -> String;
    /// No duplication's explanation.
    fn duplicated(e: &TraceEvent, d: &Indicated) -> String;
}

/// No creation (S): a message is indicated only after it was requested.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoCreation<W>(Ledger, PhantomData<W>);

impl<W: Wording> NoCreation<W> {
    pub fn new(module: &str) -> Self {
        NoCreation(Ledger::new(module, W::ADDRESSING), PhantomData)
    }
}

impl<W: Wording> Monitor for NoCreation<W> {
    crate::property!("no-creation", Safety);
    fn cares_module(&self, module: &str) -> bool {
        self.0.cares_module(module)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let d = self.0.record(e).filter(|d| d.entry.created())?;
        Some(Violation::at(e, W::created(e, &d)))
    }
}

/// No duplication (S): no process indicates a message more often than it was requested.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoDuplication<W>(Ledger, PhantomData<W>);

impl<W: Wording> NoDuplication<W> {
    pub fn new(module: &str) -> Self {
        NoDuplication(Ledger::new(module, W::ADDRESSING), PhantomData)
    }
}

impl<W: Wording> Monitor for NoDuplication<W> {
    crate::property!("no-duplication", Safety);
    fn cares_module(&self, module: &str) -> bool {
        self.0.cares_module(module)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let d = self
            .0
            .record(e)
            .filter(|d| d.entry.duplicated_at(e.process))?;
        Some(Violation::at(e, W::duplicated(e, &d)))
    }
}
