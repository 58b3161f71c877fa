//! A verify part (`exhibit.verify-part/1`): what one share of a bundle's
//! payload read as, written by `verify --shard I/N` and combined into the
//! verdict by `verify --parts`. A working file, not evidence: it records
//! what was read, never a verdict. JSON Lines: a header naming the bundle
//! and the share, then one record per payload file of the share in payload
//! order. `docs/FORMAT.md` section 24 describes it byte for byte.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::digest::{Blake3Digest, FileDigest, Sha256Digest};
use crate::format::bag;

/// `type` of a part's first line.
pub const VERIFY_PART_TYPE: &str = "exhibit.verify-part/1";

/// Longest line of a part: a record is a bag path, a few digests and at
/// most a read error; a header names a few tag files.
pub const MAX_PART_LINE: usize = 64 << 10;

/// The most shares a payload is split into.
pub const MAX_SHARES: u64 = 1 << 20;

/// Why one line of a part is not what it must be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PartLineError(pub String);

fn bad(what: impl Into<String>) -> PartLineError {
    PartLineError(what.into())
}

/// A tag file of the bundle that says what its payload is, with the
/// SHA-256 of its stored bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagDigest {
    pub path: String,
    pub sha256: Sha256Digest,
}

/// What a part says of the bundle it was read from: a part of another
/// bundle, or of this one after its manifests, seal or other payload tag
/// files changed, cannot match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleIdentity {
    /// [`is_identity_tag`] files present, sorted by path bytes.
    pub tag_files: Vec<TagDigest>,
    /// Payload files in the bundle's listing, and their listed bytes.
    pub files: u64,
    pub bytes: u64,
}

/// The tag files a bundle's identity covers: those that list, describe or
/// seal the payload (a custody event or a co-signature added later leaves
/// the parts valid; `verify --parts` checks those itself).
pub fn is_identity_tag(name: &str) -> bool {
    matches!(
        name,
        "bagit.txt"
            | "bag-info.txt"
            | "fetch.txt"
            | crate::format::seal::SEAL_PATH
            | crate::format::seal::BLAKE3_MANIFEST_PATH
            | crate::format::salt::MERKLE_SALTS_PATH
            | crate::format::disclosure::DISCLOSURE_PATH
    ) || bag::manifest_algorithm(name).is_some()
}

/// The first line of a part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartHeader {
    #[serde(rename = "type")]
    pub doc_type: String,
    pub bundle: BundleIdentity,
    /// The share (0-based) and how many there are.
    pub shard: u64,
    pub shards: u64,
    /// Payload index of the share's first file, and how many it holds.
    pub first: u64,
    pub files: u64,
}

impl PartHeader {
    pub fn to_line(&self) -> Vec<u8> {
        to_line(self)
    }

    /// Parses and checks the first line: its type, a share that exists and
    /// lies within the payload it names.
    pub fn parse(line: &[u8]) -> Result<PartHeader, PartLineError> {
        let header: PartHeader = from_line(line)?;
        if header.doc_type != VERIFY_PART_TYPE {
            return Err(bad(format!(
                "not a verify part (type {:?}, expected {VERIFY_PART_TYPE:?})",
                header.doc_type
            )));
        }
        if header.shards == 0 || header.shards > MAX_SHARES || header.shard >= header.shards {
            return Err(bad(format!(
                "share {} of {} does not exist",
                header.shard, header.shards
            )));
        }
        let end = header.first.checked_add(header.files);
        if end.is_none_or(|end| end > header.bundle.files) {
            return Err(bad(format!(
                "files {} to {} are not in a payload of {} files",
                header.first,
                header.first.saturating_add(header.files),
                header.bundle.files
            )));
        }
        let sorted = header
            .bundle
            .tag_files
            .windows(2)
            .all(|w| w[0].path.as_bytes() < w[1].path.as_bytes());
        if !sorted {
            return Err(bad("tag files not sorted by path, or repeated"));
        }
        Ok(header)
    }
}

/// One payload file as it was read: its size and digests (SHA-256, BLAKE3
/// and the other manifest algorithms), or why it could not be read to its
/// end. Plain verify compares exactly this with the manifests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadDigests {
    pub digest: FileDigest,
    /// `(algorithm, digest)`, sorted by algorithm.
    pub other: Vec<(String, Vec<u8>)>,
    /// A zip entry whose data does not have the CRC-32 the zip records.
    pub crc_mismatch: bool,
}

/// One record of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRead {
    pub path: String,
    pub read: Result<ReadDigests, String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileReadLine<'a> {
    #[serde(borrow)]
    path: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sha256: Option<Sha256Digest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    blake3: Option<Blake3Digest>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", borrow)]
    other: BTreeMap<Cow<'a, str>, Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    crc_mismatch: bool,
    #[serde(default, skip_serializing_if = "Option::is_none", borrow)]
    error: Option<Cow<'a, str>>,
}

