//! Logical time (book §10.1): Lamport clocks and vector clocks, as layers that
//! stack on any point-to-point link.
//!
//! Each clock module implements the link interface itself (`Send | q, m` in, `Deliver | p, m`
//! out), so it slides between an algorithm and its links: every message it sends carries its
//! timestamp, and every event (a send, a delivery) gets one. The timestamp of each event is
//! traced as `Event::Other { name: "timestamp", .. }` (see [`stamp_event`]), which is all the
//! monitors of [`monitors`] need: they compute happened-before themselves from the same trace.

pub mod monitors;

catalogue::algorithms! {
    mod lamport;
    mod vector;
    pub mod mutants;
}

pub use lamport::LamportClock;
pub use monitors::Causality;
pub use mutants::{DoubleTickVectorClock, NoMaxLamportClock, NoMergeVectorClock};
pub use vector::VectorClock;

use automata::{Ctx, Event, Module, Pid, ToValue, Value};

/// A message with the sender's timestamp `ts` and its per-sender number `seq` (so that the
/// monitors can pair each delivery with its send).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamped<P, S> {
    pub ts: S,
    pub seq: u64,
    pub msg: P,
}

impl<P: ToValue, S: Stamp> ToValue for Timestamped<P, S> {
    fn to_value(&self) -> Value {
        Value::List(vec![
            Value::List(self.ts.components().into_iter().map(Value::Int).collect()),
            Value::Int(self.seq as i64),
            self.msg.to_value(),
        ])
    }
}

/// A timestamp as the monitors compare it: a vector of integers (one entry for a Lamport clock).
pub trait Stamp:
    Clone + std::fmt::Debug + Eq + Ord + std::hash::Hash + Send + Sync + 'static
{
    fn components(&self) -> Vec<i64>;
}

impl Stamp for u64 {
    fn components(&self) -> Vec<i64> {
        vec![*self as i64]
    }
}

impl Stamp for Vec<u64> {
    fn components(&self) -> Vec<i64> {
        self.iter().map(|&c| c as i64).collect()
    }
}

/// Which side of a message an event is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Send,
    Receive,
}

/// Traces the timestamp of one event: `[side, sender, seq, [components...]]`, where
/// (sender, seq) names the message sent or received.
pub fn stamp_event<M: Module>(
    ctx: &mut Ctx<M>,
    side: Side,
    sender: Pid,
    seq: u64,
    ts: &impl Stamp,
) {
    let side = match side {
        Side::Send => "send",
        Side::Receive => "receive",
    };
    ctx.internal(Event::Other {
        name: "timestamp".into(),
        value: Value::List(vec![
            Value::str(side),
            Value::Int(sender as i64),
            Value::Int(seq as i64),
            Value::List(ts.components().into_iter().map(Value::Int).collect()),
        ]),
    });
}
