//! The stateright side of the bridge: monitors as properties, the search and its report.

use super::{Action, Explore, State};
use crate::module::Module;
use crate::monitor::Violation;
use crate::trace::TraceEvent;
use stateright::{Checker, HasDiscoveries, Model, Path, Property};
use std::fmt;

fn property<const I: usize, R: Module>(m: &Explore<R>, s: &State<R>) -> bool {
    m.holds(s, I)
}

/// The most monitors one exploration checks.
pub const MAX_PROPERTIES: usize = 16;

fn property_fn<R: Module>(i: usize) -> fn(&Explore<R>, &State<R>) -> bool {
    match i {
        0 => property::<0, R>,
        1 => property::<1, R>,
        2 => property::<2, R>,
        3 => property::<3, R>,
        4 => property::<4, R>,
        5 => property::<5, R>,
        6 => property::<6, R>,
        7 => property::<7, R>,
        8 => property::<8, R>,
        9 => property::<9, R>,
        10 => property::<10, R>,
        11 => property::<11, R>,
        12 => property::<12, R>,
        13 => property::<13, R>,
        14 => property::<14, R>,
        _ => property::<15, R>,
    }
}

impl<R: Module> Model for Explore<R> {
    type State = State<R>;
    type Action = Action<R>;

    fn init_states(&self) -> Vec<State<R>> {
        vec![self.initial(None, &mut 0)]
    }

    fn actions(&self, state: &State<R>, actions: &mut Vec<Action<R>>) {
        actions.extend(self.enabled(state));
    }

    fn next_state(&self, state: &State<R>, action: Action<R>) -> Option<State<R>> {
        Some(self.apply(state, &action, None, &mut 0).0)
    }

    /// An action as the Explorer lists it: what happens, where, to which packet or timer.
    fn format_action(&self, action: &Action<R>) -> String {
        match action {
            Action::Deliver { packet: m, choices } => {
                format!(
                    "deliver p{}→p{} {:?}{}",
                    m.from,
                    m.to,
                    m.msg,
                    shown(choices)
                )
            }
            Action::Drop { packet: m } => format!("drop p{}→p{} {:?}", m.from, m.to, m.msg),
            Action::Duplicate { packet: m } => {
                format!("duplicate p{}→p{} {:?}", m.from, m.to, m.msg)
            }
            Action::Timer {
                process,
                timer,
                at,
                choices,
            } => format!("timer {timer:?} at p{process} (t={at}){}", shown(choices)),
            Action::Request { index, choices } => {
                let r = &self.setup.workload[*index];
                format!("request {:?} at p{}{}", r.req, r.process, shown(choices))
            }
            Action::Fault { index, .. } => format!("fault {:?}", self.setup.faults[*index]),
            Action::Crash { process } => format!("crash p{process}"),
            Action::Wait { to } => format!("wait until t={to}"),
        }
    }

    /// The Explorer's picture of a path: the space-time diagram of its trace, where the
    /// exploration was given a way to draw one ([`Explore::diagram`]).
    fn as_svg(&self, path: Path<State<R>, Action<R>>) -> Option<String> {
        let draw = self.diagram.as_ref()?;
        draw(&self.replay(&path.into_actions()))
    }

    /// One `always` property per monitor (with none, a property that always holds, so that
    /// stateright explores the whole space instead of stopping at once).
    fn properties(&self) -> Vec<Property<Self>> {
        if self.names.is_empty() {
            return vec![Property::always("every state reachable", |_, _| true)];
        }
        self.names
            .iter()
            .take(MAX_PROPERTIES)
            .enumerate()
            .map(|(i, name)| Property::always(name, property_fn::<R>(i)))
            .collect()
    }
}

fn shown(choices: &[u32]) -> String {
    if choices.is_empty() {
        String::new()
    } else {
        format!(" choosing {choices:?}")
    }
}

/// Search order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Search {
    /// Breadth-first: shortest counterexamples, stable state counts on one thread.
    #[default]
    Bfs,
    /// Depth-first: less memory.
    Dfs,
}

