//! What a seal made to a plan is checked against, kept apart from both
//! `plan` and `seal` so that neither imports the other: the error every
//! step of a planned seal shares ([`PlanError`]), the line reader of plan
//! and part files, the checked parts of a plan ([`PlannedSeal`], which
//! `plan::check_parts` makes) and the comparison, file by file, of what
//! `seal` lists and copies with them (`DigestCheck`).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use crate::digest::{hex32, FileDigest, Sha256Digest};
use crate::format::plan::{HashedFileHex, LineError, MAX_RECORD_LINE};
use crate::ops::sources::{PayloadFile, SourcesError};

/// A part file's name ends in this inside the parts folder.
pub const PART_SUFFIX: &str = ".part";

/// Why a plan could not be made, a shard hashed, or parts merged.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The sources could not be listed or hold something `seal` refuses.
    #[error(transparent)]
    Sources(#[from] SourcesError),
    #[error("{}: {reason}", path.display())]
    Source { path: PathBuf, reason: String },
    #[error("{}: {error}", path.display())]
    Io { path: PathBuf, error: io::Error },
    #[error("{}: already exists; choose a new plan path", .0.display())]
    OutputExists(PathBuf),
    #[error("a plan needs at least one shard")]
    NoShards,
    #[error("{}: already exists: the bundle was finished, or is another; shards and the finish need a new output path", .0.display())]
    BundleExists(PathBuf),
    /// The bundle being built could not be written or read back.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// `--finish` before any shard wrote into the output's work folder.
    #[error("{}: no shard of this plan has written into it (run `exhibit seal --plan PLAN --shard I -o OUT` for every shard first)", .0.display())]
    NoWorkFolder(PathBuf),
    /// A plan made before plans recorded what `--finish` needs.
    #[error("{}: the plan does not record the symbolic links and empty folders of its sources (made by an older exhibit); make the plan again, or seal with --parts", .0.display())]
    PlanTooOld(PathBuf),
    /// A part in the work folder that `seal --plan --shard` did not write.
    #[error("{}: a part of `hash --plan`, not of `seal --plan --shard`: the shard's files are not in the bundle; run the shard with `seal --plan`", .0.display())]
    NotWritten(PathBuf),
    /// A plan or part that cannot be used: not JSON Lines of our types,
    /// a bad digest, truncated.
    #[error("{}: line {line}: {reason}", path.display())]
    Malformed {
        path: PathBuf,
        line: u64,
        reason: String,
    },
    /// The plan's bytes do not hash to the digest its last line records.
    #[error("{}: the plan was changed after it was made (its body hashes to {actual}, its last line says {recorded})", path.display())]
    PlanEdited {
        path: PathBuf,
        recorded: Sha256Digest,
        actual: Sha256Digest,
    },
    #[error("shard {shard} does not exist: the plan has shards 0 to {}", shards - 1)]
    NoSuchShard { shard: u64, shards: u64 },
    /// A file whose size, time or inode differ from the plan's, or whose
    /// bytes differ from its part's: a check failed.
    #[error("{}: changed since {since}: {what}", path.display())]
    Changed {
        path: PathBuf,
        since: &'static str,
        what: String,
    },
    #[error("{}: a part of another plan (plan SHA-256 {found}, this plan is {expected})", path.display())]
    OtherPlan {
        path: PathBuf,
        found: Sha256Digest,
        expected: Sha256Digest,
    },
    #[error("{}: shard {shard} of this plan holds files {first} to {last_plus_one} (exclusive), the part says otherwise", path.display(), last_plus_one = first + files)]
    WrongRange {
        path: PathBuf,
        shard: u64,
        first: u64,
        files: u64,
    },
    #[error("{}: no part for shard {shard} (no {PART_SUFFIX} file with \"shard\":{shard})", dir.display())]
    MissingShard { dir: PathBuf, shard: u64 },
    /// A part's record disagrees with the plan (path, size, position).
    #[error("{}: line {line}: {reason}", path.display())]
    PartMismatch {
        path: PathBuf,
        line: u64,
        reason: String,
    },
    /// Two parts of one shard (a retried job) that disagree.
    #[error("{file}: the parts {} and {} of shard {shard} disagree about it", first.display(), second.display())]
    ConflictingParts {
        file: String,
        shard: u64,
        first: PathBuf,
        second: PathBuf,
    },
    /// The sources as walked at seal time are not the ones planned.
    #[error("{file}: {what}")]
    SourcesChanged { file: String, what: String },
}

