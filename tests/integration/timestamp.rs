//! RFC 3161 trusted time, end to end with real components: tokens made by
//! `openssl ts -reply` for a test CA, behind an HTTP server on 127.0.0.1
//! that each test starts and stops; checked by `exhibit verify` and, for
//! every token, by `openssl ts -verify` too, which must agree.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use base64::Engine as _;
use sha2::Digest as _;

use crate::common::tsa::{self, Pki, TsaServer};
use crate::common::{
    self, copy_tree, read_bag_files, read_tree, read_zip_bag, stderr, stdout, Dir, Key, TIME,
};

/// A folder with evidence, two keys, a PKI and a running TSA.
struct Lab {
    dir: Dir,
    pki: Pki,
    server: TsaServer,
    alice: Key,
    bob: Key,
}

fn lab(test: &str) -> Option<Lab> {
    let tools = tsa::tools(test)?;
    let pki = Pki::new(&tools);
    let server = pki.serve();
    let dir = Dir::new();
    dir.write("evidence/report.txt", b"seized on 2026-11-21\n");
    dir.write("evidence/disk/sector0.bin", common::content(4096, 7));
    let alice = dir.keygen("alice");
    let bob = dir.keygen("bob");
    Some(Lab {
        dir,
        pki,
        server,
        alice,
        bob,
    })
}

fn args<I, S>(items: I) -> Vec<OsString>
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    items.into_iter().map(Into::into).collect()
}

impl Lab {
    fn seal(&self, out: &str, extra: &[&str]) -> Output {
        self.seal_expect(out, extra, 0)
    }

    fn seal_expect(&self, out: &str, extra: &[&str], code: i32) -> Output {
        let mut a = args([
            "seal",
            "evidence",
            "-o",
            out,
            "--case",
            "CASE-7",
            "--exhibit",
            "A1",
            "--time",
            TIME,
            "--key",
        ]);
        a.push(self.alice.secret.clone().into());
        a.extend(args(extra.iter().copied()));
        self.dir.run(&a, code)
    }

    fn sign(&self, out: &str, extra: &[&str], code: i32) -> Output {
        let mut a = args(["sign", out, "--time", TIME, "--key"]);
        a.push(self.bob.secret.clone().into());
        a.extend(args(extra.iter().copied()));
        self.dir.run(&a, code)
    }

    fn note(&self, out: &str, extra: &[&str], code: i32) -> Output {
        let mut a = args([
            "custody", "add", out, "--action", "note", "--note", "checked", "--time", TIME, "--key",
        ]);
        a.push(self.alice.secret.clone().into());
        a.extend(args(extra.iter().copied()));
        self.dir.run(&a, code)
    }

    /// `verify BUNDLE --json --trust alice [--tsa-ca CA]`: the report and
    /// what was printed on stderr.
    fn verify(&self, bundle: &Path, ca: Option<&Path>, code: i32) -> (serde_json::Value, String) {
        let mut a = args([
            "verify".into(),
            bundle.as_os_str().to_owned(),
            "--json".into(),
        ]);
        a.push("--trust".into());
        a.push(self.alice.public.clone().into());
        if let Some(ca) = ca {
            a.push("--tsa-ca".into());
            a.push(ca.into());
        }
        let output = self.dir.run(&a, code);
        let report = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("no JSON ({e}): {}", stdout(&output)));
        (report, stderr(&output))
    }
}

/// The files of a folder or zip bundle, by bag path.
fn bag(path: &Path) -> BTreeMap<String, Vec<u8>> {
    if path.extension().is_some_and(|e| e == "zip") {
        read_zip_bag(path).1
    } else {
        read_bag_files(path)
    }
}

/// Hex SHA-256 of the raw signature bytes of a signature record: the
/// digest a token covers, as `openssl ts -verify -digest` takes it.
fn signature_digest(record: &[u8]) -> String {
    let record: serde_json::Value = serde_json::from_slice(record).unwrap();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(record["signature"].as_str().unwrap())
        .unwrap();
    assert_eq!(raw.len(), 64);
    hex::encode(sha2::Sha256::digest(&raw))
}

/// The signature record a token file covers.
fn record_of(token: &str) -> String {
    if let Some(id) = token
        .strip_prefix("exhibit/timestamps/")
        .and_then(|f| f.strip_suffix(".tsr"))
    {
        format!("exhibit/signatures/{id}.json")
    } else {
        token.replace(".tsr", ".sig")
    }
}

/// Every token of a bundle written out as files (for openssl), with the
/// digest of the signature it is stored for.
fn tokens(bundle: &Path, out: &Path) -> Vec<(String, PathBuf, String)> {
    let files = bag(bundle);
    fs::create_dir_all(out).unwrap();
    files
        .iter()
        .filter(|(name, _)| name.ends_with(".tsr"))
        .map(|(name, bytes)| {
            let file = out.join(name.replace('/', "_"));
            fs::write(&file, bytes).unwrap();
            let digest = signature_digest(&files[&record_of(name)]);
            (name.clone(), file, digest)
        })
        .collect()
}

