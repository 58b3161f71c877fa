//! `custody add`, `custody log` and `custody replay`: reading the log out of
//! a bundle, checking it, and appending one signed event under the lock.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::digest::Sha256Digest;
use crate::format::custody::{
    check_chain, event_paths, format_head, gather_events, sign_event, trailing_orphan_signature,
    Action, NewEvent, StoredEvent, CUSTODY_DIR,
};
use crate::format::document::Party;
use crate::format::seal::SEAL_PATH;
use crate::format::timestamp::TokenTarget;
use crate::keys::{KeyId, Signer};
use crate::limits::{MAX_DOCUMENT_BYTES, MAX_RECORD_BYTES};
use crate::ops::ltv::material_for_token;
use crate::ops::timestamp::{stamp, TsaError};
use crate::ops::verify::verify_without_payload;
use crate::ops::Observer;
use crate::problem::{Problem, ProblemCode};
use crate::report::{CustodyTimeline, Outcome, Report};
use crate::store::{AppendLock, Bundle, EntryKind, NewFile, OpenError, StoreError};
use crate::time::UtcTime;
use crate::trust::TrustSet;
use crate::tsp::http::Authority;

/// Why `custody add` wrote no event (the bundle is unchanged).
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    /// The bundle's seal, signatures, tag files or custody log do not check
    /// out; extending the log would hide that.
    #[error("{}: does not verify; no custody event added", bundle.display())]
    DoesNotVerify {
        bundle: PathBuf,
        problems: Vec<Problem>,
    },
    /// The hand-over rules forbid this event.
    #[error("{}: {reason}", bundle.display())]
    Refused { bundle: PathBuf, reason: String },
    /// The request itself is unusable.
    #[error(transparent)]
    Usage(#[from] EventRequestError),
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Tsa(#[from] TsaError),
    #[error("signing with the certificate: {0}")]
    Certificate(String),
}

impl crate::ops::OpError for AppendError {
    fn refusal(&self) -> crate::ops::Refusal {
        match self {
            AppendError::DoesNotVerify { .. } | AppendError::Refused { .. } => {
                crate::ops::Refusal::Verdict
            }
            _ => crate::ops::Refusal::Unusable,
        }
    }

    fn problems(&self) -> &[Problem] {
        match self {
            AppendError::DoesNotVerify { problems, .. } => problems,
            _ => &[],
        }
    }
}

/// An event that `custody add` is never asked to write (exit 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EventRequestError {
    #[error("the seal event is written by `exhibit seal` only")]
    SealByHand,
    /// It names the disclosure bundle, which only `disclose` makes.
    #[error("a disclose event is written only with the disclosure it records")]
    DiscloseByHand,
    #[error("a transfer must name the recipient's key")]
    TransferWithoutRecipient,
    #[error("only a transfer names a recipient")]
    RecipientWithoutTransfer,
}

/// What `custody add` is asked to record.
pub struct AddRequest<'a> {
    pub bundle: &'a Path,
    pub key: Signer<'a>,
    pub actor: Party,
    pub action: Action,
    pub recipient: Option<KeyId>,
    pub note: Option<String>,
    pub location: Option<String>,
    pub time: UtcTime,
    /// Time-stamp the event's signature with this TSA; if it fails, no
    /// event is added.
    pub tsa: Option<&'a dyn Authority>,
}

/// The event appended and the new head.
#[derive(Debug, Clone)]
pub struct Appended {
    pub sequence: u64,
    pub head: String,
    /// Warnings about the existing log (e.g. times going backwards).
    pub warnings: Vec<Problem>,
}

/// The seal statement and every custody file of a bundle, as read.
#[derive(Debug, Default)]
pub struct CustodyLog {
    /// The exact bytes of `exhibit/seal.json`, when it could be read.
    pub seal: Option<Vec<u8>>,
    pub events: BTreeMap<u64, StoredEvent>,
    /// Files that could not be read.
    pub problems: Vec<Problem>,
}

/// Reads the seal statement bytes and every custody file of a bundle.
/// Files that cannot be read are reported as problems.
pub fn read_log(bundle: &Bundle) -> CustodyLog {
    let mut problems = Vec::new();
    let mut read = |name: &str, limit: u64| match bundle.find(name) {
        Some(entry) if entry.kind == EntryKind::File => match bundle.read_entry(entry, limit) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                problems.push(Problem::new(
                    ProblemCode::CustodyInvalid,
                    Some(name),
                    e.to_string(),
                ));
                None
            }
        },
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
    let names = bundle.entries.iter().map(|e| e.name.as_str());
    let events = gather_events(names, |name| read(name, MAX_RECORD_BYTES));
    if seal.is_none() {
        problems.push(Problem::new(
            ProblemCode::SealMissing,
            Some(SEAL_PATH),
            "seal statement is missing or unreadable",
        ));
    }
    CustodyLog {
        seal,
        events,
        problems,
    }
}

