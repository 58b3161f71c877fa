//! What each fuzz target checks, written once: one `pub fn TARGET(data)`
//! per target in `fuzz_targets/`, which only hands it the fuzzer's bytes.
//! The same file is compiled into the main package's tests
//! (`tests/integration/fuzz_regressions.rs`), which replay kept findings and
//! seeds through it, so it uses only what both have: `exhibit`,
//! `serde_json`, `zip`, `tempfile` and std.
//!
//! Each function returns quietly for input the parser refuses, and panics
//! when a property does not hold.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use exhibit::digest::Sha256Digest;
use exhibit::format::bag::{
    decode_tag_file, parse_bagit_txt, parse_fetch_text, parse_manifest_file, parse_manifest_lines,
    write_manifest, BagError, BagInfo, ManifestLine, TagEncoding, SUPPORTED_VERSIONS,
};
use exhibit::format::custody::{
    check_chain, event_paths, trailing_orphan_signature, Action, Actor, CustodyEvent, StoredEvent,
    EVENT_TYPE,
};
use exhibit::format::document::Party;
use exhibit::format::evidence_record::{check, EvidenceRecord};
use exhibit::format::paths::{case_fold_key, percent_decode, percent_encode, BagPath};
use exhibit::format::seal::{SealStatement, SEAL_PATH, SEAL_TYPE_V1, SEAL_TYPE_V2};
use exhibit::format::signature::{SignatureRecord, SIGNATURE_TYPE};
use exhibit::format::verify_part::{FileRead, PartHeader};
use exhibit::keys::{KeyId, SecretKey};
use exhibit::ops::custody::{read_log, CustodyLog};
use exhibit::ops::verify::{verify, VerifyOptions};
use exhibit::report::CustodyEntry;
use exhibit::store::{zip_layout, Bundle, Journal};
use exhibit::time::UtcTime;
use exhibit::trust::TrustSet;
use exhibit::tsp::revocation::{read_material, status_at, CertStatus};
use exhibit::tsp::{certificates_from_pem, Cert, HashAlgorithm};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

// ---------------------------------------------------------------------------
// Documents

/// Seal statements: parse, and anything that parses re-serializes to bytes
/// that parse to the same statement and serialize the same way again.
pub fn seal_statement(data: &[u8]) {
    let Ok(statement) = SealStatement::parse(data) else {
        return;
    };
    assert!([SEAL_TYPE_V1, SEAL_TYPE_V2].contains(&statement.doc_type.as_str()));
    let bytes = statement.to_bytes();
    let again = SealStatement::parse(&bytes).expect("a re-serialized statement parses");
    assert_eq!(again, statement);
    assert_eq!(again.to_bytes(), bytes);
}

/// Signature records: parse, re-serialize, compare; checking a parsed
/// record against a message never panics.
pub fn signature_record(data: &[u8]) {
    let Ok(record) = SignatureRecord::parse(data, "x") else {
        return;
    };
    assert_eq!(record.doc_type, SIGNATURE_TYPE);
    let bytes = record.to_bytes();
    let again = SignatureRecord::parse(&bytes, "x").expect("a re-serialized record parses");
    assert_eq!(again, record);
    assert_eq!(again.to_bytes(), bytes);
    let _ = record.check(&record.signed_file, data);
    let _ = record.check(SEAL_PATH, b"");
}

/// Custody events: parse, re-serialize, compare.
pub fn custody_event(data: &[u8]) {
    let Ok(event) = CustodyEvent::parse(data, "x") else {
        return;
    };
    assert_eq!(event.doc_type, EVENT_TYPE);
    let bytes = event.to_bytes();
    let again = CustodyEvent::parse(&bytes, "x").expect("a re-serialized event parses");
    assert_eq!(again, event);
    assert_eq!(again.to_bytes(), bytes);
}

// ---------------------------------------------------------------------------
// BagIt files and paths

