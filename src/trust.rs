//! Whom the receiver trusts: the keys given with `--trust`. An empty set
//! means "trust nobody", never "trust anybody".

use std::collections::BTreeSet;

use crate::keys::{KeyId, PublicKey};

/// The keys a receiver trusts. Empty means "trust nobody", never "anybody".
#[derive(Debug, Clone, Default)]
pub struct TrustSet {
    ids: BTreeSet<KeyId>,
}

impl TrustSet {
    pub fn new(keys: &[PublicKey]) -> Self {
        TrustSet {
            ids: keys.iter().map(PublicKey::key_id).collect(),
        }
    }

    pub fn contains(&self, id: &KeyId) -> bool {
        self.ids.contains(id)
    }
}
