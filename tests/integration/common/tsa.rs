//! A test time-stamping authority made of real components: a CA, TSA
//! certificates and tokens made by `openssl` (`req`, `x509`, `ca`,
//! `ts -reply`), behind a small Python `http.server` on 127.0.0.1 that the
//! test starts and that stops when the test drops it (or when the test
//! process dies: the server exits when its standard input closes). No token
//! is ever made up here: every byte of one comes from OpenSSL.
//!
//! Under CI (`CI` set) a missing `openssl` or `python3` fails the test;
//! elsewhere the test prints why it is skipped.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::time::Duration;

use super::{find_tool, stderr, stdout};

/// `openssl` and `python3`, or None (and a message) when the test cannot
/// run here. Under CI a missing tool is a failure, never a skip.
pub fn tools(test: &str) -> Option<Tools> {
    let openssl = find_tool("openssl");
    let python = find_tool("python3");
    match (openssl, python) {
        (Some(openssl), Some(python)) => Some(Tools { openssl, python }),
        (openssl, python) => {
            let missing: Vec<&str> = [
                ("openssl", openssl.is_none()),
                ("python3", python.is_none()),
            ]
            .into_iter()
            .filter(|(_, gone)| *gone)
            .map(|(name, _)| name)
            .collect();
            if std::env::var_os("CI").is_some() {
                panic!(
                    "{test}: {} not installed; CI must provide it",
                    missing.join(" and ")
                );
            }
            eprintln!(
                "skipping {test}: {} not installed (a local TSA needs openssl and python3)",
                missing.join(" and ")
            );
            None
        }
    }
}

#[derive(Debug, Clone)]
pub struct Tools {
    pub openssl: PathBuf,
    pub python: PathBuf,
}

/// Certificate extensions of the test PKI.
const EXTENSIONS: &str = "\
[ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[tsa]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
";

/// The HTTP front of the TSA: POST /<section> answers with
/// `openssl ts -reply -section <section>`; a few paths misbehave on
/// purpose. The first line printed is the port.
const SERVER: &str = r#"
import http.server, os, subprocess, sys, tempfile, threading, time

config, openssl = sys.argv[1], sys.argv[2]

def watch_parent():
    sys.stdin.read()   # the test closed our stdin, or died
    os._exit(0)

class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self, code, body, kind="application/timestamp-reply"):
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        path = self.path.strip("/")
        if path == "status500":
            return self.answer(500, b"TSA out of order", "text/plain")
        if path == "slow":
            time.sleep(8)
            return self.answer(500, b"too late", "text/plain")
        if path == "garbage":
            return self.answer(200, b"this is not a time-stamp response")
        if self.headers.get("Content-Type") != "application/timestamp-query":
            return self.answer(415, b"wrong content type", "text/plain")
        with tempfile.TemporaryDirectory() as work:
            q, r = os.path.join(work, "q.tsq"), os.path.join(work, "r.tsr")
            with open(q, "wb") as f:
                f.write(query)
            subprocess.run([openssl, "ts", "-reply", "-config", config, "-section", path,
                            "-queryfile", q, "-out", r], capture_output=True)
            if not os.path.exists(r):
                return self.answer(500, b"openssl ts -reply failed", "text/plain")
            with open(r, "rb") as f:
                return self.answer(200, f.read())

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=watch_parent, daemon=True).start()
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

/// A test PKI in its own temporary folder: a root CA (RSA), an ECDSA P-384
/// intermediate CA, an RSA TSA (its certificate signed with RSA-PSS), an
/// ECDSA P-256 TSA (certificate by the P-384 intermediate), another root
/// that issued none of them, and the `openssl ts` configuration for each.
pub struct Pki {
    tmp: tempfile::TempDir,
    pub tools: Tools,
}

