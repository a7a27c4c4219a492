//! The model checker: the same [`World`] explored exhaustively by `stateright` (DESIGN.md
//! runner 2).
//!
//! A state is the world (every process's module tree, timers, storage, and the monitors), the
//! packets in flight, the current time and how far the workload and fault plan have got. An
//! action is anything that can happen next: deliver, drop or duplicate an in-flight packet (drop
//! and duplicate only where the link model allows), fire a timer, issue the next request, apply
//! the next scripted fault, or crash a process within the exploration's crash budget.
//!
//! Time is discrete and honours the timing model: a packet sent at `t` can arrive from
//! `t + delay.min`, and where the model bounds delays (synchronous, or after GST) it must arrive
//! by `t + Δ`, so no timer, request or fault scheduled later may happen while it is in flight.
//! Under asynchrony every interleaving goes. Hence a timeout-based algorithm that is correct in
//! the synchronous model is not blamed for schedules that model forbids.
//! A packet arrives at the earliest time its interleaving allows unless
//! [`Explore::every_delay`] lets time pass with packets in flight ([`Action::Wait`]); then every
//! arrival time in the window is explored, which algorithms that read clocks need.
//!
//! Every safety monitor is an `always` property. A liveness monitor is an `always` property
//! judged on quiescent states (no action enabled): the run is over there, so every obligation
//! must be met. Paths that never quiesce (stubborn links retransmit forever) are only bounded by
//! the depth; liveness on cycles needs a fair-cycle search, which this bridge leaves room for
//! ([`Explore::successors`] is the whole transition relation) but does not implement.
//!
//! Bounded liveness ([`Explore::horizon`]): with a horizon `H`, nothing happens after `H`, so
//! every path ends (the state space is finite even for algorithms that never quiesce, like
//! heartbeats), and a state with nothing left to do by `H` is the end of a run of length `H`.
//! Liveness is judged there, as the simulator judges it at `max_time`: choose `H` at least
//! max(GST, last fault, last request) + the settle time the property needs.

use crate::model::{Failures, Fault};
use crate::module::Module;
use crate::monitor::{Monitors, PropertyKind, RunSummary, Verdict, Violation};
use crate::trace::TraceEvent;
use crate::world::{Input, Io, Setup, World};
use crate::{Pid, Time};

mod state;
use state::{with_choices, Recorder, Script};
pub use state::{Action, InFlight, State};

/// Exhaustive exploration of a setup. Configure with the builder methods.
#[derive(Clone)]
pub struct Explore<R: Module> {
    setup: Setup<R>,
    monitors: Monitors,
    requests: Vec<usize>,
    faults: Vec<usize>,
    crash_budget: usize,
    randomized: bool,
    names: Vec<&'static str>,
    progress: Option<Progress>,
    horizon: Option<Time>,
    diagram: Option<Diagram>,
    every_delay: bool,
}

/// Draws a trace as an SVG picture (for the Explorer), or gives none.
pub type Diagram = std::sync::Arc<dyn Fn(&[TraceEvent]) -> Option<String> + Send + Sync>;

/// Called about ten times a second during a search with (unique states, deepest path).
pub type Progress = std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>;

impl<R: Module> Explore<R> {
    /// Explores `setup` with `monitors` as properties. Scripted faults happen at their times;
    /// no other crash happens unless [`Explore::crashes`] allows it.
    pub fn new(setup: Setup<R>, monitors: Monitors) -> Self {
        let mut requests: Vec<usize> = (0..setup.workload.len()).collect();
        requests.sort_by_key(|&i| setup.workload[i].at);
        let mut faults: Vec<usize> = (0..setup.faults.len())
            .filter(|&i| matches!(setup.faults[i], Fault::Crash { .. } | Fault::Recover { .. }))
            .collect();
        faults.sort_by_key(|&i| setup.faults[i].last_time());
        let names = monitors
            .watches
            .iter()
            .map(|w| &*Box::leak(w.monitor.name().to_string().into_boxed_str()))
            .collect();
        Explore {
            setup,
            monitors,
            requests,
            faults,
            crash_budget: 0,
            randomized: false,
            names,
            progress: None,
            horizon: None,
            diagram: None,
            every_delay: false,
        }
    }

