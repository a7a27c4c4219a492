//! Chapter 7 for the catalogue: the register abstractions and their properties, the `read` and
//! `write` requests and the parameters the registers share. Each algorithm's own entry is at
//! the end of its file.

use crate::interface::RegisterOp;
use crate::monitors::{Linearizability, Ordering, RegularValidity, Termination};
use automata::Value;
use catalogue::{payload, Abstraction, Param, PropertyDef, RequestSpec};

const TERMINATION: PropertyDef =
    PropertyDef::new("termination", "L", |m| Box::new(Termination::new(m)));
const REGULAR: PropertyDef = PropertyDef::new("regular-validity", "S", |m| {
    Box::new(RegularValidity::new(m))
});
const ORDERING: PropertyDef = PropertyDef::new("ordering", "S", |m| Box::new(Ordering::new(m)));
const LINEARIZABILITY: PropertyDef = PropertyDef::new("linearizability", "S", |m| {
    Box::new(Linearizability::new(m))
});

pub const ABSTRACTIONS: &[Abstraction] = catalogue::abstractions! {
    id: "onrr", name: "(1,N) regular register", requests: "read, write",
    properties: &[TERMINATION, REGULAR];

    id: "onar", name: "(1,N) atomic register", requests: "read, write",
    properties: &[TERMINATION, REGULAR, ORDERING, LINEARIZABILITY];

    id: "lonrr", name: "(1,N) logged regular register", requests: "read, write",
    properties: &[TERMINATION, REGULAR];

    id: "nnar", name: "(N,N) atomic register", requests: "read, write",
    properties: &[TERMINATION, LINEARIZABILITY];
};

pub const PERIOD: Param = Param::int(
    "period",
    10,
    "retransmission period of the perfect links below (local ticks)",
);

/// `{ write = "v" }` (a stream's `"write"` writes the unique `"p<p>-<k>"`) or `{ read = true }`
/// (a bare `"read"` alike).
pub fn register(r: &RequestSpec, _n: usize) -> Result<RegisterOp<Value>, String> {
    match r.name.as_str() {
        "read" => Ok(RegisterOp::Read),
        "write" => match payload(&r.arg, "value")? {
            Value::Str(s) if s.is_empty() => Err(
                "a write needs a value, e.g. { write = \"v1\" } (written values must be unique)"
                    .to_string(),
            ),
            v => Ok(RegisterOp::Write(v)),
        },
        other => Err(format!(
            "registers take `read` and `write` requests, e.g. {{ write = \"v1\" }} or {{ read = true }}, not `{other}`"
        )),
    }
}
