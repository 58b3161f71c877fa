//! Signing keys end to end: `exhibit keygen` and `exhibit key id` run as the
//! real binary, and interoperability with OpenSSL in both directions.
//!
//! Tests that need `openssl` print why and return when it is not installed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use predicates::prelude::*;
use sha2::{Digest, Sha256};
use tempfile::TempDir;
use zeroize::Zeroizing;

use exhibit::keys::{self, KeyError, PublicKey, SecretKey};

// ---------------------------------------------------------------------------
// Harness

/// `exhibit` with no passphrase in the environment and stdin that is not a
/// terminal, so nothing ever prompts.
fn exhibit() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_exhibit"));
    cmd.env_remove("EXHIBIT_PASSPHRASE").write_stdin("");
    cmd
}

fn openssl_available() -> bool {
    let found = std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|out| out.status.success());
    if !found {
        eprintln!("skipped: openssl is not installed");
    }
    found
}

macro_rules! require_openssl {
    () => {
        if !openssl_available() {
            return;
        }
    };
}

/// Runs `openssl ARGS...` in `dir` and insists that it succeeds.
fn openssl(dir: &Path, args: &[&str]) -> Output {
    let out = std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `exhibit keygen -o DIR/NAME.key EXTRA...`, expected to succeed; returns
/// the printed key id.
fn keygen(dir: &Path, name: &str, extra: &[&str]) -> String {
    let out = exhibit()
        .current_dir(dir)
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

fn key_id(dir: &Path, file: &str) -> String {
    let out = exhibit()
        .current_dir(dir)
        .args(["key", "id", file])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap().trim_end().to_string()
}

fn assert_is_key_id(id: &str) {
    assert_eq!(id.len(), 64, "{id:?}");
    assert!(
        id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
        "{id:?}"
    );
}

/// The key id computed the independent way: SHA-256 of the last 32 bytes
/// of the DER public key OpenSSL prints.
fn openssl_key_id(dir: &Path, args: &[&str]) -> String {
    let der = openssl(dir, args).stdout;
    assert_eq!(der.len(), 44, "Ed25519 SPKI DER is 44 bytes");
    hex::encode(Sha256::digest(&der[der.len() - 32..]))
}

fn plain(dir: &Path) -> impl Fn() -> Result<Zeroizing<String>, KeyError> + '_ {
    move || panic!("no passphrase expected in {}", dir.display())
}

fn passphrase(value: &str) -> impl Fn() -> Result<Zeroizing<String>, KeyError> + '_ {
    move || Ok(Zeroizing::new(value.to_string()))
}

fn tmp() -> TempDir {
    tempfile::tempdir().unwrap()
}

fn path(dir: &TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

// ---------------------------------------------------------------------------
// keygen and key id

#[test]
fn keygen_writes_the_pair_and_prints_the_key_id() {
    let dir = tmp();
    let id = keygen(
        dir.path(),
        "examiner.key",
        &["--name", "A. Examiner", "--org", "Cyber Unit"],
    );
    let secret = fs::read_to_string(path(&dir, "examiner.key")).unwrap();
    let public = fs::read_to_string(path(&dir, "examiner.pub")).unwrap();
    assert!(secret.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    assert!(public.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert!(public.ends_with("-----END PUBLIC KEY-----\n"));
    assert_eq!(key_id(dir.path(), "examiner.key"), id);
    assert_eq!(key_id(dir.path(), "examiner.pub"), id);

    let loaded = PublicKey::load(&path(&dir, "examiner.pub")).unwrap();
    assert_eq!(loaded.key_id().to_string(), id);
    let identity = keys::load_identity(&path(&dir, "examiner.key")).unwrap();
    assert_eq!(identity.name.as_deref(), Some("A. Examiner"));
    assert_eq!(identity.organization.as_deref(), Some("Cyber Unit"));
    let checked = keys::load_identity_for(&path(&dir, "examiner.key"), &loaded.key_id()).unwrap();
    assert_eq!(checked, identity);
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path(&dir, "examiner.id.json")).unwrap()).unwrap();
    assert_eq!(json["type"], "exhibit.identity/1");
    assert_eq!(json["key_id"], id.as_str());
}

#[test]
fn key_id_short_form_is_the_first_16_digits() {
    let dir = tmp();
    let id = keygen(dir.path(), "k.key", &[]);
    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "--short", "k.pub"])
        .assert()
        .success()
        .stdout(format!("{}\n", &id[..16]));
}

