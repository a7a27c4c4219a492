//! The search: breadth-first or depth-first over [`Explore`]'s transition relation, within a
//! [`Budget`], checking every monitor on every state.
//!
//! The visited set keeps a 64-bit fingerprint per state with its parent and the action that
//! led to it (24 bytes and the table's overhead), so a counterexample is rebuilt by replaying
//! those actions from the initial state; only the frontier (breadth-first) or the current path
//! (depth-first) is kept as full states. Breadth-first search expands one level at a time, so
//! the first violation it finds has a shortest path, and with several threads it expands a
//! level in parallel and merges the successors in order: the result does not depend on the
//! number of threads. Depth-first search re-expands a state reached again by a shorter path,
//! so within a depth bound it covers the same states as breadth-first search.

use super::budget::{Budget, Coverage, Meter, StoppedBy};
use super::lasso::LassoCoverage;
use super::{Action, Explore, State};
use crate::module::Module;
use crate::monitor::{PropertyKind, Verdict, Violation};
use crate::trace::TraceEvent;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::time::Duration;

/// Search order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Search {
    /// Breadth-first: shortest counterexamples, a depth covered in full when a budget stops it.
    #[default]
    Bfs,
    /// Depth-first: memory for one path, not a level; longer counterexamples.
    Dfs,
}

/// The result of a search.
pub struct Report<R: Module> {
    pub unique_states: usize,
    /// Transitions computed (successor states generated, visited or not).
    pub states: usize,
    /// The deepest path explored, in actions.
    pub max_depth: usize,
    pub coverage: Coverage,
    /// The whole check, fair-cycle search included.
    pub elapsed: Duration,
    /// The main search alone (what states per second are measured over).
    pub search_elapsed: Duration,
    /// Growth of resident memory over the search per unique state, where the platform tells.
    pub bytes_per_state: Option<f64>,
    /// The first violated property, with its path.
    pub counterexample: Option<Counterexample<R>>,
    /// What the fair-cycle search for liveness covered, when it ran.
    pub lasso: Option<LassoCoverage>,
    /// Every run ends at this time, so liveness is judged where runs end and no run is
    /// infinite.
    pub horizon: Option<crate::Time>,
    /// Every property checked, in order, with how often it could be judged.
    pub properties: Vec<PropertyCheck>,
}

impl<R: Module> Report<R> {
    /// Unique states per second of the main search.
    pub fn rate(&self) -> f64 {
        super::budget::per_second(self.unique_states, self.search_elapsed)
    }

    /// The names of the properties checked.
    pub fn property_names(&self) -> Vec<&'static str> {
        self.properties.iter().map(|p| p.name).collect()
    }
}

/// One property as a search saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyCheck {
    pub name: &'static str,
    pub kind: PropertyKind,
    /// States at which it was judged: every state for safety; for liveness and properties
    /// over correct processes, the states where a run ends (nothing left to do), and the
    /// states of fair cycles when a lasso search ran.
    pub judged: usize,
    /// Run ends at which the monitor could not judge (its verdict was inconclusive).
    pub inconclusive: usize,
    pub violated: bool,
}

/// A violating path.
pub struct Counterexample<R: Module> {
    pub property: &'static str,
    pub actions: Vec<Action<R>>,
    pub trace: Vec<TraceEvent>,
    /// The monitor's witness (an event of `trace`) and explanation, where it gives one.
    pub violation: Option<Violation>,
    /// For a liveness lasso: the index in `actions` where the cycle starts (the path from
    /// there on repeats forever), and the index of the first trace event of the cycle.
    pub cycle: Option<Cycle>,
}

/// Where a lasso's cycle begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cycle {
    pub action: usize,
    pub event: u64,
}

impl<R: Module> std::fmt::Debug for Report<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report")
            .field("unique_states", &self.unique_states)
            .field("max_depth", &self.max_depth)
            .field("coverage", &self.coverage)
            .field(
                "violated",
                &self.counterexample.as_ref().map(|c| c.property),
            )
            .finish()
    }
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

/// How a visited state was first (or most shallowly) reached.
#[derive(Clone, Copy, Debug)]
pub(super) struct Node {
    /// The parent's fingerprint (the state's own for the initial state).
    pub(super) parent: u64,
    /// The index of the action in the parent's [`Explore::enabled`] list.
    pub(super) action: u32,
    pub(super) depth: u32,
}

pub(super) type Visited = HashMap<u64, Node, BuildHasherDefault<Identity>>;

/// A successor: (parent, action index, fingerprint, and unless already visited the state,
/// the property it violates and the properties judged at it).
type Successor<R> = (u64, u32, u64, Option<(State<R>, Option<usize>, Masks)>);

