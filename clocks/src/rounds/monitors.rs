//! The synchronous-round properties (book §10.3): SR1 round-integrity, SR2 lockstep,
//! SR3 progress, judged from the round events every runner records
//! ([`automata::rounds::events`]: a process starts round r, sends a round-r message, takes a
//! round-r message, finishes its rounds) and from crashes.

use automata::rounds::events;
use automata::{
    Kind, Layer, Mark, Monitor, Pid, RunSummary, TraceEvent, Value, Verdict, Violation,
};
use std::collections::{BTreeMap, BTreeSet};

/// A round event of module `module`, decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundEvent {
    /// The process starts round `r`.
    Round(u64),
    /// The process sends a round-`r` message to `to`.
    Send { to: Pid, r: u64 },
    /// The process takes a round-`r` message from `from`.
    Receive { from: Pid, r: u64 },
    /// The process finished its `rounds` rounds.
    Done(u64),
}

fn int(v: &Value) -> Option<u64> {
    match v {
        Value::Int(i) if *i >= 0 => Some(*i as u64),
        _ => None,
    }
}

fn pair(v: &Value) -> Option<(u64, u64)> {
    match v {
        Value::List(xs) if xs.len() == 2 => Some((int(&xs[0])?, int(&xs[1])?)),
        _ => None,
    }
}

/// Decodes a round event of the layer.
pub fn round_event(layer: &Layer, e: &TraceEvent) -> Option<RoundEvent> {
    let (Kind::Internal, name, value) = layer.named(e)? else {
        return None;
    };
    match name {
        events::ROUND => int(value).map(RoundEvent::Round),
        events::SEND => pair(value).map(|(to, r)| RoundEvent::Send { to: to as Pid, r }),
        events::RECEIVE => pair(value).map(|(from, r)| RoundEvent::Receive {
            from: from as Pid,
            r,
        }),
        events::DONE => int(value).map(RoundEvent::Done),
        _ => None,
    }
}

/// What every round monitor tracks: the round each process is in, the round messages in
/// flight and who crashed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Rounds {
    /// Round each process is in (its number of rounds once it is done).
    current: BTreeMap<Pid, u64>,
    /// Round messages sent and not yet taken: (from, to, r) → copies.
    in_flight: BTreeMap<(Pid, Pid, u64), u32>,
    /// Each process's last round event, the witness of a liveness verdict.
    last: BTreeMap<Pid, Mark>,
    /// The first send of each (from, to, r).
    sent_at: BTreeMap<(Pid, Pid, u64), Mark>,
    crashed: BTreeSet<Pid>,
}

impl Rounds {
    fn update(&mut self, layer: &Layer, e: &TraceEvent) -> Option<RoundEvent> {
        if e.kind == Kind::Crash {
            self.crashed.insert(e.process);
            return None;
        }
        let ev = round_event(layer, e)?;
        self.last.insert(e.process, Mark::of(e));
        match ev {
            RoundEvent::Round(r) | RoundEvent::Done(r) => {
                self.current.insert(e.process, r);
            }
            RoundEvent::Send { to, r } => {
                *self.in_flight.entry((e.process, to, r)).or_default() += 1;
                self.sent_at
                    .entry((e.process, to, r))
                    .or_insert(Mark::of(e));
            }
            RoundEvent::Receive { from, r } => {
                let key = (from, e.process, r);
                if let Some(c) = self.in_flight.get_mut(&key) {
                    *c -= 1;
                    if *c == 0 {
                        self.in_flight.remove(&key);
                    }
                }
            }
        }
        Some(ev)
    }

    /// Whether `q` is already past round `r`.
    fn past(&self, q: Pid, r: u64) -> bool {
        self.current.get(&q).is_some_and(|&c| c > r)
    }
}

/// SR1 round-integrity (S): a message sent in round r by p is received by q in round r (or,
/// sent early, buffered for it), or not at all, and "not at all" only if p or q crashed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RoundIntegrity {
    layer: Layer,
    rounds: Rounds,
}