#[test]
fn keygen_without_identity_writes_no_identity_file() {
    let dir = tmp();
    keygen(dir.path(), "k.key", &[]);
    assert!(!path(&dir, "k.id.json").exists());
    let identity = keys::load_identity(&path(&dir, "k.key")).unwrap();
    assert_eq!(identity, keys::Identity::default());
}

#[test]
fn output_without_key_extension_gets_pub_appended() {
    let dir = tmp();
    let id = keygen(dir.path(), "examiner", &[]);
    assert!(path(&dir, "examiner").is_file());
    assert_eq!(key_id(dir.path(), "examiner.pub"), id);
}

#[test]
fn secret_key_cannot_be_named_pub() {
    let dir = tmp();
    exhibit()
        .current_dir(dir.path())
        .args(["keygen", "-o", "k.pub"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("k.pub"));
    assert!(!path(&dir, "k.pub").exists());
}

#[cfg(unix)]
#[test]
fn secret_key_is_mode_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp();
    keygen(dir.path(), "k.key", &["--name", "X"]);
    let mode = fs::metadata(path(&dir, "k.key"))
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
    let dir = tmp();
    let first = keygen(dir.path(), "k.key", &[]);
    let before = fs::read(path(&dir, "k.key")).unwrap();
    exhibit()
        .current_dir(dir.path())
        .args(["keygen", "-o", "k.key"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("k.key exists; use --force"));
    assert_eq!(fs::read(path(&dir, "k.key")).unwrap(), before);

    let second = keygen(dir.path(), "k.key", &["--force"]);
    assert_ne!(first, second);
    assert_eq!(key_id(dir.path(), "k.pub"), second);
}

#[test]
fn keygen_refuses_when_only_the_public_key_exists() {
    let dir = tmp();
    fs::write(path(&dir, "k.pub"), "someone else's key\n").unwrap();
    exhibit()
        .current_dir(dir.path())
        .args(["keygen", "-o", "k.key"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("k.pub exists; use --force"));
    assert!(!path(&dir, "k.key").exists());
}

#[test]
fn keygen_force_drops_a_stale_identity() {
    let dir = tmp();
    keygen(dir.path(), "k.key", &["--name", "Old Name"]);
    keygen(dir.path(), "k.key", &["--force"]);
    assert!(!path(&dir, "k.id.json").exists());
    assert_eq!(
        keys::load_identity(&path(&dir, "k.key")).unwrap(),
        keys::Identity::default()
    );
}

#[test]
fn identity_for_another_key_is_refused() {
    let dir = tmp();
    keygen(dir.path(), "a.key", &["--name", "A"]);
    keygen(dir.path(), "b.key", &[]);
    fs::copy(path(&dir, "a.id.json"), path(&dir, "b.id.json")).unwrap();
    let b = PublicKey::load(&path(&dir, "b.pub")).unwrap();
    let err = keys::load_identity_for(&path(&dir, "b.key"), &b.key_id()).unwrap_err();
    assert!(matches!(err, KeyError::Identity { .. }), "{err}");
}

#[test]
fn without_passphrase_or_terminal_the_key_is_plain_and_a_warning_is_printed() {
    let dir = tmp();
    exhibit()
        .current_dir(dir.path())
        .args(["keygen", "-o", "k.key"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: k.key is not encrypted"));
    let text = fs::read_to_string(path(&dir, "k.key")).unwrap();
    assert!(text.starts_with("-----BEGIN PRIVATE KEY-----\n"));

    // Asked for explicitly: no warning.
    exhibit()
        .current_dir(dir.path())
        .args(["keygen", "-o", "n.key", "--no-passphrase", "--quiet"])
        .env("EXHIBIT_PASSPHRASE", "ignored")
        .assert()
        .success()
        .stderr("");
    let text = fs::read_to_string(path(&dir, "n.key")).unwrap();
    assert!(text.starts_with("-----BEGIN PRIVATE KEY-----\n"));
}

#[test]
fn empty_passphrase_is_refused_for_a_new_key() {
    let dir = tmp();
    exhibit()
        .current_dir(dir.path())
        .args(["keygen", "-o", "k.key"])
        .env("EXHIBIT_PASSPHRASE", "")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("EXHIBIT_PASSPHRASE"));
    assert!(!path(&dir, "k.key").exists());
}

#[test]
fn encrypted_keygen_and_key_id_with_each_passphrase_source() {
    let dir = tmp();
    fs::write(path(&dir, "pass.txt"), "correct horse\n").unwrap();
    let id = keygen(dir.path(), "k.key", &["--passphrase-file", "pass.txt"]);
    let text = fs::read_to_string(path(&dir, "k.key")).unwrap();
    assert!(text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));

    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "k.key", "--passphrase-file", "pass.txt"])
        .assert()
        .success()
        .stdout(format!("{id}\n"));
    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "k.key"])
        .env("EXHIBIT_PASSPHRASE", "correct horse")
        .assert()
        .success()
        .stdout(format!("{id}\n"));
    // The public key never needs a passphrase.
    assert_eq!(key_id(dir.path(), "k.pub"), id);

    let secret = SecretKey::load(&path(&dir, "k.key"), &passphrase("correct horse")).unwrap();
    assert_eq!(secret.public_key().key_id().to_string(), id);
}

