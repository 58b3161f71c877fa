//! Sealing across machines: `plan`, `hash --plan` (run by GNU parallel, as
//! a batch engine would), `seal --plan`. The bundle must be byte for byte
//! the one a plain `seal` makes of the same sources, and every way the
//! shards can go wrong (retried, missing, of another plan, edited, a file
//! changed before or after hashing) must be refused with one line naming
//! the file, part or shard, and nothing written at the output.

use std::ffi::OsString;
use std::fs;
use std::path::Path;
use std::process::Output;

use crate::common::{self, content, read_tree, stderr, tool_or_skip, tree_diff, Dir, Key, EXE};

/// A source tree with what `seal` treats specially: awkward names, an
/// empty file, an empty folder, a symbolic link, nested folders; and a
/// second source that is a single file.
pub(crate) fn evidence(dir: &Dir) {
    for i in 0..40u32 {
        let len = (i as usize * 97) % 3000;
        dir.write(format!("src/case/d{}/file {i}.bin", i % 4), content(len, i));
    }
    dir.write("src/case/empty.txt", b"");
    dir.write("src/case/ünïcode 100%.txt", b"accents");
    // Names JSON must escape in a plan's and a part's lines.
    dir.write("src/case/say \"when\"", b"quoted");
    dir.write("src/case/back\\slash\ttab", b"escaped");
    #[cfg(unix)]
    dir.write("src/case/new\nline", b"newline");
    dir.write("src/case/big.img", content(3 << 20, 99));
    dir.mkdir("src/case/nothing here");
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", dir.join("src/case/link")).unwrap();
    dir.write("src/disk.img", content(70_000, 7));
}

pub(crate) const SOURCES: [&str; 2] = ["src/case", "src/disk.img"];

/// The harness's seal arguments, with an examiner and a field of the
/// operator's, which a plan must carry through as well.
pub(crate) fn seal_args(sources: &[&str], out: &str, key: &Key) -> Vec<OsString> {
    let mut args = common::seal_args(sources, out, key, "A1");
    args.extend(["--examiner", "A. Examiner", "--meta", "Warrant=W-77"].map(OsString::from));
    args
}

fn planned_seal_args(out: &str, key: &Key) -> Vec<OsString> {
    let mut args = seal_args(&[], out, key);
    args.splice(
        1..1,
        ["--plan", "plan.json", "--parts", "parts"].map(OsString::from),
    );
    args
}

pub(crate) fn plan(dir: &Dir, shards: usize) {
    dir.run(
        [
            "plan",
            SOURCES[0],
            SOURCES[1],
            "-o",
            "plan.json",
            "--shards",
            &shards.to_string(),
        ],
        0,
    );
    fs::create_dir_all(dir.join("parts")).unwrap();
}

fn hash_shard(dir: &Dir, shard: usize, part: &str) -> Output {
    dir.output([
        "hash",
        "--plan",
        "plan.json",
        "--shard",
        &shard.to_string(),
        "-o",
        part,
    ])
}

/// Every shard, run in parallel by GNU parallel as its own process.
fn hash_shards_with_parallel(dir: &Dir, parallel: &Path, shards: usize) {
    run_with_parallel(
        dir,
        parallel,
        &format!("{EXE} --quiet hash --plan plan.json --shard {{}} -o parts/{{}}.part"),
        shards,
    );
}

/// `job` (its `{}` the shard) for every shard, run by GNU parallel, each as
/// its own process with the environment the harness gives exhibit.
pub(crate) fn run_with_parallel(dir: &Dir, parallel: &Path, job: &str, shards: usize) {
    // The environment the harness gives exhibit, for every job.
    let scrubbed = dir.command();
    let mut cmd = std::process::Command::new(parallel);
    for (name, value) in scrubbed.get_envs() {
        match value {
            Some(value) => cmd.env(name, value),
            None => cmd.env_remove(name),
        };
    }
    let status = cmd
        .current_dir(dir.path())
        .args(["--will-cite", "--halt", "now,fail=1", "-j", "2"])
        .arg(job)
        .arg(":::")
        .args((0..shards).map(|i| i.to_string()))
        .status()
        .unwrap();
    assert!(status.success(), "parallel: {status}");
}

