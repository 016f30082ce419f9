//! Counting terms at corpus scale: interning, parallel per-thread tables, deterministic ordering
#![deny(missing_docs)]