/// BagIt manifests (as SHA-256 and as SHA-1 digests): parse; whatever
/// parses is written back with `write_manifest` and parses to the same
/// digests and paths.
pub fn manifest(data: &[u8]) {
    const NAME: &str = "manifest-sha256.txt";
    fn pairs(lines: &[ManifestLine]) -> Vec<(&str, &str)> {
        lines
            .iter()
            .map(|l| (l.digest.as_str(), l.path.as_str()))
            .collect()
    }
    for hex_len in [64, 40] {
        let lines = match parse_manifest_file(NAME, data, hex_len) {
            Ok(lines) => lines,
            Err(e) => {
                assert_eq!(e.file(), NAME);
                continue;
            }
        };
        for l in &lines {
            assert_eq!(l.digest.len(), hex_len);
            assert!(l
                .digest
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
            assert!(!l.path.is_empty());
        }
        let written = write_manifest(pairs(&lines));
        let again =
            parse_manifest_file(NAME, &written, hex_len).expect("a written manifest parses");
        assert_eq!(pairs(&again), pairs(&lines));
    }
}

/// bag-info.txt: parse; whatever parses round-trips through `to_bytes`.
/// Also: every entry `BagInfo::push` accepts survives `to_bytes` and
/// `parse` unchanged (labels and values taken from NUL-separated pieces).
pub fn bag_info(data: &[u8]) {
    if let Ok(info) = BagInfo::parse(data) {
        let _ = info.payload_oxum();
        let bytes = info.to_bytes();
        let again = BagInfo::parse(&bytes).expect("a re-serialized bag-info parses");
        assert_eq!(again, info);
        assert_eq!(again.to_bytes(), bytes);
    }

    let text = String::from_utf8_lossy(data);
    let pieces: Vec<&str> = text.split('\0').collect();
    let mut built = BagInfo::new();
    for pair in pieces.chunks_exact(2) {
        let _ = built.push(pair[0], pair[1]);
    }
    let bytes = built.to_bytes();
    let parsed = BagInfo::parse(&bytes).expect("pushed entries parse back");
    assert_eq!(parsed, built);
}

/// bagit.txt: parse; what parses is a supported version in UTF-8.
pub fn bagit_txt(data: &[u8]) {
    match parse_bagit_txt(data) {
        Ok(declaration) => {
            assert!(SUPPORTED_VERSIONS.contains(&declaration.version.as_str()));
            assert_eq!(
                TagEncoding::from_label(&declaration.encoding),
                Some(declaration.tag_encoding)
            );
        }
        Err(e) => assert_eq!(e.file(), "bagit.txt"),
    }
}

/// Bag paths and BagIt percent-encoding. A path that parses never leaves
/// the folder it is joined to; encoding then decoding gives the path back.
pub fn bag_path(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    assert_eq!(percent_decode(&percent_encode(s)), s);
    let decoded = percent_decode(s);

    for candidate in [s, decoded.as_ref()] {
        let Ok(path) = BagPath::parse(candidate) else {
            continue;
        };
        assert_eq!(path.as_str(), candidate);
        assert!(!candidate.contains('\0'));
        for component in path.components() {
            assert!(!component.is_empty() && component != "." && component != "..");
        }
        let base = Path::new("/base/folder");
        let joined = path.to_fs_path(base);
        assert!(
            joined.starts_with(base),
            "{candidate:?} escapes to {joined:?}"
        );
        assert!(joined
            .strip_prefix(base)
            .expect("below base")
            .components()
            .all(|c| matches!(c, Component::Normal(_))));
        assert_eq!(BagPath::parse(path.as_str()).as_ref(), Ok(&path));
        assert_eq!(path.is_payload(), path.strip_data().is_some());
        let _ = case_fold_key(&path);
    }
}

// ---------------------------------------------------------------------------
// Tag files in other encodings

const TAG_FILE: &str = "manifest-md5.txt";

/// The bytes `text` was decoded from, for an encoding that keeps every
/// input byte (a UTF-16 byte-order mark is given back as it was read).
fn encode(text: &str, encoding: TagEncoding, input: &[u8]) -> Vec<u8> {
    let utf16 = |big_endian: bool| -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    };
    match encoding {
        TagEncoding::Utf8 | TagEncoding::Ascii => text.as_bytes().to_vec(),
        TagEncoding::Latin1 => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 decodes to U+0000..U+00FF"))
            .collect(),
        TagEncoding::Utf16Be => utf16(true),
        TagEncoding::Utf16Le => utf16(false),
        TagEncoding::Utf16 => match input {
            [0xFE, 0xFF, ..] => [&[0xFE, 0xFF][..], &utf16(true)].concat(),
            [0xFF, 0xFE, ..] => [&[0xFF, 0xFE][..], &utf16(false)].concat(),
            _ => utf16(true),
        },
    }
}

