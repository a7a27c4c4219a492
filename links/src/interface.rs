//! The point-to-point link interface shared by every link abstraction (CGR Modules 2.1-2.4).

use automata::{Event, Module, Observe, Pid, ToValue};

/// Request `⟨ Send | q, m ⟩`: send `msg` to process `to`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Send<P> {
    pub to: Pid,
    pub msg: P,
}

/// Indication `⟨ Deliver | p, m ⟩`: `msg` arrived from process `from`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Deliver<P> {
    pub from: Pid,
    pub msg: P,
}

impl<P: ToValue> Observe for Send<P> {
    fn observe(&self) -> Option<Event> {
        Some(Event::Send {
            to: self.to,
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

/// Any point-to-point link carrying payloads `P`: fair-loss, stubborn, perfect, FIFO. Which
/// guarantees it gives is the implementation's business; an algorithm states the one it needs
/// in its doc comment and the scenario picks the implementation.
pub trait Link<P>: Module<Req = Send<P>, Ind = Deliver<P>> {}

impl<P, M: Module<Req = Send<P>, Ind = Deliver<P>>> Link<P> for M {}
