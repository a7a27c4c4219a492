//! Job-Transformation by Buffering (CGR Algorithm 1.3), id `buffering-transformation`:
//! implements job transformation `th` (CGR Module 1.2) over any job handler `jh`.
//!
//! Model: any. Properties: TH1 guaranteed response (every submitted job is confirmed or
//! rejected with `Error` at once), TH2 soundness (a job that got `Error` never reaches `jh`).
//! The first module of the book that owns another: the lower handler is a field, reached
//! through the [`Jh`] slot, and any [`JobHandler`] fits.
//!
//! The book's guarded step `upon bottom < top ∧ handling = FALSE` is [`Module::on_guard`]: the
//! runner evaluates it after every input of the transformation (a submit, or a message or timer
//! of `jh`), as often as it is enabled.

use super::{Confirm, JobHandler, Response, Submit};
use crate::context::Ctx;
use crate::module::Module;
use crate::value::{Payload, Value};

use super::SyncJobHandler;

/// The algorithm id (`ioa list`).
pub const ID: &str = "buffering-transformation";

/// Default buffer size M.
pub const DEFAULT_SIZE: usize = 4;

/// Job-Transformation by Buffering with a buffer of `M` jobs over job handler `H`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BufferingTransformation<J: Payload = Value, H: JobHandler<J> = SyncJobHandler<J>> {
    jh: H,
    /// M: the buffer size.
    m: usize,
    /// `buffer`: M slots, used as a ring.
    buffer: Vec<Option<J>>,
    /// `top`: jobs ever accepted; `bottom`: jobs ever handed to `jh`.
    top: u64,
    bottom: u64,
    /// `handling`: a job was handed to `jh` and is not yet confirmed.
    handling: bool,
}

crate::below! {
    impl[J: Payload, H: JobHandler<J>] BufferingTransformation<J, H>;
    /// Slot of the job handler below.
    Jh(jh: H) => on_jh_confirm;
}

impl<J: Payload> BufferingTransformation<J> {
    /// A buffer of `m` jobs over the Synchronous Job Handler with processing time `work`.
    pub fn new(m: usize, work: crate::Time) -> Self {
        BufferingTransformation::over(m, SyncJobHandler::with_work(work))
    }
}

impl<J: Payload, H: JobHandler<J>> BufferingTransformation<J, H> {
    /// A buffer of `m` jobs (at least 1) over job handler `jh`.
    pub fn over(m: usize, jh: H) -> Self {
        let m = m.max(1);
        BufferingTransformation {
            jh,
            m,
            buffer: vec![None; m],
            top: 0,
            bottom: 0,
            handling: false,
        }
    }

    /// The handler below (for tests that inspect it).
    pub fn jh(&self) -> &H {
        &self.jh
    }

    // ANCHOR: confirm
    /// `upon event ⟨ jh, Confirm | job ⟩ do handling := FALSE`.
    fn on_jh_confirm(&mut self, _ctx: &mut Ctx<Self>, _ind: Confirm<J>) {
        self.handling = false;
    }
    // ANCHOR_END: confirm
}

impl<J: Payload, H: JobHandler<J>> Module for BufferingTransformation<J, H> {
    const NAME: &'static str = "th";
    type Req = Submit<J>;
    type Ind = Response<J>;
    crate::pass_through!(Jh: H);

    /// `upon event ⟨ th, Init ⟩ do top := 1; bottom := 1; handling := FALSE;
    /// buffer := [⊥]^M`.
    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.top = 0;
        self.bottom = 0;
        self.handling = false;
        self.buffer = vec![None; self.m];
        ctx.init(self, Jh);
    }

    // ANCHOR: handlers
    /// `upon event ⟨ th, Submit | job ⟩ do if bottom + M = top then trigger ⟨ th, Error | job ⟩
    /// else buffer[top mod M] := job; top := top + 1; trigger ⟨ th, Confirm | job ⟩`.
    fn on_request(&mut self, ctx: &mut Ctx<Self>, Submit(job): Submit<J>) {
        if self.bottom + self.m as u64 == self.top {
            ctx.indicate(Response::Error(job));
        } else {
            let slot = (self.top % self.m as u64) as usize;
            self.buffer[slot] = Some(job.clone());
            self.top += 1;
            ctx.indicate(Response::Confirm(job));
        }
    }

    /// `upon bottom < top ∧ handling = FALSE do job := buffer[bottom mod M];
    /// bottom := bottom + 1; handling := TRUE; trigger ⟨ jh, Submit | job ⟩`.
    fn on_guard(&mut self, ctx: &mut Ctx<Self>) {
        while self.bottom < self.top && !self.handling {
            let slot = (self.bottom % self.m as u64) as usize;
            let Some(job) = self.buffer[slot].take() else {
                return;
            };
            self.bottom += 1;
            self.handling = true;
            ctx.trigger(self, Jh, Submit(job));
        }
    }
    // ANCHOR_END: handlers
}
