//! Deliberately broken synchronizers (CATALOGUE.md B-10.10). Not textbook algorithms.
//!
//! | mutant | what is wrong | property that catches it |
//! |---|---|---|
//! | [`early_alpha`] (`synchronizer-alpha-early`) | α that starts pulse r + 1 as soon as it is itself safe, without waiting for its neighbours' SAFE | SR2 lockstep |

use super::SynchronizerAlpha;
use automata::rounds::RoundAlgorithm;
use automata::Pid;

/// Synchronizer α that does not wait for its neighbours to be safe (B-10.10): a neighbour's
/// pulse-r message may still be on its way when the node moves on.
pub fn early_alpha<A: RoundAlgorithm>(alg: A, neighbours: Vec<Pid>) -> SynchronizerAlpha<A> {
    let mut s = SynchronizerAlpha::new(alg, neighbours);
    s.wait_for_neighbours = false;
    s
}
