//! Probabilistic broadcast `pb` by Lazy Probabilistic Broadcast (CGR Module 3.7, Algorithms
//! 3.10 and 3.11).
//!
//! Algorithm id: `lazy-probabilistic-broadcast`.
//!
//! Model: crash-stop, fair-loss network, no detector. Uses an unreliable probabilistic
//! broadcast `upb` for the first dissemination (Eager Probabilistic Broadcast in rounds mode,
//! fanout `k`, `R` rounds, by default; any broadcast of [`Unique`] messages fits the type) and
//! the fair-loss links for recovery. Properties: PB1 probabilistic validity (judged over seeds),
//! PB2 no duplication, PB3 no creation.
//!
//! Each sender numbers its messages. A receiver delivers a sender's messages in number order
//! (`next[s]`), holding back (`pending`) what arrives early. Every process keeps a copy of each
//! message it receives by gossip with probability α (`stored`): a cheap, partial, spread-out
//! log. A process that sees a gap (message sn of s while it expects next[s] < sn) asks for each
//! missing message by gossip (`[REQUEST, q, s, x, r]` to k random processes, forwarded for at
//! most R − 1 more hops); whoever stored it sends it straight back. If the gap is still open
//! after `timeout` ticks, the process gives up on what is missing before sn and delivers what it
//! has. So a message lost by the first gossip is recovered when a later message of the same
//! sender reveals the gap and some process stored it; the last message of a sender has no later
//! one to reveal its loss. Each message is delivered at most once (next[s] only grows), and
//! only if it was broadcast.

use super::{fanout, targets, EagerProbabilisticBroadcast, Mode};
use crate::interface::{Broadcast, BroadcastModule, Deliver, Unique};
use automata::{Ctx, Module, Payload, Pid, Time};
use std::collections::BTreeMap;
use std::marker::PhantomData;

/// A message's identity: (original sender, its sequence number).
type Id = (Pid, u64);

/// Recovery traffic on the fair-loss links.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Recovery<P> {
    /// `[REQUEST, q, s, sn, r]`: q asks for message sn of s; r hops of gossip left.
    Request { q: Pid, s: Pid, sn: u64, r: u32 },
    /// `[DATA, s, m, sn]`, sent back to the requester.
    Data(Unique<P>),
}

/// The wire: the unreliable broadcast's messages, or recovery traffic.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LazyWire<U, P> {
    Upb(U),
    Fll(Recovery<P>),
}

/// The timers: the unreliable broadcast's, or "stop waiting for the gap before (s, sn)".
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LazyTimer<U> {
    Upb(U),
    Gap { s: Pid, sn: u64 },
}

/// The parameters: fanout `k`, rounds `R`, storage probability α, the gap timeout.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LazyParams {
    /// Fanout of each gossip (mean; randomized rounding).
    pub k: f64,
    /// Rounds R of the first dissemination; a request travels at most R − 1 more hops.
    pub rounds: u32,
    /// α: the probability that a process stores a message it receives by gossip.
    pub alpha: f64,
    /// Ticks a process waits for a missing message before it gives up on it.
    pub timeout: Time,
}

impl Eq for LazyParams {}

impl std::hash::Hash for LazyParams {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (
            self.k.to_bits(),
            self.rounds,
            self.alpha.to_bits(),
            self.timeout,
        )
            .hash(state);
    }
}

/// Lazy Probabilistic Broadcast over the unreliable probabilistic broadcast `U`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LazyProbabilisticBroadcast<
    P: Payload,
    U: BroadcastModule<Unique<P>> = EagerProbabilisticBroadcast<Unique<P>>,
> {
    upb: U,
    params: LazyParams,
    /// `lsn`: the number of this process's next broadcast.
    lsn: u64,
    /// `next[s]`: the number of the next message to deliver from s (absent: 0).
    next: BTreeMap<Pid, u64>,
    /// `pending`: messages received before their predecessors.
    pending: BTreeMap<Id, P>,
    /// `stored`: the messages this process keeps for others' requests.
    stored: BTreeMap<Id, P>,
    /// MUTANT: accepts a copy of a message it has already delivered
    /// ([`LazyProbabilisticBroadcast::accepting_old_copies`]).
    accept_old: bool,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, U: BroadcastModule<Unique<P>>] LazyProbabilisticBroadcast<P, U>;
    /// Slot of the unreliable probabilistic broadcast.
    Upb(upb: U) as "upb" => on_upb_deliver, msg LazyWire::Upb, timer LazyTimer::Upb;
}

