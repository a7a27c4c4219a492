//! The broadcast interface every broadcast abstraction shares (CGR Modules 3.1-3.9): request
//! `⟨ Broadcast | m ⟩`, indication `⟨ Deliver | s, m ⟩` where `s` is the original sender.
//!
//! Like the book, the algorithms assume every message is unique. They make it true by tagging
//! each payload with its original sender and that sender's sequence number ([`Unique`]), so
//! "the same payload broadcast twice" is two messages.

use automata::{Event, Module, Observe, Pid, ToValue, Value};

/// Request `⟨ Broadcast | m ⟩`: broadcast `msg` to every process.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Broadcast<P> {
    pub msg: P,
}

/// Indication `⟨ Deliver | s, m ⟩`: `msg`, broadcast by `from` (the original sender), is
/// delivered.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Deliver<P> {
    pub from: Pid,
    pub msg: P,
}

impl<P: ToValue> Observe for Broadcast<P> {
    fn observe(&self) -> Option<Event> {
        Some(Event::Broadcast {
            msg: self.msg.to_value(),
        })
    }
}

impl<P: ToValue> Observe for Deliver<P> {
    fn observe(&self) -> Option<Event> {
        Some(Event::Deliver {
            from: self.from,
            msg: self.msg.to_value(),
        })
    }
}

/// Any broadcast module carrying payloads `P`: best-effort, reliable, uniform, FIFO, causal.
/// Which guarantees it gives is the implementation's business; an algorithm states the one it
/// needs in its doc comment and the scenario picks the implementation.
pub trait BroadcastModule<P>: Module<Req = Broadcast<P>, Ind = Deliver<P>> {}

impl<P, M: Module<Req = Broadcast<P>, Ind = Deliver<P>>> BroadcastModule<P> for M {}

/// A message made unique: `[DATA, s, sn, m]`, the payload `msg` as the `sn`-th broadcast of
/// its original sender `sender`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Unique<P> {
    /// The original sender `s`.
    pub sender: Pid,
    /// The sender's sequence number of this broadcast (from 0).
    pub sn: u64,
    pub msg: P,
}

impl<P> Unique<P> {
    /// The message's identity: (original sender, sequence number).
    pub fn id(&self) -> (Pid, u64) {
        (self.sender, self.sn)
    }
}

impl<P: ToValue> ToValue for Unique<P> {
    fn to_value(&self) -> Value {
        Value::List(vec![
            Value::Int(self.sender as i64),
            Value::Int(self.sn as i64),
            self.msg.to_value(),
        ])
    }
}

/// The messages (or timers) of an algorithm that owns a broadcast and a failure detector: each
/// belongs to one of the two modules below (lazy RB, all-ack URB).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BebOrDetector<B, D> {
    Beb(B),
    Detector(D),
}