impl FileRead {
    pub fn to_line(&self) -> Vec<u8> {
        let line = match &self.read {
            Ok(read) => FileReadLine {
                path: Cow::Borrowed(&self.path),
                size: Some(read.digest.size),
                sha256: Some(read.digest.sha256),
                blake3: Some(read.digest.blake3),
                other: read
                    .other
                    .iter()
                    .map(|(a, d)| (Cow::Borrowed(a.as_str()), Cow::Owned(hex::encode(d))))
                    .collect(),
                crc_mismatch: read.crc_mismatch,
                error: None,
            },
            Err(error) => FileReadLine {
                path: Cow::Borrowed(&self.path),
                size: None,
                sha256: None,
                blake3: None,
                other: BTreeMap::new(),
                crc_mismatch: false,
                error: Some(Cow::Borrowed(error)),
            },
        };
        to_line(&line)
    }

    /// Parses a record; a read file must carry exactly the `other`
    /// algorithms given (sorted), each digest in lowercase hex of its length.
    pub fn parse(line: &[u8], other: &[&str]) -> Result<FileRead, PartLineError> {
        let raw: FileReadLine<'_> = from_line(line)?;
        let path = raw.path.into_owned();
        if let Some(error) = raw.error {
            let read_fields = raw.size.is_some()
                || raw.sha256.is_some()
                || raw.blake3.is_some()
                || !raw.other.is_empty()
                || raw.crc_mismatch;
            if read_fields {
                return Err(bad(format!("{path}: a read error beside digests")));
            }
            return Ok(FileRead {
                path,
                read: Err(error.into_owned()),
            });
        }
        let (Some(size), Some(sha256), Some(blake3)) = (raw.size, raw.sha256, raw.blake3) else {
            return Err(bad(format!(
                "{path}: neither size, sha256 and blake3 nor a read error"
            )));
        };
        if raw.other.len() != other.len() || !raw.other.keys().zip(other).all(|(a, b)| a == b) {
            return Err(bad(format!(
                "{path}: digests of {:?}, expected {other:?}",
                raw.other.keys().collect::<Vec<_>>()
            )));
        }
        let mut digests = Vec::with_capacity(other.len());
        for (algorithm, hex_digest) in raw.other {
            let length = bag::digest_hex_len(&algorithm).unwrap_or(0);
            let lower = hex_digest
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
            let bytes = hex::decode(&*hex_digest).ok().filter(|_| lower);
            match bytes {
                Some(bytes) if hex_digest.len() == length => {
                    digests.push((algorithm.into_owned(), bytes));
                }
                _ => {
                    return Err(bad(format!(
                        "{path}: {algorithm} is not {length} lowercase hex digits"
                    )))
                }
            }
        }
        Ok(FileRead {
            path,
            read: Ok(ReadDigests {
                digest: FileDigest {
                    size,
                    sha256,
                    blake3,
                },
                other: digests,
                crc_mismatch: raw.crc_mismatch,
            }),
        })
    }
}

fn to_line<T: Serialize>(value: &T) -> Vec<u8> {
    // Strings, numbers and maps with string keys: serializing cannot fail.
    let mut line = serde_json::to_vec(value).unwrap_or_default();
    line.push(b'\n');
    line
}

