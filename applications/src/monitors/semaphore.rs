//! The four properties of a lock service, or k-semaphore, `sem` (book §9.9), over the
//! requests and indications of [`crate::semaphore`] and the crashes of the run. Holds are
//! judged in the simulator's real time, the time of the trace: a hold lasts from the client's
//! `granted` to its `released`, its `expired` (the moment its lease ran out on its own
//! hardware clock, which the trace records in real time) or its crash.

use crate::semaphore::{ACQUIRE, EXPIRED, FENCED, GRANTED, RELEASED, WROTE};
use automata::{
    Kind, Layer, Mark, Monitor, Pid, RunSummary, TraceEvent, Value, Verdict, Violation,
};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// A `sem` event of the layer: its name (`acquire`, or an indication's), the token it
/// carries (0 for none) and, for `granted`, k.
fn sem_event(layer: &Layer, e: &TraceEvent) -> Option<(&'static str, u64, u64)> {
    let int = |v: &Value| match v {
        Value::Int(i) => Some(*i as u64),
        _ => None,
    };
    match layer.named(e)? {
        (Kind::Request, ACQUIRE, _) => Some((ACQUIRE, 0, 0)),
        (Kind::Indication, GRANTED, Value::List(v)) if v.len() == 3 => {
            Some((GRANTED, int(&v[0])?, int(&v[2])?))
        }
        (Kind::Indication, n, value) => {
            let name = [RELEASED, EXPIRED, WROTE, FENCED]
                .into_iter()
                .find(|&w| w == n)?;
            Some((name, int(value)?, 0))
        }
        _ => None,
    }
}

/// SEM1 `k-exclusion` (S): at every instant of real time at most k clients hold a grant, k
/// being what `granted` says. The state is who holds which token.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KExclusion {
    layer: Layer,
    holding: BTreeMap<Pid, u64>,
}

impl KExclusion {
    pub fn new(module: &str) -> Self {
        KExclusion {
            layer: Layer::new(module),
            holding: BTreeMap::new(),
        }
    }
}

impl Monitor for KExclusion {
    automata::property!("k-exclusion", Safety; layer, crashes);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = e.process;
        if e.kind == Kind::Crash {
            self.holding.remove(&p);
            return None;
        }
        match sem_event(&self.layer, e)? {
            (GRANTED, token, k) => {
                self.holding.remove(&p);
                let others: Vec<String> = self
                    .holding
                    .iter()
                    .map(|(q, t)| format!("{q} (token {t})"))
                    .collect();
                self.holding.insert(p, token);
                (others.len() as u64 >= k).then(|| {
                    Violation::at(
                        e,
                        format!(
                            "process {p} was granted token {token} while {} already held with k = {k}: {}",
                            others.len(),
                            others.join(", ")
                        ),
                    )
                })
            }
            (RELEASED | EXPIRED, ..) => {
                self.holding.remove(&p);
                None
            }
            _ => None,
        }
    }
}

/// SEM2 `fencing` (S): grant tokens strictly increase (no token is granted twice, and each
/// client's tokens grow), and the guarded resource accepts (`wrote`) a write only with a token
/// at least every token it has seen (written or fenced). The state is the tokens granted, each
/// client's last, and the largest token the resource has seen.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fencing {
    layer: Layer,
    granted: BTreeSet<u64>,
    last: BTreeMap<Pid, u64>,
    seen: u64,
}

impl Fencing {
    pub fn new(module: &str) -> Self {
        Fencing {
            layer: Layer::new(module),
            granted: BTreeSet::new(),
            last: BTreeMap::new(),
            seen: 0,
        }
    }
}

impl Monitor for Fencing {
    automata::property!("fencing", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = e.process;
        match sem_event(&self.layer, e)? {
            (GRANTED, token, _) => {
                if !self.granted.insert(token) {
                    return Some(Violation::at(
                        e,
                        format!("token {token} was granted twice (now to process {p})"),
                    ));
                }
                let before = self.last.insert(p, token);
                match before {
                    Some(b) if b >= token => Some(Violation::at(
                        e,
                        format!("process {p} was granted token {token} after token {b}"),
                    )),
                    _ => None,
                }
            }
            (WROTE, token, _) => {
                let seen = self.seen;
                self.seen = seen.max(token);
                (token < seen).then(|| {
                    Violation::at(
                        e,
                        format!(
                            "the resource accepted a write with token {token} after it had seen token {seen}"
                        ),
                    )
                })
            }
            (FENCED, token, _) => {
                self.seen = self.seen.max(token);
                None
            }
            _ => None,
        }
    }
}

