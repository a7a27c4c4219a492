//! A lock service, or k-semaphore, `sem`: the semaphore's state machine replicated over
//! total-order broadcast, with leases and fencing tokens (book §9.9, "A lock service: leases
//! and fencing"; Gray and Cheriton 1989 for leases, Burrows 2006 (Chubby) for sequencers).
//!
//! Algorithm id: `rsm-semaphore`.
//!
//! Model: fail-stop (P, `model.detector`, for the uniform Consensus-Based TOB below: All-Ack
//! URB and Flooding Uniform Consensus), any number of crashes; hardware clocks that drift by
//! at most ρ (`model.clocks.drift`): each runs at a constant rate in [1 − ρ, 1 + ρ]. Every
//! process is a replica of the service and the front end of one client; process 0 also hosts
//! the guarded resource. Properties: SEM1 `k-exclusion`, SEM2 `fencing`, SEM3
//! `no-spurious-grant` (S), SEM4 `no-starvation` (L).
//!
//! The state machine: the free permits (k at first), a FIFO queue of waiting clients, and the
//! grants, each a client, its token and whether the client has claimed it. Commands are
//! `ACQUIRE(c)`, `CLAIM(c, t)`, `RELEASE(c, t)` and `EXPIRE(t, claimed)`; every replica
//! applies them in the order total-order broadcast delivers them. When a permit is free and
//! the queue is not, the head of the queue is granted, and the grant's token is the log index
//! of the command that granted it, so tokens strictly increase.
//!
//! Leases. The client that finds itself granted reads its clock, h₀, and broadcasts
//! `CLAIM(c, t)`; it holds once the claim is applied, until its clock reads h₀ + T_h (then
//! `Expired`), or until it releases. Every replica starts a timer of T_g ticks of its own
//! clock when it applies the claim, and broadcasts `EXPIRE(t, claimed)` when the timer runs
//! out with t still held; the first expiry applied frees the permit. The client read h₀
//! before any replica applied its claim, so its hold ends by real time t₀ + T_h/(1 − ρ) (a
//! slow client clock) and no replica's timer runs out before t₀ + T_g/(1 + ρ) (a fast replica
//! clock): the rule is **T_g ≥ T_h·(1 + ρ)/(1 − ρ)**, the two clocks drifting in opposite
//! directions, here T_g = ⌈(1 + ρ)·((T_h + 1)/(1 − ρ) + 1)⌉ to cover the whole-tick readings
//! of both clocks (T_g = T_h when ρ = 0). A grant not yet claimed is reclaimed the same way
//! (`EXPIRE(t, unclaimed)`), so a client that crashed while waiting frees its permit too; a
//! client whose claim arrives after its own lease ran out gives the grant back and asks
//! again. The client's hold is governed by its lease alone: it does not read the service's
//! log to learn that it lost the permit (a client of a lock service does not see its log).
//!
//! Fencing. A `Write` request sends a write stamped with the client's latest token to the
//! resource at process 0, over the bare network. The resource remembers the largest token it
//! has seen and rejects (`Fenced`) a write stamped with a smaller one, accepting (`Wrote`) the
//! others. A write may arrive after its grant ended (the application decided it while it held
//! the grant, then paused): the check, not the client, keeps it out. Fencing is meant for a
//! lock (k = 1); with k > 1 the resource rejects some writes of concurrent holders.
//!
//! Cost: three ordered commands per hold (acquire, claim, release), each one total-order
//! broadcast; N more for a lease that the service reclaims (every replica's timer fires).
//!
//! Mutants: [`RsmSemaphore::without_fencing`] (B-9.14): the resource accepts every write, so
//! a client that paused past its lease overwrites a later holder's write (SEM2, although SEM1
//! held in each client's view). [`RsmSemaphore::without_drift_margin`] (B-9.15): T_g = T_h
//! although the clocks may drift 2ρ apart: a fast replica reclaims while a slow client still
//! holds, and the next client is granted too (SEM1 in real time).

use crate::semaphore::{SemInd, SemReq};
use automata::{Ctx, Event, Module, Pid, Time, ToValue, Value};
use broadcast::{Broadcast, BroadcastModule, Deliver};
use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};

