//! The simulator: a deterministic discrete-event runner of a [`World`] (DESIGN.md runner 1).
//!
//! Time is integer ticks. The system model decides when each packet arrives (or whether it is
//! lost or duplicated), timers fire by each process's drifting local clock, and the fault plan
//! crashes, recovers and pauses processes. All randomness comes from one ChaCha8 stream seeded
//! by the run's seed, and ties are broken by insertion order, so the same setup and seed give a
//! byte-identical trace on every machine and whatever else runs in parallel.

use crate::context::Chooser;
use crate::model::{Fault, Timing};
use crate::module::Module;
use crate::monitor::{Monitors, PropertyResult, RunSummary};
use crate::trace::TraceEvent;
use crate::world::{Clock, Input, Io, Setup, StepOut, World};
use crate::{Pid, Time};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// The run's random stream: the network's choices and the modules' `ctx.choose`.
pub struct SimRng(pub ChaCha8Rng);

impl SimRng {
    pub fn seeded(seed: u64) -> Self {
        SimRng(ChaCha8Rng::seed_from_u64(seed))
    }

    fn between(&mut self, lo: Time, hi: Time) -> Time {
        if lo >= hi {
            lo
        } else {
            self.0.random_range(lo..=hi)
        }
    }

    fn exponential(&mut self, mean: f64) -> Time {
        let u: f64 = self.0.random();
        (-mean * (1.0 - u).ln()).round() as Time
    }
}

impl Chooser for SimRng {
    fn choose(&mut self, n: usize) -> usize {
        self.0.random_range(0..n as u64) as usize
    }
    fn coin(&mut self, p: f64) -> bool {
        self.0.random_bool(p.clamp(0.0, 1.0))
    }
    fn unit(&mut self) -> f64 {
        self.0.random()
    }
}

/// Draws each process's hardware clock from the model's drift and offset bounds.
pub fn draw_clocks(n: usize, drift: f64, offset: Time, seed: u64) -> Vec<Clock> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xC10C_C10C_C10C_C10C);
    (0..n)
        .map(|_| Clock {
            rate: if drift > 0.0 {
                1.0 + rng.random_range(-drift..=drift)
            } else {
                1.0
            },
            offset: if offset > 0 {
                rng.random_range(0..=offset)
            } else {
                0
            },
        })
        .collect()
}

/// Counters of a run, as `ioa run --json` prints them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Trace events (requests, indications, sends, deliveries, ... at every layer).
    pub events: u64,
    /// Process steps taken (inputs handled).
    pub steps: u64,
    pub messages_sent: u64,
    pub messages_delivered: u64,
    pub messages_dropped: u64,
    pub end_time: Time,
}

/// What a run produced.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub properties: Vec<PropertyResult>,
    pub stats: Stats,
    pub summary: RunSummary,
    /// The monitors' measurements ([`crate::Monitor::measure`]).
    pub metrics: BTreeMap<String, f64>,
    pub trace: Option<Vec<TraceEvent>>,
}

impl Outcome {
    /// Whether every property holds (none violated, none inconclusive).
    pub fn all_hold(&self) -> bool {
        self.properties.iter().all(|p| p.verdict.holds())
    }

    /// The result for property `name`.
    pub fn property(&self, name: &str) -> Option<&PropertyResult> {
        self.properties.iter().find(|p| p.name == name)
    }
}

