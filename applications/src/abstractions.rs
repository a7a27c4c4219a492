//! Chapter 9 for the catalogue: total-order broadcast, regular and uniform, non-blocking
//! atomic commit and uniform terminating reliable broadcast, with their properties, the
//! `propose` request of atomic commit, the `broadcast` request of terminating reliable
//! broadcast, mutual exclusion with its `acquire` request, and the parameters the
//! applications share. Each algorithm's own entry is at the end of its file.

use crate::interface::BOTTOM;
use crate::interface::{Acquire, Propose, Vote};
use crate::kv::KvOp;
use crate::monitors::{
    AbortValidity, CommitValidity, PrefixOrder, TcConsistent, TotalOrder, TrbAgreement,
    TrbIntegrity, TrbTermination, TrbValidity,
};
use crate::monitors::{Accuracy, Completeness, Monotonicity, ViewAgreement};
use crate::monitors::{Fencing, KExclusion, NoSpuriousGrant, SemNoStarvation};
use crate::monitors::{Linearizability, Progress, ReplicaConsistency};
use crate::monitors::{MutualExclusion, NoStarvation};
use crate::monitors::{SameViewDelivery, ViewInclusion};
use crate::semaphore::SemReq;
use automata::Value;
use broadcast::abstractions::{NO_CREATION, NO_DUP};
use broadcast::monitors::{Agreement, Validity};
use broadcast::Broadcast;
use catalogue::{payload, Abstraction, Param, PropertyDef, RequestSpec};

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
const REPLICA_CONSISTENCY: PropertyDef = PropertyDef::new("replica-consistency", "S", |m| {
    Box::new(ReplicaConsistency::new(m))
});
const LINEARIZABILITY: PropertyDef = PropertyDef::new("linearizability", "S", |m| {
    Box::new(Linearizability::new(m))
});
const PROGRESS: PropertyDef = PropertyDef::new("progress", "L", |m| Box::new(Progress::new(m)));
const PREFIX_ORDER: PropertyDef =
    PropertyDef::new("prefix-order", "S", |m| Box::new(PrefixOrder::new(m)));

/// NBAC1-NBAC5 (CGR Section 6.6, in its order). Uniform agreement, integrity and termination are judged by
/// consensus's monitors on the `nbac` layer's `Propose` and `Decide` events.
const NBAC5: PropertyDef = PropertyDef::new("uniform-agreement", "S", |m| {
    Box::new(consensus::monitors::UniformAgreement::new(m))
});
const NBAC4: PropertyDef = PropertyDef::new("integrity", "S", |m| {
    Box::new(consensus::monitors::Integrity::new(m))
});
const NBAC2: PropertyDef =
    PropertyDef::new("abort-validity", "S", |m| Box::new(AbortValidity::new(m)));
const NBAC3: PropertyDef =
    PropertyDef::new("commit-validity", "S", |m| Box::new(CommitValidity::new(m)));
const NBAC1: PropertyDef = PropertyDef::new("termination", "L", |m| {
    Box::new(consensus::monitors::Termination::new(m))
});

/// The properties of uniform terminating reliable broadcast (CGR Section 6.3, in its order),
/// judged by `applications/src/monitors.rs` on the `utrb` layer.
const TRB_TERMINATION: PropertyDef =
    PropertyDef::new("termination", "L", |m| Box::new(TrbTermination::new(m)));
const TRB_VALIDITY: PropertyDef =
    PropertyDef::new("validity", "L", |m| Box::new(TrbValidity::new(m)));
const TRB_INTEGRITY: PropertyDef =
    PropertyDef::new("integrity", "S", |m| Box::new(TrbIntegrity::new(m)));
const TRB_AGREEMENT: PropertyDef =
    PropertyDef::new("uniform-agreement", "S", |m| Box::new(TrbAgreement::new(m)));

/// TLA+'s `TCConsistent`, transaction commit's one property.
const TC_CONSISTENT: PropertyDef =
    PropertyDef::new("tc-consistent", "S", |m| Box::new(TcConsistent::new(m)));

/// The two properties of mutual exclusion (book §9.6).
const MUTUAL_EXCLUSION: PropertyDef = PropertyDef::new("mutual-exclusion", "S", |m| {
    Box::new(MutualExclusion::new(m))
});
const NO_STARVATION: PropertyDef =
    PropertyDef::new("no-starvation", "L", |m| Box::new(NoStarvation::new(m)));

