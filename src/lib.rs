//! exhibit: electronic-evidence integrity and chain of custody.
//!
//! The library hashes, signs, seals and verifies evidence bundles. It never
//! prints, prompts or exits: it returns typed errors and reports, and the
//! `exhibit` binary decides what the user sees.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod digest;
pub mod walk;
