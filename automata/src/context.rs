//! The context a handler runs in: its outbox, its view of the process and environment.
//!
//! Handlers decide, the runner acts (book §2.1, "decide, then act"): a handler changes its own
//! state and pushes commands (indicate, request below, send, set a timer, store) through its
//! [`Ctx`]. The runner gives those commands their meaning, so the same module runs unchanged in
//! the simulator and in the model checker.

use crate::model::Fault;
use crate::module::{Below, Module, Observe};
use crate::monitor::Monitors;
use crate::trace::{Event, Kind, TraceEvent, NET};
use crate::value::Value;
use crate::{Pid, Time};
use serde::de::DeserializeOwned;
use serde::Serialize;
use smallvec::SmallVec;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Source of the nondeterministic choices a module makes (`ctx.choose`): a seeded RNG in the
/// simulator, a branch per outcome in the model checker.
pub trait Chooser {
    /// A number in `0..n` (`n >= 1`).
    fn choose(&mut self, n: usize) -> usize;
    /// `true` with probability `p`.
    fn coin(&mut self, p: f64) -> bool;
    /// A real number in `[0, 1)` (simulator only: the model checker answers 0.5).
    fn unit(&mut self) -> f64;
}

/// Stable storage of one process: survives crashes (unless the model says `volatile`).
/// Keys are `module-path:key`; values are stored as JSON so any serde type fits.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Storage {
    pub cells: BTreeMap<String, String>,
}

/// What the environment's oracles (failure detectors, the common coin) know at the current step.
#[derive(Clone, Copy, Debug)]
pub struct OracleView<'w> {
    pub up: &'w [bool],
    pub faults: &'w [Fault],
    pub gst: Time,
    pub coin: u64,
}

/// Process-wide state of one step, shared by every layer of the process's module tree.
pub struct Core<'w> {
    pub(crate) me: Pid,
    pub(crate) n: usize,
    pub(crate) now: Time,
    pub(crate) clock: Time,
    pub(crate) rate: f64,
    /// Whether a layer read the clock during this step (the lasso search merges states that
    /// differ only by a shift in time, which is sound only for algorithms that never do).
    pub(crate) read_clock: std::cell::Cell<bool>,
    /// The process has crashed in the middle of this step: later commands are void.
    pub(crate) halted: bool,
    /// Sends left before the process crashes (`after_sends` faults).
    pub(crate) sends_left: Option<u64>,
    pub(crate) sent: u64,
    pub(crate) path: SmallVec<[&'static str; 6]>,
    pub(crate) chooser: &'w mut dyn Chooser,
    pub(crate) storage: &'w mut Storage,
    pub(crate) oracle: OracleView<'w>,
    pub(crate) monitors: &'w mut Monitors,
    pub(crate) trace: Option<&'w mut Vec<TraceEvent>>,
    /// Events of layers no monitor cares about may be left out ([`crate::world::Io::sparse`]).
    pub(crate) sparse: bool,
    pub(crate) index: &'w mut u64,
    pub(crate) packet_ids: &'w mut u64,
}

