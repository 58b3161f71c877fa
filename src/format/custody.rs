//! The chain-of-custody log: one signed event per file under
//! `exhibit/custody/`, each linked to the seal and to the event before it.
//! Events are never rewritten; a new event is appended with the next number.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::digest::Sha256Digest;
use crate::format::document::{parse_document, to_document_bytes, DocumentError, Party};
use crate::format::signature::SignatureRecord;
use crate::keys::{KeyId, Signer};
use crate::problem::{Problem, ProblemCode};
use crate::time::UtcTime;
use crate::tsp::{check_detached, DetachedFacts};

/// `type` of a custody event, version 1.
pub const EVENT_TYPE: &str = "exhibit.custody-event/1";
/// Folder of the custody log.
pub const CUSTODY_DIR: &str = "exhibit/custody";

/// What happened to the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Seal,
    Transfer,
    Receive,
    Access,
    Copy,
    Analyze,
    Return,
    Note,
    /// Part of the evidence was passed on in a disclosure bundle (written
    /// by `exhibit disclose` only).
    Disclose,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::Seal,
        Action::Transfer,
        Action::Receive,
        Action::Access,
        Action::Copy,
        Action::Analyze,
        Action::Return,
        Action::Note,
        Action::Disclose,
    ];

    /// Whether `custody add` may record it: the seal event is written by
    /// `seal` alone.
    pub fn can_be_added(&self) -> bool {
        !matches!(self, Action::Seal)
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Action::Seal => "seal",
            Action::Transfer => "transfer",
            Action::Receive => "receive",
            Action::Access => "access",
            Action::Copy => "copy",
            Action::Analyze => "analyze",
            Action::Return => "return",
            Action::Note => "note",
            Action::Disclose => "disclose",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Action {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Action::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| format!("unknown custody action {s:?} (one of: seal, transfer, receive, access, copy, analyze, return, note, disclose)"))
    }
}

/// Who performed an event: the signing key and its claimed identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub key_id: KeyId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
}

/// One custody event, stored as the exact bytes its actor signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustodyEvent {
    #[serde(rename = "type")]
    pub doc_type: String,
    pub sequence: u64,
    pub action: Action,
    pub actor: Actor,
    pub time: UtcTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The key that must sign the matching `receive` (transfers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_key_id: Option<KeyId>,
    /// SHA-256 of the exact bytes of `exhibit/seal.json`.
    pub seal_sha256: Sha256Digest,
    /// SHA-256 of the previous event's exact bytes; for event 1, of the seal.
    pub previous_sha256: Sha256Digest,
}

impl CustodyEvent {
    pub fn to_bytes(&self) -> Vec<u8> {
        to_document_bytes(self)
    }

    pub fn parse(bytes: &[u8], file: &str) -> Result<Self, DocumentError> {
        let event: CustodyEvent = parse_document(bytes, file, "a custody event")?;
        if event.doc_type != EVENT_TYPE {
            return Err(DocumentError::WrongType {
                file: file.into(),
                expected: EVENT_TYPE,
                found: event.doc_type,
            });
        }
        Ok(event)
    }
}

/// Bag paths of one event's two files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventPaths {
    /// `exhibit/custody/NNNNNN.json`
    pub event: String,
    /// `exhibit/custody/NNNNNN.sig`
    pub signature: String,
}

/// Bag paths of event `sequence`: its JSON and its signature record.
pub fn event_paths(sequence: u64) -> EventPaths {
    EventPaths {
        event: numbered_path(sequence, "json"),
        signature: numbered_path(sequence, "sig"),
    }
}

/// Bag path of the custody file `NNNNNN.<extension>` of event `sequence`:
/// the event (`json`), its signature record (`sig`) or the time-stamp
/// token on that signature (`tsr`).
pub fn numbered_path(sequence: u64, extension: &str) -> String {
    format!("{CUSTODY_DIR}/{sequence:06}.{extension}")
}

/// The event a custody file named `exhibit/custody/NNNNNN.<extension>`
/// belongs to: six digits or more, one spelling per number (000001, never
/// 0000001), numbering from 1.
pub fn numbered_file(name: &str, extension: &str) -> Option<u64> {
    let number = name
        .strip_prefix(CUSTODY_DIR)?
        .strip_prefix('/')?
        .strip_suffix(extension)?
        .strip_suffix('.')?;
    if number.len() < 6 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sequence: u64 = number.parse().ok()?;
    (sequence > 0 && format!("{sequence:06}") == number).then_some(sequence)
}