/// A check that failed (a file changed, a part that disagrees) is a
/// verdict; anything else is input that cannot be used.
impl crate::ops::OpError for PlanError {
    fn refusal(&self) -> crate::ops::Refusal {
        match self {
            PlanError::Changed { .. }
            | PlanError::PartMismatch { .. }
            | PlanError::ConflictingParts { .. }
            | PlanError::SourcesChanged { .. } => crate::ops::Refusal::Verdict,
            _ => crate::ops::Refusal::Unusable,
        }
    }
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> PlanError + '_ {
    move |error| PlanError::Io {
        path: path.into(),
        error,
    }
}

/// Lines of a plan or part, each at most a limit long, with their numbers
/// and (optionally) a SHA-256 of every byte read.
pub(crate) struct Lines {
    pub(crate) path: PathBuf,
    reader: BufReader<File>,
    pub(crate) number: u64,
    /// Byte offset of the next line.
    pub(crate) position: u64,
    buf: Vec<u8>,
    pub(crate) hasher: Option<Sha256>,
}

impl Lines {
    pub(crate) fn open(path: &Path, hash: bool) -> Result<Lines, PlanError> {
        Lines::open_at(path, hash, 0, 0)
    }

    /// Opens `path` at byte `offset`, the start of line `number + 1`.
    pub(crate) fn open_at(
        path: &Path,
        hash: bool,
        offset: u64,
        number: u64,
    ) -> Result<Lines, PlanError> {
        let mut file = File::open(path).map_err(io_error(path))?;
        if offset > 0 {
            file.seek(SeekFrom::Start(offset)).map_err(io_error(path))?;
        }
        Ok(Lines {
            path: path.into(),
            reader: BufReader::with_capacity(1 << 20, file),
            number,
            position: offset,
            buf: Vec::new(),
            hasher: hash.then(Sha256::new),
        })
    }

    /// Reads the next line (with its `\n`) into [`Lines::line`]; `false`
    /// at the end.
    pub(crate) fn next_line(&mut self, limit: usize) -> Result<bool, PlanError> {
        self.buf.clear();
        let read = (&mut self.reader)
            .take(limit as u64 + 1)
            .read_until(b'\n', &mut self.buf)
            .map_err(io_error(&self.path))?;
        if read == 0 {
            return Ok(false);
        }
        self.number += 1;
        self.position += read as u64;
        if !self.buf.ends_with(b"\n") {
            let reason = if self.buf.len() > limit {
                format!("longer than {limit} bytes")
            } else {
                "the file ends in the middle of a line (truncated?)".into()
            };
            return Err(self.malformed(reason));
        }
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&self.buf);
        }
        Ok(true)
    }

    /// The line last read.
    pub(crate) fn line(&self) -> &[u8] {
        &self.buf
    }

    pub(crate) fn malformed(&self, reason: impl Into<String>) -> PlanError {
        PlanError::Malformed {
            path: self.path.clone(),
            line: self.number,
            reason: reason.into(),
        }
    }

    pub(crate) fn line_error(&self) -> impl FnOnce(LineError) -> PlanError + '_ {
        move |e| self.malformed(e.0)
    }
}