/// Which properties a state judged, and which a run ending there left inconclusive.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Masks {
    judged: u64,
    unsure: u64,
}

/// Per property: the states that judged it, and the run ends that left it inconclusive.
pub(super) struct Tally {
    pub(super) judged: Vec<usize>,
    pub(super) unsure: Vec<usize>,
}

impl Tally {
    fn new(n: usize) -> Self {
        Tally {
            judged: vec![0; n],
            unsure: vec![0; n],
        }
    }

    fn count(&mut self, m: Masks) {
        for i in 0..self.judged.len() {
            if m.judged & (1 << i) != 0 {
                self.judged[i] += 1;
            }
            if m.unsure & (1 << i) != 0 {
                self.unsure[i] += 1;
            }
        }
    }
}

/// Frees a search's leftovers on another thread: a frontier of a million states takes about a
/// second to drop, which a stopped search should not add to its budget.
pub(super) fn drop_later<T: Send + 'static>(leftovers: T) {
    std::thread::spawn(move || drop(leftovers));
}

/// A found violation: the state's fingerprint and the property's index.
type Found = (u64, usize);

/// States a worker expands before the merge (breadth-first, several threads).
const BATCH: usize = 512;

impl<R: Module> Explore<R> {
    /// Searches every path of at most `max_depth` actions, with no other budget.
    pub fn run(&self, search: Search, max_depth: usize, threads: usize) -> Report<R> {
        self.check(search, Budget::depth(max_depth), threads)
    }

    /// Searches within `budget` on `threads` threads (breadth-first only; depth-first runs on
    /// one) and reports what it covered and the first violation it found.
    pub fn check(&self, search: Search, budget: Budget, threads: usize) -> Report<R> {
        let every = self.progress_every;
        let progress = self.progress.clone().map(|f| (f, every));
        // When fair cycles will be searched too, the main search gets half of the budget and
        // the lasso search what is left, so that a search stopped by time still judges
        // liveness.
        let lasso_runs = self.lasso
            && self.horizon.is_none()
            && self
                .monitors
                .watches
                .iter()
                .any(|w| w.monitor.kind() == PropertyKind::Liveness);
        let started = std::time::Instant::now();
        let mut meter = Meter::new(
            if lasso_runs { budget.half() } else { budget },
            progress.clone(),
        );
        let mut tally = Tally::new(self.names.len());
        let mut run = Run {
            visited: Visited::default(),
            unique: 0,
            generated: 0,
            deepest: 0,
        };
        let (found, coverage) = match search {
            Search::Bfs => self.bfs(&mut run, &mut meter, &mut tally, threads.max(1)),
            Search::Dfs => self.dfs(&mut run, &mut meter, &mut tally),
        };
        let search_elapsed = started.elapsed();
        let bytes_per_state = meter.bytes_per_state(run.unique);
        let mut counterexample = found.map(|(fp, i)| {
            let path = path_to(&run.visited, fp);
            self.counterexample(&path, i)
        });
        drop(run.visited);
        let mut lasso = None;
        if counterexample.is_none() && self.lasso {
            let mut meter = Meter::new(budget.after(started.elapsed()), progress);
            let (found, covered) = self.lasso_search(budget, &mut meter, &mut tally.judged);
            counterexample = found;
            lasso = Some(covered);
        }
        let elapsed = started.elapsed();
        let violated = counterexample.as_ref().map(|c| c.property);
        Report {
            unique_states: run.unique,
            states: run.generated,
            max_depth: run.deepest,
            coverage,
            elapsed,
            search_elapsed,
            horizon: self.horizon,
            bytes_per_state,
            lasso,
            properties: self
                .names
                .iter()
                .enumerate()
                .map(|(i, name)| PropertyCheck {
                    name,
                    kind: self.monitors.watches[i].monitor.kind(),
                    judged: tally.judged[i],
                    inconclusive: tally.unsure[i],
                    violated: violated == Some(*name),
                })
                .collect(),
            counterexample,
        }
    }

    /// Replays a path of action indices and makes it a counterexample to property `i`.
    pub(super) fn counterexample(&self, path: &[u32], i: usize) -> Counterexample<R> {
        let actions = self.actions_of(path);
        let (trace, end) = self.replay_to(&actions);
        Counterexample {
            property: self.names[i],
            violation: self.violation(&end, i),
            actions,
            trace,
            cycle: None,
        }
    }

    /// The actions a path of indices into [`Explore::enabled`] names.
    pub(super) fn actions_of(&self, path: &[u32]) -> Vec<Action<R>> {
        let mut s = self.initial(None, &mut 0);
        let mut actions = Vec::with_capacity(path.len());
        for &i in path {
            let a = self.enabled(&s).swap_remove(i as usize);
            s = self.apply(&s, &a, None, &mut 0).0;
            actions.push(a);
        }
        actions
    }

