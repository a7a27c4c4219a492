//! Uniform terminating reliable broadcast `utrb` by Consensus-Based Uniform Terminating
//! Reliable Broadcast (CGR Section 6.3).
//!
//! Algorithm id: `consensus-trb` (over Basic Broadcast, the perfect failure detector P and
//! Flooding Uniform Consensus).
//!
//! Model: fail-stop (P, `model.detector`, here and in the consensus below), any number of
//! crashes. One process, the sender s (`params.sender`), broadcasts one message; every process
//! delivers either that message or ⊥, the indication that s crashed. Properties: termination,
//! validity, integrity, uniform agreement.
//!
//! The sender best-effort broadcasts its message. A process proposes the message to uniform
//! consensus when it arrives, or ⊥ when P detects the sender's crash first, and delivers what
//! consensus decides. Uniform agreement and the single delivery are the consensus's; a
//! message proposal is the sender's message and a ⊥ proposal follows a crash of the sender
//! (consensus decides a proposed value), so if the sender is correct nobody proposes ⊥ and
//! everybody delivers its message (validity). Termination: a correct process either receives
//! the message or misses it because the sender crashed, which P eventually detects, so every
//! correct process proposes and the consensus terminates. Cost without failures: one step and
//! N messages for the broadcast, then the consensus (N steps, N³ messages).
//!
//! Mutants: [`ConsensusTrb::no_consensus`] delivers the message as soon as it arrives and ⊥
//! as soon as P detects the sender's crash, without consensus: when the sender crashes after
//! its message reached only some processes, those deliver it and the others ⊥ (uniform
//! agreement). [`ConsensusTrb::impatient`] proposes ⊥ when a timeout expires before the
//! message arrived, without waiting for P: with a slow but correct sender, consensus decides
//! ⊥ (validity).

use crate::interface::{Decide, Propose, TrbConsensus, TrbValue};
use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Module, Pid, Time, Value};
use broadcast::{BestEffortBroadcast, Broadcast, Deliver};
use consensus::FloodingUniformConsensus;
use links::{Link, PerfectLinks};

type Beb<L> = BestEffortBroadcast<Value, L>;

/// The messages of the sender's broadcast, of the consensus, or of P.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire<B, C, D> {
    Beb(B),
    Uc(C),
    Detector(D),
}

/// The timers: the broadcast's, the consensus's, P's, and the impatient mutant's timeout.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer<B, C, D> {
    Beb(B),
    Uc(C),
    Detector(D),
    Timeout,
}

/// Consensus-Based Uniform TRB over Basic Broadcast on the links `L`, the uniform consensus
/// `C` and the detector `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConsensusTrb<D: PerfectDetector, C: TrbConsensus, L: Link<Value> = PerfectLinks<Value>> {
    beb: Beb<L>,
    uc: C,
    p: D,
    /// `s`: the sender.
    sender: Pid,
    /// `proposal`: what this process proposes (or, in the mutant without consensus,
    /// delivers), once it knows.
    proposal: Option<TrbValue>,
    /// This process has proposed (or delivered, without consensus).
    done: bool,
    /// `false` in the mutant that delivers without consensus.
    agree: bool,
    /// The impatient mutant's timeout, counted from the start.
    timeout: Option<Time>,
}

automata::below! {
    impl[D: PerfectDetector, C: TrbConsensus, L: Link<Value>] ConsensusTrb<D, C, L>;
    /// Slot of the sender's best-effort broadcast.
    BebSlot(beb: Beb<L>) as "beb" => on_beb_deliver, msg Wire::Beb, timer Timer::Beb;
    /// Slot of the uniform consensus.
    Uc(uc: C) => on_decide, msg Wire::Uc, timer Timer::Uc;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg Wire::Detector, timer Timer::Detector;
}

/// Over perfect links and Flooding Uniform Consensus.
pub type Standard<D> = ConsensusTrb<D, FloodingUniformConsensus<TrbValue, D>>;

