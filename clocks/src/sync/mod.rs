//! Clock synchronization.