/// A plan whose parts have all been checked: what `seal --plan` seals, and
/// what it compares every listed and copied file with
/// ([`PlannedSeal::digest_check`]).
#[derive(Debug)]
pub struct PlannedSeal {
    /// The plan's sources, to seal.
    pub sources: Vec<PathBuf>,
    /// One part per shard, in shard order (the first of identical retries).
    pub(crate) parts: Vec<PathBuf>,
    pub files: u64,
    pub bytes: u64,
    pub plan_sha256: Sha256Digest,
}

impl PlannedSeal {
    /// A check of the files `seal` lists and copies, file by file in bag
    /// order, against the parts (whose records are the plan's: paths,
    /// positions and sizes were compared when the parts were checked).
    pub(crate) fn digest_check(&self) -> Result<DigestCheck, PlanError> {
        let mut parts = self.parts.clone();
        parts.reverse();
        Ok(DigestCheck { parts, lines: None })
    }
}

fn added(file: &str) -> PlanError {
    PlanError::SourcesChanged {
        file: file.into(),
        what: "in the sources, not in the plan (added since?)".into(),
    }
}

fn removed(file: &str) -> PlanError {
    PlanError::SourcesChanged {
        file: file.into(),
        what: "planned, no longer in the sources".into(),
    }
}

/// The parts read one record at a time, in bag order, beside the seal's
/// copy: a file listed that no part holds was added since the plan; a file
/// that reads differently now changed after its shard hashed it.
pub(crate) struct DigestCheck {
    /// Parts not opened yet, the next one last.
    parts: Vec<PathBuf>,
    lines: Option<Lines>,
}

impl DigestCheck {
    /// Moves to the next record of the parts; `false` after the last part.
    fn next_line(&mut self) -> Result<bool, PlanError> {
        loop {
            if let Some(lines) = &mut self.lines {
                if lines.next_line(MAX_RECORD_LINE)? {
                    return Ok(true);
                }
            }
            let Some(part) = self.parts.pop() else {
                return Ok(false);
            };
            let mut lines = Lines::open(&part, false)?;
            lines.next_line(MAX_RECORD_LINE)?;
            self.lines = Some(lines);
        }
    }

    /// The record [`DigestCheck::next_line`] moved to.
    fn record(&self) -> Result<HashedFileHex<'_>, PlanError> {
        let lines = self.lines.as_ref().expect("a part is open after a line");
        HashedFileHex::parse(lines.line()).map_err(lines.line_error())
    }

    /// The next file sealed, as listed and copied.
    pub(crate) fn check(
        &mut self,
        file: &PayloadFile,
        digest: &FileDigest,
    ) -> Result<(), PlanError> {
        let path = file.bag_path.as_str();
        if !self.next_line()? {
            return Err(added(path));
        }
        let record = self.record()?;
        if record.path != path {
            return Err(if *record.path < *path {
                removed(&record.path)
            } else {
                added(path)
            });
        }
        if file.size != record.size {
            return Err(PlanError::SourcesChanged {
                file: path.into(),
                what: format!(
                    "changed since the plan was made: {} bytes, planned {}",
                    file.size, record.size
                ),
            });
        }
        let changed = |what: String| PlanError::Changed {
            path: path.into(),
            since: "its shard hashed it",
            what,
        };
        if digest.size != record.size {
            return Err(changed(format!(
                "{} bytes now, {} when hashed",
                digest.size, record.size
            )));
        }
        let mut hex = [0u8; 64];
        let now = hex32(&digest.sha256.0, &mut hex);
        if now != record.sha256 {
            return Err(changed(format!(
                "SHA-256 {now} now, {} when hashed",
                record.sha256
            )));
        }
        let now = hex32(&digest.blake3.0, &mut hex);
        if now != record.blake3 {
            return Err(changed(format!(
                "BLAKE3 {now} now, {} when hashed",
                record.blake3
            )));
        }
        Ok(())
    }

    /// After the last file: no part holds more.
    pub(crate) fn finish(mut self) -> Result<(), PlanError> {
        if self.next_line()? {
            return Err(removed(&self.record()?.path));
        }
        Ok(())
    }
}
