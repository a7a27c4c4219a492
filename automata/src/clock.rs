//! The wall clock the model checker's budget and report read: `std::time::Instant` natively;
//! in a browser (wasm32-unknown-unknown), where `Instant::now` panics, a clock that stands
//! still, so a search there is bounded by states, depth and memory, never by time.

use std::time::Duration;

/// A moment on the wall clock (see the module's doc for the browser).
#[derive(Clone, Copy, Debug)]
pub struct Instant(
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))] std::time::Instant,
);

impl Instant {
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    pub fn now() -> Self {
        Instant(std::time::Instant::now())
    }

    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    pub fn now() -> Self {
        Instant()
    }

    /// Time from `earlier` to this moment (zero in a browser).
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    pub fn duration_since(&self, earlier: Instant) -> Duration {
        self.0.duration_since(earlier.0)
    }

    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    pub fn duration_since(&self, _earlier: Instant) -> Duration {
        Duration::ZERO
    }

    /// Time since this moment.
    pub fn elapsed(&self) -> Duration {
        Instant::now().duration_since(*self)
    }
}
