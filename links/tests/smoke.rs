use automata::model::{Links, SystemModel};
use automata::sim::Sim;
use automata::{Monitors, Setup, Value};
use links::monitors::*;
use links::{PerfectLinks, Send};

#[test]
fn perfect_links_over_lossy_network() {
    let model = SystemModel {
        links: Links {
            loss: 0.3,
            duplication: 0.2,
            ..Links::default()
        },
        ..SystemModel::default()
    };
    let setup = Setup::new(2, model, |_| PerfectLinks::<Value>::new(20))
        .request(
            5,
            0,
            Send {
                to: 1,
                msg: Value::str("a"),
            },
        )
        .request(
            6,
            0,
            Send {
                to: 1,
                msg: Value::str("b"),
            },
        );
    let monitors = Monitors::new(vec![
        Box::new(NoDuplication::new("pl")),
        Box::new(NoCreation::new("pl")),
        Box::new(ReliableDelivery::new("pl")),
    ]);
    let out = Sim::new(setup, monitors)
        .seed(3)
        .record(true)
        .max_time(500)
        .settle(200)
        .run();
    let trace = out.trace.clone().unwrap();
    println!(
        "{}",
        automata::trace::to_jsonl(&trace[..trace.len().min(30)])
    );
    println!("{:?}\n{:?}", out.properties, out.stats);
    assert!(out.all_hold());
}
