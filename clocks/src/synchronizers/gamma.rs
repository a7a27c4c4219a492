//! Synchronizer γ (Awerbuch 1985; Lynch §16.5), `synchronizer-gamma`: the graph is split into
//! clusters, each with a spanning tree from its leader, and neighbouring clusters are joined by
//! one preferred edge. Inside a cluster β runs twice per pulse, between clusters α runs over
//! the preferred edges:
//!
//! 1. a safe node whose children reported SUBTREE-SAFE(r) reports to its parent; the leader,
//!    once its cluster is safe, broadcasts CLUSTER-SAFE(r) down the tree;
//! 2. a node that learns its cluster is safe sends SAFE(r) over its preferred edges;
//! 3. a node that knows its cluster is safe, heard SAFE(r) over all its preferred edges and
//!    whose children reported READY(r) reports READY(r) to its parent; the leader, once its
//!    whole cluster is ready (every neighbouring cluster is safe), broadcasts GO(r): pulse r
//!    ends, r + 1 starts.
//!
//! The clustering ([`super::graph::Graph::clusters`]) takes a radius k: k = 0 makes every node
//! a cluster (γ costs what α costs), a radius beyond the diameter makes one cluster (β with an
//! extra round trip). Model: asynchronous reliable network, no failures. Properties: SR1-SR3.
//! Cost per pulse (C.11): 4(n − c) tree messages and 2·|preferred edges| SAFE messages, plus
//! one ACK per algorithm message; time at most (4h + 3)δ for cluster trees of height ≤ h.

use super::{send_control, Pulses, Wire};
use automata::rounds::{RoundAlgorithm, RoundOutput};
use automata::{Ctx, Module, Pid};
use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SynchronizerGamma<A: RoundAlgorithm> {
    pub pulses: Pulses<A>,
    /// Parent in the cluster tree (`None` at the leader).
    parent: Option<Pid>,
    children: Vec<Pid>,
    /// Neighbours in other clusters over a preferred edge.
    preferred: Vec<Pid>,
    safe: bool,
    reported_safe: bool,
    cluster_safe: bool,
    reported_ready: bool,
    subtree_safe: BTreeMap<u64, BTreeSet<Pid>>,
    ready: BTreeMap<u64, BTreeSet<Pid>>,
    /// `neighbour_safe[r]`: preferred neighbours whose cluster is safe for r.
    neighbour_safe: BTreeMap<u64, BTreeSet<Pid>>,
    /// `false` only in the B-10.10 mutant ([`super::mutants::early_gamma`]).
    pub(crate) wait_for_children: bool,
}

fn all_in(xs: &[Pid], set: Option<&BTreeSet<Pid>>) -> bool {
    xs.iter().all(|x| set.is_some_and(|s| s.contains(x)))
}

impl<A: RoundAlgorithm> SynchronizerGamma<A> {
    pub fn new(alg: A, parent: Option<Pid>, children: Vec<Pid>, preferred: Vec<Pid>) -> Self {
        SynchronizerGamma {
            pulses: Pulses::new(alg),
            parent,
            children,
            preferred,
            safe: false,
            reported_safe: false,
            cluster_safe: false,
            reported_ready: false,
            subtree_safe: BTreeMap::new(),
            ready: BTreeMap::new(),
            neighbour_safe: BTreeMap::new(),
            wait_for_children: true,
        }
    }

    /// Step 1: convergecast of safety inside the cluster.
    fn check_safe(&mut self, ctx: &mut Ctx<Self>) {
        let r = self.pulses.pulse;
        if self.pulses.done
            || !self.safe
            || self.reported_safe
            || (self.wait_for_children && !all_in(&self.children, self.subtree_safe.get(&r)))
        {
            return;
        }
        self.reported_safe = true;
        match self.parent {
            Some(p) => send_control(ctx, p, Wire::SubtreeSafe(r)),
            None => self.on_cluster_safe(ctx, r),
        }
    }

    /// Step 2: the cluster is safe: tell the subtree and the neighbouring clusters.
    fn on_cluster_safe(&mut self, ctx: &mut Ctx<Self>, r: u64) {
        self.cluster_safe = true;
        for &c in &self.children {
            send_control(ctx, c, Wire::ClusterSafe(r));
        }
        for &q in &self.preferred {
            send_control(ctx, q, Wire::Safe(r));
        }
        self.check_ready(ctx);
    }

    /// Step 3: convergecast of "every neighbouring cluster is safe".
    fn check_ready(&mut self, ctx: &mut Ctx<Self>) {
        let r = self.pulses.pulse;
        if self.pulses.done
            || !self.cluster_safe
            || self.reported_ready
            || !all_in(&self.preferred, self.neighbour_safe.get(&r))
            || !all_in(&self.children, self.ready.get(&r))
        {
            return;
        }
        self.reported_ready = true;
        match self.parent {
            Some(p) => send_control(ctx, p, Wire::Ready(r)),
            None => self.go(ctx, r),
        }
    }

    /// GO(r): pass it down, end pulse r, start r + 1.
    fn go(&mut self, ctx: &mut Ctx<Self>, r: u64) {
        for &c in &self.children {
            send_control(ctx, c, Wire::Go(r));
        }
        self.subtree_safe.remove(&r);
        self.ready.remove(&r);
        self.neighbour_safe.remove(&r);
        self.reported_safe = false;
        self.cluster_safe = false;
        self.reported_ready = false;
        self.safe = self.pulses.next(ctx);
        self.check_safe(ctx);
    }
}

impl<A: RoundAlgorithm> Module for SynchronizerGamma<A> {
    const NAME: &'static str = "sr";
    type Req = Infallible;
    type Ind = RoundOutput<A::Output>;
    type Msg = Wire<A::Msg>;
    type Timer = Infallible;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        if self.pulses.alg.rounds() == 0 {
            return;
        }
        self.safe = self.pulses.start(ctx);
        self.check_safe(ctx);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: Infallible) {
        match req {}
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Wire<A::Msg>) {
        let now = self.pulses.pulse;
        match msg {
            Wire::Msg(r, m) => self.pulses.receive(ctx, from, r, m),
            Wire::Ack(r) if self.pulses.ack(r) => {
                self.safe = true;
                self.check_safe(ctx);
            }
            Wire::SubtreeSafe(r) => {
                self.subtree_safe.entry(r).or_default().insert(from);
                self.check_safe(ctx);
            }
            Wire::ClusterSafe(r) if r == now && !self.pulses.done => self.on_cluster_safe(ctx, r),
            Wire::Safe(r) => {
                self.neighbour_safe.entry(r).or_default().insert(from);
                self.check_ready(ctx);
            }
            Wire::Ready(r) => {
                self.ready.entry(r).or_default().insert(from);
                self.check_ready(ctx);
            }
            Wire::Go(r) if r == now && !self.pulses.done => self.go(ctx, r),
            _ => {}
        }
    }
}
