//! Uniform view-synchronous communication `vs` by Consensus-Based Uniform View-Synchronous
//! Communication (CGR Section 6.8).
//!
//! Algorithm id: `consensus-view-synchrony` (over Basic Broadcast, the perfect failure
//! detector P and one instance of Flooding Uniform Consensus per view change).
//!
//! Model: fail-stop (P, `model.detector`, here and in the consensus below), any number of
//! crashes. Request `⟨ vs, Broadcast | m ⟩`; indications `⟨ vs, Deliver | s, m ⟩`,
//! `⟨ vs, View | (id, M) ⟩` (the initial view (0, Π) at `Init`, as in group membership) and
//! `⟨ vs, Block ⟩`. The application's `⟨ vs, BlockOk ⟩` is automatic: a broadcast requested
//! between `Block` and the next view waits inside the module and leaves in that view.
//! Properties: VS1 view inclusion (a message is delivered in the view it was broadcast in),
//! same-view delivery (two processes that install the same two successive views delivered the
//! same messages in the first), reliable broadcast's validity, no duplication, no creation and
//! uniform agreement, and group membership's GM1-GM4 on the views.
//!
//! In a view, a message is best-effort broadcast tagged with the view's id; every member
//! relays it once, on first receipt (its acknowledgement), and a process delivers it once
//! every member of the view has relayed it (so if any process delivers it, every member holds
//! it). When P detects the crash of a member, a process blocks: it stops delivering and
//! relaying, and broadcasts its flush, the set of messages of the view it holds. Once it has
//! the flush of every member it has not detected, it proposes (next view, union of the
//! flushes) to a fresh uniform consensus instance; on the decision it delivers the decided
//! messages it has not delivered, then installs the next view. A message delivered in the view
//! was in its deliverer's flush, and every installer's flush is in the decision, so every
//! process that installs the next view delivered exactly the decided set in the view
//! (same-view delivery).
//!
//! Mutant: [`ConsensusViewSynchrony::no_flush`] proposes the next view as soon as it blocks,
//! with no flush and no messages: a message some member delivered before the change is never
//! delivered by another that installs the same next view (same-view delivery).

use crate::consensus_group_membership::View;
use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Event, Instances, Module, Observe, Payload, Pid, Time, ToValue, Value};
use broadcast::{BestEffortBroadcast, Broadcast, Deliver, Unique};
use consensus::{Decide, FloodingUniformConsensus, Propose};
use links::{Link, PerfectLinks};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// The trace name of the `Block` indication.
pub const BLOCK: &str = "block";

/// What the module tells the application: a delivery, a new view, or that a view change
/// started (broadcasts wait for the next view).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum VsInd<M> {
    Deliver(Deliver<M>),
    View(View),
    Block,
}

impl<M: ToValue> Observe for VsInd<M> {
    fn observe(&self) -> Option<Event> {
        match self {
            VsInd::Deliver(d) => d.observe(),
            VsInd::View(v) => v.observe(),
            VsInd::Block => Some(Event::Other {
                name: Cow::Borrowed(BLOCK),
                value: Value::Unit,
            }),
        }
    }
}

/// The messages of the broadcast below: `[DATA, id, (s, sn, m)]` and `[PENDING, id, set]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VsMsg<M> {
    Data { view: u64, msg: Unique<M> },
    Pending { view: u64, set: BTreeSet<Unique<M>> },
}

impl<M: ToValue> ToValue for VsMsg<M> {
    fn to_value(&self) -> Value {
        match self {
            VsMsg::Data { view, msg } => Value::List(vec![
                Value::str("DATA"),
                Value::Int(*view as i64),
                msg.to_value(),
            ]),
            VsMsg::Pending { view, set } => Value::List(vec![
                Value::str("PENDING"),
                Value::Int(*view as i64),
                Value::List(set.iter().map(ToValue::to_value).collect()),
            ]),
        }
    }
}

/// What each view change's consensus decides: the next view and the messages to deliver in
/// the current one before installing it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NextView<M> {
    pub view: View,
    pub msgs: BTreeSet<Unique<M>>,
}

impl<M: ToValue> ToValue for NextView<M> {
    fn to_value(&self) -> Value {
        Value::List(vec![
            self.view.to_value(),
            Value::List(self.msgs.iter().map(ToValue::to_value).collect()),
        ])
    }
}

/// Any consensus module deciding next views.
pub trait NextViewConsensus<M>:
    Module<Req = Propose<NextView<M>>, Ind = Decide<NextView<M>>>
{
}

impl<M, C: Module<Req = Propose<NextView<M>>, Ind = Decide<NextView<M>>>> NextViewConsensus<M>
    for C
{
}

/// The messages (or timers) of the broadcast, of P, or of consensus instance `i`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire<B, D, C> {
    Beb(B),
    Detector(D),
    Uc(u64, C),
}

