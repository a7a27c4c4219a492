//! Monitors of the broadcast properties (book ch. 6: V-beb, V-rb, SBEB1, ND, NC, AG,
//! UAG, FRB5 FIFO delivery, CRB5 causal delivery). Each watches the `Broadcast` requests and
//! `Deliver` indications of one module instance (`beb`, `rb`, `urb`, `frb`, `crb`), so the same
//! monitor checks any broadcast that claims the property, and runs "X used as Y" just as well.
//!
//! A message is identified by its original sender and its payload: the workload makes payloads
//! unique, and a payload broadcast twice by the same sender is two messages (it must be
//! delivered twice).

use automata::ledger::{self, Addressing, Indicated, Ledger, Wording};
use automata::monitor::PropertyKind;
use automata::{
    Event, Kind, Layer, Monitor, Pid, RunSummary, TraceEvent, Value, Verdict, Violation,
};
use std::collections::{BTreeMap, BTreeSet};

/// Which processes validity obliges to deliver.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Flavour {
    /// BEB1: every correct process.
    BestEffort,
    /// RB1 / URB1 / FRB1 / CRB1: the correct sender itself.
    Reliable,
    /// SBEB1: every correct process, at least once and again in the final settle window.
    Stubborn,
}

/// Validity (L). [`Validity::best_effort`] is BEB1: if a correct process broadcasts m, every
/// correct process delivers m by the end. [`Validity::reliable`] is RB1 (and URB1, FRB1,
/// CRB1): if a correct process broadcasts m, it delivers m itself by the end (agreement then
/// carries m to everyone else).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Validity {
    ledger: Ledger,
    flavour: Flavour,
    /// Crash-recovery (LBEB1, LURB1): only senders that never crashed are owed delivery.
    logged: bool,
}

impl Validity {
    /// BEB1 (V-beb).
    pub fn best_effort(module: &str) -> Self {
        Validity {
            ledger: Ledger::broadcast(module),
            flavour: Flavour::BestEffort,
            logged: false,
        }
    }

    /// The logged (crash-recovery) variant, LBEB1 / LURB1: the obligation holds for messages
    /// broadcast by a process that never crashes (a sender that crashes may lose a broadcast
    /// it had not logged).
    pub fn logged(mut self) -> Self {
        self.logged = true;
        self
    }

    /// SBEB1 `best-effort-validity` of stubborn best-effort broadcast: if a process that
    /// never crashes broadcasts m, every correct process delivers m infinitely often; in a
    /// finite run, at least once and again within the final settle window (the stand-in for
    /// "infinitely often" that the stubborn-links monitor, `links::monitors::StubbornDelivery`,
    /// uses for SL1).
    pub fn stubborn(module: &str) -> Self {
        Validity {
            ledger: Ledger::broadcast(module),
            flavour: Flavour::Stubborn,
            logged: true,
        }
    }

    /// RB1 (V-rb).
    pub fn reliable(module: &str) -> Self {
        Validity {
            ledger: Ledger::broadcast(module),
            flavour: Flavour::Reliable,
            logged: false,
        }
    }
}

impl Monitor for Validity {
    fn name(&self) -> &str {
        match self.flavour {
            Flavour::Stubborn => "best-effort-validity",
            _ => "validity",
        }
    }
    fn kind(&self) -> PropertyKind {
        PropertyKind::Liveness
    }
    fn cares_module(&self, module: &str) -> bool {
        self.ledger.cares_module(module)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        self.ledger.record(e);
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let stubborn = self.flavour == Flavour::Stubborn;
        let missing = self.ledger.first_shortfall(
            |k| {
                let s = k.sender;
                if !run.is_correct(s) || (self.logged && !run.never_crashed(s)) {
                    return vec![];
                }
                match self.flavour {
                    Flavour::BestEffort | Flavour::Stubborn => run.correct().collect(),
                    Flavour::Reliable => vec![s],
                }
            },
            |r, q| {
                if stubborn {
                    !r.indicated_since(q, run.settle_from)
                } else {
                    r.short_at(q)
                }
            },
        );
        run.liveness(missing.map(|(k, r, q)| {
            let (s, m) = (k.sender, &k.msg);
            let explanation = if stubborn {
                let what = if r.count(q) == 0 {
                    "never delivered it".to_string()
                } else {
                    format!("did not deliver it again after time {}", run.settle_from)
                };
                format!(
                    "process {s}, which never crashed, broadcast {m:?}, but correct process {q} {what}"
                )
            } else {
                format!(
                    "correct process {s} broadcast {m:?}, but correct process {q} never delivered it"
                )
            };
            r.blame(explanation)
        }))
    }
}

