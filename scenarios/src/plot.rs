//! `ioa sweep --plot OUT.svg`: a measured figure against the first swept parameter, one curve
//! per value of the other parameters, with ±1 standard-error bars, and the prediction (where
//! the job has one) as a dashed curve with crosses next to it. Drawn 750 px wide for the book's
//! column, the legend under the chart, keys in the book's notation (`processes` is n, a swept
//! `model.delay.min` with `model.delay.max` is the uncertainty u).

use crate::error::InputError;
use crate::sweep::{Row, SweepJson};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
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

/// The book's name for a swept key (`processes` is n) or a metric.
fn notation(key: &str) -> String {
    match key {
        "processes" => "n (processes)".to_string(),
        "skew_max" => "skew, mean over the runs (ticks)".to_string(),
        "skew_max_worst" => "worst skew over the runs (ticks)".to_string(),
        _ => key.to_string(),
    }
}

/// A curve's label in the book's notation: `model.delay.min=190 model.delay.max=200` is the
/// delay uncertainty `u = 10` (delays in [d − u, d]); other keys are shown as `key=value`.
fn curve_label(label: &str) -> String {
    let pairs: Vec<(&str, &str)> = label
        .split(' ')
        .filter_map(|kv| kv.split_once('='))
        .collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|p| p.0 == k)
            .and_then(|p| p.1.parse::<f64>().ok())
    };
    let mut parts = Vec::new();
    if let (Some(min), Some(max)) = (get("model.delay.min"), get("model.delay.max")) {
        parts.push(format!("u = {} (d = {max})", max - min));
    }
    for (k, v) in &pairs {
        match *k {
            "processes" => parts.push(format!("n = {v}")),
            k if k.starts_with("model.delay.") => {}
            k => parts.push(format!("{k}={v}")),
        }
    }
    parts.join(", ")
}

/// Plot sizes: the book's column is 750 px wide; plotters writes a font of size `s` as an SVG
/// `font-size` of `s / 1.24`, so 14 is 11.3 px.
const WIDTH: u32 = 750;
const HEIGHT: u32 = 480;
pub(crate) const SMALL: u32 = 14;
const CAPTION: u32 = 18;
/// Curve colours, dark enough for thin lines on white (Palette99's third is a pale yellow).
const COLORS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(140, 86, 75),
];

fn color(i: usize) -> RGBAColor {
    COLORS[i % COLORS.len()].to_rgba()
}

/// One row of the legend, under the chart.
const LEGEND_ROW: u32 = 22;

/// Draws `metric` against the first swept parameter `axis` into the SVG file `out`: measured
/// values as solid lines with dots and ±1 standard-error bars, each curve's prediction (where
/// the job has one) dashed with crosses in the same colour. The legend sits under the chart,
/// where it hides no point; keys and metrics are named in the book's notation. A metric that
/// spans more than a factor of 30 (and stays positive) is drawn on a log scale.
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
    let lo = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let log = lo > 0.0 && hi / lo > 30.0;
    // Whole numbers without a decimal point (n = 2, not 2.0).
    let x_format = |x: &f64| {
        if x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            format!("{x}")
        }
    };
    let predicted_any = curves
        .iter()
        .any(|(_, ps)| ps.iter().any(|p| p.3.is_some()));
    // The legend: one entry a curve, then what solid and dashed mean.
    let mut entries: Vec<(String, Option<RGBAColor>, bool)> = curves
        .iter()
        .enumerate()
        .filter(|(_, (label, _))| !label.is_empty())
        .map(|(i, (label, _))| (curve_label(label), Some(color(i)), false))
        .collect();
    entries.push(("measured (±1 standard error)".to_string(), None, false));
    if predicted_any {
        entries.push(("predicted by theory".to_string(), None, true));
    }
    let rows = legend_layout(&entries);
    let legend_height = LEGEND_ROW * rows.len() as u32 + 8;
    let root = SVGBackend::new(out, (WIDTH, HEIGHT + legend_height)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| fail(&e))?;
    let (upper, lower) = root.split_vertically(HEIGHT);
    let caption = format!("{}: {}", report.scenario, notation(metric));
    let mut builder = ChartBuilder::on(&upper);
    builder
        .caption(caption, ("sans-serif", CAPTION))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(64);
    let y_desc = if log {
        format!("{} (log scale)", notation(metric))
    } else {
        notation(metric)
    };
    if log {
        let (y0, y1) = (lo / 1.5, hi * 1.5);
        let mut chart = builder
            .build_cartesian_2d(x0..x1, (y0..y1).log_scale())
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .x_desc(notation(axis))
            .x_label_formatter(&x_format)
            .y_desc(y_desc)
            .label_style(("sans-serif", SMALL))
            .axis_desc_style(("sans-serif", SMALL))
            .y_label_formatter(&|v| format!("{v}"))
            .draw()
            .map_err(|e| fail(&e))?;
        series(&mut chart, &curves).map_err(|e| fail(&e))?;
    } else {
        let (y0, y1) = bounds(points.iter().map(|p| p.1));
        let mut chart = builder
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .x_desc(notation(axis))
            .x_label_formatter(&x_format)
            .y_desc(y_desc)
            .label_style(("sans-serif", SMALL))
            .axis_desc_style(("sans-serif", SMALL))
            .draw()
            .map_err(|e| fail(&e))?;
        series(&mut chart, &curves).map_err(|e| fail(&e))?;
    }
    draw_legend(&lower, &entries, &rows).map_err(|e| fail(&e))?;
    root.present().map_err(|e| fail(&e))?;
    Ok(())
}

