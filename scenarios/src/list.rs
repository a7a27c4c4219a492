//! `ioa list`: the catalogue (algorithms, their abstraction, model, properties and
//! parameters; the metrics sweeps measure) and the bundled scenarios.

use crate::{registry, spec};
use std::path::PathBuf;

/// The folder of the bundled scenarios.
pub fn bundled_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every bundled scenario file, sorted.
pub fn bundled() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(dirs) = std::fs::read_dir(bundled_dir()) else {
        return files;
    };
    for dir in dirs.flatten() {
        let path = dir.path();
        if !path.is_dir() || ["src", "tests", "target"].iter().any(|s| path.ends_with(s)) {
            continue;
        }
        for f in std::fs::read_dir(&path).into_iter().flatten().flatten() {
            if f.path().extension().is_some_and(|e| e == "toml") {
                files.push(f.path());
            }
        }
    }
    files.sort();
    files
}

pub fn list() -> String {
    let mut out =
        String::from("Algorithms (run one with a scenario whose `algorithm` is its id):\n\n");
    for a in registry::algorithms() {
        let abs = registry::abstraction(a.abstraction)
            .expect("every algorithm's abstraction is registered");
        out.push_str(&format!(
            "  {}{}\n",
            a.id,
            if a.mutant {
                "  [mutant: deliberately broken]"
            } else {
                ""
            }
        ));
        out.push_str(&format!("      {}\n", a.summary));
        out.push_str(&format!(
            "      abstraction: {} ({}), requests: {}\n",
            abs.id, abs.name, abs.requests
        ));
        out.push_str(&format!("      model: {}\n", a.model));
        let props: Vec<String> = abs
            .properties
            .iter()
            .map(|p| format!("{} ({})", p.id, p.kind))
            .collect();
        out.push_str(&format!("      properties: {}\n", props.join(", ")));
        for p in a.params {
            out.push_str(&format!(
                "      param {} = {}: {}\n",
                p.name, p.default, p.doc
            ));
        }
    }
    out.push_str(
        "\nMetrics (ioa sweep averages each over its runs, with `_se` its standard error and\n`_worst` its largest value):\n\n",
    );
    for (name, doc) in registry::METRICS {
        out.push_str(&format!("  {name:<20} {doc}\n"));
    }
    out.push_str("\nBundled scenarios:\n\n");
    let root = bundled_dir();
    for f in bundled() {
        let shown = f.strip_prefix(root.parent().unwrap_or(&root)).unwrap_or(&f);
        let summary = std::fs::read_to_string(&f)
            .ok()
            .and_then(|src| spec::parse(&f.display().to_string(), &src).ok())
            .map(|l| {
                let expect = l
                    .scenario
                    .check
                    .expect
                    .as_ref()
                    .map_or("hold".to_string(), spec::Expect::describe);
                format!(
                    "{} [{}, expect {expect}]",
                    l.scenario.name, l.scenario.algorithm
                )
            })
            .unwrap_or_else(|| "(does not parse: `ioa run` it to see why)".into());
        out.push_str(&format!("  {}\n      {summary}\n", shown.display()));
    }
    out
}
