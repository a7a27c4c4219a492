//! Monitors of the replicated key-value store `kv`: replica consistency on the replicas'
//! `applied` steps, linearizability and progress on the clients' history
//! ([`automata::history`]).

use crate::kv::{KvOp, KvRet, Store};
use automata::history::{Change, History};
use automata::{Kind, Layer, Monitor, Pid, RunSummary, TraceEvent, Value, Verdict, Violation};
use stateright::semantics::{ConsistencyTester, LinearizabilityTester};
use std::collections::BTreeMap;

/// `replica-consistency` (S): two replicas that have applied k commands applied the same
/// k-th command and hold the same store (equal digests). Judged at each replica's `applied`
/// step against the first replica that reached k.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReplicaConsistency {
    layer: Layer,
    /// Per count k: the first replica to apply k commands, its k-th command and digest.
    first: BTreeMap<i64, (Pid, Value, Value)>,
}

impl ReplicaConsistency {
    pub fn new(module: &str) -> Self {
        ReplicaConsistency {
            layer: Layer::new(module),
            first: BTreeMap::new(),
        }
    }
}

impl Monitor for ReplicaConsistency {
    automata::property!("replica-consistency", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let (Kind::Internal, "applied", Value::List(a)) = self.layer.named(e)? else {
            return None;
        };
        let [Value::Int(k), cmd, digest] = a.as_slice() else {
            return None;
        };
        let (p, c, d) = self
            .first
            .entry(*k)
            .or_insert_with(|| (e.process, cmd.clone(), digest.clone()));
        if (&*c, &*d) == (cmd, digest) {
            return None;
        }
        let why = if c != cmd {
            format!("applied {cmd} where process {p} applied {c}")
        } else {
            format!("holds a store with digest {digest} where process {p}'s has {d}")
        };
        Some(Violation::at(
            e,
            format!("after {k} commands, replica {} {why}", e.process),
        ))
    }
}

/// `linearizability` (S): the clients' history of operations is linearizable against the
/// store's sequential specification. A failed operation (its client crashed) may or may not
/// have taken effect; a recovered process is a new client.
///
/// Linearizability is local (Herlihy and Wing 1990): a history is linearizable iff each
/// object's subhistory is, and every operation works on one key. So each key has its own
/// stateright linearizability tester, fed as operations start and return, and a reply is
/// judged against its key's operations only. The tester searches orders and copies the
/// history as it goes, so it wants short subhistories: long runs spread their operations
/// over many keys.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Linearizability {
    history: History,
    /// Each key's tester (a function of `history`, so it splits no checker state).
    keys: BTreeMap<Value, Tester>,
    violated: bool,
}

type Tester = LinearizabilityTester<(Pid, u32), Store>;

impl Linearizability {
    pub fn new(module: &str) -> Self {
        Linearizability {
            history: History::new(module.to_string()),
            keys: BTreeMap::new(),
            violated: false,
        }
    }

    /// Feeds the start of operation `i` to its key's tester.
    fn start(&mut self, i: usize) {
        let o = &self.history.ops()[i];
        let Some(op) = KvOp::of_event(&o.request) else {
            return;
        };
        let t = self.keys.entry(op.key().clone()).or_default();
        // An invalid history (a second call in flight) makes the tester inconsistent.
        let _ = t.on_invoke(o.thread(), op);
    }

    /// Feeds the return of operation `i`; whether its key's history is still linearizable.
    fn finish_op(&mut self, i: usize) -> bool {
        let o = &self.history.ops()[i];
        let (Some(op), Some(ret)) = (
            KvOp::of_event(&o.request),
            o.response.as_ref().and_then(|(_, r)| KvRet::of_event(r)),
        ) else {
            return true;
        };
        let t = self.keys.entry(op.key().clone()).or_default();
        t.on_return(o.thread(), ret).is_ok() && t.is_consistent()
    }
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
        let (op, next) = match self.history.record(e)? {
            Change::Invoked { op, started: true } => {
                self.start(op);
                return None;
            }
            Change::Returned { op, next } => (op, next),
            _ => return None,
        };
        let linearizable = self.finish_op(op);
        if let Some(n) = next {
            self.start(n);
        }
        if linearizable {
            return None;
        }
        self.violated = true;
        let o = &self.history.ops()[op];
        let (call, ret) = (KvOp::of_event(&o.request), KvRet::of_event(&e.event));
        let on_key = call.as_ref().map_or(0, |c| {
            let key = c.key();
            let ops = self.history.ops().iter();
            ops.filter(|x| KvOp::of_event(&x.request).is_some_and(|y| y.key() == key))
                .count()
        });
        let show = |x: Option<String>| x.unwrap_or_else(|| "?".to_string());
        Some(Violation::at(
            e,
            format!(
                "the history is not linearizable: process {}'s {} returned {}, and no order of the {} operations on its key so far respects real time and the store's semantics",
                o.process,
                show(call.map(|c| c.to_string())),
                show(ret.map(|r| r.to_string())),
                on_key,
            ),
        ))
    }
}

/// `progress` (L): every operation a correct client invokes returns by the end.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Progress {
    history: History,
}

impl Progress {
    pub fn new(module: &str) -> Self {
        Progress {
            history: History::new(module.to_string()),
        }
    }
}

impl Monitor for Progress {
    automata::property!("progress", Liveness);
    fn cares(&self, e: &TraceEvent) -> bool {
        self.history.cares(e)
    }
    fn cares_module(&self, module: &str) -> bool {
        self.history.cares_module(module)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        self.history.record(e);
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        self.history.stuck(run)
    }
}
