//! The tamper corpus: every single change to the payload, the manifests,
//! bag-info, the seal statement, its signatures or the custody log is a
//! verification failure (exit 1) that names the problem and the file.
//!
//! Each case states its mutation and the problems it must produce. It runs
//! on a fresh copy of one good bundle per form: a directory (files edited in
//! place) and a zip (rewritten with the zip library: every entry copied,
//! one replaced, dropped or added).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{
    self, copy_tree, read_bag_files, read_zip_bag, rewrite_zip_bag, write_bag_files, Dir,
};
use base64::Engine as _;

const A: &str = "data/evidence/a.txt";
const B: &str = "data/evidence/sub dir/b.bin";
const SEAL: &str = "exhibit/seal.json";
const EVENT: &str = "exhibit/custody/000001.json";
const EVENT_SIG: &str = "exhibit/custody/000001.sig";
/// Stands for the seal signature record, `exhibit/signatures/<key id>.json`.
const SIG: &str = "{sig}";

/// The bag's files as `bag path -> bytes`, with what mutations need.
struct Bag {
    files: BTreeMap<String, Vec<u8>>,
    /// Path of the seal signature record.
    sig: String,
    /// SPKI PEM of a key that did not sign.
    other_public_pem: String,
}

impl Bag {
    fn text(&self, name: &str) -> String {
        let name = self.resolve(name);
        String::from_utf8(self.files[&name].clone()).unwrap()
    }

    fn resolve(&self, name: &str) -> String {
        name.replace(SIG, &self.sig)
    }

    fn set(&mut self, name: &str, bytes: impl Into<Vec<u8>>) {
        let name = self.resolve(name);
        self.files.insert(name, bytes.into());
    }

    fn remove(&mut self, name: &str) {
        let name = self.resolve(name);
        assert!(self.files.remove(&name).is_some(), "{name} not in the bag");
    }

    fn rename(&mut self, from: &str, to: &str) {
        let from = self.resolve(from);
        let bytes = self.files.remove(&from).expect("file to rename");
        self.set(to, bytes);
    }

    /// Replaces exactly one occurrence of `from` in a text file.
    fn replace(&mut self, name: &str, from: &str, to: &str) {
        let text = self.text(name);
        assert_eq!(text.matches(from).count(), 1, "{from:?} in {name}");
        self.set(name, text.replacen(from, to, 1));
    }

    /// The manifest line of `path` in a manifest file.
    fn line_of(&self, manifest: &str, path: &str) -> String {
        let suffix = format!("  {path}");
        self.text(manifest)
            .lines()
            .find(|l| l.ends_with(&suffix))
            .unwrap_or_else(|| panic!("{path} not in {manifest}"))
            .to_string()
    }

    /// Changes the first hex digit of `path`'s digest in a manifest.
    fn edit_digest(&mut self, manifest: &str, path: &str) {
        let line = self.line_of(manifest, path);
        let first = if line.starts_with('0') { "1" } else { "0" };
        let edited = format!("{first}{}", &line[1..]);
        self.replace(manifest, &format!("{line}\n"), &format!("{edited}\n"));
    }

    /// Rewrites a JSON document, keeping the pretty layout `exhibit` uses.
    fn edit_json(&mut self, name: &str, edit: impl FnOnce(&mut serde_json::Value)) {
        let mut value: serde_json::Value = serde_json::from_str(&self.text(name)).unwrap();
        edit(&mut value);
        let mut bytes = serde_json::to_vec_pretty(&value).unwrap();
        bytes.push(b'\n');
        self.set(name, bytes);
    }
}

/// One tamper case: a mutation and the problems it must produce, each as
/// (acceptable codes, path); the path `""` means "no path".
struct Case {
    name: &'static str,
    mutate: fn(&mut Bag),
    expect: &'static [(&'static [&'static str], &'static str)],
}

