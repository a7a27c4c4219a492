//! From a trace to what a space-time diagram shows: lanes, messages, crashes, the ticks of one
//! layer and the violation, placed in time units (the drawing maps them to pixels). Events of
//! one tick are spread across it in the order they happened (a model checker's counterexample
//! often takes many steps in one tick), so a position `x` lies in `time..time + 1`.

use super::label::label;
use automata::trace::{Event, Kind};
use automata::{Pid, Time, TraceEvent};
use std::collections::BTreeMap;

/// How a message's arrow ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum End {
    /// Handed to the destination at this position.
    Delivered(f64),
    /// Lost by the network (or not handed to a crashed destination) at this position.
    Dropped(f64),
    /// Still in flight when the trace ends (or silently discarded by the model checker).
    Never,
}

/// One arrow: a packet from `from` to `to`, one per delivery (a duplicated packet has two).
#[derive(Clone, Debug)]
pub struct Message {
    pub from: Pid,
    pub to: Pid,
    pub sent: f64,
    pub end: End,
    /// Sent by a step with no request or indication at the shown layer: a retransmission, a
    /// heartbeat, an acknowledgement a lower layer sends on its own. Drawn lighter.
    pub light: bool,
}

/// A request (above the lane) or an indication (below) of the shown layer.
#[derive(Clone, Debug)]
pub struct Tick {
    pub process: Pid,
    pub x: f64,
    pub request: bool,
    pub label: String,
    /// Index of the trace event.
    pub event: u64,
}

/// The first violation: where its witness event sits, and what it is.
#[derive(Clone, Debug)]
pub struct Marked {
    pub process: Pid,
    pub time: Time,
    pub x: f64,
    pub event: u64,
    pub property: String,
    pub explanation: String,
}

/// Everything drawn, in the window `from..=until`.
#[derive(Clone, Debug)]
pub struct Layout {
    pub n: usize,
    pub from: Time,
    pub until: Time,
    pub layer: String,
    pub messages: Vec<Message>,
    /// Intervals in which a process is down: (process, crash, recovery if any).
    pub down: Vec<(Pid, f64, Option<f64>)>,
    pub recoveries: Vec<(Pid, f64)>,
    pub ticks: Vec<Tick>,
    pub timers: Vec<(Pid, f64)>,
    pub mark: Option<Marked>,
    /// Where a lasso's cycle begins (it repeats forever from there).
    pub cycle_x: Option<f64>,
    /// When the default window ends before the run does: the time of the run's last event.
    pub cut_from: Option<Time>,
    /// Whether the default window was cut to [`SPAN`] ticks (a long run).
    pub capped: bool,
}

/// The longest default window, in ticks: a longer run drawn whole at the book's width is a
/// solid mass of arrows (10,000 ticks of heartbeats), so by default a window of this many is
/// shown, ending a little after the first violation if there is one.
pub const SPAN: Time = 300;

/// What a step starts with: a step of the runner begins with its input event.
fn starts_step(e: &TraceEvent, prev: Option<&TraceEvent>, root: &str) -> bool {
    matches!(
        e.kind,
        Kind::Deliver | Kind::Timer | Kind::Recover | Kind::Crash | Kind::Drop
    ) || (e.kind == Kind::Request && e.module == root)
        || prev.is_none_or(|p| (p.process, p.time) != (e.process, e.time))
}

/// The modules that have requests or indications in `trace`, in order of first appearance.
pub fn layers(trace: &[TraceEvent]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for e in trace {
        if matches!(e.kind, Kind::Request | Kind::Indication)
            && !seen.iter().any(|m| *m == e.module)
        {
            seen.push(e.module.to_string());
        }
    }
    seen
}

/// The latest time anything but a timer happens (the tail of a run is often timers alone).
fn last_activity(trace: &[TraceEvent]) -> Time {
    trace
        .iter()
        .filter(|e| e.kind != Kind::Timer)
        .map(|e| e.time)
        .max()
        .or_else(|| trace.last().map(|e| e.time))
        .unwrap_or(0)
}

/// Where each event of `trace` goes: its time, plus its rank among the events of that tick.
fn positions(trace: &[TraceEvent]) -> Vec<f64> {
    let mut per_tick: BTreeMap<Time, usize> = BTreeMap::new();
    for e in trace {
        *per_tick.entry(e.time).or_default() += 1;
    }
    let mut seen: BTreeMap<Time, usize> = BTreeMap::new();
    trace
        .iter()
        .map(|e| {
            let k = seen.entry(e.time).or_default();
            let x = e.time as f64 + 0.8 * *k as f64 / per_tick[&e.time] as f64;
            *k += 1;
            x
        })
        .collect()
}