type Beb<M, L> = BestEffortBroadcast<VsMsg<M>, L>;

/// Consensus-Based Uniform View-Synchronous Communication over Basic Broadcast on the links
/// `L`, the detector `D` and numbered instances of the uniform consensus `C`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConsensusViewSynchrony<
    M: Payload,
    D: PerfectDetector,
    C: NextViewConsensus<M>,
    L: Link<VsMsg<M>> = PerfectLinks<VsMsg<M>>,
> {
    beb: Beb<M, L>,
    p: D,
    uc: Instances<C>,
    /// `view`: the current view, (0, Π) from `Init`.
    view: View,
    /// `correct`: the processes P has not detected.
    correct: BTreeSet<Pid>,
    /// Sequence number of this process's next broadcast (makes messages unique).
    lsn: u64,
    /// `pending` and `ack`, per view id: the messages of the view held, and the members that
    /// relayed each (later views' arrive early and wait).
    pending: BTreeMap<u64, BTreeMap<Unique<M>, BTreeSet<Pid>>>,
    /// `delivered`: the ids of the messages delivered.
    delivered: BTreeSet<(Pid, u64)>,
    /// `blocked`: a view change is under way (flush sent, no more deliveries or relays).
    blocked: bool,
    /// Broadcasts requested while blocked, sent in the next view.
    waiting: Vec<M>,
    /// `seen`, per view id: the flushes received.
    seen: BTreeMap<u64, BTreeMap<Pid, BTreeSet<Unique<M>>>>,
    /// `wait`: this process proposed to `uc.(view.id + 1)`.
    wait: bool,
    /// Decisions of later instances, waiting for theirs.
    early: BTreeMap<u64, NextView<M>>,
    /// `false` in the mutant that installs the next view without flushing.
    flush: bool,
}

automata::below! {
    impl[M: Payload, D: PerfectDetector, C: NextViewConsensus<M>, L: Link<VsMsg<M>>] ConsensusViewSynchrony<M, D, C, L>;
    /// Slot of the best-effort broadcast.
    BebSlot(beb: Beb<M, L>) as "beb" => on_beb_deliver, msg Wire::Beb, timer Wire::Beb;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg Wire::Detector, timer Wire::Detector;
}

automata::numbered! {
    impl[M: Payload, D: PerfectDetector, C: NextViewConsensus<M>, L: Link<VsMsg<M>>] ConsensusViewSynchrony<M, D, C, L>;
    /// The consensus instances, `uc.1`, `uc.2`, ... one a view change.
    Uc(uc: C) => on_decide, msg Wire::Uc, timer Wire::Uc;
}

/// Over perfect links and Flooding Uniform Consensus.
pub type Standard<M, D> = ConsensusViewSynchrony<M, D, FloodingUniformConsensus<NextView<M>, D>>;

/// [`Standard`] with retransmission period `period` and the detector `p` (one instance of it
/// for the algorithm, one for each consensus instance).
pub fn standard<M: Payload, D: PerfectDetector>(period: Time, p: D) -> Standard<M, D> {
    ConsensusViewSynchrony::over(
        PerfectLinks::new(period),
        FloodingUniformConsensus::new(period, p.clone()),
        p,
    )
}