const CASES: &[Case] = &[
    // ---- payload
    Case {
        name: "payload byte flipped",
        mutate: |bag| {
            let mut bytes = bag.files[B].clone();
            bytes[100] ^= 0x80;
            bag.set(B, bytes);
        },
        expect: &[
            (&["payload.digest-mismatch"], B),
            (&["seal.merkle-mismatch"], SEAL),
        ],
    },
    Case {
        name: "payload file deleted",
        mutate: |bag| bag.remove(A),
        expect: &[
            (&["payload.missing"], A),
            (&["bag.oxum-mismatch"], "bag-info.txt"),
            (&["seal.payload-mismatch"], SEAL),
        ],
    },
    Case {
        name: "extra payload file",
        mutate: |bag| bag.set("data/evidence/planted.txt", "planted\n"),
        expect: &[
            (&["payload.unlisted"], "data/evidence/planted.txt"),
            (&["bag.oxum-mismatch"], "bag-info.txt"),
            (&["seal.payload-mismatch"], SEAL),
        ],
    },
    Case {
        name: "extra empty payload file in a new folder",
        mutate: |bag| bag.set("data/evidence/new folder/empty", ""),
        expect: &[(&["payload.unlisted"], "data/evidence/new folder/empty")],
    },
    Case {
        name: "payload file renamed",
        mutate: |bag| bag.rename(A, "data/evidence/renamed.txt"),
        expect: &[
            (&["payload.missing"], A),
            (&["payload.unlisted"], "data/evidence/renamed.txt"),
            (&["seal.merkle-mismatch"], SEAL),
        ],
    },
    Case {
        name: "payload file truncated",
        mutate: |bag| {
            let bytes = bag.files[B][..4000].to_vec();
            bag.set(B, bytes);
        },
        expect: &[
            (&["payload.digest-mismatch"], B),
            (&["bag.oxum-mismatch"], "bag-info.txt"),
            (&["seal.payload-mismatch"], SEAL),
        ],
    },
    Case {
        name: "payload file emptied",
        mutate: |bag| bag.set(A, ""),
        expect: &[(&["payload.digest-mismatch"], A)],
    },
    // ---- manifests
    Case {
        name: "manifest-sha256 digest edited",
        mutate: |bag| bag.edit_digest("manifest-sha256.txt", A),
        expect: &[
            (&["payload.digest-mismatch"], A),
            (&["seal.tag-digest-mismatch"], "manifest-sha256.txt"),
        ],
    },
    Case {
        name: "manifest-sha256 line removed",
        mutate: |bag| {
            let line = bag.line_of("manifest-sha256.txt", A);
            bag.replace("manifest-sha256.txt", &format!("{line}\n"), "");
        },
        expect: &[
            (&["payload.unlisted"], A),
            (&["seal.tag-digest-mismatch"], "manifest-sha256.txt"),
        ],
    },
    Case {
        name: "manifest-sha256 lists a file outside data/",
        mutate: |bag| {
            let mut text = bag.text("manifest-sha256.txt");
            text.push_str(&format!("{}  ../outside.txt\n", "ab".repeat(32)));
            bag.set("manifest-sha256.txt", text);
        },
        expect: &[
            (&["path.unsafe"], "../outside.txt"),
            (&["seal.tag-digest-mismatch"], "manifest-sha256.txt"),
        ],
    },
    Case {
        name: "manifest-sha256 unparseable",
        mutate: |bag| {
            let mut text = bag.text("manifest-sha256.txt");
            text.push_str("not a manifest line\n");
            bag.set("manifest-sha256.txt", text);
        },
        expect: &[
            (&["bag.manifest-invalid"], "manifest-sha256.txt"),
            (&["seal.tag-digest-mismatch"], "manifest-sha256.txt"),
        ],
    },
    Case {
        name: "manifest-sha256 deleted",
        mutate: |bag| bag.remove("manifest-sha256.txt"),
        expect: &[
            (&["bag.no-manifest"], ""),
            (&["seal.tag-digest-mismatch"], "manifest-sha256.txt"),
        ],
    },
    Case {
        name: "blake3 manifest digest edited",
        mutate: |bag| bag.edit_digest("exhibit/manifest-blake3.txt", A),
        expect: &[
            (&["payload.digest-mismatch"], A),
            (&["seal.tag-digest-mismatch"], "exhibit/manifest-blake3.txt"),
        ],
    },
    Case {
        name: "blake3 manifest line removed",
        mutate: |bag| {
            let line = bag.line_of("exhibit/manifest-blake3.txt", B);
            bag.replace("exhibit/manifest-blake3.txt", &format!("{line}\n"), "");
        },
        expect: &[
            (&["payload.unlisted"], B),
            (&["seal.tag-digest-mismatch"], "exhibit/manifest-blake3.txt"),
        ],
    },
    Case {
        name: "blake3 manifest deleted",
        mutate: |bag| bag.remove("exhibit/manifest-blake3.txt"),
        expect: &[(&["seal.missing"], "exhibit/manifest-blake3.txt")],
    },
    Case {
        name: "tag manifest with a wrong digest added",
        mutate: |bag| {
            let line = format!("{}  bagit.txt\n", "0".repeat(64));
            bag.set("tagmanifest-sha256.txt", line);
        },
        expect: &[(&["bag.tag-mismatch"], "bagit.txt")],
    },
    // ---- bag declaration and bag-info
    Case {
        name: "bag-info label value changed",
        mutate: |bag| {
            bag.replace(
                "bag-info.txt",
                "Contact-Name: signer examiner\n",
                "Contact-Name: someone else\n",
            )
        },
        expect: &[(&["seal.tag-digest-mismatch"], "bag-info.txt")],
    },
    Case {
        name: "bag-info label added",
        mutate: |bag| {
            let mut text = bag.text("bag-info.txt");
            text.push_str("Internal-Sender-Description: added later\n");
            bag.set("bag-info.txt", text);
        },
        expect: &[(&["seal.tag-digest-mismatch"], "bag-info.txt")],
    },
    Case {
        name: "Payload-Oxum changed",
        mutate: |bag| {
            let text = bag.text("bag-info.txt");
            let line = text
                .lines()
                .find(|l| l.starts_with("Payload-Oxum: "))
                .unwrap()
                .to_string();
            let (bytes, count) = line["Payload-Oxum: ".len()..].split_once('.').unwrap();
            let bytes: u64 = bytes.parse().unwrap();
            let edited = format!("Payload-Oxum: {}.{count}", bytes + 1);
            bag.replace("bag-info.txt", &line, &edited);
        },
        expect: &[
            (&["bag.oxum-mismatch"], "bag-info.txt"),
            (&["seal.tag-digest-mismatch"], "bag-info.txt"),
        ],
    },
    Case {
        name: "bag-info deleted",
        mutate: |bag| bag.remove("bag-info.txt"),
        expect: &[
            (&["bag.bag-info"], "bag-info.txt"),
            (&["seal.tag-digest-mismatch"], "bag-info.txt"),
        ],
    },
    Case {
        name: "bagit.txt version changed to 2.0",
        mutate: |bag| bag.replace("bagit.txt", "BagIt-Version: 1.0", "BagIt-Version: 2.0"),
        expect: &[(&["bag.declaration"], "bagit.txt")],
    },
    Case {
        name: "fetch.txt added",
        mutate: |bag| {
            bag.set(
                "fetch.txt",
                "https://example.invalid/x 5 data/evidence/x.txt\n",
            )
        },
        expect: &[(&["bag.fetch"], "fetch.txt")],
    },
    // ---- seal statement
    Case {
        name: "seal.json case_id changed",
        mutate: |bag| {
            bag.replace(
                SEAL,
                "\"case_id\": \"CASE-2026-042\"",
                "\"case_id\": \"CASE-2026-043\"",
            )
        },
        expect: &[(&["signature.bad"], SIG), (&["custody.link"], EVENT)],
    },
    Case {
        name: "seal.json file count changed",
        mutate: |bag| bag.edit_json(SEAL, |v| v["payload"]["file_count"] = 2.into()),
        expect: &[
            (&["seal.payload-mismatch"], SEAL),
            (&["signature.bad"], SIG),
        ],
    },
    Case {
        name: "seal.json manifest digest changed",
        mutate: |bag| {
            bag.edit_json(SEAL, |v| {
                v["tag_digests"]["manifest-sha256.txt"] = "0".repeat(64).into()
            })
        },
        expect: &[
            (&["seal.tag-digest-mismatch"], "manifest-sha256.txt"),
            (&["signature.bad"], SIG),
        ],
    },
    Case {
        name: "seal.json Merkle root changed",
        mutate: |bag| {
            bag.edit_json(SEAL, |v| {
                v["payload"]["merkle_root"] = "1".repeat(64).into()
            })
        },
        expect: &[(&["seal.merkle-mismatch"], SEAL), (&["signature.bad"], SIG)],
    },
    Case {
        name: "seal.json replaced by invalid JSON",
        mutate: |bag| bag.set(SEAL, "{\"type\": \"exhibit.seal/2\", \n"),
        expect: &[(&["seal.invalid"], SEAL), (&["signature.bad"], SIG)],
    },
    Case {
        name: "seal.json type changed",
        mutate: |bag| {
            bag.replace(
                SEAL,
                "\"type\": \"exhibit.seal/2\"",
                "\"type\": \"exhibit.custody-event/1\"",
            )
        },
        expect: &[(&["seal.invalid"], SEAL), (&["signature.bad"], SIG)],
    },
    Case {
        name: "seal.json format version changed",
        mutate: |bag| {
            bag.replace(
                SEAL,
                "\"type\": \"exhibit.seal/2\"",
                "\"type\": \"exhibit.seal/3\"",
            )
        },
        expect: &[(&["seal.invalid"], SEAL)],
    },
    Case {
        name: "seal.json with an unknown field",
        mutate: |bag| bag.edit_json(SEAL, |v| v["planted"] = "x".into()),
        expect: &[(&["seal.invalid"], SEAL), (&["signature.bad"], SIG)],
    },
    Case {
        name: "seal.json deleted",
        mutate: |bag| bag.remove(SEAL),
        expect: &[(&["seal.missing"], SEAL)],
    },
    // ---- seal signatures
    Case {
        name: "signature record deleted",
        mutate: |bag| bag.remove(SIG),
        expect: &[(&["signature.none"], "exhibit/signatures")],
    },
    Case {
        name: "signature bytes altered",
        mutate: |bag| {
            bag.edit_json(SIG, |v| {
                let mut raw = base64::engine::general_purpose::STANDARD
                    .decode(v["signature"].as_str().unwrap())
                    .unwrap();
                raw[5] ^= 0x01;
                v["signature"] = base64::engine::general_purpose::STANDARD.encode(raw).into();
            })
        },
        expect: &[(&["signature.bad"], SIG)],
    },
    Case {
        name: "signature not 64 bytes",
        mutate: |bag| bag.edit_json(SIG, |v| v["signature"] = "AAAA".into()),
        expect: &[(&["signature.bad", "signature.invalid"], SIG)],
    },
    Case {
        name: "signature record's public key swapped for another key",
        mutate: |bag| {
            let pem = bag.other_public_pem.clone();
            bag.edit_json(SIG, |v| v["public_key"] = pem.into())
        },
        expect: &[(&["signature.bad", "signature.invalid"], SIG)],
    },
    Case {
        name: "signature record unparseable",
        mutate: |bag| bag.set(SIG, "not json\n"),
        expect: &[(&["signature.invalid"], SIG)],
    },
    Case {
        name: "signature record of the wrong type",
        mutate: |bag| bag.replace(SIG, "exhibit.signature/1", "exhibit.seal/1"),
        expect: &[(&["signature.invalid"], SIG)],
    },
    Case {
        name: "signature file renamed",
        mutate: |bag| bag.rename(SIG, "exhibit/signatures/renamed.json"),
        expect: &[(&["signature.invalid"], "exhibit/signatures/renamed.json")],
    },
    Case {
        name: "custody event signature replayed as the seal signature",
        mutate: |bag| {
            let custody_sig = bag.files[EVENT_SIG].clone();
            bag.set(SIG, custody_sig);
        },
        expect: &[(&["signature.bad", "signature.invalid"], SIG)],
    },
    // ---- custody log
    Case {
        name: "custody 000001.json edited",
        mutate: |bag| {
            bag.replace(
                EVENT,
                "\"name\": \"signer examiner\"",
                "\"name\": \"someone else\"",
            )
        },
        expect: &[(&["custody.signature"], EVENT_SIG)],
    },
    Case {
        name: "custody 000001.json points at another seal",
        mutate: |bag| bag.edit_json(EVENT, |v| v["seal_sha256"] = "2".repeat(64).into()),
        expect: &[
            (&["custody.link"], EVENT),
            (&["custody.signature"], EVENT_SIG),
        ],
    },
    Case {
        name: "custody 000001.sig deleted",
        mutate: |bag| bag.remove(EVENT_SIG),
        expect: &[(&["custody.signature"], EVENT_SIG)],
    },
    Case {
        name: "custody 000001.sig replaced by the seal signature",
        mutate: |bag| {
            let seal_sig = bag.files[&bag.sig].clone();
            bag.set(EVENT_SIG, seal_sig);
        },
        expect: &[(&["custody.signature"], EVENT_SIG)],
    },
    Case {
        name: "custody event after a gap",
        mutate: |bag| {
            let event = bag.files[EVENT].clone();
            bag.set("exhibit/custody/000003.json", event);
        },
        expect: &[(&["custody.invalid"], "exhibit/custody/000002.json")],
    },
    Case {
        name: "custody log deleted",
        mutate: |bag| {
            bag.remove(EVENT);
            bag.remove(EVENT_SIG);
        },
        expect: &[(&["custody.invalid"], "exhibit/custody")],
    },
    // ---- the exhibit/ folder
    Case {
        name: "unexpected file under exhibit/",
        mutate: |bag| bag.set("exhibit/notes.txt", "planted\n"),
        expect: &[(&["seal.unexpected-file"], "exhibit/notes.txt")],
    },
    Case {
        name: "unexpected file under exhibit/signatures/",
        mutate: |bag| bag.set("exhibit/signatures/README", "planted\n"),
        expect: &[(&["seal.unexpected-file"], "exhibit/signatures/README")],
    },
];

