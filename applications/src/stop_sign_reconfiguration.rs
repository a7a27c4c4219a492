//! A reconfigurable replicated state machine `rrsm` by stop-sign reconfiguration: Stoppable
//! Paxos (Lamport, Malkhi and Zhou, *Reconfiguring a state machine*, 2010), over one
//! Multi-Paxos log a configuration (the book's chapter 9, "Reconfiguration by stop-sign").
//!
//! Algorithm id: `stop-sign-reconfiguration`.
//!
//! Abstraction: requests `⟨ rrsm, Execute | cmd ⟩` (the key-value store's get, put, delete and
//! compare-and-set, [`crate::kv`]) and `⟨ rrsm, Reconfigure | M' ⟩`; indications
//! `⟨ rrsm, Output | result ⟩` (the store's reply) and `⟨ rrsm, ConfigInstalled | (cid, M) ⟩`.
//! In traces an `Execute` and its `Output` are the store's request and reply, so the clients'
//! history is the key-value store's; a `Reconfigure` is the internal step `reconfigure` and a
//! `ConfigInstalled` the internal step `installed`.
//!
//! Model: crash-stop; a majority of each configuration's members correct while it is current
//! (and until its successor's members hold the state); perfect links; for progress, Ω among
//! each configuration's members (here the environment's oracle, restricted to them). Safety
//! holds whatever Ω says.
//!
//! Properties: RC1 `configuration-agreement` (S), RC2 `no-lost-commands` (S), RC3
//! `linearizability` (S, the key-value store's monitor on the client history), RC4
//! `single-configuration-decisions` (S), RC5 `progress` (L); also the store's
//! `replica-consistency` (replicas that applied k commands agree on the k-th and on the store).
//!
//! Configuration 0 is `initial`; configuration i's log is a [`MultiPaxos`] run by its members
//! only ([`MultiPaxos::among`]): a majority of them decides each of its slots. A client's
//! command `(client, seq, op)` is broadcast into the log of the configuration its process
//! knows as current (a process outside it forwards it to the members, which is what its
//! FORWARD does). `Reconfigure | M'` is broadcast as the stop-sign `STOP(M')`. The members
//! apply the log in slot order; the first stop-sign decided in configuration i, at global slot
//! s, ends it: configuration i+1 = M' starts at slot s + 1, and whatever configuration i's log
//! holds after s is not applied (no process executes it: Lamport, Malkhi and Zhou's "a
//! command after the stop-sign is a no-op"). Each member of i that applies the stop-sign sends
//! `[NEWCONFIG, configurations, state]` to every process: the members of i+1 get the state
//! (the store after slot s, the per-client counters and the reply cache), the others only the
//! list of configurations, so a client outside knows where to forward. A process installs
//! configurations in order, one at a time; a new member starts i+1's log from the state it
//! received. A client whose command was not applied before the stop-sign submits it again to
//! the new configuration; the per-client counter applies it at most once, and the reply cache
//! answers a copy. A stop-sign decided after the first one of its configuration is not applied
//! either: that change is dropped, and whoever wants it asks again.
//!
//! Mutants (catalogue ids):
//! - [`StopSign::one_step`] (`stop-sign-reconfiguration-one-step`): the change takes effect at
//!   once, where it is requested, with no stop-sign in the old log; every process switches
//!   when it hears of it. The old members that have not heard go on deciding with their
//!   majority, the new ones with theirs: one slot gets two values (RC4).
//! - [`StopSign::without_transfer`] (`stop-sign-reconfiguration-no-transfer`): the new members
//!   start from the empty store: the commands answered before the change are lost (RC2, and
//!   linearizability and replica consistency).

use crate::kv::{KvOp, KvRet, Store};
pub use crate::member_omega::MemberOmega;
use crate::multi_paxos::{MpMsg, MultiPaxos};
use crate::reconfiguration::members_value;
pub use crate::reconfiguration::{Entry, Members, RcMsg, Rrsm, RrsmInd, Snapshot};
use crate::tob_rsm::Command;
use automata::{Ctx, Event, Module, Numbered, Pid, Time, ToValue, Value};
use broadcast::{Broadcast, Deliver};
use links::{Link, PerfectLinksAck, Send};
use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};

/// One configuration's log.
pub type Log<L> = MultiPaxos<Entry, MemberOmega, L>;

/// The messages (or timers) of configuration i's log, or of the links.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire<A, B> {
    Log(u64, A),
    Pl(B),
}

type LogMsg<L> = <Log<L> as Module>::Msg;

