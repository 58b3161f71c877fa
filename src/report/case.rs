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

use super::{BundleKind, CustodyEntry, Outcome, PayloadRow, Report};
use crate::format::seal::SEAL_PATH;
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

/// The whole JSON-LD document: the tool, the files, the provenance record
/// and its investigation, each custody event and the places named, this
/// verification, then every identity.
pub fn case_jsonld(report: &Report, input: &CaseInput<'_>) -> Value {
    let mut graph = Graph::new(input.seed);
    let mut files: Vec<Value> = report
        .payload
        .iter()
        .map(|row| graph.payload_file(row))
        .collect();
    if let Some(sha256) = &input.seal_sha256 {
        files.push(graph.seal_file(sha256));
    }
    if files.is_empty() {
        // A provenance record holds at least one object: the bundle.
        files.push(graph.bundle_file(&report.bundle));
    }
    let description = verdict_description(report);
    graph.provenance_record(report, &description, files);
    if let Some(case) = &report.case_id {
        graph.investigation(case);
    }
    for event in &report.custody {
        graph.custody_action(event);
    }
    if let Some(statement) = &report.statement {
        for image in &statement.acquisition {
            graph.acquisition_action(image);
        }
    }
    graph.locations();
    graph.verification(report, &description, input.checked_at.as_ref());
    for signer in &report.signers {
        graph.identity(
            &signer.key_id,
            signer.name.as_deref(),
            signer.organization.as_deref(),
        );
    }
    let certificates = report
        .signers
        .iter()
        .filter_map(|s| Some((s.key_id, s.certificate.as_ref()?)))
        .chain(
            report
                .custody
                .iter()
                .filter_map(|e| Some((e.actor_key_id, e.certificate.as_ref()?))),
        );
    for (id, certificate) in certificates {
        graph.certificate_holder(&id, certificate);
    }
    graph.finish()
}

/// What the export says of this check: the verdict, the counts and every
/// problem (the provenance record's and the verification's description).
fn verdict_description(report: &Report) -> String {
    let mut description = format!(
        "exhibit verify: {} ({}, {} read).",
        verdict(report).to_uppercase(),
        crate::units::count(report.file_count, "file"),
        crate::units::human_size(report.total_bytes)
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
    description
}

/// The graph as it is built, node by node, in the order it is written.
struct Graph<'a> {
    iris: Iris<'a>,
    nodes: Vec<Value>,
    /// The tool node (exhibit), instrument of every action.
    tool: String,
    /// The exhibit's provenance record, object of every action.
    record: String,
    /// One identity per key, with its IRI.
    identities: BTreeMap<KeyId, (String, Value)>,
    /// One location per place named, with its IRI.
    locations: BTreeMap<String, String>,
}

impl<'a> Graph<'a> {
    /// A graph that starts with the tool node.
    fn new(seed: &'a [u8]) -> Self {
        let iris = Iris { seed };
        let tool = iris.iri("Tool", "exhibit");
        let record = iris.iri("ProvenanceRecord", "exhibit");
        let node = json!({
            "@id": tool,
            "@type": "uco-tool:Tool",
            "uco-core:name": "exhibit",
            "uco-tool:version": env!("CARGO_PKG_VERSION"),
        });
        Graph {
            iris,
            nodes: vec![node],
            tool,
            record,
            identities: BTreeMap::new(),
            locations: BTreeMap::new(),
        }
    }

    /// The document, with every identity last.
    fn finish(mut self) -> Value {
        let identities = self.identities.into_values().map(|(_, node)| node);
        self.nodes.extend(identities);
        json!({ "@context": context(), "@graph": self.nodes })
    }

