//! The CASE / UCO export (`exhibit export case`): the seal, the payload
//! files with their SHA-256 and every custody event as CASE 1.x JSON-LD,
//! for case-management and forensic tools that import CASE.
//!
//! Every node has an IRI ending in a UUID derived from the SHA-256 of the
//! seal statement's bytes and a local name (UUID version 5 layout), so the
//! same bundle always exports the same graph and no blank node is used.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use sha2::{Digest as _, Sha256};

use super::{BundleKind, Outcome, Report};
use crate::keys::KeyId;
use crate::time::UtcTime;

/// The `@context` prefixes; `kb:` names this export's own nodes.
fn context() -> Value {
    json!({
        "kb": "urn:exhibit:kb:",
        "case-investigation": "https://ontology.caseontology.org/case/investigation/",
        "uco-action": "https://ontology.unifiedcyberontology.org/uco/action/",
        "uco-core": "https://ontology.unifiedcyberontology.org/uco/core/",
        "uco-identity": "https://ontology.unifiedcyberontology.org/uco/identity/",
        "uco-location": "https://ontology.unifiedcyberontology.org/uco/location/",
        "uco-observable": "https://ontology.unifiedcyberontology.org/uco/observable/",
        "uco-tool": "https://ontology.unifiedcyberontology.org/uco/tool/",
        "uco-types": "https://ontology.unifiedcyberontology.org/uco/types/",
        "uco-vocabulary": "https://ontology.unifiedcyberontology.org/uco/vocabulary/",
        "xsd": "http://www.w3.org/2001/XMLSchema#"
    })
}

/// What the export needs beside the verification report.
pub struct CaseInput<'a> {
    /// The exact bytes of `exhibit/seal.json` (the seed of every IRI);
    /// for a bundle without a readable seal, another stable seed (e.g. the
    /// payload manifest's bytes).
    pub seed: &'a [u8],
    /// SHA-256 of `exhibit/seal.json`, when it could be read.
    pub seal_sha256: Option<String>,
    /// When the verification ran (UTC), from the caller.
    pub checked_at: Option<UtcTime>,
}

/// Deterministic IRIs for one export.
struct Iris<'a> {
    seed: &'a [u8],
}

impl Iris<'_> {
    /// `kb:<kind>-<uuid>`, the UUID from SHA-256(seed, 0x00, local name)
    /// with the version (5) and variant bits set.
    fn iri(&self, kind: &str, local: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.seed);
        hasher.update([0]);
        hasher.update(kind.as_bytes());
        hasher.update([0]);
        hasher.update(local.as_bytes());
        let digest = hasher.finalize();
        let mut b = [0u8; 16];
        b.copy_from_slice(&digest[..16]);
        b[6] = (b[6] & 0x0f) | 0x50;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h = hex::encode(b);
        format!(
            "kb:{kind}-{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }
}

fn id(iri: &str) -> Value {
    json!({ "@id": iri })
}

fn typed(datatype: &str, value: impl ToString) -> Value {
    json!({ "@type": datatype, "@value": value.to_string() })
}

fn verdict(report: &Report) -> &'static str {
    match report.status {
        Outcome::Verified => "verified",
        Outcome::Untrusted => "untrusted",
        Outcome::Failed => "failed",
    }
}