    /// The first property `s` violates, counting a judgement for each property judged.
    pub(super) fn judge(&self, s: &State<R>, tally: &mut Tally) -> Option<usize> {
        let (violated, masks) = self.judge_mask(s);
        tally.count(masks);
        violated
    }

    /// The first property `s` violates, and which properties could be judged at `s` (bit
    /// `i` for property `i`): safety everywhere; liveness and properties over correct
    /// processes where the run is over (nothing left to do). Where the run is over, a safety
    /// monitor's end-of-run verdict counts too: a violation is one, and an inconclusive
    /// verdict (the monitor could not judge this run) leaves the property unjudged there.
    pub(super) fn judge_mask(&self, s: &State<R>) -> (Option<usize>, Masks) {
        let watches = &s.world.monitors.watches;
        if let Some(i) = watches.iter().position(|w| w.violation.is_some()) {
            return (Some(i), Masks::default());
        }
        let mut mask = 0u64;
        let mut unsure = 0u64;
        let over = self.base_actions(s).is_empty();
        let run = over.then(|| self.summary(s));
        for (i, w) in watches.iter().enumerate() {
            let Some(run) = &run else {
                if w.monitor.kind() == PropertyKind::Safety {
                    mask |= 1 << i;
                }
                continue;
            };
            match w.monitor.finish(run) {
                Verdict::Violation(_) => {
                    let judged = mask | 1 << i;
                    return (Some(i), Masks { judged, unsure });
                }
                Verdict::Hold => mask |= 1 << i,
                Verdict::Inconclusive { .. } => unsure |= 1 << i,
            }
        }
        (
            None,
            Masks {
                judged: mask,
                unsure,
            },
        )
    }

    /// The initial state, visited and judged: a violation there ends the search at once.
    fn root(
        &self,
        run: &mut Run,
        tally: &mut Tally,
    ) -> Result<(State<R>, u64), (Option<Found>, Coverage)> {
        let init = self.initial(None, &mut 0);
        let fp = fingerprint(&init);
        run.visit(fp, fp, 0, 0);
        match self.judge(&init, tally) {
            Some(i) => Err((Some((fp, i)), stopped(None, Some(0)))),
            None => Ok((init, fp)),
        }
    }

    fn bfs(
        &self,
        run: &mut Run,
        meter: &mut Meter,
        tally: &mut Tally,
        threads: usize,
    ) -> (Option<Found>, Coverage) {
        let max_depth = meter.budget().max_depth;
        let (init, fp) = match self.root(run, tally) {
            Ok(root) => root,
            Err(found) => return found,
        };
        let mut frontier = vec![(init, fp)];
        let mut depth = 0;
        loop {
            if frontier.is_empty() {
                return (None, complete(depth));
            }
            if depth >= max_depth {
                let cut = frontier
                    .iter()
                    .any(|(s, _)| !self.base_actions(s).is_empty());
                return (
                    None,
                    if cut {
                        stopped(Some(StoppedBy::Depth), Some(depth))
                    } else {
                        complete(depth)
                    },
                );
            }
            let mut next = Vec::new();
            let mut level = std::mem::take(&mut frontier).into_iter();
            loop {
                let batch: Vec<(State<R>, u64)> = level.by_ref().take(BATCH * threads).collect();
                if batch.is_empty() {
                    break;
                }
                let mut successors = self.expand(batch, &run.visited, threads).into_iter();
                while let Some((parent, action, cfp, child)) = successors.next() {
                    run.generated += 1;
                    let Some((child, violated, mask)) = child else {
                        continue;
                    };
                    if run.visited.contains_key(&cfp) {
                        continue;
                    }
                    run.visit(cfp, parent, action, depth + 1);
                    tally.count(mask);
                    if let Some(i) = violated {
                        return (Some((cfp, i)), stopped(None, Some(depth)));
                    }
                    if let Some(why) = meter.exceeded(run.unique, depth + 1) {
                        drop_later((next, level, successors));
                        return (None, stopped(Some(why), Some(depth)));
                    }
                    next.push((child, cfp));
                }
            }
            if let Some(why) = meter.poll(run.unique, depth + 1) {
                drop_later(next);
                return (None, stopped(Some(why), Some(depth + 1)));
            }
            frontier = next;
            depth += 1;
        }
    }

