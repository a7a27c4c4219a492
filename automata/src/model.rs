//! System models as data (book ch. 3).
//!
//! A [`SystemModel`] is everything the environment promises: timing, links, partitions, the
//! failure model, clocks and fairness. A [`Fault`] is one adversary action of a scenario's fault
//! plan. Both deserialize from the `[model]` and `[[faults]]` tables of a scenario.

use crate::{Pid, Time};
use serde::{Deserialize, Serialize};

/// Timing model (CGR §2.5, Lynch ch. 23).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Timing {
    /// Every message between live processes arrives within `delay.max` (Δ).
    #[default]
    Synchronous,
    /// Finite but unbounded delays: a `tail` fraction of messages takes much longer than Δ.
    Asynchronous,
    /// Asynchronous before `gst`, synchronous after it (DLS 1988, "eventually synchronous"): a
    /// packet sent at `t ≥ gst` arrives within Δ, one sent before `gst` by `gst + Δ`.
    PartiallySynchronous,
}

/// Message delay in ticks, uniform in `[min, max]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delay {
    pub min: Time,
    pub max: Time,
    /// Asynchronous (and pre-GST) only: probability that a message takes an extra exponential
    /// delay of mean 10 × max, so that no bound holds.
    #[serde(default = "Delay::default_tail")]
    pub tail: f64,
}

impl Delay {
    fn default_tail() -> f64 {
        0.05
    }
}

impl Default for Delay {
    fn default() -> Self {
        Delay {
            min: 1,
            max: 10,
            tail: Delay::default_tail(),
        }
    }
}

/// A delay adversary: every message to `fast_to` takes `min`, every message to `slow_to` takes
/// `max`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adversary {
    pub fast_to: Option<Pid>,
    pub slow_to: Option<Pid>,
}

/// Link behaviour of the network (fair-loss links, CGR Module 2.1).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Links {
    /// Probability that a packet is lost.
    #[serde(default)]
    pub loss: f64,
    /// Probability that a packet is delivered twice (up to `max_copies` copies in all).
    #[serde(default)]
    pub duplication: f64,
    /// Most copies of one packet the network may deliver.
    #[serde(default = "Links::default_max_copies")]
    pub max_copies: u32,
    /// Per-channel FIFO order.
    #[serde(default)]
    pub fifo: bool,
    /// The network is a set of messages that only grows, as TLA+ specifications write it
    /// (`msgs' = msgs ∪ {m}`): a delivered packet stays deliverable, any number of times, and
    /// sending a packet equal to one already there adds nothing. The model checker explores
    /// every redelivery; the simulator delivers each packet once (plus `duplication`'s copies).
    #[serde(default)]
    pub redeliver: bool,
}

impl Links {
    fn default_max_copies() -> u32 {
        3
    }
}

impl Default for Links {
    fn default() -> Self {
        Links {
            loss: 0.0,
            duplication: 0.0,
            max_copies: Links::default_max_copies(),
            fifo: false,
            redeliver: false,
        }
    }
}

/// A network partition: packets between different groups are lost while it is active
/// (`from <= t < until`). A process in no group is cut off from everyone. With `one_way`, only
/// packets from the first group to the others are lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partition {
    pub groups: Vec<Vec<Pid>>,
    pub from: Time,
    pub until: Time,
    #[serde(default)]
    pub one_way: bool,
}

impl Partition {
    fn group_of(&self, p: Pid) -> Option<usize> {
        self.groups.iter().position(|g| g.contains(&p))
    }

    /// Whether this partition blocks a packet from `p` to `q` at time `t`.
    pub fn blocks(&self, p: Pid, q: Pid, t: Time) -> bool {
        if t < self.from || t >= self.until || p == q {
            return false;
        }
        match (self.group_of(p), self.group_of(q)) {
            (Some(a), Some(b)) if a == b => false,
            (Some(a), _) if self.one_way => a == 0,
            _ if self.one_way => false,
            _ => true,
        }
    }
}

/// Process failure model (CGR §2.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Failures {
    /// A crashed process takes no further step.
    #[default]
    CrashStop,
    /// A crashed process may recover: its volatile state is re-initialised, stable storage stays.
    CrashRecovery,
    /// Processes marked by `omit` faults lose some of their sends and receives.
    Omission,
}

/// Whether stable storage survives a crash. `volatile` is a too-weak model: what the algorithm
/// stored is lost on a crash (book §4.7, B-4.5; §3.4, B-3.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Storage {
    #[default]
    Stable,
    Volatile,
}

