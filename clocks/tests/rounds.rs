//! Rounds from clocks (book §10.3.1-10.3.3, B-10.8, C.19): FloodSet on `ideal-rounds` and
//! on `clock-driven-rounds` over a partially synchronous network with drifting, offset clocks
//! decides the same value at every process for 100 seeds; SR1-SR3 hold at the computed round
//! length under random plans and on every schedule of a small configuration; below the
//! threshold `(1+ρ)d + ε` round integrity fails (and FloodSet's agreement with it), above it
//! never.

use automata::check::{Explore, Search};
use automata::model::{Clocks, Delay, Fault, Timing};
use automata::rounds::IdealRounds;
use automata::sim::{draw_clocks, Sim};
use automata::world::Clock;
use automata::{Event, Monitor, Monitors, Pid, Setup, SystemModel, Time, TraceEvent, Value};
use clocks::rounds::clock_driven::{min_period, start_after, threshold};
use clocks::rounds::monitors as sr;
use clocks::rounds::ClockDrivenRounds;
use consensus::{monitors as cons, FloodSet};
use proptest::prelude::*;
use std::collections::BTreeMap;

const DELTA: Time = 5;
const HORIZON: Time = 2_000;
const LENGTH: Time = DELTA + 1;
const START: Time = 1;

fn ideal_model() -> SystemModel {
    SystemModel {
        delay: Delay {
            min: 1,
            max: DELTA,
            ..Delay::default()
        },
        ..SystemModel::default()
    }
}

fn psync_model() -> SystemModel {
    SystemModel {
        timing: Timing::PartiallySynchronous,
        gst: 60,
        clocks: Clocks {
            drift: 1e-4,
            offset: 5,
        },
        ..ideal_model()
    }
}

/// A crash in round terms: `process` crashes in round `round` after `sends` of its round
/// messages (0: before sending any).
#[derive(Clone, Copy, Debug)]
struct RoundCrash {
    process: Pid,
    round: u64,
    sends: u64,
}

fn crash(process: Pid, at: Time, sends: u64) -> Fault {
    Fault::Crash {
        process,
        at,
        after_sends: (sends > 0).then_some(sends),
        drop_in_flight: false,
    }
}

/// The crash on the ideal runner: counted from the tick before round `round` starts.
fn ideal_fault(c: RoundCrash) -> Fault {
    let at = START + c.round * LENGTH - 1;
    crash(c.process, if c.sends == 0 { at + 1 } else { at }, c.sends)
}

/// The crash on the clock-driven runner: at the real time at which the process's own clock is
/// half-way through round `round − 1` (half a round before round 0 for round 0), so that its
/// next sends are those of round `round`.
fn clock_fault(c: RoundCrash, clock: Clock, period: Time, start: Time) -> Fault {
    let local = (start + c.round * period) as f64 - period as f64 / 2.0;
    let at = ((local - clock.offset as f64) / clock.rate)
        .floor()
        .max(0.0) as Time;
    crash(c.process, at, c.sends)
}

fn decisions(trace: &[TraceEvent]) -> BTreeMap<Pid, Value> {
    trace
        .iter()
        .filter_map(|e| match &e.event {
            Event::Decide { value } => Some((e.process, value.clone())),
            _ => None,
        })
        .collect()
}

fn monitors() -> Monitors {
    let mut ms = cons::all("sr");
    ms.extend(sr::all("sr"));
    Monitors::new(ms)
}

/// A seeded plan: n, t, proposals, at most t crashes.
struct Plan {
    n: usize,
    t: usize,
    values: Vec<i64>,
    crashes: Vec<RoundCrash>,
}

