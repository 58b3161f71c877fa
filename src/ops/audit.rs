//! `exhibit audit`: a working copy of evidence held against what is known
//! of it (a bundle's payload manifest, or a list of digests another tool
//! wrote). Every file of the copy is hashed, in parallel and in path
//! order, and classed: matched, changed (same name, other digest), new,
//! moved (a known file's digest under a name the list does not have, its
//! own name gone), missing, or unreadable. An interrupted audit continues
//! from a state file, never reading again a file it already hashed.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

use crate::digest::{hash_stream, Blake3Digest, FileDigest, Sha256Digest};
use crate::format::bag;
use crate::format::seal::{SealStatement, SEAL_PATH};
use crate::limits::MAX_MANIFEST_BYTES;
use crate::ops::hash::hash_in_order;
use crate::ops::sources::{list_files, Naming, Skipped};
use crate::ops::Observer;
use crate::store::Bundle;
use crate::walk::WalkOptions;

/// Why an audit could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    // The reason is the source, which the one line prints after this.
    #[error("{}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: {reason}", path.display())]
    Known { path: PathBuf, reason: String },
    /// The bundle could not be opened (the message names it).
    #[error("{0}")]
    Open(String),
}

/// How a known digest was written: SHA-256, or 64 hex digits that could be
/// SHA-256 or BLAKE3 (a `sha256sum` and a `b3sum` list read the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Algorithm {
    Sha256,
    Either,
}

/// What is known of the files: each path (relative to the folder audited)
/// with its digest, sorted by path. The names are kept in one string, so a
/// million of them cost their bytes and 48 bytes a row.
#[derive(Debug)]
pub struct Known {
    names: String,
    rows: Vec<Row>,
    /// How every digest of the list was written.
    algorithm: Algorithm,
    /// Where the list came from (a bundle or a file), for the report.
    pub source: String,
}

/// One known file: its name in [`Known::names`] and its digest (40 bytes).
#[derive(Debug, Clone, Copy)]
struct Row {
    start: u32,
    len: u16,
    digest: [u8; 32],
}

