//! Chapter 4's catalogue entries: the link abstractions, their properties, and the algorithms
//! `ioa` runs (ids, parameters, how a scenario builds each stack).

use crate::monitors::{
    FifoDelivery, NoCreation, NoDuplication, ReliableDelivery, StubbornDelivery,
};
use crate::{
    AmnesicLoggedLinks, FairLossLinks, FifoPerfectLinks, ForgingLinks, LoggedPerfectLinks,
    NoDedupLinks, PerfectLinks, PerfectLinksAck, Send, StubbornLinks,
};
use ::catalogue::RequestSpec;
use ::catalogue::{job, payload, Abstraction, Algorithm, Default, Param, PropertyDef};
use automata::Value;

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
const LOGGED_RELIABLE: PropertyDef = PropertyDef {
    id: "reliable-delivery",
    kind: "L",
    make: |m| Box::new(ReliableDelivery::logged(m)),
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
    Abstraction {
        id: "lpl",
        name: "logged perfect links",
        requests: "send",
        properties: &[LOGGED_RELIABLE, NO_DUP, NO_CREATION],
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
        id: "stubborn-links-send-once",
        abstraction: "sl",
        model: "any crash model, fair-loss network",
        summary: "mutant of Retransmit Forever whose timer fires but never resends: SL1 fails on a lasso",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| StubbornLinks::<Value>::sending_once(period), send)
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
    Algorithm {
        id: "perfect-links-ack",
        abstraction: "pl",
        model: "crash-stop (fail-stop, fail-noisy, fail-silent)",
        summary: "perfect links by retransmit-until-acknowledged: quiesces once every message is acked",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| PerfectLinksAck::<Value>::new(period), send)
        },
    },
    Algorithm {
        id: "fifo-perfect-links",
        abstraction: "fpl",
        model: "crash-stop",
        summary: "sequence numbers over perfect links; the receiver buffers until the next expected number",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| FifoPerfectLinks::<Value>::new(period), send)
        },
    },
    Algorithm {
        id: "logged-perfect-links",
        abstraction: "lpl",
        model: "fail-recovery (crash-recovery with stable storage)",
        summary: "Log Delivered (CGR 2.3): store `delivered` before notifying",
        params: &[PERIOD],
        mutant: false,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| LoggedPerfectLinks::<Value>::new(period), send)
        },
    },
    Algorithm {
        id: "perfect-links-no-dedup",
        abstraction: "pl",
        model: "crash-stop",
        summary: "MUTANT: Eliminate Duplicates without its `delivered` set (B-4.3)",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| NoDedupLinks::<Value>::new(period), send)
        },
    },
    Algorithm {
        id: "perfect-links-forging",
        abstraction: "pl",
        model: "crash-stop",
        summary: "MUTANT: perfect links that also deliver a message nobody sent",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| ForgingLinks::<Value>::new(period), send)
        },
    },
    Algorithm {
        id: "logged-perfect-links-amnesic",
        abstraction: "lpl",
        model: "fail-recovery",
        summary: "MUTANT: Log Delivered that keeps `delivered` in volatile memory only (B-4.5)",
        params: &[PERIOD],
        mutant: true,
        build: |l, p| {
            let period = p.int("period");
            job(l, p, move |_| AmnesicLoggedLinks::<Value>::new(period), send)
        },
    },
];

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
