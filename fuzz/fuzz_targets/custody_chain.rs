//! The custody chain checker over fuzz-built logs. Most events are real,
//! signed events whose numbering, links, actors, recipients, signatures and
//! bytes the fuzzer chooses, so the hand-over rules are reached; some are
//! raw bytes. `check_chain` must never panic, and a log it finds no problem
//! in must be complete and fully signed.
//!
//! The maps are what a bundle reader can build: numbers from 1 (file names
//! `000000.*` are refused before the checker) and at least one file each.
#![no_main]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use exhibit::format::custody::{
    check_chain, event_paths, trailing_orphan_signature, Action, Actor, CustodyEvent, StoredEvent,
    EVENT_TYPE,
};
use exhibit::digest::Sha256Digest;
use exhibit::keys::{KeyId, SecretKey};
use exhibit::format::document::Party;
use exhibit::format::signature::SignatureRecord;
use exhibit::time::UtcTime;
use libfuzzer_sys::fuzz_target;

const KEYS: usize = 3;
const MAX_EVENTS: usize = 24;

fn keys() -> &'static [SecretKey; KEYS] {
    static KEYS_CELL: OnceLock<[SecretKey; KEYS]> = OnceLock::new();
    KEYS_CELL.get_or_init(|| std::array::from_fn(|i| SecretKey::from_seed(&[i as u8 + 1; 32])))
}

fn key_id(index: u8) -> KeyId {
    keys()[index as usize % KEYS].public_key().key_id()
}

#[derive(Arbitrary, Debug)]
struct Input {
    seal: Vec<u8>,
    events: Vec<EventSpec>,
}

#[derive(Arbitrary, Debug)]
enum EventSpec {
    Built(Box<BuiltEvent>),
    Raw {
        sequence: u8,
        json: Option<Vec<u8>>,
        sig: Option<Vec<u8>>,
    },
}

#[derive(Arbitrary, Debug)]
enum Numbering {
    Next,
    Again,
    Skip(u8),
    Exactly(u64),
}

#[derive(Arbitrary, Debug)]
enum Link {
    Previous,
    Seal,
    Other([u8; 32]),
}

#[derive(Arbitrary, Debug)]
enum Signature {
    ByActor,
    ByKey(u8),
    OverOtherFile(u8),
    Missing,
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
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

fuzz_target!(|input: Input| {
    let seal_sha256 = Sha256Digest::of(&input.seal);
    let mut events: BTreeMap<u64, StoredEvent> = BTreeMap::new();
    let mut sequence = 0u64;
    let mut previous: Option<Vec<u8>> = None;
    for spec in input.events.into_iter().take(MAX_EVENTS) {
        match spec {
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
                events.insert(sequence, StoredEvent { json, sig });
            }
        }
    }

    let check = check_chain(&events, &input.seal, &|_| false);

    for (i, entry) in check.entries.iter().enumerate() {
        assert!(!entry.trusted);
        if i > 0 {
            assert!(entry.sequence > check.entries[i - 1].sequence);
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
            check.entries.len() as u64,
            last,
            "a clean log has every event"
        );
        assert!(check.entries.iter().all(|e| e.signature_valid));
        assert_eq!(check.head.map(|(n, _)| n), Some(last));
    }
});