/// The process hosting the guarded resource.
pub const RESOURCE: Pid = 0;

/// A command of the semaphore's state machine, as total-order broadcast orders it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cmd {
    /// `ACQUIRE(c)`: client c joins the queue.
    Acquire(Pid),
    /// `CLAIM(c, t)`: client c starts holding grant t (it read its clock before sending).
    Claim(Pid, u64),
    /// `RELEASE(c, t)`: client c gives grant t back.
    Release(Pid, u64),
    /// `EXPIRE(t, claimed)`: a replica's timer for grant t, claimed or not, ran out.
    Expire(u64, bool),
}

impl ToValue for Cmd {
    fn to_value(&self) -> Value {
        let int = |x: u64| Value::Int(x as i64);
        let (word, args) = match *self {
            Cmd::Acquire(c) => ("ACQUIRE", vec![int(c as u64)]),
            Cmd::Claim(c, t) => ("CLAIM", vec![int(c as u64), int(t)]),
            Cmd::Release(c, t) => ("RELEASE", vec![int(c as u64), int(t)]),
            Cmd::Expire(t, claimed) => (
                "EXPIRE",
                vec![
                    int(t),
                    Value::str(if claimed { "claimed" } else { "unclaimed" }),
                ],
            ),
        };
        let mut all = vec![Value::str(word)];
        all.extend(args);
        Value::List(all)
    }
}

/// The messages: the total-order broadcast's, or a write to the resource stamped `token`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire<T> {
    Tob(T),
    Write(u64),
}

/// The timers: the total-order broadcast's, the client's lease on grant t, and a replica's
/// reclaim timer on grant t (claimed or not).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer<T> {
    Tob(T),
    Lease(u64),
    Reclaim(u64, bool),
}

/// Where this process's client stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Client {
    Idle,
    /// `ACQUIRE(self)` broadcast, no grant yet.
    Asking,
    /// Granted t; `CLAIM(self, t)` broadcast when the clock read h₀.
    Claiming {
        token: u64,
        h0: Time,
    },
    /// Holding grant t.
    Holding {
        token: u64,
    },
}

/// The lock service over the total-order broadcast `T`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RsmSemaphore<T: BroadcastModule<Cmd>> {
    tob: T,
    /// k, the permits.
    permits: u64,
    /// T_h: how long a client holds, on its own clock.
    hold: Time,
    /// T_g: how long the service waits before it reclaims, on each replica's clock.
    reclaim: Time,
    // The replicated state machine.
    /// Commands applied: the log index of the last one.
    index: u64,
    free: u64,
    queue: VecDeque<Pid>,
    /// token ↦ (client, claimed).
    grants: BTreeMap<u64, (Pid, bool)>,
    // The client.
    client: Client,
    /// Acquires requested while this client was busy.
    pending: u32,
    /// The token of this client's latest grant (0: none).
    latest: u64,
    // The resource (process 0).
    /// The largest token the resource has seen.
    seen: u64,
    /// `false` in the mutant whose resource accepts every write.
    fencing: bool,
}

automata::below! {
    impl[T: BroadcastModule<Cmd>] RsmSemaphore<T>;
    /// Slot of the total-order broadcast.
    Tob(tob: T) => on_tob_deliver, msg Wire::Tob, timer Timer::Tob;
}

/// T_g for holds of `hold` ticks under drift `drift`: ⌈(1 + ρ)·((T_h + 1)/(1 − ρ) + 1)⌉, or
/// T_h without drift.
pub fn reclaim_after(hold: Time, drift: f64) -> Time {
    if drift <= 0.0 {
        return hold;
    }
    ((1.0 + drift) * ((hold as f64 + 1.0) / (1.0 - drift) + 1.0)).ceil() as Time
}