/// Where what is known comes from.
#[derive(Debug, Clone, Copy)]
pub enum KnownSource<'a> {
    /// A bundle's payload manifest (`--against`).
    Bundle(&'a Path),
    /// A list of digests (`--known`).
    File(&'a Path),
}

impl Known {
    /// The payload manifest of a bundle, checked against the SHA-256 its
    /// seal statement gives for it (a manifest edited after the seal is
    /// refused). The seal's signature is `verify`'s to check.
    pub fn from_bundle(path: &Path) -> Result<Known, AuditError> {
        let known = |reason: String| AuditError::Known {
            path: path.to_path_buf(),
            reason,
        };
        let bundle = Bundle::open(path).map_err(|e| AuditError::Open(e.to_string()))?;
        let statement = bundle
            .find(SEAL_PATH)
            .ok_or_else(|| known("no seal statement: not a sealed bundle".into()))?;
        let statement = bundle
            .read_entry(statement, MAX_MANIFEST_BYTES)
            .map_err(|e| known(e.to_string()))?;
        let statement =
            SealStatement::parse(&statement).map_err(|e| known(format!("{SEAL_PATH}: {e}")))?;
        let name = "manifest-sha256.txt";
        let entry = bundle
            .find(name)
            .ok_or_else(|| known(format!("{name} is missing")))?;
        let mut reader = bundle.open_entry(entry).map_err(|e| known(e.to_string()))?;
        let mut manifest = Vec::new();
        (&mut reader)
            .take(MAX_MANIFEST_BYTES + 1)
            .read_to_end(&mut manifest)
            .map_err(|e| known(format!("{name}: {e}")))?;
        if manifest.len() as u64 > MAX_MANIFEST_BYTES {
            return Err(known(format!(
                "{name} is larger than {MAX_MANIFEST_BYTES} bytes"
            )));
        }
        if Sha256Digest::of(&manifest) != statement.tag_digests.manifest_sha256 {
            return Err(known(format!(
                "{name} is not the one the seal statement binds (changed after the seal)"
            )));
        }
        let lines =
            bag::parse_manifest_file(name, &manifest, 64).map_err(|e| known(e.to_string()))?;
        drop(manifest);
        let mut out = Known::new(path.display().to_string(), Algorithm::Sha256);
        for line in lines {
            let digest = digest_bytes(&line.digest)
                .ok_or_else(|| known(format!("{name}: line {}: not a SHA-256", line.line)))?;
            let relative = line.path.strip_prefix("data/").unwrap_or(&line.path);
            out.push(relative, digest).map_err(known)?;
        }
        Ok(out.finish())
    }

    /// A list of digests: `sha256sum`/`b3sum` lines, a hashdeep file
    /// (its SHA-256 column), DFXML (each fileobject's SHA-256), or the JSON
    /// of `exhibit verify --json` (its payload rows). Names are taken
    /// relative to `dir` (a leading `./`, `dir/` as given, or `dir`'s
    /// absolute path, is dropped). Line forms are read line by line.
    pub fn from_file(path: &Path, dir: &Path) -> Result<Known, AuditError> {
        let known = |reason: String| AuditError::Known {
            path: path.to_path_buf(),
            reason,
        };
        let read = |source| AuditError::Read {
            path: path.to_path_buf(),
            source,
        };
        // Names as the list wrote them: relative to the folder, or under it
        // as given, or under its absolute path (hashdeep without -l).
        let prefixes: Vec<String> = [Some(dir.to_path_buf()), std::fs::canonicalize(dir).ok()]
            .into_iter()
            .flatten()
            .map(|d| format!("{}/", d.display().to_string().trim_end_matches('/')))
            .collect();
        let relative = |name: &str| -> String {
            let name = name.strip_prefix("./").unwrap_or(name);
            prefixes
                .iter()
                .find_map(|prefix| name.strip_prefix(prefix.as_str()))
                .unwrap_or(name)
                .to_string()
        };
        let mut reader = BufReader::with_capacity(1 << 20, File::open(path).map_err(read)?);
        let head = String::from_utf8_lossy(reader.fill_buf().map_err(read)?).into_owned();
        let head = head.trim_start();
        // sha256sum and b3sum lists read the same: their digests may be of
        // either kind; the other forms name SHA-256.
        let either = !(head.starts_with('{')
            || head.starts_with("<?xml")
            || head.starts_with("<dfxml")
            || head.starts_with("%%%% HASHDEEP"));
        let algorithm = if either {
            Algorithm::Either
        } else {
            Algorithm::Sha256
        };
        let mut out = Known::new(path.display().to_string(), algorithm);
        if head.starts_with('{') || head.starts_with("<?xml") || head.starts_with("<dfxml") {
            let mut text = String::new();
            reader
                .read_to_string(&mut text)
                .map_err(|_| known("not UTF-8 text".into()))?;
            if head.starts_with('{') {
                exhibit_json(&text, &relative, &mut out).map_err(known)?;
            } else {
                dfxml(&text, &relative, &mut out).map_err(known)?;
            }
        } else {
            let lines = reader.lines();
            if head.starts_with("%%%% HASHDEEP") {
                hashdeep(lines, &relative, &mut out).map_err(known)?;
            } else {
                digest_lines(lines, &relative, &mut out).map_err(known)?;
            }
        }
        Ok(out.finish())
    }

    /// What is known, from where the command line says.
    pub fn load(source: KnownSource<'_>, dir: &Path) -> Result<Known, AuditError> {
        match source {
            KnownSource::Bundle(path) => Known::from_bundle(path),
            KnownSource::File(path) => Known::from_file(path, dir),
        }
    }

    fn new(source: String, algorithm: Algorithm) -> Known {
        Known {
            names: String::new(),
            rows: Vec::new(),
            algorithm,
            source,
        }
    }

    /// One more known file; a name longer than a path can be, or names
    /// past 4 GiB in all, are refused.
    fn push(&mut self, name: &str, digest: [u8; 32]) -> Result<(), String> {
        let start = u32::try_from(self.names.len())
            .map_err(|_| "more names than an audit holds (4 GiB of them)".to_string())?;
        let len = u16::try_from(name.len())
            .map_err(|_| format!("a name of {} bytes is not a path", name.len()))?;
        self.names.push_str(name);
        self.rows.push(Row { start, len, digest });
        Ok(())
    }

    /// Sorted by name (a list in path order, as tools write them, is kept
    /// as it is), each name once.
    fn finish(mut self) -> Known {
        let names = &self.names;
        let name = |row: &Row| {
            let start = row.start as usize;
            &names.as_bytes()[start..start + row.len as usize]
        };
        if !self.rows.is_sorted_by(|a, b| name(a) <= name(b)) {
            self.rows.sort_by(|a, b| name(a).cmp(name(b)));
        }
        self.rows.dedup_by(|a, b| name(a) == name(b));
        self
    }

    fn name(&self, index: usize) -> &str {
        let row = &self.rows[index];
        let start = row.start as usize;
        &self.names[start..start + row.len as usize]
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn find(&self, path: &str) -> Option<usize> {
        self.rows
            .binary_search_by(|row| {
                let start = row.start as usize;
                self.names.as_bytes()[start..start + row.len as usize].cmp(path.as_bytes())
            })
            .ok()
    }

    /// Whether row `index` is the file with these digests.
    fn holds(&self, index: usize, digest: &FileDigest) -> bool {
        let row = &self.rows[index];
        match self.algorithm {
            Algorithm::Sha256 => row.digest == digest.sha256.0,
            Algorithm::Either => row.digest == digest.sha256.0 || row.digest == digest.blake3.0,
        }
    }
}

/// 64 hex digits, either case, as bytes.
fn digest_bytes(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

type Relative<'a> = &'a dyn Fn(&str) -> String;
type Lines<R> = std::io::Lines<R>;

/// `sha256sum` or `b3sum` lines: `<64 hex>  <name>` (or ` *<name>`); a
/// name with a newline or backslash is written escaped after a leading `\`.
fn digest_lines<R: BufRead>(
    lines: Lines<R>,
    relative: Relative,
    out: &mut Known,
) -> Result<(), String> {
    for (number, line) in lines.enumerate() {
        let line = line.map_err(|e| format!("line {}: {e}", number + 1))?;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (escaped, line) = match line.strip_prefix('\\') {
            Some(rest) => (true, rest),
            None => (false, line.as_str()),
        };
        let bad = || format!("line {}: not `<SHA-256 or BLAKE3 hex>  <name>`", number + 1);
        let (hex_part, name) = line.split_at_checked(64).ok_or_else(bad)?;
        let name = name
            .strip_prefix("  ")
            .or_else(|| name.strip_prefix(" *"))
            .ok_or_else(bad)?;
        let digest = digest_bytes(hex_part).ok_or_else(bad)?;
        let name = if escaped {
            name.replace("\\n", "\n").replace("\\\\", "\\")
        } else {
            name.to_string()
        };
        out.push(&relative(&name), digest)?;
    }
    Ok(())
}

/// A hashdeep file: `%%%% size,...,sha256,filename` names the columns;
/// the name is the last column and may hold commas.
fn hashdeep<R: BufRead>(
    lines: Lines<R>,
    relative: Relative,
    out: &mut Known,
) -> Result<(), String> {
    let mut columns: Vec<String> = Vec::new();
    for (number, line) in lines.enumerate() {
        let line = line.map_err(|e| format!("line {}: {e}", number + 1))?;
        if let Some(header) = line.strip_prefix("%%%% ") {
            if !header.starts_with("HASHDEEP") {
                columns = header.split(',').map(str::to_string).collect();
            }
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let sha256 = columns
            .iter()
            .position(|c| c == "sha256")
            .ok_or("the hashdeep file has no sha256 column (make it with -c sha256)")?;
        let fields: Vec<&str> = line.splitn(columns.len(), ',').collect();
        let bad = || format!("line {}: not a hashdeep row", number + 1);
        let digest = fields
            .get(sha256)
            .and_then(|d| digest_bytes(d))
            .ok_or_else(bad)?;
        let name = fields
            .last()
            .filter(|_| fields.len() == columns.len())
            .ok_or_else(bad)?;
        out.push(&relative(name), digest)?;
    }
    Ok(())
}

/// DFXML: each `fileobject`'s `filename` and SHA-256 `hashdigest`.
fn dfxml(text: &str, relative: Relative, out: &mut Known) -> Result<(), String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let (mut name, mut digest): (Option<String>, Option<[u8; 32]>) = (None, None);
    // The element whose text is being read, and its text as written
    // (entity references put back, then unescaped whole at its end).
    let mut inside: Option<&'static str> = None;
    let mut raw = String::new();
    loop {
        match reader.read_event().map_err(|e| format!("DFXML: {e}"))? {
            Event::Start(start) => {
                raw.clear();
                match start.local_name().as_ref() {
                    "fileobject" => (name, digest) = (None, None),
                    "filename" => inside = Some("filename"),
                    "hashdigest" => {
                        let sha256 = start.attributes().flatten().any(|a| {
                            a.key.local_name().as_ref() == "type"
                                && a.value.eq_ignore_ascii_case("sha256")
                        });
                        inside = sha256.then_some("sha256");
                    }
                    _ => inside = None,
                }
            }
            Event::Text(content) if inside.is_some() => raw.push_str(content.as_ref()),
            Event::GeneralRef(reference) if inside.is_some() => {
                raw.push('&');
                raw.push_str(&reference.into_inner());
                raw.push(';');
            }
            Event::End(end) => {
                let value = quick_xml::escape::unescape(&raw)
                    .map_err(|e| format!("DFXML: {e}"))?
                    .into_owned();
                match inside.take() {
                    Some("filename") => name = Some(value),
                    Some("sha256") => digest = digest_bytes(value.trim()),
                    _ => {}
                }
                raw.clear();
                if end.local_name().as_ref() == "fileobject" {
                    if let (Some(name), Some(digest)) = (name.take(), digest.take()) {
                        out.push(&relative(&name), digest)?;
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

/// `exhibit verify --json`: its `payload` rows (`path`, `sha256`).
fn exhibit_json(text: &str, relative: Relative, out: &mut Known) -> Result<(), String> {
    let report: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let payload = report["payload"]
        .as_array()
        .ok_or("JSON without a `payload` list (the JSON of `exhibit verify --json`)")?;
    for row in payload {
        let path = row["path"].as_str().ok_or("a payload row without `path`")?;
        let digest = row["sha256"]
            .as_str()
            .and_then(digest_bytes)
            .ok_or("a payload row without `sha256`")?;
        let path = path.strip_prefix("data/").unwrap_or(path);
        out.push(&relative(path), digest)?;
    }
    Ok(())
}

/// What became of one file, when it is not simply matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "class", rename_all = "kebab-case")]
pub enum Difference {
    /// Known by this name with another digest.
    Changed { path: String, sha256: String },
    /// Not known by this name, nor by its digest.
    New { path: String, sha256: String },
    /// A known file's digest under another name, its known name gone.
    Moved {
        path: String,
        from: String,
        sha256: String,
    },
    /// Known, and not in the folder (nor found under another name).
    Missing { path: String },
    /// In the folder, and could not be read to its end.
    Unreadable { path: String, reason: String },
    /// A link or special file where the list may name a file (never read).
    NotRegular { path: String, what: String },
}

impl Difference {
    pub fn path(&self) -> &str {
        match self {
            Difference::Changed { path, .. }
            | Difference::New { path, .. }
            | Difference::Moved { path, .. }
            | Difference::Missing { path }
            | Difference::Unreadable { path, .. }
            | Difference::NotRegular { path, .. } => path,
        }
    }
}

/// Counts of each class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct AuditCounts {
    pub matched: u64,
    pub changed: u64,
    pub new: u64,
    pub moved: u64,
    pub missing: u64,
    pub unreadable: u64,
    pub not_regular: u64,
}

/// The outcome: the counts and every difference, in path order.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct AuditReport {
    /// The bundle or list held against.
    pub against: String,
    /// How many files it knows.
    pub known_files: usize,
    pub counts: AuditCounts,
    pub differences: Vec<Difference>,
    /// Files taken from the state file of an interrupted audit, not read
    /// again.
    pub resumed: u64,
}

impl AuditReport {
    /// Everything matched: nothing changed, new, moved, missing or unread.
    pub fn all_matched(&self) -> bool {
        self.differences.is_empty()
    }
}

/// Characters a path in the state file is written with escaped.
const STATE_ESCAPES: &AsciiSet = &CONTROLS.add(b'%').add(b'\t');

/// The state of an interrupted audit: the files already hashed, with
/// their digests (or why they could not be read). One line per file,
/// appended as each is done: `<sha256 hex>\t<blake3 hex>\t<size>\t<path>`
/// or `!\t<reason>\t\t<path>`, paths percent-escaped; a last line cut
/// short by the interruption is ignored.
struct State {
    done: HashMap<String, Result<FileDigest, String>>,
    writer: Option<BufWriter<File>>,
}

impl State {
    fn open(path: Option<&Path>) -> Result<State, AuditError> {
        let Some(path) = path else {
            return Ok(State {
                done: HashMap::new(),
                writer: None,
            });
        };
        let read = |source| AuditError::Read {
            path: path.to_path_buf(),
            source,
        };
        let mut done = HashMap::new();
        match File::open(path) {
            Ok(file) => {
                for line in BufReader::new(file).split(b'\n') {
                    let line = line.map_err(read)?;
                    let Ok(line) = std::str::from_utf8(&line) else {
                        continue;
                    };
                    if let Some((path, result)) = State::parse(line) {
                        done.insert(path, result);
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(read(e)),
        }
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .map_err(read)?;
        // A line cut short by the interruption is ended, so the next record
        // starts a line of its own.
        let length = file.metadata().map_err(read)?.len();
        if length > 0 {
            use std::os::unix::fs::FileExt as _;
            let mut last = [0u8; 1];
            file.read_exact_at(&mut last, length - 1).map_err(read)?;
            if last[0] != b'\n' {
                file.write_all(b"\n").map_err(read)?;
            }
        }
        Ok(State {
            done,
            writer: Some(BufWriter::new(file)),
        })
    }

    fn parse(line: &str) -> Option<(String, Result<FileDigest, String>)> {
        let mut fields = line.split('\t');
        let (first, second, third, path) = (
            fields.next()?,
            fields.next()?,
            fields.next()?,
            fields.next()?,
        );
        let path = percent_decode_str(path).decode_utf8().ok()?.into_owned();
        if first == "!" {
            let reason = percent_decode_str(second).decode_utf8().ok()?.into_owned();
            return Some((path, Err(reason)));
        }
        Some((
            path,
            Ok(FileDigest {
                sha256: Sha256Digest(digest_bytes(first)?),
                blake3: Blake3Digest(digest_bytes(second)?),
                size: third.parse().ok()?,
            }),
        ))
    }

    fn record(
        writer: &mut Option<BufWriter<File>>,
        path: &str,
        result: &Result<FileDigest, String>,
    ) -> io::Result<()> {
        let Some(writer) = writer else {
            return Ok(());
        };
        let path = utf8_percent_encode(path, STATE_ESCAPES);
        match result {
            Ok(digest) => writeln!(
                writer,
                "{}\t{}\t{}\t{path}",
                digest.sha256, digest.blake3, digest.size
            ),
            Err(reason) => writeln!(
                writer,
                "!\t{}\t\t{path}",
                utf8_percent_encode(reason, STATE_ESCAPES)
            ),
        }
    }

    fn flush(writer: &mut Option<BufWriter<File>>) -> io::Result<()> {
        match writer {
            Some(writer) => writer.flush(),
            None => Ok(()),
        }
    }
}

/// Audits the folder `dir` against what `source` knows. `state`: the
/// state file that an interrupted audit continues from (made when
/// missing). `progress`: tell the observer the total and each byte read
/// (the total costs a `stat` per file while listing).
pub fn audit(
    dir: &Path,
    source: KnownSource<'_>,
    state: Option<&Path>,
    progress: bool,
    observer: &dyn Observer,
) -> Result<AuditReport, AuditError> {
    let state_file = state.map(Path::to_path_buf).unwrap_or_default();
    let State { done, mut writer } = State::open(state)?;
    let mut report = AuditReport::default();
    let dirs = [dir.to_path_buf()];
    // The list is read while the folder is walked: neither waits for the
    // other.
    let (files, skipped, known) = std::thread::scope(|scope| {
        let loading = scope.spawn(|| Known::load(source, dir));
        let mut skipped = Vec::new();
        let options = WalkOptions {
            skip_file_sizes: !progress,
        };
        let files = list_files(&dirs, Naming::AsGiven, options, |s| skipped.push(s));
        let known = loading
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (files, skipped, known)
    });
    let known = known?;
    report.against = known.source.clone();
    report.known_files = known.len();
    let known = &known;
    for skip in skipped {
        let (path, what) = match skip {
            Skipped::Unlisted(error) => {
                let path = relative_name(dir, &error.path);
                report.differences.push(Difference::Unreadable {
                    path,
                    reason: format!("cannot be listed: {}", error.source),
                });
                report.counts.unreadable += 1;
                continue;
            }
            Skipped::Symlink { path, .. } => (path, "symbolic link"),
            Skipped::Special { path, what } => (path, what),
        };
        report.differences.push(Difference::NotRegular {
            path: relative_name(dir, &path),
            what: what.to_string(),
        });
        report.counts.not_regular += 1;
    }
    let mut seen = vec![false; known.len()];
    // Files whose name the list does not have: new or moved, decided once
    // every name has been seen.
    let mut unnamed: Vec<(String, FileDigest)> = Vec::new();
    observer.start("auditing", files.total_bytes());
    let done = &done;
    let mut write_error = None;
    let mut since_flush = 0;
    let hashed: Result<(), AuditError> = hash_in_order(
        files.len(),
        |i| {
            let (path, size) = files.get(i);
            (relative_name(dir, &path), path, size)
        },
        |(name, path, size)| {
            if let Some(result) = done.get(name) {
                return (true, result.clone());
            }
            let advance = |n| observer.advance(n);
            let silent = |_| {};
            let told: &(dyn Fn(u64) + Sync) = if progress { &advance } else { &silent };
            let result = File::open(path)
                .and_then(|mut file| hash_stream(&mut file, *size, None, told))
                .map_err(|e| e.to_string());
            (false, result)
        },
        |_, (name, _, _), (resumed, result)| {
            if resumed {
                report.resumed += 1;
            } else if write_error.is_none() {
                // Flushed every 256 files: an interruption loses at most
                // those, which the next run hashes again.
                let mut written = State::record(&mut writer, &name, &result);
                since_flush += 1;
                if since_flush >= 256 {
                    since_flush = 0;
                    written = written.and_then(|()| State::flush(&mut writer));
                }
                if let Err(e) = written {
                    write_error = Some(e);
                }
            }
            let digest = match result {
                Ok(digest) => digest,
                Err(reason) => {
                    // Unreadable, not missing: it is there.
                    if let Some(index) = known.find(&name) {
                        seen[index] = true;
                    }
                    report.counts.unreadable += 1;
                    report
                        .differences
                        .push(Difference::Unreadable { path: name, reason });
                    return Ok(());
                }
            };
            match known.find(&name) {
                Some(index) => {
                    seen[index] = true;
                    if known.holds(index, &digest) {
                        report.counts.matched += 1;
                    } else {
                        report.counts.changed += 1;
                        report.differences.push(Difference::Changed {
                            path: name,
                            sha256: digest.sha256.to_hex(),
                        });
                    }
                }
                None => unnamed.push((name, digest)),
            }
            Ok(())
        },
    );
    observer.finish();
    hashed?;
    if let Some(source) = write_error.or_else(|| State::flush(&mut writer).err()) {
        return Err(AuditError::Read {
            path: state_file,
            source,
        });
    }
    // A known file not seen by its name, whose digest a file of another
    // name has, was moved there (each known file claimed once).
    let mut by_digest: Vec<usize> = (0..known.len()).filter(|&i| !seen[i]).collect();
    by_digest.sort_by_key(|&i| known.rows[i].digest);
    for (name, digest) in unnamed {
        let candidates = [digest.sha256.0, digest.blake3.0];
        let claimed = candidates.iter().find_map(|wanted| {
            let start = by_digest.partition_point(|&i| known.rows[i].digest < *wanted);
            by_digest[start..]
                .iter()
                .take_while(|&&i| known.rows[i].digest == *wanted)
                .copied()
                .find(|&i| !seen[i] && known.holds(i, &digest))
        });
        match claimed {
            Some(index) => {
                seen[index] = true;
                report.counts.moved += 1;
                report.differences.push(Difference::Moved {
                    path: name,
                    from: known.name(index).to_string(),
                    sha256: digest.sha256.to_hex(),
                });
            }
            None => {
                report.counts.new += 1;
                report.differences.push(Difference::New {
                    path: name,
                    sha256: digest.sha256.to_hex(),
                });
            }
        }
    }
    for (index, seen) in seen.iter().enumerate() {
        if !seen {
            report.counts.missing += 1;
            report.differences.push(Difference::Missing {
                path: known.name(index).to_string(),
            });
        }
    }
    report
        .differences
        .sort_by(|a, b| a.path().as_bytes().cmp(b.path().as_bytes()));
    Ok(report)
}

/// A file's name relative to the folder audited, `/`-separated (on Unix
/// a path below the folder is that already).
fn relative_name(dir: &Path, path: &Path) -> String {
    let below = path.strip_prefix(dir).unwrap_or(path);
    match below.to_str() {
        Some(name) if std::path::MAIN_SEPARATOR == '/' => name.to_string(),
        _ => below
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    }
}