fn from_line<'a, T: Deserialize<'a>>(line: &'a [u8]) -> Result<T, PartLineError> {
    let Some(line) = line.strip_suffix(b"\n") else {
        return Err(bad("the line does not end (truncated part)"));
    };
    serde_json::from_slice(line).map_err(|e| bad(format!("not a valid record: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::hash_bytes;

    fn header() -> PartHeader {
        PartHeader {
            doc_type: VERIFY_PART_TYPE.into(),
            bundle: BundleIdentity {
                tag_files: vec![
                    TagDigest {
                        path: "exhibit/seal.json".into(),
                        sha256: Sha256Digest::of(b"seal"),
                    },
                    TagDigest {
                        path: "manifest-sha256.txt".into(),
                        sha256: Sha256Digest::of(b"manifest"),
                    },
                ],
                files: 10,
                bytes: 1000,
            },
            shard: 1,
            shards: 2,
            first: 6,
            files: 4,
        }
    }

    /// A change made to a sound header.
    type Change = fn(&mut PartHeader);

    #[test]
    fn header_round_trips_and_refuses_shares_that_do_not_exist() {
        let h = header();
        let line = h.to_line();
        assert!(line.ends_with(b"\n"));
        assert_eq!(PartHeader::parse(&line).unwrap(), h);
        // (change, what the parser must refuse)
        let cases: [(Change, &str); 6] = [
            (|h| h.shard = 2, "share 2 of 2"),
            (|h| h.shards = 0, "of 0"),
            (|h| h.files = 5, "not in a payload"),
            (|h| h.first = u64::MAX, "not in a payload"),
            (
                |h| h.doc_type = "exhibit.plan-part/1".into(),
                "not a verify part",
            ),
            (|h| h.bundle.tag_files.swap(0, 1), "not sorted"),
        ];
        for (change, expected) in cases {
            let mut h = header();
            change(&mut h);
            let error = PartHeader::parse(&h.to_line()).unwrap_err();
            assert!(error.0.contains(expected), "{error} / {expected}");
        }
        // Truncated: no line end, or cut in the middle.
        assert!(PartHeader::parse(line.strip_suffix(b"\n").unwrap()).is_err());
        assert!(PartHeader::parse(&line[..line.len() / 2]).is_err());
        let unknown = String::from_utf8(line.clone())
            .unwrap()
            .replacen("{", "{\"extra\":1,", 1);
        assert!(PartHeader::parse(unknown.as_bytes()).is_err());
    }

    #[test]
    fn records_round_trip_read_or_not() {
        let read = FileRead {
            path: "data/a \"b\"\n.txt".into(),
            read: Ok(ReadDigests {
                digest: hash_bytes(b"abc"),
                other: vec![("md5".into(), vec![7; 16]), ("sha512".into(), vec![9; 64])],
                crc_mismatch: true,
            }),
        };
        let line = read.to_line();
        assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
        assert_eq!(FileRead::parse(&line, &["md5", "sha512"]).unwrap(), read);
        // The algorithms must be exactly the expected ones.
        assert!(FileRead::parse(&line, &["md5"]).is_err());
        assert!(FileRead::parse(&line, &["md5", "sha1"]).is_err());
        let failed = FileRead {
            path: "data/gone".into(),
            read: Err("permission denied".into()),
        };
        let line = failed.to_line();
        assert_eq!(
            String::from_utf8(line.clone()).unwrap(),
            "{\"path\":\"data/gone\",\"error\":\"permission denied\"}\n"
        );
        assert_eq!(FileRead::parse(&line, &["md5"]).unwrap(), failed);
        let plain = FileRead {
            path: "data/x".into(),
            read: Ok(ReadDigests {
                digest: hash_bytes(b""),
                other: Vec::new(),
                crc_mismatch: false,
            }),
        };
        let text = String::from_utf8(plain.to_line()).unwrap();
        assert!(text.starts_with("{\"path\":\"data/x\",\"size\":0,\"sha256\":\""));
        assert!(!text.contains("other") && !text.contains("crc"));
    }

    #[test]
    fn records_refuse_what_a_part_never_holds() {
        let sha = Sha256Digest::of(b"x").to_hex();
        let b3 = Blake3Digest::of(b"x").to_hex();
        let cases = [
            format!("{{\"path\":\"data/a\",\"size\":1,\"sha256\":\"{sha}\"}}\n"),
            format!("{{\"path\":\"data/a\",\"size\":1,\"sha256\":\"{sha}\",\"blake3\":\"{b3}\",\"error\":\"x\"}}\n"),
            format!("{{\"path\":\"data/a\",\"size\":1,\"sha256\":\"{}\",\"blake3\":\"{b3}\"}}\n", sha.to_uppercase()),
            format!("{{\"path\":\"data/a\",\"size\":1,\"sha256\":\"{sha}\",\"blake3\":\"{b3}\",\"other\":{{\"md5\":\"AB\"}}}}\n"),
            format!("{{\"path\":\"data/a\",\"size\":-1,\"sha256\":\"{sha}\",\"blake3\":\"{b3}\"}}\n"),
            format!("{{\"path\":\"data/a\",\"size\":1,\"sha256\":\"{sha}\",\"blake3\":\"{b3}\",\"x\":1}}\n"),
            format!("{{\"path\":\"data/a\",\"size\":1,\"sha256\":\"{sha}\",\"blake3\":\"{b3}\"}}"),
            "{\"path\":\"data/a\"}\n".to_owned(),
            "[]\n".to_owned(),
            "\n".to_owned(),
        ];
        for case in cases {
            assert!(FileRead::parse(case.as_bytes(), &[]).is_err(), "{case}");
        }
        let md5 = "00".repeat(16);
        let ok = format!("{{\"path\":\"data/a\",\"size\":1,\"sha256\":\"{sha}\",\"blake3\":\"{b3}\",\"other\":{{\"md5\":\"{md5}\"}}}}\n");
        assert!(FileRead::parse(ok.as_bytes(), &["md5"]).is_ok());
    }

    #[test]
    fn identity_tags_are_the_payload_tag_files() {
        for name in [
            "bagit.txt",
            "bag-info.txt",
            "manifest-sha256.txt",
            "manifest-md5.txt",
            "exhibit/seal.json",
            "exhibit/manifest-blake3.txt",
            "exhibit/merkle-salts.txt",
        ] {
            assert!(is_identity_tag(name), "{name}");
        }
        for name in [
            "tagmanifest-sha256.txt",
            "exhibit/custody/000001.json",
            "exhibit/signatures/ab.json",
        ] {
            assert!(!is_identity_tag(name), "{name}");
        }
    }
}
