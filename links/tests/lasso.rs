//! Liveness on infinite executions: Retransmit Forever never stops sending, so no explored path
//! ends and liveness was never judged by looking at where runs end. The fair-cycle (lasso)
//! search judges it: the correct algorithm has no fair cycle in which a message stays
//! undelivered, on a lossless network and on a lossy one (the network is fair-lossy: what keeps
//! being sent keeps arriving), and the mutant that sends once is caught on a lasso, a path and a
//! cycle in which its timer fires forever and the lost message never arrives.

mod common;

use automata::check::{Budget, Explore, Report, Search};
use automata::{Kind, Setup, Value};
use common::*;
use links::{PerfectLinks, StubbornLinks};

const DEPTH: usize = 40;

fn check<R: automata::Module>(explore: Explore<R>) -> Report<R> {
    explore.check(Search::Bfs, Budget::depth(DEPTH), 1)
}

fn stubborn(loss: f64, once: bool) -> Setup<StubbornLinks<Value>> {
    sends(
        Setup::new(2, net(loss, 0.0, false), move |_| {
            if once {
                StubbornLinks::sending_once(PERIOD)
            } else {
                StubbornLinks::new(PERIOD)
            }
        }),
        1,
        0,
        1,
        1,
    )
}

#[test]
fn retransmit_forever_is_live_on_every_fair_cycle_of_a_lossless_network() {
    let r = check(Explore::new(stubborn(0.0, false), sl_monitors("sl")));
    assert!(r.counterexample.is_none(), "{r:?}");
    let lasso = r.lasso.expect("the lasso search ran");
    assert_eq!(lasso.skipped, None);
    assert!(lasso.complete, "{lasso:?}");
    assert!(lasso.nodes > 0);
}

#[test]
fn retransmit_forever_is_live_on_every_fair_cycle_of_a_lossy_network() {
    let r = check(Explore::new(stubborn(0.5, false), sl_monitors("sl")));
    assert!(r.counterexample.is_none(), "{r:?}");
    let lasso = r.lasso.expect("the lasso search ran");
    assert!(lasso.complete, "{lasso:?}");
    // Cycles that lose every copy exist, but they are not fair: the message keeps being
    // sent and so must keep arriving.
    assert!(lasso.fair_cycles == 0, "{lasso:?}");
}

#[test]
fn a_stubborn_link_that_sends_once_is_caught_on_a_lasso() {
    let r = check(Explore::new(stubborn(0.5, true), sl_monitors("sl")));
    let ce = r.counterexample.expect("a lasso");
    assert_eq!(ce.property, "stubborn-delivery");
    let cycle = ce.cycle.expect("a liveness counterexample is a lasso");
    // The prefix loses the message; the cycle is the timer firing, and nothing is delivered.
    assert!(ce.trace[..cycle.event as usize]
        .iter()
        .any(|e| e.kind == Kind::Drop));
    let around = &ce.trace[cycle.event as usize..];
    assert!(around.iter().any(|e| e.kind == Kind::Timer), "{around:?}");
    assert!(!around
        .iter()
        .any(|e| e.kind == Kind::Indication && e.module == "sl"));
    // On a lossless network the same mutant delivers: no lasso.
    let r = check(Explore::new(stubborn(0.0, true), sl_monitors("sl")));
    assert!(
        r.counterexample.is_none(),
        "{:?}",
        r.counterexample.map(|c| c.property)
    );
}

#[test]
fn perfect_links_are_live_on_every_fair_cycle_of_a_lossy_network() {
    let setup = sends(
        Setup::new(2, net(0.5, 0.0, false), |_| {
            PerfectLinks::<Value>::new(PERIOD)
        }),
        1,
        0,
        1,
        1,
    );
    let r = check(Explore::new(setup, pl_monitors("pl")));
    assert!(r.counterexample.is_none(), "{r:?}");
    assert!(r.lasso.expect("ran").complete);
}
