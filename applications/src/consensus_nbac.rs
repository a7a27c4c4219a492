//! Non-blocking atomic commit `nbac` by Consensus-Based Non-Blocking Atomic Commit (CGR
//! Section 6.4).
//!
//! Algorithm id: `consensus-nbac` (over Basic Broadcast, the perfect failure detector P and
//! Flooding Uniform Consensus).
//!
//! Model: fail-stop (P, `model.detector`, here and in the consensus below), any number of
//! crashes. Properties: NBAC1 termination, NBAC2 abort-validity, NBAC3 commit-validity, NBAC4
//! integrity, NBAC5 uniform agreement.
//!
//! Every process best-effort broadcasts its vote. It proposes ABORT to uniform consensus as
//! soon as an ABORT vote arrives or P detects a crash, and COMMIT once every process's vote
//! has arrived, all COMMIT; it decides what consensus decides. A COMMIT proposal thus
//! certifies that every process voted COMMIT (commit-validity, since consensus decides a
//! proposed value), an ABORT proposal an ABORT vote or a crash (abort-validity); uniform
//! agreement and integrity are the consensus's. Termination: a correct process either
//! receives every vote or misses the vote of a process that crashed, which P eventually
//! detects, so every correct process proposes and the consensus terminates. Cost without
//! failures: one step and N² messages for the votes, then the consensus (Flooding Uniform
//! Consensus: N steps, N³ messages).
//!
//! Mutants: [`ConsensusNbac::hasty`] proposes COMMIT as soon as its own COMMIT vote is back,
//! without waiting for the others: consensus can then decide COMMIT although some process
//! voted ABORT (NBAC3). [`ConsensusNbac::blind`] ignores P: when a process crashes before its
//! vote leaves, nobody ever proposes and nobody decides (NBAC1). [`ConsensusNbac::abort_at_once`]
//! decides ABORT when an ABORT vote arrives (the outcome consensus will reach anyway) but
//! still relays the consensus's decision: it decides twice (NBAC4).

use crate::interface::{Decide, Propose, Vote, VoteConsensus};
use automata::detector::{Crash, PerfectDetector};
use automata::{Ctx, Module, Pid, Time};
use broadcast::{BestEffortBroadcast, Broadcast, Deliver};
use consensus::FloodingUniformConsensus;
use links::{Link, PerfectLinks};
use std::collections::BTreeSet;

type Beb<L> = BestEffortBroadcast<Vote, L>;

/// The messages (or timers) of the vote broadcast, of the consensus, or of P.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire<B, C, D> {
    Beb(B),
    Uc(C),
    Detector(D),
}

/// Consensus-Based NBAC over Basic Broadcast on the links `L`, the uniform consensus `C` and
/// the detector `D`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConsensusNbac<D: PerfectDetector, C: VoteConsensus, L: Link<Vote> = PerfectLinks<Vote>> {
    beb: Beb<L>,
    uc: C,
    p: D,
    /// `voted`: the processes whose COMMIT vote arrived.
    voted: BTreeSet<Pid>,
    /// `proposed`: this process has proposed to consensus.
    proposed: bool,
    /// `false` in the mutant that proposes COMMIT on its own vote alone.
    wait_for_all: bool,
    /// `false` in the mutant that ignores P.
    heed_detector: bool,
    /// `true` in the mutant that decides ABORT on an ABORT vote, then again on consensus.
    abort_at_once: bool,
}

automata::below! {
    impl[D: PerfectDetector, C: VoteConsensus, L: Link<Vote>] ConsensusNbac<D, C, L>;
    /// Slot of the best-effort broadcast of votes.
    BebSlot(beb: Beb<L>) as "beb" => on_beb_deliver, msg Wire::Beb, timer Wire::Beb;
    /// Slot of the uniform consensus.
    Uc(uc: C) => on_decide, msg Wire::Uc, timer Wire::Uc;
    /// Slot of the perfect failure detector.
    Fd(p: D) => on_crash, msg Wire::Detector, timer Wire::Detector;
}

/// Over perfect links and Flooding Uniform Consensus.
pub type Standard<D> = ConsensusNbac<D, FloodingUniformConsensus<Vote, D>>;

/// [`Standard`] with retransmission period `period` and the detector `p` (one instance of it
/// for the algorithm, one for the consensus below).
pub fn standard<D: PerfectDetector>(period: Time, p: D) -> Standard<D> {
    ConsensusNbac::over(
        PerfectLinks::new(period),
        FloodingUniformConsensus::new(period, p.clone()),
        p,
    )
}

impl<D: PerfectDetector, C: VoteConsensus, L: Link<Vote>> ConsensusNbac<D, C, L> {
    /// Over Basic Broadcast on `links`, the uniform consensus `uc` and the detector `p`.
    pub fn over(links: L, uc: C, p: D) -> Self {
        ConsensusNbac {
            beb: BestEffortBroadcast::over(links),
            uc,
            p,
            voted: BTreeSet::new(),
            proposed: false,
            wait_for_all: true,
            heed_detector: true,
            abort_at_once: false,
        }
    }

    /// MUTANT: proposes COMMIT as soon as its own COMMIT vote is delivered back.
    pub fn hasty(self) -> Self {
        ConsensusNbac {
            wait_for_all: false,
            ..self
        }
    }

    /// MUTANT: ignores P's crash detections.
    pub fn blind(self) -> Self {
        ConsensusNbac {
            heed_detector: false,
            ..self
        }
    }