/// Runs `seal --plan` and asserts it was refused with `code` and one line
/// containing `names`, leaving nothing at `out` or beside it.
#[track_caller]
fn assert_refused(dir: &Dir, key: &Key, out: &str, code: i32, names: &[&str]) -> String {
    let output = dir.run(planned_seal_args(out, key), code);
    let err = stderr(&output);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected:\n{err}");
    for name in names {
        assert!(lines[0].contains(name), "{name:?} not named in: {err}");
    }
    assert_nothing_at(dir, out);
    err
}

#[track_caller]
fn assert_nothing_at(dir: &Dir, out: &str) {
    let out = dir.join(out);
    assert!(fs::symlink_metadata(&out).is_err(), "{out:?} was written");
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    let folder = out.parent().unwrap();
    for item in fs::read_dir(folder).unwrap() {
        let item = item.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!item.contains(&name), "{item} left beside the output");
    }
}

fn part_line(dir: &Dir, part: &str, line: usize) -> String {
    fs::read_to_string(dir.join(part))
        .unwrap()
        .lines()
        .nth(line)
        .unwrap()
        .to_string()
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {path:?}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A planned, fully hashed case in a fresh folder.
fn hashed(shards: usize) -> (Dir, Key) {
    let dir = Dir::new();
    evidence(&dir);
    let key = dir.keygen("examiner");
    plan(&dir, shards);
    for shard in 0..shards {
        let output = hash_shard(&dir, shard, &format!("parts/{shard}.part"));
        common::assert_exit(&output, 0, &["hash".into(), "--plan".into()]);
    }
    (dir, key)
}

#[test]
fn shards_run_by_gnu_parallel_seal_the_same_bytes_as_a_plain_seal() {
    let Some(parallel) = tool_or_skip(
        "parallel",
        "plan::shards_run_by_gnu_parallel_seal_the_same_bytes_as_a_plain_seal",
    ) else {
        return;
    };
    let dir = Dir::new();
    evidence(&dir);
    let key = dir.keygen("examiner");
    plan(&dir, 3);
    hash_shards_with_parallel(&dir, &parallel, 3);
    for form in ["bundle", "bundle.zip"] {
        fs::create_dir_all(dir.join("plain")).unwrap();
        fs::create_dir_all(dir.join("planned")).unwrap();
        let plain = format!("plain/{form}");
        let planned = format!("planned/{form}");
        dir.run(seal_args(&SOURCES, &plain, &key), 0);
        dir.run(planned_seal_args(&planned, &key), 0);
        let (plain, planned) = (dir.join(plain), dir.join(planned));
        if form.ends_with(".zip") {
            assert!(
                fs::read(&plain).unwrap() == fs::read(&planned).unwrap(),
                "zip bundles differ"
            );
        } else {
            let (a, b) = (read_tree(&plain), read_tree(&planned));
            assert!(a.len() > 45, "{} nodes", a.len());
            assert_eq!(tree_diff(&a, &b), Vec::<String>::new());
        }
        let report = dir.verify_json(&planned, &[&key], 0);
        assert_eq!(report["status"], "verified");
    }
}

#[test]
fn more_shards_than_files_and_one_shard_both_work() {
    for shards in [1, 60] {
        let (dir, key) = hashed(shards);
        dir.run(planned_seal_args("out.zip", &key), 0);
        dir.verify_json(&dir.join("out.zip"), &[&key], 0);
    }
}

#[test]
fn a_retried_shard_with_an_identical_part_is_accepted() {
    let (dir, key) = hashed(2);
    // The engine ran shard 1 again and both runs left their part.
    let output = hash_shard(&dir, 1, "parts/1-retry.part");
    common::assert_exit(&output, 0, &[]);
    dir.run(planned_seal_args("out", &key), 0);
    dir.verify_json(&dir.join("out"), &[&key], 0);
}

#[test]
fn a_retried_shard_whose_part_differs_is_refused_naming_the_file() {
    let (dir, key) = hashed(2);
    let line = part_line(&dir, "parts/1.part", 2);
    let record: serde_json::Value = serde_json::from_str(&line).unwrap();
    let path = record["path"].as_str().unwrap().to_string();
    let sha = record["sha256"].as_str().unwrap();
    let mut edited = fs::read_to_string(dir.join("parts/1.part")).unwrap();
    edited = edited.replacen(sha, &"0".repeat(64), 1);
    fs::write(dir.join("parts/1-retry.part"), edited).unwrap();
    assert_refused(&dir, &key, "out.zip", 1, &[&path, "disagree"]);
}

#[test]
fn a_missing_part_is_refused_naming_the_shard() {
    let (dir, key) = hashed(3);
    fs::remove_file(dir.join("parts/1.part")).unwrap();
    assert_refused(&dir, &key, "out.zip", 2, &["shard 1"]);
}

#[test]
fn a_part_of_another_plan_is_refused_naming_the_part() {
    let (dir, key) = hashed(2);
    // Another plan of the same sources, made a moment later: other bytes.
    dir.run(
        ["plan", SOURCES[0], "-o", "other-plan.json", "--shards", "2"],
        0,
    );
    dir.run(
        [
            "hash",
            "--plan",
            "other-plan.json",
            "--shard",
            "0",
            "-o",
            "parts/stray.part",
        ],
        0,
    );
    assert_refused(&dir, &key, "out", 2, &["parts/stray.part", "another plan"]);
}

#[test]
fn a_file_changed_between_plan_and_hash_is_refused_by_the_shard() {
    let dir = Dir::new();
    evidence(&dir);
    plan(&dir, 2);
    // Same size, new content and time: only the identity tells.
    let victim = dir.join("src/case/d1/file 5.bin");
    let len = fs::metadata(&victim).unwrap().len() as usize;
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&victim, content(len, 12345)).unwrap();
    let outputs: Vec<Output> = (0..2)
        .map(|shard| hash_shard(&dir, shard, &format!("parts/{shard}.part")))
        .collect();
    let failed: Vec<&Output> = outputs
        .iter()
        .filter(|o| o.status.code() != Some(0))
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].status.code(), Some(1), "{}", stderr(failed[0]));
    let err = stderr(failed[0]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("file 5.bin") && err.contains("changed"),
        "{err}"
    );
    let written = fs::read_dir(dir.join("parts")).unwrap().count();
    assert_eq!(written, 1, "the failed shard wrote a part");
}

