//! The module abstraction: one abstraction's algorithm at one process, as an I/O automaton
//! (book §2.1, D.1-D.4, D.8).
//!
//! A module's state is the struct itself. Its inputs are requests from the layer above
//! ([`Module::on_request`]), indications from the modules it owns (through [`Below`]), network
//! messages, timer expiries, and the life-cycle events `Init` and `Recovery`. Its outputs go
//! through the [`Ctx`]: indications up, requests down, sends and timers out. Handlers are total
//! (input-enabledness, D.3): an input a module does not care about is ignored, never a panic.

use crate::context::Ctx;
use crate::trace::Event;
use crate::Pid;
use std::fmt::Debug;
use std::hash::Hash;

/// What a module's messages and timers must be: plain data the model checker can store.
pub trait Data: Clone + Debug + Eq + Ord + Hash + Send + Sync + 'static {}

impl<T: Clone + Debug + Eq + Ord + Hash + Send + Sync + 'static> Data for T {}

/// How a request or indication appears in the trace (`None`: it does not).
pub trait Observe {
    fn observe(&self) -> Option<Event>;
}

impl Observe for std::convert::Infallible {
    fn observe(&self) -> Option<Event> {
        match *self {}
    }
}

impl Observe for () {
    fn observe(&self) -> Option<Event> {
        None
    }
}

// ANCHOR: module
/// One abstraction's algorithm at one process: a deterministic automaton.
///
/// Composition is ownership: a module keeps the modules it uses as fields and reaches each
/// through a [`Below`] slot, so swapping a lower layer is a type change. Its wire messages and
/// timers are enums that wrap those of the modules below, so routing a packet down the stack is
/// a `match`.
pub trait Module: Clone + Debug + Eq + Hash + Send + Sync + 'static {
    /// The abstraction's short name in traces: `pl`, `beb`, `rb`, ...
    const NAME: &'static str;
    /// Requests from the layer above.
    type Req: Observe + Clone + Debug + Send + Sync + 'static;
    /// Indications to the layer above.
    type Ind: Observe + Clone + Debug + Send + Sync + 'static;
    /// Wire messages (use `std::convert::Infallible` when there are none).
    type Msg: Data;
    /// Timer tags (use `std::convert::Infallible` when there are none).
    type Timer: Data;

    /// `upon event ⟨ Init ⟩`: once, when the process starts.
    fn on_init(&mut self, _ctx: &mut Ctx<Self>) {}

    /// `upon event ⟨ x, Request | ... ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, req: Self::Req);

    /// A message of this module (or, wrapped, of a module below) arrived from `from`.
    fn on_message(&mut self, _ctx: &mut Ctx<Self>, _from: Pid, _msg: Self::Msg) {}

    /// `upon event ⟨ Timeout ⟩`.
    fn on_timer(&mut self, _ctx: &mut Ctx<Self>, _timer: Self::Timer) {}

    /// `upon event ⟨ Recovery ⟩` (crash-recovery only). The module has just been rebuilt in its
    /// start state; retrieve what was stored. By default, it starts afresh.
    fn on_recovery(&mut self, ctx: &mut Ctx<Self>) {
        self.on_init(ctx);
    }

    /// `upon condition`: the book's guarded actions (`upon exists m such that candeliver(m)`,
    /// `upon bottom < top ∧ handling = FALSE`), which fire whenever their predicate on the
    /// state holds. The runner calls this after each input the module handles (init, request,
    /// message, timer, recovery; an indication from below always arrives inside one of them);
    /// it runs every enabled action until none is.
    fn on_guard(&mut self, _ctx: &mut Ctx<Self>) {}
}
// ANCHOR_END: module

// ANCHOR: below
/// A slot through which a parent module `P` owns and talks to one lower module.
///
/// It says where the lower module lives in the parent, how its messages and timers are wrapped
/// in the parent's, and which of the parent's handlers receives its indications (the book's
/// `upon event ⟨ lower, Indication | ... ⟩`). Slots are unit structs, used as
/// `ctx.trigger(self, Beb, req)`.
pub trait Below<P: Module>: Copy {
    type Lower: Module;
    /// Name of the lower module instance in traces.
    const NAME: &'static str = <Self::Lower as Module>::NAME;

    fn lower(parent: &mut P) -> &mut Self::Lower;
    fn wrap_msg(msg: <Self::Lower as Module>::Msg) -> P::Msg;
    fn wrap_timer(timer: <Self::Lower as Module>::Timer) -> P::Timer;
    /// `upon event ⟨ lower, Indication ⟩` at the parent.
    fn indication(parent: &mut P, ctx: &mut Ctx<P>, ind: <Self::Lower as Module>::Ind);
}
// ANCHOR_END: below