/// The (code, path) of each entry of `list`, leaving out
/// `revocation.not-checked`: this PKI publishes no CRL and runs no OCSP
/// responder, so every trusted token has that warning (revocation is the
/// subject of the `ltv` tests).
fn problem_codes(report: &serde_json::Value, list: &str) -> Vec<(String, String)> {
    report[list]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] != "revocation.not-checked")
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn online_seal_sign_and_custody_add_with_rsa_and_ecdsa_tsas() {
    let Some(lab) = lab("online_seal_sign_and_custody_add_with_rsa_and_ecdsa_tsas") else {
        return;
    };
    let (rsa, ec) = (lab.server.url("rsa"), lab.server.url("ec"));
    for out in ["sealed", "sealed.zip"] {
        let sealed = lab.seal(out, &["--tsa", &rsa]);
        assert!(stdout(&sealed).contains("sealed 2 files"));
        lab.sign(out, &["--tsa", &ec], 0);
        lab.note(out, &["--tsa", &ec], 0);
        let bundle = lab.dir.join(out);
        let files = bag(&bundle);
        let stored: std::collections::BTreeSet<String> = files
            .keys()
            .filter(|n| n.ends_with(".tsr"))
            .cloned()
            .collect();
        let expected: std::collections::BTreeSet<String> = [
            "exhibit/custody/000001.tsr".to_string(),
            "exhibit/custody/000002.tsr".to_string(),
            format!("exhibit/timestamps/{}.tsr", lab.alice.id),
            format!("exhibit/timestamps/{}.tsr", lab.bob.id),
        ]
        .into();
        assert_eq!(stored, expected);

        // Trusted: every time proven, nothing to warn about.
        let (report, err) = lab.verify(&bundle, Some(&lab.pki.ca()), 0);
        assert_eq!(report["status"], "verified");
        assert_eq!(report["verified"], true);
        assert_eq!(problem_codes(&report, "problems"), []);
        assert_eq!(problem_codes(&report, "warnings"), [], "{err}");
        let signers = report["signers"].as_array().unwrap();
        assert_eq!(signers.len(), 2);
        // OpenSSL writes fractional seconds (clock_precision_digits 3 and 6)
        // but drops trailing zeros, so a time on a whole second has none:
        // both on one is a chance of one in a billion.
        assert!(
            signers
                .iter()
                .any(|s| s["timestamp"]["gen_time"].as_str().unwrap().contains('.')),
            "{signers:?}"
        );
        for signer in signers {
            let token = &signer["timestamp"];
            assert_eq!(token["valid"], true, "{signer}");
            assert_eq!(token["trusted"], true, "{signer}");
            assert_eq!(token["root"], "CN=Test Root CA,O=Exhibit Test");
            assert_eq!(signer["proven_time"], token["gen_time"]);
            let expected = if signer["key_id"] == lab.alice.id.as_str() {
                "CN=Test TSA RSA,O=Exhibit Test"
            } else {
                "CN=Test TSA EC,O=Exhibit Test"
            };
            assert_eq!(token["tsa"], expected);
        }
        let custody = report["custody"].as_array().unwrap();
        assert_eq!(custody.len(), 2);
        assert_eq!(
            custody[0]["timestamp"]["tsa"],
            "CN=Test TSA RSA,O=Exhibit Test"
        );
        assert_eq!(
            custody[1]["timestamp"]["tsa"],
            "CN=Test TSA EC,O=Exhibit Test"
        );
        assert!(custody.iter().all(|e| e["proven_time"].is_string()));

        // Every token exhibit accepts, OpenSSL accepts; neither trusts
        // another root.
        let extracted = lab.dir.join(format!("{out}-tokens"));
        for (name, file, digest) in tokens(&bundle, &extracted) {
            assert!(
                lab.pki.openssl_accepts(&file, &digest, &lab.pki.ca(), &[]),
                "{name}"
            );
            assert!(
                !lab.pki
                    .openssl_accepts(&file, &digest, &lab.pki.other_ca(), &[]),
                "{name}"
            );
        }

        // No --tsa-ca, or the wrong one: sound tokens, times unproven, a
        // warning each; the verdict (trusted sealer) stands.
        for ca in [None, Some(lab.pki.other_ca())] {
            let (report, err) = lab.verify(&bundle, ca.as_deref(), 0);
            assert_eq!(report["status"], "verified");
            let warnings = problem_codes(&report, "warnings");
            assert_eq!(warnings.len(), 4, "{err}");
            assert!(warnings
                .iter()
                .all(|(code, _)| code == "timestamp.untrusted"));
            assert_eq!(
                err.lines()
                    .filter(|l| l.contains("timestamp.untrusted"))
                    .count(),
                4
            );
            for signer in report["signers"].as_array().unwrap() {
                assert_eq!(signer["timestamp"]["valid"], true);
                assert_eq!(signer["timestamp"]["trusted"], false);
                assert!(signer.get("proven_time").is_none(), "{signer}");
            }
        }

        // Text, HTML, inspect, replay and extract say the same.
        let ca = lab.pki.ca();
        let ca = ca.to_str().unwrap();
        let bundle_arg = bundle.to_str().unwrap();
        let alice = lab.alice.public.to_str().unwrap();
        let text = lab.dir.run(
            [
                "verify", bundle_arg, "--trust", alice, "--tsa-ca", ca, "--report", "r.html",
            ],
            0,
        );
        let text = stdout(&text);
        assert!(text.contains("time proven"), "{text}");
        assert!(
            text.contains("by TSA \"CN=Test TSA EC,O=Exhibit Test\" (trusted)"),
            "{text}"
        );
        assert!(text.contains("custody event 2: time proven"), "{text}");
        let html = fs::read_to_string(lab.dir.join("r.html")).unwrap();
        assert!(html.contains("Proven time (RFC 3161)"));
        assert!(html.contains("TSA CN=Test TSA RSA,O=Exhibit Test (trusted"));
        let inspect = lab
            .dir
            .run(["inspect", bundle_arg, "--json", "--tsa-ca", ca], 0);
        let inspect: serde_json::Value = serde_json::from_slice(&inspect.stdout).unwrap();
        assert!(inspect["signers"][0]["proven_time"].is_string());
        let replay = lab.dir.run(
            [
                "custody", "replay", bundle_arg, "--json", "--trust", alice, "--tsa-ca", ca,
            ],
            0,
        );
        let replay: serde_json::Value = serde_json::from_slice(&replay.stdout).unwrap();
        assert!(replay["custody"][1]["proven_time"].is_string());
        let log = stdout(&lab.dir.run(["custody", "log", bundle_arg], 0));
        assert!(log.contains("not trusted: time unproven"), "{log}");
        let target = lab.dir.join(format!("{out}-extracted"));
        lab.dir.run(
            [
                "extract",
                bundle_arg,
                "-o",
                target.to_str().unwrap(),
                "--trust",
                alice,
                "--tsa-ca",
                ca,
            ],
            0,
        );
        assert!(target.join("evidence/report.txt").is_file());
    }
}

