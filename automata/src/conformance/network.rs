//! Conformance of the network: timing, partitions and the channel automaton (book §3.3;
//! FLL2-FLL3 of book §4.2).
//!
//! These monitors read the `net` events of the trace (`send`, `deliver`, `drop`, each an
//! [`Event::Packet`] with the packet id the simulator gives every send; the copies a duplicating
//! network delivers share their packet's id).

use crate::model::{Partition, SystemModel, Timing};
use crate::monitor::{RunSummary, Verdict};
use crate::trace::{Event, Kind, TraceEvent, NET};
use crate::value::Value;
use crate::{Mark, Monitor, Pid, Time, Violation};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

/// A network event, unpacked.
struct Net<'a> {
    kind: Kind,
    id: u64,
    from: Pid,
    to: Pid,
    msg: &'a Value,
}

fn net(e: &TraceEvent) -> Option<Net<'_>> {
    if e.module != NET {
        return None;
    }
    match &e.event {
        Event::Packet { id, from, to, msg } => Some(Net {
            kind: e.kind,
            id: *id,
            from: *from,
            to: *to,
            msg,
        }),
        _ => None,
    }
}

/// What the network promised for a packet: when and where it was sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Sent {
    at: Mark,
    from: Pid,
    to: Pid,
}

/// Timing conformance (S): every packet arrives by the latest time the model allows
/// ([`SystemModel::latest_arrival`]: Δ = `delay.max` after its send when synchronous or after
/// GST, GST + Δ for a packet sent before GST). A `Delay` fault outside the asynchronous
/// model or before GST, or a `Pause` of the receiver (process asynchrony), shows up here
/// (book §3.3, B-3.4).
#[derive(Clone, Debug, PartialEq)]
pub struct DelayBound {
    /// The model's timing, GST and Δ: all [`SystemModel::latest_arrival`] needs.
    timing: SystemModel,
    /// Packet id → (send time, latest arrival).
    sent: BTreeMap<u64, (Time, Time)>,
}

impl DelayBound {
    pub fn new(model: &SystemModel) -> Self {
        DelayBound {
            timing: SystemModel {
                timing: model.timing,
                gst: model.gst,
                delay: model.delay,
                ..SystemModel::default()
            },
            sent: BTreeMap::new(),
        }
    }
}

impl Hash for DelayBound {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.sent.hash(state);
    }
}

impl Eq for DelayBound {}

impl Monitor for DelayBound {
    crate::property!("delay-bound", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = net(e)?;
        match p.kind {
            Kind::Send => {
                if let Some(latest) = self.timing.latest_arrival(e.time) {
                    self.sent.insert(p.id, (e.time, latest));
                }
                None
            }
            Kind::Deliver => {
                let (sent, latest) = *self.sent.get(&p.id)?;
                (e.time > latest).then(|| {
                    Violation::at(
                        e,
                        format!(
                            "the environment broke its timing model: packet {} from {} to {} was sent at {sent} and delivered at {}, but the model delivers it by {latest} (Δ = {})",
                            p.id, p.from, p.to, e.time, self.timing.delay.max
                        ),
                    )
                })
            }
            _ => None,
        }
    }
}

/// Partition conformance (S): no packet is delivered between processes that an active
/// partition separates at the time of delivery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionRespected {
    partitions: Vec<Partition>,
}

impl Hash for PartitionRespected {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for p in &self.partitions {
            (&p.groups, p.from, p.until, p.one_way).hash(state);
        }
    }
}

impl PartitionRespected {
    pub fn new(model: &SystemModel) -> Self {
        PartitionRespected {
            partitions: model.partitions.clone(),
        }
    }
}

impl Monitor for PartitionRespected {
    crate::property!("partition-respected", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = net(e)?;
        if p.kind != Kind::Deliver {
            return None;
        }
        let part = self
            .partitions
            .iter()
            .position(|part| part.blocks(p.from, p.to, e.time))?;
        Some(Violation::at(
            e,
            format!(
                "the environment broke its partition: packet {} from {} to {} was delivered at {} while partition {part} (active in [{}, {})) separates them",
                p.id, p.from, p.to, e.time, self.partitions[part].from, self.partitions[part].until
            ),
        ))
    }
}

/// FLL2 finite duplication (S, conformance): the network delivers no packet more than
/// `links.max_copies` times.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FiniteDuplication {
    max_copies: u32,
    delivered: BTreeMap<u64, u32>,
}

impl FiniteDuplication {
    pub fn new(model: &SystemModel) -> Self {
        FiniteDuplication::with_max_copies(model.links.max_copies)
    }

    pub fn with_max_copies(max_copies: u32) -> Self {
        FiniteDuplication {
            max_copies,
            delivered: BTreeMap::new(),
        }
    }
}

impl Monitor for FiniteDuplication {
    crate::property!("finite-duplication", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = net(e)?;
        if p.kind != Kind::Deliver {
            return None;
        }
        let count = self.delivered.entry(p.id).or_default();
        *count += 1;
        (*count > self.max_copies).then(|| {
            Violation::at(
                e,
                format!(
                    "the network delivered packet {} from {} to {} {} times, more than max_copies = {}",
                    p.id, p.from, p.to, count, self.max_copies
                ),
            )
        })
    }
}

