//! Lamport's mutual exclusion (Lamport, "Time, Clocks, and the Ordering of Events in a
//! Distributed System", 1978), offered as `mutex` (book §9.6).
//!
//! Algorithm id: `lamport-mutex`.
//!
//! Model: failure-free, over FIFO reliable links (by default FIFO perfect links by Sequence
//! Number, `links/src/fifo.rs`; the bare network with `fifo = true` and no loss fits as
//! well). FIFO is needed: an ACK that overtook its sender's earlier REQUEST would let the
//! receiver enter ahead of it. Crash-stop breaks it: a crashed process never answers, so every
//! later request waits for ever (no-starvation fails). Properties: `mutual-exclusion` (S),
//! `no-starvation` (L).
//!
//! Every message carries its sender's Lamport clock. A process that acquires puts its request
//! `(ts, self)` in its own queue and sends `REQUEST(ts)` to every other process; a receiver
//! queues the request and answers `ACK` (the paper's timestamped acknowledgement, the REPLY of
//! later texts). A process enters when its own request heads its queue, ordered by
//! `(ts, pid)`, and it has received a message stamped later than its request from every other
//! process. It holds the section `params.hold` ticks (a local timer), then removes its request
//! and sends `RELEASE` to every other process, which removes the sender's request. An acquire
//! that arrives while one is pending waits its turn (one entry per acquire). Cost per entry
//! without failures: 3(N − 1) messages (requests, acks, releases).

use crate::interface::{Acquire, Cs};
use automata::{Ctx, Module, Pid, Time, ToValue, Value};
use links::{Deliver, FifoPerfectLinks, Link, Send};
use std::collections::BTreeSet;

/// The messages of Lamport's algorithm, each with its sender's clock.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Msg {
    /// `REQUEST(ts)`: the sender asks for the section, its request stamped `ts`.
    Request(u64),
    /// `ACK(ts)`: the sender has queued the request.
    Ack(u64),
    /// `RELEASE(ts)`: the sender left the section.
    Release(u64),
}

impl Msg {
    fn ts(&self) -> u64 {
        match self {
            Msg::Request(ts) | Msg::Ack(ts) | Msg::Release(ts) => *ts,
        }
    }
}

impl ToValue for Msg {
    fn to_value(&self) -> Value {
        let word = match self {
            Msg::Request(_) => "REQUEST",
            Msg::Ack(_) => "ACK",
            Msg::Release(_) => "RELEASE",
        };
        Value::List(vec![Value::str(word), Value::Int(self.ts() as i64)])
    }
}

/// The timers: the links' own, and the end of the hold.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer<T> {
    Fpl(T),
    Exit,
}

/// Lamport's mutual exclusion over the FIFO links `L`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LamportMutex<L: Link<Msg> = FifoPerfectLinks<Msg>> {
    fpl: L,
    /// Ticks in the critical section.
    hold: Time,
    /// The Lamport clock.
    clock: u64,
    /// The request queue, ordered by `(ts, pid)`.
    queue: BTreeSet<(u64, Pid)>,
    /// The timestamp of this process's pending request (requesting or inside).
    request: Option<u64>,
    /// Who sent a message stamped later than the pending request.
    later: BTreeSet<Pid>,
    /// Inside the critical section.
    inside: bool,
    /// Acquires queued behind the pending one.
    queued: u32,
}

automata::below! {
    impl[L: Link<Msg>] LamportMutex<L>;
    /// Slot of the FIFO perfect links.
    Fpl(fpl: L) as "fpl" => on_fpl_deliver, timer Timer::Fpl;
}

impl LamportMutex {
    /// Over FIFO perfect links with retransmission period `period`, holding the section
    /// `hold` ticks.
    pub fn new(period: Time, hold: Time) -> Self {
        LamportMutex::over(FifoPerfectLinks::new(period), hold)
    }
}

impl<L: Link<Msg>> LamportMutex<L> {
    /// Over the FIFO links `fpl`, holding the section `hold` ticks.
    pub fn over(fpl: L, hold: Time) -> Self {
        LamportMutex {
            fpl,
            hold: hold.max(1),
            clock: 0,
            queue: BTreeSet::new(),
            request: None,
            later: BTreeSet::new(),
            inside: false,
            queued: 0,
        }
    }