impl<M: Payload, D: PerfectDetector, C: NextViewConsensus<M>, L: Link<VsMsg<M>>>
    ConsensusViewSynchrony<M, D, C, L>
{
    /// Over Basic Broadcast on `links` and the detector `p`; each view change's consensus
    /// instance starts as `uc`.
    pub fn over(links: L, uc: C, p: D) -> Self {
        ConsensusViewSynchrony {
            beb: BestEffortBroadcast::over(links),
            p,
            uc: Instances::new(uc),
            view: View::initial([]),
            correct: BTreeSet::new(),
            lsn: 0,
            pending: BTreeMap::new(),
            delivered: BTreeSet::new(),
            blocked: false,
            waiting: Vec::new(),
            seen: BTreeMap::new(),
            wait: false,
            early: BTreeMap::new(),
            flush: true,
        }
    }

    /// MUTANT: proposes the next view with no messages as soon as it blocks, without
    /// exchanging flushes.
    pub fn no_flush(self) -> Self {
        ConsensusViewSynchrony {
            flush: false,
            ..self
        }
    }

    /// `upon event ⟨ P, Crash | p ⟩ do correct := correct \ {p}`.
    fn on_crash(&mut self, _ctx: &mut Ctx<Self>, Crash(p): Crash) {
        self.correct.remove(&p);
    }

    /// `upon event ⟨ beb, Deliver | p, [DATA, id, (s, m)] ⟩ such that id = view.id do
    /// ack[m] := ack[m] ∪ {p}; if (s, m) ∉ pending ∧ blocked = FALSE then
    /// pending := pending ∪ {(s, m)}; trigger ⟨ beb, Broadcast | [DATA, id, (s, m)] ⟩`.
    /// `upon event ⟨ beb, Deliver | p, [PENDING, id, pd] ⟩ do seen[p] := pd`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<VsMsg<M>>) {
        match msg {
            VsMsg::Data { view, msg } => {
                if view < self.view.id || (view == self.view.id && self.blocked) {
                    // A relay after blocking counts for nothing: only what a member held
                    // when it flushed may be delivered.
                    if let Some(acks) = self.pending.get_mut(&view).and_then(|p| p.get_mut(&msg)) {
                        if view == self.view.id {
                            acks.insert(from);
                        }
                    }
                    return;
                }
                let fresh = !self
                    .pending
                    .get(&view)
                    .is_some_and(|p| p.contains_key(&msg));
                self.pending
                    .entry(view)
                    .or_default()
                    .entry(msg.clone())
                    .or_default()
                    .insert(from);
                if fresh && view == self.view.id {
                    ctx.trigger(
                        self,
                        BebSlot,
                        Broadcast {
                            msg: VsMsg::Data { view, msg },
                        },
                    );
                }
            }
            VsMsg::Pending { view, set } => {
                self.seen.entry(view).or_default().insert(from, set);
            }
        }
    }

    // ANCHOR: decide
    /// `upon event ⟨ uc.i, Decide | (next, msgs) ⟩ such that i = view.id + 1 do
    /// forall (s, m) ∈ sort(msgs) such that m ∉ delivered do trigger ⟨ vs, Deliver | s, m ⟩;
    /// view := next; pending := ∅; seen := ∅; blocked := FALSE; wait := FALSE;
    /// trigger ⟨ vs, View | view ⟩`.
    fn on_decide(&mut self, ctx: &mut Ctx<Self>, i: u64, Decide(decided): Decide<NextView<M>>) {
        if i <= self.view.id {
            return;
        }
        self.early.insert(i, decided);
        while let Some(NextView { view, msgs }) = self.early.remove(&(self.view.id + 1)) {
            for m in msgs {
                self.deliver(ctx, m);
            }
            let old = self.view.id;
            self.pending.remove(&old);
            self.seen.remove(&old);
            self.view = view;
            self.blocked = false;
            self.wait = false;
            ctx.indicate(VsInd::View(self.view.clone()));
            // What arrived early for this view is relayed now; what waited is broadcast now.
            let early: Vec<Unique<M>> = self
                .pending
                .get(&self.view.id)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default();
            for msg in early {
                let view = self.view.id;
                ctx.trigger(
                    self,
                    BebSlot,
                    Broadcast {
                        msg: VsMsg::Data { view, msg },
                    },
                );
            }
            for m in std::mem::take(&mut self.waiting) {
                self.send(ctx, m);
            }
        }
    }
    // ANCHOR_END: decide

    fn deliver(&mut self, ctx: &mut Ctx<Self>, m: Unique<M>) {
        if self.delivered.insert(m.id()) {
            ctx.indicate(VsInd::Deliver(Deliver {
                from: m.sender,
                msg: m.msg,
            }));
        }
    }

    /// `pending := pending ∪ {(self, m)}; trigger ⟨ beb, Broadcast | [DATA, view.id,
    /// (self, m)] ⟩`.
    fn send(&mut self, ctx: &mut Ctx<Self>, m: M) {
        let msg = Unique {
            sender: ctx.me(),
            sn: self.lsn,
            msg: m,
        };
        self.lsn += 1;
        let view = self.view.id;
        // Held from the start, so a flush that leaves before the message comes back has it.
        self.pending
            .entry(view)
            .or_default()
            .entry(msg.clone())
            .or_default();
        ctx.trigger(
            self,
            BebSlot,
            Broadcast {
                msg: VsMsg::Data { view, msg },
            },
        );
    }
}

