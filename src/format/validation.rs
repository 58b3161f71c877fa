//! Where validation material lives in a bundle: the CRLs and OCSP
//! responses that show a certificate was not revoked at the time a
//! signature or token must prove, stored byte for byte as their issuer
//! signed them under `exhibit/validation/`, one file each, named by what
//! they cover and when they were issued:
//!
//! - `exhibit/validation/<issuer-id>.<issued>.crl`: a DER CRL, `issuer-id`
//!   the certificate id (SHA-256 of the DER certificate) of the CA that
//!   issued it, so it covers every certificate that CA issued;
//! - `exhibit/validation/<cert-id>.<issued>.ocsp`: a DER OCSP response
//!   about the certificate `cert-id`.
//!
//! `issued` is the material's thisUpdate, `YYYYMMDDTHHMMSSZ`. Files are
//! only ever added, never rewritten: newer material sits beside older.

use std::fmt;

use crate::keys::KeyId;
use crate::time::UtcTime;

/// The folder, with its trailing slash.
pub const VALIDATION_DIR: &str = "exhibit/validation/";

/// A CRL or an OCSP response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaterialFile {
    Crl,
    Ocsp,
}

impl MaterialFile {
    pub fn extension(self) -> &'static str {
        match self {
            MaterialFile::Crl => "crl",
            MaterialFile::Ocsp => "ocsp",
        }
    }
}

/// The name of one validation file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidationName {
    /// The CA (for a CRL) or the certificate (for an OCSP response).
    pub covers: KeyId,
    /// thisUpdate, to the second.
    pub issued: UtcTime,
    pub kind: MaterialFile,
}

impl ValidationName {
    /// Its bag path.
    pub fn path(&self) -> String {
        format!("{VALIDATION_DIR}{self}")
    }
}

impl fmt::Display for ValidationName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day, hour, minute, second) = self.issued.civil();
        write!(
            f,
            "{}.{year:04}{month:02}{day:02}T{hour:02}{minute:02}{second:02}Z.{}",
            self.covers,
            self.kind.extension()
        )
    }
}

/// The name of a bag path under `exhibit/validation/`, when it is one
/// this format defines.
pub fn parse_validation_path(path: &str) -> Option<ValidationName> {
    let name = path.strip_prefix(VALIDATION_DIR)?;
    let mut parts = name.split('.');
    let (id, stamp, extension) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || id.len() != 64 || id.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let covers: KeyId = id.parse().ok()?;
    let kind = match extension {
        "crl" => MaterialFile::Crl,
        "ocsp" => MaterialFile::Ocsp,
        _ => return None,
    };
    let b = stamp.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let text = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &stamp[0..4],
        &stamp[4..6],
        &stamp[6..8],
        &stamp[9..11],
        &stamp[11..13],
        &stamp[13..15]
    );
    let issued = UtcTime::parse_rfc3339(&text).ok()?;
    let parsed = ValidationName {
        covers,
        issued,
        kind,
    };
    // One spelling only.
    (parsed.to_string() == name).then_some(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_nothing_else_parses() {
        let name = ValidationName {
            covers: KeyId([0xab; 32]),
            issued: UtcTime::parse_rfc3339("2026-12-07T02:15:00Z").unwrap(),
            kind: MaterialFile::Ocsp,
        };
        let path = name.path();
        assert_eq!(
            path,
            format!(
                "exhibit/validation/{}.20261207T021500Z.ocsp",
                "ab".repeat(32)
            )
        );
        assert_eq!(parse_validation_path(&path), Some(name));
        for bad in [
            format!(
                "exhibit/validation/{}.20261207T021500Z.der",
                "ab".repeat(32)
            ),
            format!(
                "exhibit/validation/{}.20261207T021500Z.crl",
                "AB".repeat(32)
            ),
            format!("exhibit/validation/{}.2026120T021500Z.crl", "ab".repeat(32)),
            format!(
                "exhibit/validation/{}.20261307T021500Z.crl",
                "ab".repeat(32)
            ),
            format!(
                "exhibit/validation/sub/{}.20261207T021500Z.crl",
                "ab".repeat(32)
            ),
            format!("exhibit/validation/{}.crl", "ab".repeat(32)),
            "exhibit/validation/x.crl".to_string(),
        ] {
            assert_eq!(parse_validation_path(&bad), None, "{bad}");
        }
    }
}
