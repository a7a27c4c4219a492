//! The search: breadth-first or depth-first over [`Explore`]'s transition relation, within a
//! [`Budget`], checking every monitor on every state.
//!
//! Only the frontier (breadth-first) or the current path (depth-first) is kept as full states;
//! every state seen is a fingerprint in the visited set (`visited.rs`). Breadth-first search
//! expands one level at a time, so the first violation it finds has a shortest path, and with
//! several threads it expands a level in parallel and merges the successors in order: the
//! result does not depend on the number of threads. Depth-first search re-expands a state
//! reached again by a shorter path, so within a depth bound it covers the same states as
//! breadth-first search. Each state is judged in `judge.rs`; the result is a [`Report`]
//! (`report.rs`).

use super::budget::{drop_later, Budget, Coverage, Meter, StoppedBy};
use super::judge::{Masks, Tally};
use super::report::{PropertyCheck, Report, Search};
use super::state::fingerprint;
use super::visited::{path_to, Node, Run, Visited};
use super::{Explore, State};
use crate::module::Module;
use crate::monitor::PropertyKind;
use std::sync::atomic::Ordering::Relaxed;

/// A successor: (parent, action index, fingerprint, and unless already visited the state,
/// the property it violates and the properties judged at it).
type Successor<R> = (u64, u32, u64, Option<(State<R>, Option<usize>, Masks)>);

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
        let started = crate::clock::Instant::now();
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
            choices_cut_at: None,
        };
        let (found, mut coverage) = match search {
            Search::Bfs => self.bfs(&mut run, &mut meter, &mut tally, threads.max(1)),
            Search::Dfs => self.dfs(&mut run, &mut meter, &mut tally),
        };
        if found.is_none() && self.choices_cut.load(Relaxed) {
            coverage = Coverage {
                complete: false,
                stopped_by: coverage.stopped_by.or(Some(StoppedBy::Choices)),
                depth_covered: coverage.depth_covered.min(run.choices_cut_at),
            };
        }
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
                // One thread takes one state at a time: large short-lived batches make the
                // allocator consolidate its free lists over and over.
                let size = if threads <= 1 { 1 } else { BATCH * threads };
                let batch: Vec<(State<R>, u64)> = level.by_ref().take(size).collect();
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
            if run.choices_cut_at.is_none() && self.choices_cut.load(Relaxed) {
                run.choices_cut_at = Some(depth);
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
            self.successors(s)
                .into_iter()
                .enumerate()
                .map(|(i, (_, child))| {
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
            fp: u64,
            depth: usize,
            /// The successors not explored yet, last first.
            children: Vec<State<R>>,
            next: usize,
        }
        let frame = |s: &State<R>, fp: u64, depth: usize| {
            let mut children: Vec<State<R>> =
                self.successors(s).into_iter().map(|(_, c)| c).collect();
            children.reverse();
            Frame {
                fp,
                depth,
                children,
                next: 0,
            }
        };
        let mut cut = false;
        let mut stack = Vec::new();
        if max_depth > 0 {
            stack.push(frame(&init, fp, 0));
        } else {
            cut = !self.base_actions(&init).is_empty();
        }
        while let Some(top) = stack.last_mut() {
            let Some(child) = top.children.pop() else {
                stack.pop();
                continue;
            };
            let index = top.next;
            top.next += 1;
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
            if depth >= max_depth {
                // Whether anything was cut needs no successor states, only the actions.
                cut |= !self.base_actions(&child).is_empty();
                continue;
            }
            let next = frame(&child, cfp, depth);
            if !next.children.is_empty() {
                stack.push(next);
            }
        }
        if cut {
            (None, stopped(Some(StoppedBy::Depth), Some(max_depth)))
        } else {
            (None, complete(run.deepest))
        }
    }
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
