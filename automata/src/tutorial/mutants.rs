//! Deliberately broken job handlers and transformations, one per property monitor: each is a
//! small change to a correct module, and the tests show the monitor catching it.
//!
//! | mutant | bug | caught by |
//! |---|---|---|
//! | [`ForgetfulJobHandler`] | ignores `Submit` while busy (not input-enabled, B-2.2) | `guaranteed-response` |
//! | [`DoubleConfirmJobHandler`] | confirms at submit *and* after processing | `no-creation` |
//! | [`LeakyBuffering`] | rejects a job when full but hands it to `jh` anyway | `soundness` |
//!
//! The Asynchronous Job Handler itself is the variant `processed-before-confirm` rejects (B-2.3).

use super::{Confirm, JobHandler, Response, Submit, SyncJobHandler};
use crate::context::Ctx;
use crate::module::{Below, Module};
use crate::trace::Event;
use crate::value::{Payload, Value};
use crate::{Pid, Time};
use std::convert::Infallible;

pub use super::sync_job_handler::Done;

/// Mutant of the Synchronous Job Handler with processing time `work`: while a job is being
/// processed it drops every new `Submit` on the floor, as if the input were not enabled in that
/// state (CATALOGUE.md B-2.2, D.3).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ForgetfulJobHandler<J: Payload = Value> {
    work: Time,
    /// The job being processed.
    busy: Option<J>,
}

impl<J: Payload> ForgetfulJobHandler<J> {
    pub fn new(work: Time) -> Self {
        ForgetfulJobHandler {
            work: work.max(1),
            busy: None,
        }
    }
}

impl<J: Payload> Module for ForgetfulJobHandler<J> {
    const NAME: &'static str = "jh";
    type Req = Submit<J>;
    type Ind = Confirm<J>;
    type Msg = Infallible;
    type Timer = Done;

    fn on_init(&mut self, _ctx: &mut Ctx<Self>) {
        self.busy = None;
    }

    /// BUG: `if busy then skip` — the submitted job is neither queued nor answered.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Submit(job): Submit<J>) {
        if self.busy.is_none() {
            self.busy = Some(job);
            ctx.set_timer(self.work, Done);
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, Done: Done) {
        if let Some(job) = self.busy.take() {
            ctx.internal(Event::Processed {
                job: job.to_value(),
            });
            ctx.indicate(Confirm(job));
        }
    }
}

/// Mutant that mixes the two job handlers: it confirms a job when it is submitted (like the
/// asynchronous one) and again once it is processed (like the synchronous one), so the second
/// `Confirm` answers nothing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DoubleConfirmJobHandler<J: Payload = Value> {
    jh: SyncJobHandler<J>,
}

impl<J: Payload> DoubleConfirmJobHandler<J> {
    pub fn new(work: Time) -> Self {
        DoubleConfirmJobHandler {
            jh: SyncJobHandler::with_work(work),
        }
    }
}

/// The correct handler inside the mutant.
#[derive(Clone, Copy, Debug)]
pub struct Inner;

impl<J: Payload> Below<DoubleConfirmJobHandler<J>> for Inner {
    type Lower = SyncJobHandler<J>;
    const NAME: &'static str = "inner";
    fn lower(m: &mut DoubleConfirmJobHandler<J>) -> &mut SyncJobHandler<J> {
        &mut m.jh
    }
    fn wrap_msg(msg: Infallible) -> Infallible {
        msg
    }
    fn wrap_timer(t: Done) -> Done {
        t
    }
    fn indication(
        _m: &mut DoubleConfirmJobHandler<J>,
        ctx: &mut Ctx<DoubleConfirmJobHandler<J>>,
        ind: Confirm<J>,
    ) {
        ctx.indicate(ind);
    }
}

impl<J: Payload> Module for DoubleConfirmJobHandler<J> {
    const NAME: &'static str = "jh";
    type Req = Submit<J>;
    type Ind = Confirm<J>;
    type Msg = Infallible;
    type Timer = Done;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Inner);
    }

    /// BUG: confirms at once, then lets the synchronous handler confirm again.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Submit(job): Submit<J>) {
        ctx.indicate(Confirm(job.clone()));
        ctx.trigger(self, Inner, Submit(job));
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: Done) {
        ctx.pass_timer(self, Inner, timer);
    }
}

/// Mutant of Job-Transformation by Buffering: when the buffer is full it answers `Error`, but
/// hands the job to `jh` anyway (it "squeezes it in").
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LeakyBuffering<J: Payload = Value, H: JobHandler<J> = SyncJobHandler<J>> {
    jh: H,
    m: usize,
    /// Accepted jobs not yet handed to `jh`, oldest first.
    buffer: std::collections::VecDeque<J>,
    handling: bool,
}

/// Slot of the job handler below the mutant.
#[derive(Clone, Copy, Debug)]
pub struct LeakyJh;

impl<J: Payload, H: JobHandler<J>> Below<LeakyBuffering<J, H>> for LeakyJh {
    type Lower = H;
    fn lower(th: &mut LeakyBuffering<J, H>) -> &mut H {
        &mut th.jh
    }
    fn wrap_msg(msg: H::Msg) -> H::Msg {
        msg
    }
    fn wrap_timer(timer: H::Timer) -> H::Timer {
        timer
    }
    fn indication(
        th: &mut LeakyBuffering<J, H>,
        _ctx: &mut Ctx<LeakyBuffering<J, H>>,
        _ind: Confirm<J>,
    ) {
        th.handling = false;
    }
}

impl<J: Payload, H: JobHandler<J>> LeakyBuffering<J, H> {
    pub fn over(m: usize, jh: H) -> Self {
        LeakyBuffering {
            jh,
            m: m.max(1),
            buffer: Default::default(),
            handling: false,
        }
    }

    fn handle_buffered(&mut self, ctx: &mut Ctx<Self>) {
        while !self.handling {
            let Some(job) = self.buffer.pop_front() else {
                return;
            };
            self.handling = true;
            ctx.trigger(self, LeakyJh, Submit(job));
        }
    }
}

impl<J: Payload, H: JobHandler<J>> Module for LeakyBuffering<J, H> {
    const NAME: &'static str = "th";
    type Req = Submit<J>;
    type Ind = Response<J>;
    type Msg = H::Msg;
    type Timer = H::Timer;

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.buffer.clear();
        self.handling = false;
        ctx.init(self, LeakyJh);
    }

    /// BUG: on a full buffer, `Error` and then `Submit` to `jh` all the same.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Submit(job): Submit<J>) {
        if self.buffer.len() == self.m {
            ctx.indicate(Response::Error(job.clone()));
            ctx.trigger(self, LeakyJh, Submit(job));
        } else {
            self.buffer.push_back(job.clone());
            ctx.indicate(Response::Confirm(job));
        }
        self.handle_buffered(ctx);
    }

    fn on_message(&mut self, ctx: &mut Ctx<Self>, from: Pid, msg: H::Msg) {
        ctx.pass_message(self, LeakyJh, from, msg);
        self.handle_buffered(ctx);
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, timer: H::Timer) {
        ctx.pass_timer(self, LeakyJh, timer);
        self.handle_buffered(ctx);
    }
}
