//! Long-term validation with real components: a CA run by `openssl ca`
//! that revokes, its CRL served over HTTP on 127.0.0.1, an `openssl ocsp`
//! responder, TSAs answering with `openssl ts -reply`; `exhibit ltv`,
//! `exhibit renew` and `verify --at` ten years ahead; the evidence record
//! checked without exhibit by the script of docs/VERIFYING.md and
//! `openssl ts -verify`.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::common::tsa::{self, Running, Tools};
use super::common::{self, seal_args, stderr, stdout, Dir, Key};

/// Serves `GET /root.crl` from the CA folder and `POST /ts/<section>` with
/// `openssl ts -reply`; prints its port first; exits when stdin closes.
const SERVER: &str = r#"
import http.server, os, subprocess, sys, tempfile, threading, time
folder, openssl = sys.argv[1], sys.argv[2]
def watch_parent():
    sys.stdin.read()
    os._exit(0)
class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self, code, body, kind):
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        path = self.path.strip("/")
        if path == "slow.crl":
            time.sleep(8)
        if path == "garbage.crl":
            return self.answer(200, b"this is not a CRL", "application/pkix-crl")
        if path == "big.crl":
            return self.answer(200, b"\x30" * (20 << 20), "application/pkix-crl")
        file = os.path.join(folder, path)
        if "/" in path or not os.path.isfile(file):
            return self.answer(404, b"no such CRL", "text/plain")
        with open(file, "rb") as f:
            return self.answer(200, f.read(), "application/pkix-crl")
    def do_POST(self):
        query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        section = self.path.strip("/").removeprefix("ts/")
        with tempfile.TemporaryDirectory() as work:
            q, r = os.path.join(work, "q.tsq"), os.path.join(work, "r.tsr")
            with open(q, "wb") as f:
                f.write(query)
            subprocess.run([openssl, "ts", "-reply", "-config", os.path.join(folder, "ts.cnf"),
                            "-section", section, "-queryfile", q, "-out", r], capture_output=True)
            if not os.path.exists(r):
                return self.answer(500, b"openssl ts -reply failed", "text/plain")
            with open(r, "rb") as f:
                return self.answer(200, f.read(), "application/timestamp-reply")
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=watch_parent, daemon=True).start()
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

