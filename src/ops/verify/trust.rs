//! Step 6: which signers, and with a policy which custody events, are trusted.

use crate::format::custody::{numbered_path, Action};
use crate::keys::KeyId;
use crate::limits::MAX_RECORD_BYTES;
use crate::problem::ProblemCode;
use crate::report::CertificateReport;
use crate::report::{PolicyUsed, TrustUsed};
use crate::time::UtcTime;
use crate::trust::{CertificateSigner, NotTrusted, Role, SigningTime, TrustSet};
use crate::tsp::{check_detached, DetachedFacts, PathEnd};

use super::Verification;

/// What a trust policy needs of a certificate signer: the policy
/// authorities whose roots its path reaches, its subject, policies, serial.
pub(super) struct CertificateFacts {
    reaches: Vec<usize>,
    subject: Vec<(String, String)>,
    policy_oids: Vec<String>,
    serial: String,
}

impl CertificateFacts {
    /// `facts` of the signature `p7s` over `content`, with the path checked
    /// again against each authority of the policy, at the time `facts` was.
    pub(super) fn of(p7s: &[u8], content: &[u8], facts: &DetachedFacts, trust: &TrustSet) -> Self {
        let at = Some(facts.checked_at);
        let reaches = trust
            .policy()
            .map(|policy| {
                policy
                    .authorities
                    .iter()
                    .enumerate()
                    .filter(|(_, authority)| {
                        matches!(
                            check_detached(p7s, content, &authority.roots, at).map(|f| f.path),
                            Ok(PathEnd::Trusted { .. })
                        )
                    })
                    .map(|(i, _)| i)
                    .collect()
            })
            .unwrap_or_default();
        CertificateFacts {
            reaches,
            subject: facts.subject_attributes.clone(),
            policy_oids: facts.policy_oids.clone(),
            serial: facts.serial.clone(),
        }
    }
}

/// A certificate signer counts for `role`: its path reaches a `--ca` root
/// (`via_ca`), or the policy's authorities allow it. `Err(None)`: no
/// policy to ask (the path's reason stands).
fn decide_certificate(
    trust: &TrustSet,
    facts: Option<&CertificateFacts>,
    via_ca: bool,
    role: Role,
    time: SigningTime,
) -> Result<(), Option<NotTrusted>> {
    if via_ca {
        return Ok(());
    }
    let (Some(policy), Some(facts)) = (trust.policy(), facts) else {
        return Err(None);
    };
    let signer = CertificateSigner {
        reaches: &facts.reaches,
        subject: &facts.subject,
        policy_oids: &facts.policy_oids,
        serial: &facts.serial,
    };
    policy.decide_certificate(&signer, role, time).map_err(Some)
}