    /// Ends every run at time `h`: no action happens later, and liveness is judged on the
    /// states where nothing is left to do by `h` (bounded liveness, see the module docs).
    pub fn horizon(mut self, h: Time) -> Self {
        self.horizon = Some(h);
        self
    }

    /// Reports progress while searching (for a spinner on a terminal).
    pub fn progress(mut self, f: Progress) -> Self {
        self.progress = Some(f);
        self
    }

    /// Gives the Explorer a picture of each path ([`Explore::serve`]).
    pub fn diagram(mut self, f: Diagram) -> Self {
        self.diagram = Some(f);
        self
    }

    /// Lets the adversary crash up to `k` more processes at any moment (within the budget f).
    pub fn crashes(mut self, k: usize) -> Self {
        self.crash_budget = k;
        self
    }

    /// Lets time pass while packets are in flight, so that every arrival time in a packet's
    /// window is explored. Without it a packet arrives at the earliest time the interleaving
    /// allows (its `earliest`, or later only if other events moved time on): enough for
    /// algorithms that do not read clocks, not for those whose correctness depends on how
    /// long messages take (clock synchronization, timeouts). Multiplies the state space by
    /// the width of the delay windows; where delays are unbounded (asynchrony, before GST)
    /// only a horizon bounds the waiting.
    pub fn every_delay(mut self, on: bool) -> Self {
        self.every_delay = on;
        self
    }

    /// Branches on every outcome of the modules' `ctx.choose` (costs a dry run per action).
    pub fn randomized(mut self, on: bool) -> Self {
        self.randomized = on;
        self
    }

    pub fn setup(&self) -> &Setup<R> {
        &self.setup
    }

    fn run_step(
        &self,
        state: &mut State<R>,
        p: Pid,
        input: Input<R>,
        script: &mut Script,
        mut rec: Option<&mut Recorder<R::Msg>>,
        index: &mut u64,
    ) {
        // Packet ids: unique along a path, since each send is also a trace event.
        let mut packet_ids = *index;
        let mut io = Io {
            chooser: script,
            trace: rec.as_deref_mut().map(|r| &mut r.events),
            index,
            packet_ids: &mut packet_ids,
        };
        let out = state.world.step(
            &self.setup,
            &mut io,
            state.now,
            p,
            input,
            state.sends_left[p],
        );
        if let Some(left) = state.sends_left[p].as_mut() {
            *left = left.saturating_sub(out.sent);
        }
        if out.crashed {
            state.sends_left[p] = None;
        }
        let latest = self.setup.model.latest_arrival(state.now);
        for (id, to, msg) in out.sends {
            let partitioned = self
                .setup
                .model
                .partitions
                .iter()
                .any(|part| part.blocks(p, to, state.now));
            if partitioned {
                continue;
            }
            // The delay adversary, as in the simulator: to `fast_to` every message takes
            // exactly min, to `slow_to` exactly max; others anywhere in the model's window.
            let (delay, adversary) = (self.setup.model.delay, self.setup.model.adversary);
            let (earliest, latest) = if adversary.fast_to == Some(to) {
                (state.now + delay.min, Some(state.now + delay.min))
            } else if adversary.slow_to == Some(to) {
                (state.now + delay.max, Some(state.now + delay.max))
            } else {
                (state.now + delay.min, latest)
            };
            let packet = InFlight {
                earliest,
                latest,
                from: p,
                to,
                msg,
                copies: 1,
            };
            if let Some(r) = rec.as_deref_mut() {
                r.ids.push((packet.clone(), id));
            }
            state.net.push(packet);
        }
        state.net.sort();
    }

    fn initial(&self, rec: Option<&mut Recorder<R::Msg>>, index: &mut u64) -> State<R> {
        let mut state = State {
            world: World::new(&self.setup, self.monitors.clone()),
            now: 0,
            net: Vec::new(),
            requests: 0,
            faults: 0,
            sends_left: vec![None; self.setup.n],
            crashes: 0,
        };
        let mut rec = rec;
        for p in 0..self.setup.n {
            self.run_step(
                &mut state,
                p,
                Input::Init,
                &mut Script::default(),
                rec.as_deref_mut(),
                index,
            );
        }
        state
    }

