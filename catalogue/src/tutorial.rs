//! Chapter 2: the tutorial job handlers and the buffering transformation.

use crate::spec::RequestSpec;
use crate::{job, payload, Abstraction, Algorithm, Param, PropertyDef};
use automata::tutorial::monitors::{
    GuaranteedResponse, NoCreation, ProcessedBeforeConfirm, Soundness,
};
use automata::tutorial::{AsyncJobHandler, BufferingTransformation, Submit, SyncJobHandler};
use automata::Value;

const RESPONSE: PropertyDef = PropertyDef::new("guaranteed-response", "L", |m| {
    Box::new(GuaranteedResponse::new(m))
});
const NO_CREATION: PropertyDef =
    PropertyDef::new("no-creation", "S", |m| Box::new(NoCreation::new(m)));
const PROCESSED: PropertyDef = PropertyDef::new("processed-before-confirm", "S", |m| {
    Box::new(ProcessedBeforeConfirm::new(m))
});
const SOUNDNESS: PropertyDef =
    PropertyDef::new("soundness", "S", |m| Box::new(Soundness::new(m, "jh")));

pub const ABSTRACTIONS: &[Abstraction] = crate::abstractions! {
    id: "jh", name: "job handler", requests: "submit",
    properties: &[RESPONSE, NO_CREATION, PROCESSED];

    id: "th", name: "job transformation", requests: "submit",
    properties: &[RESPONSE, SOUNDNESS];
};

const STEP: Param = Param::int(
    "step",
    5,
    "ticks between processing steps of the buffered jobs",
);

pub const ALGORITHMS: &[Algorithm] = crate::entries! {
    id: "sync-job-handler", abstraction: "jh",
    model: "any",
    summary: "Synchronous Job Handler (CGR 1.1): process the job, then confirm",
    build: |l, p| job(l, p, |_| SyncJobHandler::<Value>::new(), submit);

    id: "async-job-handler", abstraction: "jh", params: &[STEP],
    model: "any",
    summary: "Asynchronous Job Handler (CGR 1.2): confirm at once, process later from a buffer",
    build: |l, p| {
        let step = p.int("step");
        job(l, p, move |_| AsyncJobHandler::<Value>::new(step), submit)
    };

    id: "buffering-transformation", abstraction: "th",
    params: &[
        Param::int("size", 2, "buffer bound M"),
        Param::str("handler", "sync", "the job handler below: \"sync\" or \"async\""),
        Param::int("work", 10, "ticks the sync handler takes per job (so a burst fills the buffer)"),
        STEP,
    ],
    model: "any",
    summary: "Job-Transformation by Buffering (CGR 1.3): a bounded buffer over a job handler",
    build: |l, p| {
        let size = p.int("size") as usize;
        match p.str("handler") {
            "sync" => {
                let work = p.int("work");
                job(l, p, move |_| BufferingTransformation::<Value>::new(size, work), submit)
            }
            "async" => {
                let step = p.int("step");
                job(
                    l,
                    p,
                    move |_| {
                        BufferingTransformation::over(size, AsyncJobHandler::<Value>::new(step))
                    },
                    submit,
                )
            }
            other => Err(l.error(
                "params.handler",
                format!("handler = \"{other}\": use \"sync\" or \"async\""),
            )),
        }
    };
};

/// `submit = "job-1"`, or a generated `submit`.
fn submit(r: &RequestSpec, _n: usize) -> Result<Submit<Value>, String> {
    if r.name != "submit" {
        return Err(format!(
            "job handlers take `submit` requests, e.g. {{ submit = \"job-1\" }}, not `{}`",
            r.name
        ));
    }
    Ok(Submit(payload(&r.arg, "job")?))
}
