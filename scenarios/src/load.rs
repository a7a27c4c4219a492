//! From a scenario to a runnable job: read the file, parse and validate it, find its algorithm
//! and abstraction, resolve the parameters and build the stack. Every command that runs a
//! scenario, the sweep and the tour start here.

use crate::error::InputError;
use crate::registry::{self, Params, Runnable};
use crate::spec::{self, Loaded};
use std::path::Path;

/// Reads and validates a scenario file and builds its job.
pub fn load(path: &Path) -> Result<(Loaded, Box<dyn Runnable>), InputError> {
    let file = path.display().to_string();
    let src = std::fs::read_to_string(path)
        .map_err(|e| InputError::new(&file, format!("cannot read the scenario: {e}")))?;
    load_str(&file, &src)
}

/// Validates scenario text and builds its job.
pub fn load_str(file: &str, src: &str) -> Result<(Loaded, Box<dyn Runnable>), InputError> {
    let l = spec::parse(file, src)?;
    let alg = registry::algorithm(&l.scenario.algorithm).ok_or_else(|| {
        l.error(
            "algorithm",
            format!(
                "there is no algorithm `{}` (`ioa list` shows them all)",
                l.scenario.algorithm
            ),
        )
    })?;
    let abs_id = l
        .scenario
        .check
        .abstraction
        .as_deref()
        .unwrap_or(alg.abstraction);
    let abstraction = registry::abstraction(abs_id).ok_or_else(|| {
        let ids: Vec<_> = registry::abstractions().iter().map(|a| a.id).collect();
        l.error(
            "check.abstraction",
            format!(
                "there is no abstraction `{abs_id}` (known: {})",
                ids.join(", ")
            ),
        )
    })?;
    let params = Params::resolve(&l, alg, abstraction)?;
    let job = (alg.build)(&l, &params)?;
    Ok((l, job))
}
