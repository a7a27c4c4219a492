//! [`Value`]: the small, ordered, hashable data that payloads and trace events are made of.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// A payload or a rendered message: an integer, a string, or a list of values.
///
/// Scenario payloads (`"m1"`, `"p1-7"`) are `Value::Str`; algorithms are generic over their
/// payload type and only need [`ToValue`] to show it in a trace. Cloning is cheap (strings are
/// shared), ordering and hashing are total, so a `Value` can sit in a model-checker state.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(untagged)]
pub enum Value {
    /// No data (a request without arguments, such as a register read).
    #[default]
    Unit,
    Int(i64),
    Str(Arc<str>),
    List(Vec<Value>),
}

impl Value {
    /// A string value.
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    /// The value of anything `Debug`, rendered once (used for wire messages in traces).
    pub fn debug(x: &impl fmt::Debug) -> Value {
        Value::Str(Arc::from(format!("{x:?}").as_str()))
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Unit => write!(f, "()"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Str(s) => write!(f, "{s}"),
            Value::List(items) => {
                write!(f, "[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{v}")?;
                }
                write!(f, "]")
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::str(s)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

/// How a payload shows itself in a trace event.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl ToValue for u64 {
    fn to_value(&self) -> Value {
        Value::Int(*self as i64)
    }
}

impl ToValue for usize {
    fn to_value(&self) -> Value {
        Value::Int(*self as i64)
    }
}

impl ToValue for i64 {
    fn to_value(&self) -> Value {
        Value::Int(*self)
    }
}

impl ToValue for u32 {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}

impl<A: ToValue, B: ToValue> ToValue for (A, B) {
    fn to_value(&self) -> Value {
        Value::List(vec![self.0.to_value(), self.1.to_value()])
    }
}

/// What an algorithm's payload type must offer: cheap to clone, totally ordered, hashable (so it
/// can live in a model-checker state) and printable in a trace.
pub trait Payload:
    Clone + fmt::Debug + Eq + Ord + std::hash::Hash + Send + Sync + ToValue + 'static
{
}

impl<T> Payload for T where
    T: Clone + fmt::Debug + Eq + Ord + std::hash::Hash + Send + Sync + ToValue + 'static
{
}
