//! The simulator: a deterministic discrete-event runner of a [`World`] (book §2.5).
//!
//! Time is integer ticks. The system model decides when each packet arrives (or whether it is
//! lost or duplicated), timers fire by each process's drifting local clock, and the fault plan
//! crashes, recovers and pauses processes. All randomness comes from one ChaCha8 stream seeded
//! by the run's seed, and ties are broken by insertion order, so the same setup and seed give a
//! byte-identical trace on every machine and whatever else runs in parallel.
//!
//! This file is the event loop (the queue, a process's step, the end of the run); the network
//! is in `network.rs`, the fault plan in `faults.rs`, the random stream in `rng.rs`, the record
//! of decisions in `schedule.rs` and what a run produced in `outcome.rs`.

use crate::context::Chooser;
use crate::env::Env;
use crate::model::Fault;
use crate::module::Module;
use crate::monitor::{Monitors, RunSummary};
use crate::trace::TraceEvent;
use crate::world::{Input, Io, Setup, StepOut, World};
use crate::{Pid, Time};

mod faults;
mod network;
mod outcome;
mod queue;
mod rng;
mod schedule;
pub use outcome::{Outcome, Stats};
pub use rng::{draw_clocks, SimRng};
use schedule::Remember;
pub use schedule::Scheduled;

/// Pending events (packets in flight and timers) a run may hold at once: about 2 GiB.
pub const MAX_PENDING: usize = 20_000_000;

enum Pending<R: Module> {
    Packet {
        id: u64,
        from: Pid,
        to: Pid,
        msg: R::Msg,
    },
    Timer {
        p: Pid,
        at: Time,
        tag: R::Timer,
    },
    Init(Pid),
    Request(usize),
    Fault(usize),
}

/// A deterministic simulation of one run. Configure with the builder methods, then [`Sim::run`].
pub struct Sim<R: Module> {
    setup: Setup<R>,
    world: World<R>,
    rng: SimRng,
    now: Time,
    max_time: Time,
    settle: Time,
    queue: queue::Queue,
    /// What each queued entry will do; `None` once a crash has taken a packet back.
    slots: Vec<Option<Pending<R>>>,
    free: Vec<usize>,
    /// What the fault plan and the model can do, looked up once (the rules are skipped, not
    /// changed, where they cannot apply: the same run, with less work per event).
    quiet: Quiet,
    trace: Option<Vec<TraceEvent>>,
    schedule: Option<Vec<Scheduled<R>>>,
    index: u64,
    packet_ids: u64,
    stats: Stats,
    crashes: std::collections::BTreeMap<Pid, Vec<Time>>,
    sends_left: Vec<Option<u64>>,
    /// Per (from, to): the arrival time of the last packet (FIFO links only; empty otherwise,
    /// so a large n does not cost n² memory).
    fifo_last: Vec<Time>,
    /// The reused output buffer of [`World::step_into`].
    out: StepOut<R>,
    max_pending: usize,
    cut_short: Option<String>,
}

impl<R: Module> Sim<R> {
    /// A run of `setup` checked by `monitors`, seed 0, horizon 10,000 ticks, no trace.
    pub fn new(setup: Setup<R>, monitors: Monitors) -> Self {
        let n = setup.n;
        let fifo = setup.model.links.fifo;
        let world = World::new(&setup, monitors);
        let quiet = Quiet::of(&setup);
        Sim {
            setup,
            world,
            rng: SimRng::seeded(0),
            now: 0,
            max_time: 10_000,
            settle: 0,
            queue: queue::Queue::new(),
            slots: Vec::new(),
            free: Vec::new(),
            quiet,
            trace: None,
            schedule: None,
            index: 0,
            packet_ids: 0,
            stats: Stats::default(),
            crashes: Default::default(),
            sends_left: vec![None; n],
            fifo_last: if fifo { vec![0; n * n] } else { Vec::new() },
            out: StepOut::default(),
            max_pending: MAX_PENDING,
            cut_short: None,
        }
    }

    /// The most pending events (packets in flight and timers) the run may hold; beyond it the
    /// run stops and says so in [`Outcome::cut_short`] instead of exhausting memory.
    pub fn max_pending(mut self, n: usize) -> Self {
        self.max_pending = n;
        self
    }

    pub fn seed(mut self, seed: u64) -> Self {
        self.rng = SimRng::seeded(seed);
        self
    }

