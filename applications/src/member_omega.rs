//! Ω among a configuration's members: the leader detector each configuration's log of
//! [`crate::stop_sign_reconfiguration`] uses, the environment's oracle restricted to the
//! configuration.

use crate::reconfiguration::Members;
use automata::detector::{NoRequest, Trust};
use automata::{Ctx, Module, Pid, Time};

/// Ω among a configuration's members: the lowest-numbered member the environment's oracle
/// does not suspect, polled every `poll` ticks; with no period, the lowest member, once (a
/// scripted Ω for exhaustive checks of runs without crashes, where every path must end).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MemberOmega {
    members: Members,
    poll: Option<Time>,
    trusted: Option<Pid>,
}

impl MemberOmega {
    pub fn new(members: Members, poll: Option<Time>) -> Self {
        MemberOmega {
            members,
            poll,
            trusted: None,
        }
    }

    /// `leader := min { p ∈ M | ¬suspected(p) }; if it changed then trigger ⟨ Trust | leader ⟩`.
    fn poll(&mut self, ctx: &mut Ctx<Self>) {
        let lowest = self.members.first().copied().unwrap_or(0);
        let l = match self.poll {
            None => lowest,
            Some(_) => (self.members.iter().copied())
                .find(|&p| !ctx.oracle_suspects(p))
                .unwrap_or(lowest),
        };
        if self.trusted != Some(l) {
            self.trusted = Some(l);
            ctx.indicate(Trust(l));
        }
        if let Some(t) = self.poll {
            ctx.set_timer(t.max(1), ());
        }
    }
}

impl Module for MemberOmega {
    const NAME: &'static str = "omega";
    type Req = NoRequest;
    type Ind = Trust;
    type Msg = std::convert::Infallible;
    type Timer = ();

    fn on_init(&mut self, ctx: &mut Ctx<Self>) {
        self.poll(ctx);
    }

    fn on_request(&mut self, _ctx: &mut Ctx<Self>, req: NoRequest) {
        match req {}
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Self>, (): ()) {
        self.poll(ctx);
    }
}