#[test]
fn wrong_passphrase_is_exit_2() {
    let dir = tmp();
    keygen(dir.path(), "k.key", &[]);
    exhibit()
        .current_dir(dir.path())
        .args(["keygen", "-o", "e.key"])
        .env("EXHIBIT_PASSPHRASE", "right")
        .assert()
        .success();
    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "e.key"])
        .env("EXHIBIT_PASSPHRASE", "wrong")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("e.key: wrong passphrase"));
    let err = SecretKey::load(&path(&dir, "e.key"), &passphrase("wrong")).unwrap_err();
    assert!(matches!(err, KeyError::WrongPassphrase { .. }), "{err}");
}

#[test]
fn encrypted_key_without_passphrase_source_is_exit_2() {
    let dir = tmp();
    exhibit()
        .current_dir(dir.path())
        .args(["keygen", "-o", "e.key"])
        .env("EXHIBIT_PASSPHRASE", "right")
        .assert()
        .success();
    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "e.key"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("e.key is encrypted"));
}

#[test]
fn missing_passphrase_file_is_exit_2() {
    let dir = tmp();
    exhibit()
        .current_dir(dir.path())
        .args(["keygen", "-o", "k.key", "--passphrase-file", "nope.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.txt"));
    assert!(!path(&dir, "k.key").exists());
}

#[test]
fn missing_key_file_is_exit_2_naming_it() {
    let dir = tmp();
    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "absent.pub"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("absent.pub"));
}