/// No duplication (S): no process delivers a message more often than it was broadcast.
pub type NoDuplication = ledger::NoDuplication<Broadcasts>;

/// No creation (S): if a process delivers m with sender s, then s broadcast m before.
pub type NoCreation = ledger::NoCreation<Broadcasts>;

/// The broadcasts' requests (`Broadcast | m`) and the wording of their safety violations.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Broadcasts;

impl Wording for Broadcasts {
    const ADDRESSING: Addressing = Addressing::Broadcast;
    fn created(e: &TraceEvent, d: &Indicated) -> String {
        format!(
            "process {} delivered {:?} from {}, which {} never broadcast",
            e.process, d.msg, d.from, d.from
        )
    }
    fn duplicated(e: &TraceEvent, d: &Indicated) -> String {
        format!(
            "process {} delivered {:?} from {} {} times, but it was broadcast {} time(s)",
            e.process,
            d.msg,
            d.from,
            d.entry.count(e.process),
            d.entry.requests
        )
    }
}

/// Agreement (L). [`Agreement::regular`] is RB4: if a correct process delivers m, every
/// correct process delivers m by the end. [`Agreement::uniform`] is URB4: if any process,
/// correct or faulty, delivers m, every correct process delivers m by the end.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Agreement {
    ledger: Ledger,
    uniform: bool,
}

impl Agreement {
    /// RB4 `agreement`.
    pub fn regular(module: &str) -> Self {
        Agreement {
            ledger: Ledger::broadcast(module),
            uniform: false,
        }
    }

    /// URB4 `uniform-agreement`.
    pub fn uniform(module: &str) -> Self {
        Agreement {
            ledger: Ledger::broadcast(module),
            uniform: true,
        }
    }
}

impl Monitor for Agreement {
    fn name(&self) -> &str {
        if self.uniform {
            "uniform-agreement"
        } else {
            "agreement"
        }
    }
    fn kind(&self) -> PropertyKind {
        PropertyKind::Liveness
    }
    fn cares_module(&self, module: &str) -> bool {
        self.ledger.cares_module(module)
    }
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        self.ledger.record(e);
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        // The first delivery that obliges everyone: by any process if uniform, else by a
        // correct one.
        let missing = self
            .ledger
            .first_disagreement(|p| self.uniform || run.is_correct(p), || run.correct());
        run.liveness(missing.map(|d| {
            let (p, q) = (d.witness, d.missing);
            let who = if run.is_correct(p) {
                "correct"
            } else {
                "faulty"
            };
            Violation::marked(
                d.first,
                format!(
                    "{who} process {p} delivered {:?} from {}, but correct process {q} never did",
                    d.key.msg, d.key.sender
                ),
            )
        }))
    }
}

/// FRB5 fifo-delivery (S\*): if some process broadcasts m1 before m2, no correct process
/// delivers m2 unless it has already delivered m1. Out-of-order deliveries are found online
/// and blamed at the end if the delivering process is correct.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FifoDelivery {
    layer: Layer,
    /// What each sender broadcast, in order.
    sent: BTreeMap<Pid, Vec<Value>>,
    /// Per (receiver, sender): what it delivered from that sender.
    done: BTreeMap<(Pid, Pid), BTreeSet<Value>>,
    /// The first out-of-order delivery at each process.
    candidates: BTreeMap<Pid, Violation>,
}

impl FifoDelivery {
    pub fn new(module: &str) -> Self {
        FifoDelivery {
            layer: Layer::new(module),
            sent: BTreeMap::new(),
            done: BTreeMap::new(),
            candidates: BTreeMap::new(),
        }
    }
}

