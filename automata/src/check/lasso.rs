//! Liveness over infinite executions: the fair-cycle (lasso) search.
//!
//! A liveness property ("every message sent to a correct process is eventually delivered")
//! fails on an infinite execution, which a finite search sees as a *lasso*: a path to a state
//! and a cycle back to it that the system can repeat forever, fair to the environment, with
//! the property's obligation unmet all along. stateright's `eventually` properties are judged
//! only where a path ends, so algorithms that never stop (retransmission, heartbeats) were
//! never judged; this search judges them.
//!
//! **States that repeat.** Time only grows, so no state repeats as it stands. Once the
//! workload and the fault plan are over and the model is stable (after max(GST, last fault,
//! last request)), the future depends on time only through differences, so a state is shifted
//! back to that moment: timers and packet windows keep their distance from now. This is sound
//! for algorithms that do not read their clock; if any step did, the search says so and gives
//! no verdict. The monitors are not part of a node: a node is the system's state plus which
//! liveness obligations are unmet there.
//!
//! **Fairness, as the model defines it.** A timer that is set fires, and the network is
//! fair-lossy: a message that keeps being sent keeps arriving. So a cycle is fair when every
//! (sender, receiver, message) in flight somewhere on the cycle (even if lost before its
//! arrival window opens) is delivered somewhere on it, and every (process, timer) enabled on
//! it fires on it (strong fairness on these classes; losing, duplicating
//! and crashing are the environment's choices and owe nothing). A strongly connected component
//! contains a fair cycle exactly when, after repeatedly removing the states that enable a
//! class the component never takes, a non-trivial component remains (Emerson and Lei).
//!
//! **What it cannot judge.** A state that grows forever (a timeout raised on every
//! heartbeat, a counter) never repeats, so there is no cycle to find: the search then stops at
//! its depth or state budget and says so, and the property stays unjudged.
//!
//! **Confirmation.** A candidate lasso is replayed with the real monitors twice around the
//! cycle; it is a counterexample only if the obligation is unmet at every state of the second
//! round. The trace shown is the replay on the real timeline, the cycle marked.

use super::budget::{Budget, Meter, StoppedBy};
use super::search::{drop_later, fingerprint, Counterexample, Cycle, Identity};
use super::state::with_choices;
use super::state::Packet;
use super::{Action, Explore, State};
use crate::module::Module;
use crate::monitor::{PropertyKind, RunSummary, Verdict, Violation};
use crate::Time;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasherDefault;

/// What the lasso search covered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LassoCoverage {
    /// Nodes of the time-shifted state graph explored.
    pub nodes: usize,
    /// Every reachable node was explored.
    pub complete: bool,
    pub stopped_by: Option<StoppedBy>,
    /// Fair cycles with an unmet obligation that were examined.
    pub fair_cycles: usize,
    /// Why the search gave no verdict, when it did not run.
    pub skipped: Option<String>,
}

/// Actions that owe nothing to fairness.
const UNFAIR: u32 = u32::MAX;

/// The explored graph: nodes are time-shifted system states with their unmet obligations.
#[derive(Default)]
struct Graph {
    /// (parent, index of the action in the parent's enabled list); the root is its own parent.
    parent: Vec<(u32, u32)>,
    depth: Vec<u32>,
    /// Out-edges of expanded nodes: (target, fairness class, action index).
    edges: Vec<Vec<(u32, u32, u32)>>,
    /// The fairness classes enabled at each expanded node, sorted.
    enabled: Vec<Vec<u32>>,
    expanded: Vec<bool>,
    /// Bit `i`: liveness property `i` is unmet at the node.
    unmet: Vec<u64>,
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
    /// Whether `s` is past everything scheduled: every request issued, every scripted fault
    /// applied, and the model stable (GST, partitions, fault windows over).
    fn quiet(&self, s: &State<R>) -> bool {
        s.requests == self.requests.len()
            && s.faults == self.faults.len()
            && s.now >= self.setup.quiet_from()
    }

    /// The lasso search's model: a quiet state is shifted back to the quiet moment, and a
    /// packet that may already arrive has its window start at now (both change nothing an
    /// algorithm that does not read its clock could tell).
    pub(super) fn normalize(&self, s: &mut State<R>) {
        let now = s.now;
        let shift = if self.quiet(s) {
            now - self.setup.quiet_from()
        } else {
            0
        };
        for m in s.net.iter_mut() {
            if m.earliest < now || shift > 0 {
                let m = m.make_mut();
                m.earliest = m.earliest.max(now) - shift;
                m.latest = m.latest.map(|l| l - shift);
            }
        }
        s.net.sort();
        if shift > 0 {
            s.now -= shift;
            for proc in s.world.procs.iter_mut() {
                if !proc.timers.is_empty() {
                    for (at, _) in proc.make_mut().timers.iter_mut() {
                        *at -= shift;
                    }
                }
            }
        }
    }