/// SEM1-SEM4, the properties of a lock service (book §9.9).
const K_EXCLUSION: PropertyDef =
    PropertyDef::new("k-exclusion", "S", |m| Box::new(KExclusion::new(m)));
const FENCING: PropertyDef = PropertyDef::new("fencing", "S", |m| Box::new(Fencing::new(m)));
const NO_SPURIOUS_GRANT: PropertyDef = PropertyDef::new("no-spurious-grant", "S", |m| {
    Box::new(NoSpuriousGrant::new(m))
});
const SEM_NO_STARVATION: PropertyDef =
    PropertyDef::new("no-starvation", "L", |m| Box::new(SemNoStarvation::new(m)));

/// RC1-RC5 of the reconfigurable replicated state machine (book §9, "Reconfiguration by
/// stop-sign"); RC3 and RC5 are the key-value store's monitors on the `rrsm` layer.
const RC1: PropertyDef = PropertyDef::new("configuration-agreement", "S", |m| {
    Box::new(crate::monitors::ConfigurationAgreement::new(m))
});
const RC2: PropertyDef = PropertyDef::new("no-lost-commands", "S", |m| {
    Box::new(crate::monitors::NoLostCommands::new(m))
});
const RC4: PropertyDef = PropertyDef::new("single-configuration-decisions", "S", |m| {
    Box::new(crate::monitors::SingleConfigurationDecisions::new(m))
});

/// GM1-GM4 of group membership (CGR Section 6.7), on the `gm` layer's views.
const GM1: PropertyDef = PropertyDef::new("monotonicity", "S", |m| Box::new(Monotonicity::new(m)));
const GM2: PropertyDef = PropertyDef::new("uniform-agreement", "S", |m| {
    Box::new(ViewAgreement::new(m))
});
const GM3: PropertyDef = PropertyDef::new("completeness", "L", |m| Box::new(Completeness::new(m)));
const GM4: PropertyDef = PropertyDef::new("accuracy", "S", |m| Box::new(Accuracy::new(m)));

/// View synchrony's own properties (CGR Section 6.8), and GM2 under a name of its own beside
/// broadcast's uniform agreement.
const VS1: PropertyDef =
    PropertyDef::new("view-inclusion", "S", |m| Box::new(ViewInclusion::new(m)));
const SAME_VIEW_DELIVERY: PropertyDef = PropertyDef::new("same-view-delivery", "S", |m| {
    Box::new(SameViewDelivery::new(m))
});
const VIEW_AGREEMENT: PropertyDef = PropertyDef::new("view-agreement", "S", |m| {
    Box::new(ViewAgreement::new(m).named("view-agreement"))
});

pub const ABSTRACTIONS: &[Abstraction] = catalogue::abstractions! {
    id: "tob", name: "total-order broadcast", requests: "broadcast",
    properties: &[VALIDITY, NO_DUP, NO_CREATION, AGREEMENT, TOTAL_ORDER];

    id: "utob", name: "uniform total-order broadcast", requests: "broadcast",
    properties: &[VALIDITY, NO_DUP, NO_CREATION, UNIFORM_AGREEMENT, UNIFORM_TOTAL_ORDER, PREFIX_ORDER];

    id: "kv", name: "replicated key-value store", requests: "get, put, delete, cas",
    properties: &[REPLICA_CONSISTENCY, LINEARIZABILITY, PROGRESS];

    id: "nbac", name: "non-blocking atomic commit", requests: "propose (\"commit\" or \"abort\")",
    properties: &[NBAC1, NBAC2, NBAC3, NBAC4, NBAC5];

    id: "utrb", name: "uniform terminating reliable broadcast", requests: "broadcast (one, at params.sender)",
    properties: &[TRB_TERMINATION, TRB_VALIDITY, TRB_INTEGRITY, TRB_AGREEMENT];

    id: "tc", name: "transaction commit (TLA+'s TCommit; process 0 manages, the others commit or abort)", requests: "none",
    properties: &[TC_CONSISTENT];

    id: "mutex", name: "mutual exclusion (a process enters, holds params.hold ticks, exits)", requests: "acquire",
    properties: &[MUTUAL_EXCLUSION, NO_STARVATION];

    id: "sem", name: "lock service / k-semaphore (leases; process 0 hosts the guarded resource)", requests: "acquire, release, write",
    properties: &[K_EXCLUSION, FENCING, NO_SPURIOUS_GRANT, SEM_NO_STARVATION];

    id: "rrsm", name: "reconfigurable replicated state machine (the key-value store)", requests: "get, put, delete, cas, reconfigure",
    properties: &[RC1, RC2, LINEARIZABILITY, RC4, PROGRESS, REPLICA_CONSISTENCY];

    id: "gm", name: "group membership (views from the initial (0, Π), indicated at Init)", requests: "none",
    properties: &[GM1, GM2, GM3, GM4];

    id: "vs", name: "uniform view-synchronous communication (views as gm's; BlockOk automatic)", requests: "broadcast",
    properties: &[VS1, SAME_VIEW_DELIVERY, VALIDITY, NO_DUP, NO_CREATION, UNIFORM_AGREEMENT, GM1, VIEW_AGREEMENT, GM3, GM4];
};