/// Which of an event's two files a custody file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventFile {
    /// `NNNNNN.json`, the event itself.
    Event,
    /// `NNNNNN.sig`, its signature record.
    Signature,
    /// `NNNNNN.p7s`, its signature by a certificate (instead of `.sig`).
    CertSignature,
}

/// The sequence number a custody file name stands for, and which of the
/// event's files it is.
pub fn parse_event_file_name(name: &str) -> Option<(u64, EventFile)> {
    if let Some(sequence) = numbered_file(name, "json") {
        return Some((sequence, EventFile::Event));
    }
    if let Some(sequence) = numbered_file(name, "p7s") {
        return Some((sequence, EventFile::CertSignature));
    }
    numbered_file(name, "sig").map(|sequence| (sequence, EventFile::Signature))
}

/// A new event signed by `key`, with its signature record. `previous` is
/// the exact bytes of the last event (None for the seal event).
pub struct NewEvent {
    pub sequence: u64,
    pub action: Action,
    pub actor: Party,
    pub time: UtcTime,
    pub note: Option<String>,
    pub location: Option<String>,
    pub recipient: Option<KeyId>,
}

/// An event's two files as signed: `NNNNNN.json` and `NNNNNN.sig` (or,
/// by a certificate, `NNNNNN.p7s`).
#[derive(Debug, Clone)]
pub struct SignedEvent {
    pub sequence: u64,
    /// The exact bytes of the event (`exhibit/custody/NNNNNN.json`).
    pub event: Vec<u8>,
    /// Its signature record, or its CMS signature.
    pub signature: Vec<u8>,
    /// Made by a certificate (`.p7s`), not a key (`.sig`).
    pub by_certificate: bool,
}

impl SignedEvent {
    /// Bag paths of the event and of its signature.
    pub fn paths(&self) -> EventPaths {
        let mut paths = event_paths(self.sequence);
        if self.by_certificate {
            paths.signature = numbered_path(self.sequence, "p7s");
        }
        paths
    }
}

/// Builds and signs an event; a certificate that cannot sign is the error.
pub fn sign_event(
    signer: Signer<'_>,
    new: NewEvent,
    seal_bytes: &[u8],
    previous: Option<&[u8]>,
) -> Result<SignedEvent, String> {
    let seal_sha256 = Sha256Digest::of(seal_bytes);
    let event = CustodyEvent {
        doc_type: EVENT_TYPE.into(),
        sequence: new.sequence,
        action: new.action,
        actor: Actor {
            key_id: signer.id(),
            name: new.actor.name.clone(),
            organization: new.actor.organization.clone(),
        },
        time: new.time,
        note: new.note,
        location: new.location,
        recipient_key_id: new.recipient,
        seal_sha256,
        previous_sha256: previous.map_or(seal_sha256, Sha256Digest::of),
    };
    let bytes = event.to_bytes();
    let (signature, by_certificate) = match signer {
        Signer::Key(key) => {
            let path = event_paths(new.sequence).event;
            let record = SignatureRecord::create(key, new.actor, &path, &bytes, new.time);
            (record.to_bytes(), false)
        }
        Signer::Cert(cert) => (cert.sign_detached(&bytes, new.time)?, true),
    };
    Ok(SignedEvent {
        sequence: new.sequence,
        event: bytes,
        signature,
        by_certificate,
    })
}

/// One event the chain check could read, and whether its signature
/// verifies over its exact bytes and is by its actor's key. Whom the
/// signature counts for is decided by the caller, not here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedEvent {
    pub event: CustodyEvent,
    pub signature_valid: bool,
    /// Signed by a certificate: what it says (its path checked against no
    /// root here; verify checks it against the `--ca` roots).
    pub certificate: Option<Box<DetachedFacts>>,
}

/// The stored files of one event, as read from the bundle.
#[derive(Debug, Default, Clone)]
pub struct StoredEvent {
    pub json: Option<Vec<u8>>,
    pub sig: Option<Vec<u8>>,
    /// `NNNNNN.p7s`: its signature by a certificate.
    pub p7s: Option<Vec<u8>>,
}

