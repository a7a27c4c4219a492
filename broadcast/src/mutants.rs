//! Deliberately broken broadcasts: each one exists to show that a monitor catches a bug
//! (CATALOGUE.md part B, "every monitor ships with a mutant it provably catches").
//!
//! None of these is a textbook algorithm; they live here, away from the algorithm files, so
//! that a reader never mistakes one for the real thing.
//!
//! | mutant (id) | what is wrong | property that catches it |
//! |---|---|---|
//! | [`NonRelayingRb`] (`eager-rb-no-relay`) | Eager Reliable Broadcast that never relays | RB4 agreement |
//! | [`DuplicatingRb`] (`eager-rb-no-dedup`) | delivers every copy, not only the first | RB2 no-duplication |
//! | [`ForgingBeb`] (`beb-forging`) | names the wrong process as the sender | BEB3 no-creation |
//! | [`HastyFifoBroadcast`] (`fifo-broadcast-hasty`) | delivers on arrival, ignoring sequence numbers | FRB5 fifo-delivery |
//! | [`SenderOnlyCausal`] (`waiting-causal-sender-only`) | compares only the sender's vector entry (B-6.7) | CRB5 causal-delivery |
//!
//! Models too weak for a correct algorithm show the other monitors: Basic Broadcast over
//! fair-loss links on a lossy network loses BEB1 validity, Majority-Ack with N ≤ 2f loses RB1
//! validity (B-6.4), Basic Broadcast with a sender crashing mid-broadcast loses RB4 agreement
//! (B-6.1), Eager Reliable Broadcast loses URB4 uniform agreement (B-6.2), FIFO broadcast loses
//! CRB5 (B-6.6), Basic Broadcast over perfect links loses SBEB1 best-effort validity (it
//! delivers once, never again), Logged Basic Broadcast over a broadcast that does not
//! retransmit loses LBEB1, and garbage collection of the causal past over ◇P loses CRB5. The
//! logged mutant of B-6.9 is an option of [`crate::LoggedMajorityAckUrb`]
//! (`volatile_delivered`), and the garbage collection that trims a message from the causal past
//! as soon as it is delivered (CRB5) an option of [`crate::GcCausalBroadcast`]
//! (`trimming_at_delivery`).

use crate::best_effort::BestEffortBroadcast;
use crate::eager::EagerReliableBroadcast;
use crate::fifo::Sequenced;
use crate::interface::{Broadcast, BroadcastModule, Deliver, Unique};
use crate::waiting::Stamped;
use automata::{Ctx, Module, Payload, Pid, Time};
use std::collections::BTreeSet;
use std::marker::PhantomData;

/// Mutant of Eager Reliable Broadcast (CGR 3.3) without the relay: it is best-effort
/// broadcast with de-duplication. When the sender crashes mid-broadcast, some correct
/// processes deliver and others never do. Caught by RB4 agreement. NAME `rb`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NonRelayingRb<P: Payload, B: BroadcastModule<Unique<P>> = BestEffortBroadcast<Unique<P>>>
{
    beb: B,
    lsn: u64,
    delivered: BTreeSet<(Pid, u64)>,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, B: BroadcastModule<Unique<P>>] NonRelayingRb<P, B>;
    /// Slot of the module below.
    NoRelayBeb(beb: B) => on_beb_deliver;
}

impl<P: Payload> NonRelayingRb<P> {
    pub fn new(period: Time) -> Self {
        NonRelayingRb::over(BestEffortBroadcast::new(period))
    }
}

impl<P: Payload, B: BroadcastModule<Unique<P>>> NonRelayingRb<P, B> {
    pub fn over(beb: B) -> Self {
        NonRelayingRb {
            beb,
            lsn: 0,
            delivered: BTreeSet::new(),
            _payload: PhantomData,
        }
    }

    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { msg, .. }: Deliver<Unique<P>>) {
        if self.delivered.insert(msg.id()) {
            ctx.indicate(Deliver {
                from: msg.sender,
                msg: msg.msg,
            });
            // The bug: no `trigger ⟨ beb, Broadcast | [DATA, s, m] ⟩`.
        }
    }
}

