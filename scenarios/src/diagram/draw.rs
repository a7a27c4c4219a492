//! Draws a [`Layout`] with plotters on any backend (SVG or bitmap): one lane per process,
//! time left to right, the violation first. Drawn for the book's 750 px column: the picture is
//! 750 px wide and no text is smaller than 11 px (plotters writes a font of size `s` as an SVG
//! `font-size` of `s / 1.24`, so the smallest size used here is 14).

use super::layout::{End, Layout, Message};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const WIDTH: u32 = 750;
const LEFT: u32 = 44;
const RIGHT: u32 = 20;
/// Font sizes (plotters' units; the SVG shows `size / 1.24` px): the title, the subtitle, the
/// violated property's name, and everything else (labels, axis, legend).
const TITLE: u32 = 20;
const SUBTITLE: u32 = 15;
const MARK: u32 = 18;
const SMALL: u32 = 14;
/// The subtitle's lines (it wraps; past this many it is cut with an ellipsis).
const SUBTITLE_LINES: usize = 3;
const LINE: u32 = 19;
/// The band above the first lane where the violation is named.
const BAND: u32 = 32;
/// The time axis under the lanes; each row of the legend under it.
const AXIS: u32 = 44;
const LEGEND_ROW: u32 = 22;

const LANE: RGBColor = RGBColor(40, 40, 40);
const DOWN: RGBColor = RGBColor(175, 175, 175);
const MSG: RGBColor = RGBColor(31, 119, 180);
const MSG_LIGHT: RGBColor = RGBColor(185, 198, 214);
const DROP: RGBColor = RGBColor(230, 120, 0);
const REQUEST: RGBColor = RGBColor(118, 42, 131);
const INDICATION: RGBColor = RGBColor(0, 120, 120);
const RECOVER: RGBColor = RGBColor(44, 160, 44);
const TIMER: RGBColor = RGBColor(160, 160, 160);
const VIOLATION: RGBColor = RGBColor(214, 0, 0);
const FONT: &str = "sans-serif";

/// Height of one lane: roomy for two processes, still on one screen for ten; past that the
/// diagram is an overview (thin lanes, no labels on the ticks).
fn lane_height(n: usize) -> u32 {
    let n = n.max(1) as u32;
    if n <= 10 {
        (640 / n).clamp(64, 120)
    } else {
        (640 / n).max(3)
    }
}

/// How many rows of tick labels fit on each side of a lane this high (none in an overview).
fn label_rows(lane: i32) -> usize {
    let free = lane / 2 - ROW0 - 8;
    if free < 0 {
        0
    } else {
        ((free / ROW + 1) as usize).min(2)
    }
}

/// Distance of the first row of tick labels from the lane, and between rows.
const ROW0: i32 = 19;
const ROW: i32 = 16;

/// The width of `s` in `size` (bold or not), as plotters would lay it out in DejaVu Sans.
fn text_width(s: &str, size: u32, bold: bool) -> i32 {
    super::text::width(s, size, bold)
}

/// `s` wrapped at spaces into lines no wider than `width` in `size`; at most `max` lines, the
/// last cut with an ellipsis when more would follow.
fn wrap(s: &str, size: u32, width: i32, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split(' ') {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size, false) <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    lines.push(line);
    if lines.len() > max {
        lines.truncate(max);
        let last = lines.last_mut().expect("max > 0");
        last.push_str(" …");
    }
    for l in &mut lines {
        while l.chars().count() > 4 && text_width(l, size, false) > width {
            let keep = l.chars().count().saturating_sub(3);
            *l = l.chars().take(keep).collect::<String>() + "…";
        }
    }
    lines
}

/// The subtitle's lines.
fn subtitle_lines(subtitle: &str) -> Vec<String> {
    wrap(subtitle, SUBTITLE, WIDTH as i32 - 24, SUBTITLE_LINES)
}

