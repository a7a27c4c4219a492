//! NNAR2 atomicity: the history is linearizable, judged by stateright's tester.

use super::{returned, written};
use automata::history::{Change, History};
use automata::{Monitor, Pid, TraceEvent, Value, Violation};
use stateright::semantics::register::{Register, RegisterOp, RegisterRet};
use stateright::semantics::{ConsistencyTester, LinearizabilityTester};

/// stateright's linearizability tester, compared by value (its reference register derives
/// `PartialEq` but not `Eq`; the comparison is total on `Value`s).
#[derive(Clone, Debug, PartialEq, Hash)]
struct Tester(LinearizabilityTester<(Pid, u32), Register<Value>>);

impl Eq for Tester {}

/// NNAR2 atomicity (S): the history is linearizable, checked at each response with
/// stateright's tester. A failed operation (its invoker crashed) may or may not have taken
/// effect; a recovered process is a new client.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Linearizability {
    history: History,
    tester: Tester,
    /// Once violated, the search is not repeated (every longer history is not linearizable).
    violated: bool,
}

impl Linearizability {
    pub fn new(module: &str) -> Self {
        Linearizability {
            history: History::new(module.to_string()),
            tester: Tester(LinearizabilityTester::new(Register(Value::Unit))),
            violated: false,
        }
    }

    fn invoke(&mut self, op: usize) {
        let o = &self.history.ops()[op];
        let call = match written(o) {
            Some(v) => RegisterOp::Write(v.clone()),
            None => RegisterOp::Read,
        };
        // Every request starts once its client is idle, so the tester's one-operation-in-
        // flight rule holds; its error would only repeat an earlier one.
        let _ = self.tester.0.on_invoke(o.thread(), call);
    }
}

impl Monitor for Linearizability {
    automata::property!("linearizability", Safety);
    fn cares(&self, e: &TraceEvent) -> bool {
        !self.violated && self.history.cares(e)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if self.violated {
            return None;
        }
        match self.history.record(e)? {
            Change::Invoked { op, started: true } => self.invoke(op),
            Change::Returned { op, next } => {
                let o = &self.history.ops()[op];
                let ret = match returned(o) {
                    Some(v) => RegisterRet::ReadOk(v.clone()),
                    None => RegisterRet::WriteOk,
                };
                let thread = o.thread();
                let answered = self.tester.0.on_return(thread, ret).is_ok();
                if let Some(n) = next {
                    self.invoke(n);
                }
                if !answered || !self.tester.0.is_consistent() {
                    self.violated = true;
                    return Some(Violation::at(
                        e,
                        format!(
                            "the history is not linearizable: no order of its {} operations respects real time and a register's semantics once process {} got {:?}",
                            self.history.ops().len(),
                            thread.0,
                            e.event
                        ),
                    ));
                }
            }
            _ => {}
        }
        None
    }
}
