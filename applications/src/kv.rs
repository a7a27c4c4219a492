//! The key-value store a replicated state machine runs (the book's chapter 9): its operations
//! and replies, how they appear in traces, and its sequential specification, which the
//! linearizability monitor hands to stateright's tester.
//!
//! Requests `⟨ Get | k ⟩`, `⟨ Put | k, v ⟩`, `⟨ Delete | k ⟩`, `⟨ Cas | k, old, new ⟩`
//! (compare-and-set: write `new` if the value is `old`, ⊥ being the unit value), and one
//! indication `⟨ Reply | r ⟩`. In traces a request is `Other { name: "get" | "put" |
//! "delete" | "cas", value: [arguments] }` and a reply `Other { name: "reply", value }`.

use automata::{Event, Observe, ToValue, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// A client's operation on the store.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KvOp {
    Get(Value),
    Put(Value, Value),
    Delete(Value),
    /// Compare-and-set: key, expected value (unit: absent), new value.
    Cas(Value, Value, Value),
}

/// The store's answer: a read value (unit when absent), `ok`, or whether a swap happened.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KvRet {
    Value(Value),
    Ok,
    Swapped(bool),
}

impl KvOp {
    /// The one key the operation works on.
    pub fn key(&self) -> &Value {
        match self {
            KvOp::Get(k) | KvOp::Put(k, _) | KvOp::Delete(k) | KvOp::Cas(k, ..) => k,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            KvOp::Get(_) => "get",
            KvOp::Put(..) => "put",
            KvOp::Delete(_) => "delete",
            KvOp::Cas(..) => "cas",
        }
    }

    fn args(&self) -> Vec<Value> {
        match self {
            KvOp::Get(k) | KvOp::Delete(k) => vec![k.clone()],
            KvOp::Put(k, v) => vec![k.clone(), v.clone()],
            KvOp::Cas(k, old, new) => vec![k.clone(), old.clone(), new.clone()],
        }
    }

    /// The operation a trace event requests, if it is one.
    pub fn of_event(e: &Event) -> Option<KvOp> {
        let Event::Other {
            name,
            value: Value::List(a),
        } = e
        else {
            return None;
        };
        Some(match (name.as_ref(), a.as_slice()) {
            ("get", [k]) => KvOp::Get(k.clone()),
            ("put", [k, v]) => KvOp::Put(k.clone(), v.clone()),
            ("delete", [k]) => KvOp::Delete(k.clone()),
            ("cas", [k, old, new]) => KvOp::Cas(k.clone(), old.clone(), new.clone()),
            _ => return None,
        })
    }
}

impl KvRet {
    /// The reply a trace event carries, if it is one.
    pub fn of_event(e: &Event) -> Option<KvRet> {
        let Event::Other { name, value } = e else {
            return None;
        };
        if name != "reply" {
            return None;
        }
        Some(match value {
            Value::List(v) if v.len() == 1 => KvRet::Value(v[0].clone()),
            Value::Str(s) if s.as_ref() == "ok" => KvRet::Ok,
            Value::Str(s) if s.as_ref() == "swapped" => KvRet::Swapped(true),
            Value::Str(s) if s.as_ref() == "unchanged" => KvRet::Swapped(false),
            _ => return None,
        })
    }
}

/// ⊥ for the unit value (an absent key), the value otherwise.
fn show(v: &Value) -> String {
    match v {
        Value::Unit => "⊥".to_string(),
        v => v.to_string(),
    }
}

impl fmt::Display for KvOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let args: Vec<String> = self.args().iter().map(show).collect();
        write!(f, "{}({})", self.name(), args.join(", "))
    }
}

impl fmt::Display for KvRet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KvRet::Value(v) => write!(f, "{}", show(v)),
            KvRet::Ok => write!(f, "ok"),
            KvRet::Swapped(true) => write!(f, "swapped"),
            KvRet::Swapped(false) => write!(f, "unchanged"),
        }
    }
}

impl ToValue for KvOp {
    fn to_value(&self) -> Value {
        let mut all = vec![Value::str(self.name())];
        all.extend(self.args());
        Value::List(all)
    }
}

impl Observe for KvOp {
    fn observe(&self) -> Option<Event> {
        Some(Event::Other {
            name: Cow::Borrowed(self.name()),
            value: Value::List(self.args()),
        })
    }
}

impl Observe for KvRet {
    fn observe(&self) -> Option<Event> {
        let value = match self {
            KvRet::Value(v) => Value::List(vec![v.clone()]),
            KvRet::Ok => Value::str("ok"),
            KvRet::Swapped(true) => Value::str("swapped"),
            KvRet::Swapped(false) => Value::str("unchanged"),
        };
        Some(Event::Other {
            name: Cow::Borrowed("reply"),
            value,
        })
    }
}

/// The store: the state machine every replica runs, and the sequential specification
/// linearizability is judged against.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Store(pub BTreeMap<Value, Value>);

impl Store {
    /// Applies `op`, returning its reply.
    pub fn apply(&mut self, op: &KvOp) -> KvRet {
        match op {
            KvOp::Get(k) => KvRet::Value(self.0.get(k).cloned().unwrap_or_default()),
            KvOp::Put(k, v) => {
                self.0.insert(k.clone(), v.clone());
                KvRet::Ok
            }
            KvOp::Delete(k) => {
                self.0.remove(k);
                KvRet::Ok
            }
            KvOp::Cas(k, old, new) => {
                let now = self.0.get(k).cloned().unwrap_or_default();
                if now != *old {
                    return KvRet::Swapped(false);
                }
                self.0.insert(k.clone(), new.clone());
                KvRet::Swapped(true)
            }
        }
    }

    /// A digest of the contents (FNV-1a over their rendering): equal stores, equal digests,
    /// on every platform.
    pub fn digest(&self) -> i64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for (k, v) in &self.0 {
            for b in format!("{k}={v};").bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        h as i64
    }
}

impl stateright::semantics::SequentialSpec for Store {
    type Op = KvOp;
    type Ret = KvRet;
    fn invoke(&mut self, op: &KvOp) -> KvRet {
        self.apply(op)
    }
}