impl Verification<'_> {
    /// Every valid certificate signature checked again at the time that
    /// matters: a trusted token's time when it has one (a certificate
    /// valid then counts even after it expired, and one that was not valid
    /// when the TSA saw the signature does not count at all), else the
    /// signing time it claims; then revocation at that time and whether
    /// the proof has lapsed (`judge_proof`).
    pub(super) fn check_certificates_at_their_times(
        &mut self,
        seal_bytes: &[u8],
        trust: &TrustSet,
    ) {
        let to_seconds = |t: crate::tsp::GenTime| UtcTime::from_unix_seconds(t.unix_seconds()).ok();
        let signers: Vec<(usize, KeyId, Option<UtcTime>)> =
            (self.report.signers.iter().enumerate())
                .filter(|(_, s)| s.certificate.is_some() && s.valid)
                .map(|(i, s)| (i, s.key_id, s.proven_time.and_then(to_seconds)))
                .collect();
        for (i, id, proven) in signers {
            let name = crate::format::signature::cert_signature_path(&id);
            let Some(p7s) = self.read_tag(&name, MAX_RECORD_BYTES) else {
                continue;
            };
            match check_detached(&p7s, seal_bytes, trust.cas(), proven) {
                Ok(facts) => {
                    let (report, counts) = self.judge_certificate(&name, &facts, proven, trust);
                    self.report.signers[i].certificate = Some(report);
                    if let Some(why) = counts {
                        self.discounted_signers.insert(id, why);
                    }
                    let policy = CertificateFacts::of(&p7s, seal_bytes, &facts, trust);
                    self.certificates.insert(id, policy);
                }
                Err(e) => {
                    self.report.signers[i].valid = false;
                    let at = proven.map_or("the signing time".to_string(), |at| {
                        format!("the time its token proves ({at})")
                    });
                    let message = format!("at {at}: {e}");
                    self.problem(ProblemCode::SignatureBad, Some(&name), message);
                }
            }
        }
        let events: Vec<(usize, u64, Option<UtcTime>)> = (self.report.custody.iter().enumerate())
            .filter(|(_, e)| e.certificate.is_some() && e.signature_valid)
            .map(|(i, e)| (i, e.sequence, e.proven_time.and_then(to_seconds)))
            .collect();
        for (i, sequence, proven) in events {
            let name = numbered_path(sequence, "p7s");
            let json = self.read_tag(&numbered_path(sequence, "json"), MAX_RECORD_BYTES);
            let (Some(p7s), Some(json)) = (self.read_tag(&name, MAX_RECORD_BYTES), json) else {
                continue;
            };
            match check_detached(&p7s, &json, trust.cas(), proven) {
                Ok(facts) => {
                    let (report, counts) = self.judge_certificate(&name, &facts, proven, trust);
                    let id = self.report.custody[i].actor_key_id;
                    self.report.custody[i].certificate = Some(report);
                    if let Some(why) = counts {
                        self.discounted_events.insert(sequence, why);
                    }
                    let policy = CertificateFacts::of(&p7s, &json, &facts, trust);
                    self.certificates.insert(id, policy);
                }
                Err(e) => {
                    self.report.custody[i].signature_valid = false;
                    let at = proven.map_or("the signing time".to_string(), |at| {
                        format!("the time its token proves ({at})")
                    });
                    let message = format!("event {sequence} at {at}: {e}");
                    self.problem(ProblemCode::CustodySignature, Some(&name), message);
                }
            }
        }
    }

    /// A certificate signature's report, with revocation at the time it was
    /// checked at; and, when its path reaches a root but the proof does not
    /// count (revoked, or a policy's `[validation]` rule), why.
    fn judge_certificate(
        &mut self,
        name: &str,
        facts: &DetachedFacts,
        proven: Option<UtcTime>,
        trust: &TrustSet,
    ) -> (CertificateReport, Option<String>) {
        let mut report = CertificateReport::from(facts);
        if proven.is_some() {
            report.checked_at = "proven";
        }
        if report.root.is_none() && trust.policy().is_none() {
            return (report, None);
        }
        let at = facts.checked_at.unix_seconds();
        let independently = proven
            .map(|t| t.unix_seconds())
            .or_else(|| self.record_proves.get(name).copied());
        let revocation = self.revocation_of(&facts.chain, at, independently);
        let counts = self.judge_proof(
            name,
            "the signer's certificate",
            &revocation,
            &facts.chain,
            trust,
        );
        report.revocation = revocation.state;
        report.revocation_detail = revocation.detail.clone();
        let why = (!counts).then(|| {
            revocation
                .detail
                .filter(|_| revocation.state != "good")
                .unwrap_or_else(|| "its proof has lapsed".to_string())
        });
        (report, why)
    }

    /// Step 6: which seal signatures count, and (with a policy) whether
    /// every custody event is by a key trusted for custody at its time
    /// (the seal event: for custody or to seal).
    /// Decided last, once every signature and time is known.
    pub(super) fn decide_trust(&mut self, trust: &TrustSet) {
        // A proven time is the genTime of a trusted token, to the second
        // below it (policy windows are whole seconds).
        let proven = |time: Option<crate::tsp::GenTime>| {
            time.and_then(|t| crate::time::UtcTime::from_unix_seconds(t.unix_seconds()).ok())
        };
        let certificates = &self.certificates;
        let reason =
            |decision: Result<(), Option<NotTrusted>>, path: &Option<String>| match decision {
                Ok(()) => None,
                Err(Some(why)) => Some(why.as_str().to_string()),
                Err(None) => path.clone(),
            };
        for signer in &mut self.report.signers {
            let time = SigningTime {
                claimed: signer.signed_at,
                proven: proven(signer.proven_time),
            };
            if let Some(certificate) = &signer.certificate {
                let facts = certificates.get(&signer.key_id);
                let via_ca = certificate.root.is_some();
                let decision = decide_certificate(trust, facts, via_ca, Role::Seal, time);
                signer.trusted = signer.valid && decision.is_ok();
                signer.untrusted_reason = reason(decision, &certificate.path_reason);
                continue;
            }
            let decision = trust.decide(&signer.key_id, Role::Seal, time);
            signer.trusted = signer.valid && decision.is_ok();
            signer.untrusted_reason = decision.err().map(|r| r.as_str().to_string());
        }
        for signer in &mut self.report.signers {
            if let Some(why) = self.discounted_signers.get(&signer.key_id) {
                signer.trusted = false;
                signer.untrusted_reason = Some(why.clone());
            }
        }
        for event in &mut self.report.custody {
            let time = SigningTime {
                claimed: Some(event.time),
                proven: proven(event.proven_time),
            };
            let decide = |role| match &event.certificate {
                Some(certificate) => {
                    let facts = certificates.get(&event.actor_key_id);
                    decide_certificate(trust, facts, certificate.root.is_some(), role, time)
                }
                None => trust.decide(&event.actor_key_id, role, time).map_err(Some),
            };
            // The seal event is part of sealing: a key trusted to seal is
            // trusted for the seal event it wrote.
            let seal_event = event.sequence == 1 && event.action == Action::Seal.as_str();
            let mut decision = decide(Role::Custody);
            if seal_event && decide(Role::Seal).is_ok() {
                decision = Ok(());
            }
            let path_reason = event
                .certificate
                .as_ref()
                .and_then(|c| c.path_reason.clone());
            event.trusted = event.signature_valid && decision.is_ok();
            event.untrusted_reason = reason(decision, &path_reason);
            if let Some(why) = self.discounted_events.get(&event.sequence) {
                event.trusted = false;
                event.untrusted_reason = Some(why.clone());
            }
        }
        self.report.trust = TrustUsed {
            min_signers: trust.min_signers(),
            custody_must_be_trusted: trust.policy().is_some(),
            policy: trust.policy().map(|p| PolicyUsed {
                path: p.path.display().to_string(),
                sha256: p.sha256,
            }),
        };
    }
}