/// A custody head as given on the command line: `<sequence>:<sha256>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedHead(String);

/// A head that is not `<sequence>:<sha256>` (a usage error, never a
/// tampering alarm).
#[derive(Debug, thiserror::Error)]
#[error("custody head {0:?} is not <sequence>:<sha256> (as `exhibit custody log` prints it on its last line)")]
pub struct HeadSyntaxError(String);

impl std::str::FromStr for ExpectedHead {
    type Err = HeadSyntaxError;
    fn from_str(text: &str) -> Result<Self, HeadSyntaxError> {
        let text = text.trim();
        let well_formed = text.split_once(':').is_some_and(|(sequence, digest)| {
            sequence.parse::<u64>().is_ok_and(|n| n > 0)
                && !sequence.starts_with('0')
                && digest.parse::<Sha256Digest>().is_ok()
        });
        if well_formed {
            Ok(ExpectedHead(text.to_string()))
        } else {
            Err(HeadSyntaxError(text.to_string()))
        }
    }
}

/// `custody log`: the timeline, every event and signature checked, and no
/// verdict (it trusts no key); `tsa_roots` are the TSA roots whose tokens
/// prove the events' times.
pub fn log(bundle: &Bundle, tsa_roots: Vec<crate::tsp::Cert>) -> CustodyTimeline {
    let trust = TrustSet::default().with_tsa_roots(tsa_roots);
    CustodyTimeline {
        status: None,
        ..CustodyTimeline::from(verify_without_payload(bundle, &trust))
    }
}

/// `custody replay`: everything but the payload bytes is re-checked (seal
/// statement and its tag digests, seal signatures, every custody event);
/// with `expect_head`, the log must pass through it. The outcome is about
/// the seal signatures and the chain: the payload is not hashed.
pub fn replay(
    bundle: &Bundle,
    trust: &TrustSet,
    expect_head: Option<&ExpectedHead>,
) -> (Outcome, CustodyTimeline) {
    let mut report = verify_without_payload(bundle, trust);
    if let Some(expected) = expect_head {
        check_expected_head(bundle, &mut report, expected);
        report.finish();
    }
    (report.status, CustodyTimeline::from(report))
}

/// The head a sender passed on is a prefix of the log: event N must be the
/// one it names (else the log was cut short, forked or rewritten); events
/// after N were added since, and are listed as such. The chain check has
/// already tied each event to the one before it, so event N's own bytes
/// give the head at N.
fn check_expected_head(bundle: &Bundle, report: &mut Report, expected: &ExpectedHead) {
    let ExpectedHead(text) = expected;
    let Some((sequence, _)) = text
        .split_once(':')
        .and_then(|(n, d)| Some((n.parse::<u64>().ok()?, d)))
    else {
        return;
    };
    let path = event_paths(sequence).event;
    let at_n = bundle
        .find(&path)
        .and_then(|entry| bundle.read_entry(entry, MAX_RECORD_BYTES).ok())
        .map(|bytes| format_head(sequence, &Sha256Digest::of(&bytes)));
    if at_n.as_deref() != Some(text.as_str()) {
        let found = match &at_n {
            Some(head) => format!("event {sequence} is {head}"),
            None => format!(
                "the log ends at {}",
                report.custody_head.as_deref().unwrap_or("(nothing)")
            ),
        };
        report.problems.push(Problem::new(
            ProblemCode::CustodyHeadMismatch,
            Some(CUSTODY_DIR),
            format!("{found}, expected {text}: events were removed, forked or rewritten"),
        ));
        return;
    }
    for entry in report.custody.iter().filter(|e| e.sequence > sequence) {
        let message = format!(
            "event {} ({}) was added after the head {text} you were given",
            entry.sequence, entry.action
        );
        let path = event_paths(entry.sequence).event;
        report.warnings.push(Problem::new(
            ProblemCode::CustodyAfterHead,
            Some(&path),
            message,
        ));
    }
}

/// `custody add`: under the bundle's append lock, checks the bundle (all
/// but the payload bytes: appending stays fast), then the hand-over rules,
/// then appends the signed event.
pub fn add(request: AddRequest<'_>, observer: &dyn Observer) -> Result<Appended, AppendError> {
    check_request(&request)?;
    if request.action == Action::Disclose {
        // The event names a disclosure bundle that exists.
        return Err(EventRequestError::DiscloseByHand.into());
    }
    let path = request.bundle;
    // Opened under the lock (which first rolls back an interrupted append).
    let lock = Bundle::lock(path, &|| observer.waiting_for_lock())?;
    let bundle = Bundle::open(path)?;
    let checked: Report = verify_without_payload(&bundle, &TrustSet::default());
    if !checked.problems.is_empty() {
        return Err(AppendError::DoesNotVerify {
            bundle: path.into(),
            problems: checked.problems,
        });
    }
    append_event(&bundle, &lock, request, observer)
}

