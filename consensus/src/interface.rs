//! The consensus interface (CGR Modules 5.1 and 5.2): request `⟨ Propose | v ⟩`, indication
//! `⟨ Decide | v ⟩`, shared by regular and uniform consensus, and the fail-stop algorithms'
//! messages.

use automata::{Event, Observe, Pid, ToValue, Value};
use std::collections::BTreeSet;

/// Request `⟨ Propose | v ⟩`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Propose<V>(pub V);

/// Indication `⟨ Decide | v ⟩`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decide<V>(pub V);

impl<V: ToValue> Observe for Propose<V> {
    fn observe(&self) -> Option<Event> {
        Some(Event::Propose {
            value: self.0.to_value(),
        })
    }
}

impl<V: ToValue> Observe for Decide<V> {
    fn observe(&self) -> Option<Event> {
        Some(Event::Decide {
            value: self.0.to_value(),
        })
    }
}

/// The fail-stop algorithms' messages, in the book's words: `[PROPOSAL, r, ps]` (a round's
/// proposal set, flooding), `[PROPOSAL, v]` (a leader's value, hierarchical), `[DECIDED, v]`,
/// `[ACK]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Msg<V: Ord> {
    Proposal { round: u64, set: BTreeSet<V> },
    Proposed(V),
    Decided(V),
    Ack,
}

impl<V: Ord + ToValue> ToValue for Msg<V> {
    fn to_value(&self) -> Value {
        Value::List(match self {
            Msg::Proposal { round, set } => vec![
                Value::str("PROPOSAL"),
                Value::Int(*round as i64),
                Value::List(set.iter().map(ToValue::to_value).collect()),
            ],
            Msg::Proposed(v) => vec![Value::str("PROPOSAL"), v.to_value()],
            Msg::Decided(v) => vec![Value::str("DECIDED"), v.to_value()],
            Msg::Ack => vec![Value::str("ACK")],
        })
    }
}

/// `rank(p)`: the book numbers processes from 1.
pub fn rank(p: Pid) -> u64 {
    p as u64 + 1
}

/// The messages (or timers) of an algorithm that owns a best-effort broadcast, perfect links,
/// a reliable broadcast and a failure detector.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire<B, L, R, D> {
    Beb(B),
    Pl(L),
    Rb(R),
    Detector(D),
}