#[test]
fn timestamp_command_adds_what_is_missing_and_rewrites_nothing() {
    let Some(lab) = lab("timestamp_command_adds_what_is_missing_and_rewrites_nothing") else {
        return;
    };
    for out in ["plain", "plain.zip"] {
        lab.seal(out, &[]);
        lab.sign(out, &[], 0);
        lab.note(out, &[], 0);
        let bundle = lab.dir.join(out);
        let before = bag(&bundle);
        let zip_before = fs::read(&bundle).ok();
        let cd_start = zip_before
            .as_ref()
            .map(|_| common::zip_central_directory_start(&bundle));

        let added = lab
            .dir
            .run(["timestamp", out, "--tsa", &lab.server.url("rsa")], 0);
        let added = stdout(&added);
        assert_eq!(
            added
                .lines()
                .filter(|l| l.starts_with("time-stamped "))
                .count(),
            4,
            "{added}"
        );
        let after = bag(&bundle);
        for (name, bytes) in &before {
            assert_eq!(after.get(name), Some(bytes), "{name} was rewritten");
        }
        let new: Vec<&String> = after.keys().filter(|n| !before.contains_key(*n)).collect();
        assert_eq!(new.len(), 4);
        assert!(new.iter().all(|n| n.ends_with(".tsr")));
        if let (Some(old), Some(cd_start)) = (zip_before, cd_start) {
            // The zip's entries before the old central directory are untouched.
            let now = fs::read(&bundle).unwrap();
            assert_eq!(now[..cd_start as usize], old[..cd_start as usize]);
        }
        let (report, _) = lab.verify(&bundle, Some(&lab.pki.ca()), 0);
        assert!(report["signers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["proven_time"].is_string()));

        // Nothing missing: nothing asked, nothing changed.
        let again = lab
            .dir
            .run(["timestamp", out, "--tsa", &lab.server.url("rsa")], 0);
        assert!(stdout(&again).contains("lacks a time-stamp token; nothing added"));
        assert_eq!(bag(&bundle), after);
    }
}

#[test]
fn air_gapped_queries_answered_by_openssl_then_attached() {
    let Some(lab) = lab("air_gapped_queries_answered_by_openssl_then_attached") else {
        return;
    };
    for out in ["offline", "offline.zip"] {
        lab.seal(out, &[]);
        lab.note(out, &[], 0);
        let queries = lab.dir.join(format!("{out}-queries"));
        let written = lab.dir.run(
            ["timestamp", out, "--request-dir", queries.to_str().unwrap()],
            0,
        );
        assert!(stdout(&written).contains("--attach"));
        let mut names: Vec<String> = fs::read_dir(&queries)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "custody-000001.tsq".to_string(),
                "custody-000002.tsq".to_string(),
                format!("seal-{}.tsq", lab.alice.id),
            ]
        );
        let mut responses = Vec::new();
        for name in &names {
            let query = queries.join(name);
            let text = stdout(&lab.pki.openssl([
                "ts".as_ref(),
                "-query".as_ref(),
                "-in".as_ref(),
                query.as_os_str(),
                "-text".as_ref(),
            ]));
            assert!(text.contains("Hash Algorithm: sha256"), "{text}");
            assert!(text.contains("Certificate required: yes"), "{text}");
            assert!(text.contains("Nonce: 0x"), "{text}");
            let response = queries.join(name.replace(".tsq", ".tsr"));
            lab.pki.reply("ec", &query, &response);
            responses.push(response);
        }
        // Nothing added until attached.
        assert!(!bag(&lab.dir.join(out)).keys().any(|n| n.ends_with(".tsr")));
        let mut attach = args(["timestamp", out, "--attach"]);
        attach.extend(responses.iter().map(|p| p.clone().into_os_string()));
        let attached = stdout(&lab.dir.run(&attach, 0));
        assert_eq!(
            attached
                .lines()
                .filter(|l| l.starts_with("time-stamped "))
                .count(),
            3
        );

        let bundle = lab.dir.join(out);
        let (report, _) = lab.verify(&bundle, Some(&lab.pki.ca()), 0);
        assert_eq!(problem_codes(&report, "warnings"), []);
        assert!(report["custody"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["timestamp"]["trusted"] == true));
        for (name, file, digest) in tokens(&bundle, &lab.dir.join(format!("{out}-stored"))) {
            assert!(
                lab.pki.openssl_accepts(&file, &digest, &lab.pki.ca(), &[]),
                "{name}"
            );
        }
    }
}

#[test]
fn attach_refuses_responses_that_cover_nothing_and_adds_nothing() {
    let Some(lab) = lab("attach_refuses_responses_that_cover_nothing_and_adds_nothing") else {
        return;
    };
    lab.seal("a", &[]);
    lab.dir.write("other/file.txt", b"another seizure\n");
    let mut other = args([
        "seal",
        "other",
        "-o",
        "b",
        "--case",
        "CASE-8",
        "--exhibit",
        "B1",
        "--time",
        TIME,
        "--key",
    ]);
    other.push(lab.bob.secret.clone().into());
    lab.dir.run(&other, 0);

    let q = lab.dir.join("q");
    lab.dir
        .run(["timestamp", "a", "--request-dir", q.to_str().unwrap()], 0);
    let seal_query = q.join(format!("seal-{}.tsq", lab.alice.id));
    let event_query = q.join("custody-000001.tsq");
    let (seal_tsr, event_tsr, rejected) = (
        q.join("seal.tsr"),
        q.join("event.tsr"),
        q.join("rejected.tsr"),
    );
    lab.pki.reply("rsa", &seal_query, &seal_tsr);
    lab.pki.reply("rsa", &event_query, &event_tsr);
    lab.pki.reply("reject", &seal_query, &rejected);
    let copy = lab.dir.join("q/seal-again.tsr");
    lab.pki.reply("ec", &seal_query, &copy);

    let tree_a = read_tree(&lab.dir.join("a"));
    let tree_b = read_tree(&lab.dir.join("b"));
    let refused = |bundle: &str, files: &[&Path], expect: &str| {
        let mut a = args(["timestamp", bundle, "--attach"]);
        a.extend(files.iter().map(|p| p.as_os_str().to_owned()));
        let output = lab.dir.run(&a, 2);
        let err = stderr(&output);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(expect), "{err}");
        assert!(err.contains("nothing attached"), "{err}");
        assert_eq!(read_tree(&lab.dir.join("a")), tree_a);
        assert_eq!(read_tree(&lab.dir.join("b")), tree_b);
    };
    // a's tokens cover nothing in b: refused, even beside nothing else.
    refused("b", &[&seal_tsr], "covers no signature in the bundle");
    // One good response and one that covers nothing: none is added.
    refused(
        "a",
        &[&event_tsr, &q.join("../b/exhibit/custody/000001.sig")],
        "not a usable time-stamp response",
    );
    refused("a", &[&rejected], "status 2 (rejection), failure badAlg");
    refused("a", &[&seal_tsr, &copy], "is also covered by");
    refused(
        "a",
        &[&event_tsr, &seal_tsr, &q.join("missing.tsr")],
        "missing.tsr",
    );

    lab.dir.run(
        ["timestamp", "a", "--attach", seal_tsr.to_str().unwrap()],
        0,
    );
    let tree_a = read_tree(&lab.dir.join("a"));
    let output = lab
        .dir
        .run(["timestamp", "a", "--attach", copy.to_str().unwrap()], 2);
    assert!(stderr(&output).contains("already has a token"));
    assert_eq!(read_tree(&lab.dir.join("a")), tree_a);
}

