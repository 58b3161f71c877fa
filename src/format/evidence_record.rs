//! RFC 4998 Evidence Record (the ASN.1 module as RFC 9169 restates it),
//! stored as `exhibit/evidence-record.ers`: archive time-stamps over the
//! bundle's tag files, renewable for as long as the bundle is kept. Pure
//! bytes, no I/O: the tag files' digests come in, the time-stamp tokens
//! come from the caller (a TSA online, or a query answered later), and
//! checking a token's signature and trust is the caller's too.
//!
//! # What is hashed
//!
//! `H` is the chain's algorithm (SHA-256, SHA-384 or SHA-512); `‖` is
//! byte concatenation; a "list" is one `PartialHashtree`; "sorted" is
//! binary ascending order. The tag files are every file of the bundle that
//! is not under `data/` and is not the record itself. Chains and stamps are
//! numbered from 0.
//!
//! - **First stamp of chain 0** (RFC 4998 4.2): for each tag file
//!   `h_i = H(file bytes)`. The stamp's `reducedHashtree` is one list: the
//!   distinct `h_i`, sorted. The token covers `H(sorted h_i concatenated)`.
//!   `digestAlgorithm` [0] names `H`.
//! - **Time-stamp renewal** (RFC 4998 5.2): a stamp appended to the last
//!   chain, same `H`, no `reducedHashtree`. The token covers `H(T)`, where
//!   `T` is the DER of the previous stamp's `timeStamp` field (its
//!   ContentInfo, tag and length included, exactly as stored).
//! - **Hash-tree renewal** (RFC 4998 5.3): a new chain with algorithm `H`.
//!   `ha = H(S)`, where `S` is the DER of the whole
//!   `ArchiveTimeStampSequence` before the new chain (its own SEQUENCE tag
//!   and length included). For each tag file as it is now
//!   `h_i' = H(H(file bytes) ‖ ha)` (file hash first, no sorting: the prose
//!   of step 4, as third-party records are built). The new chain's first
//!   stamp is then made as chain 0's, over the `h_i'`.
//! - `digestAlgorithms` lists each algorithm used, in order of first use.
//!   Every stamp we write names its algorithm in `digestAlgorithm` [0],
//!   with absent parameters (RFC 5754).
//!
//! # What a check establishes
//!
//! [`check`] recomputes, for every chain, the digests of the tag files as
//! they are now (renewed with the `ha` of the chains before it); every hash
//! in a chain's first list must be one of them (one that is not is bytes
//! the bundle no longer holds), the list's hash (folded up any further
//! lists, RFC 4998 4.3) must be what the token covers, each later stamp
//! must cover the hash of the `timeStamp` before it, and genTimes never go
//! backwards. A tag file added after a chain was made is not covered; a
//! file counts as covered when every chain's first list holds it (RFC 4998
//! 5.3's verification: each chain must prove the object). Removing a chain
//! from the middle changes the `ha` of the next, whose first list then
//! matches nothing. Removing the last chain cannot be seen: what is left is
//! the record as it was before that renewal.
//!
//! We write no `cryptoInfos`, `encryptionInfo` or `attributes`; reading
//! accepts them (strict DER) and keeps them, unused.

use std::collections::{BTreeSet, HashMap};

use der::asn1::{AnyRef, ObjectIdentifier};
use der::{
    Any, Decode, DecodeValue, Encode, EncodeValue, FixedTag, Header, Length, Reader, Sequence, Tag,
    Tagged, Writer,
};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::{Attribute, Attributes};

use crate::tsp::HashAlgorithm;

/// Where the record is stored in a bundle.
pub const EVIDENCE_RECORD_PATH: &str = "exhibit/evidence-record.ers";

/// Most archive time-stamps a record may hold, over all its chains: a
/// renewal every year or two for centuries is a few hundred; each stamp is
/// a token to check, so a hostile record is refused rather than slow.
pub const MAX_STAMPS: usize = 1000;

/// Most hashes in one stamp's reduced hash tree: one per tag file, and a
/// bundle has at most a few hundred thousand (events, signatures, tokens).
pub const MAX_TREE_HASHES: usize = 10_000_000;

// ------------------------------------------------------- hash algorithm ---

/// A SHA-2 AlgorithmIdentifier as RFC 5754 says to write it: no parameters.
fn algorithm_identifier(algorithm: HashAlgorithm) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: algorithm.oid(),
        parameters: None,
    }
}

/// The algorithm an identifier names, with parameters absent or NULL (RFC
/// 5754 says to accept both).
fn read_algorithm(identifier: &AlgorithmIdentifierOwned) -> Result<HashAlgorithm, String> {
    let algorithm = HashAlgorithm::from_oid(&identifier.oid).ok_or_else(|| {
        format!(
            "digest algorithm {} is not SHA-256, SHA-384 or SHA-512",
            identifier.oid
        )
    })?;
    match &identifier.parameters {
        None => Ok(algorithm),
        Some(p) if p.tag() == Tag::Null && p.value().is_empty() => Ok(algorithm),
        Some(_) => Err(format!("{} with parameters", algorithm.name())),
    }
}

// ---------------------------------------------------------------- ASN.1 ---

/// One hash in a `PartialHashtree`: an OCTET STRING of a SHA-2 length, so
/// a hostile record cannot make decoding grow much beyond its own size.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct HashValue(Vec<u8>);

impl<'a> DecodeValue<'a> for HashValue {
    fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
        let len = usize::try_from(header.length)?;
        if !matches!(len, 32 | 48 | 64) {
            return Err(Tag::OctetString.length_error());
        }
        Ok(HashValue(reader.read_vec(header.length)?))
    }
}

impl EncodeValue for HashValue {
    fn value_len(&self) -> der::Result<Length> {
        Length::try_from(self.0.len())
    }
    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        writer.write(&self.0)
    }
}

impl FixedTag for HashValue {
    const TAG: Tag = Tag::OctetString;
}

