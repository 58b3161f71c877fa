//! Verification split across machines: `verify --shard I/N -o PART` (run by
//! GNU parallel, as a batch engine would) and `verify --parts DIR`. The
//! combined verdict must be the one a plain `verify` gives — exit code,
//! `--json` byte for byte, the human output and the HTML report — on
//! intact and tampered bundles, folder and zip; and every way the parts
//! can go wrong (a share missing, a part of another bundle, two copies of
//! a share that disagree, a part cut short or out of order) must be
//! refused, exit 2, with one line naming the part or share.

use std::ffi::OsString;
use std::fs;
use std::path::Path;

use crate::common::{self, content, stderr, stdout, tool_or_skip, Dir, Key, EXE};
use crate::plan::run_with_parallel;

const SHARES: usize = 3;

/// Files of varied sizes and awkward names (escaped in a part's lines).
fn evidence(dir: &Dir) {
    for i in 0..30u32 {
        let len = 64 + (i as usize * 997) % 20_000;
        dir.write(format!("src/case/d{}/file {i}.bin", i % 3), content(len, i));
    }
    dir.write("src/case/empty.txt", b"");
    dir.write("src/case/say \"when\"", b"quoted");
    dir.write("src/case/back\\slash\ttab", b"escaped");
    #[cfg(unix)]
    dir.write("src/case/new\nline", b"newline");
    dir.write("src/case/big.img", content(300_000, 99));
}

/// A sealed case: the folder bundle `case` and the zip `case.zip`.
fn sealed() -> (Dir, Key) {
    let dir = Dir::new();
    evidence(&dir);
    let key = dir.keygen("examiner");
    dir.seal(&["src/case"], "case", &key);
    dir.seal(&["src/case"], "case.zip", &key);
    (dir, key)
}

fn parallel_or_skip(test: &str) -> Option<std::path::PathBuf> {
    tool_or_skip("parallel", &format!("verify_split::{test}"))
}

/// Every share of `bundle` read into `parts/I.part` by GNU parallel, each
/// its own process (the folder emptied first).
fn shards_with_parallel(dir: &Dir, parallel: &Path, bundle: &str, parts: &str) {
    let _ = fs::remove_dir_all(dir.join(parts));
    fs::create_dir_all(dir.join(parts)).unwrap();
    run_with_parallel(
        dir,
        parallel,
        &format!("{EXE} --quiet verify '{bundle}' --shard {{}}/{SHARES} -o {parts}/{{}}.part"),
        SHARES,
    );
}

fn verify_args(bundle: &str, key: &Key, extra: &[&str]) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec!["verify".into(), bundle.into()];
    args.extend(["--trust".into(), key.public.clone().into_os_string()]);
    args.extend(extra.iter().map(OsString::from));
    args
}