/// Which form a bundle has, and how to make a tampered copy of it.
#[derive(Clone, Copy, Debug)]
enum Form {
    Directory,
    Zip,
}

/// One good bundle, its signer, and what the cases need.
struct Fixture {
    dir: Dir,
    form: Form,
    bundle: PathBuf,
    bag: Bag,
    /// What the untouched bundle verifies to: 0 for a sealed bundle whose
    /// signer is trusted, 3 for a plain bag (intact, nobody signed it).
    control: (i32, &'static str),
}

fn fixture(form: Form) -> Fixture {
    let dir = Dir::new();
    dir.write("evidence/a.txt", b"alpha\n");
    dir.write("evidence/sub dir/b.bin", common::content(5000, 7));
    dir.write("evidence/sub dir/c.txt", b"");
    let key = dir.keygen("signer");
    let other = dir.keygen("other");
    let out = match form {
        Form::Directory => "good/bundle",
        Form::Zip => "good/bundle.zip",
    };
    dir.mkdir("good");
    let bundle = dir.seal(&["evidence"], out, &key);
    let files = match form {
        Form::Directory => read_bag_files(&bundle),
        Form::Zip => read_zip_bag(&bundle).1,
    };
    let bag = Bag {
        files,
        sig: format!("exhibit/signatures/{}.json", key.id),
        other_public_pem: std::fs::read_to_string(&other.public).unwrap(),
    };
    Fixture {
        dir,
        form,
        bundle,
        bag,
        control: (0, "verified"),
    }
}

impl Fixture {
    /// A copy of the good bundle with the bag's files made equal to `files`.
    fn copy_with(&self, label: &str, files: &BTreeMap<String, Vec<u8>>) -> PathBuf {
        let parent = self.dir.mkdir(label);
        match self.form {
            Form::Directory => {
                let copy = parent.join("bundle");
                copy_tree(&self.bundle, &copy);
                write_bag_files(&copy, files);
                copy
            }
            Form::Zip => {
                let copy = parent.join("bundle.zip");
                rewrite_zip_bag(&self.bundle, &copy, files);
                copy
            }
        }
    }

