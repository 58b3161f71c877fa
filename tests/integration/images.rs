//! Forensic images (EWF) made by the reference tool, `ewfacquire`, from a
//! generated raw image with case metadata: `exhibit image verify` agrees
//! with `ewfverify` and `ewfinfo` on intact, corrupted and incomplete
//! images, and `seal` records what it found in the seal statement.

use std::fs;
use std::path::{Path, PathBuf};

use md5::Md5;
use sha1::Digest as _;

use std::ffi::OsString;
use std::process::Output;

use crate::common::{assert_tool_ok, run_tool, seal_args, stderr, stdout, tool_or_skip, Dir, Key};

/// A raw image: 3 MiB of varied bytes (stored uncompressed) then 1 MiB of
/// zeros (compressed), whole sectors.
fn raw_image(dir: &Dir) -> PathBuf {
    let mut bytes = crate::common::content(3 << 20, 29);
    bytes.extend(std::iter::repeat_n(0u8, 1 << 20));
    dir.write("raw.dd", &bytes)
}

/// `ewfacquire` of `raw` into `target` (.E01 …), with case metadata and a
/// SHA-1 beside the MD5; `extra` adds options (compression, segment size).
fn acquire(ewfacquire: &Path, dir: &Dir, raw: &Path, target: &str, extra: &[&str]) -> PathBuf {
    let mut args = vec![
        "-u",
        "-q",
        "-t",
        target,
        "-C",
        "C-42",
        "-D",
        "seized laptop",
        "-e",
        "Examiner One",
        "-E",
        "A1",
        "-N",
        "bag 7",
        "-d",
        "sha1",
    ];
    args.extend_from_slice(extra);
    let raw = raw.display().to_string();
    args.push(&raw);
    let output = run_tool(ewfacquire, dir.path(), &args);
    assert_tool_ok(&output, "ewfacquire");
    dir.join(format!("{target}.E01"))
}

/// Flips a byte inside the second chunk's data of an image acquired with
/// `-c none` (chunks of 32 KiB stored as they are, found by their bytes).
fn corrupt_second_chunk(image: &Path, raw: &Path) {
    let mut bytes = fs::read(image).unwrap();
    let second = &fs::read(raw).unwrap()[32768..32768 + 4096];
    let at = bytes.windows(4096).position(|w| w == second).unwrap();
    bytes[at + 100] ^= 0x55;
    fs::write(image, &bytes).unwrap();
}

fn md5_hex(bytes: &[u8]) -> String {
    hex::encode(Md5::digest(bytes))
}

/// What `ewfverify` says of an image: (succeeded, its whole output).
fn ewfverify(ewfverify: &Path, dir: &Dir, image: &Path) -> (bool, String) {
    let output = run_tool(ewfverify, dir.path(), ["-q".as_ref(), image.as_os_str()]);
    (
        output.status.success(),
        format!("{}{}", stdout(&output), stderr(&output)),
    )
}

#[test]
fn image_verify_agrees_with_ewfverify_on_intact_images() {
    const TEST: &str = "images::image_verify_agrees_with_ewfverify_on_intact_images";
    let (Some(acquire_tool), Some(verify_tool)) = (
        tool_or_skip("ewfacquire", TEST),
        tool_or_skip("ewfverify", TEST),
    ) else {
        return;
    };
    let dir = Dir::new();
    let raw = raw_image(&dir);
    let raw_md5 = md5_hex(&fs::read(&raw).unwrap());
    for (target, extra, segments) in [
        ("one", &["-c", "fast"][..], 1),
        ("split", &["-c", "none", "-S", "1MiB"][..], 5),
    ] {
        let image = acquire(&acquire_tool, &dir, &raw, target, extra);
        assert!(
            ewfverify(&verify_tool, &dir, &image).0,
            "{target}: ewfverify"
        );
        let out = dir.run(["image", "verify", image.to_str().unwrap(), "--json"], 0);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["result"], "match", "{target}: {report}");
        assert_eq!(report["format"], "ewf");
        assert_eq!(report["media_size"], 4 << 20);
        assert_eq!(
            report["segments"].as_array().unwrap().len(),
            segments,
            "{target}"
        );
        assert_eq!(report["stored"]["md5"], raw_md5.as_str(), "{target}");
        assert_eq!(report["computed"]["md5"], raw_md5.as_str(), "{target}");
        assert_eq!(
            report["computed"]["sha1"], report["stored"]["sha1"],
            "{target}"
        );
        assert_eq!(report["metadata"]["case_number"], "C-42");
        assert_eq!(report["metadata"]["evidence_number"], "A1");
        assert_eq!(report["metadata"]["examiner"], "Examiner One");
        assert_eq!(report["bad_chunks"], serde_json::json!([]));
        // The person reading it: stored and computed side by side.
        let out = dir.run(["image", "verify", image.to_str().unwrap()], 0);
        assert!(
            stdout(&out).contains(&format!("md5    computed {raw_md5} (matches)")),
            "{}",
            stdout(&out)
        );
        assert!(stdout(&out).lines().last().unwrap().starts_with("MATCH: "));
    }
}

