//! What every signed document shares: one canonical JSON spelling, parsing
//! into a checked value, and the claimed party (name, organization).
//!
//! A signed document is stored as the exact bytes that were signed; parsing
//! turns those bytes into a checked value (right type and version, canonical
//! fields), and verification always runs over the stored bytes, never over a
//! re-serialization.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::keys::Identity;

/// A claimed name and organization (of an examiner, signer or actor).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
}

impl From<&Identity> for Party {
    fn from(identity: &Identity) -> Self {
        Party {
            name: identity.name.clone(),
            organization: identity.organization.clone(),
        }
    }
}

/// A signed document that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("{file}: not valid JSON for {expected}: {reason}")]
    Malformed {
        file: String,
        expected: &'static str,
        reason: String,
    },
    #[error("{file}: type is {found:?}, expected {expected:?}")]
    WrongType {
        file: String,
        expected: &'static str,
        found: String,
    },
    #[error("{file}: {reason}")]
    Invalid { file: String, reason: String },
}

/// A JSON object as a map, refusing a key given twice (serde would keep the
/// last one silently, so two readers could disagree on what was signed).
pub(crate) fn unique_keys<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = BTreeMap<String, String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object of strings")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<String, String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!("duplicate key {key:?}")));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Visitor)
}

/// Pretty JSON with a final newline: readable in court, one spelling.
pub(crate) fn to_document_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

pub(crate) fn parse_document<T: for<'de> Deserialize<'de>>(
    bytes: &[u8],
    file: &str,
    expected: &'static str,
) -> Result<T, DocumentError> {
    serde_json::from_slice(bytes).map_err(|e| DocumentError::Malformed {
        file: file.into(),
        expected,
        reason: e.to_string(),
    })
}
