//! Shared harness for the bundle tests: a temporary folder that runs the
//! built binary, keys made by `exhibit keygen`, sealing, exit-code checks,
//! tree and zip helpers, and discovery of the external tools used for
//! interoperability checks.
//!
//! Each test binary uses a different part of it.
#![allow(dead_code)]
pub mod tsa;

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output, Stdio};

use assert_cmd::Command;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The sealing time of every bundle made here, so bundles are reproducible.
pub const TIME: &str = "2026-11-22T10:00:00Z";

/// A temporary folder where commands run (so relative names work) and
/// which disappears with the test.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Default for Dir {
    fn default() -> Self {
        Self::new()
    }
}

impl Dir {
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::Builder::new()
                .prefix("exhibit-test-")
                .tempdir()
                .unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn join(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.tmp.path().join(relative)
    }

    /// Writes a file (creating its folders) and returns its path.
    pub fn write(&self, relative: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        path
    }

    pub fn mkdir(&self, relative: impl AsRef<Path>) -> PathBuf {
        let path = self.join(relative);
        fs::create_dir_all(&path).unwrap();
        path
    }

    /// `exhibit` with this folder as working directory and none of the
    /// environment variables that change its behaviour.
    pub fn exhibit(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_exhibit"));
        cmd.current_dir(self.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("EXHIBIT_PASSPHRASE");
        cmd
    }

    /// Runs `exhibit ARGS...` and asserts its exit code.
    #[track_caller]
    pub fn run<I, S>(&self, args: I, code: i32) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        let output = self.exhibit().args(&args).output().unwrap();
        assert_exit(&output, code, &args);
        output
    }

    /// A new unencrypted key pair `NAME.key` / `NAME.pub`, made by the binary.
    #[track_caller]
    pub fn keygen(&self, name: &str) -> Key {
        let secret = format!("{name}.key");
        let output = self.run(
            [
                "keygen",
                "-o",
                &secret,
                "--no-passphrase",
                "--name",
                &format!("{name} examiner"),
                "--org",
                &format!("{name} unit"),
            ],
            0,
        );
        let id = stdout(&output).trim().to_string();
        assert_eq!(id.len(), 64, "key id: {id:?}");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "key id: {id:?}");
        Key {
            secret: self.join(&secret),
            public: self.join(format!("{name}.pub")),
            id,
        }
    }

    /// Seals `sources` into `out` (relative to this folder) with fixed
    /// metadata and time; returns the bundle's path.
    #[track_caller]
    pub fn seal(&self, sources: &[&str], out: &str, key: &Key) -> PathBuf {
        let mut args: Vec<OsString> = vec!["seal".into()];
        args.extend(sources.iter().map(OsString::from));
        args.extend(
            [
                "-o",
                out,
                "--key",
                key.secret.to_str().unwrap(),
                "--case",
                "CASE-2026-042",
                "--exhibit",
                "A1",
                "--description",
                "test evidence",
                "--time",
                TIME,
            ]
            .map(OsString::from),
        );
        self.run(&args, 0);
        self.join(out)
    }

    /// `exhibit verify BUNDLE --json [--trust K]...`, asserting the exit
    /// code; returns the parsed report.
    #[track_caller]
    pub fn verify_json(&self, bundle: &Path, trust: &[&Key], code: i32) -> serde_json::Value {
        let mut args: Vec<OsString> = vec!["verify".into(), bundle.into(), "--json".into()];
        for key in trust {
            args.push("--trust".into());
            args.push(key.public.clone().into());
        }
        let output = self.run(&args, code);
        serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("verify --json printed no JSON ({e}):\n{}", stdout(&output)))
    }
}