    /// The latest time the next action may happen at: no bounded packet may be overtaken, no
    /// timer, request or scheduled fault skipped.
    fn deadline(&self, s: &State<R>) -> Time {
        let mut d = self.horizon.unwrap_or(Time::MAX);
        for m in &s.net {
            if let Some(l) = m.latest {
                d = d.min(l);
            }
        }
        if self.setup.model.fair {
            for proc in &s.world.procs {
                for (at, _) in &proc.timers {
                    d = d.min(*at);
                }
            }
        }
        if let Some(&i) = self.requests.get(s.requests) {
            d = d.min(self.setup.workload[i].at);
        }
        if let Some(&i) = self.faults.get(s.faults) {
            d = d.min(self.setup.faults[i].last_time());
        }
        d
    }

    fn base_actions(&self, s: &State<R>) -> Vec<Action<R>> {
        let mut actions = Vec::new();
        let deadline = self.deadline(s);
        let links = self.setup.model.links;
        let mut last: Option<&InFlight<R::Msg>> = None;
        for m in &s.net {
            if last == Some(m) {
                continue;
            }
            last = Some(m);
            if m.earliest.max(s.now) <= deadline && (!links.fifo || self.fifo_head(s, m)) {
                actions.push(Action::Deliver {
                    packet: m.clone(),
                    choices: vec![],
                });
            }
            if links.loss > 0.0 {
                actions.push(Action::Drop { packet: m.clone() });
            }
            if links.duplication > 0.0 && m.copies < links.max_copies {
                actions.push(Action::Duplicate { packet: m.clone() });
            }
        }
        if self.setup.model.fair {
            for (p, proc) in s.world.procs.iter().enumerate() {
                for (at, timer) in &proc.timers {
                    if *at <= deadline {
                        actions.push(Action::Timer {
                            process: p,
                            timer: timer.clone(),
                            at: *at,
                            choices: vec![],
                        });
                    }
                }
            }
        }
        if let Some(&i) = self.requests.get(s.requests) {
            if self.setup.workload[i].at <= deadline {
                actions.push(Action::Request {
                    index: i,
                    choices: vec![],
                });
            }
        }
        if let Some(&i) = self.faults.get(s.faults) {
            if self.setup.faults[i].last_time() <= deadline {
                actions.push(Action::Fault {
                    index: i,
                    choices: vec![],
                });
            }
        }
        if let Some(to) = self.wait_to(s, deadline) {
            actions.push(Action::Wait { to });
        }
        let down = s.world.up.iter().filter(|u| !**u).count();
        if s.crashes < self.crash_budget && down < self.setup.f {
            for p in 0..self.setup.n {
                if s.world.up[p] {
                    actions.push(Action::Crash { process: p });
                }
            }
        }
        actions
    }

    /// Where a [`Action::Wait`] from `s` goes: one tick on, or straight to the first time a
    /// packet can arrive if none can yet (the ticks between change nothing). `None` when
    /// waiting is off, nothing is in flight, or waiting would skip a due event.
    fn wait_to(&self, s: &State<R>, deadline: Time) -> Option<Time> {
        if !self.every_delay {
            return None;
        }
        let first = s.net.iter().map(|m| m.earliest).min()?;
        let to = (s.now + 1).max(first);
        (to <= deadline).then_some(to)
    }

    /// With FIFO links, only the oldest packet of a channel may arrive.
    fn fifo_head(&self, s: &State<R>, m: &InFlight<R::Msg>) -> bool {
        !s.net.iter().any(|o| {
            o.from == m.from && o.to == m.to && (o.earliest, o.latest) < (m.earliest, m.latest)
        })
    }