/// Tag files in the encodings a plain bag may declare: every input is
/// decoded as each `TagEncoding` with `decode_tag_file`, the function
/// `verify` uses. Decoding never panics; whatever decodes is exactly the
/// input (valid UTF-8 declared as UTF-8 comes back byte for byte, Latin-1
/// and UTF-16 re-encode to the input); errors name the file and the line
/// where decoding stopped (a UTF-8 byte-order mark: only the file); the
/// decoded text then goes through the text parsers verify feeds it to.
pub fn tag_encoding(data: &[u8]) {
    for encoding in TagEncoding::ALL {
        let text = match decode_tag_file(TAG_FILE, data, encoding) {
            Ok(text) => text,
            Err(e) => {
                assert_eq!(e.file(), TAG_FILE);
                // A byte-order mark is about the whole file; anything else
                // names the line where decoding stopped.
                match e {
                    BagError::ByteOrderMark { .. } => {
                        assert_eq!(encoding, TagEncoding::Utf8);
                        assert!(data.starts_with(b"\xEF\xBB\xBF"));
                    }
                    _ => assert!(e.line().is_some_and(|line| line >= 1), "{e}"),
                }
                match encoding {
                    TagEncoding::Latin1 => panic!("Latin-1 refused {data:?}: {e}"),
                    TagEncoding::Utf8 => assert!(
                        std::str::from_utf8(data).is_err() || data.starts_with(b"\xEF\xBB\xBF"),
                        "valid UTF-8 without a byte-order mark refused: {e}"
                    ),
                    TagEncoding::Ascii => assert!(!data.is_ascii(), "ASCII refused: {e}"),
                    _ => {}
                }
                continue;
            }
        };
        assert_eq!(
            encode(&text, encoding, data),
            data,
            "{encoding} does not round-trip"
        );
        if encoding == TagEncoding::Utf8 {
            // Valid UTF-8 declared as UTF-8 is the input itself.
            assert_eq!(text.as_bytes(), data);
            assert_eq!(Ok(&*text), std::str::from_utf8(data));
        }
        if let Err(e) = parse_manifest_lines(TAG_FILE, &text, 32) {
            assert_eq!(e.file(), TAG_FILE);
        }
        if let Err(e) = BagInfo::parse_text(TAG_FILE, &text) {
            assert_eq!(e.file(), TAG_FILE);
        }
        if let Err(e) = parse_fetch_text(TAG_FILE, &text) {
            assert_eq!(e.file(), TAG_FILE);
        }
    }
}

// ---------------------------------------------------------------------------
// RFC 3161 time-stamp responses

/// Any bytes as a TimeStampResp: checking is deterministic, never panics,
/// and with no trusted root nothing is trusted; a SHA-256 imprint covers
/// exactly the signature it was made for; a genTime that decodes encodes
/// back to the same bytes.
pub fn timestamp_response(data: &[u8]) {
    use der::{Decode, Encode};
    use exhibit::tsp::{check_response, GenTime};
    let first = check_response(data, &[]);
    assert_eq!(first, check_response(data, &[]));
    if let Ok(facts) = &first {
        if facts.imprint_algorithm.to_string() == "2.16.840.1.101.3.4.2.1" {
            let imprint: [u8; 32] = facts.imprint.as_slice().try_into().unwrap_or([0; 32]);
            assert_eq!(
                facts.check_covers(&imprint).is_ok(),
                facts.imprint == imprint
            );
        }
        assert!(!facts.trusted(), "trusted with no root");
    }
    if let Ok(time) = GenTime::from_der(data) {
        assert_eq!(time.to_der().expect("a decoded genTime encodes"), data);
    }
}

/// Certificate signatures (`exhibit/signatures/<cert-id>.p7s`): checking
/// one never panics and gives the same answer twice; one that is accepted
/// with no root is never trusted. The signed content is the data's own
/// tail after a 2-byte length prefix, so seeds can hold a matching pair.
pub fn cert_signature(data: &[u8]) {
    use exhibit::tsp::check_detached;
    let (content, p7s) = match data {
        [a, b, rest @ ..] => {
            let len = usize::from(u16::from_be_bytes([*a, *b])).min(rest.len());
            let (p7s, content) = rest.split_at(rest.len() - len);
            (content, p7s)
        }
        _ => (&[][..], data),
    };
    let first = check_detached(p7s, content, &[], None);
    assert_eq!(first, check_detached(p7s, content, &[], None));
    if let Ok(facts) = &first {
        assert!(
            matches!(facts.path, exhibit::tsp::PathEnd::Untrusted { .. }),
            "trusted with no root"
        );
    }
}

// ---------------------------------------------------------------------------
// Zip structure and append journals