/// The title's lines (bold; a long one wraps twice, then is cut with an ellipsis).
fn title_lines(title: &str) -> Vec<String> {
    // Measured in the regular face: leave room for bold's wider letters.
    wrap(title, TITLE, WIDTH as i32 - 80, 3)
}

/// The height of the title's lines.
const TITLE_LINE: u32 = 25;

/// Where the subtitle begins.
fn subtitle_y(title: &str) -> u32 {
    8 + TITLE_LINE * title_lines(title).len() as u32 + 2
}

/// Height of the title and the subtitle, and of the band above the lanes.
fn top(title: &str, subtitle: &str) -> u32 {
    subtitle_y(title) + LINE * subtitle_lines(subtitle).len() as u32 + BAND
}

/// The size of the picture of `layout` with `title` and `subtitle`.
pub fn size(layout: &Layout, title: &str, subtitle: &str) -> (u32, u32) {
    let rows = legend_rows(layout).len() as u32;
    (
        WIDTH,
        top(title, subtitle)
            + lane_height(layout.n) * layout.n as u32
            + AXIS
            + LEGEND_ROW * rows
            + 10,
    )
}

type Result<DB> = std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Pixel coordinates of the window.
struct Frame {
    from: f64,
    until: f64,
    x0: i32,
    x1: i32,
    top: i32,
    lane: i32,
}

impl Frame {
    fn x(&self, t: f64) -> i32 {
        let f = (t - self.from) / (self.until - self.from);
        self.x0 + (f * f64::from(self.x1 - self.x0)).round() as i32
    }
    fn y(&self, p: usize) -> i32 {
        self.top + self.lane * p as i32 + self.lane / 2
    }
    fn bottom(&self, n: usize) -> i32 {
        self.top + self.lane * n as i32
    }
}

fn text<'a>(size: u32, color: &'a RGBColor, h: HPos, v: VPos) -> TextStyle<'a> {
    TextStyle::from((FONT, size).into_font())
        .color(color)
        .pos(Pos::new(h, v))
}

/// A filled arrowhead at `tip`, pointing away from `tail`.
fn head(tip: (i32, i32), tail: (i32, i32), color: RGBColor) -> Polygon<(i32, i32)> {
    let (dx, dy) = (f64::from(tip.0 - tail.0), f64::from(tip.1 - tail.1));
    let len = dx.hypot(dy).max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let at = |back: f64, side: f64| {
        (
            (f64::from(tip.0) - ux * back - uy * side).round() as i32,
            (f64::from(tip.1) - uy * back + ux * side).round() as i32,
        )
    };
    Polygon::new(vec![tip, at(8.0, 3.5), at(8.0, -3.5)], color.filled())
}

/// A small triangle at `at`, pointing up (a request, from the layer above) or down (an
/// indication, to it).
fn triangle(at: (i32, i32), up: bool, color: RGBColor) -> Polygon<(i32, i32)> {
    let d = if up { -5 } else { 5 };
    Polygon::new(
        vec![
            (at.0, at.1 + d),
            (at.0 - 4, at.1 - d / 2),
            (at.0 + 4, at.1 - d / 2),
        ],
        color.filled(),
    )
}

