//! Space-time (Lamport) diagrams of a run or a counterexample: `--diagram OUT.svg` (or
//! `.png`) on `ioa run`, `ioa replay` and `ioa check`.
//!
//! One horizontal lane a process (`p0` on top), time left to right. An arrow runs from each
//! send to its delivery (paired by packet id; a duplicated packet has one arrow a copy); a
//! dropped packet is a stub ending in a cross. A crash is a cross on the lane, which is dashed
//! while the process is down; a recovery is a green dot. The requests (▲, above the lane) and
//! indications (▼, below) of one layer (`--layer`, default the algorithm's own abstraction) are
//! labelled (a payload that wraps the workload's message, such as FIFO's `[0, m2]`, is
//! labelled by that message, `m2`); messages sent in a step with no event at that layer (retransmissions, heartbeats,
//! acknowledgements) are drawn lighter. The first violation is where the eye goes first: named
//! in red under the title, a red line through every lane at its time, a red ring on its witness
//! event, and the property's name above the lanes. `--from T --until T` windows a long run; by
//! default a run longer than [`layout::SPAN`] ticks is shown in a window of that many, ending a
//! little after its first violation, and the subtitle says so. Drawn 750 px wide (the book's
//! column) with no text under 11 px.

mod draw;
mod label;
mod layout;
mod metrics;
mod text;

pub use label::label;
pub use layout::{layers, layout, End, Layout, Marked, Message, Tick};

use crate::error::InputError;
use automata::{Time, TraceEvent};
use plotters::prelude::IntoDrawingArea;
use std::path::{Path, PathBuf};

/// `--diagram` and how to draw it (flattened into `run`, `replay` and `check`).
#[derive(clap::Args, Clone, Debug, Default)]
pub struct Options {
    /// Draw a space-time diagram of the run (SVG; PNG when the name ends in .png).
    #[arg(long, value_name = "OUT.svg")]
    pub diagram: Option<PathBuf>,
    /// The layer whose requests and indications the diagram labels: a module of the stack
    /// (e.g. rb, beb, pl, sl; default: the algorithm's own abstraction).
    #[arg(long, value_name = "MODULE", requires = "diagram")]
    pub layer: Option<String>,
    /// Start the diagram at this time (ticks).
    #[arg(long, value_name = "T", requires = "diagram")]
    pub from: Option<Time>,
    /// End the diagram at this time (default: shortly after the layer's last request or
    /// indication; a counterexample's violation and a lasso's cycle are always shown).
    #[arg(long, value_name = "T", requires = "diagram")]
    pub until: Option<Time>,
}

/// The first violation to highlight.
#[derive(Clone, Debug)]
pub struct Violation {
    pub property: String,
    /// Index of the witness trace event.
    pub event: u64,
    pub explanation: String,
}

/// What to draw.
pub struct Picture<'a> {
    pub title: String,
    pub trace: &'a [TraceEvent],
    pub n: usize,
    /// The stack's root module (the default layer).
    pub root: &'static str,
    pub violation: Option<Violation>,
    /// Other violated properties, named next to the first.
    pub also: Vec<String>,
    /// The subtitle when nothing is violated (e.g. "every property holds").
    pub verdict: String,
    /// For a lasso: the event from which the cycle repeats forever.
    pub cycle_from: Option<u64>,
}

impl<'a> Picture<'a> {
    /// A simulated run of `l` with `seed` (recorded), its first violation highlighted; `root` is
    /// the stack's own layer.
    pub fn of_run(
        l: &crate::spec::Loaded,
        root: &'static str,
        seed: u64,
        outcome: &'a automata::sim::Outcome,
    ) -> Self {
        let s = &l.scenario;
        let mut violated: Vec<(&str, &automata::Violation)> = outcome
            .properties
            .iter()
            .filter_map(|p| match &p.verdict {
                automata::Verdict::Violation(v) => Some((p.name.as_str(), v)),
                _ => None,
            })
            .collect();
        violated.sort_by_key(|(_, v)| v.event);
        Picture {
            title: format!("{} ({}, seed {seed})", s.name, s.algorithm),
            trace: outcome.trace.as_deref().unwrap_or(&[]),
            n: s.processes,
            root,
            violation: violated.first().map(|(name, v)| Violation {
                property: name.to_string(),
                event: v.event,
                explanation: v.explanation.clone(),
            }),
            also: violated
                .iter()
                .skip(1)
                .map(|(name, _)| name.to_string())
                .collect(),
            verdict: match crate::report::RunVerdict::of(&outcome.properties) {
                crate::report::RunVerdict::Hold => "every property holds".to_string(),
                _ => "inconclusive: a liveness property could not be judged (the run ended too early)"
                    .to_string(),
            },
            cycle_from: None,
        }
    }
}

