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
use crate::module::Module;
use crate::trace::Event;
use crate::value::{Payload, Value};
use crate::Time;
use std::convert::Infallible;

pub use super::sync_job_handler::Done;

/// Mutant of the Synchronous Job Handler with processing time `work`: while a job is being
/// processed it drops every new `Submit` on the floor, as if the input were not enabled in that
/// state (book §2.1, B-2.2, D.3).
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

crate::below! {
    impl[J: Payload] DoubleConfirmJobHandler<J>;
    /// The correct handler inside the mutant.
    Inner(jh: SyncJobHandler<J>) as "inner" => on_inner_confirm;
}

impl<J: Payload> DoubleConfirmJobHandler<J> {
    fn on_inner_confirm(&mut self, ctx: &mut Ctx<Self>, ind: Confirm<J>) {
        ctx.indicate(ind);
    }
}

impl<J: Payload> Module for DoubleConfirmJobHandler<J> {
    const NAME: &'static str = "jh";
    type Req = Submit<J>;
    type Ind = Confirm<J>;
    crate::pass_through!(Inner: SyncJobHandler<J>);

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        ctx.init(self, Inner);
    }

    /// BUG: confirms at once, then lets the synchronous handler confirm again.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Submit(job): Submit<J>) {
        ctx.indicate(Confirm(job.clone()));
        ctx.trigger(self, Inner, Submit(job));
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

crate::below! {
    impl[J: Payload, H: JobHandler<J>] LeakyBuffering<J, H>;
    /// Slot of the job handler below the mutant.
    LeakyJh(jh: H) => on_jh_confirm;
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

    fn on_jh_confirm(&mut self, _ctx: &mut Ctx<Self>, _ind: Confirm<J>) {
        self.handling = false;
    }
}

impl<J: Payload, H: JobHandler<J>> Module for LeakyBuffering<J, H> {
    const NAME: &'static str = "th";
    type Req = Submit<J>;
    type Ind = Response<J>;
    crate::pass_through!(LeakyJh: H);

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
    }

    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        while !self.handling {
            let Some(job) = self.buffer.pop_front() else {
                return;
            };
            self.handling = true;
            ctx.trigger(self, LeakyJh, Submit(job));
        }
    }
}