/// Draws `layout` with `title` (and a second line, `subtitle`, red when there is a violation).
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    title: &str,
    subtitle: &str,
) -> Result<DB> {
    root.fill(&WHITE)?;
    let lane = lane_height(layout.n) as i32;
    // A little room left and right, so that the first and last events are off the edges
    // (events of the last tick lie in until..until + 1).
    let pad = (layout.until - layout.from) as f64 * 0.02;
    let frame = Frame {
        from: layout.from as f64 - pad,
        until: layout.until as f64 + 1.0 + pad,
        x0: LEFT as i32,
        x1: (WIDTH - RIGHT) as i32,
        top: top(title, subtitle) as i32,
        lane,
    };
    let bottom = frame.bottom(layout.n);
    axis(root, &frame, bottom)?;
    titles(root, layout, title, subtitle)?;
    lanes(root, layout, &frame)?;
    for m in &layout.messages {
        message(root, &frame, m)?;
    }
    for &(p, t) in &layout.timers {
        root.draw(&Circle::new((frame.x(t), frame.y(p)), 2, TIMER.filled()))?;
    }
    for &(p, t) in &layout.recoveries {
        root.draw(&Circle::new((frame.x(t), frame.y(p)), 5, RECOVER.filled()))?;
    }
    for &(p, t, _) in &layout.down {
        if t >= layout.from as f64 {
            root.draw(&Cross::new(
                (frame.x(t), frame.y(p)),
                8,
                LANE.stroke_width(3),
            ))?;
        }
    }
    ticks(root, layout, &frame)?;
    if let Some(x) = layout.cycle_x {
        // A lasso: everything right of this line repeats forever.
        let x = frame.x(x) - 2;
        root.draw(&DashedPathElement::new(
            vec![(x, frame.top - 8), (x, bottom + 8)],
            6,
            4,
            VIOLATION.stroke_width(2),
        ))?;
        root.draw(&Text::new(
            "cycle ⟳",
            (x + 4, frame.top - 8),
            text(SMALL, &VIOLATION, HPos::Left, VPos::Bottom),
        ))?;
    }
    violation(root, layout, &frame, bottom)?;
    legend(root, layout, bottom + AXIS as i32 + LEGEND_ROW as i32 / 2)?;
    root.present()
}

fn titles<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    title: &str,
    subtitle: &str,
) -> Result<DB> {
    let bold = TextStyle::from((FONT, TITLE).into_font().style(FontStyle::Bold))
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Top));
    for (i, line) in title_lines(title).into_iter().enumerate() {
        root.draw(&Text::new(
            line,
            (12, 8 + TITLE_LINE as i32 * i as i32),
            bold.clone(),
        ))?;
    }
    let color = if layout.mark.is_some() {
        &VIOLATION
    } else {
        &LANE
    };
    for (i, line) in subtitle_lines(subtitle).into_iter().enumerate() {
        root.draw(&Text::new(
            line,
            (12, subtitle_y(title) as i32 + LINE as i32 * i as i32),
            text(SUBTITLE, color, HPos::Left, VPos::Top),
        ))?;
    }
    Ok(())
}

fn axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
    bottom: i32,
) -> Result<DB> {
    let area = root.margin(frame.top as u32, 0, 0, 0);
    let height = bottom - frame.top + AXIS as i32;
    let (area, _) = area.split_vertically(height);
    let mut chart = ChartBuilder::on(&area)
        .margin_left(LEFT)
        .margin_right(RIGHT)
        .x_label_area_size(AXIS)
        .build_cartesian_2d(frame.from..frame.until, 0f64..1f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .x_labels(((frame.until - frame.from) as usize + 1).clamp(2, 10))
        .x_label_formatter(&|t| format!("{t:.0}"))
        .x_label_style((FONT, SMALL))
        .axis_desc_style((FONT, SMALL))
        .x_desc("time (ticks)")
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(228, 228, 228))
        .draw()?;
    Ok(())
}

