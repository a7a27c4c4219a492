//! Deliberately broken links: each one exists to show that a monitor catches a bug
//! (the B labels of book §1.5: every monitor ships with a mutant it provably catches).
//!
//! None of these is a textbook algorithm; they live here, away from the algorithm files, so
//! that a reader never mistakes one for the real thing.
//!
//! A mutant that differs from a real algorithm by one line is a switch on it instead: the
//! Eliminate Duplicates without `delivered` of B-4.3 is [`PerfectLinks::without_dedup`]
//! (`perfect-links-no-dedup`), Retransmit Forever that never resends
//! [`crate::StubbornLinks::sending_once`].
//!
//! | mutant | what is wrong | property that catches it |
//! |---|---|---|
//! | [`ForgingLinks`] (`perfect-links-forging`) | reports every message as sent by another process | PL3 no-creation |
//! | [`AmnesicLoggedLinks`] (`logged-perfect-links-amnesic`) | recovers by `Init`, forgetting the log (B-4.5) | LPL2 no-duplication |

use crate::interface::{Deliver, Link, Send};
use crate::logged::{Delivered, LoggedPerfectLinks};
use crate::perfect::PerfectLinks;
use automata::{Ctx, Module, Payload, Time};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::marker::PhantomData;

/// Mutant that creates messages: a link (perfect links below by default) whose receiver
/// misreads the sender, so it delivers `m` "from" the process after the real sender, a message
/// that process never sent. Caught by PL3 / SL2 / LPL3 no-creation. NAME `pl`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ForgingLinks<P: Payload, L: Link<P> = PerfectLinks<P>> {
    inner: L,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, L: Link<P>] ForgingLinks<P, L>;
    /// Slot of the honest link inside [`ForgingLinks`]. Its trace name is `honest`, so that its
    /// events are not mistaken for those of the forging `pl` above it.
    Honest(inner: L) as "honest" => on_honest_deliver;
}

impl<P: Payload> ForgingLinks<P> {
    /// Over Eliminate Duplicates over Retransmit Forever with period `period`.
    pub fn new(period: Time) -> Self {
        ForgingLinks::over(PerfectLinks::new(period))
    }
}

impl<P: Payload, L: Link<P>> ForgingLinks<P, L> {
    pub fn over(inner: L) -> Self {
        ForgingLinks {
            inner,
            _payload: PhantomData,
        }
    }

    fn on_honest_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<P>) {
        // The bug: the sender is misread.
        let forged = (from + 1) % ctx.n();
        ctx.indicate(Deliver { from: forged, msg });
    }
}

impl<P: Payload, L: Link<P>> Module for ForgingLinks<P, L> {
    const NAME: &'static str = "pl";
    type Req = Send<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(Honest: L);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Honest);
    }

    fn on_request(&mut self, ctx: &mut Ctx<Self>, req: Send<P>) {
        ctx.trigger(self, Honest, req);
    }
}

/// Mutant of Log Delivered (CGR 2.3) that treats `Recovery` like `Init` — the default of
/// [`Module::on_recovery`] — so it starts from an empty log after every crash, exactly as if
/// `delivered` were volatile (book §4.7, B-4.5). A message that the sender's stubborn link
/// retransmits after the receiver recovered is log-delivered a second time. Caught by LPL2
/// no-duplication, even under stable storage. NAME `lpl`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AmnesicLoggedLinks<P: Payload + Serialize + DeserializeOwned> {
    inner: LoggedPerfectLinks<P>,
}

automata::below! {
    impl[P: Payload + Serialize + DeserializeOwned] AmnesicLoggedLinks<P>;
    /// Slot of the log inside [`AmnesicLoggedLinks`], traced as `log`.
    Log(inner: LoggedPerfectLinks<P>) as "log" => on_log_deliver;
}

impl<P: Payload + Serialize + DeserializeOwned> AmnesicLoggedLinks<P> {
    /// Over Retransmit Forever with period `period`.
    pub fn new(period: Time) -> Self {
        AmnesicLoggedLinks {
            inner: LoggedPerfectLinks::new(period),
        }
    }

    fn on_log_deliver(&mut self, ctx: &mut Ctx<Self>, ind: Delivered<P>) {
        ctx.indicate(ind);
    }
}

impl<P: Payload + Serialize + DeserializeOwned> Module for AmnesicLoggedLinks<P> {
    const NAME: &'static str = "lpl";
    type Req = Send<P>;
    type Ind = Delivered<P>;
    automata::pass_through!(Log: LoggedPerfectLinks<P>);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Log);
    }

    // The bug: no `on_recovery`, so the default runs `on_init`, which empties the log.

    fn on_request(&mut self, ctx: &mut Ctx<Self>, req: Send<P>) {
        ctx.trigger(self, Log, req);
    }
}

use crate::abstractions::{send, PERIOD};
use automata::Value;
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "perfect-links-forging", abstraction: "pl", params: &[PERIOD], mutant: true,
    model: "crash-stop",
    summary: "MUTANT: perfect links that also deliver a message nobody sent",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| ForgingLinks::<Value>::new(period), send)
    };

    id: "logged-perfect-links-amnesic", abstraction: "lpl", params: &[PERIOD], mutant: true,
    model: "fail-recovery",
    summary: "MUTANT: Log Delivered that keeps `delivered` in volatile memory only (B-4.5)",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| AmnesicLoggedLinks::<Value>::new(period), send)
    };
};
