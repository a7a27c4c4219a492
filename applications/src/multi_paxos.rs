//! Total-order broadcast `utob` by Multi-Paxos: a replicated log, one Paxos instance a slot,
//! run by a stable leader that does phase 1 once for every slot (Lamport, *Paxos Made
//! Simple*, 2001, §3).
//!
//! Algorithm id: `multi-paxos-tob`; with the key-value store on top, `multi-paxos-log`.
//!
//! Model: crash-stop, N > 2f, perfect links, and the eventual leader detector Ω
//! (`model.detector`) for progress; safety holds whatever Ω says and however slow the
//! network. Properties: those of uniform total-order broadcast (validity, no duplication, no
//! creation, uniform agreement, uniform total order, prefix order).
//!
//! Every process is a proposer, an acceptor and a learner. A broadcast message is forwarded
//! to every process, so whoever leads knows it. The process Ω trusts takes a ballot above
//! every one it has seen and prepares it for all slots at once (1a); acceptors promise and
//! return everything they accepted (1b). With a majority of promises the leader re-proposes,
//! slot by slot, the highest-ballot value it was told of, fills the gaps with no-ops, and from
//! then on puts each new message in the next free slot with a single round trip (2a, 2b):
//! phase 1 is skipped while it stays leader. A slot is decided once a majority accepted its
//! value in one ballot; every process delivers the decided slots in order, each message once
//! (a message a new leader did not know was decided may be decided again in a later slot: the
//! learners skip the copy). An acceptor that refuses a ballot tells the proposer the higher
//! one it promised, so a leader that lags behind catches up.
//!
//! [`MultiPaxos::among`] runs the same log with a set of members as the acceptors and learners
//! (a majority of them decides), as stop-sign reconfiguration does for each configuration.
//!
//! Mutant: [`MultiPaxos::without_adopting`]: a new leader proposes its own messages in every
//! slot without adopting the values the acceptors accepted in earlier ballots, so a slot
//! decided under the old leader can be decided again with another message (uniform total
//! order, prefix order).

use automata::detector::{EventualLeaderDetector, Trust};
use automata::{Ctx, Module, Payload, Pid, ToValue, Value};
use broadcast::{Broadcast, Deliver, Unique};
use links::{Link, PerfectLinksAck, Send};
use std::collections::{BTreeMap, BTreeSet};

/// A ballot: (round, leader). Round 0 is "none".
pub type Ballot = (u64, Pid);

/// A slot's value: a message, or a no-op that fills a gap.
pub type Entry<M> = Option<Unique<M>>;

/// Multi-Paxos's messages.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MpMsg<M> {
    /// A broadcast message, to every process (any of them may lead).
    Forward(Unique<M>),
    /// 1a `[PREPARE, b]`, for every slot.
    Prepare(Ballot),
    /// 1b `[PROMISE, b, accepted]`: every slot's last accepted ballot and value.
    Promise(Ballot, BTreeMap<u64, (Ballot, Entry<M>)>),
    /// 2a `[ACCEPT, b, slot, v]`.
    Accept(Ballot, u64, Entry<M>),
    /// 2b `[ACCEPTED, b, slot]`, to the leader.
    Accepted(Ballot, u64),
    /// `[NACK, promised]`: the ballot was refused; this is the higher one promised.
    Nack(Ballot),
    /// `[DECIDED, slot, v]`, to every learner.
    Decided(u64, Entry<M>),
}

