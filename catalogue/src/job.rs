//! The job a scenario becomes: one simulated run, an exhaustive exploration within a budget,
//! the Explorer, a replay of a simulated schedule in the checker. The algorithm's types stop
//! here: the CLI sees a [`Runnable`].

use crate::{InputError, Loaded, Params, PropertyDef, RequestSpec};
use automata::check::{Budget, Coverage, Explore, ProgressFn, Search};
use automata::sim::{draw_clocks, Outcome, Sim};
use automata::world::Request;
use automata::{Module, Monitor, Monitors, Pid, Setup, Time, TraceEvent};
use std::collections::BTreeMap;

/// An exploration's result, without the algorithm's types.
#[derive(Debug)]
pub struct Explored {
    pub search: Search,
    pub unique_states: usize,
    pub states: usize,
    pub max_depth: usize,
    pub coverage: Coverage,
    pub elapsed: std::time::Duration,
    /// The main search alone, without the fair-cycle search.
    pub search_elapsed: std::time::Duration,
    pub bytes_per_state: Option<f64>,
    pub properties: Vec<ExploredProperty>,
    pub counterexample: Option<(String, Vec<TraceEvent>)>,
    /// The counterexample's witness event and explanation, where the monitor gives one.
    pub violation: Option<automata::Violation>,
    /// For a liveness lasso: the first event of the cycle the counterexample repeats forever.
    pub cycle_from: Option<u64>,
    /// What the fair-cycle search for liveness covered, when it ran.
    pub lasso: Option<automata::check::LassoCoverage>,
    /// Every run ends at this time (liveness is then judged where runs end).
    pub horizon: Option<automata::Time>,
}

/// One property as the search saw it.
#[derive(Clone, Debug)]
pub struct ExploredProperty {
    pub name: String,
    pub kind: automata::PropertyKind,
    /// States at which it was judged (for liveness: where a run ended, or on fair cycles).
    pub judged: usize,
    /// Run ends at which the monitor could not judge.
    pub inconclusive: usize,
    pub violated: bool,
}

impl Explored {
    /// Unique states per second of the main search.
    pub fn rate(&self) -> f64 {
        automata::check::per_second(self.unique_states, self.search_elapsed)
    }
}

/// A scenario ready to run: the algorithm's types are hidden behind this trait.
pub trait Runnable: Send + Sync {
    /// One simulated run.
    fn simulate(&self, seed: u64, record: bool) -> Outcome;
    /// Exhaustive exploration within `budget`; `progress` is called with a snapshot about
    /// every given interval while it runs.
    fn explore(
        &self,
        search: Search,
        budget: Budget,
        threads: usize,
        progress: Option<(ProgressFn, std::time::Duration)>,
    ) -> Explored;
    /// Serves stateright's Explorer for this scenario's model on `addr`, forever; `diagram`
    /// draws each explored path. (Not in the browser build: it has no sockets, and each stack's
    /// Explorer would weigh on the module every reader downloads.)
    #[cfg(not(target_arch = "wasm32"))]
    fn serve(
        &self,
        addr: std::net::SocketAddr,
        max_depth: usize,
        diagram: Option<automata::check::Diagram>,
    ) -> !;
    /// The root module's name: the layer whose requests and indications a diagram shows by
    /// default (the abstraction the algorithm implements).
    fn layer(&self) -> &'static str;
    /// What theory predicts for the sweep's metrics (`ioa sweep` prints it next to them).
    fn predicted(&self) -> BTreeMap<String, f64> {
        BTreeMap::new()
    }
    /// Simulates seed `seed`, replays its schedule in the model checker's model and compares
    /// the two traces: `Ok(events)` when they are identical, else where they part. (Native
    /// only, like `serve`: a test of the runners, not something a reader runs.)
    #[cfg(not(target_arch = "wasm32"))]
    fn cross_check(&self, seed: u64) -> Result<usize, String>;
}

struct Job<R: Module> {
    setup: Setup<R>,
    /// The abstraction's properties (both runners).
    monitors: Monitors,
    /// The environment's conformance checks (simulation only: the checker explores executions
    /// of the model by construction).
    environment: Monitors,
    max_time: Time,
    settle: Time,
    crashes: usize,
    horizon: Option<Time>,
    every_delay: bool,
    predicted: BTreeMap<String, f64>,
}

impl<R: Module> Job<R> {
    /// The checker with the scenario's `[explore]` bounds (`ioa check` and the Explorer).
    fn explorer(&self) -> Explore<R> {
        let mut explore = Explore::new(self.setup.clone(), self.monitors.clone())
            .crashes(self.crashes)
            .every_delay(self.every_delay);
        if let Some(h) = self.horizon {
            explore = explore.horizon(h);
        }
        explore
    }
}