/// A key pair made by `exhibit keygen`.
pub struct Key {
    pub secret: PathBuf,
    pub public: PathBuf,
    pub id: String,
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts the exit code, and that no input made the binary panic.
#[track_caller]
pub fn assert_exit(output: &Output, code: i32, args: &[OsString]) {
    let err = stderr(output);
    assert!(
        !err.contains("panicked"),
        "exhibit {args:?} panicked:\n{err}"
    );
    assert_eq!(
        output.status.code(),
        Some(code),
        "exhibit {args:?}\nstdout:\n{}\nstderr:\n{err}",
        stdout(output)
    );
}

/// The `problems` of a JSON report as `(code, path)` pairs.
pub fn problems(report: &serde_json::Value) -> Vec<(String, Option<String>)> {
    report["problems"]
        .as_array()
        .expect("problems is a list")
        .iter()
        .map(|p| {
            (
                p["code"].as_str().expect("code is a string").to_string(),
                p["path"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// Deterministic content of `len` bytes that does not repeat in short runs.
pub fn content(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..len)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) as u8
        })
        .collect()
}

// ------------------------------------------------------------- trees ---

/// One node of a file tree, compared byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    File(Vec<u8>),
    Dir,
    Symlink(PathBuf),
}

/// Every node below `root` by its exact relative name (not followed
/// through symbolic links).
pub fn read_tree(root: &Path) -> BTreeMap<PathBuf, Node> {
    let mut tree = BTreeMap::new();
    for item in walkdir::WalkDir::new(root).follow_links(false).min_depth(1) {
        let item = item.unwrap();
        let relative = item.path().strip_prefix(root).unwrap().to_path_buf();
        let kind = item.file_type();
        let node = if kind.is_symlink() {
            Node::Symlink(fs::read_link(item.path()).unwrap())
        } else if kind.is_dir() {
            Node::Dir
        } else {
            Node::File(fs::read(item.path()).unwrap())
        };
        tree.insert(relative, node);
    }
    tree
}

/// Names of the nodes that differ between two trees (for messages that do
/// not dump megabytes).
pub fn tree_diff(a: &BTreeMap<PathBuf, Node>, b: &BTreeMap<PathBuf, Node>) -> Vec<String> {
    let mut diff = Vec::new();
    for (name, node) in a {
        match b.get(name) {
            None => diff.push(format!("only in first: {name:?}")),
            Some(other) if other != node => diff.push(format!("differs: {name:?}")),
            Some(_) => {}
        }
    }
    for name in b.keys().filter(|n| !a.contains_key(*n)) {
        diff.push(format!("only in second: {name:?}"));
    }
    diff
}

/// Copies a tree, keeping symbolic links as links.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for (name, node) in read_tree(from) {
        let target = to.join(&name);
        match node {
            Node::Dir => fs::create_dir_all(&target).unwrap(),
            Node::File(bytes) => fs::write(&target, bytes).unwrap(),
            Node::Symlink(link) => std::os::unix::fs::symlink(link, &target).unwrap(),
        }
    }
}

/// The regular files of a bag folder as `bag path -> bytes`.
pub fn read_bag_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    read_tree(root)
        .into_iter()
        .filter_map(|(name, node)| match node {
            Node::File(bytes) => Some((name.to_str().unwrap().to_string(), bytes)),
            _ => None,
        })
        .collect()
}

/// Makes the files of a bag folder equal to `files`: removes, rewrites and
/// adds only what differs.
pub fn write_bag_files(root: &Path, files: &BTreeMap<String, Vec<u8>>) {
    let before = read_bag_files(root);
    for name in before.keys().filter(|n| !files.contains_key(*n)) {
        fs::remove_file(root.join(name)).unwrap();
    }
    for (name, bytes) in files {
        if before.get(name) != Some(bytes) {
            let path = root.join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
    }
}

// --------------------------------------------------------------- zips ---

/// What the central directory says about one zip entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipEntryInfo {
    pub name: Vec<u8>,
    pub method: CompressionMethod,
    pub data_start: u64,
    pub size: u64,
    pub compressed_size: u64,
    pub modified: Option<zip::DateTime>,
    pub is_dir: bool,
}

/// Every entry of a zip file, in central-directory order.
pub fn zip_entries(path: &Path) -> Vec<ZipEntryInfo> {
    let mut archive = ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let entry = archive.by_index_raw(i).unwrap();
            ZipEntryInfo {
                name: entry.name_raw().to_vec(),
                method: entry.compression(),
                data_start: entry.data_start().expect("local header was read"),
                size: entry.size(),
                compressed_size: entry.compressed_size(),
                modified: entry.last_modified(),
                is_dir: entry.is_dir(),
            }
        })
        .collect()
}

/// Where the central directory of a zip file starts.
pub fn zip_central_directory_start(path: &Path) -> u64 {
    ZipArchive::new(fs::File::open(path).unwrap())
        .unwrap()
        .central_directory_start()
}

