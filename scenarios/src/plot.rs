//! `ioa sweep --plot OUT.svg`: a measured figure against the first swept parameter, one curve
//! per value of the other parameters, with ±1 standard-error bars, and the prediction (where
//! the job has one) as a dashed curve next to it.

use crate::error::InputError;
use crate::sweep::{Row, SweepJson};
use plotters::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// A point of a curve: x, mean, standard error, prediction.
type Point = (f64, f64, f64, Option<f64>);

/// One curve: a label and its points.
type Curve = (String, Vec<Point>);

/// The x of a row: the first axis's value as a number, else the row's position.
fn x_of(row: &Row, axis: &str, i: usize) -> f64 {
    row.params
        .get(axis)
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(i as f64)
}

fn curves(report: &SweepJson, axis: &str, metric: &str) -> Vec<Curve> {
    let mut by_label: BTreeMap<String, Vec<Point>> = BTreeMap::new();
    for (i, row) in report.rows.iter().enumerate() {
        let Some(&mean) = row.metrics.get(metric) else {
            continue;
        };
        let se = row
            .metrics
            .get(&format!("{metric}_se"))
            .copied()
            .unwrap_or(0.0);
        let label: Vec<String> = row
            .params
            .iter()
            .filter(|(k, _)| k.as_str() != axis)
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        by_label.entry(label.join(" ")).or_default().push((
            x_of(row, axis, i),
            mean,
            se,
            // A bound predicts the worst value too (`skew_max_worst` against `skew_max`'s).
            row.predicted
                .get(metric)
                .or_else(|| {
                    metric
                        .strip_suffix("_worst")
                        .and_then(|m| row.predicted.get(m))
                })
                .copied(),
        ));
    }
    by_label.into_iter().collect()
}

/// Draws `metric` against the first swept parameter `axis` into the SVG file `out`.
pub fn plot(report: &SweepJson, axis: &str, metric: &str, out: &Path) -> Result<(), InputError> {
    let file = out.display().to_string();
    let fail = |e: &dyn std::fmt::Display| InputError::new(&file, format!("cannot plot: {e}"));
    let curves = curves(report, axis, metric);
    let points: Vec<(f64, f64)> = curves
        .iter()
        .flat_map(|(_, ps)| {
            ps.iter().flat_map(|&(x, m, se, p)| {
                [(x, m - se), (x, m + se)]
                    .into_iter()
                    .chain(p.map(|p| (x, p)))
            })
        })
        .collect();
    if points.is_empty() {
        return Err(fail(&format!("no row measured `{metric}`")));
    }
    let (x0, x1) = bounds(points.iter().map(|p| p.0));
    let (y0, y1) = bounds(points.iter().map(|p| p.1));
    let root = SVGBackend::new(out, (800, 500)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| fail(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(format!("{}: {metric}", report.scenario), ("sans-serif", 18))
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(|e| fail(&e))?;
    chart
        .configure_mesh()
        .x_desc(axis)
        .y_desc(metric)
        .draw()
        .map_err(|e| fail(&e))?;
    for (i, (label, ps)) in curves.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        let measured: Vec<(f64, f64)> = ps.iter().map(|&(x, m, _, _)| (x, m)).collect();
        chart
            .draw_series(LineSeries::new(measured.clone(), color.stroke_width(2)))
            .map_err(|e| fail(&e))?
            .label(if label.is_empty() {
                "measured".to_string()
            } else {
                label.clone()
            })
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
        chart
            .draw_series(ps.iter().map(|&(x, m, se, _)| {
                ErrorBar::new_vertical(x, m - se, m, m + se, color.filled(), 6)
            }))
            .map_err(|e| fail(&e))?;
        let predicted: Vec<(f64, f64)> = ps
            .iter()
            .filter_map(|&(x, _, _, p)| p.map(|p| (x, p)))
            .collect();
        if !predicted.is_empty() {
            chart
                .draw_series(DashedLineSeries::new(
                    predicted.clone(),
                    6,
                    4,
                    color.stroke_width(1),
                ))
                .map_err(|e| fail(&e))?
                .label(format!(
                    "{} (predicted)",
                    if label.is_empty() { "theory" } else { label }
                ))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
            chart
                .draw_series(predicted.iter().map(|&p| Cross::new(p, 4, color)))
                .map_err(|e| fail(&e))?;
        }
    }
    legend(&mut chart).map_err(|e| fail(&e))?;
    root.present().map_err(|e| fail(&e))?;
    Ok(())
}

/// Draws the chart's legend box, alike in every plot.
pub(crate) fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|e| e.to_string())
}

/// A range around the values, padded by 5% (and never empty).
pub(crate) fn bounds(xs: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| {
        (l.min(x), h.max(x))
    });
    let pad = ((hi - lo) * 0.05).max(1e-3);
    (lo - pad, hi + pad)
}