/// splitmix64: a small, portable generator for the plans of the 100-seed comparison.
fn mix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Plan {
    fn seeded(seed: u64) -> Plan {
        let mut s = seed;
        let n = 3 + (mix(&mut s) % 3) as usize;
        let t = 1 + (mix(&mut s) % (n as u64 - 1)) as usize;
        let values = (0..n).map(|_| (mix(&mut s) % 5) as i64).collect();
        let k = (mix(&mut s) % (t as u64 + 1)) as usize;
        let mut crashes: Vec<RoundCrash> = Vec::new();
        for _ in 0..k {
            let process = (mix(&mut s) % n as u64) as usize;
            if crashes.iter().any(|c| c.process == process) {
                continue;
            }
            crashes.push(RoundCrash {
                process,
                round: mix(&mut s) % (t as u64 + 1),
                sends: mix(&mut s) % n as u64,
            });
        }
        Plan {
            n,
            t,
            values,
            crashes,
        }
    }

    fn floodset(&self) -> impl Fn(Pid) -> FloodSet<Value> + Send + Sync + 'static {
        let (values, t) = (self.values.clone(), self.t as u64);
        move |p| FloodSet::new(Value::Int(values[p]), t)
    }

    fn ideal(&self, seed: u64) -> automata::sim::Outcome {
        let alg = self.floodset();
        let setup = Setup::new(self.n, ideal_model(), move |p| {
            IdealRounds::new(alg(p), LENGTH).starting_at(START)
        })
        .faults(self.crashes.iter().map(|c| ideal_fault(*c)).collect())
        .fault_budget(self.t);
        Sim::new(setup, monitors())
            .seed(seed)
            .record(true)
            .max_time(START + (self.t as u64 + 3) * LENGTH)
            .run()
    }

    fn clock_driven(&self, seed: u64, period: Time) -> automata::sim::Outcome {
        let model = psync_model();
        let start = start_after(&model, period);
        let alg = self.floodset();
        let clocks = draw_clocks(self.n, model.clocks.drift, model.clocks.offset, seed);
        let faults = self
            .crashes
            .iter()
            .map(|c| clock_fault(*c, clocks[c.process], period, start))
            .collect();
        let mut setup = Setup::new(self.n, model, move |p| {
            ClockDrivenRounds::new(alg(p), period, start)
        })
        .faults(faults)
        .fault_budget(self.t);
        setup.clocks = clocks;
        Sim::new(setup, monitors())
            .seed(seed)
            .record(true)
            .max_time(HORIZON)
            .run()
    }
}

