//! Chapter 7 for the catalogue: the register abstractions and their properties, the `read` and
//! `write` requests and the parameters the registers share. Each algorithm's own entry is at
//! the end of its file.

use crate::interface::RegisterOp;
use crate::monitors::{Linearizability, Ordering, RegularValidity, Termination};
use automata::Value;
use catalogue::{payload, Abstraction, Loaded, Param, PropertyDef, RequestSpec};
use std::collections::BTreeMap;

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

/// What theory predicts an operation costs when nothing fails (CGR's table): `(steps,
/// messages)` for a read and for a write, as the figures the termination monitor measures
/// (`read_messages`, `write_messages`; `read_latency` and `write_latency` in ticks only when
/// every message takes the same time, `delay.min = delay.max`). `ioa sweep` prints each beside
/// its measure.
pub fn predicted(l: &Loaded, read: (u64, u64), write: (u64, u64)) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::from([
        ("read_messages".to_string(), read.1 as f64),
        ("write_messages".to_string(), write.1 as f64),
    ]);
    let d = &l.scenario.model.delay;
    if d.min == d.max && d.tail == 0.0 {
        out.insert("read_latency".to_string(), (read.0 * d.min) as f64);
        out.insert("write_latency".to_string(), (write.0 * d.min) as f64);
    }
    out
}