/// Where failure-detector outputs come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DetectorSource {
    /// No detector.
    None,
    /// An environment oracle with exactly P's guarantees.
    Perfect,
    /// An environment oracle with exactly ◇P's guarantees (mistakes before GST only).
    EventuallyPerfect,
    /// An environment oracle with exactly Ω's guarantees.
    Leader,
    /// The chapter 5 algorithm the stack names.
    #[default]
    Algorithm,
}

/// Hardware clocks: every process's clock runs at a constant rate in `[1 - drift, 1 + drift]`
/// and starts at an offset in `[0, offset]`, both drawn from the seed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clocks {
    #[serde(default)]
    pub drift: f64,
    #[serde(default)]
    pub offset: Time,
}

/// Everything the environment promises (the `[model]` table of a scenario).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemModel {
    #[serde(default)]
    pub timing: Timing,
    #[serde(default)]
    pub delay: Delay,
    /// Global stabilization time (partially synchronous only).
    #[serde(default)]
    pub gst: Time,
    #[serde(default)]
    pub adversary: Adversary,
    #[serde(default)]
    pub failures: Failures,
    #[serde(default)]
    pub storage: Storage,
    #[serde(default)]
    pub detector: DetectorSource,
    #[serde(default)]
    pub clocks: Clocks,
    #[serde(default)]
    pub links: Links,
    #[serde(default)]
    pub partitions: Vec<Partition>,
    /// `false` makes the scheduler unfair: timers never fire (book §2.2, B-2.1).
    #[serde(default = "default_true")]
    pub fair: bool,
}

fn default_true() -> bool {
    true
}

impl Default for SystemModel {
    /// Synchronous, delays in [1, 10], reliable links, crash-stop, fair.
    fn default() -> Self {
        SystemModel {
            timing: Timing::default(),
            delay: Delay::default(),
            gst: 0,
            adversary: Adversary::default(),
            failures: Failures::default(),
            storage: Storage::default(),
            detector: DetectorSource::default(),
            clocks: Clocks::default(),
            links: Links::default(),
            partitions: Vec::new(),
            fair: true,
        }
    }
}

/// A rule a model or fault plan broke: the key it concerns and the rule in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    /// Dotted key path, e.g. `model.delay.min` or `faults[2].at`.
    pub key: String,
    pub rule: String,
}

impl Invalid {
    pub fn new(key: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid {
            key: key.into(),
            rule: rule.into(),
        }
    }
}

fn probability(key: &str, p: f64) -> Result<(), Invalid> {
    if (0.0..=1.0).contains(&p) && p.is_finite() {
        Ok(())
    } else {
        Err(Invalid::new(
            key,
            format!("{p} is not a probability: it must lie in [0, 1]"),
        ))
    }
}

fn process(key: &str, p: Pid, n: usize) -> Result<(), Invalid> {
    if p < n {
        Ok(())
    } else {
        Err(Invalid::new(
            key,
            format!("process {p} does not exist: processes are numbered 0..{n}"),
        ))
    }
}

impl SystemModel {
    /// The synchronous model with every packet taking `min` to `max` ticks, everything else
    /// at its default (the model of most small checks and tests).
    pub fn synchronous(min: Time, max: Time) -> SystemModel {
        SystemModel {
            timing: Timing::Synchronous,
            delay: Delay {
                min,
                max,
                ..Delay::default()
            },
            ..SystemModel::default()
        }
    }

    /// When the model becomes synchronous: GST under partial synchrony, 0 under synchrony,
    /// never (`Time::MAX`) under asynchrony.
    pub fn stabilization(&self) -> Time {
        match self.timing {
            Timing::Synchronous => 0,
            Timing::Asynchronous => Time::MAX,
            Timing::PartiallySynchronous => self.gst,
        }
    }

    /// The latest time a packet sent at `t` may arrive (`None`: no bound): `t + Δ` under
    /// synchrony and after GST, `gst + Δ` for a packet sent before GST.
    pub fn latest_arrival(&self, t: Time) -> Option<Time> {
        match self.timing {
            Timing::Synchronous => Some(t + self.delay.max),
            Timing::Asynchronous => None,
            Timing::PartiallySynchronous => Some(t.max(self.gst) + self.delay.max),
        }
    }

    /// The delay bound Δ in force for a packet sent at `t` (`None`: no bound).
    pub fn bound_at(&self, t: Time) -> Option<Time> {
        match self.timing {
            Timing::Synchronous => Some(self.delay.max),
            Timing::Asynchronous => None,
            Timing::PartiallySynchronous => (t >= self.gst).then_some(self.delay.max),
        }
    }