    /// Runs `verify --json --trust signer.pub`; returns the exit code and
    /// the report.
    fn verify(&self, bundle: &Path) -> (Option<i32>, serde_json::Value, String) {
        let output = self
            .dir
            .exhibit()
            .args(["verify", "--json", "--trust", "signer.pub"])
            .arg(bundle)
            .output()
            .unwrap();
        let err = common::stderr(&output);
        let report = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
        (output.status.code(), report, err)
    }

    /// A fresh copy of the good bundle with one case applied (in the
    /// folder `case-NN`), and the bag as changed.
    fn tampered(&self, index: usize, case: &Case) -> (PathBuf, Bag) {
        let mut bag = Bag {
            files: self.bag.files.clone(),
            sig: self.bag.sig.clone(),
            other_public_pem: self.bag.other_public_pem.clone(),
        };
        (case.mutate)(&mut bag);
        assert!(bag.files != self.bag.files, "{}: no change", case.name);
        (self.copy_with(&format!("case-{index:02}"), &bag.files), bag)
    }

    /// Applies one case to a fresh copy; returns what went wrong, if anything.
    fn check(&self, index: usize, case: &Case) -> Option<String> {
        let (copy, bag) = self.tampered(index, case);
        let (code, report, stderr) = self.verify(&copy);
        let mut wrong = Vec::new();
        if stderr.contains("panicked") {
            wrong.push("panicked".to_string());
        }
        if code != Some(1) {
            wrong.push(format!("exit {code:?}, expected 1"));
        }
        if report["status"] != "failed" || report["verified"] != false {
            wrong.push(format!(
                "status {} verified {}",
                report["status"], report["verified"]
            ));
        }
        let found = if report.is_null() {
            vec![]
        } else {
            common::problems(&report)
        };
        for (codes, path) in case.expect {
            let path = bag.resolve(path);
            let hit = found
                .iter()
                .any(|(c, p)| codes.contains(&c.as_str()) && p.as_deref().unwrap_or("") == path);
            if !hit {
                wrong.push(format!("no {codes:?} at {path:?}"));
            }
        }
        // Every problem line on stderr names its code.
        for (code, _) in &found {
            if !stderr.contains(code.as_str()) {
                wrong.push(format!("{code} not on stderr"));
            }
        }
        if wrong.is_empty() {
            None
        } else {
            Some(format!(
                "{:?} / {}: {}\n    problems: {found:?}",
                self.form,
                case.name,
                wrong.join("; ")
            ))
        }
    }
}

fn run_corpus(fixture: &Fixture, cases: &[Case]) {
    // Control: the same copying without a change verifies as before, so
    // every failure below comes from the mutation, not from the harness.
    let copy = fixture.copy_with("control", &fixture.bag.files);
    let (code, report, stderr) = fixture.verify(&copy);
    let (control_code, control_status) = fixture.control;
    assert_eq!(
        code,
        Some(control_code),
        "{:?} control copy: {report}\n{stderr}",
        fixture.form
    );
    assert_eq!(report["status"], control_status);

    let failures: Vec<String> = cases
        .iter()
        .enumerate()
        .filter_map(|(i, case)| fixture.check(i, case))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} tamper cases not detected as stated:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The tamper corpus as bundles on disk, for checks that read the same
/// bundles another way (the browser verifier): the folder holding them,
/// the signer's public key, and (name, bundle) for the untouched control
/// copy and then every case; `plain` for the plain BagIt bag cases.
pub(crate) fn corpus(zip: bool, plain: bool) -> (Dir, PathBuf, Vec<(&'static str, PathBuf)>) {
    let form = if zip { Form::Zip } else { Form::Directory };
    let (fixture, cases) = if plain {
        (plain_fixture(form), PLAIN_CASES)
    } else {
        (fixture(form), CASES)
    };
    let mut bundles = vec![("control", fixture.copy_with("control", &fixture.bag.files))];
    for (index, case) in cases.iter().enumerate() {
        bundles.push((case.name, fixture.tampered(index, case).0));
    }
    let signer = fixture.dir.join("signer.pub");
    (fixture.dir, signer, bundles)
}

#[test]
fn tamper_corpus_directory_bundle() {
    run_corpus(&fixture(Form::Directory), CASES);
}

#[test]
fn tamper_corpus_zip_bundle() {
    run_corpus(&fixture(Form::Zip), CASES);
}

#[test]
fn case_names_are_unique() {
    for cases in [CASES, PLAIN_CASES] {
        let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), cases.len());
    }
}

