//! The properties chapter 9's abstractions add, as monitors. Validity, no duplication, no
//! creation and (uniform) agreement of total-order broadcast are reliable broadcast's
//! (`broadcast::monitors`); uniform agreement, integrity and termination of atomic commit are
//! consensus's (`consensus::monitors`), on the `nbac` layer's events.
//!
//! | file | abstraction | properties |
//! |---|---|---|
//! | [`order`] | total-order broadcast | TOB5 total order, UTOB5 uniform total order, prefix order |
//! | [`kv`] | replicated key-value store | replica consistency, linearizability, progress |
//! | [`commit`] | non-blocking atomic commit; transaction commit | NBAC2 abort-validity, NBAC3 commit-validity; TLA+'s TCConsistent |
//! | [`mutex`] | mutual exclusion | mutual exclusion, no starvation |
//! | [`semaphore`] | lock service / k-semaphore | SEM1 k-exclusion, SEM2 fencing, SEM3 no spurious grant, SEM4 no starvation |
//! | [`trb`] | uniform terminating reliable broadcast | termination, validity, integrity, uniform agreement |
//! | [`reconfiguration`] | reconfigurable replicated state machine | RC1 configuration agreement, RC2 no lost commands, RC4 single-configuration decisions |
//! | [`membership`] | group membership (and the views of view synchrony) | GM1 monotonicity, GM2 uniform agreement, GM3 completeness, GM4 accuracy |
//! | [`view_synchrony`] | view-synchronous communication | VS1 view inclusion, same-view delivery |

pub mod commit;
pub mod kv;
pub mod membership;
pub mod mutex;
pub mod order;
pub mod reconfiguration;
pub mod semaphore;
pub mod trb;
pub mod view_synchrony;

pub use commit::{AbortValidity, CommitValidity, TcConsistent};
pub use kv::{Linearizability, Progress, ReplicaConsistency};
pub use membership::{Accuracy, Completeness, Monotonicity, ViewAgreement};
pub use mutex::{MutualExclusion, NoStarvation};
pub use order::{PrefixOrder, TotalOrder};
pub use reconfiguration::{ConfigurationAgreement, NoLostCommands, SingleConfigurationDecisions};
pub use semaphore::{Fencing, KExclusion, NoSpuriousGrant, SemNoStarvation};
pub use trb::{TrbAgreement, TrbIntegrity, TrbTermination, TrbValidity};
pub use view_synchrony::{SameViewDelivery, ViewInclusion};