#[test]
fn a_file_changed_between_hash_and_seal_fails_the_seal_naming_it() {
    let (dir, key) = hashed(2);
    // Same size: the listing agrees; only re-hashing while copying tells.
    let victim = dir.join("src/case/d2/file 6.bin");
    let len = fs::metadata(&victim).unwrap().len() as usize;
    fs::write(&victim, content(len, 4242)).unwrap();
    for out in ["out.zip", "out"] {
        assert_refused(&dir, &key, out, 1, &["data/case/d2/file 6.bin", "changed"]);
    }
    // Another size: the listing disagrees with the plan.
    fs::write(&victim, b"short").unwrap();
    assert_refused(&dir, &key, "out.zip", 1, &["data/case/d2/file 6.bin"]);
}

#[test]
fn a_file_added_or_removed_after_the_plan_fails_the_seal() {
    let (dir, key) = hashed(2);
    dir.write("src/case/d0/new.txt", b"planted");
    assert_refused(
        &dir,
        &key,
        "out.zip",
        1,
        &["data/case/d0/new.txt", "not in the plan"],
    );
    fs::remove_file(dir.join("src/case/d0/new.txt")).unwrap();
    fs::remove_file(dir.join("src/case/empty.txt")).unwrap();
    assert_refused(
        &dir,
        &key,
        "out.zip",
        1,
        &["data/case/empty.txt", "no longer"],
    );
}