pub const PERIOD: Param = Param::int(
    "period",
    10,
    "retransmission period of the perfect links below (local ticks)",
);

pub const HOLD: Param = Param::int(
    "hold",
    5,
    "ticks a process stays in the critical section before it exits (local timer)",
);

pub const PERMITS: Param = Param::int("permits", 1, "k, the permits of the semaphore (1: a lock)");

pub const LEASE: Param = Param::int(
    "lease",
    40,
    "T_h, ticks of its own clock a client holds a grant (the service reclaims after T_g >= T_h(1+rho)/(1-rho) of its own)",
);

/// `request = "acquire"`, `"release"` or `"write"` (a write to the resource with the latest
/// token); none takes an argument.
pub fn sem_request(r: &RequestSpec, _n: usize) -> Result<SemReq, String> {
    let req = SemReq::parse(&r.name).ok_or_else(|| {
        format!(
            "the lock service takes `acquire`, `release` and `write` requests, e.g. request = \"acquire\", not `{}`",
            r.name
        )
    })?;
    if r.arg.as_str() != Some("") {
        return Err(format!(
            "{} takes no argument: write request = \"{}\", not {{ {} = {} }}",
            r.name, r.name, r.name, r.arg
        ));
    }
    Ok(req)
}

/// The key of a request that names none.
const KEY: &str = "x";

/// `{ get = { key = "k" } }`, `{ put = { key = "k", value = "v" } }`, `{ delete = { key =
/// "k" } }`, `{ cas = { key = "k", old = "a", new = "b" } }` (`old` left out: the key is
/// absent). A request that is not a table works on key `"x"`: `"get"`, `{ put = "v" }` (and a
/// stream of `put` writes its unique values there), `"delete"`.
pub fn kv_request(r: &RequestSpec, _n: usize) -> Result<KvOp, String> {
    let field = |f: &str| payload(&r.arg, f);
    let key = || match &r.arg {
        toml::Value::Table(_) => field("key"),
        _ => Ok(Value::str(KEY)),
    };
    Ok(match r.name.as_str() {
        "get" => KvOp::Get(key()?),
        "delete" => KvOp::Delete(key()?),
        "put" => match &r.arg {
            toml::Value::Table(_) => KvOp::Put(field("key")?, field("value")?),
            v => KvOp::Put(Value::str(KEY), payload(v, "value")?),
        },
        "cas" => {
            let toml::Value::Table(t) = &r.arg else {
                return Err("cas takes a table, e.g. { cas = { key = \"k\", old = \"a\", new = \"b\" } }".to_string());
            };
            let old = if t.contains_key("old") { field("old")? } else { Value::Unit };
            KvOp::Cas(field("key")?, old, field("new")?)
        }
        other => {
            return Err(format!(
                "the key-value store takes `get`, `put`, `delete` and `cas` requests, e.g. {{ put = {{ key = \"k\", value = \"v\" }} }}, not `{other}`"
            ))
        }
    })
}