/// A ContentInfo kept as its exact DER (tag and length included): a
/// renewal hashes these bytes, and the caller checks them as a token.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TokenDer(Vec<u8>);

impl<'a> Decode<'a> for TokenDer {
    fn decode<R: Reader<'a>>(reader: &mut R) -> der::Result<Self> {
        let element = AnyRef::decode(reader)?;
        if element.tag() != Tag::Sequence {
            return Err(element.tag().unexpected_error(Some(Tag::Sequence)));
        }
        Ok(TokenDer(element.to_der()?))
    }
}

impl Encode for TokenDer {
    fn encoded_len(&self) -> der::Result<Length> {
        Length::try_from(self.0.len())
    }
    fn encode(&self, writer: &mut impl Writer) -> der::Result<()> {
        writer.write(&self.0)
    }
}

/// `PartialHashtree ::= SEQUENCE OF OCTET STRING`
type PartialHashtree = Vec<HashValue>;

/// `EncryptionInfo` (RFC 4998 as RFC 9169 restates it); read and kept.
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
struct EncryptionInfo {
    encryption_info_type: ObjectIdentifier,
    encryption_info_value: Any,
}

/// `ArchiveTimeStamp`; the module is IMPLICIT TAGS. `time_stamp` is the
/// ContentInfo kept as its exact bytes: a renewal hashes them.
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
struct ArchiveTimeStamp {
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    digest_algorithm: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    attributes: Option<Attributes>,
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT", optional = "true")]
    reduced_hashtree: Option<Vec<PartialHashtree>>,
    time_stamp: TokenDer,
}

/// `ArchiveTimeStampChain ::= SEQUENCE OF ArchiveTimeStamp`
type ArchiveTimeStampChain = Vec<ArchiveTimeStamp>;

/// `EvidenceRecord`.
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
struct EvidenceRecordAsn {
    version: u8,
    digest_algorithms: Vec<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    crypto_infos: Option<Vec<Attribute>>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    encryption_info: Option<EncryptionInfo>,
    archive_time_stamp_sequence: Vec<ArchiveTimeStampChain>,
}

/// DER of an `ArchiveTimeStampSequence` holding these chains.
fn sequence_der(chains: &[ArchiveTimeStampChain]) -> Vec<u8> {
    let mut content = Vec::new();
    for chain in chains {
        chain
            .encode_to_vec(&mut content)
            .expect("a chain read or built here encodes");
    }
    AnyRef::new(Tag::Sequence, &content)
        .and_then(|any| any.to_der())
        .expect("a sequence within the length limits encodes")
}

// --------------------------------------------------------------- record ---

/// A parsed (or newly built) evidence record: at least one chain, each of
/// at least one stamp, every stamp's algorithm known and each token kept
/// as its exact DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRecord {
    asn: EvidenceRecordAsn,
    /// Each chain's algorithm.
    algorithms: Vec<HashAlgorithm>,
}

/// One chain, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainSummary<'a> {
    pub algorithm: HashAlgorithm,
    /// Each stamp's token: the DER of its ContentInfo.
    pub tokens: Vec<&'a [u8]>,
    /// How many hashes the first stamp's first list holds (the tag files
    /// the chain was made over, identical ones once).
    pub objects: usize,
}

impl EvidenceRecord {
    /// Reads a record: DER only (re-encoding must give the same bytes),
    /// version 1, SHA-2 algorithms, every token a ContentInfo, within
    /// [`MAX_STAMPS`] and [`MAX_TREE_HASHES`]. The file's size is capped by
    /// the caller.
    pub fn from_der(der: &[u8]) -> Result<EvidenceRecord, String> {
        let asn = EvidenceRecordAsn::from_der(der)
            .map_err(|e| format!("not a DER EvidenceRecord: {e}"))?;
        let record = EvidenceRecord::from_asn(asn)?;
        if record.to_der() != der {
            return Err("not a DER EvidenceRecord: it does not encode back to itself".into());
        }
        Ok(record)
    }

    /// The DER bytes to store.
    pub fn to_der(&self) -> Vec<u8> {
        self.asn
            .to_der()
            .expect("a record read or built here encodes")
    }

    /// Every stamp's token (the DER of its ContentInfo), chain by chain.
    pub fn tokens(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.asn
            .archive_time_stamp_sequence
            .iter()
            .flatten()
            .map(|s| s.time_stamp.0.as_slice())
    }

    /// Each chain's algorithm and tokens, in order.
    pub fn chains(&self) -> Vec<ChainSummary<'_>> {
        self.asn
            .archive_time_stamp_sequence
            .iter()
            .zip(&self.algorithms)
            .map(|(chain, algorithm)| ChainSummary {
                algorithm: *algorithm,
                tokens: chain.iter().map(|s| s.time_stamp.0.as_slice()).collect(),
                objects: chain[0]
                    .reduced_hashtree
                    .as_ref()
                    .and_then(|t| t.first())
                    .map_or(0, Vec::len),
            })
            .collect()
    }

    /// Checks what DER decoding cannot, and learns each chain's algorithm.
    fn from_asn(asn: EvidenceRecordAsn) -> Result<EvidenceRecord, String> {
        if asn.version != 1 {
            return Err(format!("version {}, not 1", asn.version));
        }
        let chains = &asn.archive_time_stamp_sequence;
        if chains.is_empty() {
            return Err("no archive time-stamp chain".into());
        }
        let stamps: usize = chains.iter().map(Vec::len).sum();
        if stamps > MAX_STAMPS {
            return Err(format!(
                "{stamps} archive time-stamps; a record holds at most {MAX_STAMPS}"
            ));
        }
        let mut algorithms = Vec::with_capacity(chains.len());
        for (c, chain) in chains.iter().enumerate() {
            let Some(first) = chain.first() else {
                return Err(format!("chain {c} holds no archive time-stamp"));
            };
            // RFC 4998 4.1 would take an absent algorithm from the token's
            // imprint; every record exhibit reads names it instead.
            let algorithm = match &first.digest_algorithm {
                Some(identifier) => {
                    read_algorithm(identifier).map_err(|e| format!("chain {c} stamp 0: {e}"))?
                }
                None => return Err(format!("chain {c} stamp 0 names no digest algorithm")),
            };
            if !asn
                .digest_algorithms
                .iter()
                .any(|a| a.oid == algorithm.oid())
            {
                return Err(format!(
                    "chain {c} uses {}, which digestAlgorithms does not list",
                    algorithm.name()
                ));
            }
            for (s, stamp) in chain.iter().enumerate() {
                let at = |e: String| format!("chain {c} stamp {s}: {e}");
                if let Some(identifier) = &stamp.digest_algorithm {
                    if read_algorithm(identifier).map_err(at)? != algorithm {
                        return Err(at(format!(
                            "its digest algorithm is not the chain's ({})",
                            algorithm.name()
                        )));
                    }
                }
                check_token_syntax(&stamp.time_stamp.0).map_err(at)?;
                if let Some(tree) = &stamp.reduced_hashtree {
                    check_tree_syntax(tree, algorithm).map_err(at)?;
                }
            }
            if first.reduced_hashtree.is_none() {
                return Err(format!(
                    "chain {c} stamp 0 has no reduced hash tree: exhibit's records time-stamp a list of the tag files"
                ));
            }
            algorithms.push(algorithm);
        }
        Ok(EvidenceRecord { asn, algorithms })
    }
}

