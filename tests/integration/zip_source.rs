//! A zip bundle read from a source other than a file on this machine (what
//! the browser verifier hands the library: the chosen file, read in
//! slices) is judged exactly as the same zip read from disk: the same
//! report, problem for problem.

use std::fs;
use std::sync::Arc;

use exhibit::keys::PublicKey;
use exhibit::ops::verify::verify_bundle;
use exhibit::ops::Silent;
use exhibit::store::{Bundle, ByteSource};
use exhibit::trust::TrustSet;

use crate::common::{self, seal_args, Dir};

/// The report as JSON, without the member that names where it was read.
fn report_of(bundle: &Bundle, trust: &TrustSet) -> serde_json::Value {
    let mut report = serde_json::to_value(verify_bundle(bundle, trust, &Silent)).unwrap();
    report.as_object_mut().unwrap().remove("bundle");
    report
}

#[test]
fn a_zip_from_memory_is_judged_as_the_same_zip_from_disk() {
    let dir = Dir::new();
    dir.write("evidence/report.txt", b"seized\n");
    dir.write("evidence/disk.bin", common::content(300_000, 5));
    let key = dir.keygen("alice");
    dir.run(seal_args(&["evidence"], "case.zip", &key, "A1"), 0);
    let trust = TrustSet::new(&[PublicKey::load(&key.public).unwrap()]);
    let path = dir.join("case.zip");

    let mut bytes = fs::read(&path).unwrap();
    for altered in [false, true] {
        if altered {
            // One payload byte changed: both readings must find it.
            let at = bytes
                .windows(7)
                .position(|w| w == b"seized\n")
                .expect("the stored text");
            bytes[at] ^= 1;
            fs::write(&path, &bytes).unwrap();
        }
        let from_disk = report_of(&Bundle::open(&path).unwrap(), &trust);
        let source: Arc<dyn ByteSource> = Arc::new(bytes.clone());
        let from_memory = report_of(&Bundle::open_zip_source(&path, source).unwrap(), &trust);
        assert_eq!(from_memory, from_disk);
        let status = from_disk["status"].as_str().unwrap();
        assert_eq!(status, if altered { "failed" } else { "verified" });
    }
    // Not a zip at all: refused as the file would be.
    let source: Arc<dyn ByteSource> = Arc::new(b"not a zip".to_vec());
    assert!(Bundle::open_zip_source(&path, source).is_err());
}
