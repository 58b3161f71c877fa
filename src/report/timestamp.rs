//! What a report says about one signature's RFC 3161 time-stamp token.

use serde::Serialize;

use crate::format::timestamp::TokenCheck;
use crate::tsp::GenTime;

/// What a report says about one signature's token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimestampReport {
    /// Bag path of the token file.
    pub file: String,
    /// The token is sound and covers this signature.
    pub valid: bool,
    /// Valid, and the TSA's certificate chains to a `--tsa-ca` root with
    /// every certificate valid at `gen_time`: the time is proven.
    pub trusted: bool,
    /// The time the TSA states (`genTime`), when the token could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gen_time: Option<GenTime>,
    /// Subject of the TSA's certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tsa: Option<String>,
    /// The `--tsa-ca` root its path ends at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    /// The token's serial number (hex) and policy, as the TSA gave them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// For a trusted token: what the validation material says of its TSA
    /// chain at `gen_time` (`good`, `revoked`, `not-checked`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation_detail: Option<String>,
    /// When the first certificate of its TSA chain expires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<crate::time::UtcTime>,
}

/// What a report says about the bundle's RFC 4998 evidence record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceRecordReport {
    /// Its bag path.
    pub file: String,
    /// It parses, its hash trees lead to what its tokens cover, and every
    /// token is sound.
    pub valid: bool,
    /// Valid, every token's TSA reaches a `--tsa-ca` root with its
    /// revocation not found revoked, and each archive time-stamp was
    /// renewed before its TSA certificate expired.
    pub trusted: bool,
    pub stamps: Vec<ArchiveStampReport>,
    /// The tag files it covers since its first archive time-stamp.
    pub covers: Vec<String>,
    /// The first archive time-stamp's time: what the covered files are
    /// proven to have existed by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proven_since: Option<GenTime>,
    /// When its last archive time-stamp's certificates expire: renew
    /// before then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renew_before: Option<crate::time::UtcTime>,
    /// Why it does not hold at the moment judged, when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lapsed: Option<String>,
}

/// One archive time-stamp of an evidence record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchiveStampReport {
    /// Chain and stamp, numbered from 0.
    pub chain: usize,
    pub stamp: usize,
    /// The chain's hash algorithm (`sha256`, `sha384`, `sha512`).
    pub algorithm: &'static str,
    pub gen_time: GenTime,
    pub tsa: String,
    /// The `--tsa-ca` root its TSA reaches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    pub revocation: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<crate::time::UtcTime>,
}

impl TimestampReport {
    /// The proven time: `genTime` of a valid, trusted token.
    pub fn proven_time(&self) -> Option<GenTime> {
        self.gen_time.filter(|_| self.valid && self.trusted)
    }
}

impl From<&TokenCheck> for TimestampReport {
    fn from(check: &TokenCheck) -> Self {
        TimestampReport {
            file: check.file.clone(),
            valid: check.valid,
            // A root is found only for a valid token.
            trusted: check.valid && check.root.is_some(),
            gen_time: check.gen_time,
            tsa: check.tsa.clone(),
            root: check.root.clone(),
            serial: check.serial.clone(),
            policy: check.policy.clone(),
            revocation: None,
            revocation_detail: None,
            expires: None,
        }
    }
}