#[test]
fn truncated_pem_is_exit_2() {
    let dir = tmp();
    keygen(dir.path(), "k.key", &[]);
    let text = fs::read_to_string(path(&dir, "k.key")).unwrap();

    // Cut in the middle: no END line.
    fs::write(path(&dir, "cut.key"), &text[..text.len() / 2]).unwrap();
    // END line kept, base64 shortened: the DER inside is incomplete.
    let lines: Vec<&str> = text.lines().collect();
    let short = format!(
        "{}\nMC4CAQAwBQYDK2VwBCIE\n{}\n",
        lines[0],
        lines[lines.len() - 1]
    );
    fs::write(path(&dir, "short.key"), short).unwrap();
    fs::write(path(&dir, "empty.key"), "").unwrap();

    for name in ["cut.key", "short.key", "empty.key"] {
        exhibit()
            .current_dir(dir.path())
            .args(["key", "id", name])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!("exhibit: {name}: ")));
        let err = SecretKey::load(&path(&dir, name), &plain(dir.path())).unwrap_err();
        assert!(
            matches!(err, KeyError::Malformed { .. } | KeyError::NotPem { .. }),
            "{name}: {err}"
        );
    }
}

#[test]
fn public_key_where_secret_key_is_needed_and_the_other_way_round() {
    let dir = tmp();
    keygen(dir.path(), "k.key", &[]);
    let err = SecretKey::load(&path(&dir, "k.pub"), &plain(dir.path())).unwrap_err();
    assert!(
        matches!(err, KeyError::PublicGivenForSecret { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("k.pub"), "{err}");
    let err = PublicKey::load(&path(&dir, "k.key")).unwrap_err();
    assert!(
        matches!(err, KeyError::SecretGivenForPublic { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("k.key"), "{err}");
}

#[test]
fn weak_public_key_is_exit_2() {
    let dir = tmp();
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
    fs::write(path(&dir, "weak.pub"), pem).unwrap();
    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "weak.pub"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "weak.pub: weak Ed25519 public key",
        ));
}

#[test]
fn openssh_private_key_is_refused_by_name() {
    let dir = tmp();
    fs::write(
        path(&dir, "id_ed25519"),
        "-----BEGIN OPENSSH PRIVATE KEY-----\n\
         b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n\
         -----END OPENSSH PRIVATE KEY-----\n",
    )
    .unwrap();
    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "id_ed25519"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "id_ed25519: this is an OpenSSH-format private key",
        ));
}

// ---------------------------------------------------------------------------
// OpenSSL interoperability

#[test]
fn openssl_key_loads_and_its_id_is_the_hash_of_the_raw_public_key() {
    require_openssl!();
    let dir = tmp();
    openssl(
        dir.path(),
        &["genpkey", "-algorithm", "ed25519", "-out", "o.key"],
    );
    let expected = openssl_key_id(
        dir.path(),
        &["pkey", "-in", "o.key", "-pubout", "-outform", "DER"],
    );
    openssl(
        dir.path(),
        &["pkey", "-in", "o.key", "-pubout", "-out", "o.pub"],
    );
    let pub_der_id = openssl_key_id(
        dir.path(),
        &["pkey", "-pubin", "-in", "o.pub", "-outform", "DER"],
    );
    assert_eq!(pub_der_id, expected);
    assert_eq!(key_id(dir.path(), "o.key"), expected);
    assert_eq!(key_id(dir.path(), "o.pub"), expected);

    // Our SPKI encoding is byte-for-byte OpenSSL's.
    let secret = SecretKey::load(&path(&dir, "o.key"), &plain(dir.path())).unwrap();
    assert_eq!(
        secret.public_key().to_spki_pem(),
        fs::read_to_string(path(&dir, "o.pub")).unwrap()
    );
}

#[test]
fn our_keys_are_read_by_openssl() {
    require_openssl!();
    let dir = tmp();
    let id = keygen(dir.path(), "k.key", &[]);
    let public = openssl(dir.path(), &["pkey", "-in", "k.key", "-pubout"]).stdout;
    assert_eq!(public, fs::read(path(&dir, "k.pub")).unwrap());
    let from_pub = openssl_key_id(
        dir.path(),
        &["pkey", "-pubin", "-in", "k.pub", "-outform", "DER"],
    );
    assert_eq!(from_pub, id);
    // And the secret key re-exported by OpenSSL is the same PKCS#8 text.
    let secret = openssl(dir.path(), &["pkey", "-in", "k.key"]).stdout;
    assert_eq!(secret, fs::read(path(&dir, "k.key")).unwrap());
}