/// The timestamps of a report page masked (when the check ran differs).
fn masked(page: &str) -> String {
    let bytes = page.as_bytes();
    let mut out = String::with_capacity(page.len());
    let mut i = 0;
    while i < bytes.len() {
        let stamp = bytes.get(i..i + 20).is_some_and(|w| {
            w.iter().enumerate().all(|(k, &b)| match k {
                4 | 7 => b == b'-',
                10 => b == b'T',
                13 | 16 => b == b':',
                19 => b == b'Z',
                _ => b.is_ascii_digit(),
            })
        });
        if stamp {
            out.push_str("TIME");
            i += 20;
        } else {
            let c = page[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Plain verify and the combined one agree: exit code, `--json` byte for
/// byte, human stdout and stderr, and the HTML report but for its times.
#[track_caller]
fn assert_same_verdict(dir: &Dir, bundle: &str, key: &Key, parts: &str, code: i32) {
    let combined = ["--parts", parts];
    for extra in [&["--json"][..], &[]] {
        let plain = dir.run(verify_args(bundle, key, extra), code);
        let split = dir.run(verify_args(bundle, key, &[extra, &combined].concat()), code);
        assert_eq!(stdout(&split), stdout(&plain), "{bundle} {extra:?}: stdout");
        assert_eq!(stderr(&split), stderr(&plain), "{bundle} {extra:?}: stderr");
        assert!(!stdout(&plain).is_empty());
    }
    dir.run(verify_args(bundle, key, &["--report", "plain.html"]), code);
    dir.run(
        verify_args(
            bundle,
            key,
            &[&["--report", "split.html"][..], &combined].concat(),
        ),
        code,
    );
    let plain = fs::read_to_string(dir.join("plain.html")).unwrap();
    let split = fs::read_to_string(dir.join("split.html")).unwrap();
    assert_eq!(masked(&split), masked(&plain), "{bundle}: report");
}

/// The paths each share's part records, in order.
fn share_paths(dir: &Dir, parts: &str) -> Vec<Vec<String>> {
    (0..SHARES)
        .map(|i| {
            let text = fs::read_to_string(dir.join(format!("{parts}/{i}.part"))).unwrap();
            text.lines()
                .skip(1)
                .map(|line| {
                    let record: serde_json::Value = serde_json::from_str(line).unwrap();
                    record["path"].as_str().unwrap().to_owned()
                })
                .collect()
        })
        .collect()
}

/// The source file a payload path was sealed from (`data/case/x` is
/// `src/case/x`).
fn source_of(dir: &Dir, path: &str) -> std::path::PathBuf {
    dir.join(format!("src/{}", path.strip_prefix("data/").unwrap()))
}

/// The largest file of a share (its bytes are unique in the bundle).
fn largest(dir: &Dir, paths: &[String]) -> String {
    paths
        .iter()
        .max_by_key(|p| fs::metadata(source_of(dir, p)).unwrap().len())
        .unwrap()
        .clone()
}

#[test]
fn split_verify_of_an_intact_bundle_is_the_plain_verdict() {
    let Some(parallel) = parallel_or_skip("split_verify_of_an_intact_bundle_is_the_plain_verdict")
    else {
        return;
    };
    let (dir, key) = sealed();
    for bundle in ["case", "case.zip"] {
        shards_with_parallel(&dir, &parallel, bundle, "parts");
        let paths = share_paths(&dir, "parts");
        assert!(paths.iter().all(|p| !p.is_empty()), "a share is empty");
        assert_same_verdict(&dir, bundle, &key, "parts", 0);
        // Untrusted: the same exit 3 and next steps.
        let plain = dir.run(["verify", bundle, "--json"], 3);
        let split = dir.run(["verify", bundle, "--json", "--parts", "parts"], 3);
        assert_eq!(split.stdout, plain.stdout);
    }
}

#[test]
fn shares_are_deterministic_and_complete_or_absent() {
    let (dir, _key) = sealed();
    fs::create_dir_all(dir.join("a")).unwrap();
    fs::create_dir_all(dir.join("b")).unwrap();
    for folder in ["a", "b"] {
        let output = dir.run(
            [
                "verify",
                "case.zip",
                "--shard",
                "1/3",
                "-o",
                &format!("{folder}/1.part"),
            ],
            0,
        );
        assert!(
            stdout(&output).contains("share 1 of 3"),
            "{}",
            stdout(&output)
        );
    }
    let a = fs::read(dir.join("a/1.part")).unwrap();
    assert_eq!(a, fs::read(dir.join("b/1.part")).unwrap());
    let text = String::from_utf8(a).unwrap();
    assert!(text.starts_with("{\"type\":\"exhibit.verify-part/1\",\"bundle\":{\"tag_files\":["));
    assert!(text.ends_with("}\n"));
    // A rerun replaces the part, and leaves nothing else beside it.
    fs::write(dir.join("a/1.part"), b"old").unwrap();
    dir.run(
        ["verify", "case.zip", "--shard", "1/3", "-o", "a/1.part"],
        0,
    );
    assert_eq!(fs::read_to_string(dir.join("a/1.part")).unwrap(), text);
    assert_eq!(fs::read_dir(dir.join("a")).unwrap().count(), 1);
}

/// Tampers with one file of each share in turn (folder: changed, removed,
/// an extra file beside it; zip: a byte of its stored data flipped) and
/// checks the split verdict is the plain one each time.
#[test]
fn split_verify_of_tampered_bundles_is_the_plain_verdict() {
    let Some(parallel) = parallel_or_skip("split_verify_of_tampered_bundles_is_the_plain_verdict")
    else {
        return;
    };
    let (dir, key) = sealed();
    shards_with_parallel(&dir, &parallel, "case", "parts");
    let shares = share_paths(&dir, "parts");
    for (share, paths) in shares.iter().enumerate() {
        let victim = largest(&dir, paths);
        // Folder bundle.
        let copy = format!("case-{share}");
        common::copy_tree(&dir.join("case"), &dir.join(&copy));
        let file = dir.join(&copy).join(&victim);
        match share {
            0 => fs::write(&file, b"changed").unwrap(),
            1 => fs::remove_file(&file).unwrap(),
            _ => {
                fs::write(file.with_file_name("planted.bin"), b"extra").unwrap();
                let mut bytes = fs::read(&file).unwrap();
                bytes[0] ^= 1;
                fs::write(&file, bytes).unwrap();
            }
        }
        shards_with_parallel(&dir, &parallel, &copy, "tampered");
        assert_same_verdict(&dir, &copy, &key, "tampered", 1);
        // Zip bundle: one byte of the victim's stored data.
        let zip = format!("case-{share}.zip");
        let mut bytes = fs::read(dir.join("case.zip")).unwrap();
        let data = fs::read(source_of(&dir, &victim)).unwrap();
        let at = bytes
            .windows(data.len())
            .position(|w| w == data.as_slice())
            .expect("stored data in the zip");
        bytes[at + data.len() / 2] ^= 0x40;
        fs::write(dir.join(&zip), bytes).unwrap();
        shards_with_parallel(&dir, &parallel, &zip, "tampered");
        let split = dir.run(
            verify_args(&zip, &key, &["--json", "--parts", "tampered"]),
            1,
        );
        assert!(
            stdout(&split).contains(&victim.replace('"', "\\\"")),
            "{victim} not named"
        );
        assert_same_verdict(&dir, &zip, &key, "tampered", 1);
    }
}

/// Reads every share of `case.zip` into `parts/` (no parallel needed).
fn parts_of(dir: &Dir, bundle: &str, parts: &str) {
    fs::create_dir_all(dir.join(parts)).unwrap();
    for i in 0..SHARES {
        dir.run(
            [
                "verify",
                bundle,
                "--shard",
                &format!("{i}/{SHARES}"),
                "-o",
                &format!("{parts}/{i}.part"),
            ],
            0,
        );
    }
}

/// `verify case.zip --parts parts` refused: exit 2, one line naming each
/// of `names`, nothing on stdout.
#[track_caller]
fn assert_refused(dir: &Dir, key: &Key, names: &[&str]) -> String {
    let output = dir.run(
        verify_args("case.zip", key, &["--json", "--parts", "parts"]),
        2,
    );
    let err = stderr(&output);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected:\n{err}");
    for name in names {
        assert!(lines[0].contains(name), "{name:?} not named in: {err}");
    }
    assert!(output.stdout.is_empty(), "{}", stdout(&output));
    err
}

#[test]
fn a_missing_share_is_refused_naming_it() {
    let (dir, key) = sealed();
    parts_of(&dir, "case.zip", "parts");
    fs::remove_file(dir.join("parts/1.part")).unwrap();
    assert_refused(&dir, &key, &["no part for share 1 of 3"]);
    // An unfinished part (a dot name, as a running job leaves) is not one.
    fs::write(dir.join("parts/.exhibit-x.tmp.part"), b"{}\n").unwrap();
    assert_refused(&dir, &key, &["share 1 of 3"]);
    fs::remove_dir_all(dir.join("parts")).unwrap();
    fs::create_dir_all(dir.join("parts")).unwrap();
    assert_refused(&dir, &key, &["no part"]);
}

#[test]
fn a_part_of_another_bundle_is_refused() {
    let (dir, key) = sealed();
    parts_of(&dir, "case.zip", "parts");
    // The same files sealed as another exhibit: another seal statement.
    dir.seal_exhibit(&["src/case"], "other.zip", &key, "B2");
    parts_of(&dir, "other.zip", "other");
    fs::copy(dir.join("other/2.part"), dir.join("parts/2.part")).unwrap();
    assert_refused(&dir, &key, &["2.part", "another bundle"]);
    // Parts of another split of this bundle.
    parts_of(&dir, "case.zip", "parts");
    dir.run(
        ["verify", "case.zip", "--shard", "0/2", "-o", "parts/x.part"],
        0,
    );
    assert_refused(&dir, &key, &["x.part", "2 shares"]);
}

#[test]
fn identical_copies_of_a_share_are_accepted_and_conflicting_ones_refused() {
    let (dir, key) = sealed();
    parts_of(&dir, "case.zip", "parts");
    let plain = dir.run(verify_args("case.zip", &key, &["--json"]), 0);
    fs::copy(dir.join("parts/1.part"), dir.join("parts/1-retried.part")).unwrap();
    let split = dir.run(
        verify_args("case.zip", &key, &["--json", "--parts", "parts"]),
        0,
    );
    assert_eq!(split.stdout, plain.stdout);
    // One record of the copy differs: the share was read differently.
    let text = fs::read_to_string(dir.join("parts/1.part")).unwrap();
    let record = text.lines().nth(1).unwrap();
    let sha = record.split("\"sha256\":\"").nth(1).unwrap()[..64].to_owned();
    let other = format!(
        "{}{}",
        if sha.starts_with('0') { "1" } else { "0" },
        &sha[1..]
    );
    fs::write(
        dir.join("parts/1-retried.part"),
        text.replacen(&sha, &other, 1),
    )
    .unwrap();
    assert_refused(
        &dir,
        &key,
        &["1-retried.part", "share 1 of 3", "conflicts", "1.part"],
    );
}

#[test]
fn broken_parts_are_refused_naming_the_part() {
    let (dir, key) = sealed();
    parts_of(&dir, "case.zip", "parts");
    // The share with the most records.
    let share = (0..SHARES)
        .max_by_key(|i| {
            let part = fs::read_to_string(dir.join(format!("parts/{i}.part"))).unwrap();
            part.lines().count()
        })
        .unwrap();
    let name = format!("{share}.part");
    let at = format!("share {share} of 3");
    let part = dir.join("parts").join(&name);
    let good = fs::read_to_string(&part).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    assert!(lines.len() >= 4, "{good}");
    // Cut at a line end: fewer records than the header says.
    fs::write(&part, format!("{}\n", lines[..lines.len() - 1].join("\n"))).unwrap();
    assert_refused(&dir, &key, &[&name, &at, "truncated"]);
    // Cut in the middle of a line.
    fs::write(&part, &good[..good.len() - 10]).unwrap();
    assert_refused(&dir, &key, &[&name, "line"]);
    // Two records swapped: not the payload's file at that position.
    let mut swapped = lines.clone();
    swapped.swap(1, 2);
    fs::write(&part, format!("{}\n", swapped.join("\n"))).unwrap();
    assert_refused(&dir, &key, &[&name, &at, "line 2"]);
    // A record too many.
    fs::write(&part, format!("{good}{}\n", lines[1])).unwrap();
    assert_refused(&dir, &key, &[&name, "more records"]);
    // Not JSON at all.
    fs::write(&part, "hello\n").unwrap();
    assert_refused(&dir, &key, &[&name, "line 1"]);
    // Put back, it is accepted again.
    fs::write(&part, &good).unwrap();
    dir.run(verify_args("case.zip", &key, &["--parts", "parts"]), 0);
}

#[test]
fn shard_and_parts_flags_are_checked() {
    let (dir, _key) = sealed();
    for (args, says) in [
        (&["--shard", "3/3", "-o", "x.part"][..], "share 3 of 3"),
        (&["--shard", "0/0", "-o", "x.part"], "not 0"),
        (&["--shard", "1of3", "-o", "x.part"], "I/N"),
        (&["--shard", "a/3", "-o", "x.part"], "I/N"),
        (&["--shard", "-1/3", "-o", "x.part"], ""),
        (&["--shard", "1/3"], "--output"),
        (&["-o", "x.part"], "--shard"),
        (
            &["--shard", "1/3", "-o", "x.part", "--parts", "p"],
            "--parts",
        ),
        (&["--shard", "1/3", "-o", "x.part", "--json"], "--json"),
        (
            &["--shard", "1/3", "-o", "x.part", "--report", "r.html"],
            "--report",
        ),
    ] {
        let mut all = vec!["verify", "case.zip"];
        all.extend_from_slice(args);
        let output = dir.run(&all, 2);
        assert!(
            stderr(&output).contains(says),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!dir.join("x.part").exists());
    }
    // Unusable input: not a bundle, a part that cannot be written.
    dir.write("not-a-bundle/readme.txt", b"x");
    dir.run(
        ["verify", "not-a-bundle", "--shard", "0/2", "-o", "x.part"],
        2,
    );
    let output = dir.run(
        [
            "verify",
            "case.zip",
            "--shard",
            "0/2",
            "-o",
            "no/such/folder/x.part",
        ],
        2,
    );
    assert!(stderr(&output).contains("x.part"), "{}", stderr(&output));
    dir.run(["verify", "case.zip", "--parts", "no-such-folder"], 2);
}

/// The parts name the files that list and seal the payload: a change to
/// one of them makes them parts of another bundle; a custody event or a
/// co-signature added since leaves them usable (`--parts` checks those).
#[test]
fn parts_follow_the_payload_tag_files_not_the_custody_log() {
    let (dir, key) = sealed();
    parts_of(&dir, "case.zip", "parts");
    dir.custody_add(
        "case.zip",
        &key,
        "note",
        &["--note", "shares read"],
        "2026-11-23T09:00:00Z",
    );
    let plain = dir.run(verify_args("case.zip", &key, &["--json"]), 0);
    let split = dir.run(
        verify_args("case.zip", &key, &["--json", "--parts", "parts"]),
        0,
    );
    assert_eq!(split.stdout, plain.stdout);
    // The folder bundle, its bag-info.txt changed after the shares were read.
    parts_of(&dir, "case", "folder-parts");
    let info = dir.join("case/bag-info.txt");
    let mut text = fs::read_to_string(&info).unwrap();
    text.push_str("Internal-Sender-Description: edited\n");
    fs::write(&info, text).unwrap();
    let output = dir.run(verify_args("case", &key, &["--parts", "folder-parts"]), 2);
    assert!(
        stderr(&output).contains("another bundle"),
        "{}",
        stderr(&output)
    );
}
