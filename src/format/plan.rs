//! The two documents of a seal split across machines, as bytes: the plan
//! (`exhibit.plan/1`: the sources, every payload file in bag order with the
//! identity it had when planned, the shards) and a part (`exhibit.plan-part/1`:
//! one shard's files hashed). Both are JSON Lines: one compact JSON object
//! per line, so a plan of millions of files is written and read one record
//! at a time, never held whole. `docs/FORMAT.md` describes them.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::digest::{Blake3Digest, FileDigest, Sha256Digest};
use crate::format::paths::BagPath;
use crate::format::seal::SymlinkRecord;

/// `type` of a plan's first line.
pub const PLAN_TYPE: &str = "exhibit.plan/1";
/// `type` of a plan's last line.
pub const PLAN_END_TYPE: &str = "exhibit.plan-end/1";
/// `type` of a part's first line.
pub const PART_TYPE: &str = "exhibit.plan-part/1";

/// Longest line read from a plan or part other than a plan's first line: a
/// record is a bag path and a few numbers.
pub const MAX_RECORD_LINE: usize = 64 << 10;
/// Longest plan header: it names every source and every shard.
pub const MAX_HEADER_LINE: usize = 64 << 20;

/// Why one line of a plan or part is not what it must be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LineError(pub String);

fn bad(what: impl Into<String>) -> LineError {
    LineError(what.into())
}

/// One shard: a run of consecutive files in bag order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shard {
    /// Plan position (0-based) of the shard's first file.
    pub first: u64,
    /// How many files it holds (0 when there are more shards than files).
    pub files: u64,
    /// Their planned bytes.
    pub bytes: u64,
}

/// The first line of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanHeader {
    #[serde(rename = "type")]
    pub doc_type: String,
    /// The sources as `seal` will read them: absolute paths, the same on
    /// every machine that hashes a shard.
    pub sources: Vec<String>,
    pub files: u64,
    pub bytes: u64,
    pub shards: Vec<Shard>,
    /// What the walk found beside the payload files, as the seal statement
    /// records it: a seal finished from shards (`seal --plan --finish`)
    /// takes them from here, reading no source. Absent from plans made
    /// before they were recorded, which such a seal refuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symlinks: Option<Vec<SymlinkRecord>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_directories: Option<Vec<String>>,
}

impl PlanHeader {
    pub fn to_line(&self) -> Vec<u8> {
        to_line(self)
    }

    /// Parses and checks the first line: its type, and shards that cover
    /// every file once, in order.
    pub fn parse(line: &[u8]) -> Result<PlanHeader, LineError> {
        let header: PlanHeader = from_line(line)?;
        if header.doc_type != PLAN_TYPE {
            return Err(bad(format!(
                "not an exhibit plan (type {:?}, expected {PLAN_TYPE:?})",
                header.doc_type
            )));
        }
        if header.sources.is_empty() {
            return Err(bad("the plan names no source"));
        }
        if header.shards.is_empty() {
            return Err(bad("the plan has no shard"));
        }
        let mut next = 0u64;
        let mut bytes = 0u64;
        for (i, shard) in header.shards.iter().enumerate() {
            if shard.first != next {
                return Err(bad(format!(
                    "shard {i} starts at file {} but the one before ends at {next}",
                    shard.first
                )));
            }
            next = next
                .checked_add(shard.files)
                .ok_or_else(|| bad(format!("shard {i}: file count overflows")))?;
            bytes = bytes
                .checked_add(shard.bytes)
                .ok_or_else(|| bad(format!("shard {i}: byte count overflows")))?;
        }
        if next != header.files || bytes != header.bytes {
            return Err(bad(format!(
                "the shards hold {next} files and {bytes} bytes, the plan says {} and {}",
                header.files, header.bytes
            )));
        }
        Ok(header)
    }
}

/// Where a file was and what it was when the plan was made, so that a
/// shard can tell the file changed before it was hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileIdentity {
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i128,
    /// Device and inode number (0 where the system has none). The device
    /// is recorded, not compared: a network file system has another device
    /// number on every machine that mounts it.
    pub dev: u64,
    pub ino: u64,
}

