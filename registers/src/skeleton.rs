//! The module skeleton every register shares: its [`Operations`] (the book's `Init`, `Write`
//! and `Read`), and [`register_module!`](crate::register_module), which writes the `Module`
//! impl around them (the client queue, the modules below, the routing of their messages).

use crate::{RegisterOp, RegisterRet};
use automata::{Ctx, Module};
/// A register of values `V` (any module with the register interface), as a module below.
pub trait Register<V>: Module<Req = RegisterOp<V>, Ind = RegisterRet<V>> {}

impl<V, R: Module<Req = RegisterOp<V>, Ind = RegisterRet<V>>> Register<V> for R {}

/// A register's operations, the book's `upon event ⟨ Write | v ⟩` and `upon event ⟨ Read ⟩`,
/// with its `Init`. [`register_module!`](crate::register_module) writes the rest of the
/// `Module` impl around them: the requests wait in the algorithm's [`Client`] (a field named
/// `client`) and start one at a time; the modules below are initialised after `init`.
pub trait Operations<V>: Module {
    /// `upon event ⟨ Init ⟩`: the algorithm's own variables (the struct's constructor gives
    /// those that do not depend on N).
    fn init(&mut self, _ctx: &mut Ctx<Self>) {}

    /// `upon event ⟨ Write | v ⟩`.
    fn write(&mut self, ctx: &mut Ctx<Self>, v: V);

    /// `upon event ⟨ Read ⟩`.
    fn read(&mut self, ctx: &mut Ctx<Self>);

    /// A guarded action that completes an operation (`upon correct ⊆ writeset`), tried
    /// before a waiting request starts.
    fn complete(&mut self, _ctx: &mut Ctx<Self>) {}

    /// `upon event ⟨ Recovery ⟩` (crash-recovery only), once the modules below recovered:
    /// by default the process starts afresh.
    fn recover(&mut self, ctx: &mut Ctx<Self>) {
        self.init(ctx);
    }
}