/// Any bytes as a zip: the structure accounting never panics; what it
/// accepts without a single problem, the zip crate reads with the same
/// entries (names, sizes, CRCs, offsets).
pub fn zip_layout(data: &[u8]) {
    let Ok(layout) = zip_layout::account(data, data.len() as u64) else {
        return;
    };
    for record in &layout.records {
        if let Some(start) = record.data_start {
            assert!(start >= record.header_start + 30);
        }
    }
    if !layout.problems.is_empty() {
        return;
    }
    let archive = zip::ZipArchive::new(Cursor::new(data))
        .expect("a zip accounted for without problems is one the zip crate reads");
    assert_eq!(archive.len(), layout.records.len(), "entry count");
    for (index, ours) in layout.records.iter().enumerate() {
        let theirs = archive.by_index_data(index).expect("entry readable");
        assert_eq!(theirs.name_raw(), ours.name.as_slice());
        assert_eq!(theirs.size(), ours.size);
        assert_eq!(theirs.compressed_size(), ours.compressed_size);
        assert_eq!(theirs.crc32(), ours.crc32);
        assert_eq!(theirs.header_start(), ours.header_start);
    }
}

/// Any bytes as an append journal: parsing never panics, and whatever
/// parses is written back byte for byte.
pub fn journal(data: &[u8]) {
    if let Some(journal) = Journal::parse(data) {
        assert_eq!(journal.to_bytes(), data);
        assert!(journal.original_len() as usize >= data.len() - 32);
    }
}

// ---------------------------------------------------------------------------
// Whole bundles

/// Any bytes as a zip bundle: open it, then run every check of `verify`
/// (see [`open_and_verify`]).
pub fn bundle_zip(data: &[u8]) {
    with_scratch_zip(data, open_and_verify);
}

/// A well-formed zip built from entry names, contents and flags in the
/// encoding of [`decode_entries`], so the fuzzer spends its time on the bag
/// inside rather than on zip headers; then as [`bundle_zip`].
pub fn bundle_structured(data: &[u8]) {
    let entries = decode_entries(data);
    let Some(zip) = build_zip(&entries) else {
        return;
    };
    with_scratch_zip(&zip, open_and_verify);
}

/// Writes `bytes` to this thread's scratch zip file and runs `f` on its
/// path. One file per thread, rewritten for every input: the fuzzer runs
/// one input at a time, and tests running at the same time each have
/// their own.
pub fn with_scratch_zip<R>(bytes: &[u8], f: impl FnOnce(&Path) -> R) -> R {
    thread_local! {
        static DIR: tempfile::TempDir =
            tempfile::tempdir().expect("create a scratch folder");
    }
    let path: PathBuf = DIR.with(|dir| dir.path().join("bundle.zip"));
    std::fs::write(&path, bytes).expect("write the scratch zip");
    f(&path)
}

/// Opens the file as a bundle and, when it opens, does what `verify`,
/// `inspect` and `custody log` do with it: every check with an empty trust
/// set (with and without hashing the payload), the report rendered both ways
/// a user sees it, and the custody log read and checked on its own.
pub fn open_and_verify(path: &Path) {
    let Ok(bundle) = Bundle::open(path) else {
        return;
    };
    for hash_payload in [true, false] {
        let report = verify(
            &bundle,
            &VerifyOptions {
                trust: &TrustSet::default(),
                progress: &|_| {},
                extract_to: None,
                hash_payload,
                recorded: None,
            },
        );
        // An empty trust set trusts nobody: nothing can verify.
        assert!(!report.verified(), "verified with an empty trust set");
        assert!(report.trusted_signers.is_empty());
        let json = serde_json::to_vec(&report).expect("report serializes");
        assert!(!json.is_empty());
        let _ = report.to_html();
    }
    let CustodyLog { seal, events, .. } = read_log(&bundle);
    let _ = check_chain(&events, seal.as_deref().unwrap_or_default());
}

/// The top-level folder every structured bundle uses.
pub const TOP: &str = "b";

/// Most entries taken from one structured input.
const MAX_ENTRIES: usize = 64;

/// Flags of one entry in the structured encoding.
pub mod flags {
    /// Deflate instead of store.
    pub const DEFLATE: u8 = 0x01;
    /// A directory entry (contents ignored).
    pub const DIRECTORY: u8 = 0x02;
    /// A symbolic link whose target is the contents.
    pub const SYMLINK: u8 = 0x04;
    /// The name is used as is, not placed below the top-level folder.
    pub const OUTSIDE_TOP: u8 = 0x08;
    /// Zip64 headers.
    pub const LARGE_FILE: u8 = 0x10;
    /// Unix mode 0755 instead of 0644.
    pub const EXECUTABLE: u8 = 0x20;
}

