//! The world: the composition of all processes (book §2.5).
//!
//! [`World`] holds what changes (each process's module tree, timers, stable storage, who is up,
//! the monitors); [`Setup`] holds what does not (n, f, the system model, the fault plan, how to
//! build a process). Both runners drive the same [`World::step`]: the simulator decides *when*
//! each input happens, the model checker tries *every* input that can happen next.

use crate::context::{Chooser, Core, Ctx, Indications, OracleView, Outbox, Storage};
use crate::model::{Failures, Fault, SystemModel};
use crate::module::{Module, Observe};
use crate::monitor::Monitors;
use crate::shared::Shared;
use crate::trace::{Event, Kind, TraceEvent, ENV, NET};
use crate::value::Value;
use crate::{Pid, Time};
use smallvec::SmallVec;
use std::fmt;
use std::sync::Arc;

/// Builds process `p`'s module tree in its start state (at start and on recovery).
pub type Factory<R> = Arc<dyn Fn(Pid) -> R + Send + Sync>;

/// A request of the workload: at time `at`, the layer above process `process` asks `req`.
#[derive(Clone, Debug)]
pub struct Request<Req> {
    pub at: Time,
    pub process: Pid,
    pub req: Req,
}

/// A process's hardware clock: H(t) = offset + rate · t.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clock {
    pub rate: f64,
    pub offset: Time,
}

impl Clock {
    pub const PERFECT: Clock = Clock {
        rate: 1.0,
        offset: 0,
    };

    pub fn read(&self, t: Time) -> Time {
        if self.rate == 1.0 {
            self.offset + t
        } else {
            self.offset + (self.rate * t as f64).floor() as Time
        }
    }
}

/// What does not change during a run.
pub struct Setup<R: Module> {
    pub n: usize,
    pub f: usize,
    pub model: SystemModel,
    pub faults: Vec<Fault>,
    pub workload: Vec<Request<R::Req>>,
    pub factory: Factory<R>,
    /// One clock per process.
    pub clocks: Vec<Clock>,
    /// The common coin's key, shared by every process as a trusted dealer would give it:
    /// [`crate::Ctx::oracle_coin`] derives each instance's coin from it (the catalogue's jobs
    /// set it to the run's seed).
    pub coin: u64,
}

impl<R: Module> Clone for Setup<R> {
    fn clone(&self) -> Self {
        Setup {
            n: self.n,
            f: self.f,
            model: self.model.clone(),
            faults: self.faults.clone(),
            workload: self.workload.clone(),
            factory: self.factory.clone(),
            clocks: self.clocks.clone(),
            coin: self.coin,
        }
    }
}

impl<R: Module> fmt::Debug for Setup<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Setup")
            .field("n", &self.n)
            .field("f", &self.f)
            .field("model", &self.model)
            .finish()
    }
}

impl<R: Module> Setup<R> {
    /// `n` processes built by `factory` under `model`, no faults, no workload, perfect clocks.
    pub fn new(
        n: usize,
        model: SystemModel,
        factory: impl Fn(Pid) -> R + Send + Sync + 'static,
    ) -> Self {
        Setup {
            n,
            f: 0,
            model,
            faults: Vec::new(),
            workload: Vec::new(),
            factory: Arc::new(factory),
            clocks: vec![Clock::PERFECT; n],
            coin: 0,
        }
    }

    pub fn faults(mut self, faults: Vec<Fault>) -> Self {
        self.f = self.f.max(
            faults
                .iter()
                .filter(|f| matches!(f, Fault::Crash { .. }))
                .count(),
        );
        self.faults = faults;
        self
    }

    /// The common coin's key (see [`Setup::coin`]).
    pub fn coin_key(mut self, key: u64) -> Self {
        self.coin = key;
        self
    }

    pub fn fault_budget(mut self, f: usize) -> Self {
        self.f = f;
        self
    }

    pub fn request(mut self, at: Time, process: Pid, req: R::Req) -> Self {
        self.workload.push(Request { at, process, req });
        self
    }

    pub fn workload(mut self, workload: Vec<Request<R::Req>>) -> Self {
        self.workload = workload;
        self
    }

    /// The earliest time at which liveness can be judged, before adding `settle`:
    /// max(GST, last fault or partition event, last request).
    pub fn quiet_from(&self) -> Time {
        let gst = match self.model.timing {
            crate::model::Timing::PartiallySynchronous => self.model.gst,
            _ => 0,
        };
        let faults = self.faults.iter().map(Fault::last_time).max().unwrap_or(0);
        let parts = self
            .model
            .partitions
            .iter()
            .map(|p| p.until)
            .max()
            .unwrap_or(0);
        let reqs = self.workload.iter().map(|r| r.at).max().unwrap_or(0);
        gst.max(faults).max(parts).max(reqs)
    }
}

/// One process: its module tree, pending timers and stable storage.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Proc<R: Module> {
    pub root: R,
    /// Pending timers as (real fire time, tag), in the order they were set (held in place
    /// while there is one: most processes wait on one timer, and a million of them should not
    /// cost a million allocations and a cache miss per step).
    pub timers: Timers<R::Timer>,
    pub storage: Storage,
}

