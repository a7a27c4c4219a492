//! Replays: a path of actions replayed with its trace recorded (a counterexample as the reader
//! sees it), and a simulated run replayed in the checker's model: proof, run by run, that the
//! two runners share one environment.
//!
//! The simulator records its decisions ([`Scheduled`]); each becomes the checker action that
//! names it, with [`Action::Wait`]s where the simulator let time pass. Every action must be
//! enabled in the checker's model, and the trace the checker records along the path must be
//! the simulator's, event for event.

use super::state::Recorder;
use super::{Action, Explore, State};
use crate::module::Module;
use crate::sim::Scheduled;
use crate::trace::TraceEvent;
use crate::Time;

impl<R: Module> Explore<R> {
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

    /// Replays a simulator schedule as a path of this model (with [`Explore::every_delay`],
    /// so that time can pass as it did in the simulator) and returns the path's trace, or
    /// the first step the model does not allow.
    pub fn replay_schedule(&self, schedule: &[Scheduled<R>]) -> Result<Vec<TraceEvent>, String> {
        let model = self.clone().every_delay(true);
        let mut rec = Recorder::default();
        let mut index = 0;
        let mut s = model.initial(Some(&mut rec), &mut index);
        for (step, entry) in schedule.iter().enumerate() {
            let fail = |why: String| format!("schedule step {step} ({entry:?}): {why}");
            let (action, at, id) = match entry {
                Scheduled::Request { index, choices } => (
                    Action::Request {
                        index: *index,
                        choices: choices.clone(),
                    },
                    None,
                    None,
                ),
                Scheduled::Fault { index, choices } => (
                    Action::Fault {
                        index: *index,
                        choices: choices.clone(),
                    },
                    None,
                    None,
                ),
                Scheduled::Timer {
                    process,
                    at,
                    timer,
                    choices,
                } => (
                    Action::Timer {
                        process: *process,
                        timer: timer.clone(),
                        at: *at,
                        choices: choices.clone(),
                    },
                    None,
                    None,
                ),
                Scheduled::Deliver {
                    packet,
                    at,
                    choices,
                } => (
                    Action::Deliver {
                        packet: model.in_flight(&s, &rec, *packet).map_err(fail)?,
                        choices: choices.clone(),
                    },
                    Some(*at),
                    Some(*packet),
                ),
                Scheduled::Lose { packet, at } => (
                    Action::Drop {
                        packet: model.in_flight(&s, &rec, *packet).map_err(fail)?,
                    },
                    Some(*at),
                    Some(*packet),
                ),
                Scheduled::Duplicate { packet } => (
                    Action::Duplicate {
                        packet: model.in_flight(&s, &rec, *packet).map_err(fail)?,
                    },
                    None,
                    Some(*packet),
                ),
            };
            if let Some(at) = at {
                model
                    .wait_until(&mut s, at, &mut rec, &mut index)
                    .map_err(fail)?;
            }
            if !model.allows(&s, &action) {
                return Err(fail(format!(
                    "the checker's model does not allow it at time {} (enabled: {:?})",
                    s.now,
                    model.base_actions(&s)
                )));
            }
            rec.prefer = id;
            model.apply_mut(&mut s, &action, Some(&mut rec), &mut index);
            if let (Some(at), Action::Deliver { .. } | Action::Drop { .. }) = (at, &action) {
                if s.now != at {
                    return Err(fail(format!("it happened at {} in the checker", s.now)));
                }
            }
        }
        Ok(rec.events)
    }

    /// The packet in flight whose send had id `id`.
    fn in_flight(
        &self,
        s: &State<R>,
        rec: &Recorder<R::Msg>,
        id: u64,
    ) -> Result<super::Packet<R::Msg>, String> {
        let m = rec
            .packet(id)
            .ok_or_else(|| format!("packet {id} is not in flight in the checker"))?;
        s.net
            .iter()
            .find(|p| p.same_packet(m))
            .cloned()
            .ok_or_else(|| format!("packet {id} is not in the checker's network"))
    }

    /// Lets time pass to `at`: a run of [`Action::Wait`]s, one tick each, applied at once
    /// (each is enabled when `at` is within the deadline and something is in flight, and
    /// none changes anything but the time).
    fn wait_until(
        &self,
        s: &mut State<R>,
        at: Time,
        rec: &mut Recorder<R::Msg>,
        index: &mut u64,
    ) -> Result<(), String> {
        if s.now >= at {
            return Ok(());
        }
        let first = self
            .wait_to(s, self.deadline(s))
            .ok_or_else(|| format!("time cannot pass from {} in the checker's model", s.now))?;
        if first > at || at > self.deadline(s) {
            return Err(format!(
                "time cannot pass from {} to {at} in the checker's model (deadline {})",
                s.now,
                self.deadline(s)
            ));
        }
        self.apply_mut(s, &Action::Wait { to: at }, Some(rec), index);
        Ok(())
    }
}
