//! Randomized binary consensus by Randomized Binary Consensus (CGR Module 5.11, Algorithm 5.12).
//!
//! Algorithm ids: `randomized-binary-consensus`, `randomized-binary-consensus-local-coin`
//! (Ben-Or's local coins, for contrast) and the mutant `randomized-binary-consensus-one-vote`.
//!
//! Model: fail-silent (crash-stop, asynchronous, no failure detector), N > 2f. Uses best-effort
//! broadcast, reliable broadcast and a common coin ([`crate::common_coin`]). Properties: RC1
//! termination with probability 1, RC2 validity, RC3 integrity, RC4 (uniform) agreement. FLP
//! rules out a deterministic algorithm here; the coin is what lets this one decide.
//!
//! Rounds of two phases. Phase 1: every process broadcasts its proposal and waits for a
//! majority; a value held by a majority is the only one that can be, and the process keeps it,
//! else it keeps ⊥. Phase 2: it broadcasts that and waits for N − f; then it releases the round's
//! coin. A value seen f + 1 times in phase 2 is decided (every other process saw it at least
//! once among its N − f, and proposes it next round); a value seen at least once is proposed;
//! with nothing but ⊥ the process proposes the coin. Since the coin matches the value some
//! process may keep with probability 1/2, each round decides with probability at least 1/2:
//! the expected number of rounds is at most 2 (C.18). With local coins (Ben-Or) the processes
//! must all be lucky together, which takes exponentially many rounds in N when f = Θ(N).
//!
//! Mutant: [`RandomizedBinaryConsensus::deciding_on_one_vote`] decides a value seen once in
//! phase 2: the others may have missed that vote, follow their coin and decide the other value
//! (RC4).

use crate::coin_monitors::RC_ROUND;
use crate::common_coin::{CommonCoin, Output, Release};
use crate::interface::{Decide, Propose};
use automata::{Ctx, Event, Module, Pid, Time, ToValue, Value};
use broadcast::{BestEffortBroadcast, Broadcast, Deliver, EagerReliableBroadcast, Unique};
use links::PerfectLinksAck;
use std::collections::{BTreeMap, BTreeSet};

/// `[PHASE-1, r, v]`, `[PHASE-2, r, v or ⊥]` (best-effort) and `[DECIDED, v]` (reliable).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RcMsg {
    Phase1 { round: u64, v: u8 },
    Phase2 { round: u64, v: Option<u8> },
    Decided(u8),
}

impl ToValue for RcMsg {
    fn to_value(&self) -> Value {
        let int = |x: u64| Value::Int(x as i64);
        let v = |x: Option<u8>| x.map_or(Value::Unit, |x| int(x as u64));
        Value::List(match *self {
            RcMsg::Phase1 { round, v: x } => vec![Value::str("PHASE-1"), int(round), int(x as u64)],
            RcMsg::Phase2 { round, v: x } => vec![Value::str("PHASE-2"), int(round), v(x)],
            RcMsg::Decided(x) => vec![Value::str("DECIDED"), int(x as u64)],
        })
    }
}

/// The messages or timers of the three modules below.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Below3<B, R, C> {
    Beb(B),
    Rb(R),
    Coin(C),
}

/// Links that retransmit until acknowledged: quiet once everything arrived, so the model
/// checker's state space stays finite.
type Pl<P> = PerfectLinksAck<P>;
type Beb = BestEffortBroadcast<RcMsg, Pl<RcMsg>>;
type Rb = EagerReliableBroadcast<RcMsg, BestEffortBroadcast<Unique<RcMsg>, Pl<Unique<RcMsg>>>>;
type Wire = Below3<<Beb as Module>::Msg, <Rb as Module>::Msg, <CommonCoin as Module>::Msg>;
type Timers = Below3<<Beb as Module>::Timer, <Rb as Module>::Timer, <CommonCoin as Module>::Timer>;

