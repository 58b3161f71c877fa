//! Shards that write the bundle: `seal --plan P --shard I -o OUT` copies
//! each shard into the bundle being built (run by GNU parallel, as a batch
//! engine would), `seal --plan P --finish` writes only its metadata. The
//! bundle must be byte for byte a plain seal's, whatever happened to the
//! shards on the way (killed and run again, run twice at once, into
//! segment files), and what cannot make that bundle must be refused.

use std::ffi::OsString;
use std::fs;
use std::process::Output;

use crate::common::{self, read_tree, stderr, tool_or_skip, tree_diff, Dir, Key, EXE};
use crate::plan::{evidence, plan, run_with_parallel, seal_args, SOURCES};

fn shard(dir: &Dir, shard: usize, out: &str, extra: &[&str]) -> Output {
    let shard = shard.to_string();
    let mut args = vec!["seal", "--plan", "plan.json", "--shard", &shard, "-o", out];
    args.extend_from_slice(extra);
    dir.output(args)
}

fn finish_args(out: &str, key: &Key) -> Vec<OsString> {
    let mut args = seal_args(&[], out, key);
    args.splice(
        1..1,
        ["--plan", "plan.json", "--finish"].map(OsString::from),
    );
    args
}

/// Seals the sources plainly into `plain/<name>` and asserts the finished
/// `name` is the same bytes (zip) or the same tree (folder), verified.
#[track_caller]
fn assert_same_as_plain(dir: &Dir, key: &Key, name: &str) {
    fs::create_dir_all(dir.join("plain")).unwrap();
    let plain = format!("plain/{name}");
    dir.run(seal_args(&SOURCES, &plain, key), 0);
    let (plain, built) = (dir.join(plain), dir.join(name));
    if name.ends_with(".zip") {
        assert!(
            fs::read(&plain).unwrap() == fs::read(&built).unwrap(),
            "{name}: the zip differs from a plain seal's"
        );
    } else {
        let (a, b) = (read_tree(&plain), read_tree(&built));
        assert!(a.len() > 45, "{} nodes", a.len());
        assert_eq!(tree_diff(&a, &b), Vec::<String>::new());
    }
    let report = dir.verify_json(&built, &[key], 0);
    assert_eq!(report["status"], "verified");
    // The work folder went with the finish.
    let left: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.")))
        .collect();
    assert!(left.is_empty(), "left beside the bundle: {left:?}");
}

/// The work folder the shards of the plan fill for `out`.
fn work_folder(dir: &Dir, out: &str) -> std::path::PathBuf {
    fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with(&format!(".{out}.plan-"))
        })
        .expect("the work folder")
}

fn planned_case(shards: usize) -> (Dir, Key) {
    let dir = Dir::new();
    evidence(&dir);
    let key = dir.keygen("examiner");
    plan(&dir, shards);
    (dir, key)
}

#[test]
fn shards_that_write_the_bundle_seal_the_same_bytes_as_a_plain_seal() {
    let Some(parallel) = tool_or_skip(
        "parallel",
        "shards::shards_that_write_the_bundle_seal_the_same_bytes_as_a_plain_seal",
    ) else {
        return;
    };
    let (dir, key) = planned_case(3);
    for (name, extra) in [
        ("in-place.zip", ""),
        ("segments.zip", " --segment"),
        ("folder", ""),
    ] {
        run_with_parallel(
            &dir,
            &parallel,
            &format!("{EXE} --quiet seal --plan plan.json --shard {{}} -o {name}{extra}"),
            3,
        );
        assert!(
            fs::symlink_metadata(dir.join(name)).is_err(),
            "{name} appeared before the finish"
        );
        dir.run(finish_args(name, &key), 0);
        assert_same_as_plain(&dir, &key, name);
    }
}

#[test]
fn a_shard_killed_half_way_and_run_again_gives_the_same_bundle() {
    for name in ["killed.zip", "killed"] {
        let (dir, key) = planned_case(2);
        // Shard 0 holds big.img (3 MiB): killed after 1 MiB of it.
        let mut cmd = dir.command();
        cmd.args(["seal", "--plan", "plan.json", "--shard", "0", "-o", name])
            .env("EXHIBIT_TEST_CRASH_AFTER_BYTES", (1u64 << 20).to_string());
        let killed = cmd.output().unwrap();
        assert!(!killed.status.success(), "the shard was not stopped");
        // Its part is absent: the finish refuses, naming the shard.
        common::assert_exit(&shard(&dir, 1, name, &[]), 0, &[]);
        let refused = dir.run(finish_args(name, &key), 2);
        assert!(
            stderr(&refused).contains("no part for shard 0"),
            "{}",
            stderr(&refused)
        );
        assert!(fs::symlink_metadata(dir.join(name)).is_err());
        // Run again, it completes what the killed run began.
        common::assert_exit(&shard(&dir, 0, name, &[]), 0, &[]);
        dir.run(finish_args(name, &key), 0);
        assert_same_as_plain(&dir, &key, name);
    }
}