/// Gathers the custody files among `names` into events, reading each with
/// `read` (which reports its own failures and returns None for them).
pub fn gather_events<'n>(
    names: impl IntoIterator<Item = &'n str>,
    mut read: impl FnMut(&str) -> Option<Vec<u8>>,
) -> BTreeMap<u64, StoredEvent> {
    let mut events: BTreeMap<u64, StoredEvent> = BTreeMap::new();
    for name in names {
        let Some((sequence, file)) = parse_event_file_name(name) else {
            continue;
        };
        let Some(bytes) = read(name) else {
            continue;
        };
        let stored = events.entry(sequence).or_default();
        match file {
            EventFile::Event => stored.json = Some(bytes),
            EventFile::Signature => stored.sig = Some(bytes),
            EventFile::CertSignature => stored.p7s = Some(bytes),
        }
    }
    events
}

/// The outcome of checking a whole custody log.
#[derive(Debug, Default, Clone)]
pub struct ChainCheck {
    /// Every event that could be read, in sequence order.
    pub events: Vec<CheckedEvent>,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// Sequence and SHA-256 of the last event's bytes.
    pub head: Option<(u64, Sha256Digest)>,
    /// The recipient named by a `transfer` not yet received.
    pub open_transfer: Option<KeyId>,
}

/// The log head as a short line to pass to a receiver out of band.
pub fn format_head(sequence: u64, digest: &Sha256Digest) -> String {
    format!("{sequence}:{digest}")
}

/// Checks every event: numbering, links, signatures, hand-over rules.
/// `events` maps sequence numbers to the files found. Every rule is checked
/// for every event: a broken rule never hides the problems after it.
pub fn check_chain(events: &BTreeMap<u64, StoredEvent>, seal_bytes: &[u8]) -> ChainCheck {
    let mut walk = ChainWalk {
        check: ChainCheck::default(),
        seal_sha256: Sha256Digest::of(seal_bytes),
        previous_bytes: None,
        previous_time: None,
        next_expected: 1,
    };
    let mut events = events.clone();
    if let Some(orphan) = trailing_orphan_signature(&mut events) {
        walk.check.warnings.push(Problem::new(
            ProblemCode::CustodyInvalid,
            Some(&event_paths(orphan).signature),
            format!("signature without event {orphan} (an interrupted append); ignored"),
        ));
    }
    if events.is_empty() {
        walk.problem(
            ProblemCode::CustodyInvalid,
            CUSTODY_DIR,
            "custody log is empty: no seal event".into(),
        );
        return walk.check;
    }
    let last = events.keys().next_back().copied().unwrap_or(0);
    for (&sequence, stored) in &events {
        walk.check_numbering(sequence);
        if let Some((event, json)) = walk.read_event(sequence, stored) {
            walk.check_links(sequence, &event);
            let (signature_valid, certificate) = match &stored.p7s {
                Some(p7s) => walk.check_cert_signature(sequence, &event, json, p7s, stored),
                None => (walk.check_signature(sequence, &event, json, stored), None),
            };
            walk.check_handover(sequence, &event);
            walk.check_time(sequence, &event);
            walk.previous_bytes = Some(json.clone());
            walk.check.events.push(CheckedEvent {
                event,
                signature_valid,
                certificate,
            });
        }
    }
    let mut check = walk.check;
    check.head = walk
        .previous_bytes
        .map(|bytes| (last, Sha256Digest::of(&bytes)));
    check
}

/// The state carried from one event to the next while checking a chain.
struct ChainWalk {
    check: ChainCheck,
    seal_sha256: Sha256Digest,
    /// The exact bytes of the previous event, when it was read.
    previous_bytes: Option<Vec<u8>>,
    /// The last event read, which is not always the one numbered just before.
    previous_time: Option<(u64, UtcTime)>,
    next_expected: u64,
}

impl ChainWalk {
    fn problem(&mut self, code: ProblemCode, path: &str, message: String) {
        self.check
            .problems
            .push(Problem::new(code, Some(path), message));
    }

    /// A gap is one problem, however wide: a hostile bundle may hold an
    /// event numbered in the billions.
    fn check_numbering(&mut self, sequence: u64) {
        let expected = self.next_expected;
        if sequence > expected {
            let message = if sequence - 1 == expected {
                format!("event {expected} is missing from the log")
            } else {
                format!(
                    "events {expected} to {} are missing from the log",
                    sequence - 1
                )
            };
            let first_missing = event_paths(expected).event;
            self.problem(ProblemCode::CustodyInvalid, &first_missing, message);
            self.previous_bytes = None;
        }
        self.next_expected = sequence.saturating_add(1);
    }