fn subtitle(l: &Layout, p: &Picture) -> String {
    let mut s = violated(l, p);
    if l.cycle_x.is_some() {
        s.push_str("; from the dashed line on, the cycle repeats forever");
    }
    if let (Some(last), true) = (l.cut_from, l.capped) {
        s.push_str(&format!(
            " [a long run: shown is a window of t={}..{} (at most {} ticks){}; the run goes on to t={last}: --from and --until to see another]",
            l.from,
            l.until,
            layout::SPAN,
            if l.mark.is_some() { ", up to a little after the first violation" } else { "" }
        ));
    } else if let Some(last) = l.cut_from {
        s.push_str(&format!(
            " [shown to t={}, after the {} layer's last event; the run goes on to t={last}: --until to see it]",
            l.until, l.layer
        ));
    }
    s
}

fn violated(l: &Layout, p: &Picture) -> String {
    let Some(m) = &l.mark else {
        return p.verdict.clone();
    };
    let mut s = format!(
        "✗ {} violated at t={} by p{} (event #{}): {}",
        m.property, m.time, m.process, m.event, m.explanation
    );
    if m.time < l.from || m.time > l.until {
        s.push_str(&format!(" [outside the window {}..{}]", l.from, l.until));
    }
    if !p.also.is_empty() {
        s.push_str(&format!("; also violated: {}", p.also.join(", ")));
    }
    s
}

/// Lays out `p` with `opts`; errors name `file`.
fn prepare(p: &Picture, opts: &Options, file: &str) -> Result<(Layout, String), InputError> {
    let layer = opts.layer.as_deref().unwrap_or(p.root);
    let known = layers(p.trace);
    if layer != p.root && !known.iter().any(|m| m == layer) {
        return Err(InputError::new(
            file,
            format!(
                "--layer {layer}: the run has no request or indication at `{layer}` (its layers: {})",
                known.join(", ")
            ),
        ));
    }
    if let (Some(a), Some(b)) = (opts.from, opts.until) {
        if a >= b {
            return Err(InputError::new(
                file,
                format!("--from {a} --until {b}: the window must not be empty"),
            ));
        }
    }
    let violation = p
        .violation
        .as_ref()
        .map(|v| (v.event, v.property.clone(), v.explanation.clone()));
    let l = layout(
        p.trace,
        p.n,
        p.root,
        layer,
        opts.from,
        opts.until,
        violation,
        p.cycle_from,
    );
    let sub = subtitle(&l, p);
    Ok((l, sub))
}

/// The diagram of `p` as SVG text (for the Explorer, which shows it next to each state).
pub fn svg(p: &Picture, opts: &Options) -> Result<String, InputError> {
    let (l, sub) = prepare(p, opts, "(diagram)")?;
    let mut buf = String::new();
    {
        let root =
            plotters::prelude::SVGBackend::with_string(&mut buf, draw::size(&l, &p.title, &sub))
                .into_drawing_area();
        draw::draw(&root, &l, &p.title, &sub)
            .map_err(|e| InputError::new("(diagram)", format!("cannot draw: {e}")))?;
    }
    Ok(buf)
}

/// Lays out `p` with `opts` and draws it into `out` (SVG, or PNG by the extension).
pub fn render(p: &Picture, opts: &Options, out: &Path) -> Result<Layout, InputError> {
    let file = out.display().to_string();
    let fail = |e: &dyn std::fmt::Display| InputError::new(&file, format!("cannot draw: {e}"));
    let (l, sub) = prepare(p, opts, &file)?;
    let size = draw::size(&l, &p.title, &sub);
    match out.extension().and_then(|e| e.to_str()) {
        Some("svg") => {
            let root = plotters::prelude::SVGBackend::new(out, size).into_drawing_area();
            draw::draw(&root, &l, &p.title, &sub).map_err(|e| fail(&e))?;
        }
        // A browser build has no file system to write a bitmap to (nor fonts to draw it with).
        #[cfg(not(target_family = "wasm"))]
        Some("png") => {
            let root = plotters::prelude::BitMapBackend::new(out, size).into_drawing_area();
            draw::draw(&root, &l, &p.title, &sub).map_err(|e| fail(&e))?;
        }
        _ => {
            return Err(InputError::new(
                &file,
                "--diagram: name the file OUT.svg or OUT.png (the extension picks the format)",
            ))
        }
    }
    Ok(l)
}
