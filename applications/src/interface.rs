//! The atomic-commit interface (CGR Section 6.4, non-blocking atomic commit `nbac`): consensus's
//! events over a vote, request `⟨ Propose | v ⟩` and indication `⟨ Decide | d ⟩` with v and d
//! in {COMMIT, ABORT}. In the trace (and in scenarios, `{ propose = "commit" }`) a vote is the
//! string `commit` or `abort`.

use automata::{Module, ToValue, Value};
pub use consensus::{Decide, Propose};

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