/// The files of a zip bag (below its single top folder) as
/// `bag path -> bytes`, and that top folder's name. Stored entries are read
/// raw, so a bag changed in place (its CRC no longer matching) still reads.
pub fn read_zip_bag(path: &Path) -> (String, BTreeMap<String, Vec<u8>>) {
    let mut archive = ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut top = None;
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let stored = archive.by_index_raw(i).unwrap().compression() == CompressionMethod::Stored;
        let mut entry = if stored {
            archive.by_index_raw(i).unwrap()
        } else {
            archive.by_index(i).unwrap()
        };
        let name = String::from_utf8(entry.name_raw().to_vec()).unwrap();
        let (first, rest) = name.split_once('/').expect("entry below a top folder");
        assert_eq!(
            *top.get_or_insert(first.to_string()),
            first,
            "one top folder"
        );
        if entry.is_dir() || rest.is_empty() {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.insert(rest.to_string(), bytes);
    }
    (top.expect("a non-empty zip"), files)
}

/// Writes `dst`: the entries of the zip bag `src` with its bag files made
/// equal to `files`. Unchanged entries are copied raw (same bytes, same
/// header fields); changed ones are written stored, like `exhibit` writes
/// them; new ones are appended at the end.
pub fn rewrite_zip_bag(src: &Path, dst: &Path, files: &BTreeMap<String, Vec<u8>>) {
    let (top, before) = read_zip_bag(src);
    let mut archive = ZipArchive::new(fs::File::open(src).unwrap()).unwrap();
    let mut writer = ZipWriter::new(fs::File::create(dst).unwrap());
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .unix_permissions(0o644);
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).unwrap();
        let name = String::from_utf8(entry.name_raw().to_vec()).unwrap();
        let bag_name = name.split_once('/').map(|(_, rest)| rest).unwrap_or("");
        let unchanged = entry.is_dir() || files.get(bag_name) == before.get(bag_name);
        if unchanged {
            writer.raw_copy_file(entry).unwrap();
        } else if let Some(bytes) = files.get(bag_name) {
            writer.start_file(name.as_str(), options).unwrap();
            writer.write_all(bytes).unwrap();
        }
    }
    for (name, bytes) in files.iter().filter(|(n, _)| !before.contains_key(*n)) {
        writer
            .start_file(format!("{top}/{name}").as_str(), options)
            .unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap();
}

/// Writes a zip holding the folder `root` under the top folder `top`, with
/// every file compressed by `method` (as a foreign tool would).
pub fn zip_folder(root: &Path, top: &str, dst: &Path, method: CompressionMethod) {
    let mut writer = ZipWriter::new(fs::File::create(dst).unwrap());
    let options = SimpleFileOptions::default().compression_method(method);
    writer
        .add_directory(format!("{top}/").as_str(), options)
        .unwrap();
    for (name, node) in read_tree(root) {
        let full = format!("{top}/{}", name.to_str().unwrap());
        match node {
            Node::Dir => writer.add_directory(full.as_str(), options).unwrap(),
            Node::File(bytes) => {
                writer.start_file(full.as_str(), options).unwrap();
                writer.write_all(&bytes).unwrap();
            }
            Node::Symlink(_) => panic!("no symbolic links expected in {}", root.display()),
        }
    }
    writer.finish().unwrap();
}

/// Extracts every entry of a zip below `dst` with the zip library (names
/// kept exactly, as bytes).
pub fn unzip(src: &Path, dst: &Path) {
    let mut archive = ZipArchive::new(fs::File::open(src).unwrap()).unwrap();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name_raw().to_vec();
        assert!(
            !name.starts_with(b"/") && !name.split(|b| *b == b'/').any(|c| c == b".."),
            "unsafe name in a test zip"
        );
        let path = dst.join(OsStr::from_bytes(&name));
        if entry.is_dir() {
            fs::create_dir_all(&path).unwrap();
            continue;
        }
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        fs::write(&path, bytes).unwrap();
    }
}

// ----------------------------------------------------- external tools ---

/// An external tool: on PATH, then where `cargo install` puts it, then in
/// the Python environment the test script makes under `target/`.
pub fn find_tool(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(cargo_home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(cargo_home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/interop-venv/bin"));
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

/// The tool, or `None` after printing why the test is skipped.
pub fn tool_or_skip(name: &str, test: &str) -> Option<PathBuf> {
    let found = find_tool(name);
    if found.is_none() {
        eprintln!("skipping {test}: `{name}` is not installed (not on PATH, not in cargo's bin)");
    }
    found
}

/// Runs an external tool in `dir`.
pub fn run_tool<I, S>(tool: &Path, dir: &Path, args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    StdCommand::new(tool)
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Asserts that an external tool succeeded.
#[track_caller]
pub fn assert_tool_ok(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed ({:?})\nstdout:\n{}\nstderr:\n{}",
        output.status,
        stdout(output),
        stderr(output)
    );
}
