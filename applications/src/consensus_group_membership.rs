//! Group membership `gm` by Consensus-Based Group Membership (CGR Section 6.7).
//!
//! Algorithm id: `consensus-group-membership` (over the perfect failure detector P and one
//! instance of Flooding Uniform Consensus per view change).
//!
//! Model: fail-stop (P, `model.detector`, here and in the consensus below), any number of
//! crashes. Indication `⟨ gm, View | (id, M) ⟩`; every process starts in the initial view
//! (0, Π), which it indicates at `Init`. Properties: GM1 monotonicity (successive views at a
//! process have increasing ids and shrinking memberships), GM2 uniform agreement (views with
//! the same id have the same membership, at any process), GM3 completeness (every crashed
//! process is eventually excluded by every correct process), GM4 accuracy (a process excluded
//! from an installed view crashed before).
//!
//! When P detects the crash of a member of the current view and no view change is under way,
//! a process proposes the next view (id + 1, the members it has not detected) to a fresh
//! uniform consensus instance `uc.(id + 1)` and installs what it decides. Every view with id i
//! is instance i's decision (GM2, by uniform agreement), a proposed value: the current view
//! minus detected processes, which crashed (GM4, by P's strong accuracy), at least one of them
//! (GM1). Completeness: every correct process eventually detects every crash (P's strong
//! completeness), so while some crashed process is still a member every correct process
//! proposes, and the instance terminates. Cost: one consensus per view change (Flooding
//! Uniform Consensus: N steps, N³ messages).
//!
//! Mutant: [`ConsensusGroupMembership::local`] installs the next view from its own detections,
//! without consensus: a process that detects one crash before it crashes itself, and another
//! that detects both crashes at once, install different views with id 1 (GM2). Too weak a
//! model: over ◇P taken as P (`model.detector = "eventually-perfect"`), a false suspicion is
//! proposed and decided, and a correct process is excluded (GM4).

use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Event, Instances, Module, Observe, Pid, Time, ToValue, Value};
use consensus::{Decide, FloodingUniformConsensus, Propose};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;

/// The trace name of a view indication: `Other { name: "view", value: [id, [members]] }`.
pub const VIEW: &str = "view";

/// A view (id, M): its number and its members.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct View {
    pub id: u64,
    pub members: BTreeSet<Pid>,
}

impl View {
    /// The initial view (0, Π) of `processes`.
    pub fn initial(processes: impl IntoIterator<Item = Pid>) -> Self {
        View {
            id: 0,
            members: processes.into_iter().collect(),
        }
    }

    /// The view of the trace value `[id, [members]]`, if it is one.
    pub fn from_value(v: &Value) -> Option<View> {
        let Value::List(parts) = v else { return None };
        let [Value::Int(id), Value::List(members)] = parts.as_slice() else {
            return None;
        };
        let members = members
            .iter()
            .map(|m| match m {
                Value::Int(p) => Some(*p as Pid),
                _ => None,
            })
            .collect::<Option<_>>()?;
        Some(View {
            id: *id as u64,
            members,
        })
    }
}

impl ToValue for View {
    fn to_value(&self) -> Value {
        let members = self.members.iter().map(|&p| Value::Int(p as i64)).collect();
        Value::List(vec![Value::Int(self.id as i64), Value::List(members)])
    }
}

impl Observe for View {
    fn observe(&self) -> Option<Event> {
        Some(Event::Other {
            name: Cow::Borrowed(VIEW),
            value: self.to_value(),
        })
    }
}

/// Any consensus module deciding views (the one each view change runs).
pub trait ViewConsensus: Module<Req = Propose<View>, Ind = Decide<View>> {}

impl<M: Module<Req = Propose<View>, Ind = Decide<View>>> ViewConsensus for M {}

/// The messages (or timers) of P, or of consensus instance `i`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire<D, C> {
    Detector(D),
    Uc(u64, C),
}

/// Consensus-Based Group Membership over the detector `D` and numbered instances of the
/// uniform consensus `C`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConsensusGroupMembership<D: PerfectDetector, C: ViewConsensus> {
    p: D,
    uc: Instances<C>,
    /// `view`: the current view, (0, Π) from `Init`.
    view: View,
    /// `correct`: the processes P has not detected.
    correct: BTreeSet<Pid>,
    /// `wait`: a view change is under way (this process proposed to `uc.(view.id + 1)`).
    wait: bool,
    /// Decisions of later instances, waiting for theirs (the book's `such that i = id + 1`).
    early: BTreeMap<u64, View>,
    /// `false` in the mutant that installs its own proposal, without consensus.
    agree: bool,
}

automata::below! {
    impl[D: PerfectDetector, C: ViewConsensus] ConsensusGroupMembership<D, C>;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg Wire::Detector, timer Wire::Detector;
}

automata::numbered! {
    impl[D: PerfectDetector, C: ViewConsensus] ConsensusGroupMembership<D, C>;
    /// The consensus instances, `uc.1`, `uc.2`, ... one a view change.
    Uc(uc: C) => on_decide, msg Wire::Uc, timer Wire::Uc;
}