impl<M: ToValue> ToValue for MpMsg<M> {
    fn to_value(&self) -> Value {
        let b = |(r, p): &Ballot| Value::List(vec![Value::Int(*r as i64), Value::Int(*p as i64)]);
        let e = |v: &Entry<M>| v.as_ref().map_or(Value::str("no-op"), ToValue::to_value);
        let s = |x: &u64| Value::Int(*x as i64);
        Value::List(match self {
            MpMsg::Forward(u) => vec![Value::str("FORWARD"), u.to_value()],
            MpMsg::Prepare(x) => vec![Value::str("PREPARE"), b(x)],
            MpMsg::Promise(x, acc) => vec![
                Value::str("PROMISE"),
                b(x),
                Value::List(
                    acc.iter()
                        .map(|(slot, (ab, v))| Value::List(vec![s(slot), b(ab), e(v)]))
                        .collect(),
                ),
            ],
            MpMsg::Accept(x, slot, v) => vec![Value::str("ACCEPT"), b(x), s(slot), e(v)],
            MpMsg::Accepted(x, slot) => vec![Value::str("ACCEPTED"), b(x), s(slot)],
            MpMsg::Nack(x) => vec![Value::str("NACK"), b(x)],
            MpMsg::Decided(slot, v) => vec![Value::str("DECIDED"), s(slot), e(v)],
        })
    }
}

/// The messages (or timers) of the links or of Ω.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire<L, O> {
    Pl(L),
    Omega(O),
}

/// Multi-Paxos over the links `L` and the eventual leader detector `O`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MultiPaxos<
    M: Payload,
    O: EventualLeaderDetector,
    L: Link<MpMsg<M>> = PerfectLinksAck<MpMsg<M>>,
> {
    pl: L,
    omega: O,
    /// The process Ω trusts.
    leader: Pid,
    /// Sequence number of this process's next broadcast.
    lsn: u64,
    /// Messages known and not yet delivered.
    pending: BTreeSet<Unique<M>>,
    /// The highest round seen in any ballot.
    highest: u64,
    // Proposer (while leader).
    ballot: Ballot,
    promises: BTreeMap<Pid, BTreeMap<u64, (Ballot, Entry<M>)>>,
    /// Phase 1 is done for `ballot`: new messages go straight to phase 2.
    active: bool,
    /// What this leader proposed in `ballot`, slot by slot, and who accepted it.
    proposals: BTreeMap<u64, Entry<M>>,
    acks: BTreeMap<u64, BTreeSet<Pid>>,
    // Acceptor.
    promised: Ballot,
    accepted: BTreeMap<u64, (Ballot, Entry<M>)>,
    // Learner.
    decided: BTreeMap<u64, Entry<M>>,
    /// The next slot to deliver.
    next: u64,
    delivered: BTreeSet<(Pid, u64)>,
    /// `false` in the mutant: a new leader ignores what was accepted before.
    adopt: bool,
    /// The acceptors and learners, when not every process ([`MultiPaxos::among`]): a
    /// configuration's members, whose majorities decide.
    members: BTreeSet<Pid>,
}

automata::below! {
    impl[M: Payload, O: EventualLeaderDetector, L: Link<MpMsg<M>>] MultiPaxos<M, O, L>;
    /// Slot of the perfect links.
    PlSlot(pl: L) => on_deliver, msg Wire::Pl, timer Wire::Pl;
    /// Slot of the eventual leader detector.
    OmegaSlot(omega: O) => on_trust, msg Wire::Omega, timer Wire::Omega;
}

impl<M: Payload, O: EventualLeaderDetector> MultiPaxos<M, O> {
    /// Over perfect links that retransmit every `period` ticks until acknowledged (a log
    /// sends many messages: links that resend every message for ever would not scale), and
    /// the leader detector `omega`.
    pub fn new(period: automata::Time, omega: O) -> Self {
        MultiPaxos::over(PerfectLinksAck::new(period), omega)
    }
}

impl<M: Payload, O: EventualLeaderDetector, L: Link<MpMsg<M>>> MultiPaxos<M, O, L> {
    /// Over the links `pl` and the leader detector `omega`.
    pub fn over(pl: L, omega: O) -> Self {
        MultiPaxos {
            pl,
            omega,
            leader: 0,
            lsn: 0,
            pending: BTreeSet::new(),
            highest: 0,
            ballot: (0, 0),
            promises: BTreeMap::new(),
            active: false,
            proposals: BTreeMap::new(),
            acks: BTreeMap::new(),
            promised: (0, 0),
            accepted: BTreeMap::new(),
            decided: BTreeMap::new(),
            next: 0,
            delivered: BTreeSet::new(),
            adopt: true,
            members: BTreeSet::new(),
        }
    }

