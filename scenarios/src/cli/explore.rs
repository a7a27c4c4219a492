//! `ioa explore`: the scenario's model in stateright's Explorer, a web UI on localhost, each
//! path drawn as a space-time diagram.

use crate::error::InputError;
use crate::load::load;
use std::path::Path;

pub(super) fn explore(
    path: &Path,
    port: u16,
    max_depth: Option<usize>,
    layer: Option<String>,
) -> Result<bool, InputError> {
    let (l, job) = load(path)?;
    let file = path.display().to_string();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    // stateright's server panics on a busy port: find out first, and say so.
    drop(std::net::TcpListener::bind(addr).map_err(|e| {
        InputError::new(
            &file,
            format!("--port {port}: cannot listen on {addr}: {e}"),
        )
    })?);
    let depth = max_depth.unwrap_or(l.scenario.explore.max_depth);
    let (n, root) = (l.scenario.processes, job.layer());
    let title = l.scenario.name.clone();
    let opts = crate::diagram::Options {
        layer,
        ..Default::default()
    };
    let diagram: automata::check::Diagram = std::sync::Arc::new(move |trace| {
        let picture = crate::diagram::Picture {
            title: format!("{title}: the path so far"),
            trace,
            n,
            root,
            violation: None,
            also: Vec::new(),
            verdict: format!("{} events", trace.len()),
            cycle_from: None,
        };
        crate::diagram::svg(&picture, &opts).ok()
    });
    println!("Explorer for {} on http://{addr}/", l.scenario.name);
    println!("  initial state: http://{addr}/#/steps/0   (Ctrl-C stops it)");
    use std::io::Write;
    std::io::stdout().flush().ok();
    job.serve(addr, depth, Some(diagram))
}