    /// Record the trace (off by default: recording renders every message).
    pub fn record(mut self, on: bool) -> Self {
        self.trace = on.then(Vec::new);
        self
    }

    /// Record the schedule (what happened, as the model checker's actions name it).
    pub fn record_schedule(mut self, on: bool) -> Self {
        self.schedule = on.then(Vec::new);
        self
    }

    /// The horizon: the run stops at this time.
    pub fn max_time(mut self, t: Time) -> Self {
        self.max_time = t;
        self
    }

    /// Quiet time a run needs after max(GST, last fault, last request) before liveness is
    /// judged (book §2.6).
    pub fn settle(mut self, t: Time) -> Self {
        self.settle = t;
        self
    }

    fn env(&self) -> Env<'_> {
        Env::new(&self.setup.model, &self.setup.faults)
    }

    fn push(&mut self, at: Time, p: Pending<R>) {
        let slot = match self.free.pop() {
            Some(i) => {
                self.slots[i] = Some(p);
                i
            }
            None => {
                self.slots.push(Some(p));
                self.slots.len() - 1
            }
        };
        self.queue.push(at, slot);
    }

    fn note(&mut self, s: Scheduled<R>) {
        if let Some(schedule) = self.schedule.as_mut() {
            schedule.push(s);
        }
    }

    /// Runs one input at `p`. When recording the schedule, `entry` makes the step's entry
    /// from the outcomes of its choices; it is noted before what the network does with the
    /// step's sends.
    fn step(
        &mut self,
        p: Pid,
        input: Input<R>,
        entry: impl FnOnce(Vec<u32>) -> Option<Scheduled<R>>,
    ) {
        self.stats.steps += 1;
        let sends_left = self.sends_left[p];
        let mut picks = Vec::new();
        let mut remember;
        let chooser: &mut dyn Chooser = if self.schedule.is_some() {
            remember = Remember {
                inner: &mut self.rng,
                picks: &mut picks,
            };
            &mut remember
        } else {
            &mut self.rng
        };
        let mut io = Io {
            chooser,
            trace: self.trace.as_mut(),
            index: &mut self.index,
            packet_ids: &mut self.packet_ids,
            sparse: false,
        };
        // One `StepOut` for the whole run: its buffers are reused, not reallocated per step.
        let mut out = std::mem::take(&mut self.out);
        self.world.step_into(
            &self.setup,
            &mut io,
            self.now,
            p,
            input,
            sends_left,
            &mut out,
        );
        if let Some(left) = self.sends_left[p].as_mut() {
            *left = left.saturating_sub(out.sent);
        }
        if self.schedule.is_some() {
            if let Some(e) = entry(picks) {
                self.note(e);
            }
        }
        if self.setup.model.fair {
            for (at, tag) in out.timers.drain(..) {
                self.push(at, Pending::Timer { p, at, tag });
            }
        }
        if out.crashed {
            self.crashed(p, &mut out.sends);
        }
        for (id, to, msg) in out.sends.drain(..) {
            self.transmit(p, id, to, msg);
        }
        self.out = out;
    }

    fn dispatch(&mut self, p: Pending<R>) {
        let target = match &p {
            Pending::Packet { to, .. } => Some(*to),
            Pending::Timer { p, .. } => Some(*p),
            Pending::Request(i) => Some(self.setup.workload[*i].process),
            _ => None,
        };
        if let Some(q) = target.filter(|_| !self.quiet.no_pauses) {
            if let Some(until) = self.env().paused_until(q, self.now) {
                self.push(until, p);
                return;
            }
        }
        match p {
            Pending::Init(p) => self.step(p, Input::Init, |_| None),
            Pending::Request(index) => {
                let r = &self.setup.workload[index];
                let (p, req) = (r.process, r.req.clone());
                self.step(p, Input::Request(req), |choices| {
                    Some(Scheduled::Request { index, choices })
                });
            }
            Pending::Fault(index) => self.fault(index),
            Pending::Timer { p, at, tag } => {
                if self.world.take_timer(p, at, &tag) {
                    let timer = self.schedule.is_some().then(|| tag.clone());
                    self.step(p, Input::Timer(tag), |choices| {
                        Some(Scheduled::Timer {
                            process: p,
                            at,
                            timer: timer?,
                            choices,
                        })
                    });
                }
            }
            Pending::Packet { id, from, to, msg } => self.deliver(id, from, to, msg),
        }
    }

    /// Runs to the horizon and judges every property.
    pub fn run(self) -> Outcome {
        self.run_scheduled().0
    }

    /// [`Sim::run`], with the schedule when [`Sim::record_schedule`] asked for it.
    pub fn run_scheduled(mut self) -> (Outcome, Option<Vec<Scheduled<R>>>) {
        for p in 0..self.setup.n {
            self.push(0, Pending::Init(p));
        }
        for (i, f) in self.setup.faults.clone().iter().enumerate() {
            if let Fault::Crash { at, .. } | Fault::Recover { at, .. } = *f {
                self.push(at, Pending::Fault(i));
            }
        }
        for i in 0..self.setup.workload.len() {
            let at = self.setup.workload[i].at;
            self.push(at, Pending::Request(i));
        }
        while let Some(at) = self.queue.next_time() {
            if at > self.max_time {
                break;
            }
            let slot = self.queue.pop();
            self.now = at;
            self.free.push(slot);
            // A packet a crash took back leaves its slot empty.
            if let Some(p) = self.slots[slot].take() {
                self.dispatch(p);
            }
            if self.queue.len() > self.max_pending {
                self.cut_short = Some(format!(
                    "at time {at} the run had more than {} events pending (packets in flight \
                     and timers), the simulator's limit; use fewer processes or requests",
                    self.max_pending
                ));
                break;
            }
        }
        self.now = self.max_time;
        let schedule = self.schedule.take();
        (self.finish(), schedule)
    }

    fn finish(self) -> Outcome {
        let n = self.setup.n;
        let complete = self.max_time >= self.setup.quiet_from() + self.settle;
        let summary = RunSummary {
            n,
            end_time: self.max_time,
            events: self.index,
            complete,
            settle_from: self.max_time.saturating_sub(self.settle),
            crashes: self.crashes,
            up_at_end: self.world.up.clone(),
            omitting: self
                .setup
                .faults
                .iter()
                .filter_map(|f| match *f {
                    Fault::Omit { process, .. } => Some(process),
                    _ => None,
                })
                .collect(),
            crash_recovery: self.setup.model.failures == crate::model::Failures::CrashRecovery,
            gst: self.setup.model.stabilization(),
        };
        let properties = self.world.monitors.finish(&summary);
        let metrics = self.world.monitors.measure(&summary);
        let mut stats = self.stats;
        stats.events = self.index;
        stats.end_time = self.max_time;
        Outcome {
            properties,
            stats,
            summary,
            metrics,
            trace: self.trace,
            cut_short: self.cut_short,
        }
    }

    /// The world as it is now (for tests that inspect module state).
    pub fn world(&self) -> &World<R> {
        &self.world
    }
}

