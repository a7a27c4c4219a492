//! The model checker against stateright's own, on two-phase commit as TLA+ writes it.
//!
//! Both explore the same state graph (288, 8,832, 296,448 states for 3, 5, 7 resource
//! managers): stateright's checker the plain `stateright::Model` of
//! `applications::two_phase_stateright`; ours the `two-phase-tla` algorithm, a world of
//! modules, timers, a network and a monitor. `cargo bench -p applications --bench two_phase`
//! first prints, for 5 and 7 resource managers, the best of 3 full breadth-first searches of
//! each on one thread and their ratio, then runs the criterion measurements for 5. `ioa bench`
//! gives the same comparison with states per second and bytes per state.

use applications::two_phase_stateright::{ioa_check, stateright_check};
use criterion::{criterion_group, BenchmarkId, Criterion};
use std::time::{Duration, Instant};

fn best_of_3(f: impl Fn() -> usize) -> (usize, Duration) {
    let mut best = Duration::MAX;
    let mut states = 0;
    for _ in 0..3 {
        let t = Instant::now();
        states = f();
        best = best.min(t.elapsed());
    }
    (states, best)
}

fn two_phase(c: &mut Criterion) {
    let mut group = c.benchmark_group("two_phase");
    group.sample_size(10);
    let rms = 5;
    group.bench_with_input(BenchmarkId::new("stateright", rms), &rms, |b, &r| {
        b.iter(|| stateright_check(r))
    });
    group.bench_with_input(BenchmarkId::new("ioa", rms), &rms, |b, &r| {
        b.iter(|| ioa_check(r))
    });
    group.finish();
}

criterion_group!(benches, two_phase);

fn main() {
    println!("TwoPhase, breadth-first, 1 thread, best of 3");
    println!("RMs  states   stateright   ioa        ioa / stateright");
    for rms in [5, 7] {
        let (s, sr) = best_of_3(|| stateright_check(rms));
        let (o, ours) = best_of_3(|| ioa_check(rms));
        assert_eq!(s, o, "the two searches must see the same graph");
        println!(
            "{rms:<4} {s:<8} {:>8.3} s {:>8.3} s {:>8.2}",
            sr.as_secs_f64(),
            ours.as_secs_f64(),
            ours.as_secs_f64() / sr.as_secs_f64()
        );
    }
    println!();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