/// The `Module` impl of a register from its [`Operations`]: its trace name, its value type,
/// and the modules below with the wire enum that wraps their messages and timers (as in
/// `automata::pass_through!`):
///
/// ```text
/// register_module! {
///     impl[V: Payload + Default, L: Link<Msg<V>>] ReadImposeWriteMajority<V, L> as "onar", V;
///     BebPl { Beb => BebSlot: Beb<V, L>, Pl => PlSlot: L }
/// }
/// ```
///
/// or, for a transformation over numbered instances of one lower register (a map from
/// number to instance in `field`; see [`crate::instances`]), the instances, their trace
/// names and the handler of their indications (`fn(&mut self, ctx, i, ind)`):
///
/// ```text
/// register_module! {
///     impl[V: Payload + Default, R: Register<(u64, V)>] RegularToAtomic<V, R> as "onar", V;
///     instances onrr: R, names ONRR => on_onrr_return
/// }
/// ```
#[macro_export]
macro_rules! register_module {
    (
        impl [$($g:tt)*] $ty:ty as $name:literal, $v:ty;
        $wire:ident { $($variant:ident => $slot:ident: $lower:ty),+ $(,)? }
    ) => {
        impl<$($g)*> ::automata::Module for $ty {
            const NAME: &'static str = $name;
            type Req = $crate::RegisterOp<$v>;
            type Ind = $crate::RegisterRet<$v>;
            type Msg = $wire<$(<$lower as ::automata::Module>::Msg),+>;
            type Timer = $wire<$(<$lower as ::automata::Module>::Timer),+>;

            fn on_init(&mut self, ctx: &mut ::automata::Ctx<Self>) {
                $crate::skeleton::Operations::<$v>::init(self, ctx);
                $(ctx.init(self, $slot);)+
            }

            /// A request waits its turn in the client queue.
            fn on_request(&mut self, _ctx: &mut ::automata::Ctx<Self>, op: $crate::RegisterOp<$v>) {
                self.client.push(op);
            }

            /// The modules below recover, then the register (by default: afresh).
            fn on_recovery(&mut self, ctx: &mut ::automata::Ctx<Self>) {
                $(ctx.recover(self, $slot);)+
                $crate::skeleton::Operations::<$v>::recover(self, ctx);
            }

            /// A guarded completion, then a waiting request starts once the previous
            /// operation returned, until neither is enabled (an operation that returns at
            /// once, a local read, lets the next one start in the same step).
            fn on_guard(&mut self, ctx: &mut ::automata::Ctx<Self>) {
                loop {
                    $crate::skeleton::Operations::<$v>::complete(self, ctx);
                    match self.client.start() {
                        Some($crate::RegisterOp::Write(v)) => {
                            $crate::skeleton::Operations::<$v>::write(self, ctx, v)
                        }
                        Some($crate::RegisterOp::Read) => {
                            $crate::skeleton::Operations::<$v>::read(self, ctx)
                        }
                        None => break,
                    }
                }
            }

            ::automata::pass_through!(match $wire { $($variant => $slot),+ });
        }
    };
    (
        impl [$($g:tt)*] $ty:ty as $name:literal, $v:ty;
        instances $field:ident: $lower:ty, names $names:expr => $handler:ident
    ) => {
        impl<$($g)*> $crate::instances::Instances for $ty {
            type Lower = $lower;
            const NAMES: [&'static str; $crate::instances::MAX] = $names;

            fn numbers(&self) -> Vec<usize> {
                self.$field.keys().copied().collect()
            }
            fn instance(&mut self, i: usize) -> &mut $lower {
                self.$field.get_mut(&i).expect("an instance this module made")
            }
            fn wrap_msg(i: usize, msg: <$lower as ::automata::Module>::Msg) -> Self::Msg {
                $crate::instances::Tagged(i, msg)
            }
            fn wrap_timer(i: usize, timer: <$lower as ::automata::Module>::Timer) -> Self::Timer {
                $crate::instances::Tagged(i, timer)
            }
            fn on_instance(
                &mut self,
                ctx: &mut ::automata::Ctx<Self>,
                i: usize,
                ind: <$lower as ::automata::Module>::Ind,
            ) {
                self.$handler(ctx, i, ind)
            }
        }

        impl<$($g)*> ::automata::Module for $ty {
            const NAME: &'static str = $name;
            type Req = $crate::RegisterOp<$v>;
            type Ind = $crate::RegisterRet<$v>;
            type Msg = $crate::instances::Tagged<<$lower as ::automata::Module>::Msg>;
            type Timer = $crate::instances::Tagged<<$lower as ::automata::Module>::Timer>;

            /// The register's `Init` makes its instances, then each runs its own.
            fn on_init(&mut self, ctx: &mut ::automata::Ctx<Self>) {
                $crate::skeleton::Operations::<$v>::init(self, ctx);
                $crate::instances::init(ctx, self);
            }

            /// A request waits its turn in the client queue.
            fn on_request(&mut self, _ctx: &mut ::automata::Ctx<Self>, op: $crate::RegisterOp<$v>) {
                self.client.push(op);
            }

            /// The instances recover, then the register (by default: afresh).
            fn on_recovery(&mut self, ctx: &mut ::automata::Ctx<Self>) {
                $crate::instances::recover(ctx, self);
                $crate::skeleton::Operations::<$v>::recover(self, ctx);
            }

            /// A waiting request starts once the previous operation returned, until none
            /// can (an operation that returns at once lets the next one start).
            fn on_guard(&mut self, ctx: &mut ::automata::Ctx<Self>) {
                loop {
                    $crate::skeleton::Operations::<$v>::complete(self, ctx);
                    match self.client.start() {
                        Some($crate::RegisterOp::Write(v)) => {
                            $crate::skeleton::Operations::<$v>::write(self, ctx, v)
                        }
                        Some($crate::RegisterOp::Read) => {
                            $crate::skeleton::Operations::<$v>::read(self, ctx)
                        }
                        None => break,
                    }
                }
            }

            fn on_message(&mut self, ctx: &mut ::automata::Ctx<Self>, from: ::automata::Pid, msg: Self::Msg) {
                $crate::instances::pass_message(ctx, self, from, msg);
            }

            fn on_timer(&mut self, ctx: &mut ::automata::Ctx<Self>, timer: Self::Timer) {
                $crate::instances::pass_timer(ctx, self, timer);
            }
        }
    };
}
