//! Short labels for the requests and indications a diagram ticks (CGR's event names).

use automata::trace::Event;
use automata::Value;

/// At most this many characters of a payload.
const PAYLOAD: usize = 14;

fn short(v: &Value) -> String {
    let s = v.to_string();
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
