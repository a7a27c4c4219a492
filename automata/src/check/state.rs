//! What the checker explores: a state (the world, the packets in flight, the time, how far the
//! script has got) and the actions that lead from one state to the next.

use crate::context::Chooser;
use crate::module::Module;
use crate::shared::Shared;
use crate::trace::TraceEvent;
use crate::world::World;
use crate::{Pid, Time};
use std::hash::{Hash, Hasher};

/// A packet in flight: who sent it, where to, its arrival window and how many copies the
/// network already delivered.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InFlight<M> {
    pub earliest: Time,
    /// `None`: no bound (asynchronous, or sent before GST).
    pub latest: Option<Time>,
    pub from: Pid,
    pub to: Pid,
    pub msg: M,
    pub copies: u32,
}

impl<M: PartialEq> InFlight<M> {
    /// The same packet, however many copies the network made of it.
    pub(super) fn same_packet(&self, o: &InFlight<M>) -> bool {
        (self.earliest, self.latest, self.from, self.to) == (o.earliest, o.latest, o.from, o.to)
            && self.msg == o.msg
    }
}

/// A packet in flight as states hold it: shared, its hash computed once.
pub type Packet<M> = Shared<InFlight<M>>;

/// What a replay records besides the state: the trace, and the id of every packet in flight
/// (ids are not part of [`State`], so that the same configuration reached along two paths is
/// one state; a replay needs them only to pair each delivery or drop with its send).
pub(super) struct Recorder<M> {
    pub(super) events: Vec<TraceEvent>,
    pub(super) ids: Vec<(InFlight<M>, u64)>,
    /// The id the next send gets (as the simulator numbers sends: 0, 1, 2, ... in order).
    pub(super) packet_ids: u64,
    /// When set, the id the next packet to leave the network has (a replayed schedule names
    /// it; equal packets sent twice are otherwise told apart by send order).
    pub(super) prefer: Option<u64>,
}

impl<M> Default for Recorder<M> {
    fn default() -> Self {
        Recorder {
            events: Vec::new(),
            ids: Vec::new(),
            packet_ids: 0,
            prefer: None,
        }
    }
}

impl<M: Clone + PartialEq> Recorder<M> {
    /// The id of `packet`, which leaves the network.
    pub(super) fn take(&mut self, packet: &InFlight<M>) -> u64 {
        let prefer = self.prefer.take();
        let found = self
            .ids
            .iter()
            .position(|(m, id)| m.same_packet(packet) && prefer.is_none_or(|p| p == *id))
            .or_else(|| self.ids.iter().position(|(m, _)| m.same_packet(packet)));
        match found {
            Some(i) => self.ids.remove(i).1,
            None => 0,
        }
    }

    /// The id of `packet`, which stays in the network (it may be redelivered).
    pub(super) fn id_of(&mut self, packet: &InFlight<M>) -> u64 {
        let prefer = self.prefer.take();
        self.ids
            .iter()
            .find(|(m, id)| m.same_packet(packet) && prefer.is_none_or(|p| p == *id))
            .or_else(|| self.ids.iter().find(|(m, _)| m.same_packet(packet)))
            .map_or(0, |(_, id)| *id)
    }

    /// The packet in flight with id `id`, if any.
    pub(super) fn packet(&self, id: u64) -> Option<&InFlight<M>> {
        self.ids.iter().find(|(_, i)| *i == id).map(|(m, _)| m)
    }

    /// `packet` is in the network once more, under the same id.
    pub(super) fn copy(&mut self, packet: &InFlight<M>) {
        let prefer = self.prefer.take();
        let found = self
            .ids
            .iter()
            .find(|(m, id)| m.same_packet(packet) && prefer.is_none_or(|p| p == *id))
            .or_else(|| self.ids.iter().find(|(m, _)| m.same_packet(packet)));
        if let Some((m, id)) = found {
            let copy = (m.clone(), *id);
            self.ids.push(copy);
        }
    }
}

/// One state of the explored system.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State<R: Module> {
    pub world: World<R>,
    pub now: Time,
    /// Packets in flight, sorted (a multiset); shared between states like processes.
    pub net: Vec<Packet<R::Msg>>,
    /// Workload requests issued so far (in time order).
    pub requests: usize,
    /// Scripted crash/recover faults applied so far (in time order).
    pub faults: usize,
    /// Sends left before an `after_sends` crash, per process.
    pub sends_left: Vec<Option<u64>>,
    /// Unscripted crashes used so far.
    pub crashes: usize,
}

/// What can happen next. `choices` lists the outcomes of the step's nondeterministic
/// choices (`ctx.choose`), one branch per combination.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Action<R: Module> {
    Deliver {
        packet: Packet<R::Msg>,
        choices: Vec<u32>,
    },
    Drop {
        packet: Packet<R::Msg>,
    },
    Duplicate {
        packet: Packet<R::Msg>,
    },
    Timer {
        process: Pid,
        timer: R::Timer,
        at: Time,
        choices: Vec<u32>,
    },
    Request {
        index: usize,
        choices: Vec<u32>,
    },
    Fault {
        index: usize,
        choices: Vec<u32>,
    },
    Crash {
        process: Pid,
    },
    /// Time passes to `to` with nothing happening ([`super::Explore::every_delay`]).
    Wait {
        to: Time,
    },
}

/// Replays scripted choices; past the script it answers 0 and records how many outcomes the
/// choice had, so the caller can enumerate the siblings.
#[derive(Default)]
pub(super) struct Script {
    pub(super) script: Vec<u32>,
    pos: usize,
    pub(super) arities: Vec<u32>,
}

impl Chooser for Script {
    fn choose(&mut self, n: usize) -> usize {
        let pick = self.script.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        self.arities.push(n as u32);
        (pick as usize).min(n - 1)
    }
    fn coin(&mut self, _p: f64) -> bool {
        self.choose(2) == 1
    }
    fn unit(&mut self) -> f64 {
        0.5
    }
}

/// `a` with the given outcomes of its choices.
pub(super) fn with_choices<R: Module>(a: &Action<R>, c: Vec<u32>) -> Action<R> {
    let mut a = a.clone();
    match &mut a {
        Action::Deliver { choices, .. }
        | Action::Timer { choices, .. }
        | Action::Request { choices, .. }
        | Action::Fault { choices, .. } => *choices = c,
        _ => {}
    }
    a
}

/// A state's fingerprint: 64 bits of a fixed-key hash (the same on every run).
pub(super) fn fingerprint<T: Hash>(value: &T) -> u64 {
    ahash::RandomState::with_seeds(
        0x243F_6A88_85A3_08D3,
        0x1319_8A2E_0370_7344,
        0xA409_3822_299F_31D0,
        0x082E_FA98_EC4E_6C89,
    )
    .hash_one(value)
}

/// Hashing a fingerprint again would be wasted work.
#[derive(Default)]
pub(super) struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | *b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}
