//! Instances of one lower module numbered at run time: the book's `c.r`, a consensus instance
//! for each round of total-order broadcast, or a log's instance per slot.
//!
//! A [`Below`](crate::Below) slot is a type, so a module owns a fixed set of lower modules. A
//! [`Numbered`] slot is a family: instance `i` is created (and its `Init` run) when first
//! used, its messages and timers travel tagged with `i` in the parent's, and its indications
//! reach one parent handler with `i`. Every instance appears in traces under the slot's one
//! name; the number is in the messages. [`numbered!`](crate::numbered!) writes the slot for a
//! field of type [`Instances`]:
//!
//! ```text
//! numbered! {
//!     impl[V: Payload, C: Consensus<V>] ConsensusTob<V, C>;
//!     /// The consensus instance of each round.
//!     Cons(c: C) => on_decide, msg Wire::Cons, timer Wire::Cons;
//! }
//! ...
//! ctx.trigger_at(self, Cons, round, Propose(batch));     // trigger ⟨ c.round, Propose | ... ⟩
//! Wire::Cons(i, m) => ctx.pass_message_at(self, Cons, i, from, m),
//! ```

use crate::context::{Ctx, Indications, Outbox};
use crate::module::Module;
use crate::trace::Kind;
use crate::{Observe, Pid, Time};
use std::collections::BTreeMap;

/// A module's numbered instances of `L`: a prototype, cloned for each new number, and the
/// instances made so far (kept: a process that has moved on may still owe an older instance
/// its messages, as an acceptor owes a slow proposer its acknowledgement).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Instances<L> {
    proto: L,
    live: BTreeMap<u64, L>,
}

impl<L: Clone> Instances<L> {
    /// No instance yet; each new one starts as a copy of `proto`.
    pub fn new(proto: L) -> Self {
        Instances {
            proto,
            live: BTreeMap::new(),
        }
    }

    /// Instance `i`, and whether it was made by this call (its `Init` is then due).
    pub fn get_or_make(&mut self, i: u64) -> (&mut L, bool) {
        let fresh = !self.live.contains_key(&i);
        let l = self.live.entry(i).or_insert_with(|| self.proto.clone());
        (l, fresh)
    }

    /// Instance `i`, if it exists.
    pub fn get(&self, i: u64) -> Option<&L> {
        self.live.get(&i)
    }

    /// How many instances exist.
    pub fn len(&self) -> usize {
        self.live.len()
    }

    /// Whether no instance exists.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }
}

/// A family of numbered instances of `Lower` owned by `P` (see [`crate::numbered`]).
pub trait Numbered<P: Module>: Copy {
    type Lower: Module;
    /// Name of every instance in traces.
    const NAME: &'static str = <Self::Lower as Module>::NAME;

    /// Instance `i`, made on first use (then `true`).
    fn lower(parent: &mut P, i: u64) -> (&mut Self::Lower, bool);
    fn wrap_msg(i: u64, msg: <Self::Lower as Module>::Msg) -> P::Msg;
    fn wrap_timer(i: u64, timer: <Self::Lower as Module>::Timer) -> P::Timer;
    /// `upon event ⟨ lower.i, Indication ⟩` at the parent.
    fn indication(parent: &mut P, ctx: &mut Ctx<P>, i: u64, ind: <Self::Lower as Module>::Ind);
}

/// The outbox of instance `i`: its sends and timers, tagged with `i`, go to the parent's.
struct WrapAt<'a, PM, PT, CM, CT> {
    parent: &'a mut dyn Outbox<PM, PT>,
    i: u64,
    msg: fn(u64, CM) -> PM,
    timer: fn(u64, CT) -> PT,
}

impl<PM, PT, CM, CT> Outbox<CM, CT> for WrapAt<'_, PM, PT, CM, CT> {
    fn send(&mut self, core: &mut crate::context::Core<'_>, to: Pid, msg: CM) {
        self.parent.send(core, to, (self.msg)(self.i, msg));
    }
    fn set_timer(&mut self, core: &mut crate::context::Core<'_>, after: Time, timer: CT) {
        self.parent
            .set_timer(core, after, (self.timer)(self.i, timer));
    }
    fn cancel_timer(&mut self, core: &mut crate::context::Core<'_>, timer: CT) {
        self.parent.cancel_timer(core, (self.timer)(self.i, timer));
    }
}

