//! Leader-Driven Consensus (CGR 5.7, the book's Paxos): C1-C3, UC4 and the epochs' EP1-EP6
//! under random crash plans, false suspicions before GST and schedules, over Ω as the
//! environment's oracle and as an algorithm; on every path of a small exhaustive check with a
//! leader change; and each mutant caught by the property it breaks under the same bounds.

use automata::model::DetectorSource;
use automata::sim::Sim;
use automata::{Fault, Monitors, Setup, Value};
use consensus::LeaderDrivenConsensus;
use links::detectors::AnyLeader;
use proptest::prelude::*;

mod common;
use common::{check_ldc, config, crash, ldc, partially_synchronous, proposing, with_epochs};

proptest! {
    #![proptest_config(config(0x4c44_4331))]

    /// N ∈ {3, 5} with up to f < N/2 crashes at random times, GST up to 200 with false
    /// suspicions before it (Ω disagrees and changes its mind), Ω the oracle or Monarchical
    /// Ω over Increasing Timeout: every property holds once the run has settled.
    #[test]
    fn leader_driven_consensus_is_uniform_consensus(
        five in any::<bool>(),
        algorithm in any::<bool>(),
        gst in 0..200u64,
        values in proptest::collection::vec(0..3i64, 5),
        crashes in proptest::collection::btree_map(0..5usize, 0..300u64, 0..3),
        suspicions in proptest::collection::vec((0..5usize, 0..5usize, 0..200u64), 0..4),
        seed in any::<u64>(),
    ) {
        let n = if five { 5 } else { 3 };
        let f = (n - 1) / 2;
        let mut faults: Vec<Fault> = crashes
            .into_iter()
            .filter(|&(p, _)| p < n)
            .take(f)
            .map(|(p, at)| crash(p, at, false))
            .collect();
        faults.extend(suspicions.into_iter().filter(|&(p, by, _)| p < n && by < n && p != by).map(
            |(process, by, from)| Fault::Suspect { process, by, from: from.min(gst), until: gst },
        ));
        let mut model = partially_synchronous(gst);
        model.detector = if algorithm { DetectorSource::Algorithm } else { DetectorSource::Leader };
        let omega = AnyLeader::from_source(model.detector, 10).expect("an Ω");
        let setup = Setup::new(n, model, move |_| LeaderDrivenConsensus::<Value, _>::new(omega.clone(), 10))
            .faults(faults);
        let out = Sim::new(proposing(setup, &values[..n], 5), Monitors::new(with_epochs("uc")))
            .seed(seed)
            .max_time(3_000)
            .run();
        prop_assert!(out.all_hold(), "seed {}: {:#?}", seed, out.properties);
    }
}

/// Every property holds on every path when the leader changes in the middle of the first
/// leader's epoch (N = 3 proposing 0, 1, 1, Ω switching from 0 to 1 at time 6: process 0's
/// epoch 3 has begun writing); writing without reading breaks lock-in (and then uniform
/// agreement) under the same bounds. About 56,000 states, 2 s in the dev profile. (Switching
/// at 2 to 8 gives 56,000-404,000 states, all holding and all catching the mutant.)
#[test]
fn leader_driven_consensus_holds_on_every_path_and_skipping_the_read_does_not() {
    let c = check_ldc(ldc, 6, vec![], with_epochs("uc"));
    assert_eq!(c.violated, None, "after {} states", c.unique_states);
    assert!(
        c.complete,
        "not exhaustive after {} states",
        c.unique_states
    );
    assert_eq!(c.unique_states, 56_346, "pinned state count changed");
    let c = check_ldc(|s| ldc(s).skipping_read(), 6, vec![], with_epochs("uc"));
    assert_eq!(
        c.violated,
        Some("lock-in"),
        "after {} states",
        c.unique_states
    );
}

/// Deciding its own proposal when a timer fires before any decision arrived breaks uniform
/// agreement under the same bounds: with a timeout of 4 ticks the timers fire at time 5, before
/// epoch 3's DECIDED (sent at 5, delivered at 6), so process 0 decides 0 and the others 1.
#[test]
fn deciding_its_own_value_on_a_timeout_breaks_uniform_agreement() {
    let c = check_ldc(|s| ldc(s).impatient(4), 6, vec![], with_epochs("uc"));
    assert_eq!(
        c.violated,
        Some("uniform-agreement"),
        "after {} states",
        c.unique_states
    );
    eprintln!(
        "impatient: {:?} at depth {} after {} states, {:?}",
        c.violated, c.depth, c.unique_states, c.elapsed
    );
}