#[test]
fn our_signature_verifies_with_openssl_and_openssl_signature_with_us() {
    require_openssl!();
    let dir = tmp();
    keygen(dir.path(), "k.key", &[]);
    let message = b"exhibit A1: sealed disk image\n".repeat(100);
    fs::write(path(&dir, "msg"), &message).unwrap();

    let secret = SecretKey::load(&path(&dir, "k.key"), &plain(dir.path())).unwrap();
    fs::write(path(&dir, "sig.bin"), secret.sign(&message)).unwrap();
    let out = openssl(
        dir.path(),
        &[
            "pkeyutl", "-verify", "-pubin", "-inkey", "k.pub", "-rawin", "-in", "msg", "-sigfile",
            "sig.bin",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Signature Verified Successfully"));

    // A changed message must fail under OpenSSL too.
    fs::write(path(&dir, "other"), b"exhibit A2").unwrap();
    let status = std::process::Command::new("openssl")
        .args([
            "pkeyutl", "-verify", "-pubin", "-inkey", "k.pub", "-rawin", "-in", "other",
            "-sigfile", "sig.bin",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap()
        .status;
    assert!(!status.success());

    openssl(
        dir.path(),
        &[
            "pkeyutl", "-sign", "-inkey", "k.key", "-rawin", "-in", "msg", "-out", "osig.bin",
        ],
    );
    let signature: [u8; 64] = fs::read(path(&dir, "osig.bin"))
        .unwrap()
        .try_into()
        .unwrap();
    let public = PublicKey::load(&path(&dir, "k.pub")).unwrap();
    public.verify_strict(&message, &signature).unwrap();
    assert!(public.verify_strict(b"exhibit A2", &signature).is_err());
}

#[test]
fn openssl_encrypted_key_loads_with_env_and_passphrase_file() {
    require_openssl!();
    let dir = tmp();
    openssl(
        dir.path(),
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
    let text = fs::read_to_string(path(&dir, "o.key")).unwrap();
    assert!(text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
    let expected = openssl_key_id(
        dir.path(),
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
    openssl(
        dir.path(),
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

    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "o.key"])
        .env("EXHIBIT_PASSPHRASE", "open sesame")
        .assert()
        .success()
        .stdout(format!("{expected}\n"));
    fs::write(path(&dir, "pass.txt"), "open sesame\r\n").unwrap();
    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "o.key", "--passphrase-file", "pass.txt"])
        .assert()
        .success()
        .stdout(format!("{expected}\n"));
    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "o.key"])
        .env("EXHIBIT_PASSPHRASE", "open says me")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("o.key: wrong passphrase"));

    // Signing with the OpenSSL-made encrypted key, checked by OpenSSL.
    let secret = SecretKey::load(&path(&dir, "o.key"), &passphrase("open sesame")).unwrap();
    fs::write(path(&dir, "msg"), b"seal statement bytes").unwrap();
    fs::write(path(&dir, "sig.bin"), secret.sign(b"seal statement bytes")).unwrap();
    openssl(
        dir.path(),
        &[
            "pkeyutl", "-verify", "-pubin", "-inkey", "o.pub", "-rawin", "-in", "msg", "-sigfile",
            "sig.bin",
        ],
    );
}

#[test]
fn openssl_scrypt_encrypted_key_loads() {
    require_openssl!();
    let dir = tmp();
    openssl(
        dir.path(),
        &["genpkey", "-algorithm", "ed25519", "-out", "p.key"],
    );
    openssl(
        dir.path(),
        &[
            "pkcs8", "-topk8", "-scrypt", "-in", "p.key", "-passout", "pass:pw", "-out", "s.key",
        ],
    );
    let expected = key_id(dir.path(), "p.key");
    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "s.key"])
        .env("EXHIBIT_PASSPHRASE", "pw")
        .assert()
        .success()
        .stdout(format!("{expected}\n"));
}