/// A process's pending timers (see [`Proc::timers`]).
pub type Timers<T> = SmallVec<[(Time, T); 1]>;

/// An input to one process.
#[derive(Clone, Debug)]
pub enum Input<R: Module> {
    Init,
    Request(R::Req),
    Message { from: Pid, packet: u64, msg: R::Msg },
    Timer(R::Timer),
    Recovery,
}

/// What one step produced for the network and the timer queue.
#[derive(Debug)]
pub struct StepOut<R: Module> {
    /// Packets sent, in order: (packet id, destination, message).
    pub sends: Vec<(u64, Pid, R::Msg)>,
    /// Timers set, as (real fire time, tag).
    pub timers: Vec<(Time, R::Timer)>,
    /// The process crashed during the step (an `after_sends` fault).
    pub crashed: bool,
    /// Network sends made during the step.
    pub sent: u64,
    /// A layer read the clock during the step.
    pub read_clock: bool,
}

impl<R: Module> Default for StepOut<R> {
    fn default() -> Self {
        StepOut {
            sends: Vec::new(),
            timers: Vec::new(),
            crashed: false,
            sent: 0,
            read_clock: false,
        }
    }
}

/// Where a step's events go and where its choices come from; owned by the runner.
pub struct Io<'a> {
    pub chooser: &'a mut dyn Chooser,
    pub trace: Option<&'a mut Vec<TraceEvent>>,
    pub index: &'a mut u64,
    pub packet_ids: &'a mut u64,
    /// Leave out the requests and indications of layers no monitor cares about, without
    /// numbering them: for the checker's search, whose event numbers are step-local and
    /// unused. Runners whose numbers are reported (the simulator, replays) number every event.
    pub sparse: bool,
}

/// The state of all processes: what the model checker stores and the simulator evolves.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct World<R: Module> {
    /// Each process, shared with the states it was copied from until it takes a step
    /// ([`Shared`]: the model checker's successor states share every untouched process).
    pub procs: Vec<Shared<Proc<R>>>,
    /// Which processes are up.
    pub up: Vec<bool>,
    pub monitors: Monitors,
}

struct RootOut<'s, R: Module> {
    out: &'s mut StepOut<R>,
    timers: &'s mut Timers<R::Timer>,
    recording: bool,
}

impl<R: Module> Outbox<R::Msg, R::Timer> for RootOut<'_, R> {
    #[inline]
    fn send(&mut self, core: &mut Core<'_>, to: Pid, msg: R::Msg) {
        let recording = self.recording;
        if let Some(id) = core.packet_out(to, || {
            if recording {
                Value::debug(&msg)
            } else {
                Value::Unit
            }
        }) {
            self.out.sends.push((id, to, msg));
        }
    }

    fn set_timer(&mut self, core: &mut Core<'_>, after: Time, timer: R::Timer) {
        let at = core.now + core.real_after(after);
        self.timers.push((at, timer.clone()));
        self.out.timers.push((at, timer));
    }

    fn cancel_timer(&mut self, _core: &mut Core<'_>, timer: R::Timer) {
        self.timers.retain(|(_, t)| *t != timer);
    }
}

impl<R: Module> World<R> {
    /// All processes in their start states, up, not yet initialised (feed each an
    /// [`Input::Init`]).
    pub fn new(setup: &Setup<R>, monitors: Monitors) -> Self {
        World {
            procs: (0..setup.n)
                .map(|p| {
                    Shared::new(Proc {
                        root: (setup.factory)(p),
                        timers: Timers::new(),
                        storage: Storage::default(),
                    })
                })
                .collect(),
            up: vec![true; setup.n],
            monitors,
        }
    }

    /// Whether anyone observes events.
    pub fn observing(&self, io: &Io<'_>) -> bool {
        io.trace.is_some() || !self.monitors.is_empty()
    }

    /// Records an event that no module emits (network and life cycle).
    pub fn emit(
        &mut self,
        io: &mut Io<'_>,
        time: Time,
        process: Pid,
        module: &'static str,
        kind: Kind,
        event: Event,
    ) {
        if !self.observing(io) {
            return;
        }
        let e = TraceEvent {
            index: *io.index,
            time,
            process,
            module: module.into(),
            kind,
            event,
        };
        *io.index += 1;
        self.monitors.observe(&e);
        if let Some(t) = io.trace.as_deref_mut() {
            t.push(e);
        }
    }

    /// Records a packet the network lost or could not hand over.
    pub fn emit_drop(
        &mut self,
        io: &mut Io<'_>,
        time: Time,
        id: u64,
        from: Pid,
        to: Pid,
        msg: &R::Msg,
    ) {
        if self.observing(io) {
            let msg = if io.trace.is_some() {
                Value::debug(msg)
            } else {
                Value::Unit
            };
            self.emit(
                io,
                time,
                from,
                NET,
                Kind::Drop,
                Event::Packet { id, from, to, msg },
            );
        }
    }

