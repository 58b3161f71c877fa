//! Step 3 (part): the Merkle root of the payload, folded in as each file is hashed.

use std::collections::BTreeMap;

use crate::digest::Sha256Digest;
use crate::format::bag::{self, TagEncoding};
use crate::format::merkle::{self};
use crate::format::salt::MERKLE_SALTS_PATH;
use crate::format::seal::{SealStatement, SealVersion, SEAL_PATH};
use crate::limits::MAX_DOCUMENT_BYTES;
use crate::problem::{Problem, ProblemCode};

use super::{payload_index, Bits, Verification};

/// What the Merkle root check needs, prepared before the payload is hashed
/// so each leaf is folded in as its file is read (no digest is kept).
pub(super) enum MerklePlan {
    /// Not an exhibit bundle with a readable statement (or a disclosure).
    None,
    /// Leaves of this encoding; salts (format 2) aligned with the payload.
    Fold {
        encoding: merkle::LeafEncoding,
        salts: Option<Salts>,
    },
    /// Format 2, but the salts cannot be used: problems to report if the
    /// root would have been computed.
    NoSalts(Vec<Problem>),
}

/// `exhibit/merkle-salts.txt`, aligned with the payload.
pub(super) struct Salts {
    /// 32 bytes per payload file; empty when `streamed` (read again while
    /// hashing, like a streamed manifest).
    pub(super) salts: Vec<u8>,
    pub(super) streamed: bool,
    pub(super) present: Bits,
    /// Paths with a salt that are not payload files.
    pub(super) extra: Vec<String>,
}

impl Salts {
    /// The salt of payload file `index`; `window` holds those of a
    /// streamed file for the batch starting at `base`.
    pub(super) fn get<'s>(
        &'s self,
        index: usize,
        window: &'s [u8],
        base: usize,
    ) -> Option<&'s [u8; 32]> {
        if !self.present.get(index) {
            return None;
        }
        let (held, at) = if self.streamed {
            (window, index.checked_sub(base)? * 32)
        } else {
            (&self.salts[..], index * 32)
        };
        held.get(at..at + 32)?.try_into().ok()
    }
}

/// The outcome of folding the leaves while hashing.
pub(super) enum MerkleOutcome {
    Root(merkle::Hash),
    /// Some payload files could not be read.
    Unreadable,
    /// Files without a salt.
    Unsalted(Vec<String>),
    /// Salts unusable (problems reported when this is reached).
    NoSalts(Vec<Problem>),
}