impl<T: BroadcastModule<Cmd>> RsmSemaphore<T> {
    /// k = `permits`, clients holding `hold` ticks of their clocks, the service reclaiming
    /// after [`reclaim_after`]`(hold, drift)` ticks of its own, over `tob`.
    pub fn new(tob: T, permits: u64, hold: Time, drift: f64) -> Self {
        let hold = hold.max(1);
        RsmSemaphore {
            tob,
            permits: permits.max(1),
            hold,
            reclaim: reclaim_after(hold, drift),
            index: 0,
            free: permits.max(1),
            queue: VecDeque::new(),
            grants: BTreeMap::new(),
            client: Client::Idle,
            pending: 0,
            latest: 0,
            seen: 0,
            fencing: true,
        }
    }

    /// MUTANT (B-9.14): the resource accepts every write, whatever its token.
    pub fn without_fencing(self) -> Self {
        RsmSemaphore {
            fencing: false,
            ..self
        }
    }

    /// MUTANT (B-9.15): T_g = T_h, no margin for the clocks' drift.
    pub fn without_drift_margin(self) -> Self {
        RsmSemaphore {
            reclaim: self.hold,
            ..self
        }
    }

    fn broadcast(&mut self, ctx: &mut Ctx<Self>, msg: Cmd) {
        ctx.trigger(self, Tob, Broadcast { msg });
    }

    /// `client := Asking; trigger ⟨ tob, Broadcast | ACQUIRE(self) ⟩`.
    fn ask(&mut self, ctx: &mut Ctx<Self>) {
        self.client = Client::Asking;
        let me = ctx.me();
        self.broadcast(ctx, Cmd::Acquire(me));
    }

    /// The client's hold ended: `client := Idle; if pending > 0 then pending := pending − 1;
    /// ask`.
    fn next(&mut self, ctx: &mut Ctx<Self>) {
        self.client = Client::Idle;
        if self.pending > 0 {
            self.pending -= 1;
            self.ask(ctx);
        }
    }

    /// Frees grant `token`: `grants := grants \ {t}; free := free + 1`, and stops this
    /// replica's timers on it.
    fn free(&mut self, ctx: &mut Ctx<Self>, token: u64) -> Option<(Pid, bool)> {
        let g = self.grants.remove(&token)?;
        self.free += 1;
        ctx.cancel_timer(Timer::Reclaim(token, false));
        ctx.cancel_timer(Timer::Reclaim(token, true));
        Some(g)
    }