/// One lane a process: `p<i>` at its left, solid while up, dashed grey while down.
fn lanes<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    frame: &Frame,
) -> Result<DB> {
    // Below SMALL only in an overview of many thin lanes.
    let size = (frame.lane - 1).clamp(2, 16) as u32;
    for p in 0..layout.n {
        let y = frame.y(p);
        root.draw(&Text::new(
            format!("p{p}"),
            (frame.x0 - 14, y),
            TextStyle::from((FONT, size).into_font().style(FontStyle::Bold))
                .color(&LANE)
                .pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        let (start, end) = (layout.from as f64, layout.until as f64 + 1.0);
        let mut up_from = start;
        let downs = layout.down.iter().filter(|d| d.0 == p);
        for &(_, crash, recover) in downs {
            let crash = crash.max(start);
            let back = recover.unwrap_or(end).min(end);
            if crash > up_from {
                solid(root, frame, y, up_from, crash)?;
            }
            root.draw(&DashedPathElement::new(
                vec![(frame.x(crash), y), (frame.x(back), y)],
                5,
                4,
                DOWN.stroke_width(2),
            ))?;
            up_from = if recover.is_some() { back } else { end };
        }
        if up_from < end {
            solid(root, frame, y, up_from, end)?;
        }
    }
    Ok(())
}

fn solid<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
    y: i32,
    from: f64,
    until: f64,
) -> Result<DB> {
    root.draw(&PathElement::new(
        vec![(frame.x(from), y), (frame.x(until), y)],
        LANE.stroke_width(2),
    ))
}

/// A point on the segment from `a` to `b` (times and lane y), clamped to the window.
fn clamp(frame: &Frame, a: (f64, f64), b: (f64, f64)) -> ((i32, i32), (i32, i32), bool) {
    let at = |t: f64| {
        if (b.0 - a.0).abs() < f64::EPSILON {
            a.1
        } else {
            a.1 + (b.1 - a.1) * (t - a.0) / (b.0 - a.0)
        }
    };
    let (t0, t1) = (a.0.max(frame.from), b.0.min(frame.until));
    (
        (frame.x(t0), at(t0).round() as i32),
        (frame.x(t1), at(t1).round() as i32),
        b.0 <= frame.until,
    )
}

fn message<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
    m: &Message,
) -> Result<DB> {
    let color = if m.light { MSG_LIGHT } else { MSG };
    let (ya, yb) = (f64::from(frame.y(m.from)), f64::from(frame.y(m.to)));
    let sent = m.sent;
    match m.end {
        End::Delivered(t) if m.from == m.to => {
            // To itself: a small arc above the lane.
            let (a, b) = (frame.x(sent), frame.x(t).max(frame.x(sent) + 6));
            let top = (a + b) / 2;
            let y = frame.y(m.from);
            root.draw(&PathElement::new(
                vec![(a, y), (top, y - 12), (b, y)],
                color.stroke_width(1),
            ))?;
            root.draw(&head((b, y), (top, y - 12), color))?;
        }
        End::Delivered(t) => {
            let (a, b, arrives) = clamp(frame, (sent, ya), (t, yb));
            root.draw(&PathElement::new(vec![a, b], color.stroke_width(1)))?;
            if arrives {
                root.draw(&head(b, a, color))?;
            }
        }
        End::Dropped(t) => {
            // Lost in the network: a stub towards the destination, ending in a cross (at the
            // destination's lane when it was not handed over there, e.g. to a crashed process).
            let (a, _, _) = clamp(frame, (sent, ya), (sent, ya));
            // (A loss happens at the send; a drop later is at the destination.)
            let (x, frac) = if t >= m.sent.floor() + 1.0 {
                (frame.x(t), 0.85)
            } else {
                (a.0 + 16, 0.35)
            };
            let y = if m.from == m.to {
                a.1 - 12
            } else {
                (ya + (yb - ya) * frac).round() as i32
            };
            root.draw(&PathElement::new(vec![a, (x, y)], DROP.stroke_width(1)))?;
            root.draw(&Cross::new((x, y), 4, DROP.stroke_width(2)))?;
        }
        End::Never => {
            let (a, _, _) = clamp(frame, (sent, ya), (sent, ya));
            let y = (ya + (yb - ya) * 0.3).round() as i32;
            root.draw(&DashedPathElement::new(
                vec![a, (a.0 + 18, y)],
                3,
                3,
                TIMER.stroke_width(1),
            ))?;
        }
    }
    Ok(())
}