/// SEM3 `no-spurious-grant` (S): a client is granted only after an `acquire` of its own, one
/// grant an acquire. The state is, per client, its acquires not yet granted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoSpuriousGrant {
    layer: Layer,
    open: BTreeMap<Pid, u64>,
}

impl NoSpuriousGrant {
    pub fn new(module: &str) -> Self {
        NoSpuriousGrant {
            layer: Layer::new(module),
            open: BTreeMap::new(),
        }
    }
}

impl Monitor for NoSpuriousGrant {
    automata::property!("no-spurious-grant", Safety; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = e.process;
        match sem_event(&self.layer, e)? {
            (ACQUIRE, ..) => {
                *self.open.entry(p).or_default() += 1;
                None
            }
            (GRANTED, token, _) => match self.open.get_mut(&p) {
                Some(n) => {
                    *n -= 1;
                    if *n == 0 {
                        self.open.remove(&p);
                    }
                    None
                }
                None => Some(Violation::at(
                    e,
                    format!("process {p} was granted token {token} with no acquire of its own left unanswered"),
                )),
            },
            _ => None,
        }
    }
}

/// SEM4 `no-starvation` (L): every `acquire` of a correct client is granted by the end of a
/// complete run (every hold ends, by release, lease or crash, so a grant is always due). Each
/// `granted` answers the client's oldest open acquire; the state is, per client, the times of
/// its open ones.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SemNoStarvation {
    layer: Layer,
    open: BTreeMap<Pid, VecDeque<Mark>>,
}

impl SemNoStarvation {
    pub fn new(module: &str) -> Self {
        SemNoStarvation {
            layer: Layer::new(module),
            open: BTreeMap::new(),
        }
    }
}

