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
use crate::tsp::Cert;

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

/// An issuing authority the policy trusts (`[[authority]]`): a signature
/// by a certificate counts when the certificate chains to one of its roots
/// and matches its subject and policies, for its roles, in its window,
/// unless its serial is revoked.
#[derive(Debug, Clone)]
pub struct PolicyAuthority {
    /// The `ca` file, resolved against the policy's folder.
    pub ca: PathBuf,
    pub roots: Vec<Cert>,
    /// Who the receiver believes the authority is.
    pub name: Option<String>,
    /// Every (attribute, value) given must be in the certificate's subject.
    pub subject: Vec<(String, String)>,
    /// When given, the certificate must carry one of these policy OIDs.
    pub policy_oids: Vec<String>,
    pub roles: BTreeSet<Role>,
    pub not_before: Option<UtcTime>,
    pub not_after: Option<UtcTime>,
    /// Serial numbers (lowercase hex, no leading zeros) no longer trusted.
    pub revoked_serials: BTreeSet<String>,
}

/// A certificate signer as a policy judges it.
#[derive(Debug, Clone, Copy)]
pub struct CertificateSigner<'a> {
    /// The authorities (indexes into `TrustPolicy::authorities`) whose
    /// roots its certificate's path reaches, valid at the signing time.
    pub reaches: &'a [usize],
    pub subject: &'a [(String, String)],
    pub policy_oids: &'a [String],
    /// Lowercase hex of the serial number.
    pub serial: &'a str,
}

/// A serial number as policies compare them: lowercase hex, no leading zero.
fn normal_serial(serial: &str) -> String {
    let lower = serial.to_ascii_lowercase();
    let trimmed = lower.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".into()
    } else {
        trimmed.to_string()
    }
}

impl PolicyAuthority {
    fn matches(&self, signer: &CertificateSigner<'_>) -> bool {
        let subject = self
            .subject
            .iter()
            .all(|wanted| signer.subject.contains(wanted));
        let policies = self.policy_oids.is_empty()
            || self
                .policy_oids
                .iter()
                .any(|oid| signer.policy_oids.contains(oid));
        subject && policies
    }
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
    pub authorities: Vec<PolicyAuthority>,
    /// Distinct trusted seal signatures a seal needs.
    pub min_signers: usize,
    pub require_timestamp: bool,
    /// TSA root files (paths resolved against the policy's folder).
    pub tsa_ca: Vec<PathBuf>,
    /// The certificates of those files, read when the policy was.
    pub tsa_roots: Vec<Cert>,
    /// `[validation] require_revocation`: a proof whose revocation was not
    /// checked does not count.
    pub require_revocation: bool,
    /// `[validation] require_renewal`: a proof counts only while its
    /// certificates are valid at the moment judged, or while an evidence
    /// record renewed in time covers it.
    pub require_renewal: bool,
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
    authority: Vec<Spanned<RawAuthority>>,
    #[serde(default)]
    seal: Option<RawSeal>,
    #[serde(default)]
    time: Option<RawTime>,
    #[serde(default)]
    validation: Option<RawValidation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValidation {
    #[serde(default)]
    require_revocation: bool,
    #[serde(default)]
    require_renewal: bool,
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
struct RawAuthority {
    ca: Spanned<String>,
    name: Option<String>,
    subject: Option<Spanned<String>>,
    #[serde(default)]
    policy_oids: Vec<Spanned<String>>,
    roles: Spanned<Vec<Spanned<String>>>,
    not_before: Option<Spanned<TimeValue>>,
    not_after: Option<Spanned<TimeValue>>,
    #[serde(default)]
    revoked_serials: Vec<Spanned<String>>,
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

/// Where the files a policy names (key files, `ca`, `tsa_ca`) are read.
pub enum PolicyFiles<'a> {
    /// Beside the policy file, as its names say.
    Beside,
    /// Among files handed in as `(file name, bytes)`, as a browser's person
    /// chose them: a name in the policy is matched by its last component.
    Given(&'a [(String, Vec<u8>)]),
}

impl PolicyFiles<'_> {
    /// The bytes of the file the policy calls `name`.
    pub fn read(&self, folder: &Path, name: &str) -> std::io::Result<Vec<u8>> {
        match self {
            PolicyFiles::Beside => {
                use std::io::Read as _;
                let mut bytes = Vec::new();
                std::fs::File::open(folder.join(name))?
                    .take(crate::limits::MAX_CA_FILE_BYTES + 1)
                    .read_to_end(&mut bytes)?;
                if bytes.len() as u64 > crate::limits::MAX_CA_FILE_BYTES {
                    return Err(std::io::Error::other(format!(
                        "larger than {} bytes",
                        crate::limits::MAX_CA_FILE_BYTES
                    )));
                }
                Ok(bytes)
            }
            PolicyFiles::Given(files) => {
                let wanted = Path::new(name).file_name();
                files
                    .iter()
                    .find(|(given, _)| Some(std::ffi::OsStr::new(given)) == wanted)
                    .map(|(_, bytes)| bytes.clone())
                    .ok_or_else(|| {
                        std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            "not among the files chosen",
                        )
                    })
            }
        }
    }
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
        Self::parse_with(text, path, sha256, &PolicyFiles::Beside)
    }

