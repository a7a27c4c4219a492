//! The register interface every register abstraction shares (CGR Modules 4.1-4.3): requests
//! `⟨ Read ⟩` and `⟨ Write | v ⟩`, indications `⟨ ReadReturn | v ⟩` and `⟨ WriteReturn ⟩`.
//!
//! The book's clients are sequential: a process invokes an operation only once its previous
//! one returned. A scenario's workload may ask sooner; [`Client`] then queues the request and
//! the algorithm starts it when the previous operation returns (the history monitors count it
//! as started then). The initial value ⊥ is `V::default()` (`Value::Unit` in scenarios).

use automata::{Ctx, Event, Module, Observe, Pid, ToValue, Value};
use std::collections::VecDeque;

/// Request `⟨ Read ⟩` or `⟨ Write | v ⟩`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RegisterOp<V> {
    Read,
    Write(V),
}

/// Indication `⟨ ReadReturn | v ⟩` or `⟨ WriteReturn ⟩`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RegisterRet<V> {
    ReadReturn(V),
    WriteReturn,
}

impl<V: ToValue> Observe for RegisterOp<V> {
    fn observe(&self) -> Option<Event> {
        Some(match self {
            RegisterOp::Read => Event::Read,
            RegisterOp::Write(v) => Event::Write {
                value: v.to_value(),
            },
        })
    }
}

impl<V: ToValue> Observe for RegisterRet<V> {
    fn observe(&self) -> Option<Event> {
        Some(match self {
            RegisterRet::ReadReturn(v) => Event::ReadReturn {
                value: v.to_value(),
            },
            RegisterRet::WriteReturn => Event::WriteReturn,
        })
    }
}

/// A sequential client's requests: the operation running and those waiting for it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Client<V> {
    waiting: VecDeque<RegisterOp<V>>,
    busy: bool,
}

impl<V> Client<V> {
    pub fn new() -> Self {
        Client {
            waiting: VecDeque::new(),
            busy: false,
        }
    }

    /// A request arrived: it waits its turn.
    pub fn push(&mut self, op: RegisterOp<V>) {
        self.waiting.push_back(op);
    }

    /// The next operation to start, if none is running (it is running from now on).
    pub fn start(&mut self) -> Option<RegisterOp<V>> {
        if self.busy {
            return None;
        }
        let op = self.waiting.pop_front()?;
        self.busy = true;
        Some(op)
    }

    /// The running operation returned.
    pub fn done(&mut self) {
        self.busy = false;
    }

    /// Forgets everything (a crash lost the requests).
    pub fn clear(&mut self) {
        self.waiting.clear();
        self.busy = false;
    }
}

/// The register algorithms' messages, in the book's words: `[WRITE, r, ts, wr, v]` (single
/// writer algorithms leave `r` or `wr` at 0 where the book has no such field), `[READ, r]`,
/// `[VALUE, r, ts, wr, v]`, `[ACK, r]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Msg<V> {
    Write { r: u64, ts: u64, wr: Pid, v: V },
    Read { r: u64 },
    Value { r: u64, ts: u64, wr: Pid, v: V },
    Ack { r: u64 },
}

impl<V: ToValue> ToValue for Msg<V> {
    fn to_value(&self) -> Value {
        let int = |x: u64| Value::Int(x as i64);
        Value::List(match self {
            Msg::Write { r, ts, wr, v } => vec![
                Value::str("WRITE"),
                int(*r),
                int(*ts),
                int(*wr as u64),
                v.to_value(),
            ],
            Msg::Read { r } => vec![Value::str("READ"), int(*r)],
            Msg::Value { r, ts, wr, v } => vec![
                Value::str("VALUE"),
                int(*r),
                int(*ts),
                int(*wr as u64),
                v.to_value(),
            ],
            Msg::Ack { r } => vec![Value::str("ACK"), int(*r)],
        })
    }
}

/// The messages (or timers) of an algorithm that owns a best-effort broadcast, perfect links
/// and, for the fail-stop algorithms, a failure detector.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire<B, L, D> {
    Beb(B),
    Pl(L),
    Detector(D),
}

/// The messages (or timers) of an algorithm that owns a best-effort broadcast and perfect
/// links (the fail-silent algorithms).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BebPl<B, L> {
    Beb(B),
    Pl(L),
}

/// The messages (or timers) of an algorithm that owns a stubborn best-effort broadcast and
/// stubborn links (the fail-recovery algorithms).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SbebSl<B, L> {
    Sbeb(B),
    Sl(L),
}

/// `[⊥]^N`: one empty slot per process.
pub fn empty_list<T>(n: usize) -> Vec<Option<T>> {
    (0..n).map(|_| None).collect()
}

/// `highest(readlist)`: the entry with the largest timestamp (`key`); ⊥ if none.
pub fn highest<T: Clone + Default, K: Ord>(readlist: &[Option<T>], key: impl Fn(&T) -> K) -> T {
    readlist
        .iter()
        .flatten()
        .max_by_key(|e| key(e))
        .cloned()
        .unwrap_or_default()
}

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
                $crate::interface::Operations::<$v>::init(self, ctx);
                $(ctx.init(self, $slot);)+
            }

            /// A request waits its turn in the client queue.
            fn on_request(&mut self, _ctx: &mut ::automata::Ctx<Self>, op: $crate::RegisterOp<$v>) {
                self.client.push(op);
            }

            /// The modules below recover, then the register (by default: afresh).
            fn on_recovery(&mut self, ctx: &mut ::automata::Ctx<Self>) {
                $(ctx.recover(self, $slot);)+
                $crate::interface::Operations::<$v>::recover(self, ctx);
            }

            /// A guarded completion, then a waiting request starts once the previous
            /// operation returned.
            fn on_guard(&mut self, ctx: &mut ::automata::Ctx<Self>) {
                $crate::interface::Operations::<$v>::complete(self, ctx);
                match self.client.start() {
                    Some($crate::RegisterOp::Write(v)) => {
                        $crate::interface::Operations::<$v>::write(self, ctx, v)
                    }
                    Some($crate::RegisterOp::Read) => {
                        $crate::interface::Operations::<$v>::read(self, ctx)
                    }
                    None => {}
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
                $crate::interface::Operations::<$v>::init(self, ctx);
                $crate::instances::init(ctx, self);
            }

            /// A request waits its turn in the client queue.
            fn on_request(&mut self, _ctx: &mut ::automata::Ctx<Self>, op: $crate::RegisterOp<$v>) {
                self.client.push(op);
            }

            /// The instances recover, then the register (by default: afresh).
            fn on_recovery(&mut self, ctx: &mut ::automata::Ctx<Self>) {
                $crate::instances::recover(ctx, self);
                $crate::interface::Operations::<$v>::recover(self, ctx);
            }

            /// A waiting request starts once the previous operation returned.
            fn on_guard(&mut self, ctx: &mut ::automata::Ctx<Self>) {
                $crate::interface::Operations::<$v>::complete(self, ctx);
                match self.client.start() {
                    Some($crate::RegisterOp::Write(v)) => {
                        $crate::interface::Operations::<$v>::write(self, ctx, v)
                    }
                    Some($crate::RegisterOp::Read) => {
                        $crate::interface::Operations::<$v>::read(self, ctx)
                    }
                    None => {}
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