/// FLL3 / channel no-creation (S): every delivered packet was sent before, by the process it
/// claims to come from, to the process that receives it, with the same content.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ChannelNoCreation {
    sent: BTreeMap<u64, (Pid, Pid, Value)>,
}

impl ChannelNoCreation {
    pub fn new() -> Self {
        ChannelNoCreation::default()
    }
}

impl Monitor for ChannelNoCreation {
    crate::property!("channel-no-creation", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = net(e)?;
        match p.kind {
            Kind::Send => {
                self.sent.insert(p.id, (p.from, p.to, p.msg.clone()));
                None
            }
            Kind::Deliver => match self.sent.get(&p.id) {
                None => Some(Violation::at(
                    e,
                    format!(
                        "the network created packet {} ({:?} from {} to {}): it was never sent",
                        p.id, p.msg, p.from, p.to
                    ),
                )),
                Some((from, to, msg)) if (*from, *to, msg) != (p.from, p.to, p.msg) => {
                    Some(Violation::at(
                        e,
                        format!(
                            "the network altered packet {}: sent as {msg:?} from {from} to {to}, delivered as {:?} from {} to {}",
                            p.id, p.msg, p.from, p.to
                        ),
                    ))
                }
                Some(_) => None,
            },
            _ => None,
        }
    }
}

/// Channel FIFO (S, when `links.fifo`): on each channel (p, q), packets are delivered in the
/// order they were sent (gaps from losses allowed, copies of one packet adjacent).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ChannelFifo {
    /// Per channel: the send order of its packets, and the highest position delivered so far.
    order: BTreeMap<u64, u64>,
    next: BTreeMap<(Pid, Pid), u64>,
    last: BTreeMap<(Pid, Pid), (u64, u64)>,
}

impl ChannelFifo {
    pub fn new() -> Self {
        ChannelFifo::default()
    }
}

impl Monitor for ChannelFifo {
    crate::property!("channel-fifo", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = net(e)?;
        let channel = (p.from, p.to);
        match p.kind {
            Kind::Send => {
                let next = self.next.entry(channel).or_default();
                self.order.insert(p.id, *next);
                *next += 1;
                None
            }
            Kind::Deliver => {
                let pos = *self.order.get(&p.id)?;
                match self.last.get(&channel) {
                    Some(&(last, last_id)) if pos < last => Some(Violation::at(
                        e,
                        format!(
                            "channel {} → {} is FIFO but delivered packet {} after packet {}, which was sent later",
                            p.from, p.to, p.id, last_id
                        ),
                    )),
                    _ => {
                        self.last.insert(channel, (pos, p.id));
                        None
                    }
                }
            }
            _ => None,
        }
    }
}

/// Eventual delivery (L, asynchronous conformance; implied by every timing model): every
/// packet sent to a correct process is delivered or dropped by the network by the end of a
/// complete run.
///
/// Delays are finite but unbounded, so a packet sent just before the horizon may still be in
/// flight: only packets sent at least `grace` ticks before the end are owed. The default grace
/// is Δ + 1 when the model bounds every delay, and 250 Δ otherwise (the simulator's asynchronous
/// tail is exponential with mean 10 Δ, so a later arrival has probability below 1e-10).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EventualDelivery {
    grace: Time,
    pending: BTreeMap<u64, Sent>,
}

impl EventualDelivery {
    pub fn new(model: &SystemModel) -> Self {
        let delta = model.delay.max;
        let grace = match model.timing {
            Timing::Synchronous => delta + 1,
            _ => delta.saturating_mul(250),
        };
        EventualDelivery::with_grace(grace)
    }

    /// Packets sent later than `grace` ticks before the end are not yet owed.
    pub fn with_grace(grace: Time) -> Self {
        EventualDelivery {
            grace,
            pending: BTreeMap::new(),
        }
    }
}

impl Monitor for EventualDelivery {
    crate::property!("eventual-delivery", Liveness);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = net(e)?;
        match p.kind {
            Kind::Send => {
                self.pending.insert(
                    p.id,
                    Sent {
                        at: Mark::of(e),
                        from: p.from,
                        to: p.to,
                    },
                );
            }
            Kind::Deliver | Kind::Drop => {
                self.pending.remove(&p.id);
            }
            _ => {}
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let cutoff = run.end_time.saturating_sub(self.grace);
        let lost = self.pending.iter().find(|(_, s)| {
            s.at.time <= cutoff && run.end_time >= self.grace && run.is_correct(s.to)
        });
        run.liveness(lost.map(|(id, s)| {
            Violation::marked(
                s.at,
                format!(
                    "packet {id} from {} to correct process {} sent at {} was neither delivered nor dropped by the end ({}), {} ticks later",
                    s.from, s.to, s.at.time, run.end_time, run.end_time - s.at.time
                ),
            )
        }))
    }
}
