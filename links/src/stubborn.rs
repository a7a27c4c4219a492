//! Stubborn links `sl` by Retransmit Forever (CGR Module 2.2, Algorithm 2.1).
//!
//! Model: any crash model over fair-loss links. Properties: SL1 stubborn delivery (a message
//! sent once to a correct process is delivered infinitely often), SL2 no creation. The run
//! never quiesces: every period, every message ever sent goes out again.

use crate::fair_loss::FairLossLinks;
use crate::interface::{Deliver, Send};
use automata::{Ctx, Module, Payload, Pid, Time};
use std::collections::BTreeSet;

// ANCHOR: state
/// Retransmit Forever.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StubbornLinks<P: Payload> {
    fll: FairLossLinks<P>,
    /// Δ: the retransmission period, in local ticks.
    period: Time,
    /// `sent`: every (q, m) ever sent.
    sent: BTreeSet<(Pid, P)>,
    /// Mutant switch: `false` keeps the timer but never sends again, so a message the
    /// network loses is lost for good. Caught by SL1 stubborn delivery, on a lasso: the timer
    /// fires forever, the message never arrives.
    retransmit: bool,
}
// ANCHOR_END: state

/// The retransmission timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Retransmit;

automata::below! {
    impl[P: Payload] StubbornLinks<P>;
    /// Slot of the fair-loss link below.
    Fll(fll: FairLossLinks<P>) => on_fll_deliver, timer automata::compose::never;
}

impl<P: Payload> StubbornLinks<P> {
    pub fn new(period: Time) -> Self {
        StubbornLinks {
            fll: FairLossLinks::default(),
            period,
            sent: BTreeSet::new(),
            retransmit: true,
        }
    }

    /// The mutant that sends each message once: its timer still fires every period, but
    /// the retransmission loop is gone.
    pub fn sending_once(period: Time) -> Self {
        StubbornLinks {
            retransmit: false,
            ..StubbornLinks::new(period)
        }
    }

    // ANCHOR: deliver
    /// `upon event ⟨ fll, Deliver | p, m ⟩ do trigger ⟨ sl, Deliver | p, m ⟩`.
    fn on_fll_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<P>) {
        ctx.indicate(Deliver { from, msg });
    }
    // ANCHOR_END: deliver
}

impl<P: Payload> Module for StubbornLinks<P> {
    const NAME: &'static str = "sl";
    type Req = Send<P>;
    type Ind = Deliver<P>;
    type Msg = P;
    type Timer = Retransmit;

    // ANCHOR: handlers
    /// `upon event ⟨ sl, Init ⟩ do sent := ∅; starttimer(Δ)`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.sent.clear();
        ctx.set_timer(self.period, Retransmit);
    }

    /// `upon event ⟨ sl, Send | q, m ⟩ do trigger ⟨ fll, Send | q, m ⟩; sent := sent ∪ {(q, m)}`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Send { to, msg }: Send<P>) {
        ctx.trigger(
            self,
            Fll,
            Send {
                to,
                msg: msg.clone(),
            },
        );
        self.sent.insert((to, msg));
    }

    /// `upon event ⟨ Timeout ⟩ do forall (q, m) ∈ sent: trigger ⟨ fll, Send | q, m ⟩; starttimer(Δ)`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, Retransmit: Retransmit) {
        if self.retransmit {
            for (to, msg) in self.sent.clone() {
                ctx.trigger(self, Fll, Send { to, msg });
            }
        }
        ctx.set_timer(self.period, Retransmit);
    }
    // ANCHOR_END: handlers

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: P) {
        ctx.pass_message(self, Fll, from, msg);
    }
}

use crate::abstractions::{send, PERIOD};
use automata::Value;
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "stubborn-links", abstraction: "sl", params: &[PERIOD],
    model: "any crash model, fair-loss network",
    summary: "Retransmit Forever (CGR 2.1): resend every message ever sent, every period",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| StubbornLinks::<Value>::new(period), send)
    };

    id: "stubborn-links-send-once", abstraction: "sl", params: &[PERIOD], mutant: true,
    model: "any crash model, fair-loss network",
    summary: "mutant of Retransmit Forever whose timer fires but never resends: SL1 fails on a lasso",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| StubbornLinks::<Value>::sending_once(period), send)
    };
};
