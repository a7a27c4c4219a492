//! The layer a property monitor judges: one module instance's name, and the events of it.
//!
//! Most monitors watch the requests and indications of one layer (`beb`, `c`, `mutex`) and
//! perhaps the run's crashes. [`Layer`] holds that name and picks the events out;
//! [`crate::property!`]'s `; field` and `; field, crashes` forms write the matching
//! `cares_module` and `cares`, so a monitor file holds its state and its judgement only.

use crate::trace::{Event, Kind, TraceEvent};
use crate::value::Value;
use std::borrow::Cow;

/// The module instance a monitor watches, by its trace name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Layer(Cow<'static, str>);

impl Layer {
    pub fn new(module: &str) -> Self {
        Layer(Cow::Owned(module.to_string()))
    }

    /// The layer's name.
    pub fn name(&self) -> &str {
        &self.0
    }

    /// Whether `module` is this layer.
    pub fn is(&self, module: &str) -> bool {
        self.0 == module
    }

    /// `e`'s event, if `e` happened on this layer.
    pub fn event<'e>(&self, e: &'e TraceEvent) -> Option<&'e Event> {
        self.is(&e.module).then_some(&e.event)
    }

    /// A named event of this layer (an [`Event::Other`]): its kind, name and value.
    pub fn named<'e>(&self, e: &'e TraceEvent) -> Option<(Kind, &'e str, &'e Value)> {
        match self.event(e)? {
            Event::Other { name, value } => Some((e.kind, name.as_ref(), value)),
            _ => None,
        }
    }

    /// Whether `e` is of this layer or a crash: what a monitor that also follows crashes reads.
    pub fn or_crash(&self, e: &TraceEvent) -> bool {
        self.is(&e.module) || e.kind == Kind::Crash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(module: &'static str, kind: Kind, name: &'static str) -> TraceEvent {
        TraceEvent {
            index: 0,
            time: 0,
            process: 1,
            module: Cow::Borrowed(module),
            kind,
            event: Event::Other {
                name: Cow::Borrowed(name),
                value: Value::Int(7),
            },
        }
    }

    #[test]
    fn a_layer_reads_its_own_events_and_no_other() {
        let l = Layer::new("mutex");
        let mine = event("mutex", Kind::Indication, "enter");
        assert_eq!(
            l.named(&mine),
            Some((Kind::Indication, "enter", &Value::Int(7)))
        );
        assert!(l.named(&event("sem", Kind::Indication, "enter")).is_none());
        assert!(l.or_crash(&mine));
        assert!(l.or_crash(&TraceEvent {
            kind: Kind::Crash,
            event: Event::Lifecycle,
            ..event("env", Kind::Crash, "")
        }));
        assert!(!l.or_crash(&event("net", Kind::Indication, "x")));
    }
}