impl Verification<'_> {
    /// Before hashing (exhibit bundles): the seal's leaf encoding and, for
    /// format 2, the salts, so each leaf is folded into the root as its
    /// file is read. Problems are only noted here; the seal checks read
    /// and report the statement and salts themselves.
    pub(super) fn prepare_merkle(&mut self) {
        if !self.is_exhibit() || self.is_disclosure() || !self.tags.contains_key(SEAL_PATH) {
            return;
        }
        let Some(statement) = self
            .read_tag(SEAL_PATH, MAX_DOCUMENT_BYTES)
            .and_then(|bytes| SealStatement::parse(&bytes).ok())
        else {
            return;
        };
        let encoding = statement.leaf_encoding();
        self.merkle_plan = match statement.version() {
            SealVersion::V1 => MerklePlan::Fold {
                encoding,
                salts: None,
            },
            SealVersion::V2 => match self
                .load_salts(true)
                .unwrap_or_else(|| self.load_salts(false).unwrap_or(Err(Vec::new())))
            {
                Ok(salts) => MerklePlan::Fold {
                    encoding,
                    salts: Some(salts),
                },
                Err(problems) => MerklePlan::NoSalts(problems),
            },
        };
    }

    /// `exhibit/merkle-salts.txt`, streamed, each salt at its file's index
    /// in the payload (`streamed`: not held, read again while hashing);
    /// `Err` with the problems (not yet reported) when it is missing,
    /// unreadable or malformed; `None` when `streamed` but its paths are
    /// not in payload order.
    pub(super) fn load_salts(&mut self, streamed: bool) -> Option<Result<Salts, Vec<Problem>>> {
        let name = MERKLE_SALTS_PATH;
        if !self.tags.contains_key(name) {
            return Some(Err(vec![Problem::new(
                ProblemCode::SealMissing,
                Some(name),
                "the salts of the Merkle leaves are missing",
            )]));
        }
        let payload = std::mem::take(&mut self.payload);
        let mut salts = Salts {
            salts: if streamed {
                Vec::new()
            } else {
                vec![0; 32 * payload.len()]
            },
            streamed,
            present: Bits::new(payload.len()),
            extra: Vec::new(),
        };
        // Lines kept to name a repeat, as the whole-file parser does.
        let mut lines: Vec<u32> = if streamed {
            Vec::new()
        } else {
            vec![0; payload.len()]
        };
        let mut extra_lines: BTreeMap<String, usize> = BTreeMap::new();
        let mut duplicate: Option<bag::BagError> = None;
        let (mut last, mut unsorted): (Option<String>, bool) = (None, false);
        let read = self.manifest_lines(name, 64, TagEncoding::Utf8, &mut |line| {
            if streamed {
                if unsorted || last.as_deref() >= Some(line.path.as_str()) {
                    unsorted = true;
                    return;
                }
                last = Some(line.path.clone());
                if let Some(i) = payload_index(&payload, &line.path) {
                    salts.present.set(i);
                } else {
                    extra_lines.insert(line.path, line.line);
                }
                return;
            }
            let first = match payload_index(&payload, &line.path) {
                Some(i) if !salts.present.get(i) => {
                    let slot = &mut salts.salts[i * 32..(i + 1) * 32];
                    let _ = hex::decode_to_slice(&line.digest, slot);
                    salts.present.set(i);
                    lines[i] = u32::try_from(line.line).unwrap_or(u32::MAX);
                    return;
                }
                Some(i) => lines[i] as usize,
                None => match extra_lines.get(&line.path) {
                    Some(first) => *first,
                    None => {
                        extra_lines.insert(line.path, line.line);
                        return;
                    }
                },
            };
            if duplicate.is_none() {
                duplicate = Some(bag::duplicate_entry(name, &line.path, line.line, first));
            }
        });
        self.payload = payload;
        // An unreadable file is reported by the seal's tag digest check.
        let Ok(parsed) = read else {
            return Some(Err(Vec::new()));
        };
        if unsorted {
            return None;
        }
        if let Err(e) = parsed.and(duplicate.map_or(Ok(()), Err)) {
            return Some(Err(vec![Problem::new(
                ProblemCode::SealInvalid,
                Some(name),
                e.to_string(),
            )]));
        }
        salts.extra = extra_lines.into_keys().collect();
        Some(Ok(salts))
    }

    /// After hashing: the root folded from every leaf, or why there is none.
    pub(super) fn fold_merkle_outcome(
        &mut self,
        all_read: bool,
        root: merkle::RootBuilder,
        unsalted: Vec<String>,
    ) {
        self.merkle = match std::mem::replace(&mut self.merkle_plan, MerklePlan::None) {
            MerklePlan::None => None,
            // Reported whether or not every file could be read: unreadable
            // files are reported as such, and the salts are broken anyway.
            MerklePlan::NoSalts(problems) => Some(MerkleOutcome::NoSalts(problems)),
            MerklePlan::Fold { salts, .. } if all_read => {
                for path in salts.map(|s| s.extra).unwrap_or_default() {
                    self.problem(
                        ProblemCode::SealInvalid,
                        Some(&path),
                        format!("{MERKLE_SALTS_PATH} has a salt for a file that is not in the bag"),
                    );
                }
                Some(if unsalted.is_empty() {
                    MerkleOutcome::Root(root.root())
                } else {
                    MerkleOutcome::Unsalted(unsalted)
                })
            }
            MerklePlan::Fold { .. } => Some(MerkleOutcome::Unreadable),
        };
    }

    /// The root folded while hashing against the one the statement signs.
    pub(super) fn check_merkle_root(&mut self, statement: &SealStatement) {
        match self.merkle.take() {
            Some(MerkleOutcome::Root(root)) => {
                let root = Sha256Digest(root);
                if root != statement.payload.merkle_root {
                    self.problem(
                        ProblemCode::SealMerkleMismatch,
                        Some(SEAL_PATH),
                        format!(
                            "payload Merkle root is {root}, the seal statement says {}",
                            statement.payload.merkle_root
                        ),
                    );
                }
            }
            Some(MerkleOutcome::Unreadable) => self.problem(
                ProblemCode::SealMerkleMismatch,
                Some(SEAL_PATH),
                "Merkle root not computed: payload files unreadable",
            ),
            Some(MerkleOutcome::Unsalted(paths)) => {
                for path in paths {
                    self.problem(
                        ProblemCode::SealMerkleMismatch,
                        Some(SEAL_PATH),
                        format!(
                            "Merkle root not computed: {MERKLE_SALTS_PATH} has no salt for {path:?}"
                        ),
                    );
                }
            }
            Some(MerkleOutcome::NoSalts(problems)) => self.report.problems.extend(problems),
            // The statement read before hashing is the one checked here.
            None => {}
        }
    }
}
