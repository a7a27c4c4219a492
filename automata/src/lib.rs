//! # automata: the I/O-automaton model the whole toolkit stands on
//!
//! An algorithm is a [`Module`]: a deterministic automaton whose state is a struct and whose
//! handlers read like the book's `upon event` clauses. Modules compose by ownership ([`Below`]),
//! run inside a [`World`] of processes, a network and an environment (a [`SystemModel`] and a
//! fault plan), and are checked by [`Monitor`]s, by the deterministic simulator ([`sim`]) and
//! by the exhaustive model checker ([`check`]).
//!
//! ## The pieces
//!
//! - **Module** ([`module`]): state = the struct; inputs = requests from above, indications from
//!   the modules it owns, messages, timers, `Init`, `Recovery`; outputs go through the [`Ctx`]
//!   (decide, then act: the runner gives commands their meaning).
//! - **Composition by ownership** ([`compose`]): a parent keeps its lower modules as fields and
//!   declares them in one [`below!`] list (slot, field, type, the handler of its indications);
//!   the [`Below`] slots, the wrapping of messages and timers and the routing are generated.
//!   `ctx.trigger(self, Slot, request)` is the book's `trigger ⟨ lower, Request ⟩`; guarded
//!   actions (`upon condition`) go in [`Module::on_guard`].
//! - **World** ([`world`]): all processes' module trees, timers, stable storage and who is up,
//!   plus the monitors. [`World::step`] runs one input at one process; both runners call it.
//! - **System model** ([`model`]): timing (synchronous, asynchronous, partially synchronous),
//!   delays, loss, duplication, FIFO, partitions, crash-stop / crash-recovery / omission,
//!   stable or volatile storage, drifting clocks, detector oracles, and the fault plan
//!   (crash at a time or after k sends, recover, pause, delay, omit, scripted oracle mistakes).
//! - **Trace and monitors** ([`trace`], [`monitor`]): every request, indication, packet, timer,
//!   crash and recovery is a [`TraceEvent`]; a monitor judges safety on each event and liveness
//!   at the end, where a run too short to judge gives `Inconclusive`, never `Hold`.
//! - **Runners**: [`sim::Sim`] (seeded, deterministic, byte-identical traces) and
//!   [`check::Explore`] (stateright: every interleaving, within the timing model's bounds).
//! - **Synchronous rounds** ([`rounds`]): round algorithms and the lockstep runner.
//!
//! ## A module in full
//!
//! ```
//! use automata::{Ctx, Event, Module, Observe, Pid, Setup, SystemModel, Monitors};
//! use automata::sim::Sim;
//! use std::convert::Infallible;
//!
//! /// Request ⟨ Ping | q ⟩; indication ⟨ Pong | q ⟩ once q answered.
//! #[derive(Clone, Debug)]
//! struct Ping(Pid);
//! #[derive(Clone, Debug)]
//! struct Pong(Pid);
//! impl Observe for Ping {
//!     fn observe(&self) -> Option<Event> { Some(Event::Send { to: self.0, msg: "ping".into() }) }
//! }
//! impl Observe for Pong {
//!     fn observe(&self) -> Option<Event> { Some(Event::Deliver { from: self.0, msg: "pong".into() }) }
//! }
//!
//! #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
//! enum Wire { Ping, Pong }
//!
//! #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
//! struct PingPong;
//!
//! impl Module for PingPong {
//!     const NAME: &'static str = "ping";
//!     type Req = Ping;
//!     type Ind = Pong;
//!     type Msg = Wire;
//!     type Timer = Infallible;
//!
//!     /// upon event ⟨ Ping | q ⟩ do send PING to q
//!     fn on_request(&mut self, ctx: &mut Ctx<Self>, Ping(q): Ping) {
//!         ctx.send(q, Wire::Ping);
//!     }
//!
//!     /// upon receiving PING from p do send PONG to p; upon receiving PONG from q do ⟨ Pong | q ⟩
//!     fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Wire) {
//!         match msg {
//!             Wire::Ping => ctx.send(from, Wire::Pong),
//!             Wire::Pong => ctx.indicate(Pong(from)),
//!         }
//!     }
//! }
//!
//! let setup = Setup::new(2, SystemModel::default(), |_| PingPong).request(5, 0, Ping(1));
//! let outcome = Sim::new(setup, Monitors::default()).record(true).max_time(100).run();
//! let trace = outcome.trace.unwrap();
//! assert!(trace.iter().any(|e| e.process == 0 && e.event == Event::Deliver { from: 1, msg: "pong".into() }));
//! ```
#![forbid(unsafe_code)]

pub mod bench;
pub mod check;
pub mod clock;
pub mod compose;
pub mod conformance;
pub mod context;
pub mod detector;
pub mod env;
pub mod history;
pub mod layer;
pub mod ledger;
pub mod model;
pub mod module;
pub mod monitor;
pub mod numbered;
pub mod oracle;
pub mod par;
pub mod rounds;
pub mod sequence;
pub mod shared;
pub mod sim;
pub mod trace;
pub mod tutorial;
pub mod value;
pub mod world;

pub use conformance::conformance_monitors;
pub use context::{Chooser, Ctx, Storage};
pub use layer::Layer;
pub use model::{Fault, SystemModel};
pub use module::{Below, Data, Module, Observe};
pub use monitor::{Mark, Monitor, Monitors, PropertyKind, RunSummary, Verdict, Violation};
pub use numbered::{Instances, Numbered};
pub use sequence::SequenceBuffer;
pub use trace::{Event, Kind, TraceEvent};
pub use value::{Payload, ToValue, Value};
pub use world::{Input, Setup, World};

/// A process id: processes are numbered `0..n` (rank order).
pub type Pid = usize;

/// Time in integer ticks (book §3.1, D.10).
pub type Time = u64;