    /// Every successor of a batch of states, as (parent, action index, fingerprint, child),
    /// in the order of the batch and of each state's enabled actions; a child already in
    /// `visited` is dropped at once (`None`), so that duplicates never pile up.
    fn expand(
        &self,
        batch: Vec<(State<R>, u64)>,
        visited: &Visited,
        threads: usize,
    ) -> Vec<Successor<R>> {
        let one = |(s, fp): &(State<R>, u64)| -> Vec<Successor<R>> {
            self.enabled(s)
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let child = self.apply(s, a, None, &mut 0).0;
                    let cfp = fingerprint(&child);
                    let fresh = !visited.contains_key(&cfp);
                    let judged = fresh.then(|| {
                        let (violated, mask) = self.judge_mask(&child);
                        (child, violated, mask)
                    });
                    (*fp, i as u32, cfp, judged)
                })
                .collect()
        };
        if threads <= 1 || batch.len() < 2 * threads {
            return batch.iter().flat_map(one).collect();
        }
        let chunk = batch.len().div_ceil(threads);
        let parts: Vec<Vec<Successor<R>>> = crossbeam::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .chunks(chunk)
                .map(|c| scope.spawn(move |_| c.iter().flat_map(one).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a search thread panicked"))
                .collect()
        })
        .expect("a search thread panicked");
        parts.into_iter().flatten().collect()
    }

    fn dfs(
        &self,
        run: &mut Run,
        meter: &mut Meter,
        tally: &mut Tally,
    ) -> (Option<Found>, Coverage) {
        let max_depth = meter.budget().max_depth;
        let (init, fp) = match self.root(run, tally) {
            Ok(root) => root,
            Err(found) => return found,
        };
        struct Frame<R: Module> {
            state: State<R>,
            fp: u64,
            depth: usize,
            actions: Vec<Action<R>>,
            next: usize,
        }
        let mut cut = false;
        let mut stack = Vec::new();
        if max_depth > 0 {
            let actions = self.enabled(&init);
            stack.push(Frame {
                state: init,
                fp,
                depth: 0,
                actions,
                next: 0,
            });
        } else {
            cut = !self.enabled(&init).is_empty();
        }
        while let Some(top) = stack.last_mut() {
            if top.next == top.actions.len() {
                stack.pop();
                continue;
            }
            let index = top.next;
            top.next += 1;
            let child = self.apply(&top.state, &top.actions[index], None, &mut 0).0;
            let (parent, depth) = (top.fp, top.depth + 1);
            run.generated += 1;
            let cfp = fingerprint(&child);
            match run.visited.get_mut(&cfp) {
                Some(node) if node.depth as usize <= depth => continue,
                Some(node) => {
                    // A shorter path to a known state: explore on from it again.
                    *node = Node {
                        parent,
                        action: index as u32,
                        depth: depth as u32,
                    };
                }
                None => {
                    run.visit(cfp, parent, index as u32, depth);
                    if let Some(i) = self.judge(&child, tally) {
                        return (Some((cfp, i)), stopped(None, None));
                    }
                    if let Some(why) = meter.exceeded(run.unique, depth) {
                        return (None, stopped(Some(why), None));
                    }
                }
            }
            let actions = self.enabled(&child);
            if depth >= max_depth {
                cut |= !actions.is_empty();
            } else if !actions.is_empty() {
                stack.push(Frame {
                    state: child,
                    fp: cfp,
                    depth,
                    actions,
                    next: 0,
                });
            }
        }
        if cut {
            (None, stopped(Some(StoppedBy::Depth), Some(max_depth)))
        } else {
            (None, complete(run.deepest))
        }
    }
}

/// Counters and the visited set of one search.
pub(super) struct Run {
    pub(super) visited: Visited,
    pub(super) unique: usize,
    pub(super) generated: usize,
    pub(super) deepest: usize,
}

impl Run {
    fn visit(&mut self, fp: u64, parent: u64, action: u32, depth: usize) {
        self.visited.insert(
            fp,
            Node {
                parent,
                action,
                depth: depth as u32,
            },
        );
        self.unique += 1;
        self.deepest = self.deepest.max(depth);
    }
}

/// The action indices from the initial state to `fp`.
pub(super) fn path_to(visited: &Visited, mut fp: u64) -> Vec<u32> {
    let mut path = Vec::new();
    while let Some(node) = visited.get(&fp) {
        if node.parent == fp {
            break;
        }
        path.push(node.action);
        fp = node.parent;
    }
    path.reverse();
    path
}

fn complete(depth: usize) -> Coverage {
    Coverage {
        complete: true,
        stopped_by: None,
        depth_covered: Some(depth),
    }
}

fn stopped(why: Option<StoppedBy>, depth: Option<usize>) -> Coverage {
    Coverage {
        complete: false,
        stopped_by: why,
        depth_covered: depth,
    }
}