/// One entry of a structured zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntrySpec {
    pub flags: u8,
    pub name: Vec<u8>,
    pub data: Vec<u8>,
}

/// Encodes entries as the structured target reads them:
/// `flags:u8 name_len:u8 name data_len:u16le data`, repeated.
pub fn encode_entries(entries: &[EntrySpec]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        let name = &e.name[..e.name.len().min(u8::MAX as usize)];
        let data = &e.data[..e.data.len().min(u16::MAX as usize)];
        out.push(e.flags);
        out.push(name.len() as u8);
        out.extend_from_slice(name);
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
    }
    out
}

/// Decodes as many whole entries as `bytes` holds (at most 64).
pub fn decode_entries(mut bytes: &[u8]) -> Vec<EntrySpec> {
    let mut out = Vec::new();
    while out.len() < MAX_ENTRIES {
        let [flags, name_len, rest @ ..] = bytes else {
            break;
        };
        let Some((name, rest)) = rest.split_at_checked(*name_len as usize) else {
            break;
        };
        let Some(([lo, hi], rest)) = rest.split_first_chunk::<2>() else {
            break;
        };
        let data_len = u16::from_le_bytes([*lo, *hi]) as usize;
        let Some((data, rest)) = rest.split_at_checked(data_len) else {
            break;
        };
        out.push(EntrySpec {
            flags: *flags,
            name: name.to_vec(),
            data: data.to_vec(),
        });
        bytes = rest;
    }
    out
}