    /// The identity of `key` (one node per key), named by the first claim
    /// seen: the name is what the key holder claims; the key id is what
    /// signatures prove. Returns its IRI.
    fn identity(&mut self, key: &KeyId, name: Option<&str>, org: Option<&str>) -> String {
        let iri = self.iris.iri("Identity", &key.to_string());
        let entry = self.identities.entry(*key).or_insert_with(|| {
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
    }

    /// An identity that signed with an X.509 certificate: described by the
    /// certificate, not by a key.
    fn certificate_holder(&mut self, id: &KeyId, certificate: &super::CertificateReport) {
        let Some((_, node)) = self.identities.get_mut(id) else {
            return;
        };
        let root = certificate
            .root
            .as_deref()
            .unwrap_or("no root given to this check");
        let description = format!(
            "holder of the X.509 certificate {id} of {}, issued by {}, serial {}; chains to {root}; revocation not checked",
            certificate.subject, certificate.issuer, certificate.serial
        );
        if let Some(node) = node.as_object_mut() {
            node.insert("uco-core:description".into(), Value::String(description));
        }
    }

    /// A payload file: its name, path and size, and its SHA-256 when it
    /// was read to its end. Returns a reference to it.
    fn payload_file(&mut self, row: &PayloadRow) -> Value {
        let iris = &self.iris;
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
        self.nodes.push(json!({
            "@id": file,
            "@type": "uco-observable:File",
            "uco-core:hasFacet": facets,
        }));
        id(&file)
    }

    /// The seal statement itself, as a file of the bundle, with its
    /// SHA-256. Returns a reference to it.
    fn seal_file(&mut self, sha256: &str) -> Value {
        let iris = &self.iris;
        let file = iris.iri("File", SEAL_PATH);
        self.nodes.push(json!({
            "@id": file,
            "@type": "uco-observable:File",
            "uco-core:description": "the seal statement: the exact bytes the seal signatures cover",
            "uco-core:hasFacet": [
                {
                    "@id": iris.iri("FileFacet", SEAL_PATH),
                    "@type": "uco-observable:FileFacet",
                    "uco-observable:fileName": "seal.json",
                    "uco-observable:filePath": SEAL_PATH,
                },
                {
                    "@id": iris.iri("ContentDataFacet", SEAL_PATH),
                    "@type": "uco-observable:ContentDataFacet",
                    "uco-observable:hash": [{
                        "@id": iris.iri("Hash", SEAL_PATH),
                        "@type": "uco-types:Hash",
                        "uco-types:hashMethod": "SHA256",
                        "uco-types:hashValue": typed("xsd:hexBinary", sha256),
                    }],
                }
            ],
        }));
        id(&file)
    }

    /// The bundle as one file, for a record with no file of its own.
    /// Returns a reference to it.
    fn bundle_file(&mut self, bundle: &str) -> Value {
        let file = self.iris.iri("File", "bundle");
        self.nodes.push(json!({
            "@id": file,
            "@type": "uco-observable:File",
            "uco-core:hasFacet": [{
                "@id": self.iris.iri("FileFacet", "bundle"),
                "@type": "uco-observable:FileFacet",
                "uco-observable:filePath": bundle,
            }],
        }));
        id(&file)
    }

    /// The exhibit's provenance record: what was sealed (`files`), and
    /// this check's verdict on the bundle as exported.
    fn provenance_record(&mut self, report: &Report, description: &str, files: Vec<Value>) {
        let exhibit_id = report.exhibit_id.clone().unwrap_or_default();
        let mut node = Map::new();
        node.insert("@id".into(), json!(self.record));
        node.insert("@type".into(), json!("case-investigation:ProvenanceRecord"));
        node.insert(
            "uco-core:name".into(),
            json!(match (&report.case_id, &report.exhibit_id) {
                (Some(case), Some(exhibit)) => format!("case {case}, exhibit {exhibit}"),
                _ => report.bundle.clone(),
            }),
        );
        if !exhibit_id.is_empty() {
            node.insert("case-investigation:exhibitNumber".into(), json!(exhibit_id));
        }
        node.insert("uco-core:description".into(), json!(description));
        if let Some(at) = &report.sealed_at {
            node.insert(
                "uco-core:objectCreatedTime".into(),
                typed("xsd:dateTime", at),
            );
        }
        node.insert("uco-core:object".into(), Value::Array(files));
        self.nodes.push(Value::Object(node));
    }

    /// The case, holding the provenance record.
    fn investigation(&mut self, case: &str) {
        self.nodes.push(json!({
            "@id": self.iris.iri("Investigation", case),
            "@type": "case-investigation:Investigation",
            "uco-core:name": case,
            "uco-core:object": [id(&self.record)],
        }));
    }

    /// A custody event, as an investigative action on the exhibit by its
    /// actor's identity (the seal event's result is the record).
    /// A forensic image the seal checked, as the acquisition that made it:
    /// the imager as its instrument, the device (model and serial, where
    /// recorded) as its object, the image file as its result, and the
    /// stored and recomputed hashes in its description.
    fn acquisition_action(&mut self, image: &crate::format::acquisition::Acquisition) {
        let iris = &self.iris;
        let action = iris.iri(
            "InvestigativeAction",
            &format!("acquisition {}", image.path),
        );
        let hashes = |hashes: &crate::format::acquisition::MediaHashes| {
            hashes
                .known()
                .into_iter()
                .map(|(algorithm, value)| format!("{algorithm} {value}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut node = Map::new();
        node.insert("@id".into(), json!(action));
        node.insert(
            "@type".into(),
            json!("case-investigation:InvestigativeAction"),
        );
        node.insert("uco-core:name".into(), json!("acquisition"));
        node.insert(
            "uco-core:description".into(),
            json!(format!(
                "forensic image {} ({}, {} bytes of media); hashes its imager stored: {}; recomputed when sealed: {}; result: {}",
                image.path,
                image.format,
                image.media_size,
                match hashes(&image.stored) {
                    stored if stored.is_empty() => "none".to_string(),
                    stored => stored,
                },
                hashes(&image.computed),
                image.result.as_str()
            )),
        );
        let software = image
            .metadata
            .get("acquisition_software")
            .or_else(|| image.metadata.get("imager"));
        if let Some(software) = software {
            let tool = iris.iri("Tool", &format!("imager {software}"));
            self.nodes.push(json!({
                "@id": tool,
                "@type": "uco-tool:Tool",
                "uco-core:name": software,
            }));
            node.insert("uco-action:instrument".into(), json!([id(&tool)]));
        }
        let model = image.metadata.get("device_model");
        let serial = image.metadata.get("device_serial");
        if model.is_some() || serial.is_some() {
            let device = iris.iri("Device", &image.path);
            let mut facet = Map::new();
            facet.insert("@id".into(), json!(iris.iri("DeviceFacet", &image.path)));
            facet.insert("@type".into(), json!("uco-observable:DeviceFacet"));
            if let Some(model) = model {
                facet.insert("uco-observable:model".into(), json!(model));
            }
            if let Some(serial) = serial {
                facet.insert("uco-observable:serialNumber".into(), json!(serial));
            }
            self.nodes.push(json!({
                "@id": device,
                "@type": "uco-observable:Device",
                "uco-core:hasFacet": [facet],
            }));
            node.insert("uco-action:object".into(), json!([id(&device)]));
        }
        node.insert(
            "uco-action:result".into(),
            json!([id(&iris.iri("File", &image.path))]),
        );
        self.nodes.push(Value::Object(node));
    }

    fn custody_action(&mut self, e: &CustodyEntry) {
        let performer = self.identity(
            &e.actor_key_id,
            e.actor_name.as_deref(),
            e.actor_organization.as_deref(),
        );
        let mut action = Map::new();
        action.insert(
            "@id".into(),
            json!(self
                .iris
                .iri("InvestigativeAction", &format!("custody-{}", e.sequence))),
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
        action.insert("uco-action:instrument".into(), json!([id(&self.tool)]));
        if let Some(place) = &e.location {
            let iri = self.location(place);
            action.insert("uco-action:location".into(), json!([id(&iri)]));
        }
        if let Some(to) = &e.recipient_key_id {
            let recipient = self.identity(to, None, None);
            action.insert("uco-action:participant".into(), json!([id(&recipient)]));
        }
        let key = if e.action == "seal" {
            "uco-action:result"
        } else {
            "uco-action:object"
        };
        action.insert(key.into(), json!([id(&self.record)]));
        self.nodes.push(Value::Object(action));
    }

    /// The IRI of a place named by a custody event (one per place).
    fn location(&mut self, place: &str) -> String {
        self.locations
            .entry(place.to_string())
            .or_insert_with(|| self.iris.iri("Location", place))
            .clone()
    }

    /// Every place named, after the custody events.
    fn locations(&mut self) {
        for (place, iri) in std::mem::take(&mut self.locations) {
            self.nodes.push(json!({
                "@id": iri,
                "@type": "uco-location:Location",
                "uco-core:name": place,
            }));
        }
    }

    /// This verification, as an action by the tool, with its verdict.
    fn verification(&mut self, report: &Report, description: &str, at: Option<&UtcTime>) {
        let mut check = Map::new();
        check.insert(
            "@id".into(),
            json!(self.iris.iri("InvestigativeAction", "verification")),
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
        if let Some(at) = at {
            check.insert("uco-action:startTime".into(), typed("xsd:dateTime", at));
        }
        check.insert("uco-action:instrument".into(), json!([id(&self.tool)]));
        check.insert("uco-action:object".into(), json!([id(&self.record)]));
        self.nodes.push(Value::Object(check));
    }
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
