//! `exhibit hash` end to end: known vectors, agreement with `sha256sum` and
//! `b3sum` (digests and line format, byte for byte), `-c` interop, JSON,
//! ordering, and the error paths (missing, unreadable, symbolic links).

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fs;
use std::path::Path;
use std::process::Output;

use crate::common::{
    self, content, run_tool, run_tool_with_stdin, stderr, stdout, tool_or_skip, Dir,
};
use exhibit::digest::{CHUNK_SIZE, PIPELINE_THRESHOLD};

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const EMPTY_BLAKE3: &str = "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262";
const ABC_SHA256: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const ABC_BLAKE3: &str = "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85";

// ------------------------------------------------------------ harness ---

/// Runs `exhibit hash ARGS...` in `dir`; never panics on a non-zero exit.
fn hash(dir: &Dir, args: &[&str]) -> Output {
    checked(dir.exhibit().arg("hash").args(args).output().unwrap())
}

/// What a run of `exhibit hash` did, after checking that it did not panic.
fn checked(output: Output) -> Output {
    // A panic would exit 101 and print a backtrace; no input may cause one.
    assert_ne!(output.status.code(), Some(101), "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
    output
}

#[track_caller]
fn assert_exit(output: &Output, code: i32) {
    common::assert_exit(output, code, &["hash".into()]);
}

/// File names that checksum tools must escape or that often break quoting.
fn awkward_files() -> Vec<(&'static str, usize)> {
    vec![
        ("plain.txt", 3),
        ("with space.txt", 100),
        ("ünïcødé 日本語.bin", 4097),
        ("100% sure.txt", 5),
        ("back\\slash", 6),
        ("new\nline", 7),
        ("carriage\rreturn", 8),
        ("empty", 0),
        ("chunk-exact", CHUNK_SIZE),
        ("chunk-plus-one", CHUNK_SIZE + 1),
        ("pipelined", PIPELINE_THRESHOLD as usize + 12_345),
        ("sub dir/nested.txt", 64 << 10),
    ]
}

/// Writes the awkward files under `<tmp>/evidence/` and returns their paths
/// relative to `<tmp>`, sorted by bytes (the order `exhibit hash` prints).
fn make_evidence(tmp: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for (i, (name, len)) in awkward_files().into_iter().enumerate() {
        let path = tmp.join("evidence").join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, content(len, i as u32)).unwrap();
        names.push(format!("evidence/{name}"));
    }
    names.sort();
    names
}

fn json_records(output: &Output) -> Vec<serde_json::Value> {
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    value.as_array().expect("a JSON array").clone()
}

// -------------------------------------------------------------- tests ---

#[test]
fn known_vectors_empty_and_abc() {
    let tmp = Dir::new();
    fs::write(tmp.path().join("empty"), b"").unwrap();
    fs::write(tmp.path().join("abc"), b"abc").unwrap();

    let out = hash(&tmp, &["--format", "json", "empty", "abc"]);
    assert_exit(&out, 0);
    let records = json_records(&out);
    assert_eq!(records.len(), 2);
    let expected = [
        ("abc", 3, ABC_SHA256, ABC_BLAKE3),
        ("empty", 0, EMPTY_SHA256, EMPTY_BLAKE3),
    ];
    for (record, (path, size, sha, b3)) in records.iter().zip(expected) {
        assert_eq!(record["path"], path);
        assert_eq!(record["size"], size);
        assert_eq!(record["sha256"], sha);
        assert_eq!(record["blake3"], b3);
    }

    let out = hash(&tmp, &["abc"]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), format!("{ABC_SHA256}  abc\n"));
    let out = hash(&tmp, &["--format", "b3sum", "empty"]);
    assert_eq!(stdout(&out), format!("{EMPTY_BLAKE3}  empty\n"));
}

