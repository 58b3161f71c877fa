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
    // One spelling per number (000001, never 0000001); numbering starts at 1.
    (sequence > 0 && format!("{sequence:06}") == number).then_some((sequence, is_json))
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
    let mut events = events.clone();
    if let Some(orphan) = trailing_orphan_signature(&mut events) {
        let (_, sig_path) = event_paths(orphan);
        check.warnings.push(Problem::new(
            ProblemCode::CustodyInvalid,
            Some(&sig_path),
            format!("signature without event {orphan} (an interrupted append); ignored"),
        ));
    }
    let events = &events;
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
    // The last event read, which is not always the one numbered just before.
    let mut previous_time: Option<(u64, UtcTime)> = None;
    let mut next_expected = 1u64;
    for (&sequence, stored) in events {
        let problem = |code, path: &str, message: String| Problem::new(code, Some(path), message);
        // A gap is one problem, however wide: a hostile bundle may hold an
        // event numbered in the billions.
        if sequence > next_expected {
            let message = if sequence - 1 == next_expected {
                format!("event {next_expected} is missing from the log")
            } else {
                format!(
                    "events {next_expected} to {} are missing from the log",
                    sequence - 1
                )
            };
            let (first_missing, _) = event_paths(next_expected);
            check.problems.push(problem(
                ProblemCode::CustodyInvalid,
                &first_missing,
                message,
            ));
            previous_bytes = None;
        }
        next_expected = sequence.saturating_add(1);
        let (json_path, sig_path) = event_paths(sequence);
        let Some(json) = stored.json.as_ref() else {
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
        if let Some((before_sequence, before)) = previous_time {
            if event.time < before {
                check.warnings.push(Problem::new(
                    ProblemCode::CustodyTimeBackwards,
                    Some(&json_path),
                    format!(
                        "event {sequence} at {} is earlier than event {before_sequence} at {before}",
                        event.time,
                    ),
                ));
            }
        }
        previous_time = Some((sequence, event.time));
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

/// Why `custody add` refused to write an event.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    /// The existing log does not check out; extending it would hide that.
    #[error("{} problems in the existing custody log; refusing to extend it", problems.len())]
    BrokenChain { problems: Vec<Problem> },
    /// The hand-over rules forbid this event (exit 1).
    #[error("{0}")]
    Refused(String),
    /// The request itself is unusable (exit 2).
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// What `custody add` is asked to record.
pub struct AddRequest<'a> {
    pub key: &'a SecretKey,
    pub actor: Party,
    pub action: Action,
    pub recipient: Option<KeyId>,
    pub note: Option<String>,
    pub location: Option<String>,
    pub time: UtcTime,
}

/// The event appended and the new head.
#[derive(Debug, Clone)]
pub struct Appended {
    pub sequence: u64,
    pub head: String,
    /// Warnings about the existing log (e.g. times going backwards).
    pub warnings: Vec<Problem>,
}

/// Reads the seal statement bytes and every custody file of a bundle.
/// Files that cannot be read are reported as problems.
pub fn read_log(
    bundle: &crate::store::Bundle,
) -> (Option<Vec<u8>>, BTreeMap<u64, StoredEvent>, Vec<Problem>) {
    use crate::seal::{MAX_DOCUMENT_BYTES, SEAL_PATH};
    let mut problems = Vec::new();
    let mut read = |name: &str, limit: u64| match bundle.find(name) {
        Some(entry) if entry.kind == crate::store::EntryKind::File => {
            match bundle.read_entry(entry, limit) {
                Ok(bytes) => Some(bytes),
                Err(e) => {
                    problems.push(Problem::new(
                        ProblemCode::CustodyInvalid,
                        Some(name),
                        e.to_string(),
                    ));
                    None
                }
            }
        }
        Some(_) => {
            problems.push(Problem::new(
                ProblemCode::PathNotRegular,
                Some(name),
                "not a regular file",
            ));
            None
        }
        None => None,
    };
    let seal = read(SEAL_PATH, MAX_DOCUMENT_BYTES);
    let mut events: BTreeMap<u64, StoredEvent> = BTreeMap::new();
    for entry in &bundle.entries {
        let Some((sequence, is_json)) = parse_event_file_name(&entry.name) else {
            continue;
        };
        let Some(bytes) = read(&entry.name, MAX_EVENT_BYTES) else {
            continue;
        };
        let stored = events.entry(sequence).or_default();
        if is_json {
            stored.json = Some(bytes);
        } else {
            stored.sig = Some(bytes);
        }
    }
    if seal.is_none() {
        problems.push(Problem::new(
            ProblemCode::SealMissing,
            Some(SEAL_PATH),
            "seal statement is missing or unreadable",
        ));
    }
    (seal, events, problems)
}

/// Largest custody event or signature file read.
pub const MAX_EVENT_BYTES: u64 = 1 << 20;

/// Appends one signed event after checking the existing log and the
/// hand-over rules. The caller holds the bundle's append lock and opened
/// `bundle` after taking it.
pub fn append_event(
    bundle: &crate::store::Bundle,
    lock: &crate::store::AppendLock,
    request: AddRequest<'_>,
) -> Result<Appended, AppendError> {
    let actor_id = request.key.public_key().key_id();
    match (request.action, request.recipient) {
        (Action::Seal, _) => {
            return Err(AppendError::Usage(
                "the seal event is written by `exhibit seal` only".into(),
            ))
        }
        (Action::Transfer, None) => {
            return Err(AppendError::Usage(
                "a transfer must name the recipient's key (--to-key)".into(),
            ))
        }
        (Action::Transfer, Some(_)) => {}
        (_, Some(_)) => {
            return Err(AppendError::Usage(
                "only a transfer names a recipient (--to-key)".into(),
            ))
        }
        (_, None) => {}
    }
    let (seal, mut events, mut problems) = read_log(bundle);
    let orphan = trailing_orphan_signature(&mut events);
    let Some(seal) = seal else {
        return Err(AppendError::BrokenChain { problems });
    };
    let chain = check_chain(&events, &seal, &|_| false);
    problems.extend(chain.problems);
    if !problems.is_empty() {
        return Err(AppendError::BrokenChain { problems });
    }
    let Some((last, _)) = chain.head else {
        return Err(AppendError::BrokenChain { problems: vec![] });
    };
    match (chain.open_transfer, request.action) {
        (Some(recipient), _) if recipient != actor_id => {
            return Err(AppendError::Refused(format!(
                "the evidence was transferred to key {recipient} and not yet received; only that key may act (key {actor_id} may not)"
            )))
        }
        (None, Action::Receive) => {
            return Err(AppendError::Refused("receive without an open transfer: nothing was transferred".into()))
        }
        (Some(_), Action::Transfer) => {
            return Err(AppendError::Refused("receive the evidence before transferring it again".into()))
        }
        _ => {}
    }
    let previous = events.get(&last).and_then(|e| e.json.clone());
    let new = NewEvent {
        sequence: last + 1,
        action: request.action,
        actor: request.actor,
        time: request.time,
        note: request.note,
        location: request.location,
        recipient: request.recipient,
    };
    let [(json_path, json), (sig_path, sig)] =
        sign_event(request.key, new, &seal, previous.as_deref());
    if orphan == Some(last + 1) {
        // Left by an interrupted append to a directory bundle: the event it
        // would sign was never written, so it is not part of the log.
        bundle.remove_orphan(lock, &sig_path)?;
    }
    // The signature first: until the event itself exists, the log is unchanged.
    let head = format_head(last + 1, &Sha256Digest::of(&json));
    bundle.append(lock, &[(sig_path, sig), (json_path, json)], request.time)?;
    Ok(Appended {
        sequence: last + 1,
        head,
        warnings: chain.warnings,
    })
}

/// Removes a signature with no event after the last event (the trace of an
/// append interrupted between its two files) and returns its number.
pub fn trailing_orphan_signature(events: &mut BTreeMap<u64, StoredEvent>) -> Option<u64> {
    let (&last, stored) = events.iter().next_back()?;
    if stored.json.is_none() && stored.sig.is_some() {
        events.remove(&last);
        return Some(last);
    }
    None
}