fn io<'a>(
    rng: &'a mut SimRng,
    trace: &'a mut Option<Vec<TraceEvent>>,
    index: &'a mut u64,
    packet_ids: &'a mut u64,
) -> Io<'a> {
    Io {
        chooser: rng,
        trace: trace.as_mut(),
        index,
        packet_ids,
        sparse: false,
    }
}

pub use crate::par::{default_threads, par_seeds};

/// Which of the environment's rules cannot apply in a run: no fault of a kind, no partition.
#[derive(Clone, Copy, Debug)]
struct Quiet {
    /// No `Pause` fault: no process is ever paused.
    no_pauses: bool,
    /// No `Omit` fault: no process ever omits.
    no_omissions: bool,
    /// No partition: no link is ever cut.
    no_partitions: bool,
    /// No `Delay` fault, and the delay window is well formed (min <= max): a drawn delay
    /// needs no clamping where delays are bounded by the window itself.
    plain_delays: bool,
}

impl Quiet {
    fn of<R: Module>(setup: &Setup<R>) -> Self {
        let none = |kind: fn(&Fault) -> bool| !setup.faults.iter().any(kind);
        let d = setup.model.delay;
        let a = setup.model.adversary;
        Quiet {
            no_pauses: none(|f| matches!(f, Fault::Pause { .. })),
            no_omissions: none(|f| matches!(f, Fault::Omit { .. })),
            no_partitions: setup.model.partitions.is_empty(),
            plain_delays: none(|f| matches!(f, Fault::Delay { .. }))
                && d.min <= d.max
                && a.fast_to.is_none()
                && a.slow_to.is_none(),
        }
    }
}
