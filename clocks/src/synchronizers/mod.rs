//! Synchronizers.
