//! The offline verifier page (`exhibit verifier-page`) in a real browser.
//! Headless Chromium, driven through ChromeDriver by
//! `tests/browser/drive_page.py` (Selenium), opens the page from disk and
//! verifies a corpus of bundles the way a person would: key, root and
//! policy files chosen first, then the bundle. For every bundle the page
//! must reach the verdict `exhibit verify --json` reaches on the same
//! inputs (the page's `trust`, `tsa-ca`, `ca` and `policy` files are the
//! command's `--trust`, `--tsa-ca`, `--ca` and `--trust-policy`): the same
//! status and so the same exit code, the same problems and warnings (code
//! and path), the same signers and custody events trusted; and the browser
//! makes no network request at all. File names and case metadata made of markup show as text, never as
//! elements.
//!
//! The corpus: intact folder and zip bundles; every case of the tamper
//! corpus in both forms (of the plain-bag corpus, as zips); the hostile
//! bundles of `hostile`; markup in file names and case metadata; co-signed
//! bundles; a custody chain with hand-overs, and a time that goes
//! backwards; a disclosure; RFC 3161 tokens from a local TSA, checked with,
//! without and against another `--tsa-ca`; a certificate signature checked
//! with `--ca`; trust policies that name their key and root files by file
//! name (the page finds them among the files chosen with it); files and
//! folders that are not bundles.
//!
//! A browser sees a folder only through a folder upload, which holds
//! regular files alone (no symbolic links, FIFOs or empty folders) under
//! names that are text: the hostile cases whose point is one of those are
//! checked in zip form only. (Chromium also shows a `\` in a file name as
//! `/` in `webkitRelativePath`; `File.name` keeps it, and the page must
//! report the name the command line reports.)

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use crate::common::tsa::{self, Pki};
use crate::common::{
    self, exhibit_command, find_tool, read_zip_bag, record_skip, rewrite_zip_bag, skip_or_fail,
    stderr, stdout, tool_or_skip, Dir, Key, TIME,
};

const TEST: &str = "browser::the_page_reaches_the_verdict_of_verify";

/// Markup that must stay text: a payload file name, an unlisted file's
/// name, the case id and the description of a bundle.
const IMG_NAME: &str = "<img src=x onerror=alert(1)>.txt";
const SVG_NAME: &str = "<svg onload=alert(2)>.txt";
const CASE_ID: &str = "<img src=x onerror=alert(3)>";
const DESCRIPTION: &str = "<b>bold</b> <script>alert(4)</script>";

/// One verification: a bundle and the files chosen with it.
#[derive(Default)]
struct Job {
    id: String,
    bundle: PathBuf,
    folder: bool,
    trust: Vec<PathBuf>,
    tsa_ca: Vec<PathBuf>,
    ca: Vec<PathBuf>,
    policy: Option<PathBuf>,
    /// Strings that must appear in the page as text, never as markup.
    names_as_text: Vec<String>,
    /// Also press "Save JSON" and "Save report" and keep what they write.
    save: bool,
    /// The language chosen on the page; its verdict line must be the
    /// command line's in that language (`--lang`).
    lang: Option<&'static str>,
}

impl Job {
    fn new(id: impl Into<String>, bundle: impl Into<PathBuf>) -> Job {
        let bundle = bundle.into();
        Job {
            id: id.into(),
            folder: bundle.is_dir(),
            bundle,
            ..Job::default()
        }
    }

    fn trust(mut self, keys: &[&Path]) -> Job {
        self.trust = keys.iter().map(|k| k.to_path_buf()).collect();
        self
    }

    fn tsa_ca(mut self, roots: &[&Path]) -> Job {
        self.tsa_ca = roots.iter().map(|k| k.to_path_buf()).collect();
        self
    }

    fn ca(mut self, roots: &[&Path]) -> Job {
        self.ca = roots.iter().map(|k| k.to_path_buf()).collect();
        self
    }

    fn policy(mut self, policy: &Path) -> Job {
        self.policy = Some(policy.to_path_buf());
        self
    }

