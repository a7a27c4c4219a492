//! `Explore::every_delay`: without it a lone packet arrives at the earliest time of its delay
//! window; with it the checker also lets it arrive at every later time the model allows.

use automata::check::{Explore, Search};
use automata::model::Delay;
use automata::{Ctx, Kind, Module, Monitor, Monitors, Setup, SystemModel, TraceEvent, Violation};

/// p0 sends one packet to p1 at time 0.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Ping;

impl Module for Ping {
    const NAME: &'static str = "ping";
    type Req = ();
    type Ind = ();
    type Msg = ();
    type Timer = ();

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        if ctx.me() == 0 {
            ctx.send(1, ());
        }
    }
    fn on_request(&mut self, _ctx: &mut Ctx<Self>, _req: ()) {}
}

/// Violated by a delivery after time `by`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ArrivesBy(u64);

impl Monitor for ArrivesBy {
    automata::property!("arrives-by", Safety);
    fn observe(&mut self, e: &TraceEvent) -> Option<Violation> {
        (e.kind == Kind::Deliver && e.time > self.0).then(|| Violation {
            event: e.index,
            time: e.time,
            explanation: format!("delivered at {}", e.time),
        })
    }
}

fn explore(by: u64, every_delay: bool) -> Option<usize> {
    let model = SystemModel {
        delay: Delay {
            min: 1,
            max: 3,
            ..Delay::default()
        },
        ..SystemModel::default()
    };
    let setup = Setup::new(2, model, |_| Ping);
    let report = Explore::new(setup, Monitors::new(vec![Box::new(ArrivesBy(by))]))
        .every_delay(every_delay)
        .run(Search::Bfs, 10, 1);
    report.counterexample.map(|c| c.actions.len())
}

#[test]
fn only_every_delay_explores_late_arrivals() {
    assert_eq!(
        explore(1, false),
        None,
        "the default delivers at the earliest time"
    );
    // Two waits (to t = 1, then t = 2) and the delivery.
    assert_eq!(explore(1, true), Some(3));
    // Nothing arrives after Δ = 3: waiting past a packet's deadline is not enabled.
    assert_eq!(explore(3, true), None);
}
