//! The chain of custody end to end: a full cross-border story, and every
//! way of tampering with the log detected with the event named.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{problems, seal_args, stdout, Dir};
use exhibit::format::custody::{sign_event, Action, NewEvent, SignedEvent};
use exhibit::keys::{KeyError, SecretKey, Signer};
use exhibit::time::UtcTime;
use zeroize::Zeroizing;

struct Case {
    dir: Dir,
}

impl Case {
    fn new() -> Case {
        let case = Case { dir: Dir::new() };
        case.dir.write("phone/sms.db", b"messages");
        for (name, org) in [
            ("a", "Examiner Unit"),
            ("b", "Foreign Prosecutor"),
            ("c", "Someone Else"),
        ] {
            case.ok(&[
                "keygen",
                "-o",
                &format!("{name}.key"),
                "--name",
                name,
                "--org",
                org,
                "--no-passphrase",
            ]);
        }
        case
    }

    fn run(&self, args: &[&str]) -> Output {
        self.dir.output(args)
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn code(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn seal(&self, bundle: &str) {
        self.ok(&[
            "seal",
            "phone",
            "-o",
            bundle,
            "--key",
            "a.key",
            "--case",
            "K",
            "--exhibit",
            "1",
            "--time",
            "2026-03-01T08:00:00Z",
        ]);
    }

    fn add(
        &self,
        bundle: &str,
        key: &str,
        action: &str,
        extra: &[&str],
        time: &str,
    ) -> (i32, String) {
        let mut args = vec![
            "custody", "add", bundle, "--key", key, "--action", action, "--time", time,
        ];
        args.extend_from_slice(extra);
        self.code(&args)
    }

    /// Seal by A → transfer to B → receive by B → copy, analyze by B →
    /// transfer back to A → receive by A.
    fn story(&self, bundle: &str) {
        self.seal(bundle);
        let steps: &[(&str, &str, &[&str], &str)] = &[
            (
                "a.key",
                "transfer",
                &[
                    "--to-key",
                    "b.pub",
                    "--note",
                    "MLA request 17",
                    "--location",
                    "Hanoi",
                ],
                "2026-03-02T09:00:00Z",
            ),
            (
                "b.key",
                "receive",
                &["--location", "Lyon"],
                "2026-03-03T10:00:00Z",
            ),
            (
                "b.key",
                "copy",
                &["--note", "working copy"],
                "2026-03-03T11:00:00Z",
            ),
            ("b.key", "analyze", &[], "2026-03-04T12:00:00Z"),
            (
                "b.key",
                "transfer",
                &["--to-key", "a.pub"],
                "2026-03-05T13:00:00Z",
            ),
            ("a.key", "receive", &[], "2026-03-06T14:00:00Z"),
        ];
        for (key, action, extra, time) in steps {
            let (code, err) = self.add(bundle, key, action, extra, time);
            assert_eq!(code, 0, "{action} by {key}: {err}");
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// An unencrypted key of this case (`a`, `b` or `c`), loaded for
    /// signing events by hand.
    fn key(&self, name: &str) -> SecretKey {
        let no_passphrase = || -> Result<Zeroizing<String>, KeyError> { unreachable!() };
        SecretKey::load(&self.path(&format!("{name}.key")), &no_passphrase).unwrap()
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(self.path(rel), text.replacen(from, to, 1)).unwrap();
    }

    /// Writes a signed event's two files into a folder bundle as they are,
    /// whatever the rules (`custody add` checks them; this does not).
    fn write_event(&self, bundle: &str, signed: &SignedEvent) {
        let paths = signed.paths();
        std::fs::write(
            self.path(&format!("{bundle}/{}", paths.event)),
            &signed.event,
        )
        .unwrap();
        std::fs::write(
            self.path(&format!("{bundle}/{}", paths.signature)),
            &signed.signature,
        )
        .unwrap();
    }

    /// `custody replay` must fail (exit 1) naming `event`; `verify` too.
    fn assert_detected(&self, bundle: &str, event: &str) {
        let (code, err) = self.code(&[
            "custody", "replay", bundle, "--trust", "a.pub", "--trust", "b.pub",
        ]);
        assert_eq!(code, 1, "replay should fail:\n{err}");
        assert!(err.contains(event), "replay should name {event}:\n{err}");
        let (code, err) = self.code(&["verify", bundle, "--trust", "a.pub"]);
        assert_eq!(code, 1, "verify should fail:\n{err}");
        assert!(err.contains(event), "verify should name {event}:\n{err}");
    }
}

fn event(seq: u32) -> String {
    format!("exhibit/custody/{seq:06}.json")
}

fn sig(seq: u32) -> String {
    format!("exhibit/custody/{seq:06}.sig")
}

#[test]
fn full_story_replays_and_logs_in_order() {
    let case = Case::new();
    for bundle in ["story", "story.zip"] {
        case.story(bundle);
        case.ok(&[
            "custody", "replay", bundle, "--trust", "a.pub", "--trust", "b.pub",
        ]);
        case.ok(&["verify", bundle, "--trust", "a.pub"]);
        let (code, _) = case.code(&["custody", "replay", bundle]);
        assert_eq!(code, 3, "intact but nobody trusted");
        let log = case.ok(&["custody", "log", bundle]);
        let actions: Vec<&str> = log
            .lines()
            .skip(1)
            .filter_map(|l| l.split_whitespace().nth(2))
            .take(7)
            .collect();
        assert_eq!(
            actions,
            ["seal", "transfer", "receive", "copy", "analyze", "transfer", "receive"],
            "{log}"
        );
        let head = log
            .lines()
            .find_map(|l| l.strip_prefix("head "))
            .unwrap()
            .to_string();
        assert!(head.starts_with("7:"));
        case.ok(&[
            "custody",
            "replay",
            bundle,
            "--expect-head",
            &head,
            "--trust",
            "a.pub",
        ]);
        let json: serde_json::Value =
            serde_json::from_str(&case.ok(&["custody", "log", bundle, "--json"])).unwrap();
        assert_eq!(json["schema"], "exhibit.custody-timeline/1");
        assert_eq!(json["custody"].as_array().unwrap().len(), 7);
        assert_eq!(json["custody"][1]["note"], "MLA request 17");
        assert_eq!(json["custody_head"], head.as_str());
    }
}

#[test]
fn hand_over_rules_are_enforced_when_adding() {
    let case = Case::new();
    case.seal("b");
    let t = "2026-03-02T00:00:00Z";
    // A transfer needs a recipient; a receive needs an open transfer.
    assert_eq!(case.add("b", "a.key", "transfer", &[], t).0, 2);
    assert_eq!(case.add("b", "b.key", "receive", &[], t).0, 1);
    assert_eq!(case.add("b", "a.key", "seal", &[], t).0, 2);
    assert_eq!(case.add("b", "a.key", "teleport", &[], t).0, 2);
    assert_eq!(
        case.add("b", "a.key", "transfer", &["--to-key", "b.pub"], t)
            .0,
        0
    );
    // Only the named recipient may act until it receives.
    let (code, err) = case.add("b", "c.key", "receive", &[], t);
    assert_eq!(code, 1, "{err}");
    assert_eq!(case.add("b", "a.key", "note", &[], t).0, 1);
    assert_eq!(case.add("b", "b.key", "receive", &[], t).0, 0);
    case.ok(&["custody", "replay", "b", "--trust", "a.pub"]);
}

#[test]
fn tampered_logs_are_detected_and_the_event_named() {
    type Tamper = fn(&Case, &str);
    let cases: &[(&str, &str, Tamper)] = &[
        ("edited note", "000002", |c, b| {
            c.edit(
                &format!("{b}/{}", event(2)),
                "MLA request 17",
                "MLA request 18",
            )
        }),
        ("edited time", "000003", |c, b| {
            c.edit(
                &format!("{b}/{}", event(3)),
                "2026-03-03T10:00:00Z",
                "2026-03-03T10:00:01Z",
            )
        }),
        ("deleted middle event", "000004", |c, b| {
            std::fs::remove_file(c.path(&format!("{b}/{}", event(4)))).unwrap();
            std::fs::remove_file(c.path(&format!("{b}/{}", sig(4)))).unwrap();
        }),
        ("swapped events", "000004", |c, b| {
            for (x, y) in [(event(4), event(5)), (sig(4), sig(5))] {
                let (px, py) = (c.path(&format!("{b}/{x}")), c.path(&format!("{b}/{y}")));
                let tmp = c.path("swap");
                std::fs::rename(&px, &tmp).unwrap();
                std::fs::rename(&py, &px).unwrap();
                std::fs::rename(&tmp, &py).unwrap();
            }
        }),
        ("duplicated event", "000005", |c, b| {
            std::fs::copy(
                c.path(&format!("{b}/{}", event(4))),
                c.path(&format!("{b}/{}", event(5))),
            )
            .unwrap();
            std::fs::copy(
                c.path(&format!("{b}/{}", sig(4))),
                c.path(&format!("{b}/{}", sig(5))),
            )
            .unwrap();
        }),
        ("event re-signed by another key", "000004", |c, b| {
            // A valid signature over the exact event bytes, but by key C.
            let bytes = std::fs::read(c.path(&format!("{b}/{}", event(4)))).unwrap();
            let key = c.key("c");
            let at = UtcTime::parse_canonical("2026-03-04T12:00:00Z").unwrap();
            let record = exhibit::format::signature::SignatureRecord::create(
                &key,
                Default::default(),
                &event(4),
                &bytes,
                at,
            );
            std::fs::write(c.path(&format!("{b}/{}", sig(4))), record.to_bytes()).unwrap();
        }),
        ("event copied from another bundle", "000003", |c, b| {
            let other = Case::new();
            other.story("x");
            for name in [event(3), sig(3)] {
                std::fs::copy(
                    other.path(&format!("x/{name}")),
                    c.path(&format!("{b}/{name}")),
                )
                .unwrap();
            }
        }),
    ];
    for (what, expected_event, tamper) in cases {
        let case = Case::new();
        case.story("b");
        tamper(&case, "b");
        eprintln!("case: {what}");
        case.assert_detected("b", expected_event);
    }
}

#[test]
fn receive_by_a_key_that_was_not_named_is_detected() {
    let case = Case::new();
    case.seal("b");
    case.add(
        "b",
        "a.key",
        "transfer",
        &["--to-key", "b.pub"],
        "2026-03-02T00:00:00Z",
    );
    // Forge: C writes a receive by hand into a copy where the rules were not checked.
    case.ok(&[
        "seal",
        "phone",
        "-o",
        "scratch",
        "--key",
        "a.key",
        "--case",
        "K",
        "--exhibit",
        "1",
        "--time",
        "2026-03-01T08:00:00Z",
    ]);
    case.add(
        "scratch",
        "a.key",
        "transfer",
        &["--to-key", "c.pub"],
        "2026-03-02T00:00:00Z",
    );
    case.add("scratch", "c.key", "receive", &[], "2026-03-03T00:00:00Z");
    for name in [event(3), sig(3)] {
        std::fs::copy(
            case.path(&format!("scratch/{name}")),
            case.path(&format!("b/{name}")),
        )
        .unwrap();
    }
    case.assert_detected("b", "000003");
}

/// The hand-over rule alone: after a transfer to B, a receive must be
/// signed by B. Here it is signed by C, and everything else holds: each
/// event links to the one before it and is validly signed by its actor. So
/// `verify` and `custody replay` can only refuse the log for the hand-over,
/// and must say so. (The same receive signed by B verifies, which shows the
/// events are written faithfully.)
#[test]
fn receive_signed_by_a_key_the_transfer_did_not_name_breaks_only_the_handover_rule() {
    let case = Case::new();
    case.seal("b");
    let (code, err) = case.add(
        "b",
        "a.key",
        "transfer",
        &["--to-key", "b.pub"],
        "2026-03-02T00:00:00Z",
    );
    assert_eq!(code, 0, "{err}");
    let seal = std::fs::read(case.path("b/exhibit/seal.json")).unwrap();
    let transfer = std::fs::read(case.path(&format!("b/{}", event(2)))).unwrap();
    let receive_by = |key: &str| {
        let new = NewEvent {
            sequence: 3,
            action: Action::Receive,
            actor: Default::default(),
            time: UtcTime::parse_canonical("2026-03-03T00:00:00Z").unwrap(),
            note: None,
            location: None,
            recipient: None,
        };
        sign_event(Signer::Key(&case.key(key)), new, &seal, Some(&transfer)).expect("a key signs")
    };
    let verify: &[&str] = &["verify", "b", "--json", "--trust", "a.pub"];
    let replay: &[&str] = &[
        "custody", "replay", "b", "--json", "--trust", "a.pub", "--trust", "b.pub",
    ];

    // Control: received by the key the transfer named.
    case.write_event("b", &receive_by("b"));
    for args in [verify, replay] {
        let (code, err) = case.code(args);
        assert_eq!(code, 0, "{args:?} with the receive signed by B:\n{err}");
    }

    // Received by another key, every hash link and signature still valid.
    case.write_event("b", &receive_by("c"));
    for args in [verify, replay] {
        let out = case.run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}:\n{err}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}):\n{err}"));
        let found = problems(&report);
        assert!(
            found.contains(&("custody.handover".into(), Some(event(3)))),
            "{args:?}: no hand-over problem at {}: {found:?}",
            event(3)
        );
        for (code, path) in &found {
            assert!(
                code != "custody.link" && code != "custody.signature",
                "{args:?}: {code} at {path:?}, but every link and signature is valid: {found:?}"
            );
        }
    }
}

#[test]
fn a_log_hidden_or_rewritten_by_another_key_is_detected() {
    // The whole log removed and a stray event 0 put in its place.
    let case = Case::new();
    case.story("b");
    std::fs::remove_dir_all(case.path("b/exhibit/custody")).unwrap();
    std::fs::create_dir_all(case.path("b/exhibit/custody")).unwrap();
    std::fs::write(case.path("b/exhibit/custody/000000.json"), b"{}").unwrap();
    let (code, err) = case.code(&["verify", "b", "--trust", "a.pub"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("000000.json") && err.contains("custody"),
        "{err}"
    );

    // A fresh log for the same seal, written by key C: every link holds,
    // but the seal event is not by a seal signer.
    let case = Case::new();
    case.seal("b");
    let seal = std::fs::read(case.path("b/exhibit/seal.json")).unwrap();
    let new = NewEvent {
        sequence: 1,
        action: Action::Seal,
        actor: Default::default(),
        time: UtcTime::parse_canonical("2026-03-01T08:00:00Z").unwrap(),
        note: None,
        location: None,
        recipient: None,
    };
    let key = case.key("c");
    let signed = sign_event(Signer::Key(&key), new, &seal, None).expect("a key signs");
    case.write_event("b", &signed);
    case.assert_detected("b", "000001");
}

#[test]
fn truncation_is_caught_by_expect_head() {
    let case = Case::new();
    case.story("b");
    let log = case.ok(&["custody", "log", "b"]);
    let head = log
        .lines()
        .find_map(|l| l.strip_prefix("head "))
        .unwrap()
        .to_string();
    for seq in [6, 7] {
        std::fs::remove_file(case.path(&format!("b/{}", event(seq)))).unwrap();
        std::fs::remove_file(case.path(&format!("b/{}", sig(seq)))).unwrap();
    }
    // Without the expected head, a cleanly truncated log still replays...
    case.ok(&["custody", "replay", "b", "--trust", "a.pub"]);
    // ...but not against the head the sender passed on.
    let (code, err) = case.code(&[
        "custody",
        "replay",
        "b",
        "--trust",
        "a.pub",
        "--expect-head",
        &head,
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("custody.head-mismatch"), "{err}");
}

#[test]
fn times_going_backwards_are_a_warning_not_a_failure() {
    let case = Case::new();
    case.seal("b");
    case.add("b", "a.key", "note", &[], "2026-02-01T00:00:00Z");
    let (code, err) = case.code(&["custody", "replay", "b", "--trust", "a.pub"]);
    assert_eq!(code, 0);
    assert!(
        err.contains("custody.time-backwards") && err.contains("000002"),
        "{err}"
    );
}

#[test]
fn adding_to_a_broken_chain_is_refused() {
    let case = Case::new();
    case.story("b");
    case.edit(
        &format!("b/{}", event(2)),
        "MLA request 17",
        "MLA request 99",
    );
    let (code, err) = case.add("b", "a.key", "note", &[], "2026-03-07T00:00:00Z");
    assert_eq!(code, 1, "{err}");
    assert!(!Path::new(&case.path(&format!("b/{}", event(8)))).exists());
}

/// Regression: `seal` printed no custody head, though the examiner must pass
/// it on by another channel (docs/VERIFYING.md), and said "1 files".
#[test]
fn seal_prints_the_custody_head_that_custody_log_ends_with() {
    let dir = Dir::new();
    dir.write("evidence/only.txt", b"one file\n");
    let key = dir.keygen("examiner");
    let out = dir.run(seal_args(&["evidence"], "one.zip", &key, "A1"), 0);
    let printed = stdout(&out);
    assert!(printed.contains("sealed 1 file, "), "{printed}");
    let head = printed
        .lines()
        .find_map(|l| l.strip_prefix("head "))
        .unwrap_or_else(|| panic!("no head line: {printed}"));
    let log = stdout(&dir.run(["custody", "log", "one.zip"], 0));
    assert_eq!(
        log.lines().last(),
        Some(format!("head {head}").as_str()),
        "{log}"
    );
}

/// Regression: `--expect-head` failed as soon as the receiver added its own
/// `receive` (the README's own order). The head a sender passes on is a
/// prefix: event N must be the one it names; later events are listed as
/// added after it; a log cut short or forked before N still fails.
#[test]
fn the_head_a_sender_passed_on_is_a_prefix_of_the_log() {
    let case = Case::new();
    case.seal("b");
    let t = "2026-03-02T00:00:00Z";
    assert_eq!(
        case.add("b", "a.key", "transfer", &["--to-key", "b.pub"], t)
            .0,
        0
    );
    let log = case.ok(&["custody", "log", "b"]);
    let head = log
        .lines()
        .find_map(|l| l.strip_prefix("head "))
        .unwrap()
        .to_string();
    assert!(head.starts_with("2:"), "{head}");
    assert_eq!(case.add("b", "b.key", "receive", &[], t).0, 0);

    let replay = |expected: &str| {
        let out = case.run(&[
            "custody",
            "replay",
            "b",
            "--trust",
            "a.pub",
            "--expect-head",
            expected,
            "--json",
        ]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code().unwrap_or(-1), json)
    };
    let (code, json) = replay(&head);
    assert_eq!(code, 0, "{json}");
    let warnings: Vec<(String, String)> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["code"].as_str().unwrap().into(),
                w["path"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        warnings,
        [(
            "custody.after-head".to_string(),
            "exhibit/custody/000003.json".to_string()
        )]
    );

    // A head the log does not pass through: another digest at 2, or an
    // event the log does not have.
    let forked = format!("2:{}", "0".repeat(64));
    let (code, json) = replay(&forked);
    assert_eq!(code, 1, "{json}");
    assert!(json.to_string().contains("custody.head-mismatch"), "{json}");
    let beyond = format!("4:{}", &head[2..]);
    let (code, json) = replay(&beyond);
    assert_eq!(code, 1, "{json}");
}

#[test]
#[cfg(unix)]
fn appended_files_are_as_readable_as_sealed_ones() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Dir::new();
    dir.write("evidence/a.txt", b"a\n");
    let key = dir.keygen("alice");
    dir.run(seal_args(&["evidence"], "case", &key, "A1"), 0);
    let key_path = key.secret.to_str().unwrap();
    dir.run(
        [
            "custody", "add", "case", "--action", "note", "--note", "n", "--key", key_path,
        ],
        0,
    );
    let mode = |name: &str| {
        std::fs::metadata(dir.join("case").join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    let sealed = mode("exhibit/custody/000001.json");
    assert_eq!(sealed, 0o644);
    assert_eq!(mode("exhibit/custody/000002.json"), sealed);
    assert_eq!(mode("exhibit/custody/000002.sig"), sealed);
}