#[test]
fn a_corrupt_chunk_is_named_where_ewfverify_names_it() {
    const TEST: &str = "images::a_corrupt_chunk_is_named_where_ewfverify_names_it";
    let (Some(acquire_tool), Some(verify_tool)) = (
        tool_or_skip("ewfacquire", TEST),
        tool_or_skip("ewfverify", TEST),
    ) else {
        return;
    };
    let dir = Dir::new();
    let raw = raw_image(&dir);
    let image = acquire(&acquire_tool, &dir, &raw, "img", &["-c", "none"]);
    corrupt_second_chunk(&image, &raw);
    let (ok, said) = ewfverify(&verify_tool, &dir, &image);
    assert!(!ok, "ewfverify accepted the corrupted image:\n{said}");
    assert!(
        said.contains("64 - 127"),
        "ewfverify names other sectors:\n{said}"
    );
    let out = dir.run(["image", "verify", image.to_str().unwrap()], 1);
    let err = stderr(&out);
    assert!(
        err.contains("chunk at media offset 32768 (32768 bytes, sectors 64-127): its Adler-32 checksum does not match its data"),
        "{err}"
    );
    assert!(
        stdout(&out)
            .lines()
            .last()
            .unwrap()
            .starts_with("MISMATCH: "),
        "{}",
        stdout(&out)
    );
    let out = dir.run(["image", "verify", image.to_str().unwrap(), "--json"], 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["result"], "mismatch");
    assert_eq!(report["bad_chunks"][0]["media_offset"], 32768);
}

#[test]
fn a_missing_or_foreign_segment_is_refused_by_name() {
    const TEST: &str = "images::a_missing_or_foreign_segment_is_refused_by_name";
    let Some(acquire_tool) = tool_or_skip("ewfacquire", TEST) else {
        return;
    };
    let dir = Dir::new();
    let raw = raw_image(&dir);
    let image = acquire(
        &acquire_tool,
        &dir,
        &raw,
        "split",
        &["-c", "none", "-S", "1MiB"],
    );
    let last = dir.join("split.E05");
    fs::rename(&last, dir.join("elsewhere")).unwrap();
    let out = dir.run(["image", "verify", image.to_str().unwrap()], 2);
    assert!(
        stderr(&out).contains("split.E05: segment 5 of the image is missing"),
        "{}",
        stderr(&out)
    );
    fs::rename(dir.join("elsewhere"), &last).unwrap();
    let middle = dir.join("split.E03");
    fs::rename(&middle, dir.join("elsewhere")).unwrap();
    let out = dir.run(["image", "verify", image.to_str().unwrap()], 2);
    assert!(
        stderr(&out).contains("split.E03: segment 3 of the image is missing"),
        "{}",
        stderr(&out)
    );
    // Another file where a segment should be.
    fs::write(&middle, b"not a segment").unwrap();
    let out = dir.run(["image", "verify", image.to_str().unwrap()], 2);
    assert!(
        stderr(&out).contains("split.E03: segment 3 of the image is missing"),
        "{}",
        stderr(&out)
    );
    // Not the first segment, and not an image.
    let out = dir.run(
        ["image", "verify", dir.join("split.E02").to_str().unwrap()],
        2,
    );
    assert!(
        stderr(&out).contains("is segment 2 of an image, not its first segment"),
        "{}",
        stderr(&out)
    );
    let out = dir.run(["image", "verify", raw.to_str().unwrap()], 2);
    assert!(
        stderr(&out).contains("raw.dd: not an EWF image"),
        "{}",
        stderr(&out)
    );
}

