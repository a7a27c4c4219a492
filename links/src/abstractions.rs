//! Chapter 4's abstractions for the catalogue: the link abstractions and their properties, the
//! `send` request and the `period` parameter the links share. Each algorithm's own entry is at
//! the end of its file.

use crate::monitors::{
    FifoDelivery, NoCreation, NoDuplication, ReliableDelivery, StubbornDelivery,
};
use crate::Send;
use automata::Value;
use catalogue::RequestSpec;
use catalogue::{payload, Abstraction, Param, PropertyDef};

const RELIABLE: PropertyDef = PropertyDef::new("reliable-delivery", "L", |m| {
    Box::new(ReliableDelivery::new(m))
});
const NO_DUP: PropertyDef =
    PropertyDef::new("no-duplication", "S", |m| Box::new(NoDuplication::new(m)));
const NO_CREATION: PropertyDef =
    PropertyDef::new("no-creation", "S", |m| Box::new(NoCreation::new(m)));
const STUBBORN: PropertyDef = PropertyDef::new("stubborn-delivery", "L", |m| {
    Box::new(StubbornDelivery::new(m))
});
const LOGGED_RELIABLE: PropertyDef = PropertyDef::new("reliable-delivery", "L", |m| {
    Box::new(ReliableDelivery::logged(m))
});
const FIFO: PropertyDef =
    PropertyDef::new("fifo-delivery", "S", |m| Box::new(FifoDelivery::new(m)));

pub const ABSTRACTIONS: &[Abstraction] = catalogue::abstractions! {
    id: "fll", name: "fair-loss links", requests: "send",
    properties: &[NO_CREATION];

    id: "sl", name: "stubborn links", requests: "send",
    properties: &[STUBBORN, NO_CREATION];

    id: "pl", name: "perfect links", requests: "send",
    properties: &[RELIABLE, NO_DUP, NO_CREATION];

    id: "fpl", name: "FIFO perfect links", requests: "send",
    properties: &[RELIABLE, NO_DUP, NO_CREATION, FIFO];

    id: "lpl", name: "logged perfect links", requests: "send",
    properties: &[LOGGED_RELIABLE, NO_DUP, NO_CREATION];
};

pub const PERIOD: Param = Param::int("period", 10, "retransmission period Δ (local ticks)");

/// `send = { to = 2, message = "a" }`, or a generated `send` (to the next process).
pub fn send(r: &RequestSpec, n: usize) -> Result<Send<Value>, String> {
    if r.name != "send" {
        return Err(format!(
            "links take `send` requests, e.g. {{ send = {{ to = 1, message = \"a\" }} }}, not `{}`",
            r.name
        ));
    }
    let to = match &r.arg {
        toml::Value::Table(t) => {
            let to = t
                .get("to")
                .and_then(toml::Value::as_integer)
                .ok_or("a send needs `to`, a process id")?;
            for k in t.keys() {
                if k != "to" && k != "message" {
                    return Err(format!("a send has `to` and `message`, not `{k}`"));
                }
            }
            to as usize
        }
        _ => (r.process + 1) % n,
    };
    if to >= n {
        return Err(format!(
            "process {to} does not exist: processes are numbered 0..{n}"
        ));
    }
    Ok(Send {
        to,
        msg: payload(&r.arg, "message")?,
    })
}
