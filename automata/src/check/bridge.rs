//! The stateright side: [`Explore`] as a `stateright::Model`, for stateright's Explorer (a web
//! UI to step through a model by hand) and to cross-check our search's state counts against
//! stateright's own checker.

use super::{Action, Explore, State};
use crate::module::Module;
use crate::monitor::PropertyKind;
use stateright::{Model, Path, Property};

/// Monitor `I` as a stateright property: violated where the monitor reports a violation, and
/// for liveness where a run ends (no action enabled) with an obligation unmet.
fn property<const I: usize, R: Module>(m: &Explore<R>, s: &State<R>) -> bool {
    let Some(w) = s.world.monitors.watches.get(I) else {
        return true;
    };
    if w.violation.is_some() {
        return false;
    }
    w.monitor.kind() == PropertyKind::Safety
        || !m.base_actions(s).is_empty()
        || m.violation(s, I).is_none()
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

impl<R: Module> Explore<R> {
    /// The unique states stateright's own breadth-first checker finds on every path of at
    /// most `max_depth` actions (its depth counts states, ours actions): a cross-check of
    /// [`Explore::check`], which must find the same number.
    pub fn stateright_unique_states(&self, max_depth: usize) -> usize {
        use stateright::Checker;
        self.clone()
            .checker()
            .target_max_depth(max_depth + 1)
            .spawn_bfs()
            .join()
            .unique_state_count()
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
}