#[test]
fn digests_equal_sha256sum_and_b3sum_per_file() {
    let tmp = Dir::new();
    let names = make_evidence(tmp.path());
    let out = hash(&tmp, &["--format", "json", "evidence"]);
    assert_exit(&out, 0);
    let records = json_records(&out);
    let paths: Vec<&str> = records
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, names);

    let sha256sum = tool_or_skip("sha256sum", "digests_equal_sha256sum_and_b3sum_per_file");
    let b3sum = tool_or_skip("b3sum", "digests_equal_sha256sum_and_b3sum_per_file");
    for record in &records {
        let path = tmp.path().join(record["path"].as_str().unwrap());
        let size = fs::metadata(&path).unwrap().len();
        assert_eq!(record["size"], size, "{}", path.display());
        // Content through stdin, so the tools print no (escaped) name.
        if let Some(tool) = &sha256sum {
            let theirs = run_tool_with_stdin(tool, tmp.path(), &[], &path);
            assert!(theirs.status.success());
            assert_eq!(
                stdout(&theirs),
                format!("{}  -\n", record["sha256"].as_str().unwrap())
            );
        }
        if let Some(tool) = &b3sum {
            let theirs = run_tool_with_stdin(tool, tmp.path(), &["--no-names"], &path);
            assert!(theirs.status.success());
            assert_eq!(
                stdout(&theirs),
                format!("{}\n", record["blake3"].as_str().unwrap())
            );
        }
    }
}

/// Our `--format sha256sum` / `--format b3sum` output is byte for byte what
/// the tool itself prints for the same files in the same order (including
/// its escaping of `\`, newline and carriage return), and its `-c` accepts it.
fn interop_with(tool_name: &str, format: &str, test: &str) {
    let Some(tool) = tool_or_skip(tool_name, test) else {
        return;
    };
    let tmp = Dir::new();
    let names = make_evidence(tmp.path());
    let ours = hash(&tmp, &["--format", format, "evidence"]);
    assert_exit(&ours, 0);

    let args: Vec<&OsStr> = names.iter().map(OsStr::new).collect();
    let theirs = run_tool(&tool, tmp.path(), &args);
    assert!(theirs.status.success(), "{}", stderr(&theirs));
    assert_eq!(stdout(&ours), stdout(&theirs));

    let sums = tmp.path().join("SUMS");
    fs::write(&sums, &ours.stdout).unwrap();
    let check = run_tool(&tool, tmp.path(), ["-c", "SUMS"]);
    assert!(
        check.status.success(),
        "{tool_name} -c failed:\n{}{}",
        stdout(&check),
        stderr(&check)
    );
    let ok_lines = stdout(&check)
        .lines()
        .filter(|l| l.ends_with(": OK"))
        .count();
    assert_eq!(ok_lines, names.len(), "{}", stdout(&check));

    // And it notices a change.
    fs::write(tmp.path().join("evidence/plain.txt"), b"changed").unwrap();
    let check = run_tool(&tool, tmp.path(), ["-c", "SUMS"]);
    assert!(!check.status.success());
}

#[test]
fn sha256sum_prints_the_same_and_check_accepts() {
    interop_with(
        "sha256sum",
        "sha256sum",
        "sha256sum_prints_the_same_and_check_accepts",
    );
}

#[test]
fn b3sum_prints_the_same_and_check_accepts() {
    interop_with("b3sum", "b3sum", "b3sum_prints_the_same_and_check_accepts");
}

#[test]
fn json_has_path_size_and_both_digests() {
    let tmp = Dir::new();
    make_evidence(tmp.path());
    let out = hash(&tmp, &["--format", "json", "evidence"]);
    assert_exit(&out, 0);
    for record in json_records(&out) {
        let object = record.as_object().unwrap();
        let keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["blake3", "path", "sha256", "size"]));
        assert!(record["size"].is_u64());
        for digest in ["sha256", "blake3"] {
            let hex = record[digest].as_str().unwrap();
            assert_eq!(hex.len(), 64);
            assert!(hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
        }
    }

    fs::create_dir(tmp.path().join("nothing")).unwrap();
    let out = hash(&tmp, &["--format", "json", "nothing"]);
    assert_exit(&out, 0);
    assert!(json_records(&out).is_empty());
}