impl<'w, M: Module> Ctx<'_, 'w, M> {
    fn run_lower_at<S: Numbered<M>>(
        &mut self,
        parent: &mut M,
        i: u64,
        f: impl FnOnce(&mut S::Lower, &mut Ctx<'_, 'w, S::Lower>),
    ) {
        let mut inds = Indications::new();
        let mut wrap = WrapAt {
            parent: &mut *self.out,
            i,
            msg: S::wrap_msg,
            timer: S::wrap_timer,
        };
        self.core.path.push(S::NAME);
        {
            let mut cx = Ctx {
                core: &mut *self.core,
                out: &mut wrap,
                inds: &mut inds,
            };
            let (lower, fresh) = S::lower(parent, i);
            if fresh {
                lower.on_init(&mut cx);
            }
            f(lower, &mut cx);
            lower.on_guard(&mut cx);
        }
        self.core.path.pop();
        for ind in inds {
            if self.core.halted {
                return;
            }
            S::indication(parent, self, i, ind);
        }
    }

    /// `trigger ⟨ lower.i, Request ⟩`: hands `req` to instance `i` of the family in `slot`
    /// (made and initialised if new), then runs the parent's handler for its indications.
    pub fn trigger_at<S: Numbered<M>>(
        &mut self,
        parent: &mut M,
        _slot: S,
        i: u64,
        req: <S::Lower as Module>::Req,
    ) {
        if self.core.halted {
            return;
        }
        if self.core.observing_layer(S::NAME) {
            if let Some(ev) = req.observe() {
                self.core.emit(S::NAME, Kind::Request, ev);
            }
        }
        self.run_lower_at::<S>(parent, i, |m, cx| m.on_request(cx, req));
    }

    /// Routes a message of instance `i` (from the parent's `on_message` match).
    pub fn pass_message_at<S: Numbered<M>>(
        &mut self,
        parent: &mut M,
        _slot: S,
        i: u64,
        from: Pid,
        msg: <S::Lower as Module>::Msg,
    ) {
        self.run_lower_at::<S>(parent, i, |m, cx| m.on_message(cx, from, msg));
    }

    /// Routes a timer of instance `i`.
    pub fn pass_timer_at<S: Numbered<M>>(
        &mut self,
        parent: &mut M,
        _slot: S,
        i: u64,
        timer: <S::Lower as Module>::Timer,
    ) {
        self.run_lower_at::<S>(parent, i, |m, cx| m.on_timer(cx, timer));
    }
}

/// Declares a [`Numbered`] slot for a field of type [`Instances`] (see [`crate::numbered`]):
/// `Slot(field: Lower) [as "name"] => handler, msg Enum::Variant, timer Enum::Variant;`, where
/// the variants take the instance number and the lower module's message or timer, and
/// `handler(&mut self, ctx, i, indication)`.
#[macro_export]
macro_rules! numbered {
    (
        impl $generics:tt $parent:ty;
        $(
            $(#[$attr:meta])*
            $slot:ident($field:ident: $lower:ty) $(as $name:literal)? => $handler:ident,
                msg $msg:path, timer $timer:path;
        )+
    ) => {
        $(
            $crate::numbered!(@slot $generics ($parent) $(#[$attr])* $slot($field: $lower)
                [$($name)?] => $handler [$msg] [$timer]);
        )+
    };
    (@slot [$($g:tt)*] ($parent:ty) $(#[$attr:meta])* $slot:ident($field:ident: $lower:ty)
        [$($name:literal)?] => $handler:ident [$msg:path] [$timer:path]) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug)]
        pub struct $slot;

        impl<$($g)*> $crate::numbered::Numbered<$parent> for $slot {
            type Lower = $lower;
            $(const NAME: &'static str = $name;)?
            fn lower(parent: &mut $parent, i: u64) -> (&mut $lower, bool) {
                parent.$field.get_or_make(i)
            }
            fn wrap_msg(
                i: u64,
                msg: <$lower as $crate::Module>::Msg,
            ) -> <$parent as $crate::Module>::Msg {
                $msg(i, msg)
            }
            fn wrap_timer(
                i: u64,
                timer: <$lower as $crate::Module>::Timer,
            ) -> <$parent as $crate::Module>::Timer {
                $timer(i, timer)
            }
            fn indication(
                parent: &mut $parent,
                ctx: &mut $crate::Ctx<$parent>,
                i: u64,
                ind: <$lower as $crate::Module>::Ind,
            ) {
                parent.$handler(ctx, i, ind)
            }
        }
    };
}