impl Core<'_> {
    /// Whether anyone looks at events (a trace is recorded or a monitor runs).
    #[inline]
    pub(crate) fn observing(&self) -> bool {
        self.trace.is_some() || !self.monitors.is_empty()
    }

    pub(crate) fn recording(&self) -> bool {
        self.trace.is_some()
    }

    /// Whether the requests and indications of layer `module` are to be emitted.
    #[inline]
    pub(crate) fn observing_layer(&self, module: &str) -> bool {
        if self.sparse {
            self.monitors.cares_module(module)
        } else {
            self.observing()
        }
    }

    pub(crate) fn emit(&mut self, module: &'static str, kind: Kind, event: Event) {
        let e = TraceEvent {
            index: *self.index,
            time: self.now,
            process: self.me,
            module: Cow::Borrowed(module),
            kind,
            event,
        };
        *self.index += 1;
        self.monitors.observe(&e);
        if let Some(t) = self.trace.as_deref_mut() {
            t.push(e);
        }
    }

    fn module_name(&self) -> &'static str {
        self.path.last().copied().unwrap_or("?")
    }

    /// Real-time ticks until the local clock has advanced by `local` ticks.
    pub(crate) fn real_after(&self, local: Time) -> Time {
        if self.rate == 1.0 {
            local
        } else {
            (local as f64 / self.rate).ceil() as Time
        }
    }

    /// Records a packet leaving this process; returns its id, or `None` if the process has
    /// halted. Counts the send for `after_sends` crashes.
    pub(crate) fn packet_out(&mut self, to: Pid, msg: impl FnOnce() -> Value) -> Option<u64> {
        if self.halted {
            return None;
        }
        let id = *self.packet_ids;
        *self.packet_ids += 1;
        if self.observing() {
            let msg = if self.recording() { msg() } else { Value::Unit };
            self.emit(
                NET,
                Kind::Send,
                Event::Packet {
                    id,
                    from: self.me,
                    to,
                    msg,
                },
            );
        }
        self.sent += 1;
        if let Some(left) = self.sends_left.as_mut() {
            *left = left.saturating_sub(1);
            if *left == 0 {
                self.halted = true;
            }
        }
        Some(id)
    }
}

/// Where a module's sends and timers go: the runner at the root, the parent's outbox (through
/// the slot's wrapping) below it.
pub trait Outbox<Msg, Timer> {
    fn send(&mut self, core: &mut Core<'_>, to: Pid, msg: Msg);
    fn set_timer(&mut self, core: &mut Core<'_>, after: Time, timer: Timer);
    fn cancel_timer(&mut self, core: &mut Core<'_>, timer: Timer);
}

struct Wrap<'a, PM, PT, CM, CT> {
    parent: &'a mut dyn Outbox<PM, PT>,
    msg: fn(CM) -> PM,
    timer: fn(CT) -> PT,
}

impl<PM, PT, CM, CT> Outbox<CM, CT> for Wrap<'_, PM, PT, CM, CT> {
    #[inline]
    fn send(&mut self, core: &mut Core<'_>, to: Pid, msg: CM) {
        self.parent.send(core, to, (self.msg)(msg));
    }
    fn set_timer(&mut self, core: &mut Core<'_>, after: Time, timer: CT) {
        self.parent.set_timer(core, after, (self.timer)(timer));
    }
    fn cancel_timer(&mut self, core: &mut Core<'_>, timer: CT) {
        self.parent.cancel_timer(core, (self.timer)(timer));
    }
}

/// Indications a module emitted during one call (usually zero or one).
pub type Indications<I> = SmallVec<[I; 2]>;

/// The handle a handler acts through. `M` is the module whose handler runs.
pub struct Ctx<'c, 'w, M: Module> {
    pub(crate) core: &'c mut Core<'w>,
    pub(crate) out: &'c mut dyn Outbox<M::Msg, M::Timer>,
    pub(crate) inds: &'c mut Indications<M::Ind>,
}

impl<'c, 'w, M: Module> Ctx<'c, 'w, M> {
    /// This process (`self` in the book).
    #[inline]
    pub fn me(&self) -> Pid {
        self.core.me
    }

    /// N, the number of processes.
    #[inline]
    pub fn n(&self) -> usize {
        self.core.n
    }

    /// Π, all processes in rank order.
    pub fn processes(&self) -> std::ops::Range<Pid> {
        0..self.core.n
    }

    /// The reading of this process's hardware clock (local time, which may drift).
    pub fn clock(&self) -> Time {
        self.core.read_clock.set(true);
        self.core.clock
    }

    /// `trigger ⟨ Indication ⟩` to the layer above.
    pub fn indicate(&mut self, ind: M::Ind) {
        if self.core.halted {
            return;
        }
        let module = self.core.module_name();
        if self.core.observing_layer(module) {
            if let Some(ev) = ind.observe() {
                self.core.emit(module, Kind::Indication, ev);
            }
        }
        self.inds.push(ind);
    }

    /// Records an internal step the book names (e.g. a job being processed) in the trace.
    pub fn internal(&mut self, event: Event) {
        let module = self.core.module_name();
        if self.core.halted || !self.core.observing_layer(module) {
            return;
        }
        self.core.emit(module, Kind::Internal, event);
    }