impl Monitor for SemNoStarvation {
    automata::property!("no-starvation", Liveness; layer);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        let p = e.process;
        match sem_event(&self.layer, e)? {
            (ACQUIRE, ..) => self.open.entry(p).or_default().push_back(Mark::of(e)),
            (GRANTED, ..) => {
                if let Some(open) = self.open.get_mut(&p) {
                    open.pop_front();
                    if open.is_empty() {
                        self.open.remove(&p);
                    }
                }
            }
            _ => {}
        }
        None
    }
    fn finish(&self, run: &RunSummary) -> Verdict {
        let starved = run.correct().find_map(|p| {
            let at = *self.open.get(&p)?.front()?;
            Some(Violation::marked(
                at,
                format!("correct client {p} acquired and was never granted"),
            ))
        });
        run.liveness(starved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semaphore::{SemInd, SemReq};
    use automata::trace::ENV;
    use automata::{Event, Observe};

    /// One step of a `sem` run at process p: `A` acquire, `G(t)` granted token t (k = 1),
    /// `R(t)` released, `E(t)` expired, `W(t)` wrote, `F(t)` fenced, `C` crash.
    #[derive(Clone, Copy)]
    enum S {
        A,
        G(u64),
        G2(u64),
        R(u64),
        E(u64),
        W(u64),
        F(u64),
        C,
    }

    fn run(steps: &[(Pid, S)]) -> Vec<TraceEvent> {
        steps
            .iter()
            .enumerate()
            .map(|(i, &(p, s))| {
                let ind = |i: SemInd| (Kind::Indication, i.observe().unwrap());
                let granted = |token, permits| SemInd::Granted {
                    token,
                    lease: 10,
                    permits,
                };
                let (kind, event) = match s {
                    S::A => (Kind::Request, SemReq::Acquire.observe().unwrap()),
                    S::G(t) => ind(granted(t, 1)),
                    S::G2(t) => ind(granted(t, 2)),
                    S::R(token) => ind(SemInd::Released { token }),
                    S::E(token) => ind(SemInd::Expired { token }),
                    S::W(token) => ind(SemInd::Wrote { token }),
                    S::F(token) => ind(SemInd::Fenced { token }),
                    S::C => (Kind::Crash, Event::Lifecycle),
                };
                let module = if matches!(s, S::C) { ENV } else { "sem" };
                TraceEvent::scripted(i, p, module, kind, event)
            })
            .collect()
    }

    fn first_violation(mut m: impl Monitor, steps: &[(Pid, S)]) -> Option<u64> {
        automata::monitor::first_violation(&mut m, &run(steps))
    }

    /// k = 1: a second grant while the first is held breaks k-exclusion; a release, an
    /// expiry or a crash ends a hold. k = 2 admits two holders, not three.
    #[test]
    fn k_exclusion_counts_holders_against_k() {
        let check = |steps: &[(Pid, S)]| first_violation(KExclusion::new("sem"), steps);
        use S::*;
        assert_eq!(check(&[(0, G(1)), (0, R(1)), (1, G(3)), (1, E(3))]), None);
        assert_eq!(check(&[(0, G(1)), (1, G(3))]), Some(1));
        assert_eq!(
            check(&[(0, G(1)), (0, E(1)), (1, G(3)), (2, G(5))]),
            Some(3)
        );
        assert_eq!(check(&[(0, G(1)), (0, C), (1, G(3))]), None);
        assert_eq!(
            check(&[(0, G2(1)), (1, G2(2)), (0, R(1)), (2, G2(4))]),
            None
        );
        assert_eq!(check(&[(0, G2(1)), (1, G2(2)), (2, G2(4))]), Some(2));
    }

    /// Tokens are granted once each and grow per client; the resource may accept a token
    /// only if it is at least every token it has seen, fenced ones included.
    #[test]
    fn fencing_catches_stale_writes_and_reused_tokens() {
        let check = |steps: &[(Pid, S)]| first_violation(Fencing::new("sem"), steps);
        use S::*;
        assert_eq!(
            check(&[(0, G(1)), (0, W(1)), (1, G(3)), (0, F(1)), (0, W(3))]),
            None
        );
        assert_eq!(check(&[(0, W(1)), (0, W(3)), (0, W(1))]), Some(2));
        assert_eq!(check(&[(0, F(5)), (0, W(3))]), Some(1));
        assert_eq!(check(&[(0, W(3)), (0, W(3))]), None);
        assert_eq!(check(&[(0, G(3)), (1, G(3))]), Some(1));
        assert_eq!(check(&[(0, G(3)), (0, G(2))]), Some(1));
    }

    /// A grant needs an acquire of the client's own, one each.
    #[test]
    fn no_spurious_grant_needs_an_acquire_per_grant() {
        let check = |steps: &[(Pid, S)]| first_violation(NoSpuriousGrant::new("sem"), steps);
        use S::*;
        assert_eq!(check(&[(0, A), (0, G(1)), (0, A), (0, G(4))]), None);
        assert_eq!(check(&[(1, A), (0, G(1))]), Some(1));
        assert_eq!(check(&[(0, A), (0, G(1)), (0, R(1)), (0, G(3))]), Some(3));
    }

    /// Judges `steps` as a complete run of 3 processes (crashed: those with a `C` step).
    fn starved(steps: &[(Pid, S)]) -> bool {
        let mut m = SemNoStarvation::new("sem");
        let verdict = automata::monitor::judge_scripted(&mut m, &run(steps), 3);
        matches!(verdict, Verdict::Violation(_))
    }

    /// Every acquire of a correct client needs its grant; a crashed client may starve, and
    /// an incomplete run is inconclusive.
    #[test]
    fn no_starvation_needs_a_grant_per_acquire_of_a_correct_client() {
        use S::*;
        assert!(!starved(&[(0, A), (1, A), (0, G(1)), (0, R(1)), (1, G(3))]));
        assert!(starved(&[(0, A), (1, A), (0, G(1)), (0, R(1))]));
        assert!(starved(&[(0, A), (0, A), (0, G(1))]));
        assert!(!starved(&[(0, A), (1, A), (1, C), (0, G(1))]));
        let mut m = SemNoStarvation::new("sem");
        for e in run(&[(0, A)]) {
            m.observe(&e);
        }
        let mut summary = RunSummary::failure_free(3, 100);
        summary.complete = false;
        assert!(matches!(m.finish(&summary), Verdict::Inconclusive { .. }));
    }
}
