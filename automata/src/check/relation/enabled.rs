//! The actions enabled in a state: which packet may arrive, be lost or be duplicated, which
//! timer may fire, whether the next request or fault is due, who may crash, and whether time
//! may pass, all within the timing model's deadline.

use crate::check::state::with_choices;
use crate::check::{Action, Explore, InFlight, Packet, State, CHOICES_PER_STEP};
use crate::module::Module;
use crate::Time;
use std::sync::atomic::Ordering::Relaxed;

impl<R: Module> Explore<R> {
    /// The latest time the next action may happen at: no bounded packet may be overtaken, no
    /// timer, request or scheduled fault skipped.
    pub(in crate::check) fn deadline(&self, s: &State<R>) -> Time {
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

    pub(in crate::check) fn base_actions(&self, s: &State<R>) -> Vec<Action<R>> {
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
            if links.duplication > 0.0 && !links.redeliver && m.copies < links.max_copies {
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
    pub(in crate::check) fn allows(&self, s: &State<R>, action: &Action<R>) -> bool {
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
    pub(in crate::check) fn wait_to(&self, s: &State<R>, deadline: Time) -> Option<Time> {
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

    /// Every action enabled in `s`, with one action per outcome of its choices (see
    /// [`Explore::successors`], which also gives the states they lead to).
    pub fn enabled(&self, s: &State<R>) -> Vec<Action<R>> {
        self.successors(s).into_iter().map(|(a, _)| a).collect()
    }

    /// The transition relation: every (action, next state) from `s`, in a fixed order. A step
    /// that makes choices (`ctx.choose`) is one action per combination of outcomes, found by
    /// running it: the first run answers 0 to every choice and reports how many outcomes each
    /// had, then the combinations are counted up like an odometer, each run giving its state
    /// (at most [`CHOICES_PER_STEP`] an action: the search then says it was cut). A state where a property is already violated has none: the search reports the first
    /// violation only.
    pub fn successors(&self, s: &State<R>) -> Vec<(Action<R>, State<R>)> {
        if s.world.monitors.any_violation() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for a in self.base_actions(s) {
            let (child, mut arities) = self.apply(s, &a, None, &mut 0);
            if arities.is_empty() {
                out.push((a, child));
                continue;
            }
            let mut choices = vec![0; arities.len()];
            out.push((with_choices(&a, choices.clone()), child));
            // The next combination: the last choice that can still grow grows, the later
            // ones start again from 0 (and may now be fewer or more).
            let mut combinations = 1;
            while let Some(i) = (0..choices.len())
                .rev()
                .find(|&i| choices[i] + 1 < arities[i])
            {
                if combinations == CHOICES_PER_STEP {
                    self.choices_cut.store(true, Relaxed);
                    break;
                }
                combinations += 1;
                choices.truncate(i + 1);
                choices[i] += 1;
                let (child, grown) =
                    self.apply(s, &with_choices(&a, choices.clone()), None, &mut 0);
                choices.resize(grown.len(), 0);
                arities = grown;
                out.push((with_choices(&a, choices.clone()), child));
            }
        }
        out
    }
}