    /// Sends `msg` to `to` over the network (fair-loss links: the network itself).
    #[inline]
    pub fn send(&mut self, to: Pid, msg: M::Msg) {
        if !self.core.halted {
            self.out.send(self.core, to, msg);
        }
    }

    /// `starttimer(after)`: `timer` fires once the local clock has advanced by `after` ticks.
    pub fn set_timer(&mut self, after: Time, timer: M::Timer) {
        if !self.core.halted {
            self.out.set_timer(self.core, after, timer);
        }
    }

    /// Cancels every pending timer equal to `timer`.
    pub fn cancel_timer(&mut self, timer: M::Timer) {
        if !self.core.halted {
            self.out.cancel_timer(self.core, timer);
        }
    }

    /// A nondeterministic choice in `0..n` (seeded in the simulator; every outcome is a branch
    /// in the model checker).
    pub fn choose(&mut self, n: usize) -> usize {
        if n <= 1 {
            0
        } else {
            self.core.chooser.choose(n)
        }
    }

    /// `true` with probability `p`.
    pub fn coin(&mut self, p: f64) -> bool {
        if p <= 0.0 {
            false
        } else if p >= 1.0 {
            true
        } else {
            self.core.chooser.coin(p)
        }
    }

    /// A real number in `[0, 1)` for sampling (e.g. a Poisson fanout). The model checker
    /// answers 0.5: use [`Ctx::choose`] for choices that must branch.
    pub fn unit(&mut self) -> f64 {
        self.core.chooser.unit()
    }

    /// `store(key = value)` in stable storage; durable when the handler returns.
    pub fn store<T: Serialize>(&mut self, key: &str, value: &T) {
        if self.core.halted {
            return;
        }
        let cell = format!("{}:{key}", self.core.path.join("/"));
        let json = serde_json::to_string(value).expect("stored values serialize");
        self.core.storage.cells.insert(cell, json);
    }

    /// `retrieve(key)` from stable storage (`None` if never stored or lost).
    pub fn retrieve<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        let cell = format!("{}:{key}", self.core.path.join("/"));
        let json = self.core.storage.cells.get(&cell)?;
        serde_json::from_str(json).ok()
    }

    /// P oracle: whether `p` has crashed (strong completeness and strong accuracy).
    pub fn oracle_crashed(&self, p: Pid) -> bool {
        !self.core.oracle.up.get(p).copied().unwrap_or(true)
    }

    /// ◇P oracle: whether this process suspects `p`: crashed processes, plus the scenario's
    /// scripted mistakes (which validation confines to before GST).
    pub fn oracle_suspects(&self, p: Pid) -> bool {
        self.oracle_crashed(p)
            || self.core.oracle.faults.iter().any(|f| {
                matches!(*f, Fault::Suspect { process, by, from, until }
                    if process == p && by == self.core.me && from <= self.core.now && self.core.now < until)
            })
    }

    /// Ω oracle: the process this process trusts: the highest-ranked (lowest-numbered) process it does not
    /// suspect (after GST, the same correct process everywhere).
    pub fn oracle_leader(&self) -> Pid {
        self.processes()
            .find(|&p| !self.oracle_suspects(p))
            .unwrap_or(self.core.me)
    }

    /// Common-coin oracle: the coin (0 or 1) of instance `instance`, the same at every process
    /// of the run, a fair draw derived from the setup's coin key. Unpredictability is the
    /// caller's part: a coin module outputs it only once enough processes released it.
    pub fn oracle_coin(&self, instance: u64) -> u8 {
        // SplitMix64's finalizer: every bit of the key and the instance reaches the result.
        let mut z = self
            .core
            .oracle
            .coin
            .wrapping_add(instance.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 63) as u8
    }