/// Stop-sign reconfiguration over the logs' links `L` and the links `U` of its own messages.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StopSign<L: Link<MpMsg<Entry>>, U: Link<RcMsg>> {
    pl: U,
    /// Each log's links start as a copy of this.
    proto: L,
    /// Ω's polling period in the logs (`None`: the scripted Ω).
    poll: Option<Time>,
    /// The log of each configuration this process took part in (kept: a slow member may still
    /// owe an older log its messages).
    logs: BTreeMap<u64, Log<L>>,
    /// Messages of logs whose configuration this process does not know yet.
    early: BTreeMap<u64, Vec<(Pid, LogMsg<L>)>>,
    /// `configs[cid]`: the configurations installed, in order; the last is current.
    configs: Vec<Members>,
    /// The global slot of the current configuration's first entry, and how many it applied.
    base: u64,
    pos: u64,
    // The state machine.
    store: Store,
    applied: u64,
    next: BTreeMap<Pid, u64>,
    cache: BTreeMap<Pid, (u64, KvRet)>,
    // The client.
    seq: u64,
    queue: VecDeque<KvOp>,
    waiting: Option<Command>,
    /// MUTANT switches.
    one_step: bool,
    transfer: bool,
}

automata::below! {
    impl[L: Link<MpMsg<Entry>>, U: Link<RcMsg>] StopSign<L, U>;
    /// Slot of the links that carry NEWCONFIG and REPLY.
    PlSlot(pl: U) => on_pl_deliver, msg Wire::Pl, timer Wire::Pl;
}

/// The numbered slot of the logs, `log.cid`: made with configuration cid's members, so only
/// routed to once the configuration is known.
#[derive(Clone, Copy, Debug)]
pub struct LogSlot;

impl<L: Link<MpMsg<Entry>>, U: Link<RcMsg>> Numbered<StopSign<L, U>> for LogSlot {
    type Lower = Log<L>;
    const NAME: &'static str = "log";
    fn lower(parent: &mut StopSign<L, U>, i: u64) -> (&mut Log<L>, bool) {
        let fresh = !parent.logs.contains_key(&i);
        if fresh {
            let members = parent.configs[i as usize].clone();
            let omega = MemberOmega::new(members.clone(), parent.poll);
            let log = MultiPaxos::over(parent.proto.clone(), omega).among(members);
            parent.logs.insert(i, log);
        }
        (parent.logs.get_mut(&i).expect("made above"), fresh)
    }
    fn wrap_msg(i: u64, msg: LogMsg<L>) -> Wire<LogMsg<L>, U::Msg> {
        Wire::Log(i, msg)
    }
    fn wrap_timer(
        i: u64,
        timer: <Log<L> as Module>::Timer,
    ) -> Wire<<Log<L> as Module>::Timer, U::Timer> {
        Wire::Log(i, timer)
    }
    fn indication(
        parent: &mut StopSign<L, U>,
        ctx: &mut Ctx<StopSign<L, U>>,
        i: u64,
        ind: Deliver<Entry>,
    ) {
        parent.on_log_deliver(ctx, i, ind)
    }
}

impl StopSign<PerfectLinksAck<MpMsg<Entry>>, PerfectLinksAck<RcMsg>> {
    /// Over perfect links retransmitting every `period` ticks; configuration 0 is `initial`;
    /// Ω in each log polls the oracle every `poll` ticks (`None`: the scripted Ω).
    pub fn new(period: Time, initial: Members, poll: Option<Time>) -> Self {
        StopSign::over(
            PerfectLinksAck::new(period),
            PerfectLinksAck::new(period),
            initial,
            poll,
        )
    }
}

impl<L: Link<MpMsg<Entry>>, U: Link<RcMsg>> StopSign<L, U> {
    /// The logs over copies of `log_links`, NEWCONFIG and REPLY over `pl`.
    pub fn over(log_links: L, pl: U, initial: Members, poll: Option<Time>) -> Self {
        StopSign {
            pl,
            proto: log_links,
            poll,
            logs: BTreeMap::new(),
            early: BTreeMap::new(),
            configs: vec![initial],
            base: 0,
            pos: 0,
            store: Store::default(),
            applied: 0,
            next: BTreeMap::new(),
            cache: BTreeMap::new(),
            seq: 0,
            queue: VecDeque::new(),
            waiting: None,
            one_step: false,
            transfer: true,
        }
    }

    /// MUTANT: a reconfiguration takes effect at once where it is requested, without a
    /// stop-sign in the old log.
    pub fn one_step(self) -> Self {
        StopSign {
            one_step: true,
            ..self
        }
    }

