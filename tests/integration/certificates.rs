//! Seal signatures by an examiner's X.509 certificate (a PKCS#12 file):
//! `sign --cert` writes a detached CMS (CAdES-B-B) signature that
//! `openssl cms -verify` accepts, `verify --ca ROOT.pem` trusts it when its
//! chain reaches that root at the signing time, a CAdES signature made by
//! OpenSSL is accepted, and forged, foreign or unusable ones are refused.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::Digest as _;

use super::common::ca::{Ca, Examiner};
use super::common::{problems, stderr, stdout, Dir, Key};

const TEST: &str = "certificates";

/// A folder bundle sealed with an Ed25519 key, and the CA.
pub(crate) fn setup(test: &str) -> Option<(Dir, Ca, Key)> {
    let dir = Dir::new();
    let ca = Ca::new(&dir.mkdir("pki"), test)?;
    dir.write("evidence/mail.eml", b"From: a\n\nseized\n");
    dir.write("evidence/disk.img", super::common::content(50_000, 3));
    let key = dir.keygen("examiner");
    dir.seal(&["evidence"], "case", &key);
    Some((dir, ca, key))
}

pub(crate) fn cosign(dir: &Dir, examiner: &Examiner, code: i32) -> std::process::Output {
    let output = dir
        .exhibit()
        .args(["sign", "case", "--cert"])
        .arg(&examiner.p12)
        .env("EXHIBIT_PASSPHRASE", &examiner.passphrase)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(code), "{}", stderr(&output));
    output
}

fn verify(dir: &Dir, roots: &[&Path], code: i32) -> serde_json::Value {
    let mut args: Vec<&OsStr> = vec!["case".as_ref()];
    for root in roots {
        args.extend(["--ca".as_ref(), root.as_os_str()]);
    }
    verify_with(dir, &args, code)
}

/// `exhibit verify ARGS... --json`, asserting the exit code.
fn verify_with(dir: &Dir, args: &[&OsStr], code: i32) -> serde_json::Value {
    let output = dir
        .exhibit()
        .arg("verify")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}\n{}",
        stdout(&output),
        stderr(&output)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The id of a certificate: SHA-256 of its DER (openssl gives the DER).
fn cert_id(ca: &Ca, cert: &Path) -> String {
    let der = ca.openssl(&[
        "x509",
        "-in",
        &cert.display().to_string(),
        "-outform",
        "DER",
    ]);
    hex::encode(sha2::Sha256::digest(&der.stdout))
}