/// One planned file (a line between a plan's first and last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    pub path: BagPath,
    /// Index into the header's `sources`.
    pub source: usize,
    pub identity: FileIdentity,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlannedFileLine<'a> {
    /// Borrowed unless JSON escapes it (a quote, backslash or control).
    #[serde(borrow)]
    path: Cow<'a, str>,
    source: usize,
    size: u64,
    mtime_ns: i128,
    dev: u64,
    ino: u64,
}

impl PlannedFile {
    pub fn to_line(&self) -> Vec<u8> {
        to_line(&PlannedFileLine {
            path: Cow::Borrowed(self.path.as_str()),
            source: self.source,
            size: self.identity.size,
            mtime_ns: self.identity.mtime_ns,
            dev: self.identity.dev,
            ino: self.identity.ino,
        })
    }

    pub fn parse(line: &[u8], sources: usize) -> Result<PlannedFile, LineError> {
        let raw: PlannedFileLine<'_> = from_line(line)?;
        let path = BagPath::parse(&raw.path).map_err(|e| bad(e.to_string()))?;
        if !path.is_payload() {
            return Err(bad(format!("{}: not a payload path (data/...)", raw.path)));
        }
        if raw.source >= sources {
            return Err(bad(format!(
                "{}: source {} does not exist (the plan names {sources})",
                raw.path, raw.source
            )));
        }
        Ok(PlannedFile {
            path,
            source: raw.source,
            identity: FileIdentity {
                size: raw.size,
                mtime_ns: raw.mtime_ns,
                dev: raw.dev,
                ino: raw.ino,
            },
        })
    }
}

/// A plan's last line: the SHA-256 of every byte before it, so an edited
/// plan is refused before anything is hashed by it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanEnd {
    #[serde(rename = "type")]
    pub doc_type: String,
    pub body_sha256: Sha256Digest,
}

impl PlanEnd {
    pub fn new(body_sha256: Sha256Digest) -> PlanEnd {
        PlanEnd {
            doc_type: PLAN_END_TYPE.into(),
            body_sha256,
        }
    }

    pub fn to_line(&self) -> Vec<u8> {
        to_line(self)
    }

    /// `None` when the line is a file record rather than the end.
    pub fn parse(line: &[u8]) -> Option<Result<PlanEnd, LineError>> {
        if !line.starts_with(b"{\"type\":") {
            return None;
        }
        let end: Result<PlanEnd, LineError> = from_line(line);
        Some(end.and_then(|end| {
            if end.doc_type == PLAN_END_TYPE {
                Ok(end)
            } else {
                Err(bad(format!(
                    "type {:?} where the plan's end ({PLAN_END_TYPE:?}) or a file was expected",
                    end.doc_type
                )))
            }
        }))
    }
}

/// The first line of a part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartHeader {
    #[serde(rename = "type")]
    pub doc_type: String,
    /// SHA-256 of the plan file's bytes.
    pub plan_sha256: Sha256Digest,
    pub shard: u64,
    pub shards: u64,
    pub first: u64,
    pub files: u64,
    /// Set by `seal --plan --shard`, which also wrote the shard's files
    /// into the bundle being built: where it wrote them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<Written>,
}

/// Where `seal --plan --shard` wrote a zip bundle's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Written {
    /// At their offsets of the bundle being built (a folder bundle's
    /// shards always write in place).
    InPlace,
    /// Into the shard's own segment file, joined by the finish.
    Segment,
}

impl PartHeader {
    pub fn to_line(&self) -> Vec<u8> {
        to_line(self)
    }

    pub fn parse(line: &[u8]) -> Result<PartHeader, LineError> {
        let header: PartHeader = from_line(line)?;
        if header.doc_type != PART_TYPE {
            return Err(bad(format!(
                "not a part of an exhibit plan (type {:?}, expected {PART_TYPE:?})",
                header.doc_type
            )));
        }
        Ok(header)
    }
}