    /// The same log run by `members` only: they accept and learn, a majority of them decides,
    /// and every message goes to them (a process outside may still broadcast, its FORWARD
    /// reaching the members). Stop-sign reconfiguration runs one such log a configuration.
    pub fn among(self, members: BTreeSet<Pid>) -> Self {
        MultiPaxos { members, ..self }
    }

    /// The acceptors and learners: the members, or every process.
    fn group(&self, ctx: &Ctx<Self>) -> Vec<Pid> {
        if self.members.is_empty() {
            ctx.processes().collect()
        } else {
            self.members.iter().copied().collect()
        }
    }

    /// How many acceptors there are (a majority is more than half of them).
    fn size(&self, ctx: &Ctx<Self>) -> usize {
        if self.members.is_empty() {
            ctx.n()
        } else {
            self.members.len()
        }
    }

    /// MUTANT: a new leader does not adopt previously accepted values.
    pub fn without_adopting(self) -> Self {
        MultiPaxos {
            adopt: false,
            ..self
        }
    }

    fn send_all(&mut self, ctx: &mut Ctx<Self>, msg: MpMsg<M>) {
        for to in self.group(ctx) {
            let msg = msg.clone();
            ctx.trigger(self, PlSlot, Send { to, msg });
        }
    }

    /// Phase 1a: a ballot above every round seen, prepared for every slot.
    fn prepare(&mut self, ctx: &mut Ctx<Self>) {
        self.highest += 1;
        self.ballot = (self.highest, ctx.me());
        self.promises.clear();
        self.proposals.clear();
        self.acks.clear();
        self.active = false;
        self.send_all(ctx, MpMsg::Prepare(self.ballot));
    }

    /// `upon event ⟨ Ω, Trust | p ⟩ do leader := p; if p = self then prepare`.
    fn on_trust(&mut self, ctx: &mut Ctx<Self>, Trust(p): Trust) {
        self.leader = p;
        if p == ctx.me() {
            self.prepare(ctx);
        } else {
            self.active = false;
        }
    }

    fn on_deliver(
        &mut self,
        ctx: &mut Ctx<Self>,
        links::Deliver { from, msg }: links::Deliver<MpMsg<M>>,
    ) {
        match msg {
            MpMsg::Forward(u) => self.on_forward(u),
            MpMsg::Prepare(b) => self.on_prepare(ctx, from, b),
            MpMsg::Promise(b, acc) => self.on_promise(ctx, from, b, acc),
            MpMsg::Accept(b, slot, v) => self.on_accept(ctx, from, b, slot, v),
            MpMsg::Accepted(b, slot) => self.on_accepted(ctx, from, b, slot),
            MpMsg::Nack(b) => self.on_nack(ctx, b),
            MpMsg::Decided(slot, v) => self.on_decided(ctx, slot, v),
        }
    }

    /// `upon [FORWARD, m] do if m not delivered then pending := pending ∪ {m}`.
    fn on_forward(&mut self, u: Unique<M>) {
        if !self.delivered.contains(&u.id()) {
            self.pending.insert(u);
        }
    }

    // ANCHOR: phase_one
    /// Acceptor, 1b: `upon [PREPARE, b] do if b > promised then promised := b;
    /// send [PROMISE, b, accepted] else send [NACK, promised]`.
    fn on_prepare(&mut self, ctx: &mut Ctx<Self>, from: Pid, b: Ballot) {
        self.highest = self.highest.max(b.0);
        let msg = if b > self.promised {
            self.promised = b;
            MpMsg::Promise(b, self.accepted.clone())
        } else {
            MpMsg::Nack(self.promised)
        };
        ctx.trigger(self, PlSlot, Send { to: from, msg });
    }

