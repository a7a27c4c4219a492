//! The network in the simulator: what becomes of a packet when it is sent (lost, duplicated,
//! delayed, kept in FIFO order) and when it arrives (delivered, or dropped at a receiver that is
//! down, cut off or omitting). The rules themselves come from [`crate::env::Env`].

use super::{Pending, Scheduled, Sim};
use crate::context::Chooser;
use crate::module::Module;
use crate::world::Input;
use crate::{Pid, Time};

impl<R: Module> Sim<R> {
    pub(super) fn omits(&mut self, p: Pid) -> bool {
        if self.quiet.no_omissions {
            return false;
        }
        let prob = self.env().omission(p, self.now);
        prob.is_some_and(|prob| self.rng.coin(prob))
    }

    /// The drawn delay of a packet to `to`: uniform in the window's base delays, plus, where
    /// delays are unbounded, with probability `tail` an exponential extra of mean 10 × max.
    pub(super) fn draw_delay(&mut self, to: Pid) -> Time {
        let (lo, hi) = self.env().base_delays(to);
        let mut delay = self.rng.between(lo, hi);
        let tail = self.setup.model.delay.tail;
        if self.env().unbounded(self.now) && tail > 0.0 && self.rng.coin(tail) {
            delay += self
                .rng
                .exponential(10.0 * self.setup.model.delay.max as f64);
        }
        delay
    }

    pub(super) fn drop_packet(&mut self, id: u64, from: Pid, to: Pid, msg: &R::Msg) {
        self.stats.messages_dropped += 1;
        let mut io = super::io(
            &mut self.rng,
            &mut self.trace,
            &mut self.index,
            &mut self.packet_ids,
        );
        self.world.emit_drop(&mut io, self.now, id, from, to, msg);
    }

    /// Whether a partition cuts `from` off from `to` now.
    fn blocked(&self, from: Pid, to: Pid) -> bool {
        !self.quiet.no_partitions && self.env().blocked(from, to, self.now)
    }

    /// When a packet sent now, whose drawn delay is `delay`, arrives: [`crate::env::Env::arrival`],
    /// computed directly where it cannot clamp (no delay fault, and the window bounds no drawn
    /// delay: synchrony, asynchrony, partial synchrony after GST).
    fn arrival(&self, from: Pid, to: Pid, delay: Time) -> Time {
        use crate::model::Timing;
        let now = self.now;
        let model = &self.setup.model;
        let clamps = model.timing == Timing::PartiallySynchronous && now < model.gst;
        if self.quiet.plain_delays && !clamps {
            now + delay
        } else {
            self.env().arrival(now, from, to, delay)
        }
    }

    pub(super) fn transmit(&mut self, from: Pid, id: u64, to: Pid, msg: R::Msg) {
        self.stats.messages_sent += 1;
        let now = self.now;
        if self.omits(from) || self.blocked(from, to) {
            if !self.blocked(from, to) {
                self.note(Scheduled::Lose {
                    packet: id,
                    at: now,
                });
            }
            return self.drop_packet(id, from, to, &msg);
        }
        let links = self.setup.model.links;
        if links.loss > 0.0 && self.rng.coin(links.loss) {
            self.note(Scheduled::Lose {
                packet: id,
                at: now,
            });
            return self.drop_packet(id, from, to, &msg);
        }
        let mut copies = 1;
        while copies < links.max_copies
            && links.duplication > 0.0
            && self.rng.coin(links.duplication)
        {
            copies += 1;
            self.note(Scheduled::Duplicate { packet: id });
        }
        let mut msg = Some(msg);
        for c in 1..=copies {
            let delay = self.draw_delay(to);
            let mut at = self.arrival(from, to, delay);
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
            self.push(at, Pending::Packet { id, from, to, msg });
        }
    }

    /// Packet `id` reaches `to`: a drop if `to` is down, cut off from `from` or omitting, a
    /// step of `to` otherwise.
    pub(super) fn deliver(&mut self, id: u64, from: Pid, to: Pid, msg: R::Msg) {
        let now = self.now;
        if !self.world.up[to] || self.blocked(from, to) {
            self.note(Scheduled::Deliver {
                packet: id,
                at: now,
                choices: Vec::new(),
            });
            self.drop_packet(id, from, to, &msg);
        } else if self.omits(to) {
            self.note(Scheduled::Lose {
                packet: id,
                at: now,
            });
            self.drop_packet(id, from, to, &msg);
        } else {
            self.stats.messages_delivered += 1;
            let input = Input::Message {
                from,
                packet: id,
                msg,
            };
            self.step(to, input, |choices| {
                Some(Scheduled::Deliver {
                    packet: id,
                    at: now,
                    choices,
                })
            });
        }
    }
}