impl<R: Module> Job<R> {
    /// The setup of seed `seed`: its own hardware clocks and common-coin key.
    fn sim_setup(&self, seed: u64) -> Setup<R> {
        let mut setup = self.setup.clone();
        let c = setup.model.clocks;
        setup.clocks = draw_clocks(setup.n, c.drift, c.offset, seed);
        setup.coin = seed;
        setup
    }

    /// The simulation of seed `seed`, with the environment's conformance monitors too.
    fn sim(&self, seed: u64) -> Sim<R> {
        let mut monitors = self.monitors.clone();
        for w in &self.environment.watches {
            monitors.push(w.monitor.clone_box());
        }
        Sim::new(self.sim_setup(seed), monitors)
            .seed(seed)
            .max_time(self.max_time)
            .settle(self.settle)
    }
}

impl<R: Module> Runnable for Job<R> {
    fn layer(&self) -> &'static str {
        R::NAME
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn serve(
        &self,
        addr: std::net::SocketAddr,
        max_depth: usize,
        diagram: Option<automata::check::Diagram>,
    ) -> ! {
        let mut explore = self.explorer();
        if let Some(d) = diagram {
            explore = explore.diagram(d);
        }
        explore.serve(addr, max_depth)
    }

    fn predicted(&self) -> BTreeMap<String, f64> {
        self.predicted.clone()
    }