    /// MUTANT: decides ABORT as soon as an ABORT vote arrives, and decides again when the
    /// consensus does.
    pub fn abort_at_once(self) -> Self {
        ConsensusNbac {
            abort_at_once: true,
            ..self
        }
    }

    // ANCHOR: handlers
    /// `upon event ⟨ P, Crash | p ⟩ do if proposed = FALSE then proposed := TRUE;
    /// trigger ⟨ uc, Propose | ABORT ⟩`.
    fn on_crash(&mut self, ctx: &mut Ctx<Self>, Crash(_): Crash) {
        if self.heed_detector {
            self.propose(ctx, Vote::Abort);
        }
    }

    /// `upon event ⟨ beb, Deliver | p, v ⟩ do if v = ABORT then (if proposed = FALSE then
    /// proposed := TRUE; trigger ⟨ uc, Propose | ABORT ⟩) else voted := voted ∪ {p}`.
    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Vote>) {
        match msg {
            Vote::Abort => {
                if self.abort_at_once && !self.proposed {
                    ctx.indicate(Decide(Vote::Abort));
                }
                self.propose(ctx, Vote::Abort);
            }
            Vote::Commit => {
                self.voted.insert(from);
            }
        }
    }

    /// `upon event ⟨ uc, Decide | d ⟩ do trigger ⟨ nbac, Decide | d ⟩`.
    fn on_decide(&mut self, ctx: &mut Ctx<Self>, Decide(d): Decide<Vote>) {
        ctx.indicate(Decide(d));
    }
    // ANCHOR_END: handlers

    /// Proposes `v` to consensus unless this process already proposed.
    fn propose(&mut self, ctx: &mut Ctx<Self>, v: Vote) {
        if !self.proposed {
            self.proposed = true;
            ctx.trigger(self, Uc, Propose(v));
        }
    }
}

impl<D: PerfectDetector, C: VoteConsensus, L: Link<Vote>> Module for ConsensusNbac<D, C, L> {
    const NAME: &'static str = "nbac";
    type Req = Propose<Vote>;
    type Ind = Decide<Vote>;
    type Msg = Wire<<Beb<L> as Module>::Msg, C::Msg, D::Msg>;
    type Timer = Wire<<Beb<L> as Module>::Timer, C::Timer, D::Timer>;

    /// `upon event ⟨ nbac, Init ⟩ do voted := ∅; proposed := FALSE`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, BebSlot);
        ctx.init(self, Uc);
        ctx.init(self, Fd);
    }

    // ANCHOR: propose
    /// `upon event ⟨ nbac, Propose | v ⟩ do trigger ⟨ beb, Broadcast | v ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Propose(v): Propose<Vote>) {
        ctx.trigger(self, BebSlot, Broadcast { msg: v });
    }

    /// `upon voted = Π ∧ proposed = FALSE do proposed := TRUE;
    /// trigger ⟨ uc, Propose | COMMIT ⟩`. (The hasty mutant: `upon self ∈ voted`.)
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        let ready = if self.wait_for_all {
            self.voted.len() == ctx.n()
        } else {
            self.voted.contains(&ctx.me())
        };
        if ready {
            self.propose(ctx, Vote::Commit);
        }
    }
    // ANCHOR_END: propose

    automata::pass_through!(match Wire {
        Beb => BebSlot,
        Uc => Uc,
        Detector => Fd,
    });
}

use crate::abstractions::{propose, PERIOD};
use catalogue::{job, Algorithm, InputError, Loaded, Params, Runnable};
use links::detectors::{abstractions::perfect, AnyPerfect};

fn build(
    l: &Loaded,
    p: &Params,
    mutate: fn(Standard<AnyPerfect>) -> Standard<AnyPerfect>,
) -> Result<Box<dyn Runnable>, InputError> {
    let (d, period) = (perfect(l, p)?, p.int("period"));
    job(l, p, move |_| mutate(standard(period, d.clone())), propose)
}

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "consensus-nbac", abstraction: "nbac", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect)",
    summary: "Consensus-Based NBAC (CGR §6.6): broadcast the votes; propose ABORT on an ABORT vote or a crash, COMMIT once all voted COMMIT; decide what uniform consensus decides",
    build: |l, p| build(l, p, |a| a);

    id: "consensus-nbac-hasty", abstraction: "nbac", params: &[PERIOD], mutant: true,
    model: "proposing COMMIT on its own vote alone: consensus may decide COMMIT although some process voted ABORT",
    summary: "MUTANT: Consensus-Based NBAC proposing COMMIT without waiting for every vote",
    build: |l, p| build(l, p, ConsensusNbac::hasty);

    id: "consensus-nbac-blind", abstraction: "nbac", params: &[PERIOD], mutant: true,
    model: "ignoring P: a process that crashes before its vote leaves leaves everyone waiting for it",
    summary: "MUTANT: Consensus-Based NBAC ignoring crash detections",
    build: |l, p| build(l, p, ConsensusNbac::blind);

    id: "consensus-nbac-abort-at-once", abstraction: "nbac", params: &[PERIOD], mutant: true,
    model: "deciding ABORT on an ABORT vote, then relaying the consensus's decision as well: two decisions",
    summary: "MUTANT: Consensus-Based NBAC deciding ABORT at once, and again after consensus",
    build: |l, p| build(l, p, ConsensusNbac::abort_at_once);
};