impl Pki {
    pub fn new(tools: &Tools) -> Pki {
        let pki = Pki {
            tmp: tempfile::Builder::new()
                .prefix("exhibit-tsa-")
                .tempdir()
                .unwrap(),
            tools: tools.clone(),
        };
        let dir = pki.dir().to_path_buf();
        fs::write(dir.join("ext.cnf"), EXTENSIONS).unwrap();
        fs::write(dir.join("serial"), "01\n").unwrap();
        fs::write(dir.join("tsa.cnf"), pki.ts_config()).unwrap();
        for (name, subject) in [("ca", "Test Root CA"), ("other-ca", "Other Root CA")] {
            pki.openssl([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-sha256",
                "-days",
                "3650",
                "-keyout",
                &format!("{name}.key"),
                "-out",
                &format!("{name}.pem"),
                "-subj",
                &format!("/O=Exhibit Test/CN={subject}"),
                "-addext",
                "basicConstraints=critical,CA:true",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ]);
        }
        // ECDSA P-384 intermediate, signed by the RSA root.
        pki.openssl([
            "ecparam",
            "-name",
            "secp384r1",
            "-genkey",
            "-noout",
            "-out",
            "ec-ca.key",
        ]);
        pki.csr("ec-ca", "Test EC Intermediate CA");
        pki.issue("ec-ca", "ca", "ca", 10, &["-days", "3650", "-sha256"]);
        // RSA TSA: certificate signed by the root with RSA-PSS.
        pki.openssl([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            "tsa-rsa.key",
        ]);
        pki.csr("tsa-rsa", "Test TSA RSA");
        pki.issue(
            "tsa-rsa",
            "ca",
            "tsa",
            11,
            &[
                "-days",
                "365",
                "-sha256",
                "-sigopt",
                "rsa_padding_mode:pss",
                "-sigopt",
                "rsa_pss_saltlen:32",
            ],
        );
        // ECDSA P-256 TSA: certificate signed by the P-384 intermediate.
        pki.openssl([
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
            "tsa-ec.key",
        ]);
        pki.csr("tsa-ec", "Test TSA EC");
        pki.issue("tsa-ec", "ec-ca", "tsa", 12, &["-days", "365", "-sha384"]);
        pki
    }

    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir().join(name)
    }

    /// The root that issued every TSA here.
    pub fn ca(&self) -> PathBuf {
        self.path("ca.pem")
    }

    /// A root that issued none of them.
    pub fn other_ca(&self) -> PathBuf {
        self.path("other-ca.pem")
    }

    /// Runs openssl in the PKI folder, asserting success.
    #[track_caller]
    pub fn openssl<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let args: Vec<std::ffi::OsString> =
            args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        let output = self.run_openssl(&args);
        assert!(
            output.status.success(),
            "openssl {args:?} failed\nstdout:\n{}\nstderr:\n{}",
            stdout(&output),
            stderr(&output)
        );
        output
    }

    /// Runs openssl in the PKI folder, whatever it answers.
    pub fn run_openssl<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        Command::new(&self.tools.openssl)
            .current_dir(self.dir())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    fn csr(&self, name: &str, subject: &str) {
        self.openssl([
            "req",
            "-new",
            "-key",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
            "-subj",
            &format!("/O=Exhibit Test/CN={subject}"),
        ]);
    }

    fn issue(&self, name: &str, issuer: &str, extensions: &str, serial: u32, more: &[&str]) {
        let mut args: Vec<String> = [
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            &format!("{issuer}.pem"),
            "-CAkey",
            &format!("{issuer}.key"),
            "-set_serial",
            &serial.to_string(),
            "-extfile",
            "ext.cnf",
            "-extensions",
            extensions,
            "-out",
            &format!("{name}.pem"),
        ]
        .map(String::from)
        .to_vec();
        args.extend(more.iter().map(|s| s.to_string()));
        self.openssl(&args);
    }

    /// A TSA certificate (RSA key, issued by the root) valid exactly from
    /// `not_before` to `not_after` (Unix seconds), for the `section` of the
    /// TSA configuration of the same name (`short`, `stale`).
    pub fn dated_tsa(&self, section: &str, not_before: i64, not_after: i64) {
        let dir = self.dir();
        let ca_dir = dir.join(format!("{section}-ca"));
        let _ = fs::remove_dir_all(&ca_dir);
        fs::create_dir_all(&ca_dir).unwrap();
        fs::write(ca_dir.join("index.txt"), "").unwrap();
        fs::write(ca_dir.join("serial"), "20\n").unwrap();
        let config = format!(
            "[ca]\ndefault_ca = test_ca\n[test_ca]\ndir = {d}\ndatabase = {d}/index.txt\n\
             new_certs_dir = {d}\nserial = {d}/serial\ndefault_md = sha256\npolicy = any\n\
             unique_subject = no\n[any]\norganizationName = optional\ncommonName = supplied\n{EXTENSIONS}",
            d = ca_dir.display()
        );
        fs::write(ca_dir.join("ca.cnf"), config).unwrap();
        if !self.path(&format!("tsa-{section}.key")).exists() {
            self.openssl([
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                &format!("tsa-{section}.key"),
            ]);
        }
        self.csr(&format!("tsa-{section}"), &format!("Test TSA {section}"));
        self.openssl([
            "ca",
            "-batch",
            "-notext",
            "-config",
            &format!("{section}-ca/ca.cnf"),
            "-cert",
            "ca.pem",
            "-keyfile",
            "ca.key",
            "-in",
            &format!("tsa-{section}.csr"),
            "-out",
            &format!("tsa-{section}.pem"),
            "-extensions",
            "tsa",
            "-startdate",
            &asn1_time(not_before),
            "-enddate",
            &asn1_time(not_after),
        ]);
    }

    /// `openssl ts -reply` for one query file, as the TSA of `section`.
    #[track_caller]
    pub fn reply(&self, section: &str, query: &Path, response: &Path) {
        self.openssl([
            "ts".as_ref(),
            "-reply".as_ref(),
            "-config".as_ref(),
            self.path("tsa.cnf").as_os_str(),
            "-section".as_ref(),
            section.as_ref(),
            "-queryfile".as_ref(),
            query.as_os_str(),
            "-out".as_ref(),
            response.as_os_str(),
        ]);
    }

    /// A response made the way a TSA makes one, for an imprint given as
    /// hex (a query made by `openssl ts -query` first).
    pub fn response_for_digest(&self, section: &str, digest_hex: &str, out: &Path) {
        let query = out.with_extension("tsq");
        self.openssl([
            "ts".as_ref(),
            "-query".as_ref(),
            "-digest".as_ref(),
            digest_hex.as_ref(),
            "-sha256".as_ref(),
            "-cert".as_ref(),
            "-out".as_ref(),
            query.as_os_str(),
        ]);
        self.reply(section, &query, out);
    }

    /// `openssl ts -verify -digest HEX -in FILE -CAfile CA` (plus `extra`):
    /// does OpenSSL accept the token?
    pub fn openssl_accepts(
        &self,
        token: &Path,
        digest_hex: &str,
        ca: &Path,
        extra: &[&str],
    ) -> bool {
        let mut args: Vec<std::ffi::OsString> = ["ts", "-verify", "-digest", digest_hex, "-in"]
            .map(Into::into)
            .to_vec();
        args.push(token.into());
        args.push("-CAfile".into());
        args.push(ca.into());
        args.extend(extra.iter().map(Into::into));
        let output = self.run_openssl(&args);
        let ok = output.status.success() && stdout(&output).contains("Verification: OK");
        if !ok {
            eprintln!(
                "openssl ts -verify refused {}: {}",
                token.display(),
                stderr(&output).trim()
            );
        }
        ok
    }

    /// The genTime of a token as Unix seconds, read by OpenSSL.
    pub fn gen_time(&self, token: &Path) -> i64 {
        let output = self.openssl([
            "ts".as_ref(),
            "-reply".as_ref(),
            "-in".as_ref(),
            token.as_os_str(),
            "-text".as_ref(),
        ]);
        let text = stdout(&output);
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("Time stamp: "))
            .unwrap_or_else(|| panic!("no time stamp in:\n{text}"));
        // "Dec  1 09:47:58.981 2026 GMT"
        let parts: Vec<&str> = line.split_whitespace().collect();
        let month = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        .iter()
        .position(|m| *m == parts[0])
        .unwrap()
            + 1;
        let time = parts[2].split('.').next().unwrap();
        let stamp = format!(
            "{}-{month:02}-{:02}T{time}Z",
            parts[3],
            parts[1].parse::<u32>().unwrap()
        );
        stamp.parse::<jiff::Timestamp>().unwrap().as_second()
    }

    fn ts_config(&self) -> String {
        let d = self.dir().display();
        let section = |name: &str, cert: &str, key: &str, chain: &str, body: &str| {
            format!(
                "[{name}]\nserial = {d}/serial\ncrypto_device = builtin\nsigner_cert = {d}/{cert}\n\
                 certs = {d}/{chain}\nsigner_key = {d}/{key}\ndefault_policy = 1.2.3.4.1\n\
                 other_policies = 1.2.3.4.5\n{body}\n"
            )
        };
        [
            // RSA PKCS#1 v1.5 over SHA-256, ESS v1 (SHA-1), milliseconds.
            section("rsa", "tsa-rsa.pem", "tsa-rsa.key", "ca.pem",
                "signer_digest = sha256\ndigests = sha256, sha384, sha512\naccuracy = secs:1, millisecs:500\n\
                 clock_precision_digits = 3\nordering = yes\ntsa_name = yes\ness_cert_id_chain = no\ness_cert_id_alg = sha1"),
            // ECDSA P-256 over SHA-512, ESS v2 (SHA-256), microseconds.
            section("ec", "tsa-ec.pem", "tsa-ec.key", "ec-ca.pem",
                "signer_digest = sha512\ndigests = sha256\nclock_precision_digits = 6\ntsa_name = yes\n\
                 ess_cert_id_chain = yes\ness_cert_id_alg = sha256"),
            // `certs =` names the signer's own certificate: asked for
            // certificates, OpenSSL puts it in the token twice.
            section("twice", "tsa-rsa.pem", "tsa-rsa.key", "tsa-rsa.pem",
                "signer_digest = sha256\ndigests = sha256\ness_cert_id_alg = sha256"),
            // Refuses SHA-256 imprints (a real rejection, badAlg).
            section("reject", "tsa-rsa.pem", "tsa-rsa.key", "ca.pem",
                "signer_digest = sha256\ndigests = sha512"),
            // Certificates made by `dated_tsa`.
            section("short", "tsa-short.pem", "tsa-short.key", "ca.pem",
                "signer_digest = sha256\ndigests = sha256\ness_cert_id_alg = sha256"),
            section("stale", "tsa-stale.pem", "tsa-stale.key", "ca.pem",
                "signer_digest = sha256\ndigests = sha256\ness_cert_id_alg = sha256"),
        ]
        .concat()
    }

    /// Starts the HTTP TSA on 127.0.0.1.
    pub fn serve(&self) -> TsaServer {
        let script = self.path("serve.py");
        fs::write(&script, SERVER).unwrap();
        let mut child = Command::new(&self.tools.python)
            .arg("-u")
            .arg(&script)
            .arg(self.path("tsa.cnf"))
            .arg(&self.tools.openssl)
            .current_dir(self.dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port: u16 = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the TSA server did not start: {line:?}"));
        TsaServer {
            _running: Running::new(child),
            port,
        }
    }
}

