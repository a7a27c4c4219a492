//! Deliberately broken links: each one exists to show that a monitor catches a bug
//! (CATALOGUE.md part B, "every monitor ships with a mutant it provably catches").
//!
//! None of these is a textbook algorithm; they live here, away from the algorithm files, so
//! that a reader never mistakes one for the real thing.
//!
//! | mutant | what is wrong | property that catches it |
//! |---|---|---|
//! | [`NoDedupLinks`] (`perfect-links-no-dedup`) | Eliminate Duplicates without `delivered` (B-4.3) | PL2 no-duplication |
//! | [`ForgingLinks`] (`perfect-links-forging`) | reports every message as sent by another process | PL3 no-creation |
//! | [`AmnesicLoggedLinks`] (`logged-perfect-links-amnesic`) | recovers by `Init`, forgetting the log (B-4.5) | LPL2 no-duplication |

use crate::interface::{Deliver, Link, Send};
use crate::logged::{Delivered, LoggedPerfectLinks};
use crate::perfect::{PerfectLinks, Tagged};
use crate::stubborn::StubbornLinks;
use automata::{Ctx, Module, Payload, Time};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::marker::PhantomData;

/// Mutant of Eliminate Duplicates (CGR 2.2) without the `delivered` set (CATALOGUE.md B-4.3):
/// every copy the link below hands up is delivered. Over stubborn links every retransmission
/// is a duplicate; with a retransmission period beyond the horizon, only a duplicating network
/// makes it fail. Caught by PL2 no-duplication. NAME `pl`, as it claims to be perfect links.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoDedupLinks<P: Payload, L: Link<Tagged<P>> = StubbornLinks<Tagged<P>>> {
    sl: L,
    next: u64,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, L: Link<Tagged<P>>] NoDedupLinks<P, L>;
    /// Slot of the link below [`NoDedupLinks`].
    NoDedupSl(sl: L) => on_sl_deliver;
}

impl<P: Payload> NoDedupLinks<P> {
    /// Over Retransmit Forever with retransmission period `period`.
    pub fn new(period: Time) -> Self {
        NoDedupLinks::over(StubbornLinks::new(period))
    }
}

impl<P: Payload, L: Link<Tagged<P>>> NoDedupLinks<P, L> {
    pub fn over(sl: L) -> Self {
        NoDedupLinks {
            sl,
            next: 0,
            _payload: PhantomData,
        }
    }

    fn on_sl_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Tagged<P>>) {
        // The bug: no `if m ∉ delivered`.
        ctx.indicate(Deliver { from, msg: msg.msg });
    }
}

impl<P: Payload, L: Link<Tagged<P>>> Module for NoDedupLinks<P, L> {
    const NAME: &'static str = "pl";
    type Req = Send<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(NoDedupSl: L);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, NoDedupSl);
    }

    fn on_request(&mut self, ctx: &mut Ctx<Self>, Send { to, msg }: Send<P>) {
        let seq = self.next;
        self.next += 1;
        ctx.trigger(
            self,
            NoDedupSl,
            Send {
                to,
                msg: Tagged { seq, msg },
            },
        );
    }
}

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
/// `delivered` were volatile (CATALOGUE.md B-4.5). A message that the sender's stubborn link
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