    fn run_lower<S: Below<M>>(
        &mut self,
        parent: &mut M,
        f: impl FnOnce(&mut S::Lower, &mut Ctx<'_, 'w, S::Lower>),
    ) -> Indications<<S::Lower as Module>::Ind> {
        let mut inds = Indications::new();
        let mut wrap = Wrap {
            parent: &mut *self.out,
            msg: S::wrap_msg,
            timer: S::wrap_timer,
        };
        self.core.path.push(S::NAME);
        {
            let mut cx = Ctx {
                core: &mut *self.core,
                out: &mut wrap,
                inds: &mut inds,
            };
            let lower = S::lower(parent);
            f(lower, &mut cx);
            lower.on_guard(&mut cx);
        }
        self.core.path.pop();
        inds
    }

    fn handle_indications<S: Below<M>>(
        &mut self,
        parent: &mut M,
        inds: Indications<<S::Lower as Module>::Ind>,
    ) {
        for ind in inds {
            if self.core.halted {
                return;
            }
            S::indication(parent, self, ind);
        }
    }

    /// `trigger ⟨ lower, Request ⟩`: hands `req` to the lower module in `slot`, then runs the
    /// parent's handlers for the indications it answers with.
    pub fn trigger<S: Below<M>>(
        &mut self,
        parent: &mut M,
        _slot: S,
        req: <S::Lower as Module>::Req,
    ) {
        if self.core.halted {
            return;
        }
        if self.core.observing_layer(S::NAME) {
            if let Some(ev) = req.observe() {
                self.core.emit(S::NAME, Kind::Request, ev);
            }
        }
        let inds = self.run_lower::<S>(parent, |m, cx| m.on_request(cx, req));
        self.handle_indications::<S>(parent, inds);
    }

    /// Routes a message that belongs to the lower module in `slot` (from the parent's
    /// `on_message` match).
    pub fn pass_message<S: Below<M>>(
        &mut self,
        parent: &mut M,
        _slot: S,
        from: Pid,
        msg: <S::Lower as Module>::Msg,
    ) {
        let inds = self.run_lower::<S>(parent, |m, cx| m.on_message(cx, from, msg));
        self.handle_indications::<S>(parent, inds);
    }

    /// Routes a timer that belongs to the lower module in `slot`.
    pub fn pass_timer<S: Below<M>>(
        &mut self,
        parent: &mut M,
        _slot: S,
        timer: <S::Lower as Module>::Timer,
    ) {
        let inds = self.run_lower::<S>(parent, |m, cx| m.on_timer(cx, timer));
        self.handle_indications::<S>(parent, inds);
    }

    /// Runs the lower module's `Init` (call it from the parent's `on_init`).
    pub fn init<S: Below<M>>(&mut self, parent: &mut M, _slot: S) {
        let inds = self.run_lower::<S>(parent, |m, cx| m.on_init(cx));
        self.handle_indications::<S>(parent, inds);
    }

    /// Runs `f` on `inner`, an implementation this module stands for (one chosen at run time,
    /// see [`crate::one_of!`]): `inner`'s sends and timers are wrapped by `wrap_msg` and
    /// `wrap_timer`, and its indications are this module's, traced once, under this module's
    /// name. Unlike a lower module, `inner` is not a layer: it adds nothing to the trace.
    pub fn delegate<L>(
        &mut self,
        inner: &mut L,
        wrap_msg: fn(L::Msg) -> M::Msg,
        wrap_timer: fn(L::Timer) -> M::Timer,
        f: impl FnOnce(&mut L, &mut Ctx<'_, 'w, L>),
    ) where
        L: Module<Req = M::Req, Ind = M::Ind>,
    {
        let mut inds = Indications::new();
        let mut wrap = Wrap {
            parent: &mut *self.out,
            msg: wrap_msg,
            timer: wrap_timer,
        };
        {
            let mut cx = Ctx {
                core: &mut *self.core,
                out: &mut wrap,
                inds: &mut inds,
            };
            f(inner, &mut cx);
        }
        self.inds.extend(inds);
    }

    /// Runs the lower module's `Recovery` (call it from the parent's `on_recovery`).
    pub fn recover<S: Below<M>>(&mut self, parent: &mut M, _slot: S) {
        let inds = self.run_lower::<S>(parent, |m, cx| m.on_recovery(cx));
        self.handle_indications::<S>(parent, inds);
    }
}
