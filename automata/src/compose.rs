//! The composition kit: declare which lower modules a module uses, and the slots, the wrapping
//! of their messages and timers and the routing are generated.
//!
//! An algorithm file then holds its state, its `upon` handlers and two declarations:
//!
//! ```
//! use automata::{below, pass_through, Ctx, Module, Observe, Event, Pid};
//! use automata::tutorial::{Confirm, Submit, SyncJobHandler};
//!
//! /// Counts the jobs its job handler confirmed.
//! #[derive(Clone, Debug, PartialEq, Eq, Hash)]
//! struct Counting {
//!     jh: SyncJobHandler<u64>,
//!     confirmed: u64,
//! }
//!
//! below! {
//!     impl[] Counting;
//!     /// Slot of the job handler.
//!     Jh(jh: SyncJobHandler<u64>) => on_confirm;
//! }
//!
//! impl Counting {
//!     /// `upon event ⟨ jh, Confirm | j ⟩ do confirmed := confirmed + 1`.
//!     fn on_confirm(&mut self, ctx: &mut Ctx<Self>, ind: Confirm<u64>) {
//!         self.confirmed += 1;
//!         ctx.indicate(ind);
//!     }
//! }
//!
//! impl Module for Counting {
//!     const NAME: &'static str = "counting";
//!     type Req = Submit<u64>;
//!     type Ind = Confirm<u64>;
//!     pass_through!(Jh: SyncJobHandler<u64>);
//!
//!     fn on_init(&mut self, ctx: &mut Ctx<Self>) {
//!         ctx.init(self, Jh);
//!     }
//!
//!     fn on_request(&mut self, ctx: &mut Ctx<Self>, req: Submit<u64>) {
//!         ctx.trigger(self, Jh, req);
//!     }
//! }
//! # let _ = Counting { jh: SyncJobHandler::new(), confirmed: 0 };
//! ```
//!
//! [`below!`] writes one [`Below`](crate::Below) slot per line: `Slot(field: LowerType) =>
//! handler`, where `handler` is the parent's method for the book's `upon event ⟨ lower,
//! Indication | ... ⟩` and takes the whole indication. A lower module's messages and timers are
//! the parent's own unless the line says how to wrap them (`, msg Enum::Variant`, `, timer
//! Enum::Variant`): a module that uses one lower module and sends nothing of its own needs no
//! wire type at all. [`pass_through!`] writes, inside the `Module` impl, the message and timer
//! types of such a module and the routing of both to its one slot.