    /// Leader: `upon [PROMISE, b, acc] with b = ballot do promises[q] := acc`; with a
    /// majority, adopt in every undecided slot the value of the highest ballot reported, fill
    /// the gaps with no-ops, and run phase 2 for each; announce the slots it knows decided
    /// again (the old leader may have crashed before its DECIDED reached everyone).
    fn on_promise(
        &mut self,
        ctx: &mut Ctx<Self>,
        from: Pid,
        b: Ballot,
        acc: BTreeMap<u64, (Ballot, Entry<M>)>,
    ) {
        if b != self.ballot || self.active {
            return;
        }
        self.promises.insert(from, acc);
        if self.promises.len() * 2 <= self.size(ctx) {
            return;
        }
        self.active = true;
        let mut adopted: BTreeMap<u64, (Ballot, Entry<M>)> = BTreeMap::new();
        for (&slot, (ab, v)) in self.promises.values().flatten() {
            if adopted.get(&slot).is_none_or(|(best, _)| ab > best) {
                adopted.insert(slot, (*ab, v.clone()));
            }
        }
        if !self.adopt {
            adopted.clear();
        }
        let last = [adopted.keys().next_back(), self.decided.keys().next_back()];
        let end = last.into_iter().flatten().max().map_or(0, |s| s + 1);
        for slot in 0..end {
            match self.decided.get(&slot).cloned() {
                // A learner the old leader's DECIDED did not reach hears it again.
                Some(v) => self.send_all(ctx, MpMsg::Decided(slot, v)),
                None => {
                    let v = adopted.remove(&slot).and_then(|(_, v)| v);
                    self.propose(ctx, slot, v);
                }
            }
        }
    }
    // ANCHOR_END: phase_one

    // ANCHOR: phase_two
    fn propose(&mut self, ctx: &mut Ctx<Self>, slot: u64, v: Entry<M>) {
        self.proposals.insert(slot, v.clone());
        self.send_all(ctx, MpMsg::Accept(self.ballot, slot, v));
    }

    /// Acceptor, 2b: `upon [ACCEPT, b, slot, v] do if b ≥ promised then promised := b;
    /// accepted[slot] := (b, v); send [ACCEPTED, b, slot] else send [NACK, promised]`.
    fn on_accept(&mut self, ctx: &mut Ctx<Self>, from: Pid, b: Ballot, slot: u64, v: Entry<M>) {
        self.highest = self.highest.max(b.0);
        let msg = if b >= self.promised {
            self.promised = b;
            self.accepted.insert(slot, (b, v));
            MpMsg::Accepted(b, slot)
        } else {
            MpMsg::Nack(self.promised)
        };
        ctx.trigger(self, PlSlot, Send { to: from, msg });
    }

    /// Leader: `upon [ACCEPTED, b, slot] from a majority with b = ballot do
    /// send [DECIDED, slot, proposals[slot]] to all`.
    fn on_accepted(&mut self, ctx: &mut Ctx<Self>, from: Pid, b: Ballot, slot: u64) {
        if b != self.ballot {
            return;
        }
        let n = self.size(ctx);
        let acks = self.acks.entry(slot).or_default();
        let fresh = acks.insert(from) && acks.len() * 2 > n && (acks.len() - 1) * 2 <= n;
        if fresh {
            if let Some(v) = self.proposals.get(&slot).cloned() {
                self.send_all(ctx, MpMsg::Decided(slot, v));
            }
        }
    }

    /// Proposer: `upon [NACK, b'] with b' > ballot ∧ leader = self do prepare` (higher).
    fn on_nack(&mut self, ctx: &mut Ctx<Self>, b: Ballot) {
        self.highest = self.highest.max(b.0);
        if b > self.ballot && self.leader == ctx.me() {
            self.prepare(ctx);
        }
    }

    /// Learner: `upon [DECIDED, slot, v] do decided[slot] := v`; deliver the decided prefix in
    /// slot order, each message once.
    fn on_decided(&mut self, ctx: &mut Ctx<Self>, slot: u64, v: Entry<M>) {
        self.decided.entry(slot).or_insert(v);
        while let Some(v) = self.decided.get(&self.next).cloned() {
            self.next += 1;
            let Some(u) = v else { continue };
            self.pending.remove(&u);
            if self.delivered.insert(u.id()) {
                ctx.indicate(Deliver {
                    from: u.sender,
                    msg: u.msg,
                });
            }
        }
    }
    // ANCHOR_END: phase_two
}