/// Builds a zip with the `zip` crate. Entries the writer refuses (a
/// duplicate name, say) are left out.
pub fn build_zip(entries: &[EntrySpec]) -> Option<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for e in entries {
        let name = String::from_utf8_lossy(&e.name);
        let name = if e.flags & flags::OUTSIDE_TOP != 0 {
            name.into_owned()
        } else {
            format!("{TOP}/{name}")
        };
        let method = if e.flags & flags::DEFLATE != 0 {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        let mode = if e.flags & flags::EXECUTABLE != 0 {
            0o755
        } else {
            0o644
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .large_file(e.flags & flags::LARGE_FILE != 0)
            .unix_permissions(mode)
            .last_modified_time(zip::DateTime::default());
        let written = if e.flags & flags::DIRECTORY != 0 {
            zip.add_directory(name, options)
        } else if e.flags & flags::SYMLINK != 0 {
            zip.add_symlink(name, String::from_utf8_lossy(&e.data), options)
        } else {
            zip.start_file(name, options)
                .and_then(|()| zip.write_all(&e.data).map_err(Into::into))
        };
        if written.is_err() {
            let _ = zip.abort_file();
        }
    }
    zip.finish().ok().map(Cursor::into_inner)
}

// ---------------------------------------------------------------------------
// The custody chain checker

/// Keys the built events are signed with.
const KEYS: usize = 3;
/// Most events taken from one input.
const MAX_EVENTS: usize = 24;

/// The custody chain checker over logs built from the input (see
/// [`ChainInput`]). Most events are real, signed events whose numbering,
/// links, actors, recipients, signatures and bytes the input chooses, so
/// the hand-over rules are reached; some are raw bytes. `check_chain` must
/// never panic, and a log it finds no problem in must be complete and fully
/// signed.
///
/// The maps are what a bundle reader can build: numbers from 1 (file names
/// `000000.*` are refused before the checker) and at least one file each.
pub fn custody_chain(data: &[u8]) {
    let mut input = ChainInput(data);
    let seal = input.bytes();
    let seal_sha256 = Sha256Digest::of(&seal);
    let mut events: BTreeMap<u64, StoredEvent> = BTreeMap::new();
    let mut sequence = 0u64;
    let mut previous: Option<Vec<u8>> = None;
    for _ in 0..MAX_EVENTS {
        if input.is_empty() {
            break;
        }
        match input.event() {
            EventSpec::Raw {
                sequence: n,
                json,
                sig,
            } => {
                if json.is_none() && sig.is_none() {
                    continue;
                }
                let stored = events.entry(u64::from(n).max(1)).or_default();
                if json.is_some() {
                    stored.json = json;
                }
                if sig.is_some() {
                    stored.sig = sig;
                }
            }
            EventSpec::Built(e) => {
                sequence = match e.numbering {
                    Numbering::Next => sequence + 1,
                    Numbering::Again => sequence.max(1),
                    Numbering::Skip(n) => sequence + 2 + u64::from(n % 4),
                    Numbering::Exactly(n) => 1 + n % 64,
                };
                let event = CustodyEvent {
                    doc_type: EVENT_TYPE.into(),
                    sequence: e.inner_sequence.unwrap_or(sequence),
                    action: Action::ALL[e.action as usize % Action::ALL.len()],
                    actor: Actor {
                        key_id: key_id(e.actor),
                        name: e.name,
                        organization: None,
                    },
                    time: UtcTime::from_unix_seconds(1_767_225_600 + i64::from(e.time))
                        .expect("in range"),
                    note: e.note,
                    location: None,
                    recipient_key_id: e.recipient.map(key_id),
                    seal_sha256: if e.seal_matches {
                        seal_sha256
                    } else {
                        Sha256Digest::of(b"another seal")
                    },
                    previous_sha256: match e.link {
                        Link::Previous => previous.as_deref().map_or(seal_sha256, Sha256Digest::of),
                        Link::Seal => seal_sha256,
                        Link::Other(bytes) => Sha256Digest(bytes),
                    },
                };
                let mut json = event.to_bytes();
                let json_path = event_paths(sequence).event;
                let sign = |key: u8, file: &str| {
                    let key = &keys()[key as usize % KEYS];
                    let at = event.time;
                    Some(SignatureRecord::create(key, Party::default(), file, &json, at).to_bytes())
                };
                let sig = match e.signature {
                    Signature::ByActor => sign(e.actor, &json_path),
                    Signature::ByKey(k) => sign(k, &json_path),
                    Signature::OverOtherFile(k) => sign(k, &event_paths(sequence + 1).event),
                    Signature::Missing => None,
                    Signature::Raw(bytes) => Some(bytes),
                };
                if let Some((at, mask)) = e.flip {
                    let at = at as usize % json.len();
                    json[at] ^= mask.max(1);
                }
                previous = Some(json.clone());
                let json = (!e.drop_json).then_some(json);
                if json.is_none() && sig.is_none() {
                    events.remove(&sequence);
                    continue;
                }
                events.insert(
                    sequence,
                    StoredEvent {
                        json,
                        sig,
                        p7s: None,
                    },
                );
            }
        }
    }

    let check = check_chain(&events, &seal);

    for (i, checked) in check.events.iter().enumerate() {
        // Trust is the caller's to decide: a report entry starts untrusted.
        assert!(!CustodyEntry::from(checked).trusted);
        if i > 0 {
            assert!(checked.event.sequence > check.events[i - 1].event.sequence);
        }
    }
    if check.problems.is_empty() {
        let mut logged = events.clone();
        trailing_orphan_signature(&mut logged); // ignored by the checker, with a warning
        let last = logged.keys().next_back().copied().unwrap_or(0);
        assert!(
            last >= 1,
            "a log without event 1 (the seal event) has no problem"
        );
        assert_eq!(
            check.events.len() as u64,
            last,
            "a clean log has every event"
        );
        assert!(check.events.iter().all(|e| e.signature_valid));
        assert_eq!(check.head.map(|(n, _)| n), Some(last));
    }
}

fn keys() -> &'static [SecretKey; KEYS] {
    static KEYS_CELL: OnceLock<[SecretKey; KEYS]> = OnceLock::new();
    KEYS_CELL.get_or_init(|| std::array::from_fn(|i| SecretKey::from_seed(&[i as u8 + 1; 32])))
}

fn key_id(index: u8) -> KeyId {
    keys()[index as usize % KEYS].public_key().key_id()
}

enum EventSpec {
    Built(Box<BuiltEvent>),
    Raw {
        sequence: u8,
        json: Option<Vec<u8>>,
        sig: Option<Vec<u8>>,
    },
}

enum Numbering {
    Next,
    Again,
    Skip(u8),
    Exactly(u64),
}

enum Link {
    Previous,
    Seal,
    Other([u8; 32]),
}

enum Signature {
    ByActor,
    ByKey(u8),
    OverOtherFile(u8),
    Missing,
    Raw(Vec<u8>),
}

struct BuiltEvent {
    numbering: Numbering,
    /// The number written inside the event, when it differs from its file's.
    inner_sequence: Option<u64>,
    action: u8,
    actor: u8,
    name: Option<String>,
    recipient: Option<u8>,
    /// Seconds after 2026-01-01, may go backwards.
    time: i32,
    note: Option<String>,
    link: Link,
    seal_matches: bool,
    signature: Signature,
    /// Flip one byte of the event after it was signed.
    flip: Option<(u16, u8)>,
    drop_json: bool,
}

