//! Faults in the simulator: the fault plan's crashes and recoveries as they come due, and
//! what a crash takes with it.

use super::{Pending, Scheduled, Sim};
use crate::model::Fault;
use crate::module::Module;
use crate::world::Input;
use crate::Pid;

impl<R: Module> Sim<R> {
    /// Bookkeeping of `p`'s crash. If the fault plan says its crash loses what it has in
    /// flight, those packets (queued, and `sending` from the crashing step) are dropped now,
    /// in the order they were sent.
    pub(super) fn crashed(&mut self, p: Pid, sending: &mut Vec<(u64, Pid, R::Msg)>) {
        self.crashes.entry(p).or_default().push(self.now);
        self.sends_left[p] = None;
        if !self.env().crash_drops_in_flight(p) {
            return;
        }
        let mut queued: Vec<(u64, usize)> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(slot, pending)| match pending {
                Some(Pending::Packet { id, from, .. }) if *from == p => Some((*id, slot)),
                _ => None,
            })
            .collect();
        queued.sort();
        for (_, slot) in queued {
            if let Some(Pending::Packet { id, from, to, msg }) = self.slots[slot].take() {
                self.drop_packet(id, from, to, &msg);
            }
        }
        for (id, to, msg) in sending.drain(..) {
            self.stats.messages_sent += 1;
            self.drop_packet(id, p, to, &msg);
        }
    }

    pub(super) fn fault(&mut self, index: usize) {
        let entry = |choices| Some(Scheduled::Fault { index, choices });
        match self.setup.faults[index] {
            Fault::Crash { process, .. } if !self.world.up[process] => {
                self.note(Scheduled::Fault {
                    index,
                    choices: vec![],
                })
            }
            Fault::Crash {
                process,
                after_sends: Some(k),
                ..
            } => {
                self.sends_left[process] = Some(k);
                self.note(Scheduled::Fault {
                    index,
                    choices: vec![],
                });
            }
            Fault::Crash { process, .. } => {
                self.note(Scheduled::Fault {
                    index,
                    choices: vec![],
                });
                let mut io = super::io(
                    &mut self.rng,
                    &mut self.trace,
                    &mut self.index,
                    &mut self.packet_ids,
                );
                self.world.crash(&self.setup, &mut io, self.now, process);
                self.crashed(process, &mut Vec::new());
            }
            Fault::Recover { process, .. } if !self.world.up[process] => {
                self.step(process, Input::Recovery, entry);
            }
            Fault::Recover { .. } => self.note(Scheduled::Fault {
                index,
                choices: vec![],
            }),
            _ => {}
        }
    }
}
