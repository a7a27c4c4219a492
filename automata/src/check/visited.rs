//! The visited set: a 64-bit fingerprint per state with its parent and the action that led to
//! it (24 bytes and the table's overhead), so that a path, and a counterexample, is rebuilt by
//! replaying those actions from the initial state.

use super::report::Counterexample;
use super::state::Identity;
use super::{Action, Explore};
use crate::module::Module;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// How a visited state was first (or most shallowly) reached.
#[derive(Clone, Copy, Debug)]
pub(super) struct Node {
    /// The parent's fingerprint (the state's own for the initial state).
    pub(super) parent: u64,
    /// The index of the action in the parent's [`Explore::enabled`] list.
    pub(super) action: u32,
    pub(super) depth: u32,
}

pub(super) type Visited = HashMap<u64, Node, BuildHasherDefault<Identity>>;

/// Counters and the visited set of one search.
pub(super) struct Run {
    pub(super) visited: Visited,
    pub(super) unique: usize,
    pub(super) generated: usize,
    pub(super) deepest: usize,
    /// The first depth whose states' choices were not all explored (breadth-first).
    pub(super) choices_cut_at: Option<usize>,
}

impl Run {
    pub(super) fn visit(&mut self, fp: u64, parent: u64, action: u32, depth: usize) {
        self.visited.insert(
            fp,
            Node {
                parent,
                action,
                depth: depth as u32,
            },
        );
        self.unique += 1;
        self.deepest = self.deepest.max(depth);
    }
}

/// The action indices from the initial state to `fp`.
pub(super) fn path_to(visited: &Visited, mut fp: u64) -> Vec<u32> {
    let mut path = Vec::new();
    while let Some(node) = visited.get(&fp) {
        if node.parent == fp {
            break;
        }
        path.push(node.action);
        fp = node.parent;
    }
    path.reverse();
    path
}

impl<R: Module> Explore<R> {
    /// Replays a path of action indices and makes it a counterexample to property `i`.
    pub(super) fn counterexample(&self, path: &[u32], i: usize) -> Counterexample<R> {
        let actions = self.actions_of(path);
        let (trace, end) = self.replay_to(&actions);
        Counterexample {
            property: self.names[i],
            violation: self.violation(&end, i),
            actions,
            trace,
            cycle: None,
        }
    }

    /// The actions a path of indices into [`Explore::enabled`] names.
    pub(super) fn actions_of(&self, path: &[u32]) -> Vec<Action<R>> {
        let mut s = self.initial(None, &mut 0);
        let mut actions = Vec::with_capacity(path.len());
        for &i in path {
            let a = self.enabled(&s).swap_remove(i as usize);
            s = self.apply(&s, &a, None, &mut 0).0;
            actions.push(a);
        }
        actions
    }
}
