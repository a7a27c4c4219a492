//! # scenarios: the `ioa` scenario runner
//!
//! Reads TOML scenario files (their format: the book, chapters 1 to 3), builds the algorithm stack they name from the
//! [`registry`], runs it in the simulator or the model checker, and reports each property's
//! verdict as text or JSON. The bundled scenarios live in `scenarios/<chapter>/` at the
//! repository root.
#![forbid(unsafe_code)]

pub use catalogue::{error, spec};

// The command line: not in the browser build (web/), which calls the library directly.
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod clockplot;
pub mod diagram;
pub mod list;
pub mod load;
pub mod plot;
pub mod registry;
pub mod report;
pub mod sweep;
pub mod tour;