    fn save(mut self) -> Job {
        self.save = true;
        self
    }

    fn lang(mut self, tag: &'static str) -> Job {
        self.lang = Some(tag);
        self
    }

    fn names_as_text(mut self, names: &[&str]) -> Job {
        self.names_as_text = names.iter().map(|n| n.to_string()).collect();
        self
    }

    /// `verify BUNDLE --json` with the job's files as options.
    fn verify_args(&self) -> Vec<std::ffi::OsString> {
        let mut args: Vec<std::ffi::OsString> =
            vec!["verify".into(), self.bundle.clone().into(), "--json".into()];
        for (flag, files) in [
            ("--trust", &self.trust),
            ("--tsa-ca", &self.tsa_ca),
            ("--ca", &self.ca),
        ] {
            for file in files {
                args.push(flag.into());
                args.push(file.clone().into());
            }
        }
        if let Some(policy) = &self.policy {
            args.push("--trust-policy".into());
            args.push(policy.clone().into());
        }
        args
    }

    fn to_json(&self) -> serde_json::Value {
        let paths = |files: &[PathBuf]| -> Vec<String> {
            files.iter().map(|p| p.display().to_string()).collect()
        };
        serde_json::json!({
            "id": self.id,
            "bundle": self.bundle.display().to_string(),
            "folder": self.folder,
            "trust": paths(&self.trust),
            "tsa_ca": paths(&self.tsa_ca),
            "ca": paths(&self.ca),
            "policy": self.policy.as_ref().map(|p| p.display().to_string()),
            "names_as_text": self.names_as_text,
            "save": self.save,
            "lang": self.lang,
        })
    }
}

/// What a verification concluded, as far as the page and the command must
/// agree.
#[derive(Debug, PartialEq, Eq)]
struct Verdict {
    /// The exit code, or its equivalent for the page's status.
    code: Option<i32>,
    status: String,
    /// (code, path) of each problem and warning, sorted.
    problems: Vec<(String, String)>,
    warnings: Vec<(String, String)>,
    signers: Vec<(String, bool, String)>,
    custody: Vec<(u64, bool, bool)>,
}

/// The exit code a verdict stands for (SPEC: exit codes).
fn exit_code_of(status: &str) -> Option<i32> {
    match status {
        "verified" => Some(0),
        "failed" => Some(1),
        "unusable" => Some(2),
        "untrusted" => Some(3),
        _ => None,
    }
}

fn status_of(code: Option<i32>) -> &'static str {
    match code {
        Some(0) => "verified",
        Some(1) => "failed",
        Some(2) => "unusable",
        Some(3) => "untrusted",
        _ => "?",
    }
}

