//! A real PKCS#11 token for the tests: SoftHSM2, with a token the test
//! initialises in its own folder (its own `SOFTHSM2_CONF`), and keys and
//! certificates imported with OpenSC's `pkcs11-tool`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::ca::Examiner;
use super::tools::{assert_tool_ok, tool_or_skip};

/// Where Debian installs the SoftHSM2 module.
const MODULES: [&str; 2] = [
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
];

pub const PIN: &str = "246810";
const SO_PIN: &str = "13579111";

pub struct Hsm {
    pub module: PathBuf,
    /// The `SOFTHSM2_CONF` of this token's folder.
    pub conf: PathBuf,
    pkcs11_tool: PathBuf,
}

impl Hsm {
    /// A token labelled `label` in `dir`; None when SoftHSM2 or OpenSC is
    /// missing (skipped; under CI a failure).
    pub fn new(dir: &Path, label: &str, test: &str) -> Option<Hsm> {
        let softhsm = tool_or_skip("softhsm2-util", test)?;
        let pkcs11_tool = tool_or_skip("pkcs11-tool", test)?;
        let Some(module) = MODULES.iter().map(PathBuf::from).find(|m| m.is_file()) else {
            super::tools::skip_or_fail(test, "the SoftHSM2 module is not installed");
            return None;
        };
        let tokens = dir.join("tokens");
        fs::create_dir_all(&tokens).unwrap();
        let conf = dir.join("softhsm2.conf");
        fs::write(
            &conf,
            format!("directories.tokendir = {}\n", tokens.display()),
        )
        .unwrap();
        let hsm = Hsm {
            module,
            conf,
            pkcs11_tool,
        };
        let output = Command::new(softhsm)
            .env("SOFTHSM2_CONF", &hsm.conf)
            .args([
                "--init-token",
                "--free",
                "--label",
                label,
                "--pin",
                PIN,
                "--so-pin",
                SO_PIN,
            ])
            .output()
            .unwrap();
        assert_tool_ok(&output, "softhsm2-util --init-token");
        Some(hsm)
    }

    /// Imports an examiner's key and certificate under `object` (id `id`).
    pub fn import(
        &self,
        ca: &super::ca::Ca,
        token: &str,
        examiner: &Examiner,
        object: &str,
        id: &str,
    ) {
        let key_der = examiner.key.with_extension("p8.der");
        let cert_der = examiner.cert.with_extension("der");
        ca.openssl(&[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            &examiner.key.display().to_string(),
            "-outform",
            "DER",
            "-out",
            &key_der.display().to_string(),
        ]);
        ca.openssl(&[
            "x509",
            "-in",
            &examiner.cert.display().to_string(),
            "-outform",
            "DER",
            "-out",
            &cert_der.display().to_string(),
        ]);
        for (file, kind) in [(&key_der, "privkey"), (&cert_der, "cert")] {
            let output = Command::new(&self.pkcs11_tool)
                .env("SOFTHSM2_CONF", &self.conf)
                .arg("--module")
                .arg(&self.module)
                .args([
                    "--login",
                    "--pin",
                    PIN,
                    "--token-label",
                    token,
                    "--write-object",
                ])
                .arg(file)
                .args(["--type", kind, "--label", object, "--id", id])
                .output()
                .unwrap();
            assert_tool_ok(&output, &format!("pkcs11-tool --write-object {kind}"));
        }
    }
}
