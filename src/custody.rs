//! The chain-of-custody log: one signed event per file under
//! `exhibit/custody/`, each linked to the seal and to the event before it.
//! Events are never rewritten; a new event is appended with the next number.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::digest::Sha256Digest;
use crate::keys::{KeyId, SecretKey};
use crate::report::{CustodyEntry, Problem, ProblemCode};
use crate::seal::{parse_document, to_document_bytes, DocumentError, Party, SignatureRecord};
use crate::time::UtcTime;

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
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Seal,
        Action::Transfer,
        Action::Receive,
        Action::Access,
        Action::Copy,
        Action::Analyze,
        Action::Return,
        Action::Note,
    ];

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
            .ok_or_else(|| format!("unknown custody action {s:?} (one of: seal, transfer, receive, access, copy, analyze, return, note)"))
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

/// Bag paths of event `sequence`: its JSON and its signature record.
pub fn event_paths(sequence: u64) -> (String, String) {
    (
        format!("{CUSTODY_DIR}/{sequence:06}.json"),
        format!("{CUSTODY_DIR}/{sequence:06}.sig"),
    )
}

/// The sequence number a custody file name stands for, and whether it is
/// the event (`.json`) or its signature (`.sig`).
pub fn parse_event_file_name(name: &str) -> Option<(u64, bool)> {
    let rest = name.strip_prefix(CUSTODY_DIR)?.strip_prefix('/')?;
    let (number, is_json) = if let Some(n) = rest.strip_suffix(".json") {
        (n, true)
    } else {
        (rest.strip_suffix(".sig")?, false)
    };
    if number.len() < 6 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sequence: u64 = number.parse().ok()?;
    // One spelling per number: 000001, never 0000001.
    (format!("{sequence:06}") == number).then_some((sequence, is_json))
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

/// Builds and signs an event; returns `(json path, json bytes, sig path, sig bytes)`.
pub fn sign_event(
    key: &SecretKey,
    new: NewEvent,
    seal_bytes: &[u8],
    previous: Option<&[u8]>,
) -> [(String, Vec<u8>); 2] {
    let seal_sha256 = Sha256Digest::of(seal_bytes);
    let event = CustodyEvent {
        doc_type: EVENT_TYPE.into(),
        sequence: new.sequence,
        action: new.action,
        actor: Actor {
            key_id: key.public_key().key_id(),
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
    let (json_path, sig_path) = event_paths(new.sequence);
    let record = SignatureRecord::create(key, new.actor, &json_path, &bytes, new.time);
    [(json_path, bytes), (sig_path, record.to_bytes())]
}

/// The stored files of one event, as read from the bundle.
#[derive(Debug, Default, Clone)]
pub struct StoredEvent {
    pub json: Option<Vec<u8>>,
    pub sig: Option<Vec<u8>>,
}

/// The outcome of checking a whole custody log.
#[derive(Debug, Default, Clone)]
pub struct ChainCheck {
    pub entries: Vec<CustodyEntry>,
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
/// `events` maps sequence numbers to the files found; `trusted` says whether
/// a key is in the caller's trust set.
pub fn check_chain(
    events: &BTreeMap<u64, StoredEvent>,
    seal_bytes: &[u8],
    trusted: &dyn Fn(&KeyId) -> bool,
) -> ChainCheck {
    let mut check = ChainCheck::default();
    let seal_sha256 = Sha256Digest::of(seal_bytes);
    if events.is_empty() {
        check.problems.push(Problem::new(
            ProblemCode::CustodyInvalid,
            Some(CUSTODY_DIR),
            "custody log is empty: no seal event",
        ));
        return check;
    }
    let last = events.keys().next_back().copied().unwrap_or(0);
    let mut previous_bytes: Option<Vec<u8>> = None;
    let mut previous_time: Option<UtcTime> = None;
    for sequence in 1..=last {
        let (json_path, sig_path) = event_paths(sequence);
        let problem = |code, path: &str, message: String| Problem::new(code, Some(path), message);
        let Some(json) = events.get(&sequence).and_then(|e| e.json.as_ref()) else {
            check.problems.push(problem(
                ProblemCode::CustodyInvalid,
                &json_path,
                format!("event {sequence} is missing from the log"),
            ));
            previous_bytes = None;
            continue;
        };
        let event = match CustodyEvent::parse(json, &json_path) {
            Ok(event) => event,
            Err(e) => {
                check.problems.push(problem(
                    ProblemCode::CustodyInvalid,
                    &json_path,
                    format!("event {sequence}: {e}"),
                ));
                previous_bytes = Some(json.clone());
                continue;
            }
        };
        if event.sequence != sequence {
            check.problems.push(problem(
                ProblemCode::CustodyInvalid,
                &json_path,
                format!(
                    "event {sequence}: file holds sequence number {}",
                    event.sequence
                ),
            ));
        }
        if event.seal_sha256 != seal_sha256 {
            check.problems.push(problem(
                ProblemCode::CustodyLink,
                &json_path,
                format!("event {sequence} refers to another seal"),
            ));
        }
        let expected_previous = match (sequence, &previous_bytes) {
            (1, _) => Some(seal_sha256),
            (_, Some(bytes)) => Some(Sha256Digest::of(bytes)),
            (_, None) => None,
        };
        if let Some(expected) = expected_previous {
            if event.previous_sha256 != expected {
                let what = if sequence == 1 {
                    "the seal statement".to_string()
                } else {
                    format!("event {}", sequence - 1)
                };
                check.problems.push(problem(
                    ProblemCode::CustodyLink,
                    &json_path,
                    format!("event {sequence} does not link to {what}"),
                ));
            }
        }

        // Signature: present, valid over these bytes, by the actor's key.
        let signature_valid = match events.get(&sequence).and_then(|e| e.sig.as_ref()) {
            None => {
                check.problems.push(problem(
                    ProblemCode::CustodySignature,
                    &sig_path,
                    format!("event {sequence} has no signature"),
                ));
                false
            }
            Some(sig) => match SignatureRecord::parse(sig, &sig_path)
                .map_err(|e| e.to_string())
                .and_then(|record| {
                    record
                        .check(&json_path, json)
                        .map(|_| record)
                        .map_err(|e| e.to_string())
                }) {
                Ok(record) if record.key_id == event.actor.key_id => true,
                Ok(record) => {
                    check.problems.push(problem(
                        ProblemCode::CustodySignature,
                        &sig_path,
                        format!(
                            "event {sequence} is signed by key {} but its actor is {}",
                            record.key_id.short(),
                            event.actor.key_id.short()
                        ),
                    ));
                    false
                }
                Err(reason) => {
                    check.problems.push(problem(
                        ProblemCode::CustodySignature,
                        &sig_path,
                        format!("event {sequence}: {reason}"),
                    ));
                    false
                }
            },
        };

        // Hand-over rules.
        let handover = |message: String| problem(ProblemCode::CustodyHandover, &json_path, message);
        match (sequence, event.action) {
            (1, Action::Seal) => {}
            (1, other) => check.problems.push(handover(format!(
                "event 1 must be the seal event, not {other}"
            ))),
            (_, Action::Seal) => check.problems.push(handover(format!(
                "event {sequence}: only event 1 may be a seal event"
            ))),
            _ => {}
        }
        if let Some(recipient) = check.open_transfer {
            if event.actor.key_id != recipient {
                check.problems.push(handover(format!(
                    "event {sequence} ({}) is by key {}, but the evidence was transferred to key {} and not yet received",
                    event.action,
                    event.actor.key_id.short(),
                    recipient.short()
                )));
            }
        }
        match event.action {
            Action::Transfer => {
                match event.recipient_key_id {
                    Some(recipient) => {
                        if check.open_transfer.is_some() {
                            check.problems.push(handover(format!("event {sequence}: transfer before the previous transfer was received")));
                        }
                        check.open_transfer = Some(recipient);
                    }
                    None => check.problems.push(handover(format!(
                        "event {sequence}: transfer names no recipient key"
                    ))),
                }
            }
            Action::Receive => match check.open_transfer.take() {
                Some(recipient) if recipient == event.actor.key_id => {}
                Some(_) => {} // reported above: actor is not the named recipient
                None => check.problems.push(handover(format!(
                    "event {sequence}: receive without a preceding transfer"
                ))),
            },
            _ => {}
        }
        if event.action != Action::Transfer && event.recipient_key_id.is_some() {
            check.problems.push(handover(format!(
                "event {sequence}: only a transfer may name a recipient"
            )));
        }
        if let Some(before) = previous_time {
            if event.time < before {
                check.warnings.push(Problem::new(
                    ProblemCode::CustodyTimeBackwards,
                    Some(&json_path),
                    format!(
                        "event {sequence} at {} is earlier than event {} at {before}",
                        event.time,
                        sequence - 1
                    ),
                ));
            }
        }
        previous_time = Some(event.time);
        previous_bytes = Some(json.clone());
        check.entries.push(CustodyEntry {
            sequence,
            action: event.action.to_string(),
            time: event.time,
            actor_key_id: event.actor.key_id,
            actor_name: event.actor.name.clone(),
            actor_organization: event.actor.organization.clone(),
            recipient_key_id: event.recipient_key_id,
            note: event.note.clone(),
            location: event.location.clone(),
            signature_valid,
            trusted: trusted(&event.actor.key_id),
        });
    }
    check.head = previous_bytes.map(|bytes| (last, Sha256Digest::of(&bytes)));
    check
}
