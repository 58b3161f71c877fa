//! Huge evidence, too slow for every test run: `scripts/test --huge` (or
//! `cargo test --release --test integration -- --ignored huge::`). A
//! sparse 5 GiB file (quick to create, real bytes to read) seals into a
//! zip64 bundle, verifies and extracts byte for byte; one byte changed past
//! the 4 GiB mark is then found, and extract refuses.

use std::process::Command;

use crate::common::{self, Dir};

fn exhibit(dir: &Dir, args: &[&str]) {
    dir.run(args, 0);
}

#[test]
#[ignore = "writes and reads 15 GiB; run by scripts/test --huge"]
fn five_gib_file_seals_to_zip64_verifies_and_extracts() {
    // Beside the sources rather than in a temporary folder that may be
    // held in memory.
    let tmp = Dir::new_in(".");
    let dir = &tmp;
    let size: u64 = 5 << 30;
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut file = std::fs::File::create(dir.join("disk.img")).unwrap();
        file.set_len(size).unwrap();
        // Some non-zero bytes at the start, across the 4 GiB line and at the end.
        for offset in [0, (4 << 30) - 3, size - 5] {
            file.seek(SeekFrom::Start(offset)).unwrap();
            file.write_all(b"EVID!").unwrap();
        }
    }
    exhibit(dir, &["keygen", "-o", "k.key", "--no-passphrase"]);
    exhibit(
        dir,
        &[
            "seal",
            "disk.img",
            "-o",
            "big.zip",
            "--key",
            "k.key",
            "--case",
            "C",
            "--exhibit",
            "E",
            "-q",
        ],
    );
    let zip = zip::ZipArchive::new(std::fs::File::open(dir.join("big.zip")).unwrap()).unwrap();
    let entry = zip
        .index_for_name("big/data/disk.img")
        .expect("payload entry");
    drop(zip);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(dir.join("big.zip")).unwrap()).unwrap();
    assert_eq!(zip.by_index_raw(entry).unwrap().size(), size);
    exhibit(dir, &["verify", "big.zip", "--trust", "k.pub", "-q"]);
    exhibit(
        dir,
        &["extract", "big.zip", "-o", "out", "--trust", "k.pub", "-q"],
    );
    let same = Command::new("cmp")
        .arg(dir.join("disk.img"))
        .arg(dir.join("out/disk.img"))
        .status()
        .unwrap();
    assert!(same.success(), "extracted file differs");

    // One byte past the 4 GiB mark, in place: offsets and sizes beyond
    // 32 bits must still be checked, not wrapped.
    let data_start = zip.by_index_raw(entry).unwrap().data_start().unwrap();
    drop(zip);
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(dir.join("big.zip"))
            .unwrap();
        file.seek(SeekFrom::Start(data_start + (4 << 30) + 1))
            .unwrap();
        file.write_all(b"X").unwrap();
    }
    let report = dir.verify_json(&dir.join("big.zip"), &[], 1);
    let codes: Vec<String> = common::problems(&report)
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert!(
        codes.contains(&"payload.digest-mismatch".to_string()),
        "{codes:?}"
    );
    dir.run(
        ["extract", "big.zip", "-o", "out2", "--trust", "k.pub", "-q"],
        1,
    );
    assert!(!dir.join("out2").exists());
}
