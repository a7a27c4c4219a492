//! The lasso search's graph: the time-shifted model explored breadth-first, each node a
//! system state with its unmet obligations, each edge labelled with its fairness class.

use crate::check::budget::{drop_later, Budget, Meter, StoppedBy};
use crate::check::state::{fingerprint, Identity, Packet};
use crate::check::{Action, Explore, State};
use crate::module::Module;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// Actions that owe nothing to fairness.
pub(super) const UNFAIR: u32 = u32::MAX;

/// The explored graph: nodes are time-shifted system states with their unmet obligations.
#[derive(Default)]
pub(super) struct Graph {
    /// (parent, index of the action in the parent's enabled list); the root is its own parent.
    pub(super) parent: Vec<(u32, u32)>,
    pub(super) depth: Vec<u32>,
    /// Out-edges of expanded nodes: (target, fairness class, action index).
    pub(super) edges: Vec<Vec<(u32, u32, u32)>>,
    /// The fairness classes enabled at each expanded node, sorted.
    pub(super) enabled: Vec<Vec<u32>>,
    pub(super) expanded: Vec<bool>,
    /// Bit `i`: liveness property `i` is unmet at the node.
    pub(super) unmet: Vec<u64>,
}

impl Graph {
    fn add(&mut self, parent: u32, action: u32, depth: u32, unmet: u64) -> u32 {
        let id = self.parent.len() as u32;
        self.parent.push((parent, action));
        self.depth.push(depth);
        self.edges.push(Vec::new());
        self.enabled.push(Vec::new());
        self.expanded.push(false);
        self.unmet.push(unmet);
        id
    }
}

impl<R: Module> Explore<R> {
    /// A node's identity: the state without its monitors, and its unmet obligations.
    pub(super) fn node_key(s: &State<R>, unmet: u64) -> u64 {
        fingerprint(&(
            &s.world.procs,
            &s.world.up,
            &s.net,
            s.now,
            s.requests,
            s.faults,
            &s.sends_left,
            s.crashes,
            unmet,
        ))
    }

    /// The fairness class of an action: deliveries by (sender, receiver, message), timers by
    /// (process, timer); other actions owe nothing.
    fn class(a: &Action<R>, classes: &mut HashMap<u64, u32>) -> u32 {
        let key = match a {
            Action::Deliver { packet, .. } => return Self::delivery_class(packet, classes),
            Action::Timer { process, timer, .. } => fingerprint(&(1u8, process, timer)),
            _ => return UNFAIR,
        };
        let next = classes.len() as u32;
        *classes.entry(key).or_insert(next)
    }

    fn delivery_class(packet: &Packet<R::Msg>, classes: &mut HashMap<u64, u32>) -> u32 {
        let key = fingerprint(&(0u8, packet.from, packet.to, &packet.msg));
        let next = classes.len() as u32;
        *classes.entry(key).or_insert(next)
    }

    /// Explores the normalized model breadth-first within `budget`.
    pub(super) fn lasso_graph(
        &self,
        budget: Budget,
        meter: &mut Meter,
    ) -> (Graph, Option<StoppedBy>) {
        let mut graph = Graph::default();
        let mut index: HashMap<u64, u32, BuildHasherDefault<Identity>> = HashMap::default();
        let mut classes = HashMap::new();
        let mut init = self.initial(None, &mut 0);
        self.normalize(&mut init);
        let unmet = self.unmet(&init);
        let root = graph.add(0, 0, 0, unmet);
        index.insert(Self::node_key(&init, unmet), root);
        let mut frontier = vec![(init, root)];
        let mut depth = 0;
        while !frontier.is_empty() {
            if depth >= budget.max_depth {
                return (graph, Some(StoppedBy::Depth));
            }
            let mut next = Vec::new();
            let mut level = frontier.into_iter();
            while let Some((s, v)) = level.next() {
                let successors = self.successors(&s);
                // A packet in flight enables its delivery class even before its window
                // opens: a loss at send time must not hide that the message was sent.
                let mut enabled: Vec<u32> = s
                    .net
                    .iter()
                    .map(|p| Self::delivery_class(p, &mut classes))
                    .collect();
                for (ai, (a, child)) in successors.into_iter().enumerate() {
                    let class = Self::class(&a, &mut classes);
                    if class != UNFAIR {
                        enabled.push(class);
                    }
                    let unmet = self.unmet(&child);
                    let key = Self::node_key(&child, unmet);
                    let w = match index.get(&key) {
                        Some(&w) => w,
                        None => {
                            let w = graph.add(v, ai as u32, depth as u32 + 1, unmet);
                            index.insert(key, w);
                            if let Some(why) = meter.exceeded(graph.parent.len(), depth + 1) {
                                drop_later((next, level));
                                return (graph, Some(why));
                            }
                            next.push((child, w));
                            w
                        }
                    };
                    graph.edges[v as usize].push((w, class, ai as u32));
                }
                enabled.sort_unstable();
                enabled.dedup();
                graph.enabled[v as usize] = enabled;
                graph.expanded[v as usize] = true;
            }
            frontier = next;
            depth += 1;
        }
        (graph, None)
    }
}