/// Over perfect links and Flooding Uniform Consensus.
pub type Standard<D> = ConsensusGroupMembership<D, FloodingUniformConsensus<View, D>>;

/// [`Standard`] with retransmission period `period` and the detector `p` (one instance of it
/// for the algorithm, one for each consensus instance).
pub fn standard<D: PerfectDetector>(period: Time, p: D) -> Standard<D> {
    ConsensusGroupMembership::over(FloodingUniformConsensus::new(period, p.clone()), p)
}

impl<D: PerfectDetector, C: ViewConsensus> ConsensusGroupMembership<D, C> {
    /// Over the detector `p`; each view change's consensus instance starts as `uc`.
    pub fn over(uc: C, p: D) -> Self {
        ConsensusGroupMembership {
            p,
            uc: Instances::new(uc),
            view: View::initial([]),
            correct: BTreeSet::new(),
            wait: false,
            early: BTreeMap::new(),
            agree: true,
        }
    }

    /// MUTANT: installs the view it would propose at once, without consensus.
    pub fn local(self) -> Self {
        ConsensusGroupMembership {
            agree: false,
            ..self
        }
    }

    // ANCHOR: decide
    /// `upon event ⟨ P, Crash | p ⟩ do correct := correct \ {p}`.
    fn on_crash(&mut self, _ctx: &mut Ctx<Self>, Crash(p): Crash) {
        self.correct.remove(&p);
    }

    /// `upon event ⟨ uc.i, Decide | (id, M) ⟩ such that i = view.id + 1 do
    /// view := (id, M); wait := FALSE; trigger ⟨ gm, View | view ⟩`.
    fn on_decide(&mut self, ctx: &mut Ctx<Self>, i: u64, Decide(decided): Decide<View>) {
        if i <= self.view.id {
            return;
        }
        self.early.insert(i, decided);
        while let Some(next) = self.early.remove(&(self.view.id + 1)) {
            self.install(ctx, next);
        }
    }
    // ANCHOR_END: decide

    fn install(&mut self, ctx: &mut Ctx<Self>, next: View) {
        self.view = next;
        self.wait = false;
        ctx.indicate(self.view.clone());
    }
}

impl<D: PerfectDetector, C: ViewConsensus> Module for ConsensusGroupMembership<D, C> {
    const NAME: &'static str = "gm";
    type Req = Infallible;
    type Ind = View;
    type Msg = Wire<D::Msg, C::Msg>;
    type Timer = Wire<D::Timer, C::Timer>;

    /// `upon event ⟨ gm, Init ⟩ do view := (0, Π); correct := Π; wait := FALSE;
    /// trigger ⟨ gm, View | view ⟩`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.view = View::initial(ctx.processes());
        self.correct = ctx.processes().collect();
        ctx.indicate(self.view.clone());
        ctx.init(self, Fd);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: Infallible) {
        match req {}
    }

    // ANCHOR: guard
    /// `upon view.M ⊄ correct ∧ wait = FALSE do wait := TRUE;
    /// trigger ⟨ uc.(view.id + 1), Propose | (view.id + 1, view.M ∩ correct) ⟩`.
    /// (The local mutant installs that view at once.)
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        while !self.wait && !self.view.members.is_subset(&self.correct) {
            let next = View {
                id: self.view.id + 1,
                members: &self.view.members & &self.correct,
            };
            if self.agree {
                self.wait = true;
                ctx.trigger_at(self, Uc, next.id, Propose(next));
            } else {
                self.install(ctx, next);
            }
        }
    }
    // ANCHOR_END: guard

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Self::Msg) {
        match msg {
            Wire::Detector(m) => ctx.pass_message(self, Fd, from, m),
            Wire::Uc(i, m) => ctx.pass_message_at(self, Uc, i, from, m),
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Self::Timer) {
        match timer {
            Wire::Detector(t) => ctx.pass_timer(self, Fd, t),
            Wire::Uc(i, t) => ctx.pass_timer_at(self, Uc, i, t),
        }
    }
}

use crate::abstractions::PERIOD;
use catalogue::{job, no_request, Algorithm, InputError, Loaded, Params, Runnable};
use links::detectors::{abstractions::perfect, AnyPerfect};

fn build(
    l: &Loaded,
    p: &Params,
    mutate: fn(Standard<AnyPerfect>) -> Standard<AnyPerfect>,
) -> Result<Box<dyn Runnable>, InputError> {
    let (d, period) = (perfect(l, p)?, p.int("period"));
    job(
        l,
        p,
        move |_| mutate(standard(period, d.clone())),
        no_request,
    )
}

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "consensus-group-membership", abstraction: "gm", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect; eventually-perfect breaks accuracy)",
    summary: "Consensus-Based Group Membership (CGR 6.7): when P detects a member's crash, propose the view without the detected to a fresh uniform consensus; install what it decides",
    build: |l, p| build(l, p, |a| a);

    id: "consensus-group-membership-local", abstraction: "gm", params: &[PERIOD], mutant: true,
    model: "installing the view its own detections give, without consensus: two processes that detect two crashes in different batches install different views with the same id",
    summary: "MUTANT: Consensus-Based Group Membership installing views without consensus",
    build: |l, p| build(l, p, ConsensusGroupMembership::local);
};