impl<M: Payload, D: PerfectDetector, C: NextViewConsensus<M>, L: Link<VsMsg<M>>> Module
    for ConsensusViewSynchrony<M, D, C, L>
{
    const NAME: &'static str = "vs";
    type Req = Broadcast<M>;
    type Ind = VsInd<M>;
    type Msg = Wire<<Beb<M, L> as Module>::Msg, D::Msg, C::Msg>;
    type Timer = Wire<<Beb<M, L> as Module>::Timer, D::Timer, C::Timer>;

    /// `upon event ⟨ vs, Init ⟩ do view := (0, Π); correct := Π; pending := ∅;
    /// delivered := ∅; seen := ∅; blocked := FALSE; wait := FALSE;
    /// trigger ⟨ vs, View | view ⟩`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.view = View::initial(ctx.processes());
        self.correct = ctx.processes().collect();
        ctx.indicate(VsInd::View(self.view.clone()));
        ctx.init(self, BebSlot);
        ctx.init(self, Fd);
    }

    /// `upon event ⟨ vs, Broadcast | m ⟩ do trigger ⟨ beb, Broadcast | [DATA, view.id,
    /// (self, m)] ⟩` (while blocked, once the next view is installed).
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<M>) {
        if self.blocked {
            self.waiting.push(msg);
        } else {
            self.send(ctx, msg);
        }
    }

    // ANCHOR: guard
    /// `upon ∃ (s, m) ∈ pending such that view.M ⊆ ack[m] ∧ m ∉ delivered ∧
    /// blocked = FALSE do trigger ⟨ vs, Deliver | s, m ⟩`.
    ///
    /// `upon view.M ⊄ correct ∧ blocked = FALSE do blocked := TRUE;
    /// trigger ⟨ vs, Block ⟩; trigger ⟨ beb, Broadcast | [PENDING, view.id, pending] ⟩`
    /// (the application's `BlockOk` taken as given).
    ///
    /// `upon blocked = TRUE ∧ (∀ p ∈ view.M ∩ correct: seen[p] ≠ ⊥) ∧ wait = FALSE do
    /// wait := TRUE; trigger ⟨ uc.(view.id + 1), Propose | ((view.id + 1, view.M ∩ correct),
    /// ∪ seen) ⟩`. (The mutant without flush proposes ((view.id + 1, view.M ∩ correct), ∅)
    /// as soon as it blocks.)
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        if !self.blocked {
            let ready: Vec<Unique<M>> = self
                .pending
                .get(&self.view.id)
                .into_iter()
                .flatten()
                .filter(|(m, acks)| {
                    self.view.members.is_subset(acks) && !self.delivered.contains(&m.id())
                })
                .map(|(m, _)| m.clone())
                .collect();
            for m in ready {
                self.deliver(ctx, m);
            }
        }
        if !self.blocked && !self.view.members.is_subset(&self.correct) {
            self.blocked = true;
            ctx.indicate(VsInd::Block);
            if self.flush {
                let view = self.view.id;
                let set = self
                    .pending
                    .get(&view)
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                ctx.trigger(
                    self,
                    BebSlot,
                    Broadcast {
                        msg: VsMsg::Pending { view, set },
                    },
                );
            }
        }
        let members = &self.view.members & &self.correct;
        let seen = self.seen.get(&self.view.id);
        let flushed = !self.flush
            || members
                .iter()
                .all(|p| seen.is_some_and(|s| s.contains_key(p)));
        if self.blocked && !self.wait && flushed {
            self.wait = true;
            let msgs = seen
                .into_iter()
                .flat_map(|s| s.values().flatten().cloned())
                .collect();
            let next = NextView {
                view: View {
                    id: self.view.id + 1,
                    members,
                },
                msgs,
            };
            ctx.trigger_at(self, Uc, next.view.id, Propose(next));
        }
    }
    // ANCHOR_END: guard

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Self::Msg) {
        match msg {
            Wire::Beb(m) => ctx.pass_message(self, BebSlot, from, m),
            Wire::Detector(m) => ctx.pass_message(self, Fd, from, m),
            Wire::Uc(i, m) => ctx.pass_message_at(self, Uc, i, from, m),
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Self::Timer) {
        match timer {
            Wire::Beb(t) => ctx.pass_timer(self, BebSlot, t),
            Wire::Detector(t) => ctx.pass_timer(self, Fd, t),
            Wire::Uc(i, t) => ctx.pass_timer_at(self, Uc, i, t),
        }
    }
}

use crate::abstractions::PERIOD;
use broadcast::abstractions::broadcast;
use catalogue::{job, Algorithm, InputError, Loaded, Params, Runnable};
use links::detectors::{abstractions::perfect, AnyPerfect};

type Any = Standard<Value, AnyPerfect>;

fn build(l: &Loaded, p: &Params, mutate: fn(Any) -> Any) -> Result<Box<dyn Runnable>, InputError> {
    let (d, period) = (perfect(l, p)?, p.int("period"));
    job(
        l,
        p,
        move |_| mutate(standard(period, d.clone())),
        broadcast,
    )
}

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "consensus-view-synchrony", abstraction: "vs", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect)",
    summary: "Consensus-Based Uniform View-Synchronous Communication (CGR 6.8): deliver once every member relayed; on a crash, block, flush what is held, agree on (next view, union of flushes), deliver the rest, install",
    build: |l, p| build(l, p, |a| a);

    id: "consensus-view-synchrony-no-flush", abstraction: "vs", params: &[PERIOD], mutant: true,
    model: "installing the next view without exchanging flushes: a message one member delivered before the change is never delivered by another that installs the same next view",
    summary: "MUTANT: Consensus-Based View Synchrony proposing the next view without flushing",
    build: |l, p| build(l, p, ConsensusViewSynchrony::no_flush);
};