/// Randomized Binary Consensus at one process.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RandomizedBinaryConsensus {
    beb: Beb,
    rb: Rb,
    coin: CommonCoin,
    /// `f`: the crashes tolerated (N > 2f).
    f: usize,
    /// `round`, from 1 once proposed (0 before).
    round: u64,
    /// `phase`: 1 or 2 while collecting, 3 while waiting for the coin (0 before proposing).
    phase: u8,
    /// `proposal`: `Some(v)`, or `None` for ⊥ in phase 2.
    proposal: Option<u8>,
    /// `decision` once taken by this process's own vote count, or delivered.
    decision: Option<u8>,
    /// Whether `Decide` was indicated.
    decided: bool,
    /// `val`: the values received in the current round and phase (`None`: the sender's ⊥).
    val: BTreeMap<Pid, Option<u8>>,
    /// Messages of a later round or phase, waiting for it (the book's `such that`).
    early: BTreeSet<(u64, u8, Pid, Option<u8>)>,
    /// Votes needed in phase 2 to decide: `f + 1` in the book, 1 in the mutant.
    decide_votes: usize,
    /// Ben-Or's local coin instead of the common coin.
    local_coin: bool,
}

automata::below! {
    impl[] RandomizedBinaryConsensus;
    /// Slot of the best-effort broadcast of the phases.
    BebSlot(beb: Beb) as "beb" => on_beb_deliver, msg Below3::Beb, timer Below3::Beb;
    /// Slot of the reliable broadcast of the decision.
    RbSlot(rb: Rb) as "rb" => on_rb_deliver, msg Below3::Rb, timer Below3::Rb;
    /// Slot of the common coin.
    CoinSlot(coin: CommonCoin) => on_coin_output, msg Below3::Coin, timer Below3::Coin;
}

impl RandomizedBinaryConsensus {
    /// Tolerating `f` crashes, over perfect links that retransmit every `period` until
    /// acknowledged.
    pub fn new(f: usize, period: Time) -> Self {
        let period = period.max(1);
        RandomizedBinaryConsensus {
            beb: BestEffortBroadcast::over(PerfectLinksAck::new(period)),
            rb: EagerReliableBroadcast::over(BestEffortBroadcast::over(PerfectLinksAck::new(
                period,
            ))),
            coin: CommonCoin::new(f, period),
            f,
            round: 0,
            phase: 0,
            proposal: None,
            decision: None,
            decided: false,
            val: BTreeMap::new(),
            early: BTreeSet::new(),
            decide_votes: f + 1,
            local_coin: false,
        }
    }

    /// Ben-Or's variant: each process flips its own coin.
    pub fn with_local_coin(mut self) -> Self {
        self.local_coin = true;
        self
    }

    /// Over the given coin (e.g. a broken one, to see its monitors catch it).
    pub fn with_coin(mut self, coin: CommonCoin) -> Self {
        self.coin = coin;
        self
    }

    /// MUTANT: decides a value seen once in phase 2, not `f + 1` times.
    pub fn deciding_on_one_vote(mut self) -> Self {
        self.decide_votes = 1;
        self
    }

