//! Monitors of leader election (CGR Module 2.7: LE1, LE2) and epoch change (CGR Module 5.3:
//! EC1-EC3), book §5.3 and §5.6. Each watches the indications of one module instance
//! (`le`, `ec`), so the same monitor judges any algorithm, and the oracles where they apply.
//! The detector classes' monitors (PFD, EPFD, ELD) are in [`automata::conformance`]; one
//! algorithm's own bound is here too: [`MistakeBound`], Increasing Timeout's mistakes after GST
//! (C.13).

use automata::trace::ENV;
use automata::{
    Event, Kind, Layer, Mark, Monitor, Pid, RunSummary, TraceEvent, Verdict, Violation,
};
use std::collections::{BTreeMap, BTreeSet};

/// Which processes are down now, from the environment's crash and recovery events.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Down(BTreeSet<Pid>);

impl Down {
    /// Records a crash or recovery; returns whether `e` was one.
    fn observe(&mut self, e: &TraceEvent) -> bool {
        if e.module != ENV {
            return false;
        }
        match e.kind {
            Kind::Crash => self.0.insert(e.process),
            Kind::Recover => self.0.remove(&e.process),
            _ => return false,
        };
        true
    }
}

/// The indications of the layer.
fn indication<'e>(layer: &Layer, e: &'e TraceEvent) -> Option<&'e Event> {
    layer.event(e).filter(|_| e.kind == Kind::Indication)
}

/// The last value per process and where it was output, for end-of-run judgements.
type Last<T> = BTreeMap<Pid, (T, Mark)>;

/// LE2 accuracy (S): when a process outputs `Leader | p` and `p` is alive, every process output
/// as leader before (at any process) other than `p` has crashed. (Electing a process that has
/// already crashed, because the detector has not caught up yet, makes no leader.)
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LeaderAccuracy {
    layer: Layer,
    down: Down,
    /// Every process elected so far, anywhere.
    elected: BTreeSet<Pid>,
}

impl LeaderAccuracy {
    pub fn new(module: &str) -> Self {
        LeaderAccuracy {
            layer: Layer::new(module),
            down: Down::default(),
            elected: BTreeSet::new(),
        }
    }
}

impl Monitor for LeaderAccuracy {
    automata::property!("accuracy", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if self.down.observe(e) {
            return None;
        }
        let &Event::Leader { process: p } = indication(&self.layer, e)? else {
            return None;
        };
        if self.down.0.contains(&p) {
            // A detector that lags behind elects a process that has already crashed: that
            // process is not a leader, so there is nothing to compare.
            return None;
        }
        let alive = self
            .elected
            .iter()
            .find(|&&l| l != p && !self.down.0.contains(&l))
            .copied();
        self.elected.insert(p);
        alive.map(|l| {
            Violation::at(
                e,
                format!(
                    "process {} elects {p} at {} while {l}, elected before, is alive: two leaders",
                    e.process, e.time
                ),
            )
        })
    }
}

/// LE1 eventual detection (L): at the end every correct process's last `Leader` names the same
/// correct process.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EventualDetection {
    layer: Layer,
    down: Down,
    last: Last<Pid>,
}

impl EventualDetection {
    pub fn new(module: &str) -> Self {
        EventualDetection {
            layer: Layer::new(module),
            down: Down::default(),
            last: BTreeMap::new(),
        }
    }
}

impl Monitor for EventualDetection {
    automata::property!("eventual-detection", Liveness);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if self.down.observe(e) {
            if e.kind == Kind::Recover {
                self.last.remove(&e.process);
            }
            return None;
        }
        if let Some(&Event::Leader { process }) = indication(&self.layer, e) {
            self.last.insert(e.process, (process, Mark::of(e)));
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        run.liveness(agree_at_end(
            self.layer.name(),
            &self.last,
            run,
            "elects",
            |&l| run.is_correct(l),
        ))
    }
}