fn x509_signer(report: &serde_json::Value) -> serde_json::Value {
    report["signers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "x509")
        .cloned()
        .expect("an x509 signer")
}

#[test]
fn a_certificate_signature_is_trusted_through_its_root_and_openssl_agrees() {
    let Some((dir, ca, _key)) = setup(TEST) else {
        return;
    };
    let examiner = ca.examiner("Nguyen Van A", "rsa", "examiner", (0, 365), "pkcs12 secret");
    let out = stdout(&cosign(&dir, &examiner, 0));
    let id = cert_id(&ca, &examiner.cert);
    assert!(
        out.contains(&format!("co-signed by certificate {id}")),
        "{out}"
    );
    let p7s = dir.join(format!("case/exhibit/signatures/{id}.p7s"));
    assert!(p7s.is_file());

    // OpenSSL checks the detached signature over the sealed statement and
    // its chain to the root.
    ca.assert_cms_verifies(&p7s, &dir.join("case/exhibit/seal.json"));

    let report = verify(&dir, &[&ca.root()], 0);
    let signer = x509_signer(&report);
    assert_eq!(signer["key_id"], id.as_str());
    assert_eq!(signer["valid"], true);
    assert_eq!(signer["trusted"], true);
    assert_eq!(
        signer["subject"],
        "CN=Nguyen Van A,OU=A05,O=Ministry of Public Security"
    );
    assert_eq!(
        signer["issuer"],
        "CN=Police Issuing CA,O=Ministry of Justice"
    );
    assert_eq!(signer["root"], "CN=Test Root CA,O=Ministry of Justice");
    assert_eq!(signer["qualified"], false);
    assert!(signer["serial"].as_str().is_some_and(|s| !s.is_empty()));

    // No root given, or another one: intact, not trusted (exit 3), and the
    // reason and next step name --ca.
    let report = verify(&dir, &[], 3);
    assert_eq!(x509_signer(&report)["root"], serde_json::Value::Null);
    let text = dir.output(["verify", "case"]);
    let text = stdout(&text);
    assert!(text.contains("no --trust or --ca given"), "{text}");
    assert!(text.contains("re-run with --ca ROOT.pem"), "{text}");
    let report = verify(&dir, &[&ca.other_root()], 3);
    let reason = x509_signer(&report)["path_reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        reason.contains("not a trusted CA root") || reason.contains("no trusted CA root"),
        "{reason}"
    );

    // A disclosure carries the certificate signature and verifies with it.
    dir.run(["disclose", "case", "evidence/mail.eml", "-o", "part"], 0);
    let report = verify_with(
        &dir,
        &["part".as_ref(), "--ca".as_ref(), ca.root().as_os_str()],
        0,
    );
    assert_eq!(x509_signer(&report)["trusted"], true);
}

#[test]
fn a_cades_signature_made_by_openssl_is_accepted() {
    let Some((dir, ca, _key)) = setup("a_cades_signature_made_by_openssl_is_accepted") else {
        return;
    };
    let examiner = ca.examiner("Examiner EC", "p256", "examiner", (0, 365), "");
    let id = cert_id(&ca, &examiner.cert);
    let p7s = dir.join(format!("case/exhibit/signatures/{id}.p7s"));
    ca.openssl(&[
        "cms",
        "-sign",
        "-binary",
        "-cades",
        "-md",
        "sha256",
        "-outform",
        "DER",
        "-in",
        &dir.join("case/exhibit/seal.json").display().to_string(),
        "-signer",
        &examiner.cert.display().to_string(),
        "-inkey",
        &examiner.key.display().to_string(),
        "-certfile",
        &ca.intermediate().display().to_string(),
        "-out",
        &p7s.display().to_string(),
    ]);
    let report = verify(&dir, &[&ca.root()], 0);
    assert_eq!(x509_signer(&report)["trusted"], true);
}

#[test]
fn forged_foreign_and_unusable_certificate_signatures_are_refused() {
    let test = "forged_foreign_and_unusable_certificate_signatures_are_refused";
    let Some((dir, ca, _key)) = setup(test) else {
        return;
    };
    let examiner = ca.examiner("Examiner", "ec", "examiner", (0, 365), "pw");
    cosign(&dir, &examiner, 0);
    let id = cert_id(&ca, &examiner.cert);
    let name = format!("exhibit/signatures/{id}.p7s");
    let p7s = dir.join(format!("case/{name}"));
    let good = fs::read(&p7s).unwrap();

    // The signature value changed: its last bytes.
    let mut forged = good.clone();
    let last = forged.len() - 3;
    forged[last] ^= 1;
    fs::write(&p7s, &forged).unwrap();
    let report = verify(&dir, &[&ca.root()], 1);
    assert!(
        problems(&report).contains(&("signature.bad".into(), Some(name.clone()))),
        "{report}"
    );

    // A signature over another statement (the seal changed under it).
    fs::write(&p7s, &good).unwrap();
    let seal = dir.join("case/exhibit/seal.json");
    let statement = fs::read(&seal).unwrap();
    let sealed = fs::read(&p7s).unwrap();
    fs::write(&seal, [statement.as_slice(), b" "].concat()).unwrap();
    let report = verify(&dir, &[&ca.root()], 1);
    let bad = report["problems"].to_string();
    assert!(
        bad.contains("message-digest attribute is not the SHA-384 of the signed file"),
        "{bad}"
    );
    fs::write(&seal, &statement).unwrap();
    assert_eq!(fs::read(&p7s).unwrap(), sealed);

    // Stored under another certificate's name.
    let elsewhere = dir.join(format!("case/exhibit/signatures/{}.p7s", "ab".repeat(32)));
    fs::rename(&p7s, &elsewhere).unwrap();
    let report = verify(&dir, &[&ca.root()], 1);
    assert!(
        report["problems"].to_string().contains("must be named"),
        "{report}"
    );
    fs::rename(&elsewhere, &p7s).unwrap();
    verify(&dir, &[&ca.root()], 0);

    // A certificate whose key usage does not allow signatures, and one
    // that expired before the signature claims to be made.
    for (who, extensions, validity, why) in [
        (
            "Encipherer",
            "encipher_only",
            (0, 365),
            "key usage allows neither",
        ),
        ("Expired", "examiner", (-30, 10), "is valid from"),
        ("Not yet valid", "examiner", (10, 365), "is valid from"),
    ] {
        let other = ca.examiner(who, "rsa", extensions, validity, "pw");
        cosign(&dir, &other, 0);
        let report = verify(&dir, &[&ca.root()], 1);
        assert!(
            report["problems"].to_string().contains(why),
            "{who}: {report}"
        );
        fs::remove_file(dir.join(format!(
            "case/exhibit/signatures/{}.p7s",
            cert_id(&ca, &other.cert)
        )))
        .unwrap();
    }

    // A qualified certificate says so, as its own claim.
    let qualified = ca.examiner("Qualified", "rsa", "qualified", (0, 365), "pw");
    cosign(&dir, &qualified, 0);
    let report = verify(&dir, &[&ca.root()], 0);
    let listed: Vec<_> = report["signers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "x509")
        .map(|s| {
            (
                s["subject"].as_str().unwrap().to_string(),
                s["qualified"].clone(),
            )
        })
        .collect();
    assert!(
        listed.contains(&(
            "CN=Qualified,OU=A05,O=Ministry of Public Security".to_string(),
            serde_json::Value::Bool(true)
        )),
        "{listed:?}"
    );
}

#[test]
fn an_unusable_pkcs12_file_is_exit_2_naming_it_and_nothing_is_written() {
    let test = "an_unusable_pkcs12_file_is_exit_2_naming_it_and_nothing_is_written";
    let Some((dir, ca, _key)) = setup(test) else {
        return;
    };
    let examiner = ca.examiner("Examiner", "rsa", "examiner", (0, 365), "right");
    let certificate_only: PathBuf = ca.path("certificate-only.p12");
    ca.openssl(&[
        "pkcs12",
        "-export",
        "-nokeys",
        "-in",
        &examiner.cert.display().to_string(),
        "-passout",
        "pass:right",
        "-out",
        &certificate_only.display().to_string(),
    ]);
    let before = super::common::tree::read_tree(&dir.join("case"));
    for (file, passphrase, expected) in [
        (&examiner.p12, "wrong", "Examiner.p12: wrong passphrase"),
        (
            &certificate_only,
            "right",
            "certificate-only.p12: holds no private key",
        ),
    ] {
        let output = dir
            .exhibit()
            .args(["sign", "case", "--cert"])
            .arg(file)
            .env("EXHIBIT_PASSPHRASE", passphrase)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        let err = stderr(&output);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(expected), "{err}");
    }
    assert_eq!(super::common::tree::read_tree(&dir.join("case")), before);
}

/// A bundle sealed with a certificate, handed on with custody events by a
/// certificate and by a key, and disclosed by a certificate: every
/// signature is a `.p7s` OpenSSL accepts, verify trusts each certificate
/// through its root, and the holder's name comes from the certificate.
#[test]
fn sealed_and_handed_on_with_certificates_beside_keys() {
    let test = "sealed_and_handed_on_with_certificates_beside_keys";
    let dir = Dir::new();
    let Some(ca) = Ca::new(&dir.mkdir("pki"), test) else {
        return;
    };
    dir.write("evidence/mail.eml", b"From: a\n\nseized\n");
    let examiner = ca.examiner("Nguyen Van A", "rsa", "examiner", (0, 365), "secret");
    let analyst = ca.examiner("Analyst", "ec", "examiner", (0, 365), "");
    let key = dir.keygen("prosecutor");
    let seal = |out: &str| {
        let output = dir
            .exhibit()
            .args([
                "seal",
                "evidence",
                "-o",
                out,
                "--case",
                "C-1",
                "--exhibit",
                "A1",
                "--cert",
            ])
            .arg(&examiner.p12)
            .env("EXHIBIT_PASSPHRASE", &examiner.passphrase)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stdout(&output)
    };
    let printed = seal("case");
    let id = cert_id(&ca, &examiner.cert);
    assert!(
        printed.contains(&format!("signed by certificate {id} (CN=Nguyen Van A,")),
        "{printed}"
    );
    let analyst_add = dir
        .exhibit()
        .args([
            "custody",
            "add",
            "case",
            "--action",
            "analyze",
            "--note",
            "hashes checked",
            "--cert",
        ])
        .arg(&analyst.p12)
        .output()
        .unwrap();
    assert_eq!(
        analyst_add.status.code(),
        Some(0),
        "{}",
        stderr(&analyst_add)
    );
    dir.custody_add(
        "case",
        &key,
        "note",
        &["--note", "received"],
        "2030-01-01T00:00:00Z",
    );

    // Each certificate signature checks with OpenSSL alone.
    for (p7s, content) in [
        (format!("exhibit/signatures/{id}.p7s"), "exhibit/seal.json"),
        (
            "exhibit/custody/000001.p7s".to_string(),
            "exhibit/custody/000001.json",
        ),
        (
            "exhibit/custody/000002.p7s".to_string(),
            "exhibit/custody/000002.json",
        ),
    ] {
        ca.assert_cms_verifies(
            &dir.join(format!("case/{p7s}")),
            &dir.join(format!("case/{content}")),
        );
    }

    let report = verify(&dir, &[&ca.root()], 0);
    let custody = report["custody"].as_array().unwrap();
    assert_eq!(custody.len(), 3);
    assert_eq!(custody[0]["action"], "seal");
    assert_eq!(custody[0]["actor_key_id"], id.as_str());
    assert_eq!(custody[0]["actor_name"], "Nguyen Van A");
    assert_eq!(
        custody[0]["actor_organization"],
        "Ministry of Public Security"
    );
    assert_eq!(custody[0]["root"], "CN=Test Root CA,O=Ministry of Justice");
    assert_eq!(custody[1]["actor_name"], "Analyst");
    assert_eq!(custody[1]["trusted"], true);
    assert!(
        custody[2].get("subject").is_none(),
        "a key's event has no certificate"
    );
    assert!(custody.iter().all(|e| e["valid"] == true), "{report}");
    assert_eq!(report["signers"][0]["revocation"], "not-checked");

    // What a person reads says what was and was not checked, everywhere.
    let root = ca.root();
    let root_arg = root.to_str().unwrap();
    let text = stdout(&dir.run(
        ["verify", "case", "--ca", root_arg, "--report", "r.html"],
        0,
    ));
    assert!(
        text.contains(
            "trusted (chains to \"CN=Test Root CA,O=Ministry of Justice\"); revocation not checked"
        ),
        "{text}"
    );
    let html = fs::read_to_string(dir.join("r.html")).unwrap();
    for expected in [
        "trusted: chains to root <code>CN=Test Root CA,O=Ministry of Justice</code>",
        "issued by <code>CN=Police Issuing CA,O=Ministry of Justice</code>",
        "revocation not checked",
        "Root file for certificate signers (--ca)",
        "holds a certificate whose chain reaches a root they gave",
        "That a signer&#39;s certificate was not revoked",
    ] {
        assert!(html.contains(expected), "{expected:?} not in the report");
    }
    dir.run(
        [
            "export",
            "case",
            "case",
            "-o",
            "case.jsonld",
            "--ca",
            root_arg,
        ],
        0,
    );
    let exported = fs::read_to_string(dir.join("case.jsonld")).unwrap();
    assert!(
        exported.contains(&format!(
            "holder of the X.509 certificate {id} of CN=Nguyen Van A"
        )),
        "{exported}"
    );

    // A disclosure recorded by a certificate carries its event.
    let disclosed = dir
        .exhibit()
        .args([
            "disclose",
            "case",
            "evidence/mail.eml",
            "-o",
            "part",
            "--cert",
        ])
        .arg(&analyst.p12)
        .output()
        .unwrap();
    assert_eq!(disclosed.status.code(), Some(0), "{}", stderr(&disclosed));
    let part = verify_with(
        &dir,
        &["part".as_ref(), "--ca".as_ref(), ca.root().as_os_str()],
        0,
    );
    let last = part["custody"].as_array().unwrap().last().cloned().unwrap();
    assert_eq!(
        (last["action"].as_str(), last["trusted"].as_bool()),
        (Some("disclose"), Some(true))
    );

    // The salts of a seal by a certificate are random: the same input at the
    // same time seals to other salts (a key's seal is reproducible instead).
    seal("again");
    let salts =
        |bundle: &str| fs::read(dir.join(format!("{bundle}/exhibit/merkle-salts.txt"))).unwrap();
    assert_ne!(salts("case"), salts("again"));
}

/// `--tsa` with a certificate: the RFC 3161 token covers the CMS signature
/// value, for the seal signature and the seal event, and verify proves
/// their times with the TSA's root.
#[test]
fn a_certificate_signature_gets_a_trusted_time() {
    let test = "a_certificate_signature_gets_a_trusted_time";
    let dir = Dir::new();
    let Some(ca) = Ca::new(&dir.mkdir("pki"), test) else {
        return;
    };
    let Some(tools) = super::common::tsa::tools(test) else {
        return;
    };
    let pki = super::common::tsa::Pki::new(&tools);
    let server = pki.serve();
    dir.write("evidence/a.txt", b"a");
    let examiner = ca.examiner("Examiner", "p256", "examiner", (0, 365), "");
    let output = dir
        .exhibit()
        .args([
            "seal",
            "evidence",
            "-o",
            "case",
            "--case",
            "C",
            "--exhibit",
            "A",
            "--tsa",
        ])
        .arg(server.url("rsa"))
        .arg("--cert")
        .arg(&examiner.p12)
        .arg("--cert-chain")
        .arg(ca.intermediate())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = verify_with(
        &dir,
        &[
            "case".as_ref(),
            "--ca".as_ref(),
            ca.root().as_os_str(),
            "--tsa-ca".as_ref(),
            pki.ca().as_os_str(),
        ],
        0,
    );
    let signer = x509_signer(&report);
    assert_eq!(signer["timestamp"]["trusted"], true, "{report}");
    assert!(signer["proven_time"].is_string(), "{report}");
    assert!(report["custody"][0]["proven_time"].is_string(), "{report}");
    // Nothing to warn about but revocation: this PKI publishes no CRL.
    assert!(report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|w| w["code"] == "revocation.not-checked"));
    // Its path was checked at the time the token proves, and says so.
    assert_eq!(signer["checked_at"], "proven", "{report}");
    assert!(signer["not_after"].is_string());

    // The token is inside each signature too (CAdES-B-T), which OpenSSL
    // still verifies.
    let id = cert_id(&ca, &examiner.cert);
    for (p7s, content) in [
        (format!("exhibit/signatures/{id}.p7s"), "exhibit/seal.json"),
        (
            "exhibit/custody/000001.p7s".to_string(),
            "exhibit/custody/000001.json",
        ),
    ] {
        let p7s = dir.join(format!("case/{p7s}")).display().to_string();
        let printed = ca.openssl(&["cms", "-cmsout", "-print", "-inform", "DER", "-in", &p7s]);
        assert!(
            stdout(&printed).contains("id-smime-aa-timeStampToken"),
            "no signature-time-stamp attribute in {p7s}"
        );
        ca.assert_cms_verifies(Path::new(&p7s), &dir.join(format!("case/{content}")));
    }

    // A certificate signature made without --tsa gets its token later.
    let second = ca.examiner("Second", "rsa", "examiner", (0, 365), "");
    let cosigned = dir
        .exhibit()
        .args(["sign", "case", "--cert"])
        .arg(&second.p12)
        .output()
        .unwrap();
    assert_eq!(cosigned.status.code(), Some(0), "{}", stderr(&cosigned));
    let url = server.url("rsa");
    let stamped = dir.output(["timestamp", "case", "--tsa", url.as_str()]);
    assert_eq!(stamped.status.code(), Some(0), "{}", stderr(&stamped));
    let second_id = cert_id(&ca, &second.cert);
    assert!(dir
        .join(format!("case/exhibit/timestamps/{second_id}.tsr"))
        .is_file());
    let report = verify_with(
        &dir,
        &["case".as_ref(), "--tsa-ca".as_ref(), pki.ca().as_os_str()],
        3,
    );
    let proven = report["signers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["proven_time"].is_string())
        .count();
    assert_eq!(proven, 2, "{report}");
}

/// `exhibit` on a real PKCS#11 token (SoftHSM2): the module, token and
/// object named by `--pkcs11-module` and an RFC 7512 URI, the PIN from
/// EXHIBIT_PKCS11_PIN.
fn on_token(
    dir: &Dir,
    hsm: &super::common::hsm::Hsm,
    pin: &str,
    args: &[&str],
) -> std::process::Output {
    dir.exhibit()
        .args(args)
        .arg("--pkcs11-module")
        .arg(&hsm.module)
        .env("SOFTHSM2_CONF", &hsm.conf)
        .env("EXHIBIT_PKCS11_PIN", pin)
        .output()
        .unwrap()
}

/// Sealing and co-signing on a smart card: an RSA key, and an ECDSA P-256
/// key (SoftHSM 2.6 has no CKM_ECDSA_SHA256: the hash is signed with
/// CKM_ECDSA), each with the certificate stored beside it on the token.
/// OpenSSL accepts the signatures; a wrong PIN, a missing object or a
/// module that does not load is exit 2 with one line, nothing written.
#[test]
fn a_smart_card_seals_and_signs() {
    let test = "a_smart_card_seals_and_signs";
    let dir = Dir::new();
    let Some(ca) = Ca::new(&dir.mkdir("pki"), test) else {
        return;
    };
    let Some(hsm) = super::common::hsm::Hsm::new(&dir.mkdir("hsm"), "Examiner", test) else {
        return;
    };
    let rsa = ca.examiner("Card Holder", "rsa", "examiner", (0, 365), "");
    let ec = ca.examiner("Second Holder", "p256", "examiner", (0, 365), "");
    hsm.import(&ca, "Examiner", &rsa, "seal", "01");
    hsm.import(&ca, "Examiner", &ec, "cosign", "02");
    dir.write("evidence/disk.img", super::common::content(100_000, 9));
    let chain = ca.intermediate().display().to_string();
    let pin = super::common::hsm::PIN;
    let sealed = on_token(
        &dir,
        &hsm,
        pin,
        &[
            "seal",
            "evidence",
            "-o",
            "case",
            "--case",
            "C",
            "--exhibit",
            "A1",
            "--pkcs11",
            "pkcs11:token=Examiner;object=seal",
            "--cert-chain",
            &chain,
        ],
    );
    assert_eq!(sealed.status.code(), Some(0), "{}", stderr(&sealed));
    let signed = on_token(
        &dir,
        &hsm,
        pin,
        &[
            "sign",
            "case",
            "--pkcs11",
            "pkcs11:token=Examiner;object=cosign;type=private",
            "--cert-chain",
            &chain,
        ],
    );
    assert_eq!(signed.status.code(), Some(0), "{}", stderr(&signed));

    let report = verify(&dir, &[&ca.root()], 0);
    let subjects: Vec<_> = report["signers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["subject"].as_str().unwrap().to_string(),
                s["trusted"].clone(),
            )
        })
        .collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(
        subjects.iter().all(|(_, trusted)| trusted == true),
        "{subjects:?}"
    );
    for cert in [&rsa.cert, &ec.cert] {
        let p7s = dir.join(format!(
            "case/exhibit/signatures/{}.p7s",
            cert_id(&ca, cert)
        ));
        ca.assert_cms_verifies(&p7s, &dir.join("case/exhibit/seal.json"));
    }

    let before = super::common::tree::read_tree(&dir.join("case"));
    let custody = |pin: &str, uri: &str| {
        on_token(
            &dir,
            &hsm,
            pin,
            &[
                "custody", "add", "case", "--action", "note", "--pkcs11", uri,
            ],
        )
    };
    for (output, expected) in [
        (
            custody("000000", "pkcs11:token=Examiner;object=seal"),
            "token \"Examiner\": wrong PIN",
        ),
        (
            custody(pin, "pkcs11:token=Examiner;object=missing"),
            "no private key with that name on token \"Examiner\"",
        ),
        (
            custody(pin, "pkcs11:token=Elsewhere;object=seal"),
            "no such token",
        ),
    ] {
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        let err = stderr(&output);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(expected), "{err}");
    }
    let unloadable = dir
        .exhibit()
        .args([
            "custody",
            "add",
            "case",
            "--action",
            "note",
            "--pkcs11",
            "pkcs11:object=seal",
        ])
        .args(["--pkcs11-module", "/nonexistent/module.so"])
        .env("EXHIBIT_PKCS11_PIN", pin)
        .output()
        .unwrap();
    assert_eq!(unloadable.status.code(), Some(2));
    assert!(stderr(&unloadable).contains("/nonexistent/module.so: cannot load the PKCS#11 module"));
    assert_eq!(super::common::tree::read_tree(&dir.join("case")), before);

    // And a custody event signed on the card.
    let added = custody(pin, "pkcs11:token=Examiner;object=seal");
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    let report = verify(&dir, &[&ca.root()], 0);
    assert_eq!(report["custody"][1]["actor_name"], "Card Holder");
}