    /// MUTANT: the new members start from the empty store.
    pub fn without_transfer(self) -> Self {
        StopSign {
            transfer: false,
            ..self
        }
    }

    fn cid(&self) -> u64 {
        self.configs.len() as u64 - 1
    }

    fn members(&self) -> &Members {
        self.configs.last().expect("configuration 0")
    }

    fn note(&self, ctx: &mut Ctx<Self>, name: &'static str, value: Vec<Value>) {
        ctx.internal(Event::Other {
            name: Cow::Borrowed(name),
            value: Value::List(value),
        });
    }

    fn state_value(&self) -> Vec<Value> {
        vec![
            Value::Int(self.applied as i64),
            Value::Int(self.store.digest()),
        ]
    }

    /// `trigger ⟨ log.cid, Broadcast | e ⟩` in the current configuration.
    fn submit(&mut self, ctx: &mut Ctx<Self>, e: Entry) {
        let cid = self.cid();
        ctx.trigger_at(self, LogSlot, cid, Broadcast { msg: e });
    }

    // ANCHOR: log_deliver
    /// `upon event ⟨ log.i, Deliver | e ⟩ such that i = cid do slot := base + pos;
    /// pos := pos + 1; if e = (c, s, op) then execute else stop`: entries of a configuration
    /// this process has moved past (those after its stop-sign) are not applied.
    fn on_log_deliver(
        &mut self,
        ctx: &mut Ctx<Self>,
        i: u64,
        Deliver { msg: e, .. }: Deliver<Entry>,
    ) {
        if i != self.cid() {
            return;
        }
        let slot = self.base + self.pos;
        self.pos += 1;
        let v = vec![Value::Int(slot as i64), Value::Int(i as i64), e.to_value()];
        self.note(ctx, "decided", v);
        match e {
            Entry::Cmd(c) => self.execute(ctx, c),
            Entry::Stop(m) => self.change(ctx, m, slot + 1),
        }
    }
    // ANCHOR_END: log_deliver

    /// `if s = next[c] then next[c] := s + 1; r := apply(op); cache[c] := (s, r); reply
    /// else if cache[c] = (s, r) then reply` (a copy submitted again after a change).
    fn execute(&mut self, ctx: &mut Ctx<Self>, c: Command) {
        let next = self.next.entry(c.client).or_default();
        if c.seq == *next {
            *next += 1;
            let ret = self.store.apply(&c.op);
            self.applied += 1;
            let v = vec![
                Value::Int(self.applied as i64),
                c.to_value(),
                Value::Int(self.store.digest()),
            ];
            self.note(ctx, "applied", v);
            self.cache.insert(c.client, (c.seq, ret.clone()));
            self.reply(ctx, c.client, c.seq, ret);
        } else if let Some((s, ret)) = self.cache.get(&c.client).filter(|(s, _)| *s == c.seq) {
            let (s, ret) = (*s, ret.clone());
            self.reply(ctx, c.client, s, ret);
        }
    }

    /// The client's own replica answers it; a member answers a client outside the
    /// configuration with `[REPLY, s, r]`.
    fn reply(&mut self, ctx: &mut Ctx<Self>, client: Pid, seq: u64, ret: KvRet) {
        if client == ctx.me() {
            self.answer(ctx, seq, ret);
        } else if !self.members().contains(&client) {
            let msg = RcMsg::Reply(seq, ret);
            ctx.trigger(self, PlSlot, Send { to: client, msg });
        }
    }

    /// `⟨ Output | r ⟩` if this client waits for command `seq` (once).
    fn answer(&mut self, ctx: &mut Ctx<Self>, seq: u64, ret: KvRet) {
        if self.waiting.as_ref().is_some_and(|c| c.seq == seq) {
            self.waiting = None;
            ctx.indicate(RrsmInd::Output(ret));
        }
    }

    // ANCHOR: change
    /// The stop-sign naming `m` ends the current configuration before global slot `slot`:
    /// `configs := configs · m; send [NEWCONFIG, configs, state after slot - 1 to the members
    /// of m] to all; install`.
    fn change(&mut self, ctx: &mut Ctx<Self>, m: Members, slot: u64) {
        let next = self.cid() + 1;
        let mut v = vec![Value::Int(next as i64)];
        v.extend(self.state_value());
        self.note(ctx, "stopped", v);
        let snapshot = if self.transfer {
            Snapshot {
                slot,
                applied: self.applied,
                store: self.store.0.clone(),
                next: self.next.clone(),
                cache: self.cache.clone(),
            }
        } else {
            Snapshot {
                slot,
                applied: 0,
                store: BTreeMap::new(),
                next: BTreeMap::new(),
                cache: BTreeMap::new(),
            }
        };
        self.configs.push(m.clone());
        let me = ctx.me();
        for to in ctx.processes().filter(|&q| q != me) {
            let state = m.contains(&to).then(|| snapshot.clone());
            let msg = RcMsg::NewConfig(self.configs.clone(), state);
            ctx.trigger(self, PlSlot, Send { to, msg });
        }
        self.base = slot;
        self.pos = 0;
        let holds = m.contains(&ctx.me());
        self.installed(ctx, holds);
        self.resume(ctx);
    }
    // ANCHOR_END: change