    /// Crashes `p`: it takes no further step; its timers are cancelled; in crash-recovery with
    /// volatile storage, what it stored is lost.
    pub fn crash(&mut self, setup: &Setup<R>, io: &mut Io<'_>, now: Time, p: Pid) {
        if !self.up[p] {
            return;
        }
        self.up[p] = false;
        let proc = self.procs[p].make_mut();
        proc.timers.clear();
        if setup.model.storage == crate::model::Storage::Volatile {
            proc.storage = Storage::default();
        }
        self.emit(io, now, p, ENV, Kind::Crash, Event::Lifecycle);
    }

    /// Removes process `p`'s pending timer `tag` set to fire at `at`; whether it was pending.
    pub fn take_timer(&mut self, p: Pid, at: Time, tag: &R::Timer) -> bool {
        let Some(pos) = self.procs[p]
            .timers
            .iter()
            .position(|(t, x)| *t == at && x == tag)
        else {
            return false;
        };
        self.procs[p].make_mut().timers.remove(pos);
        true
    }

    /// Runs one input at process `p` at real time `now`.
    pub fn step(
        &mut self,
        setup: &Setup<R>,
        io: &mut Io<'_>,
        now: Time,
        p: Pid,
        input: Input<R>,
        sends_left: Option<u64>,
    ) -> StepOut<R> {
        let mut out = StepOut::default();
        self.step_into(setup, io, now, p, input, sends_left, &mut out);
        out
    }

    /// [`World::step`] into a caller's `out`, which it clears first: a runner that keeps one
    /// `StepOut` reuses its buffers instead of allocating on every step.
    #[allow(clippy::too_many_arguments)]
    pub fn step_into(
        &mut self,
        setup: &Setup<R>,
        io: &mut Io<'_>,
        now: Time,
        p: Pid,
        input: Input<R>,
        sends_left: Option<u64>,
        out: &mut StepOut<R>,
    ) {
        out.sends.clear();
        out.timers.clear();
        out.crashed = false;
        out.sent = 0;
        out.read_clock = false;
        tracing::trace!(process = p, time = now, input = ?std::mem::discriminant(&input), "step");
        match input {
            Input::Recovery => {
                if self.up[p] || setup.model.failures != Failures::CrashRecovery {
                    return;
                }
                self.up[p] = true;
                self.procs[p].make_mut().root = (setup.factory)(p);
                self.emit(io, now, p, ENV, Kind::Recover, Event::Lifecycle);
            }
            _ if !self.up[p] => return,
            Input::Message {
                from,
                packet,
                ref msg,
            } => {
                if self.observing(io) {
                    let shown = if io.trace.is_some() {
                        Value::debug(msg)
                    } else {
                        Value::Unit
                    };
                    self.emit(
                        io,
                        now,
                        p,
                        NET,
                        Kind::Deliver,
                        Event::Packet {
                            id: packet,
                            from,
                            to: p,
                            msg: shown,
                        },
                    );
                }
            }
            Input::Timer(ref t) => {
                if self.observing(io) {
                    let timer = Value::debug(t);
                    self.emit(io, now, p, R::NAME, Kind::Timer, Event::Timeout { timer });
                }
            }
            Input::Request(ref r) => {
                if self.observing(io) {
                    if let Some(ev) = r.observe() {
                        self.emit(io, now, p, R::NAME, Kind::Request, ev);
                    }
                }
            }
            Input::Init => {}
        }
        let recording = io.trace.is_some();
        let World {
            procs,
            up,
            monitors,
        } = self;
        let proc = procs[p].make_mut();
        let mut core = Core {
            me: p,
            n: setup.n,
            now,
            clock: setup.clocks[p].read(now),
            rate: setup.clocks[p].rate,
            read_clock: std::cell::Cell::new(false),
            halted: false,
            sends_left,
            sent: 0,
            path: SmallVec::from_slice(&[R::NAME]),
            chooser: &mut *io.chooser,
            storage: &mut proc.storage,
            oracle: OracleView {
                up,
                faults: &setup.faults,
                gst: setup.model.gst,
                coin: setup.coin,
            },
            monitors,
            sparse: io.sparse && io.trace.is_none(),
            trace: io.trace.as_deref_mut(),
            index: &mut *io.index,
            packet_ids: &mut *io.packet_ids,
        };
        let mut root_out = RootOut::<R> {
            out: &mut *out,
            timers: &mut proc.timers,
            recording,
        };
        let mut inds = Indications::new();
        let mut ctx = Ctx {
            core: &mut core,
            out: &mut root_out,
            inds: &mut inds,
        };
        let root = &mut proc.root;
        match input {
            Input::Init => root.on_init(&mut ctx),
            Input::Request(r) => root.on_request(&mut ctx, r),
            Input::Message { from, msg, .. } => root.on_message(&mut ctx, from, msg),
            Input::Timer(t) => root.on_timer(&mut ctx, t),
            Input::Recovery => root.on_recovery(&mut ctx),
        }
        root.on_guard(&mut ctx);
        let halted = core.halted;
        out.sent = core.sent;
        out.read_clock = core.read_clock.get();
        if halted {
            out.crashed = true;
            out.timers.clear();
            self.crash(setup, io, now, p);
        }
    }
}