/// The result of an exploration.
pub struct Report<R: Module> {
    pub unique_states: usize,
    pub states: usize,
    pub max_depth: usize,
    /// The first violated property, its action path and the path as a trace.
    pub counterexample: Option<Counterexample<R>>,
    /// Every property name checked, in order.
    pub properties: Vec<&'static str>,
}

/// A violating path.
pub struct Counterexample<R: Module> {
    pub property: &'static str,
    pub actions: Vec<Action<R>>,
    pub trace: Vec<TraceEvent>,
    /// The monitor's witness (an event of `trace`) and explanation, where it gives one.
    pub violation: Option<Violation>,
}

impl<R: Module> fmt::Debug for Report<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report")
            .field("unique_states", &self.unique_states)
            .field("max_depth", &self.max_depth)
            .field(
                "violated",
                &self.counterexample.as_ref().map(|c| c.property),
            )
            .finish()
    }
}

impl<R: Module> Explore<R> {
    /// Runs the search to `max_depth` on `threads` threads. Breadth-first search reports a
    /// shortest counterexample: stateright may record a longer path to a violation found late
    /// in a batch, so once one is found the search is repeated with growing depth bounds up to
    /// its length, and the first bound that shows a violation gives the shortest path.
    pub fn run(self, search: Search, max_depth: usize, threads: usize) -> Report<R> {
        let found = self.search(search, max_depth, threads);
        let Some(ce) = found.counterexample.as_ref() else {
            return found;
        };
        if search == Search::Dfs {
            return found;
        }
        for depth in 1..=ce.actions.len() {
            let shorter = self.search(search, depth + 1, threads);
            if let Some(short) = shorter.counterexample {
                return Report {
                    counterexample: Some(short),
                    ..found
                };
            }
        }
        found
    }

    /// Serves stateright's Explorer (a web UI for stepping through the model by hand) on
    /// `addr` until the process is stopped. Its pages: `/#/steps/0` is the initial state,
    /// `/#/steps/0/i/j/...` the state after the `i`-th enabled action, then the `j`-th, ...
    pub fn serve(self, addr: std::net::SocketAddr, max_depth: usize) -> ! {
        let _checker = self
            .checker()
            .target_max_depth(max_depth.max(1))
            .serve(addr);
        unreachable!("stateright's Explorer serves until the process ends")
    }

    fn search(&self, search: Search, max_depth: usize, threads: usize) -> Report<R> {
        let builder = self
            .clone()
            .checker()
            .threads(threads.max(1))
            .target_max_depth(max_depth.max(1))
            .finish_when(HasDiscoveries::AnyFailures);
        match search {
            Search::Bfs => report(self.wait(builder.spawn_bfs())),
            Search::Dfs => report(self.wait(builder.spawn_dfs())),
        }
    }

    fn wait<C: Checker<Explore<R>>>(&self, checker: C) -> C {
        if let Some(progress) = &self.progress {
            while !checker.is_done() {
                progress(checker.unique_state_count(), checker.max_depth());
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
        checker.join()
    }
}

fn report<R: Module>(checker: impl Checker<Explore<R>>) -> Report<R> {
    let model = checker.model();
    let properties: Vec<&'static str> = model.names.iter().take(MAX_PROPERTIES).copied().collect();
    let mut found: Vec<(&'static str, Vec<Action<R>>)> = checker
        .discoveries()
        .into_iter()
        .map(|(name, path)| (name, path.into_actions()))
        .collect();
    found.sort_by_key(|(name, actions)| (actions.len(), properties.iter().position(|p| p == name)));
    let counterexample = found.into_iter().next().map(|(property, actions)| {
        let (trace, end) = model.replay_to(&actions);
        let violation = properties
            .iter()
            .position(|p| *p == property)
            .and_then(|i| model.violation(&end, i));
        Counterexample {
            property,
            actions,
            trace,
            violation,
        }
    });
    Report {
        unique_states: checker.unique_state_count(),
        states: checker.state_count(),
        max_depth: checker.max_depth(),
        counterexample,
        properties,
    }
}