/// The sorted (code, path) of a list of a report (`problems`, `warnings`).
fn codes(report: &serde_json::Value, list: &str) -> Vec<(String, String)> {
    let mut codes: Vec<(String, String)> = report[list]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|p| {
                    (
                        p["code"].as_str().unwrap_or("?").to_string(),
                        p["path"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    codes.sort();
    codes
}

/// (key id, trusted, why not) of each seal signer, sorted.
fn signers(report: &serde_json::Value) -> Vec<(String, bool, String)> {
    let mut signers: Vec<(String, bool, String)> = report["signers"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|s| {
                    (
                        s["key_id"].as_str().unwrap_or("?").to_string(),
                        s["trusted"] == true,
                        s["untrusted_reason"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    signers.sort();
    signers
}

/// (sequence, valid, trusted) of each custody event.
fn custody(report: &serde_json::Value) -> Vec<(u64, bool, bool)> {
    report["custody"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|e| {
                    (
                        e["sequence"].as_u64().unwrap_or(0),
                        e["valid"] == true,
                        e["trusted"] == true,
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A verdict read from a `verify --json` report (or the page's `#json`)
/// and the exit code (or the page's status).
fn verdict(code: Option<i32>, status: &str, report: &serde_json::Value) -> Verdict {
    Verdict {
        code,
        status: status.to_string(),
        problems: codes(report, "problems"),
        warnings: codes(report, "warnings"),
        signers: signers(report),
        custody: custody(report),
    }
}

/// Runs `exhibit verify --json` for a job.
fn cli_verdict(dir: &Path, job: &Job) -> Verdict {
    let output = exhibit_command()
        .current_dir(dir)
        .args(job.verify_args())
        .output()
        .unwrap();
    let err = stderr(&output);
    assert!(
        !err.contains("panicked"),
        "{}: verify panicked:\n{err}",
        job.id
    );
    let code = output.status.code();
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    if code != Some(2) {
        assert_eq!(
            report["status"].as_str(),
            Some(status_of(code)),
            "{}: exit {code:?} with the report {}\n{err}",
            job.id,
            stdout(&output)
        );
    }
    verdict(code, status_of(code), &report)
}

/// The Python that has Selenium: the test environment's (which
/// `scripts/test` makes) or the system's.
fn selenium_python() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/interop-venv/bin/python3");
    [Some(venv), find_tool("python3")]
        .into_iter()
        .flatten()
        .filter(|p| p.is_file())
        .find(|python| {
            Command::new(python)
                .args(["-c", "import selenium"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// How a bundle is shown to the page.
fn form(bundle: &Path) -> &'static str {
    if bundle.is_dir() {
        "folder"
    } else {
        "zip"
    }
}

fn write_file(path: &Path, bytes: impl AsRef<[u8]>) -> PathBuf {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
    path.to_path_buf()
}

fn cosign(dir: &Dir, bundle: &str, key: &Key) {
    dir.run(
        [
            "sign",
            bundle,
            "--key",
            key.secret.to_str().unwrap(),
            "--time",
            TIME,
        ],
        0,
    );
}

// ---------------------------------------------------------------- corpus

/// The tamper corpus in both forms, and the plain-bag corpus as zips (and
/// its untouched folder: its cases change the same kinds of files, and the
/// time a browser takes is better spent elsewhere); the folders holding
/// them go into `keep`.
fn tamper_jobs(keep: &mut Vec<Dir>, jobs: &mut Vec<Job>) {
    for (plain, what) in [(false, "tamper"), (true, "plain bag")] {
        for zip in [true, false] {
            let form = if zip { "zip" } else { "folder" };
            let (dir, signer, bundles) = crate::tamper::corpus(zip, plain);
            for (name, bundle) in bundles {
                if plain && !zip && name != "control" {
                    continue;
                }
                if name == "control" && !plain {
                    jobs.push(Job::new(
                        format!("{what} {form}: control, no key given"),
                        &bundle,
                    ));
                }
                jobs.push(Job::new(format!("{what} {form}: {name}"), bundle).trust(&[&signer]));
            }
            keep.push(dir);
        }
    }
}

/// The hostile rows a browser can be shown: the zips, and the folders
/// whose point is not a link, a FIFO or a name that is not UTF-8 (a folder
/// upload would show the browser another bundle than the command line
/// sees). Of the documents corrupted in every way, the seal statement is
/// taken with all of them, the other documents with the ways that test
/// the verifier's limits (nesting depth, size) in WebAssembly: their
/// parsing is the same code whichever reads the bytes, and the time a
/// browser takes per bundle is better spent on the zip reader.
fn hostile_jobs(root: &Path, jobs: &mut Vec<Job>) {
    const PARSING_ONLY: [&str; 5] = [
        " InvalidUtf8",
        " InvalidSyntax",
        " DuplicateKeys",
        " UnknownVersion",
        " WrongTypes",
    ];
    let browser_sees = |name: &str| {
        let unseen = name.starts_with("folder:")
            && ["symlink", "FIFO", "not UTF-8"]
                .iter()
                .any(|what| name.contains(what));
        let parsing_again =
            !name.starts_with("seal.json ") && PARSING_ONLY.iter().any(|way| name.ends_with(way));
        !unseen && !parsing_again
    };
    let (sealer, bundles) = crate::hostile::bundles(root, browser_sees);
    for (name, bundle) in bundles {
        jobs.push(
            Job::new(format!("hostile {}: {name}", form(&bundle)), &bundle).trust(&[&sealer]),
        );
    }
}

/// Markup in a payload name, an unlisted file's name and the case id.
fn markup_jobs(dir: &Dir, jobs: &mut Vec<Job>) {
    let key = dir.keygen("markup");
    dir.write(
        format!("markup/evidence/{IMG_NAME}"),
        b"a name made of markup\n",
    );
    dir.write("markup/evidence/plain.txt", b"plain\n");
    for out in ["markup/sealed.zip", "markup/sealed"] {
        dir.run(
            [
                "seal",
                "markup/evidence",
                "-o",
                out,
                "--key",
                key.secret.to_str().unwrap(),
                "--case",
                CASE_ID,
                "--exhibit",
                "A1",
                "--description",
                DESCRIPTION,
                "--time",
                TIME,
            ],
            0,
        );
    }
    for bundle in [dir.join("markup/sealed.zip"), dir.join("markup/sealed")] {
        jobs.push(
            Job::new(format!("markup {}: sealed", form(&bundle)), &bundle)
                .trust(&[&key.public])
                .names_as_text(&[IMG_NAME, CASE_ID, DESCRIPTION]),
        );
    }
    // An unlisted file whose name is markup: named in a problem.
    let planted = format!("data/evidence/{SVG_NAME}");
    let (_, mut files) = read_zip_bag(&dir.join("markup/sealed.zip"));
    files.insert(planted.clone(), b"planted\n".to_vec());
    rewrite_zip_bag(
        &dir.join("markup/sealed.zip"),
        &dir.join("markup/planted.zip"),
        &files,
    );
    common::copy_tree(&dir.join("markup/sealed"), &dir.join("markup/planted"));
    write_file(&dir.join("markup/planted").join(&planted), b"planted\n");
    for bundle in [dir.join("markup/planted.zip"), dir.join("markup/planted")] {
        jobs.push(
            Job::new(format!("markup {}: unlisted file", form(&bundle)), &bundle)
                .trust(&[&key.public])
                .names_as_text(&[IMG_NAME, SVG_NAME, CASE_ID]),
        );
    }
}

/// Co-signatures, custody hand-overs (and a time that goes backwards),
/// a disclosure, files and folders that are not bundles.
fn story_jobs(dir: &Dir, keep: &mut Vec<Dir>, jobs: &mut Vec<Job>) {
    dir.write("story/evidence/report.txt", b"seized on 2026-11-21\n");
    dir.write("story/evidence/disk.img", common::content(20_000, 3));
    let a = dir.keygen("alice");
    let b = dir.keygen("bob");
    let sources = ["story/evidence"];
    for out in ["story/cosigned.zip", "story/cosigned"] {
        dir.seal(&sources, out, &a);
        cosign(dir, out, &b);
        let form = form(&dir.join(out));
        let job = Job::new(
            format!("co-signed {form}: co-signer trusted"),
            dir.join(out),
        )
        .trust(&[&b.public]);
        jobs.push(if form == "zip" { job.save() } else { job });
        jobs.push(Job::new(
            format!("co-signed {form}: nobody trusted"),
            dir.join(out),
        ));
    }
    jobs.push(
        Job::new(
            "co-signed zip: nobody trusted, in Chinese",
            dir.join("story/cosigned.zip"),
        )
        .lang("zh"),
    );
    for out in ["story/handed-over.zip", "story/handed-over"] {
        dir.seal(&sources, out, &a);
        dir.hand_over(out, &a, &b, "imaged and hashed");
        jobs.push(
            Job::new(
                format!("custody {}: handed over", form(&dir.join(out))),
                dir.join(out),
            )
            .trust(&[&a.public, &b.public]),
        );
    }
    for lang in ["fr", "ar"] {
        jobs.push(
            Job::new(
                format!("custody zip: handed over, in {lang}"),
                dir.join("story/handed-over.zip"),
            )
            .trust(&[&a.public, &b.public])
            .lang(lang),
        );
    }
    dir.seal(&sources, "story/backwards.zip", &a);
    dir.custody_add(
        "story/backwards.zip",
        &a,
        "note",
        &["--note", "earlier"],
        "2026-02-01T00:00:00Z",
    );
    jobs.push(
        Job::new(
            "custody zip: a time that goes backwards",
            dir.join("story/backwards.zip"),
        )
        .trust(&[&a.public]),
    );

    let disclosure = Dir::new_in(dir.mkdir("disclosure"));
    let (examiner, bundle) = crate::disclosure::sealed(&disclosure);
    for out in ["disclosed.zip", "disclosed"] {
        crate::disclosure::disclose(&disclosure, &bundle, &["evidence/mail"], out, 0);
        let out = disclosure.join(out);
        jobs.push(Job::new(format!("disclosure {}", form(&out)), &out).trust(&[&examiner.public]));
    }
    keep.push(disclosure);

    let text = dir.write("story/not-a-bundle.txt", b"just a letter\n");
    jobs.push(Job::new("not a bundle: a text file", text));
    let zip = dir.join("story/not-a-bag.zip");
    common::zip_folder(
        &dir.join("story/evidence"),
        "evidence",
        &zip,
        ::zip::CompressionMethod::Deflated,
    );
    jobs.push(Job::new("not a bundle: a zip of plain files", zip));
    jobs.push(Job::new(
        "not a bundle: a folder of plain files",
        dir.join("story/evidence"),
    ));
}

/// Trust policies that name their key files by file name (chosen among
/// the `trust` files in the page): two seal signers required.
fn policy_jobs(dir: &Dir, jobs: &mut Vec<Job>) {
    dir.write("policy/evidence/a.txt", b"alpha\n");
    let a = dir.keygen("policy/a");
    let b = dir.keygen("policy/b");
    let policy = dir.write(
        "policy/two-signers.toml",
        "version = 1\n\n[[key]]\npublic_key = \"a.pub\"\nroles = [\"seal\", \"custody\"]\n\n\
         [[key]]\npublic_key = \"b.pub\"\nroles = [\"seal\", \"custody\"]\n\n[seal]\nmin_signers = 2\n",
    );
    dir.seal(&["policy/evidence"], "policy/one.zip", &a);
    dir.seal(&["policy/evidence"], "policy/two.zip", &a);
    cosign(dir, "policy/two.zip", &b);
    dir.seal(&["policy/evidence"], "policy/two", &a);
    cosign(dir, "policy/two", &b);
    for (name, bundle) in [
        ("one signer of two", "policy/one.zip"),
        ("two signers of two", "policy/two.zip"),
        ("two signers of two, folder", "policy/two"),
    ] {
        jobs.push(
            Job::new(format!("policy: {name}"), dir.join(bundle))
                .trust(&[&a.public, &b.public])
                .policy(&policy),
        );
    }
}

/// RFC 3161 tokens from a local TSA (RSA for the seal, ECDSA for a custody
/// event), checked with the right root, none, and another root; and a
/// policy that requires a proven time, naming its TSA root by file name.
fn timestamp_jobs(dir: &Dir, jobs: &mut Vec<Job>) {
    let Some(tools) = tsa::tools(TEST) else {
        record_skip(TEST, "time-stamp cases: openssl or python3 not installed");
        return;
    };
    let pki = Pki::new(&tools);
    let server = pki.serve();
    dir.write("stamped/evidence/report.txt", b"seized\n");
    let alice = dir.keygen("stamped/alice");
    for out in [
        "stamped/stamped.zip",
        "stamped/stamped",
        "stamped/plain.zip",
    ] {
        let mut args = common::seal_args(&["stamped/evidence"], out, &alice, "A1");
        if !out.contains("plain") {
            args.extend(["--tsa".into(), server.url("rsa").into()]);
        }
        dir.run(&args, 0);
        if !out.contains("plain") {
            dir.custody_add(
                out,
                &alice,
                "note",
                &["--note", "checked", "--tsa", &server.url("ec")],
                TIME,
            );
        }
    }
    drop(server);
    let root = dir.join("stamped/tsa-root.pem");
    fs::copy(pki.ca(), &root).unwrap();
    let other = dir.join("stamped/other-root.pem");
    fs::copy(pki.other_ca(), &other).unwrap();
    for bundle in [dir.join("stamped/stamped.zip"), dir.join("stamped/stamped")] {
        let form = form(&bundle);
        jobs.push(
            Job::new(format!("time-stamped {form}: TSA root given"), &bundle)
                .trust(&[&alice.public])
                .tsa_ca(&[&root]),
        );
        jobs.push(
            Job::new(format!("time-stamped {form}: no TSA root"), &bundle).trust(&[&alice.public]),
        );
    }
    jobs.push(
        Job::new(
            "time-stamped zip: another TSA root",
            dir.join("stamped/stamped.zip"),
        )
        .trust(&[&alice.public])
        .tsa_ca(&[&other]),
    );
    // The key inline, the root by file name: the root is among the
    // `tsa-ca` files, the policy alone says the key may seal.
    let pem = fs::read_to_string(&alice.public).unwrap();
    let policy = dir.write(
        "stamped/proven-time.toml",
        format!(
            "version = 1\n\n[[key]]\npublic_key = \"\"\"\n{pem}\"\"\"\nroles = [\"seal\", \"custody\"]\n\n\
             [time]\nrequire_timestamp = true\ntsa_ca = [\"tsa-root.pem\"]\n"
        ),
    );
    for (name, bundle) in [
        ("time proven", "stamped/stamped.zip"),
        ("time not proven", "stamped/plain.zip"),
    ] {
        jobs.push(
            Job::new(format!("policy: {name}"), dir.join(bundle))
                .tsa_ca(&[&root])
                .policy(&policy),
        );
    }
}

/// A seal co-signed with an X.509 certificate, checked with its root,
/// another root, and no root.
fn certificate_jobs(keep: &mut Vec<Dir>, jobs: &mut Vec<Job>) {
    let Some((dir, ca, _key)) = crate::certificates::setup(TEST) else {
        return;
    };
    let examiner = ca.examiner("Examiner", "p256", "examiner", (0, 365), "secret");
    crate::certificates::cosign(&dir, &examiner, 0);
    let root = ca.root();
    let other = ca.other_root();
    jobs.push(Job::new("certificate: its root given", dir.join("case")).ca(&[&root]));
    jobs.push(Job::new("certificate: another root given", dir.join("case")).ca(&[&other]));
    jobs.push(Job::new("certificate: no root given", dir.join("case")));
    keep.push(dir);
}

// ------------------------------------------------------------------ test

#[test]
fn the_page_reaches_the_verdict_of_verify() {
    let Some(chromium) = tool_or_skip("chromium", TEST) else {
        return;
    };
    let Some(chromedriver) = tool_or_skip("chromedriver", TEST) else {
        return;
    };
    let Some(python) = selenium_python() else {
        skip_or_fail(
            TEST,
            "Selenium is not installed for python3 (scripts/test installs it in target/interop-venv)",
        );
        return;
    };
    let started = Instant::now();
    let dir = Dir::new();
    // Folders of their own that hold bundles, kept to the end.
    let mut keep = Vec::new();
    let mut jobs = Vec::new();
    tamper_jobs(&mut keep, &mut jobs);
    hostile_jobs(&dir.mkdir("hostile"), &mut jobs);
    markup_jobs(&dir, &mut jobs);
    story_jobs(&dir, &mut keep, &mut jobs);
    policy_jobs(&dir, &mut jobs);
    timestamp_jobs(&dir, &mut jobs);
    certificate_jobs(&mut keep, &mut jobs);
    let mut ids: Vec<&str> = jobs.iter().map(|j| j.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), jobs.len(), "job ids are unique");
    let built = started.elapsed();

    // The command line's verdicts, on two threads.
    let next = AtomicUsize::new(0);
    let verdicts: Vec<Mutex<Option<Verdict>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(job) = jobs.get(i) else { break };
                *verdicts[i].lock().unwrap() = Some(cli_verdict(dir.path(), job));
            });
        }
    });
    let expected: Vec<Verdict> = verdicts
        .into_iter()
        .map(|v| v.into_inner().unwrap().unwrap())
        .collect();
    let verified = started.elapsed();

    let page = dir.join("verify.html");
    let written = dir.output(["verifier-page", "-o", page.to_str().unwrap()]);
    assert!(
        written.status.success() && page.is_file(),
        "`exhibit verifier-page -o verify.html` did not write the page (exit {:?}), so the \
         {} verifications of the browser corpus could not be compared:\n{}",
        written.status.code(),
        jobs.len(),
        stderr(&written)
    );

    let job_file = write_file(
        &dir.join("page/jobs.json"),
        serde_json::to_vec_pretty(&jobs.iter().map(Job::to_json).collect::<Vec<_>>()).unwrap(),
    );
    let out_file = dir.join("page/results.json");
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/drive_page.py");
    let driven = Command::new(&python)
        .arg(&driver)
        .arg(&page)
        .arg(&job_file)
        .arg(&out_file)
        .arg("--chromium")
        .arg(&chromium)
        .arg("--chromedriver")
        .arg(&chromedriver)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let log = stderr(&driven);
    let results: BTreeMap<String, serde_json::Value> = fs::read(&out_file)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_else(|| panic!("the driver wrote no results ({:?}):\n{log}", driven.status));

    let mut failures = Vec::new();
    let mut table = Vec::new();
    for (job, cli) in jobs.iter().zip(&expected) {
        let Some(result) = results.get(&job.id) else {
            failures.push(format!("{}: not driven", job.id));
            continue;
        };
        let status = result["status"].as_str().unwrap_or("?");
        let report = &result["json"];
        let seen = verdict(exit_code_of(status), status, report);
        table.push(format!(
            "{:<80} cli {:<10} page {:<10} {:>6.2}s",
            job.id,
            cli.status,
            status,
            result["seconds"].as_f64().unwrap_or(0.0)
        ));
        let mut wrong = Vec::new();
        if exit_code_of(status).is_none() {
            wrong.push(format!(
                "no verdict: {}",
                result["error"].as_str().unwrap_or(status)
            ));
        } else if report.is_null() {
            wrong.push(format!(
                "#json is not JSON: {:?}",
                result["json_text"].as_str().unwrap_or("")
            ));
        } else {
            if report["status"].as_str() != Some(status) {
                wrong.push(format!(
                    "#json says {} but #verdict {status}",
                    report["status"]
                ));
            }
            if seen != *cli {
                wrong.push(format!("page {seen:?}\n      cli  {cli:?}"));
            }
        }
        let requests = result["requests"].as_array().cloned().unwrap_or_default();
        if !requests.is_empty() {
            wrong.push(format!("network requests: {requests:?}"));
        }
        let alerts = result["alerts"].as_array().cloned().unwrap_or_default();
        if !alerts.is_empty() {
            wrong.push(format!("dialogs opened: {alerts:?}"));
        }
        if !job.names_as_text.is_empty() {
            let markup = &result["markup"];
            if markup["added"] != 0 {
                wrong.push(format!("a name became markup: {markup}"));
            }
            for name in &job.names_as_text {
                if markup["found"][name] != true {
                    wrong.push(format!("{name:?} is not shown as text: {markup}"));
                }
            }
        }
        if job.save {
            wrong.extend(saved_files_differ(dir.path(), job, &result["saved"]));
        }
        if let Some(lang) = job.lang {
            let cli_line = cli_verdict_line(job, lang);
            if result["verdict"].as_str() != Some(cli_line.as_str()) {
                wrong.push(format!(
                    "verdict in {lang}: page {:?}\n      cli  {cli_line:?}",
                    result["verdict"]
                ));
            }
        }
        if !wrong.is_empty() {
            let console: Vec<&str> = result["console"]
                .as_array()
                .map(|c| c.iter().filter_map(|l| l.as_str()).take(5).collect())
                .unwrap_or_default();
            failures.push(format!(
                "{}:\n    {}{}",
                job.id,
                wrong.join("\n    "),
                if console.is_empty() {
                    String::new()
                } else {
                    format!("\n    console: {}", console.join("\n             "))
                }
            ));
        }
    }
    println!("{}", table.join("\n"));
    println!(
        "{} jobs: corpus built in {:.1}s, verified by the command line in {:.1}s, by the page in {:.1}s",
        jobs.len(),
        built.as_secs_f64(),
        (verified - built).as_secs_f64(),
        (started.elapsed() - verified).as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {} verifications in the browser differ from `exhibit verify --json`:\n{}\n\n\
         driver log:\n{log}",
        failures.len(),
        jobs.len(),
        failures.join("\n")
    );
}

/// The first line `exhibit --lang LANG verify` prints for a job, run
/// beside the bundle so that it names it as the page does (by its file
/// name).
fn cli_verdict_line(job: &Job, lang: &str) -> String {
    let mut args: Vec<std::ffi::OsString> = vec!["--lang".into(), lang.into()];
    args.extend(job.verify_args().into_iter().filter(|a| a != "--json"));
    args[3] = job.bundle.file_name().unwrap().into();
    let out = common::exhibit_command()
        .current_dir(job.bundle.parent().unwrap())
        .args(&args)
        .output()
        .unwrap();
    stdout(&out).lines().next().unwrap_or("").to_string()
}

/// The page written is the committed one, whole; an existing file or a
/// missing folder is refused (exit 2), naming it.
#[test]
fn verifier_page_writes_the_committed_page_and_refuses_to_overwrite() {
    let dir = Dir::new();
    let written = dir.run(["verifier-page", "-o", "verify.html"], 0);
    let sha256 = |bytes: &[u8]| hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes));
    let committed =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("web/verify.html")).unwrap();
    let page = fs::read(dir.join("verify.html")).unwrap();
    assert_eq!(sha256(&page), sha256(&committed), "not the committed page");
    assert!(
        stdout(&written).contains(&sha256(&committed)),
        "{}",
        stdout(&written)
    );

    let again = dir.run(["verifier-page", "-o", "verify.html"], 2);
    assert!(stderr(&again).contains("verify.html"), "{}", stderr(&again));
    let nowhere = dir.run(["verifier-page", "-o", "missing/verify.html"], 2);
    assert!(
        stderr(&nowhere).contains("missing: no such folder"),
        "{}",
        stderr(&nowhere)
    );
}

/// What "Save JSON" and "Save report" wrote, against the command line: the
/// JSON `verify --json` prints (the bundle named as chosen, plus what ran
/// the check), and the court report with the SHA-256 of the zip as received.
fn saved_files_differ(dir: &Path, job: &Job, saved: &serde_json::Value) -> Vec<String> {
    let mut wrong = Vec::new();
    let read = |key: &str| saved[key].as_str().and_then(|path| fs::read(path).ok());
    let (Some(json), Some(report)) = (read("json"), read("report")) else {
        return vec![format!("Save JSON and Save report wrote: {saved}")];
    };
    let mut page: serde_json::Value = serde_json::from_slice(&json).unwrap_or_default();
    let cli = exhibit_command()
        .current_dir(dir)
        .args(job.verify_args())
        .output()
        .unwrap();
    let mut cli: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap_or_default();
    let checked_by = page
        .as_object_mut()
        .and_then(|o| o.remove("checked_by"))
        .unwrap_or_default();
    if checked_by["module_sha256"].as_str().map(str::len) != Some(64) {
        wrong.push(format!(
            "the saved JSON does not say what ran: {checked_by}"
        ));
    }
    for report in [&mut page, &mut cli] {
        if let Some(object) = report.as_object_mut() {
            object.remove("bundle");
        }
    }
    if page != cli {
        wrong.push("the saved JSON is not what verify --json prints".to_string());
    }
    let zip = fs::read(&job.bundle).unwrap();
    let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&zip));
    let report = String::from_utf8_lossy(&report);
    if !report.contains(&sha256) || !report.contains("Verification report") {
        wrong.push("the saved report does not give the zip's SHA-256 as received".to_string());
    }
    wrong
}
