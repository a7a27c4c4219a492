use automata::check::{Explore, Search};
use automata::model::{Links, SystemModel};
use automata::{Monitors, Setup, Value};
use links::monitors::*;
use links::{PerfectLinks, Send, StubbornLinks};

#[test]
fn explore_links() {
    let model = SystemModel { links: Links { duplication: 0.5, ..Links::default() }, ..SystemModel::default() };
    let setup = Setup::new(2, model.clone(), |_| PerfectLinks::<Value>::new(20))
        .request(5, 0, Send { to: 1, msg: Value::str("a") });
    let mons = || Monitors::new(vec![Box::new(NoDuplication::new("pl")), Box::new(NoCreation::new("pl"))]);
    let r = Explore::new(setup, mons()).run(Search::Bfs, 8, 1);
    println!("{r:?} {}", r.unique_states);
    assert!(r.counterexample.is_none());
    let setup = Setup::new(2, model, |_| StubbornLinks::<Value>::new(20))
        .request(5, 0, Send { to: 1, msg: Value::str("a") });
    let mons = Monitors::new(vec![Box::new(NoDuplication::new("sl"))]);
    let r = Explore::new(setup, mons).run(Search::Bfs, 8, 1);
    println!("{r:?}");
    let c = r.counterexample.unwrap();
    println!("{}", automata::trace::to_jsonl(&c.trace));
}
