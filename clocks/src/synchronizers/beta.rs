//! Synchronizer β (Awerbuch 1985; Lynch §16.4), `synchronizer-beta`: over a rooted spanning
//! tree (built once, before the pulses), a node whose own messages are acknowledged and whose
//! children reported their subtrees safe reports SUBTREE-SAFE(r) to its parent; when the root's
//! whole tree is safe it broadcasts GO(r) down the tree, and a node receiving it ends pulse r
//! and starts r + 1.
//!
//! Model: asynchronous reliable network, no failures. Properties: SR1-SR3. Cost per pulse
//! (C.11): 2(n − 1) messages (convergecast and broadcast) plus one ACK per algorithm message;
//! time at most (2h + 2)δ for a tree of height h.

use super::{send_control, Pulses, Wire};
use automata::rounds::{RoundAlgorithm, RoundOutput};
use automata::{Ctx, Module, Pid};
use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SynchronizerBeta<A: RoundAlgorithm> {
    pub pulses: Pulses<A>,
    parent: Option<Pid>,
    children: Vec<Pid>,
    safe: bool,
    /// SUBTREE-SAFE(r) already sent (or GO(r), at the root).
    reported: bool,
    /// `subtree_safe[r]`: children whose subtree is safe for pulse r.
    subtree_safe: BTreeMap<u64, BTreeSet<Pid>>,
    /// `false` only in the B-10.10 mutant ([`super::mutants::early_beta`]).
    pub(crate) wait_for_children: bool,
}

impl<A: RoundAlgorithm> SynchronizerBeta<A> {
    /// A node with its `parent` (`None` at the root) and `children` in the spanning tree.
    pub fn new(alg: A, parent: Option<Pid>, children: Vec<Pid>) -> Self {
        SynchronizerBeta {
            pulses: Pulses::new(alg),
            parent,
            children,
            safe: false,
            reported: false,
            subtree_safe: BTreeMap::new(),
            wait_for_children: true,
        }
    }

    /// Convergecast: report a safe subtree, or at the root start the broadcast.
    fn check(&mut self, ctx: &mut Ctx<Self>) {
        let r = self.pulses.pulse;
        let children_safe = !self.wait_for_children
            || self
                .children
                .iter()
                .all(|c| self.subtree_safe.get(&r).is_some_and(|s| s.contains(c)));
        if self.pulses.done || !self.safe || self.reported || !children_safe {
            return;
        }
        self.reported = true;
        match self.parent {
            Some(p) => send_control(ctx, p, Wire::SubtreeSafe(r)),
            None => self.go(ctx, r),
        }
    }

    /// GO(r): pass it down, end pulse r, start r + 1.
    fn go(&mut self, ctx: &mut Ctx<Self>, r: u64) {
        for &c in &self.children {
            send_control(ctx, c, Wire::Go(r));
        }
        self.subtree_safe.remove(&r);
        self.safe = false;
        self.reported = false;
        self.safe = self.pulses.next(ctx);
        self.check(ctx);
    }
}

impl<A: RoundAlgorithm> Module for SynchronizerBeta<A> {
    const NAME: &'static str = "sr";
    type Req = Infallible;
    type Ind = RoundOutput<A::Output>;
    type Msg = Wire<A::Msg>;
    type Timer = Infallible;

    /// `upon ⟨ Init ⟩`: start pulse 0.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        if self.pulses.alg.rounds() == 0 {
            return;
        }
        self.safe = self.pulses.start(ctx);
        self.check(ctx);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: Infallible) {
        match req {}
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Wire<A::Msg>) {
        match msg {
            Wire::Msg(r, m) => self.pulses.receive(ctx, from, r, m),
            Wire::Ack(r) if self.pulses.ack(r) => {
                self.safe = true;
                self.check(ctx);
            }
            // upon receiving SUBTREE-SAFE(r) from a child
            Wire::SubtreeSafe(r) => {
                self.subtree_safe.entry(r).or_default().insert(from);
                self.check(ctx);
            }
            // upon receiving GO(r) from the parent
            Wire::Go(r) if r == self.pulses.pulse && !self.pulses.done => self.go(ctx, r),
            _ => {}
        }
    }
}
