//! The disclosure script of `docs/VERIFYING.md`, run as written (taken from
//! the document between its markers) with the system's `python3` alone: it
//! accepts a disclosure bundle and rejects every tampered one.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::{
    self, copy_tree, read_bag_files, stderr, stdout, tool_or_skip, unzip, write_bag_files, Dir,
};
use serde_json::Value;

const DISCLOSURE: &str = "exhibit/disclosure.json";

/// The ```python block between the disclosure-script markers.
fn script() -> String {
    let doc = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/VERIFYING.md"))
        .expect("docs/VERIFYING.md");
    let begin = doc
        .find("<!-- disclosure-script:begin -->")
        .expect("begin marker");
    let end = doc
        .find("<!-- disclosure-script:end -->")
        .expect("end marker");
    let block = &doc[begin..end];
    let code = block
        .split_once("```python\n")
        .and_then(|(_, rest)| rest.rsplit_once("```"))
        .map(|(code, _)| code)
        .expect("a python block between the markers");
    assert!(
        code.contains("root_from_proof"),
        "not the disclosure script"
    );
    code.to_string()
}

fn run(python: &Path, dir: &Dir, bag: &str) -> (Output, String) {
    let output = Command::new(python)
        .arg("check-disclosure.py")
        .arg(bag)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = format!("{}{}", stdout(&output), stderr(&output));
    (output, text)
}

fn edit_doc(
    files: &mut std::collections::BTreeMap<String, Vec<u8>>,
    edit: impl FnOnce(&mut Value),
) {
    let mut doc: Value = serde_json::from_slice(&files[DISCLOSURE]).unwrap();
    edit(&mut doc);
    files.insert(DISCLOSURE.into(), serde_json::to_vec_pretty(&doc).unwrap());
}

#[test]
fn the_disclosure_script_accepts_a_disclosure_and_rejects_tampering() {
    let test = "the_disclosure_script_accepts_a_disclosure_and_rejects_tampering";
    let Some(python) = tool_or_skip("python3", test) else {
        return;
    };
    let dir = Dir::new();
    for i in 0..40u32 {
        dir.write(
            format!("seized/f{i:02}.txt"),
            common::content(10 + i as usize * 13, i),
        );
    }
    dir.write("seized/odd name %\nline.txt", b"awkward\n");
    let examiner = dir.keygen("examiner");
    let bundle = dir.seal(&["seized"], "bundle", &examiner);
    let picked = [
        "seized/f03.txt",
        "seized/f17.txt",
        "seized/f39.txt",
        "seized/odd name %\nline.txt",
    ];
    let mut args = vec!["disclose".to_string(), bundle.display().to_string()];
    args.extend(picked.iter().map(|p| p.to_string()));
    args.extend(["-o".into(), "part".into()]);
    dir.run(&args, 0);
    args.pop();
    args.push("part.zip".into());
    dir.run(&args, 0);
    dir.verify_json(&dir.join("part"), &[&examiner], 0);
    fs::write(dir.join("check-disclosure.py"), script()).unwrap();

    let (output, text) = run(&python, &dir, "part");
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("4 of 41 sealed files proven, 0 problems"),
        "{text}"
    );
    assert_eq!(text.matches("PROVEN data/seized/").count(), 4, "{text}");
    assert!(!text.contains("BAD"), "{text}");
    // The zip, unpacked as VERIFYING.md step 0 does.
    unzip(&dir.join("part.zip"), &dir.join("unzipped"));
    let (output, text) = run(&python, &dir, "unzipped/part");
    assert!(output.status.success(), "{text}");

    let good = read_bag_files(&dir.join("part"));
    type Edit = fn(&mut std::collections::BTreeMap<String, Vec<u8>>);
    let cases: [(&str, Edit); 7] = [
        ("a disclosed file changed", |f| {
            f.get_mut("data/seized/f17.txt").unwrap()[0] ^= 1;
        }),
        ("a salt edited", |f| {
            edit_doc(f, |d| d["files"][1]["salt"] = "0".repeat(64).into())
        }),
        ("a BLAKE3 edited", |f| {
            edit_doc(f, |d| d["files"][2]["blake3"] = "0".repeat(64).into())
        }),
        ("an audit path hash edited", |f| {
            edit_doc(f, |d| {
                d["files"][0]["audit_path"][0] = "0".repeat(64).into()
            })
        }),
        ("a leaf index moved", |f| {
            edit_doc(f, |d| d["files"][0]["leaf_index"] = 4.into())
        }),
        ("a file added without a proof", |f| {
            f.insert("data/seized/planted.txt".into(), b"planted\n".to_vec());
        }),
        ("made for another seal", |f| {
            edit_doc(f, |d| d["seal_sha256"] = "1".repeat(64).into())
        }),
    ];
    for (i, (name, edit)) in cases.into_iter().enumerate() {
        let target = format!("case-{i}");
        copy_tree(&dir.join("part"), &dir.join(&target));
        let mut files = good.clone();
        edit(&mut files);
        write_bag_files(&dir.join(&target), &files);
        let (output, text) = run(&python, &dir, &target);
        assert_eq!(output.status.code(), Some(1), "{name}: {text}");
        assert!(text.contains("BAD "), "{name}: {text}");
        // exhibit agrees.
        dir.verify_json(&dir.join(&target), &[&examiner], 1);
    }
}
