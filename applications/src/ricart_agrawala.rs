//! Ricart-Agrawala mutual exclusion (Ricart and Agrawala, "An Optimal Algorithm for Mutual
//! Exclusion in Computer Networks", 1981), offered as `mutex` (book §9.6).
//!
//! Algorithm id: `ricart-agrawala`.
//!
//! Model: failure-free, over perfect links (FIFO not needed). Crash-stop breaks it: a crashed
//! process never replies, so every later request waits for ever (no-starvation fails).
//! Properties: `mutual-exclusion` (S), `no-starvation` (L).
//!
//! A process that acquires stamps its request with its Lamport clock and sends `REQUEST(ts)`
//! to every other process. A process answers `REPLY` at once, unless it is in the critical
//! section or is itself requesting with a smaller `(ts, pid)`: then it defers the reply until
//! it exits. A requester enters once it has the N − 1 replies, holds the section for
//! `params.hold` ticks (a local timer), exits and sends its deferred replies. An acquire that
//! arrives while one is pending waits its turn (one entry per acquire). Cost per entry without
//! failures: 2(N − 1) messages (N − 1 requests, N − 1 replies).
//!
//! Mutant: [`RicartAgrawala::always_reply`] replies at once even while requesting with a
//! smaller timestamp (it still defers inside the section). Two processes that request at the
//! same time reply to each other and both enter: mutual exclusion fails.

use crate::interface::{Acquire, Cs};
use automata::{Ctx, Module, Pid, Time, ToValue, Value};
use links::{Deliver, Link, PerfectLinks, Send};
use std::collections::BTreeSet;

/// The messages of Ricart-Agrawala, in the paper's words.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Msg {
    /// `REQUEST(ts)`: the sender asks for the critical section, its request stamped `ts`.
    Request(u64),
    /// `REPLY`: the sender lets the requester go first.
    Reply,
}

impl ToValue for Msg {
    fn to_value(&self) -> Value {
        Value::List(match self {
            Msg::Request(ts) => vec![Value::str("REQUEST"), Value::Int(*ts as i64)],
            Msg::Reply => vec![Value::str("REPLY")],
        })
    }
}

/// The timers: the links' own, and the end of the hold.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer<T> {
    Pl(T),
    Exit,
}

/// Ricart-Agrawala over the links `L`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RicartAgrawala<L: Link<Msg> = PerfectLinks<Msg>> {
    pl: L,
    /// Ticks in the critical section.
    hold: Time,
    /// The Lamport clock (`Our_Sequence_Number` / `Highest_Sequence_Number` of the paper).
    clock: u64,
    /// The timestamp of this process's pending request (requesting or inside).
    request: Option<u64>,
    /// Inside the critical section.
    inside: bool,
    /// Who replied to the pending request.
    replies: BTreeSet<Pid>,
    /// Whose replies wait for the exit (`Reply_Deferred`).
    deferred: BTreeSet<Pid>,
    /// Acquires queued behind the pending one.
    queued: u32,
    /// MUTANT: reply at once while requesting.
    always_reply: bool,
}

automata::below! {
    impl[L: Link<Msg>] RicartAgrawala<L>;
    /// Slot of the perfect links.
    Pl(pl: L) as "pl" => on_pl_deliver, timer Timer::Pl;
}

impl RicartAgrawala {
    /// Over perfect links with retransmission period `period`, holding the section `hold`
    /// ticks.
    pub fn new(period: Time, hold: Time) -> Self {
        RicartAgrawala::over(PerfectLinks::new(period), hold)
    }
}

impl<L: Link<Msg>> RicartAgrawala<L> {
    /// Over the links `pl`, holding the section `hold` ticks.
    pub fn over(pl: L, hold: Time) -> Self {
        RicartAgrawala {
            pl,
            hold: hold.max(1),
            clock: 0,
            request: None,
            inside: false,
            replies: BTreeSet::new(),
            deferred: BTreeSet::new(),
            queued: 0,
            always_reply: false,
        }
    }

    /// MUTANT: reply to a request at once even while requesting with a smaller timestamp.
    pub fn always_reply(self) -> Self {
        RicartAgrawala {
            always_reply: true,
            ..self
        }
    }

    /// `clock := clock + 1; request := clock; replies := ∅;
    /// forall q ≠ self do trigger ⟨ pl, Send | q, [REQUEST, request] ⟩`.
    fn ask(&mut self, ctx: &mut Ctx<Self>) {
        self.clock += 1;
        self.request = Some(self.clock);
        self.replies.clear();
        let me = ctx.me();
        for q in ctx.processes().filter(|&q| q != me) {
            ctx.trigger(
                self,
                Pl,
                Send {
                    to: q,
                    msg: Msg::Request(self.clock),
                },
            );
        }
    }

