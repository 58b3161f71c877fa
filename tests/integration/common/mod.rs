//! Shared harness for the integration tests: the one way they run the built
//! binary (with a scrubbed environment), the temporary folder they run it
//! in, keys made by `exhibit keygen`, sealing, exit-code checks, and (in the
//! submodules) file trees, zip files and the external tools used for
//! interoperability checks.

pub mod ca;
pub mod hsm;
pub mod nobody;
pub mod print;
pub mod terminal;
pub mod tools;
pub mod tree;
pub mod tsa;
pub mod zip;

pub use self::{tools::*, tree::*, zip::*};

use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output, Stdio};

use assert_cmd::Command;

/// The sealing time of every bundle made here, so bundles are reproducible.
pub const TIME: &str = "2026-11-22T10:00:00Z";

/// The binary under test.
pub const EXE: &str = env!("CARGO_BIN_EXE_exhibit");

/// Variables that change what the binary does or prints, which a test
/// would otherwise inherit from whoever runs the suite. Every variable
/// named `EXHIBIT_*` is removed as well, listed here or not.
pub const SCRUBBED_ENV: &[&str] = &[
    // A fixed sealing time for reproducible builds.
    "SOURCE_DATE_EPOCH",
    // The passphrase of an encrypted key.
    "EXHIBIT_PASSPHRASE",
    // The crash hook of the `crash-points` feature.
    "EXHIBIT_TEST_CRASH_AFTER_BYTES",
    // How a panic is printed.
    "RUST_BACKTRACE",
    "RUST_LIB_BACKTRACE",
    // The language a person reads (tests that need one set it).
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_MESSAGES",
    // The width help and messages are wrapped to.
    "COLUMNS",
    "LINES",
    // Whether help is styled at a terminal.
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
];

/// Removes every variable of [`SCRUBBED_ENV`], and every `EXHIBIT_*`
/// variable, from the environment `cmd` will run with. A test that needs
/// one sets it again afterwards.
pub fn scrub_env(cmd: &mut StdCommand) -> &mut StdCommand {
    for name in SCRUBBED_ENV {
        cmd.env_remove(name);
    }
    for (name, _) in std::env::vars_os() {
        if name.as_encoded_bytes().starts_with(b"EXHIBIT_") {
            cmd.env_remove(name);
        }
    }
    cmd
}

/// `exhibit` with a scrubbed environment and no terminal on stdin, for
/// tests that spawn it or wrap it (under a memory limit, say). Most tests
/// use [`Dir::exhibit`].
pub fn exhibit_command() -> StdCommand {
    let mut cmd = StdCommand::new(EXE);
    scrub_env(&mut cmd).stdin(Stdio::null());
    cmd
}

/// A file of the test data committed under `tests/data/`.
pub fn test_data(relative: impl AsRef<Path>) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(relative)
}

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
    /// A new folder in the system's temporary folder.
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::Builder::new()
                .prefix("exhibit-test-")
                .tempdir()
                .unwrap(),
        }
    }

    /// A new folder below `parent` (for tests too big for a temporary
    /// folder that may live in memory).
    pub fn new_in(parent: impl AsRef<Path>) -> Dir {
        Dir {
            tmp: tempfile::Builder::new()
                .prefix("exhibit-test-")
                .tempdir_in(parent)
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

    /// [`exhibit_command`] with this folder as working directory, for
    /// tests that spawn the binary or set a variable the harness removes.
    pub fn command(&self) -> StdCommand {
        let mut cmd = exhibit_command();
        cmd.current_dir(self.path());
        cmd
    }

    /// `exhibit` with this folder as working directory and none of the
    /// environment variables that change its behaviour (see
    /// [`SCRUBBED_ENV`]); stdin is never a terminal, so nothing prompts.
    pub fn exhibit(&self) -> Command {
        Command::from_std(self.command())
    }

    /// Runs `exhibit ARGS...` and returns what it did, whatever its exit
    /// code.
    pub fn output<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.exhibit().args(args).output().unwrap()
    }

    /// Runs `exhibit ARGS...` and asserts its exit code.
    #[track_caller]
    pub fn run<I, S>(&self, args: I, code: i32) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        let output = self.output(&args);
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
        self.seal_exhibit(sources, out, key, "A1")
    }

    /// [`Dir::seal`] under another exhibit id.
    #[track_caller]
    pub fn seal_exhibit(&self, sources: &[&str], out: &str, key: &Key, exhibit: &str) -> PathBuf {
        self.run(seal_args(sources, out, key, exhibit), 0);
        self.join(out)
    }

    /// `exhibit custody add BUNDLE --key KEY --action ACTION --time TIME
    /// EXTRA...`, asserting success.
    #[track_caller]
    pub fn custody_add(&self, bundle: &str, key: &Key, action: &str, extra: &[&str], time: &str) {
        let mut args = vec![
            "custody",
            "add",
            bundle,
            "--key",
            key.secret.to_str().unwrap(),
            "--action",
            action,
            "--time",
            time,
        ];
        args.extend_from_slice(extra);
        self.run(&args, 0);
    }

    /// The custody story after a seal by `a`: `a` transfers `bundle` to
    /// `b` (a note and a location), `b` receives it and analyzes it with
    /// the note `analysis`, each at a fixed time.
    #[track_caller]
    pub fn hand_over(&self, bundle: &str, a: &Key, b: &Key, analysis: &str) {
        let to = b.public.to_str().unwrap();
        let transfer = [
            "--to-key",
            to,
            "--note",
            "MLA request 17",
            "--location",
            "Hanoi",
        ];
        self.custody_add(bundle, a, "transfer", &transfer, "2026-11-23T09:00:00Z");
        let receive = ["--location", "Lyon"];
        self.custody_add(bundle, b, "receive", &receive, "2026-11-24T15:30:00Z");
        let analyze = ["--note", analysis];
        self.custody_add(bundle, b, "analyze", &analyze, "2026-11-25T08:00:00Z");
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

/// `seal SOURCES... -o OUT --key KEY` with the case, description and time
/// of every bundle made here, and the exhibit id `exhibit`.
pub fn seal_args(sources: &[&str], out: &str, key: &Key, exhibit: &str) -> Vec<OsString> {
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
            exhibit,
            "--description",
            "test evidence",
            "--time",
            TIME,
        ]
        .map(OsString::from),
    );
    args
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
