//! The verdict is about the bytes of BUNDLE as they are: nothing beside a
//! bundle makes it better, a zip that standard readers reject or read
//! differently is refused, a command that did not hash the payload gives no
//! verdict on it, and extract writes only bytes it verified.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::common::*;

/// A sealed zip of two small files, with its key.
fn sealed_zip(dir: &Dir) -> (Key, std::path::PathBuf) {
    dir.write("evidence/a.txt", b"alpha evidence\n");
    dir.write("evidence/b.txt", b"bravo evidence\n");
    let key = dir.keygen("examiner");
    let bundle = dir.seal(&["evidence"], "case.zip", &key);
    (key, bundle)
}

/// `exhibit-journal1`, the original length, the central directory's offset
/// and the bytes from there to the end: the journal an append writes.
fn journal_of(zip: &[u8], cd_start: u64) -> Vec<u8> {
    let mut journal = b"exhibit-journal1".to_vec();
    journal.extend_from_slice(&(zip.len() as u64).to_le_bytes());
    journal.extend_from_slice(&cd_start.to_le_bytes());
    journal.extend_from_slice(&zip[cd_start as usize..]);
    journal
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

fn put_u32(b: &mut [u8], at: usize, value: u32) {
    b[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// Offset of the end-of-central-directory record (no comment).
fn end_record(zip: &[u8]) -> usize {
    let at = zip.len() - 22;
    assert_eq!(u32_at(zip, at), 0x0605_4b50);
    at
}

#[track_caller]
fn one_clear_line_naming(output: &std::process::Output, what: &str) {
    let err = stderr(output);
    assert!(
        err.lines()
            .any(|l| l.starts_with("exhibit: ") && l.contains(what)),
        "no line naming {what:?}:\n{err}"
    );
}

#[test]
fn a_planted_journal_cannot_hide_an_added_file() {
    let dir = Dir::new();
    let (key, bundle) = sealed_zip(&dir);
    let original = fs::read(&bundle).unwrap();
    let cd_start = zip_central_directory_start(&bundle);

    // Append a payload file with a standard zip writer, then put beside the
    // bundle the journal that describes the original central directory.
    {
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&bundle)
            .unwrap();
        let mut writer = ::zip::ZipWriter::new_append(file).unwrap();
        let options = ::zip::write::SimpleFileOptions::default()
            .compression_method(::zip::CompressionMethod::Stored);
        writer
            .start_file("case/data/evidence/planted.txt", options)
            .unwrap();
        writer.write_all(b"planted").unwrap();
        writer.finish().unwrap();
    }
    fs::write(
        dir.join("case.zip.journal"),
        journal_of(&original, cd_start),
    )
    .unwrap();

    let report = dir.verify_json(&bundle, &[&key], 1);
    assert!(
        problems(&report).contains(&(
            "payload.unlisted".into(),
            Some("data/evidence/planted.txt".into())
        )),
        "{report:#}"
    );
    let warnings = report["warnings"].as_array().unwrap();
    assert!(warnings
        .iter()
        .any(|w| w["code"] == "zip.interrupted-append"));
    let output = dir.run(
        [
            "extract",
            "case.zip",
            "-o",
            "out",
            "--trust",
            key.public.to_str().unwrap(),
        ],
        1,
    );
    one_clear_line_naming(&output, "planted.txt");
    assert!(!dir.join("out").exists());

    // Reading changed nothing; `recover` rolls back to what the journal
    // describes, which is the original bundle.
    assert!(dir.join("case.zip.journal").exists());
    let recovered = dir.run(["recover", "case.zip"], 0);
    assert!(stdout(&recovered).contains("rolled back"));
    assert_eq!(fs::read(&bundle).unwrap(), original);
    dir.verify_json(&bundle, &[&key], 0);
}

#[test]
fn a_stray_journal_beside_an_intact_bundle_is_only_a_warning() {
    let dir = Dir::new();
    let (key, bundle) = sealed_zip(&dir);
    let mut garbage = b"exhibit-journal1".to_vec();
    garbage.extend_from_slice(&[0xAB; 200]);
    fs::write(dir.join("case.zip.journal"), &garbage).unwrap();
    let report = dir.verify_json(&bundle, &[&key], 0);
    assert_eq!(report["status"], "verified");
    assert_eq!(report["warnings"][0]["code"], "zip.interrupted-append");
    // Nothing beside the bundle was touched by reading it.
    assert_eq!(fs::read(dir.join("case.zip.journal")).unwrap(), garbage);
}

#[test]
fn zips_that_standard_readers_reject_are_refused() {
    let dir = Dir::new();
    let (key, bundle) = sealed_zip(&dir);
    let good = fs::read(&bundle).unwrap();
    let at = end_record(&good);
    let size = u32_at(&good, at + 12);

    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    for (name, delta) in [("cd-size-plus-one", 1u32), ("cd-size-plus-2gib", 1 << 31)] {
        let mut bytes = good.clone();
        put_u32(&mut bytes, at + 12, size.wrapping_add(delta));
        cases.push((name, bytes));
    }
    let mut prefixed = vec![0x5a; 4096];
    prefixed.extend_from_slice(&good);
    cases.push(("junk-prefix", prefixed));
    let mut trailing = good.clone();
    trailing.extend_from_slice(b"trailing bytes");
    cases.push(("trailing-bytes", trailing));

    let unzip = tool_or_skip("unzip", "zips_that_standard_readers_reject_are_refused");
    for (name, bytes) in cases {
        let file = format!("{name}.zip");
        fs::write(dir.join(&file), &bytes).unwrap();
        let output = dir.output([
            "verify",
            file.as_str(),
            "--trust",
            key.public.to_str().unwrap(),
        ]);
        let code = output.status.code();
        assert!(
            matches!(code, Some(1 | 2)),
            "{name}: exit {code:?}\n{}",
            stderr(&output)
        );
        assert!(
            stderr(&output).lines().any(|l| l.starts_with("exhibit: ")),
            "{name}: no clear line"
        );
        // Standard tools complain about these too (unzip takes trailing
        // bytes silently; exhibit accounts for every byte).
        if let Some(unzip) = unzip.as_ref().filter(|_| name != "trailing-bytes") {
            let tested = run_tool(unzip, dir.path(), ["-tq", file.as_str()]);
            let complaint = !tested.status.success() || !stderr(&tested).is_empty();
            assert!(complaint, "{name}: unzip -t accepts it silently");
        }
    }
}

#[test]
fn a_record_listed_twice_is_a_duplicate() {
    let dir = Dir::new();
    let (key, bundle) = sealed_zip(&dir);
    let good = fs::read(&bundle).unwrap();
    let end = end_record(&good);
    let cd_start = zip_central_directory_start(&bundle) as usize;
    // Copy the central record of the first payload file once more.
    let records = &good[cd_start..end];
    let name = b"case/data/evidence/a.txt";
    let mut at = 0;
    let record = loop {
        let len = 46
            + u16::from_le_bytes([records[at + 28], records[at + 29]]) as usize
            + u16::from_le_bytes([records[at + 30], records[at + 31]]) as usize
            + u16::from_le_bytes([records[at + 32], records[at + 33]]) as usize;
        if &records[at + 46..at + 46 + name.len()] == name {
            break records[at..at + len].to_vec();
        }
        at += len;
    };
    let mut doubled = good[..end].to_vec();
    doubled.extend_from_slice(&record);
    let mut eocd = good[end..].to_vec();
    for at in [8, 10] {
        let count = u16::from_le_bytes([eocd[at], eocd[at + 1]]) + 1;
        eocd[at..at + 2].copy_from_slice(&count.to_le_bytes());
    }
    let size = u32_at(&eocd, 12) + record.len() as u32;
    put_u32(&mut eocd, 12, size);
    doubled.extend_from_slice(&eocd);
    fs::write(&bundle, &doubled).unwrap();

    let report = dir.verify_json(&bundle, &[&key], 1);
    assert!(
        problems(&report).contains(&(
            "path.duplicate".into(),
            Some(String::from_utf8_lossy(name).into())
        )),
        "{report:#}"
    );
}

#[test]
fn a_wrong_crc_is_refused_as_unzip_refuses_it() {
    let dir = Dir::new();
    let (key, bundle) = sealed_zip(&dir);
    let mut bytes = fs::read(&bundle).unwrap();
    // Flip one bit of a.txt's CRC in both its local header and its central
    // record: the data and every digest still match, only the CRC lies.
    let name = b"case/data/evidence/a.txt";
    let mut patched = 0;
    for at in 0..bytes.len() - name.len() {
        let local = u32_at(&bytes, at) == 0x0403_4b50 && bytes[at + 30..].starts_with(name);
        let central = u32_at(&bytes, at) == 0x0201_4b50 && bytes[at + 46..].starts_with(name);
        if local {
            bytes[at + 14] ^= 1;
            patched += 1;
        } else if central {
            bytes[at + 16] ^= 1;
            patched += 1;
        }
    }
    assert_eq!(patched, 2);
    fs::write(&bundle, &bytes).unwrap();
    let report = dir.verify_json(&bundle, &[&key], 1);
    let found = problems(&report);
    assert!(
        found.contains(&("zip.entry".into(), Some("data/evidence/a.txt".into()))),
        "{found:?}"
    );
    if let Some(unzip) = tool_or_skip("unzip", "a_wrong_crc_is_refused_as_unzip_refuses_it") {
        let tested = run_tool(&unzip, dir.path(), ["-tq", "case.zip"]);
        assert!(!tested.status.success(), "unzip -t accepts a wrong CRC");
    }
}

#[test]
fn commands_that_do_not_hash_the_payload_give_no_verdict_on_it() {
    let dir = Dir::new();
    let (key, bundle) = sealed_zip(&dir);
    // Change one payload byte (and its CRC fields stay wrong: inspect does
    // not read payload data at all).
    let mut bytes = fs::read(&bundle).unwrap();
    let at = bytes
        .windows(15)
        .position(|w| w == b"alpha evidence\n")
        .unwrap();
    bytes[at] = b'A';
    fs::write(&bundle, &bytes).unwrap();

    let trust = key.public.to_str().unwrap();
    let inspect = dir.run(["inspect", "case.zip", "--trust", trust, "--json"], 0);
    let report: serde_json::Value = serde_json::from_slice(&inspect.stdout).unwrap();
    assert!(report.get("status").is_none(), "{report:#}");
    assert!(report.get("verified").is_none(), "{report:#}");
    assert_eq!(report["payload_checked"], false);
    assert_eq!(report["signatures_checked"], true);

    let log = dir.run(["custody", "log", "case.zip", "--json"], 0);
    let log: serde_json::Value = serde_json::from_slice(&log.stdout).unwrap();
    assert!(log.get("status").is_none(), "{log:#}");
    assert_eq!(log["payload_checked"], false);

    let replay = dir.run(
        ["custody", "replay", "case.zip", "--trust", trust, "--json"],
        0,
    );
    let replay: serde_json::Value = serde_json::from_slice(&replay.stdout).unwrap();
    assert_eq!(replay["payload_checked"], false);

    dir.verify_json(&bundle, &[&key], 1);
}

/// Extract hashes what it writes in the same pass: a payload file changed
/// while extract runs is either caught or written as sealed, never written
/// changed under a passing verdict.
#[test]
fn extract_writes_only_the_bytes_it_verified() {
    let dir = Dir::new();
    let big = content(48 << 20, 7);
    dir.write("evidence/big.bin", &big);
    let key = dir.keygen("examiner");
    let bundle = dir.seal(&["evidence"], "case", &key);
    let target = bundle.join("data/evidence/big.bin");
    let trust = key.public.to_str().unwrap().to_string();

    for round in 0..4 {
        let out = format!("out-{round}");
        let mut child = dir
            .command()
            .args(["extract", "case", "-o", &out, "--trust", &trust])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Flip the last byte back and forth while extract reads the file.
        let mut flipped = false;
        while child.try_wait().unwrap().is_none() {
            let mut file = fs::OpenOptions::new().write(true).open(&target).unwrap();
            use std::io::{Seek, SeekFrom};
            file.seek(SeekFrom::Start(big.len() as u64 - 1)).unwrap();
            flipped = !flipped;
            let last = big[big.len() - 1] ^ if flipped { 0xFF } else { 0 };
            file.write_all(&[last]).unwrap();
        }
        let status = child.wait().unwrap();
        let written = dir.join(&out).join("evidence/big.bin");
        if status.code() == Some(0) {
            assert!(
                fs::read(&written).unwrap() == big,
                "round {round}: extracted bytes differ"
            );
        } else {
            assert_eq!(status.code(), Some(1), "round {round}");
            assert!(
                !Path::new(&written).exists(),
                "round {round}: wrote after a failure"
            );
        }
        fs::write(&target, &big).unwrap();
    }
}