impl<P: Payload, B: BroadcastModule<Unique<P>>> Module for NonRelayingRb<P, B> {
    const NAME: &'static str = "rb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(NoRelayBeb: B);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, NoRelayBeb);
    }

    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let sn = self.lsn;
        self.lsn += 1;
        let msg = Unique {
            sender: ctx.me(),
            sn,
            msg,
        };
        ctx.trigger(self, NoRelayBeb, Broadcast { msg });
    }
}

/// Mutant of Eager Reliable Broadcast (CGR 3.3) that relays once but delivers every copy it
/// receives (the original and every relay). Caught by RB2 no-duplication. NAME `rb`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DuplicatingRb<P: Payload, B: BroadcastModule<Unique<P>> = BestEffortBroadcast<Unique<P>>>
{
    beb: B,
    lsn: u64,
    /// Messages relayed so far (the relay is still done once).
    relayed: BTreeSet<(Pid, u64)>,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, B: BroadcastModule<Unique<P>>] DuplicatingRb<P, B>;
    /// Slot of the module below.
    DupBeb(beb: B) => on_beb_deliver;
}

impl<P: Payload> DuplicatingRb<P> {
    pub fn new(period: Time) -> Self {
        DuplicatingRb::over(BestEffortBroadcast::new(period))
    }
}

impl<P: Payload, B: BroadcastModule<Unique<P>>> DuplicatingRb<P, B> {
    pub fn over(beb: B) -> Self {
        DuplicatingRb {
            beb,
            lsn: 0,
            relayed: BTreeSet::new(),
            _payload: PhantomData,
        }
    }

    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { msg, .. }: Deliver<Unique<P>>) {
        // The bug: the delivery is outside `if m ∉ delivered`.
        ctx.indicate(Deliver {
            from: msg.sender,
            msg: msg.msg.clone(),
        });
        if self.relayed.insert(msg.id()) {
            ctx.trigger(self, DupBeb, Broadcast { msg });
        }
    }
}

impl<P: Payload, B: BroadcastModule<Unique<P>>> Module for DuplicatingRb<P, B> {
    const NAME: &'static str = "rb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(DupBeb: B);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, DupBeb);
    }

    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let sn = self.lsn;
        self.lsn += 1;
        let msg = Unique {
            sender: ctx.me(),
            sn,
            msg,
        };
        ctx.trigger(self, DupBeb, Broadcast { msg });
    }
}

/// Mutant of Basic Broadcast (CGR 3.1) that reports each message as broadcast by the next
/// process in rank order. Caught by BEB3 no-creation (with n ≥ 2). NAME `beb`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ForgingBeb<P: Payload, B: BroadcastModule<P> = BestEffortBroadcast<P>> {
    beb: B,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, B: BroadcastModule<P>] ForgingBeb<P, B>;
    /// Slot of the module below.
    ForgeBeb(beb: B) => on_beb_deliver;
}

impl<P: Payload> ForgingBeb<P> {
    pub fn new(period: Time) -> Self {
        ForgingBeb::over(BestEffortBroadcast::new(period))
    }
}

impl<P: Payload, B: BroadcastModule<P>> ForgingBeb<P, B> {
    pub fn over(beb: B) -> Self {
        ForgingBeb {
            beb,
            _payload: PhantomData,
        }
    }

    fn on_beb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<P>) {
        // The bug: the wrong sender.
        let from = (from + 1) % ctx.n();
        ctx.indicate(Deliver { from, msg });
    }
}

impl<P: Payload, B: BroadcastModule<P>> Module for ForgingBeb<P, B> {
    const NAME: &'static str = "beb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(ForgeBeb: B);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, ForgeBeb);
    }

    fn on_request(&mut self, ctx: &mut Ctx<Self>, req: Broadcast<P>) {
        ctx.trigger(self, ForgeBeb, req);
    }
}

/// Mutant of Broadcast with Sequence Number (CGR 3.12) that delivers each message as soon as
/// the reliable broadcast below delivers it: numbers are sent but never waited for. Caught by
/// FRB5 fifo-delivery once the network reorders two broadcasts. NAME `frb`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HastyFifoBroadcast<
    P: Payload,
    B: BroadcastModule<Sequenced<P>> = EagerReliableBroadcast<Sequenced<P>>,
