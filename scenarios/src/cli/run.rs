//! `ioa run` and `ioa replay`: one simulated run, its report, and what it is asked to write
//! (trace, diagram, clock plot).

use super::draw::draw_run;
use crate::error::InputError;
use crate::load::load;
use crate::report::{trace_line, RunJson};
use std::path::Path;

fn write_trace(path: &Path, trace: &[automata::TraceEvent]) -> Result<(), InputError> {
    let text = automata::trace::to_jsonl(trace);
    if path == Path::new("-") {
        print!("{text}");
        Ok(())
    } else {
        std::fs::write(path, text).map_err(|e| {
            InputError::new(
                &path.display().to_string(),
                format!("cannot write the trace: {e}"),
            )
        })
    }
}

pub(super) fn run(
    path: &Path,
    seed: Option<u64>,
    json: bool,
    trace: Option<&Path>,
    show_trace: bool,
    diagram: &crate::diagram::Options,
    skew_plot: Option<&Path>,
) -> Result<bool, InputError> {
    let (l, job) = load(path)?;
    let s = &l.scenario;
    let seed = seed.unwrap_or(s.seed);
    let record = trace.is_some() || show_trace || diagram.diagram.is_some() || skew_plot.is_some();
    let outcome = job.simulate(seed, record);
    if let Some(why) = &outcome.cut_short {
        return Err(InputError::new(&path.display().to_string(), why));
    }
    if let (Some(path), Some(t)) = (trace, &outcome.trace) {
        write_trace(path, t)?;
    }
    if let Some(out) = &diagram.diagram {
        draw_run(&l, job.as_ref(), seed, &outcome, diagram, out)?;
        eprintln!("wrote {}", out.display());
    }
    if let Some(out) = skew_plot {
        let series =
            crate::clockplot::ClockSeries::of(outcome.trace.as_deref().unwrap_or(&[]), job.layer());
        let title = format!("{} ({}, seed {seed})", s.name, s.algorithm);
        let bound = job.predicted().get("skew_max").copied();
        crate::clockplot::plot(&title, &series, bound, out)?;
        eprintln!("wrote {}", out.display());
    }
    let report = RunJson::new(
        &s.name,
        &s.algorithm,
        seed,
        s.check.expect.clone(),
        &outcome,
    );
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("reports serialize")
        );
    } else {
        if show_trace && trace.is_none() {
            for e in outcome.trace.iter().flatten() {
                println!("{}", trace_line(e));
            }
        }
        print!("{}", report.text());
    }
    Ok(report.matches_expectation)
}