// ---------------------------------------------------- plain BagIt bags ---

/// `<hex digest>  <path>` lines over the given files.
fn manifest_lines<D: sha2::Digest>(files: &BTreeMap<String, Vec<u8>>) -> String {
    files
        .iter()
        .map(|(name, bytes)| format!("{}  {name}\n", hex::encode(D::digest(bytes))))
        .collect()
}

/// A plain BagIt 1.0 bag, as another tool would write it: SHA-256 and MD5
/// payload manifests, Payload-Oxum, a SHA-256 tag manifest, no `exhibit/`.
fn plain_bag_files() -> BTreeMap<String, Vec<u8>> {
    let payload: BTreeMap<String, Vec<u8>> = [
        ("data/report.txt", b"first report\n".to_vec()),
        ("data/nested/log.bin", common::content(7000, 5)),
        ("data/nested/empty.txt", Vec::new()),
    ]
    .into_iter()
    .map(|(n, b)| (n.to_string(), b))
    .collect();
    let bytes: usize = payload.values().map(Vec::len).sum();
    let mut files = payload.clone();
    files.insert(
        "bagit.txt".into(),
        b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_vec(),
    );
    files.insert(
        "bag-info.txt".into(),
        format!(
            "Payload-Oxum: {bytes}.{}\nBagging-Date: 2026-11-22\nContact-Name: someone\n",
            payload.len()
        )
        .into_bytes(),
    );
    files.insert(
        "manifest-sha256.txt".into(),
        manifest_lines::<sha2::Sha256>(&payload).into_bytes(),
    );
    files.insert(
        "manifest-md5.txt".into(),
        manifest_lines::<md5::Md5>(&payload).into_bytes(),
    );
    let tags: BTreeMap<String, Vec<u8>> = files
        .iter()
        .filter(|(n, _)| !n.starts_with("data/"))
        .map(|(n, b)| (n.clone(), b.clone()))
        .collect();
    files.insert(
        "tagmanifest-sha256.txt".into(),
        manifest_lines::<sha2::Sha256>(&tags).into_bytes(),
    );
    files
}