/// A token is a DER ContentInfo (its signature is the caller's to check).
fn check_token_syntax(der: &[u8]) -> Result<(), String> {
    let info = cms::content_info::ContentInfo::from_der(der)
        .map_err(|e| format!("timeStamp is not a DER ContentInfo: {e}"))?;
    match info.to_der() {
        Ok(again) if again == der => Ok(()),
        _ => Err("timeStamp is not a DER ContentInfo".into()),
    }
}

/// Every list non-empty, every hash of the chain's length, the whole tree
/// within [`MAX_TREE_HASHES`].
fn check_tree_syntax(tree: &[PartialHashtree], algorithm: HashAlgorithm) -> Result<(), String> {
    if tree.is_empty() {
        return Err("an empty reduced hash tree".into());
    }
    let total: usize = tree.iter().map(Vec::len).sum();
    if total > MAX_TREE_HASHES {
        return Err(format!(
            "{total} hashes in the reduced hash tree; at most {MAX_TREE_HASHES} are read"
        ));
    }
    let len = algorithm.digest_len();
    for (l, list) in tree.iter().enumerate() {
        if list.is_empty() {
            return Err(format!("list {l} of the reduced hash tree is empty"));
        }
        if list.iter().any(|h| h.0.len() != len) {
            return Err(format!(
                "list {l} of the reduced hash tree holds a hash that is not {len} bytes ({})",
                algorithm.name()
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- trees ---

/// The hash of one list: its hashes sorted, concatenated, hashed (RFC 4998
/// 4.2 step 4, 4.3 step 3). Repeated hashes count as often as they appear.
fn list_hash(algorithm: HashAlgorithm, list: &[HashValue]) -> Vec<u8> {
    let mut sorted: Vec<&[u8]> = list.iter().map(|h| h.0.as_slice()).collect();
    sorted.sort_unstable();
    algorithm.digest(&sorted.concat())
}

/// The root a reduced hash tree proves (RFC 4998 4.3 step 3): each list's
/// hash must be in the next list; the last list's hash is the root.
fn tree_root(algorithm: HashAlgorithm, tree: &[PartialHashtree]) -> Result<Vec<u8>, String> {
    let mut root = list_hash(algorithm, &tree[0]);
    for (l, list) in tree.iter().enumerate().skip(1) {
        if !list.iter().any(|h| h.0 == root) {
            return Err(format!(
                "list {l} of the reduced hash tree does not hold the hash of list {}",
                l - 1
            ));
        }
        root = list_hash(algorithm, list);
    }
    Ok(root)
}

/// `ha` of a new chain: the hash of every chain before it, as one DER
/// `ArchiveTimeStampSequence`.
fn sequence_hash(algorithm: HashAlgorithm, before: &[ArchiveTimeStampChain]) -> Vec<u8> {
    algorithm.digest(&sequence_der(before))
}

/// A tag file's hash as a chain lists it: itself for chain 0, `H(h ‖ ha)`
/// after a hash-tree renewal.
fn renewed(algorithm: HashAlgorithm, digest: &[u8], ha: Option<&[u8]>) -> Vec<u8> {
    match ha {
        None => digest.to_vec(),
        Some(ha) => algorithm.digest(&[digest, ha].concat()),
    }
}

// ------------------------------------------------------------- building ---

/// What to time-stamp next, and what the answer completes. `imprint` is
/// the message imprint to ask a TSA for, with `algorithm`.
#[derive(Debug, Clone)]
pub struct Pending {
    pub algorithm: HashAlgorithm,
    pub imprint: Vec<u8>,
    /// The record so far (`None` for a new one).
    base: Option<EvidenceRecordAsn>,
    /// The reduced hash tree of the new stamp (none for a time-stamp renewal).
    tree: Option<Vec<PartialHashtree>>,
    /// The stamp starts a new chain.
    new_chain: bool,
}

/// The first stamp's list over these digests: distinct, sorted.
fn first_list(algorithm: HashAlgorithm, objects: &[Vec<u8>]) -> Result<PartialHashtree, String> {
    if objects.is_empty() {
        return Err("no tag file to time-stamp".into());
    }
    if objects.len() > MAX_TREE_HASHES {
        return Err(format!(
            "{} tag files; a record lists at most {MAX_TREE_HASHES}",
            objects.len()
        ));
    }
    let len = algorithm.digest_len();
    if let Some(bad) = objects.iter().find(|o| o.len() != len) {
        return Err(format!(
            "a digest of {} bytes given for {} ({len} bytes)",
            bad.len(),
            algorithm.name()
        ));
    }
    let set: BTreeSet<&Vec<u8>> = objects.iter().collect();
    Ok(set.into_iter().map(|h| HashValue(h.clone())).collect())
}

/// A new record over the tag files whose `algorithm` digests are `objects`.
pub fn start(algorithm: HashAlgorithm, objects: &[Vec<u8>]) -> Result<Pending, String> {
    let list = first_list(algorithm, objects)?;
    Ok(Pending {
        algorithm,
        imprint: list_hash(algorithm, &list),
        base: None,
        tree: Some(vec![list]),
        new_chain: true,
    })
}

/// Time-stamp renewal (RFC 4998 5.2): a stamp over the last stamp's token,
/// appended to the last chain, with that chain's algorithm.
pub fn renew_time_stamp(record: &EvidenceRecord) -> Pending {
    let algorithm = *record.algorithms.last().expect("a record has a chain");
    let last = record
        .asn
        .archive_time_stamp_sequence
        .last()
        .and_then(|chain| chain.last())
        .expect("a chain has a stamp");
    Pending {
        algorithm,
        imprint: algorithm.digest(&last.time_stamp.0),
        base: Some(record.asn.clone()),
        tree: None,
        new_chain: false,
    }
}

/// Hash-tree renewal (RFC 4998 5.3): a new chain with `algorithm` over the
/// tag files as they are now (`objects`: their `algorithm` digests), each
/// bound to the whole record so far.
pub fn renew_hash_tree(
    record: &EvidenceRecord,
    algorithm: HashAlgorithm,
    objects: &[Vec<u8>],
) -> Result<Pending, String> {
    let ha = sequence_hash(algorithm, &record.asn.archive_time_stamp_sequence);
    // Lengths are checked by first_list; a wrong one would only renew to
    // a hash of the right length, so check before renewing.
    first_list(algorithm, objects)?;
    let renewed: Vec<Vec<u8>> = objects
        .iter()
        .map(|h| renewed(algorithm, h, Some(&ha)))
        .collect();
    let list = first_list(algorithm, &renewed)?;
    Ok(Pending {
        algorithm,
        imprint: list_hash(algorithm, &list),
        base: Some(record.asn.clone()),
        tree: Some(vec![list]),
        new_chain: true,
    })
}

impl Pending {
    /// Adds the token (a DER ContentInfo, an RFC 3161 TimeStampToken) the
    /// TSA gave for `imprint`. The token is not checked here beyond its
    /// syntax: that is [`check`]'s `check_token`.
    pub fn complete(self, token_der: Vec<u8>) -> Result<EvidenceRecord, String> {
        check_token_syntax(&token_der)?;
        let time_stamp = TokenDer(token_der);
        let stamp = ArchiveTimeStamp {
            digest_algorithm: Some(algorithm_identifier(self.algorithm)),
            attributes: None,
            reduced_hashtree: self.tree,
            time_stamp,
        };
        let mut asn = self.base.unwrap_or(EvidenceRecordAsn {
            version: 1,
            digest_algorithms: Vec::new(),
            crypto_infos: None,
            encryption_info: None,
            archive_time_stamp_sequence: Vec::new(),
        });
        if !asn
            .digest_algorithms
            .iter()
            .any(|a| a.oid == self.algorithm.oid())
        {
            asn.digest_algorithms
                .push(algorithm_identifier(self.algorithm));
        }
        let chains = &mut asn.archive_time_stamp_sequence;
        match chains.last_mut() {
            Some(chain) if !self.new_chain => chain.push(stamp),
            _ => chains.push(vec![stamp]),
        }
        let record = EvidenceRecord::from_asn(asn)?;
        // What is written must read back as itself.
        EvidenceRecord::from_der(&record.to_der())
    }
}

// ------------------------------------------------------------- checking ---

/// One archive time-stamp that holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StampCheck {
    pub chain: usize,
    pub stamp: usize,
    pub algorithm: HashAlgorithm,
    /// What its token covers.
    pub imprint: Vec<u8>,
    /// The token's genTime, in Unix seconds, as `check_token` read it.
    pub gen_time: i64,
}

/// What a sound record proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordCheck {
    /// Every stamp, in order.
    pub stamps: Vec<StampCheck>,
    /// The tag files every chain's first list holds, in the order
    /// `digests_of` gave them for the first chain's algorithm.
    pub covered: Vec<String>,
}

/// Why a record does not hold. Chains and stamps are numbered from 0.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// A hash in a chain's first list is no tag file as it is now.
    #[error(
        "chain {chain} stamp {stamp}: the evidence record covers bytes that are not in the bundle ({algorithm} {prefix}…)"
    )]
    NotInBundle {
        chain: usize,
        stamp: usize,
        algorithm: &'static str,
        prefix: String,
    },
    /// A hash-tree renewal's first list matches no tag file bound to the
    /// chains before it.
    #[error(
        "chain {chain}: its first list matches no tag file renewed over the chains before it: a chain before it was removed or changed"
    )]
    ChainLink { chain: usize },
    /// The reduced hash tree does not lead where it must.
    #[error("chain {chain} stamp {stamp}: {reason}")]
    Tree {
        chain: usize,
        stamp: usize,
        reason: String,
    },
    /// `check_token` refused the token.
    #[error("chain {chain} stamp {stamp}: the time-stamp token does not hold: {reason}")]
    Token {
        chain: usize,
        stamp: usize,
        reason: String,
    },
    /// A stamp is older than the one before it.
    #[error(
        "chain {chain} stamp {stamp}: genTime {gen_time} is before genTime {previous} of the stamp before it"
    )]
    TimeBackwards {
        chain: usize,
        stamp: usize,
        gen_time: i64,
        previous: i64,
    },
}

