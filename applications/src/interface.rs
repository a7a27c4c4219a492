//! The atomic-commit interface (CGR Section 6.6, non-blocking atomic commit `nbac`): consensus's
//! events over a vote, request `⟨ Propose | v ⟩` and indication `⟨ Decide | d ⟩` with v and d
//! in {COMMIT, ABORT}. In the trace (and in scenarios, `{ propose = "commit" }`) a vote is the
//! string `commit` or `abort`.
//!
//! And the values of terminating reliable broadcast (CGR Section 6.3, `utrb`): request
//! `⟨ Broadcast | m ⟩` at the sender s, indication `⟨ Deliver | s, v ⟩` with v either s's
//! message or ⊥ ([`TrbValue`]), shown in the trace as the string `⊥`.
//!
//! And mutual exclusion (`mutex`, book §9.6): request `⟨ Acquire ⟩`, indications `⟨ Enter ⟩`
//! and `⟨ Exit ⟩` ([`Cs`]), in the trace `Other { name: "acquire" | "enter" | "exit" }`.

use automata::{Event, Module, Observe, ToValue, Value};
pub use consensus::{Decide, Propose};
use std::borrow::Cow;

/// A vote or an outcome: COMMIT or ABORT.
///
/// COMMIT orders before ABORT. Flooding Uniform Consensus decides the smallest value proposed,
/// so below Consensus-Based NBAC the transaction commits whenever some process proposed COMMIT
/// to consensus, which a process does only once it has seen every vote be COMMIT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Vote {
    Commit,
    Abort,
}

impl Vote {
    /// The word of the trace and of scenarios.
    pub fn word(self) -> &'static str {
        match self {
            Vote::Commit => "commit",
            Vote::Abort => "abort",
        }
    }

    /// The vote named `word` (`commit` or `abort`).
    pub fn parse(word: &str) -> Option<Vote> {
        [Vote::Commit, Vote::Abort]
            .into_iter()
            .find(|v| v.word() == word)
    }
}

impl ToValue for Vote {
    fn to_value(&self) -> Value {
        Value::str(self.word())
    }
}

/// Any consensus module deciding votes (the one Consensus-Based NBAC runs below it).
pub trait VoteConsensus: Module<Req = Propose<Vote>, Ind = Decide<Vote>> {}

impl<M: Module<Req = Propose<Vote>, Ind = Decide<Vote>>> VoteConsensus for M {}

/// The failure indication ⊥ of terminating reliable broadcast, as the trace and the monitors
/// show it: the string `⊥`. A scenario may not broadcast this string, so it is never a
/// message.
pub const BOTTOM: &str = "⊥";

/// What terminating reliable broadcast (CGR Section 6.3, `utrb`) delivers and what its
/// processes propose to consensus: the sender's message, or ⊥, the sender crashed.
///
/// ⊥ orders before every message. Flooding Uniform Consensus decides the smallest value
/// proposed, so below Consensus-Based TRB every process delivers ⊥ whenever some process
/// proposed it, which a process does only once P has detected the sender's crash.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TrbValue {
    /// ⊥: the sender crashed before its message reached this process.
    Bottom,
    /// The sender's message.
    Message(Value),
}

impl ToValue for TrbValue {
    fn to_value(&self) -> Value {
        match self {
            TrbValue::Bottom => Value::str(BOTTOM),
            TrbValue::Message(m) => m.clone(),
        }
    }
}

/// Any consensus module deciding what terminating reliable broadcast delivers (the one
/// Consensus-Based TRB runs below it).
pub trait TrbConsensus: Module<Req = Propose<TrbValue>, Ind = Decide<TrbValue>> {}

impl<M: Module<Req = Propose<TrbValue>, Ind = Decide<TrbValue>>> TrbConsensus for M {}

/// Mutual exclusion's request: `⟨ mutex, Acquire ⟩`, one critical-section entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Acquire;

/// Mutual exclusion's indications: the process entered the critical section, or left it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cs {
    Enter,
    Exit,
}

/// The trace names of mutual exclusion's events.
pub const ACQUIRE: &str = "acquire";
pub const ENTER: &str = "enter";
pub const EXIT: &str = "exit";

fn other(name: &'static str) -> Option<Event> {
    Some(Event::Other {
        name: Cow::Borrowed(name),
        value: Value::Unit,
    })
}

impl Observe for Acquire {
    fn observe(&self) -> Option<Event> {
        other(ACQUIRE)
    }
}

impl Observe for Cs {
    fn observe(&self) -> Option<Event> {
        other(match self {
            Cs::Enter => ENTER,
            Cs::Exit => EXIT,
        })
    }
}
