//! The fault plan: a `[[faults]]` table as written, and its validation into a [`Fault`] (one
//! kind per table, only the keys that kind takes, processes that exist, windows that close,
//! and what the model allows).

use super::{pid, rule, Rule};
use automata::model::{Failures, Fault, SystemModel, Timing};
use automata::{Pid, Time};
use serde::Deserialize;

/// One `[[faults]]` table: exactly one of `crash`, `recover`, `suspect`, `pause`, `omit`,
/// `delay_from` says which kind it is.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    pub crash: Option<Pid>,
    pub recover: Option<Pid>,
    pub suspect: Option<Pid>,
    pub pause: Option<Pid>,
    pub omit: Option<Pid>,
    pub delay_from: Option<Pid>,
    pub delay_to: Option<Pid>,
    pub by: Option<Pid>,
    pub at: Option<Time>,
    pub after_sends: Option<u64>,
    pub drop_in_flight: Option<bool>,
    pub from: Option<Time>,
    pub until: Option<Time>,
    pub extra: Option<Time>,
    pub probability: Option<f64>,
}

fn window(f: &FaultSpec) -> Result<(Time, Time), Rule> {
    let from = f
        .from
        .ok_or_else(|| rule("from", "this fault needs `from` (the start of its window)"))?;
    let until = f
        .until
        .ok_or_else(|| rule("until", "this fault needs `until` (the end of its window)"))?;
    if from >= until {
        return Err(rule(
            "until",
            format!("until = {until} must be later than from = {from}"),
        ));
    }
    Ok((from, until))
}

/// Checks that only the keys a fault kind uses are present.
fn only(f: &FaultSpec, kind: &str, allowed: &[&str]) -> Result<(), Rule> {
    let present = [
        ("by", f.by.is_some()),
        ("at", f.at.is_some()),
        ("after_sends", f.after_sends.is_some()),
        ("drop_in_flight", f.drop_in_flight.is_some()),
        ("from", f.from.is_some()),
        ("until", f.until.is_some()),
        ("extra", f.extra.is_some()),
        ("probability", f.probability.is_some()),
        ("delay_to", f.delay_to.is_some()),
    ];
    for (key, is) in present {
        if is && !allowed.contains(&key) {
            return Err(rule(
                key,
                format!(
                    "a `{kind}` fault has no `{key}` (it takes {})",
                    allowed.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

pub(super) fn fault(f: &FaultSpec, model: &SystemModel, n: usize) -> Result<Fault, Rule> {
    let kinds = [
        ("crash", f.crash),
        ("recover", f.recover),
        ("suspect", f.suspect),
        ("pause", f.pause),
        ("omit", f.omit),
        ("delay_from", f.delay_from),
    ];
    let given: Vec<_> = kinds.iter().filter(|(_, v)| v.is_some()).collect();
    let &&(kind, Some(p)) = given.first().ok_or_else(|| {
        rule(
            "crash",
            "a fault needs one of crash, recover, suspect, pause, omit, delay_from",
        )
    })?
    else {
        unreachable!("filtered on is_some")
    };
    if given.len() > 1 {
        return Err(rule(
            given[1].0,
            format!(
                "a fault is one thing: `{kind}` and `{}` cannot be in the same [[faults]] table",
                given[1].0
            ),
        ));
    }
    let p = pid(kind, p, n)?;
    match kind {
        "crash" => {
            only(f, kind, &["at", "after_sends", "drop_in_flight"])?;
            if f.at.is_none() && f.after_sends.is_none() {
                return Err(rule(
                    "at",
                    "a crash needs `at` (a time) or `after_sends` (a number of sends)",
                ));
            }
            if f.after_sends == Some(0) {
                return Err(rule(
                    "after_sends",
                    "after_sends must be at least 1 (use `at` to crash before any send)",
                ));
            }
            Ok(Fault::Crash {
                process: p,
                at: f.at.unwrap_or(0),
                after_sends: f.after_sends,
                drop_in_flight: f.drop_in_flight.unwrap_or(false),
            })
        }
        "recover" => {
            only(f, kind, &["at"])?;
            if model.failures != Failures::CrashRecovery {
                return Err(rule(
                    "recover",
                    "processes recover only when model.failures = \"crash-recovery\"",
                ));
            }
            let at = f.at.ok_or_else(|| rule("at", "a recovery needs `at`"))?;
            Ok(Fault::Recover { process: p, at })
        }
        "suspect" => {
            only(f, kind, &["by", "from", "until"])?;
            let by = pid(
                "by",
                f.by.ok_or_else(|| {
                    rule(
                        "by",
                        "a scripted suspicion needs `by` (the process that suspects)",
                    )
                })?,
                n,
            )?;
            let (from, until) = window(f)?;
            match model.timing {
                Timing::Synchronous => {
                    return Err(rule("suspect", "oracle mistakes are not allowed in the synchronous model (P makes none); use timing = \"partially-synchronous\""))
                }
                Timing::PartiallySynchronous if until > model.gst => {
                    return Err(rule("until", format!("until = {until} is after gst = {}: ◇P and Ω make mistakes only before GST", model.gst)))
                }
                _ => {}
            }
            Ok(Fault::Suspect {
                process: p,
                by,
                from,
                until,
            })
        }
        "pause" => {
            only(f, kind, &["from", "until"])?;
            let (from, until) = window(f)?;
            Ok(Fault::Pause {
                process: p,
                from,
                until,
            })
        }
        "omit" => {
            only(f, kind, &["probability", "from", "until"])?;
            if model.failures != Failures::Omission {
                return Err(rule(
                    "omit",
                    "omission faults need model.failures = \"omission\"",
                ));
            }
            let probability = f.probability.unwrap_or(1.0);
            if !(0.0..=1.0).contains(&probability) {
                return Err(rule(
                    "probability",
                    format!("{probability} is not a probability: it must lie in [0, 1]"),
                ));
            }
            let (from, until) = window(f)?;
            Ok(Fault::Omit {
                process: p,
                probability,
                from,
                until,
            })
        }
        _ => {
            only(f, kind, &["delay_to", "extra", "from", "until"])?;
            let to = pid(
                "delay_to",
                f.delay_to
                    .ok_or_else(|| rule("delay_to", "a delay fault needs `delay_to`"))?,
                n,
            )?;
            let extra = f.extra.ok_or_else(|| {
                rule(
                    "extra",
                    "a delay fault needs `extra` (ticks added to each packet)",
                )
            })?;
            let (from, until) = window(f)?;
            Ok(Fault::Delay {
                from_process: p,
                to_process: to,
                extra,
                from,
                until,
            })
        }
    }
}
