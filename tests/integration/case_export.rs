//! `exhibit export case`: CASE / UCO JSON-LD that `case_validate` (from the
//! `case-utils` Python package, installed by `scripts/test`) accepts with
//! no violation, for a bundle with seal, transfer, receive and analyze
//! events; a bundle that does not verify is exported with its verdict; an
//! unusable one is refused with exit 2.

use std::fs;
use std::path::Path;

use crate::common::{self, run_tool, stderr, stdout, tool_or_skip, Dir, Key};

/// A sealed folder bundle, handed from A to B, received and analyzed.
fn story(dir: &Dir) -> (Key, Key) {
    let a = dir.keygen("alice");
    let b = dir.keygen("bob");
    dir.write("evidence/disk.img", common::content(4096, 7));
    dir.write("evidence/mail/inbox <1>.eml", "From: x\n");
    dir.write("evidence/ünï côdé.txt", "text\n");
    dir.seal(&["evidence"], "case", &a);
    dir.hand_over("case", &a, &b, "keyword search");
    (a, b)
}

fn export(dir: &Dir, bundle: &str, out: &str, trust: &[&Key], code: i32) -> serde_json::Value {
    let mut args = vec![
        "export".to_string(),
        "case".into(),
        bundle.into(),
        "-o".into(),
        out.into(),
    ];
    for key in trust {
        args.push("--trust".into());
        args.push(key.public.display().to_string());
    }
    dir.run(&args, code);
    serde_json::from_slice(&fs::read(dir.join(out)).unwrap()).unwrap()
}

fn nodes<'a>(doc: &'a serde_json::Value, kind: &str) -> Vec<&'a serde_json::Value> {
    doc["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["@type"] == kind)
        .collect()
}

/// Every `@id` anywhere in the document.
fn all_ids(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(id)) = map.get("@id") {
                out.push(id.clone());
            }
            map.values().for_each(|v| all_ids(v, out));
        }
        serde_json::Value::Array(list) => list.iter().for_each(|v| all_ids(v, out)),
        _ => {}
    }
}

#[test]
fn export_holds_files_hashes_and_custody_actions_with_stable_iris() {
    let dir = Dir::new();
    let (a, _) = story(&dir);
    let doc = export(&dir, "case", "case.jsonld", &[&a], 0);
    let json = dir.verify_json(&dir.join("case"), &[&a], 0);

    let files = nodes(&doc, "uco-observable:File");
    // Three payload files and the seal statement.
    assert_eq!(files.len(), 4);
    let text = serde_json::to_string(&doc).unwrap();
    for row in json["payload"].as_array().unwrap() {
        assert!(text.contains(row["sha256"].as_str().unwrap()));
        assert!(text.contains(row["path"].as_str().unwrap()));
    }
    let actions = nodes(&doc, "case-investigation:InvestigativeAction");
    let names: Vec<&str> = actions
        .iter()
        .map(|a| a["uco-core:name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "seal",
            "transfer",
            "receive",
            "analyze",
            "exhibit verify: verified"
        ]
    );
    let transfer = actions[1];
    assert_eq!(
        transfer["uco-action:startTime"]["@value"],
        "2026-11-23T09:00:00Z"
    );
    assert!(transfer["uco-core:description"]
        .as_str()
        .unwrap()
        .contains("MLA request 17"));
    assert!(transfer["uco-action:location"].is_array());
    assert!(transfer["uco-action:performer"]["@id"].is_string());
    let record = nodes(&doc, "case-investigation:ProvenanceRecord");
    assert_eq!(record.len(), 1);
    assert_eq!(record[0]["case-investigation:exhibitNumber"], "A1");

    // No blank nodes; every IRI ends in a UUID; the same bundle exports
    // the same graph.
    let mut ids = Vec::new();
    all_ids(&doc, &mut ids);
    for id in &ids {
        assert!(!id.starts_with("_:"), "{id}");
        let uuid = &id[id.len() - 36..];
        assert_eq!(uuid.matches('-').count(), 4, "{id}");
    }
    let again = export(&dir, "case", "again.jsonld", &[&a], 0);
    let strip_time = |mut d: serde_json::Value| {
        for n in d["@graph"].as_array_mut().unwrap() {
            if n["uco-core:name"]
                .as_str()
                .is_some_and(|s| s.starts_with("exhibit verify"))
            {
                n.as_object_mut().unwrap().remove("uco-action:startTime");
            }
        }
        d
    };
    assert_eq!(strip_time(doc), strip_time(again));
}

#[test]
fn case_validate_finds_no_violation() {
    let Some(case_validate) = tool_or_skip("case_validate", "case_validate_finds_no_violation")
    else {
        return;
    };
    let dir = Dir::new();
    let (a, _) = story(&dir);
    export(&dir, "case", "case.jsonld", &[&a], 0);
    let output = run_tool(&case_validate, dir.path(), ["case.jsonld"]);
    assert!(
        output.status.success(),
        "case_validate:\n{}\n{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("Conforms: True"),
        "{}",
        stdout(&output)
    );

    // A bundle that does not verify: exported, verdict marked, still valid CASE.
    let victim = dir.join("case/data/evidence/disk.img");
    let mut bytes = fs::read(&victim).unwrap();
    bytes[0] ^= 1;
    fs::write(&victim, bytes).unwrap();
    let doc = export(&dir, "case", "failed.jsonld", &[&a], 1);
    let text = serde_json::to_string(&doc).unwrap();
    assert!(text.contains("exhibit verify: failed"));
    assert!(text.contains("payload.digest-mismatch"));
    let output = run_tool(&case_validate, dir.path(), ["failed.jsonld"]);
    assert!(
        output.status.success(),
        "case_validate:\n{}",
        stdout(&output)
    );
}

#[test]
fn an_unusable_bundle_is_refused() {
    let dir = Dir::new();
    dir.write("not-a-bundle.txt", "hello");
    let output = dir.output(["export", "case", "not-a-bundle.txt", "-o", "x.jsonld"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!Path::new(&dir.join("x.jsonld")).exists());
    let output = dir.output(["export", "case", "missing", "-o", "x.jsonld"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}
