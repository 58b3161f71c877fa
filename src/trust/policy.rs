//! The trust policy (`--trust-policy FILE`, TOML): which keys may sign
//! seals and which custody events, from when to when, which were revoked,
//! how many independent sealers a seal needs, and whether a signing time
//! must be proven by a trusted RFC 3161 token. Parsed into checked types:
//! an unknown member, an unknown role, a key that is not Ed25519, a key
//! listed twice or a policy with no key at all is an error naming the file
//! and line. An empty policy never means "trust everything".

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::digest::Sha256Digest;
use crate::keys::{KeyId, PublicKey};
use crate::limits::MAX_TAG_BYTES;
use crate::time::UtcTime;

/// What a key may sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Seal statements (`exhibit seal`, `exhibit sign`).
    Seal,
    /// Custody events (`exhibit custody add`).
    Custody,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Seal => "seal",
            Role::Custody => "custody",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a signature does not count, in the words reports use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotTrusted {
    /// The key is in no `--trust` file and not in the policy.
    NotListed,
    /// The policy lists the key, but not for this role.
    Role,
    /// Signed after the key's `not_after`.
    Expired,
    /// Signed before the key's `not_before`.
    NotYetValid,
    /// Signed at or after the key's `revoked_at`.
    Revoked,
    /// The policy requires a time proven by a trusted timestamp, and there
    /// is none.
    TimeNotProven,
}

impl NotTrusted {
    pub fn as_str(self) -> &'static str {
        match self {
            NotTrusted::NotListed => "not listed",
            NotTrusted::Role => "role",
            NotTrusted::Expired => "expired",
            NotTrusted::NotYetValid => "not yet valid",
            NotTrusted::Revoked => "revoked",
            NotTrusted::TimeNotProven => "time not proven",
        }
    }
}

impl fmt::Display for NotTrusted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When a signature was made, as far as this run knows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SigningTime {
    /// What the signer's own clock said (`signed_at`, an event's `time`).
    pub claimed: Option<UtcTime>,
    /// The genTime of a trusted RFC 3161 token over the signature.
    pub proven: Option<UtcTime>,
}

/// One key the policy lists, checked.
#[derive(Debug, Clone)]
pub struct PolicyKey {
    pub key_id: KeyId,
    /// Who the receiver believes holds the key.
    pub name: Option<String>,
    pub organization: Option<String>,
    pub roles: BTreeSet<Role>,
    pub not_before: Option<UtcTime>,
    pub not_after: Option<UtcTime>,
    pub revoked_at: Option<UtcTime>,
}

/// A checked trust policy.
#[derive(Debug, Clone)]
pub struct TrustPolicy {
    /// The file it was read from.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, so a report says which decisions were
    /// applied.
    pub sha256: Sha256Digest,
    pub keys: Vec<PolicyKey>,
    /// Distinct trusted seal signatures a seal needs.
    pub min_signers: usize,
    pub require_timestamp: bool,
    /// TSA root certificates (paths resolved against the policy's folder).
    pub tsa_ca: Vec<PathBuf>,
}

