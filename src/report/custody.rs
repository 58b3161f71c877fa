//! One custody event as timelines and reports show it: what the event
//! says, whether its signature verifies, and what verify decided about
//! its signer and its time.

use serde::Serialize;

use crate::format::custody::CheckedEvent;
use crate::keys::KeyId;
use crate::report::TimestampReport;
use crate::time::UtcTime;
use crate::tsp::GenTime;

/// One custody event as shown in timelines and reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustodyEntry {
    pub sequence: u64,
    pub action: String,
    pub time: UtcTime,
    pub actor_key_id: KeyId,
    /// Signed by a certificate: what it says and the root it reaches.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<crate::report::CertificateReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor_organization: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient_key_id: Option<KeyId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The signature verifies and is by the actor's key (`valid` in JSON,
    /// the name seal signers use for the same idea).
    #[serde(rename = "valid")]
    pub signature_valid: bool,
    /// The actor's key counts for custody: a `--trust` key, or one the
    /// trust policy allows at the event's time.
    pub trusted: bool,
    /// Why it does not (see `SignerReport::untrusted_reason`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub untrusted_reason: Option<String>,
    /// `genTime` of a trusted time-stamp token on the event's signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proven_time: Option<GenTime>,
    /// The time-stamp token on the event's signature, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<TimestampReport>,
}

/// An event as the chain check found it: not trusted and with no token
/// yet; verify fills both in once every signature and token is known.
impl From<&CheckedEvent> for CustodyEntry {
    fn from(checked: &CheckedEvent) -> Self {
        let event = &checked.event;
        CustodyEntry {
            sequence: event.sequence,
            action: event.action.to_string(),
            time: event.time,
            actor_key_id: event.actor.key_id,
            certificate: checked.certificate.as_deref().map(Into::into),
            actor_name: event.actor.name.clone(),
            actor_organization: event.actor.organization.clone(),
            recipient_key_id: event.recipient_key_id,
            note: event.note.clone(),
            location: event.location.clone(),
            signature_valid: checked.signature_valid,
            trusted: false,
            untrusted_reason: None,
            proven_time: None,
            timestamp: None,
        }
    }
}