#[test]
fn tampered_tokens_fail_and_openssl_agrees() {
    let Some(lab) = lab("tampered_tokens_fail_and_openssl_agrees") else {
        return;
    };
    lab.seal("good", &[]);
    lab.note("good", &[], 0);
    lab.dir
        .run(["timestamp", "good", "--tsa", &lab.server.url("rsa")], 0);
    let mut other = args([
        "seal",
        "evidence",
        "-o",
        "other",
        "--case",
        "X",
        "--exhibit",
        "Y",
        "--time",
        TIME,
        "--tsa",
        &lab.server.url("rsa"),
        "--key",
    ]);
    other.push(lab.alice.secret.clone().into());
    lab.dir.run(&other, 0);
    let good = read_bag_files(&lab.dir.join("good"));
    let seal_token = format!("exhibit/timestamps/{}.tsr", lab.alice.id);
    let event1 = "exhibit/custody/000001.tsr".to_string();
    let event2 = "exhibit/custody/000002.tsr".to_string();
    let rejected = lab.dir.join("rejected.tsr");
    lab.pki.response_for_digest(
        "reject",
        &signature_digest(&good["exhibit/custody/000002.sig"]),
        &rejected,
    );

    let mut flipped = good[&seal_token].clone();
    *flipped.last_mut().unwrap() ^= 0x01; // inside the TSA's signature value
                                          // Backdated by a day: one digit of genTime changed inside TSTInfo.
    let mut backdated = good[&event1].clone();
    let today = jiff::Timestamp::now().strftime("%Y%m%d").to_string();
    let at = backdated
        .windows(today.len())
        .position(|w| w == today.as_bytes())
        .expect("genTime in the token");
    backdated[at + 7] = if backdated[at + 7] == b'0' {
        b'1'
    } else {
        backdated[at + 7] - 1
    };
    let other_seal = read_bag_files(&lab.dir.join("other"))[&seal_token].clone();
    let orphan = format!("exhibit/timestamps/{}.tsr", lab.bob.id);

    let cases: Vec<(&str, String, Vec<u8>, &str)> = vec![
        (
            "moved to another signature",
            event2.clone(),
            good[&event1].clone(),
            "timestamp.mismatch",
        ),
        (
            "bytes flipped in the signature",
            seal_token.clone(),
            flipped,
            "timestamp.invalid",
        ),
        (
            "with genTime changed",
            event1.clone(),
            backdated,
            "timestamp.invalid",
        ),
        (
            "for another bundle",
            seal_token.clone(),
            other_seal,
            "timestamp.mismatch",
        ),
        (
            "not granted",
            event2.clone(),
            fs::read(&rejected).unwrap(),
            "timestamp.invalid",
        ),
        (
            "not a token at all",
            event2.clone(),
            b"garbage".to_vec(),
            "timestamp.invalid",
        ),
        (
            "for a signature that is not there",
            orphan.clone(),
            good[&seal_token].clone(),
            "timestamp.orphan",
        ),
    ];
    // The intact bundle: both verifiers accept every token.
    let (report, _) = lab.verify(&lab.dir.join("good"), Some(&lab.pki.ca()), 0);
    assert_eq!(problem_codes(&report, "problems"), []);
    for name in [&seal_token, &event1, &event2] {
        let file = lab
            .dir
            .write(format!("intact-{}", name.replace('/', "_")), &good[name]);
        let digest = signature_digest(&good[&record_of(name)]);
        assert!(
            lab.pki.openssl_accepts(&file, &digest, &lab.pki.ca(), &[]),
            "{name}"
        );
    }
    for (what, name, bytes, code) in cases {
        let copy = lab.dir.join(format!("tampered-{}", what.replace(' ', "-")));
        copy_tree(&lab.dir.join("good"), &copy);
        fs::write(copy.join(&name), &bytes).unwrap();
        let (report, err) = lab.verify(&copy, Some(&lab.pki.ca()), 1);
        assert_eq!(report["status"], "failed", "{what}");
        assert_eq!(
            problem_codes(&report, "problems"),
            [(code.to_string(), name.clone())],
            "{what}: {err}"
        );
        let line: Vec<&str> = err.lines().filter(|l| l.contains(code)).collect();
        assert_eq!(line.len(), 1, "{what}: {err}");
        assert!(line[0].contains(&name), "{what}: {err}");
        // OpenSSL refuses the same bytes for the signature they are stored for.
        let record = good
            .get(&record_of(&name))
            .unwrap_or(&good["exhibit/custody/000002.sig"]);
        let file = lab.dir.write(format!("{what}.tsr"), &bytes);
        assert!(
            !lab.pki
                .openssl_accepts(&file, &signature_digest(record), &lab.pki.ca(), &[]),
            "openssl accepted a token {what}"
        );
        // A bundle that does not verify gets no new token.
        let output = lab.dir.run(
            [
                "timestamp".as_ref(),
                copy.as_os_str(),
                "--tsa".as_ref(),
                lab.server.url("rsa").as_ref(),
            ],
            1,
        );
        assert!(stderr(&output).contains("does not verify; no time-stamp token added"));
    }
}