/// The whole JSON-LD document.
pub fn case_jsonld(report: &Report, input: &CaseInput<'_>) -> Value {
    let iris = Iris { seed: input.seed };
    let mut graph: Vec<Value> = Vec::new();

    let tool = iris.iri("Tool", "exhibit");
    graph.push(json!({
        "@id": tool,
        "@type": "uco-tool:Tool",
        "uco-core:name": "exhibit",
        "uco-tool:version": env!("CARGO_PKG_VERSION"),
    }));

    // One identity per key: the name is what the key holder claims; the
    // key id is what signatures prove.
    let mut identities: BTreeMap<KeyId, (String, Value)> = BTreeMap::new();
    let mut identity = |key: &KeyId, name: Option<&str>, org: Option<&str>| -> String {
        let iri = iris.iri("Identity", &key.to_string());
        let entry = identities.entry(*key).or_insert_with(|| {
            (
                iri.clone(),
                json!({
                    "@id": iri,
                    "@type": "uco-identity:Identity",
                    "uco-core:description": format!("holder of the Ed25519 key {key}"),
                }),
            )
        });
        let node = entry.1.as_object_mut().expect("an object");
        if let (Some(name), false) = (name, node.contains_key("uco-core:name")) {
            let claimed = match org {
                Some(org) => format!("{name} ({org})"),
                None => name.to_string(),
            };
            node.insert("uco-core:name".into(), Value::String(claimed));
        }
        entry.0.clone()
    };

    // The payload files.
    let mut files: Vec<Value> = Vec::new();
    for row in &report.payload {
        let file = iris.iri("File", &row.path);
        let name = row.path.rsplit('/').next().unwrap_or(&row.path);
        let mut facets = vec![json!({
            "@id": iris.iri("FileFacet", &row.path),
            "@type": "uco-observable:FileFacet",
            "uco-observable:fileName": name,
            "uco-observable:filePath": row.path,
            "uco-observable:sizeInBytes": typed("xsd:integer", row.size),
        })];
        if let Some(sha256) = row.sha256 {
            facets.push(json!({
                "@id": iris.iri("ContentDataFacet", &row.path),
                "@type": "uco-observable:ContentDataFacet",
                "uco-observable:sizeInBytes": typed("xsd:integer", row.size),
                "uco-observable:hash": [{
                    "@id": iris.iri("Hash", &row.path),
                    "@type": "uco-types:Hash",
                    "uco-types:hashMethod": "SHA256",
                    "uco-types:hashValue": typed("xsd:hexBinary", sha256.to_hex()),
                }],
            }));
        }
        files.push(id(&file));
        graph.push(json!({
            "@id": file,
            "@type": "uco-observable:File",
            "uco-core:hasFacet": facets,
        }));
    }

    // The seal statement itself, as a file of the bundle.
    if let Some(sha256) = &input.seal_sha256 {
        let file = iris.iri("File", crate::format::seal::SEAL_PATH);
        graph.push(json!({
            "@id": file,
            "@type": "uco-observable:File",
            "uco-core:description": "the seal statement: the exact bytes the seal signatures cover",
            "uco-core:hasFacet": [
                {
                    "@id": iris.iri("FileFacet", crate::format::seal::SEAL_PATH),
                    "@type": "uco-observable:FileFacet",
                    "uco-observable:fileName": "seal.json",
                    "uco-observable:filePath": crate::format::seal::SEAL_PATH,
                },
                {
                    "@id": iris.iri("ContentDataFacet", crate::format::seal::SEAL_PATH),
                    "@type": "uco-observable:ContentDataFacet",
                    "uco-observable:hash": [{
                        "@id": iris.iri("Hash", crate::format::seal::SEAL_PATH),
                        "@type": "uco-types:Hash",
                        "uco-types:hashMethod": "SHA256",
                        "uco-types:hashValue": typed("xsd:hexBinary", sha256),
                    }],
                }
            ],
        }));
        files.push(id(&file));
    }

    // The exhibit's provenance record: what was sealed, and this check's
    // verdict on the bundle as exported.
    let record = iris.iri("ProvenanceRecord", "exhibit");
    let exhibit_id = report.exhibit_id.clone().unwrap_or_default();
    let mut description = format!(
        "exhibit verify: {} ({} files, {} bytes read).",
        verdict(report).to_uppercase(),
        report.file_count,
        report.total_bytes
    );
    if report.kind == BundleKind::Bagit {
        description.push_str(" A plain BagIt bag: nobody sealed it.");
    }
    for p in &report.problems {
        description.push_str(&format!(
            " Problem {}: {}{}.",
            p.code.as_str(),
            p.path
                .as_deref()
                .map(|p| format!("{p}: "))
                .unwrap_or_default(),
            p.message
        ));
    }
    let mut record_node = Map::new();
    record_node.insert("@id".into(), json!(record));
    record_node.insert("@type".into(), json!("case-investigation:ProvenanceRecord"));
    record_node.insert(
        "uco-core:name".into(),
        json!(match (&report.case_id, &report.exhibit_id) {
            (Some(case), Some(exhibit)) => format!("case {case}, exhibit {exhibit}"),
            _ => report.bundle.clone(),
        }),
    );
    if !exhibit_id.is_empty() {
        record_node.insert("case-investigation:exhibitNumber".into(), json!(exhibit_id));
    }
    record_node.insert("uco-core:description".into(), json!(description));
    if let Some(at) = &report.sealed_at {
        record_node.insert(
            "uco-core:objectCreatedTime".into(),
            typed("xsd:dateTime", at),
        );
    }
    if files.is_empty() {
        // A provenance record holds at least one object: the bundle.
        let bundle = iris.iri("File", "bundle");
        graph.push(json!({
            "@id": bundle,
            "@type": "uco-observable:File",
            "uco-core:hasFacet": [{
                "@id": iris.iri("FileFacet", "bundle"),
                "@type": "uco-observable:FileFacet",
                "uco-observable:filePath": report.bundle,
            }],
        }));
        files.push(id(&bundle));
    }
    record_node.insert("uco-core:object".into(), Value::Array(files));
    graph.push(Value::Object(record_node));

    if let Some(case) = &report.case_id {
        graph.push(json!({
            "@id": iris.iri("Investigation", case),
            "@type": "case-investigation:Investigation",
            "uco-core:name": case,
            "uco-core:object": [id(&record)],
        }));
    }

    // Each custody event, as an investigative action on the exhibit.
    let mut locations: BTreeMap<String, String> = BTreeMap::new();
    for e in &report.custody {
        let performer = identity(
            &e.actor_key_id,
            e.actor_name.as_deref(),
            e.actor_organization.as_deref(),
        );
        let mut action = Map::new();
        action.insert(
            "@id".into(),
            json!(iris.iri("InvestigativeAction", &format!("custody-{}", e.sequence))),
        );
        action.insert(
            "@type".into(),
            json!("case-investigation:InvestigativeAction"),
        );
        action.insert("uco-core:name".into(), json!(e.action));
        let mut text = format!(
            "custody event {} ({}), signature {}",
            e.sequence,
            e.action,
            if e.signature_valid {
                "valid"
            } else {
                "INVALID"
            }
        );
        if let Some(note) = &e.note {
            text.push_str(": ");
            text.push_str(note);
        }
        action.insert("uco-core:description".into(), json!(text));
        action.insert("uco-action:startTime".into(), typed("xsd:dateTime", e.time));
        action.insert("uco-action:endTime".into(), typed("xsd:dateTime", e.time));
        action.insert("uco-action:performer".into(), id(&performer));
        action.insert("uco-action:instrument".into(), json!([id(&tool)]));
        if let Some(place) = &e.location {
            let iri = locations
                .entry(place.clone())
                .or_insert_with(|| iris.iri("Location", place))
                .clone();
            action.insert("uco-action:location".into(), json!([id(&iri)]));
        }
        if let Some(to) = &e.recipient_key_id {
            let recipient = identity(to, None, None);
            action.insert("uco-action:participant".into(), json!([id(&recipient)]));
        }
        let key = if e.action == "seal" {
            "uco-action:result"
        } else {
            "uco-action:object"
        };
        action.insert(key.into(), json!([id(&record)]));
        graph.push(Value::Object(action));
    }
    for (place, iri) in locations {
        graph.push(json!({
            "@id": iri,
            "@type": "uco-location:Location",
            "uco-core:name": place,
        }));
    }

    // This verification, as an action by the tool, with its verdict.
    let mut check = Map::new();
    check.insert(
        "@id".into(),
        json!(iris.iri("InvestigativeAction", "verification")),
    );
    check.insert(
        "@type".into(),
        json!("case-investigation:InvestigativeAction"),
    );
    check.insert(
        "uco-core:name".into(),
        json!(format!("exhibit verify: {}", verdict(report))),
    );
    check.insert("uco-core:description".into(), json!(description));
    if let Some(at) = &input.checked_at {
        check.insert("uco-action:startTime".into(), typed("xsd:dateTime", at));
    }
    check.insert("uco-action:instrument".into(), json!([id(&tool)]));
    check.insert("uco-action:object".into(), json!([id(&record)]));
    graph.push(Value::Object(check));

    for signer in &report.signers {
        identity(
            &signer.key_id,
            signer.name.as_deref(),
            signer.organization.as_deref(),
        );
    }
    graph.extend(identities.into_values().map(|(_, node)| node));

    json!({ "@context": context(), "@graph": graph })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_are_uuid_v5_shaped_and_stable() {
        let iris = Iris { seed: b"seal" };
        let a = iris.iri("File", "data/x");
        assert_eq!(a, iris.iri("File", "data/x"));
        assert_ne!(a, iris.iri("File", "data/y"));
        let uuid = a.strip_prefix("kb:File-").unwrap();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "5");
        assert!(matches!(&uuid[19..20], "8" | "9" | "a" | "b"));
    }
}