enum Pending<R: Module> {
    Packet {
        id: u64,
        from: Pid,
        to: Pid,
        msg: R::Msg,
        sent_at: Time,
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
    queue: BinaryHeap<Reverse<(Time, u64, usize)>>,
    slots: Vec<Option<Pending<R>>>,
    free: Vec<usize>,
    seq: u64,
    trace: Option<Vec<TraceEvent>>,
    index: u64,
    packet_ids: u64,
    stats: Stats,
    crashes: std::collections::BTreeMap<Pid, Vec<Time>>,
    sends_left: Vec<Option<u64>>,
    drop_from: Vec<Option<Time>>,
    /// Per (from, to): the arrival time of the last packet (FIFO links only; empty otherwise,
    /// so a large n does not cost n² memory).
    fifo_last: Vec<Time>,
    /// The reused output buffer of [`World::step_into`].
    out: StepOut<R>,
}

impl<R: Module> Sim<R> {
    /// A run of `setup` checked by `monitors`, seed 0, horizon 10,000 ticks, no trace.
    pub fn new(setup: Setup<R>, monitors: Monitors) -> Self {
        let n = setup.n;
        let fifo = setup.model.links.fifo;
        let world = World::new(&setup, monitors);
        Sim {
            setup,
            world,
            rng: SimRng::seeded(0),
            now: 0,
            max_time: 10_000,
            settle: 0,
            queue: BinaryHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            seq: 0,
            trace: None,
            index: 0,
            packet_ids: 0,
            stats: Stats::default(),
            crashes: Default::default(),
            sends_left: vec![None; n],
            drop_from: vec![None; n],
            fifo_last: if fifo { vec![0; n * n] } else { Vec::new() },
            out: StepOut::default(),
        }
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

    /// The horizon: the run stops at this time.
    pub fn max_time(mut self, t: Time) -> Self {
        self.max_time = t;
        self
    }

    /// Quiet time a run needs after max(GST, last fault, last request) before liveness is
    /// judged (CATALOGUE.md part 0).
    pub fn settle(mut self, t: Time) -> Self {
        self.settle = t;
        self
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
        self.queue.push(Reverse((at, self.seq, slot)));
        self.seq += 1;
    }

    fn paused_until(&self, p: Pid) -> Option<Time> {
        self.setup.faults.iter().find_map(|f| match *f {
            Fault::Pause {
                process,
                from,
                until,
            } if process == p && from <= self.now && self.now < until => Some(until),
            _ => None,
        })
    }

    fn omits(&mut self, p: Pid) -> bool {
        let now = self.now;
        let prob = self.setup.faults.iter().find_map(|f| match *f {
            Fault::Omit {
                process,
                probability,
                from,
                until,
            } if process == p && from <= now && now < until => Some(probability),
            _ => None,
        });
        prob.is_some_and(|prob| self.rng.coin(prob))
    }

    fn partitioned(&self, from: Pid, to: Pid) -> bool {
        self.setup
            .model
            .partitions
            .iter()
            .any(|part| part.blocks(from, to, self.now))
    }

    fn delay(&mut self, from: Pid, to: Pid) -> Time {
        let model = &self.setup.model;
        let d = model.delay;
        let mut delay = if model.adversary.fast_to == Some(to) {
            d.min
        } else if model.adversary.slow_to == Some(to) {
            d.max
        } else {
            self.rng.between(d.min, d.max)
        };
        let unbounded = match model.timing {
            Timing::Synchronous => false,
            Timing::Asynchronous => true,
            Timing::PartiallySynchronous => self.now < model.gst,
        };
        if unbounded && d.tail > 0.0 && self.rng.coin(d.tail) {
            delay += self.rng.exponential(10.0 * d.max as f64);
        }
        for f in &self.setup.faults {
            if let Fault::Delay {
                from_process,
                to_process,
                extra,
                from: t0,
                until,
            } = *f
            {
                if from_process == from && to_process == to && t0 <= self.now && self.now < until {
                    delay += extra;
                }
            }
        }
        // Partial synchrony: whatever happened before GST, a packet arrives by GST + Δ.
        // (Synchronous models are not clamped: a delay fault there shows up as a broken model.)
        if model.timing == Timing::PartiallySynchronous && self.now < model.gst {
            delay = delay.min(model.gst + d.max - self.now);
        }
        delay
    }

    fn transmit(&mut self, from: Pid, id: u64, to: Pid, msg: R::Msg) {
        self.stats.messages_sent += 1;
        let lost = self.omits(from)
            || self.partitioned(from, to)
            || (self.setup.model.links.loss > 0.0 && self.rng.coin(self.setup.model.links.loss));
        if lost {
            self.stats.messages_dropped += 1;
            let mut io = io(
                &mut self.rng,
                &mut self.trace,
                &mut self.index,
                &mut self.packet_ids,
            );
            self.world.emit_drop(&mut io, self.now, id, from, to, &msg);
            return;
        }
        let links = self.setup.model.links;
        let mut copies = 1;
        while copies < links.max_copies
            && links.duplication > 0.0
            && self.rng.coin(links.duplication)
        {
            copies += 1;
        }
        let mut msg = Some(msg);
        for c in 1..=copies {
            let mut at = self.now + self.delay(from, to);
            if links.fifo {
                let last = &mut self.fifo_last[from * self.setup.n + to];
                at = at.max(*last);
                *last = at;
            }
            let msg = if c == copies {
                msg.take().expect("last copy")
            } else {
                msg.clone().expect("copy")
            };
            self.push(
                at,
                Pending::Packet {
                    id,
                    from,
                    to,
                    msg,
                    sent_at: self.now,
                },
            );
        }
    }

    fn step(&mut self, p: Pid, input: Input<R>) {
        self.stats.steps += 1;
        let sends_left = self.sends_left[p];
        let mut io = io(
            &mut self.rng,
            &mut self.trace,
            &mut self.index,
            &mut self.packet_ids,
        );
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
        if out.crashed {
            self.note_crash(p, true);
        }
        if self.setup.model.fair {
            for (at, tag) in out.timers.drain(..) {
                self.push(at, Pending::Timer { p, at, tag });
            }
        }
        for (id, to, msg) in out.sends.drain(..) {
            self.transmit(p, id, to, msg);
        }
        self.out = out;
    }

    fn note_crash(&mut self, p: Pid, drop_in_flight_from_plan: bool) {
        self.crashes.entry(p).or_default().push(self.now);
        self.sends_left[p] = None;
        if drop_in_flight_from_plan {
            let drop = self.setup.faults.iter().any(|f| matches!(*f, Fault::Crash { process, drop_in_flight: true, .. } if process == p));
            if drop {
                self.drop_from[p] = Some(self.now);
            }
        }
    }

    fn fault(&mut self, i: usize) {
        match self.setup.faults[i] {
            Fault::Crash { process, .. } if !self.world.up[process] => {}
            Fault::Crash {
                process,
                after_sends: Some(k),
                ..
            } => {
                self.sends_left[process] = Some(k);
            }
            Fault::Crash { process, .. } => {
                let mut io = io(
                    &mut self.rng,
                    &mut self.trace,
                    &mut self.index,
                    &mut self.packet_ids,
                );
                self.world.crash(&self.setup, &mut io, self.now, process);
                self.note_crash(process, true);
            }
            Fault::Recover { process, .. } if !self.world.up[process] => {
                self.drop_from[process] = None;
                self.step(process, Input::Recovery);
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, p: Pending<R>) {
        let target = match &p {
            Pending::Packet { to, .. } => Some(*to),
            Pending::Timer { p, .. } => Some(*p),
            Pending::Request(i) => Some(self.setup.workload[*i].process),
            _ => None,
        };
        if let Some(q) = target {
            if let Some(until) = self.paused_until(q) {
                self.push(until, p);
                return;
            }
        }
        match p {
            Pending::Init(p) => self.step(p, Input::Init),
            Pending::Request(i) => {
                let r = &self.setup.workload[i];
                let (p, req) = (r.process, r.req.clone());
                self.step(p, Input::Request(req));
            }
            Pending::Fault(i) => self.fault(i),
            Pending::Timer { p, at, tag } => {
                let timers = &mut self.world.procs[p].timers;
                if let Some(pos) = timers.iter().position(|(t, x)| *t == at && *x == tag) {
                    timers.remove(pos);
                    self.step(p, Input::Timer(tag));
                }
            }
            Pending::Packet {
                id,
                from,
                to,
                msg,
                sent_at,
            } => {
                let stale = self.drop_from[from].is_some_and(|t| sent_at <= t);
                if stale || !self.world.up[to] || self.partitioned(from, to) || self.omits(to) {
                    self.stats.messages_dropped += 1;
                    let mut io = io(
                        &mut self.rng,
                        &mut self.trace,
                        &mut self.index,
                        &mut self.packet_ids,
                    );
                    self.world.emit_drop(&mut io, self.now, id, from, to, &msg);
                } else {
                    self.stats.messages_delivered += 1;
                    self.step(
                        to,
                        Input::Message {
                            from,
                            packet: id,
                            msg,
                        },
                    );
                }
            }
        }
    }

    /// Runs to the horizon and judges every property.
    pub fn run(mut self) -> Outcome {
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
        while let Some(&Reverse((at, _, slot))) = self.queue.peek() {
            if at > self.max_time {
                break;
            }
            self.queue.pop();
            self.now = at;
            let p = self.slots[slot].take().expect("queued slots are filled");
            self.free.push(slot);
            self.dispatch(p);
        }
        self.now = self.max_time;
        self.finish()
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
    }
}

/// Runs `job` for every seed on `threads` threads (crossbeam); results come back in seed order,
/// so the output does not depend on the number of threads.
pub fn par_seeds<T: Send>(seeds: &[u64], threads: usize, job: impl Fn(u64) -> T + Sync) -> Vec<T> {
    let threads = threads.max(1).min(seeds.len().max(1));
    if threads == 1 {
        return seeds.iter().map(|&s| job(s)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<T>> = seeds.iter().map(|_| None).collect();
    let chunks: Vec<Vec<(usize, T)>> = crossbeam::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|_| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= seeds.len() {
                            break mine;
                        }
                        mine.push((i, job(seeds[i])));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a seed's run panicked"))
            .collect()
    })
    .expect("a seed's run panicked");
    for (i, r) in chunks.into_iter().flatten() {
        results[i] = Some(r);
    }
    results
        .into_iter()
        .map(|r| r.expect("every seed ran"))
        .collect()
}

/// The number of cores to use by default.
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}