impl RoundIntegrity {
    pub fn new(module: &str) -> Self {
        RoundIntegrity {
            layer: Layer::new(module),
            rounds: Rounds::default(),
        }
    }
}

impl Monitor for RoundIntegrity {
    automata::property!("round-integrity", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let q = e.process;
        if let Some(RoundEvent::Receive { from, r }) = round_event(&self.layer, e) {
            if self.rounds.past(q, r) {
                let now = self.rounds.current[&q];
                self.rounds.update(&self.layer, e);
                return Some(Violation::at(
                    e,
                    format!("process {q} received {from}'s round-{r} message in round {now}, after round {r} ended"),
                ));
            }
        }
        self.rounds.update(&self.layer, e);
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        if !run.complete {
            return Verdict::Hold;
        }
        let lost =
            self.rounds.in_flight.keys().find(|(p, q, _)| {
                !self.rounds.crashed.contains(p) && !self.rounds.crashed.contains(q)
            });
        match lost {
            Some(&(p, q, r)) => Verdict::Violation(Violation::marked(
                self.rounds.sent_at[&(p, q, r)],
                format!("{p}'s round-{r} message to {q} never arrived, and neither crashed"),
            )),
            None => Verdict::Hold,
        }
    }
}

/// SR2 lockstep (S): q starts round r + 1 only after every round-r message from a process that
/// has not crashed has been received (checked when q starts the round, and when a round-r
/// message reaches q after it).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Lockstep {
    layer: Layer,
    rounds: Rounds,
}

impl Lockstep {
    pub fn new(module: &str) -> Self {
        Lockstep {
            layer: Layer::new(module),
            rounds: Rounds::default(),
        }
    }
}

impl Monitor for Lockstep {
    automata::property!("lockstep", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let q = e.process;
        let ev = self.rounds.update(&self.layer, e)?;
        match ev {
            RoundEvent::Round(next) | RoundEvent::Done(next) if next > 0 => {
                let r = next - 1;
                let waiting = self.rounds.in_flight.keys().find(|(p, to, round)| {
                    *to == q && *round == r && !self.rounds.crashed.contains(p)
                });
                waiting.map(|(p, _, _)| {
                    Violation::at(
                        e,
                        format!("process {q} left round {r} while {p}'s round-{r} message to it was still in flight"),
                    )
                })
            }
            RoundEvent::Receive { from, r }
                if self.rounds.past(q, r) && !self.rounds.crashed.contains(&from) =>
            {
                Some(Violation::at(
                    e,
                    format!(
                        "process {q} left round {r} before {from}'s round-{r} message reached it"
                    ),
                ))
            }
            _ => None,
        }
    }
}

/// SR3 progress (L): every correct process completes all its rounds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Progress {
    layer: Layer,
    rounds: Rounds,
    done: BTreeSet<Pid>,
}

impl Progress {
    pub fn new(module: &str) -> Self {
        Progress {
            layer: Layer::new(module),
            rounds: Rounds::default(),
            done: BTreeSet::new(),
        }
    }
}

impl Monitor for Progress {
    automata::property!("progress", Liveness);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(RoundEvent::Done(_)) = self.rounds.update(&self.layer, e) {
            self.done.insert(e.process);
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let stuck = run.correct().find(|p| !self.done.contains(p));
        run.liveness(stuck.map(|p| {
            // The witness: the stuck process's last round event.
            let at = self.rounds.last.get(&p).copied().unwrap_or_default();
            let explanation = match self.rounds.current.get(&p) {
                Some(r) => format!("correct process {p} is stuck in round {r}"),
                None => format!("correct process {p} never started a round"),
            };
            Violation::marked(at, explanation)
        }))
    }
}

/// SR1-SR3 on module `module`.
pub fn all(module: &str) -> Vec<Box<dyn Monitor>> {
    vec![
        Box::new(RoundIntegrity::new(module)),
        Box::new(Lockstep::new(module)),
        Box::new(Progress::new(module)),
    ]
}
