//! The interface of a lock service, or k-semaphore, `sem` (book §9.9, "A lock service: leases
//! and fencing"): requests `⟨ Acquire ⟩`, `⟨ Release ⟩` and `⟨ Write ⟩`, indications
//! `⟨ Granted | token, lease ⟩`, `⟨ Released | token ⟩`, `⟨ Expired | token ⟩` at a client,
//! and `⟨ Wrote | token ⟩`, `⟨ Fenced | token ⟩` at the guarded resource.
//!
//! A client acquires one of k permits (k = 1 is a lock) and holds it from its `Granted` until
//! its `Released` (it asked to release) or its `Expired` (its lease ran out on its own clock).
//! `Granted` carries the grant's fencing token, the lease left (ticks of the client's clock)
//! and k, so that a monitor reading the trace knows the bound. `Write` is the application
//! above writing to the guarded resource with the token of its latest grant: a write it
//! decided while it held the grant, which may arrive after the grant ended (a client that
//! paused). The resource answers `Wrote` when it accepts the write and `Fenced` when it
//! rejects it as stale.
//!
//! In traces a request is `Other { name: "acquire" | "release" | "write", value: () }` and an
//! indication `Other { name: "granted", value: [token, lease, k] }` or `Other { name:
//! "released" | "expired" | "wrote" | "fenced", value: token }`.

use automata::{Event, Observe, Value};
use std::borrow::Cow;

/// A client's request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SemReq {
    Acquire,
    Release,
    Write,
}

/// What the service tells a client, or what the resource did with a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SemInd {
    /// The client holds a permit: its fencing token, the lease left on its clock, and k.
    Granted {
        token: u64,
        lease: u64,
        permits: u64,
    },
    /// The client let its permit go.
    Released { token: u64 },
    /// The client's lease ran out on its own clock; it no longer holds.
    Expired { token: u64 },
    /// The resource accepted a write stamped `token`.
    Wrote { token: u64 },
    /// The resource rejected a write stamped `token`: it had seen a larger one.
    Fenced { token: u64 },
}

/// The trace names of the `sem` events.
pub const ACQUIRE: &str = "acquire";
pub const RELEASE: &str = "release";
pub const WRITE: &str = "write";
pub const GRANTED: &str = "granted";
pub const RELEASED: &str = "released";
pub const EXPIRED: &str = "expired";
pub const WROTE: &str = "wrote";
pub const FENCED: &str = "fenced";

impl SemReq {
    pub fn word(self) -> &'static str {
        match self {
            SemReq::Acquire => ACQUIRE,
            SemReq::Release => RELEASE,
            SemReq::Write => WRITE,
        }
    }

    /// The request named `word`.
    pub fn parse(word: &str) -> Option<SemReq> {
        [SemReq::Acquire, SemReq::Release, SemReq::Write]
            .into_iter()
            .find(|r| r.word() == word)
    }
}

impl Observe for SemReq {
    fn observe(&self) -> Option<Event> {
        Some(Event::Other {
            name: Cow::Borrowed(self.word()),
            value: Value::Unit,
        })
    }
}

impl Observe for SemInd {
    fn observe(&self) -> Option<Event> {
        let int = |t: u64| Value::Int(t as i64);
        let (name, value) = match *self {
            SemInd::Granted {
                token,
                lease,
                permits,
            } => (
                GRANTED,
                Value::List(vec![int(token), int(lease), int(permits)]),
            ),
            SemInd::Released { token } => (RELEASED, int(token)),
            SemInd::Expired { token } => (EXPIRED, int(token)),
            SemInd::Wrote { token } => (WROTE, int(token)),
            SemInd::Fenced { token } => (FENCED, int(token)),
        };
        Some(Event::Other {
            name: Cow::Borrowed(name),
            value,
        })
    }
}
