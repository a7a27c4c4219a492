//! `ioa run FILE --skew-plot OUT.svg`: the adjusted clocks of a clock-synchronization run over
//! real time. Above, each process's offset from real time C_p(t) − t at every reading it
//! traced; below, the skew max − min over p of C_p(t) (reconstructed the way the CS1 monitor
//! does, [`clocks::physical::readings::Readings`]), with the bound theory predicts dashed and
//! the moment every clock counts as synchronized (from then on CS1 is judged) marked. Drawn
//! 750 px wide for the book's column, no text under 11 px.

use crate::error::InputError;
use crate::plot::{bounds, legend, SMALL};
use automata::{Pid, Time, TraceEvent};
use clocks::physical::readings::Readings;
use plotters::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// What a run's trace says about its clocks.
#[derive(Debug, Default, PartialEq)]
pub struct ClockSeries {
    /// Per process: (t, C_p(t) − t) at each of its readings.
    pub offsets: BTreeMap<Pid, Vec<(f64, f64)>>,
    /// (t, skew) at every reading, once two processes have traced one.
    pub skew: Vec<(f64, f64)>,
    /// The first time every live process was synchronized.
    pub synced_at: Option<Time>,
}

impl ClockSeries {
    /// The readings of module `module` in `trace`.
    pub fn of(trace: &[TraceEvent], module: &str) -> Self {
        let (mut readings, layer) = (Readings::default(), automata::Layer::new(module));
        let mut series = ClockSeries::default();
        for e in trace {
            let Some(r) = readings.observe(e, &layer) else {
                continue;
            };
            let t = e.time as f64;
            series
                .offsets
                .entry(e.process)
                .or_default()
                .push((t, r.value() - t));
            if let Some(skew) = readings.skew(e.time) {
                series.skew.push((t, skew));
            }
            if series.synced_at.is_none() && readings.all_synced() {
                series.synced_at = Some(e.time);
            }
        }
        series
    }
}

/// Draws `series` into the SVG file `out`; `bound` is the predicted worst skew, if any.
pub fn plot(
    title: &str,
    series: &ClockSeries,
    bound: Option<f64>,
    out: &Path,
) -> Result<(), InputError> {
    let file = out.display().to_string();
    let fail = |e: &dyn std::fmt::Display| InputError::new(&file, format!("cannot plot: {e}"));
    if series.skew.is_empty() {
        return Err(fail(
            &"the run traced no clock readings of two processes: --skew-plot draws the clocks of a clock-synchronization algorithm (ioa list: abstraction cs)",
        ));
    }
    let all = series.offsets.values().flatten();
    let (t0, t1) = bounds(all.clone().map(|p| p.0));
    let (o0, o1) = bounds(all.map(|p| p.1));
    let (_, s1) = bounds(series.skew.iter().map(|p| p.1).chain(bound).chain([0.0]));
    let root = SVGBackend::new(out, (750, 600)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| fail(&e))?;
    let root = root
        .titled(title, ("sans-serif", 18))
        .map_err(|e| fail(&e))?;
    let (upper, lower) = root.split_vertically(300);

    let mut chart = ChartBuilder::on(&upper)
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(60)
        .build_cartesian_2d(t0..t1, o0..o1)
        .map_err(|e| fail(&e))?;
    chart
        .configure_mesh()
        .label_style(("sans-serif", SMALL))
        .axis_desc_style(("sans-serif", SMALL))
        .y_desc("C_p(t) − t")
        .draw()
        .map_err(|e| fail(&e))?;
    for (i, (p, points)) in series.offsets.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))
            .map_err(|e| fail(&e))?
            .label(format!("p{p}"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
    }
    legend(&mut chart).map_err(|e| fail(&e))?;

    let mut chart = ChartBuilder::on(&lower)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(t0..t1, 0.0..s1)
        .map_err(|e| fail(&e))?;
    chart
        .configure_mesh()
        .label_style(("sans-serif", SMALL))
        .axis_desc_style(("sans-serif", SMALL))
        .x_desc("real time t (ticks)")
        .y_desc("skew max C_p − min C_q")
        .draw()
        .map_err(|e| fail(&e))?;
    chart
        .draw_series(LineSeries::new(series.skew.clone(), BLUE.stroke_width(2)))
        .map_err(|e| fail(&e))?
        .label("skew")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE));
    if let Some(b) = bound {
        chart
            .draw_series(DashedLineSeries::new(
                vec![(t0, b), (t1, b)],
                6,
                4,
                RED.stroke_width(1),
            ))
            .map_err(|e| fail(&e))?
            .label(format!("predicted bound {b:.3}"))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
    }
    if let Some(t) = series.synced_at {
        let t = t as f64;
        chart
            .draw_series(DashedLineSeries::new(
                vec![(t, 0.0), (t, s1)],
                3,
                3,
                BLACK.stroke_width(1),
            ))
            .map_err(|e| fail(&e))?
            .label("all synchronized (CS1 judged from here)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK));
    }
    legend(&mut chart).map_err(|e| fail(&e))?;
    root.present().map_err(|e| fail(&e))?;
    Ok(())
}