/// One hashed file of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashedFile {
    /// Plan position.
    pub index: u64,
    pub path: BagPath,
    pub digest: FileDigest,
    /// CRC-32 of the bytes, when `seal --plan --shard` wrote them into a
    /// zip (its central directory needs it).
    pub crc32: Option<u32>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HashedFileLine<'a> {
    index: u64,
    #[serde(borrow)]
    path: Cow<'a, str>,
    size: u64,
    sha256: Sha256Digest,
    blake3: Blake3Digest,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crc_hex")]
    crc32: Option<u32>,
}

/// A CRC-32 as 8 lowercase hex digits.
mod crc_hex {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(crc: &Option<u32>, out: S) -> Result<S::Ok, S::Error> {
        match crc {
            Some(crc) => out.serialize_str(&format!("{crc:08x}")),
            None => out.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<Option<u32>, D::Error> {
        let text = <&str>::deserialize(input)?;
        let digits = text.len() == 8
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !digits {
            return Err(D::Error::custom("crc32 must be 8 lowercase hex digits"));
        }
        u32::from_str_radix(text, 16)
            .map(Some)
            .map_err(D::Error::custom)
    }
}

impl HashedFile {
    pub fn to_line(&self) -> Vec<u8> {
        to_line(&HashedFileLine {
            index: self.index,
            path: Cow::Borrowed(self.path.as_str()),
            size: self.digest.size,
            sha256: self.digest.sha256,
            blake3: self.digest.blake3,
            crc32: self.crc32,
        })
    }

    pub fn parse(line: &[u8]) -> Result<HashedFile, LineError> {
        let raw: HashedFileLine<'_> = from_line(line)?;
        let path = BagPath::parse(&raw.path).map_err(|e| bad(e.to_string()))?;
        Ok(HashedFile {
            index: raw.index,
            path,
            digest: FileDigest {
                size: raw.size,
                sha256: raw.sha256,
                blake3: raw.blake3,
            },
            crc32: raw.crc32,
        })
    }
}

/// A part's record as the merge reads it back beside the copy: borrowed,
/// with the digests left in hex (every record was parsed and checked in
/// full before the copy began).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HashedFileHex<'a> {
    pub index: u64,
    #[serde(borrow)]
    pub path: Cow<'a, str>,
    pub size: u64,
    pub sha256: &'a str,
    pub blake3: &'a str,
    #[serde(default)]
    pub crc32: Option<&'a str>,
}

impl<'a> HashedFileHex<'a> {
    pub fn parse(line: &'a [u8]) -> Result<HashedFileHex<'a>, LineError> {
        from_line(line)
    }
}

/// What opening, reading and closing a file costs beyond its bytes, in
/// bytes: about one 4 KiB read. Without it a tree of millions of tiny
/// files would be split by bytes alone, and the shards' run times would
/// differ by their file counts.
pub const FILE_COST: u64 = 4096;

/// Splits files (their sizes, in bag order) into `shards` runs of
/// consecutive files of about equal bytes (each file counted as
/// [`FILE_COST`] more): shard `k` ends at the first file whose running
/// total reaches `(k + 1) / shards` of the whole.
pub fn split_shards(sizes: &[u64], shards: usize) -> Vec<Shard> {
    let shards = shards.max(1);
    let weight = |size: u64| u128::from(size) + u128::from(FILE_COST);
    let total: u128 = sizes.iter().map(|&s| weight(s)).sum();
    let mut out = Vec::with_capacity(shards);
    let mut start = 0usize;
    let mut running: u128 = 0;
    for k in 0..shards {
        let mut end = start;
        let mut bytes = 0u64;
        if k + 1 == shards {
            end = sizes.len();
            bytes = sizes[start..].iter().sum();
        } else {
            let target = total * (k as u128 + 1) / shards as u128;
            while end < sizes.len() && running < target {
                running += weight(sizes[end]);
                bytes += sizes[end];
                end += 1;
            }
        }
        out.push(Shard {
            first: start as u64,
            files: (end - start) as u64,
            bytes,
        });
        start = end;
    }
    out
}

fn to_line<T: Serialize>(value: &T) -> Vec<u8> {
    let mut line = serde_json::to_vec(value).expect("plan records serialize");
    line.push(b'\n');
    line
}

fn from_line<'a, T: Deserialize<'a>>(line: &'a [u8]) -> Result<T, LineError> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    serde_json::from_slice(line).map_err(|e| bad(format!("not a valid record: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_file_once_and_balance_bytes() {
        let sizes = [10, 10, 10, 10, 10, 10, 10, 10];
        let shards = split_shards(&sizes, 4);
        assert_eq!(shards.iter().map(|s| s.files).collect::<Vec<_>>(), [2; 4]);
        assert_eq!(shards.iter().map(|s| s.bytes).sum::<u64>(), 80);
        let sizes = [100_000, 1, 1, 1];
        let shards = split_shards(&sizes, 2);
        assert_eq!(shards[0].files, 1);
        assert_eq!(shards[1].files, 3);
        // More shards than files: the extra ones are empty.
        let shards = split_shards(&[5, 5], 4);
        assert_eq!(
            shards.iter().map(|s| s.files).collect::<Vec<_>>(),
            [1, 0, 1, 0]
        );
        assert_eq!(shards[3].first, 2);
        let shards = split_shards(&[], 3);
        assert!(shards.iter().all(|s| s.files == 0 && s.first == 0));
        // Empty files still go somewhere.
        let shards = split_shards(&[0, 0, 0], 2);
        assert_eq!(shards.iter().map(|s| s.files).sum::<u64>(), 3);
    }

