//! What a seal records of a forensic image among the files it seals: the
//! hashes its imager stored at acquisition, the hashes of its media data
//! recomputed at the seal, the result, and the acquisition metadata the
//! image carries. Part of the signed seal statement (`acquisition`), and
//! given as it is by `verify --json` and `inspect --json`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The media hashes, lowercase hex; a member is absent when not known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaHashes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl MediaHashes {
    /// Whether no hash is known.
    pub fn is_empty(&self) -> bool {
        self.md5.is_none() && self.sha1.is_none() && self.sha256.is_none()
    }

    /// Every hash known, as (algorithm, lowercase hex).
    pub fn known(&self) -> Vec<(&'static str, &str)> {
        [
            ("md5", &self.md5),
            ("sha1", &self.sha1),
            ("sha256", &self.sha256),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value.as_deref()?)))
        .collect()
    }

    /// Every hash both sides know, as (algorithm, this, other).
    pub fn common<'a>(&'a self, other: &'a MediaHashes) -> Vec<(&'static str, &'a str, &'a str)> {
        [
            ("md5", &self.md5, &other.md5),
            ("sha1", &self.sha1, &other.sha1),
            ("sha256", &self.sha256, &other.sha256),
        ]
        .into_iter()
        .filter_map(|(name, a, b)| Some((name, a.as_deref()?, b.as_deref()?)))
        .collect()
    }
}

/// What the recomputed media hashes say of the stored ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImageResult {
    /// Every stored hash equals its recomputed one, and every chunk read.
    Match,
    /// A stored hash differs, or a chunk of the media could not be read.
    Mismatch,
    /// The imager stored no hash: nothing to compare (the recomputed ones
    /// are recorded).
    NoStoredHash,
}

impl ImageResult {
    /// The result of comparing `stored` with `computed`; `bad_chunks`: a
    /// chunk failed its checksum or could not be decompressed.
    pub fn judge(stored: &MediaHashes, computed: &MediaHashes, bad_chunks: bool) -> ImageResult {
        let common = stored.common(computed);
        if bad_chunks || common.iter().any(|(_, a, b)| !a.eq_ignore_ascii_case(b)) {
            ImageResult::Mismatch
        } else if common.is_empty() {
            ImageResult::NoStoredHash
        } else {
            ImageResult::Match
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImageResult::Match => "match",
            ImageResult::Mismatch => "mismatch",
            ImageResult::NoStoredHash => "no-stored-hash",
        }
    }
}

/// Sectors the imager could not read from the source, as it recorded them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorRange {
    pub first_sector: u64,
    pub sectors: u64,
}

/// One image: its first file's bag path, format, media size, stored and
/// recomputed hashes, result, metadata and unreadable ranges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acquisition {
    /// The bag path of its first segment (`data/disk.E01`).
    pub path: String,
    /// `ewf` or `ewf2`.
    pub format: String,
    /// How many segment files make up the image (each sealed as a file).
    #[serde(default = "one")]
    pub segments: u64,
    /// Bytes of media data.
    pub media_size: u64,
    pub stored: MediaHashes,
    pub computed: MediaHashes,
    pub result: ImageResult,
    /// What the image says of its acquisition (case and evidence number,
    /// examiner, notes, software, dates), as the imager wrote it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    #[serde(default)]
    pub error_ranges: Vec<ErrorRange>,
}

fn one() -> u64 {
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(md5: Option<&str>, sha1: Option<&str>) -> MediaHashes {
        MediaHashes {
            md5: md5.map(str::to_string),
            sha1: sha1.map(str::to_string),
            sha256: None,
        }
    }

    #[test]
    fn the_result_compares_what_both_sides_know() {
        let computed = MediaHashes {
            md5: Some("aa".into()),
            sha1: Some("bb".into()),
            sha256: Some("cc".into()),
        };
        assert_eq!(
            ImageResult::judge(&hashes(Some("AA"), None), &computed, false),
            ImageResult::Match
        );
        assert_eq!(
            ImageResult::judge(&hashes(Some("aa"), Some("bx")), &computed, false),
            ImageResult::Mismatch
        );
        assert_eq!(
            ImageResult::judge(&hashes(None, None), &computed, false),
            ImageResult::NoStoredHash
        );
        assert_eq!(
            ImageResult::judge(&hashes(Some("aa"), None), &computed, true),
            ImageResult::Mismatch
        );
    }
}