    /// `clock := clock + 1; forall q ≠ self do trigger ⟨ fpl, Send | q, msg(clock) ⟩`.
    fn send_all(&mut self, ctx: &mut Ctx<Self>, msg: fn(u64) -> Msg) {
        self.clock += 1;
        let me = ctx.me();
        for q in ctx.processes().filter(|&q| q != me) {
            ctx.trigger(
                self,
                Fpl,
                Send {
                    to: q,
                    msg: msg(self.clock),
                },
            );
        }
    }

    /// `request := clock + 1; queue := queue ∪ {(request, self)}; later := ∅;` and
    /// REQUEST to all.
    fn ask(&mut self, ctx: &mut Ctx<Self>) {
        self.send_all(ctx, Msg::Request);
        self.request = Some(self.clock);
        self.queue.insert((self.clock, ctx.me()));
        self.later.clear();
    }

    // ANCHOR: deliver
    /// `upon event ⟨ fpl, Deliver | q, m ⟩ do clock := max(clock, ts(m)) + 1;
    /// if request ≠ ⊥ ∧ ts(m) > request then later := later ∪ {q}`; then
    /// `[REQUEST, ts]`: `queue := queue ∪ {(ts, q)}; clock := clock + 1;
    /// trigger ⟨ fpl, Send | q, [ACK, clock] ⟩`;
    /// `[RELEASE, ts]`: `queue := queue \ {(·, q)}`.
    fn on_fpl_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Msg>) {
        let ts = msg.ts();
        self.clock = self.clock.max(ts) + 1;
        if self.request.is_some_and(|mine| ts > mine) {
            self.later.insert(from);
        }
        match msg {
            Msg::Request(ts) => {
                self.queue.insert((ts, from));
                self.clock += 1;
                ctx.trigger(
                    self,
                    Fpl,
                    Send {
                        to: from,
                        msg: Msg::Ack(self.clock),
                    },
                );
            }
            Msg::Ack(_) => {}
            Msg::Release(_) => self.queue.retain(|&(_, q)| q != from),
        }
    }
    // ANCHOR_END: deliver
}

impl<L: Link<Msg>> Module for LamportMutex<L> {
    const NAME: &'static str = "mutex";
    type Req = Acquire;
    type Ind = Cs;
    type Msg = L::Msg;
    type Timer = Timer<L::Timer>;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Fpl);
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

    /// `upon request ≠ ⊥ ∧ ¬inside ∧ head(queue) = (request, self) ∧ #later = N − 1 do
    /// inside := TRUE; trigger ⟨ mutex, Enter ⟩; starttimer(hold)`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        let Some(mine) = self.request else {
            return;
        };
        if !self.inside
            && self.queue.first() == Some(&(mine, ctx.me()))
            && self.later.len() + 1 == ctx.n()
        {
            self.inside = true;
            ctx.indicate(Cs::Enter);
            ctx.set_timer(self.hold, Timer::Exit);
        }
    }
    // ANCHOR_END: enter

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Self::Msg) {
        ctx.pass_message(self, Fpl, from, msg);
    }

    /// `upon event ⟨ Timeout ⟩ do inside := FALSE; queue := queue \ {(request, self)};
    /// request := ⊥; trigger ⟨ mutex, Exit ⟩; RELEASE to all;
    /// if queued > 0 then queued := queued − 1; ask`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Self::Timer) {
        match timer {
            Timer::Fpl(t) => ctx.pass_timer(self, Fpl, t),
            Timer::Exit => {
                if let Some(mine) = self.request.take() {
                    self.queue.remove(&(mine, ctx.me()));
                }
                self.inside = false;
                self.later.clear();
                ctx.indicate(Cs::Exit);
                self.send_all(ctx, Msg::Release);
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
    id: "lamport-mutex", abstraction: "mutex", params: &[PERIOD, HOLD],
    model: "failure-free over FIFO perfect links; a crash starves every later request",
    summary: "Lamport 1978: timestamped REQUEST to all, each queues it and ACKs; enter at the head of the queue with a later message from everyone; RELEASE on exit: 3(N − 1) messages an entry",
    build: |l, p| {
        let (period, hold) = (p.int("period"), p.int("hold"));
        job(l, p, move |_| LamportMutex::new(period, hold), acquire)
    };
};
