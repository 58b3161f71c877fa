//! Forensic images (EWF) made by the reference tool, `ewfacquire`, from a
//! generated raw image with case metadata: `exhibit image verify` agrees
//! with `ewfverify` and `ewfinfo` on intact, corrupted and incomplete
//! images, and `seal` records what it found in the seal statement.

use std::fs;
use std::path::{Path, PathBuf};

use md5::{Digest as _, Md5};

use crate::common::{assert_tool_ok, run_tool, stderr, stdout, tool_or_skip, Dir};

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
    // A byte inside the second chunk's data (chunks of 32 KiB, stored
    // uncompressed after the segment's header sections).
    let mut bytes = fs::read(&image).unwrap();
    let at = bytes
        .windows(4096)
        .position(|w| w == &fs::read(&raw).unwrap()[32768..32768 + 4096])
        .unwrap();
    bytes[at + 100] ^= 0x55;
    fs::write(&image, &bytes).unwrap();
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
