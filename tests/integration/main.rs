//! The integration tests, built as one test binary with a module per area,
//! so a test is named `MODULE::TEST` (`cargo test --test integration
//! hash::` runs one module). They run the built `exhibit` binary on files they create in
//! temporary folders, through the shared harness in `common/`; committed
//! test data is under `tests/data/`.
//!
//! `huge` (the 5 GiB zip64 round trip) and `cluster` (a one-node Slurm
//! cluster) are ignored by a plain `cargo test`: `scripts/test --huge` and
//! `scripts/test --cluster` run them.

mod common;

mod audit;
mod bagit_conformance;
mod browser;
mod bundle;
mod case_export;
mod certificates;
mod cluster;
mod crash;
mod custody;
mod disclosure;
mod disclosure_recipe;
mod findings;
mod format1;
mod full_disk;
mod fuzz_regressions;
mod hash;
mod hash_formats;
mod hostile;
mod html_report;
mod huge;
mod images;
mod inspect_scale;
mod interrupt;
mod keys;
mod languages;
mod ltv;
mod merkle_vectors;
mod output_streams;
mod plan;
mod reading;
mod roundtrip_prop;
mod salts;
mod shards;
mod shell_docs;
mod tamper;
mod timestamp;
mod trust_policy;
mod verify_split;
mod verifying_recipe;
mod what_you_hold;
mod zip_source;
