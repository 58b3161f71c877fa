//! Signing keys end to end: `exhibit keygen` and `exhibit key id` run as the
//! real binary, and interoperability with OpenSSL in both directions.
//!
//! Tests that need `openssl` are skipped without it, except under CI (see
//! `tool_or_skip`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{run_tool, tool_or_skip, Dir};
use assert_cmd::assert::Assert;
use predicates::prelude::*;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use exhibit::keys::{self, KeyError, PublicKey, SecretKey};

// ---------------------------------------------------------------------------
// Harness

/// OpenSSL, for the test `test`; `None` when it is not installed (and the
/// test may be skipped, see `tool_or_skip`).
fn openssl_for(test: &str) -> Option<OpenSsl> {
    tool_or_skip("openssl", test).map(OpenSsl)
}

struct OpenSsl(PathBuf);

impl OpenSsl {
    /// Runs `openssl ARGS...` in `dir`, whatever its exit status.
    fn run(&self, dir: &Dir, args: &[&str]) -> Output {
        run_tool(&self.0, dir.path(), args)
    }

    /// Runs `openssl ARGS...` in `dir` and insists that it succeeds.
    fn ok(&self, dir: &Dir, args: &[&str]) -> Output {
        let out = self.run(dir, args);
        assert!(
            out.status.success(),
            "openssl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// The key id computed the independent way: SHA-256 of the last 32
    /// bytes of the DER public key OpenSSL prints.
    fn key_id(&self, dir: &Dir, args: &[&str]) -> String {
        let der = self.ok(dir, args).stdout;
        assert_eq!(der.len(), 44, "Ed25519 SPKI DER is 44 bytes");
        hex::encode(Sha256::digest(&der[der.len() - 32..]))
    }
}

/// `exhibit keygen -o DIR/NAME.key EXTRA...`, expected to succeed; returns
/// the printed key id.
fn keygen(dir: &Dir, name: &str, extra: &[&str]) -> String {
    let out = dir
        .exhibit()
        .args(["keygen", "-o", name])
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.ends_with('\n') && text.lines().count() == 1,
        "{text:?}"
    );
    let id = text.trim_end().to_string();
    assert_is_key_id(&id);
    id
}

fn key_id(dir: &Dir, file: &str) -> String {
    let out = dir
        .exhibit()
        .args(["key", "id", file])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap().trim_end().to_string()
}

/// `exhibit key id FILE` in `dir`, refused: exit 2, with `message` on
/// stderr.
fn key_id_refused(dir: &Dir, file: &str, message: &str) -> Assert {
    dir.exhibit()
        .args(["key", "id", file])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(message))
}

fn assert_is_key_id(id: &str) {
    assert_eq!(id.len(), 64, "{id:?}");
    assert!(
        id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
        "{id:?}"
    );
}

fn plain(dir: &Path) -> impl Fn() -> Result<Zeroizing<String>, KeyError> + '_ {
    move || panic!("no passphrase expected in {}", dir.display())
}

fn passphrase(value: &str) -> impl Fn() -> Result<Zeroizing<String>, KeyError> + '_ {
    move || Ok(Zeroizing::new(value.to_string()))
}

// ---------------------------------------------------------------------------
// keygen and key id

