//! Synchronous Job Handler (CGR Algorithm 1.1), id `sync-job-handler`: implements job handler
//! `jh` (CGR Module 1.1).
//!
//! Model: any (no messages, no timing assumption). Properties: JH1 guaranteed response, and it
//! confirms a job only once it has been processed (`processed-before-confirm`, B-2.3).
//!
//! With `work = 0` (the book's algorithm) processing takes no time: the job is processed and
//! confirmed in the `Submit` handler. With `work > 0` each job takes `work` local ticks; jobs
//! submitted meanwhile wait in a queue (the handler stays input-enabled), and each is confirmed
//! when its processing ends. That slowness is what fills a transformation's buffer.

use super::{Confirm, Submit};
use crate::context::Ctx;
use crate::module::Module;
use crate::trace::Event;
use crate::value::{Payload, Value};
use crate::Time;
use std::collections::VecDeque;
use std::convert::Infallible;

/// The algorithm id (`ioa list`).
pub const ID: &str = "sync-job-handler";

/// Synchronous Job Handler.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SyncJobHandler<J: Payload = Value> {
    /// Local ticks one job takes to process (0: instantaneous, as in the book).
    work: Time,
    /// Jobs submitted and not yet processed (only with `work > 0`), the head being processed.
    queue: VecDeque<J>,
}

/// The end of the job being processed (only with `work > 0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Done;

impl<J: Payload> SyncJobHandler<J> {
    /// The book's algorithm: process, then confirm, in the `Submit` handler.
    pub fn new() -> Self {
        SyncJobHandler::with_work(0)
    }

    /// Each job takes `work` local ticks to process.
    pub fn with_work(work: Time) -> Self {
        SyncJobHandler {
            work,
            queue: VecDeque::new(),
        }
    }

    /// `process(job)`: the internal step, made visible as `Processed | job`.
    fn process(&mut self, ctx: &mut Ctx<Self>, job: &J) {
        ctx.internal(Event::Processed {
            job: job.to_value(),
        });
    }
}

impl<J: Payload> Default for SyncJobHandler<J> {
    fn default() -> Self {
        SyncJobHandler::new()
    }
}

impl<J: Payload> Module for SyncJobHandler<J> {
    const NAME: &'static str = "jh";
    type Req = Submit<J>;
    type Ind = Confirm<J>;
    type Msg = Infallible;
    type Timer = Done;

    fn on_init(&mut self, _ctx: &mut Ctx<Self>) {
        self.queue.clear();
    }

    // ANCHOR: submit
    /// `upon event ⟨ jh, Submit | job ⟩ do process(job); trigger ⟨ jh, Confirm | job ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Submit(job): Submit<J>) {
        if self.work == 0 {
            self.process(ctx, &job);
            ctx.indicate(Confirm(job));
            return;
        }
        self.queue.push_back(job);
        if self.queue.len() == 1 {
            ctx.set_timer(self.work, Done);
        }
    }
    // ANCHOR_END: submit

    /// The processing of the head job ends: process it, confirm it, start the next.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, Done: Done) {
        let Some(job) = self.queue.pop_front() else {
            return;
        };
        self.process(ctx, &job);
        ctx.indicate(Confirm(job));
        if !self.queue.is_empty() {
            ctx.set_timer(self.work, Done);
        }
    }
}
