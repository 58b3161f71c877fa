//! Inputs found by the fuzz targets in `fuzz/` (run with `scripts/fuzz`),
//! kept so that what they showed stays fixed.
//!
//! The checks each target makes live once, in `fuzz/src/properties.rs`,
//! compiled here as well. Each named test feeds the exact input to the API
//! its target exercises and states the expected result. Every file under
//! `tests/data/fuzz/<target>/` is also replayed through the checks of its
//! target (`replay_kept_inputs`): drop a new finding there and it becomes a
//! test. Findings of `bundle_structured` can be kept as the input found or
//! as the zip it built, under `bundle_zip/`. The committed seeds
//! (`fuzz/seeds/<target>/`) are replayed too, so that every check runs on
//! inputs that parse.

#[allow(dead_code)]
#[path = "../../fuzz/src/properties.rs"]
mod properties;

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{test_data, Dir};
use exhibit::format::bag::{BagError, BagInfo};
use exhibit::format::custody::{check_chain, parse_event_file_name, EventFile};

type Check = fn(&[u8]);

/// Every fuzz target and its checks.
const TARGETS: [(&str, Check); 19] = [
    ("seal_statement", properties::seal_statement),
    ("signature_record", properties::signature_record),
    ("custody_event", properties::custody_event),
    ("custody_chain", properties::custody_chain),
    ("manifest", properties::manifest),
    ("bag_info", properties::bag_info),
    ("bagit_txt", properties::bagit_txt),
    ("bag_path", properties::bag_path),
    ("bundle_zip", properties::bundle_zip),
    ("bundle_structured", properties::bundle_structured),
    ("zip_layout", properties::zip_layout),
    ("journal", properties::journal),
    ("tag_encoding", properties::tag_encoding),
    ("timestamp_response", properties::timestamp_response),
    ("cert_signature", properties::cert_signature),
    ("revocation", properties::revocation),
    ("evidence_record", properties::evidence_record),
    ("plan_lines", properties::plan_lines),
    ("verify_part", properties::verify_part),
];

/// Runs every file of `root/<target>/` through the target's checks;
/// returns how many files there were.
fn replay(root: &Path) -> usize {
    let mut replayed = 0;
    for (target, check) in TARGETS {
        let Ok(files) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for file in files {
            let path = file.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{target}: {} panics", path.display());
            replayed += 1;
        }
    }
    replayed
}

#[test]
fn replay_kept_inputs() {
    replay(&test_data("fuzz"));
}

#[test]
fn replay_seeds() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    assert!(replay(&seeds) > 0, "no seeds in {}", seeds.display());
}

// ---------------------------------------------------------------------------
// Findings, by target.

/// bag_info, crash-30e55092…: `BagInfo::push` accepted a label starting with
/// U+FEFF; written first by `to_bytes`, it made the file start with a
/// byte-order mark, which `BagInfo::parse` (rightly) refuses. The label is
/// now refused by `push`, and by `parse` wherever it appears, so anything
/// either accepts is written back as a file that parses.
#[test]
fn bag_info_label_starting_with_u_feff() {
    let crash: &[u8] = b"\xef\xbb\xbfB\xffagrb\xff\xff\xff\xff\xff\xff\xff\xdf\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\x11\x00\x00\xff\xff";
    properties::bag_info(crash);

    let mut info = BagInfo::new();
    let label = String::from_utf8_lossy(&crash[..crash.len() - 5]).into_owned();
    assert!(matches!(
        info.push(&label, ""),
        Err(BagError::InvalidLabel { .. })
    ));
    assert!(matches!(
        info.push("\u{feff}Case-Id", "2026-0042"),
        Err(BagError::InvalidLabel { .. })
    ));
    assert!(info.entries().is_empty());
    // Inside a label, U+FEFF is just a character.
    info.push("Case\u{feff}-Id", "x").unwrap();
    assert_eq!(BagInfo::parse(&info.to_bytes()).unwrap(), info);

    // The same label read from a file: after a blank line it is not at the
    // start of the file, but written back it would be.
    let e = BagInfo::parse(b"\n\xef\xbb\xbfCase-Id: 2026-0042\n").unwrap_err();
    assert!(matches!(e, BagError::Malformed { line: 2, .. }), "{e:?}");
    let e = BagInfo::parse(b"A: 1\n\xef\xbb\xbfB: 2\n").unwrap_err();
    assert!(matches!(e, BagError::Malformed { line: 2, .. }), "{e:?}");
    // At the very start of the file it is a byte-order mark, as before.
    assert!(matches!(
        BagInfo::parse(b"\xef\xbb\xbfA: 1\n"),
        Err(BagError::ByteOrderMark { .. })
    ));
}

