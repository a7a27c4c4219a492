//! The heartbeat exchange of Exclude on Timeout and Increasing Timeout (CGR Algorithms 2.5 and
//! 2.7). Both request a heartbeat from every process at each timeout, answer every request and
//! gather the replies in `alive`; they differ only in what a timeout concludes. So the messages,
//! the routing and the `Module` plumbing are written once here, and each algorithm's file keeps
//! its `upon` handlers, which the book quotes.

use crate::interface::{Deliver, Link, Send};
use automata::{Below, Ctx, Module, Pid, ToValue, Value};

/// The heartbeat exchange of Exclude on Timeout and Increasing Timeout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Heartbeat {
    /// `[HEARTBEATREQUEST]`: are you alive?
    Request,
    /// `[HEARTBEATREPLY]`: I am.
    Reply,
}

impl ToValue for Heartbeat {
    fn to_value(&self) -> Value {
        Value::str(match self {
            Heartbeat::Request => "HEARTBEATREQUEST",
            Heartbeat::Reply => "HEARTBEATREPLY",
        })
    }
}

/// A detector that exchanges heartbeats over the links in slot [`HeartbeatDetector::PL`]: it
/// supplies its `upon` handlers, and gets their routing and the heartbeat `Send`.
pub(crate) trait HeartbeatDetector: Module {
    /// The slot of the links below.
    type Pl: Below<Self, Lower: Link<Heartbeat>>;
    const PL: Self::Pl;

    /// `upon event ⟨ pl, Deliver | q, [HEARTBEATREQUEST] ⟩`.
    fn on_heartbeat_request(&mut self, ctx: &mut Ctx<Self>, q: Pid);

    /// `upon event ⟨ pl, Deliver | p, [HEARTBEATREPLY] ⟩`.
    fn on_heartbeat_reply(&mut self, p: Pid);

    /// `upon event ⟨ Timeout ⟩`.
    fn on_timeout(&mut self, ctx: &mut Ctx<Self>);

    /// A heartbeat message: a request to answer or an answer.
    fn on_pl_deliver(&mut self, ctx: &mut Ctx<Self>, Deliver { from, msg }: Deliver<Heartbeat>) {
        match msg {
            Heartbeat::Request => self.on_heartbeat_request(ctx, from),
            Heartbeat::Reply => self.on_heartbeat_reply(from),
        }
    }

    /// `trigger ⟨ pl, Send | to, msg ⟩`.
    fn send(&mut self, ctx: &mut Ctx<Self>, to: Pid, msg: Heartbeat) {
        ctx.trigger(self, Self::PL, Send { to, msg });
    }
}

/// The `Module` items of a [`HeartbeatDetector`] over links `$links` (inside its `impl
/// Module`): no requests, the links' messages, and as timers its own `Timeout` or the links'.
macro_rules! heartbeat_module {
    ($links:ty) => {
        type Req = automata::detector::NoRequest;
        type Msg = <$links as automata::Module>::Msg;
        type Timer = $crate::detectors::Tick<<$links as automata::Module>::Timer>;

        fn on_request(&mut self, _ctx: &mut automata::Ctx<Self>, req: Self::Req) {
            match req {}
        }

        fn on_message(
            &mut self,
            ctx: &mut automata::Ctx<Self>,
            from: automata::Pid,
            msg: Self::Msg,
        ) {
            use $crate::detectors::heartbeat::HeartbeatDetector;
            ctx.pass_message(self, Self::PL, from, msg);
        }

        fn on_timer(&mut self, ctx: &mut automata::Ctx<Self>, timer: Self::Timer) {
            use $crate::detectors::heartbeat::HeartbeatDetector;
            match timer {
                $crate::detectors::Tick::Timeout => HeartbeatDetector::on_timeout(self, ctx),
                $crate::detectors::Tick::Link(t) => ctx.pass_timer(self, Self::PL, t),
            }
        }
    };
}
pub(crate) use heartbeat_module;