/// A CA that revokes, its HTTP front, and an OCSP port chosen up front
/// (certificates name both before anything listens).
struct Pki {
    dir: tempfile::TempDir,
    tools: Tools,
    http: u16,
    ocsp: u16,
    _server: Running,
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

impl Pki {
    fn new(test: &str) -> Option<Pki> {
        let tools = tsa::tools(test)?;
        let dir = tempfile::Builder::new()
            .prefix("exhibit-ltv-")
            .tempdir()
            .unwrap();
        let d = dir.path().display().to_string();
        let mut child = Command::new(&tools.python)
            .arg("-u")
            .arg("-c")
            .arg(SERVER)
            .arg(dir.path())
            .arg(&tools.openssl)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let http: u16 = line.trim().parse().expect("the CRL server did not start");
        let server = Running::new(child);
        let ocsp = free_port();
        let tsa_ext = "basicConstraints = critical,CA:false\nkeyUsage = critical,digitalSignature,nonRepudiation\nextendedKeyUsage = critical,timeStamping\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n";
        let config = format!(
            "[ca]\ndefault_ca = root\n[root]\ndir = {d}\ndatabase = {d}/index.txt\nnew_certs_dir = {d}/certs\n\
             serial = {d}/serial\ncrlnumber = {d}/crlnumber\ncertificate = {d}/root.pem\nprivate_key = {d}/root.key\n\
             default_md = sha256\ndefault_days = 30\ndefault_crl_days = 1\npolicy = any\nunique_subject = no\n\
             [any]\ncommonName = supplied\norganizationName = optional\n\
             [tsa_crl]\n{tsa_ext}crlDistributionPoints = URI:http://127.0.0.1:{http}/root.crl\n\
             [tsa_ocsp]\n{tsa_ext}authorityInfoAccess = OCSP;URI:http://127.0.0.1:{ocsp}/\n\
             [tsa_slow]\n{tsa_ext}crlDistributionPoints = URI:http://127.0.0.1:{http}/slow.crl\n\
             [tsa_big]\n{tsa_ext}crlDistributionPoints = URI:http://127.0.0.1:{http}/big.crl\n\
             [tsa_garbage]\n{tsa_ext}crlDistributionPoints = URI:http://127.0.0.1:{http}/garbage.crl\n\
             [examiner]\nbasicConstraints = CA:false\nkeyUsage = critical,digitalSignature,nonRepudiation\n\
             subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\ncrlDistributionPoints = URI:http://127.0.0.1:{http}/root.crl\n\
             [ocsp_signer]\nbasicConstraints = critical,CA:false\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = critical,OCSPSigning\n"
        );
        fs::create_dir_all(dir.path().join("certs")).unwrap();
        fs::write(dir.path().join("index.txt"), "").unwrap();
        fs::write(dir.path().join("serial"), "1000\n").unwrap();
        fs::write(dir.path().join("crlnumber"), "01\n").unwrap();
        fs::write(dir.path().join("tsaserial"), "01\n").unwrap();
        fs::write(dir.path().join("ca.cnf"), config).unwrap();
        fs::write(dir.path().join("ts.cnf"), "").unwrap();
        let pki = Pki {
            dir,
            tools,
            http,
            ocsp,
            _server: server,
        };
        pki.openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-sha256",
            "-days",
            "7300",
            "-keyout",
            "root.key",
            "-out",
            "root.pem",
            "-subj",
            "/O=Exhibit Test/CN=LTV Root",
            "-addext",
            "basicConstraints=critical,CA:true",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        Some(pki)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    #[track_caller]
    fn openssl(&self, args: &[&str]) -> String {
        let output = Command::new(&self.tools.openssl)
            .current_dir(self.dir.path())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "openssl {args:?}: {}{}",
            stdout(&output),
            stderr(&output)
        );
        stdout(&output)
    }

    /// A certificate `name` issued by the root with `extensions`, valid
    /// `days`; a TSA section `name` in ts.cnf when it is a TSA.
    fn issue(&self, name: &str, extensions: &str, days: u32) {
        self.openssl(&[
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
            "-subj",
            &format!("/O=Exhibit Test/CN={name}"),
        ]);
        self.openssl(&[
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-extensions",
            extensions,
            "-days",
            &days.to_string(),
            "-in",
            &format!("{name}.csr"),
            "-out",
            &format!("{name}.pem"),
        ]);
        if extensions == "examiner" {
            self.openssl(&[
                "pkcs12",
                "-export",
                "-inkey",
                &format!("{name}.key"),
                "-in",
                &format!("{name}.pem"),
                "-passout",
                "pass:",
                "-out",
                &format!("{name}.p12"),
            ]);
        }
        if extensions.starts_with("tsa") {
            let d = self.dir.path().display();
            let section = format!(
                "[{name}]\nserial = {d}/tsaserial\ncrypto_device = builtin\nsigner_cert = {d}/{name}.pem\n\
                 certs = {d}/root.pem\nsigner_key = {d}/{name}.key\ndefault_policy = 1.2.3.4.1\n\
                 signer_digest = sha256\ndigests = sha256, sha384, sha512\ness_cert_id_alg = sha256\n"
            );
            let mut config = fs::read_to_string(self.path("ts.cnf")).unwrap();
            config.push_str(&section);
            fs::write(self.path("ts.cnf"), config).unwrap();
        }
    }

    fn revoke(&self, name: &str, reason: &str) {
        self.openssl(&[
            "ca",
            "-config",
            "ca.cnf",
            "-revoke",
            &format!("{name}.pem"),
            "-crl_reason",
            reason,
        ]);
    }

