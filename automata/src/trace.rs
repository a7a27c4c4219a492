//! The trace: the typed, serializable record of what a run did (book §2.6, "The trace"; the
//! `--trace` option is in the Scenario file reference, "Commands").
//!
//! Every request and indication at every layer, every network send, delivery and drop, every
//! timer expiry, crash and recovery becomes one [`TraceEvent`]. Monitors read this stream; the
//! `--trace` file is this stream as JSON lines.

use crate::value::Value;
use crate::{Pid, Time};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// What sort of step an event records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A layer above asked a module to do something.
    Request,
    /// A module told the layer above that something happened.
    Indication,
    /// A packet entered the network.
    Send,
    /// The network handed a packet to its destination.
    Deliver,
    /// The network lost a packet (loss, partition, crash of the destination, ...).
    Drop,
    /// A timer expired.
    Timer,
    /// A process crashed.
    Crash,
    /// A process recovered (crash-recovery only).
    Recover,
    /// An internal step the book names (a job processed), made visible for monitors.
    Internal,
}

/// The vocabulary of abstraction events, shared by every chapter (CGR's event names).
///
/// Links, broadcasts, detectors, registers and consensus each use a few of these; the module a
/// trace event belongs to tells which abstraction speaks. New chapters add variants here.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Event {
    /// Links: `Send | q, m` (request).
    Send {
        to: Pid,
        msg: Value,
    },
    /// Links `Deliver | p, m`, broadcasts `Deliver | s, m` (indication).
    Deliver {
        from: Pid,
        msg: Value,
    },
    /// Broadcasts: `Broadcast | m` (request).
    Broadcast {
        msg: Value,
    },
    /// Job handlers: `Submit | job` (request).
    Submit {
        job: Value,
    },
    /// Job handlers: `Confirm | job` (indication).
    Confirm {
        job: Value,
    },
    /// Job transformation: `Error | job` (indication).
    Error {
        job: Value,
    },
    /// Job handlers: the job was actually processed (an internal step made observable).
    Processed {
        job: Value,
    },
    /// Perfect failure detector: `Crash | p` (indication).
    Detect {
        process: Pid,
    },
    /// Eventually perfect failure detector: `Suspect | p`.
    Suspect {
        process: Pid,
    },
    /// Eventually perfect failure detector: `Restore | p`.
    Restore {
        process: Pid,
    },
    /// Leader election: `Leader | p`.
    Leader {
        process: Pid,
    },
    /// Eventual leader detector: `Trust | p`.
    Trust {
        process: Pid,
    },
    /// Epoch change: `StartEpoch | ts, l`.
    StartEpoch {
        ts: u64,
        leader: Pid,
    },
    /// Registers.
    Read,
    Write {
        value: Value,
    },
    ReadReturn {
        value: Value,
    },
    WriteReturn,
    /// Consensus.
    Propose {
        value: Value,
    },
    Decide {
        value: Value,
    },
    /// A network packet (kinds send, deliver, drop). `id` is unique per run in the simulator.
    Packet {
        id: u64,
        from: Pid,
        to: Pid,
        msg: Value,
    },
    /// A timer (kind timer); `timer` is the module's timer rendered.
    Timeout {
        timer: Value,
    },
    /// Life cycle (kinds crash and recover).
    Lifecycle,
    /// Anything a later chapter needs before it earns a variant of its own.
    Other {
        name: Cow<'static, str>,
        value: Value,
    },
}

/// One step of a run as the monitors and the `--trace` file see it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TraceEvent {
    /// Position in the trace, from 0.
    pub index: u64,
    /// Real (simulated) time in ticks.
    pub time: Time,
    /// The process at which the step happened (the sender for network sends).
    pub process: Pid,
    /// The module instance: an abstraction's short name (`pl`, `beb`), or `net`, `env`.
    pub module: Cow<'static, str>,
    pub kind: Kind,
    pub event: Event,
}

impl TraceEvent {
    /// A hand-written event at step `i` (its index and its time): how monitor tests and
    /// scripted traces spell a run.
    pub fn scripted(
        i: usize,
        process: Pid,
        module: &'static str,
        kind: Kind,
        event: Event,
    ) -> Self {
        TraceEvent {
            index: i as u64,
            time: i as u64,
            process,
            module: Cow::Borrowed(module),
            kind,
            event,
        }
    }

    /// [`TraceEvent::scripted`] of a named ([`Event::Other`]) event.
    pub fn named(
        i: usize,
        process: Pid,
        module: &'static str,
        kind: Kind,
        name: &'static str,
        value: Value,
    ) -> Self {
        let name = Cow::Borrowed(name);
        TraceEvent::scripted(i, process, module, kind, Event::Other { name, value })
    }
}

/// Module name used for network events.
pub const NET: &str = "net";

/// Module name used for life-cycle events (crash, recover).
pub const ENV: &str = "env";

/// Writes events as JSON lines.
pub fn to_jsonl(events: &[TraceEvent]) -> String {
    let mut out = String::new();
    for e in events {
        out.push_str(&serde_json::to_string(e).expect("trace events always serialize"));
        out.push('\n');
    }
    out
}
