//! A (1,N) register over random quorums (Malkhi, Reiter, Wool and Wright, "Probabilistic
//! quorum systems", 2001): the measured side of C.16.
//!
//! Algorithm id: `probabilistic-quorums`.
//!
//! Model: fail-silent, one writer. Uses perfect links. Majority Voting whose operations each
//! ask a quorum of q = ⌈ℓ√N⌉ processes drawn uniformly at random, instead of a majority, and
//! wait for all q answers: far fewer than N/2 when N is large, so two quorums need not
//! intersect, and a read that misses the last write's quorum returns an older value. It is
//! regular only with high probability: two random quorums of size q miss each other with
//! probability C(N − q, q) / C(N, q), at most e^{−ℓ²}. The regular-validity monitor measures
//! the rate of stale reads (`stale_reads`) and the catalogue predicts the exact miss
//! probability beside it. Cost: a write and a read both 2 steps and 2q messages.

use crate::interface::{Client, Msg, Operations, PlOnly, RegisterRet};
use crate::quorum::{ReadList, Stored};
use automata::{Ctx, Payload, Pid, Time};
use links::{PerfectLinks, Send};

type Pl<V> = PerfectLinks<Msg<V>>;

/// Majority Voting over random quorums of `q` processes, over Eliminate Duplicates.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProbabilisticQuorums<V: Payload + Default> {
    pl: Pl<V>,
    client: Client<V>,
    /// ℓ: a quorum has ⌈ℓ√N⌉ processes.
    ell: u64,
    /// `(ts, val)`, `wts`, `acks`, `rid`, `readlist`, as in Majority Voting.
    stored: Stored<V>,
    wts: u64,
    acks: usize,
    writing: bool,
    rid: u64,
    readlist: ReadList<(u64, V)>,
    reading: bool,
}

automata::below! {
    impl[V: Payload + Default] ProbabilisticQuorums<V>;
    /// Slot of the perfect links.
    PlSlot(pl: Pl<V>) as "pl" => on_pl_deliver, msg PlOnly::Pl, timer PlOnly::Pl;
}

/// ⌈ℓ√N⌉, at most N, where `ell_percent` is 100ℓ.
pub fn quorum_size(n: usize, ell_percent: u64) -> usize {
    let q = (ell_percent as f64 / 100.0 * (n as f64).sqrt()).ceil() as usize;
    q.clamp(1, n)
}

/// C(N − q, q) / C(N, q): the probability that two quorums of q processes drawn uniformly at
/// random from N are disjoint.
pub fn miss_probability(n: usize, q: usize) -> f64 {
    (0..q)
        .map(|i| (n.saturating_sub(q + i)) as f64 / (n - i) as f64)
        .product()
}

impl<V: Payload + Default> ProbabilisticQuorums<V> {
    /// Over perfect links with retransmission period `period`, with quorums of ⌈ℓ√N⌉
    /// processes, `ell_percent` = 100ℓ.
    pub fn new(period: Time, ell_percent: u64) -> Self {
        ProbabilisticQuorums {
            pl: PerfectLinks::new(period),
            client: Client::new(),
            ell: ell_percent,
            stored: Stored::default(),
            wts: 0,
            acks: 0,
            writing: false,
            rid: 0,
            readlist: ReadList::default(),
            reading: false,
        }
    }

    /// `Q := q processes drawn uniformly at random` (a partial Fisher-Yates shuffle of Π).
    fn random_quorum(&self, ctx: &mut Ctx<Self>) -> Vec<Pid> {
        let mut pool: Vec<Pid> = ctx.processes().collect();
        let q = quorum_size(pool.len(), self.ell);
        for i in 0..q {
            let j = i + ctx.choose(pool.len() - i);
            pool.swap(i, j);
        }
        pool.truncate(q);
        pool
    }

    /// `forall p ∈ Q do trigger ⟨ pl, Send | p, m ⟩`.
    fn send_to_quorum(&mut self, ctx: &mut Ctx<Self>, msg: Msg<V>) {
        for p in self.random_quorum(ctx) {
            let msg = msg.clone();
            ctx.trigger(self, PlSlot, Send { to: p, msg });
        }
    }

