//! The trust policy (`--trust-policy FILE`): roles, validity windows,
//! revocation and co-signer thresholds, for seal signatures and custody
//! events, on folder and zip bundles; and every way a policy file can be
//! unusable (exit 2, one line naming the file and line).

use std::fs;

use crate::common::*;

/// When every bundle here is sealed and co-signed.
const SEALED: &str = "2026-06-01T12:00:00Z";

struct Case {
    dir: Dir,
    a: Key,
    b: Key,
    c: Key,
}

impl Case {
    fn new() -> Case {
        let dir = Dir::new();
        dir.write("evidence/a.txt", b"alpha\n");
        dir.write("evidence/b.txt", b"bravo\n");
        let a = dir.keygen("a");
        let b = dir.keygen("b");
        let c = dir.keygen("c");
        Case { dir, a, b, c }
    }

    /// Sealed by A at [`SEALED`], co-signed by each of `cosigners`.
    fn bundle(&self, out: &str, cosigners: &[&Key]) -> std::path::PathBuf {
        let args = [
            "seal",
            "evidence",
            "-o",
            out,
            "--key",
            "a.key",
            "--case",
            "C",
            "--exhibit",
            "E",
            "--time",
            SEALED,
        ];
        self.dir.run(args, 0);
        for key in cosigners {
            self.dir.run(
                [
                    "sign",
                    out,
                    "--key",
                    key.secret.to_str().unwrap(),
                    "--time",
                    SEALED,
                ],
                0,
            );
        }
        self.dir.join(out)
    }

    /// `out` sealed by A, then a note by C; and a policy that trusts A
    /// alone (to seal and for custody). Returns the policy's name.
    fn held_by_an_unlisted_key(&self, out: &str) -> String {
        let policy = self.policy(
            "policy.toml",
            &format!(
                "version = 1\n{}",
                key_entry("a.pub", "\"seal\", \"custody\"", "")
            ),
        );
        self.bundle(out, &[]);
        self.dir.run(
            [
                "custody", "add", out, "--key", "c.key", "--action", "note", "--note", "looked",
                "--time", SEALED,
            ],
            0,
        );
        policy
    }

    fn policy(&self, name: &str, text: &str) -> String {
        self.dir.write(name, text);
        name.to_string()
    }

