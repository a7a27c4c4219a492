//! Chapter 4: link abstractions and algorithms.

use super::{job, payload, Abstraction, Algorithm, Default, Param, PropertyDef};
use crate::spec::RequestSpec;
use automata::Value;
use links::monitors::{
    FifoDelivery, NoCreation, NoDuplication, ReliableDelivery, StubbornDelivery,
};
use links::{FairLossLinks, PerfectLinks, Send, StubbornLinks};

const RELIABLE: PropertyDef = PropertyDef {
    id: "reliable-delivery",
    kind: "L",
    make: |m| Box::new(ReliableDelivery::new(m)),
};
const NO_DUP: PropertyDef = PropertyDef {
    id: "no-duplication",
    kind: "S",
    make: |m| Box::new(NoDuplication::new(m)),
};
const NO_CREATION: PropertyDef = PropertyDef {
    id: "no-creation",
    kind: "S",
    make: |m| Box::new(NoCreation::new(m)),
};
const STUBBORN: PropertyDef = PropertyDef {
    id: "stubborn-delivery",
    kind: "L",
    make: |m| Box::new(StubbornDelivery::new(m)),
};
const FIFO: PropertyDef = PropertyDef {
    id: "fifo-delivery",
    kind: "S",
    make: |m| Box::new(FifoDelivery::new(m)),
};

pub const ABSTRACTIONS: &[Abstraction] = &[
    Abstraction {
        id: "fll",
        name: "fair-loss links",
        requests: "send",
        properties: &[NO_CREATION],
    },
    Abstraction {
        id: "sl",
        name: "stubborn links",
        requests: "send",
        properties: &[STUBBORN, NO_CREATION],
    },
    Abstraction {
        id: "pl",
        name: "perfect links",
        requests: "send",
        properties: &[RELIABLE, NO_DUP, NO_CREATION],
    },
    Abstraction {
        id: "fpl",
        name: "FIFO perfect links",
        requests: "send",
        properties: &[RELIABLE, NO_DUP, NO_CREATION, FIFO],
    },
];

const PERIOD: Param = Param {
    name: "period",
    default: Default::Int(10),
    doc: "retransmission period Δ (local ticks)",
};

pub const ALGORITHMS: &[Algorithm] = &[
    Algorithm {
        id: "fair-loss-links",
        abstraction: "fll",
        model: "any (this is the network itself)",
        summary: "the network as a module: send puts a packet on the wire",
        params: &[],
        mutant: false,
        build: |l, p| job(l, p, |_| FairLossLinks::<Value>::default(), send),
    },
    Algorithm {
        id: "stubborn-links",
        abstraction: "sl",
        model: "any crash model, fair-loss network",
        summary: "Retransmit Forever (CGR 2.1): resend every message ever sent, every period",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| StubbornLinks::<Value>::new(period), send)
        },
    },
    Algorithm {
        id: "perfect-links",
        abstraction: "pl",
        model: "crash-stop (fail-stop, fail-noisy, fail-silent)",
        summary: "Eliminate Duplicates (CGR 2.2) over Retransmit Forever",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| PerfectLinks::<Value>::new(period), send)
        },
    },
];

/// `send = { to = 2, message = "a" }`, or a generated `send` (to the next process).
fn send(r: &RequestSpec, n: usize) -> Result<Send<Value>, String> {
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