/// The HTTP TSA; stopped when dropped.
pub struct TsaServer {
    _running: Running,
    pub port: u16,
}

/// A child process of a test, stopped when dropped (its standard input is
/// closed first: the servers here exit when it closes, also when the test
/// process dies).
pub struct Running {
    child: Child,
    stdin: Option<ChildStdin>,
}

impl Running {
    /// Takes over `child`, keeping its piped standard input open.
    pub fn new(mut child: Child) -> Running {
        Running {
            stdin: child.stdin.take(),
            child,
        }
    }
}

impl TsaServer {
    /// `http://127.0.0.1:PORT/<path>`: `rsa`, `ec`, `reject`, `short`,
    /// `stale` (OpenSSL TSAs), `status500`, `slow`, `garbage` (broken ones).
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A URL on 127.0.0.1 where nothing listens.
pub fn unreachable_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/rsa")
}

/// `YYYYMMDDHHMMSSZ`, as `openssl ca -startdate/-enddate` takes it.
pub fn asn1_time(unix_seconds: i64) -> String {
    jiff::Timestamp::from_second(unix_seconds)
        .unwrap()
        .strftime("%Y%m%d%H%M%SZ")
        .to_string()
}

/// The current time in Unix seconds.
pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Waits (a few seconds at most) until the clock has passed `unix_seconds`.
pub fn sleep_until_after(unix_seconds: i64) {
    while now() <= unix_seconds {
        std::thread::sleep(Duration::from_millis(100));
    }
}
