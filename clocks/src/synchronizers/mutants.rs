//! Deliberately broken synchronizers (book §10.3.4, B-10.10). Not textbook algorithms.
//!
//! | mutant | what is wrong | property that catches it |
//! |---|---|---|
//! | [`early_alpha`] (`synchronizer-alpha-early`) | α that starts pulse r + 1 as soon as it is itself safe, without waiting for its neighbours' SAFE | SR2 lockstep |
//! | [`early_beta`] | β whose nodes report their subtree safe without waiting for their children's SUBTREE-SAFE | SR1 round integrity / SR2 lockstep |
//! | [`early_gamma`] | γ whose nodes report safety inside the cluster without waiting for their children | SR1 round integrity / SR2 lockstep |

use super::{SynchronizerAlpha, SynchronizerBeta, SynchronizerGamma};
use automata::rounds::RoundAlgorithm;
use automata::Pid;

/// Synchronizer α that does not wait for its neighbours to be safe (B-10.10): a neighbour's
/// pulse-r message may still be on its way when the node moves on.
pub fn early_alpha<A: RoundAlgorithm>(alg: A, neighbours: Vec<Pid>) -> SynchronizerAlpha<A> {
    let mut s = SynchronizerAlpha::new(alg, neighbours);
    s.wait_for_neighbours = false;
    s
}

/// Synchronizer β whose nodes report SUBTREE-SAFE(r) as soon as they are safe themselves: the
/// root sends GO(r) while messages of pulse r deeper in the tree are still on their way.
pub fn early_beta<A: RoundAlgorithm>(
    alg: A,
    parent: Option<Pid>,
    children: Vec<Pid>,
) -> SynchronizerBeta<A> {
    let mut s = SynchronizerBeta::new(alg, parent, children);
    s.wait_for_children = false;
    s
}

/// Synchronizer γ whose nodes report their subtree of the cluster safe as soon as they are
/// safe themselves: the cluster counts as safe too early, as in [`early_beta`].
pub fn early_gamma<A: RoundAlgorithm>(
    alg: A,
    parent: Option<Pid>,
    children: Vec<Pid>,
    preferred: Vec<Pid>,
) -> SynchronizerGamma<A> {
    let mut s = SynchronizerGamma::new(alg, parent, children, preferred);
    s.wait_for_children = false;
    s
}
