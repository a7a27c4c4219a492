//! Causal-order broadcast `crb` by Waiting Causal Broadcast (CGR Module 3.9, Algorithm 3.15),
//! with vector clocks.
//!
//! Algorithm id: `waiting-causal-broadcast`.
//!
//! Model: fail-silent (whatever the reliable broadcast below needs). Uses any reliable
//! broadcast below it. Properties: CRB1-CRB4 as RB1-RB4 (validity, no duplication, no
//! creation, agreement) and CRB5 causal delivery.
//!
//! `V[p]` counts the messages from `p` this process has delivered. A message carries the
//! sender's vector `W` at broadcast time, with `W[sender]` its own number; a receiver holds it
//! in `pending` until `W ≤ V`, i.e. until it has delivered everything the sender had delivered
//! (and the sender's earlier broadcasts). Messages stay small (N numbers), but a message may
//! wait. Comparing only the sender's entry is FIFO, not causal (book §6.5, B-6.7).

use crate::eager::EagerReliableBroadcast;
use crate::interface::{Broadcast, BroadcastModule, Deliver};
use automata::{Ctx, Module, Payload, Pid, Time, ToValue, Value};
use std::collections::BTreeSet;
use std::marker::PhantomData;

/// `[DATA, W, m]`: a message with its sender's vector clock at broadcast time.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamped<P> {
    /// `W`: `W[q]` messages from `q` precede this one; `W[sender]` is its own number.
    pub w: Vec<u64>,
    pub msg: P,
}

impl<P: ToValue> ToValue for Stamped<P> {
    fn to_value(&self) -> Value {
        Value::List(vec![
            Value::List(self.w.iter().map(ToValue::to_value).collect()),
            self.msg.to_value(),
        ])
    }
}

/// `W ≤ V`: every entry of `w` is at most the matching entry of `v`.
pub fn leq(w: &[u64], v: &[u64]) -> bool {
    w.iter()
        .enumerate()
        .all(|(i, x)| *x <= v.get(i).copied().unwrap_or(0))
}

/// Waiting Causal Broadcast over any reliable broadcast `R` (Eager Reliable Broadcast by
/// default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WaitingCausalBroadcast<
    P: Payload,
    R: BroadcastModule<Stamped<P>> = EagerReliableBroadcast<Stamped<P>>,
> {
    rb: R,
    /// `V`: `V[p]` messages from `p` delivered so far (empty until `Init`).
    v: Vec<u64>,
    /// `lsn`: the number of this process's broadcasts so far.
    lsn: u64,
    /// `pending`: (sender, W, m) delivered by rb but not yet causally deliverable.
    pending: BTreeSet<(Pid, Vec<u64>, P)>,
    /// Mutant switch: `true` compares only the sender's entry, `W[p'] ≤ V[p']`, instead of
    /// `W ≤ V` (book §6.5, B-6.7): that is FIFO order, not causal order. Caught by CRB5
    /// causal-delivery.
    sender_only: bool,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, R: BroadcastModule<Stamped<P>>] WaitingCausalBroadcast<P, R>;
    /// Slot of the reliable broadcast below.
    Rb(rb: R) => on_rb_deliver;
}

impl<P: Payload> WaitingCausalBroadcast<P> {
    /// Waiting Causal Broadcast over Eager Reliable Broadcast over Basic Broadcast over
    /// perfect links with retransmission period `period`.
    pub fn new(period: Time) -> Self {
        WaitingCausalBroadcast::over(EagerReliableBroadcast::new(period))
    }
}

impl<P: Payload, R: BroadcastModule<Stamped<P>>> WaitingCausalBroadcast<P, R> {
    /// Waiting Causal Broadcast over the given reliable broadcast.
    pub fn over(rb: R) -> Self {
        WaitingCausalBroadcast {
            rb,
            v: Vec::new(),
            lsn: 0,
            pending: BTreeSet::new(),
            sender_only: false,
            _payload: PhantomData,
        }
    }

    /// MUTANT: compares only the sender's vector entry (`waiting-causal-sender-only`).
    pub fn comparing_sender_only(self) -> Self {
        WaitingCausalBroadcast {
            sender_only: true,
            ..self
        }
    }

    // ANCHOR: deliver
    /// Whether (p', W', m') can be delivered: `W' ≤ V` (the mutant: `W'[p'] ≤ V[p']`).
    fn deliverable(&self, p: Pid, w: &[u64]) -> bool {
        if self.sender_only {
            w.get(p).copied().unwrap_or(0) <= self.v[p]
        } else {
            leq(w, &self.v)
        }
    }

    /// `upon event ⟨ rb, Deliver | p, [DATA, W, m] ⟩ do pending := pending ∪ {(p, W, m)};
    /// while exists (p', W', m') ∈ pending such that W' ≤ V do
    /// pending := pending \ {(p', W', m')}; V[rank(p')] := V[rank(p')] + 1;
    /// trigger ⟨ crb, Deliver | p', m' ⟩`.
    fn on_rb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Stamped<P>>) {
        if self.v.len() < ctx.n() {
            self.v.resize(ctx.n(), 0);
        }
        self.pending.insert((from, msg.w, msg.msg));
        while let Some(entry) = self
            .pending
            .iter()
            .find(|(p, w, _)| self.deliverable(*p, w))
            .cloned()
        {
            self.pending.remove(&entry);
            let (p, _, m) = entry;
            self.v[p] += 1;
            ctx.indicate(Deliver { from: p, msg: m });
        }
    }
    // ANCHOR_END: deliver
}

impl<P: Payload, R: BroadcastModule<Stamped<P>>> Module for WaitingCausalBroadcast<P, R> {
    const NAME: &'static str = "crb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(Rb: R);

    /// `upon event ⟨ crb, Init ⟩ do V := [0]^N; lsn := 0; pending := ∅`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.v = vec![0; ctx.n()];
        self.lsn = 0;
        self.pending.clear();
        ctx.init(self, Rb);
    }

    // ANCHOR: broadcast
    /// `upon event ⟨ crb, Broadcast | m ⟩ do W := V; W[rank(self)] := lsn; lsn := lsn + 1;
    /// trigger ⟨ rb, Broadcast | [DATA, W, m] ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        if self.v.len() < ctx.n() {
            self.v.resize(ctx.n(), 0);
        }
        let mut w = self.v.clone();
        w[ctx.me()] = self.lsn;
        self.lsn += 1;
        ctx.trigger(
            self,
            Rb,
            Broadcast {
                msg: Stamped { w, msg },
            },
        );
    }
    // ANCHOR_END: broadcast
}

use crate::abstractions::{broadcast, PERIOD};
use catalogue::{job, Algorithm};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "waiting-causal-broadcast", abstraction: "crb", params: &[PERIOD],
    model: "fail-silent (as the rb below)",
    summary: "Waiting Causal Broadcast (CGR 3.15): vector clocks, hold back until W ≤ V",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| WaitingCausalBroadcast::<Value>::new(period), broadcast)
    };

    id: "waiting-causal-sender-only", abstraction: "crb", params: &[PERIOD], mutant: true,
    model: "fail-silent",
    summary: "MUTANT: Waiting Causal Broadcast comparing only the sender's entry (B-6.7)",
    build: |l, p| {
        let period = p.int("period");
        job(l, p, move |_| WaitingCausalBroadcast::<Value>::new(period).comparing_sender_only(), broadcast)
    };
};
