//! Asynchronous Job Handler (CGR Algorithm 1.2), id `async-job-handler`: implements job
//! handler `jh` (CGR Module 1.1).
//!
//! Model: any (no messages, no timing assumption). Properties: JH1 guaranteed response. It
//! confirms a job at once and processes it later from a buffer, so "confirmed" says nothing
//! about "processed": `processed-before-confirm` fails, and a crash between the two loses a
//! confirmed job (B-2.3).
//!
//! The book's guarded step `upon buffer ≠ ∅` gets its turn through a timer: `step` local ticks
//! after the buffer became non-empty, and again after each job while jobs remain.

use super::{Confirm, Submit};
use crate::context::Ctx;
use crate::module::Module;
use crate::trace::Event;
use crate::value::{Payload, Value};
use crate::Time;
use std::collections::VecDeque;
use std::convert::Infallible;

/// The algorithm id (`ioa list`).
pub const ID: &str = "async-job-handler";

/// Default `step`: local ticks between the guard's turns.
pub const DEFAULT_STEP: Time = 5;

/// Asynchronous Job Handler.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AsyncJobHandler<J: Payload = Value> {
    /// Local ticks between two turns of the `upon buffer ≠ ∅` step (at least 1).
    step: Time,
    /// `buffer`: confirmed jobs waiting to be processed, oldest first.
    buffer: VecDeque<J>,
}

/// The turn of the guarded step `upon buffer ≠ ∅`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Handle;

impl<J: Payload> AsyncJobHandler<J> {
    /// Processes one buffered job every `step` local ticks (at least 1).
    pub fn new(step: Time) -> Self {
        AsyncJobHandler {
            step: step.max(1),
            buffer: VecDeque::new(),
        }
    }

    /// The jobs confirmed and not yet processed.
    pub fn buffer(&self) -> &VecDeque<J> {
        &self.buffer
    }
}

impl<J: Payload> Default for AsyncJobHandler<J> {
    fn default() -> Self {
        AsyncJobHandler::new(DEFAULT_STEP)
    }
}

impl<J: Payload> Module for AsyncJobHandler<J> {
    const NAME: &'static str = "jh";
    type Req = Submit<J>;
    type Ind = Confirm<J>;
    type Msg = Infallible;
    type Timer = Handle;

    /// `upon event ⟨ jh, Init ⟩ do buffer := ∅`.
    fn on_init(&mut self, _ctx: &mut Ctx<Self>) {
        self.buffer.clear();
    }

    // ANCHOR: handlers
    /// `upon event ⟨ jh, Submit | job ⟩ do buffer := buffer ∪ {job};
    /// trigger ⟨ jh, Confirm | job ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Submit(job): Submit<J>) {
        self.buffer.push_back(job.clone());
        if self.buffer.len() == 1 {
            ctx.set_timer(self.step, Handle);
        }
        ctx.indicate(Confirm(job));
    }

    /// `upon buffer ≠ ∅ do job := select(buffer); process(job); buffer := buffer \ {job}`.
    fn on_timer(&mut self, ctx: &mut Ctx<Self>, Handle: Handle) {
        let Some(job) = self.buffer.pop_front() else {
            return;
        };
        ctx.internal(Event::Processed {
            job: job.to_value(),
        });
        if !self.buffer.is_empty() {
            ctx.set_timer(self.step, Handle);
        }
    }
    // ANCHOR_END: handlers
}
