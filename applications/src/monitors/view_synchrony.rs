//! The properties view-synchronous communication (CGR Section 6.8) adds to reliable
//! broadcast's and group membership's: VS1 view inclusion and same-view delivery, over the
//! `Broadcast | m` requests and the `Deliver | s, m`, `View | (id, M)` and `Block`
//! indications of a layer (`vs`). Every process starts in view 0. A broadcast requested
//! between a process's `Block` and its next view belongs to that next view (the application
//! answered `BlockOk`; the module sends it once the view is installed).

use super::membership::installed;
use crate::consensus_view_synchrony::BLOCK;
use automata::{Event, Kind, Layer, Monitor, Pid, TraceEvent, Value, Violation};
use std::collections::{BTreeMap, BTreeSet};

/// What one event of the layer says.
enum Step<'e> {
    Broadcast(&'e Value),
    Deliver(Pid, &'e Value),
    View(u64),
    Block,
}

fn step<'e>(layer: &Layer, e: &'e TraceEvent) -> Option<Step<'e>> {
    if let Some(v) = installed(layer, e) {
        return Some(Step::View(v.id));
    }
    match (e.kind, layer.event(e)?) {
        (Kind::Request, Event::Broadcast { msg }) => Some(Step::Broadcast(msg)),
        (Kind::Indication, Event::Deliver { from, msg }) => Some(Step::Deliver(*from, msg)),
        (Kind::Indication, Event::Other { name, .. }) if name == BLOCK => Some(Step::Block),
        _ => None,
    }
}

/// Each process's current view id and whether it is blocked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Views(BTreeMap<Pid, (u64, bool)>);

impl Views {
    fn of(&self, p: Pid) -> (u64, bool) {
        self.0.get(&p).copied().unwrap_or((0, false))
    }
}

/// VS1 `view-inclusion` (S): a message delivered in view V was broadcast in view V (by the
/// sender the delivery names).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ViewInclusion {
    layer: Layer,
    views: Views,
    /// The views each (sender, message) was broadcast in.
    sent: BTreeMap<(Pid, Value), BTreeSet<u64>>,
    /// Broadcasts requested while blocked, per sender: they belong to its next view.
    deferred: BTreeMap<Pid, Vec<Value>>,
}

impl ViewInclusion {
    pub fn new(module: &str) -> Self {
        ViewInclusion {
            layer: Layer::new(module),
            views: Views::default(),
            sent: BTreeMap::new(),
            deferred: BTreeMap::new(),
        }
    }
}

impl Monitor for ViewInclusion {
    automata::property!("view-inclusion", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = e.process;
        match step(&self.layer, e)? {
            Step::View(id) => {
                self.views.0.insert(p, (id, false));
                for m in self.deferred.remove(&p).unwrap_or_default() {
                    self.sent.entry((p, m)).or_default().insert(id);
                }
            }
            Step::Block => {
                self.views.0.entry(p).or_insert((0, false)).1 = true;
            }
            Step::Broadcast(m) => match self.views.of(p) {
                (_, true) => self.deferred.entry(p).or_default().push(m.clone()),
                (id, false) => {
                    self.sent.entry((p, m.clone())).or_default().insert(id);
                }
            },
            Step::Deliver(s, m) => {
                let (id, _) = self.views.of(p);
                let views = self.sent.get(&(s, m.clone()));
                if !views.is_some_and(|v| v.contains(&id)) {
                    return Some(Violation::at(
                        e,
                        format!(
                            "process {p} delivered {m:?} from {s} in view {id}, but {s} broadcast it in views {:?}",
                            views.cloned().unwrap_or_default()
                        ),
                    ));
                }
            }
        }
        None
    }
}

/// The messages a process delivered in a view: (sender, message).
type Delivered = BTreeSet<(Pid, Value)>;

/// `same-view-delivery` (S): if processes p and q both install view V and then both install
/// the same next view V', they delivered the same set of messages in V.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SameViewDelivery {
    layer: Layer,
    /// Each process's current view id and what it delivered in it.
    current: BTreeMap<Pid, (u64, Delivered)>,
    /// For each (V, V') some process went through: the first such process and what it
    /// delivered in V.
    closed: BTreeMap<(u64, u64), (Pid, Delivered)>,
}

impl SameViewDelivery {
    pub fn new(module: &str) -> Self {
        SameViewDelivery {
            layer: Layer::new(module),
            current: BTreeMap::new(),
            closed: BTreeMap::new(),
        }
    }
}

