//! exhibit: electronic-evidence integrity and chain of custody.
//!
//! The library hashes, signs, seals and verifies evidence bundles. It never
//! prints, prompts or exits: it returns typed errors and reports, and the
//! `exhibit` binary decides what the user sees.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod bag;
pub mod create;
pub mod custody;
pub mod digest;
pub mod keys;
pub mod merkle;
pub mod paths;
pub mod report;
pub mod seal;
pub mod store;
pub mod time;
pub mod verify;
pub mod walk;
