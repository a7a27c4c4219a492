//! The number of processes is limited by memory, not by a fixed cap: a scenario whose run
//! would not fit is refused when it is read, with the estimate in the message; a large one
//! that fits is accepted (read and validated only: no run of that size here).

use catalogue::spec::{memory, parse};

fn scenario(processes: usize, fifo: bool) -> String {
    format!(
        "name = \"big\"\nalgorithm = \"push-gossip\"\nprocesses = {processes}\n\
         [model]\ntiming = \"synchronous\"\ndelay = {{ min = 1, max = 1 }}\nlinks = {{ fifo = {fifo} }}\n\
         [[workload]]\nprocess = 0\nat = 1\nrequest = {{ broadcast = \"rumor\" }}\n"
    )
}

#[test]
fn two_hundred_thousand_processes_are_accepted() {
    // Beyond the old fixed limit of 100,000; the estimate is far below any machine's memory.
    assert!(memory::estimate(200_000, 1, false) < 1 << 30);
    let loaded = parse("big.toml", &scenario(200_000, false)).expect("200,000 processes fit");
    assert_eq!(loaded.scenario.processes, 200_000);
}

#[test]
fn an_unaffordable_size_is_refused_with_the_estimate() {
    let err = parse("huge.toml", &scenario(1_000_000_000_000, false))
        .expect_err("a trillion processes cannot fit")
        .to_string();
    assert!(
        err.contains("1000000000000 processes would need about"),
        "{err}"
    );
    assert!(err.contains("TiB of memory, more than the"), "{err}");
    assert!(err.contains("available"), "{err}");
    assert!(err.contains("processes"), "{err}");
}

#[test]
fn fifo_links_cost_a_square() {
    // 8 bytes per ordered pair: 10,000,000 processes would need 800 TB for FIFO order alone.
    let err = parse("fifo.toml", &scenario(10_000_000, true))
        .expect_err("FIFO links over ten million processes cannot fit")
        .to_string();
    assert!(
        err.contains("FIFO links keep 8 bytes per ordered pair"),
        "{err}"
    );
}
