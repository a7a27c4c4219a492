//! The link monitors on hand-written traces: what each one counts as a violation, and what it
//! leaves to another property.

use automata::{Event, Kind, Monitor, TraceEvent, Value};
use links::monitors::{FifoDelivery, NoCreation, NoDuplication};
use std::borrow::Cow;

fn send(index: u64, from: usize, to: usize, m: &str) -> TraceEvent {
    TraceEvent {
        index,
        time: index,
        process: from,
        module: Cow::Borrowed("fpl"),
        kind: Kind::Request,
        event: Event::Send {
            to,
            msg: Value::str(m),
        },
    }
}

fn deliver(index: u64, from: usize, to: usize, m: &str) -> TraceEvent {
    TraceEvent {
        index,
        time: index,
        process: to,
        module: Cow::Borrowed("fpl"),
        kind: Kind::Indication,
        event: Event::Deliver {
            from,
            msg: Value::str(m),
        },
    }
}

/// Feeds `events` to `monitor`; returns the index of the first violation.
fn first_violation(mut monitor: impl Monitor, events: &[TraceEvent]) -> Option<u64> {
    events
        .iter()
        .find_map(|e| monitor.observe(e))
        .map(|v| v.event)
}

#[test]
fn fifo_delivery_flags_a_later_message_first() {
    let t = [
        send(0, 0, 1, "a"),
        send(1, 0, 1, "b"),
        deliver(2, 0, 1, "b"),
    ];
    assert_eq!(first_violation(FifoDelivery::new("fpl"), &t), Some(2));
}

#[test]
fn fifo_delivery_leaves_duplicates_to_no_duplication() {
    // a, a again, b, a again, b again: in order, with duplicates.
    let t = [
        send(0, 0, 1, "a"),
        send(1, 0, 1, "b"),
        deliver(2, 0, 1, "a"),
        deliver(3, 0, 1, "a"),
        deliver(4, 0, 1, "b"),
        deliver(5, 0, 1, "a"),
        deliver(6, 0, 1, "b"),
    ];
    assert_eq!(first_violation(FifoDelivery::new("fpl"), &t), None);
    assert_eq!(first_violation(NoDuplication::new("fpl"), &t), Some(3));
}

#[test]
fn fifo_delivery_reads_a_redelivery_as_a_duplicate_even_if_the_payload_is_sent_again() {
    // a, b, a sent; a delivered twice: the second is read as a duplicate of the first, not as
    // the second `a` overtaking `b` (content cannot tell them apart; no-duplication does not
    // complain either, since `a` was sent twice).
    let t = [
        send(0, 0, 1, "a"),
        send(1, 0, 1, "b"),
        send(2, 0, 1, "a"),
        deliver(3, 0, 1, "a"),
        deliver(4, 0, 1, "a"),
        deliver(5, 0, 1, "b"),
        deliver(6, 0, 1, "a"),
    ];
    assert_eq!(first_violation(FifoDelivery::new("fpl"), &t), None);
}

#[test]
fn fifo_delivery_leaves_creation_to_no_creation() {
    let t = [
        send(0, 0, 1, "a"),
        deliver(1, 0, 1, "z"),
        deliver(2, 0, 1, "a"),
    ];
    assert_eq!(first_violation(FifoDelivery::new("fpl"), &t), None);
    assert_eq!(first_violation(NoCreation::new("fpl"), &t), Some(1));
}

#[test]
fn fifo_delivery_is_per_channel_and_per_module() {
    let t = [
        send(0, 0, 1, "a"),
        send(1, 2, 1, "c"),
        deliver(2, 2, 1, "c"),
        deliver(3, 0, 1, "a"),
        TraceEvent {
            module: Cow::Borrowed("pl"),
            ..deliver(4, 0, 1, "b")
        },
    ];
    assert_eq!(first_violation(FifoDelivery::new("fpl"), &t), None);
}