    /// Rejects impossible values (a model that is merely too weak is allowed).
    pub fn validate(&self, n: usize) -> Result<(), Invalid> {
        if self.delay.min > self.delay.max {
            return Err(Invalid::new(
                "model.delay.min",
                format!(
                    "min = {} is larger than max = {}: delays are drawn from [min, max]",
                    self.delay.min, self.delay.max
                ),
            ));
        }
        if self.delay.max == 0 {
            return Err(Invalid::new(
                "model.delay.max",
                "max must be at least 1 tick",
            ));
        }
        probability("model.delay.tail", self.delay.tail)?;
        probability("model.links.loss", self.links.loss)?;
        if self.links.loss >= 1.0 {
            return Err(Invalid::new(
                "model.links.loss",
                "loss = 1 loses every packet, which no fair-loss link may do: use a value below 1",
            ));
        }
        probability("model.links.duplication", self.links.duplication)?;
        if self.links.max_copies == 0 {
            return Err(Invalid::new(
                "model.links.max_copies",
                "max_copies must be at least 1",
            ));
        }
        if self.links.redeliver && (self.links.fifo || self.links.duplication > 0.0) {
            return Err(Invalid::new(
                "model.links.redeliver",
                "redeliver already delivers any packet any number of times, in any order: \
                 leave out fifo and duplication",
            ));
        }
        if self.gst > 0 && self.timing != Timing::PartiallySynchronous {
            return Err(Invalid::new(
                "model.gst",
                "gst only applies when timing = \"partially-synchronous\"",
            ));
        }
        if !(0.0..1.0).contains(&self.clocks.drift) {
            return Err(Invalid::new(
                "model.clocks.drift",
                format!("drift = {} must lie in [0, 1)", self.clocks.drift),
            ));
        }
        for (key, p) in [
            ("model.adversary.fast_to", self.adversary.fast_to),
            ("model.adversary.slow_to", self.adversary.slow_to),
        ] {
            if let Some(p) = p {
                process(key, p, n)?;
            }
        }
        for (i, part) in self.partitions.iter().enumerate() {
            let key = format!("model.partitions[{i}]");
            if part.from >= part.until {
                return Err(Invalid::new(
                    format!("{key}.until"),
                    format!(
                        "until = {} must be later than from = {}",
                        part.until, part.from
                    ),
                ));
            }
            let mut seen = vec![false; n];
            for g in &part.groups {
                for &p in g {
                    process(&format!("{key}.groups"), p, n)?;
                    if std::mem::replace(&mut seen[p], true) {
                        return Err(Invalid::new(
                            format!("{key}.groups"),
                            format!("process {p} is in two groups"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// One adversary action of a fault plan (the `[[faults]]` tables of a scenario).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Fault {
    /// Crash `process` at time `at`, or right after its `after_sends`-th network send (counted
    /// from `at` if both are given): the rest of that step, a broadcast say, never happens.
    /// With `drop_in_flight`, its packets still in the network are lost too.
    Crash {
        process: Pid,
        at: Time,
        after_sends: Option<u64>,
        drop_in_flight: bool,
    },
    /// Recover `process` at `at` (crash-recovery only).
    Recover { process: Pid, at: Time },
    /// Scripted oracle mistake: `by` suspects `process` during `[from, until)` (before GST).
    Suspect {
        process: Pid,
        by: Pid,
        from: Time,
        until: Time,
    },
    /// `process` takes no step during `[from, until)` while its clock runs; events wait.
    Pause {
        process: Pid,
        from: Time,
        until: Time,
    },
    /// Packets from `from_process` to `to_process` sent during `[from, until)` take `extra`
    /// more ticks (legal in the asynchronous model and before GST; the conformance monitor
    /// flags it anywhere else).
    Delay {
        from_process: Pid,
        to_process: Pid,
        extra: Time,
        from: Time,
        until: Time,
    },
    /// `process` omits: each of its sends and receives during `[from, until)` is lost with
    /// `probability` (omission model).
    Omit {
        process: Pid,
        probability: f64,
        from: Time,
        until: Time,
    },
}

impl Fault {
    /// The time after which this fault no longer changes anything.
    pub fn last_time(&self) -> Time {
        match *self {
            Fault::Crash { at, .. } | Fault::Recover { at, .. } => at,
            Fault::Suspect { until, .. }
            | Fault::Pause { until, .. }
            | Fault::Delay { until, .. }
            | Fault::Omit { until, .. } => until,
        }
    }
}