#[test]
fn our_encrypted_key_opens_with_openssl() {
    require_openssl!();
    let dir = tmp();
    fs::write(path(&dir, "pass.txt"), "correct horse battery staple\n").unwrap();
    keygen(dir.path(), "k.key", &["--passphrase-file", "pass.txt"]);
    let public = openssl(
        dir.path(),
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
    assert_eq!(public, fs::read(path(&dir, "k.pub")).unwrap());

    // The documented parameters: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC.
    let parsed =
        String::from_utf8(openssl(dir.path(), &["asn1parse", "-in", "k.key"]).stdout).unwrap();
    for name in ["PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc"] {
        assert!(parsed.contains(name), "{name} missing in:\n{parsed}");
    }

    // Wrong passphrase: OpenSSL refuses too.
    let status = std::process::Command::new("openssl")
        .args(["pkey", "-in", "k.key", "-passin", "pass:nope", "-noout"])
        .current_dir(dir.path())
        .output()
        .unwrap()
        .status;
    assert!(!status.success());
}

#[test]
fn rsa_keys_are_refused_with_a_clear_message() {
    require_openssl!();
    let dir = tmp();
    openssl(
        dir.path(),
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
    openssl(
        dir.path(),
        &["pkey", "-in", "r.key", "-pubout", "-out", "r.pub"],
    );
    openssl(
        dir.path(),
        &["rsa", "-in", "r.key", "-traditional", "-out", "r1.key"],
    );
    assert!(fs::read_to_string(path(&dir, "r1.key"))
        .unwrap()
        .starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    for name in ["r.key", "r.pub", "r1.key"] {
        exhibit()
            .current_dir(dir.path())
            .args(["key", "id", name])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!(
                "{name}: this is an RSA key; exhibit signs with Ed25519 keys only"
            )));
    }
    let err = SecretKey::load(&path(&dir, "r.key"), &plain(dir.path())).unwrap_err();
    assert!(matches!(err, KeyError::WrongKeyType { .. }), "{err}");
}

#[test]
fn ec_p256_keys_are_refused_with_a_clear_message() {
    require_openssl!();
    let dir = tmp();
    openssl(
        dir.path(),
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
    openssl(
        dir.path(),
        &["pkey", "-in", "e.key", "-pubout", "-out", "e.pub"],
    );
    openssl(
        dir.path(),
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
        exhibit()
            .current_dir(dir.path())
            .args(["key", "id", name])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{name}: this is an EC P-256 key"
            )));
    }
}

#[test]
fn x25519_keys_are_refused() {
    require_openssl!();
    let dir = tmp();
    openssl(
        dir.path(),
        &["genpkey", "-algorithm", "X25519", "-out", "x.key"],
    );
    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "x.key"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("x.key: this is an X25519 key"));
}

#[test]
fn der_key_file_gets_a_conversion_hint() {
    require_openssl!();
    let dir = tmp();
    openssl(
        dir.path(),
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
    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "k.der"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("k.der: not a PEM key file")
                .and(predicate::str::contains("DER")),
        );
}

#[test]
fn certificate_is_refused_with_a_hint() {
    require_openssl!();
    let dir = tmp();
    keygen(dir.path(), "k.key", &[]);
    openssl(
        dir.path(),
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
    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "cert.pem"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cert.pem: this is an X.509 certificate",
        ));
}

#[test]
fn legacy_encryption_is_refused_before_asking_for_a_passphrase() {
    require_openssl!();
    let dir = tmp();
    openssl(
        dir.path(),
        &["genpkey", "-algorithm", "ed25519", "-out", "p.key"],
    );
    openssl(
        dir.path(),
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
    exhibit()
        .current_dir(dir.path())
        .args(["key", "id", "legacy.key"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "legacy.key: encrypted with legacy",
        ));
}
