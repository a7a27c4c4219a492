//! Synchronous rounds from clocks, and clocks from synchronous rounds (book §10.3, C.19).
//!
//! - [`clock_driven`] (`clock-driven-rounds`): round `r` runs while the local clock is in
//!   `[T0 + rP, T0 + (r+1)P)`; with clock precision ε, delay bound d and drift ρ, every round-r
//!   message arrives in round r iff `P ≥ (1+ρ)d + ε` (plus the clock's tick granularity).
//! - [`round_driven_clock`] (`round-driven-clock`): on lockstep rounds of length P, the clock
//!   `C_p := r·P + (H_p − H_p at the start of round r)`, with precision `σ + 2ρP`.
//! - [`monitors`]: SR1 round-integrity, SR2 lockstep, SR3 progress, judged from the round
//!   events every runner records (`automata::rounds::events`), so the ideal runner, the
//!   clock-driven runner and the synchronizers are judged alike.

pub mod abstractions;
pub mod clock_driven;
pub mod monitors;
pub mod round_driven_clock;

pub use clock_driven::ClockDrivenRounds;
pub use round_driven_clock::RoundDrivenClock;