    // ANCHOR: deliver
    /// `upon event ⟨ tob, Deliver | p, cmd ⟩ do index := index + 1; apply(cmd); if free > 0
    /// ∧ queue ≠ ⟨⟩ then c := head(queue); grants[index] := (c, unclaimed); free := free − 1;
    /// starttimer(T_g, index, unclaimed); if c = self then h₀ := clock; trigger ⟨ tob,
    /// Broadcast | CLAIM(self, index) ⟩`, where `apply` is
    ///
    /// `ACQUIRE(c)`: `if c ∉ queue then append c to queue`;
    /// `CLAIM(c, t)`: `if grants[t] = (c, unclaimed) then grants[t] := (c, claimed);
    /// starttimer(T_g, t, claimed); if c = self then` hold until the clock reads h₀ + T_h, or
    /// give t back and ask again if it already does;
    /// `RELEASE(c, t)`: `if grants[t] = (c, ·) then free t`;
    /// `EXPIRE(t, s)`: `if grants[t] = (·, s) then free t`, and a client whose unclaimed
    /// grant expired asks again.
    fn on_tob_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { msg: cmd, .. }: Deliver<Cmd>) {
        self.index += 1;
        let me = ctx.me();
        ctx.internal(Event::Other {
            name: Cow::Borrowed("applied"),
            value: Value::List(vec![Value::Int(self.index as i64), cmd.to_value()]),
        });
        match cmd {
            Cmd::Acquire(c) => {
                if !self.queue.contains(&c) {
                    self.queue.push_back(c);
                }
            }
            Cmd::Claim(c, t) => {
                if self.grants.get(&t) == Some(&(c, false)) {
                    self.grants.insert(t, (c, true));
                    ctx.cancel_timer(Timer::Reclaim(t, false));
                    ctx.set_timer(self.reclaim, Timer::Reclaim(t, true));
                    if c == me {
                        self.hold_or_retry(ctx, t);
                    }
                }
            }
            Cmd::Release(c, t) => {
                if self.grants.get(&t).is_some_and(|g| g.0 == c) {
                    self.free(ctx, t);
                }
            }
            Cmd::Expire(t, claimed) => {
                if self.grants.get(&t).is_some_and(|g| g.1 == claimed) {
                    let (c, _) = self.free(ctx, t).expect("present");
                    if c == me
                        && matches!(self.client, Client::Claiming { token, .. } if token == t)
                    {
                        self.ask(ctx);
                    }
                }
            }
        }
        if self.free > 0 {
            if let Some(c) = self.queue.pop_front() {
                let t = self.index;
                self.grants.insert(t, (c, false));
                self.free -= 1;
                ctx.set_timer(self.reclaim, Timer::Reclaim(t, false));
                if c == me {
                    if self.client == Client::Asking {
                        self.client = Client::Claiming {
                            token: t,
                            h0: ctx.clock(),
                        };
                        self.broadcast(ctx, Cmd::Claim(me, t));
                    } else {
                        self.broadcast(ctx, Cmd::Release(me, t));
                    }
                }
            }
        }
    }
    // ANCHOR_END: deliver

    /// This client's claim of `t` was applied: `lease := h₀ + T_h − clock; if lease > 0 then
    /// client := Holding; trigger ⟨ sem, Granted | t, lease ⟩; starttimer(lease, t) else
    /// trigger ⟨ tob, Broadcast | RELEASE(self, t) ⟩; ask`.
    fn hold_or_retry(&mut self, ctx: &mut Ctx<Self>, t: u64) {
        let Client::Claiming { token, h0 } = self.client else {
            return;
        };
        if token != t {
            return;
        }
        let lease = (h0 + self.hold).saturating_sub(ctx.clock());
        if lease > 0 {
            self.client = Client::Holding { token: t };
            self.latest = t;
            ctx.indicate(SemInd::Granted {
                token: t,
                lease,
                permits: self.permits,
            });
            ctx.set_timer(lease, Timer::Lease(t));
        } else {
            let me = ctx.me();
            self.broadcast(ctx, Cmd::Release(me, t));
            self.ask(ctx);
        }
    }

    // ANCHOR: write
    /// `upon event ⟨ Write | t ⟩ from q` at the resource: `if t ≥ seen then seen := t;
    /// trigger ⟨ sem, Wrote | t ⟩ else trigger ⟨ sem, Fenced | t ⟩`. (Without fencing: every
    /// write is accepted.)
    fn on_write(&mut self, ctx: &mut Ctx<Self>, token: u64) {
        if token >= self.seen || !self.fencing {
            self.seen = self.seen.max(token);
            ctx.indicate(SemInd::Wrote { token });
        } else {
            ctx.indicate(SemInd::Fenced { token });
        }
    }
    // ANCHOR_END: write
}

