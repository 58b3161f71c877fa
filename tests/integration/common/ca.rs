//! A certificate hierarchy made by `openssl` for certificate signatures:
//! a root (RSA) and an intermediate (ECDSA P-384) issuing examiners'
//! certificates, each exported with its key as a PKCS#12 file by
//! `openssl pkcs12 -export`; another root that issued nothing here. Every
//! certificate and key comes from OpenSSL.

use std::fs;
use std::path::{Path, PathBuf};

use super::tools::{assert_tool_ok, run_tool, tool_or_skip};

const EXTENSIONS: &str = "\
[ca_ext]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[examiner]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[qualified]
basicConstraints = CA:false
keyUsage = critical,nonRepudiation
subjectKeyIdentifier = hash
# QCStatements with QcCompliance (ETSI EN 319 412-5).
1.3.6.1.5.5.7.1.3 = DER:30:0a:30:08:06:06:04:00:8e:46:01:01
[encipher_only]
basicConstraints = CA:false
keyUsage = critical,keyEncipherment
";

/// The hierarchy, in its own folder.
pub struct Ca {
    openssl: PathBuf,
    dir: PathBuf,
}

/// One examiner's certificate: its PEM, key and PKCS#12 file.
pub struct Examiner {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub p12: PathBuf,
    /// The PKCS#12 passphrase.
    pub passphrase: String,
}

impl Ca {
    /// Root, intermediate and another root in `dir`; None when openssl is
    /// missing (skipped; under CI a failure).
    pub fn new(dir: &Path, test: &str) -> Option<Ca> {
        let openssl = tool_or_skip("openssl", test)?;
        let ca = Ca {
            openssl,
            dir: dir.to_path_buf(),
        };
        ca.self_signed("root", "/O=Ministry of Justice/CN=Test Root CA", "rsa:2048");
        ca.self_signed("other-root", "/O=Elsewhere/CN=Other Root CA", "rsa:2048");
        ca.key("intermediate", "ec");
        ca.issue(
            "intermediate",
            "/O=Ministry of Justice/CN=Police Issuing CA",
            "root",
            "ca_ext",
            0,
            3000,
        );
        Some(ca)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn root(&self) -> PathBuf {
        self.path("root.pem")
    }

    pub fn other_root(&self) -> PathBuf {
        self.path("other-root.pem")
    }

    pub fn intermediate(&self) -> PathBuf {
        self.path("intermediate.pem")
    }

    /// Runs openssl in the CA's folder, asserting success.
    pub fn openssl(&self, args: &[&str]) -> std::process::Output {
        let output = run_tool(&self.openssl, &self.dir, args);
        assert_tool_ok(&output, &format!("openssl {}", args.join(" ")));
        output
    }

    /// Asserts that `openssl cms -verify` accepts the detached signature
    /// `p7s` over `content`, with its chain to the root.
    pub fn assert_cms_verifies(&self, p7s: &Path, content: &Path) {
        let root = self.root();
        let checked = self.openssl(&[
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            &p7s.display().to_string(),
            "-content",
            &content.display().to_string(),
            "-CAfile",
            &root.display().to_string(),
            "-purpose",
            "any",
            "-out",
            "/dev/null",
        ]);
        let said = String::from_utf8_lossy(&checked.stderr);
        assert!(
            said.contains("Verification successful"),
            "{}: {said}",
            p7s.display()
        );
    }

    fn self_signed(&self, name: &str, subject: &str, key: &str) {
        self.openssl(&[
            "req",
            "-x509",
            "-newkey",
            key,
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-subj",
            subject,
            "-days",
            "3650",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-out",
            &format!("{name}.pem"),
        ]);
    }

    fn key(&self, name: &str, kind: &str) {
        let out = format!("{name}.key");
        match kind {
            "ec" => self.openssl(&[
                "ecparam",
                "-name",
                "secp384r1",
                "-genkey",
                "-noout",
                "-out",
                &out,
            ]),
            "p256" => self.openssl(&[
                "ecparam",
                "-name",
                "prime256v1",
                "-genkey",
                "-noout",
                "-out",
                &out,
            ]),
            _ => self.openssl(&[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                &out,
            ]),
        };
    }

    /// Issues `name.pem` for `name.key` by `issuer` with `openssl ca`
    /// (which takes exact dates), valid from `start_days` (negative: in
    /// the past) for `days`.
    #[allow(clippy::too_many_arguments)]
    fn issue(
        &self,
        name: &str,
        subject: &str,
        issuer: &str,
        extensions: &str,
        start_days: i64,
        days: i64,
    ) {
        let db = self.path("db");
        if !db.exists() {
            fs::create_dir_all(&db).unwrap();
            fs::write(db.join("index.txt"), "").unwrap();
            fs::write(db.join("serial"), "1000\n").unwrap();
            let config = format!(
                "[ca]\ndefault_ca = test_ca\n[test_ca]\ndir = {d}\ndatabase = {d}/index.txt\n\
                 new_certs_dir = {d}\nserial = {d}/serial\ndefault_md = sha256\npolicy = any\n\
                 unique_subject = no\npreserve = yes\n[any]\norganizationName = optional\n\
                 organizationalUnitName = optional\ncommonName = supplied\n{EXTENSIONS}",
                d = db.display()
            );
            fs::write(self.path("ca.cnf"), config).unwrap();
        }
        self.openssl(&[
            "req",
            "-new",
            "-key",
            &format!("{name}.key"),
            "-subj",
            subject,
            "-out",
            &format!("{name}.csr"),
        ]);
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            + start_days * 86_400;
        self.openssl(&[
            "ca",
            "-batch",
            "-notext",
            "-config",
            "ca.cnf",
            "-cert",
            &format!("{issuer}.pem"),
            "-keyfile",
            &format!("{issuer}.key"),
            "-in",
            &format!("{name}.csr"),
            "-out",
            &format!("{name}.pem"),
            "-extensions",
            extensions,
            "-startdate",
            &asn1_time(start - 60),
            "-enddate",
            &asn1_time(start + days * 86_400),
        ]);
    }

    /// An examiner certificate issued by the intermediate: `key` is `rsa`,
    /// `p256` or `ec` (P-384), `extensions` a section of the extension file
    /// (`examiner`, `qualified`, `encipher_only`), validity from
    /// `start_days` for `days`. Its PKCS#12 file holds the intermediate
    /// too, protected with `passphrase` (empty: none).
    pub fn examiner(
        &self,
        name: &str,
        key: &str,
        extensions: &str,
        (start_days, days): (i64, i64),
        passphrase: &str,
    ) -> Examiner {
        self.key(name, key);
        let subject = format!("/O=Ministry of Public Security/OU=A05/CN={name}");
        self.issue(name, &subject, "intermediate", extensions, start_days, days);
        let p12 = format!("{name}.p12");
        self.openssl(&[
            "pkcs12",
            "-export",
            "-inkey",
            &format!("{name}.key"),
            "-in",
            &format!("{name}.pem"),
            "-certfile",
            "intermediate.pem",
            "-passout",
            &format!("pass:{passphrase}"),
            "-out",
            &p12,
        ]);
        Examiner {
            cert: self.path(&format!("{name}.pem")),
            key: self.path(&format!("{name}.key")),
            p12: self.path(&p12),
            passphrase: passphrase.to_string(),
        }
    }
}

/// `YYYYMMDDHHMMSSZ` for openssl's -not_before/-not_after.
fn asn1_time(unix_seconds: i64) -> String {
    let time = jiff::Timestamp::from_second(unix_seconds).unwrap();
    time.strftime("%Y%m%d%H%M%SZ").to_string()
}
