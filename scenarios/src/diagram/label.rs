//! Short labels for the requests and indications a diagram ticks (CGR's event names).

use automata::trace::Event;
use automata::Value;

/// At most this many characters of a payload.
const PAYLOAD: usize = 14;

/// The string leaves of `v`, in order.
fn strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Str(s) => out.push(s),
        Value::List(items) => items.iter().for_each(|i| strings(i, out)),
        _ => {}
    }
}

/// A payload as the book names it: a lower layer's message that wraps exactly one of the
/// workload's messages (FIFO's `[0, m2]`, eager reliable broadcast's `[0, 0, m1]`) is that
/// message, `m2`; anything else is shown whole.
fn short(v: &Value) -> String {
    let mut leaves = Vec::new();
    strings(v, &mut leaves);
    let s = match (v, &leaves[..]) {
        (Value::List(_), [only]) => only.to_string(),
        _ => v.to_string(),
    };
    if s.chars().count() <= PAYLOAD {
        s
    } else {
        let head: String = s.chars().take(PAYLOAD - 1).collect();
        format!("{head}…")
    }
}

/// The event as a diagram labels it, e.g. `bcast m1`, `dlv p0:m1`, `suspect p2`.
pub fn label(e: &Event) -> String {
    match e {
        Event::Send { to, msg } => format!("send→p{to} {}", short(msg)),
        Event::Deliver { from, msg } => format!("dlv p{from}:{}", short(msg)),
        Event::Broadcast { msg } => format!("bcast {}", short(msg)),
        Event::Submit { job } => format!("submit {}", short(job)),
        Event::Confirm { job } => format!("confirm {}", short(job)),
        Event::Error { job } => format!("error {}", short(job)),
        Event::Processed { job } => format!("processed {}", short(job)),
        Event::Detect { process } => format!("crash p{process}"),
        Event::Suspect { process } => format!("suspect p{process}"),
        Event::Restore { process } => format!("restore p{process}"),
        Event::Leader { process } => format!("leader p{process}"),
        Event::Trust { process } => format!("trust p{process}"),
        Event::StartEpoch { ts, leader } => format!("epoch {ts},p{leader}"),
        Event::Read => "read".to_string(),
        Event::Write { value } => format!("write {}", short(value)),
        // A register's initial value ⊥ is `Value::Unit` in scenarios.
        Event::ReadReturn { value: Value::Unit } => "ret ⊥".to_string(),
        Event::ReadReturn { value } => format!("ret {}", short(value)),
        Event::WriteReturn => "write-ok".to_string(),
        Event::Propose { value } => format!("propose {}", short(value)),
        Event::Decide { value } => format!("decide {}", short(value)),
        Event::Packet { from, to, .. } => format!("p{from}→p{to}"),
        Event::Timeout { timer } => format!("timeout {}", short(timer)),
        Event::Lifecycle => String::new(),
        Event::Other { name, value } => format!("{name} {}", short(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_register_read_of_the_initial_value_is_labelled_bottom() {
        let read = |value| label(&Event::ReadReturn { value });
        assert_eq!(read(Value::Unit), "ret ⊥");
        assert_eq!(read(Value::str("v1")), "ret v1");
    }
}