#[test]
fn a_shard_run_twice_at_once_on_the_same_range_gives_the_same_bundle() {
    for name in ["twice.zip", "twice"] {
        let (dir, key) = planned_case(2);
        let start = |i: usize| {
            let mut cmd = dir.command();
            cmd.args(["--quiet", "seal", "--plan", "plan.json", "--shard"])
                .arg(i.to_string())
                .args(["-o", name]);
            cmd.spawn().unwrap()
        };
        let runs = [start(0), start(0), start(1)];
        for run in runs {
            let output = run.wait_with_output().unwrap();
            assert!(output.status.success(), "{}", stderr(&output));
        }
        dir.run(finish_args(name, &key), 0);
        assert_same_as_plain(&dir, &key, name);
    }
}

#[test]
fn the_finish_refuses_what_cannot_make_the_bundle() {
    let (dir, key) = planned_case(3);
    // No shard has run.
    let output = dir.run(finish_args("out.zip", &key), 2);
    assert!(
        stderr(&output).contains("no shard of this plan"),
        "{}",
        stderr(&output)
    );
    // Shard 1 missing.
    for i in [0, 2] {
        common::assert_exit(&shard(&dir, i, "out.zip", &[]), 0, &[]);
    }
    let output = dir.run(finish_args("out.zip", &key), 2);
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no part for shard 1"), "{err}");
    assert!(fs::symlink_metadata(dir.join("out.zip")).is_err());
    // A shard's part edited: refused naming the part, nothing written.
    common::assert_exit(&shard(&dir, 1, "out.zip", &[]), 0, &[]);
    let work = work_folder(&dir, "out.zip");
    // The first part with a record (a shard may be empty).
    let (part, text) = (0..3)
        .map(|i| work.join(format!("parts/{i}.part")))
        .map(|p| (p.clone(), fs::read_to_string(p).unwrap()))
        .find(|(_, text)| text.contains("\"size\":"))
        .unwrap();
    let part_name = part.file_name().unwrap().to_string_lossy().into_owned();
    let edited = text.replacen("\"size\":", "\"size\":1", 1);
    fs::write(&part, edited).unwrap();
    let output = dir.run(finish_args("out.zip", &key), 1);
    assert!(stderr(&output).contains(&part_name), "{}", stderr(&output));
    assert!(fs::symlink_metadata(dir.join("out.zip")).is_err());
    // Put right by running the shard again: the finish goes through.
    fs::write(&part, text).unwrap();
    dir.run(finish_args("out.zip", &key), 0);
    assert_same_as_plain(&dir, &key, "out.zip");
    // A shard or finish to a bundle that exists is refused.
    let output = shard(&dir, 0, "out.zip", &[]);
    common::assert_exit(&output, 2, &[]);
    assert!(
        stderr(&output).contains("already exists"),
        "{}",
        stderr(&output)
    );
    dir.run(finish_args("out.zip", &key), 2);
}

#[test]
fn a_file_changed_between_plan_and_shard_is_refused_by_the_shard() {
    let (dir, _key) = planned_case(2);
    // Same size, new content and modification time.
    let changed = dir.join("src/disk.img");
    let mut bytes = fs::read(&changed).unwrap();
    bytes[0] ^= 1;
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&changed, bytes).unwrap();
    let results: Vec<Output> = (0..2).map(|i| shard(&dir, i, "out.zip", &[])).collect();
    let refused: Vec<&Output> = results.iter().filter(|o| !o.status.success()).collect();
    assert_eq!(refused.len(), 1, "one shard holds the file");
    common::assert_exit(refused[0], 1, &[]);
    let err = stderr(refused[0]);
    assert!(
        err.contains("disk.img") && err.contains("changed since the plan"),
        "{err}"
    );
    assert!(fs::symlink_metadata(dir.join("out.zip")).is_err());
}

#[test]
fn shards_may_mix_segments_and_in_place_and_a_segment_of_the_wrong_length_is_refused() {
    let (dir, key) = planned_case(3);
    for (i, extra) in [
        (0, &["--segment"][..]),
        (1, &[][..]),
        (2, &["--segment"][..]),
    ] {
        common::assert_exit(&shard(&dir, i, "mixed.zip", extra), 0, &[]);
    }
    let work = work_folder(&dir, "mixed.zip");
    // A segment one byte too long would write over its neighbour's entries.
    let segment = work.join("segments/0.seg");
    let bytes = fs::read(&segment).unwrap();
    let mut longer = bytes.clone();
    longer.push(0);
    fs::write(&segment, &longer).unwrap();
    let output = dir.run(finish_args("mixed.zip", &key), 2);
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("0.seg") && err.contains("entries take"),
        "{err}"
    );
    assert!(fs::symlink_metadata(dir.join("mixed.zip")).is_err());
    // Put right, the finish goes through and nothing else was touched.
    fs::write(&segment, &bytes).unwrap();
    dir.run(finish_args("mixed.zip", &key), 0);
    assert_same_as_plain(&dir, &key, "mixed.zip");
}