> {
    rb: B,
    lsn: u64,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, B: BroadcastModule<Sequenced<P>>] HastyFifoBroadcast<P, B>;
    /// Slot of the module below.
    HastyRb(rb: B) => on_rb_deliver;
}

impl<P: Payload> HastyFifoBroadcast<P> {
    pub fn new(period: Time) -> Self {
        HastyFifoBroadcast::over(EagerReliableBroadcast::new(period))
    }
}

impl<P: Payload, B: BroadcastModule<Sequenced<P>>> HastyFifoBroadcast<P, B> {
    pub fn over(rb: B) -> Self {
        HastyFifoBroadcast {
            rb,
            lsn: 0,
            _payload: PhantomData,
        }
    }

    fn on_rb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Sequenced<P>>) {
        // The bug: no `pending`, no `next[s]`.
        ctx.indicate(Deliver { from, msg: msg.msg });
    }
}

impl<P: Payload, B: BroadcastModule<Sequenced<P>>> Module for HastyFifoBroadcast<P, B> {
    const NAME: &'static str = "frb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(HastyRb: B);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, HastyRb);
    }

    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        let sn = self.lsn;
        self.lsn += 1;
        ctx.trigger(
            self,
            HastyRb,
            Broadcast {
                msg: Sequenced { sn, msg },
            },
        );
    }
}

/// Mutant of Waiting Causal Broadcast (CGR 3.15) that compares only the sender's entry,
/// `W[s] ≤ V[s]`, instead of the whole vector (CATALOGUE.md B-6.7): that is FIFO order, not
/// causal order. Caught by CRB5 causal-delivery. NAME `crb`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SenderOnlyCausal<
    P: Payload,
    B: BroadcastModule<Stamped<P>> = EagerReliableBroadcast<Stamped<P>>,
> {
    rb: B,
    v: Vec<u64>,
    lsn: u64,
    pending: BTreeSet<(Pid, Vec<u64>, P)>,
    _payload: PhantomData<P>,
}

automata::below! {
    impl[P: Payload, B: BroadcastModule<Stamped<P>>] SenderOnlyCausal<P, B>;
    /// Slot of the module below.
    SenderOnlyRb(rb: B) => on_rb_deliver;
}

impl<P: Payload> SenderOnlyCausal<P> {
    pub fn new(period: Time) -> Self {
        SenderOnlyCausal::over(EagerReliableBroadcast::new(period))
    }
}

impl<P: Payload, B: BroadcastModule<Stamped<P>>> SenderOnlyCausal<P, B> {
    pub fn over(rb: B) -> Self {
        SenderOnlyCausal {
            rb,
            v: Vec::new(),
            lsn: 0,
            pending: BTreeSet::new(),
            _payload: PhantomData,
        }
    }

    fn on_rb_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Stamped<P>>) {
        self.v.resize(ctx.n().max(self.v.len()), 0);
        self.pending.insert((from, msg.w, msg.msg));
        // The bug: `W[p'] ≤ V[p']` instead of `W ≤ V`.
        while let Some(entry) = self
            .pending
            .iter()
            .find(|(p, w, _)| w.get(*p).copied().unwrap_or(0) <= self.v[*p])
            .cloned()
        {
            self.pending.remove(&entry);
            let (p, _, m) = entry;
            self.v[p] += 1;
            ctx.indicate(Deliver { from: p, msg: m });
        }
    }
}

impl<P: Payload, B: BroadcastModule<Stamped<P>>> Module for SenderOnlyCausal<P, B> {
    const NAME: &'static str = "crb";
    type Req = Broadcast<P>;
    type Ind = Deliver<P>;
    automata::pass_through!(SenderOnlyRb: B);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, SenderOnlyRb);
    }

    fn on_request(&mut self, ctx: &mut Ctx<Self>, Broadcast { msg }: Broadcast<P>) {
        self.v.resize(ctx.n().max(self.v.len()), 0);
        let mut w = self.v.clone();
        w[ctx.me()] = self.lsn;
        self.lsn += 1;
        ctx.trigger(
            self,
            SenderOnlyRb,
            Broadcast {
                msg: Stamped { w, msg },
            },
        );
    }
}