/// Why the hand-over rules forbid `actor` to record `action` now, given
/// the transfer still open (to whom), if any.
fn hand_over_refusal(
    open_transfer: Option<KeyId>,
    action: Action,
    actor: &KeyId,
) -> Option<String> {
    match (open_transfer, action) {
        (Some(recipient), _) if recipient != *actor => Some(format!(
            "the evidence was transferred to key {recipient} and not yet received; only that key may act (key {actor} may not)"
        )),
        (None, Action::Receive) => {
            Some("receive without an open transfer: nothing was transferred".to_string())
        }
        (Some(_), Action::Transfer) => {
            Some("receive the evidence before transferring it again".to_string())
        }
        _ => None,
    }
}

/// The hand-over rules for the key `actor` claims to be (its `.pub`),
/// checked before its secret key is unlocked, so nobody types a
/// passphrase for a refusal that needs no key. Anything else wrong with
/// the bundle is left to [`add`], which checks it all again under the lock.
pub fn check_hand_over(bundle: &Path, action: Action, actor: &KeyId) -> Result<(), AppendError> {
    let Ok(opened) = Bundle::open(bundle) else {
        return Ok(());
    };
    let log = read_log(&opened);
    let Some(seal) = log.seal else {
        return Ok(());
    };
    let chain = check_chain(&log.events, &seal);
    if !chain.problems.is_empty() {
        return Ok(());
    }
    match hand_over_refusal(chain.open_transfer, action, actor) {
        Some(reason) => Err(AppendError::Refused {
            bundle: bundle.into(),
            reason,
        }),
        None => Ok(()),
    }
}

/// The action and recipient go together: only a transfer names one.
fn check_request(request: &AddRequest<'_>) -> Result<(), AppendError> {
    let refuse = |e: EventRequestError| Err(AppendError::Usage(e));
    match (request.action, request.recipient) {
        (Action::Seal, _) => refuse(EventRequestError::SealByHand),
        (Action::Transfer, None) => refuse(EventRequestError::TransferWithoutRecipient),
        (Action::Transfer, Some(_)) | (_, None) => Ok(()),
        (_, Some(_)) => refuse(EventRequestError::RecipientWithoutTransfer),
    }
}

/// Appends one signed event after checking the existing log and the
/// hand-over rules. The caller holds the bundle's append lock and opened
/// `bundle` after taking it.
pub fn append_event(
    bundle: &Bundle,
    lock: &AppendLock,
    request: AddRequest<'_>,
    observer: &dyn Observer,
) -> Result<Appended, AppendError> {
    check_request(&request)?;
    let does_not_verify = |problems| AppendError::DoesNotVerify {
        bundle: request.bundle.into(),
        problems,
    };
    let CustodyLog {
        seal,
        mut events,
        mut problems,
    } = read_log(bundle);
    let orphan = trailing_orphan_signature(&mut events);
    let Some(seal) = seal else {
        return Err(does_not_verify(problems));
    };
    let chain = check_chain(&events, &seal);
    problems.extend(chain.problems);
    let Some((last, _)) = chain.head.filter(|_| problems.is_empty()) else {
        return Err(does_not_verify(problems));
    };
    let actor_id = request.key.id();
    if let Some(reason) = hand_over_refusal(chain.open_transfer, request.action, &actor_id) {
        return Err(AppendError::Refused {
            bundle: request.bundle.into(),
            reason,
        });
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
    let signed = sign_event(request.key, new, &seal, previous.as_deref())
        .map_err(AppendError::Certificate)?;
    let paths = signed.paths();
    if orphan == Some(signed.sequence) {
        // Left by an interrupted append to a directory bundle: the event it
        // would sign was never written, so it is not part of the log.
        bundle.remove_orphan(lock, &paths.signature)?;
    }
    let head = format_head(signed.sequence, &Sha256Digest::of(&signed.event));
    let mut signed = signed;
    let token = match request.tsa {
        Some(authority) => Some(stamp(authority, &mut signed.signature)?),
        None => None,
    };
    // The signature first: until the event itself exists, the log is
    // unchanged. The token last: it is never stored for an event that is
    // not there, and an event without its token is still a sound log.
    let mut files = vec![
        NewFile {
            name: paths.signature,
            bytes: signed.signature,
        },
        NewFile {
            name: paths.event,
            bytes: signed.event,
        },
    ];
    if let (Some(token), Some(authority)) = (token, request.tsa) {
        files.extend(material_for_token(
            &token.response,
            authority.timeout(),
            observer,
        ));
        files.push(NewFile {
            name: TokenTarget::Custody(signed.sequence).token_path(),
            bytes: token.response,
        });
    }
    bundle.append(lock, &files, request.time)?;
    Ok(Appended {
        sequence: signed.sequence,
        head,
        warnings: chain.warnings,
    })
}