/// Declares the slots through which a module owns its lower modules (see [`crate::compose`]).
///
/// ```text
/// below! {
///     impl[P: Payload, L: PerfectLinks<Tagged<P>>] BestEffortBroadcast<P, L>;
///     /// Slot of the perfect links.
///     Pl(pl: L) => on_pl_deliver;
/// }
/// ```
///
/// The generic parameters go in brackets (`impl[]` when there are none). A slot's trace name is
/// the lower module's `NAME` unless the line says `as "name"` after the type. Each slot line may
/// end with `, msg Path` and `, timer Path`: the enum variants that wrap the lower module's
/// messages and timers in the parent's (identity when omitted).
#[macro_export]
macro_rules! below {
    (
        impl $generics:tt $parent:ty;
        $(
            $(#[$attr:meta])*
            $slot:ident($field:ident: $lower:ty) $(as $name:literal)? => $handler:ident
                $(, msg $msg:path)? $(, timer $timer:path)?;
        )+
    ) => {
        $(
            $crate::below!(@slot $generics ($parent) $(#[$attr])* $slot($field: $lower)
                [$($name)?] => $handler [$($msg)?] [$($timer)?]);
        )+
    };
    (@slot [$($g:tt)*] ($parent:ty) $(#[$attr:meta])* $slot:ident($field:ident: $lower:ty)
        [$($name:literal)?] => $handler:ident [$($msg:path)?] [$($timer:path)?]) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug)]
        pub struct $slot;

        impl<$($g)*> $crate::Below<$parent> for $slot {
            type Lower = $lower;
            $(const NAME: &'static str = $name;)?
            #[inline]
            fn lower(parent: &mut $parent) -> &mut $lower {
                &mut parent.$field
            }
            #[inline]
            fn wrap_msg(
                msg: <$lower as $crate::Module>::Msg,
            ) -> <$parent as $crate::Module>::Msg {
                $($msg)?(msg)
            }
            #[inline]
            fn wrap_timer(
                timer: <$lower as $crate::Module>::Timer,
            ) -> <$parent as $crate::Module>::Timer {
                $($timer)?(timer)
            }
            fn indication(
                parent: &mut $parent,
                ctx: &mut $crate::Ctx<$parent>,
                ind: <$lower as $crate::Module>::Ind,
            ) {
                parent.$handler(ctx, ind)
            }
        }
    };
}

/// Inside a `Module` impl: the messages and timers are those of the one lower module in
/// `Slot`, and every message and timer is routed to it (see [`crate::compose`]).
///
/// With several lower modules, `pass_through!(match Wire { Variant => Slot, ... })` routes
/// each variant of the module's message and timer enum (one generic enum for both, its
/// `Msg` and `Timer` types declared beside) to the slot it names.
#[macro_export]
macro_rules! pass_through {
    (match $wire:ident { $($variant:ident => $vslot:ident),+ $(,)? }) => {
        fn on_message(&mut self, ctx: &mut $crate::Ctx<Self>, from: $crate::Pid, msg: Self::Msg) {
            match msg {
                $($wire::$variant(m) => ctx.pass_message(self, $vslot, from, m),)+
            }
        }

        fn on_timer(&mut self, ctx: &mut $crate::Ctx<Self>, timer: Self::Timer) {
            match timer {
                $($wire::$variant(t) => ctx.pass_timer(self, $vslot, t),)+
            }
        }
    };
    ($slot:ident: $lower:ty) => {
        type Msg = <$lower as $crate::Module>::Msg;
        type Timer = <$lower as $crate::Module>::Timer;

        fn on_message(&mut self, ctx: &mut $crate::Ctx<Self>, from: $crate::Pid, msg: Self::Msg) {
            ctx.pass_message(self, $slot, from, msg);
        }

        fn on_timer(&mut self, ctx: &mut $crate::Ctx<Self>, timer: Self::Timer) {
            ctx.pass_timer(self, $slot, timer);
        }
    };
}

/// The wrapping of a lower module's messages or timers when it has none (`Infallible`) and the
/// parent's are of another type: `, timer automata::compose::never`.
pub fn never<T>(none: std::convert::Infallible) -> T {
    match none {}
}

/// A module that is one of several implementations of the same abstraction, chosen at run time
/// (the detector a scenario's `model.detector` picks: the algorithm or the environment's
/// oracle). It generates the enum, its message and timer enums (printed as the chosen
/// implementation's own, so traces read the same) and a `Module` impl that hands every input to
/// the chosen one through [`Ctx::delegate`](crate::Ctx::delegate). A module above is written
/// once against the enum, so its stack is compiled once rather than once per implementation.
///
/// ```text
/// one_of! {
///     /// A perfect failure detector P, chosen at run time.
///     pub enum AnyPerfect: "p", NoRequest => Crash; wire AnyPerfectMsg, AnyPerfectTimer;
///     Algorithm(ExcludeOnTimeout),
///     Oracle(PerfectOracle),
/// }
/// ```
#[macro_export]
macro_rules! one_of {
    (
        $(#[$attr:meta])*
        pub enum $name:ident: $trace:literal, $req:ty => $ind:ty; wire $msg:ident, $timer:ident;
        $($(#[$vattr:meta])* $variant:ident($inner:ty)),+ $(,)?
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vattr])* $variant($inner)),+
        }

        /// The chosen implementation's messages.
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $msg {
            $($variant(<$inner as $crate::Module>::Msg)),+
        }

        /// The chosen implementation's timers.
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $timer {
            $($variant(<$inner as $crate::Module>::Timer)),+
        }

        impl std::fmt::Debug for $msg {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $($msg::$variant(m) => std::fmt::Debug::fmt(m, f)),+
                }
            }
        }

        impl std::fmt::Debug for $timer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $($timer::$variant(t) => std::fmt::Debug::fmt(t, f)),+
                }
            }
        }

        impl $crate::Module for $name {
            const NAME: &'static str = $trace;
            type Req = $req;
            type Ind = $ind;
            type Msg = $msg;
            type Timer = $timer;

            fn on_init(&mut self, ctx: &mut $crate::Ctx<Self>) {
                match self {
                    $($name::$variant(m) => ctx.delegate(m, $msg::$variant, $timer::$variant,
                        |m, cx| m.on_init(cx))),+
                }
            }

            fn on_request(&mut self, ctx: &mut $crate::Ctx<Self>, req: $req) {
                match self {
                    $($name::$variant(m) => ctx.delegate(m, $msg::$variant, $timer::$variant,
                        |m, cx| m.on_request(cx, req))),+
                }
            }

            #[allow(unreachable_patterns)]
            fn on_message(&mut self, ctx: &mut $crate::Ctx<Self>, from: $crate::Pid, msg: $msg) {
                match (self, msg) {
                    $(($name::$variant(m), $msg::$variant(msg)) => ctx.delegate(m, $msg::$variant,
                        $timer::$variant, |m, cx| m.on_message(cx, from, msg)),)+
                    _ => {}
                }
            }

            #[allow(unreachable_patterns)]
            fn on_timer(&mut self, ctx: &mut $crate::Ctx<Self>, timer: $timer) {
                match (self, timer) {
                    $(($name::$variant(m), $timer::$variant(t)) => ctx.delegate(m, $msg::$variant,
                        $timer::$variant, |m, cx| m.on_timer(cx, t)),)+
                    _ => {}
                }
            }

            fn on_recovery(&mut self, ctx: &mut $crate::Ctx<Self>) {
                match self {
                    $($name::$variant(m) => ctx.delegate(m, $msg::$variant, $timer::$variant,
                        |m, cx| m.on_recovery(cx))),+
                }
            }

            fn on_guard(&mut self, ctx: &mut $crate::Ctx<Self>) {
                match self {
                    $($name::$variant(m) => ctx.delegate(m, $msg::$variant, $timer::$variant,
                        |m, cx| m.on_guard(cx))),+
                }
            }
        }
    };
}
