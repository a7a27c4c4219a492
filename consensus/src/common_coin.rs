//! The common coin (CGR Module 5.12, used by randomized consensus), one instance per round,
//! as a threshold coin whose key a trusted dealer handed out before the run.
//!
//! Request `⟨ Release | r ⟩`; indication `⟨ Output | r, c ⟩` with `c ∈ {0, 1}`. Properties:
//! CC1 termination (once every correct process released `r`, every correct process outputs
//! it), CC2 unpredictability (no process outputs `r` before some correct process released it),
//! CC3 matching (every process outputs the same `c` for `r`), CC4 no bias (each value with
//! probability 1/2).
//!
//! The simulator plays the dealer: the coin of round `r` is [`automata::Ctx::oracle_coin`],
//! a fair draw from the run's seed, the same at every process (CC3, CC4). A process releases
//! round `r` by broadcasting its share; it outputs the coin once it released `r` and holds
//! `f + 1` shares, one of them from a correct process (CC2: a real threshold coin cannot be
//! computed from fewer). Model: crash-stop, N > 2f, over best-effort broadcast.

use crate::coin_monitors::{COIN_OUTPUT, COIN_RELEASE};
use automata::{Ctx, Event, Module, Observe, Pid, ToValue, Value};
use broadcast::{BestEffortBroadcast, Broadcast, Deliver};
use links::PerfectLinksAck;
use std::collections::{BTreeMap, BTreeSet};

/// Request `⟨ Release | r ⟩`: this process is ready to see the coin of round `r`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release(pub u64);

/// Indication `⟨ Output | r, c ⟩`: the coin of round `r` is `c`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Output {
    pub round: u64,
    pub c: u8,
}

/// `[SHARE, r]`: the sender's share of round `r`'s coin.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share(pub u64);

impl ToValue for Share {
    fn to_value(&self) -> Value {
        Value::List(vec![Value::str("SHARE"), Value::Int(self.0 as i64)])
    }
}

impl Observe for Release {
    fn observe(&self) -> Option<Event> {
        Some(Event::Other {
            name: COIN_RELEASE.into(),
            value: Value::Int(self.0 as i64),
        })
    }
}

impl Observe for Output {
    fn observe(&self) -> Option<Event> {
        Some(Event::Other {
            name: COIN_OUTPUT.into(),
            value: Value::List(vec![
                Value::Int(self.round as i64),
                Value::Int(self.c as i64),
            ]),
        })
    }
}

/// A threshold common coin over Basic Broadcast.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CommonCoin {
    beb: BestEffortBroadcast<Share, PerfectLinksAck<Share>>,
    /// `f`: the crashes tolerated; `f + 1` shares reveal a coin.
    f: usize,
    /// The rounds this process released and has not output yet.
    released: BTreeSet<u64>,
    /// `shares[r]`: the processes whose share of round `r` arrived.
    shares: BTreeMap<u64, BTreeSet<Pid>>,
    /// Mutant switches, both off in the real coin: reveal the coin on this process's own
    /// share (CC2), or flip a private coin (CC3).
    own_share: bool,
    private: bool,
}

automata::below! {
    impl[] CommonCoin;
    /// Slot of the best-effort broadcast that carries the shares.
    BebSlot(beb: BestEffortBroadcast<Share, PerfectLinksAck<Share>>) as "coin-beb" => on_share;
}

impl CommonCoin {
    /// A coin revealed by `f + 1` shares, over perfect links that retransmit every `period`
    /// until acknowledged.
    pub fn new(f: usize, period: automata::Time) -> Self {
        CommonCoin {
            beb: BestEffortBroadcast::over(PerfectLinksAck::new(period.max(1))),
            f,
            released: BTreeSet::new(),
            shares: BTreeMap::new(),
            own_share: false,
            private: false,
        }
    }

    /// MUTANT: outputs the coin as soon as this process's own share arrives (CC2: a process
    /// that crashes later has seen the coin before any correct process released it).
    pub fn revealed_by_own_share(mut self) -> Self {
        self.own_share = true;
        self
    }

    /// MUTANT: each process flips its own coin (CC3: processes output different values).
    pub fn private(mut self) -> Self {
        self.private = true;
        self
    }

    /// A released round with more than `f` shares.
    fn ready(&self) -> Option<u64> {
        let needed = if self.own_share { 1 } else { self.f + 1 };
        let shares = |r: &u64| self.shares.get(r).map_or(0, BTreeSet::len);
        self.released.iter().copied().find(|r| shares(r) >= needed)
    }

    /// `upon event ⟨ beb, Deliver | p, [SHARE, r] ⟩ do shares[r] := shares[r] ∪ {p}`.
    fn on_share(&mut self, _ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Share>) {
        self.shares.entry(msg.0).or_default().insert(from);
    }
}

impl Module for CommonCoin {
    const NAME: &'static str = "coin";
    type Req = Release;
    type Ind = Output;
    automata::pass_through!(BebSlot: BestEffortBroadcast<Share, PerfectLinksAck<Share>>);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, BebSlot);
    }

    /// `upon event ⟨ coin, Release | r ⟩ do released := released ∪ {r};
    /// trigger ⟨ beb, Broadcast | [SHARE, r] ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Release(r): Release) {
        self.released.insert(r);
        ctx.trigger(self, BebSlot, Broadcast { msg: Share(r) });
    }

    /// `upon exists r ∈ released such that #(shares[r]) > f do released := released \ {r};
    /// trigger ⟨ coin, Output | r, coin(r) ⟩`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        while let Some(round) = self.ready() {
            self.released.remove(&round);
            let c = if self.private {
                ctx.choose(2) as u8
            } else {
                ctx.oracle_coin(round)
            };
            ctx.indicate(Output { round, c });
        }
    }
}