    fn simulate(&self, seed: u64, record: bool) -> Outcome {
        self.sim(seed).record(record).run()
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn cross_check(&self, seed: u64) -> Result<usize, String> {
        let (outcome, schedule) = self
            .sim(seed)
            .record(true)
            .record_schedule(true)
            .run_scheduled();
        let simulated = outcome.trace.expect("recorded");
        let schedule = schedule.expect("recorded");
        let mut explore = Explore::new(self.sim_setup(seed), self.monitors.clone());
        explore = explore.crashes(self.crashes);
        let checked = explore.replay_schedule(&schedule)?;
        if let Some(i) =
            (0..simulated.len().max(checked.len())).find(|&i| simulated.get(i) != checked.get(i))
        {
            return Err(format!(
                "the traces part at event {i}: simulator {:?}, checker {:?}",
                simulated.get(i),
                checked.get(i)
            ));
        }
        Ok(simulated.len())
    }

    fn explore(
        &self,
        search: Search,
        budget: Budget,
        threads: usize,
        progress: Option<(ProgressFn, std::time::Duration)>,
    ) -> Explored {
        let mut explore = self.explorer();
        if let Some((f, every)) = progress {
            explore = explore.progress(f, every);
        }
        let r = explore.check(search, budget, threads);
        Explored {
            search,
            unique_states: r.unique_states,
            states: r.states,
            max_depth: r.max_depth,
            coverage: r.coverage,
            elapsed: r.elapsed,
            search_elapsed: r.search_elapsed,
            bytes_per_state: r.bytes_per_state,
            lasso: r.lasso.clone(),
            horizon: r.horizon,
            properties: r
                .properties
                .iter()
                .map(|p| ExploredProperty {
                    name: p.name.to_string(),
                    kind: p.kind,
                    judged: p.judged,
                    inconclusive: p.inconclusive,
                    violated: p.violated,
                })
                .collect(),
            violation: r.counterexample.as_ref().and_then(|c| c.violation.clone()),
            cycle_from: r
                .counterexample
                .as_ref()
                .and_then(|c| c.cycle.map(|c| c.event)),
            counterexample: r.counterexample.map(|c| (c.property.to_string(), c.trace)),
        }
    }
}

/// Builds the runnable job of a scenario: `factory` makes each process's module tree,
/// `request` turns a workload entry into the root module's request.
pub fn job<R: Module>(
    l: &Loaded,
    params: &Params,
    factory: impl Fn(Pid) -> R + Send + Sync + 'static,
    request: fn(&RequestSpec, usize) -> Result<R::Req, String>,
) -> Result<Box<dyn Runnable>, InputError> {
    job_predicting(l, params, factory, request, BTreeMap::new())
}

/// [`job`], with what theory predicts for the metrics a sweep measures.
pub fn job_predicting<R: Module>(
    l: &Loaded,
    params: &Params,
    factory: impl Fn(Pid) -> R + Send + Sync + 'static,
    request: fn(&RequestSpec, usize) -> Result<R::Req, String>,
    predicted: BTreeMap<String, f64>,
) -> Result<Box<dyn Runnable>, InputError> {
    job_with(l, params, factory, request, predicted, Vec::new())
}

/// [`job_predicting`], where each of `targets` replaces the abstraction's monitor of the same
/// name: a property whose target (a precision ε, say) comes from the scenario's parameters,
/// which a [`PropertyDef`] cannot carry.
pub fn job_with<R: Module>(
    l: &Loaded,
    params: &Params,
    factory: impl Fn(Pid) -> R + Send + Sync + 'static,
    request: fn(&RequestSpec, usize) -> Result<R::Req, String>,
    predicted: BTreeMap<String, f64>,
    targets: Vec<Box<dyn Monitor>>,
) -> Result<Box<dyn Runnable>, InputError> {
    let s = &l.scenario;
    let n = s.processes;
    let mut workload = Vec::new();
    for r in &l.requests {
        let req = request(r, n).map_err(|rule| l.error(&format!("{}.request", r.key), rule))?;
        workload.push(Request {
            at: r.at,
            process: r.process,
            req,
        });
    }
    let (mut monitors, environment) = monitors(l, params, R::NAME)?;
    for target in targets {
        if let Some(w) = monitors
            .watches
            .iter_mut()
            .find(|w| w.monitor.name() == target.name())
        {
            w.make_mut().monitor = target;
        }
    }
    let settle = s
        .check
        .settle
        .unwrap_or_else(|| crate::spec::default_settle(s, &params.periods()));
    let mut setup = Setup::new(n, s.model.clone(), factory)
        .faults(l.faults.clone())
        .fault_budget(l.f)
        .workload(workload);
    // The hardware clocks of the scenario's seed: what the model checker explores (each
    // simulated run draws its own seed's).
    let c = s.model.clocks;
    setup.clocks = draw_clocks(n, c.drift, c.offset, s.seed);
    setup.coin = s.seed;
    Ok(Box::new(Job {
        setup,
        monitors,
        environment,
        max_time: s.check.max_time,
        settle,
        crashes: s.explore.crashes,
        horizon: s.explore.horizon,
        every_delay: s.explore.every_delay,
        predicted,
    }))
}

/// The monitors a scenario asks for, watching module `module`.
fn monitors(l: &Loaded, params: &Params, module: &str) -> Result<(Monitors, Monitors), InputError> {
    let s = &l.scenario;
    let abs = params.abstraction();
    let environment = automata::conformance_monitors(&s.model, s.processes, l.f);
    let (chosen, environment): (Vec<&PropertyDef>, Vec<Box<dyn Monitor>>) = match &s
        .check
        .properties
    {
        None => (abs.properties.iter().collect(), environment),
        Some(names) => {
            let mut chosen = Vec::new();
            let mut env = Vec::new();
            for (i, name) in names.iter().enumerate() {
                if let Some(p) = abs.properties.iter().find(|p| p.id == name) {
                    chosen.push(p);
                } else if let Some(m) = environment.iter().find(|m| m.name() == name) {
                    env.push(m.clone_box());
                } else {
                    let ids: Vec<_> = abs.properties.iter().map(|p| p.id).collect();
                    let conf: Vec<_> = environment.iter().map(|m| m.name().to_string()).collect();
                    return Err(l.error(
                        &format!("check.properties[{i}]"),
                        format!(
                            "the `{}` abstraction has no property `{name}` (it has {}; this model's conformance checks are {})",
                            abs.id,
                            ids.join(", "),
                            conf.join(", ")
                        ),
                    ));
                }
            }
            (chosen, env)
        }
    };
    if let Some(crate::spec::Expect::Violation(Some(name))) = &s.check.expect {
        let checked: Vec<String> = chosen
            .iter()
            .map(|p| p.id.to_string())
            .chain(environment.iter().map(|m| m.name().to_string()))
            .collect();
        if !checked.iter().any(|c| c == name) {
            return Err(l.error(
                "check.expect",
                format!(
                    "the expected violation names `{name}`, which this scenario does not check (it checks {})",
                    checked.join(", ")
                ),
            ));
        }
    }
    if chosen.len() > automata::check::MAX_PROPERTIES {
        return Err(l.error(
            "check.properties",
            format!(
                "at most {} properties per scenario",
                automata::check::MAX_PROPERTIES
            ),
        ));
    }
    Ok((
        Monitors::new(chosen.into_iter().map(|p| (p.make)(module)).collect()),
        Monitors::new(environment),
    ))
}