/// The curves: measured solid with dots and error bars, predicted dashed with crosses.
fn series<'a, DB: DrawingBackend + 'a, X, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    curves: &[Curve],
) -> Result<(), String>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    for (i, (_, ps)) in curves.iter().enumerate() {
        let color = color(i);
        let measured: Vec<(f64, f64)> = ps.iter().map(|&(x, m, _, _)| (x, m)).collect();
        chart
            .draw_series(LineSeries::new(measured.clone(), color.stroke_width(2)))
            .map_err(e)?;
        chart
            .draw_series(measured.iter().map(|&p| Circle::new(p, 4, color.filled())))
            .map_err(e)?;
        chart
            .draw_series(ps.iter().filter(|p| p.2 > 0.0).map(|&(x, m, se, _)| {
                ErrorBar::new_vertical(x, m - se, m, m + se, color.filled(), 6)
            }))
            .map_err(e)?;
        let predicted: Vec<(f64, f64)> = ps
            .iter()
            .filter_map(|&(x, _, _, p)| p.map(|p| (x, p)))
            .collect();
        if !predicted.is_empty() {
            chart
                .draw_series(DashedLineSeries::new(
                    predicted.clone(),
                    6,
                    5,
                    color.stroke_width(1),
                ))
                .map_err(e)?;
            chart
                .draw_series(
                    predicted
                        .iter()
                        .map(|&p| Cross::new(p, 5, color.stroke_width(2))),
                )
                .map_err(e)?;
        }
    }
    Ok(())
}

/// Legend entries (text, curve colour or none for a style entry, dashed) in rows that fit the
/// width, each with its x.
fn legend_layout(entries: &[(String, Option<RGBAColor>, bool)]) -> Vec<Vec<(usize, i32)>> {
    let font = ("sans-serif", SMALL).into_font();
    let mut rows: Vec<Vec<(usize, i32)>> = vec![Vec::new()];
    let mut x = 16;
    for (i, (text, _, _)) in entries.iter().enumerate() {
        let w = 34
            + font
                .box_size(text)
                .map(|s| s.0 as i32)
                .unwrap_or(text.chars().count() as i32 * 8)
            + 20;
        if x + w > WIDTH as i32 - 8 && x > 16 {
            rows.push(Vec::new());
            x = 16;
        }
        rows.last_mut().expect("a row").push((i, x));
        x += w;
    }
    rows
}

/// Draws the legend `entries` laid out in `rows` into `area` (under the chart).
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    entries: &[(String, Option<RGBAColor>, bool)],
    rows: &[Vec<(usize, i32)>],
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let grey = RGBColor(90, 90, 90).to_rgba();
    let style = ("sans-serif", SMALL)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (r, row) in rows.iter().enumerate() {
        let y = 4 + LEGEND_ROW as i32 * r as i32 + LEGEND_ROW as i32 / 2;
        for &(i, x) in row {
            let (text, color, dashed) = &entries[i];
            let c = color.unwrap_or(grey);
            if *dashed {
                area.draw(&DashedPathElement::new(
                    vec![(x, y), (x + 26, y)],
                    6,
                    5,
                    c.stroke_width(1),
                ))
                .map_err(e)?;
                area.draw(&Cross::new((x + 13, y), 5, c.stroke_width(2)))
                    .map_err(e)?;
            } else {
                area.draw(&PathElement::new(
                    vec![(x, y), (x + 26, y)],
                    c.stroke_width(2),
                ))
                .map_err(e)?;
                area.draw(&Circle::new((x + 13, y), 4, c.filled()))
                    .map_err(e)?;
            }
            area.draw(&Text::new(text.clone(), (x + 34, y), style.clone()))
                .map_err(e)?;
        }
    }
    Ok(())
}

/// Draws the chart's legend box, alike in every plot.
pub(crate) fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .label_font(("sans-serif", SMALL))
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
