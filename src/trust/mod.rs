//! Whom the receiver trusts: the keys given with `--trust` (for everything,
//! always), the TSA roots given with `--tsa-ca`, and a trust policy
//! (`--trust-policy`: roles, validity windows, revocation, how many
//! sealers, its own TSA roots). Nothing trusted means "trust nobody", never
//! "trust anybody".

use std::collections::BTreeSet;

use crate::keys::{KeyId, PublicKey};
use crate::tsp::Cert;

mod policy;

pub use policy::{
    CertificateSigner, NotTrusted, PolicyAuthority, PolicyError, PolicyFiles, PolicyKey, Role,
    SigningTime, TrustPolicy,
};

/// The keys, TSA roots and policy a receiver trusts.
#[derive(Debug, Clone, Default)]
pub struct TrustSet {
    ids: BTreeSet<KeyId>,
    tsa_roots: Vec<Cert>,
    /// Roots a signer's certificate may chain to (`--ca`).
    cas: Vec<Cert>,
    policy: Option<TrustPolicy>,
    /// The moment judged (`--at`); none: now.
    at: Option<crate::time::UtcTime>,
}

impl TrustSet {
    pub fn new(keys: &[PublicKey]) -> Self {
        TrustSet {
            ids: keys.iter().map(PublicKey::key_id).collect(),
            tsa_roots: Vec::new(),
            cas: Vec::new(),
            policy: None,
            at: None,
        }
    }

    /// The same, judged as of `at` instead of now (`--at`: what a court
    /// would see then, or when a proof lapses).
    pub fn judged_at(mut self, at: Option<crate::time::UtcTime>) -> Self {
        self.at = at;
        self
    }

    /// The moment judged: `--at`, else now.
    pub fn moment(&self) -> crate::time::UtcTime {
        self.at.unwrap_or_else(crate::time::UtcTime::now)
    }

    /// Whether the moment was given (`--at`) rather than now.
    pub fn moment_given(&self) -> Option<crate::time::UtcTime> {
        self.at
    }

    /// A proof whose revocation was not checked does not count (policy
    /// `[validation] require_revocation`).
    pub fn require_revocation(&self) -> bool {
        self.policy.as_ref().is_some_and(|p| p.require_revocation)
    }

    /// A proof counts only while its certificates are valid at the moment
    /// judged or an evidence record renewed in time covers it (policy
    /// `[validation] require_renewal`).
    pub fn require_renewal(&self) -> bool {
        self.policy.as_ref().is_some_and(|p| p.require_renewal)
    }

    /// The same keys, and these TSA root certificates (`--tsa-ca`, and
    /// the policy's `tsa_ca`).
    pub fn with_tsa_roots(mut self, roots: Vec<Cert>) -> Self {
        self.tsa_roots.extend(roots);
        self
    }

    /// Certificates a time-stamp token's path may end at.
    pub fn tsa_roots(&self) -> &[Cert] {
        &self.tsa_roots
    }

    /// The same, and these roots for certificate signatures (`--ca`).
    pub fn with_cas(mut self, roots: Vec<Cert>) -> Self {
        self.cas.extend(roots);
        self
    }

    /// Roots a signer's certificate path may end at.
    pub fn cas(&self) -> &[Cert] {
        &self.cas
    }

    /// Adds a trust policy beside the `--trust` keys.
    pub fn with_policy(mut self, policy: TrustPolicy) -> Self {
        self.policy = Some(policy);
        self
    }

    pub fn policy(&self) -> Option<&TrustPolicy> {
        self.policy.as_ref()
    }

    /// Whether a `--trust` key is this one.
    pub fn contains(&self, id: &KeyId) -> bool {
        self.ids.contains(id)
    }

    /// Whether a valid signature by `key` counts for `role`: a `--trust`
    /// key counts for everything, always; otherwise the policy decides.
    pub fn decide(&self, key: &KeyId, role: Role, time: SigningTime) -> Result<(), NotTrusted> {
        if self.ids.contains(key) {
            return Ok(());
        }
        match &self.policy {
            Some(policy) => policy.decide(key, role, time),
            None => Err(NotTrusted::NotListed),
        }
    }

    /// Distinct trusted seal signatures a seal needs (the policy's
    /// `min_signers`, else one).
    pub fn min_signers(&self) -> usize {
        self.policy.as_ref().map_or(1, |p| p.min_signers)
    }
}