impl Monitor for SameViewDelivery {
    automata::property!("same-view-delivery", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = e.process;
        match step(&self.layer, e)? {
            Step::Deliver(s, m) => {
                self.current.entry(p).or_default().1.insert((s, m.clone()));
            }
            Step::View(next) => {
                let entry = self.current.entry(p).or_default();
                if entry.0 == next {
                    return None;
                }
                let (id, got) = std::mem::replace(entry, (next, BTreeSet::new()));
                let (q, theirs) = self.closed.entry((id, next)).or_insert((p, got.clone()));
                if *theirs != got {
                    let differ: Vec<_> = theirs.symmetric_difference(&got).collect();
                    return Some(Violation::at(
                        e,
                        format!(
                            "processes {q} and {p} both moved from view {id} to view {next}, but delivered different messages in view {id}: {differ:?} at one only"
                        ),
                    ));
                }
            }
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consensus_group_membership::{View, VIEW};
    use automata::ToValue;

    /// One step at process p: broadcast m (`B`), deliver m from s (`D`), install view id
    /// (`V`, members irrelevant here), block (`K`).
    type S = (Pid, char, Pid, &'static str, u64);

    fn run(steps: &[S]) -> Vec<TraceEvent> {
        let step = |(i, &(p, step, s, m, id)): (usize, &S)| {
            let (kind, msg) = (Kind::Indication, Value::str(m));
            let event = match step {
                'B' => {
                    return TraceEvent::scripted(
                        i,
                        p,
                        "vs",
                        Kind::Request,
                        Event::Broadcast { msg },
                    )
                }
                'D' => Event::Deliver { from: s, msg },
                'V' => {
                    let value = View {
                        id,
                        members: [0, 1, 2].into(),
                    }
                    .to_value();
                    return TraceEvent::named(i, p, "vs", kind, VIEW, value);
                }
                _ => return TraceEvent::named(i, p, "vs", kind, BLOCK, Value::Unit),
            };
            TraceEvent::scripted(i, p, "vs", kind, event)
        };
        steps.iter().enumerate().map(step).collect()
    }

    fn first(mut m: impl Monitor, steps: &[S]) -> Option<u64> {
        automata::monitor::first_violation(&mut m, &run(steps))
    }

    /// A message delivered in its view holds; delivered after the receiver moved on, it
    /// breaks view inclusion; one requested while blocked belongs to the next view.
    #[test]
    fn view_inclusion_catches_a_delivery_in_another_view() {
        let vi = || ViewInclusion::new("vs");
        let good = [
            (0, 'B', 0, "a", 0),
            (1, 'D', 0, "a", 0),
            (0, 'D', 0, "a", 0),
        ];
        assert_eq!(first(vi(), &good), None);
        let late = [(0, 'B', 0, "a", 0), (1, 'V', 0, "", 1), (1, 'D', 0, "a", 0)];
        assert_eq!(first(vi(), &late), Some(2));
        let deferred = [
            (0, 'K', 0, "", 0),
            (0, 'B', 0, "a", 0),
            (0, 'V', 0, "", 1),
            (1, 'V', 0, "", 1),
            (1, 'D', 0, "a", 0),
        ];
        assert_eq!(first(vi(), &deferred), None);
        let too_early = [(0, 'K', 0, "", 0), (0, 'B', 0, "a", 0), (1, 'D', 0, "a", 0)];
        assert_eq!(first(vi(), &too_early), Some(2));
    }

    /// Two processes moving from view 0 to view 1 with the same deliveries hold; with a
    /// message at one only they break same-view delivery; a process that moves to another
    /// view is not compared.
    #[test]
    fn same_view_delivery_catches_different_sets() {
        let svd = || SameViewDelivery::new("vs");
        let good = [
            (0, 'D', 0, "a", 0),
            (1, 'D', 0, "a", 0),
            (0, 'V', 0, "", 1),
            (1, 'V', 0, "", 1),
        ];
        assert_eq!(first(svd(), &good), None);
        let split = [(0, 'D', 0, "a", 0), (0, 'V', 0, "", 1), (1, 'V', 0, "", 1)];
        assert_eq!(first(svd(), &split), Some(2));
        let apart = [(0, 'D', 0, "a", 0), (0, 'V', 0, "", 1), (1, 'V', 0, "", 2)];
        assert_eq!(first(svd(), &apart), None);
    }
}