    /// The event's JSON, parsed; None (and a problem) when it is missing or
    /// unparseable.
    fn read_event<'e>(
        &mut self,
        sequence: u64,
        stored: &'e StoredEvent,
    ) -> Option<(CustodyEvent, &'e Vec<u8>)> {
        let json_path = event_paths(sequence).event;
        let Some(json) = stored.json.as_ref() else {
            self.problem(
                ProblemCode::CustodyInvalid,
                &json_path,
                format!("event {sequence} is missing from the log"),
            );
            self.previous_bytes = None;
            return None;
        };
        match CustodyEvent::parse(json, &json_path) {
            Ok(event) => Some((event, json)),
            Err(e) => {
                self.problem(
                    ProblemCode::CustodyInvalid,
                    &json_path,
                    format!("event {sequence}: {e}"),
                );
                self.previous_bytes = Some(json.clone());
                None
            }
        }
    }

    /// Its own number, this seal, and the hash of the event before it.
    fn check_links(&mut self, sequence: u64, event: &CustodyEvent) {
        let json_path = event_paths(sequence).event;
        if event.sequence != sequence {
            self.problem(
                ProblemCode::CustodyInvalid,
                &json_path,
                format!(
                    "event {sequence}: file holds sequence number {}",
                    event.sequence
                ),
            );
        }
        if event.seal_sha256 != self.seal_sha256 {
            self.problem(
                ProblemCode::CustodyLink,
                &json_path,
                format!("event {sequence} refers to another seal"),
            );
        }
        let expected_previous = match (sequence, &self.previous_bytes) {
            (1, _) => Some(self.seal_sha256),
            (_, Some(bytes)) => Some(Sha256Digest::of(bytes)),
            (_, None) => None,
        };
        if expected_previous.is_some_and(|expected| event.previous_sha256 != expected) {
            let what = if sequence == 1 {
                "the seal statement".to_string()
            } else {
                format!("event {}", sequence - 1)
            };
            self.problem(
                ProblemCode::CustodyLink,
                &json_path,
                format!("event {sequence} does not link to {what}"),
            );
        }
    }

    /// A certificate's signature (`NNNNNN.p7s`): the only signature of the
    /// event, valid over its exact bytes, by the certificate its actor names.
    fn check_cert_signature(
        &mut self,
        sequence: u64,
        event: &CustodyEvent,
        json: &[u8],
        p7s: &[u8],
        stored: &StoredEvent,
    ) -> (bool, Option<Box<DetachedFacts>>) {
        let path = numbered_path(sequence, "p7s");
        if stored.sig.is_some() {
            self.problem(
                ProblemCode::CustodySignature,
                &path,
                format!("event {sequence} has two signatures, NNNNNN.sig and NNNNNN.p7s; one is allowed"),
            );
            return (false, None);
        }
        let message = match check_detached(p7s, json, &[], None) {
            Ok(facts) if facts.cert_id == event.actor.key_id => {
                return (true, Some(Box::new(facts)))
            }
            Ok(facts) => format!(
                "event {sequence} is signed by certificate {} but its actor is {}",
                facts.cert_id.short(),
                event.actor.key_id.short()
            ),
            Err(reason) => format!("event {sequence}: {reason}"),
        };
        self.problem(ProblemCode::CustodySignature, &path, message);
        (false, None)
    }

    /// Present, valid over the event's exact bytes, by the actor's key.
    fn check_signature(
        &mut self,
        sequence: u64,
        event: &CustodyEvent,
        json: &[u8],
        stored: &StoredEvent,
    ) -> bool {
        let paths = event_paths(sequence);
        let Some(sig) = stored.sig.as_ref() else {
            self.problem(
                ProblemCode::CustodySignature,
                &paths.signature,
                format!("event {sequence} has no signature"),
            );
            return false;
        };
        let checked = SignatureRecord::parse(sig, &paths.signature)
            .map_err(|e| e.to_string())
            .and_then(|record| {
                record
                    .check(&paths.event, json)
                    .map(|_| record)
                    .map_err(|e| e.to_string())
            });
        let message = match checked {
            Ok(record) if record.key_id == event.actor.key_id => return true,
            Ok(record) => format!(
                "event {sequence} is signed by key {} but its actor is {}",
                record.key_id.short(),
                event.actor.key_id.short()
            ),
            Err(reason) => format!("event {sequence}: {reason}"),
        };
        self.problem(ProblemCode::CustodySignature, &paths.signature, message);
        false
    }

    /// Only event 1 seals; a transfer names its recipient; only that key
    /// acts until it has received; a receive follows a transfer.
    fn check_handover(&mut self, sequence: u64, event: &CustodyEvent) {
        let json_path = event_paths(sequence).event;
        let mut broken = Vec::new();
        match (sequence, event.action) {
            (1, Action::Seal) => {}
            (1, other) => broken.push(format!("event 1 must be the seal event, not {other}")),
            (_, Action::Seal) => broken.push(format!(
                "event {sequence}: only event 1 may be a seal event"
            )),
            _ => {}
        }
        let open_transfer = self.check.open_transfer;
        if let Some(recipient) = open_transfer.filter(|r| *r != event.actor.key_id) {
            broken.push(format!(
                "event {sequence} ({}) is by key {}, but the evidence was transferred to key {} and not yet received",
                event.action,
                event.actor.key_id.short(),
                recipient.short()
            ));
        }
        match (event.action, event.recipient_key_id) {
            (Action::Transfer, Some(recipient)) => {
                if open_transfer.is_some() {
                    broken.push(format!(
                        "event {sequence}: transfer before the previous transfer was received"
                    ));
                }
                self.check.open_transfer = Some(recipient);
            }
            (Action::Transfer, None) => {
                broken.push(format!("event {sequence}: transfer names no recipient key"))
            }
            // An actor other than the named recipient is reported above.
            (Action::Receive, _) => {
                let transfer = self.check.open_transfer.take();
                if transfer.is_none() {
                    broken.push(format!(
                        "event {sequence}: receive without a preceding transfer"
                    ));
                }
            }
            _ => {}
        }
        if event.action != Action::Transfer && event.recipient_key_id.is_some() {
            broken.push(format!(
                "event {sequence}: only a transfer may name a recipient"
            ));
        }
        for message in broken {
            self.problem(ProblemCode::CustodyHandover, &json_path, message);
        }
    }

    /// Times that go backwards are reported (a warning: clocks differ).
    fn check_time(&mut self, sequence: u64, event: &CustodyEvent) {
        if let Some((before_sequence, before)) = self.previous_time {
            if event.time < before {
                self.check.warnings.push(Problem::new(
                    ProblemCode::CustodyTimeBackwards,
                    Some(&event_paths(sequence).event),
                    format!(
                        "event {sequence} at {} is earlier than event {before_sequence} at {before}",
                        event.time,
                    ),
                ));
            }
        }
        self.previous_time = Some((sequence, event.time));
    }
}