impl<P: Payload> LazyProbabilisticBroadcast<P> {
    /// Over Eager Probabilistic Broadcast in rounds mode with the same fanout and rounds.
    pub fn new(params: LazyParams) -> Self {
        let upb = EagerProbabilisticBroadcast::new(Mode::Rounds {
            k: params.k,
            rounds: params.rounds,
        });
        LazyProbabilisticBroadcast::over(upb, params)
    }
}

impl<P: Payload, U: BroadcastModule<Unique<P>>> LazyProbabilisticBroadcast<P, U> {
    /// Over the given unreliable broadcast.
    pub fn over(upb: U, params: LazyParams) -> Self {
        LazyProbabilisticBroadcast {
            upb,
            params,
            lsn: 0,
            next: BTreeMap::new(),
            pending: BTreeMap::new(),
            stored: BTreeMap::new(),
            accept_old: false,
            _payload: PhantomData,
        }
    }

    /// MUTANT: forgets the `sn < next[s]` test, so a copy that arrives after its message was
    /// delivered (the gossip's copy after the recovered one, say) is delivered again (PB2 no
    /// duplication).
    pub fn accepting_old_copies(mut self) -> Self {
        self.accept_old = true;
        self
    }

    fn next(&self, s: Pid) -> u64 {
        self.next.get(&s).copied().unwrap_or(0)
    }

    /// `procedure gossip(msg) is forall t ∈ picktargets(k) do trigger ⟨ fll, Send | t, msg ⟩`.
    fn gossip(&mut self, ctx: &mut Ctx<Self>, msg: Recovery<P>) {
        let k = fanout(ctx, self.params.k);
        for t in targets(ctx, k) {
            ctx.send(t, LazyWire::Fll(msg.clone()));
        }
    }

    /// `procedure deliver-pending(s) is while exists (s, x, m) ∈ pending such that
    /// x = next[s] do next[s] := next[s] + 1; pending := pending \ {(s, x, m)};
    /// trigger ⟨ pb, Deliver | s, m ⟩`.
    fn deliver_pending(&mut self, ctx: &mut Ctx<Self>, s: Pid) {
        loop {
            let x = self.next(s);
            let Some(m) = self.pending.remove(&(s, x)) else {
                return;
            };
            self.next.insert(s, x + 1);
            ctx.indicate(Deliver { from: s, msg: m });
        }
    }

    /// A message (s, sn) arrived: deliver it if it is the next one from s (and whatever it
    /// unblocks), hold it back if it is early, ignore it if it is old or already held.
    /// Returns whether it opened a gap (it is early and new).
    fn accept(&mut self, ctx: &mut Ctx<Self>, m: Unique<P>) -> bool {
        let (s, sn) = m.id();
        let next = self.next(s);
        if (sn < next && !self.accept_old) || self.pending.contains_key(&(s, sn)) {
            return false;
        }
        if sn < next {
            ctx.indicate(Deliver {
                from: s,
                msg: m.msg,
            });
            return false;
        }
        self.pending.insert((s, sn), m.msg);
        self.deliver_pending(ctx, s);
        sn > next
    }

    // ANCHOR: store
    /// `upon event ⟨ upb, Deliver | p, [DATA, s, m, sn] ⟩ do if random([0, 1]) < α then
    /// stored := stored ∪ {[DATA, s, m, sn]}; if sn = next[s] then next[s] := next[s] + 1;
    /// trigger ⟨ pb, Deliver | s, m ⟩; deliver-pending(s) else if sn > next[s] then
    /// pending := pending ∪ {[DATA, s, m, sn]}; forall missing ∈ [next[s], sn − 1] do if no
    /// m' exists such that [DATA, s, m', missing] ∈ pending then
    /// gossip([REQUEST, self, s, missing, R − 1]); starttimer(timeout, s, sn)`.
    fn on_upb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { msg: m, .. }: Deliver<Unique<P>>) {
        let (s, sn) = m.id();
        if ctx.coin(self.params.alpha) {
            self.stored.insert((s, sn), m.msg.clone());
        }
        let next = self.next(s);
        if self.accept(ctx, m) {
            let me = ctx.me();
            let r = self.params.rounds.saturating_sub(1);
            for missing in next..sn {
                if !self.pending.contains_key(&(s, missing)) {
                    self.gossip(
                        ctx,
                        Recovery::Request {
                            q: me,
                            s,
                            sn: missing,
                            r,
                        },
                    );
                }
            }
            ctx.set_timer(self.params.timeout, LazyTimer::Gap { s, sn });
        }
    }

    /// `upon event ⟨ fll, Deliver | p, [REQUEST, q, s, sn, r] ⟩ do if exists m such that
    /// [DATA, s, m, sn] ∈ stored then trigger ⟨ fll, Send | q, [DATA, s, m, sn] ⟩ else if
    /// r > 0 then gossip([REQUEST, q, s, sn, r − 1])`.
    fn on_fll_request(&mut self, ctx: &mut Ctx<Self>, q: Pid, s: Pid, sn: u64, r: u32) {
        if let Some(m) = self.stored.get(&(s, sn)) {
            let msg = m.clone();
            ctx.send(
                q,
                LazyWire::Fll(Recovery::Data(Unique { sender: s, sn, msg })),
            );
        } else if r > 0 {
            self.gossip(ctx, Recovery::Request { q, s, sn, r: r - 1 });
        }
    }
    // ANCHOR_END: store

    /// `upon event ⟨ fll, Deliver | p, [DATA, s, m, sn] ⟩ do if sn ≥ next[s] then
    /// pending := pending ∪ {[DATA, s, m, sn]}; deliver-pending(s)`.
    fn on_fll_data(&mut self, ctx: &mut Ctx<Self>, m: Unique<P>) {
        self.accept(ctx, m);
    }

    /// `upon event ⟨ Timeout | s, sn ⟩ do if sn ≥ next[s] then give up on the messages of s
    /// still missing before sn: next[s] := the smallest x with [DATA, s, m, x] ∈ pending;
    /// deliver-pending(s) (until sn is delivered)`.
    fn on_gap_timeout(&mut self, ctx: &mut Ctx<Self>, s: Pid, sn: u64) {
        while self.next(s) <= sn {
            let from = self.next(s);
            let Some(&(_, x)) = self
                .pending
                .range((s, from)..=(s, sn))
                .next()
                .map(|(k, _)| k)
            else {
                return;
            };
            self.next.insert(s, x);
            self.deliver_pending(ctx, s);
        }
    }
}

