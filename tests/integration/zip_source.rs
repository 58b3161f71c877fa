//! A bundle read from sources other than files on this machine (what the
//! browser verifier hands the library: the chosen zip, or a chosen folder's
//! files, read in slices) is judged exactly as the same bundle read from
//! disk: the same report, problem for problem.

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

/// A folder's regular files as a browser presents them: names from the
/// bag root, bytes in memory.
fn folder_sources(root: &std::path::Path) -> Vec<(String, Arc<dyn ByteSource>)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            let bytes: Arc<dyn ByteSource> = Arc::new(fs::read(e.path()).unwrap());
            (name, bytes)
        })
        .collect()
}

#[test]
fn a_folder_from_given_files_is_judged_as_the_same_folder_from_disk() {
    let dir = Dir::new();
    dir.write("evidence/report.txt", b"seized\n");
    dir.write("evidence/sub dir/disk.bin", common::content(300_000, 6));
    let key = dir.keygen("alice");
    dir.run(seal_args(&["evidence"], "case", &key, "A1"), 0);
    let trust = TrustSet::new(&[PublicKey::load(&key.public).unwrap()]);
    let path = dir.join("case");
    type Change = fn(&std::path::Path);
    let changes: [(&str, Change); 3] = [
        ("verified", |_| {}),
        ("failed", |root| {
            fs::write(root.join("data/evidence/report.txt"), b"altered\n").unwrap()
        }),
        ("failed", |root| {
            fs::write(root.join("data/added.txt"), b"new").unwrap()
        }),
    ];
    for (expected, change) in changes {
        change(&path);
        let from_disk = report_of(&Bundle::open(&path).unwrap(), &trust);
        let given = Bundle::open_folder_sources(&path, folder_sources(&path)).unwrap();
        assert_eq!(report_of(&given, &trust), from_disk);
        assert_eq!(from_disk["status"].as_str().unwrap(), expected);
    }
    // No bagit.txt among the files: not a bundle, as on disk.
    let mut files = folder_sources(&path);
    files.retain(|(name, _)| name != "bagit.txt");
    assert!(Bundle::open_folder_sources(&path, files).is_err());
}
