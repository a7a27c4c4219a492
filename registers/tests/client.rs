//! The client queue every register shares: requests made while an operation runs wait for it,
//! and start as soon as it returns, in the same step when it returns at once (Read-One
//! Write-All's local read), not at the next input the process happens to get.

use automata::model::{Delay, DetectorSource};
use automata::sim::Sim;
use automata::{Monitors, Setup, SystemModel, Value};
use links::detectors::AnyPerfect;
use registers::monitors::Termination;
use registers::*;

#[test]
fn queued_local_reads_all_return_when_they_are_asked() {
    let model = SystemModel {
        delay: Delay {
            min: 5,
            max: 5,
            tail: 0.0,
        },
        detector: DetectorSource::Perfect,
        ..SystemModel::default()
    };
    let p = AnyPerfect::from_source(DetectorSource::Perfect, 10).expect("the P oracle");
    let setup = Setup::new(3, model, move |_| {
        ReadOneWriteAll::<Value, AnyPerfect>::new(10, p.clone())
    })
    .request(10, 0, RegisterOp::Write(Value::str("v1")))
    .request(11, 0, RegisterOp::Read)
    .request(11, 0, RegisterOp::Read)
    .request(30, 1, RegisterOp::Read)
    .request(30, 1, RegisterOp::Read)
    .request(30, 1, RegisterOp::Read);
    let out = Sim::new(
        setup,
        Monitors::new(vec![Box::new(Termination::new("onrr"))]),
    )
    .max_time(300)
    .settle(200)
    .run();
    assert!(out.all_hold(), "{:#?}", out.properties);
    // The reads queued behind the write start when it returns (at 20) and return at once;
    // those at process 1 start one after the other at 30.
    assert_eq!(out.metrics["read_latency"], 0.0);
    assert_eq!(out.metrics["write_latency"], 10.0);
}