    /// `trigger ⟨ ConfigInstalled | (cid, M) ⟩` for the last configuration, with the state
    /// this process starts it from if it is a member that holds it.
    fn installed(&mut self, ctx: &mut Ctx<Self>, holds: bool) {
        let (cid, m) = (self.cid(), self.members().clone());
        let state = if holds {
            Value::List(self.state_value())
        } else {
            Value::str("none")
        };
        let v = vec![Value::Int(cid as i64), members_value(&m), state];
        self.note(ctx, "installed", v);
        ctx.indicate(RrsmInd::ConfigInstalled(cid, m));
    }

    /// After an installation: hand the new logs the messages that waited for them; answer the
    /// waiting command from the reply cache, or submit it again to the new configuration.
    fn resume(&mut self, ctx: &mut Ctx<Self>) {
        let known: Vec<u64> = self
            .early
            .range(..self.configs.len() as u64)
            .map(|(&i, _)| i)
            .collect();
        for i in known {
            for (from, m) in self.early.remove(&i).unwrap_or_default() {
                ctx.pass_message_at(self, LogSlot, i, from, m);
            }
        }
        let Some(c) = self.waiting.clone() else {
            return;
        };
        match self.cache.get(&ctx.me()) {
            Some((s, ret)) if *s == c.seq => {
                let ret = ret.clone();
                self.answer(ctx, c.seq, ret);
            }
            _ => self.submit(ctx, Entry::Cmd(c)),
        }
    }

    /// `upon [NEWCONFIG, cs, state] such that |cs| > |configs| do` install each configuration
    /// in order; a member of the last one starts from `state`.
    fn on_pl_deliver(
        &mut self,
        ctx: &mut Ctx<Self>,
        links::Deliver { msg, .. }: links::Deliver<RcMsg>,
    ) {
        match msg {
            RcMsg::Reply(seq, ret) => self.answer(ctx, seq, ret),
            RcMsg::NewConfig(cs, state) => {
                if cs.len() <= self.configs.len() {
                    return;
                }
                let last = cs.len() - 1;
                for (i, m) in cs.into_iter().enumerate().skip(self.configs.len()) {
                    self.configs.push(m);
                    let mine = self.members().contains(&ctx.me());
                    let adopt = state.as_ref().filter(|_| i == last && mine);
                    if let Some(s) = adopt {
                        self.store = Store(s.store.clone());
                        self.applied = s.applied;
                        self.next = s.next.clone();
                        self.cache = s.cache.clone();
                        self.base = s.slot;
                        self.pos = 0;
                    }
                    self.installed(ctx, adopt.is_some());
                }
                self.resume(ctx);
            }
        }
    }
}

impl<L: Link<MpMsg<Entry>>, U: Link<RcMsg>> Module for StopSign<L, U> {
    const NAME: &'static str = "rrsm";
    type Req = Rrsm;
    type Ind = RrsmInd;
    type Msg = Wire<LogMsg<L>, U::Msg>;
    type Timer = Wire<<Log<L> as Module>::Timer, U::Timer>;