impl<P: Payload, U: BroadcastModule<Unique<P>>> Module for LazyProbabilisticBroadcast<P, U> {
    const NAME: &'static str = "pb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    type Msg = LazyWire<U::Msg, P>;
    type Timer = LazyTimer<U::Timer>;

    /// `upon event ⟨ pb, Init ⟩ do next := [0]^N; lsn := 0; pending := ∅; stored := ∅`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.next.clear();
        self.lsn = 0;
        self.pending.clear();
        self.stored.clear();
        ctx.init(self, Upb);
    }

    /// `upon event ⟨ pb, Broadcast | m ⟩ do trigger ⟨ upb, Broadcast | [DATA, self, m, lsn] ⟩;
    /// lsn := lsn + 1`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let m = Unique {
            sender: ctx.me(),
            sn: self.lsn,
            msg,
        };
        self.lsn += 1;
        ctx.trigger(self, Upb, Broadcast { msg: m });
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Self::Msg) {
        match msg {
            LazyWire::Upb(m) => ctx.pass_message(self, Upb, from, m),
            LazyWire::Fll(Recovery::Request { q, s, sn, r }) => {
                self.on_fll_request(ctx, q, s, sn, r)
            }
            LazyWire::Fll(Recovery::Data(m)) => self.on_fll_data(ctx, m),
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Self::Timer) {
        match timer {
            LazyTimer::Upb(t) => ctx.pass_timer(self, Upb, t),
            LazyTimer::Gap { s, sn } => self.on_gap_timeout(ctx, s, sn),
        }
    }
}

use crate::abstractions::broadcast;
use automata::Value;
use catalogue::{job_predicting, Algorithm, Param};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "lazy-probabilistic-broadcast", abstraction: "pb",
    params: &[
        Param::float("fanout", 3.0, "k: mean fanout of every gossip (randomized rounding)"),
        Param::int("rounds", 3, "R: rounds of the first dissemination; a request is forwarded at most R - 1 times"),
        Param::float("alpha", 0.3, "probability that a process stores a message it received, to answer requests"),
        Param::int("timeout", 50, "ticks a process waits for a missing message before giving up on it"),
    ],
    model: "crash-stop, fair-loss network",
    summary: "Lazy Probabilistic Broadcast (CGR 3.10-3.11): gossip in rounds, each process stores a message with probability alpha, a gap in a sender's numbers is repaired by asking (by gossip) for the missing message, given up after a timeout",
    build: |l, p| {
        let params = LazyParams {
            k: p.float("fanout"),
            rounds: p.int("rounds") as u32,
            alpha: p.float("alpha"),
            timeout: p.int("timeout"),
        };
        if !(0.0..=1.0).contains(&params.alpha) {
            return Err(l.error(
                "params.alpha",
                format!("alpha is a probability, in [0, 1], not {}", params.alpha),
            ));
        }
        job_predicting(
            l,
            p,
            move |_| LazyProbabilisticBroadcast::<Value>::new(params),
            broadcast,
            BTreeMap::new(),
        )
    };
};