/// The input of [`custody_chain`], read front to back: the seal's bytes,
/// then events. Past the end every read gives zeros (or nothing). Choices
/// are one byte, weighted so that most events are a well-formed next link,
/// which keeps clean logs (and so the last property) within reach; byte
/// strings are a length byte and that many bytes.
struct ChainInput<'a>(&'a [u8]);

impl ChainInput<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        let n = N.min(self.0.len());
        out[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        out
    }

    fn u8(&mut self) -> u8 {
        self.array::<1>()[0]
    }

    fn bool(&mut self) -> bool {
        self.u8() & 1 == 1
    }

    fn bytes(&mut self) -> Vec<u8> {
        let len = (self.u8() as usize).min(self.0.len());
        let (bytes, rest) = self.0.split_at(len);
        self.0 = rest;
        bytes.to_vec()
    }

    fn option<T>(&mut self, read: impl FnOnce(&mut Self) -> T) -> Option<T> {
        self.bool().then(|| read(self))
    }

    fn string(&mut self) -> String {
        String::from_utf8_lossy(&self.bytes()).into_owned()
    }

    fn event(&mut self) -> EventSpec {
        if self.u8() % 8 == 7 {
            return EventSpec::Raw {
                sequence: self.u8(),
                json: self.option(Self::bytes),
                sig: self.option(Self::bytes),
            };
        }
        let numbering = match self.u8() % 8 {
            0..=4 => Numbering::Next,
            5 => Numbering::Again,
            6 => Numbering::Skip(self.u8()),
            _ => Numbering::Exactly(u64::from_le_bytes(self.array())),
        };
        // One byte of rarely set flags, so the common case costs one byte.
        let odd = self.u8();
        let rare = |bit: u8| odd & (1 << bit) != 0;
        EventSpec::Built(Box::new(BuiltEvent {
            numbering,
            inner_sequence: rare(0).then(|| u64::from_le_bytes(self.array())),
            action: self.u8(),
            actor: self.u8(),
            name: self.option(Self::string),
            recipient: self.option(Self::u8),
            time: i32::from_le_bytes(self.array()),
            note: self.option(Self::string),
            link: match (rare(1), rare(2)) {
                (false, _) => Link::Previous,
                (true, false) => Link::Seal,
                (true, true) => Link::Other(self.array()),
            },
            seal_matches: !rare(3),
            signature: if rare(4) {
                match self.u8() % 4 {
                    0 => Signature::ByKey(self.u8()),
                    1 => Signature::OverOtherFile(self.u8()),
                    2 => Signature::Missing,
                    _ => Signature::Raw(self.bytes()),
                }
            } else {
                Signature::ByActor
            },
            flip: rare(5).then(|| (u16::from_le_bytes(self.array()), self.u8())),
            drop_json: rare(6),
        }))
    }
}

// ---------------------------------------------------------------------------
// Long-term validation

/// A leaf and its issuer from the revocation fixtures.
fn revocation_pair() -> (Cert, Cert) {
    let one = |pem: &[u8]| {
        certificates_from_pem(pem)
            .ok()
            .and_then(|certs| certs.into_iter().next())
            .expect("a fixture certificate")
    };
    (
        one(include_bytes!("../../tests/data/revocation/leaf-good.pem")),
        one(include_bytes!("../../tests/data/revocation/int.pem")),
    )
}

/// The time judged: after the fixtures' certificates were issued.
const REVOCATION_AT: i64 = 1_780_272_000; // 2026-06-01T00:00:00Z

/// Stored revocation material (CRLs and OCSP responses in a bundle's
/// validation folder): reading one never panics and gives the same answer
/// twice; judging a certificate by it never panics, gives the same status
/// twice, and a file that does not read is never a usable piece.
pub fn revocation(data: &[u8]) {
    let read = read_material(data);
    assert_eq!(read, read_material(data), "reading twice differs");
    let (leaf, issuer) = revocation_pair();
    let material = vec![data.to_vec()];
    let status = status_at(&leaf, &issuer, &material, REVOCATION_AT, None);
    assert_eq!(
        status,
        status_at(&leaf, &issuer, &material, REVOCATION_AT, None),
        "judging twice differs"
    );
    if let Err(reason) = &read {
        assert!(!reason.contains('\n'), "a reason is one line");
        assert!(
            matches!(status, CertStatus::NotChecked { .. }),
            "an unreadable file was used: {status:?}"
        );
    }
    // With a proven time, and beside itself, the same holds.
    let twice = vec![data.to_vec(), data.to_vec()];
    let _ = status_at(
        &leaf,
        &issuer,
        &twice,
        REVOCATION_AT,
        Some(REVOCATION_AT - 1),
    );
}

