//! Chapter 9 for the catalogue: total-order broadcast, regular and uniform, with their
//! properties and the parameters the applications share. Each algorithm's own entry is at the
//! end of its file.

use crate::monitors::{PrefixOrder, TotalOrder};
use broadcast::abstractions::{NO_CREATION, NO_DUP};
use broadcast::monitors::{Agreement, Validity};
use catalogue::{Abstraction, Param, PropertyDef};

const VALIDITY: PropertyDef =
    PropertyDef::new("validity", "L", |m| Box::new(Validity::reliable(m)));
const AGREEMENT: PropertyDef =
    PropertyDef::new("agreement", "L", |m| Box::new(Agreement::regular(m)));
const UNIFORM_AGREEMENT: PropertyDef = PropertyDef::new("uniform-agreement", "L", |m| {
    Box::new(Agreement::uniform(m))
});
const TOTAL_ORDER: PropertyDef =
    PropertyDef::new("total-order", "S*", |m| Box::new(TotalOrder::regular(m)));
const UNIFORM_TOTAL_ORDER: PropertyDef = PropertyDef::new("uniform-total-order", "S", |m| {
    Box::new(TotalOrder::uniform(m))
});
const PREFIX_ORDER: PropertyDef =
    PropertyDef::new("prefix-order", "S", |m| Box::new(PrefixOrder::new(m)));

pub const ABSTRACTIONS: &[Abstraction] = catalogue::abstractions! {
    id: "tob", name: "total-order broadcast", requests: "broadcast",
    properties: &[VALIDITY, NO_DUP, NO_CREATION, AGREEMENT, TOTAL_ORDER];

    id: "utob", name: "uniform total-order broadcast", requests: "broadcast",
    properties: &[VALIDITY, NO_DUP, NO_CREATION, UNIFORM_AGREEMENT, UNIFORM_TOTAL_ORDER, PREFIX_ORDER];
};

pub const PERIOD: Param = Param::int(
    "period",
    10,
    "retransmission period of the perfect links below (local ticks)",
);
