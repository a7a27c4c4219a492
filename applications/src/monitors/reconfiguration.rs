//! Monitors of the reconfigurable replicated state machine `rrsm` (book §9, "Reconfiguration
//! by stop-sign"), over the internal steps of the `rrsm` layer:
//! `installed [cid, members, state]` (a `ConfigInstalled`; `state` is `[applied, digest]` at a
//! member that starts the configuration from it, `"none"` elsewhere), `stopped [cid, applied,
//! digest]` (the state a member hands configuration cid at the stop-sign) and `decided [slot,
//! cid, entry]` (a log entry applied at a global slot). Linearizability, progress and replica
//! consistency are the key-value store's monitors ([`super::kv`]) on the same layer.

use automata::{
    Kind, Layer, Mark, Monitor, Pid, RunSummary, TraceEvent, Value, Verdict, Violation,
};
use std::collections::BTreeMap;

/// The arguments of internal step `name` on the layer.
fn step<'e>(layer: &Layer, name: &str, e: &'e TraceEvent) -> Option<&'e [Value]> {
    match layer.named(e)? {
        (Kind::Internal, n, Value::List(a)) if n == name => Some(a.as_slice()),
        _ => None,
    }
}

/// `configuration-agreement` (S, RC1): the configurations installed with the same cid have the
/// same members, and each process installs cids 0, 1, 2, ... one after the other.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConfigurationAgreement {
    layer: Layer,
    /// Per cid, the first process that installed it and the members.
    first: BTreeMap<i64, (Pid, Value)>,
    /// Per process, the last cid it installed.
    last: BTreeMap<Pid, i64>,
}

impl ConfigurationAgreement {
    pub fn new(module: &str) -> Self {
        ConfigurationAgreement {
            layer: Layer::new(module),
            first: BTreeMap::new(),
            last: BTreeMap::new(),
        }
    }
}

impl Monitor for ConfigurationAgreement {
    automata::property!("configuration-agreement", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let [Value::Int(cid), members, _] = step(&self.layer, "installed", e)? else {
            return None;
        };
        let p = e.process;
        let expected = self.last.get(&p).map_or(0, |c| c + 1);
        self.last.insert(p, *cid);
        if *cid != expected {
            return Some(Violation::at(
                e,
                format!("process {p} installed configuration {cid} where {expected} was next"),
            ));
        }
        let (q, m) = self
            .first
            .entry(*cid)
            .or_insert_with(|| (p, members.clone()));
        (m != members).then(|| {
            Violation::at(
                e,
                format!(
                    "process {p} installed configuration {cid} as {members}, process {q} as {m}"
                ),
            )
        })
    }
}

/// `no-lost-commands` (S, RC2): every command answered before configuration cid + 1 is
/// installed is part of the state it starts from. Judged at each member that starts cid + 1
/// from a state: it holds as many commands, with the same store (digest), as the state
/// configuration cid stopped with, which holds every command cid applied, so every one it
/// answered. A start that no stop of the previous configuration precedes cannot be judged:
/// inconclusive, if nothing else was.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoLostCommands {
    layer: Layer,
    /// Per cid, the first `stopped` state: (process, applied, digest).
    stopped: BTreeMap<i64, (Pid, Value, Value)>,
    judged: u64,
    unjudged: Option<Mark>,
}

impl NoLostCommands {
    pub fn new(module: &str) -> Self {
        NoLostCommands {
            layer: Layer::new(module),
            stopped: BTreeMap::new(),
            judged: 0,
            unjudged: None,
        }
    }
}

impl Monitor for NoLostCommands {
    automata::property!("no-lost-commands", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some([Value::Int(cid), n, d]) = step(&self.layer, "stopped", e) {
            self.stopped
                .entry(*cid)
                .or_insert_with(|| (e.process, n.clone(), d.clone()));
            return None;
        }
        let [Value::Int(cid), _, Value::List(state)] = step(&self.layer, "installed", e)? else {
            return None;
        };
        let [n, d] = state.as_slice() else {
            return None;
        };
        if *cid == 0 {
            return None;
        }
        let Some((q, sn, sd)) = self.stopped.get(cid) else {
            self.unjudged.get_or_insert(Mark::of(e));
            return None;
        };
        self.judged += 1;
        if (sn, sd) == (n, d) {
            return None;
        }
        Some(Violation::at(
            e,
            format!(
                "process {} starts configuration {cid} from {n} commands (store digest {d}), but configuration {} stopped at process {q} after {sn} commands (digest {sd}): commands answered before the change are lost",
                e.process,
                cid - 1
            ),
        ))
    }
    fn finish(&self, _run: &RunSummary) -> Verdict {
        match self.unjudged {
            Some(_) if self.judged == 0 => Verdict::Inconclusive {
                reason:
                    "a configuration started with no stop of the previous one to compare it with"
                        .to_string(),
            },
            _ => Verdict::Hold,
        }
    }
}

