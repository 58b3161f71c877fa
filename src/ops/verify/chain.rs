//! Step 5: the custody chain, anchored in a seal signature.

use crate::format::custody::{self, CUSTODY_DIR};
use crate::limits::MAX_RECORD_BYTES;
use crate::problem::ProblemCode;
use crate::report::CustodyEntry;
use crate::trust::TrustSet;
use crate::tsp::check_detached;

use super::Verification;

impl Verification<'_> {
    /// The seal event must be by a key that validly signed the seal, or a
    /// whole new log could be written for someone else's seal.
    pub(super) fn check_custody_anchor(&mut self) {
        let Some(first) = self.report.custody.first().filter(|e| e.sequence == 1) else {
            return;
        };
        let anchored = self
            .report
            .signers
            .iter()
            .any(|s| s.valid && s.key_id == first.actor_key_id);
        if !anchored {
            let message = format!(
                "the seal event is by key {}, which has no valid signature on the seal",
                first.actor_key_id
            );
            let path = custody::event_paths(1).event;
            self.problem(ProblemCode::CustodySignature, Some(&path), message);
        }
    }

    pub(super) fn check_custody(&mut self, seal_bytes: &[u8], trust: &TrustSet) {
        let names: Vec<String> = self
            .tags
            .keys()
            .filter(|n| n.starts_with(CUSTODY_DIR))
            .cloned()
            .collect();
        let events = custody::gather_events(names.iter().map(String::as_str), |name| {
            self.read_tag(name, MAX_RECORD_BYTES)
        });
        // Trust is decided in decide_trust, with each event's time.
        let chain = custody::check_chain(&events, seal_bytes);
        self.report.problems.extend(chain.problems);
        self.report.warnings.extend(chain.warnings);
        self.report.custody = chain.events.iter().map(CustodyEntry::from).collect();
        // An event signed by a certificate: its path against the --ca roots.
        for entry in self
            .report
            .custody
            .iter_mut()
            .filter(|e| e.certificate.is_some())
        {
            let stored = &events[&entry.sequence];
            let (Some(p7s), Some(json)) = (&stored.p7s, &stored.json) else {
                continue;
            };
            if let Ok(facts) = check_detached(p7s, json, trust.cas(), None) {
                entry.certificate = Some((&facts).into());
                let policy_facts = super::trust::CertificateFacts::of(p7s, json, &facts, trust);
                self.certificates
                    .entry(facts.cert_id)
                    .or_insert(policy_facts);
            }
        }
        self.report.custody_head = chain
            .head
            .map(|(seq, digest)| custody::format_head(seq, &digest));
    }
}
