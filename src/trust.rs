//! Whom the receiver trusts: the keys given with `--trust`, and the TSA
//! roots given with `--tsa-ca`. Empty means "trust nobody", never "trust
//! anybody".

use std::collections::BTreeSet;

use crate::keys::{KeyId, PublicKey};
use crate::tsp::Cert;

/// The keys and TSA roots a receiver trusts. Empty means "trust nobody",
/// never "anybody".
#[derive(Debug, Clone, Default)]
pub struct TrustSet {
    ids: BTreeSet<KeyId>,
    tsa_roots: Vec<Cert>,
}

impl TrustSet {
    pub fn new(keys: &[PublicKey]) -> Self {
        TrustSet {
            ids: keys.iter().map(PublicKey::key_id).collect(),
            tsa_roots: Vec::new(),
        }
    }

    /// The same keys, and these TSA root certificates.
    pub fn with_tsa_roots(mut self, roots: Vec<Cert>) -> Self {
        self.tsa_roots = roots;
        self
    }

    pub fn contains(&self, id: &KeyId) -> bool {
        self.ids.contains(id)
    }

    /// Certificates a time-stamp token's path may end at.
    pub fn tsa_roots(&self) -> &[Cert] {
        &self.tsa_roots
    }
}