/// A small bundle's tag files.
const RECORD_FILES: &[(&str, &[u8])] = &[
    (
        "bagit.txt",
        b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    ),
    ("bag-info.txt", b"Source-Organization: lab\n"),
    ("manifest-sha256.txt", b""),
    ("exhibit/seal.json", b"{}"),
];

/// Evidence records (RFC 4998 DER): reading any bytes never panics; what
/// reads encodes back to the same bytes, and checking it against a few
/// fixed tag files, with every token accepted, never panics and never
/// covers a file its lists do not hold.
pub fn evidence_record(data: &[u8]) {
    let Ok(record) = EvidenceRecord::from_der(data) else {
        return;
    };
    assert_eq!(record.to_der(), data, "read, but encodes to other bytes");
    let digests_of = |algorithm: HashAlgorithm| {
        RECORD_FILES
            .iter()
            .map(|(name, bytes)| (name.to_string(), algorithm.digest(bytes)))
            .collect()
    };
    let mut accept = |_: &[u8], _: HashAlgorithm, _: &[u8]| Ok(0);
    if let Ok(checked) = check(&record, &digests_of, &mut accept) {
        assert!(checked.covered.len() <= RECORD_FILES.len());
        assert_eq!(checked.stamps.len(), record.tokens().count());
    }
}

/// Lines of plans and parts (`exhibit.plan/1`, `exhibit.plan-part/1`), as
/// `seal --plan` and `hash --plan` read them from shared folders: what
/// parses writes back to a line that parses to the same value.
pub fn plan_lines(data: &[u8]) {
    use exhibit::format::plan::{
        HashedFile, HashedFileHex, PartHeader, PlanEnd, PlanHeader, PlannedFile,
    };
    if let Ok(header) = PlanHeader::parse(data) {
        assert_eq!(PlanHeader::parse(&header.to_line()).unwrap(), header);
        let files: u64 = header.shards.iter().map(|s| s.files).sum();
        assert_eq!(files, header.files);
    }
    if let Ok(file) = PlannedFile::parse(data, 4) {
        assert!(file.source < 4);
        assert_eq!(PlannedFile::parse(&file.to_line(), 4).unwrap(), file);
    }
    if let Ok(part) = PartHeader::parse(data) {
        assert_eq!(PartHeader::parse(&part.to_line()).unwrap(), part);
    }
    if let Ok(record) = HashedFile::parse(data) {
        assert_eq!(HashedFile::parse(&record.to_line()).unwrap(), record);
        let line = record.to_line();
        let hex = HashedFileHex::parse(&line).unwrap();
        assert_eq!(hex.sha256, record.digest.sha256.to_hex());
    }
    let _ = HashedFileHex::parse(data);
    if let Some(Ok(end)) = PlanEnd::parse(data) {
        assert_eq!(PlanEnd::parse(&end.to_line()).unwrap().unwrap(), end);
    }
}

// ---------------------------------------------------------------------------
// Verify parts

/// A verify part (`verify --shard`), line by line as `verify --parts` reads
/// it: the first line as a header, the others as records with the `other`
/// algorithms the header's manifests call for (none, and md5 with sha512).
/// Whatever parses re-serializes to a line that parses to the same value
/// and serializes to the same bytes again.
pub fn verify_part(data: &[u8]) {
    let mut lines = data.split_inclusive(|&b| b == b'\n');
    if let Some(first) = lines.next() {
        if let Ok(header) = PartHeader::parse(first) {
            assert!(header.shard < header.shards);
            assert!(header.first.saturating_add(header.files) <= header.bundle.files);
            let line = header.to_line();
            let again = PartHeader::parse(&line).expect("a written header parses");
            assert_eq!(again, header);
            assert_eq!(again.to_line(), line);
        }
    }
    for line in lines {
        for others in [&[][..], &["md5", "sha512"][..]] {
            if let Ok(record) = FileRead::parse(line, others) {
                if let Ok(read) = &record.read {
                    let algorithms: Vec<&str> =
                        read.other.iter().map(|(a, _)| a.as_str()).collect();
                    assert_eq!(algorithms, others);
                }
                let written = record.to_line();
                assert_eq!(written.iter().filter(|&&b| b == b'\n').count(), 1);
                let again = FileRead::parse(&written, others).expect("a written record parses");
                assert_eq!(again, record);
                assert_eq!(again.to_line(), written);
            }
        }
    }
}
