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
        }
    }
}