    #[test]
    fn header_round_trips_and_checks_shards() {
        let header = PlanHeader {
            doc_type: PLAN_TYPE.into(),
            sources: vec!["/evidence/case".into()],
            files: 3,
            bytes: 30,
            shards: split_shards(&[10, 10, 10], 2),
            symlinks: Some(vec![SymlinkRecord {
                path: "data/case/link".into(),
                target: "../x".into(),
            }]),
            empty_directories: Some(vec!["data/case/empty".into()]),
        };
        let line = header.to_line();
        assert!(line.ends_with(b"\n"));
        assert_eq!(PlanHeader::parse(&line).unwrap(), header);
        let mut gap = header.clone();
        gap.shards[1].first = 3;
        assert!(PlanHeader::parse(&gap.to_line()).is_err());
        let mut other = header.clone();
        other.doc_type = PART_TYPE.into();
        assert!(PlanHeader::parse(&other.to_line()).is_err());
        assert!(PlanHeader::parse(b"{not json").is_err());
    }

    #[test]
    fn records_round_trip_and_refuse_bad_fields() {
        let file = PlannedFile {
            path: BagPath::parse("data/case/a b.txt").unwrap(),
            source: 0,
            identity: FileIdentity {
                size: 3,
                mtime_ns: 1_700_000_000_123_456_789,
                dev: 2049,
                ino: 77,
            },
        };
        let line = file.to_line();
        assert!(PlanEnd::parse(&line).is_none());
        assert_eq!(PlannedFile::parse(&line, 1).unwrap(), file);
        assert!(PlannedFile::parse(&line, 0).is_err());
        let hashed = HashedFile {
            index: 7,
            path: file.path.clone(),
            digest: crate::digest::hash_bytes(b"abc"),
            crc32: None,
        };
        assert_eq!(HashedFile::parse(&hashed.to_line()).unwrap(), hashed);
        let written = HashedFile {
            crc32: Some(0x0352_441c),
            ..hashed.clone()
        };
        let line = written.to_line();
        assert!(String::from_utf8_lossy(&line).contains(r#""crc32":"0352441c""#));
        assert_eq!(HashedFile::parse(&line).unwrap(), written);
        let upper = String::from_utf8(line)
            .unwrap()
            .replace("0352441c", "0352441C");
        assert!(HashedFile::parse(upper.as_bytes()).is_err());
        let text = String::from_utf8(hashed.to_line()).unwrap();
        let short = text.replace(&hashed.digest.sha256.to_hex(), "abcd");
        assert!(HashedFile::parse(short.as_bytes()).is_err());
        let end = PlanEnd::new(Sha256Digest::of(b"x"));
        assert_eq!(PlanEnd::parse(&end.to_line()).unwrap().unwrap(), end);
    }
}
