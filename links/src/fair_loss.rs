//! Fair-loss point-to-point links `fll` (CGR Module 2.1): the simulated network itself.
//!
//! Properties (checked by the network conformance monitors): FLL1 fair-loss, FLL2 finite
//! duplication, FLL3 no creation. The system model decides loss, duplication and delay.

use crate::interface::{Deliver, Send};
use automata::{Ctx, Module, Payload, Pid};
use std::convert::Infallible;
use std::marker::PhantomData;

/// The network as a module: `Send` puts a packet on the wire, a packet's arrival is `Deliver`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FairLossLinks<P> {
    _payload: PhantomData<P>,
}

impl<P> Default for FairLossLinks<P> {
    fn default() -> Self {
        FairLossLinks {
            _payload: PhantomData,
        }
    }
}

impl<P: Payload> Module for FairLossLinks<P> {
    const NAME: &'static str = "fll";
    type Req = Send<P>;
    type Ind = Deliver<P>;
    type Msg = P;
    type Timer = Infallible;

    // ANCHOR: handlers
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Send { to, msg }: Send<P>) {
        ctx.send(to, msg);
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: P) {
        ctx.indicate(Deliver { from, msg });
    }
    // ANCHOR_END: handlers
}

use crate::abstractions::send;
use automata::Value;
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "fair-loss-links", abstraction: "fll",
    model: "any (this is the network itself)",
    summary: "the network as a module: send puts a packet on the wire",
    build: |l, p| job(l, p, |_| FairLossLinks::<Value>::default(), send);
};