/// Lays out `trace` of `n` processes, showing `layer`'s requests and indications, within
/// `from..=until`. By default the window runs from the first event that is not a timer to
/// shortly after the layer's last request or indication (links that retransmit forever would
/// otherwise fill it with traffic that shows nothing), and in any case includes the violation
/// and a lasso's cycle. `root` is the stack's root module (whose requests begin steps).
#[allow(clippy::too_many_arguments)]
pub fn layout(
    trace: &[TraceEvent],
    n: usize,
    root: &str,
    layer: &str,
    from: Option<Time>,
    until: Option<Time>,
    violation: Option<(u64, String, String)>,
    cycle_from: Option<u64>,
) -> Layout {
    let (from_given, until_given) = (from.is_some(), until.is_some());
    let xs = positions(trace);
    let cycle = cycle_from.and_then(|c| trace.iter().position(|e| e.index == c));
    let mark = violation.and_then(|(event, property, explanation)| {
        let i = trace.iter().position(|e| e.index == event)?;
        let e = &trace[i];
        Some(Marked {
            process: e.process,
            time: e.time,
            x: xs[i],
            event,
            property,
            explanation,
        })
    });
    // Default window: from the first event that is not a timer (the quiet start of a run
    // says nothing).
    let from = from.unwrap_or_else(|| {
        let first = trace
            .iter()
            .filter(|e| e.kind != Kind::Timer)
            .map(|e| e.time)
            .min()
            .unwrap_or(0);
        first.min(mark.as_ref().map_or(first, |m| m.time))
    });
    let last = last_activity(trace);
    let mut cut_from = None;
    let until = until
        .unwrap_or_else(|| {
            let must = mark.as_ref().map_or(0, |m| m.time);
            if cycle.is_some() {
                // A lasso is shown whole, timers included: its cycle is the point.
                return trace.last().map_or(last, |e| e.time).max(must);
            }
            let layer_last = trace
                .iter()
                .filter(|e| e.module == layer && matches!(e.kind, Kind::Request | Kind::Indication))
                .map(|e| e.time)
                .max();
            match layer_last {
                Some(t) => {
                    // A margin of a tenth of the layer's span (at least 5 ticks) after it.
                    let end = (t + ((t - from) / 10).max(5)).max(must);
                    if end < last {
                        cut_from = Some(last);
                        end
                    } else {
                        last.max(must)
                    }
                }
                None => last.max(must),
            }
        })
        .max(from + 1);
    let user_window = until_given || from_given;
    let (from, until, capped) = if !user_window && cycle.is_none() && until - from > SPAN {
        // A long run: SPAN ticks, to a little after the first violation (or from the start).
        let end = mark
            .as_ref()
            .map_or(from + SPAN, |m| (m.time + SPAN / 5).max(from + SPAN))
            .min(until);
        cut_from = Some(trace.last().map_or(last, |e| e.time).max(last));
        (end - SPAN, end, true)
    } else {
        (from, until, false)
    };
    let mut messages: Vec<Message> = Vec::new();
    // A packet id's send: (from, to, time, light), and whether something ended it.
    let mut sends: BTreeMap<u64, (Pid, Pid, f64, bool, bool)> = BTreeMap::new();
    let mut down: Vec<(Pid, f64, Option<f64>)> = Vec::new();
    let mut recoveries = Vec::new();
    let mut ticks = Vec::new();
    let mut timers = Vec::new();
    let mut step_at_layer = false;
    let mut prev: Option<&TraceEvent> = None;
    for (e, &x) in trace.iter().zip(&xs) {
        if starts_step(e, prev, root) {
            step_at_layer = false;
        }
        prev = Some(e);
        match (&e.kind, &e.event) {
            (Kind::Request | Kind::Indication, ev) if e.module == layer => {
                step_at_layer = true;
                ticks.push(Tick {
                    process: e.process,
                    x,
                    request: e.kind == Kind::Request,
                    label: label(ev),
                    event: e.index,
                });
            }
            (Kind::Send, Event::Packet { id, from, to, .. }) => {
                sends.insert(*id, (*from, *to, x, !step_at_layer, false));
            }
            (Kind::Deliver | Kind::Drop, Event::Packet { id, from, to, .. }) => {
                if let Some(s) = sends.get_mut(id).filter(|s| (s.0, s.1) == (*from, *to)) {
                    s.4 = true;
                    messages.push(Message {
                        from: s.0,
                        to: s.1,
                        sent: s.2,
                        end: if e.kind == Kind::Deliver {
                            End::Delivered(x)
                        } else {
                            End::Dropped(x)
                        },
                        light: s.3,
                    });
                }
            }
            (Kind::Crash, _) => down.push((e.process, x, None)),
            (Kind::Recover, _) => {
                if let Some(d) = down
                    .iter_mut()
                    .rev()
                    .find(|d| d.0 == e.process && d.2.is_none())
                {
                    d.2 = Some(x);
                }
                recoveries.push((e.process, x));
            }
            (Kind::Timer, _) => timers.push((e.process, x)),
            _ => {}
        }
    }
    for (from, to, sent, light, ended) in sends.into_values() {
        if !ended {
            messages.push(Message {
                from,
                to,
                sent,
                end: End::Never,
                light,
            });
        }
    }
    let (lo, hi) = (from as f64, until as f64 + 1.0);
    let inside = |x: f64| (lo..hi).contains(&x);
    messages.retain(|m| {
        let end = match m.end {
            End::Delivered(t) | End::Dropped(t) => t,
            End::Never => m.sent,
        };
        m.sent < hi && end >= lo
    });
    // Light traffic first, so that the layer's own messages are drawn over it.
    messages.sort_by(|a, b| {
        (!a.light, a.sent)
            .partial_cmp(&(!b.light, b.sent))
            .expect("finite")
    });
    ticks.retain(|t| inside(t.x));
    timers.retain(|t| inside(t.1));
    recoveries.retain(|r| inside(r.1));
    down.retain(|d| d.1 < hi && d.2.is_none_or(|r| r >= lo));
    Layout {
        cycle_x: cycle.map(|i| xs[i]),
        cut_from,
        capped,
        n,
        from,
        until,
        layer: layer.to_string(),
        messages,
        down,
        recoveries,
        ticks,
        timers,
        mark,
    }
}