#[test]
fn tsa_certificate_expired_since_still_proves_the_time_at_gen_time() {
    let Some(lab) = lab("tsa_certificate_expired_since_still_proves_the_time_at_gen_time") else {
        return;
    };
    // A TSA certificate valid from yesterday until a few seconds from now;
    // the token is issued inside that window (retried if this machine was
    // too slow to get it in time), then checked after it has expired.
    let mut attempt = 0;
    let (bundle, not_after) = loop {
        attempt += 1;
        let not_after = tsa::now() + 3;
        lab.pki.dated_tsa("short", tsa::now() - 86_400, not_after);
        let out = format!("expiring-{attempt}");
        lab.seal(&out, &["--tsa", &lab.server.url("short")]);
        let bundle = lab.dir.join(&out);
        let token = bundle.join(format!("exhibit/timestamps/{}.tsr", lab.alice.id));
        if lab.pki.gen_time(&token) < not_after {
            break (bundle, not_after);
        }
        assert!(
            attempt < 3,
            "could not get a token inside a 3-second window"
        );
    };
    tsa::sleep_until_after(not_after + 1);

    // Still valid, with a warning naming the expiry: no evidence record
    // renews it.
    let (report, err) = lab.verify(&bundle, Some(&lab.pki.ca()), 0);
    let warnings = problem_codes(&report, "warnings");
    assert_eq!(warnings.len(), 2, "{err}");
    assert!(
        warnings.iter().all(|(code, _)| code == "proof.lapsed"),
        "{err}"
    );
    assert!(err.contains("expired at"), "{err}");
    let signer = &report["signers"][0];
    assert_eq!(signer["timestamp"]["trusted"], true);
    assert_eq!(
        signer["timestamp"]["tsa"],
        "CN=Test TSA short,O=Exhibit Test"
    );
    assert!(signer["proven_time"].is_string());

    // OpenSSL checks the path now unless told the time; at genTime it agrees.
    let files = read_bag_files(&bundle);
    let token_name = format!("exhibit/timestamps/{}.tsr", lab.alice.id);
    let token = bundle.join(&token_name);
    let digest = signature_digest(&files[&record_of(&token_name)]);
    assert!(!lab.pki.openssl_accepts(&token, &digest, &lab.pki.ca(), &[]));
    let at = lab.pki.gen_time(&token).to_string();
    assert!(lab
        .pki
        .openssl_accepts(&token, &digest, &lab.pki.ca(), &["-attime", &at]));
}

#[test]
fn a_tsa_whose_certificate_had_expired_when_it_signed_is_refused() {
    let Some(lab) = lab("a_tsa_whose_certificate_had_expired_when_it_signed_is_refused") else {
        return;
    };
    lab.pki
        .dated_tsa("stale", tsa::now() - 2 * 86_400, tsa::now() - 86_400);
    let url = lab.server.url("stale");
    let output = lab.seal_expect("never", &["--tsa", &url], 2);
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&url) && err.contains("not at genTime"),
        "{err}"
    );
    assert!(!lab.dir.join("never").exists());

    // Planted in a bundle by hand, it fails verification; OpenSSL, asked
    // at genTime, refuses it too.
    lab.seal("planted", &[]);
    let files = read_bag_files(&lab.dir.join("planted"));
    let record = &files[&format!("exhibit/signatures/{}.json", lab.alice.id)];
    let stale = lab.dir.join("stale.tsr");
    lab.pki
        .response_for_digest("stale", &signature_digest(record), &stale);
    let name = format!("exhibit/timestamps/{}.tsr", lab.alice.id);
    lab.dir
        .write(format!("planted/{name}"), fs::read(&stale).unwrap());
    let (report, err) = lab.verify(&lab.dir.join("planted"), Some(&lab.pki.ca()), 1);
    assert_eq!(
        problem_codes(&report, "problems"),
        [("timestamp.invalid".to_string(), name)],
        "{err}"
    );
    assert!(err.contains("not at genTime"), "{err}");
    let at = lab.pki.gen_time(&stale).to_string();
    assert!(!lab.pki.openssl_accepts(
        &stale,
        &signature_digest(record),
        &lab.pki.ca(),
        &["-attime", &at]
    ));
}

#[test]
fn a_tsa_that_fails_leaves_every_bundle_as_it_was() {
    let Some(lab) = lab("a_tsa_that_fails_leaves_every_bundle_as_it_was") else {
        return;
    };
    lab.seal("folder", &[]);
    lab.seal("archive.zip", &[]);
    let failures = [
        ("HTTP 500", lab.server.url("status500"), "HTTP 500"),
        ("no answer in time", lab.server.url("slow"), "timed out"),
        (
            "a rejection",
            lab.server.url("reject"),
            "refused: status 2 (rejection), failure badAlg",
        ),
        (
            "nobody listening",
            tsa::unreachable_url(),
            "cannot be reached",
        ),
        ("not a token", lab.server.url("garbage"), "unusable token"),
    ];
    let snapshot = || {
        (
            read_tree(&lab.dir.join("folder")),
            fs::read(lab.dir.join("archive.zip")).unwrap(),
            fs::read_dir(lab.dir.path()).unwrap().count(),
        )
    };
    let before = snapshot();
    for (what, url, answer) in &failures {
        let tsa_args = ["--tsa", url.as_str(), "--tsa-timeout", "1"];
        let check = |output: Output, command: &str| {
            let err = stderr(&output);
            assert_eq!(err.lines().count(), 1, "{command} with {what}: {err}");
            assert!(err.contains(url.as_str()), "{command} with {what}: {err}");
            assert!(err.contains(answer), "{command} with {what}: {err}");
            // What to do instead, on the same line.
            let remedy = if command == "timestamp" {
                "--request-dir"
            } else {
                "exhibit timestamp"
            };
            assert!(
                err.contains("; try: ") && err.contains(remedy),
                "{command}: {err}"
            );
            assert!(
                snapshot() == before,
                "{command} with {what} changed something"
            );
        };
        for out in ["new-folder", "new.zip"] {
            check(lab.seal_expect(out, &tsa_args, 2), "seal");
            assert!(!lab.dir.join(out).exists());
        }
        for bundle in ["folder", "archive.zip"] {
            check(lab.sign(bundle, &tsa_args, 2), "sign");
            check(lab.note(bundle, &tsa_args, 2), "custody add");
            let mut a = args(["timestamp", bundle]);
            a.extend(args(tsa_args));
            check(lab.dir.run(&a, 2), "timestamp");
        }
    }
    // The same bundles still verify, and take tokens from a working TSA.
    lab.dir.run(
        ["timestamp", "archive.zip", "--tsa", &lab.server.url("ec")],
        0,
    );
    lab.verify(&lab.dir.join("archive.zip"), Some(&lab.pki.ca()), 0);
}