    /// Applies `action` to a copy of `s`; `rec` records the step's events.
    fn apply(
        &self,
        s: &State<R>,
        action: &Action<R>,
        mut rec: Option<&mut Recorder<R::Msg>>,
        index: &mut u64,
    ) -> (State<R>, Vec<u32>) {
        let mut s = s.clone();
        let mut script = Script::default();
        match action {
            Action::Deliver { packet, choices } => {
                script.script = choices.clone();
                let pos = s
                    .net
                    .iter()
                    .position(|m| m == packet)
                    .expect("enabled packets are in flight");
                let m = s.net.remove(pos);
                s.now = s.now.max(m.earliest);
                let packet = rec.as_deref_mut().map_or(0, |r| r.take(&m));
                self.run_step(
                    &mut s,
                    m.to,
                    Input::Message {
                        from: m.from,
                        packet,
                        msg: m.msg,
                    },
                    &mut script,
                    rec,
                    index,
                );
            }
            Action::Drop { packet } => {
                let pos = s
                    .net
                    .iter()
                    .position(|m| m == packet)
                    .expect("enabled packets are in flight");
                let m = s.net.remove(pos);
                let id = rec.as_deref_mut().map_or(0, |r| r.take(&m));
                let mut packet_ids = 0;
                let mut io = Io {
                    chooser: &mut script,
                    trace: rec.map(|r| &mut r.events),
                    index,
                    packet_ids: &mut packet_ids,
                };
                s.world.emit_drop(&mut io, s.now, id, m.from, m.to, &m.msg);
            }
            Action::Duplicate { packet } => {
                let pos = s
                    .net
                    .iter()
                    .position(|m| m == packet)
                    .expect("enabled packets are in flight");
                s.net[pos].copies += 1;
                let copy = s.net[pos].clone();
                if let Some(r) = rec {
                    r.copy(&copy);
                }
                s.net.push(copy);
                s.net.sort();
            }
            Action::Timer {
                process,
                timer,
                at,
                choices,
            } => {
                script.script = choices.clone();
                s.now = s.now.max(*at);
                let timers = &mut s.world.procs[*process].timers;
                if let Some(pos) = timers.iter().position(|(t, x)| t == at && x == timer) {
                    timers.remove(pos);
                    self.run_step(
                        &mut s,
                        *process,
                        Input::Timer(timer.clone()),
                        &mut script,
                        rec,
                        index,
                    );
                }
            }
            Action::Request { index: i, choices } => {
                script.script = choices.clone();
                let r = &self.setup.workload[*i];
                s.now = s.now.max(r.at);
                s.requests += 1;
                self.run_step(
                    &mut s,
                    r.process,
                    Input::Request(r.req.clone()),
                    &mut script,
                    rec,
                    index,
                );
            }
            Action::Fault { index: i, choices } => {
                script.script = choices.clone();
                let f = &self.setup.faults[*i];
                s.now = s.now.max(f.last_time());
                s.faults += 1;
                match *f {
                    Fault::Crash {
                        process,
                        after_sends: Some(k),
                        ..
                    } if s.world.up[process] => {
                        s.sends_left[process] = Some(k);
                    }
                    Fault::Crash {
                        after_sends: Some(_),
                        ..
                    } => {}
                    Fault::Crash {
                        process,
                        drop_in_flight,
                        ..
                    } => {
                        self.crash(&mut s, process, drop_in_flight, rec, index);
                    }
                    Fault::Recover { process, .. } => {
                        self.run_step(&mut s, process, Input::Recovery, &mut script, rec, index);
                    }
                    _ => {}
                }
            }
            Action::Crash { process } => {
                s.crashes += 1;
                self.crash(&mut s, *process, false, rec, index);
            }
            Action::Wait { to } => s.now = *to,
        }
        (s, script.arities)
    }

    fn crash(
        &self,
        s: &mut State<R>,
        p: Pid,
        drop_in_flight: bool,
        mut rec: Option<&mut Recorder<R::Msg>>,
        index: &mut u64,
    ) {
        let mut packet_ids = 0;
        let mut script = Script::default();
        let mut io = Io {
            chooser: &mut script,
            trace: rec.as_deref_mut().map(|r| &mut r.events),
            index,
            packet_ids: &mut packet_ids,
        };
        s.world.crash(&self.setup, &mut io, s.now, p);
        s.sends_left[p] = None;
        if drop_in_flight {
            s.net.retain(|m| m.from != p);
            if let Some(r) = rec {
                r.ids.retain(|(m, _)| m.from != p);
            }
        }
    }