/// The acceptance check (10.5): same proposals, same crash plan in rounds, identical decisions
/// process by process, for 100 seeds; every property holds on both substrates.
#[test]
fn floodset_decides_the_same_on_ideal_and_clock_driven_rounds() {
    let period = min_period(&psync_model(), HORIZON);
    let mut crashed_runs = 0;
    for seed in 0..100 {
        let plan = Plan::seeded(seed);
        let a = plan.ideal(seed);
        let b = plan.clock_driven(seed, period);
        assert!(a.all_hold(), "seed {seed} ideal: {:?}", a.properties);
        assert!(b.all_hold(), "seed {seed} clock-driven: {:?}", b.properties);
        let (da, db) = (
            decisions(a.trace.as_ref().unwrap()),
            decisions(b.trace.as_ref().unwrap()),
        );
        assert_eq!(
            da, db,
            "seed {seed}: n = {}, crashes {:?}",
            plan.n, plan.crashes
        );
        let correct = plan.n - plan.crashes.len();
        assert!(da.len() >= correct, "seed {seed}: {da:?}");
        crashed_runs += usize::from(!plan.crashes.is_empty());
    }
    // The plans do exercise crashes.
    assert!(crashed_runs > 30, "{crashed_runs}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// SR1-SR3 and consensus hold on clock-driven rounds at the computed round length, for
    /// any plan and seed.
    #[test]
    fn clock_driven_rounds_are_lockstep(seed in 0u64..1_000_000) {
        let plan = Plan::seeded(seed);
        let out = plan.clock_driven(seed, min_period(&psync_model(), HORIZON));
        prop_assert!(out.all_hold(), "{:?}", out.properties);
    }
}

/// Every schedule of FloodSet (n = 3, t = 1, one crash in the middle of the round-1 sends) on
/// clock-driven rounds after GST: SR1-SR3 and consensus hold at the computed P; with P = d
/// the checker finds a late round message.
#[test]
fn clock_driven_rounds_in_the_model_checker() {
    let model = psync_model();
    let run = |period: Time| {
        let start = start_after(&model, period);
        let faults = vec![clock_fault(
            RoundCrash {
                process: 0,
                round: 0,
                sends: 1,
            },
            Clock::PERFECT,
            period,
            start,
        )];
        let setup = Setup::new(3, model.clone(), move |p| {
            ClockDrivenRounds::new(FloodSet::new(Value::Int(p as i64), 1), period, start)
        })
        .faults(faults)
        .fault_budget(1);
        Explore::new(setup, monitors()).run(Search::Bfs, 60, 1)
    };
    let good = run(min_period(&model, HORIZON));
    assert!(good.counterexample.is_none(), "{good:?}");
    assert!(good.unique_states > 50, "{}", good.unique_states);
    let short = run(DELTA);
    let ce = short.counterexample.expect("P = d is too short");
    assert!(
        ["round-integrity", "lockstep"].contains(&ce.property),
        "{}",
        ce.property
    );
}

/// B-10.8 and C.19: a sweep over P. No run violates SR1 at P ≥ the computed minimum; short
/// rounds do, and FloodSet's agreement breaks with them on some seed.
#[test]
fn round_length_sweep_shows_violations_only_below_the_threshold() {
    let model = psync_model();
    let p_min = min_period(&model, HORIZON);
    let bound = threshold(&model, HORIZON);
    println!("threshold (1+rho)d + eps = {bound:.3}, computed minimum P = {p_min}");
    println!("| P | runs | SR1 violations | agreement violations |");
    let seeds = 40;
    let mut first_clean = None;
    let mut agreement_broken = false;
    for period in 2..=p_min + 2 {
        let (mut sr1, mut agree) = (0, 0);
        for seed in 0..seeds {
            let plan = Plan::seeded(seed);
            let out = plan.clock_driven(seed, period);
            let bad = |name: &str| out.property(name).unwrap().verdict.is_violation();
            sr1 += usize::from(bad("round-integrity"));
            agree += usize::from(bad("uniform-agreement"));
        }
        println!("| {period} | {seeds} | {sr1} | {agree} |");
        if period >= p_min {
            assert_eq!(sr1, 0, "P = {period} is at least the threshold");
            assert_eq!(agree, 0);
        }
        if sr1 == 0 && first_clean.is_none() {
            first_clean = Some(period);
        }
        agreement_broken |= agree > 0;
        if period <= DELTA {
            assert!(sr1 > 0, "P = {period} ≤ d must lose round messages");
        }
    }
    assert!(agreement_broken, "short rounds break FloodSet on some seed");
    println!("first P without violations: {first_clean:?}");
}

/// SR3 catches a runner that never starts its rounds (the timers never fire: an unfair
/// scheduler), and SR1/SR2 catch the ideal runner with rounds shorter than Δ.
#[test]
fn round_monitors_catch_broken_runners() {
    let plan = Plan::seeded(1);
    let alg = plan.floodset();
    let mut model = ideal_model();
    model.fair = false;
    let setup = Setup::new(plan.n, model, move |p| {
        IdealRounds::new(alg(p), LENGTH).starting_at(START)
    });
    let out = Sim::new(
        setup,
        Monitors::new(vec![Box::new(sr::Progress::new("sr")) as Box<dyn Monitor>]),
    )
    .max_time(200)
    .run();
    let progress = &out.property("progress").unwrap().verdict;
    assert!(progress.is_violation(), "{progress:?}");
    let alg = plan.floodset();
    let mut model = ideal_model();
    model.delay.min = DELTA;
    let setup = Setup::new(plan.n, model, move |p| {
        IdealRounds::new(alg(p), 2).starting_at(START)
    });
    let out = Sim::new(setup, Monitors::new(sr::all("sr")))
        .max_time(200)
        .run();
    for name in ["round-integrity", "lockstep"] {
        let v = &out.property(name).unwrap().verdict;
        assert!(v.is_violation(), "{name}: {v:?}");
    }
    assert!(out.property("progress").unwrap().verdict.holds());
}

// --- Clocks from rounds ----------------------------------------------------------------------

/// `round-driven-clock` (10.4): the measured skew of C_p stays within σ + 2ρP (σ measured, the
/// spread of real round-start times, itself at most the delay bound), plus the two ticks of
/// clock reading and the ρ · probe error of comparing records made at different times.
#[test]
fn clocks_from_rounds_have_precision_sigma_plus_two_rho_p() {
    use clocks::rounds::round_driven_clock::RoundClockSkew;
    use clocks::rounds::RoundDrivenClock;
    let (period, rounds, probe) = (50, 20, 7);
    println!(
        "| delay | drift | offset | sigma | skew_max | bound sigma + 2 rho P + 2 + rho probe |"
    );
    for (min, max, drift, offset) in [
        (1, 5, 1e-4, 30),
        (3, 4, 1e-3, 100),
        (1, 10, 1e-2, 0),
        (5, 5, 1e-2, 10),
    ] {
        for seed in 0..10 {
            let model = SystemModel {
                delay: Delay {
                    min,
                    max,
                    ..Delay::default()
                },
                clocks: Clocks { drift, offset },
                ..SystemModel::default()
            };
            let mut setup = Setup::new(4, model, move |_| {
                RoundDrivenClock::new(period, rounds, probe)
            });
            setup.clocks = draw_clocks(4, drift, offset, seed);
            let out = Sim::new(
                setup,
                Monitors::new(vec![Box::new(RoundClockSkew::new("rdc", f64::INFINITY))]),
            )
            .seed(seed)
            .max_time(period * (rounds + 2) * 2)
            .run();
            let (sigma, skew) = (out.metrics["sigma"], out.metrics["skew_max"]);
            let bound = sigma + 2.0 * drift * period as f64 + 2.0 + drift * probe as f64;
            // The source starts a round when it sends the signal, the others within [min, max].
            assert!(sigma <= max as f64, "σ = {sigma} > the delay bound");
            let _ = min;
            assert!(skew <= bound, "skew {skew} > {bound} (σ = {sigma})");
            if seed == 0 {
                println!("| [{min}, {max}] | {drift} | {offset} | {sigma} | {skew} | {bound:.3} |");
            }
        }
    }
}

/// The precision monitor catches a model too weak for its target: with delays up to 31 ticks,
/// the clocks are further apart than a target set for delays up to 5 (σ ≤ 5, two ticks of
/// granularity, no drift).
#[test]
fn precision_monitor_catches_a_wide_delay_spread() {
    use clocks::rounds::round_driven_clock::RoundClockSkew;
    use clocks::rounds::RoundDrivenClock;
    let target = 5.0 + 2.0;
    let run = |max: Time| {
        let model = SystemModel {
            delay: Delay {
                min: 1,
                max,
                ..Delay::default()
            },
            ..SystemModel::default()
        };
        let setup = Setup::new(4, model, |_| RoundDrivenClock::new(50, 10, 7));
        Sim::new(
            setup,
            Monitors::new(vec![Box::new(RoundClockSkew::new("rdc", target))]),
        )
        .seed(2)
        .max_time(2_000)
        .run()
    };
    assert!(run(5).all_hold());
    let late = run(31);
    let v = &late.property("precision").unwrap().verdict;
    assert!(v.is_violation(), "{v:?}");
}