#[test]
fn a_signed_at_later_than_the_token_is_reported() {
    let Some(lab) = lab("a_signed_at_later_than_the_token_is_reported") else {
        return;
    };
    let mut a = args([
        "seal",
        "evidence",
        "-o",
        "future",
        "--case",
        "C",
        "--exhibit",
        "E",
        "--time",
        "2031-01-01T00:00:00Z",
        "--tsa",
        &lab.server.url("rsa"),
        "--key",
    ]);
    a.push(lab.alice.secret.clone().into());
    lab.dir.run(&a, 0);
    let (report, err) = lab.verify(&lab.dir.join("future"), Some(&lab.pki.ca()), 0);
    let warnings = problem_codes(&report, "warnings");
    assert_eq!(
        warnings,
        [
            (
                "timestamp.claimed-later".to_string(),
                "exhibit/custody/000001.tsr".to_string()
            ),
            (
                "timestamp.claimed-later".to_string(),
                format!("exhibit/timestamps/{}.tsr", lab.alice.id)
            ),
        ],
        "{err}"
    );
    assert!(
        err.contains("claims signed_at 2031-01-01T00:00:00Z"),
        "{err}"
    );
}

/// The token step of docs/VERIFYING.md, as written, run with OpenSSL alone
/// on a bundle with tokens: every token checks, and a tampered one does not.
#[test]
fn the_verifying_recipe_checks_each_token_with_openssl_alone() {
    let Some(lab) = lab("the_verifying_recipe_checks_each_token_with_openssl_alone") else {
        return;
    };
    let doc =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/VERIFYING.md")).unwrap();
    let step = doc
        .split("\n## 8. Time-stamp tokens")
        .nth(1)
        .expect("step 8");
    let block = step
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("a sh block in step 8");
    let (Some(bash), Some(_)) = (common::find_tool("bash"), common::find_tool("jq")) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must provide bash and jq"
        );
        eprintln!("skipping the VERIFYING.md token step: bash or jq is not installed");
        return;
    };
    lab.seal("recipe", &["--tsa", &lab.server.url("rsa")]);
    lab.sign("recipe", &["--tsa", &lab.server.url("ec")], 0);
    lab.note("recipe", &["--tsa", &lab.server.url("ec")], 0);
    let run = |bundle: &Path| {
        let output = std::process::Command::new(&bash)
            .arg("-c")
            .arg(block)
            .current_dir(bundle)
            .env("TSA_CA", lab.pki.ca())
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    lab.pki.tools.openssl.parent().unwrap().display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .output()
            .unwrap();
        format!("{}{}", stdout(&output), stderr(&output))
    };
    let out = run(&lab.dir.join("recipe"));
    assert_eq!(out.matches("Verification: OK").count(), 4, "{out}");
    assert_eq!(out.matches("Status: Granted.").count(), 4, "{out}");
    for bad in ["BAD", "FAILED", "rror"] {
        assert!(!out.contains(bad), "{bad} in:\n{out}");
    }
    let copy = lab.dir.join("recipe-moved");
    copy_tree(&lab.dir.join("recipe"), &copy);
    fs::copy(
        copy.join("exhibit/custody/000001.tsr"),
        copy.join("exhibit/custody/000002.tsr"),
    )
    .unwrap();
    let out = run(&copy);
    assert_eq!(out.matches("Verification: OK").count(), 3, "{out}");
    assert_eq!(out.matches("Verification: FAILED").count(), 1, "{out}");
}

/// The TSA certificate rule (a critical extended key usage with
/// timeStamping and nothing else; a key usage that allows signing), checked
/// on certificates made by OpenSSL, agrees with OpenSSL's own "Time Stamp
/// signing" purpose.
#[test]
fn tsa_certificate_usage_agrees_with_openssl_purpose_check() {
    let Some(tools) = tsa::tools("tsa_certificate_usage_agrees_with_openssl_purpose_check") else {
        return;
    };
    let pki = Pki::new(&tools);
    let variants = [
        (
            "good",
            "extendedKeyUsage = critical,timeStamping\nkeyUsage = critical,digitalSignature",
            true,
        ),
        ("not-critical", "extendedKeyUsage = timeStamping", false),
        (
            "extra-usage",
            "extendedKeyUsage = critical,timeStamping,serverAuth",
            false,
        ),
        (
            "other-usage",
            "extendedKeyUsage = critical,codeSigning",
            false,
        ),
        ("no-usage", "keyUsage = critical,digitalSignature", false),
        (
            "cannot-sign",
            "extendedKeyUsage = critical,timeStamping\nkeyUsage = critical,keyEncipherment",
            false,
        ),
    ];
    for (name, extensions, expected) in variants {
        fs::write(
            pki.path(&format!("{name}.ext")),
            format!("[v]\n{extensions}\n"),
        )
        .unwrap();
        pki.openssl([
            "req",
            "-new",
            "-key",
            "tsa-rsa.key",
            "-out",
            &format!("{name}.csr"),
            "-subj",
            &format!("/CN={name}"),
        ]);
        pki.openssl([
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            "99",
            "-days",
            "30",
            "-extfile",
            &format!("{name}.ext"),
            "-extensions",
            "v",
            "-out",
            &format!("{name}.pem"),
        ]);
        let purpose =
            stdout(&pki.openssl(["x509", "-noout", "-purpose", "-in", &format!("{name}.pem")]));
        let openssl_says = purpose.contains("Time Stamp signing : Yes");
        let certs = exhibit::tsp::certificates_from_pem(
            &fs::read(pki.path(&format!("{name}.pem"))).unwrap(),
        )
        .unwrap();
        let exhibit_says = certs[0].check_tsa_usage();
        assert_eq!(exhibit_says.is_ok(), expected, "{name}: {exhibit_says:?}");
        assert_eq!(openssl_says, expected, "{name}: openssl says\n{purpose}");
    }
}