#[test]
fn output_is_sorted_by_path_bytes_and_reproducible() {
    let tmp = Dir::new();
    // Created out of order; `-` (0x2d) sorts before `/` (0x2f), and
    // upper case before lower case.
    for name in ["z/b", "z/a", "d/x", "d-x", "B", "a", "d/sub/deep"] {
        let path = tmp.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, name).unwrap();
    }
    let out = hash(&tmp, &["z", "d-x", "d", "a", "B"]);
    assert_exit(&out, 0);
    let paths: Vec<String> = stdout(&out)
        .lines()
        .map(|l| l.split_once("  ").unwrap().1.to_string())
        .collect();
    assert_eq!(paths, ["B", "a", "d-x", "d/sub/deep", "d/x", "z/a", "z/b"]);

    let again = hash(&tmp, &["a", "B", "d", "d-x", "z"]);
    assert_eq!(out.stdout, again.stdout);
}

#[test]
fn missing_path_is_named_others_still_hashed_exit_2() {
    let tmp = Dir::new();
    fs::write(tmp.path().join("abc"), b"abc").unwrap();
    let out = hash(&tmp, &["no-such-file", "abc", "no-such-dir/"]);
    assert_exit(&out, 2);
    assert_eq!(stdout(&out), format!("{ABC_SHA256}  abc\n"));
    let err = stderr(&out);
    assert!(err.contains("no-such-file"), "{err}");
    assert!(err.contains("no-such-dir"), "{err}");
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_named_others_still_hashed_exit_2() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = Dir::new();
    let dir = tmp.path().join("case");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("abc"), b"abc").unwrap();
    let locked = dir.join("locked");
    fs::write(&locked, b"secret").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let out = if fs::File::open(&locked).is_ok() {
        // This user reads a file of mode 000 (root does): the binary runs
        // as `nobody`, which must read the rest of the folder.
        let Some(mut nobody) =
            tmp.command_as_nobody("unreadable_file_is_named_others_still_hashed_exit_2")
        else {
            return;
        };
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(dir.join("abc"), fs::Permissions::from_mode(0o644)).unwrap();
        checked(nobody.args(["hash", "case"]).output().unwrap())
    } else {
        hash(&tmp, &["case"])
    };
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o600)).unwrap();
    assert_exit(&out, 2);
    assert_eq!(stdout(&out), format!("{ABC_SHA256}  case/abc\n"));
    assert!(stderr(&out).contains("case/locked"), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn symlinks_and_loops_are_reported_not_followed() {
    use std::os::unix::fs::symlink;
    let tmp = Dir::new();
    let dir = tmp.path().join("case");
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(dir.join("abc"), b"abc").unwrap();
    symlink("abc", dir.join("to-file")).unwrap();
    symlink("self", dir.join("self")).unwrap();
    symlink("ping", dir.join("pong")).unwrap();
    symlink("pong", dir.join("ping")).unwrap();
    symlink("..", dir.join("sub/up")).unwrap();

    let out = hash(&tmp, &["case"]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), format!("{ABC_SHA256}  case/abc\n"));
    let err = stderr(&out);
    for link in ["to-file", "self", "ping", "pong", "sub/up"] {
        let line = err
            .lines()
            .find(|l| l.contains(&format!("case/{link}:")))
            .unwrap_or_else(|| panic!("no line for {link} in:\n{err}"));
        assert!(line.contains("symbolic link"), "{line}");
    }

    // Named directly on the command line, a link is not followed either.
    let out = hash(&tmp, &["case/to-file", "case/self", "case/sub/up"]);
    assert_exit(&out, 0);
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    assert_eq!(
        stderr(&out).matches("symbolic link").count(),
        3,
        "{}",
        stderr(&out)
    );
}

#[test]
fn quiet_prints_results_only() {
    let tmp = Dir::new();
    fs::write(tmp.path().join("abc"), b"abc").unwrap();
    let out = hash(&tmp, &["--quiet", "abc"]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), format!("{ABC_SHA256}  abc\n"));
    assert!(out.stderr.is_empty());
}