/// custody_chain: a log whose only event is numbered 0 gave `check_chain`
/// nothing to check and no problem to report, as if the log were complete.
/// File names numbered 0 are refused before the checker sees them, so a
/// bundle whose custody folder holds only `000000.json` and `000000.sig`
/// has an empty log: failed, with the file reported as not part of the
/// format.
#[test]
fn custody_log_numbered_from_zero_is_empty() {
    assert_eq!(parse_event_file_name("exhibit/custody/000000.json"), None);
    assert_eq!(parse_event_file_name("exhibit/custody/000000.sig"), None);
    assert_eq!(
        parse_event_file_name("exhibit/custody/000001.json"),
        Some((1, EventFile::Event))
    );
    assert!(check_chain(&BTreeMap::new(), b"")
        .problems
        .iter()
        .any(|p| p.code.as_str() == "custody.invalid"));

    let dir = Dir::new();
    dir.write("sms.db", b"messages");
    let exhibit = |args: &[&str]| dir.output(args);
    let time = "2026-01-01T00:00:00Z";
    assert!(exhibit(&["keygen", "-o", "k.key", "--no-passphrase"])
        .status
        .success());
    let sealed = exhibit(&[
        "seal",
        "sms.db",
        "-o",
        "b",
        "--key",
        "k.key",
        "--case",
        "C",
        "--exhibit",
        "E",
        "--time",
        time,
        "-q",
    ]);
    assert!(sealed.status.success(), "{sealed:?}");
    let custody = dir.join("b/exhibit/custody");
    for ext in ["json", "sig"] {
        std::fs::rename(
            custody.join(format!("000001.{ext}")),
            custody.join(format!("000000.{ext}")),
        )
        .unwrap();
    }
    let out = exhibit(&["verify", "b", "--trust", "k.pub"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("custody log is empty"), "{stderr}");
    assert!(stderr.contains("exhibit/custody/000000.json"), "{stderr}");
}

/// bundle_zip, timeout-8e8fe326…: a custody file numbered 551615 made the
/// checker report every missing number on its own line (half a million
/// problems, seconds of work); numbered near `u64::MAX` it never finished.
/// A gap is now one problem, however wide, and the walk visits only the
/// events present.
#[test]
fn custody_gap_is_one_problem_however_wide() {
    let data = std::fs::read(test_data(
        "fuzz/bundle_zip/timeout-8e8fe3267c6aaa13343769e3c2aae73c25c851ed",
    ))
    .unwrap();
    properties::bundle_zip(&data);

    let last = u64::MAX;
    assert_eq!(
        parse_event_file_name(&format!("exhibit/custody/{last}.json")),
        Some((last, EventFile::Event))
    );
    let stored = |json: &[u8]| exhibit::format::custody::StoredEvent {
        json: Some(json.to_vec()),
        sig: None,
        p7s: None,
    };
    let events = BTreeMap::from([(1, stored(b"{}")), (last, stored(b"{}"))]);
    let check = check_chain(&events, b"");
    let gaps: Vec<_> = check
        .problems
        .iter()
        .filter(|p| p.message.contains("missing from the log"))
        .collect();
    assert_eq!(gaps.len(), 1, "{:?}", check.problems);
    assert_eq!(gaps[0].path.as_deref(), Some("exhibit/custody/000002.json"));
    assert!(
        gaps[0]
            .message
            .contains(&format!("events 2 to {} are missing", last - 1)),
        "{}",
        gaps[0].message
    );
    assert!(check.problems.len() < 10, "{:?}", check.problems);
}

/// The certificate signature seeds are sound pairs (so the fuzzer starts
/// from inputs that pass every check): each is accepted, untrusted without
/// a root, and refused once one byte of the signed content changes. The
/// certificates are checked at the signing time the signature states, so
/// this holds after they expire.
#[test]
fn certificate_signature_seeds_are_accepted_and_a_changed_byte_is_not() {
    use exhibit::tsp::{check_detached, PathEnd};
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/cert_signature");
    for name in ["exhibit-rsa.bin", "openssl-cades-rsa.bin"] {
        let data = std::fs::read(seeds.join(name)).unwrap();
        let len = usize::from(u16::from_be_bytes([data[0], data[1]]));
        let (p7s, content) = data[2..].split_at(data.len() - 2 - len);
        let facts =
            check_detached(p7s, content, &[], None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(matches!(facts.path, PathEnd::Untrusted { .. }), "{name}");
        let mut changed = content.to_vec();
        changed[0] ^= 1;
        assert!(check_detached(p7s, &changed, &[], None).is_err(), "{name}");
    }
}