    /// `a`, enabled in a state at time `now` shifted back by `shift`, as the normalized model
    /// names it.
    fn normalize_action(&self, a: &Action<R>, now: Time, shift: Time) -> Action<R> {
        let mut a = a.clone();
        match &mut a {
            Action::Deliver { packet, .. }
            | Action::Drop { packet }
            | Action::Duplicate { packet } => {
                let m = packet.make_mut();
                m.earliest = m.earliest.max(now) - shift;
                m.latest = m.latest.map(|l| l - shift);
            }
            Action::Timer { at, .. } => *at -= shift,
            Action::Wait { to } => *to -= shift,
            _ => {}
        }
        a
    }

    /// The run summary of an infinite execution that stays in `s`'s configuration.
    fn forever(&self, s: &State<R>) -> RunSummary {
        let mut run = self.summary(s);
        run.complete = true;
        run
    }

    /// Which liveness properties are unmet in `s` (bit `i` for property `i`).
    fn unmet(&self, s: &State<R>) -> u64 {
        let run = self.forever(s);
        let mut mask = 0;
        for (i, w) in s.world.monitors.watches.iter().enumerate() {
            if w.monitor.kind() == PropertyKind::Liveness
                && matches!(w.monitor.finish(&run), Verdict::Violation(_))
            {
                mask |= 1 << i;
            }
        }
        mask
    }