    /// `upon event ⟨ pl, Deliver | p, [WRITE, ts', v'] ⟩ do if ts' > ts then
    /// (ts, val) := (ts', v'); trigger ⟨ pl, Send | p, [ACK, ts'] ⟩`, and
    /// `upon event ⟨ pl, Deliver | p, [READ, r] ⟩ do trigger ⟨ pl, Send | p, [VALUE, r, ts, val] ⟩`,
    /// and the answers: `upon event ⟨ pl, Deliver | q, [ACK, ts'] ⟩ such that ts' = wts do
    /// acks := acks + 1; if acks = q then trigger ⟨ onrr, WriteReturn ⟩`, `upon event
    /// ⟨ pl, Deliver | q, [VALUE, r, ts', v'] ⟩ such that r = rid do readlist[q] := (ts', v');
    /// if #(readlist) = q then trigger ⟨ onrr, ReadReturn | highestval(readlist) ⟩`.
    fn on_pl_deliver(
        &mut self,
        ctx: &mut Ctx<Self>,
        links::Deliver { from: p, msg }: links::Deliver<Msg<V>>,
    ) {
        let q = quorum_size(ctx.n(), self.ell);
        let reply = match msg {
            Msg::Write { ts, v, .. } => {
                self.stored.adopt(ts, 0, v);
                Msg::Ack { r: ts }
            }
            Msg::Read { r } => self.stored.value(r),
            Msg::Ack { r } if self.writing && r == self.wts => {
                self.acks += 1;
                if self.acks == q {
                    self.writing = false;
                    self.client.done();
                    ctx.indicate(RegisterRet::WriteReturn);
                }
                return;
            }
            Msg::Value { r, ts, v, .. } if self.reading && r == self.rid => {
                let answers = self.readlist.put(p, (ts, v));
                if answers == q {
                    let v = self.readlist.highest(|(ts, _)| *ts).1;
                    self.reading = false;
                    self.client.done();
                    ctx.indicate(RegisterRet::ReadReturn(v));
                }
                return;
            }
            _ => return,
        };
        ctx.trigger(self, PlSlot, Send { to: p, msg: reply });
    }
}

impl<V: Payload + Default> Operations<V> for ProbabilisticQuorums<V> {
    /// `upon event ⟨ onrr, Write | v ⟩ do wts := wts + 1; acks := 0; Q := random quorum;
    /// forall p ∈ Q do trigger ⟨ pl, Send | p, [WRITE, wts, v] ⟩`.
    fn write(&mut self, ctx: &mut Ctx<Self>, v: V) {
        self.wts += 1;
        self.acks = 0;
        self.writing = true;
        let msg = Msg::Write {
            r: 0,
            ts: self.wts,
            wr: 0,
            v,
        };
        self.send_to_quorum(ctx, msg);
    }

    /// `upon event ⟨ onrr, Read ⟩ do rid := rid + 1; readlist := [⊥]^N; Q := random quorum;
    /// forall p ∈ Q do trigger ⟨ pl, Send | p, [READ, rid] ⟩`.
    fn read(&mut self, ctx: &mut Ctx<Self>) {
        self.rid += 1;
        self.readlist.reset(ctx.n());
        self.reading = true;
        self.send_to_quorum(ctx, Msg::Read { r: self.rid });
    }
}

crate::register_module! {
    impl[V: Payload + Default] ProbabilisticQuorums<V> as "onrr", V;
    PlOnly { Pl => PlSlot: Pl<V> }
}

use crate::abstractions::{register, PERIOD};
use automata::Value;
use catalogue::{job_predicting, Algorithm, Param};
use std::collections::BTreeMap;

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "probabilistic-quorums", abstraction: "onrr",
    params: &[PERIOD, Param::float("ell", 1.0, "ℓ: each quorum has ⌈ℓ√N⌉ processes, drawn at random")],
    model: "fail-silent, one writer; regular only with high probability (C.16: stale reads at most e^{−ℓ²})",
    summary: "Majority Voting over random quorums of ⌈ℓ√N⌉ (Malkhi, Reiter, Wool, Wright): measures how often two quorums miss",
    build: |l, p| {
        let (period, ell) = (p.int("period"), p.float("ell"));
        let ell_percent = (ell * 100.0).round() as u64;
        let n = l.scenario.processes;
        let miss = miss_probability(n, quorum_size(n, ell_percent));
        let predicted = BTreeMap::from([("stale_reads".to_string(), miss)]);
        job_predicting(l, p, move |_| ProbabilisticQuorums::<Value>::new(period, ell_percent), register, predicted)
    };
};