    /// [`TrustPolicy::parse`], reading the files the policy names from `files`.
    pub fn parse_with(
        text: &str,
        path: &Path,
        sha256: Sha256Digest,
        files: &PolicyFiles<'_>,
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
        if raw.key.is_empty() && raw.authority.is_empty() {
            return Err(error(
                None,
                "no [[key]] and no [[authority]]: a policy that lists nobody would trust nobody (and never everybody)"
                    .into(),
            ));
        }
        let folder = crate::fsx::parent_or_dot(path);
        let mut keys: Vec<PolicyKey> = Vec::with_capacity(raw.key.len());
        for entry in raw.key {
            let at = entry.span().start;
            let key = check_key(entry.into_inner(), folder, files, &|offset, message| {
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
        let mut authorities = Vec::with_capacity(raw.authority.len());
        for entry in raw.authority {
            authorities.push(check_authority(
                entry.into_inner(),
                folder,
                files,
                &|offset, message| error(Some(offset), message),
            )?);
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
        let (require_timestamp, tsa_ca, tsa_roots) = match raw.time {
            None => (false, Vec::new(), Vec::new()),
            Some(time) => {
                let mut paths = Vec::new();
                let mut roots = Vec::new();
                for file in time.tsa_ca {
                    let resolved = folder.join(file.get_ref());
                    let at = Some(file.span().start);
                    let pem = files
                        .read(folder, file.get_ref())
                        .map_err(|e| error(at, format!("tsa_ca {}: {e}", resolved.display())))?;
                    roots.extend(crate::tsp::certificates_from_pem(&pem).map_err(|e| {
                        error(
                            at,
                            format!(
                                "tsa_ca {}: not a PEM certificate file: {e}",
                                resolved.display()
                            ),
                        )
                    })?);
                    paths.push(resolved);
                }
                (time.require_timestamp, paths, roots)
            }
        };
        Ok(TrustPolicy {
            path: path.into(),
            sha256,
            keys,
            authorities,
            min_signers,
            require_timestamp,
            tsa_ca,
            tsa_roots,
            require_revocation: raw
                .validation
                .as_ref()
                .is_some_and(|v| v.require_revocation),
            require_renewal: raw.validation.as_ref().is_some_and(|v| v.require_renewal),
        })
    }

    /// The entry for a key, if the policy lists it.
    pub fn key(&self, key_id: &KeyId) -> Option<&PolicyKey> {
        self.keys.iter().find(|k| &k.key_id == key_id)
    }

    /// Whether a signature by a certificate counts for `role` at `time`:
    /// an authority whose roots it reaches and whose subject and policies
    /// it matches gives it the role, at that time, and has not revoked its
    /// serial. The reason of the closest authority when none does.
    pub fn decide_certificate(
        &self,
        signer: &CertificateSigner<'_>,
        role: Role,
        time: SigningTime,
    ) -> Result<(), NotTrusted> {
        let mut reason = NotTrusted::NotListed;
        for authority in signer
            .reaches
            .iter()
            .filter_map(|&i| self.authorities.get(i))
            .filter(|a| a.matches(signer))
        {
            let decided = (|| {
                if !authority.roles.contains(&role) {
                    return Err(NotTrusted::Role);
                }
                let at = self.signing_time(time)?;
                if authority
                    .revoked_serials
                    .contains(&normal_serial(signer.serial))
                {
                    return Err(NotTrusted::Revoked);
                }
                check_window(at, authority.not_before, authority.not_after)
            })();
            match decided {
                Ok(()) => return Ok(()),
                Err(why) => reason = why,
            }
        }
        Err(reason)
    }

    /// The time a decision is made at: proven when there is a proof; else
    /// claimed, unless proof is required.
    fn signing_time(&self, time: SigningTime) -> Result<UtcTime, NotTrusted> {
        match (time.proven, self.require_timestamp) {
            (Some(proven), _) => Ok(proven),
            (None, true) => Err(NotTrusted::TimeNotProven),
            (None, false) => time.claimed.ok_or(NotTrusted::TimeNotProven),
        }
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
        let at = self.signing_time(time)?;
        if key.revoked_at.is_some_and(|revoked| at >= revoked) {
            return Err(NotTrusted::Revoked);
        }
        check_window(at, key.not_before, key.not_after)
    }
}

/// `at` inside `[not_before, not_after]`.
fn check_window(
    at: UtcTime,
    not_before: Option<UtcTime>,
    not_after: Option<UtcTime>,
) -> Result<(), NotTrusted> {
    if not_after.is_some_and(|end| at > end) {
        return Err(NotTrusted::Expired);
    }
    if not_before.is_some_and(|start| at < start) {
        return Err(NotTrusted::NotYetValid);
    }
    Ok(())
}

fn check_roles(
    raw: &Spanned<Vec<Spanned<String>>>,
    error: &dyn Fn(usize, String) -> PolicyError,
) -> Result<BTreeSet<Role>, PolicyError> {
    let mut roles = BTreeSet::new();
    for role in raw.get_ref() {
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
            raw.span().start,
            "roles is empty: a signer that may sign nothing".into(),
        ));
    }
    Ok(roles)
}

fn check_time(
    value: Option<Spanned<TimeValue>>,
    what: &str,
    error: &dyn Fn(usize, String) -> PolicyError,
) -> Result<Option<UtcTime>, PolicyError> {
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
}

/// `not_before` and `not_after`, parsed, the end not before the start.
fn check_window_fields(
    not_before: Option<Spanned<TimeValue>>,
    not_after: Option<Spanned<TimeValue>>,
    error: &dyn Fn(usize, String) -> PolicyError,
) -> Result<(Option<UtcTime>, Option<UtcTime>), PolicyError> {
    let not_before = check_time(not_before, "not_before", error)?;
    let not_after_at = not_after.as_ref().map(|v| v.span().start);
    let not_after = check_time(not_after, "not_after", error)?;
    if let (Some(start), Some(end), Some(at)) = (not_before, not_after, not_after_at) {
        if end < start {
            return Err(error(
                at,
                format!("not_after {end} is before not_before {start}"),
            ));
        }
    }
    Ok((not_before, not_after))
}

fn check_authority(
    raw: RawAuthority,
    folder: &Path,
    files: &PolicyFiles<'_>,
    error: &dyn Fn(usize, String) -> PolicyError,
) -> Result<PolicyAuthority, PolicyError> {
    let ca = folder.join(raw.ca.get_ref());
    let at = raw.ca.span().start;
    let pem = files
        .read(folder, raw.ca.get_ref())
        .map_err(|e| error(at, format!("ca {}: {e}", ca.display())))?;
    let roots = crate::tsp::certificates_from_pem(&pem).map_err(|e| {
        error(
            at,
            format!("ca {}: not a PEM certificate file: {e}", ca.display()),
        )
    })?;
    let mut subject = Vec::new();
    if let Some(text) = &raw.subject {
        for part in text
            .get_ref()
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let Some((name, value)) = part.split_once('=') else {
                return Err(error(
                    text.span().start,
                    format!("subject: {part:?} is not NAME=VALUE (e.g. O=Ministry, OU=A05)"),
                ));
            };
            subject.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    let mut policy_oids = Vec::new();
    for oid in raw.policy_oids {
        let parsed: Result<der::asn1::ObjectIdentifier, _> = oid.get_ref().parse();
        match parsed {
            Ok(parsed) => policy_oids.push(parsed.to_string()),
            Err(_) => {
                return Err(error(
                    oid.span().start,
                    format!(
                        "policy_oids: {:?} is not an OID (e.g. 1.2.3.4)",
                        oid.get_ref()
                    ),
                ))
            }
        }
    }
    let roles = check_roles(&raw.roles, error)?;
    let (not_before, not_after) = check_window_fields(raw.not_before, raw.not_after, error)?;
    let mut revoked_serials = BTreeSet::new();
    for serial in raw.revoked_serials {
        let text = serial.get_ref().replace(':', "");
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(error(
                serial.span().start,
                format!(
                    "revoked_serials: {:?} is not a hex serial number",
                    serial.get_ref()
                ),
            ));
        }
        revoked_serials.insert(normal_serial(&text));
    }
    Ok(PolicyAuthority {
        ca,
        roots,
        name: raw.name,
        subject,
        policy_oids,
        roles,
        not_before,
        not_after,
        revoked_serials,
    })
}

fn check_key(
    raw: RawKey,
    folder: &Path,
    files: &PolicyFiles<'_>,
    error: &dyn Fn(usize, String) -> PolicyError,
) -> Result<PolicyKey, PolicyError> {
    let text = raw.public_key.get_ref();
    let at = raw.public_key.span().start;
    let public = if text.contains("-----BEGIN") {
        PublicKey::from_spki_pem(text)
    } else if let PolicyFiles::Given(_) = files {
        let path = folder.join(text);
        let bytes = files
            .read(folder, text)
            .map_err(|e| error(at, format!("public_key {}: {e}", path.display())))?;
        let pem = std::str::from_utf8(&bytes)
            .map_err(|_| error(at, format!("public_key {}: not a PEM file", path.display())))?;
        PublicKey::from_spki_pem_named(pem, &path)
    } else {
        PublicKey::load(&folder.join(text))
    }
    .map_err(|e| error(at, format!("public_key: {e}")))?;
    let roles = check_roles(&raw.roles, error)?;
    let (not_before, not_after) = check_window_fields(raw.not_before, raw.not_after, error)?;
    let revoked_at = check_time(raw.revoked_at, "revoked_at", error)?;
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