    // ANCHOR: deliver
    /// `upon event ⟨ beb, Deliver | p, [PHASE-k, r, v] ⟩ such that phase = k ∧ r = round do
    /// val[p] := v` (a message of a later round or phase waits for it; an older one is late).
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<RcMsg>) {
        if self.decision.is_some() {
            return;
        }
        let (round, phase, v) = match msg {
            RcMsg::Phase1 { round, v } => (round, 1, Some(v)),
            RcMsg::Phase2 { round, v } => (round, 2, v),
            RcMsg::Decided(_) => return,
        };
        if (round, phase) >= (self.round, self.phase) {
            self.early.insert((round, phase, from, v));
        }
        self.take_early(ctx);
    }

    /// Moves the waiting messages of the current round and phase into `val`.
    fn take_early(&mut self, _ctx: &mut Ctx<Self>) {
        let now: Vec<_> = self
            .early
            .iter()
            .filter(|(r, k, _, _)| (*r, *k) == (self.round, self.phase))
            .copied()
            .collect();
        for m @ (_, _, p, v) in now {
            self.early.remove(&m);
            self.val.insert(p, v);
        }
    }

    /// `upon event ⟨ coin, Output | r, c ⟩ such that r = round do
    /// if exists v ≠ ⊥ such that #({p | val[p] = v}) > f then decision := v;
    /// trigger ⟨ rb, Broadcast | [DECIDED, decision] ⟩
    /// else if exists p such that val[p] ≠ ⊥ then proposal := val[p] else proposal := c;
    /// val := [⊥]^N; round := round + 1; phase := 1;
    /// trigger ⟨ beb, Broadcast | [PHASE-1, round, proposal] ⟩`.
    fn on_coin_output(&mut self, ctx: &mut Ctx<Self>, Output { round, c }: Output) {
        if round != self.round || self.phase != 3 || self.decision.is_some() {
            return;
        }
        let votes = |v: u8| self.val.values().filter(|x| **x == Some(v)).count();
        if let Some(v) = [0, 1].into_iter().find(|&v| votes(v) >= self.decide_votes) {
            self.decision = Some(v);
            let msg = RcMsg::Decided(v);
            ctx.trigger(self, RbSlot, Broadcast { msg });
            return;
        }
        let seen = self.val.values().flatten().next().copied();
        self.start_round(ctx, self.round + 1, seen.unwrap_or(c));
    }

    /// `upon event ⟨ rb, Deliver | p, [DECIDED, v] ⟩ do decision := v;
    /// trigger ⟨ rc, Decide | decision ⟩` (once).
    fn on_rb_deliver(&mut self, ctx: &mut Ctx<Self>, d: Deliver<RcMsg>) {
        if let (RcMsg::Decided(v), false) = (d.msg, self.decided) {
            self.decision = Some(v);
            self.decided = true;
            ctx.indicate(Decide(Value::Int(v as i64)));
        }
    }
    // ANCHOR_END: deliver

    /// Round `r` with proposal `v`: `val := [⊥]^N; phase := 1;
    /// trigger ⟨ beb, Broadcast | [PHASE-1, r, v] ⟩`.
    fn start_round(&mut self, ctx: &mut Ctx<Self>, r: u64, v: u8) {
        self.round = r;
        self.phase = 1;
        self.proposal = Some(v);
        self.val.clear();
        ctx.internal(Event::Other {
            name: RC_ROUND.into(),
            value: Value::Int(r as i64),
        });
        let msg = RcMsg::Phase1 { round: r, v };
        ctx.trigger(self, BebSlot, Broadcast { msg });
        self.take_early(ctx);
    }

    /// The end of phase 2: release the round's coin (or flip a local one).
    fn release(&mut self, ctx: &mut Ctx<Self>) {
        self.phase = 3;
        if self.local_coin {
            let c = ctx.choose(2) as u8;
            let round = self.round;
            self.on_coin_output(ctx, Output { round, c });
        } else {
            ctx.trigger(self, CoinSlot, Release(self.round));
        }
    }
}

