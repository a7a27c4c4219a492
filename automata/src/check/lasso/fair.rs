//! Fair cycles in the lasso graph: its strongly connected components, those that contain a
//! fair cycle, and a closed walk through one.
//!
//! **Fairness, as the model defines it.** A timer that is set fires, and the network is
//! fair-lossy: a message that keeps being sent keeps arriving. So a cycle is fair when every
//! (sender, receiver, message) in flight somewhere on the cycle (even if lost before its
//! arrival window opens) is delivered somewhere on it, and every (process, timer) enabled on
//! it fires on it (strong fairness on these classes; losing, duplicating
//! and crashing are the environment's choices and owe nothing). A strongly connected component
//! contains a fair cycle exactly when, after repeatedly removing the states that enable a
//! class the component never takes, a non-trivial component remains (Emerson and Lei).

use super::graph::{Graph, UNFAIR};
use std::collections::{HashMap, VecDeque};

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
pub(super) fn fair_components(graph: &Graph, nodes: Vec<u32>) -> Vec<Vec<u32>> {
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
pub(super) fn cycle_through(graph: &Graph, scc: &[u32], start: u32) -> Vec<u32> {
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
