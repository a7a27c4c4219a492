//! Cristian's probabilistic clock synchronization `cristian` (Cristian 1989; book §10.2, C.6).
//!
//! Abstraction: clock synchronization against a time server (external accuracy; internal
//! precision follows). Model: client/server, no failures, no drift on the client's clock while
//! it measures a round trip, every message delay at least d_min (known).
//! Algorithm: the client asks the server for its time, measures the round trip RTT on its own
//! clock and estimates the server's clock as T + RTT/2. If RTT is at most `max_rtt` it adopts
//! the estimate, otherwise it asks again after `period` local ticks.
//! Error bound (C.6): the server read T between d_min after the request and d_min before the
//! reply, so |estimate − C_server| ≤ RTT/2 − d_min; with RTT ≤ max_rtt, every client is within
//! max_rtt/2 − d_min of the server and two clients within max_rtt − 2·d_min of each other
//! (the precision target of its scenarios). Each attempt is traced as
//! `Event::Other { name: "attempt", value: [server, RTT, estimate in half ticks, d_min] }`
//! for the C.6 monitor ([`crate::physical::CristianBound`]). Backward corrections are
//! slewed.

use super::{after_correction, Tick};
use crate::physical::AdjustedClock;
use automata::{Ctx, Event, Module, Pid, Time, Value};

/// Wire messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire {
    /// Client → server: attempt number.
    Request(u64),
    /// Server → client: the attempt answered and the server's clock, in half ticks.
    Reply(u64, i64),
}

/// Timers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer {
    Retry,
    Tick(Tick),
}

/// Parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CristianParams {
    pub server: Pid,
    /// Ticks between attempts.
    pub period: Time,
    /// The largest round trip a client accepts.
    pub max_rtt: Time,
    /// The minimum one-way delay the client assumes.
    pub d_min: Time,
    /// The clock is traced every `probe` local ticks (0: never).
    pub probe: Time,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cristian {
    params: CristianParams,
    clock: AdjustedClock,
    /// The current attempt and the local time its request left.
    attempt: u64,
    sent_at: Time,
    adopted: bool,
}

impl Cristian {
    pub fn new(params: CristianParams) -> Self {
        Cristian {
            params,
            clock: AdjustedClock::new(2),
            attempt: 0,
            sent_at: 0,
            adopted: false,
        }
    }

    fn is_server(&self, ctx: &Ctx<Self>) -> bool {
        ctx.me() == self.params.server
    }

    // ANCHOR: ask
    /// Sends the next request to the server.
    fn ask(&mut self, ctx: &mut Ctx<Self>) {
        self.attempt += 1;
        self.sent_at = ctx.clock();
        ctx.send(self.params.server, Wire::Request(self.attempt));
        ctx.set_timer(self.params.period, Timer::Retry);
    }

    /// `upon receiving [REPLY, T] with round trip RTT do estimate := T + RTT/2; if RTT ≤ max_rtt
    /// then C := estimate`.
    fn on_reply(&mut self, ctx: &mut Ctx<Self>, attempt: u64, t: i64) {
        if attempt != self.attempt || self.adopted {
            return;
        }
        let rtt = ctx.clock() - self.sent_at;
        let estimate = t + rtt as i64;
        ctx.internal(Event::Other {
            name: "attempt".into(),
            value: Value::List(vec![
                Value::Int(self.params.server as i64),
                Value::Int(rtt as i64),
                Value::Int(estimate),
                Value::Int(self.params.d_min as i64),
            ]),
        });
        if rtt <= self.params.max_rtt {
            self.adopted = true;
            ctx.cancel_timer(Timer::Retry);
            let now = self.clock.read(ctx.clock());
            self.clock.adjust(estimate - now, ctx.clock());
            after_correction(ctx, &mut self.clock, Timer::Tick(Tick::Slewed));
        }
        self.clock.trace(ctx);
    }
    // ANCHOR_END: ask
}

impl Module for Cristian {
    const NAME: &'static str = "cs";
    type Req = ();
    type Ind = ();
    type Msg = Wire;
    type Timer = Timer;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.clock = AdjustedClock::new(2);
        if self.is_server(ctx) {
            self.clock.mark_synced();
        } else {
            self.ask(ctx);
        }
        self.clock.trace(ctx);
        if self.params.probe > 0 {
            ctx.set_timer(self.params.probe, Timer::Tick(Tick::Probe));
        }
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, _req: ()) {}

    // ANCHOR: server
    /// Server: `upon receiving [REQUEST] from c do send [REPLY, C] to c`; client: the reply.
    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: Wire) {
        match msg {
            Wire::Request(a) if self.is_server(ctx) => {
                let c = self.clock.read(ctx.clock());
                ctx.send(from, Wire::Reply(a, c));
                self.clock.trace(ctx);
            }
            Wire::Reply(a, t) => self.on_reply(ctx, a, t),
            Wire::Request(_) => {}
        }
    }
    // ANCHOR_END: server

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Timer) {
        match timer {
            Timer::Retry if !self.adopted => self.ask(ctx),
            Timer::Retry => {}
            Timer::Tick(Tick::Slewed) => {
                after_correction(ctx, &mut self.clock, Timer::Tick(Tick::Slewed))
            }
            Timer::Tick(Tick::Probe) => ctx.set_timer(self.params.probe, timer),
        }
        self.clock.trace(ctx);
    }
}

use crate::abstractions::{delays, sync_job, EPS, PROBE};
use catalogue::{Algorithm, InputError, Loaded, Param, Params, Runnable};

/// The catalogue entries: what `ioa list` shows and a scenario's `algorithm` names.
pub const ALGORITHMS: &[Algorithm] = catalogue::entries! {
    id: "cristian", abstraction: "ecs",
    params: &[
        Param::int("period", 50, "local ticks between two attempts"),
        Param::int("max_rtt", 0, "the largest round trip a client accepts; 0: 2·d (every one)"),
        Param::int("d_min", 0, "the minimum delay the client assumes; 0: [model] delay.min"),
        PROBE,
        EPS,
    ],
    model: "client/server (the server is process 0), no failures, no drift, delays ≥ d_min",
    summary: "Cristian 1989: ask the server, C := T + RTT/2 if RTT ≤ max_rtt; error ≤ RTT/2 − d_min (C.6); ε = max_rtt − 2·d_min",
    build: cristian;
};

fn cristian(l: &Loaded, p: &Params) -> Result<Box<dyn Runnable>, InputError> {
    let (d, _, model_d_min) = delays(l);
    let d_min = match p.int("d_min") {
        0 => model_d_min,
        x => x,
    };
    let max_rtt = match p.int("max_rtt") {
        0 => 2 * d,
        x => x,
    };
    if max_rtt < 2 * d_min {
        return Err(l.error(
            "params.max_rtt",
            format!(
                "max_rtt = {max_rtt} is below 2·d_min = {}: no reply could ever be accepted",
                2 * d_min
            ),
        ));
    }
    let params = CristianParams {
        server: 0,
        period: p.int("period").max(1),
        max_rtt,
        d_min,
        probe: p.int("probe"),
    };
    let eps = (max_rtt - 2 * d_min) as f64;
    sync_job(l, p, move |_| Cristian::new(params), eps)
}