#[test]
fn keygen_writes_the_pair_and_prints_the_key_id() {
    let dir = Dir::new();
    let id = keygen(
        &dir,
        "examiner.key",
        &["--name", "A. Examiner", "--org", "Cyber Unit"],
    );
    let secret = fs::read_to_string(dir.join("examiner.key")).unwrap();
    let public = fs::read_to_string(dir.join("examiner.pub")).unwrap();
    assert!(secret.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    assert!(public.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert!(public.ends_with("-----END PUBLIC KEY-----\n"));
    assert_eq!(key_id(&dir, "examiner.key"), id);
    assert_eq!(key_id(&dir, "examiner.pub"), id);

    let loaded = PublicKey::load(&dir.join("examiner.pub")).unwrap();
    assert_eq!(loaded.key_id().to_string(), id);
    let identity = keys::load_identity(&dir.join("examiner.key")).unwrap();
    assert_eq!(identity.name.as_deref(), Some("A. Examiner"));
    assert_eq!(identity.organization.as_deref(), Some("Cyber Unit"));
    let checked = keys::load_identity_for(&dir.join("examiner.key"), &loaded.key_id()).unwrap();
    assert_eq!(checked, identity);
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("examiner.id.json")).unwrap()).unwrap();
    assert_eq!(json["type"], "exhibit.identity/1");
    assert_eq!(json["key_id"], id.as_str());
}

#[test]
fn key_id_short_form_is_the_first_16_digits() {
    let dir = Dir::new();
    let id = keygen(&dir, "k.key", &[]);
    dir.exhibit()
        .args(["key", "id", "--short", "k.pub"])
        .assert()
        .success()
        .stdout(format!("{}\n", &id[..16]));
}

#[test]
fn keygen_without_identity_writes_no_identity_file() {
    let dir = Dir::new();
    keygen(&dir, "k.key", &[]);
    assert!(!dir.join("k.id.json").exists());
    let identity = keys::load_identity(&dir.join("k.key")).unwrap();
    assert_eq!(identity, keys::Identity::default());
}

#[test]
fn output_without_key_extension_gets_pub_appended() {
    let dir = Dir::new();
    let id = keygen(&dir, "examiner", &[]);
    assert!(dir.join("examiner").is_file());
    assert_eq!(key_id(&dir, "examiner.pub"), id);
}

