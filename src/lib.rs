//! exhibit: electronic-evidence integrity and chain of custody.
//!
//! The library hashes, signs, seals and verifies evidence bundles. It never
//! prints, prompts or exits: it returns typed errors and reports, and the
//! `exhibit` binary decides what the user sees. `docs/ARCHITECTURE.md` is
//! the map of its modules.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

/// This version of exhibit (what reports say ran the check).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod digest;
pub mod format;
pub mod fsx;
pub mod i18n;
#[cfg(feature = "native")]
pub mod image;
pub mod keys;
pub mod limits;
pub mod ops;
pub mod problem;
pub mod report;
pub mod store;
pub mod time;
pub mod trust;
pub mod tsp;
pub mod units;
pub mod walk;