/// [`Standard`] with sender `sender`, retransmission period `period` and the detector `p`
/// (one instance of it for the algorithm, one for the consensus below).
pub fn standard<D: PerfectDetector>(sender: Pid, period: Time, p: D) -> Standard<D> {
    ConsensusTrb::over(
        sender,
        PerfectLinks::new(period),
        FloodingUniformConsensus::new(period, p.clone()),
        p,
    )
}

impl<D: PerfectDetector, C: TrbConsensus, L: Link<Value>> ConsensusTrb<D, C, L> {
    /// With sender `sender`, over Basic Broadcast on `links`, the uniform consensus `uc` and
    /// the detector `p`.
    pub fn over(sender: Pid, links: L, uc: C, p: D) -> Self {
        ConsensusTrb {
            beb: BestEffortBroadcast::over(links),
            uc,
            p,
            sender,
            proposal: None,
            done: false,
            agree: true,
            timeout: None,
        }
    }

    /// MUTANT: delivers the sender's message on arrival, ⊥ on the sender's crash, without
    /// consensus.
    pub fn no_consensus(self) -> Self {
        ConsensusTrb {
            agree: false,
            ..self
        }
    }

    /// MUTANT: proposes ⊥ if the message has not arrived `timeout` ticks after the start,
    /// without waiting for P.
    pub fn impatient(self, timeout: Time) -> Self {
        ConsensusTrb {
            timeout: Some(timeout.max(1)),
            ..self
        }
    }

    // ANCHOR: handlers
    /// `upon event ⟨ beb, Deliver | s, m ⟩ do if proposal = none then proposal := m`.
    fn on_beb_deliver(&mut self, _ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Value>) {
        if from == self.sender {
            self.proposal.get_or_insert(TrbValue::Message(msg));
        }
    }

    /// `upon event ⟨ P, Crash | p ⟩ do if p = s ∧ proposal = none then proposal := ⊥`.
    fn on_crash(&mut self, _ctx: &mut Ctx<Self>, Crash(p): Crash) {
        if p == self.sender {
            self.proposal.get_or_insert(TrbValue::Bottom);
        }
    }

    /// `upon event ⟨ uc, Decide | v ⟩ do trigger ⟨ utrb, Deliver | s, v ⟩`.
    fn on_decide(&mut self, ctx: &mut Ctx<Self>, Decide(v): Decide<TrbValue>) {
        ctx.indicate(Deliver {
            from: self.sender,
            msg: v,
        });
    }
    // ANCHOR_END: handlers
}

impl<D: PerfectDetector, C: TrbConsensus, L: Link<Value>> Module for ConsensusTrb<D, C, L> {
    const NAME: &'static str = "utrb";
    type Req = Broadcast<Value>;
    type Ind = Deliver<TrbValue>;
    type Msg = Wire<<Beb<L> as Module>::Msg, C::Msg, D::Msg>;
    type Timer = Timer<<Beb<L> as Module>::Timer, C::Timer, D::Timer>;

    /// `upon event ⟨ utrb, Init ⟩ do proposal := none` (the impatient mutant also starts its
    /// timeout).
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, BebSlot);
        ctx.init(self, Uc);
        ctx.init(self, Fd);
        if let Some(t) = self.timeout {
            ctx.set_timer(t, Timer::Timeout);
        }
    }

    /// `upon event ⟨ utrb, Broadcast | m ⟩ do trigger ⟨ beb, Broadcast | m ⟩` (at s only;
    /// loading a scenario rejects a request anywhere else, and another process ignores one).
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<Value>) {
        if ctx.me() == self.sender {
            ctx.trigger(self, BebSlot, Broadcast { msg });
        }
    }

    // ANCHOR: propose
    /// `upon proposal ≠ none ∧ proposed = FALSE do proposed := TRUE;
    /// trigger ⟨ uc, Propose | proposal ⟩`. (Without consensus: `trigger ⟨ utrb, Deliver |
    /// s, proposal ⟩`.)
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        let (false, Some(v)) = (self.done, &self.proposal) else {
            return;
        };
        let v = v.clone();
        self.done = true;
        if self.agree {
            ctx.trigger(self, Uc, Propose(v));
        } else {
            self.on_decide(ctx, Decide(v));
        }
    }
    // ANCHOR_END: propose

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Self::Msg) {
        match msg {
            Wire::Beb(m) => ctx.pass_message(self, BebSlot, from, m),
            Wire::Uc(m) => ctx.pass_message(self, Uc, from, m),
            Wire::Detector(m) => ctx.pass_message(self, Fd, from, m),
        }
    }

    /// The impatient mutant's `upon event ⟨ Timeout ⟩ do if proposal = none then
    /// proposal := ⊥`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Self::Timer) {
        match timer {
            Timer::Beb(t) => ctx.pass_timer(self, BebSlot, t),
            Timer::Uc(t) => ctx.pass_timer(self, Uc, t),
            Timer::Detector(t) => ctx.pass_timer(self, Fd, t),
            Timer::Timeout => {
                self.proposal.get_or_insert(TrbValue::Bottom);
            }
        }
    }
}

