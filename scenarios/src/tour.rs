//! The guided tour: what `ioa` with no arguments shows a newcomer in a few minutes.

use crate::error::InputError;
use crate::load::load_str;
use crate::report::{RunJson, RunVerdict};

struct Stop {
    title: &'static str,
    file: &'static str,
    src: &'static str,
    before: &'static str,
    after: &'static str,
}

const STOPS: &[Stop] = &[
    Stop {
        title: "Perfect links over a lossy, duplicating network",
        file: "scenarios/links/perfect-links.toml",
        src: include_str!("../links/perfect-links.toml"),
        before: "Retransmit forever (stubborn links) and drop duplicates: every property of perfect links holds.",
        after: "Every message was delivered exactly once, however often the network lost or copied it.",
    },
    Stop {
        title: "Stubborn links used as perfect links",
        file: "scenarios/links/stubborn-as-perfect.toml",
        src: include_str!("../links/stubborn-as-perfect.toml"),
        before: "Take away the duplicate elimination: the same monitors now judge a weaker algorithm.",
        after: "no-duplication fails at the event shown: retransmission without `delivered` delivers twice.",
    },
    Stop {
        title: "Logged perfect links with volatile storage",
        file: "scenarios/links/logged-volatile-storage.toml",
        src: include_str!("../links/logged-volatile-storage.toml"),
        before: "Crash-recovery needs stable storage: here the model loses what the algorithm stored.",
        after: "After the receiver recovers it has forgotten `delivered`, and delivers a message again.",
    },
    Stop {
        title: "Eager reliable broadcast is not uniform",
        file: "scenarios/broadcast/eager-rb-not-uniform.toml",
        src: include_str!("../broadcast/eager-rb-not-uniform.toml"),
        before: "A process delivers and crashes before its relay leaves; the sender crashes too.",
        after: "Uniform agreement fails: a process that crashed delivered what no correct process ever will.",
    },
];

/// Runs every stop of the tour; `Ok(true)` when each showed what it should.
pub fn run() -> Result<bool, InputError> {
    println!("ioa: a tour of reliable distributed algorithms as I/O automata\n");
    let mut all = true;
    for (i, stop) in STOPS.iter().enumerate() {
        println!("{}. {}  ({})", i + 1, stop.title, stop.file);
        println!("   {}\n", stop.before);
        let (report, _) = tour_run(stop.file, stop.src)?;
        for line in report.text().lines() {
            println!("   {line}");
        }
        println!("\n   {}\n", stop.after);
        all &= report.matches_expectation;
    }
    println!("Next: `ioa list` shows every algorithm and scenario; `ioa run FILE --trace out.jsonl` records a run;\n`ioa check scenarios/links/perfect-links-no-dedup.toml` finds a counterexample exhaustively.");
    Ok(all)
}

/// Runs a bundled scenario for the tour; returns its verdict.
pub fn tour_run(name: &str, src: &str) -> Result<(RunJson, RunVerdict), InputError> {
    let (l, job) = load_str(name, src)?;
    let s = &l.scenario;
    let outcome = job.simulate(s.seed, false);
    let report = RunJson::new(
        &s.name,
        &s.algorithm,
        s.seed,
        s.check.expect.clone(),
        &outcome,
    );
    let v = report.verdict;
    Ok((report, v))
}