/// A trust policy names issuing authorities, not keys: a certificate
/// signer counts when it chains to the authority's root and matches its
/// subject and policies, for its roles, unless its serial is revoked.
#[test]
fn a_trust_policy_trusts_an_authority() {
    let test = "a_trust_policy_trusts_an_authority";
    let dir = Dir::new();
    let Some(ca) = Ca::new(&dir.mkdir("pki"), test) else {
        return;
    };
    dir.write("evidence/a.txt", b"seized\n");
    let examiner = ca.examiner("Examiner", "rsa", "examiner", (0, 365), "");
    let sealed = dir
        .exhibit()
        .args([
            "seal",
            "evidence",
            "-o",
            "case",
            "--case",
            "C",
            "--exhibit",
            "A",
            "--cert",
        ])
        .arg(&examiner.p12)
        .output()
        .unwrap();
    assert_eq!(sealed.status.code(), Some(0), "{}", stderr(&sealed));
    let serial = verify(&dir, &[&ca.root()], 0)["signers"][0]["serial"]
        .as_str()
        .unwrap()
        .to_string();
    fs::copy(ca.root(), dir.join("gov-root.pem")).unwrap();
    let judged = |authority: &str| {
        dir.write(
            "policy.toml",
            format!("version = 1\n\n[[authority]]\nca = \"gov-root.pem\"\nname = \"Ministry of Justice PKI\"\n{authority}\n"),
        );
        let output = dir.output(["verify", "case", "--json", "--trust-policy", "policy.toml"]);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|_| panic!("{}", stderr(&output)));
        (
            output.status.code(),
            report["signers"][0]["untrusted_reason"].clone(),
        )
    };
    let roles = "roles = [\"seal\", \"custody\"]";
    assert_eq!(
        judged(&format!(
            "subject = \"O=Ministry of Public Security, OU=A05\"\n{roles}"
        )),
        (Some(0), serde_json::Value::Null)
    );
    assert_eq!(
        judged(&format!(
            "subject = \"O=Ministry of Public Security, OU=B07\"\n{roles}"
        )),
        (Some(3), "not listed".into())
    );
    assert_eq!(
        judged(&format!("policy_oids = [\"1.2.3.4.5\"]\n{roles}")),
        (Some(3), "not listed".into())
    );
    assert_eq!(judged("roles = [\"custody\"]"), (Some(3), "role".into()));
    assert_eq!(
        judged(&format!("revoked_serials = [\"{serial}\"]\n{roles}")),
        (Some(3), "revoked".into())
    );
    assert_eq!(
        judged(&format!("not_after = \"2020-01-01T00:00:00Z\"\n{roles}")),
        (Some(3), "expired".into())
    );

    // What a person reads says the policy trusted it, in the terminal and
    // in the report (not the missing --ca root).
    dir.write(
        "policy.toml",
        format!("version = 1\n[[authority]]\nca = \"gov-root.pem\"\n{roles}\n"),
    );
    let text = stdout(&dir.run(
        [
            "verify",
            "case",
            "--trust-policy",
            "policy.toml",
            "--report",
            "r.html",
        ],
        0,
    ));
    assert!(
        text.contains("valid signature, trusted (by the trust policy)"),
        "{text}"
    );
    let html = fs::read_to_string(dir.join("r.html")).unwrap();
    assert!(
        html.contains("trusted by the trust policy;"),
        "the report's signer row"
    );

    // The policy check shows the authority and what it allows.
    dir.write(
        "policy.toml",
        format!(
            "version = 1\n[[authority]]\nca = \"gov-root.pem\"\nsubject = \"OU=A05\"\n{roles}\n"
        ),
    );
    let shown = stdout(&dir.run(["trust", "check", "policy.toml"], 0));
    assert!(
        shown.contains("authority ./gov-root.pem (no name given; roots CN=Test Root CA,O=Ministry of Justice): certificates it issued may sign seal and custody; subject with OU=A05"),
        "{shown}"
    );
}

