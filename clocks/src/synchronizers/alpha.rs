//! Synchronizer α (Awerbuch 1985; Lynch §16.3), `synchronizer-alpha`: a node that is safe for
//! pulse `r` (all its pulse-`r` messages acknowledged) sends SAFE(r) to every neighbour; it
//! ends pulse `r` and starts `r + 1` once it is safe and every neighbour has sent SAFE(r).
//!
//! Model: asynchronous reliable network, no failures (one crash blocks its neighbours: B-10.7).
//! Properties: SR1-SR3 for the round algorithm it runs. Cost per pulse (C.11): 2|E| SAFE
//! messages plus one ACK per algorithm message; time at most 3δ (message, ack, SAFE).

use super::{send_control, Pulses, Wire};
use automata::rounds::{RoundAlgorithm, RoundOutput};
use automata::{Ctx, Module, Pid};
use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SynchronizerAlpha<A: RoundAlgorithm> {
    pub pulses: Pulses<A>,
    neighbours: Vec<Pid>,
    /// Safe for the current pulse.
    safe: bool,
    /// `safe_from[r]`: neighbours that sent SAFE(r).
    safe_from: BTreeMap<u64, BTreeSet<Pid>>,
    /// `false` only in the early-pulse mutant ([`super::mutants::early_alpha`]).
    pub(crate) wait_for_neighbours: bool,
}

impl<A: RoundAlgorithm> SynchronizerAlpha<A> {
    pub fn new(alg: A, neighbours: Vec<Pid>) -> Self {
        SynchronizerAlpha {
            pulses: Pulses::new(alg),
            neighbours,
            safe: false,
            safe_from: BTreeMap::new(),
            wait_for_neighbours: true,
        }
    }

    // ANCHOR: pulse
    /// The node became safe for the current pulse: SAFE(r) to every neighbour.
    fn become_safe(&mut self, ctx: &mut Ctx<Self>) {
        self.safe = true;
        let r = self.pulses.pulse;
        for &q in &self.neighbours {
            send_control(ctx, q, Wire::Safe(r));
        }
    }

    /// While safe and every neighbour is safe: end the pulse, start the next.
    fn try_advance(&mut self, ctx: &mut Ctx<Self>) {
        loop {
            let r = self.pulses.pulse;
            let all_safe = self
                .neighbours
                .iter()
                .all(|q| self.safe_from.get(&r).is_some_and(|s| s.contains(q)));
            if self.pulses.done || !self.safe || (self.wait_for_neighbours && !all_safe) {
                return;
            }
            self.safe_from.remove(&r);
            self.safe = false;
            let safe_at_once = self.pulses.next(ctx);
            if self.pulses.done {
                return;
            }
            if safe_at_once {
                self.become_safe(ctx);
            }
        }
    }
    // ANCHOR_END: pulse
}

impl<A: RoundAlgorithm> Module for SynchronizerAlpha<A> {
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
        if self.pulses.start(ctx) {
            self.become_safe(ctx);
            self.try_advance(ctx);
        }
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: Infallible) {
        match req {}
    }

    // ANCHOR: receive
    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Wire<A::Msg>) {
        match msg {
            // upon receiving (r, m): keep it, acknowledge it
            Wire::Msg(r, m) => self.pulses.receive(ctx, from, r, m),
            // upon receiving ACK(r): safe once all are acknowledged
            Wire::Ack(r) if self.pulses.ack(r) => {
                self.become_safe(ctx);
                self.try_advance(ctx);
            }
            // upon receiving SAFE(r) from a neighbour
            Wire::Safe(r) => {
                self.safe_from.entry(r).or_default().insert(from);
                self.try_advance(ctx);
            }
            _ => {}
        }
    }
    // ANCHOR_END: receive
}
