//! The fuzz targets' checks, in [`properties`]: each target in
//! `fuzz_targets/` hands the fuzzer's bytes to the function of its name.
//! The same file is compiled into the main package's tests, which replay
//! kept findings through it.

pub mod properties;
