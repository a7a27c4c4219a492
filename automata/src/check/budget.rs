//! What a search may spend (depth, states, time, memory), what it covered, and how it reports
//! progress while it runs.
//!
//! A search stops at the first of: a violation, the state space exhausted (the search is
//! *complete*), or a budget spent. A stopped search says which budget stopped it and how deep
//! it had looked at every path, so that "no violation found" is never read as "holds".

use crate::clock::Instant;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;

/// The limits of one search. Depth is always bounded; the others are off unless set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Budget {
    /// Longest path explored, in actions: states at this depth are checked, not expanded.
    pub max_depth: usize,
    /// Unique states after which the search stops.
    pub max_states: Option<usize>,
    /// Wall-clock time after which the search stops.
    pub max_time: Option<Duration>,
    /// Resident memory of the whole process (bytes) above which the search stops.
    pub max_memory: Option<u64>,
}

impl Budget {
    /// Depth `d`, nothing else bounded.
    pub fn depth(d: usize) -> Self {
        Budget {
            max_depth: d,
            max_states: None,
            max_time: None,
            max_memory: None,
        }
    }

    /// Half of the states and of the time (the depth and memory ceiling unchanged).
    pub fn half(&self) -> Self {
        Budget {
            max_states: self.max_states.map(|s| s.div_ceil(2)),
            max_time: self.max_time.map(|t| t / 2),
            ..*self
        }
    }

    /// What is left of the time once `spent` has passed.
    pub fn after(&self, spent: Duration) -> Self {
        Budget {
            max_time: self.max_time.map(|t| t.saturating_sub(spent)),
            ..*self
        }
    }
}

/// What stopped a search before it exhausted the state space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StoppedBy {
    /// Paths longer than the depth bound were cut.
    Depth,
    States,
    Time,
    Memory,
    /// A step had more outcome combinations than the checker explores
    /// ([`super::CHOICES_PER_STEP`]).
    Choices,
}

impl StoppedBy {
    pub fn word(self) -> &'static str {
        match self {
            StoppedBy::Depth => "depth",
            StoppedBy::States => "states",
            StoppedBy::Time => "time",
            StoppedBy::Memory => "memory",
            StoppedBy::Choices => "choices",
        }
    }
}

/// How much of the state space a search covered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Every reachable state was explored (within the horizon, if one is set).
    pub complete: bool,
    /// Why the search did not exhaust the state space (`None` when complete, or when it
    /// stopped at a violation).
    pub stopped_by: Option<StoppedBy>,
    /// Every path of at most this many actions was explored (`None`: no depth was covered in
    /// full, as when a depth-first search stops on a budget).
    pub depth_covered: Option<usize>,
}

/// A snapshot of a running search, for progress lines.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    pub unique_states: usize,
    pub depth: usize,
    pub elapsed: Duration,
    /// Resident memory of the process, where the platform tells it.
    pub memory: Option<u64>,
}

impl Progress {
    /// Unique states per second so far.
    pub fn rate(&self) -> f64 {
        per_second(self.unique_states, self.elapsed)
    }

    /// One line for people: states, depth, rate, memory.
    pub fn line(&self) -> String {
        let mem = self
            .memory
            .map(|m| format!(", {} resident", bytes(m)))
            .unwrap_or_default();
        format!(
            "{} unique states, depth {}, {:.0} states/s{mem} ({:.0} s)",
            self.unique_states,
            self.depth,
            self.rate(),
            self.elapsed.as_secs_f64()
        )
    }
}

/// `count` per second over `elapsed` (0 when no time has passed).
pub fn per_second(count: usize, elapsed: Duration) -> f64 {
    let s = elapsed.as_secs_f64();
    if s > 0.0 {
        count as f64 / s
    } else {
        0.0
    }
}

/// Called by a running search about every `interval` with a snapshot.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// `n` bytes in a unit people read.
pub fn bytes(n: u64) -> String {
    const K: f64 = 1024.0;
    let x = n as f64;
    if x >= K * K * K {
        format!("{:.1} GiB", x / (K * K * K))
    } else if x >= K * K {
        format!("{:.0} MiB", x / (K * K))
    } else if x >= K {
        format!("{:.0} KiB", x / K)
    } else {
        format!("{n} B")
    }
}

/// The process's resident memory in bytes (Linux; `None` elsewhere).
pub fn resident_memory() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// The running search's meter: counts, clock, budget checks and progress calls.
pub(super) struct Meter {
    budget: Budget,
    start: Instant,
    base_memory: Option<u64>,
    peak_memory: Option<u64>,
    progress: Option<(ProgressFn, Duration)>,
    last_progress: Instant,
    ticks: u64,
}

impl Meter {
    pub(super) fn new(budget: Budget, progress: Option<(ProgressFn, Duration)>) -> Self {
        let now = Instant::now();
        let base = resident_memory();
        Meter {
            budget,
            start: now,
            base_memory: base,
            peak_memory: base,
            progress,
            last_progress: now,
            ticks: 0,
        }
    }

    pub(super) fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Checks the budgets other than depth; `unique` states so far, at `depth`. Cheap enough
    /// to call per state: the clock and memory are read every 256 calls.
    pub(super) fn exceeded(&mut self, unique: usize, depth: usize) -> Option<StoppedBy> {
        if self.budget.max_states.is_some_and(|m| unique >= m) {
            return Some(StoppedBy::States);
        }
        self.ticks += 1;
        if !self.ticks.is_multiple_of(256) {
            return None;
        }
        self.poll(unique, depth)
    }

    /// Reads the clock and memory now (also at the end of each search level).
    pub(super) fn poll(&mut self, unique: usize, depth: usize) -> Option<StoppedBy> {
        let now = Instant::now();
        let memory = resident_memory();
        if let Some(m) = memory {
            self.peak_memory = Some(self.peak_memory.map_or(m, |p| p.max(m)));
        }
        if let Some((f, every)) = &self.progress {
            if now.duration_since(self.last_progress) >= *every {
                self.last_progress = now;
                f(&Progress {
                    unique_states: unique,
                    depth,
                    elapsed: now.duration_since(self.start),
                    memory,
                });
            }
        }
        if self
            .budget
            .max_time
            .is_some_and(|t| now.duration_since(self.start) >= t)
        {
            return Some(StoppedBy::Time);
        }
        if let (Some(max), Some(m)) = (self.budget.max_memory, memory) {
            if m >= max {
                return Some(StoppedBy::Memory);
            }
        }
        None
    }

    /// Peak growth of resident memory over the search, in bytes per unique state.
    pub(super) fn bytes_per_state(&mut self, unique: usize) -> Option<f64> {
        if let Some(m) = resident_memory() {
            self.peak_memory = Some(self.peak_memory.map_or(m, |p| p.max(m)));
        }
        let grown = self.peak_memory?.saturating_sub(self.base_memory?);
        (unique > 0).then(|| grown as f64 / unique as f64)
    }
}

/// Frees a search's leftovers on another thread: a frontier of a million states takes about a
/// second to drop, which a stopped search should not add to its budget.
pub(super) fn drop_later<T: Send + 'static>(leftovers: T) {
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    std::thread::spawn(move || drop(leftovers));
    // A browser has no threads: the leftovers are dropped here.
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    drop(leftovers);
}
