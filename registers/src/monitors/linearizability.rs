//! NNAR2 atomicity: the history is linearizable.

use super::zones::{self, Anomaly};
use super::{returned, show, written};
use automata::history::{Change, History};
use automata::{Monitor, TraceEvent, Value, Violation};
use stateright::semantics::register::{Register, RegisterOp, RegisterRet};
use stateright::semantics::{ConsistencyTester, LinearizabilityTester};

/// NNAR2 atomicity (S): the history is linearizable, judged at each response. A failed
/// operation (its invoker crashed) may or may not have taken effect; a recovered process is a
/// new client.
///
/// With unique written values (what the workload generates) the judge is [`zones`]: O(n log n)
/// per response, so a run of n operations costs O(n² log n) in all. A history that writes a
/// value twice is judged by stateright's `LinearizabilityTester` ([`search`]), which
/// backtracks over orders and can take exponential time.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Linearizability {
    history: History,
    /// Once violated, the check is not repeated (every longer history is not linearizable).
    violated: bool,
}

impl Linearizability {
    pub fn new(module: &str) -> Self {
        Linearizability {
            history: History::new(module.to_string()),
            violated: false,
        }
    }

    /// Why the history is not linearizable, if it is not.
    fn judge(&self) -> Option<String> {
        let h = &self.history;
        let read_by = |op: usize| show(returned(&h.ops()[op]).expect("a read"));
        let anomaly = match zones::check(h) {
            Some(verdict) => verdict.err()?,
            None if search(h) => return None,
            None => {
                return Some(format!(
                    "no order of its {} operations respects real time and a register's semantics",
                    h.ops().len()
                ))
            }
        };
        Some(match anomaly {
            Anomaly::NeverWritten { read } => format!(
                "process {} read {}, which no operation wrote",
                h.ops()[read].process,
                read_by(read)
            ),
            Anomaly::ReadBeforeWrite { read, write } => format!(
                "process {} read {} before process {} started writing it",
                h.ops()[read].process,
                read_by(read),
                h.ops()[write].process
            ),
            Anomaly::Overlap { first, second } => format!(
                "{} and {} cannot be ordered: each was read after the other had been written and read",
                show(&first),
                show(&second)
            ),
            Anomaly::Inside { outer, inner } => format!(
                "{} was written and read after an operation on {} returned and before a later read of {} started: no order puts {} both before and after {}",
                show(&inner),
                show(&outer),
                show(&outer),
                show(&inner),
                show(&outer)
            ),
        })
    }
}

/// Whether `h` is linearizable, by stateright's tester fed with every start and response in
/// history order: exact for any history, exponential in the worst case.
pub fn search(h: &History) -> bool {
    let mut t = LinearizabilityTester::new(Register(Value::Unit));
    for (i, starts) in h.calls_and_returns() {
        let o = &h.ops()[i];
        let answer = if starts {
            let call = written(o).map_or(RegisterOp::Read, |v| RegisterOp::Write(v.clone()));
            t.on_invoke(o.thread(), call)
        } else {
            let ret = returned(o).map_or(RegisterRet::WriteOk, |v| RegisterRet::ReadOk(v.clone()));
            t.on_return(o.thread(), ret)
        };
        if answer.is_err() {
            return false;
        }
    }
    t.is_consistent()
}

impl Monitor for Linearizability {
    automata::property!("linearizability", Safety);
    fn cares(&self, e: &TraceEvent) -> bool {
        !self.violated && self.history.cares(e)
    }
    fn cares_module(&self, module: &str) -> bool {
        !self.violated && self.history.cares_module(module)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if self.violated {
            return None;
        }
        let Change::Returned { .. } = self.history.record(e)? else {
            return None;
        };
        let why = self.judge()?;
        self.violated = true;
        Some(Violation::at(
            e,
            format!("the history is not linearizable: {why}"),
        ))
    }
}
