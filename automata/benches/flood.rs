//! The flooding speed baseline: the simulator against a bare event loop (see `automata::bench`).
//!
//! `cargo bench -p automata --bench flood` first prints a `flood_report` table for n = 10 and
//! n = 100, then runs the criterion measurements of both loops.

use automata::bench::{bare_flood, flood_report, sim_flood};
use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};

const DELIVERIES: u64 = 100_000;

fn flood(c: &mut Criterion) {
    let mut group = c.benchmark_group("flood");
    group.throughput(Throughput::Elements(DELIVERIES));
    for n in [10, 100] {
        group.bench_with_input(BenchmarkId::new("simulator", n), &n, |b, &n| {
            b.iter(|| sim_flood(n, DELIVERIES, 1))
        });
        group.bench_with_input(BenchmarkId::new("bare", n), &n, |b, &n| {
            b.iter(|| bare_flood(n, DELIVERIES, 1))
        });
    }
    group.finish();
}

criterion_group!(benches, flood);

fn main() {
    for n in [10, 100] {
        println!("{}\n", flood_report(n, 1_000_000, 1));
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
