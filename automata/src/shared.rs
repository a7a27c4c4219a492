//! [`Shared`]: a copy-on-write value that remembers its hash.
//!
//! The model checker keeps many states that differ in one process, one monitor or one packet.
//! Holding each part as a `Shared` lets a successor state share every part its step did not
//! touch with its parent and its siblings (a clone is a reference count), and lets the state's
//! fingerprint reuse the hash of every untouched part instead of hashing it again. The
//! simulator owns each part alone, so writing costs it a reference-count check and nothing
//! more.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering as Atomic};
use std::sync::Arc;

/// A value shared between states until one of them writes to it.
pub struct Shared<T> {
    value: Arc<T>,
    /// The value's hash, or [`UNKNOWN`] until it is first asked for (a plain atomic: a
    /// `OnceLock` costs a synchronised initialisation on every clone).
    hash: AtomicU64,
}

/// No hash computed yet (a value whose hash is this is hashed again each time: harmless).
const UNKNOWN: u64 = 0;

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared {
            value: Arc::new(value),
            hash: AtomicU64::new(UNKNOWN),
        }
    }

    /// Write access: copies the value first if another state shares it.
    pub fn make_mut(&mut self) -> &mut T
    where
        T: Clone,
    {
        *self.hash.get_mut() = UNKNOWN;
        Arc::make_mut(&mut self.value)
    }

    /// The value, owned (copied if shared).
    pub fn into_inner(self) -> T
    where
        T: Clone,
    {
        Arc::unwrap_or_clone(self.value)
    }
}

impl<T: Hash> Shared<T> {
    /// The value's own 64-bit hash, computed once (fixed keys: the same on every run).
    pub fn hash64(&self) -> u64 {
        let known = self.hash.load(Atomic::Relaxed);
        if known != UNKNOWN {
            return known;
        }
        let h = ahash::RandomState::with_seeds(
            0x9E37_79B9_7F4A_7C15,
            0xBF58_476D_1CE4_E5B9,
            0x94D0_49BB_1331_11EB,
            0x2545_F491_4F6C_DD1D,
        )
        .hash_one(&self.value);
        self.hash.store(h, Atomic::Relaxed);
        h
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared {
            value: Arc::clone(&self.value),
            hash: AtomicU64::new(self.hash.load(Atomic::Relaxed)),
        }
    }
}

impl<T: Hash> Hash for Shared<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash64());
    }
}

impl<T: PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.value, &other.value) || *self.value == *other.value
    }
}

impl<T: Eq> Eq for Shared<T> {}

impl<T: PartialOrd> PartialOrd for Shared<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl<T: Ord> Ord for Shared<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: Default> Default for Shared<T> {
    fn default() -> Self {
        Shared::new(T::default())
    }
}