    /// `verify --json --trust-policy`, asserting the exit code.
    #[track_caller]
    fn verify(&self, bundle: &str, policy: &str, code: i32) -> serde_json::Value {
        let out = self
            .dir
            .run(["verify", bundle, "--trust-policy", policy, "--json"], code);
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn key_entry(public: &str, roles: &str, extra: &str) -> String {
    format!("[[key]]\npublic_key = \"{public}\"\nroles = [{roles}]\n{extra}\n")
}

fn reason(report: &serde_json::Value, key: &Key) -> Option<String> {
    report["signers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key_id"] == key.id.as_str())
        .and_then(|s| s["untrusted_reason"].as_str().map(str::to_owned))
}

#[test]
fn each_reason_a_seal_signature_does_not_count() {
    let case = Case::new();
    for out in ["b.zip", "b"] {
        case.bundle(out, &[]);
        let rows = [
            (
                "not-listed",
                key_entry("b.pub", "\"seal\"", ""),
                Some("not listed"),
            ),
            ("role", key_entry("a.pub", "\"custody\"", ""), Some("role")),
            (
                "expired",
                key_entry(
                    "a.pub",
                    "\"seal\", \"custody\"",
                    "not_after = \"2026-05-31T00:00:00Z\"",
                ),
                Some("expired"),
            ),
            (
                "not-yet-valid",
                key_entry(
                    "a.pub",
                    "\"seal\", \"custody\"",
                    "not_before = \"2026-07-01T00:00:00Z\"",
                ),
                Some("not yet valid"),
            ),
            (
                "revoked",
                key_entry(
                    "a.pub",
                    "\"seal\", \"custody\"",
                    "revoked_at = 2026-06-01T12:00:00Z",
                ),
                Some("revoked"),
            ),
            (
                "revoked-later",
                key_entry(
                    "a.pub",
                    "\"seal\", \"custody\"",
                    "revoked_at = \"2026-09-01T00:00:00Z\"",
                ),
                None,
            ),
            (
                "time-not-proven",
                key_entry("a.pub", "\"seal\", \"custody\"", "")
                    + "[time]\nrequire_timestamp = true\n",
                Some("time not proven"),
            ),
        ];
        for (name, body, expected) in rows {
            let policy = case.policy(&format!("{name}.toml"), &format!("version = 1\n{body}"));
            let code = if expected.is_some() { 3 } else { 0 };
            let report = case.verify(out, &policy, code);
            assert_eq!(
                reason(&report, &case.a).as_deref(),
                expected,
                "{out} {name}"
            );
            assert_eq!(report["trust"]["policy"]["path"], policy.as_str());
            assert_eq!(
                report["trust"]["policy"]["sha256"].as_str().unwrap().len(),
                64
            );
        }
        // A plain --trust key counts for everything, whatever the policy says.
        let policy = case.policy(
            "only-b.toml",
            &format!("version = 1\n{}", key_entry("b.pub", "\"seal\"", "")),
        );
        case.dir.run(
            ["verify", out, "--trust-policy", &policy, "--trust", "a.pub"],
            0,
        );
        fs::remove_dir_all(case.dir.join(out))
            .or_else(|_| fs::remove_file(case.dir.join(out)))
            .unwrap();
    }
}

#[test]
fn co_signer_thresholds_count_distinct_keys() {
    let case = Case::new();
    let all = format!(
        "version = 1\n{}{}{}",
        key_entry("a.pub", "\"seal\", \"custody\"", ""),
        key_entry("b.pub", "\"seal\"", ""),
        key_entry("c.pub", "\"seal\"", "")
    );
    let one = case.policy("one.toml", &format!("{all}[seal]\nmin_signers = 1\n"));
    let two = case.policy("two.toml", &format!("{all}[seal]\nmin_signers = 2\n"));
    case.bundle("alone.zip", &[]);
    case.bundle("pair.zip", &[&case.b]);
    case.verify("alone.zip", &one, 0);
    let report = case.verify("alone.zip", &two, 3);
    assert_eq!(report["trusted_signers"].as_array().unwrap().len(), 1);
    assert_eq!(report["trust"]["min_signers"], 2);
    let report = case.verify("pair.zip", &two, 0);
    assert_eq!(report["trusted_signers"].as_array().unwrap().len(), 2);
    // The same key through --trust and through the policy counts once.
    let a_twice = case.policy(
        "a-twice.toml",
        &format!(
            "version = 1\n{}[seal]\nmin_signers = 2\n",
            key_entry("a.pub", "\"seal\", \"custody\"", "")
        ),
    );
    case.dir.run(
        [
            "verify",
            "alone.zip",
            "--trust-policy",
            &a_twice,
            "--trust",
            "a.pub",
        ],
        3,
    );
    let _ = &case.c;
}

#[test]
fn custody_events_need_a_key_trusted_for_custody_at_their_time() {
    let case = Case::new();
    case.bundle("b.zip", &[]);
    case.dir.run(
        [
            "custody",
            "add",
            "b.zip",
            "--key",
            "a.key",
            "--action",
            "transfer",
            "--to-key",
            "b.pub",
            "--time",
            "2026-06-02T00:00:00Z",
        ],
        0,
    );
    case.dir.run(
        [
            "custody",
            "add",
            "b.zip",
            "--key",
            "b.key",
            "--action",
            "receive",
            "--time",
            "2026-06-03T00:00:00Z",
        ],
        0,
    );
    let a = key_entry("a.pub", "\"seal\", \"custody\"", "");
    let event3 = |report: &serde_json::Value| report["custody"][2]["untrusted_reason"].clone();
    for (name, b, expected) in [
        ("b-custody", key_entry("b.pub", "\"custody\"", ""), None),
        ("b-missing", String::new(), Some("not listed")),
        (
            "b-seal-only",
            key_entry("b.pub", "\"seal\"", ""),
            Some("role"),
        ),
        (
            "b-revoked",
            key_entry(
                "b.pub",
                "\"custody\"",
                "revoked_at = \"2026-06-02T12:00:00Z\"",
            ),
            Some("revoked"),
        ),
    ] {
        let policy = case.policy(&format!("{name}.toml"), &format!("version = 1\n{a}{b}"));
        let report = case.verify("b.zip", &policy, if expected.is_some() { 3 } else { 0 });
        assert_eq!(event3(&report).as_str(), expected, "{name}");
        let replay = case
            .dir
            .output(["custody", "replay", "b.zip", "--trust-policy", &policy]);
        assert_eq!(
            replay.status.code(),
            Some(if expected.is_some() { 3 } else { 0 }),
            "{name}"
        );
    }
}

#[test]
fn key_paths_are_relative_to_the_policy_file() {
    let case = Case::new();
    case.bundle("b.zip", &[]);
    fs::create_dir_all(case.dir.join("policies/keys")).unwrap();
    fs::copy(&case.a.public, case.dir.join("policies/keys/examiner.pub")).unwrap();
    case.policy(
        "policies/receiver.toml",
        &format!(
            "version = 1\n{}",
            key_entry("keys/examiner.pub", "\"seal\", \"custody\"", "")
        ),
    );
    let elsewhere = case.dir.mkdir("work");
    let out = case
        .dir
        .command()
        .current_dir(&elsewhere)
        .args([
            "verify",
            "../b.zip",
            "--trust-policy",
            "../policies/receiver.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Extract and inspect take the policy too.
    case.dir.run(
        [
            "extract",
            "b.zip",
            "-o",
            "out",
            "--trust-policy",
            "policies/receiver.toml",
        ],
        0,
    );
    case.dir.run(
        [
            "inspect",
            "b.zip",
            "--trust-policy",
            "policies/receiver.toml",
        ],
        0,
    );
    let check = case
        .dir
        .run(["trust", "check", "policies/receiver.toml"], 0);
    assert!(stdout(&check).contains(&case.a.id), "{}", stdout(&check));
    assert!(stdout(&check).contains("may sign seal and custody"));
}

#[test]
fn an_unusable_policy_is_a_usage_error_naming_file_and_line() {
    let case = Case::new();
    case.bundle("b.zip", &[]);
    case.dir.write("garbage.pub", b"not a key\n");
    let a = key_entry("a.pub", "\"seal\"", "");
    let rows: Vec<(&str, String, &str)> = vec![
        ("empty", "version = 1\n".into(), "no [[key]]"),
        ("no-version", a.clone(), "version"),
        ("bad-toml", "version = = 1\n".into(), "bad-toml.toml:1:"),
        (
            "unknown-member",
            format!("version = 1\ncolour = \"red\"\n{a}"),
            "unknown-member.toml:2: unknown field `colour`",
        ),
        (
            "unknown-role",
            format!("version = 1\n{}", key_entry("a.pub", "\"sealer\"", "")),
            "unknown-role.toml:4: unknown role \"sealer\"",
        ),
        (
            "not-ed25519",
            format!("version = 1\n{}", key_entry("garbage.pub", "\"seal\"", "")),
            "not-ed25519.toml:3: public_key",
        ),
        ("duplicate", format!("version = 1\n{a}{a}"), "listed twice"),
        (
            "window",
            format!(
                "version = 1\n{}",
                key_entry(
                    "a.pub",
                    "\"seal\"",
                    "not_before = \"2026-02-01T00:00:00Z\"\nnot_after = \"2026-01-01T00:00:00Z\""
                )
            ),
            "window.toml:6: not_after 2026-01-01T00:00:00Z is before not_before",
        ),
    ];
    for (name, text, expected) in rows {
        let policy = case.policy(&format!("{name}.toml"), &text);
        let out = case
            .dir
            .run(["verify", "b.zip", "--trust-policy", &policy], 2);
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(err.contains(expected), "{name}: {err:?} lacks {expected:?}");
        case.dir.run(["trust", "check", &policy], 2);
    }
    let out = case
        .dir
        .run(["verify", "b.zip", "--trust-policy", "absent.toml"], 2);
    assert!(
        stderr(&out).contains("absent.toml: cannot read"),
        "{}",
        stderr(&out)
    );
}

/// Regression: the `seal` custody event that `seal` writes was judged under
/// the `custody` role, so a key listed only for `seal` never gave exit 0
/// (docs/TRUST.md's "two of three sealers"). A key trusted for `seal` is
/// trusted for the seal event it wrote; later events still need `custody`.
#[test]
fn a_key_trusted_to_seal_is_trusted_for_its_own_seal_event() {
    let case = Case::new();
    let sealers = case.policy(
        "sealers.toml",
        &format!(
            "version = 1\n{}{}",
            key_entry("a.pub", "\"seal\"", ""),
            key_entry("b.pub", "\"seal\"", "")
        ),
    );
    case.bundle("sealed.zip", &[&case.b]);
    let report = case.verify("sealed.zip", &sealers, 0);
    assert_eq!(report["custody"][0]["trusted"], true, "{report}");

    // A later event by a key trusted only to seal is not trusted for custody.
    case.dir.run(
        [
            "custody",
            "add",
            "sealed.zip",
            "--key",
            "a.key",
            "--action",
            "note",
            "--note",
            "looked",
            "--time",
            SEALED,
        ],
        0,
    );
    let report = case.verify("sealed.zip", &sealers, 3);
    assert_eq!(report["custody"][1]["trusted"], false, "{report}");
    assert_eq!(report["custody"][1]["untrusted_reason"], "role", "{report}");
}

/// Regression: with a policy that does not trust every event, `custody
/// replay` said "no --trust given: nobody is trusted" and gave no reason.
/// It reports as verify does: each event's decision and reason, the policy
/// named with its SHA-256, and the decisive reason in the verdict.
#[test]
fn custody_replay_under_a_policy_says_which_event_is_not_trusted_and_why() {
    let case = Case::new();
    let policy = case.held_by_an_unlisted_key("held.zip");
    let out = case.dir.run(
        ["custody", "replay", "held.zip", "--trust-policy", &policy],
        3,
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!text.contains("no --trust given"), "{text}");
    assert!(text.contains("trust policy policy.toml (sha256 "), "{text}");
    let event = text
        .lines()
        .find(|l| l.contains("custody event 2 (note) by "))
        .unwrap_or_else(|| panic!("no line for event 2: {text}"));
    assert!(
        event.ends_with("not trusted for custody (not listed)"),
        "{event}"
    );
    assert!(
        text.contains("the trust policy does not trust every custody event"),
        "{text}"
    );
    let out = case.dir.run(
        [
            "custody",
            "replay",
            "held.zip",
            "--trust-policy",
            &policy,
            "--json",
        ],
        3,
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["trust"]["policy"]["path"], "policy.toml", "{json}");
    assert_eq!(
        json["custody"][1]["untrusted_reason"], "not listed",
        "{json}"
    );
}

/// Regression: with a revoked key the `next:` line said "re-run with
/// --trust FILE.pub", which would set the revocation aside. Under a policy
/// the next step follows the decisive reason and never names `--trust`.
#[test]
fn the_next_step_under_a_policy_never_advises_setting_it_aside() {
    let case = Case::new();
    let revoked = case.policy(
        "revoked.toml",
        &format!(
            "version = 1\n{}",
            key_entry(
                "a.pub",
                "\"seal\", \"custody\"",
                "revoked_at = 2026-01-01T00:00:00Z"
            )
        ),
    );
    case.bundle("r.zip", &[]);
    let out = case
        .dir
        .run(["verify", "r.zip", "--trust-policy", &revoked], 3);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let next = text
        .lines()
        .find(|l| l.trim_start().starts_with("next:"))
        .unwrap_or_else(|| panic!("no next step: {text}"));
    assert!(!next.contains("--trust"), "{next}");
    assert!(
        next.contains("seal signature by ") && next.contains("revoked"),
        "{next}"
    );
}

/// Regression: under a policy the HTML report's banner said "no trusted key
/// signed the seal" while its trust check and signer row said trusted; the
/// real reason (an event the policy does not trust) was absent. The banner
/// states the decisive reason and the trust check does not contradict it.
#[test]
fn the_report_states_the_decisive_reason_and_never_contradicts_itself() {
    let case = Case::new();
    let policy = case.held_by_an_unlisted_key("held.zip");
    let out = case.dir.run(
        [
            "verify",
            "held.zip",
            "--trust-policy",
            &policy,
            "--report",
            "r.html",
        ],
        3,
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let reason = "the trust policy does not trust custody event 2 (not listed)";
    assert!(text.contains(reason), "{text}");
    let html = std::fs::read_to_string(case.dir.join("r.html")).unwrap();
    assert!(
        html.contains(&format!("<strong>UNTRUSTED</strong>: intact, but {reason}")),
        "banner"
    );
    assert!(
        !html.contains("no trusted key signed the seal"),
        "contradiction"
    );
    assert!(
        !html.contains("passed: trusted signer"),
        "check 6 says trusted"
    );
    assert!(html.contains("NOT ESTABLISHED: trusted signer "), "check 6");
}

/// Regression: without a policy, verify said "not trusted (not listed)",
/// the policy's jargon; only a policy lists keys.
#[test]
fn without_a_policy_a_signer_is_not_trusted_without_policy_words() {
    let case = Case::new();
    case.bundle("plain.zip", &[]);
    let out = case.dir.run(["verify", "plain.zip"], 3);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let signer = text
        .lines()
        .find(|l| l.trim_start().starts_with("signer "))
        .unwrap_or_else(|| panic!("no signer line: {text}"));
    assert!(signer.ends_with("valid signature, not trusted"), "{signer}");
}
