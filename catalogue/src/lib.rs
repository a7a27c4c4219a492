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
    pub default: ParamDefault,
    pub doc: &'static str,
}

impl Param {
    /// An integer parameter (non-negative) with its default.
    pub const fn int(name: &'static str, default: i64, doc: &'static str) -> Param {
        Param {
            name,
            default: ParamDefault::Int(default),
            doc,
        }
    }
    /// A number with its default.
    pub const fn float(name: &'static str, default: f64, doc: &'static str) -> Param {
        Param {
            name,
            default: ParamDefault::Float(default),
            doc,
        }
    }
    /// A string with its default.
    pub const fn str(name: &'static str, default: &'static str, doc: &'static str) -> Param {
        Param {
            name,
            default: ParamDefault::Str(default),
            doc,
        }
    }
}

/// A parameter's default (and so its type).
#[derive(Clone, Copy, Debug)]
pub enum ParamDefault {
    Int(i64),
    Float(f64),
    Str(&'static str),
}

impl std::fmt::Debug for PropertyDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.id, self.kind)
    }
}

impl std::fmt::Display for ParamDefault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamDefault::Int(i) => write!(f, "{i}"),
            ParamDefault::Float(x) => write!(f, "{x}"),
            ParamDefault::Str(s) => write!(f, "\"{s}\""),
        }
    }
}

/// A property an abstraction promises, and how to monitor it on a module instance.
#[derive(Clone, Copy)]
pub struct PropertyDef {
    pub id: &'static str,
    /// S, S*, L (book §2.6).
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

/// A chapter's catalogue entries, written as a table: each entry its id, abstraction,
/// optional `params` and `mutant: true`, its model, its one-line summary and the function
/// that builds its job, ended by `;`. This is what `ioa list` prints and a scenario's
/// `algorithm` names.
///
/// ```ignore
/// pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
///     id: "stubborn-links", abstraction: "sl", params: &[PERIOD],
///     model: "any crash model, fair-loss network",
///     summary: "Retransmit Forever (CGR 2.1): resend every message ever sent, every period",
///     build: |l, p| job(l, p, move |_| StubbornLinks::<Value>::new(p.int("period")), send);
/// };
/// ```
#[macro_export]
macro_rules! entries {
    ($(
        id: $id:literal, abstraction: $abs:literal $(, params: $params:expr)? $(, mutant: $mutant:literal)?,
        model: $model:literal,
        summary: $summary:literal,
        build: $build:expr;
    )+) => {
        &[$($crate::Algorithm {
            id: $id,
            abstraction: $abs,
            model: $model,
            summary: $summary,
            params: $crate::entries!(@params $($params)?),
            mutant: $crate::entries!(@mutant $($mutant)?),
            build: $build,
        }),+]
    };
    (@params) => { &[] };
    (@params $p:expr) => { $p };
    (@mutant) => { false };
    (@mutant $m:literal) => { $m };
}

/// A chapter's abstractions, written as a table: each its id, name, the requests its
/// workload uses and the properties it promises, ended by `;`.
#[macro_export]
macro_rules! abstractions {
    ($(
        id: $id:literal, $(requests: $r1:literal,)? name: $name:literal $(, requests: $r2:literal)?,
        properties: $props:expr;
    )+) => {
        &[$($crate::Abstraction {
            id: $id,
            name: $name,
            requests: concat!($($r1)? $($r2)?),
            properties: $props,
        }),+]
    };
}