/// The shown layer's requests (above the lane) and indications (below), labelled where there
/// is room (up to two rows a side, as many as the lane's height allows, none in an overview),
/// each label on a pale box so that arrows do not hide it; a label that would overlap another
/// or run off the picture is left out.
fn ticks<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    frame: &Frame,
) -> Result<DB> {
    let rows_per_side = label_rows(frame.lane);
    // Right edge of the last label per (process, side, row).
    let mut rows = vec![[[i32::MIN; 2]; 2]; layout.n];
    let mut labels = Vec::new();
    for t in &layout.ticks {
        let (x, y) = (frame.x(t.x), frame.y(t.process));
        let (color, dir) = if t.request {
            (REQUEST, -1)
        } else {
            (INDICATION, 1)
        };
        root.draw(&PathElement::new(
            vec![(x, y), (x, y + dir * 9)],
            color.stroke_width(2),
        ))?;
        root.draw(&triangle((x, y + dir * 9), t.request, color))?;
        let w = text_width(&t.label, SMALL, false);
        let side = usize::from(!t.request);
        // Right of the tick, or left of it near the right edge.
        let lx = if x + 3 + w > WIDTH as i32 - 4 {
            x - 3 - w
        } else {
            x + 3
        };
        if let Some(row) = (0..rows_per_side).find(|&r| rows[t.process][side][r] < lx) {
            rows[t.process][side][row] = lx.max(x) + w + 8;
            let ly = y + dir * (ROW0 + ROW * row as i32);
            labels.push((t.label.clone(), (lx, ly), w, color));
        }
    }
    for (label, (x, y), w, color) in labels {
        root.draw(&Rectangle::new(
            [(x - 1, y - 8), (x + w + 1, y + 8)],
            WHITE.mix(0.8).filled(),
        ))?;
        root.draw(&Text::new(
            label,
            (x, y),
            text(SMALL, &color, HPos::Left, VPos::Center),
        ))?;
    }
    Ok(())
}

/// The first violation: a red ring on its witness event, a red line through every lane at its
/// time, and the property's name above the lanes.
fn violation<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    frame: &Frame,
    bottom: i32,
) -> Result<DB> {
    let Some(m) = &layout.mark else {
        return Ok(());
    };
    if m.time < layout.from || m.time > layout.until {
        return Ok(());
    }
    let (x, y) = (frame.x(m.x), frame.y(m.process));
    root.draw(&DashedPathElement::new(
        vec![(x, frame.top - 6), (x, bottom)],
        6,
        4,
        VIOLATION.mix(0.6).stroke_width(2),
    ))?;
    root.draw(&Circle::new((x, y), 11, VIOLATION.stroke_width(3)))?;
    let label = format!("✗ {}", m.property);
    let style = TextStyle::from((FONT, MARK).into_font().style(FontStyle::Bold))
        .color(&VIOLATION)
        .pos(Pos::new(HPos::Left, VPos::Bottom));
    let w = text_width(&label, MARK, true);
    // Right of the line, unless that runs off the picture.
    let lx = if x + 6 + w > WIDTH as i32 - 4 {
        x - 6 - w
    } else {
        x + 6
    };
    let lx = lx.max(4);
    root.draw(&Rectangle::new(
        [
            (lx - 2, frame.top - BAND as i32 + 4),
            (lx + w + 2, frame.top - 6),
        ],
        WHITE.filled(),
    ))?;
    root.draw(&Text::new(label, (lx, frame.top - 8), style))?;
    Ok(())
}

/// The marks the legend explains, those the picture has.
#[derive(Clone, Copy)]
enum Glyph {
    Message,
    Light,
    Dropped,
    Crash,
    Recovery,
    Request,
    Indication,
    Timer,
    Violation,
}

