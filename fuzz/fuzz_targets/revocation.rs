//! Stored revocation material (CRLs and OCSP responses in a bundle's
//! validation folder): reading one never panics and gives the same answer
//! twice; judging a certificate by it never panics, gives the same status
//! twice, and a file that does not read is never a usable piece (alone, it
//! leaves the certificate not checked).
#![no_main]

use exhibit::tsp::revocation::{read_material, status_at, CertStatus};
use exhibit::tsp::{certificates_from_pem, Cert};
use libfuzzer_sys::fuzz_target;

/// A leaf and its issuer from the revocation fixtures.
fn pair() -> (Cert, Cert) {
    let one = |pem: &[u8]| {
        certificates_from_pem(pem)
            .ok()
            .and_then(|certs| certs.into_iter().next())
            .expect("a fixture certificate")
    };
    (
        one(include_bytes!("../../tests/data/revocation/leaf-good.pem")),
        one(include_bytes!("../../tests/data/revocation/int.pem")),
    )
}

/// The time judged: after the fixtures' certificates were issued.
const AT: i64 = 1_780_272_000; // 2026-06-01T00:00:00Z

fuzz_target!(|data: &[u8]| {
    let read = read_material(data);
    assert_eq!(read, read_material(data), "reading twice differs");
    let (leaf, issuer) = pair();
    let material = vec![data.to_vec()];
    let status = status_at(&leaf, &issuer, &material, AT, None);
    assert_eq!(
        status,
        status_at(&leaf, &issuer, &material, AT, None),
        "judging twice differs"
    );
    if let Err(reason) = &read {
        assert!(!reason.contains('\n'), "a reason is one line");
        assert!(
            matches!(status, CertStatus::NotChecked { .. }),
            "an unreadable file was used: {status:?}"
        );
    }
    // With a proven time, and beside itself, the same holds.
    let twice = vec![data.to_vec(), data.to_vec()];
    let _ = status_at(&leaf, &issuer, &twice, AT, Some(AT - 1));
});
