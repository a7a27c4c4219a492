//! Chapter 6 for the catalogue: the broadcast abstractions and their properties, the
//! `broadcast` request and the parameters the broadcasts share. Each algorithm's own entry is at
//! the end of its file.

use crate::monitors::{
    Agreement, CausalDelivery, FifoDelivery, NoCreation, NoDuplication, Validity,
};
use crate::Broadcast;
use automata::Value;
use catalogue::RequestSpec;
use catalogue::{payload, Abstraction, Param, PropertyDef};

const VALIDITY_BEB: PropertyDef =
    PropertyDef::new("validity", "L", |m| Box::new(Validity::best_effort(m)));
const VALIDITY_LBEB: PropertyDef = PropertyDef::new("validity", "L", |m| {
    Box::new(Validity::best_effort(m).logged())
});
const VALIDITY_SBEB: PropertyDef = PropertyDef::new("best-effort-validity", "L", |m| {
    Box::new(Validity::stubborn(m))
});
const VALIDITY: PropertyDef =
    PropertyDef::new("validity", "L", |m| Box::new(Validity::reliable(m)));
pub const NO_DUP: PropertyDef =
    PropertyDef::new("no-duplication", "S", |m| Box::new(NoDuplication::new(m)));
pub const NO_CREATION: PropertyDef =
    PropertyDef::new("no-creation", "S", |m| Box::new(NoCreation::new(m)));
const AGREEMENT: PropertyDef =
    PropertyDef::new("agreement", "L", |m| Box::new(Agreement::regular(m)));
const UNIFORM: PropertyDef = PropertyDef::new("uniform-agreement", "L", |m| {
    Box::new(Agreement::uniform(m))
});
const FIFO: PropertyDef =
    PropertyDef::new("fifo-delivery", "S*", |m| Box::new(FifoDelivery::new(m)));
const CAUSAL: PropertyDef =
    PropertyDef::new("causal-delivery", "S", |m| Box::new(CausalDelivery::new(m)));

pub const ABSTRACTIONS: &[Abstraction] = catalogue::abstractions! {
    id: "beb", name: "best-effort broadcast", requests: "broadcast",
    properties: &[VALIDITY_BEB, NO_DUP, NO_CREATION];

    id: "rb", name: "(regular) reliable broadcast", requests: "broadcast",
    properties: &[VALIDITY, NO_DUP, NO_CREATION, AGREEMENT];

    id: "urb", name: "uniform reliable broadcast", requests: "broadcast",
    properties: &[VALIDITY, NO_DUP, NO_CREATION, UNIFORM];

    id: "sbeb", name: "stubborn best-effort broadcast", requests: "broadcast",
    properties: &[VALIDITY_SBEB, NO_CREATION];

    id: "lbeb", name: "logged best-effort broadcast", requests: "broadcast",
    properties: &[VALIDITY_LBEB, NO_DUP, NO_CREATION];

    id: "lurb", name: "logged uniform reliable broadcast", requests: "broadcast",
    properties: &[VALIDITY, NO_DUP, NO_CREATION, UNIFORM];

    id: "frb", name: "FIFO reliable broadcast", requests: "broadcast",
    properties: &[VALIDITY, NO_DUP, NO_CREATION, AGREEMENT, FIFO];

    id: "crb", name: "causal-order broadcast", requests: "broadcast",
    properties: &[VALIDITY, NO_DUP, NO_CREATION, AGREEMENT, CAUSAL];
};

pub const PERIOD: Param = Param::int(
    "period",
    10,
    "retransmission period of the perfect links below (local ticks)",
);
pub const PERIOD_SL: Param = Param::int(
    "period",
    10,
    "retransmission period of the stubborn links below (local ticks)",
);

pub fn broadcast(r: &RequestSpec, _n: usize) -> Result<Broadcast<Value>, String> {
    if r.name != "broadcast" {
        return Err(format!(
            "broadcasts take `broadcast` requests, e.g. {{ broadcast = \"m1\" }}, not `{}`",
            r.name
        ));
    }
    Ok(Broadcast {
        msg: payload(&r.arg, "message")?,
    })
}
