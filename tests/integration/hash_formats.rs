//! `exhibit hash --format hashdeep` and `--format dfxml`, checked by the
//! tools that read them: hashdeep's own audit (passing as written, failing
//! after one changed byte, names exactly as `hashdeep -r` prints them) and
//! Python's XML parser (every file with its size and SHA-256).

use std::collections::BTreeMap;
use std::fs;
use std::process::Output;

use crate::common::{assert_tool_ok, content, run_tool, stderr, stdout, tool_or_skip, Dir};

/// Names that break naive list formats: spaces, commas (hashdeep's column
/// separator), unicode, XML markup, percent signs.
const AWKWARD: &[&str] = &[
    "plain.txt",
    "with space.txt",
    "a,b,c.csv",
    "ünïcødé 日本語.bin",
    "<script>alert(1)</script>&\"'.html",
    "100% sure.txt",
    "empty",
    "sub dir/nested, deep/file.txt",
];

fn make_evidence(dir: &Dir, names: &[&str]) {
    for (i, name) in names.iter().enumerate() {
        let len = if *name == "empty" { 0 } else { 100 + i * 997 };
        dir.write(format!("evidence/{name}"), content(len, i as u32));
    }
}

fn hash(dir: &Dir, args: &[&str]) -> Output {
    let output = dir.exhibit().arg("hash").args(args).output().unwrap();
    assert_ne!(output.status.code(), Some(101), "{}", stderr(&output));
    output
}

/// `size,hash,name` lines of a hashdeep file, without header or comments.
fn hashdeep_records(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with("%%%%") && !l.starts_with('#') && !l.is_empty())
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn hashdeep_audit_passes_and_fails_after_one_changed_byte() {
    let Some(hashdeep) = tool_or_skip("hashdeep", "hashdeep_audit_passes") else {
        return;
    };
    let dir = Dir::new();
    make_evidence(&dir, AWKWARD);
    let output = hash(&dir, &["evidence", "--format", "hashdeep"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let ours = stdout(&output);
    let mut lines = ours.lines();
    assert_eq!(lines.next(), Some("%%%% HASHDEEP-1.0"));
    assert_eq!(lines.next(), Some("%%%% size,sha256,filename"));
    assert!(lines.next().unwrap().starts_with("## "));
    dir.write("known.txt", &ours);

    // The same records, names included, as hashdeep's own listing of the
    // same invocation.
    let theirs = run_tool(&hashdeep, dir.path(), ["-c", "sha256", "-r", "evidence"]);
    assert_tool_ok(&theirs, "hashdeep -c sha256 -r");
    assert_eq!(hashdeep_records(&ours), hashdeep_records(&stdout(&theirs)));
    assert_eq!(hashdeep_records(&ours).len(), AWKWARD.len());

    let audit = || {
        run_tool(
            &hashdeep,
            dir.path(),
            ["-a", "-k", "known.txt", "-r", "evidence"],
        )
    };
    let passed = audit();
    assert_tool_ok(&passed, "hashdeep -a");
    assert!(
        stdout(&passed).contains("Audit passed"),
        "{}",
        stdout(&passed)
    );

    // One byte of one file changes: the audit fails.
    let victim = dir.join("evidence/a,b,c.csv");
    let mut bytes = fs::read(&victim).unwrap();
    bytes[10] ^= 1;
    fs::write(&victim, bytes).unwrap();
    let failed = audit();
    assert!(!failed.status.success(), "{}", stdout(&failed));
    assert!(
        stdout(&failed).contains("Audit failed"),
        "{}",
        stdout(&failed)
    );
}

#[test]
fn hashdeep_refuses_a_name_it_cannot_hold() {
    let dir = Dir::new();
    make_evidence(&dir, &["ok.txt", "new\nline"]);
    let output = hash(&dir, &["evidence", "--format", "hashdeep"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("line break"),
        "{}",
        stderr(&output)
    );
    let records = hashdeep_records(&stdout(&output));
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(records[0].ends_with("/evidence/ok.txt"), "{records:?}");
}

/// Lists every `fileobject` of a DFXML file as `name -> [size, sha256]`,
/// with Python's standard XML parser.
const PARSE_DFXML: &str = r#"
import json, sys, xml.etree.ElementTree as ET
ns = {"d": "http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML"}
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{%s}dfxml" % ns["d"], root.tag
files = {}
for fo in root.findall("d:fileobject", ns):
    digests = {h.get("type"): h.text for h in fo.findall("d:hashdigest", ns)}
    files[fo.find("d:filename", ns).text] = [int(fo.find("d:filesize", ns).text), digests["sha256"]]
json.dump(files, sys.stdout)
"#;

#[test]
fn dfxml_parses_and_lists_every_file_with_its_sha256() {
    let Some(python) = tool_or_skip("python3", "dfxml_parses") else {
        return;
    };
    let dir = Dir::new();
    let mut names = AWKWARD.to_vec();
    names.extend(["new\nline", "carriage\rreturn"]);
    make_evidence(&dir, &names);
    let output = hash(&dir, &["evidence", "--format", "dfxml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    dir.write("hashes.dfxml", &output.stdout);
    dir.write("parse.py", PARSE_DFXML);
    let parsed = run_tool(&python, dir.path(), ["parse.py", "hashes.dfxml"]);
    assert_tool_ok(&parsed, "python3 xml.etree");
    let parsed: BTreeMap<String, (u64, String)> = serde_json::from_slice(&parsed.stdout).unwrap();

    let json = hash(&dir, &["evidence", "--format", "json"]);
    let expected: Vec<serde_json::Value> = serde_json::from_slice(&json.stdout).unwrap();
    let expected: BTreeMap<String, (u64, String)> = expected
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_string(),
                (
                    r["size"].as_u64().unwrap(),
                    r["sha256"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect();
    assert_eq!(parsed.len(), names.len());
    assert_eq!(parsed, expected);
}

#[test]
fn dfxml_refuses_a_name_xml_cannot_hold() {
    let dir = Dir::new();
    make_evidence(&dir, &["ok.txt", "bell\u{7}"]);
    let output = hash(&dir, &["evidence", "--format", "dfxml"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("<filename>evidence/ok.txt</filename>"),
        "{text}"
    );
    assert!(!text.contains("bell"), "{text}");
    assert!(text.trim_end().ends_with("</dfxml>"), "{text}");
}

/// Two names that differ only in bytes that are not UTF-8 would both be
/// written as one made-up name (U+FFFD) in JSON: each is reported and left
/// out, the JSON stays valid, and the exit code is 2, as `--help` says.
#[cfg(unix)]
#[test]
fn json_refuses_names_that_are_not_utf8() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = Dir::new();
    make_evidence(&dir, &["ok.txt"]);
    for (byte, seed) in [(0xff_u8, 1), (0xfe, 2)] {
        let name = [b'x', byte];
        let name = OsStr::from_bytes(&name);
        fs::write(dir.join("evidence").join(name), content(10, seed)).unwrap();
    }
    let output = hash(&dir, &["evidence", "--format", "json"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let paths: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["evidence/ok.txt"]);
    let err = stderr(&output);
    assert_eq!(
        err.matches("not valid UTF-8, which a JSON string cannot hold exactly; not listed")
            .count(),
        2,
        "{err}"
    );
    assert!(!stdout(&output).contains('\u{fffd}'));
}