/// A policy that cannot be used (exit 2): names the file and, when known,
/// the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for PolicyError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    version: Spanned<u32>,
    #[serde(default)]
    key: Vec<Spanned<RawKey>>,
    #[serde(default)]
    seal: Option<RawSeal>,
    #[serde(default)]
    time: Option<RawTime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKey {
    public_key: Spanned<String>,
    name: Option<String>,
    organization: Option<String>,
    roles: Spanned<Vec<Spanned<String>>>,
    not_before: Option<Spanned<TimeValue>>,
    not_after: Option<Spanned<TimeValue>>,
    revoked_at: Option<Spanned<TimeValue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeal {
    min_signers: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTime {
    #[serde(default)]
    require_timestamp: bool,
    #[serde(default)]
    tsa_ca: Vec<Spanned<String>>,
}

/// A time written as a string (`"2026-01-01T00:00:00Z"`) or as a TOML
/// date-time (`2026-01-01T00:00:00Z`).
#[derive(Deserialize)]
#[serde(untagged)]
enum TimeValue {
    Text(String),
    Toml(toml::value::Datetime),
}

impl TrustPolicy {
    /// Reads and checks a policy file.
    pub fn load(path: &Path) -> Result<TrustPolicy, PolicyError> {
        let error = |line, message: String| PolicyError {
            path: path.into(),
            line,
            message,
        };
        let bytes = std::fs::read(path).map_err(|e| error(None, format!("cannot read: {e}")))?;
        if bytes.len() as u64 > MAX_TAG_BYTES {
            return Err(error(None, "larger than 1 MiB: not a trust policy".into()));
        }
        let text = std::str::from_utf8(&bytes).map_err(|_| error(None, "not UTF-8 text".into()))?;
        Self::parse(text, path, Sha256Digest::of(&bytes))
    }

    /// Parses the text of a policy read from `path` (key files and TSA roots
    /// are resolved against its folder).
    pub fn parse(
        text: &str,
        path: &Path,
        sha256: Sha256Digest,
    ) -> Result<TrustPolicy, PolicyError> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let error = |offset: Option<usize>, message: String| PolicyError {
            path: path.into(),
            line: offset.map(line_of),
            message,
        };
        let raw: RawPolicy = toml::from_str(text).map_err(|e| {
            let message = e.message().to_string();
            error(e.span().map(|s| s.start), message)
        })?;
        if *raw.version.get_ref() != 1 {
            return Err(error(
                Some(raw.version.span().start),
                format!(
                    "version {} is not supported (only 1)",
                    raw.version.get_ref()
                ),
            ));
        }
        if raw.key.is_empty() {
            return Err(error(
                None,
                "no [[key]]: a policy that lists no key would trust nobody (and never everybody)"
                    .into(),
            ));
        }
        let folder = crate::fsx::parent_or_dot(path);
        let mut keys: Vec<PolicyKey> = Vec::with_capacity(raw.key.len());
        for entry in raw.key {
            let at = entry.span().start;
            let key = check_key(entry.into_inner(), folder, &|offset, message| {
                error(Some(offset), message)
            })?;
            if let Some(first) = keys.iter().find(|k| k.key_id == key.key_id) {
                return Err(error(
                    Some(at),
                    format!(
                        "key {} is listed twice (also as {:?})",
                        key.key_id,
                        first.name.as_deref().unwrap_or("an earlier entry")
                    ),
                ));
            }
            keys.push(key);
        }
        let min_signers = match raw.seal.and_then(|s| s.min_signers) {
            None => 1,
            Some(n) => match usize::try_from(*n.get_ref()) {
                Ok(count) if count >= 1 => count,
                _ => {
                    return Err(error(
                        Some(n.span().start),
                        "min_signers must be at least 1".into(),
                    ))
                }
            },
        };
        let (require_timestamp, tsa_ca) = match raw.time {
            None => (false, Vec::new()),
            Some(time) => {
                let mut roots = Vec::new();
                for file in time.tsa_ca {
                    let resolved = folder.join(file.get_ref());
                    if !resolved.is_file() {
                        return Err(error(
                            Some(file.span().start),
                            format!("tsa_ca {}: no such file", resolved.display()),
                        ));
                    }
                    roots.push(resolved);
                }
                (time.require_timestamp, roots)
            }
        };
        Ok(TrustPolicy {
            path: path.into(),
            sha256,
            keys,
            min_signers,
            require_timestamp,
            tsa_ca,
        })
    }

    /// The entry for a key, if the policy lists it.
    pub fn key(&self, key_id: &KeyId) -> Option<&PolicyKey> {
        self.keys.iter().find(|k| &k.key_id == key_id)
    }

    /// Whether a signature by `key_id` counts for `role` at `time`: the
    /// key is listed with the role, and the signing time (proven when
    /// there is a proof; else claimed, unless proof is required) is inside
    /// `[not_before, not_after]` and before `revoked_at`.
    pub fn decide(&self, key_id: &KeyId, role: Role, time: SigningTime) -> Result<(), NotTrusted> {
        let key = self.key(key_id).ok_or(NotTrusted::NotListed)?;
        if !key.roles.contains(&role) {
            return Err(NotTrusted::Role);
        }
        let at = match (time.proven, self.require_timestamp) {
            (Some(proven), _) => proven,
            (None, true) => return Err(NotTrusted::TimeNotProven),
            (None, false) => time.claimed.ok_or(NotTrusted::TimeNotProven)?,
        };
        if key.revoked_at.is_some_and(|revoked| at >= revoked) {
            return Err(NotTrusted::Revoked);
        }
        if key.not_after.is_some_and(|end| at > end) {
            return Err(NotTrusted::Expired);
        }
        if key.not_before.is_some_and(|start| at < start) {
            return Err(NotTrusted::NotYetValid);
        }
        Ok(())
    }
}

fn check_key(
    raw: RawKey,
    folder: &Path,
    error: &dyn Fn(usize, String) -> PolicyError,
) -> Result<PolicyKey, PolicyError> {
    let text = raw.public_key.get_ref();
    let at = raw.public_key.span().start;
    let public = if text.contains("-----BEGIN") {
        PublicKey::from_spki_pem(text)
    } else {
        PublicKey::load(&folder.join(text))
    }
    .map_err(|e| error(at, format!("public_key: {e}")))?;
    let mut roles = BTreeSet::new();
    for role in raw.roles.get_ref() {
        roles.insert(match role.get_ref().as_str() {
            "seal" => Role::Seal,
            "custody" => Role::Custody,
            other => {
                return Err(error(
                    role.span().start,
                    format!("unknown role {other:?} (roles are \"seal\" and \"custody\")"),
                ))
            }
        });
    }
    if roles.is_empty() {
        return Err(error(
            raw.roles.span().start,
            "roles is empty: a key that may sign nothing".into(),
        ));
    }
    let time =
        |value: Option<Spanned<TimeValue>>, what: &str| -> Result<Option<UtcTime>, PolicyError> {
            let Some(value) = value else {
                return Ok(None);
            };
            let at = value.span().start;
            let text = match value.into_inner() {
                TimeValue::Text(text) => text,
                TimeValue::Toml(datetime) => datetime.to_string(),
            };
            UtcTime::parse_rfc3339(&text)
                .map(Some)
                .map_err(|e| error(at, format!("{what}: {e}")))
        };
    let not_before = time(raw.not_before, "not_before")?;
    let not_after_at = raw.not_after.as_ref().map(|v| v.span().start);
    let not_after = time(raw.not_after, "not_after")?;
    let revoked_at = time(raw.revoked_at, "revoked_at")?;
    if let (Some(start), Some(end), Some(at)) = (not_before, not_after, not_after_at) {
        if end < start {
            return Err(error(
                at,
                format!("not_after {end} is before not_before {start}"),
            ));
        }
    }
    Ok(PolicyKey {
        key_id: public.key_id(),
        name: raw.name,
        organization: raw.organization,
        roles,
        not_before,
        not_after,
        revoked_at,
    })
}