/// `min_signers` counts distinct identities, keys and certificates alike:
/// a seal by a key and a co-signature by a certificate are two.
#[test]
fn min_signers_counts_keys_and_certificates_alike() {
    let test = "min_signers_counts_keys_and_certificates_alike";
    let Some((dir, ca, key)) = setup(test) else {
        return;
    };
    fs::copy(ca.root(), dir.join("gov-root.pem")).unwrap();
    let policy = format!(
        "version = 1\n[seal]\nmin_signers = 2\n[[key]]\npublic_key = {:?}\nroles = [\"seal\", \"custody\"]\n[[authority]]\nca = \"gov-root.pem\"\nroles = [\"seal\"]\n",
        key.public.display().to_string()
    );
    dir.write("policy.toml", policy);
    let judged = |code| {
        let output = dir.output(["verify", "case", "--json", "--trust-policy", "policy.toml"]);
        assert_eq!(output.status.code(), Some(code), "{}", stdout(&output));
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let report = judged(3);
    assert_eq!(report["trusted_signers"].as_array().unwrap().len(), 1);
    let examiner = ca.examiner("Co-signer", "rsa", "examiner", (0, 365), "");
    cosign(&dir, &examiner, 0);
    let report = judged(0);
    assert_eq!(report["trusted_signers"].as_array().unwrap().len(), 2);
}

/// A signature whose signed attributes were added to after signing, or
/// whose certificate was swapped for another examiner's (signer identifier
/// included), is refused: the signature no longer verifies (exit 1).
#[test]
fn edited_attributes_and_a_swapped_certificate_are_refused() {
    use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
    use cms::content_info::ContentInfo;
    use cms::signed_data::{SignedData, SignerIdentifier};
    use der::asn1::{ObjectIdentifier, SetOfVec, Utf8StringRef};
    use der::{Decode, Encode};

    let test = "edited_attributes_and_a_swapped_certificate_are_refused";
    let Some((dir, ca, _key)) = setup(test) else {
        return;
    };
    let examiner = ca.examiner("Examiner", "rsa", "examiner", (0, 365), "");
    let other = ca.examiner("Other", "rsa", "examiner", (0, 365), "");
    cosign(&dir, &examiner, 0);
    let id = cert_id(&ca, &examiner.cert);
    let path = dir.join(format!("case/exhibit/signatures/{id}.p7s"));
    let good = fs::read(&path).unwrap();
    let rewrite = |edit: &dyn Fn(&mut SignedData)| -> Vec<u8> {
        let info = ContentInfo::from_der(&good).unwrap();
        let mut signed: SignedData = info.content.decode_as().unwrap();
        edit(&mut signed);
        let content = der::Any::from_der(&signed.to_der().unwrap()).unwrap();
        ContentInfo {
            content_type: info.content_type,
            content,
        }
        .to_der()
        .unwrap()
    };

    // One more signed attribute, added after signing.
    let added = rewrite(&|signed| {
        let mut signer = signed.signer_infos.0.get(0).unwrap().clone();
        let mut attributes = signer.signed_attrs.take().unwrap();
        let mut values = SetOfVec::new();
        let note = Utf8StringRef::new("added later").unwrap();
        values
            .insert(der::Any::from_der(&note.to_der().unwrap()).unwrap())
            .unwrap();
        attributes
            .insert(x509_cert::attr::Attribute {
                oid: ObjectIdentifier::new_unwrap("1.2.3.4.5"),
                values,
            })
            .unwrap();
        signer.signed_attrs = Some(attributes);
        signed.signer_infos =
            cms::signed_data::SignerInfos(SetOfVec::try_from(vec![signer]).unwrap());
    });
    fs::write(&path, &added).unwrap();
    let report = verify(&dir, &[&ca.root()], 1);
    let name = format!("exhibit/signatures/{id}.p7s");
    assert!(
        problems(&report).contains(&("signature.bad".into(), Some(name))),
        "{report}"
    );

    // Another examiner's certificate in place of the signer's.
    let other_der = ca.openssl(&[
        "x509",
        "-in",
        &other.cert.display().to_string(),
        "-outform",
        "DER",
    ]);
    let other_cert = x509_cert::Certificate::from_der(&other_der.stdout).unwrap();
    let swapped = rewrite(&|signed| {
        let mut certificates = SetOfVec::new();
        certificates
            .insert(CertificateChoices::Certificate(other_cert.clone()))
            .unwrap();
        signed.certificates = Some(cms::signed_data::CertificateSet(certificates));
        let mut signer = signed.signer_infos.0.get(0).unwrap().clone();
        signer.sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: other_cert.tbs_certificate.issuer.clone(),
            serial_number: other_cert.tbs_certificate.serial_number.clone(),
        });
        signed.signer_infos =
            cms::signed_data::SignerInfos(SetOfVec::try_from(vec![signer]).unwrap());
    });
    fs::remove_file(&path).unwrap();
    let other_id = cert_id(&ca, &other.cert);
    let other_name = format!("exhibit/signatures/{other_id}.p7s");
    fs::write(dir.join(format!("case/{other_name}")), &swapped).unwrap();
    let report = verify(&dir, &[&ca.root()], 1);
    assert!(
        problems(&report).contains(&("signature.bad".into(), Some(other_name))),
        "{report}"
    );
}