    /// `upon event ⟨ Init ⟩ do configs := [M0]; trigger ⟨ ConfigInstalled | (0, M0) ⟩`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, PlSlot);
        let holds = self.members().contains(&ctx.me());
        self.installed(ctx, holds);
    }

    /// `upon event ⟨ Execute | op ⟩ do append op to queue`;
    /// `upon event ⟨ Reconfigure | M' ⟩ do trigger ⟨ log.cid, Broadcast | STOP(M') ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, req: Rrsm) {
        match req {
            Rrsm::Execute(op) => self.queue.push_back(op),
            Rrsm::Reconfigure(m) => {
                self.note(ctx, "reconfigure", vec![members_value(&m)]);
                if m.is_empty() {
                    return;
                }
                if self.one_step {
                    let slot = self.base + self.pos;
                    self.change(ctx, m, slot);
                } else {
                    self.submit(ctx, Entry::Stop(m));
                }
            }
        }
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Self::Msg) {
        match msg {
            Wire::Pl(m) => ctx.pass_message(self, PlSlot, from, m),
            Wire::Log(i, m) if i <= self.cid() => ctx.pass_message_at(self, LogSlot, i, from, m),
            Wire::Log(i, m) => self.early.entry(i).or_default().push((from, m)),
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Self::Timer) {
        match timer {
            Wire::Pl(t) => ctx.pass_timer(self, PlSlot, t),
            Wire::Log(i, t) => ctx.pass_timer_at(self, LogSlot, i, t),
        }
    }

    /// `upon queue ≠ ∅ ∧ waiting = ⊥ do waiting := (self, seq, head(queue)); seq := seq + 1;
    /// trigger ⟨ log.cid, Broadcast | waiting ⟩`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        if self.waiting.is_some() {
            return;
        }
        let Some(op) = self.queue.pop_front() else {
            return;
        };
        let c = Command {
            client: ctx.me(),
            seq: self.seq,
            op,
        };
        self.seq += 1;
        self.waiting = Some(c.clone());
        self.submit(ctx, Entry::Cmd(c));
    }
}

use crate::abstractions::{kv_request, PERIOD};
use catalogue::{job, Algorithm, Param, RequestSpec};

/// The first configuration: processes `0..members`.
pub const MEMBERS: Param = Param::int("members", 3, "configuration 0 is processes 0..members");

/// The polling period of Ω among each configuration's members (local ticks).
pub const POLL: Param = Param::int(
    "poll",
    3,
    "period of Ω among a configuration's members, polling the oracle (local ticks)",
);

/// The key-value store's requests, and `{ reconfigure = [3, 4, 5] }`: the next
/// configuration's members.
pub fn rrsm_request(r: &RequestSpec, n: usize) -> Result<Rrsm, String> {
    if r.name != "reconfigure" {
        return kv_request(r, n).map(Rrsm::Execute);
    }
    let toml::Value::Array(a) = &r.arg else {
        return Err(
            "reconfigure takes the new members, e.g. { reconfigure = [2, 3, 4] }".to_string(),
        );
    };
    let mut m = Members::new();
    for v in a {
        match v.as_integer() {
            Some(p) if (0..n as i64).contains(&p) => m.insert(p as Pid),
            _ => return Err(format!("reconfigure: {v} is not a process 0..{n}")),
        };
    }
    if m.is_empty() {
        return Err("reconfigure: a configuration needs a member".to_string());
    }
    Ok(Rrsm::Reconfigure(m))
}

fn first(p: &catalogue::Params, n: usize) -> Members {
    (0..(p.int("members").max(1) as usize).min(n)).collect()
}

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "stop-sign-reconfiguration", abstraction: "rrsm", params: &[PERIOD, MEMBERS, POLL],
    model: "crash-stop, a majority of each configuration correct while current; Ω among its members (the oracle) for progress only",
    summary: "Stop-sign reconfiguration (Lamport, Malkhi, Zhou 2010): a Multi-Paxos log a configuration, the state handed over at the stop-sign",
    build: |l, p| {
        let (period, poll, n) = (p.int("period"), p.int("poll"), l.scenario.processes);
        let m = first(p, n);
        job(l, p, move |_| StopSign::new(period, m.clone(), Some(poll)), rrsm_request)
    };

    id: "stop-sign-reconfiguration-one-step", abstraction: "rrsm", params: &[PERIOD, MEMBERS, POLL], mutant: true,
    model: "a change that takes effect at once on each side lets two majorities decide one slot",
    summary: "MUTANT: reconfiguration without a stop-sign, each side deciding with its own majority",
    build: |l, p| {
        let (period, poll, n) = (p.int("period"), p.int("poll"), l.scenario.processes);
        let m = first(p, n);
        job(l, p, move |_| StopSign::new(period, m.clone(), Some(poll)).one_step(), rrsm_request)
    };

    id: "stop-sign-reconfiguration-no-transfer", abstraction: "rrsm", params: &[PERIOD, MEMBERS, POLL], mutant: true,
    model: "new members that start from the empty store lose the commands answered before the change",
    summary: "MUTANT: stop-sign reconfiguration whose new configuration starts from the empty state",
    build: |l, p| {
        let (period, poll, n) = (p.int("period"), p.int("poll"), l.scenario.processes);
        let m = first(p, n);
        job(l, p, move |_| StopSign::new(period, m.clone(), Some(poll)).without_transfer(), rrsm_request)
    };
};
