//! Synchronizers (Awerbuch 1985; Lynch ch. 16; book §10.3.4, C.11): a synchronous round
//! algorithm run on an asynchronous network without failures, pulse by pulse.
//!
//! Every synchronizer shares the same pulse machinery ([`Pulses`]): at pulse `r` a node sends
//! the round algorithm's pulse-`r` messages, each tagged with `r` and acknowledged by its
//! receiver; once all are acknowledged the node is *safe* for `r`. A node may end pulse `r`
//! (apply the algorithm's transition) and start `r + 1` once it knows every neighbour is safe
//! for `r`: then every pulse-`r` message to it has arrived. The synchronizers differ only in
//! how that knowledge travels:
//!
//! | synchronizer | how "my neighbours are safe" is learnt | overhead messages per pulse | time per pulse |
//! |---|---|---|---|
//! | [`alpha`] | each safe node tells every neighbour | 2\|E\| SAFE + one ACK per message | ≤ 3δ |
//! | [`beta`] | convergecast of safety to the root of a spanning tree, which broadcasts the next pulse | 2(n − 1) + ACKs | ≤ (2h + 2)δ |
//! | [`gamma`] | β inside clusters, α between neighbouring clusters over one preferred edge each | 4(n − c) + 2·\|preferred\| + ACKs | ≤ (4h_c + 3)δ |
//!
//! (h: spanning tree height; c: number of clusters; h_c: largest cluster tree height; δ: the
//! largest message delay.) The round algorithm may only send to neighbours in the graph
//! ([`Graph`]); messages to others would not be waited for. The synchronizers are runners of
//! [`automata::rounds::RoundAlgorithm`] and record the same round events as the other runners,
//! so SR1-SR3 ([`crate::rounds::monitors`]) judge them; [`cost::PulseCost`] measures their
//! overhead and time per pulse.
//!
//! Model: asynchronous reliable network, **no failures**: a crash blocks every neighbour's next
//! pulse for ever (B-10.7).

pub mod alpha;
pub mod beta;
pub mod bfs;
pub mod cost;
pub mod gamma;
pub mod graph;
pub mod mutants;

pub use alpha::SynchronizerAlpha;
pub use beta::SynchronizerBeta;
pub use gamma::SynchronizerGamma;
pub use graph::Graph;

use automata::rounds::{
    note_done, note_receive, note_round, note_send, RoundAlgorithm, RoundOutput,
};
use automata::{Ctx, Event, Module, Pid, Value};

/// The wire messages of all three synchronizers.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire<M> {
    /// An algorithm message of pulse `r`.
    Msg(u64, M),
    /// Its acknowledgement.
    Ack(u64),
    /// α, γ between clusters: the sender (its cluster, in γ) is safe for pulse `r`.
    Safe(u64),
    /// β, γ: the sender's subtree is safe for pulse `r` (convergecast).
    SubtreeSafe(u64),
    /// γ: the whole cluster is safe for pulse `r` (broadcast down the cluster tree).
    ClusterSafe(u64),
    /// γ: the sender's subtree knows that every neighbouring cluster is safe (convergecast).
    Ready(u64),
    /// β, γ: pulse `r` may end, start pulse `r + 1` (broadcast down the tree).
    Go(u64),
}

impl<M> Wire<M> {
    /// The name of a control message (what [`cost::PulseCost`] counts).
    pub fn control(&self) -> Option<&'static str> {
        Some(match self {
            Wire::Msg(..) => return None,
            Wire::Ack(_) => "ack",
            Wire::Safe(_) => "safe",
            Wire::SubtreeSafe(_) => "subtree-safe",
            Wire::ClusterSafe(_) => "cluster-safe",
            Wire::Ready(_) => "ready",
            Wire::Go(_) => "go",
        })
    }
}

/// Name of the event a synchronizer records for each control message it sends.
pub const OVERHEAD: &str = "sync-overhead";

/// Sends a synchronizer's control message, recording it for the cost monitor.
pub fn send_control<S: Module<Msg = Wire<M>>, M>(ctx: &mut Ctx<S>, to: Pid, w: Wire<M>) {
    if let Some(kind) = w.control() {
        ctx.internal(Event::Other {
            name: OVERHEAD.into(),
            value: Value::str(kind),
        });
    }
    ctx.send(to, w);
}

/// The pulse machinery every synchronizer shares: the round algorithm, the pulse it is in,
/// the acknowledgements it waits for and the messages it received (for this and later pulses).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pulses<A: RoundAlgorithm> {
    pub alg: A,
    /// The pulse running now.
    pub pulse: u64,
    /// Algorithm messages of this pulse not yet acknowledged.
    pub unacked: usize,
    /// All pulses are done.
    pub done: bool,
    inbox: Vec<(u64, Pid, A::Msg)>,
}

impl<A: RoundAlgorithm> Pulses<A> {
    pub fn new(alg: A) -> Self {
        Pulses {
            alg,
            pulse: 0,
            unacked: 0,
            done: false,
            inbox: Vec::new(),
        }
    }

    /// Starts pulse `self.pulse`: sends the algorithm's messages. Returns whether the node is
    /// already safe (it sent nothing).
    pub fn start<S: Module<Msg = Wire<A::Msg>>>(&mut self, ctx: &mut Ctx<S>) -> bool {
        let r = self.pulse;
        note_round(ctx, r);
        let msgs = self.alg.messages(ctx.me(), ctx.n(), r);
        self.unacked = msgs.len();
        for (to, m) in msgs {
            note_send(ctx, to, r);
            ctx.send(to, Wire::Msg(r, m));
        }
        self.unacked == 0
    }

    /// `upon receiving (r, m) from q`: keep it for pulse `r` and acknowledge it.
    pub fn receive<S: Module<Msg = Wire<A::Msg>>>(
        &mut self,
        ctx: &mut Ctx<S>,
        from: Pid,
        r: u64,
        m: A::Msg,
    ) {
        note_receive(ctx, from, r);
        self.inbox.push((r, from, m));
        send_control(ctx, from, Wire::Ack(r));
    }

    /// `upon receiving ACK(r)`: returns whether the node has just become safe for pulse `r`.
    pub fn ack(&mut self, r: u64) -> bool {
        if r != self.pulse || self.unacked == 0 {
            return false;
        }
        self.unacked -= 1;
        self.unacked == 0
    }

    /// Ends the current pulse (the transition on what arrived for it) and starts the next one,
    /// if any. Returns whether the node is immediately safe for the new pulse.
    pub fn next<S>(&mut self, ctx: &mut Ctx<S>) -> bool
    where
        S: Module<Msg = Wire<A::Msg>, Ind = RoundOutput<A::Output>>,
    {
        let r = self.pulse;
        let mut received: Vec<(Pid, A::Msg)> = self
            .inbox
            .iter()
            .filter(|(p, _, _)| *p == r)
            .map(|(_, q, m)| (*q, m.clone()))
            .collect();
        received.sort();
        self.inbox.retain(|(p, _, _)| *p > r);
        if let Some(out) = self.alg.transition(ctx.me(), ctx.n(), r, &received) {
            ctx.indicate(RoundOutput(out));
        }
        self.pulse = r + 1;
        if self.pulse >= self.alg.rounds() {
            self.done = true;
            note_done(ctx, self.pulse);
            return false;
        }
        self.start(ctx)
    }
}