/// `single-configuration-decisions` (S, RC4): every global log slot is decided by one
/// configuration, with one value: two configurations, or two values, for one slot is a
/// violation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SingleConfigurationDecisions {
    layer: Layer,
    /// Per slot, the first process that applied it, the configuration and the entry.
    first: BTreeMap<i64, (Pid, Value, Value)>,
}

impl SingleConfigurationDecisions {
    pub fn new(module: &str) -> Self {
        SingleConfigurationDecisions {
            layer: Layer::new(module),
            first: BTreeMap::new(),
        }
    }
}

impl Monitor for SingleConfigurationDecisions {
    automata::property!("single-configuration-decisions", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let [Value::Int(slot), cid, entry] = step(&self.layer, "decided", e)? else {
            return None;
        };
        let (q, c, v) = self
            .first
            .entry(*slot)
            .or_insert_with(|| (e.process, cid.clone(), entry.clone()));
        if (&*c, &*v) == (cid, entry) {
            return None;
        }
        Some(Violation::at(
            e,
            format!(
                "slot {slot} is decided as {entry} by configuration {cid} at process {}, and as {v} by configuration {c} at process {q}",
                e.process
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(p: Pid, name: &'static str, v: Vec<Value>) -> TraceEvent {
        TraceEvent::named(1, p, "rrsm", Kind::Internal, name, Value::List(v))
    }

    fn ms(m: &[i64]) -> Value {
        Value::List(m.iter().map(|&p| Value::Int(p)).collect())
    }

    fn installed(p: Pid, cid: i64, m: &[i64], state: Option<(i64, i64)>) -> TraceEvent {
        let s = state.map_or(Value::str("none"), |(n, d)| {
            Value::List(vec![Value::Int(n), Value::Int(d)])
        });
        internal(p, "installed", vec![Value::Int(cid), ms(m), s])
    }

    #[test]
    fn configuration_agreement_catches_other_members_and_a_skipped_cid() {
        let mut m = ConfigurationAgreement::new("rrsm");
        assert!(m.observe(&installed(0, 0, &[0, 1], None)).is_none());
        assert!(m.observe(&installed(1, 0, &[0, 1], None)).is_none());
        assert!(m.observe(&installed(0, 1, &[1, 2], None)).is_none());
        let v = m
            .observe(&installed(1, 1, &[2], None))
            .expect("other members");
        assert!(
            v.explanation.contains("process 0 as [1, 2]"),
            "{}",
            v.explanation
        );
        let mut m = ConfigurationAgreement::new("rrsm");
        assert!(m.observe(&installed(2, 0, &[0, 1], None)).is_none());
        let v = m.observe(&installed(2, 2, &[2], None)).expect("skipped");
        assert!(
            v.explanation.contains("where 1 was next"),
            "{}",
            v.explanation
        );
    }

    #[test]
    fn no_lost_commands_compares_the_start_with_the_stop() {
        let stopped = |p, cid, n, d| {
            internal(
                p,
                "stopped",
                vec![Value::Int(cid), Value::Int(n), Value::Int(d)],
            )
        };
        let mut m = NoLostCommands::new("rrsm");
        assert!(m.observe(&stopped(0, 1, 2, 77)).is_none());
        assert!(m
            .observe(&installed(2, 1, &[1, 2], Some((2, 77))))
            .is_none());
        // A process outside the configuration starts nothing.
        assert!(m.observe(&installed(0, 1, &[1, 2], None)).is_none());
        let v = m
            .observe(&installed(1, 1, &[1, 2], Some((0, 5))))
            .expect("empty start");
        assert!(
            v.explanation.contains("after 2 commands"),
            "{}",
            v.explanation
        );
        // Nothing to compare with: inconclusive.
        let mut m = NoLostCommands::new("rrsm");
        assert!(m.observe(&installed(2, 1, &[2], Some((0, 5)))).is_none());
        let verdict = m.finish(&RunSummary::failure_free(3, 100));
        assert!(
            matches!(verdict, Verdict::Inconclusive { .. }),
            "{verdict:?}"
        );
    }

    #[test]
    fn single_configuration_decisions_catches_two_values_for_a_slot() {
        let decided = |p, slot, cid, v: &str| {
            internal(
                p,
                "decided",
                vec![Value::Int(slot), Value::Int(cid), Value::str(v)],
            )
        };
        let mut m = SingleConfigurationDecisions::new("rrsm");
        assert!(m.observe(&decided(0, 0, 0, "a")).is_none());
        assert!(m.observe(&decided(1, 0, 0, "a")).is_none());
        assert!(m.observe(&decided(1, 1, 1, "b")).is_none());
        let v = m.observe(&decided(2, 0, 1, "b")).expect("two values");
        assert!(v.explanation.contains("slot 0"), "{}", v.explanation);
        // The same value by another configuration is a violation too.
        let v = m
            .observe(&decided(2, 1, 0, "b"))
            .expect("two configurations");
        assert!(
            v.explanation.contains("configuration 0"),
            "{}",
            v.explanation
        );
    }
}