impl<T: BroadcastModule<Cmd>> Module for RsmSemaphore<T> {
    const NAME: &'static str = "sem";
    type Req = SemReq;
    type Ind = SemInd;
    type Msg = Wire<T::Msg>;
    type Timer = Timer<T::Timer>;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Tob);
    }

    /// `upon event ⟨ sem, Acquire ⟩ do if client = Idle then ask else pending := pending + 1`;
    /// `upon event ⟨ sem, Release ⟩ do if client = Holding(t) then stoptimer(t);
    /// trigger ⟨ sem, Released | t ⟩; trigger ⟨ tob, Broadcast | RELEASE(self, t) ⟩; next`;
    /// `upon event ⟨ sem, Write ⟩ do if latest ≠ ⊥ then send ⟨ Write | latest ⟩ to the
    /// resource`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, req: SemReq) {
        match req {
            SemReq::Acquire => {
                if self.client == Client::Idle {
                    self.ask(ctx);
                } else {
                    self.pending += 1;
                }
            }
            SemReq::Release => {
                if let Client::Holding { token } = self.client {
                    ctx.cancel_timer(Timer::Lease(token));
                    ctx.indicate(SemInd::Released { token });
                    let me = ctx.me();
                    self.broadcast(ctx, Cmd::Release(me, token));
                    self.next(ctx);
                }
            }
            SemReq::Write => {
                if self.latest > 0 {
                    if ctx.me() == RESOURCE {
                        self.on_write(ctx, self.latest);
                    } else {
                        ctx.send(RESOURCE, Wire::Write(self.latest));
                    }
                }
            }
        }
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Self::Msg) {
        match msg {
            Wire::Tob(m) => ctx.pass_message(self, Tob, from, m),
            Wire::Write(token) => self.on_write(ctx, token),
        }
    }

    /// `upon event ⟨ Timeout | lease, t ⟩ do if client = Holding(t) then
    /// trigger ⟨ sem, Expired | t ⟩; trigger ⟨ tob, Broadcast | RELEASE(self, t) ⟩; next`;
    /// `upon event ⟨ Timeout | reclaim, t, s ⟩ do if grants[t] = (·, s) then
    /// trigger ⟨ tob, Broadcast | EXPIRE(t, s) ⟩`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Self::Timer) {
        match timer {
            Timer::Tob(t) => ctx.pass_timer(self, Tob, t),
            Timer::Lease(t) => {
                if self.client == (Client::Holding { token: t }) {
                    ctx.indicate(SemInd::Expired { token: t });
                    let me = ctx.me();
                    self.broadcast(ctx, Cmd::Release(me, t));
                    self.next(ctx);
                }
            }
            Timer::Reclaim(t, claimed) => {
                if self.grants.get(&t).is_some_and(|g| g.1 == claimed) {
                    self.broadcast(ctx, Cmd::Expire(t, claimed));
                }
            }
        }
    }
}

use crate::abstractions::{sem_request, LEASE, PERIOD, PERMITS};
use crate::consensus_tob;
use catalogue::{job, Algorithm, InputError, Loaded, Params, Runnable};
use links::detectors::{abstractions::perfect, AnyPerfect};

/// The service over uniform Consensus-Based TOB.
pub type Standard = RsmSemaphore<consensus_tob::UniformTob<Cmd, AnyPerfect>>;

fn build(
    l: &Loaded,
    p: &Params,
    mutate: fn(Standard) -> Standard,
) -> Result<Box<dyn Runnable>, InputError> {
    let (d, period) = (perfect(l, p)?, p.int("period"));
    let (permits, hold) = (p.int("permits"), p.int("lease"));
    let drift = l.scenario.model.clocks.drift;
    job(
        l,
        p,
        move |_| {
            let tob = consensus_tob::uniform::<Cmd, AnyPerfect>(period, d.clone());
            mutate(RsmSemaphore::new(tob, permits, hold, drift))
        },
        sem_request,
    )
}

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "rsm-semaphore", abstraction: "sem", params: &[PERIOD, PERMITS, LEASE],
    model: "fail-stop; uses P (model.detector: algorithm | perfect) for the uniform TOB below; clocks drifting by at most model.clocks.drift",
    summary: "Lock service / k-semaphore: a state machine over uniform Consensus-Based TOB; tokens are log indices; the client holds T_h of its clock, the service reclaims after T_g ≥ T_h(1+ρ)/(1−ρ) of its own; process 0's resource fences stale tokens",
    build: |l, p| build(l, p, |a| a);

    id: "rsm-semaphore-no-fencing", abstraction: "sem", params: &[PERIOD, PERMITS, LEASE], mutant: true,
    model: "a resource that does not check tokens: a client that paused past its lease overwrites a later holder's write",
    summary: "MUTANT (B-9.14): the lock service whose resource accepts stale tokens",
    build: |l, p| build(l, p, RsmSemaphore::without_fencing);

    id: "rsm-semaphore-no-drift-margin", abstraction: "sem", params: &[PERIOD, PERMITS, LEASE], mutant: true,
    model: "T_g = T_h although clocks drift 2ρ apart: a fast replica reclaims while a slow client still holds",
    summary: "MUTANT (B-9.15): the lock service reclaiming leases without a drift margin",
    build: |l, p| build(l, p, RsmSemaphore::without_drift_margin);
};
