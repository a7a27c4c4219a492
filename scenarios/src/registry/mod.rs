//! Every chapter's catalogue, gathered: each chapter's crate declares its abstractions and
//! algorithms beside its code (`links::catalogue`, `broadcast::catalogue`, ...); this module
//! lists them in catalogue order, and names the metrics `ioa sweep` averages.

pub use catalogue::{
    job, job_predicting, job_with, payload, Abstraction, Algorithm, Build, Explored,
    ExploredProperty, Param, Params, PropertyDef, Runnable,
};

/// The figures `ioa sweep` averages: the runner's own, then what monitors measure
/// ([`automata::Monitor::measure`]), with the chapter that measures them.
pub const METRICS: &[(&str, &str)] = &[
    ("messages", "packets sent per run"),
    ("delivered", "packets delivered per run"),
    (
        "violation_rate",
        "fraction of runs with a violated property",
    ),
    (
        "false_suspicions",
        "ch. 5: detections (P) or suspicions (◇P) of processes that had not crashed",
    ),
    (
        "detection_time",
        "ch. 5: mean ticks from a crash to its detection by a correct process (and _max)",
    ),
    (
        "post_gst_mistakes",
        "ch. 5: most timeout periods after GST in which one process suspected a live one",
    ),
    (
        "all_delivered",
        "ch. 6 gossip: 1 if every broadcast reached every correct process (C.1)",
    ),
    (
        "delivered_fraction",
        "ch. 6 gossip: mean fraction of correct processes a broadcast reached",
    ),
    (
        "residue",
        "ch. 6 gossip: fraction of correct processes never reached (C.2)",
    ),
    (
        "rounds",
        "ch. 6 gossip: ticks from a broadcast to its last first delivery (C.3)",
    ),
    (
        "overhead_messages_per_pulse",
        "ch. 10 synchronizers: control messages (ACK, SAFE, convergecast, GO) per pulse (C.11)",
    ),
    (
        "algorithm_messages_per_pulse",
        "ch. 10 synchronizers: messages of the synchronous algorithm per pulse",
    ),
    (
        "time_per_pulse",
        "ch. 10 synchronizers: ticks until every process finished, per pulse (predicted: the bound)",
    ),
    (
        "skew_max",
        "ch. 10: largest skew between correct processes' adjusted clocks once synchronized (and _worst over runs; predicted: the bound or target)",
    ),
    (
        "false_order",
        "ch. 10 logical clocks: fraction of concurrent event pairs the timestamps order (C.17)",
    ),
    (
        "cristian_error_max",
        "ch. 10 Cristian: largest |estimate − server clock| over the attempts (C.6)",
    ),
    (
        "cristian_bound_max",
        "ch. 10 Cristian: largest RTT/2 − d_min the attempts allowed (C.6)",
    ),
    (
        "read_latency",
        "ch. 7 registers: mean ticks from a read's start to its return (ABD: 4 message delays)",
    ),
    (
        "write_latency",
        "ch. 7 registers: mean ticks from a write's start to its return (ABD: 2 message delays)",
    ),
    (
        "read_messages",
        "ch. 7 registers: mean messages per read, from its start to its return (ABD: 4N)",
    ),
    (
        "write_messages",
        "ch. 7 registers: mean messages per write, from its start to its return (ABD: 2N)",
    ),
    (
        "stale_reads",
        "ch. 7 probabilistic quorums: fraction of reads whose quorum missed the last write's (C.16: about e^(−ℓ²))",
    ),
    (
        "decision_latency",
        "ch. 8 consensus: ticks from the first proposal until every process that decides has (C.8, C.9: steps × the delay)",
    ),
    (
        "decision_messages",
        "ch. 8 consensus: messages the algorithm sent on its perfect links from the first proposal until the last decision (C.8, C.9)",
    ),
    (
        "decision_round",
        "ch. 8 randomized consensus: the round the last process to decide was in (C.18)",
    ),
    (
        "beyond_round_1",
        "ch. 8 randomized consensus: 1 if deciding took more than 1 round; its mean is P(rounds > 1) (C.18)",
    ),
    ("beyond_round_2", "ch. 8 randomized consensus: P(rounds > 2) as a mean"),
    ("beyond_round_3", "ch. 8 randomized consensus: P(rounds > 3) as a mean"),
    ("beyond_round_4", "ch. 8 randomized consensus: P(rounds > 4) as a mean"),
    ("sigma", "ch. 10 round-driven clock: spread of real round-start times"),
];

/// Every abstraction.
pub fn abstractions() -> Vec<&'static Abstraction> {
    let chapters = [
        catalogue::tutorial::ABSTRACTIONS,
        links::abstractions::ABSTRACTIONS,
        links::detectors::abstractions::ABSTRACTIONS,
        broadcast::abstractions::ABSTRACTIONS,
        broadcast::probabilistic::abstractions::ABSTRACTIONS,
        registers::abstractions::ABSTRACTIONS,
        consensus::abstractions::ABSTRACTIONS,
        applications::abstractions::ABSTRACTIONS,
        clocks::rounds::abstractions::ABSTRACTIONS,
        clocks::abstractions::ABSTRACTIONS,
    ];
    chapters.iter().flat_map(|c| c.iter()).collect()
}

/// Every algorithm, in catalogue order: chapter by chapter, module by module.
pub fn algorithms() -> Vec<&'static Algorithm> {
    let chapters: [&[&[Algorithm]]; 13] = [
        &[catalogue::tutorial::ALGORITHMS],
        links::ALGORITHMS,
        links::detectors::ALGORITHMS,
        broadcast::ALGORITHMS,
        broadcast::probabilistic::ALGORITHMS,
        registers::ALGORITHMS,
        consensus::ALGORITHMS,
        &[consensus::abstractions::ROUND_RUNNERS],
        applications::ALGORITHMS,
        &[clocks::rounds::abstractions::ALGORITHMS],
        clocks::logical::ALGORITHMS,
        clocks::sync::ALGORITHMS,
        clocks::physical::ALGORITHMS,
    ];
    chapters
        .iter()
        .flat_map(|c| c.iter())
        .flat_map(|m| m.iter())
        .collect()
}

pub fn algorithm(id: &str) -> Option<&'static Algorithm> {
    algorithms().into_iter().find(|a| a.id == id)
}

pub fn abstraction(id: &str) -> Option<&'static Abstraction> {
    abstractions().into_iter().find(|a| a.id == id)
}