/// Under a trust policy, the time a signature is judged at is the genTime
/// of its trusted token when there is one: a key revoked after the token's
/// time still counts, one revoked before it does not, whatever time the
/// signer claimed; with `require_timestamp`, a seal with no token does not
/// count; the policy's own `tsa_ca` makes a token trusted.
#[test]
fn a_trust_policy_judges_signatures_at_their_proven_time() {
    let Some(lab) = lab("a_trust_policy_judges_signatures_at_their_proven_time") else {
        return;
    };
    let url = lab.server.url("rsa");
    lab.seal("stamped.zip", &["--tsa", &url]);
    lab.seal("plain.zip", &[]);
    let sealed_claim = TIME.parse::<jiff::Timestamp>().unwrap().as_second();
    let now = tsa::now();
    // Between the claimed sealing time and the token's genTime.
    let between = now - 60;
    assert!(between > sealed_claim, "the test clock is before {TIME}");
    let rfc3339 = |unix: i64| jiff::Timestamp::from_second(unix).unwrap().to_string();
    fs::copy(lab.pki.ca(), lab.dir.join("tsa-root.pem")).unwrap();
    let policy = |name: &str, revoked: i64, require: bool| {
        let text = format!(
            "version = 1\n\n[[key]]\npublic_key = \"alice.pub\"\nroles = [\"seal\", \"custody\"]\n\
             revoked_at = \"{}\"\n\n[time]\nrequire_timestamp = {require}\ntsa_ca = [\"tsa-root.pem\"]\n",
            rfc3339(revoked)
        );
        lab.dir.write(name, text);
        name.to_string()
    };
    let verify = |bundle: &str, policy: &str, code: i32| -> serde_json::Value {
        let out = lab
            .dir
            .run(["verify", bundle, "--json", "--trust-policy", policy], code);
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let later = policy("revoked-later.toml", now + 86_400, false);
    let report = verify("stamped.zip", &later, 0);
    assert!(
        report["signers"][0]["proven_time"].is_string(),
        "{report:#}"
    );
    // Revoked after the claim but before the proven time: the proof wins.
    let before = policy("revoked-between.toml", between, false);
    let report = verify("stamped.zip", &before, 3);
    assert_eq!(report["signers"][0]["untrusted_reason"], "revoked");
    // ... while the same key, with only a claimed time, is judged on the claim.
    verify("plain.zip", &before, 0);
    // A proof required: the unstamped seal no longer counts.
    let required = policy("required.toml", now + 86_400, true);
    let report = verify("plain.zip", &required, 3);
    assert_eq!(report["signers"][0]["untrusted_reason"], "time not proven");
    verify("stamped.zip", &required, 0);
}

/// Regression: a TSA configured with `certs =` naming its own certificate
/// answers a query that asks for certificates with a token holding that
/// certificate twice (X.690 allows equal elements in a SET OF). OpenSSL
/// accepts it; so must seal, attach and verify, every other check strict.
#[test]
fn a_token_holding_the_tsa_certificate_twice_is_accepted() {
    let Some(lab) = lab("a_token_holding_the_tsa_certificate_twice_is_accepted") else {
        return;
    };
    lab.seal("twice", &["--tsa", &lab.server.url("twice")]);
    let bundle = lab.dir.join("twice");
    let found = tokens(&bundle, &lab.dir.join("tokens"));
    assert_eq!(found.len(), 2, "seal signature and seal event");
    for (name, file, digest) in &found {
        let der = fs::read(file).unwrap();
        let tsa_cert = lab
            .pki
            .openssl(["x509", "-in", "tsa-rsa.pem", "-outform", "DER"]);
        let cert = &tsa_cert.stdout;
        let times = der.windows(cert.len()).filter(|w| w == cert).count();
        assert_eq!(
            times, 2,
            "{name}: the TSA certificate is in the token twice"
        );
        assert!(
            lab.pki.openssl_accepts(file, digest, &lab.pki.ca(), &[]),
            "{name}"
        );
    }
    let (report, err) = lab.verify(&bundle, Some(&lab.pki.ca()), 0);
    assert_eq!(report["status"], "verified", "{err}");
    assert_eq!(problem_codes(&report, "warnings"), [], "{err}");

    // The same kind of response attached by hand.
    lab.seal("plain", &[]);
    let plain = lab.dir.join("plain");
    let record = fs::read(plain.join(format!("exhibit/signatures/{}.json", lab.alice.id))).unwrap();
    let response = lab.dir.join("twice.tsr");
    lab.pki
        .response_for_digest("twice", &signature_digest(&record), &response);
    let mut attach = args(["timestamp", "plain", "--attach"]);
    attach.push(response.into());
    lab.dir.run(&attach, 0);
    let (report, err) = lab.verify(&plain, Some(&lab.pki.ca()), 0);
    assert_eq!(report["status"], "verified", "{err}");
}

/// Regression: `custody log` warned "no --tsa-ca root was given" but took
/// no `--tsa-ca`. With the root, the events' times are proven.
#[test]
fn custody_log_takes_the_tsa_root_its_warning_asks_for() {
    let Some(lab) = lab("custody_log_takes_the_tsa_root_its_warning_asks_for") else {
        return;
    };
    lab.seal("logged", &["--tsa", &lab.server.url("rsa")]);
    let log = |extra: &[&str]| {
        let mut a = args(["custody", "log", "logged", "--json"]);
        a.extend(args(extra.iter().copied()));
        let out = lab.dir.run(&a, 0);
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let unproven = log(&[]);
    let warnings = problem_codes(&unproven, "warnings");
    assert_eq!(
        warnings.len(),
        2,
        "seal signature and seal event: {unproven}"
    );
    assert!(warnings
        .iter()
        .all(|(code, _)| code == "timestamp.untrusted"));
    let ca = lab.pki.ca();
    let proven = log(&["--tsa-ca", ca.to_str().unwrap()]);
    assert_eq!(problem_codes(&proven, "warnings"), [], "{proven}");
    assert!(proven["custody"][0]["proven_time"].is_string(), "{proven}");
}

/// Regression: "What this report proves and what it does not" came last,
/// after every file row, and said times were the signers' clocks while the
/// page showed RFC 3161 proven times; the `--tsa-ca` files were not among
/// the trust sources. It now follows the checks, says what this bundle
/// proved, and the TSA roots are listed with their SHA-256.
#[test]
fn the_report_says_what_was_proven_right_after_the_checks() {
    let Some(lab) = lab("the_report_says_what_was_proven_right_after_the_checks") else {
        return;
    };
    lab.seal("timed", &["--tsa", &lab.server.url("rsa")]);
    let ca = lab.pki.ca();
    let mut a = args(["verify", "timed", "--report", "r.html", "--trust"]);
    a.push(lab.alice.public.clone().into());
    a.push("--tsa-ca".into());
    a.push(ca.clone().into());
    lab.dir.run(&a, 0);
    let html = fs::read_to_string(lab.dir.join("r.html")).unwrap();
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in the report"))
    };
    assert!(
        at("What this report proves") < at("<h2>Seal signers"),
        "right after the checks"
    );
    assert!(at("What this report proves") < at("data/evidence/report.txt"));
    assert!(html.contains("A time marked proven"));
    assert!(!html.contains("times in the bundle are the signers' own clocks"));
    let digest = hex::encode(sha2::Sha256::digest(fs::read(&ca).unwrap()));
    assert!(
        html.contains(&digest),
        "the TSA root's SHA-256 among the trust sources"
    );
}

/// At a terminal, a TSA that keeps `seal` waiting is named while it does,
/// with how long it may take; when it gives up, one line says what failed
/// and what to do instead.
#[test]
fn a_slow_tsa_is_shown_while_it_is_waited_for() {
    let test = "a_slow_tsa_is_shown_while_it_is_waited_for";
    let Some(lab) = lab(test) else {
        return;
    };
    let url = lab.server.url("slow");
    let key = lab.alice.secret.to_str().unwrap();
    let args = [
        "seal",
        "evidence",
        "-o",
        "case.zip",
        "--case",
        "C",
        "--exhibit",
        "A1",
        "--key",
        key,
        "--tsa",
        &url,
        "--tsa-timeout",
        "4",
    ];
    let Some(term) = common::terminal::Terminal::start(lab.dir.path(), &args, test) else {
        return;
    };
    let screen = term.wait_for("to answer (gives up after 4 s)");
    assert!(
        screen.contains(&format!("waiting for the TSA {url} to answer")),
        "{screen}"
    );
    let (code, screen) = term.finish();
    assert_eq!(code, 2, "{screen}");
    assert!(screen.contains("timed out"), "{screen}");
    assert!(
        screen.contains("; try: the same without --tsa, then exhibit timestamp"),
        "{screen}"
    );
    assert!(
        !screen.contains("waiting for the TSA"),
        "the spinner was left behind:\n{screen}"
    );
    assert!(!lab.dir.join("case.zip").exists());
}

/// `disclose --tsa` time-stamps the disclose event as `custody add --tsa`
/// does: the event in the source bundle and in the disclosure bundle has a
/// proven time; a TSA that fails leaves both as they were.
#[test]
fn disclose_time_stamps_its_custody_event() {
    let Some(lab) = lab("disclose_time_stamps_its_custody_event") else {
        return;
    };
    lab.seal("case.zip", &[]);
    let key = lab.alice.secret.to_str().unwrap();
    let before = fs::read(lab.dir.join("case.zip")).unwrap();
    let failed = lab.dir.run(
        [
            "disclose",
            "case.zip",
            "evidence/report.txt",
            "-o",
            "part-failed",
            "--key",
            key,
            "--tsa",
            &lab.server.url("status500"),
        ],
        2,
    );
    assert!(stderr(&failed).contains("HTTP 500"), "{}", stderr(&failed));
    assert_eq!(fs::read(lab.dir.join("case.zip")).unwrap(), before);
    assert!(!lab.dir.join("part-failed").exists());

    lab.dir.run(
        [
            "disclose",
            "case.zip",
            "evidence/report.txt",
            "-o",
            "part",
            "--key",
            key,
            "--tsa",
            &lab.server.url("rsa"),
        ],
        0,
    );
    for bundle in ["case.zip", "part"] {
        let (report, err) = lab.verify(&lab.dir.join(bundle), Some(&lab.pki.ca()), 0);
        let custody = report["custody"].as_array().unwrap();
        assert_eq!(custody.len(), 2, "{bundle}: {err}");
        assert_eq!(custody[1]["action"], "disclose", "{bundle}");
        assert_eq!(
            custody[1]["timestamp"]["tsa"], "CN=Test TSA RSA,O=Exhibit Test",
            "{bundle}"
        );
        assert!(custody[1]["proven_time"].is_string(), "{bundle}");
    }
}

/// A TSA root given where a signer's key goes points to `--tsa-ca`.
#[test]
fn a_tsa_root_given_as_trust_points_to_tsa_ca() {
    let Some(lab) = lab("a_tsa_root_given_as_trust_points_to_tsa_ca") else {
        return;
    };
    lab.seal("case.zip", &[]);
    let ca = lab.pki.ca();
    let output = lab.dir.run(
        [
            "verify".as_ref(),
            "case.zip".as_ref(),
            "--trust".as_ref(),
            ca.as_os_str(),
        ],
        2,
    );
    let err = stderr(&output);
    assert!(
        err.contains("this is an X.509 certificate; a TSA's root certificate is given with --tsa-ca FILE.pem"),
        "{err}"
    );
    assert!(!err.contains("openssl"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}
