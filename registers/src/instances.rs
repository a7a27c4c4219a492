//! Numbered instances of one lower module, for the transformations that use a register per
//! process (`onar.q`, CGR Algorithm 4.7) or per pair of processes (`onrr.q.r`, Algorithms
//! 4.3-4.4).
//!
//! The composition kit's slots are types (`ctx.trigger(self, Beb, req)`), one per field. A
//! module with N or N² lower instances, N known only at run time, gets one slot type per
//! instance number, [`Instance<I>`], and [`Instances`] says where instance `i` lives, how its
//! messages and timers are tagged with `i` ([`Tagged`]) and which handler receives its
//! indications. The functions below ([`trigger`], [`pass_message`], ...) turn a number known
//! at run time into its slot. There are [`MAX`] slots: a transformation supports as many
//! instances and no more (N ≤ 5 for N² registers numbered `q * 5 + r`).

use automata::{Below, Ctx, Module, Pid};

/// How many instance slots there are.
pub const MAX: usize = 25;

/// A lower instance's message or timer, tagged with the instance's number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tagged<M>(pub usize, pub M);

/// The slot of instance `I`.
#[derive(Clone, Copy, Debug)]
pub struct Instance<const I: usize>;

/// A module that owns numbered instances of the module `Lower`.
pub trait Instances: Module {
    type Lower: Module;

    /// The trace name of each instance, by number (`onrr.1.2`, `onar.3`).
    const NAMES: [&'static str; MAX];

    /// The numbers of the instances.
    fn numbers(&self) -> Vec<usize>;

    /// Instance `i`.
    fn instance(&mut self, i: usize) -> &mut Self::Lower;

    /// `i`'s messages and timers among this module's (`Tagged(i, m)`).
    fn wrap_msg(i: usize, msg: <Self::Lower as Module>::Msg) -> Self::Msg;
    fn wrap_timer(i: usize, timer: <Self::Lower as Module>::Timer) -> Self::Timer;

    /// `upon event ⟨ lower.i, Indication | ... ⟩`.
    fn on_instance(&mut self, ctx: &mut Ctx<Self>, i: usize, ind: <Self::Lower as Module>::Ind);
}

impl<P: Instances, const I: usize> Below<P> for Instance<I> {
    type Lower = P::Lower;
    const NAME: &'static str = P::NAMES[I];

    fn lower(parent: &mut P) -> &mut P::Lower {
        parent.instance(I)
    }
    fn wrap_msg(msg: <P::Lower as Module>::Msg) -> P::Msg {
        P::wrap_msg(I, msg)
    }
    fn wrap_timer(timer: <P::Lower as Module>::Timer) -> P::Timer {
        P::wrap_timer(I, timer)
    }
    fn indication(parent: &mut P, ctx: &mut Ctx<P>, ind: <P::Lower as Module>::Ind) {
        parent.on_instance(ctx, I, ind)
    }
}

/// Runs `$e` with `$s` bound to the slot of instance `$i`.
macro_rules! at {
    ($i:expr, $s:ident => $e:expr) => {
        at!(@ $i, $s => $e; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24)
    };
    (@ $i:expr, $s:ident => $e:expr; $($n:literal)+) => {
        match $i {
            $($n => {
                let $s = Instance::<$n>;
                $e
            })+
            i => panic!("instance {i}: there are {MAX} instance slots"),
        }
    };
}

/// `trigger ⟨ lower.i, Request ⟩`.
pub fn trigger<P: Instances>(
    ctx: &mut Ctx<P>,
    parent: &mut P,
    i: usize,
    req: <P::Lower as Module>::Req,
) {
    at!(i, s => ctx.trigger(parent, s, req))
}

/// Routes a message of instance `i`.
pub fn pass_message<P: Instances>(
    ctx: &mut Ctx<P>,
    parent: &mut P,
    from: Pid,
    Tagged(i, msg): Tagged<<P::Lower as Module>::Msg>,
) {
    at!(i, s => ctx.pass_message(parent, s, from, msg))
}

/// Routes a timer of instance `i`.
pub fn pass_timer<P: Instances>(
    ctx: &mut Ctx<P>,
    parent: &mut P,
    Tagged(i, timer): Tagged<<P::Lower as Module>::Timer>,
) {
    at!(i, s => ctx.pass_timer(parent, s, timer))
}

/// Runs every instance's `Init`.
pub fn init<P: Instances>(ctx: &mut Ctx<P>, parent: &mut P) {
    for i in parent.numbers() {
        at!(i, s => ctx.init(parent, s))
    }
}

/// Runs every instance's `Recovery`.
pub fn recover<P: Instances>(ctx: &mut Ctx<P>, parent: &mut P) {
    for i in parent.numbers() {
        at!(i, s => ctx.recover(parent, s))
    }
}
