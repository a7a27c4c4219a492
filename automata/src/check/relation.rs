//! The transition relation: which actions are enabled in a state, and the state each leads to.
//!
//! The environment's rules (delay windows, partitions, omission, pauses, what a crash loses)
//! come from [`crate::env::Env`], the same functions the simulator calls; this file decides
//! only what the checker branches on: which packet arrives next, which is lost or duplicated,
//! which timer fires, when the next request or fault happens, and which process crashes.

use super::state::{with_choices, Recorder, Script};
use super::{Action, Explore, InFlight, Packet, State};
use crate::env::Env;
use crate::model::{Failures, Fault};
use crate::module::Module;
use crate::monitor::{RunSummary, Verdict, Violation};
use crate::shared::Shared;
use crate::trace::TraceEvent;
use crate::world::{Input, Io, World};
use crate::{Pid, Time};

impl<R: Module> Explore<R> {
    pub(super) fn env(&self) -> Env<'_> {
        Env::new(&self.setup.model, &self.setup.faults)
    }

    /// Runs one input at `p` and puts what it sent in flight: a packet a partition blocks is
    /// dropped at once, and if the step crashed `p` and the fault plan says its crash loses
    /// what it has in flight, its packets (in flight and just sent) are dropped.
    pub(super) fn run_step(
        &self,
        state: &mut State<R>,
        p: Pid,
        input: Input<R>,
        script: &mut Script,
        mut rec: Option<&mut Recorder<R::Msg>>,
        index: &mut u64,
    ) {
        let mut packet_ids = rec.as_deref().map_or(0, |r| r.packet_ids);
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
        if let Some(r) = rec.as_deref_mut() {
            r.packet_ids = packet_ids;
        }
        if out.read_clock {
            self.clock_read
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        if let Some(left) = state.sends_left[p].as_mut() {
            *left = left.saturating_sub(out.sent);
        }
        let env = self.env();
        let mut sends = out.sends;
        if out.crashed {
            state.sends_left[p] = None;
            if env.crash_drops_in_flight(p) {
                self.drop_in_flight(state, p, rec.as_deref_mut(), index);
                for (id, to, msg) in sends.drain(..) {
                    self.emit_drop(state, id, p, to, &msg, rec.as_deref_mut(), index);
                }
            }
        }
        for (id, to, msg) in sends {
            if env.blocked(p, to, state.now) {
                self.emit_drop(state, id, p, to, &msg, rec.as_deref_mut(), index);
                continue;
            }
            let w = env.window(state.now, p, to);
            let packet = InFlight {
                earliest: w.earliest,
                latest: w.latest,
                from: p,
                to,
                msg,
                copies: 1,
            };
            if let Some(r) = rec.as_deref_mut() {
                r.ids.push((packet.clone(), id));
            }
            insert_sorted(&mut state.net, Shared::new(packet));
        }
    }

    /// Records a packet the network dropped (in a replay; a search records nothing).
    #[allow(clippy::too_many_arguments)]
    fn emit_drop(
        &self,
        state: &mut State<R>,
        id: u64,
        from: Pid,
        to: Pid,
        msg: &R::Msg,
        rec: Option<&mut Recorder<R::Msg>>,
        index: &mut u64,
    ) {
        let Some(r) = rec else { return };
        let mut packet_ids = 0;
        let mut script = Script::default();
        let mut io = Io {
            chooser: &mut script,
            trace: Some(&mut r.events),
            index,
            packet_ids: &mut packet_ids,
        };
        state.world.emit_drop(&mut io, state.now, id, from, to, msg);
    }

    /// Drops every packet `p` has in flight, in the order they were sent.
    fn drop_in_flight(
        &self,
        state: &mut State<R>,
        p: Pid,
        mut rec: Option<&mut Recorder<R::Msg>>,
        index: &mut u64,
    ) {
        let (lost, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut state.net)
            .into_iter()
            .partition(|m| m.from == p);
        state.net = kept;
        let Some(r) = rec.as_deref_mut() else { return };
        let mut dropped: Vec<(u64, InFlight<R::Msg>)> = lost
            .iter()
            .map(|m| (r.take(m), InFlight::clone(m)))
            .collect();
        dropped.sort_by_key(|(id, _)| *id);
        for (id, m) in dropped {
            self.emit_drop(state, id, m.from, m.to, &m.msg, rec.as_deref_mut(), index);
        }
    }

    pub(super) fn initial(&self, rec: Option<&mut Recorder<R::Msg>>, index: &mut u64) -> State<R> {
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

    /// When a packet can arrive at the earliest: at its window's start, not before now, and
    /// after any pause of its destination.
    fn arrives(&self, s: &State<R>, m: &InFlight<R::Msg>) -> Time {
        self.env().ready_at(m.to, m.earliest.max(s.now))
    }

    /// When process `p` can handle an event due at `at`: not before now, after any pause.
    fn due(&self, s: &State<R>, p: Pid, at: Time) -> Time {
        self.env().ready_at(p, at.max(s.now))
    }

    /// The latest time the next action may happen at: no bounded packet may be overtaken, no
    /// timer, request or scheduled fault skipped.
    pub(super) fn deadline(&self, s: &State<R>) -> Time {
        let env = self.env();
        let mut d = self.horizon.unwrap_or(Time::MAX);
        for m in &s.net {
            if let Some(l) = m.latest {
                d = d.min(env.ready_at(m.to, l));
            }
        }
        if self.setup.model.fair {
            for (p, proc) in s.world.procs.iter().enumerate() {
                for (at, _) in &proc.timers {
                    d = d.min(self.due(s, p, *at));
                }
            }
        }
        if let Some(&i) = self.requests.get(s.requests) {
            let r = &self.setup.workload[i];
            d = d.min(self.due(s, r.process, r.at));
        }
        if let Some(&i) = self.faults.get(s.faults) {
            d = d.min(self.setup.faults[i].last_time());
        }
        d
    }

    /// Whether the network may lose `m` now: on lossy links, or when its sender or receiver
    /// is omitting.
    fn may_lose(&self, s: &State<R>, m: &InFlight<R::Msg>) -> bool {
        let env = self.env();
        self.setup.model.links.loss > 0.0
            || env.omission(m.from, s.now).is_some()
            || env.omission(m.to, s.now).is_some()
    }

    pub(super) fn base_actions(&self, s: &State<R>) -> Vec<Action<R>> {
        let mut actions = Vec::new();
        let deadline = self.deadline(s);
        let links = self.setup.model.links;
        let mut last: Option<&Packet<R::Msg>> = None;
        for m in &s.net {
            if last == Some(m) {
                continue;
            }
            last = Some(m);
            if self.arrives(s, m) <= deadline && (!links.fifo || self.fifo_head(s, m)) {
                actions.push(Action::Deliver {
                    packet: m.clone(),
                    choices: vec![],
                });
            }
            if self.may_lose(s, m) {
                actions.push(Action::Drop { packet: m.clone() });
            }
            if links.duplication > 0.0 && m.copies < links.max_copies {
                actions.push(Action::Duplicate { packet: m.clone() });
            }
        }
        if self.setup.model.fair {
            for (p, proc) in s.world.procs.iter().enumerate() {
                for (at, timer) in &proc.timers {
                    if self.due(s, p, *at) <= deadline {
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
            let r = &self.setup.workload[i];
            if self.due(s, r.process, r.at) <= deadline {
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

    /// Whether `action` (whatever its choices) is among [`Explore::base_actions`] of `s`,
    /// decided for that one action without listing them all.
    pub(super) fn allows(&self, s: &State<R>, action: &Action<R>) -> bool {
        let deadline = self.deadline(s);
        let links = self.setup.model.links;
        match action {
            Action::Deliver { packet, .. } => {
                s.net.binary_search(packet).is_ok()
                    && self.arrives(s, packet) <= deadline
                    && (!links.fifo || self.fifo_head(s, packet))
            }
            Action::Drop { packet } => {
                s.net.binary_search(packet).is_ok() && self.may_lose(s, packet)
            }
            Action::Duplicate { packet } => {
                s.net.binary_search(packet).is_ok()
                    && links.duplication > 0.0
                    && packet.copies < links.max_copies
            }
            Action::Timer {
                process, timer, at, ..
            } => {
                self.setup.model.fair
                    && s.world.procs[*process]
                        .timers
                        .iter()
                        .any(|(t, x)| t == at && x == timer)
                    && self.due(s, *process, *at) <= deadline
            }
            Action::Request { index, .. } => {
                self.requests.get(s.requests) == Some(index) && {
                    let r = &self.setup.workload[*index];
                    self.due(s, r.process, r.at) <= deadline
                }
            }
            Action::Fault { index, .. } => {
                self.faults.get(s.faults) == Some(index)
                    && self.setup.faults[*index].last_time() <= deadline
            }
            Action::Wait { to } => self.wait_to(s, deadline) == Some(*to),
            Action::Crash { process } => {
                let down = s.world.up.iter().filter(|u| !**u).count();
                s.crashes < self.crash_budget && down < self.setup.f && s.world.up[*process]
            }
        }
    }

    /// Where a [`Action::Wait`] from `s` goes: one tick on, or straight to the first time a
    /// packet can arrive if none can yet (the ticks between change nothing). `None` when
    /// waiting is off, nothing is in flight, or waiting would skip a due event.
    pub(super) fn wait_to(&self, s: &State<R>, deadline: Time) -> Option<Time> {
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
    pub(super) fn apply(
        &self,
        s: &State<R>,
        action: &Action<R>,
        rec: Option<&mut Recorder<R::Msg>>,
        index: &mut u64,
    ) -> (State<R>, Vec<u32>) {
        let mut s = s.clone();
        let arities = self.apply_mut(&mut s, action, rec, index);
        (s, arities)
    }

    /// [`Explore::apply`] in place; returns the arities of the step's choices.
    pub(super) fn apply_mut(
        &self,
        s: &mut State<R>,
        action: &Action<R>,
        mut rec: Option<&mut Recorder<R::Msg>>,
        index: &mut u64,
    ) -> Vec<u32> {
        let mut script = Script::default();
        match action {
            Action::Deliver { packet, choices } => {
                script.script = choices.clone();
                let pos = s
                    .net
                    .iter()
                    .position(|m| m == packet)
                    .expect("enabled packets are in flight");
                let at = self.arrives(s, &s.net[pos]);
                s.now = at;
                let m = s.net.remove(pos).into_inner();
                let id = rec.as_deref_mut().map_or(0, |r| r.take(&m));
                if !s.world.up[m.to] || self.env().blocked(m.from, m.to, s.now) {
                    self.emit_drop(s, id, m.from, m.to, &m.msg, rec, index);
                } else {
                    let input = Input::Message {
                        from: m.from,
                        packet: id,
                        msg: m.msg,
                    };
                    self.run_step(s, m.to, input, &mut script, rec, index);
                }
            }
            Action::Drop { packet } => {
                let pos = s
                    .net
                    .iter()
                    .position(|m| m == packet)
                    .expect("enabled packets are in flight");
                let m = s.net.remove(pos);
                let id = rec.as_deref_mut().map_or(0, |r| r.take(&m));
                self.emit_drop(s, id, m.from, m.to, &m.msg, rec, index);
            }
            Action::Duplicate { packet } => {
                let pos = s
                    .net
                    .iter()
                    .position(|m| m == packet)
                    .expect("enabled packets are in flight");
                s.net[pos].make_mut().copies += 1;
                let copy = s.net[pos].clone();
                if let Some(r) = rec {
                    r.copy(&copy);
                }
                insert_sorted(&mut s.net, copy);
            }
            Action::Timer {
                process,
                timer,
                at,
                choices,
            } => {
                script.script = choices.clone();
                s.now = self.due(s, *process, *at);
                if s.world.take_timer(*process, *at, timer) {
                    let input = Input::Timer(timer.clone());
                    self.run_step(s, *process, input, &mut script, rec, index);
                }
            }
            Action::Request { index: i, choices } => {
                script.script = choices.clone();
                let r = &self.setup.workload[*i];
                s.now = self.due(s, r.process, r.at);
                s.requests += 1;
                let input = Input::Request(r.req.clone());
                self.run_step(s, r.process, input, &mut script, rec, index);
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
                    Fault::Crash { process, .. } => {
                        let drop = self.env().crash_drops_in_flight(process);
                        self.crash(s, process, drop, rec, index);
                    }
                    Fault::Recover { process, .. } => {
                        self.run_step(s, process, Input::Recovery, &mut script, rec, index);
                    }
                    _ => {}
                }
            }
            Action::Crash { process } => {
                s.crashes += 1;
                self.crash(s, *process, false, rec, index);
            }
            Action::Wait { to } => s.now = *to,
        }
        if self.normalized {
            self.normalize(s);
        }
        script.arities
    }

    fn crash(
        &self,
        s: &mut State<R>,
        p: Pid,
        drop_in_flight: bool,
        mut rec: Option<&mut Recorder<R::Msg>>,
        index: &mut u64,
    ) {
        if !s.world.up[p] {
            return;
        }
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
            self.drop_in_flight(s, p, rec, index);
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
    pub(super) fn replay_to(&self, actions: &[Action<R>]) -> (Vec<TraceEvent>, State<R>) {
        let mut rec = Recorder::default();
        let mut index = 0;
        let mut s = self.initial(Some(&mut rec), &mut index);
        for a in actions {
            let (next, _) = self.apply(&s, a, Some(&mut rec), &mut index);
            s = next;
        }
        (rec.events, s)
    }

    /// The run summary of a path that ends in `s` (who is up, who crashed).
    pub(super) fn summary(&self, s: &State<R>) -> RunSummary {
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
    pub(super) fn violation(&self, s: &State<R>, i: usize) -> Option<Violation> {
        let w = s.world.monitors.watches.get(i)?;
        if let Some(v) = &w.violation {
            return Some(v.clone());
        }
        if !self.base_actions(s).is_empty() {
            return None;
        }
        match w.monitor.finish(&self.summary(s)) {
            Verdict::Violation(v) => Some(v),
            _ => None,
        }
    }
}

/// Puts `packet` into the sorted multiset `net`.
fn insert_sorted<M: Ord>(net: &mut Vec<Packet<M>>, packet: Packet<M>) {
    let at = net.partition_point(|m| *m <= packet);
    net.insert(at, packet);
}