impl Module for RandomizedBinaryConsensus {
    const NAME: &'static str = "rc";
    type Req = Propose<Value>;
    type Ind = Decide<Value>;
    type Msg = Wire;
    type Timer = Timers;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, BebSlot);
        ctx.init(self, RbSlot);
        ctx.init(self, CoinSlot);
    }

    // ANCHOR: phases
    /// `upon event ⟨ rc, Propose | v ⟩ do proposal := v; round := 1; phase := 1;
    /// trigger ⟨ beb, Broadcast | [PHASE-1, round, proposal] ⟩`. A value other than 0 or 1
    /// is read as 1 (the abstraction is binary).
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Propose(v): Propose<Value>) {
        if self.round == 0 {
            let v = u8::from(v != Value::Int(0));
            self.start_round(ctx, 1, v);
        }
    }

    /// `upon #(val) > N/2 ∧ phase = 1 ∧ decision = ⊥ do
    /// if exists v such that #({p | val[p] = v}) > N/2 then proposal := v else proposal := ⊥;
    /// val := [⊥]^N; phase := 2; trigger ⟨ beb, Broadcast | [PHASE-2, round, proposal] ⟩`, and
    /// `upon #(val) ≥ N − f ∧ phase = 2 ∧ decision = ⊥ do phase := 0;
    /// trigger ⟨ coin, Release | round ⟩`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        let n = ctx.n();
        while self.decision.is_none() {
            let before = (self.round, self.phase);
            self.phases(ctx, n);
            if (self.round, self.phase) == before {
                break;
            }
        }
    }
    // ANCHOR_END: phases

    automata::pass_through!(match Below3 {
        Beb => BebSlot,
        Rb => RbSlot,
        Coin => CoinSlot,
    });
}

impl RandomizedBinaryConsensus {
    // ANCHOR: phases_body
    /// The two guarded actions of [`Module::on_guard`], once each.
    fn phases(&mut self, ctx: &mut Ctx<Self>, n: usize) {
        if self.phase == 1 && 2 * self.val.len() > n {
            let votes = |v: u8| self.val.values().filter(|x| **x == Some(v)).count();
            self.proposal = [0, 1].into_iter().find(|&v| 2 * votes(v) > n);
            self.val.clear();
            self.phase = 2;
            let (round, v) = (self.round, self.proposal);
            ctx.trigger(
                self,
                BebSlot,
                Broadcast {
                    msg: RcMsg::Phase2 { round, v },
                },
            );
            self.take_early(ctx);
        }
        if self.phase == 2 && self.val.len() + self.f >= n {
            self.release(ctx);
        }
    }
    // ANCHOR_END: phases_body
}

use crate::abstractions::{propose, PERIOD};
use catalogue::{job, Algorithm, InputError, Loaded, Param, Params, Runnable};

const F: Param = Param::int(
    "f",
    1,
    "crashes tolerated: phase 2 waits for N − f messages, f + 1 votes decide (needs N > 2f)",
);

/// The job of `make(f, period)`, once `N > 2f` is checked.
fn randomized(
    l: &Loaded,
    p: &Params,
    make: fn(usize, Time) -> RandomizedBinaryConsensus,
) -> Result<Box<dyn Runnable>, InputError> {
    let (f, period, n) = (p.int("f") as usize, p.int("period"), l.scenario.processes);
    if n <= 2 * f {
        let rule = format!("randomized consensus needs N > 2f; here N = {n} and f = {f}");
        return Err(l.error("params.f", rule));
    }
    job(l, p, move |_| make(f, period), propose)
}

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "randomized-binary-consensus", abstraction: "rc", params: &[F, PERIOD],
    model: "fail-silent (no detector), N > 2f; a common coin from the environment, seeded by the run's seed",
    summary: "Randomized Binary Consensus (CGR 5.12): two phases a round, a common coin breaks ties; decides with probability 1",
    build: |l, p| randomized(l, p, RandomizedBinaryConsensus::new);

    id: "randomized-binary-consensus-local-coin", abstraction: "rc", params: &[F, PERIOD],
    model: "fail-silent (no detector), N > 2f; each process flips its own coin (Ben-Or)",
    summary: "Ben-Or's local coins in the same two phases: safe, but the processes must be lucky together",
    build: |l, p| randomized(l, p, |f, period| RandomizedBinaryConsensus::new(f, period).with_local_coin());

    id: "randomized-binary-consensus-one-vote", abstraction: "rc", params: &[F, PERIOD], mutant: true,
    model: "deciding a value seen once in phase 2: others may have missed it and follow the coin",
    summary: "MUTANT: Randomized Binary Consensus deciding on one phase-2 vote instead of f + 1",
    build: |l, p| randomized(l, p, |f, period| RandomizedBinaryConsensus::new(f, period).deciding_on_one_vote());
};