impl Monitor for FifoDelivery {
    automata::property!("fifo-delivery", SafetyOverCorrect; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if !self.layer.is(&e.module) {
            return None;
        }
        match (&e.kind, &e.event) {
            (Kind::Request, Event::Broadcast { msg }) => {
                self.sent.entry(e.process).or_default().push(msg.clone());
            }
            (Kind::Indication, Event::Deliver { from, msg }) => {
                let sent = self.sent.get(from).map(Vec::as_slice).unwrap_or(&[]);
                let done = self.done.entry((e.process, *from)).or_default();
                if let Some(pos) = sent.iter().position(|m| m == msg) {
                    if let Some(m1) = sent[..pos].iter().find(|m| !done.contains(*m)) {
                        let v = Violation::at(
                            e,
                            format!(
                                "process {} delivered {msg:?} from {from} before {m1:?}, which {from} broadcast earlier",
                                e.process
                            ),
                        );
                        self.candidates.entry(e.process).or_insert(v);
                    }
                }
                done.insert(msg.clone());
            }
            _ => {}
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        self.candidates
            .iter()
            .filter(|(p, _)| run.is_correct(**p))
            .map(|(_, v)| v)
            .min_by_key(|v| v.event)
            .map_or(Verdict::Hold, |v| Verdict::Violation(v.clone()))
    }
}

/// CRB5 causal-delivery (S): for any m1 → m2, no process delivers m2 unless it has already
/// delivered m1.
///
/// The monitor computes the causal order exactly from the trace (CGR §3.9): each process has a
/// causal past, the messages it broadcast or delivered and, transitively, their causal pasts.
/// A broadcast message's causes are its sender's past at broadcast time; a delivery must find
/// every cause delivered already. This works even when the algorithm under test is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CausalDelivery {
    layer: Layer,
    /// Message ids (broadcast order) of each (sender, payload).
    ids: BTreeMap<(Pid, Value), Vec<usize>>,
    /// `causes[i]`: every message that causally precedes message `i`.
    causes: Vec<BTreeSet<usize>>,
    /// Each process's causal past.
    past: BTreeMap<Pid, BTreeSet<usize>>,
    /// The messages each process delivered.
    delivered: BTreeMap<Pid, BTreeSet<usize>>,
}

impl CausalDelivery {
    pub fn new(module: &str) -> Self {
        CausalDelivery {
            layer: Layer::new(module),
            ids: BTreeMap::new(),
            causes: Vec::new(),
            past: BTreeMap::new(),
            delivered: BTreeMap::new(),
        }
    }
}

impl Monitor for CausalDelivery {
    automata::property!("causal-delivery", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if !self.layer.is(&e.module) {
            return None;
        }
        match (&e.kind, &e.event) {
            (Kind::Request, Event::Broadcast { msg }) => {
                let id = self.causes.len();
                let past = self.past.entry(e.process).or_default();
                self.causes.push(past.clone());
                past.insert(id);
                self.ids
                    .entry((e.process, msg.clone()))
                    .or_default()
                    .push(id);
                None
            }
            (Kind::Indication, Event::Deliver { from, msg }) => {
                let delivered = self.delivered.entry(e.process).or_default();
                let ids = self.ids.get(&(*from, msg.clone()))?;
                // The first copy not delivered yet (a duplicate is no-duplication's business).
                let id = ids
                    .iter()
                    .copied()
                    .find(|i| !delivered.contains(i))
                    .unwrap_or(ids[0]);
                let missing = self.causes[id]
                    .iter()
                    .copied()
                    .find(|c| !delivered.contains(c));
                delivered.insert(id);
                let causes = self.causes[id].clone();
                let past = self.past.entry(e.process).or_default();
                past.extend(causes);
                past.insert(id);
                missing.map(|c| {
                    let (cs, cm) = self
                        .ids
                        .iter()
                        .find(|(_, v)| v.contains(&c))
                        .map(|(k, _)| k.clone())
                        .unwrap_or((0, Value::Unit));
                    Violation::at(
                        e,
                        format!(
                            "process {} delivered {msg:?} from {from} before {cm:?} from {cs}, which causally precedes it",
                            e.process
                        ),
                    )
                })
            }
            _ => None,
        }
    }
}
