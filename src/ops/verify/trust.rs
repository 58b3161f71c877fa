//! Step 6: which signers, and with a policy which custody events, are trusted.

use crate::format::custody::Action;
use crate::report::{PolicyUsed, TrustUsed};
use crate::trust::{Role, SigningTime, TrustSet};

use super::Verification;

impl Verification<'_> {
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
        for signer in &mut self.report.signers {
            let time = SigningTime {
                claimed: signer.signed_at,
                proven: proven(signer.proven_time),
            };
            if let Some(certificate) = &signer.certificate {
                // A certificate counts when its path reaches a --ca root.
                signer.trusted = signer.valid && certificate.root.is_some();
                signer.untrusted_reason = certificate.path_reason.clone();
                continue;
            }
            let decision = trust.decide(&signer.key_id, Role::Seal, time);
            signer.trusted = signer.valid && decision.is_ok();
            signer.untrusted_reason = decision.err().map(|r| r.as_str().to_string());
        }
        for event in &mut self.report.custody {
            if let Some(certificate) = &event.certificate {
                event.trusted = event.signature_valid && certificate.root.is_some();
                event.untrusted_reason = certificate.path_reason.clone();
                continue;
            }
            let time = SigningTime {
                claimed: Some(event.time),
                proven: proven(event.proven_time),
            };
            let mut decision = trust.decide(&event.actor_key_id, Role::Custody, time);
            // The seal event is part of sealing: a key trusted to seal is
            // trusted for the seal event it wrote.
            let seal_event = event.sequence == 1 && event.action == Action::Seal.as_str();
            if seal_event && trust.decide(&event.actor_key_id, Role::Seal, time).is_ok() {
                decision = Ok(());
            }
            event.trusted = event.signature_valid && decision.is_ok();
            event.untrusted_reason = decision.err().map(|r| r.as_str().to_string());
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
