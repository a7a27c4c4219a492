//! A replicated key-value store `kv` by a state machine over total-order broadcast (the
//! book's chapter 9; Schneider 1990, CGR §6.1).
//!
//! Algorithm id: `tob-rsm`.
//!
//! Model: whatever the total-order broadcast below needs (here Consensus-Based TOB over Eager
//! RB and Flooding Consensus: fail-stop, P). Every process is a replica and the front end of
//! one sequential client. Properties: `replica-consistency` (replicas that applied the same
//! number of commands hold the same store), `linearizability` (the clients' history of gets,
//! puts, deletes and compare-and-sets is linearizable), `progress` (every operation of a
//! correct client returns).
//!
//! A client's operation is a command `(client, seq, op)` broadcast in total order; every
//! replica applies every command in delivery order, at most once per `(client, seq)`, and the
//! client's own replica answers it when it applies it. Cost: one total-order broadcast per
//! operation, reads included.
//!
//! Mutant: [`TobRsm::reading_locally`] answers a get from the local store at once, without
//! ordering it: a replica that has not yet applied a completed put returns the old value
//! (linearizability).

use crate::kv::{KvOp, KvRet, Store};
use automata::{Ctx, Event, Module, Pid, ToValue, Value};
use broadcast::{Broadcast, BroadcastModule, Deliver};
use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};

/// A client's operation as the replicas order it: `[client, seq, op]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Command {
    pub client: Pid,
    pub seq: u64,
    pub op: KvOp,
}

impl ToValue for Command {
    fn to_value(&self) -> Value {
        Value::List(vec![
            Value::Int(self.client as i64),
            Value::Int(self.seq as i64),
            self.op.to_value(),
        ])
    }
}

/// The state machine replica over the total-order broadcast `T`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TobRsm<T: BroadcastModule<Command>> {
    tob: T,
    store: Store,
    /// Per client, the number of the next command to apply (at most once per (client, seq)).
    next: BTreeMap<Pid, u64>,
    /// How many commands this replica applied.
    applied: u64,
    /// The number of this client's next command.
    seq: u64,
    /// This client's operations not yet broadcast (a client has one in flight at a time).
    queue: VecDeque<KvOp>,
    /// This client's command is being ordered.
    waiting: bool,
    /// MUTANT switch: answer gets from the local store.
    local_reads: bool,
}

automata::below! {
    impl[T: BroadcastModule<Command>] TobRsm<T>;
    /// Slot of the total-order broadcast.
    Tob(tob: T) => on_tob_deliver;
}

impl<T: BroadcastModule<Command>> TobRsm<T> {
    /// A replica with an empty store over the total-order broadcast `tob`.
    pub fn new(tob: T) -> Self {
        TobRsm {
            tob,
            store: Store::default(),
            next: BTreeMap::new(),
            applied: 0,
            seq: 0,
            queue: VecDeque::new(),
            waiting: false,
            local_reads: false,
        }
    }

    /// MUTANT: gets are answered from the local store, unordered.
    pub fn reading_locally(self) -> Self {
        TobRsm {
            local_reads: true,
            ..self
        }
    }

    // ANCHOR: apply
    /// `upon event ⟨ tob, Deliver | p, (c, s, op) ⟩ such that s = next[c] do
    /// next[c] := s + 1; r := apply(op); if c = self then trigger ⟨ kv, Reply | r ⟩`.
    fn on_tob_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { msg: cmd, .. }: Deliver<Command>) {
        let next = self.next.entry(cmd.client).or_default();
        if cmd.seq != *next {
            return;
        }
        *next += 1;
        let ret = self.store.apply(&cmd.op);
        self.applied += 1;
        ctx.internal(Event::Other {
            name: Cow::Borrowed("applied"),
            value: Value::List(vec![
                Value::Int(self.applied as i64),
                cmd.to_value(),
                Value::Int(self.store.digest()),
            ]),
        });
        if cmd.client == ctx.me() {
            self.waiting = false;
            ctx.indicate(ret);
        }
    }
    // ANCHOR_END: apply
}

impl<T: BroadcastModule<Command>> Module for TobRsm<T> {
    const NAME: &'static str = "kv";
    type Req = KvOp;
    type Ind = KvRet;
    automata::pass_through!(Tob: T);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Tob);
    }

    // ANCHOR: client
    /// `upon event ⟨ kv, op ⟩ do append op to queue`.
    fn on_request(&mut self, _ctx: &mut Ctx<Self>, op: KvOp) {
        self.queue.push_back(op);
    }

    /// `upon queue ≠ ∅ ∧ ¬waiting do op := head(queue); waiting := TRUE;
    /// trigger ⟨ tob, Broadcast | (self, seq, op) ⟩; seq := seq + 1`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        while !self.waiting {
            let Some(op) = self.queue.pop_front() else {
                return;
            };
            if self.local_reads && matches!(op, KvOp::Get(_)) {
                let ret = self.store.apply(&op);
                ctx.indicate(ret);
                continue;
            }
            self.waiting = true;
            let msg = Command {
                client: ctx.me(),
                seq: self.seq,
                op,
            };
            self.seq += 1;
            ctx.trigger(self, Tob, Broadcast { msg });
        }
    }
    // ANCHOR_END: client
}

use crate::abstractions::{kv_request, PERIOD};
use crate::consensus_tob;
use catalogue::{job, Algorithm};
use links::detectors::{abstractions::perfect, AnyPerfect};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "tob-rsm", abstraction: "kv", params: &[PERIOD],
    model: "fail-stop; uses P (model.detector: algorithm | perfect) for the consensus-based TOB below",
    summary: "Replicated key-value store: a state machine over Consensus-Based Total-Order Broadcast",
    build: |l, p| {
        let (d, period) = (perfect(l, p)?, p.int("period"));
        job(l, p, move |_| TobRsm::new(consensus_tob::regular::<Command, AnyPerfect>(period, d.clone())), kv_request)
    };

    id: "tob-rsm-local-reads", abstraction: "kv", params: &[PERIOD], mutant: true,
    model: "a get answered from the local store may miss a put that has completed elsewhere",
    summary: "MUTANT: the replicated store answering gets locally, without total order",
    build: |l, p| {
        let (d, period) = (perfect(l, p)?, p.int("period"));
        job(l, p, move |_| TobRsm::new(consensus_tob::regular::<Command, AnyPerfect>(period, d.clone())).reading_locally(), kv_request)
    };
};
