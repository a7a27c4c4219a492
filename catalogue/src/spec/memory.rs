//! What a run will need in memory, estimated before it starts: a scenario whose processes
//! cannot fit is refused up front with the estimate, instead of running out of memory.
//!
//! The estimate is a conservative formula measured on push gossip (book, "Performance"):
//! a fixed part, a part per process (its module tree, timers and the queue's share, the
//! monitors' per-process state), a part per process and request (what a process keeps of
//! each message it hears, and the monitors' record of who delivered it), and n² for FIFO
//! links, which remember the last arrival per ordered pair. Packets in flight beyond that are
//! bounded by the simulator's own limit ([`automata::sim::MAX_PENDING`]), which cuts a run
//! short instead of exhausting memory.

/// The fixed part: the program, the scenario, the monitors' empty state.
pub const FIXED_BYTES: u64 = 64 << 20;
/// Bytes per process, whatever the workload. Push gossip's one broadcast at n = 1,000,000
/// peaked at 2.05 GiB, about 2,150 bytes a process in all; this and the next constant add up
/// to 2,560, a fifth more.
pub const PER_PROCESS_BYTES: u64 = 1536;
/// Bytes per process and request (what a process keeps of a message it heard, and the
/// monitors' record of who delivered it).
pub const PER_PROCESS_REQUEST_BYTES: u64 = 1024;
/// Used when the machine's available memory cannot be read.
pub const DEFAULT_BUDGET: u64 = 8 << 30;

/// The estimated peak memory of a run of `n` processes serving `requests` requests, with
/// FIFO links or not.
pub fn estimate(n: usize, requests: usize, fifo: bool) -> u64 {
    let n = n as u64;
    let per_process = PER_PROCESS_BYTES
        .saturating_add(PER_PROCESS_REQUEST_BYTES.saturating_mul(requests.max(1) as u64));
    let pairs = if fifo {
        n.saturating_mul(n).saturating_mul(8)
    } else {
        0
    };
    FIXED_BYTES
        .saturating_add(n.saturating_mul(per_process))
        .saturating_add(pairs)
}

/// The memory a run may use: `MemAvailable` of /proc/meminfo, or [`DEFAULT_BUDGET`] where it
/// cannot be read.
pub fn budget() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| mem_available(&info))
        .unwrap_or(DEFAULT_BUDGET)
}

/// `MemAvailable` in bytes, from the text of /proc/meminfo.
fn mem_available(info: &str) -> Option<u64> {
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// Bytes as a person reads them: "1.5 GiB".
pub fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut x = bytes as f64;
    let mut unit = 0;
    while x >= 1024.0 && unit < UNITS.len() - 1 {
        x /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{x:.1} {}", UNITS[unit])
    }
}

/// `Err(rule)` when a run of `n` processes serving `requests` requests would not fit in
/// `budget` bytes.
pub fn check(n: usize, requests: usize, fifo: bool, budget: u64) -> Result<(), String> {
    let need = estimate(n, requests, fifo);
    if need <= budget {
        return Ok(());
    }
    let fifo_part = if fifo {
        " (FIFO links keep 8 bytes per ordered pair of processes)"
    } else {
        ""
    };
    Err(format!(
        "{n} processes would need about {} of memory{fifo_part}, more than the {} available; \
         use fewer processes (estimate: {} + n × ({} + {} per request))",
        human(need),
        human(budget),
        human(FIXED_BYTES),
        human(PER_PROCESS_BYTES),
        human(PER_PROCESS_REQUEST_BYTES),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_mem_available() {
        let info = "MemTotal:       24000000 kB\nMemAvailable:   16000000 kB\n";
        assert_eq!(mem_available(info), Some(16_000_000 * 1024));
        assert_eq!(mem_available("MemTotal: 1 kB\n"), None);
    }

    #[test]
    fn a_million_gossiping_processes_fit_in_8_gib() {
        assert!(check(1_000_000, 1, false, DEFAULT_BUDGET).is_ok());
        assert!(estimate(1_000_000, 1, false) < 3 << 30);
    }

    #[test]
    fn too_many_processes_are_refused_with_the_estimate() {
        let rule = check(100_000_000, 1, false, DEFAULT_BUDGET).unwrap_err();
        assert!(
            rule.contains("100000000 processes would need about 238.5 GiB"),
            "{rule}"
        );
        assert!(rule.contains("more than the 8.0 GiB available"), "{rule}");
        // FIFO links cost n²: 100,000 processes are 80 GB of pairs.
        let rule = check(100_000, 1, true, DEFAULT_BUDGET).unwrap_err();
        assert!(rule.contains("FIFO links"), "{rule}");
        assert!(check(100_000, 1, false, DEFAULT_BUDGET).is_ok());
    }
}
