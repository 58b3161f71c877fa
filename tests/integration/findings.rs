//! Each finding said once and where it belongs (docs/FORMAT.md sections 13
//! and 19): a tag file that cannot be read is not also "missing", a bundle
//! named through a link reads as the bundle, and a disclosure entry that is
//! invalid is not also reported as a missing file.

use std::fs;

use super::common::{problems, Dir};

fn folder_bundle(dir: &Dir) -> super::common::Key {
    dir.write("src/a.txt", b"first\n");
    dir.write("src/b.txt", b"second\n");
    let key = dir.keygen("examiner");
    dir.seal(&["src"], "bundle", &key);
    key
}

#[test]
fn an_oversized_tag_file_is_reported_once_not_also_as_missing() {
    let dir = Dir::new();
    let key = folder_bundle(&dir);
    for name in ["bagit.txt", "bag-info.txt"] {
        let path = dir.join(format!("bundle/{name}"));
        let mut bytes = fs::read(&path).unwrap();
        let original = bytes.clone();
        // Over the 1 MiB a tag file may have: a comment-free padding line.
        bytes.extend(std::iter::repeat_n(b'x', 1 << 20));
        fs::write(&path, &bytes).unwrap();
        let report = dir.verify_json(&dir.join("bundle"), &[&key], 1);
        let about: Vec<_> = problems(&report)
            .into_iter()
            .filter(|(_, path)| path.as_deref() == Some(name))
            .collect();
        let unreadable = about
            .iter()
            .filter(|(code, _)| code == "bag.manifest-invalid");
        assert_eq!(unreadable.count(), 1, "{name}: {about:?}");
        let messages = report["problems"].to_string();
        assert!(
            !messages.contains(&format!("{name} is missing"))
                && !messages.contains("sealed tag file is missing"),
            "{name} read as missing: {messages}"
        );
        fs::write(&path, original).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn a_bundle_named_through_a_link_is_the_bundle() {
    let dir = Dir::new();
    let key = folder_bundle(&dir);
    std::os::unix::fs::symlink(dir.join("bundle"), dir.join("link")).unwrap();
    let report = dir.verify_json(&dir.join("link"), &[&key], 0);
    assert_eq!(report["file_count"], 2);
}

#[test]
fn an_invalid_disclosure_entry_is_not_also_a_missing_file() {
    let dir = Dir::new();
    let key = folder_bundle(&dir);
    dir.run(["disclose", "bundle", "src/a.txt", "-o", "part"], 0);
    let document_path = dir.join("part/exhibit/disclosure.json");
    let mut document: serde_json::Value =
        serde_json::from_slice(&fs::read(&document_path).unwrap()).unwrap();
    let mut entry = document["files"][0].clone();
    entry["path"] = "../outside".into();
    document["files"].as_array_mut().unwrap().push(entry);
    fs::write(
        &document_path,
        serde_json::to_vec_pretty(&document).unwrap(),
    )
    .unwrap();
    // The manifest and tag manifest do not cover disclosure.json's new
    // bytes: only the document's own findings matter here.
    let report = dir.verify_json(&dir.join("part"), &[&key], 1);
    let about: Vec<_> = problems(&report)
        .into_iter()
        .filter(|(_, path)| path.as_deref() == Some("../outside"))
        .collect();
    assert_eq!(
        about,
        [(
            "disclosure.invalid".to_string(),
            Some("../outside".to_string())
        )]
    );
}