/// Removes a signature with no event after the last event (the trace of an
/// append interrupted between its two files) and returns its number.
pub fn trailing_orphan_signature(events: &mut BTreeMap<u64, StoredEvent>) -> Option<u64> {
    let (&last, stored) = events.iter().next_back()?;
    if stored.json.is_none() && stored.sig.is_some() && stored.p7s.is_none() {
        events.remove(&last);
        return Some(last);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custody_file_names_have_one_spelling_per_number() {
        assert_eq!(numbered_path(2, "tsr"), "exhibit/custody/000002.tsr");
        assert_eq!(event_paths(1_234_567).event, "exhibit/custody/1234567.json");
        for (name, expected) in [
            ("exhibit/custody/000002.json", Some((2, EventFile::Event))),
            (
                "exhibit/custody/000002.sig",
                Some((2, EventFile::Signature)),
            ),
            (
                "exhibit/custody/1234567.sig",
                Some((1_234_567, EventFile::Signature)),
            ),
            ("exhibit/custody/0000002.json", None),
            ("exhibit/custody/000000.json", None),
            ("exhibit/custody/00002.json", None),
            ("exhibit/custody/000002.tsr", None),
            ("exhibit/custody/000002json", None),
            ("exhibit/custody/sub/000002.json", None),
            ("exhibit/custody000002.json", None),
        ] {
            assert_eq!(parse_event_file_name(name), expected, "{name}");
        }
        assert_eq!(numbered_file("exhibit/custody/000002.tsr", "tsr"), Some(2));
        assert_eq!(numbered_file("exhibit/custody/000002.tsr", "sig"), None);
    }
}
