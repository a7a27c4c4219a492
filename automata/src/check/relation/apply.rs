//! Applying an action: the state it leads to, with the step it runs at a process and what
//! the network does with the step's sends; in a replay, the trace events it records.

use crate::check::state::{Recorder, Script};
use crate::check::{Action, Explore, InFlight, Packet, State};
use crate::model::Fault;
use crate::module::Module;
use crate::shared::Shared;
use crate::world::{Input, Io, World};
use crate::Pid;

impl<R: Module> Explore<R> {
    /// Runs one input at `p` and puts what it sent in flight: a packet a partition blocks is
    /// dropped at once, and if the step crashed `p` and the fault plan says its crash loses
    /// what it has in flight, its packets (in flight and just sent) are dropped.
    fn run_step(
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
            sparse: rec.is_none(),
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
            let packet = Shared::new(packet);
            if self.setup.model.links.redeliver && state.net.binary_search(&packet).is_ok() {
                continue; // a set of messages: it is there already
            }
            if let Some(r) = rec.as_deref_mut() {
                r.ids.push((InFlight::clone(&packet), id));
            }
            insert_sorted(&mut state.net, packet);
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
            sparse: false,
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

    pub(in crate::check) fn initial(
        &self,
        rec: Option<&mut Recorder<R::Msg>>,
        index: &mut u64,
    ) -> State<R> {
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

    /// Applies `action` to a copy of `s`; `rec` records the step's events.
    pub(in crate::check) fn apply(
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
    pub(in crate::check) fn apply_mut(
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
                // A redelivered packet stays in the network (a set of messages).
                let (m, id) = if self.setup.model.links.redeliver {
                    let m = InFlight::clone(&s.net[pos]);
                    let id = rec.as_deref_mut().map_or(0, |r| r.id_of(&m));
                    (m, id)
                } else {
                    let m = s.net.remove(pos).into_inner();
                    let id = rec.as_deref_mut().map_or(0, |r| r.take(&m));
                    (m, id)
                };
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
            sparse: rec.is_none(),
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
}

/// Puts `packet` into the sorted multiset `net`.
fn insert_sorted<M: Ord>(net: &mut Vec<Packet<M>>, packet: Packet<M>) {
    let at = net.partition_point(|m| *m <= packet);
    net.insert(at, packet);
}
