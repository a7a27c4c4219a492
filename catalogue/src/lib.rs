//! # catalogue: scenarios and the algorithms they name
//!
//! The bridge between a TOML scenario file and the runners: the scenario format ([`spec`]:
//! parsing, defaults, validation), the mistakes it reports ([`error`]: file, line, key, rule),
//! the catalogue's entries ([`Algorithm`], [`Abstraction`], [`PropertyDef`], typed [`Param`]s),
//! and the job a scenario becomes ([`job`]: one simulated run, an exhaustive exploration, a
//! replay in the checker). Each chapter's crate declares its own entries beside its algorithms
//! and builds its own stacks; the `ioa` CLI only gathers the chapters' lists.
#![forbid(unsafe_code)]

pub mod error;
pub mod job;
pub mod params;
pub mod spec;
pub mod tutorial;

pub use error::InputError;
pub use job::{job, job_predicting, job_with, Explored, ExploredProperty, Runnable};
pub use params::Params;
pub use spec::{Loaded, RequestSpec};

use automata::Monitor;

/// A parameter an algorithm takes in `[params]`.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    pub name: &'static str,
    pub default: Default,
    pub doc: &'static str,
}

/// A parameter's default (and so its type).
#[derive(Clone, Copy, Debug)]
pub enum Default {
    Int(i64),
    Float(f64),
    Str(&'static str),
}

impl std::fmt::Debug for PropertyDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.id, self.kind)
    }
}

impl std::fmt::Display for Default {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Default::Int(i) => write!(f, "{i}"),
            Default::Float(x) => write!(f, "{x}"),
            Default::Str(s) => write!(f, "\"{s}\""),
        }
    }
}

/// A property an abstraction promises, and how to monitor it on a module instance.
#[derive(Clone, Copy)]
pub struct PropertyDef {
    pub id: &'static str,
    /// S, S*, L (CATALOGUE.md part 0).
    pub kind: &'static str,
    pub make: fn(module: &str) -> Box<dyn Monitor>,
}

impl PropertyDef {
    /// Property `id` of kind `kind` (S, S*, L), judged by the monitor `make` builds.
    pub const fn new(
        id: &'static str,
        kind: &'static str,
        make: fn(module: &str) -> Box<dyn Monitor>,
    ) -> Self {
        PropertyDef { id, kind, make }
    }
}

/// An abstraction (a module specification) and its properties.
#[derive(Debug)]
pub struct Abstraction {
    pub id: &'static str,
    pub name: &'static str,
    /// The request names its workload uses.
    pub requests: &'static str,
    pub properties: &'static [PropertyDef],
}

/// A runnable algorithm.
pub struct Algorithm {
    pub id: &'static str,
    pub abstraction: &'static str,
    /// The system model it needs (CGR's names).
    pub model: &'static str,
    pub summary: &'static str,
    pub params: &'static [Param],
    /// A deliberately broken variant, to show that monitors catch bugs.
    pub mutant: bool,
    pub build: Build,
}

/// Builds a scenario's job from its parsed file and resolved parameters.
pub type Build = fn(&Loaded, &Params) -> Result<Box<dyn Runnable>, InputError>;

/// The `message` of a `send` request, or a generated unique payload.
pub fn payload(arg: &toml::Value, field: &str) -> Result<automata::Value, String> {
    match arg {
        toml::Value::String(s) => Ok(automata::Value::str(s)),
        toml::Value::Integer(i) => Ok(automata::Value::Int(*i)),
        toml::Value::Table(t) => t
            .get(field)
            .map(|v| payload(v, field))
            .unwrap_or_else(|| Err(format!("missing `{field}`"))),
        other => Err(format!("{other} is not a payload: use a string")),
    }
}

/// For algorithms without requests (round algorithms, clock synchronization): their inputs
/// are their parameters.
pub fn no_request<R>(r: &RequestSpec, _n: usize) -> Result<R, String> {
    Err(format!(
        "`{}`: this algorithm takes no requests (its inputs are its [params])",
        r.name
    ))
}

/// Declares the modules of a chapter (or of one of its folders) that hold algorithms, and
/// gathers their catalogue entries, in module order, into `ALGORITHMS` (what `ioa list`
/// shows). Each module named here ends with its own entries,
/// `pub const ALGORITHMS: &[catalogue::Algorithm]`, beside its code: adding an algorithm is
/// its file, its scenario, and the `pub mod` line here that Rust needs anyway.
#[macro_export]
macro_rules! algorithms {
    ($($(#[$attr:meta])* $vis:vis mod $m:ident;)+) => {
        $($(#[$attr])* $vis mod $m;)+
        /// The catalogue entries of these modules' algorithms, module by module.
        pub const ALGORITHMS: &[&[$crate::Algorithm]] = &[$($m::ALGORITHMS),+];
    };
}