impl<M: Payload, O: EventualLeaderDetector, L: Link<MpMsg<M>>> Module for MultiPaxos<M, O, L> {
    const NAME: &'static str = "tob";
    type Req = Broadcast<M>;
    type Ind = Deliver<M>;
    type Msg = Wire<L::Msg, O::Msg>;
    type Timer = Wire<L::Timer, O::Timer>;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, PlSlot);
        ctx.init(self, OmegaSlot);
    }

    /// `upon event ⟨ tob, Broadcast | m ⟩ do send [FORWARD, (self, lsn, m)] to all`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<M>) {
        let u = Unique {
            sender: ctx.me(),
            sn: self.lsn,
            msg,
        };
        self.lsn += 1;
        self.send_all(ctx, MpMsg::Forward(u));
    }

    /// Leader, 2a: `upon m ∈ pending not proposed ∧ active do
    /// proposals[next free slot] := m; send [ACCEPT, ballot, slot, m] to all`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        if !self.active || self.leader != ctx.me() {
            return;
        }
        // Only the log from `next` on can hold a pending message: one decided before `next`
        // was delivered, and a message delivered is no longer pending.
        let proposed: BTreeSet<(Pid, u64)> = self
            .proposals
            .range(self.next..)
            .chain(self.decided.range(self.next..))
            .filter_map(|(_, e)| e.as_ref().map(Unique::id))
            .collect();
        let fresh: Vec<Unique<M>> = self
            .pending
            .iter()
            .filter(|u| !proposed.contains(&u.id()))
            .cloned()
            .collect();
        for u in fresh {
            let last = [
                self.proposals.keys().next_back(),
                self.decided.keys().next_back(),
            ];
            let slot = last
                .into_iter()
                .flatten()
                .max()
                .map_or(self.next, |s| (s + 1).max(self.next));
            self.propose(ctx, slot, Some(u));
        }
    }

    automata::pass_through!(match Wire {
        Pl => PlSlot,
        Omega => OmegaSlot,
    });
}

use crate::abstractions::{kv_request, PERIOD};
use crate::tob_rsm::{Command, TobRsm};
use broadcast::abstractions::broadcast;
use catalogue::{job, Algorithm};
use links::detectors::{abstractions::leader, AnyLeader};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "multi-paxos-tob", abstraction: "utob", params: &[PERIOD],
    model: "crash-stop, N > 2f; uses Ω (model.detector: algorithm | leader) for progress only",
    summary: "Multi-Paxos (Lamport 2001): a log of Paxos instances, phase 1 once per leader, one round trip a message",
    build: |l, p| {
        let (omega, period) = (leader(l, p)?, p.int("period"));
        job(l, p, move |_| MultiPaxos::<Value, AnyLeader>::new(period, omega.clone()), broadcast)
    };

    id: "multi-paxos-tob-no-adopt", abstraction: "utob", params: &[PERIOD], mutant: true,
    model: "a new leader that ignores accepted values can decide a slot twice, differently",
    summary: "MUTANT: Multi-Paxos whose new leader does not adopt the values accepted before",
    build: |l, p| {
        let (omega, period) = (leader(l, p)?, p.int("period"));
        job(l, p, move |_| MultiPaxos::<Value, AnyLeader>::new(period, omega.clone()).without_adopting(), broadcast)
    };

    id: "multi-paxos-log", abstraction: "kv", params: &[PERIOD],
    model: "crash-stop, N > 2f; uses Ω (model.detector: algorithm | leader) for progress only",
    summary: "Replicated key-value store over the Multi-Paxos log",
    build: |l, p| {
        let (omega, period) = (leader(l, p)?, p.int("period"));
        job(l, p, move |_| TobRsm::new(MultiPaxos::<Command, AnyLeader>::new(period, omega.clone())), kv_request)
    };
};