/// The common end-of-run judgement of LE1, EC3: every correct process's last output is the
/// same value, and `good` holds of it.
fn agree_at_end<T: Ord + Clone + std::fmt::Debug>(
    module: &str,
    last: &Last<T>,
    run: &RunSummary,
    verb: &str,
    good: impl Fn(&T) -> bool,
) -> Option<Violation> {
    let end = || Mark {
        time: run.end_time,
        event: run.events.saturating_sub(1),
    };
    let views: BTreeSet<Option<&T>> = run.correct().map(|q| last.get(&q).map(|v| &v.0)).collect();
    let latest = run
        .correct()
        .filter_map(|q| last.get(&q).map(|v| v.1))
        .max()
        .unwrap_or_else(end);
    let describe = || {
        run.correct()
            .map(|q| match last.get(&q) {
                Some((v, _)) => format!("{q} {verb} {v:?}"),
                None => format!("{q} {verb} nothing"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let problem = match views.iter().next() {
        None => None,
        Some(_) if views.len() > 1 => Some(format!(
            "the correct processes' {module} disagree at the end: {}",
            describe()
        )),
        Some(None) => Some(format!(
            "the correct processes' {module} output nothing: {}",
            describe()
        )),
        Some(Some(v)) if !good(v) => Some(format!(
            "every correct process's {module} ends on {v:?}, which names a faulty process"
        )),
        Some(Some(_)) => None,
    };
    problem.map(|explanation| Violation::marked(latest, explanation))
}

/// EC1 monotonicity (S): at each process, successive `StartEpoch`s have increasing timestamps.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Monotonicity {
    layer: Layer,
    last: BTreeMap<Pid, u64>,
}

impl Monotonicity {
    pub fn new(module: &str) -> Self {
        Monotonicity {
            layer: Layer::new(module),
            last: BTreeMap::new(),
        }
    }
}

impl Monitor for Monotonicity {
    automata::property!("monotonicity", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let &Event::StartEpoch { ts, .. } = indication(&self.layer, e)? else {
            return None;
        };
        match self.last.insert(e.process, ts) {
            Some(prev) if prev >= ts => Some(Violation::at(
                e,
                format!("process {} starts epoch {ts} after epoch {prev}", e.process),
            )),
            _ => None,
        }
    }
}

/// EC2 consistency (S): two `StartEpoch`s with the same timestamp name the same leader.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Consistency {
    layer: Layer,
    /// ts → (leader, process that started it).
    leaders: BTreeMap<u64, (Pid, Pid)>,
}

impl Consistency {
    pub fn new(module: &str) -> Self {
        Consistency {
            layer: Layer::new(module),
            leaders: BTreeMap::new(),
        }
    }
}

impl Monitor for Consistency {
    automata::property!("consistency", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let &Event::StartEpoch { ts, leader } = indication(&self.layer, e)? else {
            return None;
        };
        let &mut (l, q) = self.leaders.entry(ts).or_insert((leader, e.process));
        (l != leader).then(|| {
            Violation::at(
                e,
                format!(
                    "process {} starts epoch {ts} led by {leader}, but process {q} started epoch {ts} led by {l}",
                    e.process
                ),
            )
        })
    }
}

/// EC3 eventual leadership (L): at the end every correct process's last epoch is the same
/// `(ts, l)`, with `l` correct.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EventualLeadership {
    layer: Layer,
    last: Last<(u64, Pid)>,
}

impl EventualLeadership {
    pub fn new(module: &str) -> Self {
        EventualLeadership {
            layer: Layer::new(module),
            last: BTreeMap::new(),
        }
    }
}

impl Monitor for EventualLeadership {
    automata::property!("eventual-leadership", Liveness);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if let Some(&Event::StartEpoch { ts, leader }) = indication(&self.layer, e) {
            self.last.insert(e.process, ((ts, leader), Mark::of(e)));
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        run.liveness(agree_at_end(
            self.layer.name(),
            &self.last,
            run,
            "is in epoch (ts, leader)",
            |&(_, l)| run.is_correct(l),
        ))
    }
}

/// The C.13 bound on Increasing Timeout's mistakes after GST (EPFD-bound): at most
/// `m · K + [GST > 0]` timeout periods after GST in which a process suspects a live process,
/// where, with Δ the initial timeout and increment and D the largest round trip after GST,
///
/// - K = ⌊D / Δ⌋ is the number of timeout values Δ, 2Δ, ... that a round trip of D can outlast
///   (a value equal to D included: a reply due exactly at the timeout may lose the tie);
/// - m is the number of processes a process heartbeats (all n, itself included: its own
///   heartbeat crosses the network too).
///
/// The derivation, from the algorithm as written (CGR 2.7): a suspected process stays
/// suspected until a reply from it lands in a period, and the timeout at which it is restored
/// adds Δ to the timeout; so while the timeout keeps one value, each process is newly
/// suspected at most once, and a process is suspected after GST only while the timeout is at
/// most D. One timeout value can thus hold up to m periods with a mistake, one per process
/// (suspected at different timeouts before any of them is restored), and one restoration adds
/// one Δ however many processes it restores. ⌈(D − Δ)/Δ⌉, the chapter's first figure,
/// counts the increments, not the periods. The one extra period when GST > 0 is the one that
/// straddles GST: its requests went out before it, when no bound held.
///
/// Safety, judged online: the violation is the suspicion that opens the (bound + 1)-th such
/// period at one process. (`post_gst_mistakes`, measured by eventual strong accuracy, is the
/// most such periods at one process.)
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MistakeBound {
    layer: Layer,
    gst: u64,
    bound: u64,
    down: Down,
    /// q → the times after GST at which q suspected a live process.
    periods: BTreeMap<Pid, BTreeSet<u64>>,
}

impl MistakeBound {
    /// At most `bound` periods with a mistake after `gst`, per process, on module `module`.
    pub fn new(module: &str, gst: u64, bound: u64) -> Self {
        MistakeBound {
            layer: Layer::new(module),
            gst,
            bound,
            down: Down::default(),
            periods: BTreeMap::new(),
        }
    }

    /// The bound above for `n` processes, initial timeout and increment `period` (Δ), round
    /// trips after GST at most `round_trip` (D), and `gst`.
    pub fn increasing_timeout(n: usize, period: u64, round_trip: u64, gst: u64) -> u64 {
        n as u64 * (round_trip / period.max(1)) + u64::from(gst > 0)
    }

    /// The bound this monitor judges.
    pub fn bound(&self) -> u64 {
        self.bound
    }
}

impl Monitor for MistakeBound {
    automata::property!("mistake-bound", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        if self.down.observe(e) {
            return None;
        }
        let &Event::Suspect { process: p } = indication(&self.layer, e)? else {
            return None;
        };
        if e.time < self.gst || self.down.0.contains(&p) {
            return None;
        }
        let q = e.process;
        let periods = self.periods.entry(q).or_default();
        periods.insert(e.time);
        let count = periods.len() as u64;
        (count > self.bound).then(|| {
            Violation::at(
                e,
                format!(
                    "process {q}'s {} suspects live process {p} at {}: its period number {count} with a mistake after GST = {}, above the bound {}",
                    self.layer.name(), e.time, self.gst, self.bound
                ),
            )
        })
    }
}
