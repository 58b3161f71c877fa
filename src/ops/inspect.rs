//! `exhibit inspect`: what a bundle says about itself — case metadata,
//! signers, file count and size, custody summary — without hashing the
//! payload. Signatures and custody links are still checked.

use crate::ops::verify::verify_without_payload;
use crate::report::Inspection;
use crate::store::Bundle;
use crate::trust::TrustSet;

/// Reads and checks everything but the payload bytes.
pub fn inspect(bundle: &Bundle, trust: &TrustSet) -> Inspection {
    verify_without_payload(bundle, trust).into()
}
