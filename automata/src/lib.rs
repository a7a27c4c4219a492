//! # automata: the I/O-automaton model the whole toolkit stands on
//!
//! An algorithm is a [`Module`]: a deterministic automaton whose state is a struct and whose
//! handlers read like the book's `upon event` clauses. Modules compose by ownership ([`Below`]),
//! run inside a [`World`] of processes, a network and an environment (a [`SystemModel`] and a
//! fault plan), and are checked by [`Monitor`]s, by the deterministic simulator ([`sim`]) and
//! by the exhaustive model checker ([`check`]).
#![forbid(unsafe_code)]

pub mod check;
pub mod context;
pub mod model;
pub mod module;
pub mod monitor;
pub mod rounds;
pub mod sim;
pub mod trace;
pub mod value;
pub mod world;

pub use context::{Chooser, Ctx, Storage};
pub use model::{Fault, SystemModel};
pub use module::{Below, Data, Module, Observe};
pub use monitor::{Monitor, Monitors, PropertyKind, RunSummary, Verdict, Violation};
pub use trace::{Event, Kind, TraceEvent};
pub use value::{Payload, ToValue, Value};
pub use world::{Input, Setup, World};

/// A process id: processes are numbered `0..n` (rank order).
pub type Pid = usize;

/// Time in integer ticks (CATALOGUE.md D.10).
pub type Time = u64;