    /// A fresh CRL, served as /root.crl (DER).
    fn publish_crl(&self) {
        self.openssl(&["ca", "-config", "ca.cnf", "-gencrl", "-out", "root.crl.pem"]);
        self.openssl(&[
            "crl",
            "-in",
            "root.crl.pem",
            "-outform",
            "DER",
            "-out",
            "root.crl",
        ]);
    }

    fn tsa_url(&self, section: &str) -> String {
        format!("http://127.0.0.1:{}/ts/{section}", self.http)
    }

    /// Starts `openssl ocsp` on the chosen port, signing with a delegated
    /// responder, and waits until it answers a real query.
    fn ocsp_responder(&self, probe: &str) -> Running {
        self.issue("ocsp-responder", "ocsp_signer", 30);
        let child = Command::new(&self.tools.openssl)
            .current_dir(self.dir.path())
            .args([
                "ocsp",
                "-index",
                "index.txt",
                "-port",
                &self.ocsp.to_string(),
                "-rsigner",
                "ocsp-responder.pem",
                "-rkey",
                "ocsp-responder.key",
                "-CA",
                "root.pem",
                "-ndays",
                "1",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let running = Running::new(child);
        let url = format!("http://127.0.0.1:{}/", self.ocsp);
        for _ in 0..50 {
            let answered = Command::new(&self.tools.openssl)
                .current_dir(self.dir.path())
                .args([
                    "ocsp",
                    "-issuer",
                    "root.pem",
                    "-cert",
                    &format!("{probe}.pem"),
                    "-url",
                    &url,
                    "-CAfile",
                    "root.pem",
                ])
                .output()
                .unwrap();
            if answered.status.success() {
                return running;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("the OCSP responder did not answer");
    }
}

/// Evidence, a key, and a bundle sealed and time-stamped by TSA `section`.
fn sealed(dir: &Dir, pki: &Pki, key: &Key, name: &str, section: &str) -> PathBuf {
    let out = name.to_string();
    dir.run(seal_args(&["evidence"], &out, key, "A1"), 0);
    let stamped = dir
        .exhibit()
        .args([
            "timestamp",
            &out,
            "--tsa",
            &pki.tsa_url(section),
            "--tsa-timeout",
            "5",
        ])
        .output()
        .unwrap();
    assert!(stamped.status.success(), "{}", stderr(&stamped));
    dir.join(&out)
}

fn verify(
    dir: &Dir,
    bundle: &Path,
    key: &Key,
    pki: &Pki,
    extra: &[&str],
    code: i32,
) -> serde_json::Value {
    let mut args: Vec<OsString> = vec![
        "verify".into(),
        bundle.into(),
        "--json".into(),
        "--trust".into(),
        key.public.clone().into(),
        "--tsa-ca".into(),
        pki.path("root.pem").into(),
    ];
    args.extend(extra.iter().map(OsString::from));
    let output = dir.run(args, code);
    serde_json::from_slice(&output.stdout).unwrap()
}

fn warning_codes(report: &serde_json::Value) -> Vec<String> {
    report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap().to_string())
        .collect()
}

fn ltv(dir: &Dir, bundle: &Path, pki: &Pki, extra: &[&str], code: i32) -> String {
    let mut args: Vec<OsString> = vec![
        "ltv".into(),
        bundle.into(),
        "--tsa-ca".into(),
        pki.path("root.pem").into(),
    ];
    args.extend(extra.iter().map(OsString::from));
    let output = dir.run(args, code);
    format!("{}{}", stdout(&output), stderr(&output))
}

fn setup(test: &str) -> Option<(Dir, Pki, Key)> {
    let pki = Pki::new(test)?;
    let dir = Dir::new();
    dir.write("evidence/report.txt", b"seized on 2026-12-07\n");
    dir.write("evidence/disk.bin", common::content(8192, 3));
    let key = dir.keygen("alice");
    Some((dir, pki, key))
}

#[test]
fn a_crl_judges_each_token_at_the_time_it_proves() {
    let Some((dir, pki, key)) = setup("a_crl_judges_each_token_at_the_time_it_proves") else {
        return;
    };
    pki.issue("tsa-compromised", "tsa_crl", 30);
    pki.issue("tsa-superseded", "tsa_crl", 30);
    // Revoked for key compromise before it time-stamps anything.
    pki.revoke("tsa-compromised", "keyCompromise");
    tsa::sleep_until_after(tsa::now());
    let bad = sealed(&dir, &pki, &key, "bad.zip", "tsa-compromised");
    let good = sealed(&dir, &pki, &key, "good.zip", "tsa-superseded");
    // Time-stamping online asks for the TSA's CRL too: not published yet,
    // it says so in one line, and the token stands.
    dir.run(seal_args(&["evidence"], "early.zip", &key, "A1"), 0);
    let early = dir
        .exhibit()
        .args([
            "timestamp",
            "early.zip",
            "--tsa",
            &pki.tsa_url("tsa-superseded"),
        ])
        .output()
        .unwrap();
    assert!(early.status.success(), "{}", stderr(&early));
    let warned: Vec<String> = stderr(&early)
        .lines()
        .filter(|l| l.contains("validation material not fetched"))
        .map(String::from)
        .collect();
    assert_eq!(warned.len(), 1, "{}", stderr(&early));
    assert!(
        warned[0].contains("root.crl") && warned[0].contains("exhibit ltv"),
        "{warned:?}"
    );
    tsa::sleep_until_after(tsa::now());
    // Replaced after its token: it still counts.
    pki.revoke("tsa-superseded", "superseded");
    tsa::sleep_until_after(tsa::now());
    pki.publish_crl();

    // No material yet: a named warning, never silence.
    let report = verify(&dir, &good, &key, &pki, &[], 0);
    assert!(warning_codes(&report).contains(&"revocation.not-checked".to_string()));
    assert_eq!(
        report["signers"][0]["timestamp"]["revocation"],
        "not-checked"
    );
    // A policy that requires revocation data: untrusted.
    let policy = validation_policy(
        &dir,
        &key,
        "require-revocation",
        "require_revocation = true\n",
    );
    let policy_arg = policy.display().to_string();
    verify(&dir, &good, &key, &pki, &["--trust-policy", &policy_arg], 3);

    let said = ltv(&dir, &good, &pki, &[], 0);
    assert!(said.contains("added CRL"), "{said}");
    let report = verify(&dir, &good, &key, &pki, &[], 0);
    assert_eq!(report["signers"][0]["timestamp"]["revocation"], "good");
    assert!(warning_codes(&report).contains(&"revocation.revoked-later".to_string()));
    verify(&dir, &good, &key, &pki, &["--trust-policy", &policy_arg], 0);
    // ltv again stores nothing twice.
    let before = fs::read(&good).unwrap();
    ltv(&dir, &good, &pki, &[], 0);
    assert_eq!(fs::read(&good).unwrap(), before);

    ltv(&dir, &bad, &pki, &[], 0);
    // What a person reads says why, not that nobody signed.
    let output = dir
        .exhibit()
        .arg("verify")
        .arg(&bad)
        .arg("--trust")
        .arg(&key.public)
        .arg("--tsa-ca")
        .arg(pki.path("root.pem"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let verdict = stdout(&output).lines().next().unwrap_or("").to_string();
    assert!(
        verdict.starts_with("UNTRUSTED")
            && verdict.contains("a proof it relies on does not count")
            && verdict.contains("keyCompromise"),
        "{verdict}"
    );
    let report = verify(&dir, &bad, &key, &pki, &[], 3);
    assert_eq!(report["signers"][0]["timestamp"]["revocation"], "revoked");
    let revoked = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "revocation.revoked")
        .expect("a revocation.revoked warning");
    assert!(
        revoked["message"]
            .as_str()
            .unwrap()
            .contains("keyCompromise"),
        "{revoked}"
    );

    // A CRL of another CA is refused: exit 2, the bundle unchanged.
    let other = Pki::new("a_crl_judges_each_token_at_the_time_it_proves").unwrap();
    other.publish_crl();
    let before = fs::read(&good).unwrap();
    let said = ltv(
        &dir,
        &good,
        &pki,
        &["--attach", other.path("root.crl").to_str().unwrap()],
        2,
    );
    assert!(said.contains("nothing attached"), "{said}");
    assert_eq!(fs::read(&good).unwrap(), before);
}

#[test]
fn an_ocsp_responder_answers_and_bad_sources_change_nothing() {
    let Some((dir, pki, key)) = setup("an_ocsp_responder_answers_and_bad_sources_change_nothing")
    else {
        return;
    };
    pki.issue("tsa-ocsp", "tsa_ocsp", 30);
    pki.issue("tsa-slow", "tsa_slow", 30);
    pki.issue("tsa-big", "tsa_big", 30);
    pki.issue("tsa-garbage", "tsa_garbage", 30);
    let bundle = sealed(&dir, &pki, &key, "ocsp.zip", "tsa-ocsp");
    tsa::sleep_until_after(tsa::now());
    let _responder = pki.ocsp_responder("tsa-ocsp");
    let said = ltv(&dir, &bundle, &pki, &[], 0);
    assert!(said.contains("added OCSP response"), "{said}");
    let report = verify(&dir, &bundle, &key, &pki, &[], 0);
    assert_eq!(report["signers"][0]["timestamp"]["revocation"], "good");

    // A CRL that never comes and one of 20 MB: exit 2, one line, unchanged.
    for (name, section) in [
        ("slow", "tsa-slow"),
        ("big", "tsa-big"),
        ("garbage", "tsa-garbage"),
    ] {
        let bundle = sealed(&dir, &pki, &key, &format!("{name}.zip"), section);
        let before = fs::read(&bundle).unwrap();
        let said = ltv(&dir, &bundle, &pki, &["--timeout", "2"], 2);
        assert_eq!(said.trim().lines().count(), 1, "{said}");
        assert!(said.contains("nothing was added"), "{said}");
        assert_eq!(fs::read(&bundle).unwrap(), before);
    }
}

#[test]
fn a_bundle_renewed_in_time_still_proves_in_2036() {
    let Some((dir, pki, key)) = setup("a_bundle_renewed_in_time_still_proves_in_2036") else {
        return;
    };
    pki.issue("tsa-short", "tsa_crl", 30);
    pki.issue("tsa-long", "tsa_crl", 7000);
    pki.publish_crl();
    // The tokens come a second later than that CRL: it cannot speak for them.
    tsa::sleep_until_after(tsa::now());
    let renewed = sealed(&dir, &pki, &key, "renewed.zip", "tsa-short");
    let lapsing = sealed(&dir, &pki, &key, "lapsing", "tsa-short");
    // Online, time-stamping also fetched the TSA chain's CRL; published
    // before the token, it cannot speak for its genTime (a CRL counts only
    // when issued after the time it must prove), until a newer one is
    // added.
    let stored = fs::read_dir(lapsing.join("exhibit/validation"))
        .unwrap()
        .count();
    assert_eq!(stored, 1);
    let report = verify(&dir, &lapsing, &key, &pki, &[], 0);
    let timestamp = &report["signers"][0]["timestamp"];
    assert_eq!(timestamp["revocation"], "not-checked", "{report}");
    assert!(
        timestamp["revocation_detail"]
            .as_str()
            .unwrap()
            .contains("before the time to prove"),
        "{report}"
    );
    tsa::sleep_until_after(tsa::now());
    pki.publish_crl();
    // Air-gapped this time: what to fetch where, then the answer attached.
    let requests = dir.join("requests");
    let said = ltv(
        &dir,
        &lapsing,
        &pki,
        &["--request-dir", requests.to_str().unwrap()],
        0,
    );
    assert!(said.contains("sources.txt"), "{said}");
    let sources = fs::read_to_string(requests.join("sources.txt")).unwrap();
    assert!(
        sources.contains(&format!("GET http://127.0.0.1:{}/root.crl", pki.http)),
        "{sources}"
    );
    ltv(
        &dir,
        &lapsing,
        &pki,
        &["--attach", pki.path("root.crl").to_str().unwrap()],
        0,
    );
    let report = verify(&dir, &lapsing, &key, &pki, &[], 0);
    assert_eq!(
        report["signers"][0]["timestamp"]["revocation"], "good",
        "{report}"
    );
    let policy = validation_policy(&dir, &key, "require-renewal", "require_renewal = true\n");
    let policy = policy.display().to_string();
    let root = pki.path("root.pem").display().to_string();
    let renew = |bundle: &Path, tsa: &str, extra: &[&str]| {
        let output = dir
            .exhibit()
            .arg("renew")
            .arg(bundle)
            .args(["--tsa", &pki.tsa_url(tsa), "--tsa-ca", &root])
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    assert!(renew(&renewed, "tsa-short", &[]).contains("started the evidence record"));
    // Air-gapped: the query written, answered by the TSA, attached; an
    // answer to another query is refused and changes nothing.
    let queries = dir.join("queries");
    let output = dir
        .exhibit()
        .arg("renew")
        .arg(&lapsing)
        .arg("--request-dir")
        .arg(&queries)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let query = queries.join("evidence-record.tsq");
    let answer = dir.join("evidence-record.tsr");
    let d = pki.dir.path().display().to_string();
    pki.openssl(&[
        "ts",
        "-reply",
        "-config",
        &format!("{d}/ts.cnf"),
        "-section",
        "tsa-short",
        "-queryfile",
        query.to_str().unwrap(),
        "-out",
        answer.to_str().unwrap(),
    ]);
    let attach = |file: &Path, code: i32| {
        let output = dir.run(
            [
                OsStr::new("renew"),
                lapsing.as_os_str(),
                OsStr::new("--attach"),
                file.as_os_str(),
            ],
            code,
        );
        format!("{}{}", stdout(&output), stderr(&output))
    };
    let wrong = lapsing.join("exhibit/custody/000001.tsr");
    let refused = attach(&wrong, 2);
    assert!(
        refused.contains("does not answer this bundle's pending first renewal"),
        "{refused}"
    );
    assert!(!lapsing.join("exhibit/evidence-record.ers").exists());
    assert!(attach(&answer, 0).contains("started the evidence record"));
    tsa::sleep_until_after(tsa::now());
    // Before the short TSA certificate expires: a time-stamp renewal by a
    // TSA whose certificate lasts, then a hash-tree renewal with SHA-512.
    assert!(renew(&renewed, "tsa-long", &[]).contains("new archive time-stamp over the last one"));
    tsa::sleep_until_after(tsa::now());
    assert!(renew(&renewed, "tsa-long", &["--hash", "sha512"]).contains("new sha512 chain"));

    let at = ["--at", "2036-06-01T00:00:00Z"];
    let report = verify(
        &dir,
        &renewed,
        &key,
        &pki,
        &[&at[..], &["--trust-policy", &policy]].concat(),
        0,
    );
    let record = &report["evidence_record"];
    assert_eq!(record["trusted"], true, "{record}");
    assert_eq!(record["stamps"].as_array().unwrap().len(), 3);
    // Its archive time-stamps came after the last CRL: their revocation
    // is not checked, said so; a policy that requires revocation data does
    // not count the record.
    assert!(warning_codes(&report).contains(&"revocation.not-checked".to_string()));
    let strict = validation_policy(
        &dir,
        &key,
        "require-both",
        "require_revocation = true\nrequire_renewal = true\n",
    );
    let strict = strict.display().to_string();
    let report_strict = verify(
        &dir,
        &renewed,
        &key,
        &pki,
        &[&at[..], &["--trust-policy", &strict]].concat(),
        3,
    );
    assert_eq!(report_strict["evidence_record"]["trusted"], false);
    assert!(
        report_strict["evidence_record"]["lapsed"]
            .as_str()
            .unwrap()
            .contains("requires revocation data"),
        "{report_strict}"
    );
    // The court report says the same, and so do the other commands that
    // judge as of a moment.
    let html = dir.join("2036.html");
    let output = dir
        .exhibit()
        .arg("verify")
        .arg(&renewed)
        .args(["--trust-policy", &policy, "--tsa-ca", &root, "--report"])
        .arg(&html)
        .args(at)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let page = fs::read_to_string(&html).unwrap();
    for expected in [
        "Long-term proof",
        "The evidence record (RFC 4998) holds",
        "sha512",
    ] {
        assert!(page.contains(expected), "{expected:?} not in the report");
    }
    for command in [["custody", "replay"], ["extract", "-o"]] {
        let mut cmd = dir.exhibit();
        cmd.args(command);
        if command[0] == "extract" {
            cmd.arg(dir.join("extracted-2036"));
        }
        let output = cmd
            .arg(&renewed)
            .args(["--trust-policy", &policy, "--tsa-ca", &root])
            .args(at)
            .output()
            .unwrap();
        assert!(output.status.success(), "{command:?}: {}", stderr(&output));
    }
    assert!(
        !warning_codes(&report).contains(&"proof.lapsed".to_string()),
        "{report}"
    );

    let report = verify(
        &dir,
        &lapsing,
        &key,
        &pki,
        &[&at[..], &["--trust-policy", &policy]].concat(),
        3,
    );
    assert!(warning_codes(&report).contains(&"evidence-record.lapsed".to_string()));
    let lapsed: Vec<String> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "proof.lapsed")
        .map(|w| w["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        lapsed
            .iter()
            .any(|m| m.contains("tsa-short") && m.contains("expired")),
        "{lapsed:?}"
    );
    // Without the policy, a lapsed proof is a warning: the token still
    // proves its time, checked at genTime.
    verify(&dir, &lapsing, &key, &pki, &at, 0);

    // inspect says when the proof lapses unless renewed.
    let output = dir
        .exhibit()
        .args(["inspect", "--json", "--tsa-ca", &root])
        .arg(&lapsing)
        .output()
        .unwrap();
    let inspected: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(inspected["proof_expires"].as_str().is_some(), "{inspected}");

    // The standard-tool recipe of docs/VERIFYING.md section 8b, as written
    // there: the script checks the hash trees, openssl each archive
    // time-stamp at its own time.
    let unzipped = dir.join("renewed-unzipped");
    common::unzip(&renewed, &unzipped);
    let folder = fs::read_dir(&unzipped)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let output = Command::new("bash")
        .arg("-c")
        .arg(recipe_8b())
        .current_dir(&folder)
        .env("TSA_CA", pki.path("root.pem"))
        .env(
            "CHECK_ER",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/check-evidence-record.py"),
        )
        .output()
        .unwrap();
    let said = format!("{}{}", stdout(&output), stderr(&output));
    assert!(output.status.success(), "{said}");
    assert_eq!(said.matches("== archive time-stamp").count(), 3, "{said}");
    assert_eq!(said.matches("Verification: OK").count(), 3, "{said}");
    for bad in ["FAILED", "rror"] {
        assert!(!said.contains(bad), "{bad:?} in {said}");
    }
    // The script alone refuses a record whose tag file changed.
    let changed = folder.join("bag-info.txt");
    let mut bytes = fs::read(&changed).unwrap();
    bytes.extend_from_slice(b"Note: changed\n");
    fs::write(&changed, bytes).unwrap();
    let python = common::find_tool("python3").unwrap();
    let refused = Command::new(python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/check-evidence-record.py"))
        .arg(&folder)
        .arg(dir.join("ats-again"))
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));

    // An evidence record over other bytes, or that does not parse: exit 1.
    let other_record = fs::read(folder.join("exhibit/evidence-record.ers")).unwrap();
    let copy = lapsing.clone();
    fs::write(copy.join("exhibit/evidence-record.ers"), &other_record).unwrap();
    let report = verify(&dir, &copy, &key, &pki, &[], 1);
    assert!(
        common::problems(&report)
            .iter()
            .any(|(code, _)| code == "evidence-record.invalid"),
        "{report}"
    );
    fs::write(
        copy.join("exhibit/evidence-record.ers"),
        b"\x30\x03\x02\x01",
    )
    .unwrap();
    verify(&dir, &copy, &key, &pki, &[], 1);
}

/// The shell block of docs/VERIFYING.md section 8b.
fn recipe_8b() -> String {
    let doc = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/VERIFYING.md"))
        .unwrap();
    let section = &doc[doc.find("## 8b.").expect("section 8b")..];
    let start = section.find("```sh\n").expect("a shell block") + 6;
    let end = start + section[start..].find("\n```").unwrap();
    section[start..end].to_string()
}

#[test]
fn a_certificate_signer_revoked_after_sealing_still_counts_one_revoked_before_does_not() {
    let test =
        "a_certificate_signer_revoked_after_sealing_still_counts_one_revoked_before_does_not";
    let Some((dir, pki, _key)) = setup(test) else {
        return;
    };
    pki.issue("examiner-later", "examiner", 30);
    pki.issue("examiner-compromised", "examiner", 30);
    pki.revoke("examiner-compromised", "keyCompromise");
    tsa::sleep_until_after(tsa::now());
    let root = pki.path("root.pem").display().to_string();
    let seal = |name: &str| {
        let output = dir
            .exhibit()
            .args([
                "seal",
                "evidence",
                "-o",
                name,
                "--case",
                "C",
                "--exhibit",
                "E",
                "--cert",
            ])
            .arg(pki.path(&format!("{name}.p12")))
            .env("EXHIBIT_PASSPHRASE", "")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        dir.join(name)
    };
    let later = seal("examiner-later");
    let compromised = seal("examiner-compromised");
    tsa::sleep_until_after(tsa::now());
    pki.revoke("examiner-later", "superseded");
    tsa::sleep_until_after(tsa::now());
    pki.publish_crl();
    let verify_cert = |bundle: &Path, code: i32| -> serde_json::Value {
        let output = dir.run(
            [
                OsStr::new("verify"),
                bundle.as_os_str(),
                OsStr::new("--json"),
                OsStr::new("--ca"),
                OsStr::new(&root),
            ],
            code,
        );
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let report = verify_cert(&later, 0);
    assert_eq!(
        report["signers"][0]["revocation"], "not-checked",
        "{report}"
    );

    for bundle in [&later, &compromised] {
        let output = dir
            .exhibit()
            .arg("ltv")
            .arg(bundle)
            .args(["--ca", &root])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(stdout(&output).contains("added CRL"), "{}", stdout(&output));
    }
    let report = verify_cert(&later, 0);
    assert_eq!(report["signers"][0]["revocation"], "good", "{report}");
    assert!(warning_codes(&report).contains(&"revocation.revoked-later".to_string()));
    let report = verify_cert(&compromised, 3);
    let signer = &report["signers"][0];
    assert_eq!(signer["revocation"], "revoked", "{report}");
    assert_eq!(signer["trusted"], false);
    assert!(
        signer["untrusted_reason"]
            .as_str()
            .unwrap()
            .contains("keyCompromise"),
        "{signer}"
    );

    // A validation file that is not what its name says fails verify.
    let folder = dir.join("examiner-later");
    let material: Vec<PathBuf> = fs::read_dir(folder.join("exhibit/validation"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    fs::write(&material[0], b"\x30\x00").unwrap();
    let report = verify_cert(&later, 1);
    assert!(
        common::problems(&report)
            .iter()
            .any(|(code, _)| code == "validation.invalid"),
        "{report}"
    );
}

/// A trust policy trusting `key` for everything, with these `[validation]`
/// rules (TOML lines), written as `NAME.toml`; its path.
fn validation_policy(dir: &Dir, key: &Key, name: &str, rules: &str) -> PathBuf {
    dir.write(
        format!("{name}.toml"),
        format!(
            "version = 1\n[[key]]\npublic_key = {:?}\nroles = [\"seal\", \"custody\"]\n[validation]\n{rules}",
            key.public.display().to_string()
        ),
    )
}
