//! Whom the receiver trusts: the keys given with `--trust` (for everything,
//! always) and a trust policy (`--trust-policy`: roles, validity windows,
//! revocation, how many sealers). Nothing trusted means "trust nobody",
//! never "trust anybody".

use std::collections::BTreeSet;

use crate::keys::{KeyId, PublicKey};

mod policy;

pub use policy::{NotTrusted, PolicyError, PolicyKey, Role, SigningTime, TrustPolicy};

/// The keys and the policy a receiver trusts.
#[derive(Debug, Clone, Default)]
pub struct TrustSet {
    ids: BTreeSet<KeyId>,
    policy: Option<TrustPolicy>,
}

impl TrustSet {
    pub fn new(keys: &[PublicKey]) -> Self {
        TrustSet {
            ids: keys.iter().map(PublicKey::key_id).collect(),
            policy: None,
        }
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