    /// A node's identity: the state without its monitors, and its unmet obligations.
    fn node_key(s: &State<R>, unmet: u64) -> u64 {
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

    /// The lasso search within `budget`: the first liveness property a confirmed fair cycle
    /// violates, and what the search covered. `judged` counts, per property, the fair cycles
    /// examined for it.
    pub(super) fn lasso_search(
        &self,
        budget: Budget,
        meter: &mut Meter,
        judged: &mut [usize],
    ) -> (Option<Counterexample<R>>, LassoCoverage) {
        let mut coverage = LassoCoverage {
            nodes: 0,
            complete: false,
            stopped_by: None,
            fair_cycles: 0,
            skipped: None,
        };
        let live: Vec<usize> = (0..self.names.len())
            .filter(|&i| self.monitors.watches[i].monitor.kind() == PropertyKind::Liveness)
            .collect();
        if live.is_empty() {
            coverage.skipped = Some("no liveness property to judge".to_string());
            return (None, coverage);
        }
        if self.horizon.is_some() {
            coverage.skipped = Some("a horizon ends every run, so no run is infinite".to_string());
            return (None, coverage);
        }
        let mut model = self.clone();
        model.normalized = true;
        model.lasso = false;
        let (graph, stopped) = model.lasso_graph(budget, meter);
        coverage.nodes = graph.parent.len();
        coverage.complete = stopped.is_none();
        coverage.stopped_by = stopped;
        if self.clock_read.load(std::sync::atomic::Ordering::Relaxed) {
            coverage.skipped = Some(
                "an algorithm reads its clock, so states at different times cannot be merged"
                    .to_string(),
            );
            return (None, coverage);
        }
        for i in live {
            let nodes: Vec<u32> = (0..graph.parent.len() as u32)
                .filter(|&v| graph.expanded[v as usize] && graph.unmet[v as usize] & (1 << i) != 0)
                .collect();
            let mut candidates = fair_components(&graph, nodes);
            candidates.sort_by_key(|scc| scc.iter().map(|&v| graph.depth[v as usize]).min());
            for scc in candidates {
                coverage.fair_cycles += 1;
                judged[i] += 1;
                if let Some(ce) = model.confirm(self, &graph, &scc, i) {
                    return (Some(ce), coverage);
                }
            }
        }
        (None, coverage)
    }

    /// Explores the normalized model breadth-first within `budget`.
    fn lasso_graph(&self, budget: Budget, meter: &mut Meter) -> (Graph, Option<StoppedBy>) {
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
                let actions = self.enabled(&s);
                // A packet in flight enables its delivery class even before its window
                // opens: a loss at send time must not hide that the message was sent.
                let mut enabled: Vec<u32> = s
                    .net
                    .iter()
                    .map(|p| Self::delivery_class(p, &mut classes))
                    .collect();
                for (ai, a) in actions.iter().enumerate() {
                    let class = Self::class(a, &mut classes);
                    if class != UNFAIR {
                        enabled.push(class);
                    }
                    let child = self.apply(&s, a, None, &mut 0).0;
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

    /// Builds the lasso through fair component `scc` and replays it with the monitors: a
    /// counterexample to property `i` if the obligation stays unmet around the cycle.
    fn confirm(
        &self,
        real: &Explore<R>,
        graph: &Graph,
        scc: &[u32],
        i: usize,
    ) -> Option<Counterexample<R>> {
        let start = *scc.iter().min_by_key(|&&v| graph.depth[v as usize])?;
        let mut prefix = Vec::new();
        let mut v = start;
        while graph.parent[v as usize].0 != v && v != 0 {
            let (p, a) = graph.parent[v as usize];
            prefix.push(a);
            v = p;
        }
        prefix.reverse();
        let cycle = cycle_through(graph, scc, start);
        // Around the cycle twice in the normalized model, the obligation unmet throughout.
        let mut s = self.initial(None, &mut 0);
        self.normalize(&mut s);
        let mut normalized = Vec::new();
        for &a in &prefix {
            let act = self.enabled(&s).get(a as usize)?.clone();
            s = self.apply(&s, &act, None, &mut 0).0;
            normalized.push(act);
        }
        let closes = Self::node_key(&s, 0);
        for round in 0..2 {
            for &a in &cycle {
                let act = self.enabled(&s).get(a as usize)?.clone();
                s = self.apply(&s, &act, None, &mut 0).0;
                if round == 0 {
                    normalized.push(act);
                }
                if self.unmet(&s) & (1 << i) == 0 {
                    return None;
                }
            }
            if Self::node_key(&s, 0) != closes {
                return None;
            }
        }
        // The same path on the real timeline, for the reader.
        let mut r = real.initial(None, &mut 0);
        let mut actions = Vec::new();
        for want in &normalized {
            let shift = if self.quiet(&r) {
                r.now - self.setup.quiet_from()
            } else {
                0
            };
            let bare = with_choices(want, Vec::new());
            let act = real.enabled(&r).into_iter().find(|a| {
                with_choices(&self.normalize_action(a, r.now, shift), Vec::new()) == bare
            })?;
            let act = match want {
                Action::Deliver { choices, .. }
                | Action::Timer { choices, .. }
                | Action::Request { choices, .. }
                | Action::Fault { choices, .. } => with_choices(&act, choices.clone()),
                _ => act,
            };
            r = real.apply(&r, &act, None, &mut 0).0;
            actions.push(act);
        }
        let (trace_prefix, _) = real.replay_to(&actions[..prefix.len()]);
        let (trace, end) = real.replay_to(&actions);
        let violation = match end.world.monitors.watches[i]
            .monitor
            .finish(&real.forever(&end))
        {
            Verdict::Violation(v) => Some(v),
            _ => Some(Violation {
                event: trace.last().map_or(0, |e| e.index),
                time: end.now,
                explanation: "the obligation is never met on this cycle".to_string(),
            }),
        };
        Some(Counterexample {
            property: self.names[i],
            cycle: Some(Cycle {
                action: prefix.len(),
                event: trace_prefix.len() as u64,
            }),
            actions,
            trace,
            violation,
        })
    }
}

/// Per-node scratch arrays for repeated SCC passes over subsets of the graph; every pass
/// resets what it touched, so a pass costs the size of its subset, not of the graph.
struct Scratch {
    member: Vec<bool>,
    index: Vec<u32>,
    low: Vec<u32>,
    on_stack: Vec<bool>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Scratch {
            member: vec![false; n],
            index: vec![u32::MAX; n],
            low: vec![0; n],
            on_stack: vec![false; n],
        }
    }

    /// The strongly connected components of the subgraph induced by `nodes` (Tarjan,
    /// iterative).
    fn components(&mut self, graph: &Graph, nodes: &[u32]) -> Vec<Vec<u32>> {
        for &v in nodes {
            self.member[v as usize] = true;
        }
        let mut stack = Vec::new();
        let mut out = Vec::new();
        let mut next = 0u32;
        for &root in nodes {
            let root = root as usize;
            if self.index[root] != u32::MAX {
                continue;
            }
            let mut call: Vec<(usize, usize)> = vec![(root, 0)];
            self.index[root] = next;
            self.low[root] = next;
            next += 1;
            stack.push(root);
            self.on_stack[root] = true;
            while let Some(&(v, pos)) = call.last() {
                if pos < graph.edges[v].len() {
                    call.last_mut().expect("a frame").1 += 1;
                    let w = graph.edges[v][pos].0 as usize;
                    if !self.member[w] {
                        continue;
                    }
                    if self.index[w] == u32::MAX {
                        self.index[w] = next;
                        self.low[w] = next;
                        next += 1;
                        stack.push(w);
                        self.on_stack[w] = true;
                        call.push((w, 0));
                    } else if self.on_stack[w] {
                        self.low[v] = self.low[v].min(self.index[w]);
                    }
                } else {
                    call.pop();
                    if let Some(&(u, _)) = call.last() {
                        self.low[u] = self.low[u].min(self.low[v]);
                    }
                    if self.low[v] == self.index[v] {
                        let mut comp = Vec::new();
                        while let Some(w) = stack.pop() {
                            self.on_stack[w] = false;
                            comp.push(w as u32);
                            if w == v {
                                break;
                            }
                        }
                        out.push(comp);
                    }
                }
            }
        }
        for &v in nodes {
            self.member[v as usize] = false;
            self.index[v as usize] = u32::MAX;
        }
        out
    }
}

/// Components among `nodes` that contain a fair cycle (see the module docs), each as the set
/// of nodes a fair cycle may roam.
fn fair_components(graph: &Graph, nodes: Vec<u32>) -> Vec<Vec<u32>> {
    let mut scratch = Scratch::new(graph.parent.len());
    let mut inside = vec![false; graph.parent.len()];
    let mut found = Vec::new();
    let mut work = vec![nodes];
    while let Some(nodes) = work.pop() {
        for comp in scratch.components(graph, &nodes) {
            if comp.len() == 1 {
                let v = comp[0];
                if !graph.edges[v as usize].iter().any(|e| e.0 == v) {
                    continue;
                }
            }
            for &v in &comp {
                inside[v as usize] = true;
            }
            let mut enabled: Vec<u32> = comp
                .iter()
                .flat_map(|&v| graph.enabled[v as usize].iter().copied())
                .collect();
            enabled.sort_unstable();
            enabled.dedup();
            let mut taken: Vec<u32> = comp
                .iter()
                .flat_map(|&v| graph.edges[v as usize].iter())
                .filter(|e| inside[e.0 as usize] && e.1 != UNFAIR)
                .map(|e| e.1)
                .collect();
            taken.sort_unstable();
            taken.dedup();
            for &v in &comp {
                inside[v as usize] = false;
            }
            let owed: Vec<u32> = enabled
                .into_iter()
                .filter(|c| taken.binary_search(c).is_err())
                .collect();
            if owed.is_empty() {
                found.push(comp);
                continue;
            }
            let rest: Vec<u32> = comp
                .into_iter()
                .filter(|&v| {
                    !graph.enabled[v as usize]
                        .iter()
                        .any(|c| owed.binary_search(c).is_ok())
                })
                .collect();
            if !rest.is_empty() {
                work.push(rest);
            }
        }
    }
    found
}

/// A closed walk from `start` inside `scc` that takes, for every fairness class enabled in
/// the component, one edge of that class: the action indices along it.
fn cycle_through(graph: &Graph, scc: &[u32], start: u32) -> Vec<u32> {
    let mut inside = vec![false; graph.parent.len()];
    for &v in scc {
        inside[v as usize] = true;
    }
    let mut owed: Vec<u32> = scc
        .iter()
        .flat_map(|&v| graph.enabled[v as usize].iter().copied())
        .collect();
    owed.sort_unstable();
    owed.dedup();
    let mut walk = Vec::new();
    let mut at = start;
    for class in owed {
        let Some((from, to, action)) = scc.iter().find_map(|&v| {
            graph.edges[v as usize]
                .iter()
                .find(|e| e.1 == class && inside[e.0 as usize])
                .map(|e| (v, e.0, e.2))
        }) else {
            continue;
        };
        walk.extend(path(graph, &inside, at, from));
        walk.push(action);
        at = to;
    }
    if walk.is_empty() {
        // No class owed: any edge out of `start` and back.
        if let Some(e) = graph.edges[start as usize]
            .iter()
            .find(|e| inside[e.0 as usize])
        {
            walk.push(e.2);
            at = e.0;
        }
    }
    walk.extend(path(graph, &inside, at, start));
    walk
}

/// The action indices of a shortest path from `from` to `to` inside `inside`.
fn path(graph: &Graph, inside: &[bool], from: u32, to: u32) -> Vec<u32> {
    if from == to {
        return Vec::new();
    }
    let mut back: HashMap<u32, (u32, u32)> = HashMap::new();
    let mut queue = VecDeque::from([from]);
    back.insert(from, (from, 0));
    while let Some(v) = queue.pop_front() {
        for &(w, _, a) in &graph.edges[v as usize] {
            if inside[w as usize] && !back.contains_key(&w) {
                back.insert(w, (v, a));
                if w == to {
                    let mut steps = Vec::new();
                    let mut x = to;
                    while x != from {
                        let (p, a) = back[&x];
                        steps.push(a);
                        x = p;
                    }
                    steps.reverse();
                    return steps;
                }
                queue.push_back(w);
            }
        }
    }
    Vec::new()
}