/// `{ propose = "commit" }` or `{ propose = "abort" }`: a vote, nothing else.
pub fn propose(r: &RequestSpec, _n: usize) -> Result<Propose<Vote>, String> {
    if r.name != "propose" {
        return Err(format!(
            "atomic commit takes `propose` requests, {{ propose = \"commit\" }} or {{ propose = \"abort\" }}, not `{}`",
            r.name
        ));
    }
    r.arg
        .as_str()
        .and_then(Vote::parse)
        .map(Propose)
        .ok_or_else(|| {
            format!(
                "atomic commit proposes \"commit\" or \"abort\", not {}",
                r.arg
            )
        })
}

/// `request = "acquire"`: one entry into the critical section; it takes no argument.
pub fn acquire(r: &RequestSpec, _n: usize) -> Result<Acquire, String> {
    if r.name != "acquire" {
        return Err(format!(
            "mutual exclusion takes `acquire` requests, request = \"acquire\", not `{}`",
            r.name
        ));
    }
    if r.arg.as_str() != Some("") {
        return Err(format!(
            "acquire takes no argument: write request = \"acquire\", not {{ acquire = {} }}",
            r.arg
        ));
    }
    Ok(Acquire)
}

/// `{ broadcast = "m" }`: the sender's one message, a string or an integer, anything but the
/// string `⊥`, which stands for the failure indication. (Which process may broadcast, and how
/// often, is checked with the parameters: see `consensus_trb`.)
pub fn trb_broadcast(r: &RequestSpec, _n: usize) -> Result<Broadcast<Value>, String> {
    if r.name != "broadcast" {
        return Err(format!(
            "terminating reliable broadcast takes one `broadcast` request, at the sender, e.g. {{ broadcast = \"m\" }}, not `{}`",
            r.name
        ));
    }
    let msg = payload(&r.arg, "message")?;
    if msg.as_str() == Some(BOTTOM) {
        return Err(format!(
            "{BOTTOM:?} stands for the failure indication ⊥ and cannot be broadcast"
        ));
    }
    Ok(Broadcast { msg })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str, arg: toml::Value) -> RequestSpec {
        RequestSpec {
            at: 1,
            process: 0,
            name: name.to_string(),
            arg,
            key: "workload[0]".to_string(),
        }
    }

    /// `commit` and `abort` are votes; any other payload, and any other request, is refused
    /// with a message that says what is accepted.
    #[test]
    fn propose_takes_commit_or_abort_only() {
        let vote = |arg: toml::Value| propose(&request("propose", arg), 3);
        assert_eq!(vote("commit".into()), Ok(Propose(Vote::Commit)));
        assert_eq!(vote("abort".into()), Ok(Propose(Vote::Abort)));
        for bad in [toml::Value::from("COMMIT"), "".into(), 1.into()] {
            let err = vote(bad).unwrap_err();
            assert!(err.contains("\"commit\" or \"abort\""), "{err}");
        }
        let err = propose(&request("broadcast", "commit".into()), 3).unwrap_err();
        assert!(err.contains("`propose`"), "{err}");
    }

    /// `acquire`, bare, and nothing else.
    #[test]
    fn acquire_takes_no_argument_and_nothing_else() {
        assert_eq!(acquire(&request("acquire", "".into()), 3), Ok(Acquire));
        let err = acquire(&request("acquire", "now".into()), 3).unwrap_err();
        assert!(err.contains("no argument"), "{err}");
        let err = acquire(&request("release", "".into()), 3).unwrap_err();
        assert!(err.contains("`acquire`"), "{err}");
    }

    /// The sender broadcasts a string or an integer, never the string standing for ⊥, and
    /// nothing but `broadcast`.
    #[test]
    fn trb_broadcast_refuses_bottom_and_other_requests() {
        let bcast = |arg: toml::Value| trb_broadcast(&request("broadcast", arg), 3);
        assert_eq!(bcast("m".into()).map(|b| b.msg), Ok(Value::str("m")));
        assert_eq!(bcast(7.into()).map(|b| b.msg), Ok(Value::Int(7)));
        let err = bcast(BOTTOM.into()).unwrap_err();
        assert!(err.contains("failure indication"), "{err}");
        let err = trb_broadcast(&request("propose", "m".into()), 3).unwrap_err();
        assert!(err.contains("`broadcast`"), "{err}");
    }
}