#[test]
fn secret_key_cannot_be_named_pub() {
    let dir = Dir::new();
    dir.exhibit()
        .args(["keygen", "-o", "k.pub"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("k.pub"));
    assert!(!dir.join("k.pub").exists());
}

#[cfg(unix)]
#[test]
fn secret_key_is_mode_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Dir::new();
    keygen(&dir, "k.key", &["--name", "X"]);
    let mode = fs::metadata(dir.join("k.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // No temporary files are left behind.
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["k.id.json", "k.key", "k.pub"]);
}

#[test]
fn keygen_refuses_to_overwrite_without_force() {
    let dir = Dir::new();
    let first = keygen(&dir, "k.key", &[]);
    let before = fs::read(dir.join("k.key")).unwrap();
    dir.exhibit()
        .args(["keygen", "-o", "k.key"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("k.key exists; use --force"));
    assert_eq!(fs::read(dir.join("k.key")).unwrap(), before);

    let second = keygen(&dir, "k.key", &["--force"]);
    assert_ne!(first, second);
    assert_eq!(key_id(&dir, "k.pub"), second);
}

#[test]
fn keygen_refuses_when_only_the_public_key_exists() {
    let dir = Dir::new();
    fs::write(dir.join("k.pub"), "someone else's key\n").unwrap();
    dir.exhibit()
        .args(["keygen", "-o", "k.key"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("k.pub exists; use --force"));
    assert!(!dir.join("k.key").exists());
}

#[test]
fn keygen_force_drops_a_stale_identity() {
    let dir = Dir::new();
    keygen(&dir, "k.key", &["--name", "Old Name"]);
    keygen(&dir, "k.key", &["--force"]);
    assert!(!dir.join("k.id.json").exists());
    assert_eq!(
        keys::load_identity(&dir.join("k.key")).unwrap(),
        keys::Identity::default()
    );
}

#[test]
fn identity_for_another_key_is_refused() {
    let dir = Dir::new();
    keygen(&dir, "a.key", &["--name", "A"]);
    keygen(&dir, "b.key", &[]);
    fs::copy(dir.join("a.id.json"), dir.join("b.id.json")).unwrap();
    let b = PublicKey::load(&dir.join("b.pub")).unwrap();
    let err = keys::load_identity_for(&dir.join("b.key"), &b.key_id()).unwrap_err();
    assert!(matches!(err, KeyError::Identity { .. }), "{err}");
}

#[test]
fn without_passphrase_or_terminal_the_key_is_plain_and_a_warning_is_printed() {
    let dir = Dir::new();
    dir.exhibit()
        .args(["keygen", "-o", "k.key"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: k.key is not encrypted"));
    let text = fs::read_to_string(dir.join("k.key")).unwrap();
    assert!(text.starts_with("-----BEGIN PRIVATE KEY-----\n"));

    // Asked for explicitly: no warning.
    dir.exhibit()
        .args(["keygen", "-o", "n.key", "--no-passphrase", "--quiet"])
        .env("EXHIBIT_PASSPHRASE", "ignored")
        .assert()
        .success()
        .stderr("");
    let text = fs::read_to_string(dir.join("n.key")).unwrap();
    assert!(text.starts_with("-----BEGIN PRIVATE KEY-----\n"));
}

#[test]
fn empty_passphrase_is_refused_for_a_new_key() {
    let dir = Dir::new();
    dir.exhibit()
        .args(["keygen", "-o", "k.key"])
        .env("EXHIBIT_PASSPHRASE", "")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("EXHIBIT_PASSPHRASE"));
    assert!(!dir.join("k.key").exists());
}

#[test]
fn encrypted_keygen_and_key_id_with_each_passphrase_source() {
    let dir = Dir::new();
    fs::write(dir.join("pass.txt"), "correct horse\n").unwrap();
    let id = keygen(&dir, "k.key", &["--passphrase-file", "pass.txt"]);
    let text = fs::read_to_string(dir.join("k.key")).unwrap();
    assert!(text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));

    dir.exhibit()
        .args(["key", "id", "k.key", "--passphrase-file", "pass.txt"])
        .assert()
        .success()
        .stdout(format!("{id}\n"));
    dir.exhibit()
        .args(["key", "id", "k.key"])
        .env("EXHIBIT_PASSPHRASE", "correct horse")
        .assert()
        .success()
        .stdout(format!("{id}\n"));
    // The public key never needs a passphrase.
    assert_eq!(key_id(&dir, "k.pub"), id);

    let secret = SecretKey::load(&dir.join("k.key"), &passphrase("correct horse")).unwrap();
    assert_eq!(secret.public_key().key_id().to_string(), id);
}

#[test]
fn wrong_passphrase_is_exit_2() {
    let dir = Dir::new();
    keygen(&dir, "k.key", &[]);
    dir.exhibit()
        .args(["keygen", "-o", "e.key"])
        .env("EXHIBIT_PASSPHRASE", "right")
        .assert()
        .success();
    dir.exhibit()
        .args(["key", "id", "e.key"])
        .env("EXHIBIT_PASSPHRASE", "wrong")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("e.key: wrong passphrase"));
    let err = SecretKey::load(&dir.join("e.key"), &passphrase("wrong")).unwrap_err();
    assert!(matches!(err, KeyError::WrongPassphrase { .. }), "{err}");
}

#[test]
fn encrypted_key_without_passphrase_source_is_exit_2() {
    let dir = Dir::new();
    dir.exhibit()
        .args(["keygen", "-o", "e.key"])
        .env("EXHIBIT_PASSPHRASE", "right")
        .assert()
        .success();
    key_id_refused(&dir, "e.key", "e.key is encrypted");
}

#[test]
fn missing_passphrase_file_is_exit_2() {
    let dir = Dir::new();
    dir.exhibit()
        .args(["keygen", "-o", "k.key", "--passphrase-file", "nope.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.txt"));
    assert!(!dir.join("k.key").exists());
}

#[test]
fn missing_key_file_is_exit_2_naming_it() {
    let dir = Dir::new();
    key_id_refused(&dir, "absent.pub", "absent.pub");
}

#[test]
fn truncated_pem_is_exit_2() {
    let dir = Dir::new();
    keygen(&dir, "k.key", &[]);
    let text = fs::read_to_string(dir.join("k.key")).unwrap();

    // Cut in the middle: no END line.
    fs::write(dir.join("cut.key"), &text[..text.len() / 2]).unwrap();
    // END line kept, base64 shortened: the DER inside is incomplete.
    let lines: Vec<&str> = text.lines().collect();
    let short = format!(
        "{}\nMC4CAQAwBQYDK2VwBCIE\n{}\n",
        lines[0],
        lines[lines.len() - 1]
    );
    fs::write(dir.join("short.key"), short).unwrap();
    fs::write(dir.join("empty.key"), "").unwrap();

    for name in ["cut.key", "short.key", "empty.key"] {
        key_id_refused(&dir, name, &format!("exhibit: {name}: ")).stdout("");
        let err = SecretKey::load(&dir.join(name), &plain(dir.path())).unwrap_err();
        assert!(
            matches!(err, KeyError::Malformed { .. } | KeyError::NotPem { .. }),
            "{name}: {err}"
        );
    }
}

#[test]
fn public_key_where_secret_key_is_needed_and_the_other_way_round() {
    let dir = Dir::new();
    keygen(&dir, "k.key", &[]);
    let err = SecretKey::load(&dir.join("k.pub"), &plain(dir.path())).unwrap_err();
    assert!(
        matches!(err, KeyError::PublicGivenForSecret { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("k.pub"), "{err}");
    let err = PublicKey::load(&dir.join("k.key")).unwrap_err();
    assert!(
        matches!(err, KeyError::SecretGivenForPublic { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("k.key"), "{err}");
}

#[test]
fn weak_public_key_is_exit_2() {
    let dir = Dir::new();
    // SPKI of the identity point, a small-order key.
    let mut der = vec![
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    let mut point = [0u8; 32];
    point[0] = 1;
    der.extend_from_slice(&point);
    use base64::Engine as _;
    let pem = format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        base64::engine::general_purpose::STANDARD.encode(&der)
    );
    fs::write(dir.join("weak.pub"), pem).unwrap();
    key_id_refused(&dir, "weak.pub", "weak.pub: weak Ed25519 public key");
}

#[test]
fn openssh_private_key_is_refused_by_name() {
    let dir = Dir::new();
    fs::write(
        dir.join("id_ed25519"),
        "-----BEGIN OPENSSH PRIVATE KEY-----\n\
         b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n\
         -----END OPENSSH PRIVATE KEY-----\n",
    )
    .unwrap();
    key_id_refused(
        &dir,
        "id_ed25519",
        "id_ed25519: this is an OpenSSH-format private key",
    );
}

// ---------------------------------------------------------------------------
// OpenSSL interoperability

#[test]
fn openssl_key_loads_and_its_id_is_the_hash_of_the_raw_public_key() {
    let Some(openssl) =
        openssl_for("openssl_key_loads_and_its_id_is_the_hash_of_the_raw_public_key")
    else {
        return;
    };
    let dir = Dir::new();
    openssl.ok(&dir, &["genpkey", "-algorithm", "ed25519", "-out", "o.key"]);
    let expected = openssl.key_id(
        &dir,
        &["pkey", "-in", "o.key", "-pubout", "-outform", "DER"],
    );
    openssl.ok(&dir, &["pkey", "-in", "o.key", "-pubout", "-out", "o.pub"]);
    let pub_der_id = openssl.key_id(&dir, &["pkey", "-pubin", "-in", "o.pub", "-outform", "DER"]);
    assert_eq!(pub_der_id, expected);
    assert_eq!(key_id(&dir, "o.key"), expected);
    assert_eq!(key_id(&dir, "o.pub"), expected);

    // Our SPKI encoding is byte-for-byte OpenSSL's.
    let secret = SecretKey::load(&dir.join("o.key"), &plain(dir.path())).unwrap();
    assert_eq!(
        secret.public_key().to_spki_pem(),
        fs::read_to_string(dir.join("o.pub")).unwrap()
    );
}

#[test]
fn our_keys_are_read_by_openssl() {
    let Some(openssl) = openssl_for("our_keys_are_read_by_openssl") else {
        return;
    };
    let dir = Dir::new();
    let id = keygen(&dir, "k.key", &[]);
    let public = openssl
        .ok(&dir, &["pkey", "-in", "k.key", "-pubout"])
        .stdout;
    assert_eq!(public, fs::read(dir.join("k.pub")).unwrap());
    let from_pub = openssl.key_id(&dir, &["pkey", "-pubin", "-in", "k.pub", "-outform", "DER"]);
    assert_eq!(from_pub, id);
    // And the secret key re-exported by OpenSSL is the same PKCS#8 text.
    let secret = openssl.ok(&dir, &["pkey", "-in", "k.key"]).stdout;
    assert_eq!(secret, fs::read(dir.join("k.key")).unwrap());
}

#[test]
fn our_signature_verifies_with_openssl_and_openssl_signature_with_us() {
    let Some(openssl) =
        openssl_for("our_signature_verifies_with_openssl_and_openssl_signature_with_us")
    else {
        return;
    };
    let dir = Dir::new();
    keygen(&dir, "k.key", &[]);
    let message = b"exhibit A1: sealed disk image\n".repeat(100);
    fs::write(dir.join("msg"), &message).unwrap();

    let secret = SecretKey::load(&dir.join("k.key"), &plain(dir.path())).unwrap();
    fs::write(dir.join("sig.bin"), secret.sign(&message)).unwrap();
    let out = openssl.ok(
        &dir,
        &[
            "pkeyutl", "-verify", "-pubin", "-inkey", "k.pub", "-rawin", "-in", "msg", "-sigfile",
            "sig.bin",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Signature Verified Successfully"));

    // A changed message must fail under OpenSSL too.
    fs::write(dir.join("other"), b"exhibit A2").unwrap();
    let status = openssl
        .run(
            &dir,
            &[
                "pkeyutl", "-verify", "-pubin", "-inkey", "k.pub", "-rawin", "-in", "other",
                "-sigfile", "sig.bin",
            ],
        )
        .status;
    assert!(!status.success());

    openssl.ok(
        &dir,
        &[
            "pkeyutl", "-sign", "-inkey", "k.key", "-rawin", "-in", "msg", "-out", "osig.bin",
        ],
    );
    let signature: [u8; 64] = fs::read(dir.join("osig.bin")).unwrap().try_into().unwrap();
    let public = PublicKey::load(&dir.join("k.pub")).unwrap();
    public.verify_strict(&message, &signature).unwrap();
    assert!(public.verify_strict(b"exhibit A2", &signature).is_err());
}

#[test]
fn openssl_encrypted_key_loads_with_env_and_passphrase_file() {
    let Some(openssl) = openssl_for("openssl_encrypted_key_loads_with_env_and_passphrase_file")
    else {
        return;
    };
    let dir = Dir::new();
    openssl.ok(
        &dir,
        &[
            "genpkey",
            "-algorithm",
            "ed25519",
            "-aes256",
            "-pass",
            "pass:open sesame",
            "-out",
            "o.key",
        ],
    );
    let text = fs::read_to_string(dir.join("o.key")).unwrap();
    assert!(text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
    let expected = openssl.key_id(
        &dir,
        &[
            "pkey",
            "-in",
            "o.key",
            "-passin",
            "pass:open sesame",
            "-pubout",
            "-outform",
            "DER",
        ],
    );
    openssl.ok(
        &dir,
        &[
            "pkey",
            "-in",
            "o.key",
            "-passin",
            "pass:open sesame",
            "-pubout",
            "-out",
            "o.pub",
        ],
    );

    dir.exhibit()
        .args(["key", "id", "o.key"])
        .env("EXHIBIT_PASSPHRASE", "open sesame")
        .assert()
        .success()
        .stdout(format!("{expected}\n"));
    fs::write(dir.join("pass.txt"), "open sesame\r\n").unwrap();
    dir.exhibit()
        .args(["key", "id", "o.key", "--passphrase-file", "pass.txt"])
        .assert()
        .success()
        .stdout(format!("{expected}\n"));
    dir.exhibit()
        .args(["key", "id", "o.key"])
        .env("EXHIBIT_PASSPHRASE", "open says me")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("o.key: wrong passphrase"));

    // Signing with the OpenSSL-made encrypted key, checked by OpenSSL.
    let secret = SecretKey::load(&dir.join("o.key"), &passphrase("open sesame")).unwrap();
    fs::write(dir.join("msg"), b"seal statement bytes").unwrap();
    fs::write(dir.join("sig.bin"), secret.sign(b"seal statement bytes")).unwrap();
    openssl.ok(
        &dir,
        &[
            "pkeyutl", "-verify", "-pubin", "-inkey", "o.pub", "-rawin", "-in", "msg", "-sigfile",
            "sig.bin",
        ],
    );
}

#[test]
fn openssl_scrypt_encrypted_key_loads() {
    let Some(openssl) = openssl_for("openssl_scrypt_encrypted_key_loads") else {
        return;
    };
    let dir = Dir::new();
    openssl.ok(&dir, &["genpkey", "-algorithm", "ed25519", "-out", "p.key"]);
    openssl.ok(
        &dir,
        &[
            "pkcs8", "-topk8", "-scrypt", "-in", "p.key", "-passout", "pass:pw", "-out", "s.key",
        ],
    );
    let expected = key_id(&dir, "p.key");
    dir.exhibit()
        .args(["key", "id", "s.key"])
        .env("EXHIBIT_PASSPHRASE", "pw")
        .assert()
        .success()
        .stdout(format!("{expected}\n"));
}

#[test]
fn our_encrypted_key_opens_with_openssl() {
    let Some(openssl) = openssl_for("our_encrypted_key_opens_with_openssl") else {
        return;
    };
    let dir = Dir::new();
    fs::write(dir.join("pass.txt"), "correct horse battery staple\n").unwrap();
    keygen(&dir, "k.key", &["--passphrase-file", "pass.txt"]);
    let public = openssl
        .ok(
            &dir,
            &[
                "pkey",
                "-in",
                "k.key",
                "-passin",
                "file:pass.txt",
                "-pubout",
            ],
        )
        .stdout;
    assert_eq!(public, fs::read(dir.join("k.pub")).unwrap());

    // The documented parameters: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC.
    let parsed =
        String::from_utf8(openssl.ok(&dir, &["asn1parse", "-in", "k.key"]).stdout).unwrap();
    for name in ["PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc"] {
        assert!(parsed.contains(name), "{name} missing in:\n{parsed}");
    }

    // Wrong passphrase: OpenSSL refuses too.
    let status = openssl
        .run(
            &dir,
            &["pkey", "-in", "k.key", "-passin", "pass:nope", "-noout"],
        )
        .status;
    assert!(!status.success());
}

#[test]
fn rsa_keys_are_refused_with_a_clear_message() {
    let Some(openssl) = openssl_for("rsa_keys_are_refused_with_a_clear_message") else {
        return;
    };
    let dir = Dir::new();
    openssl.ok(
        &dir,
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            "r.key",
        ],
    );
    openssl.ok(&dir, &["pkey", "-in", "r.key", "-pubout", "-out", "r.pub"]);
    openssl.ok(
        &dir,
        &["rsa", "-in", "r.key", "-traditional", "-out", "r1.key"],
    );
    assert!(fs::read_to_string(dir.join("r1.key"))
        .unwrap()
        .starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    for name in ["r.key", "r.pub", "r1.key"] {
        key_id_refused(
            &dir,
            name,
            &format!("{name}: this is an RSA key; exhibit signs with Ed25519 keys only"),
        )
        .stdout("");
    }
    let err = SecretKey::load(&dir.join("r.key"), &plain(dir.path())).unwrap_err();
    assert!(matches!(err, KeyError::WrongKeyType { .. }), "{err}");
}

#[test]
fn ec_p256_keys_are_refused_with_a_clear_message() {
    let Some(openssl) = openssl_for("ec_p256_keys_are_refused_with_a_clear_message") else {
        return;
    };
    let dir = Dir::new();
    openssl.ok(
        &dir,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "e.key",
        ],
    );
    openssl.ok(&dir, &["pkey", "-in", "e.key", "-pubout", "-out", "e.pub"]);
    openssl.ok(
        &dir,
        &[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-out",
            "sec1.key",
        ],
    );
    for name in ["e.key", "e.pub", "sec1.key"] {
        key_id_refused(&dir, name, &format!("{name}: this is an EC P-256 key"));
    }
}

#[test]
fn x25519_keys_are_refused() {
    let Some(openssl) = openssl_for("x25519_keys_are_refused") else {
        return;
    };
    let dir = Dir::new();
    openssl.ok(&dir, &["genpkey", "-algorithm", "X25519", "-out", "x.key"]);
    key_id_refused(&dir, "x.key", "x.key: this is an X25519 key");
}

#[test]
fn der_key_file_gets_a_conversion_hint() {
    let Some(openssl) = openssl_for("der_key_file_gets_a_conversion_hint") else {
        return;
    };
    let dir = Dir::new();
    openssl.ok(
        &dir,
        &[
            "genpkey",
            "-algorithm",
            "ed25519",
            "-outform",
            "DER",
            "-out",
            "k.der",
        ],
    );
    key_id_refused(&dir, "k.der", "k.der: not a PEM key file")
        .stderr(predicate::str::contains("DER"));
}

#[test]
fn certificate_is_refused_with_a_hint() {
    let Some(openssl) = openssl_for("certificate_is_refused_with_a_hint") else {
        return;
    };
    let dir = Dir::new();
    keygen(&dir, "k.key", &[]);
    openssl.ok(
        &dir,
        &[
            "req",
            "-x509",
            "-new",
            "-key",
            "k.key",
            "-subj",
            "/CN=Examiner",
            "-days",
            "1",
            "-out",
            "cert.pem",
        ],
    );
    key_id_refused(&dir, "cert.pem", "cert.pem: this is an X.509 certificate");
}

#[test]
fn legacy_encryption_is_refused_before_asking_for_a_passphrase() {
    let Some(openssl) = openssl_for("legacy_encryption_is_refused_before_asking_for_a_passphrase")
    else {
        return;
    };
    let dir = Dir::new();
    openssl.ok(&dir, &["genpkey", "-algorithm", "ed25519", "-out", "p.key"]);
    openssl.ok(
        &dir,
        &[
            "pkcs8",
            "-topk8",
            "-v1",
            "PBE-SHA1-3DES",
            "-in",
            "p.key",
            "-passout",
            "pass:pw",
            "-out",
            "legacy.key",
        ],
    );
    // No passphrase source at all: the refusal must come first.
    key_id_refused(&dir, "legacy.key", "legacy.key: encrypted with legacy");
}

/// Regression: keygen took EXHIBIT_PASSPHRASE from the environment without
/// saying so; a forgotten variable would encrypt a key with a passphrase
/// its owner does not know it has.
#[test]
fn keygen_says_when_the_passphrase_came_from_the_environment() {
    let dir = Dir::new();
    dir.exhibit()
        .args(["keygen", "-o", "e.key"])
        .env("EXHIBIT_PASSPHRASE", "from the environment")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "encrypted with the passphrase in EXHIBIT_PASSPHRASE",
        ));
}
