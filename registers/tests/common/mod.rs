//! What the registers' model checks share: the bare network, the synchronous lossy model, and
//! the search with its verdict per plan.
#![allow(dead_code)] // each test file uses its own part

use automata::check::{Budget, Explore, Search};
use automata::model::{Delay, Timing};
use automata::{Fault, Module, Monitor, Monitors, Setup, SystemModel, Time, Value};
use links::FairLossLinks;
use registers::{Msg, RegisterOp};

/// The network itself: no retransmission, so every path ends.
pub type Net = FairLossLinks<Msg<Value>>;

/// Synchronous, each packet takes 1 to `max` ticks, and with `loss` any may be lost (a lost
/// packet stands for one still in flight when the path ends).
pub fn lockstep(max: Time, loss: bool) -> SystemModel {
    let mut m = SystemModel {
        timing: Timing::Synchronous,
        delay: Delay {
            min: 1,
            max,
            tail: 0.0,
        },
        ..SystemModel::default()
    };
    m.links.loss = if loss { 0.1 } else { 0.0 };
    m
}

pub fn write(v: &str) -> RegisterOp<Value> {
    RegisterOp::Write(Value::str(v))
}

/// The first property violated on some path, the unique states and whether the search was
/// exhaustive (within `horizon`, if any).
pub fn explore<R: Module>(
    setup: Setup<R>,
    monitors: Vec<Box<dyn Monitor>>,
    horizon: Option<Time>,
) -> (Option<&'static str>, usize, bool) {
    let budget = Budget {
        max_states: Some(2_000_000),
        ..Budget::depth(200)
    };
    let mut explore = Explore::new(setup, Monitors::new(monitors));
    if let Some(h) = horizon {
        explore = explore.horizon(h);
    }
    let r = explore.check(Search::Bfs, budget, 1);
    (
        r.counterexample.map(|c| c.property),
        r.unique_states,
        r.coverage.complete,
    )
}

/// Asserts that no property fails on any path of any plan, exhaustively; the unique states,
/// summed over the plans.
pub fn holds_on_every_path<R: Module>(
    setup: impl Fn(Vec<Fault>) -> Setup<R>,
    plans: &[Vec<Fault>],
    monitors: fn() -> Vec<Box<dyn Monitor>>,
    horizon: Option<Time>,
) -> usize {
    let mut total = 0;
    for plan in plans {
        let (violated, states, complete) = explore(setup(plan.clone()), monitors(), horizon);
        assert_eq!(violated, None, "{plan:?}: after {states} states");
        assert!(complete, "{plan:?}: not exhaustive after {states} states");
        total += states;
    }
    total
}

/// The properties that fail on some path, one per plan where one does (same bounds).
pub fn caught<R: Module>(
    setup: impl Fn(Vec<Fault>) -> Setup<R>,
    plans: &[Vec<Fault>],
    monitors: fn() -> Vec<Box<dyn Monitor>>,
) -> Vec<&'static str> {
    plans
        .iter()
        .filter_map(|plan| explore(setup(plan.clone()), monitors(), None).0)
        .collect()
}
