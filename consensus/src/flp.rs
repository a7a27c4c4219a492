//! FLP made visible (Fischer, Lynch and Paterson 1985): no deterministic algorithm solves
//! consensus in an asynchronous system where one process may crash.
//!
//! Algorithm id: `leader-driven-consensus-unreliable-omega`: Leader-Driven Consensus (the
//! book's Paxos, [`crate::leader_driven`]) whose Ω never learns that its leader crashed.
//!
//! Asynchrony is what makes Ω unreliable: a crashed process and a slow one send the same
//! nothing, so no detector that can be built there is sure to stop trusting a crashed leader.
//! [`UnreliableOmega`] is the worst such detector: it trusts process 0 forever. Leader-Driven
//! Consensus stays safe (it never needs Ω for that), but if process 0 crashes before its epoch
//! decides, the others wait for it forever while their links keep resending to it: an
//! infinite, fair execution in which nobody decides. The model checker's fair-cycle search
//! finds it as a lasso (a path, then a cycle repeated forever) and names termination.
//!
//! The escapes give up one of FLP's assumptions: partial synchrony (Ω stabilises after GST:
//! `leader-driven-consensus`), a perfect detector (`flooding-consensus` on P) or determinism
//! (`randomized-binary-consensus`).

use crate::leader_driven::LeaderDrivenConsensus;
use automata::detector::{NoRequest, Trust};
use automata::{Ctx, Module, Value};
use std::convert::Infallible;

/// Ω that trusts process 0 from the start and for ever, crashed or not (it violates
/// eventual leadership whenever process 0 crashes).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct UnreliableOmega;

impl Module for UnreliableOmega {
    const NAME: &'static str = "omega";
    type Req = NoRequest;
    type Ind = Trust;
    type Msg = Infallible;
    type Timer = Infallible;

    /// `upon event ⟨ Ω, Init ⟩ do trigger ⟨ Ω, Trust | p0 ⟩`, and never again.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.indicate(Trust(0));
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }

    fn on_timer(&mut self, _ctx: &mut Ctx<Self>, timer: Infallible) {
        match timer {}
    }
}

use crate::abstractions::{propose, PERIOD};
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "leader-driven-consensus-unreliable-omega", abstraction: "uc-ep", params: &[PERIOD],
    model: "asynchronous: Ω trusts process 0 for ever, crashed or not (FLP: no detector built under asynchrony is sure to stop)",
    summary: "Leader-Driven Consensus whose Ω never learns the leader crashed: safe, but waits for ever (FLP)",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| LeaderDrivenConsensus::<Value, _>::new(UnreliableOmega, period), propose)
    };
};