    /// Every action enabled in `s`, with one action per outcome of its choices. A state where
    /// a property is already violated has none: the search reports the first violation only.
    pub fn enabled(&self, s: &State<R>) -> Vec<Action<R>> {
        if s.world.monitors.any_violation() {
            return Vec::new();
        }
        let base = self.base_actions(s);
        if !self.randomized {
            return base;
        }
        let mut all = Vec::new();
        for a in base {
            // Enumerate choice vectors like an odometer, discovering arities by running.
            let mut prefix: Vec<u32> = Vec::new();
            loop {
                let candidate = with_choices(&a, prefix.clone());
                let (_, arities) = self.apply(s, &candidate, None, &mut 0);
                let full: Vec<u32> = (0..arities.len())
                    .map(|i| prefix.get(i).copied().unwrap_or(0))
                    .collect();
                all.push(with_choices(&a, full.clone()));
                // Next vector: increment the last position that can still grow.
                let mut next = full;
                let mut i = next.len();
                loop {
                    if i == 0 {
                        break;
                    }
                    i -= 1;
                    if next[i] + 1 < arities[i] {
                        next[i] += 1;
                        next.truncate(i + 1);
                        break;
                    }
                    if i == 0 {
                        next.clear();
                    }
                }
                if next.is_empty() || next.iter().all(|&c| c == 0) {
                    break;
                }
                prefix = next;
            }
        }
        all
    }

    /// The transition relation: every (action, next state) from `s`.
    pub fn successors(&self, s: &State<R>) -> Vec<(Action<R>, State<R>)> {
        self.enabled(s)
            .into_iter()
            .map(|a| {
                let (next, _) = self.apply(s, &a, None, &mut 0);
                (a, next)
            })
            .collect()
    }

    /// Replays `actions` from the initial state, recording the trace (a counterexample as the
    /// reader sees it). Every delivery and drop carries the id of its packet's send, as in the
    /// simulator's traces.
    pub fn replay(&self, actions: &[Action<R>]) -> Vec<TraceEvent> {
        self.replay_to(actions).0
    }

    /// [`Explore::replay`], with the state the path ends in.
    fn replay_to(&self, actions: &[Action<R>]) -> (Vec<TraceEvent>, State<R>) {
        let mut rec = Recorder {
            events: Vec::new(),
            ids: Vec::new(),
        };
        let mut index = 0;
        let mut s = self.initial(Some(&mut rec), &mut index);
        for a in actions {
            let (next, _) = self.apply(&s, a, Some(&mut rec), &mut index);
            s = next;
        }
        (rec.events, s)
    }

    fn summary(&self, s: &State<R>) -> RunSummary {
        let mut run = RunSummary::failure_free(self.setup.n, self.horizon.unwrap_or(s.now));
        run.up_at_end = s.world.up.clone();
        run.crash_recovery = self.setup.model.failures == Failures::CrashRecovery;
        run.gst = self.setup.model.stabilization();
        for (p, up) in s.world.up.iter().enumerate() {
            if !up {
                run.crashes.insert(p, vec![0]);
            }
        }
        run
    }

    /// How monitor `i` is violated in `s`, if it is: its witness event and explanation.
    fn violation(&self, s: &State<R>, i: usize) -> Option<Violation> {
        let w = s.world.monitors.watches.get(i)?;
        if let Some(v) = &w.violation {
            return Some(v.clone());
        }
        if w.monitor.kind() == PropertyKind::Safety || !self.base_actions(s).is_empty() {
            return None;
        }
        match w.monitor.finish(&self.summary(s)) {
            Verdict::Violation(v) => Some(v),
            _ => None,
        }
    }

    fn holds(&self, s: &State<R>, i: usize) -> bool {
        let Some(w) = s.world.monitors.watches.get(i) else {
            return true;
        };
        if w.violation.is_some() {
            return false;
        }
        if w.monitor.kind() == PropertyKind::Safety {
            return true;
        }
        // Liveness and "over correct processes": judged where the run is over.
        if !self.base_actions(s).is_empty() {
            return true;
        }
        !matches!(w.monitor.finish(&self.summary(s)), Verdict::Violation(_))
    }
}

mod search;
pub use search::{Counterexample, Report, Search, MAX_PROPERTIES};
