//! A sweep split into shards (`ioa sweep --shard I/N`) and put back together (`ioa merge`)
//! gives the unsharded sweep's report exactly, through the JSON files a cluster's jobs would
//! write; shards of another sweep, a shard twice or a missing one are refused.

use scenarios::sweep::{merge, sweep, sweep_shard, Shard, ShardJson};
use std::path::PathBuf;

const FILE: &str = "broadcast/gossip-below-threshold.toml";

fn src() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(FILE);
    std::fs::read_to_string(path).expect("bundled scenario")
}

/// The slices of a sweep of 7 seeds over two values of `processes` and two of c (the fanout is ln n + c),
/// each through its JSON text, as `ioa merge` reads them.
fn shards(count: u64, seeds: u64) -> Vec<ShardJson> {
    let src = src();
    let axes = [
        ("processes", vec!["20".to_string(), "30".to_string()]),
        ("params.c", vec!["-1.0".to_string(), "1.0".to_string()]),
    ];
    (1..=count)
        .map(|index| {
            let shard = Shard { index, count };
            let s = sweep_shard(FILE, &src, seeds, &axes, 2, false, shard).expect("shard");
            let text = serde_json::to_string(&s).unwrap();
            serde_json::from_str(&text).expect("a shard reads back")
        })
        .collect()
}

#[test]
fn merged_shards_equal_the_unsharded_sweep_exactly() {
    let axes = [
        ("processes", vec!["20".to_string(), "30".to_string()]),
        ("params.c", vec!["-1.0".to_string(), "1.0".to_string()]),
    ];
    let whole = sweep(FILE, &src(), 7, &axes, 2, false).expect("sweep");
    let whole = serde_json::to_string_pretty(&whole).unwrap();
    assert!(whole.contains("\"runs\": 28"), "{whole}");
    for count in [1, 3, 5] {
        let mut parts = shards(count, 7);
        parts.reverse();
        let sizes: Vec<usize> = parts
            .iter()
            .map(|s| s.rows.iter().map(|r| r.samples.len()).sum())
            .collect();
        assert_eq!(sizes.iter().sum::<usize>(), 28, "{count} shards: {sizes:?}");
        assert!(sizes.iter().all(|&n| n > 0), "{count} shards: {sizes:?}");
        let merged = merge(parts).expect("merge");
        assert_eq!(
            serde_json::to_string_pretty(&merged).unwrap(),
            whole,
            "{count} shards"
        );
    }
}

#[test]
fn merge_refuses_a_missing_a_repeated_or_a_foreign_shard() {
    let mut parts = shards(3, 4);
    let third = parts.pop().unwrap();
    let e = merge(shards(3, 4).into_iter().take(2).collect()).unwrap_err();
    assert!(e.contains("missing shards: 3/3"), "{e}");
    parts.push(shards(3, 4).remove(0));
    let e = merge(parts).unwrap_err();
    assert!(e.contains("shard 1/3 is given twice"), "{e}");
    let mut other = shards(3, 5);
    other[2] = third;
    let e = merge(other).unwrap_err();
    assert!(e.contains("not a slice of the same sweep"), "{e}");
    assert!("0/3".parse::<Shard>().is_err() && "4/3".parse::<Shard>().is_err());
    assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
}
