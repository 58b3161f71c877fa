//! Hostile bundles: a received bundle is untrusted input. For every row of
//! the table below, a crafted or damaged bundle is built and each command
//! that reads a bundle (`verify`, `inspect`, `extract`, `custody log`,
//! `custody replay`, `custody add`, `sign`) is run on a fresh copy of it.
//! Each run must:
//!
//! - end with exit 1 (a recognisable bag whose content does not check out)
//!   or 2 (not a bundle at all), as the row states — never 0;
//! - end by itself: no panic, no signal, no hang (20 s deadline), and stay
//!   within a 1 GiB address-space limit;
//! - print at least one clear line on stderr;
//! - write nothing anywhere: the folder around the bundle (with a sentinel
//!   file in it) is compared before and after, and the extract target is
//!   absent or empty afterwards.
//!
//! Most rows are forged consistently: after the hostile change, the
//! manifests, Payload-Oxum, Merkle root and seal statement are recomputed
//! and the seal and the first custody event are re-signed with the
//! sealer's own key. The hostile detail is then the only thing wrong, so a
//! verifier that missed it would answer VERIFIED (and the row would fail).
//! Two control rows (the forged bundle with no change, as zip and as a
//! folder) must verify, which proves the forging is faithful.
//!
//! There is no list of known bugs: every row states what every command must
//! do. The one documented exception is by design: a row whose lie only
//! shows when payload data is inflated (a deflate stream shorter than
//! declared, a bomb declared small) may pass `inspect`, `custody log`,
//! `custody replay` and `custody add`, which never read payload data (they
//! must stay fast on 100 GB bundles); `verify`, `extract` and `sign` must
//! refuse it. Peak memory is sampled and reported when above the 256 MB the
//! hardening issue allows.
//!
//! The test prints the table: per row, the exit code of each command, the
//! time, the peak memory, and the first line `verify` printed (why it
//! refused).

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{Cursor, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, FileTypeExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{scrub_env, Dir, EXE, TIME};
use base64::Engine as _;
use ed25519_dalek::pkcs8::DecodePrivateKey;
use ed25519_dalek::{Signer, SigningKey};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Deadline for one command.
const DEADLINE: Duration = Duration::from_secs(20);
/// Address-space limit for one command.
const MEMORY_LIMIT: u64 = 1 << 30;
/// Peak resident memory the issue allows; above it is reported, not failed.
const ISSUE_MEMORY: u64 = 256 << 20;
/// Size of the "huge" documents (stored deflated, so the zip stays small).
const HUGE: usize = 100 << 20;
/// What the zip bomb expands to.
const BOMB: usize = 200 << 20;
/// Nesting depth of the deeply nested documents.
const DEPTH: usize = 100_000;

const SEAL: &str = "exhibit/seal.json";
const EVENT: &str = "exhibit/custody/000001.json";
const EVENT_SIG: &str = "exhibit/custody/000001.sig";
const MANIFEST: &str = "manifest-sha256.txt";
const BLAKE3_MANIFEST: &str = "exhibit/manifest-blake3.txt";
const MERKLE_SALTS: &str = "exhibit/merkle-salts.txt";
const BAG_INFO: &str = "bag-info.txt";
const BAGIT: &str = "bagit.txt";
/// Payload of the base bundle; the sentinel beside every bundle holds the
/// same bytes as `a.txt`, so following a link to it would look "intact".
const A_TXT: &str = "data/evidence/a.txt";
const A_BYTES: &[u8] = b"hello\n";
const B_TXT: &str = "data/evidence/b.txt";
const B_BYTES: &[u8] = b"world\n";
const SENTINEL: &str = "sentinel.txt";

// ---------------------------------------------------------------------------
// Small helpers

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha256(bytes))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn replace_all(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut rest = hay;
    while let Some(i) = find(rest, from) {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(to);
        rest = &rest[i + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// Replaces the value of the first member `"key": <value>` of a JSON
/// document as the pretty printer writes it (a string, number or `{}`),
/// with the raw JSON text `value`. Unchanged if the member is absent.
fn set_member(doc: &[u8], key: &str, value: &str) -> Vec<u8> {
    let pattern = format!("\"{key}\": ");
    let Some(at) = find(doc, pattern.as_bytes()) else {
        return doc.to_vec();
    };
    let start = at + pattern.len();
    let rest = &doc[start..];
    let len = if rest.starts_with(b"\"") {
        2 + find(&rest[1..], b"\"").expect("closing quote")
    } else if rest.starts_with(b"{}") {
        2
    } else {
        rest.iter()
            .position(|b| matches!(b, b',' | b'\n' | b'}'))
            .unwrap_or(rest.len())
    };
    let end = start + len;
    [&doc[..start], value.as_bytes(), &doc[end..]].concat()
}

/// Inserts raw JSON text right after the document's opening `{`.
fn insert_after_brace(doc: &[u8], member: &[u8]) -> Vec<u8> {
    let at = doc.iter().position(|&b| b == b'{').expect("a JSON object") + 1;
    [&doc[..at], member, &doc[at..]].concat()
}

fn percent_encode(path: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(path.len());
    for &b in path {
        match b {
            b'%' => out.extend_from_slice(b"%25"),
            b'\r' => out.extend_from_slice(b"%0D"),
            b'\n' => out.extend_from_slice(b"%0A"),
            _ => out.push(b),
        }
    }
    out
}

/// RFC 6962 Merkle Tree Hash over leaf hashes.
fn merkle_root(leaves: &[[u8; 32]]) -> [u8; 32] {
    match leaves.len() {
        0 => sha256(b""),
        1 => leaves[0],
        n => {
            let mut k = 1;
            while k * 2 < n {
                k *= 2;
            }
            let mut node = vec![1u8];
            node.extend_from_slice(&merkle_root(&leaves[..k]));
            node.extend_from_slice(&merkle_root(&leaves[k..]));
            sha256(&node)
        }
    }
}

/// A format-2 leaf (FORMAT.md section 8).
fn merkle_leaf(salt: &[u8; 32], path: &[u8], content: &[u8]) -> [u8; 32] {
    let mut input = vec![0u8];
    input.extend_from_slice(b"exhibit.merkle-leaf/2\0");
    input.extend_from_slice(salt);
    input.extend_from_slice(&(path.len() as u64).to_be_bytes());
    input.extend_from_slice(path);
    input.extend_from_slice(&(content.len() as u64).to_be_bytes());
    input.extend_from_slice(&sha256(content));
    input.extend_from_slice(blake3::hash(content).as_bytes());
    sha256(&input)
}

/// The salt `exhibit seal` derives for a payload file (FORMAT.md section
/// 8), written out again here from the format's description: HKDF-SHA256
/// of the seed gives the salt key, HMAC-SHA256 under it of the
/// length-prefixed case id, exhibit id, sealing time and bag path the salt.
fn merkle_salt(key: &SigningKey, seal: &[u8], path: &[u8]) -> [u8; 32] {
    use hmac::Mac;
    let statement: serde_json::Value = serde_json::from_slice(seal).unwrap_or_default();
    let field = |name: &str| statement[name].as_str().unwrap_or_default().to_string();
    let mut salt_key = [0u8; 32];
    hkdf::Hkdf::<Sha256>::new(None, key.as_bytes())
        .expand(b"exhibit.merkle-salt-key/1", &mut salt_key)
        .unwrap();
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&salt_key).unwrap();
    mac.update(b"exhibit.merkle-salt/1\0");
    for value in [
        field("case_id").as_bytes(),
        field("exhibit_id").as_bytes(),
        field("sealed_at").as_bytes(),
        path,
    ] {
        mac.update(&(value.len() as u64).to_be_bytes());
        mac.update(value);
    }
    mac.finalize().into_bytes().into()
}

/// Deterministic pseudo-random bytes (xorshift).
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        out.extend_from_slice(&seed.to_le_bytes());
    }
    out.truncate(len);
    out
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

// ---------------------------------------------------------------------------
// Raw zip surgery: the central directory as written, and byte patches

/// One central-directory record: where it is, where its local header is,
/// and its name.
struct CdRecord {
    at: usize,
    local: usize,
    name: Vec<u8>,
}

fn u16_at(bytes: &[u8], at: usize) -> usize {
    u16::from_le_bytes([bytes[at], bytes[at + 1]]) as usize
}

fn u32_at(bytes: &[u8], at: usize) -> usize {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize
}

fn put16(bytes: &mut [u8], at: usize, value: u16) {
    bytes[at..at + 2].copy_from_slice(&value.to_le_bytes());
}

fn put32(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// Offset of the end-of-central-directory record.
fn eocd(bytes: &[u8]) -> usize {
    (0..=bytes.len() - 22)
        .rev()
        .find(|&i| bytes[i..i + 4] == *b"PK\x05\x06")
        .expect("end of central directory")
}

fn central_directory(bytes: &[u8]) -> Vec<CdRecord> {
    let end = eocd(bytes);
    let count = u16_at(bytes, end + 10);
    let mut at = u32_at(bytes, end + 16);
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        assert_eq!(bytes[at..at + 4], *b"PK\x01\x02", "central header");
        let name_len = u16_at(bytes, at + 28);
        let extra_len = u16_at(bytes, at + 30);
        let comment_len = u16_at(bytes, at + 32);
        out.push(CdRecord {
            at,
            local: u32_at(bytes, at + 42),
            name: bytes[at + 46..at + 46 + name_len].to_vec(),
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    out
}

fn record(bytes: &[u8], name: &[u8]) -> CdRecord {
    central_directory(bytes)
        .into_iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no entry {:?}", String::from_utf8_lossy(name)))
}

/// Renames an entry in place (same length), in both headers.
fn rename_entry(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let r = record(bytes, from);
    bytes[r.at + 46..r.at + 46 + to.len()].copy_from_slice(to);
    bytes[r.local + 30..r.local + 30 + to.len()].copy_from_slice(to);
}

/// Declared sizes, in both headers (`None` leaves one unchanged).
fn patch_sizes(bytes: &mut [u8], name: &[u8], compressed: Option<u32>, size: Option<u32>) {
    let r = record(bytes, name);
    if let Some(c) = compressed {
        put32(bytes, r.at + 20, c);
        put32(bytes, r.local + 18, c);
    }
    if let Some(s) = size {
        put32(bytes, r.at + 24, s);
        put32(bytes, r.local + 22, s);
    }
}

fn patch_flags(bytes: &mut [u8], name: &[u8], bits: u16) {
    let r = record(bytes, name);
    let flags = u16_at(bytes, r.at + 8) as u16 | bits;
    put16(bytes, r.at + 8, flags);
    put16(bytes, r.local + 6, flags);
}

fn patch_method(bytes: &mut [u8], name: &[u8], method: u16) {
    let r = record(bytes, name);
    put16(bytes, r.at + 10, method);
    put16(bytes, r.local + 8, method);
}

/// The declared uncompressed size in the zip64 extra field of an entry
/// written with zip64 sizes, in both headers.
fn patch_zip64_size(bytes: &mut [u8], name: &[u8], size: u64) {
    let r = record(bytes, name);
    let name_len = u16_at(bytes, r.at + 28);
    let extra = r.at + 46 + name_len;
    assert_eq!(u16_at(bytes, extra), 1, "zip64 extra field first");
    bytes[extra + 4..extra + 12].copy_from_slice(&size.to_le_bytes());
    let local_extra = r.local + 30 + name_len;
    assert_eq!(u16_at(bytes, local_extra), 1, "zip64 extra field first");
    bytes[local_extra + 4..local_extra + 12].copy_from_slice(&size.to_le_bytes());
}

/// Unix mode (file type and permissions) in the external attributes.
fn patch_mode(bytes: &mut [u8], name: &[u8], mode: u32) {
    let r = record(bytes, name);
    put16(bytes, r.at + 4, (3 << 8) | 20); // made by Unix
    put32(bytes, r.at + 38, mode << 16);
}

// ---------------------------------------------------------------------------
// The forger: a bundle as a list of zip entries, re-sealed and re-signed

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    File,
    Symlink,
    Dir,
}

#[derive(Clone)]
struct Item {
    /// Full raw entry name (top folder included).
    name: Vec<u8>,
    data: Vec<u8>,
    kind: Kind,
    deflate: bool,
    /// Written with zip64 extra fields (so sizes can be patched to 64 bits).
    zip64: bool,
    /// What the manifests claim, if not `data`.
    claim: Option<Vec<u8>>,
}

#[derive(Clone)]
struct Model {
    top: String,
    items: Vec<Item>,
    key: SigningKey,
    key_id: String,
}

impl Model {
    fn from_zip(bytes: &[u8], key: &SigningKey) -> Model {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut items = Vec::new();
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            items.push(Item {
                name: file.name_raw().to_vec(),
                data,
                kind: if file.is_dir() { Kind::Dir } else { Kind::File },
                deflate: false,
                zip64: false,
                claim: None,
            });
        }
        let top = String::from_utf8(items[0].name.split(|&b| b == b'/').next().unwrap().to_vec())
            .unwrap();
        Model {
            top,
            items,
            key: key.clone(),
            key_id: sha256_hex(key.verifying_key().as_bytes()),
        }
    }

    fn full(&self, rel: &str) -> Vec<u8> {
        format!("{}/{rel}", self.top).into_bytes()
    }

    fn sig_record(&self) -> String {
        format!("exhibit/signatures/{}.json", self.key_id)
    }

    fn position(&self, rel: &str) -> Option<usize> {
        let full = self.full(rel);
        self.items.iter().position(|i| i.name == full)
    }

    fn item(&mut self, rel: &str) -> &mut Item {
        let i = self
            .position(rel)
            .unwrap_or_else(|| panic!("no {rel} in the bundle"));
        &mut self.items[i]
    }

    fn get(&self, rel: &str) -> Vec<u8> {
        self.items[self.position(rel).unwrap()].data.clone()
    }

    fn set(&mut self, rel: &str, data: Vec<u8>) {
        self.item(rel).data = data;
    }

    fn remove(&mut self, rel: &str) {
        let i = self.position(rel).unwrap();
        self.items.remove(i);
    }

    /// Adds an entry by its full raw name.
    fn add(&mut self, name: impl Into<Vec<u8>>, data: impl Into<Vec<u8>>) {
        self.items.push(Item {
            name: name.into(),
            data: data.into(),
            kind: Kind::File,
            deflate: false,
            zip64: false,
            claim: None,
        });
    }

    /// Adds an entry inside the bag folder.
    fn add_in(&mut self, rel: impl AsRef<[u8]>, data: impl Into<Vec<u8>>) {
        let mut name = self.full("");
        name.extend_from_slice(rel.as_ref());
        self.add(name, data);
    }

    /// Rewrites both manifests, Payload-Oxum and the seal statement for the
    /// payload as it now stands (every entry below `data/`, first
    /// occurrence of a name only), then re-signs seal and custody.
    fn reseal(&mut self) {
        let prefix = self.full("data/");
        let mut seen = HashSet::new();
        let mut files: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        for item in &self.items {
            if !item.name.starts_with(&prefix) || item.kind == Kind::Dir {
                continue;
            }
            let mut path = item.name[self.top.len() + 1..].to_vec();
            if path.ends_with(b"/") {
                path.pop();
            }
            if seen.insert(path.clone()) {
                files.push((path, item.claim.clone().unwrap_or(item.data.clone())));
            }
        }
        files.sort();
        let (mut sha, mut b3, mut salts) = (Vec::new(), Vec::new(), Vec::new());
        let mut leaves = Vec::new();
        let mut total = 0u64;
        let statement = self.get(SEAL);
        for (path, content) in &files {
            let encoded = percent_encode(path);
            let salt = merkle_salt(&self.key, &statement, path);
            for (out, digest) in [
                (&mut sha, sha256_hex(content)),
                (&mut b3, blake3::hash(content).to_hex().to_string()),
                (&mut salts, hex::encode(salt)),
            ] {
                out.extend_from_slice(digest.as_bytes());
                out.extend_from_slice(b"  ");
                out.extend_from_slice(&encoded);
                out.push(b'\n');
            }
            leaves.push(merkle_leaf(&salt, path, content));
            total += content.len() as u64;
        }
        let info: Vec<u8> = String::from_utf8(self.get(BAG_INFO))
            .unwrap()
            .lines()
            .map(|line| match line.starts_with("Payload-Oxum:") {
                true => format!("Payload-Oxum: {total}.{}\n", files.len()),
                false => format!("{line}\n"),
            })
            .collect::<String>()
            .into_bytes();
        let mut seal = self.get(SEAL);
        for (rel, new) in [
            (MANIFEST, sha),
            (BLAKE3_MANIFEST, b3),
            (MERKLE_SALTS, salts),
            (BAG_INFO, info),
        ] {
            let old = sha256_hex(&self.get(rel));
            seal = replace_all(&seal, old.as_bytes(), sha256_hex(&new).as_bytes());
            self.set(rel, new);
        }
        seal = set_member(&seal, "file_count", &files.len().to_string());
        seal = set_member(&seal, "total_bytes", &total.to_string());
        let root = format!("\"{}\"", hex::encode(merkle_root(&leaves)));
        seal = set_member(&seal, "merkle_root", &root);
        self.set(SEAL, seal);
        self.resign();
    }

    fn signature_b64(&self, bytes: &[u8]) -> String {
        let signature = self.key.sign(bytes);
        format!(
            "\"{}\"",
            base64::engine::general_purpose::STANDARD.encode(signature.to_bytes())
        )
    }

    /// Re-signs the seal and re-links and re-signs the first custody event.
    fn resign(&mut self) {
        let seal = self.get(SEAL);
        let record = self.sig_record();
        if self.position(&record).is_some() {
            let signed = set_member(&self.get(&record), "signature", &self.signature_b64(&seal));
            self.set(&record, signed);
        }
        if self.position(EVENT).is_some() {
            let link = format!("\"{}\"", sha256_hex(&seal));
            let event = set_member(&self.get(EVENT), "seal_sha256", &link);
            let event = set_member(&event, "previous_sha256", &link);
            self.set(EVENT, event);
            self.sign_event();
        }
    }

    fn sign_event(&mut self) {
        if self.position(EVENT_SIG).is_some() {
            let signature = self.signature_b64(&self.get(EVENT));
            let signed = set_member(&self.get(EVENT_SIG), "signature", &signature);
            self.set(EVENT_SIG, signed);
        }
    }

    /// Replaces a document and makes everything that covers it consistent
    /// again, so the document's own content is the only problem.
    fn edit(&mut self, rel: &str, f: impl FnOnce(Vec<u8>) -> Vec<u8>) {
        let old = self.get(rel);
        let new = f(old.clone());
        self.set(rel, new.clone());
        match rel {
            SEAL => self.resign(),
            EVENT => self.sign_event(),
            MANIFEST | BLAKE3_MANIFEST | BAG_INFO => {
                let seal = replace_all(
                    &self.get(SEAL),
                    sha256_hex(&old).as_bytes(),
                    sha256_hex(&new).as_bytes(),
                );
                self.set(SEAL, seal);
                self.resign();
            }
            _ => {}
        }
    }

    /// The bundle as a zip. Names the zip crate cannot write (duplicates,
    /// invalid UTF-8) are written under a placeholder of the same length
    /// and patched afterwards.
    fn zip(&self) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let mut renames = Vec::new();
        let mut seen = HashSet::new();
        for (i, item) in self.items.iter().enumerate() {
            let name = match std::str::from_utf8(&item.name) {
                Ok(s) if seen.insert(s.to_string()) => s.to_string(),
                _ => {
                    let mut p = format!("~{i}~");
                    assert!(p.len() <= item.name.len(), "name too short to patch");
                    while p.len() < item.name.len() {
                        p.push('~');
                    }
                    renames.push((p.clone().into_bytes(), item.name.clone()));
                    p
                }
            };
            let method = match item.deflate {
                true => CompressionMethod::Deflated,
                false => CompressionMethod::Stored,
            };
            // Fast deflate: the big test entries are runs of one byte.
            let options = SimpleFileOptions::default()
                .compression_method(method)
                .compression_level(item.deflate.then_some(1))
                .large_file(item.zip64)
                .last_modified_time(zip::DateTime::default())
                .unix_permissions(0o644);
            match item.kind {
                Kind::File => {
                    writer.start_file(name, options).unwrap();
                    writer.write_all(&item.data).unwrap();
                }
                Kind::Symlink => {
                    let target = String::from_utf8(item.data.clone()).unwrap();
                    writer.add_symlink(name, target, options).unwrap();
                }
                Kind::Dir => writer.add_directory(name, options).unwrap(),
            }
        }
        let mut bytes = writer.finish().unwrap().into_inner();
        for (placeholder, real) in renames {
            rename_entry(&mut bytes, &placeholder, &real);
        }
        bytes
    }

    /// The bundle as a folder `DIR/<top>`; returns the bag path.
    fn write_dir(&self, dir: &Path) -> PathBuf {
        let bag = dir.join(&self.top);
        fs::create_dir_all(&bag).unwrap();
        for item in &self.items {
            let rel = &item.name[self.top.len() + 1..];
            let path = bag.join(std::ffi::OsStr::from_bytes(rel));
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            match item.kind {
                Kind::File => fs::write(&path, &item.data).unwrap(),
                Kind::Symlink => symlink(std::ffi::OsStr::from_bytes(&item.data), &path).unwrap(),
                Kind::Dir => fs::create_dir_all(&path).unwrap(),
            }
        }
        bag
    }
}

// ---------------------------------------------------------------------------
// Running the binary under a deadline and a memory limit

struct Ctx {
    root: PathBuf,
    key: PathBuf,
    public: PathBuf,
    key2: PathBuf,
    model: Model,
    prlimit: bool,
}

struct Run {
    /// Peak resident memory seen while it ran (bytes; sampled).
    peak_rss: u64,
    code: Option<i32>,
    signal: Option<i32>,
    hung: bool,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    elapsed: Duration,
}

fn exhibit(ctx: &Ctx, cwd: &Path, args: &[&std::ffi::OsStr], deadline: Duration) -> Run {
    let mut cmd = if ctx.prlimit {
        let mut c = Command::new("prlimit");
        c.arg(format!("--as={MEMORY_LIMIT}")).arg("--").arg(EXE);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!(
                "ulimit -v {} && exec \"$0\" \"$@\"",
                MEMORY_LIMIT / 1024
            ))
            .arg(EXE);
        c
    };
    // The wrapper passes its environment on to the binary.
    scrub_env(&mut cmd)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn exhibit");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut out = Vec::new();
            let _ = pipe.read_to_end(&mut out);
            out
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let mut hung = false;
    let mut peak_rss = 0;
    let status_file = format!("/proc/{}/status", child.id());
    let status = loop {
        if let Ok(status) = fs::read_to_string(&status_file) {
            peak_rss = peak_rss.max(vm_hwm(&status));
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > deadline {
            hung = true;
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    use std::os::unix::process::ExitStatusExt;
    Run {
        peak_rss,
        code: status.code(),
        signal: status.signal(),
        hung,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        elapsed: start.elapsed(),
    }
}

/// `VmHWM` (peak resident set) of a `/proc/PID/status`, in bytes.
fn vm_hwm(status: &str) -> u64 {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Runs the binary for set-up, which must succeed.
fn setup_run(ctx: &Ctx, cwd: &Path, args: &[&str]) {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    let run = exhibit(ctx, cwd, &args, DEADLINE);
    assert_eq!(
        run.code,
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Seals `SRC` (a folder below `dir`) into `dir/OUT` with the sealer key.
fn seal(ctx: &Ctx, dir: &Path, src: &str, out: &str) -> PathBuf {
    let key = ctx.key.to_str().unwrap();
    setup_run(
        ctx,
        dir,
        &[
            "seal",
            src,
            "-o",
            out,
            "--key",
            key,
            "--case",
            "CASE-7",
            "--exhibit",
            "E1",
            "--time",
            TIME,
        ],
    );
    dir.join(out)
}

// ---------------------------------------------------------------------------
// The table

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cmd {
    Verify,
    Inspect,
    Extract,
    Log,
    Replay,
    Add,
    Sign,
}

const ALL: [Cmd; 7] = [
    Cmd::Verify,
    Cmd::Inspect,
    Cmd::Extract,
    Cmd::Log,
    Cmd::Replay,
    Cmd::Add,
    Cmd::Sign,
];

impl Cmd {
    fn name(self) -> &'static str {
        match self {
            Cmd::Verify => "verify",
            Cmd::Inspect => "inspect",
            Cmd::Extract => "extract",
            Cmd::Log => "custody log",
            Cmd::Replay => "custody replay",
            Cmd::Add => "custody add",
            Cmd::Sign => "sign",
        }
    }

    fn args(self, ctx: &Ctx, bundle: &Path, target: &Path) -> Vec<std::ffi::OsString> {
        let b = bundle.as_os_str().to_owned();
        let list: Vec<std::ffi::OsString> = match self {
            Cmd::Verify => vec![
                "verify".into(),
                b,
                "--trust".into(),
                ctx.public.clone().into(),
            ],
            Cmd::Inspect => vec!["inspect".into(), b],
            Cmd::Extract => vec![
                "extract".into(),
                b,
                "-o".into(),
                target.into(),
                "--trust".into(),
                ctx.public.clone().into(),
            ],
            Cmd::Log => vec!["custody".into(), "log".into(), b],
            Cmd::Replay => vec![
                "custody".into(),
                "replay".into(),
                b,
                "--trust".into(),
                ctx.public.clone().into(),
            ],
            Cmd::Add => vec![
                "custody".into(),
                "add".into(),
                b,
                "--key".into(),
                ctx.key.clone().into(),
                "--action".into(),
                "note".into(),
                "--note".into(),
                "hostile test".into(),
            ],
            Cmd::Sign => vec!["sign".into(), b, "--key".into(), ctx.key2.clone().into()],
        };
        list
    }
}

/// What a row expects of every command.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Not a bundle at all: exit 2 (SPEC: not a zip or folder, no bagit.txt).
    Unusable,
    /// A recognisable bag whose content does not check out: exit 1.
    Failed,
    /// Exit 1 or 2 (SPEC does not fix which).
    Refused,
    /// The unmodified control bundle: every command succeeds.
    Valid,
    /// A legitimately sealed bundle with names that collide on other
    /// systems: any of 0, 1, 3, but `extract` either refuses or writes
    /// each of these files byte for byte (none overwrites another).
    Distinct(&'static [(&'static str, &'static [u8])]),
}

type BytesBuilder = Box<dyn Fn(&Ctx) -> Vec<u8> + Sync>;
type DirBuilder = Box<dyn Fn(&Ctx, &Path) -> PathBuf + Sync>;

enum Build {
    /// A file (zip or not) written as `good.zip`.
    Bytes(BytesBuilder),
    /// A folder (or anything else) made inside the sandbox; returns the
    /// bundle path.
    Dir(DirBuilder),
}

struct Row {
    name: String,
    build: Build,
    expect: Expect,
    /// The lie only shows when payload data is read: the commands that
    /// never read it may pass.
    only_in_payload_data: bool,
    /// The lie is in the payload's listing (names, local headers, the
    /// zip's tiling): `inspect`, which lists tag files only, may pass.
    only_in_listing: bool,
}

/// The commands that never read payload data.
const PAYLOAD_BLIND: &[Cmd] = &[Cmd::Inspect, Cmd::Log, Cmd::Replay, Cmd::Add];

impl Row {
    /// Marks a row whose lie only shows when payload data is inflated.
    fn only_in_payload_data(mut self) -> Row {
        self.only_in_payload_data = true;
        self
    }

    /// Marks a row whose lie only shows when the payload is listed.
    fn only_in_listing(mut self) -> Row {
        self.only_in_listing = true;
        self
    }

    /// Whether `cmd` may pass this row: it never reads what is wrong.
    fn may_pass(&self, cmd: Cmd) -> bool {
        (self.only_in_payload_data && PAYLOAD_BLIND.contains(&cmd))
            || (self.only_in_listing && cmd == Cmd::Inspect)
    }
}

fn bytes_row(
    name: impl Into<String>,
    expect: Expect,
    f: impl Fn(&Ctx) -> Vec<u8> + Sync + 'static,
) -> Row {
    Row {
        name: name.into(),
        build: Build::Bytes(Box::new(f)),
        expect,
        only_in_payload_data: false,
        only_in_listing: false,
    }
}

/// A zip forged from the base bundle: `f` changes the model (and reseals
/// it if it wants a consistent seal).
fn zip_row(
    name: impl Into<String>,
    expect: Expect,
    f: impl Fn(&mut Model) + Sync + 'static,
) -> Row {
    bytes_row(name, expect, move |ctx| {
        let mut m = ctx.model.clone();
        f(&mut m);
        m.zip()
    })
}

/// A zip forged from the base bundle, then patched byte by byte.
fn patched_row(
    name: impl Into<String>,
    expect: Expect,
    f: impl Fn(&mut Model) + Sync + 'static,
    patch: impl Fn(&mut Vec<u8>, &Model) + Sync + 'static,
) -> Row {
    bytes_row(name, expect, move |ctx| {
        let mut m = ctx.model.clone();
        f(&mut m);
        let mut bytes = m.zip();
        patch(&mut bytes, &m);
        bytes
    })
}

fn dir_row(
    name: impl Into<String>,
    expect: Expect,
    f: impl Fn(&Ctx, &Path) -> PathBuf + Sync + 'static,
) -> Row {
    Row {
        name: name.into(),
        build: Build::Dir(Box::new(f)),
        expect,
        only_in_payload_data: false,
        only_in_listing: false,
    }
}

/// A folder bundle forged from the base bundle; `after` then changes the
/// written folder (symlinks, FIFOs) given the sandbox and the bag.
fn forged_dir_row(
    name: impl Into<String>,
    expect: Expect,
    f: impl Fn(&mut Model) + Sync + 'static,
    after: impl Fn(&Path, &Path) + Sync + 'static,
) -> Row {
    dir_row(name, expect, move |ctx, sandbox| {
        let mut m = ctx.model.clone();
        f(&mut m);
        let bag = m.write_dir(sandbox);
        after(sandbox, &bag);
        bag
    })
}

fn replace_with_symlink(path: &Path, target: &str) {
    fs::remove_file(path).unwrap();
    symlink(target, path).unwrap();
}

fn replace_with_fifo(path: &Path) {
    fs::remove_file(path).unwrap();
    mkfifo(path);
}

/// Document corruptions, one per kind the issue lists.
#[derive(Clone, Copy, Debug)]
enum Corruption {
    InvalidUtf8,
    InvalidSyntax,
    DeeplyNested,
    Huge,
    DuplicateKeys,
    UnknownVersion,
    WrongTypes,
}

const CORRUPTIONS: [Corruption; 7] = [
    Corruption::InvalidUtf8,
    Corruption::InvalidSyntax,
    Corruption::DeeplyNested,
    Corruption::Huge,
    Corruption::DuplicateKeys,
    Corruption::UnknownVersion,
    Corruption::WrongTypes,
];

fn deeply_nested() -> Vec<u8> {
    let mut doc = vec![b'['; DEPTH];
    doc.extend(std::iter::repeat_n(b']', DEPTH));
    doc
}

fn huge_string() -> Vec<u8> {
    vec![b'A'; HUGE]
}

/// A corrupted JSON document (seal statement, signature record, custody
/// event), or `None` when the corruption does not apply.
fn corrupt_json(doc: &[u8], what: Corruption, rel: &str, other_key_id: &str) -> Option<Vec<u8>> {
    let type_value = |doc: &[u8]| {
        let at = find(doc, b"\"type\": \"").unwrap() + 9;
        at + find(&doc[at..], b"\"").unwrap()
    };
    Some(match what {
        // Two bytes that are not UTF-8, inside the type string.
        Corruption::InvalidUtf8 => {
            let end = type_value(doc);
            [&doc[..end], b"\xff\xfe".as_slice(), &doc[end..]].concat()
        }
        Corruption::InvalidSyntax => {
            let end = doc.iter().rposition(|&b| b == b'}').unwrap();
            [&doc[..end], b",\n".as_slice()].concat()
        }
        Corruption::DeeplyNested => deeply_nested(),
        // A plausible document with one 100 MB string member.
        Corruption::Huge => {
            let mut member = b"\n  \"padding\": \"".to_vec();
            member.extend_from_slice(&huge_string());
            member.extend_from_slice(b"\",");
            insert_after_brace(doc, &member)
        }
        // The same member twice with different values: whichever one a
        // lenient parser keeps, the document is ambiguous.
        Corruption::DuplicateKeys => {
            let member = match rel {
                SEAL => "\n  \"case_id\": \"FORGED\",".to_string(),
                EVENT => "\n  \"action\": \"transfer\",".to_string(),
                EVENT_SIG => "\n  \"signed_file\": \"exhibit/seal.json\",".to_string(),
                _ => format!("\n  \"key_id\": \"{other_key_id}\","),
            };
            insert_after_brace(doc, member.as_bytes())
        }
        Corruption::UnknownVersion => {
            // The next version of the type (`exhibit.seal/2` becomes
            // `exhibit.seal/3`, `exhibit.custody-event/1` `.../2`).
            let end = type_value(doc);
            let version = doc[end - 1];
            assert!(doc[end - 2] == b'/' && (b'1'..b'9').contains(&version));
            [&doc[..end - 1], &[version + 1], &doc[end..]].concat()
        }
        Corruption::WrongTypes => match rel {
            SEAL => set_member(doc, "file_count", "\"2\""),
            EVENT => set_member(doc, "sequence", "\"1\""),
            _ => set_member(doc, "key_id", "7"),
        },
    })
}

/// A corrupted BagIt tag file, or `None` when the corruption does not
/// apply.
fn corrupt_text(doc: &[u8], what: Corruption, rel: &str) -> Option<Vec<u8>> {
    let line = |extra: &[u8]| [doc, extra, b"\n".as_slice()].concat();
    let digest_line = |path: &[u8]| [b"0".repeat(64).as_slice(), b"  ", path].concat();
    Some(match (what, rel) {
        (Corruption::InvalidUtf8, BAG_INFO) => line(b"Source-Organization: \xff\xfe"),
        (Corruption::InvalidUtf8, BAGIT) => line(b"Comment: \xff\xfe"),
        (Corruption::InvalidUtf8, _) => line(&digest_line(b"data/evidence/\xff\xfe")),
        (Corruption::InvalidSyntax, _) => line(b"this line is neither a label nor a manifest line"),
        (Corruption::DeeplyNested, _) => line(&deeply_nested()),
        (Corruption::Huge, BAG_INFO | BAGIT) => {
            line(&[b"Source-Organization: ".as_slice(), &huge_string()].concat())
        }
        (Corruption::Huge, _) => line(&digest_line(&huge_string())),
        (Corruption::DuplicateKeys, BAG_INFO) => {
            [b"Payload-Oxum: 999.9\n".as_slice(), doc].concat()
        }
        (Corruption::DuplicateKeys, BAGIT) => line(b"BagIt-Version: 0.97"),
        (Corruption::DuplicateKeys, _) => {
            let first = doc.split(|&b| b == b'\n').next().unwrap();
            line(first)
        }
        (Corruption::UnknownVersion, BAGIT) => {
            replace_all(doc, b"BagIt-Version: 1.0", b"BagIt-Version: 9.9")
        }
        (Corruption::UnknownVersion, _) => return None,
        (Corruption::WrongTypes, BAG_INFO) => {
            let text = String::from_utf8(doc.to_vec()).unwrap();
            let at = text.find("Payload-Oxum: ").unwrap() + 14;
            let end = at + text[at..].find('\n').unwrap();
            format!("{}twelve.two{}", &text[..at], &text[end..]).into_bytes()
        }
        (Corruption::WrongTypes, BAGIT) => {
            replace_all(doc, b"BagIt-Version: 1.0", b"BagIt-Version: one.zero")
        }
        (Corruption::WrongTypes, _) => {
            let mut out = doc.to_vec();
            out[..64].copy_from_slice(&b"z".repeat(64));
            out
        }
    })
}

fn rows() -> Vec<Row> {
    let mut rows = vec![
        // Controls: the forger itself must produce bundles that verify.
        zip_row("control: forged zip, unchanged", Expect::Valid, |m| {
            m.reseal()
        }),
        forged_dir_row(
            "control: forged folder, unchanged",
            Expect::Valid,
            |m| m.reseal(),
            |_, _| {},
        ),
    ];

    // --- Entry names (consistently sealed: the name is the only problem)
    let names: Vec<(&str, Vec<u8>)> = vec![
        ("name ../x beside the bag folder", b"../x".to_vec()),
        ("name bag/../x", b"good/../x".to_vec()),
        ("name /abs/x", b"/abs/x".to_vec()),
        ("name bag//abs/x", b"good//abs/x".to_vec()),
        ("name C:\\x", b"C:\\x".to_vec()),
        ("name bag/data/C:\\x", b"good/data/C:\\x".to_vec()),
        ("name bag/data/../../x", b"good/data/../../x".to_vec()),
        (
            "name bag/data/../../../../x",
            b"good/data/../../../../x".to_vec(),
        ),
        ("name bag/data/..\\..\\x", b"good/data/..\\..\\x".to_vec()),
        (
            "name with NUL byte",
            b"good/data/evidence/a\0b.txt".to_vec(),
        ),
        (
            "name not UTF-8",
            b"good/data/evidence/\xff\xfe.txt".to_vec(),
        ),
    ];
    for (title, name) in names {
        let in_payload = name.starts_with(b"good/data/");
        let row = zip_row(title, Expect::Failed, move |m| {
            m.add(name.clone(), b"escaped\n".to_vec());
            m.reseal();
        });
        rows.push(if in_payload {
            row.only_in_listing()
        } else {
            row
        });
    }
    rows.push(zip_row(
        "duplicate payload name, forged copy last",
        Expect::Failed,
        |m| {
            m.add_in(A_TXT, b"FORGED\n".to_vec());
            m.reseal();
        },
    ));
    rows.push(zip_row(
        "duplicate payload name, forged copy first",
        Expect::Failed,
        |m| {
            m.reseal();
            let original = m.position(A_TXT).unwrap();
            let mut forged = m.items[original].clone();
            forged.data = b"FORGED\n".to_vec();
            m.items.insert(original, forged);
        },
    ));
    // A second copy of a signed document, before or after the genuine one.
    for (rel, from, to) in [
        (SEAL, b"CASE-7".as_slice(), b"FORGED".as_slice()),
        (EVENT, b"\"seal\"", b"\"note\""),
    ] {
        let name = rel.trim_start_matches("exhibit/");
        rows.push(zip_row(
            format!("duplicate {name}, forged copy last"),
            Expect::Failed,
            move |m| {
                m.reseal();
                let forged = replace_all(&m.get(rel), from, to);
                m.add_in(rel, forged);
            },
        ));
        rows.push(zip_row(
            format!("duplicate {name}, forged copy first"),
            Expect::Failed,
            move |m| {
                m.reseal();
                let original = m.position(rel).unwrap();
                let mut forged = m.items[original].clone();
                forged.data = replace_all(&forged.data, from, to);
                m.items.insert(original, forged);
            },
        ));
    }

    // --- Names that differ only by case or by Unicode normalization,
    // sealed by the binary itself (distinct files on Linux).
    const CASE: &[(&str, &[u8])] = &[
        ("evidence/a.txt", b"lower case\n"),
        ("evidence/A.txt", b"UPPER CASE\n"),
    ];
    const NFC: &[(&str, &[u8])] = &[
        ("evidence/caf\u{e9}.txt", b"NFC spelling\n"),
        ("evidence/cafe\u{301}.txt", b"NFD spelling\n"),
    ];
    for (title, files) in [("case", CASE), ("unicode normalization", NFC)] {
        for zip in [true, false] {
            let form = if zip { "zip" } else { "folder" };
            rows.push(dir_row(
                format!("names differing only by {title} ({form})"),
                Expect::Distinct(files),
                move |ctx, sandbox| {
                    for (name, bytes) in files {
                        let path = sandbox.join("src").join(name);
                        fs::create_dir_all(path.parent().unwrap()).unwrap();
                        fs::write(path, bytes).unwrap();
                    }
                    let out = if zip { "good.zip" } else { "good" };
                    let bundle = seal(ctx, &sandbox.join("src"), "evidence", out);
                    let dest = sandbox.join(out);
                    fs::rename(&bundle, &dest).unwrap();
                    fs::remove_dir_all(sandbox.join("src")).unwrap();
                    dest
                },
            ));
        }
    }

    // --- Entry kinds
    rows.push(
        zip_row("symlink entry to the sentinel", Expect::Failed, |m| {
            let item = m.item(A_TXT);
            item.kind = Kind::Symlink;
            item.data = format!("../../../{SENTINEL}").into_bytes();
            m.reseal();
        })
        .only_in_listing(),
    );
    rows.push(
        zip_row("symlink entry to /etc/passwd", Expect::Failed, |m| {
            let item = m.item(A_TXT);
            item.kind = Kind::Symlink;
            item.data = b"/etc/passwd".to_vec();
            m.reseal();
        })
        .only_in_listing(),
    );
    rows.push(zip_row("symlink entry as seal.json", Expect::Failed, |m| {
        m.reseal();
        let item = m.item(SEAL);
        item.kind = Kind::Symlink;
        item.data = b"../../sentinel.txt".to_vec();
    }));
    rows.push(zip_row(
        "directory entry (name/) with data",
        Expect::Failed,
        |m| {
            m.add_in("data/evidence/d/", A_BYTES.to_vec());
            m.reseal();
        },
    ));
    rows.push(patched_row(
        "directory entry (mode) with data",
        Expect::Failed,
        |m| {
            m.add_in("data/evidence/d", A_BYTES.to_vec());
            m.reseal();
        },
        |z, m| patch_mode(z, &m.full("data/evidence/d"), 0o040_755),
    ));
    rows.push(
        patched_row(
            "FIFO-mode entry",
            Expect::Failed,
            |m| m.reseal(),
            |z, m| patch_mode(z, &m.full(A_TXT), 0o010_644),
        )
        .only_in_listing(),
    );

    // --- Declared sizes that lie
    rows.push(patched_row(
        "stored entry sizes past the end of the zip",
        Expect::Failed,
        |m| m.reseal(),
        |z, m| patch_sizes(z, &m.full(A_TXT), Some(0x7fff_ffff), Some(0x7fff_ffff)),
    ));
    rows.push(patched_row(
        "stored entry declares more than it holds",
        Expect::Failed,
        |m| m.reseal(),
        |z, m| patch_sizes(z, &m.full(A_TXT), None, Some(1000)),
    ));
    rows.push(patched_row(
        "central directory declares fewer bytes than the local header",
        Expect::Failed,
        |m| m.reseal(),
        |z, m| {
            let r = record(z, &m.full(A_TXT));
            put32(z, r.at + 20, 2);
            put32(z, r.at + 24, 2);
        },
    ));
    rows.push(
        patched_row(
            "deflated entry declares more than it expands to",
            Expect::Failed,
            |m| {
                m.item(A_TXT).deflate = true;
                m.reseal();
            },
            |z, m| patch_sizes(z, &m.full(A_TXT), None, Some(100)),
        )
        .only_in_payload_data(),
    );
    rows.push(patched_row(
        "custody event declares a huge size",
        Expect::Failed,
        |m| {
            m.item(EVENT).deflate = true;
            m.reseal();
        },
        |z, m| patch_sizes(z, &m.full(EVENT), None, Some(0xffff_fff0)),
    ));

    // zip64 sizes: declared sizes near 2^64 must not overflow any sum.
    rows.push(patched_row(
        "zip64: two payload entries declare 2^64 - 16 bytes",
        Expect::Failed,
        |m| {
            m.item(A_TXT).zip64 = true;
            m.item(B_TXT).zip64 = true;
            m.reseal();
        },
        |z, m| {
            for rel in [A_TXT, B_TXT] {
                patch_zip64_size(z, &m.full(rel), u64::MAX - 15);
            }
        },
    ));
    rows.push(patched_row(
        "zip64: seal.json declares 2^63 bytes",
        Expect::Failed,
        |m| {
            m.item(SEAL).zip64 = true;
            m.reseal();
        },
        |z, m| patch_zip64_size(z, &m.full(SEAL), 1 << 63),
    ));

    // --- Zip bombs: 200 MB of zeros deflated; the manifest claims what the
    // declared size would give, so reading only the declared bytes and not
    // noticing the rest would look intact.
    rows.push(
        patched_row(
            "zip bomb: 200 MB deflated, declared 1 KB",
            Expect::Failed,
            |m| {
                let item = m.item(A_TXT);
                item.data = vec![0; BOMB];
                item.deflate = true;
                item.claim = Some(vec![0; 1024]);
                m.reseal();
            },
            |z, m| patch_sizes(z, &m.full(A_TXT), None, Some(1024)),
        )
        .only_in_payload_data(),
    );
    rows.push(patched_row(
        "zip bomb: 1 MB deflated, declared 4 GB",
        Expect::Failed,
        |m| {
            let item = m.item(A_TXT);
            item.data = vec![0; 1 << 20];
            item.deflate = true;
            m.reseal();
        },
        |z, m| patch_sizes(z, &m.full(A_TXT), None, Some(0xffff_fff0)),
    ));
    rows.push(patched_row(
        "zip bomb: seal.json is 200 MB deflated, declared its real size",
        Expect::Failed,
        |m| {
            m.reseal();
            let size = m.get(SEAL).len();
            let item = m.item(SEAL);
            let mut bomb = item.data.clone();
            bomb.resize(BOMB, b' ');
            item.data = bomb;
            item.deflate = true;
            item.claim = Some(vec![0; size]);
        },
        |z, m| {
            let size = m.items[m.position(SEAL).unwrap()]
                .claim
                .as_ref()
                .unwrap()
                .len();
            patch_sizes(z, &m.full(SEAL), None, Some(size as u32));
        },
    ));

    // --- Encryption and compression methods
    for (title, rel) in [
        ("encrypted payload entry", A_TXT),
        ("encrypted seal.json", SEAL),
    ] {
        let row = patched_row(
            title,
            Expect::Failed,
            |m| m.reseal(),
            move |z, m| patch_flags(z, &m.full(rel), 1),
        );
        rows.push(if rel == A_TXT {
            row.only_in_listing()
        } else {
            row
        });
    }
    // Method 99 (AES) makes the zip reader refuse the whole archive.
    for (title, rel, method, expect) in [
        (
            "payload entry compressed with bzip2 (12)",
            A_TXT,
            12,
            Expect::Failed,
        ),
        (
            "payload entry compressed with LZMA (14)",
            A_TXT,
            14,
            Expect::Failed,
        ),
        (
            "payload entry with method 99 (AES)",
            A_TXT,
            99,
            Expect::Refused,
        ),
        (
            "seal.json compressed with bzip2 (12)",
            SEAL,
            12,
            Expect::Failed,
        ),
    ] {
        let row = patched_row(
            title,
            expect,
            |m| m.reseal(),
            move |z, m| patch_method(z, &m.full(rel), method),
        );
        rows.push(if rel == A_TXT {
            row.only_in_listing()
        } else {
            row
        });
    }

    // --- Not a zip, or a zip that cannot be read
    rows.push(bytes_row("empty file", Expect::Unusable, |_| Vec::new()));
    rows.push(bytes_row("random bytes", Expect::Unusable, |_| {
        noise(64 << 10, 0x9e37_79b9_7f4a_7c15)
    }));
    rows.push(bytes_row(
        "truncated zip (first half)",
        Expect::Unusable,
        |ctx| {
            let mut z = ctx.model.zip();
            z.truncate(z.len() / 2);
            z
        },
    ));
    rows.push(bytes_row(
        "truncated zip (end record cut)",
        Expect::Unusable,
        |ctx| {
            let mut z = ctx.model.zip();
            z.truncate(z.len() - 10);
            z
        },
    ));
    rows.push(bytes_row(
        "random bytes ending in an end-of-central-directory record",
        Expect::Refused,
        |_| {
            let mut z = noise(4096, 7);
            z.extend_from_slice(b"PK\x05\x06\0\0\0\0\x05\0\x05\0\0\x08\0\0\0\0\0\0\0\0");
            z
        },
    ));
    for (title, patch) in [
        (
            "bogus central directory: offset past the end",
            (|z: &mut Vec<u8>, _: &Model| {
                let e = eocd(z);
                put32(z, e + 16, 0xffff_ff00);
            }) as fn(&mut Vec<u8>, &Model),
        ),
        ("bogus central directory: 65535 entries", |z, _| {
            let e = eocd(z);
            put16(z, e + 8, 0xffff);
            put16(z, e + 10, 0xffff);
        }),
        ("bogus central directory: size 4 GB", |z, _| {
            let e = eocd(z);
            put32(z, e + 12, 0xffff_fff0);
        }),
        ("bogus central directory: garbage header", |z, _| {
            let at = u32_at(z, eocd(z) + 16);
            z[at..at + 46].copy_from_slice(&noise(46, 3));
        }),
        ("bogus central directory: name length 65535", |z, m| {
            let r = record(z, &m.full(A_TXT));
            put16(z, r.at + 28, 0xffff);
        }),
        (
            "bogus central directory: local header past the end",
            |z, m| {
                let r = record(z, &m.full(A_TXT));
                let len = z.len() as u32;
                put32(z, r.at + 42, len + 1000);
            },
        ),
        (
            "bogus central directory: local header is garbage",
            |z, m| {
                let r = record(z, &m.full(A_TXT));
                put32(z, r.at + 42, 1);
            },
        ),
    ] {
        let row = patched_row(title, Expect::Refused, |m| m.reseal(), patch);
        // A payload entry's local header is read only when it is listed.
        rows.push(if title.contains("local header") {
            row.only_in_listing()
        } else {
            row
        });
    }
    // Two central records share one local header (the overlap behind
    // non-recursive zip bombs): a.txt's record points at b.txt's data and
    // the manifest claims b.txt's bytes for a.txt.
    rows.push(
        patched_row(
            "bogus central directory: entries overlap (a.txt reads b.txt's data)",
            Expect::Refused,
            |m| {
                m.item(A_TXT).claim = Some(B_BYTES.to_vec());
                m.reseal();
            },
            |z, m| {
                let a = record(z, &m.full(A_TXT));
                let b = record(z, &m.full(B_TXT));
                put32(z, a.at + 42, b.local as u32);
            },
        )
        .only_in_listing(),
    );
    rows.push(zip_row("second top-level folder", Expect::Failed, |m| {
        m.reseal();
        let copies: Vec<Item> = m
            .items
            .iter()
            .map(|i| {
                let mut c = i.clone();
                c.name = replace_all(&c.name, b"good/", b"evil/");
                c
            })
            .collect();
        m.items.extend(copies);
    }));
    rows.push(zip_row("bag at the zip root", Expect::Refused, |m| {
        m.reseal();
        for item in &mut m.items {
            item.name = item.name[5..].to_vec();
        }
    }));
    rows.push(zip_row("missing bagit.txt (zip)", Expect::Unusable, |m| {
        m.reseal();
        m.remove(BAGIT);
    }));
    rows.push(forged_dir_row(
        "missing bagit.txt (folder)",
        Expect::Unusable,
        |m| {
            m.reseal();
            m.remove(BAGIT);
        },
        |_, _| {},
    ));

    // --- Folder bundles: links and FIFOs are never followed or opened.
    rows.push(
        forged_dir_row(
            "folder: payload file is a symlink to the sentinel outside",
            Expect::Failed,
            |m| m.reseal(),
            |_, bag| replace_with_symlink(&bag.join(A_TXT), &format!("../../../{SENTINEL}")),
        )
        .only_in_listing(),
    );
    rows.push(
        forged_dir_row(
            "folder: payload file is a symlink to a FIFO outside",
            Expect::Failed,
            |m| m.reseal(),
            |sandbox, bag| {
                mkfifo(&sandbox.join("outside.fifo"));
                replace_with_symlink(&bag.join(A_TXT), "../../../outside.fifo");
            },
        )
        .only_in_listing(),
    );
    rows.push(
        forged_dir_row(
            "folder: payload file is a FIFO",
            Expect::Failed,
            |m| m.reseal(),
            |_, bag| replace_with_fifo(&bag.join(A_TXT)),
        )
        .only_in_listing(),
    );
    rows.push(
        forged_dir_row(
            "folder: payload folder is a symlink to a copy outside",
            Expect::Failed,
            |m| m.reseal(),
            |sandbox, bag| {
                let copy = sandbox.join("evidence-copy");
                fs::create_dir(&copy).unwrap();
                fs::write(copy.join("a.txt"), A_BYTES).unwrap();
                fs::write(copy.join("b.txt"), B_BYTES).unwrap();
                fs::remove_dir_all(bag.join("data/evidence")).unwrap();
                symlink("../../evidence-copy", bag.join("data/evidence")).unwrap();
            },
        )
        .only_in_listing(),
    );
    for (title, rel, expect) in [
        ("seal.json", SEAL, Expect::Failed),
        ("custody event", EVENT, Expect::Failed),
        ("bagit.txt", BAGIT, Expect::Refused),
        ("bag-info.txt", BAG_INFO, Expect::Failed),
    ] {
        let depth = rel.matches('/').count() + 1;
        let up = "../".repeat(depth);
        rows.push(forged_dir_row(
            format!("folder: {title} is a symlink to a valid copy outside"),
            expect,
            |m| m.reseal(),
            move |sandbox, bag| {
                let copy = sandbox.join(format!("copy-of-{}", rel.replace('/', "-")));
                fs::copy(bag.join(rel), &copy).unwrap();
                let target = format!("{up}{}", copy.file_name().unwrap().to_str().unwrap());
                replace_with_symlink(&bag.join(rel), &target);
            },
        ));
        rows.push(forged_dir_row(
            format!("folder: {title} is a FIFO"),
            expect,
            |m| m.reseal(),
            move |_, bag| replace_with_fifo(&bag.join(rel)),
        ));
    }
    for (title, name) in [
        (
            "folder: payload name ..\\..\\x",
            b"data/evidence/..\\..\\x".as_slice(),
        ),
        ("folder: payload name C:x", b"data/evidence/C:x"),
        ("folder: payload name not UTF-8", b"data/evidence/\xff.txt"),
    ] {
        rows.push(
            forged_dir_row(
                title,
                Expect::Failed,
                move |m| {
                    m.add_in(name, b"escaped\n".to_vec());
                    m.reseal();
                },
                |_, _| {},
            )
            .only_in_listing(),
        );
    }

    // --- Documents: seal statement, signature record, custody event and
    // its signature, BagIt tag files. Each is corrupted in every way that
    // applies; everything that covers it is recomputed and re-signed.
    let other = "ab".repeat(32);
    for rel in [SEAL, "signature record", EVENT, EVENT_SIG] {
        for what in CORRUPTIONS {
            let other = other.clone();
            let title = format!("{} {what:?}", rel.trim_start_matches("exhibit/"));
            rows.push(zip_row(title, Expect::Failed, move |m| {
                m.reseal();
                let rel = if rel == "signature record" {
                    m.sig_record()
                } else {
                    rel.to_string()
                };
                let doc = m.get(&rel);
                let new = corrupt_json(&doc, what, &rel, &other).unwrap();
                m.item(&rel).deflate = matches!(what, Corruption::Huge);
                m.edit(&rel, |_| new);
            }));
        }
    }
    for rel in [BAG_INFO, MANIFEST, BLAKE3_MANIFEST, BAGIT] {
        for what in CORRUPTIONS {
            if matches!(what, Corruption::UnknownVersion) && rel != BAGIT {
                continue;
            }
            let title = format!("{} {what:?}", rel.trim_start_matches("exhibit/"));
            let row = zip_row(title, Expect::Failed, move |m| {
                m.reseal();
                let new = corrupt_text(&m.get(rel), what, rel).unwrap();
                m.item(rel).deflate = matches!(what, Corruption::Huge);
                m.edit(rel, |_| new);
            });
            // Resealed: inspect checks a manifest's digest, not its lines.
            let manifest = rel == MANIFEST || rel == BLAKE3_MANIFEST;
            rows.push(if manifest { row.only_in_listing() } else { row });
        }
    }
    rows
}

// ---------------------------------------------------------------------------
// Checking one run

#[derive(PartialEq, Eq, Debug)]
enum Node {
    File([u8; 32]),
    Dir,
    Link(PathBuf),
    Other(&'static str),
}

/// Everything below `dir` (links not followed, FIFOs not opened).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Node> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false).min_depth(1) {
        let entry = entry.unwrap();
        let ft = entry.file_type();
        let node = if ft.is_dir() {
            Node::Dir
        } else if ft.is_symlink() {
            Node::Link(fs::read_link(entry.path()).unwrap())
        } else if ft.is_file() {
            let mut hasher = Sha256::new();
            let mut file = fs::File::open(entry.path()).unwrap();
            std::io::copy(&mut file, &mut hasher).unwrap();
            Node::File(hasher.finalize().into())
        } else if ft.is_fifo() {
            Node::Other("fifo")
        } else {
            Node::Other("special")
        };
        out.insert(entry.path().strip_prefix(dir).unwrap().to_path_buf(), node);
    }
    out
}

fn diff(
    before: &BTreeMap<PathBuf, Node>,
    after: &BTreeMap<PathBuf, Node>,
    ignore: &[&Path],
) -> Vec<String> {
    let ignored = |p: &Path| ignore.iter().any(|i| p.starts_with(i));
    let mut out = Vec::new();
    for (path, node) in after {
        if ignored(path) {
            continue;
        }
        match before.get(path) {
            None => out.push(format!("created {}", path.display())),
            Some(old) if old != node => out.push(format!("changed {}", path.display())),
            _ => {}
        }
    }
    for path in before.keys() {
        if !ignored(path) && !after.contains_key(path) {
            out.push(format!("removed {}", path.display()));
        }
    }
    out
}

fn is_absent_or_empty(dir: &Path) -> bool {
    match fs::symlink_metadata(dir) {
        Err(_) => true,
        Ok(meta) => meta.is_dir() && fs::read_dir(dir).unwrap().next().is_none(),
    }
}

/// A clear line: some non-empty stderr line of reasonable length.
fn has_clear_line(stderr: &[u8]) -> bool {
    String::from_utf8_lossy(stderr)
        .lines()
        .any(|l| !l.trim().is_empty() && l.len() <= 1000)
}

fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text: String = text.lines().take(4).collect::<Vec<_>>().join(" | ");
    if text.len() > 300 {
        let mut cut = 300;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}…", &text[..cut])
    } else {
        text
    }
}

/// What went wrong in one run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Category {
    Exit,
    Hang,
    Crash,
    Stderr,
    Write,
    Target,
}

/// Runs one command on a fresh copy of the row's bundle; returns what went
/// wrong (empty when the command behaved).
fn check(
    ctx: &Ctx,
    row: &Row,
    bytes: Option<&[u8]>,
    cmd: Cmd,
    row_dir: &Path,
) -> (Vec<(Category, String)>, Run) {
    let sandbox = row_dir.join(cmd.name().replace(' ', "-"));
    fs::create_dir_all(&sandbox).unwrap();
    fs::write(sandbox.join(SENTINEL), A_BYTES).unwrap();
    let bundle = match (&row.build, bytes) {
        (Build::Bytes(_), Some(bytes)) => {
            let path = sandbox.join("good.zip");
            fs::write(&path, bytes).unwrap();
            path
        }
        (Build::Dir(f), _) => f(ctx, &sandbox),
        _ => unreachable!(),
    };
    let target = sandbox.join("out");
    let deadline = DEADLINE;
    let before = snapshot(row_dir);
    let args = cmd.args(ctx, &bundle, &target);
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let run = exhibit(ctx, &sandbox, &args, deadline);
    let after = snapshot(row_dir);

    let mut problems = Vec::new();
    if run.hung {
        problems.push((
            Category::Hang,
            format!("hang: still running after {deadline:?}, killed"),
        ));
    } else if let Some(signal) = run.signal {
        problems.push((
            Category::Crash,
            format!("killed by signal {signal} (crash or memory limit)"),
        ));
    }
    if String::from_utf8_lossy(&run.stderr).contains("panicked") {
        problems.push((Category::Crash, format!("panic: {}", excerpt(&run.stderr))));
    }
    let code = run.code;
    let code_ok = match (row.expect, code) {
        (_, None) => true, // reported above
        (_, Some(0)) if row.may_pass(cmd) => true,
        (Expect::Unusable, Some(c)) => c == 2,
        (Expect::Failed, Some(c)) => c == 1,
        (Expect::Refused, Some(c)) => c == 1 || c == 2,
        (Expect::Valid, Some(c)) => c == 0,
        (Expect::Distinct(_), Some(c)) => matches!(c, 0 | 1 | 3),
    };
    if !code_ok {
        let wanted = match row.expect {
            Expect::Unusable => "2",
            Expect::Failed => "1",
            Expect::Refused => "1 or 2",
            Expect::Valid => "0",
            Expect::Distinct(_) => "0, 1 or 3",
        };
        problems.push((
            Category::Exit,
            format!(
                "exit {} (expected {wanted}); stderr: {}; stdout: {}",
                code.map_or("none".into(), |c| c.to_string()),
                excerpt(&run.stderr),
                excerpt(&run.stdout)
            ),
        ));
    }
    let success = code == Some(0);
    if !success && code.is_some() && !has_clear_line(&run.stderr) {
        problems.push((Category::Stderr, "no clear line on stderr".into()));
    }

    // Nothing written anywhere: only the extract target (checked below)
    // and, when a custody add or sign succeeded, the bundle may change. A
    // killed process cannot clean up, so its leftovers go with the hang.
    let rel = |p: &Path| p.strip_prefix(row_dir).unwrap().to_path_buf();
    let target_rel = rel(&target);
    let bundle_rel = rel(&bundle);
    let mut ignore = vec![target_rel.as_path()];
    if success && matches!(cmd, Cmd::Add | Cmd::Sign) {
        ignore.push(bundle_rel.as_path());
    }
    let changes = diff(&before, &after, &ignore);
    if !changes.is_empty() {
        let category = if run.hung {
            Category::Hang
        } else {
            Category::Write
        };
        problems.push((
            category,
            format!("wrote outside the target: {}", changes.join(", ")),
        ));
    }
    if cmd == Cmd::Extract {
        match (success, row.expect) {
            (false, _) => {
                if !is_absent_or_empty(&target) {
                    problems.push((
                        Category::Target,
                        "refused, but the extract target is not empty".into(),
                    ));
                }
            }
            (true, Expect::Distinct(files)) => {
                for (name, bytes) in files {
                    if fs::read(target.join(name)).ok().as_deref() != Some(*bytes) {
                        problems.push((
                            Category::Target,
                            format!("extracted {name} is not byte-exact"),
                        ));
                    }
                }
                let count = walkdir::WalkDir::new(&target)
                    .into_iter()
                    .filter(|e| e.as_ref().unwrap().file_type().is_file())
                    .count();
                if count != files.len() {
                    problems.push((
                        Category::Target,
                        format!("extracted {count} files, expected {}", files.len()),
                    ));
                }
            }
            (true, Expect::Valid) => {
                for (name, bytes) in [("evidence/a.txt", A_BYTES), ("evidence/b.txt", B_BYTES)] {
                    if fs::read(target.join(name)).ok().as_deref() != Some(bytes) {
                        problems.push((
                            Category::Target,
                            format!("extracted {name} is not byte-exact"),
                        ));
                    }
                }
            }
            (true, _) => {} // exit 0 is reported above
        }
    }
    let _ = fs::remove_dir_all(&sandbox);
    (problems, run)
}

fn setup(root: &Path) -> Ctx {
    let keys = root.join("keys");
    fs::create_dir_all(&keys).unwrap();
    let prlimit = Command::new("prlimit")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let mut ctx = Ctx {
        root: root.to_path_buf(),
        key: keys.join("sealer.key"),
        public: keys.join("sealer.pub"),
        key2: keys.join("cosigner.key"),
        model: Model {
            top: String::new(),
            items: Vec::new(),
            key: SigningKey::from_bytes(&[0; 32]),
            key_id: String::new(),
        },
        prlimit,
    };
    for name in ["sealer.key", "cosigner.key"] {
        setup_run(&ctx, &keys, &["keygen", "-o", name, "--no-passphrase"]);
    }
    let work = root.join("base");
    fs::create_dir_all(work.join("evidence")).unwrap();
    fs::write(work.join(A_TXT.trim_start_matches("data/")), A_BYTES).unwrap();
    fs::write(work.join(B_TXT.trim_start_matches("data/")), B_BYTES).unwrap();
    let good = fs::read(seal(&ctx, &work, "evidence", "good.zip")).unwrap();
    fs::remove_dir_all(&work).unwrap();

    let pem = fs::read_to_string(&ctx.key).unwrap();
    let key = SigningKey::from_pkcs8_pem(&pem).expect("PKCS#8 key");
    ctx.model = Model::from_zip(&good, &key);
    // The forger must reproduce what the binary sealed, file for file.
    let mut resealed = ctx.model.clone();
    resealed.reseal();
    for (a, b) in ctx.model.items.iter().zip(&resealed.items) {
        assert_eq!(
            String::from_utf8_lossy(&a.data),
            String::from_utf8_lossy(&b.data),
            "forged {} differs from the sealed one",
            String::from_utf8_lossy(&a.name)
        );
    }
    ctx
}

/// The first stderr line, short, without the test folder's path: why
/// `verify` refused (shown in the table).
fn first_line(stderr: &[u8], root: &Path) -> String {
    let text = String::from_utf8_lossy(&stderr[..stderr.len().min(4096)]);
    let line = text
        .lines()
        .next()
        .unwrap_or("")
        .replace(&*root.to_string_lossy(), "…");
    let line = line.trim_start_matches("exhibit: ");
    match line.char_indices().nth(100) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}

/// The outcome of one row.
struct RowResult {
    line: String,
    failures: Vec<String>,
    notes: Vec<String>,
}

fn run_row(ctx: &Ctx, index: usize, row: &Row) -> RowResult {
    let started = Instant::now();
    let row_dir = ctx.root.join("rows").join(format!("{index:03}"));
    fs::create_dir_all(&row_dir).unwrap();
    let bytes = match &row.build {
        Build::Bytes(f) => Some(f(ctx)),
        Build::Dir(_) => None,
    };
    let mut result = RowResult {
        line: String::new(),
        failures: Vec::new(),
        notes: Vec::new(),
    };
    let mut codes = Vec::new();
    let mut reason = String::new();
    let mut peak = 0;
    for cmd in ALL {
        let (problems, run) = check(ctx, row, bytes.as_deref(), cmd, &row_dir);
        if cmd == Cmd::Verify {
            reason = first_line(&run.stderr, &ctx.root);
        }
        peak = peak.max(run.peak_rss);
        codes.push(match (run.hung, run.code) {
            (true, _) => "hang".to_string(),
            (_, Some(c)) => c.to_string(),
            (_, None) => "signal".to_string(),
        });
        let label = format!("[{index:03}] {} / {}", row.name, cmd.name());
        if !problems.is_empty() {
            let text: Vec<String> = problems.into_iter().map(|(_, t)| t).collect();
            result
                .failures
                .push(format!("{label}: {}", text.join("; ")));
        }
        if run.peak_rss > ISSUE_MEMORY {
            result.notes.push(format!(
                "{label}: peak memory {} MB, over the {} MB the issue allows",
                run.peak_rss >> 20,
                ISSUE_MEMORY >> 20
            ));
        }
        if run.elapsed > Duration::from_secs(5) && !run.hung {
            result
                .notes
                .push(format!("{label}: slow, {:.1}s", run.elapsed.as_secs_f64()));
        }
    }
    drop(bytes);
    fs::remove_dir_all(&row_dir).unwrap();
    result.line = format!(
        "[{index:03}] {:<68} {:<26} {:5.1}s {:4} MB  {reason}",
        row.name,
        codes.join(" "),
        started.elapsed().as_secs_f64(),
        peak >> 20
    );
    result
}

#[test]
fn hostile_bundles_are_refused_safely() {
    let tmp = Dir::new();
    let ctx = setup(tmp.path());
    let rows = rows();
    let started = Instant::now();

    // Rows run on a few threads; each row has its own folder.
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 4);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<RowResult>>> =
        rows.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(row) = rows.get(i) else { break };
                *results[i].lock().unwrap() = Some(run_row(&ctx, i, row));
            });
        }
    });
    let results: Vec<RowResult> = results
        .into_iter()
        .map(|r| r.into_inner().unwrap().expect("row ran"))
        .collect();

    let mut failures: Vec<String> = results.iter().flat_map(|r| r.failures.clone()).collect();
    // Nothing appeared beside the keys and the row folders, or beside the
    // rows (where the deepest `..` names would land).
    let left: Vec<_> = fs::read_dir(&ctx.root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "keys" && n != "rows")
        .collect();
    if !left.is_empty() {
        failures.push(format!("files appeared in the test folder: {left:?}"));
    }
    let rows_left: Vec<_> = fs::read_dir(ctx.root.join("rows"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    if !rows_left.is_empty() {
        failures.push(format!("files appeared beside the rows: {rows_left:?}"));
    }

    println!("exit codes: {}", ALL.map(Cmd::name).join(" | "));
    for r in &results {
        println!("{}", r.line);
    }
    for r in &results {
        for note in &r.notes {
            println!("NOTE {note}");
        }
    }
    println!(
        "{} rows × {} commands in {:.1}s on {workers} threads (memory limit {} bytes via {})",
        rows.len(),
        ALL.len(),
        started.elapsed().as_secs_f64(),
        MEMORY_LIMIT,
        if ctx.prlimit {
            "prlimit --as"
        } else {
            "ulimit -v"
        }
    );
    assert!(
        failures.is_empty(),
        "{} hostile-bundle failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The hostile bundles built below `root`, for checks that read them
/// another way (the browser verifier): the sealer's public key (which the
/// rows are checked with), and (row name, bundle) for every row whose name
/// `keep` accepts. Each bundle has a folder of its own; the base bundle's
/// evidence and keys are set up as for the table above.
pub(crate) fn bundles(
    root: &Path,
    keep: impl Fn(&str) -> bool,
) -> (PathBuf, Vec<(String, PathBuf)>) {
    let ctx = setup(root);
    let mut out = Vec::new();
    for (index, row) in rows().iter().enumerate() {
        if !keep(&row.name) {
            continue;
        }
        let sandbox = root.join("rows").join(format!("{index:03}"));
        fs::create_dir_all(&sandbox).unwrap();
        let bundle = match &row.build {
            Build::Bytes(f) => {
                let path = sandbox.join("good.zip");
                fs::write(&path, f(&ctx)).unwrap();
                path
            }
            Build::Dir(f) => f(&ctx, &sandbox),
        };
        out.push((row.name.clone(), bundle));
    }
    (ctx.public.clone(), out)
}
