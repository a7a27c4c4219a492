//! Many seeds on all cores: results in seed order whatever the number of threads.

/// Runs `job` for every seed on `threads` threads (crossbeam); results come back in seed order,
/// so the output does not depend on the number of threads.
pub fn par_seeds<T: Send>(seeds: &[u64], threads: usize, job: impl Fn(u64) -> T + Sync) -> Vec<T> {
    let threads = threads.max(1).min(seeds.len().max(1));
    if threads == 1 {
        return seeds.iter().map(|&s| job(s)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<T>> = seeds.iter().map(|_| None).collect();
    let chunks: Vec<Vec<(usize, T)>> = crossbeam::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|_| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= seeds.len() {
                            break mine;
                        }
                        mine.push((i, job(seeds[i])));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a seed's run panicked"))
            .collect()
    })
    .expect("a seed's run panicked");
    for (i, r) in chunks.into_iter().flatten() {
        results[i] = Some(r);
    }
    results
        .into_iter()
        .map(|r| r.expect("every seed ran"))
        .collect()
}

/// The number of cores to use by default.
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}