    // ANCHOR: deliver
    /// `upon event ⟨ pl, Deliver | q, [REQUEST, ts] ⟩ do clock := max(clock, ts);
    /// if inside ∨ (request ≠ ⊥ ∧ (request, self) < (ts, q)) then deferred := deferred ∪ {q}
    /// else trigger ⟨ pl, Send | q, [REPLY] ⟩`;
    /// `upon event ⟨ pl, Deliver | q, [REPLY] ⟩ do replies := replies ∪ {q}`.
    fn on_pl_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Msg>) {
        match msg {
            Msg::Request(ts) => {
                self.clock = self.clock.max(ts);
                let first = self
                    .request
                    .is_some_and(|mine| (mine, ctx.me()) < (ts, from));
                if self.inside || (first && !self.always_reply) {
                    self.deferred.insert(from);
                } else {
                    ctx.trigger(
                        self,
                        Pl,
                        Send {
                            to: from,
                            msg: Msg::Reply,
                        },
                    );
                }
            }
            Msg::Reply => {
                if self.request.is_some() && !self.inside {
                    self.replies.insert(from);
                }
            }
        }
    }
    // ANCHOR_END: deliver
}

impl<L: Link<Msg>> Module for RicartAgrawala<L> {
    const NAME: &'static str = "mutex";
    type Req = Acquire;
    type Ind = Cs;
    type Msg = L::Msg;
    type Timer = Timer<L::Timer>;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Pl);
    }

    // ANCHOR: enter
    /// `upon event ⟨ mutex, Acquire ⟩ do if request = ⊥ then ask else queued := queued + 1`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Acquire: Acquire) {
        if self.request.is_some() {
            self.queued += 1;
        } else {
            self.ask(ctx);
        }
    }

    /// `upon request ≠ ⊥ ∧ ¬inside ∧ #replies = N − 1 do inside := TRUE;
    /// trigger ⟨ mutex, Enter ⟩; starttimer(hold)`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        if self.request.is_some() && !self.inside && self.replies.len() + 1 == ctx.n() {
            self.inside = true;
            ctx.indicate(Cs::Enter);
            ctx.set_timer(self.hold, Timer::Exit);
        }
    }
    // ANCHOR_END: enter

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Self::Msg) {
        ctx.pass_message(self, Pl, from, msg);
    }

    /// `upon event ⟨ Timeout ⟩ do inside := FALSE; request := ⊥; trigger ⟨ mutex, Exit ⟩;
    /// forall q ∈ deferred do trigger ⟨ pl, Send | q, [REPLY] ⟩; deferred := ∅;
    /// if queued > 0 then queued := queued − 1; ask`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Self::Timer) {
        match timer {
            Timer::Pl(t) => ctx.pass_timer(self, Pl, t),
            Timer::Exit => {
                self.inside = false;
                self.request = None;
                self.replies.clear();
                ctx.indicate(Cs::Exit);
                for q in std::mem::take(&mut self.deferred) {
                    ctx.trigger(
                        self,
                        Pl,
                        Send {
                            to: q,
                            msg: Msg::Reply,
                        },
                    );
                }
                if self.queued > 0 {
                    self.queued -= 1;
                    self.ask(ctx);
                }
            }
        }
    }
}

use crate::abstractions::{acquire, HOLD, PERIOD};
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "ricart-agrawala", abstraction: "mutex", params: &[PERIOD, HOLD],
    model: "failure-free over perfect links; a crash starves every later request",
    summary: "Ricart-Agrawala 1981: REQUEST(ts) to all, reply at once unless inside or requesting first, enter on N − 1 replies: 2(N − 1) messages an entry",
    build: |l, p| {
        let (period, hold) = (p.int("period"), p.int("hold"));
        job(l, p, move |_| RicartAgrawala::new(period, hold), acquire)
    };

    id: "ricart-agrawala-always-reply", abstraction: "mutex", params: &[PERIOD, HOLD], mutant: true,
    model: "replies at once even while requesting first: two simultaneous requesters both enter",
    summary: "MUTANT: Ricart-Agrawala that never defers a reply while requesting",
    build: |l, p| {
        let (period, hold) = (p.int("period"), p.int("hold"));
        job(l, p, move |_| RicartAgrawala::new(period, hold).always_reply(), acquire)
    };
};