/// One entry of the legend and its x: a mark with its name, or the layer's name (`None`).
type Entry = (Option<(Glyph, &'static str)>, i32);

/// The legend's entries, in rows that fit the width: the first row begins with the layer's
/// name, each entry with its x.
fn legend_rows(layout: &Layout) -> Vec<Vec<Entry>> {
    let light = layout.messages.iter().any(|m| m.light);
    let solid = layout.messages.iter().any(|m| !m.light);
    let dropped = layout
        .messages
        .iter()
        .any(|m| matches!(m.end, End::Dropped(_)));
    let shown = |m: &super::layout::Marked| m.time >= layout.from && m.time <= layout.until;
    let items = [
        (solid, Glyph::Message, "message"),
        (light, Glyph::Light, "other traffic"),
        (dropped, Glyph::Dropped, "dropped"),
        (
            !layout.down.is_empty(),
            Glyph::Crash,
            "crash (down: dashed)",
        ),
        (!layout.recoveries.is_empty(), Glyph::Recovery, "recovery"),
        (
            layout.ticks.iter().any(|t| t.request),
            Glyph::Request,
            "request",
        ),
        (
            layout.ticks.iter().any(|t| !t.request),
            Glyph::Indication,
            "indication",
        ),
        (!layout.timers.is_empty(), Glyph::Timer, "timer"),
        (
            layout.mark.as_ref().is_some_and(shown),
            Glyph::Violation,
            "first violation",
        ),
    ];
    let right = (WIDTH - RIGHT) as i32;
    let mut rows = vec![vec![(None, LEFT as i32)]];
    let mut x = LEFT as i32 + 14 + text_width(&format!("layer {}:", layout.layer), SMALL, true);
    for (present, glyph, name) in items {
        if !present {
            continue;
        }
        let w = 26 + text_width(name, SMALL, false) + 16;
        if x + w - 16 > right {
            rows.push(Vec::new());
            x = LEFT as i32;
        }
        rows.last_mut()
            .expect("a row")
            .push((Some((glyph, name)), x));
        x += w;
    }
    rows
}

/// What each mark means, in rows under the time axis, the first at `y`.
fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    y: i32,
) -> Result<DB> {
    let style = text(SMALL, &LANE, HPos::Left, VPos::Center);
    for (row, entries) in legend_rows(layout).into_iter().enumerate() {
        let y = y + LEGEND_ROW as i32 * row as i32;
        for (entry, x) in entries {
            let Some((glyph, name)) = entry else {
                root.draw(&Text::new(
                    format!("layer {}:", layout.layer),
                    (x, y),
                    TextStyle::from((FONT, SMALL).into_font().style(FontStyle::Bold))
                        .color(&LANE)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
                continue;
            };
            match glyph {
                Glyph::Message | Glyph::Light => {
                    let c = if matches!(glyph, Glyph::Message) {
                        MSG
                    } else {
                        MSG_LIGHT
                    };
                    root.draw(&PathElement::new(
                        vec![(x, y + 5), (x + 20, y - 5)],
                        c.stroke_width(1),
                    ))?;
                    root.draw(&head((x + 20, y - 5), (x, y + 5), c))?;
                }
                Glyph::Dropped => {
                    root.draw(&PathElement::new(
                        vec![(x, y + 5), (x + 16, y - 3)],
                        DROP.stroke_width(1),
                    ))?;
                    root.draw(&Cross::new((x + 16, y - 3), 4, DROP.stroke_width(2)))?;
                }
                Glyph::Crash => {
                    root.draw(&Cross::new((x + 6, y), 6, LANE.stroke_width(3)))?;
                    root.draw(&DashedPathElement::new(
                        vec![(x + 6, y), (x + 22, y)],
                        4,
                        3,
                        DOWN.stroke_width(2),
                    ))?;
                }
                Glyph::Recovery => root.draw(&Circle::new((x + 8, y), 5, RECOVER.filled()))?,
                Glyph::Request => root.draw(&triangle((x + 8, y), true, REQUEST))?,
                Glyph::Indication => root.draw(&triangle((x + 8, y), false, INDICATION))?,
                Glyph::Timer => root.draw(&Circle::new((x + 8, y), 2, TIMER.filled()))?,
                Glyph::Violation => {
                    root.draw(&Circle::new((x + 8, y), 6, VIOLATION.stroke_width(2)))?
                }
            }
            root.draw(&Text::new(name, (x + 26, y), style.clone()))?;
        }
    }
    Ok(())
}