#[test]
fn an_edited_part_is_refused_naming_the_part_and_line() {
    // (what is done to line 3 of part 1, exit code, words of the message)
    type Edit = fn(&str) -> String;
    let cases: [(&str, Edit, i32, &str); 4] = [
        ("not JSON", |l| l[..l.len() / 2].to_string(), 2, "line 3"),
        (
            "digest not 64 hex",
            |l| l.replacen("\"sha256\":\"", "\"sha256\":\"zz", 1),
            2,
            "line 3",
        ),
        (
            "size differs from the plan",
            |l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                let size = v["size"].as_u64().unwrap();
                l.replacen(
                    &format!("\"size\":{size}"),
                    &format!("\"size\":{}", size + 1),
                    1,
                )
            },
            1,
            "line 3",
        ),
        (
            "another file's record",
            |l| l.replacen("\"path\":\"data/", "\"path\":\"data/x", 1),
            1,
            "line 3",
        ),
    ];
    for (what, edit, code, words) in cases {
        let (dir, key) = hashed(2);
        let part = dir.join("parts/1.part");
        let text = fs::read_to_string(&part).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        lines[2] = edit(&lines[2]);
        fs::write(&part, lines.join("\n") + "\n").unwrap();
        let err = assert_refused(&dir, &key, "out.zip", code, &["parts/1.part", words]);
        eprintln!("{what}: {err}");
    }
}

#[test]
fn a_truncated_part_is_refused() {
    let (dir, key) = hashed(2);
    let part = dir.join("parts/1.part");
    let text = fs::read(&part).unwrap();
    fs::write(&part, &text[..text.len() - 10]).unwrap();
    assert_refused(&dir, &key, "out.zip", 2, &["parts/1.part"]);
}

#[test]
fn an_edited_plan_is_refused_by_the_shards_and_the_seal() {
    let (dir, key) = hashed(2);
    let plan = dir.join("plan.json");
    replace_in(&plan, "data/case/d0/", "data/case/d9/");
    let output = hash_shard(&dir, 0, "parts/again.part");
    common::assert_exit(&output, 2, &[]);
    assert!(stderr(&output).contains("plan.json"), "{}", stderr(&output));
    assert!(!dir.join("parts/again.part").exists());
    assert_refused(&dir, &key, "out.zip", 2, &["plan.json", "changed"]);
}

#[test]
fn plan_refuses_what_seal_refuses() {
    let dir = Dir::new();
    dir.write("a/case/f", b"1");
    dir.write("b/case/g", b"2");
    let output = dir.run(
        ["plan", "a/case", "b/case", "-o", "p.json", "--shards", "2"],
        2,
    );
    assert!(stderr(&output).contains("case"), "{}", stderr(&output));
    dir.run(["plan", "missing", "-o", "p.json", "--shards", "2"], 2);
    dir.run(["plan", "a/case", "-o", "p.json", "--shards", "0"], 2);
    assert!(!dir.join("p.json").exists());
    dir.run(["plan", "a/case", "-o", "p.json", "--shards", "1"], 0);
    // Never overwritten: parts of the old plan would no longer fit it.
    dir.run(["plan", "a/case", "-o", "p.json", "--shards", "1"], 2);
    dir.run(
        ["hash", "--plan", "p.json", "--shard", "1", "-o", "x.part"],
        2,
    );
    #[cfg(unix)]
    {
        let fifo = dir.join("a/case/pipe");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let output = dir.run(["plan", "a/case", "-o", "q.json", "--shards", "1"], 2);
        assert!(stderr(&output).contains("pipe"), "{}", stderr(&output));
    }
}

#[test]
fn plan_flags_conflict_with_sources() {
    let (dir, key) = hashed(1);
    let mut args = planned_seal_args("out.zip", &key);
    args.insert(1, "src/case".into());
    dir.run(&args, 2);
    dir.run(
        [
            "hash",
            "src",
            "--plan",
            "plan.json",
            "--shard",
            "0",
            "-o",
            "p",
        ],
        2,
    );
    dir.run(["hash", "--plan", "plan.json", "--shard", "0"], 2);
}

#[test]
fn a_shard_run_twice_writes_the_same_bytes() {
    let (dir, _key) = hashed(2);
    let output = hash_shard(&dir, 1, "again.part");
    common::assert_exit(&output, 0, &[]);
    assert!(
        fs::read(dir.join("parts/1.part")).unwrap() == fs::read(dir.join("again.part")).unwrap(),
        "a retried shard must write an identical part"
    );
    // Rerun to the same name: replaced atomically, no temporary file left.
    let output = hash_shard(&dir, 1, "parts/1.part");
    common::assert_exit(&output, 0, &[]);
    let names: Vec<String> = fs::read_dir(dir.join("parts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}
