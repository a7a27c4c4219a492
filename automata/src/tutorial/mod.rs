//! Chapter 2's tutorial modules: job handlers and a job transformation (CGR §1.4, Modules 1.1
//! and 1.2, Algorithms 1.1-1.3; book §2.3, §2.4, B-2.2, B-2.3).
//!
//! They are the smallest modules that show the whole event model: a request (`Submit | job`),
//! an indication (`Confirm | job`, `Error | job`), an internal step made visible (the job being
//! processed, recorded as [`Event::Processed`]), and a module that owns
//! another one.
//!
//! | abstraction | algorithm (id) | file | uses |
//! |---|---|---|---|
//! | job handler `jh` | Synchronous Job Handler (`sync-job-handler`) | [`sync_job_handler`] | — |
//! | job handler `jh` | Asynchronous Job Handler (`async-job-handler`) | [`async_job_handler`] | — |
//! | job transformation `th` | Job-Transformation by Buffering (`buffering-transformation`) | [`buffering`] | any `jh` |
//!
//! [`monitors`] holds the properties (`guaranteed-response`, `no-creation`, `soundness`,
//! `processed-before-confirm`) and [`mutants`] the broken modules each of them catches.

pub mod async_job_handler;
pub mod buffering;
pub mod monitors;
pub mod mutants;
pub mod sync_job_handler;

pub use async_job_handler::AsyncJobHandler;
pub use buffering::BufferingTransformation;
pub use sync_job_handler::SyncJobHandler;

use crate::module::{Module, Observe};
use crate::trace::Event;
use crate::value::ToValue;

/// Request `⟨ Submit | job ⟩` (of `jh` and `th`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Submit<J>(pub J);

/// Indication `⟨ jh, Confirm | job ⟩`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Confirm<J>(pub J);

/// Indications of the job transformation: `⟨ th, Confirm | job ⟩` or `⟨ th, Error | job ⟩`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Response<J> {
    Confirm(J),
    Error(J),
}

impl<J: ToValue> Observe for Submit<J> {
    fn observe(&self) -> Option<Event> {
        Some(Event::Submit {
            job: self.0.to_value(),
        })
    }
}

impl<J: ToValue> Observe for Confirm<J> {
    fn observe(&self) -> Option<Event> {
        Some(Event::Confirm {
            job: self.0.to_value(),
        })
    }
}

impl<J: ToValue> Observe for Response<J> {
    fn observe(&self) -> Option<Event> {
        Some(match self {
            Response::Confirm(j) => Event::Confirm { job: j.to_value() },
            Response::Error(j) => Event::Error { job: j.to_value() },
        })
    }
}

/// A job handler `jh` (CGR Module 1.1): any module that takes [`Submit`] and indicates
/// [`Confirm`].
pub trait JobHandler<J>: Module<Req = Submit<J>, Ind = Confirm<J>> {}

impl<J, M: Module<Req = Submit<J>, Ind = Confirm<J>>> JobHandler<J> for M {}

/// A job transformation `th` (CGR Module 1.2): any module that takes [`Submit`] and indicates
/// a [`Response`].
pub trait JobTransformation<J>: Module<Req = Submit<J>, Ind = Response<J>> {}

impl<J, M: Module<Req = Submit<J>, Ind = Response<J>>> JobTransformation<J> for M {}
