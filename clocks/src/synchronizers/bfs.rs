//! SynchBFS (Lynch §4.2) as the synchronous algorithm the synchronizers run: the root knows
//! its distance 0; a process that learnt its distance `r` in pulse `r − 1` sends it to its
//! neighbours in pulse `r` (once), and a process that hears of the root first in pulse `r`
//! takes distance `r + 1` and the sender as its parent. After `R` pulses each process outputs
//! its distance (or nothing, if the root is further than `R`).

use automata::rounds::RoundAlgorithm;
use automata::Pid;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SynchBfs {
    pub neighbours: Vec<Pid>,
    /// Distance from the root, once known.
    pub dist: Option<u64>,
    pub parent: Option<Pid>,
    pub pulses: u64,
}

impl SynchBfs {
    pub fn new(me: Pid, root: Pid, neighbours: Vec<Pid>, pulses: u64) -> Self {
        SynchBfs {
            neighbours,
            dist: (me == root).then_some(0),
            parent: None,
            pulses,
        }
    }
}

impl RoundAlgorithm for SynchBfs {
    type Msg = u64;
    type Output = i64;

    /// Send `dist` to every neighbour in the pulse after learning it.
    fn messages(&self, _me: Pid, _n: usize, round: u64) -> Vec<(Pid, u64)> {
        if self.dist == Some(round) {
            self.neighbours.iter().map(|&q| (q, round)).collect()
        } else {
            Vec::new()
        }
    }

    fn transition(
        &mut self,
        _me: Pid,
        _n: usize,
        round: u64,
        received: &[(Pid, u64)],
    ) -> Option<i64> {
        if self.dist.is_none() {
            if let Some((q, d)) = received.first() {
                self.dist = Some(d + 1);
                self.parent = Some(*q);
            }
        }
        if round + 1 == self.pulses {
            return self.dist.map(|d| d as i64);
        }
        None
    }

    fn rounds(&self) -> u64 {
        self.pulses
    }
}