/// Each tag file's name and digest with one algorithm.
pub type TagDigests = Vec<(String, Vec<u8>)>;

/// Checks a token (the DER of its ContentInfo): its signature, its trust,
/// and that it covers this imprint with this algorithm; gives its genTime
/// in Unix seconds.
pub type CheckToken<'a> = dyn FnMut(&[u8], HashAlgorithm, &[u8]) -> Result<i64, String> + 'a;

/// Checks the record against the tag files as they are now.
/// `digests_of(H)` gives each tag file's name and `H` digest (not the
/// record itself, nothing under `data/`); it is asked once per algorithm.
/// `check_token(token, H, imprint)` checks a token's signature and trust
/// and that it covers `imprint` with `H`, and returns its genTime (Unix
/// seconds).
pub fn check(
    record: &EvidenceRecord,
    digests_of: &dyn Fn(HashAlgorithm) -> TagDigests,
    check_token: &mut CheckToken<'_>,
) -> Result<RecordCheck, RecordError> {
    let chains = &record.asn.archive_time_stamp_sequence;
    let mut files: Vec<(HashAlgorithm, TagDigests)> = Vec::new();
    let mut stamps = Vec::new();
    let mut covered: Option<(Vec<String>, BTreeSet<String>)> = None;
    let mut previous_time: Option<i64> = None;
    for (c, (chain, &algorithm)) in chains.iter().zip(&record.algorithms).enumerate() {
        if !files.iter().any(|(a, _)| *a == algorithm) {
            files.push((algorithm, digests_of(algorithm)));
        }
        let digests = &files
            .iter()
            .find(|(a, _)| *a == algorithm)
            .expect("just added")
            .1;
        let ha = (c > 0).then(|| sequence_hash(algorithm, &chains[..c]));
        let mut by_hash: HashMap<Vec<u8>, Vec<&str>> = HashMap::new();
        for (name, digest) in digests {
            by_hash
                .entry(renewed(algorithm, digest, ha.as_deref()))
                .or_default()
                .push(name);
        }
        let mut previous_token: Option<&[u8]> = None;
        for (s, stamp) in chain.iter().enumerate() {
            let tree_error = |reason: String| RecordError::Tree {
                chain: c,
                stamp: s,
                reason,
            };
            let imprint = match (previous_token, &stamp.reduced_hashtree) {
                (None, Some(tree)) => {
                    let mut names = BTreeSet::new();
                    let mut stray = None;
                    for hash in &tree[0] {
                        match by_hash.get(&hash.0) {
                            Some(found) => names.extend(found.iter().map(|n| n.to_string())),
                            None => stray = stray.or(Some(&hash.0)),
                        }
                    }
                    if names.is_empty() && c > 0 {
                        return Err(RecordError::ChainLink { chain: c });
                    }
                    if let Some(stray) = stray {
                        return Err(RecordError::NotInBundle {
                            chain: c,
                            stamp: s,
                            algorithm: algorithm.name(),
                            prefix: hex::encode(&stray[..8]),
                        });
                    }
                    covered = Some(match covered.take() {
                        None => {
                            let order = digests
                                .iter()
                                .map(|(n, _)| n.clone())
                                .filter(|n| names.contains(n))
                                .collect();
                            (order, names)
                        }
                        Some((order, so_far)) => {
                            (order, so_far.intersection(&names).cloned().collect())
                        }
                    });
                    tree_root(algorithm, tree).map_err(tree_error)?
                }
                (None, None) => unreachable!("from_asn refuses a first stamp without a tree"),
                (Some(token), tree) => {
                    let hash = algorithm.digest(token);
                    match tree {
                        None => hash,
                        Some(tree) => {
                            if !tree[0].iter().any(|h| h.0 == hash) {
                                return Err(tree_error(format!(
                                    "its first list does not hold the hash of stamp {}'s time-stamp",
                                    s - 1
                                )));
                            }
                            tree_root(algorithm, tree).map_err(tree_error)?
                        }
                    }
                }
            };
            let token = stamp.time_stamp.0.as_slice();
            let gen_time =
                check_token(token, algorithm, &imprint).map_err(|reason| RecordError::Token {
                    chain: c,
                    stamp: s,
                    reason,
                })?;
            if let Some(previous) = previous_time {
                if gen_time < previous {
                    return Err(RecordError::TimeBackwards {
                        chain: c,
                        stamp: s,
                        gen_time,
                        previous,
                    });
                }
            }
            previous_time = Some(gen_time);
            previous_token = Some(token);
            stamps.push(StampCheck {
                chain: c,
                stamp: s,
                algorithm,
                imprint,
                gen_time,
            });
        }
    }
    let covered = match covered {
        Some((order, names)) => order.into_iter().filter(|n| names.contains(n)).collect(),
        None => Vec::new(),
    };
    Ok(RecordCheck { stamps, covered })
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::asn1::OctetString;
    use proptest::prelude::*;

    /// `id-data`: the fake tokens' content type.
    const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");

    /// A stand-in token: a ContentInfo whose content says what it covers
    /// and when (tokens are not verified here).
    fn token(algorithm: HashAlgorithm, imprint: &[u8], gen_time: i64) -> Vec<u8> {
        let mut said = algorithm.name().as_bytes().to_vec();
        said.push(b'|');
        said.extend_from_slice(&gen_time.to_be_bytes());
        said.extend_from_slice(imprint);
        let content = Any::encode_from(&OctetString::new(said).unwrap()).unwrap();
        cms::content_info::ContentInfo {
            content_type: ID_DATA,
            content,
        }
        .to_der()
        .unwrap()
    }

    /// Accepts a stand-in token when it covers `imprint` with `algorithm`.
    fn fake_check(token: &[u8], algorithm: HashAlgorithm, imprint: &[u8]) -> Result<i64, String> {
        let info = cms::content_info::ContentInfo::from_der(token).map_err(|e| e.to_string())?;
        let said = info
            .content
            .decode_as::<OctetString>()
            .map_err(|e| e.to_string())?;
        let said = said.as_bytes();
        let name = algorithm.name().as_bytes();
        let rest = said
            .strip_prefix(name)
            .and_then(|r| r.strip_prefix(b"|"))
            .ok_or("another algorithm")?;
        let (time, covered) = rest.split_at(8);
        if covered != imprint {
            return Err("covers another imprint".into());
        }
        Ok(i64::from_be_bytes(time.try_into().unwrap()))
    }

    type Files = Vec<(String, Vec<u8>)>;

    fn files(list: &[(&str, &str)]) -> Files {
        list.iter()
            .map(|(n, c)| (n.to_string(), c.as_bytes().to_vec()))
            .collect()
    }

    fn bundle() -> Files {
        files(&[
            ("bagit.txt", "BagIt-Version: 1.0\n"),
            ("bag-info.txt", "Source-Organization: lab\n"),
            ("manifest-sha256.txt", "00 data/a\n"),
            ("exhibit/seal.json", "{}"),
        ])
    }

    fn digests(files: &Files, algorithm: HashAlgorithm) -> Vec<Vec<u8>> {
        files.iter().map(|(_, c)| algorithm.digest(c)).collect()
    }

    fn complete(pending: Pending, gen_time: i64) -> EvidenceRecord {
        let token = token(pending.algorithm, &pending.imprint, gen_time);
        pending.complete(token).unwrap()
    }

    fn run(record: &EvidenceRecord, files: &Files) -> Result<RecordCheck, RecordError> {
        let digests_of = |algorithm: HashAlgorithm| {
            files
                .iter()
                .map(|(n, c)| (n.clone(), algorithm.digest(c)))
                .collect()
        };
        check(record, &digests_of, &mut fake_check)
    }

    /// start, time-stamp renewal, hash-tree renewal to SHA-512.
    fn renewed_record(files: &Files) -> EvidenceRecord {
        let first = complete(
            start(
                HashAlgorithm::Sha256,
                &digests(files, HashAlgorithm::Sha256),
            )
            .unwrap(),
            100,
        );
        let second = complete(renew_time_stamp(&first), 200);
        complete(
            renew_hash_tree(
                &second,
                HashAlgorithm::Sha512,
                &digests(files, HashAlgorithm::Sha512),
            )
            .unwrap(),
            300,
        )
    }

    fn names(files: &Files) -> Vec<String> {
        files.iter().map(|(n, _)| n.clone()).collect()
    }

    #[test]
    fn builds_renews_and_checks() {
        let files = bundle();
        let record = renewed_record(&files);
        let checked = run(&record, &files).unwrap();
        assert_eq!(checked.covered, names(&files));
        let shape: Vec<_> = checked
            .stamps
            .iter()
            .map(|s| (s.chain, s.stamp, s.algorithm, s.gen_time))
            .collect();
        assert_eq!(
            shape,
            [
                (0, 0, HashAlgorithm::Sha256, 100),
                (0, 1, HashAlgorithm::Sha256, 200),
                (1, 0, HashAlgorithm::Sha512, 300),
            ]
        );
        let chains = record.chains();
        assert_eq!(chains.len(), 2);
        assert_eq!(chains[0].tokens.len(), 2);
        assert_eq!(chains[0].objects, 4);
        assert_eq!(chains[1].algorithm, HashAlgorithm::Sha512);
        assert_eq!(
            record
                .asn
                .digest_algorithms
                .iter()
                .map(|a| a.oid)
                .collect::<Vec<_>>(),
            [HashAlgorithm::Sha256.oid(), HashAlgorithm::Sha512.oid()]
        );
    }

    #[test]
    fn the_hashes_are_the_documented_ones() {
        let files = bundle();
        let record = renewed_record(&files);
        let stamps = run(&record, &files).unwrap().stamps;
        let sha256 = HashAlgorithm::Sha256;
        let sha512 = HashAlgorithm::Sha512;
        let mut list = digests(&files, sha256);
        list.sort();
        assert_eq!(stamps[0].imprint, sha256.digest(&list.concat()));
        let chain = &record.asn.archive_time_stamp_sequence[0];
        assert_eq!(stamps[1].imprint, sha256.digest(&chain[0].time_stamp.0));
        let ha = sha512.digest(&sequence_der(&record.asn.archive_time_stamp_sequence[..1]));
        let mut list: Vec<Vec<u8>> = digests(&files, sha512)
            .iter()
            .map(|h| sha512.digest(&[h.as_slice(), &ha].concat()))
            .collect();
        list.sort();
        assert_eq!(stamps[2].imprint, sha512.digest(&list.concat()));
        // The sequence's DER is the record's own bytes for it.
        let der = record.to_der();
        let whole = sequence_der(&record.asn.archive_time_stamp_sequence);
        assert!(der.ends_with(&whole));
    }

    #[test]
    fn tags_are_implicit() {
        let record = renewed_record(&bundle());
        let der = record.to_der();
        // [0] digestAlgorithm: A0, then the OID itself (no inner SEQUENCE).
        let sha256 = [
            0xa0, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        ];
        assert!(der.windows(sha256.len()).any(|w| w == sha256));
        // [2] reducedHashtree: A2 (a long length: 4 hashes), then a
        // PartialHashtree (SEQUENCE).
        assert!(der
            .windows(4)
            .any(|w| w[..2] == [0xa2, 0x81] && w[3] == 0x30));
    }

    #[test]
    fn round_trips() {
        let record = renewed_record(&bundle());
        let der = record.to_der();
        assert_eq!(EvidenceRecord::from_der(&der).unwrap(), record);
        assert_eq!(EvidenceRecord::from_der(&der).unwrap().to_der(), der);
    }

    #[test]
    fn same_content_twice_is_listed_once_and_both_are_covered() {
        let files = files(&[("a.txt", "same"), ("b.txt", "same"), ("c.txt", "other")]);
        let record = renewed_record(&files);
        assert_eq!(record.chains()[0].objects, 2);
        assert_eq!(run(&record, &files).unwrap().covered, names(&files));
    }

    #[test]
    fn a_changed_file_fails() {
        let mut files = bundle();
        let record = renewed_record(&files);
        files[2].1.push(b'x');
        let error = run(&record, &files).unwrap_err();
        assert!(
            matches!(
                error,
                RecordError::NotInBundle {
                    chain: 0,
                    stamp: 0,
                    ..
                }
            ),
            "{error}"
        );
        assert!(error.to_string().contains("not in the bundle"), "{error}");
    }

    #[test]
    fn a_removed_file_fails() {
        let mut files = bundle();
        let record = renewed_record(&files);
        files.remove(1);
        let error = run(&record, &files).unwrap_err();
        assert!(
            matches!(error, RecordError::NotInBundle { chain: 0, .. }),
            "{error}"
        );
    }

    #[test]
    fn an_added_file_is_not_covered() {
        let mut files = bundle();
        let record = renewed_record(&files);
        files.push(("exhibit/custody/000001.json".into(), b"{}x".to_vec()));
        let checked = run(&record, &files).unwrap();
        assert_eq!(checked.covered, names(&files)[..4]);
    }

    #[test]
    fn a_file_dropped_by_a_renewal_is_not_covered() {
        let files = bundle();
        let first = complete(
            start(
                HashAlgorithm::Sha256,
                &digests(&files, HashAlgorithm::Sha256),
            )
            .unwrap(),
            1,
        );
        let fewer = &digests(&files, HashAlgorithm::Sha384)[1..];
        let record = complete(
            renew_hash_tree(&first, HashAlgorithm::Sha384, fewer).unwrap(),
            2,
        );
        assert_eq!(run(&record, &files).unwrap().covered, names(&files)[1..]);
    }

    #[test]
    fn an_extra_hash_fails() {
        let files = bundle();
        let mut record = renewed_record(&files);
        let list = &mut record.asn.archive_time_stamp_sequence[0][0]
            .reduced_hashtree
            .as_mut()
            .unwrap()[0];
        list.push(HashValue(vec![7; 32]));
        list.sort();
        let error = run(&record, &files).unwrap_err();
        assert_eq!(
            error,
            RecordError::NotInBundle {
                chain: 0,
                stamp: 0,
                algorithm: "sha256",
                prefix: "0707070707070707".into()
            }
        );
    }

    #[test]
    fn a_chain_removed_from_the_middle_fails() {
        let files = bundle();
        let record = renewed_record(&files);
        let third = complete(
            renew_hash_tree(
                &record,
                HashAlgorithm::Sha384,
                &digests(&files, HashAlgorithm::Sha384),
            )
            .unwrap(),
            400,
        );
        assert_eq!(run(&third, &files).unwrap().stamps.len(), 4);
        let mut asn = third.asn.clone();
        asn.archive_time_stamp_sequence.remove(1);
        let cut = EvidenceRecord::from_der(&asn.to_der().unwrap()).unwrap();
        assert_eq!(
            run(&cut, &files).unwrap_err(),
            RecordError::ChainLink { chain: 1 }
        );
    }

    #[test]
    fn reordered_stamps_fail() {
        let files = bundle();
        let record = renewed_record(&files);
        let record = complete(renew_time_stamp(&record), 500);
        // Chain 1 now holds two stamps; swap them.
        let mut asn = record.asn.clone();
        asn.archive_time_stamp_sequence[0].swap(0, 1);
        assert!(EvidenceRecord::from_der(&asn.to_der().unwrap()).is_err());
        let record = complete(
            renew_time_stamp(&complete(renew_time_stamp(&record), 600)),
            700,
        );
        let mut asn = record.asn.clone();
        asn.archive_time_stamp_sequence[1].swap(1, 2);
        let swapped = EvidenceRecord::from_der(&asn.to_der().unwrap()).unwrap();
        let error = run(&swapped, &files).unwrap_err();
        assert!(
            matches!(
                error,
                RecordError::Token {
                    chain: 1,
                    stamp: 1,
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn time_going_backwards_fails() {
        let files = bundle();
        let first = complete(
            start(
                HashAlgorithm::Sha256,
                &digests(&files, HashAlgorithm::Sha256),
            )
            .unwrap(),
            100,
        );
        let record = complete(renew_time_stamp(&first), 99);
        assert_eq!(
            run(&record, &files).unwrap_err(),
            RecordError::TimeBackwards {
                chain: 0,
                stamp: 1,
                gen_time: 99,
                previous: 100
            }
        );
    }

    #[test]
    fn a_refused_token_is_named() {
        let files = bundle();
        let record = renewed_record(&files);
        let digests_of = |algorithm: HashAlgorithm| {
            files
                .iter()
                .map(|(n, c)| (n.clone(), algorithm.digest(c)))
                .collect()
        };
        let mut seen = 0;
        let mut refuse_second = |t: &[u8], a: HashAlgorithm, i: &[u8]| {
            seen += 1;
            if seen == 2 {
                return Err("untrusted TSA".to_string());
            }
            fake_check(t, a, i)
        };
        let error = check(&record, &digests_of, &mut refuse_second).unwrap_err();
        assert_eq!(
            error.to_string(),
            "chain 0 stamp 1: the time-stamp token does not hold: untrusted TSA"
        );
    }

    #[test]
    fn truncated_or_non_der_records_are_refused() {
        let der = renewed_record(&bundle()).to_der();
        for len in 0..der.len() {
            assert!(EvidenceRecord::from_der(&der[..len]).is_err(), "{len}");
        }
        let mut longer = der.clone();
        longer.push(0);
        assert!(EvidenceRecord::from_der(&longer).is_err());
        // The outer length in a longer form than needed.
        assert_eq!(der[1], 0x82);
        let mut long_form = vec![0x30, 0x83, 0x00];
        long_form.extend_from_slice(&der[2..]);
        assert!(EvidenceRecord::from_der(&long_form).is_err());
    }

    #[test]
    fn structural_rules_are_enforced() {
        let record = renewed_record(&bundle());
        let reject = |asn: EvidenceRecordAsn, what: &str| {
            let error = EvidenceRecord::from_der(&asn.to_der().unwrap()).unwrap_err();
            assert!(error.contains(what), "{error} (wanted {what})");
        };
        let mut asn = record.asn.clone();
        asn.version = 2;
        reject(asn, "version 2");
        let mut asn = record.asn.clone();
        asn.digest_algorithms.pop();
        reject(asn, "digestAlgorithms does not list");
        let mut asn = record.asn.clone();
        asn.archive_time_stamp_sequence[0][1].digest_algorithm =
            Some(algorithm_identifier(HashAlgorithm::Sha384));
        reject(asn, "not the chain's");
        let mut asn = record.asn.clone();
        asn.archive_time_stamp_sequence[1][0].digest_algorithm = None;
        reject(asn, "names no digest algorithm");
        let mut asn = record.asn.clone();
        asn.archive_time_stamp_sequence[1][0]
            .reduced_hashtree
            .as_mut()
            .unwrap()[0][0] = HashValue(vec![1; 32]);
        reject(asn, "not 64 bytes");
        let mut asn = record.asn.clone();
        asn.archive_time_stamp_sequence.push(Vec::new());
        reject(asn, "chain 2 holds no archive time-stamp");
        let mut asn = record.asn.clone();
        asn.archive_time_stamp_sequence[0][0].time_stamp = TokenDer(vec![0x30, 0x00]);
        reject(asn, "not a DER ContentInfo");
        let mut asn = record.asn.clone();
        asn.archive_time_stamp_sequence[0][0].digest_algorithm = Some(AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap("1.3.14.3.2.26"),
            parameters: None,
        });
        reject(asn, "not SHA-256, SHA-384 or SHA-512");
    }

    #[test]
    fn foreign_optional_fields_are_read_and_ignored() {
        let files = bundle();
        let record = complete(
            start(
                HashAlgorithm::Sha256,
                &digests(&files, HashAlgorithm::Sha256),
            )
            .unwrap(),
            1,
        );
        let mut asn = record.asn.clone();
        let attribute = Attribute {
            oid: ID_DATA,
            values: der::asn1::SetOfVec::try_from(vec![Any::null()]).unwrap(),
        };
        asn.crypto_infos = Some(vec![attribute.clone()]);
        asn.encryption_info = Some(EncryptionInfo {
            encryption_info_type: ID_DATA,
            encryption_info_value: Any::null(),
        });
        asn.archive_time_stamp_sequence[0][0].attributes =
            Some(der::asn1::SetOfVec::try_from(vec![attribute]).unwrap());
        asn.digest_algorithms[0].parameters = Some(Any::null());
        let der = asn.to_der().unwrap();
        let read = EvidenceRecord::from_der(&der).unwrap();
        assert_eq!(read.to_der(), der);
        assert_eq!(run(&read, &files).unwrap().covered, names(&files));
        // And a renewal keeps them.
        let renewed = complete(renew_time_stamp(&read), 2);
        assert!(renewed.asn.crypto_infos.is_some());
        assert_eq!(run(&renewed, &files).unwrap().stamps.len(), 2);
    }

    #[test]
    fn building_refuses_what_cannot_be_read() {
        assert!(start(HashAlgorithm::Sha256, &[]).is_err());
        assert!(start(HashAlgorithm::Sha256, &[vec![0; 48]]).is_err());
        let pending = start(HashAlgorithm::Sha256, &[vec![0; 32]]).unwrap();
        assert!(pending.clone().complete(b"\x04\x00".to_vec()).is_err());
        assert!(pending.complete(b"\x30\x00".to_vec()).is_err());
    }

    /// Writes a folder bundle with a renewed record (stand-in tokens) to
    /// `$EVIDENCE_RECORD_SAMPLE`, for `contrib/check-evidence-record.py`, and
    /// the lines it must print to `$EVIDENCE_RECORD_SAMPLE.expected`.
    #[test]
    #[ignore]
    fn write_sample_bundle() {
        let root = std::path::PathBuf::from(
            std::env::var_os("EVIDENCE_RECORD_SAMPLE").expect("EVIDENCE_RECORD_SAMPLE"),
        );
        let mut files = bundle();
        files.push(("tagmanifest-sha256.txt".into(), b"00 bagit.txt\n".to_vec()));
        let record = renewed_record(&files);
        let record = complete(renew_time_stamp(&record), 400);
        files.push(("data/payload.bin".into(), b"not a tag file".to_vec()));
        files.push((EVIDENCE_RECORD_PATH.into(), record.to_der()));
        for (name, content) in &files {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
        // What the script must print, beside the folder.
        let expected: String = run(&record, &files[..5].to_vec())
            .unwrap()
            .stamps
            .iter()
            .map(|s| {
                format!(
                    "chain {} stamp {} {} {}\n",
                    s.chain,
                    s.stamp,
                    s.algorithm,
                    hex::encode(&s.imprint)
                )
            })
            .collect();
        std::fs::write(root.with_extension("expected"), expected).unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Over any distinct file contents: start, renew both ways and
        /// check holds; one flipped byte in any file fails it.
        #[test]
        fn any_flipped_byte_is_found(
            contents in prop::collection::btree_set(prop::collection::vec(any::<u8>(), 1..48), 1..7),
            pick in any::<prop::sample::Index>(),
            at in any::<prop::sample::Index>(),
            bit in 0u8..8,
        ) {
            let files: Files = contents
                .into_iter()
                .enumerate()
                .map(|(i, c)| (format!("tag-{i}.txt"), c))
                .collect();
            let record = renewed_record(&files);
            let checked = run(&record, &files).unwrap();
            prop_assert_eq!(checked.covered, names(&files));
            prop_assert_eq!(checked.stamps.len(), 3);
            let mut changed = files.clone();
            let file = &mut changed[pick.index(files.len())].1;
            let at = at.index(file.len());
            file[at] ^= 1 << bit;
            prop_assert!(run(&record, &changed).is_err());
        }
    }
}
