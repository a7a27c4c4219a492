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

/// Paths never end here, so the main search is bounded by states; the lasso search gets as
/// many for the time-shifted graph, which it must exhaust to clear a property.
fn check<R: automata::Module>(explore: Explore<R>) -> Report<R> {
    let budget = Budget {
        max_states: Some(100_000),
        ..Budget::depth(1000)
    };
    explore.check(Search::Bfs, budget, 1)
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

/// Detectors never quiesce: heartbeats go on forever, so no run ends and their eventual
/// properties were judged only up to a horizon. On fair cycles they are judged on infinite
/// executions. Two processes, delays in [1, 2] after GST = 6 and up to GST + 2 before it,
/// Δ = 5, one process crashing at 12 (the configuration of detectors_model_checking.rs,
/// without its horizon).
mod detectors {
    use super::*;
    use automata::model::{Delay, Timing};
    use automata::{Fault, SystemModel, Time};
    use links::detectors::{Heartbeat, IncreasingTimeout, Misrank, MonarchicalOmega};
    use links::FairLossLinks;

    fn model(gst: Time) -> SystemModel {
        SystemModel {
            timing: Timing::PartiallySynchronous,
            gst,
            delay: Delay {
                min: 1,
                max: 2,
                tail: 0.0,
            },
            ..SystemModel::default()
        }
    }

    fn crash(process: usize) -> Vec<Fault> {
        vec![Fault::Crash {
            process,
            at: 12,
            after_sends: None,
            drop_in_flight: false,
        }]
    }

    fn ep(timeout: Time) -> IncreasingTimeout<FairLossLinks<Heartbeat>> {
        IncreasingTimeout::over(FairLossLinks::default(), timeout)
    }

    /// The fair-cycle search ran to completion and found nothing.
    fn live_on_every_fair_cycle<R: automata::Module>(r: Report<R>) {
        assert!(
            r.counterexample.is_none(),
            "{:?}",
            r.counterexample.map(|c| c.property)
        );
        let lasso = r.lasso.expect("the lasso search ran");
        assert_eq!(lasso.skipped, None);
        assert!(lasso.complete, "{lasso:?}");
    }

    /// The property a lasso breaks.
    fn lasso_breaks<R: automata::Module>(r: Report<R>) -> &'static str {
        let ce = r.counterexample.expect("a counterexample");
        assert!(ce.cycle.is_some(), "a lasso, not a finite path");
        ce.property
    }

    /// Increasing Timeout is eventually perfect on every fair cycle, with a crash after GST = 6
    /// and without a crash from GST = 0; on the latter, B-5.3's timeout of 3 that never grows (below the round trip of 4)
    /// suspects the live process again and again forever, on a cycle. (A horizon could only
    /// show a suspicion at its end. The never-restoring mutant is no pair here: it raises its
    /// timeout on every heartbeat, so its states never repeat and the search can only say
    /// that its depth bound stopped it.)
    #[test]
    fn increasing_timeout_is_eventually_perfect_on_every_fair_cycle() {
        let setup = |constant: bool, (gst, faults): (Time, Vec<Fault>)| {
            Setup::new(2, model(gst), move |_| {
                if constant {
                    ep(3).with_increment(0)
                } else {
                    ep(5)
                }
            })
            .faults(faults)
        };
        for config in [(6, crash(1)), (0, Vec::new())] {
            live_on_every_fair_cycle(check(Explore::new(setup(false, config), ep_monitors("ep"))));
        }
        // With 1 crashed, nobody correct is left to be suspected: the mutant's pair is the
        // crash-free configuration (synchronous from the start, to keep its graph small).
        assert_eq!(
            lasso_breaks(check(Explore::new(
                setup(true, (0, Vec::new())),
                ep_monitors("ep")
            ))),
            "eventual-strong-accuracy"
        );
    }

    #[test]
    fn monarchical_omega_is_eventually_accurate_on_every_fair_cycle() {
        let setup = |never_demote: bool| {
            Setup::new(2, model(6), move |_| {
                let omega = MonarchicalOmega::new(ep(5));
                if never_demote {
                    omega.misranking(Misrank::NeverDemote)
                } else {
                    omega
                }
            })
            .faults(crash(0))
        };
        live_on_every_fair_cycle(check(Explore::new(setup(false), omega_monitors("omega"))));
        assert_eq!(
            lasso_breaks(check(Explore::new(setup(true), omega_monitors("omega")))),
            "eventual-accuracy"
        );
    }
}