fn plain_fixture(form: Form) -> Fixture {
    let dir = Dir::new();
    dir.keygen("signer");
    let files = plain_bag_files();
    let root = dir.mkdir("good/bag");
    write_bag_files(&root, &files);
    let bundle = match form {
        Form::Directory => root,
        Form::Zip => {
            // Deflated, with folder entries, as ordinary zip tools write.
            let zip = dir.join("good/bag.zip");
            common::zip_folder(&root, "bag", &zip, zip::CompressionMethod::Deflated);
            zip
        }
    };
    Fixture {
        dir,
        form,
        bundle,
        bag: Bag {
            files,
            sig: String::new(),
            other_public_pem: String::new(),
        },
        control: (3, "untrusted"),
    }
}

/// Cases for bags made by other tools: `exhibit verify` is a strict BagIt
/// validator. A sealed bundle's tag manifests are not listed here: these
/// are the checks a plain bag relies on alone.
const PLAIN_CASES: &[Case] = &[
    Case {
        name: "payload byte flipped",
        mutate: |bag| bag.replace("data/report.txt", "first", "First"),
        expect: &[(&["payload.digest-mismatch"], "data/report.txt")],
    },
    Case {
        name: "payload file deleted",
        mutate: |bag| bag.remove("data/nested/empty.txt"),
        expect: &[
            (&["payload.missing"], "data/nested/empty.txt"),
            (&["bag.oxum-mismatch"], "bag-info.txt"),
        ],
    },
    Case {
        name: "extra payload file",
        mutate: |bag| bag.set("data/planted.txt", "planted\n"),
        expect: &[(&["payload.unlisted"], "data/planted.txt")],
    },
    Case {
        name: "file missing from the second manifest only",
        mutate: |bag| {
            let line = bag.line_of("manifest-md5.txt", "data/report.txt");
            bag.replace("manifest-md5.txt", &format!("{line}\n"), "");
        },
        expect: &[
            (&["payload.unlisted"], "data/report.txt"),
            (&["bag.tag-mismatch"], "manifest-md5.txt"),
        ],
    },
    Case {
        name: "md5 digest edited",
        mutate: |bag| bag.edit_digest("manifest-md5.txt", "data/nested/log.bin"),
        expect: &[
            (&["payload.digest-mismatch"], "data/nested/log.bin"),
            (&["bag.tag-mismatch"], "manifest-md5.txt"),
        ],
    },
    Case {
        name: "manifest lists a file that is not there",
        mutate: |bag| {
            let mut text = bag.text("manifest-sha256.txt");
            text.push_str(&format!("{}  data/ghost.txt\n", "cd".repeat(32)));
            bag.set("manifest-sha256.txt", text);
        },
        expect: &[(&["payload.missing"], "data/ghost.txt")],
    },
    Case {
        name: "manifest lists a path outside data/",
        mutate: |bag| {
            let mut text = bag.text("manifest-sha256.txt");
            text.push_str(&format!("{}  data/../../etc/passwd\n", "cd".repeat(32)));
            bag.set("manifest-sha256.txt", text);
        },
        expect: &[(&["path.unsafe"], "data/../../etc/passwd")],
    },
    Case {
        name: "manifest of an unknown algorithm",
        mutate: |bag| bag.set("manifest-whirlpool9.txt", "00  data/report.txt\n"),
        expect: &[(&["bag.manifest-unsupported"], "manifest-whirlpool9.txt")],
    },
    Case {
        name: "Payload-Oxum changed",
        mutate: |bag| bag.replace("bag-info.txt", "Payload-Oxum: ", "Payload-Oxum: 1"),
        expect: &[
            (&["bag.oxum-mismatch"], "bag-info.txt"),
            (&["bag.tag-mismatch"], "bag-info.txt"),
        ],
    },
    Case {
        name: "tag file changed under its tag manifest",
        mutate: |bag| bag.replace("bag-info.txt", "someone", "someone else"),
        expect: &[(&["bag.tag-mismatch"], "bag-info.txt")],
    },
    Case {
        name: "tag manifest lists a missing tag file",
        mutate: |bag| {
            let mut text = bag.text("tagmanifest-sha256.txt");
            text.push_str(&format!("{}  gone.txt\n", "ef".repeat(32)));
            bag.set("tagmanifest-sha256.txt", text);
        },
        expect: &[(&["bag.tag-mismatch"], "gone.txt")],
    },
    Case {
        name: "declaration without its encoding line",
        mutate: |bag| bag.replace("bagit.txt", "Tag-File-Character-Encoding: UTF-8\n", ""),
        expect: &[(&["bag.declaration"], "bagit.txt")],
    },
    Case {
        name: "every payload manifest deleted",
        mutate: |bag| {
            bag.remove("manifest-sha256.txt");
            bag.remove("manifest-md5.txt");
        },
        expect: &[(&["bag.no-manifest"], "")],
    },
    Case {
        name: "fetch.txt added",
        mutate: |bag| bag.set("fetch.txt", "https://example.invalid/x 5 data/x.txt\n"),
        expect: &[(&["bag.fetch"], "fetch.txt")],
    },
];

#[test]
fn tamper_corpus_plain_bag_directory() {
    run_corpus(&plain_fixture(Form::Directory), PLAIN_CASES);
}

#[test]
fn tamper_corpus_plain_bag_zip() {
    run_corpus(&plain_fixture(Form::Zip), PLAIN_CASES);
}