/// `seal SOURCES -o OUT` by `key` (the case and exhibit of every bundle
/// here), with `extra` options.
fn seal(dir: &Dir, sources: &[&str], out: &str, key: &Key, extra: &[&str], code: i32) -> Output {
    let mut args = seal_args(sources, out, key, "A1");
    args.extend(extra.iter().map(OsString::from));
    dir.run(args, code)
}

/// `ewfacquire`d split image of `raw` in `evidence/`, with a note beside it.
fn evidence_with_image(dir: &Dir, ewfacquire: &Path) -> (PathBuf, String) {
    let raw = raw_image(dir);
    let raw_md5 = md5_hex(&fs::read(&raw).unwrap());
    dir.mkdir("evidence");
    acquire(
        ewfacquire,
        dir,
        &raw,
        "evidence/disk",
        &["-c", "fast", "-S", "1MiB"],
    );
    dir.write("evidence/notes.txt", "seized 2026-11-21\n");
    (raw, raw_md5)
}

#[test]
fn seal_records_the_image_and_verify_and_the_report_show_it() {
    const TEST: &str = "images::seal_records_the_image_and_verify_and_the_report_show_it";
    let Some(acquire_tool) = tool_or_skip("ewfacquire", TEST) else {
        return;
    };
    let dir = Dir::new();
    let (raw, raw_md5) = evidence_with_image(&dir, &acquire_tool);
    let key = dir.keygen("examiner");
    let out = seal(&dir, &["evidence"], "case.zip", &key, &[], 0);
    assert!(
        stdout(&out).contains("image data/evidence/disk.E01 (ewf, 4 segment(s), 4194304 bytes of media): matches the md5 and sha1 its imager stored"),
        "{}",
        stdout(&out)
    );
    let report = dir.verify_json(&dir.join("case.zip"), &[&key], 0);
    let image = &report["acquisition"][0];
    assert_eq!(
        report["acquisition"].as_array().unwrap().len(),
        1,
        "{report}"
    );
    assert_eq!(image["path"], "data/evidence/disk.E01");
    assert_eq!(image["format"], "ewf");
    assert_eq!(image["media_size"], 4 << 20);
    assert_eq!(image["result"], "match");
    assert_eq!(image["stored"]["md5"], raw_md5.as_str());
    assert_eq!(image["computed"]["md5"], raw_md5.as_str());
    let raw_sha256 = hex::encode(sha2::Sha256::digest(fs::read(&raw).unwrap()));
    assert_eq!(image["computed"]["sha256"], raw_sha256.as_str());
    assert_eq!(image["metadata"]["case_number"], "C-42");
    assert_eq!(image["error_ranges"], serde_json::json!([]));
    // The record is in the signed statement, and inspect gives it too.
    assert_eq!(report["statement"]["acquisition"][0], *image);
    let out = dir.run(["inspect", "case.zip", "--json"], 0);
    let inspected: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(inspected["acquisition"][0], *image);
    let out = dir.run(
        [
            "verify",
            "case.zip",
            "--trust",
            key.public.to_str().unwrap(),
            "--report",
            "r.html",
        ],
        0,
    );
    assert!(stdout(&out).contains("image data/evidence/disk.E01 (ewf, 4.0 MiB (4,194,304 bytes) of media): matches the hashes its imager stored"), "{}", stdout(&out));
    let page = fs::read_to_string(dir.join("r.html")).unwrap();
    assert!(page.contains("<h2>Acquisition (forensic images)</h2>"));
    assert!(page.contains(&format!("MD5 <span class=\"hash\">{raw_md5}</span>")));
    assert!(page.contains("<code>case_number</code>: C-42"));
    // Without the check the image is a plain file, and nothing is recorded.
    let out = seal(
        &dir,
        &["evidence"],
        "plain.zip",
        &key,
        &["--image-check", "none"],
        0,
    );
    assert!(!stdout(&out).contains("image "), "{}", stdout(&out));
    let report = dir.verify_json(&dir.join("plain.zip"), &[&key], 0);
    assert_eq!(report["acquisition"], serde_json::json!([]));
}