use crate::abstractions::{trb_broadcast, PERIOD};
use catalogue::{job, Algorithm, InputError, Loaded, Param, Params, Runnable};
use links::detectors::{abstractions::perfect, AnyPerfect};

/// The designated sender s.
pub const SENDER: Param = Param::int(
    "sender",
    0,
    "the sender s: the one process that broadcasts, once",
);

/// The impatient mutant's `timeout` parameter.
pub const TIMEOUT: Param = Param::int(
    "timeout",
    10,
    "ticks after the start at which a process still without the sender's message proposes ⊥",
);

/// The sender, once checked to be a process; and the workload, once checked to be one
/// broadcast at most, made by the sender.
fn sender(l: &Loaded, p: &Params) -> Result<Pid, InputError> {
    let (s, n) = (p.int("sender"), l.scenario.processes);
    if s >= n as u64 {
        let rule = format!("the sender must be a process, 0 to {}; here N = {n}", n - 1);
        return Err(l.error("params.sender", rule));
    }
    let s = s as Pid;
    if let Some(r) = l.requests.iter().find(|r| r.process != s) {
        let rule = format!(
            "only the sender, process {s} (params.sender), broadcasts in terminating reliable broadcast; this request is at process {}",
            r.process
        );
        return Err(l.error(&r.key, rule));
    }
    if let Some(r) = l.requests.get(1) {
        let rule = "the sender broadcasts one message, once; this is a second request";
        return Err(l.error(&r.key, rule));
    }
    Ok(s)
}

fn build(
    l: &Loaded,
    p: &Params,
    mutate: impl Fn(Standard<AnyPerfect>) -> Standard<AnyPerfect> + Send + Sync + 'static,
) -> Result<Box<dyn Runnable>, InputError> {
    let (s, d, period) = (sender(l, p)?, perfect(l, p)?, p.int("period"));
    job(
        l,
        p,
        move |_| mutate(standard(s, period, d.clone())),
        trb_broadcast,
    )
}

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "consensus-trb", abstraction: "utrb", params: &[SENDER, PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect)",
    summary: "Consensus-Based Uniform TRB (CGR §6.3): the sender broadcasts; propose its message on arrival, ⊥ when P detects its crash; deliver what uniform consensus decides",
    build: |l, p| build(l, p, |a| a);

    id: "consensus-trb-no-consensus", abstraction: "utrb", params: &[SENDER, PERIOD], mutant: true,
    model: "delivering the message on arrival and ⊥ on the sender's crash: a sender that crashes mid-broadcast splits the processes",
    summary: "MUTANT: Consensus-Based TRB delivering without consensus",
    build: |l, p| build(l, p, ConsensusTrb::no_consensus);

    id: "consensus-trb-impatient", abstraction: "utrb", params: &[SENDER, PERIOD, TIMEOUT], mutant: true,
    model: "proposing ⊥ when params.timeout expires, without waiting for P: a slow but correct sender's message is lost",
    summary: "MUTANT: Consensus-Based TRB proposing ⊥ after a timeout instead of a crash detection",
    build: |l, p| {
        let timeout = p.int("timeout");
        build(l, p, move |a| a.impatient(timeout))
    };
};