#[test]
fn seal_refuses_an_image_that_does_not_match_unless_allowed() {
    const TEST: &str = "images::seal_refuses_an_image_that_does_not_match_unless_allowed";
    let Some(acquire_tool) = tool_or_skip("ewfacquire", TEST) else {
        return;
    };
    let dir = Dir::new();
    let raw = raw_image(&dir);
    dir.mkdir("evidence");
    let image = acquire(&acquire_tool, &dir, &raw, "evidence/disk", &["-c", "none"]);
    corrupt_second_chunk(&image, &raw);
    let key = dir.keygen("examiner");
    let out = seal(&dir, &["evidence"], "case.zip", &key, &[], 1);
    assert!(
        stderr(&out).contains("data/evidence/disk.E01: the image does not match the hashes its imager stored (1 chunk(s) do not check out, the first at media offset 32768: its Adler-32 checksum does not match its data); nothing was sealed"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--allow-image-mismatch"));
    assert!(!dir.join("case.zip").exists());
    let allow = ["--allow-image-mismatch"];
    let out = seal(&dir, &["evidence"], "case.zip", &key, &allow, 0);
    assert!(stdout(&out).contains("DOES NOT MATCH"), "{}", stdout(&out));
    let report = dir.verify_json(&dir.join("case.zip"), &[&key], 0);
    assert_eq!(report["acquisition"][0]["result"], "mismatch");
    let out = dir.run(
        [
            "verify",
            "case.zip",
            "--trust",
            key.public.to_str().unwrap(),
        ],
        0,
    );
    assert!(
        stdout(&out).contains("DOES NOT MATCH the hashes its imager stored"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn seal_refuses_an_image_whose_segments_are_not_all_sealed() {
    const TEST: &str = "images::seal_refuses_an_image_whose_segments_are_not_all_sealed";
    let Some(acquire_tool) = tool_or_skip("ewfacquire", TEST) else {
        return;
    };
    let dir = Dir::new();
    evidence_with_image(&dir, &acquire_tool);
    let key = dir.keygen("examiner");
    // Only the first segment given: the others are beside it, not sealed.
    let out = seal(&dir, &["evidence/disk.E01"], "case.zip", &key, &[], 2);
    assert!(
        stderr(&out).contains("its segment evidence/disk.E02 is not among the files being sealed"),
        "{}",
        stderr(&out)
    );
    // A segment missing altogether.
    fs::remove_file(dir.join("evidence/disk.E03")).unwrap();
    let out = seal(&dir, &["evidence"], "case.zip", &key, &[], 2);
    assert!(
        stderr(&out).contains("evidence/disk.E03: segment 3 of the image is missing"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("case.zip").exists());
}

/// An FTK Imager log of `raw`, in the form FTK Imager writes (the hashes of
/// the source under `[Computed Hashes]`).
fn ftk_log(md5: &str, sha1: &str) -> String {
    format!(
        "Created By AccessData® FTK® Imager 4.7.1.2 \r\n\r\nCase Information: \r\nAcquired using: ADI4.7.1.2\r\nCase Number: C-42\r\nEvidence Number: A1\r\nUnique Description: USB stick\r\nExaminer: Examiner One\r\nNotes: \r\n\r\n--------------------------------------------------------------\r\n\r\nInformation for D:\\evidence\\stick:\r\n\r\nPhysical Evidentiary Item (Source) Information:\r\n[Device Info]\r\n Source Type: Physical\r\n[Physical Drive Information]\r\n Drive Model: SanDisk Cruzer Blade USB Device\r\n Drive Serial Number: 4C530001071205116422\r\n[Computed Hashes]\r\n MD5 checksum:    {md5}\r\n SHA1 checksum:   {sha1}\r\n\r\nImage Information:\r\n Acquisition started:   Sat Nov 21 09:12:03 2026\r\n Acquisition finished:  Sat Nov 21 09:14:44 2026\r\n Segment list:\r\n  D:\\evidence\\stick.001\r\n\r\nImage Verification Results:\r\n Verification started:  Sat Nov 21 09:14:45 2026\r\n Verification finished: Sat Nov 21 09:15:02 2026\r\n MD5 checksum:    {md5} : verified\r\n SHA1 checksum:   {sha1} : verified\r\n"
    )
}

/// A Guymager `.info` file stating `md5` and `sha256` of the source.
fn guymager_info(md5: &str, sha256: &str) -> String {
    format!(
        "GUYMAGER ACQUISITION INFO FILE\n==============================\n\nGuymager\n========\nVersion              : 0.8.13-1\n\nDevice information\n==================\nLinux device         : /dev/sdb\nModel                : WDC WD10EZEX-08WN4A0\nSerial no.           : WD-WCC6Y1AAAAAA\nDevice size          : 4194304 (4.2MB)\n\nImage\n=====\nCase number          : C-42\nEvidence number      : A2\nExaminer             : Examiner One\nDescription          : laptop disk\nNotes                : \n\nResults\n=======\nState                : Finished successfully\nMD5 hash                   : {md5}\nMD5 hash verified source   : {md5}\nMD5 hash verified image    : {md5}\nSHA1 hash                  : --\nSHA256 hash                : {sha256}\nSHA256 hash verified source: {sha256}\nSHA256 hash verified image : {sha256}\n"
    )
}

#[test]
fn raw_images_are_held_against_their_imagers_logs() {
    let dir = Dir::new();
    let raw = raw_image(&dir);
    let bytes = fs::read(&raw).unwrap();
    let md5 = md5_hex(&bytes);
    let sha1 = hex::encode(sha1::Sha1::digest(&bytes));
    let sha256 = hex::encode(sha2::Sha256::digest(&bytes));
    dir.mkdir("evidence");
    fs::copy(&raw, dir.join("evidence/stick.001")).unwrap();
    fs::copy(&raw, dir.join("evidence/disk.dd")).unwrap();
    dir.write("logs/stick.001.txt", ftk_log(&md5, &sha1));
    dir.write("logs/disk.info", guymager_info(&md5, &sha256));
    let key = dir.keygen("examiner");
    let seal_with_logs = |out: &str, guymager: &str, code: i32| {
        dir.write("logs/disk.info", guymager);
        let logs = [
            "--acquisition-log",
            "evidence/stick.001=logs/stick.001.txt",
            "--acquisition-log",
            "evidence/disk.dd=logs/disk.info",
        ];
        seal(&dir, &["evidence"], out, &key, &logs, code)
    };
    let out = seal_with_logs("case.zip", &guymager_info(&md5, &sha256), 0);
    assert!(stdout(&out).contains("image data/evidence/disk.dd (raw, 1 segment(s), 4194304 bytes of media): matches the md5 and sha256 its imager stored"), "{}", stdout(&out));
    assert!(stdout(&out).contains("image data/evidence/stick.001 (raw, 1 segment(s), 4194304 bytes of media): matches the md5 and sha1 its imager stored"), "{}", stdout(&out));
    let report = dir.verify_json(&dir.join("case.zip"), &[&key], 0);
    let images = report["acquisition"].as_array().unwrap();
    assert_eq!(images.len(), 2, "{report}");
    let (disk, stick) = (&images[0], &images[1]);
    assert_eq!(disk["path"], "data/evidence/disk.dd");
    assert_eq!(disk["format"], "raw");
    assert_eq!(disk["result"], "match");
    assert_eq!(disk["metadata"]["imager"], "guymager");
    assert_eq!(disk["metadata"]["device_serial"], "WD-WCC6Y1AAAAAA");
    assert_eq!(disk["stored"]["sha256"], sha256.as_str());
    assert_eq!(stick["metadata"]["imager"], "ftk-imager");
    assert_eq!(
        stick["metadata"]["device_model"],
        "SanDisk Cruzer Blade USB Device"
    );
    assert_eq!(stick["metadata"]["case_number"], "C-42");
    assert_eq!(stick["computed"]["sha1"], sha1.as_str());
    let log_sha256 = hex::encode(sha2::Sha256::digest(ftk_log(&md5, &sha1).as_bytes()));
    assert_eq!(stick["metadata"]["log_sha256"], log_sha256.as_str());
    // A log stating another hash: refused, naming both.
    let wrong = "0".repeat(64);
    let out = seal_with_logs("wrong.zip", &guymager_info(&md5, &wrong), 1);
    assert!(
        stderr(&out).contains(&format!("data/evidence/disk.dd: the image does not match the hashes its imager stored (sha256: the log states {wrong}, the image gives {sha256})")),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("wrong.zip").exists());
    // A log that is not one, and an image that is not sealed.
    dir.write("logs/other.txt", "just notes\n");
    let out = seal(
        &dir,
        &["evidence"],
        "x.zip",
        &key,
        &["--acquisition-log", "evidence/disk.dd=logs/other.txt"],
        2,
    );
    assert!(
        stderr(&out).contains("logs/other.txt: not an acquisition log exhibit reads"),
        "{}",
        stderr(&out)
    );
    let out = seal(
        &dir,
        &["evidence"],
        "x.zip",
        &key,
        &["--acquisition-log", "raw.dd=logs/disk.info"],
        2,
    );
    assert!(
        stderr(&out).contains(
            "raw.dd: the image an acquisition log is given for is not among the files being sealed"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_case_export_holds_the_acquisition_and_case_validate_accepts_it() {
    const TEST: &str = "images::the_case_export_holds_the_acquisition_and_case_validate_accepts_it";
    let Some(case_validate) = tool_or_skip("case_validate", TEST) else {
        return;
    };
    let dir = Dir::new();
    let raw = raw_image(&dir);
    let bytes = fs::read(&raw).unwrap();
    let md5 = md5_hex(&bytes);
    let sha1 = hex::encode(sha1::Sha1::digest(&bytes));
    dir.mkdir("evidence");
    fs::copy(&raw, dir.join("evidence/stick.001")).unwrap();
    dir.write("stick.001.txt", ftk_log(&md5, &sha1));
    let key = dir.keygen("examiner");
    seal(
        &dir,
        &["evidence"],
        "case.zip",
        &key,
        &["--acquisition-log", "evidence/stick.001=stick.001.txt"],
        0,
    );
    dir.run(
        [
            "export",
            "case",
            "case.zip",
            "-o",
            "case.jsonld",
            "--trust",
            key.public.to_str().unwrap(),
        ],
        0,
    );
    let export: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("case.jsonld")).unwrap()).unwrap();
    let nodes = export["@graph"].as_array().unwrap();
    let acquisition = nodes
        .iter()
        .find(|n| n["uco-core:name"] == "acquisition")
        .unwrap_or_else(|| panic!("no acquisition action: {export}"));
    assert!(acquisition["uco-core:description"]
        .as_str()
        .unwrap()
        .contains(&format!("md5 {md5}")));
    let device = nodes
        .iter()
        .find(|n| n["@type"] == "uco-observable:Device")
        .expect("the device");
    assert_eq!(
        device["uco-core:hasFacet"][0]["uco-observable:serialNumber"],
        "4C530001071205116422"
    );
    let output = run_tool(&case_validate, dir.path(), ["case.jsonld"]);
    assert!(
        output.status.success(),
        "case_validate:\n{}\n{}",
        stdout(&output),
        stderr(&output)
    );
}
