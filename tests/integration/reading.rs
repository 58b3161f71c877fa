//! What a person reads: mistakes caught before work starts, verdicts that
//! say what to do next, and a terminal where one matters (passphrase
//! prompts). Each test runs the binary and checks the message and the exit
//! code.

use std::fs;

use crate::common::terminal::Terminal;
use crate::common::*;

fn evidence(dir: &Dir) {
    dir.write("mail/box01/0001.eml", b"Subject: one\n\nfirst\n");
    dir.write("mail/box01/0002.eml", b"Subject: two\n\nsecond\n");
}

#[track_caller]
fn stderr_has(output: &std::process::Output, text: &str) {
    let err = stderr(output);
    assert!(err.contains(text), "{text:?} not in stderr:\n{err}");
}

#[test]
fn seal_refuses_an_output_inside_a_source() {
    let dir = Dir::new();
    evidence(&dir);
    let key = dir.keygen("examiner");
    let k = key.secret.to_str().unwrap();
    for out in ["mail/box01/sealed.zip", "mail/inner", "mail"] {
        let output = dir.run(
            [
                "seal",
                "mail",
                "-o",
                out,
                "--key",
                k,
                "--case",
                "C",
                "--exhibit",
                "E",
            ],
            2,
        );
        let err = stderr(&output);
        assert!(
            err.contains("inside the source") || err.contains("already exists"),
            "{out}: {err}"
        );
    }
    assert!(!dir.join("mail/box01/sealed.zip").exists());
    assert!(!dir.join("mail/inner").exists());
}

#[test]
fn a_missing_source_is_named_before_any_passphrase_is_asked_for() {
    let dir = Dir::new();
    evidence(&dir);
    // An encrypted key and no way to give its passphrase: if exhibit asked
    // first, the error would be about the passphrase.
    dir.exhibit()
        .args(["keygen", "-o", "locked.key", "--name", "L"])
        .env("EXHIBIT_PASSPHRASE", "correct horse")
        .assert()
        .success();
    let output = dir.run(
        [
            "seal",
            "mail",
            "disk.iso",
            "-o",
            "out.zip",
            "--key",
            "locked.key",
            "--case",
            "C",
            "--exhibit",
            "E",
        ],
        2,
    );
    stderr_has(&output, "disk.iso: not found");
    assert!(
        !stderr(&output).contains("passphrase"),
        "{}",
        stderr(&output)
    );
    let output = dir.run(
        [
            "custody",
            "add",
            "absent.zip",
            "--key",
            "locked.key",
            "--action",
            "note",
        ],
        2,
    );
    stderr_has(&output, "absent.zip: not found");
    let output = dir.run(["sign", "absent.zip", "--key", "locked.key"], 2);
    stderr_has(&output, "absent.zip: not found");
}

#[test]
fn seal_warns_about_partials_left_by_an_interrupted_seal_and_keeps_them() {
    let dir = Dir::new();
    evidence(&dir);
    let key = dir.keygen("examiner");
    let partial = dir.mkdir(".case.zip.partial-AbC123");
    fs::write(partial.join("leftover"), b"x").unwrap();
    let output = dir.run(
        [
            "seal",
            "mail",
            "-o",
            "case.zip",
            "--key",
            key.secret.to_str().unwrap(),
            "--case",
            "C",
            "--exhibit",
            "E",
        ],
        0,
    );
    stderr_has(
        &output,
        ".case.zip.partial-AbC123 was left by an interrupted seal",
    );
    stderr_has(&output, "rm -r");
    assert!(partial.join("leftover").exists(), "a partial was removed");
}

#[test]
fn an_unwritable_report_is_refused_before_hashing_and_a_malformed_head_is_a_usage_error() {
    let dir = Dir::new();
    evidence(&dir);
    let key = dir.keygen("examiner");
    dir.seal(&["mail"], "case.zip", &key);
    let output = dir.run(["verify", "case.zip", "--report", "/nonexistent/r.html"], 2);
    stderr_has(
        &output,
        "/nonexistent/r.html: cannot write the report there",
    );
    assert!(
        stdout(&output).is_empty(),
        "verified anyway: {}",
        stdout(&output)
    );

    let output = dir.run(
        ["custody", "replay", "case.zip", "--expect-head", "HEAD"],
        2,
    );
    stderr_has(&output, "\"HEAD\" is not <sequence>:<sha256>");
    assert!(!stderr(&output).contains("removed, added or forked"));
}

#[test]
fn custody_add_suggests_the_action_meant_and_never_offers_seal() {
    let dir = Dir::new();
    evidence(&dir);
    let key = dir.keygen("examiner");
    dir.seal(&["mail"], "case.zip", &key);
    let k = key.secret.to_str().unwrap();
    let output = dir.run(
        [
            "custody", "add", "case.zip", "--key", k, "--action", "recieve",
        ],
        2,
    );
    stderr_has(&output, "a similar value exists: 'receive'");
    let possible = stderr(&output);
    let listed = possible
        .lines()
        .find(|l| l.contains("possible values"))
        .unwrap_or_default();
    assert!(!listed.contains("seal"), "{listed}");
    assert!(!listed.contains("disclose"), "{listed}");
    let help = stdout(&dir.run(["custody", "add", "--help"], 0));
    let offered = help
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("--action"))
        .take(2)
        .collect::<String>();
    assert!(
        offered.contains("note") && !offered.contains("disclose"),
        "{offered}"
    );
    // Each is written by its own command, which the refusal names.
    for (action, command) in [
        ("seal", "exhibit seal SRC"),
        ("disclose", "exhibit disclose BUNDLE"),
    ] {
        let refused = dir.run(
            ["custody", "add", "case.zip", "--key", k, "--action", action],
            2,
        );
        stderr_has(&refused, &format!("; try: {command}"));
    }
}

#[test]
fn no_trust_and_the_wrong_trust_read_differently_with_a_next_step() {
    let dir = Dir::new();
    evidence(&dir);
    let examiner = dir.keygen("examiner");
    let mallory = dir.keygen("mallory");
    dir.seal(&["mail"], "case.zip", &examiner);

    let none = dir.run(["verify", "case.zip"], 3);
    let none = stdout(&none);
    assert!(none.contains("no --trust given"), "{none}");
    assert!(
        none.contains(&format!("next: compare the key id {}", examiner.id)),
        "{none}"
    );

    let wrong = dir.run(["verify", "case.zip", "--trust", "mallory.pub"], 3);
    let wrong = stdout(&wrong);
    assert!(wrong.contains("no --trust key signed the seal"), "{wrong}");
    assert!(
        wrong.contains(&format!("you trusted {} (mallory.pub)", &mallory.id[..16])),
        "{wrong}"
    );
    assert!(
        wrong.contains(&format!(
            "the seal is signed by {} (claims examiner examiner)",
            &examiner.id[..16]
        )),
        "{wrong}"
    );
    assert_ne!(none.lines().next(), wrong.lines().next());
}

#[test]
fn replay_ends_with_a_verdict_and_the_head() {
    let dir = Dir::new();
    evidence(&dir);
    let key = dir.keygen("examiner");
    dir.seal(&["mail"], "case.zip", &key);
    let trusted = dir.run(
        ["custody", "replay", "case.zip", "--trust", "examiner.pub"],
        0,
    );
    let last = stdout(&trusted)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    assert!(
        last.starts_with("VERIFIED: case.zip: custody chain of 1 event intact"),
        "{last}"
    );
    assert!(last.contains("head 1:"), "{last}");
    let untrusted = dir.run(["custody", "replay", "case.zip"], 3);
    let last = stdout(&untrusted)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    assert!(last.starts_with("UNTRUSTED: "), "{last}");
    // -q: nothing on success, as for verify; the log itself always prints.
    let quiet = dir.run(
        [
            "custody",
            "replay",
            "case.zip",
            "--trust",
            "examiner.pub",
            "-q",
        ],
        0,
    );
    assert!(stdout(&quiet).is_empty());
    let log = dir.run(["custody", "log", "case.zip", "-q"], 0);
    assert!(
        stdout(&log).contains("head 1:"),
        "custody log -q printed nothing"
    );
}

#[test]
fn one_changed_file_is_one_line_and_the_summary_names_it() {
    let dir = Dir::new();
    evidence(&dir);
    let key = dir.keygen("examiner");
    let bundle = dir.seal(&["mail"], "case", &key);
    fs::write(
        bundle.join("data/mail/box01/0001.eml"),
        b"Subject: one\n\nchanged\n",
    )
    .unwrap();
    let output = dir.run(["verify", "case", "--trust", "examiner.pub"], 1);
    let summary = stdout(&output);
    assert!(
        summary.contains("1 file differs from the seal (data/mail/box01/0001.eml)"),
        "{summary}"
    );
    let lines: Vec<String> = stderr(&output)
        .lines()
        .filter(|l| l.contains("0001.eml"))
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    // Every finding keeps its own code for scripts.
    let report = dir.verify_json(&bundle, &[&key], 1);
    let codes: Vec<String> = problems(&report).into_iter().map(|(c, _)| c).collect();
    assert_eq!(
        codes
            .iter()
            .filter(|c| *c == "payload.digest-mismatch")
            .count(),
        2,
        "{codes:?}"
    );
    assert!(
        codes.contains(&"seal.merkle-mismatch".to_string()),
        "{codes:?}"
    );
}

#[test]
fn sizes_are_in_human_units_and_os_errors_in_plain_words() {
    let dir = Dir::new();
    dir.write("big/blob.bin", content(3 << 20, 1));
    let key = dir.keygen("examiner");
    dir.seal(&["big"], "case", &key);
    let output = dir.run(["verify", "case", "--trust", "examiner.pub"], 0);
    assert!(
        stdout(&output).contains("1 file, 3.0 MiB (3,145,728 bytes)"),
        "{}",
        stdout(&output)
    );
    let output = dir.run(["verify", "nowhere.zip"], 2);
    stderr_has(&output, "nowhere.zip: not found");
    assert!(!stderr(&output).contains("os error"));
}

#[test]
fn keygen_lists_every_file_it_wrote() {
    let dir = Dir::new();
    let output = dir.run(
        [
            "keygen",
            "-o",
            "examiner.key",
            "--name",
            "A. Examiner",
            "--org",
            "Unit",
            "--no-passphrase",
        ],
        0,
    );
    for file in ["examiner.key", "examiner.pub", "examiner.id.json"] {
        stderr_has(&output, &format!("wrote {file}"));
    }
    // A pipe gets the bare key id, for scripts.
    assert_eq!(stdout(&output).trim().len(), 64);
}

#[test]
fn time_is_offered_only_where_it_is_written() {
    let dir = Dir::new();
    for (command, offered) in [
        (&["seal", "--help"][..], true),
        (&["sign", "--help"], true),
        (&["custody", "add", "--help"], true),
        (&["verify", "--help"], false),
        (&["inspect", "--help"], false),
        (&["hash", "--help"], false),
    ] {
        let help = stdout(&dir.run(command, 0));
        assert_eq!(help.contains("--time"), offered, "{command:?}");
    }
}

/// At a terminal, a mistyped passphrase is asked again: a new key's two
/// entries that do not match, and a wrong passphrase for an existing key.
#[test]
fn a_mistyped_passphrase_is_asked_again_at_a_terminal() {
    let test = "a_mistyped_passphrase_is_asked_again_at_a_terminal";
    let dir = Dir::new();
    evidence(&dir);
    let Some(term) = Terminal::start(dir.path(), &["keygen", "-o", "t.key", "--name", "T"], test)
    else {
        return;
    };
    term.wait_for("New passphrase for t.key");
    term.type_line("first try");
    term.wait_for("Repeat the passphrase");
    term.type_line("first typo");
    term.wait_for("do not match; try again");
    term.wait_for("New passphrase for t.key:");
    term.type_line("second try");
    term.wait_for_times("Repeat the passphrase", 2);
    term.type_line("second try");
    let (code, screen) = term.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("key id: "), "{screen}");
    assert!(screen.contains("encrypted"), "{screen}");
    drop(term);

    let Some(term) = Terminal::start(
        dir.path(),
        &[
            "seal",
            "mail",
            "-o",
            "case.zip",
            "--key",
            "t.key",
            "--case",
            "C",
            "--exhibit",
            "E",
        ],
        test,
    ) else {
        return;
    };
    term.wait_for("Passphrase for t.key");
    term.type_line("wrong");
    term.wait_for("wrong passphrase; try again");
    term.type_line("second try");
    let (code, screen) = term.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(dir.join("case.zip").exists());
}

/// A refusal that needs no key comes before the passphrase: after a
/// transfer to someone else, a third examiner's `custody add` is refused
/// at once, without asking for the passphrase of a key that cannot act.
#[test]
fn no_passphrase_is_asked_for_a_refusal_that_needs_no_key() {
    let test = "no_passphrase_is_asked_for_a_refusal_that_needs_no_key";
    let dir = Dir::new();
    evidence(&dir);
    let sender = dir.keygen("sender");
    let recipient = dir.keygen("recipient");
    dir.seal(&["mail"], "case.zip", &sender);
    let to = recipient.public.to_str().unwrap();
    dir.custody_add(
        "case.zip",
        &sender,
        "transfer",
        &["--to-key", to],
        "2026-11-23T09:00:00Z",
    );
    dir.write("pass.txt", "stranger's passphrase\n");
    dir.run(
        [
            "keygen",
            "-o",
            "stranger.key",
            "--passphrase-file",
            "pass.txt",
        ],
        0,
    );
    let args = [
        "custody",
        "add",
        "case.zip",
        "--key",
        "stranger.key",
        "--action",
        "analyze",
    ];
    let Some(term) = Terminal::start(dir.path(), &args, test) else {
        return;
    };
    let (code, screen) = term.finish();
    assert_eq!(code, 1, "{screen}");
    assert!(
        !screen.contains("Passphrase"),
        "asked for a passphrase:\n{screen}"
    );
    assert!(
        screen.contains("not yet received; only that key may act"),
        "{screen}"
    );
}

/// Extract has two phases a person can watch: verifying while copying,
/// then writing to disk; the second never starts before the first is done.
#[test]
fn extract_shows_a_second_phase_while_writing() {
    use std::sync::Mutex;

    use exhibit::ops::extract::{extract, ExtractRequest};
    use exhibit::ops::Observer;

    #[derive(Default)]
    struct Phases(Mutex<Vec<(String, u64, u64)>>);
    impl Observer for Phases {
        fn start(&self, what: &str, total: u64) {
            self.0.lock().unwrap().push((what.to_string(), total, 0));
        }
        fn advance(&self, bytes: u64) {
            if let Some(last) = self.0.lock().unwrap().last_mut() {
                last.2 += bytes;
            }
        }
    }

    let dir = Dir::new();
    dir.write("evidence/a.bin", content(2 << 20, 3));
    dir.write("evidence/b.bin", content(1 << 20, 4));
    let key = dir.keygen("examiner");
    let bundle = dir.seal(&["evidence"], "case.zip", &key);
    let opened = exhibit::store::Bundle::open(&bundle).unwrap();
    let public = exhibit::keys::PublicKey::load(&key.public).unwrap();
    let trust = exhibit::trust::TrustSet::new(&[public]);
    let phases = Phases::default();
    let target = dir.join("out");
    let done = extract(
        &ExtractRequest {
            bundle: &opened,
            target: &target,
            trust: &trust,
            allow_untrusted: false,
        },
        &phases,
    )
    .unwrap();
    assert!(done.written.is_some());
    let phases = phases.0.into_inner().unwrap();
    let names: Vec<&str> = phases.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, ["verifying and copying", "writing to disk"]);
    for (name, total, seen) in &phases {
        assert_eq!(*total, 3 << 20, "{name}");
        assert_eq!(seen, total, "{name}");
    }
    assert_eq!(
        fs::read(target.join("evidence/a.bin")).unwrap(),
        content(2 << 20, 3)
    );
}

/// A plain `verify` does not build the per-file rows of the report (about
/// 100 bytes a file); asking for them (as `--json` does) gives every file,
/// with the same verdict and counts either way, in both forms.
#[test]
fn payload_rows_are_made_only_when_asked_for() {
    use exhibit::ops::verify::verify_bundle_with;
    let dir = Dir::new();
    dir.write("evidence/a.bin", content(1000, 1));
    dir.write("evidence/sub/b.bin", content(10, 2));
    let key = dir.keygen("examiner");
    let public = exhibit::keys::PublicKey::load(&key.public).unwrap();
    let trust = exhibit::trust::TrustSet::new(&[public]);
    for out in ["case.zip", "case"] {
        let bundle = dir.seal(&["evidence"], out, &key);
        let opened = exhibit::store::Bundle::open(&bundle).unwrap();
        let lean = verify_bundle_with(&opened, &trust, &exhibit::ops::Silent, false);
        let full = verify_bundle_with(&opened, &trust, &exhibit::ops::Silent, true);
        assert!(lean.verified() && full.verified(), "{out}");
        assert!(lean.payload.is_empty(), "{out}");
        assert_eq!(full.payload.len(), 2, "{out}");
        assert_eq!((lean.file_count, lean.total_bytes), (2, 1010), "{out}");
        let json = dir.verify_json(&bundle, &[&key], 0);
        assert_eq!(json["payload"].as_array().map(Vec::len), Some(2), "{out}");
    }
}

/// A manifest of an exhibit bundle is streamed when its lines are in
/// payload order and held whole when they are not: reordered lines give
/// the same payload checks (only the seal's digest of the file changes),
/// and a wrong digest is found either way.
#[test]
fn manifests_in_any_line_order_check_the_same_payload() {
    let dir = Dir::new();
    for i in 0..5 {
        dir.write(format!("evidence/f{i}.bin"), content(100 + i, i as u32));
    }
    let key = dir.keygen("examiner");
    let bundle = dir.seal(&["evidence"], "case", &key);
    let manifest = bundle.join("manifest-sha256.txt");
    let text = fs::read_to_string(&manifest).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.reverse();
    fs::write(&manifest, lines.join("\n") + "\n").unwrap();
    let report = dir.verify_json(&bundle, &[&key], 1);
    let codes: Vec<String> = problems(&report).into_iter().map(|(c, _)| c).collect();
    assert_eq!(codes, ["seal.tag-digest-mismatch"], "{report:#}");

    // A changed digest, in order (streamed) and out of order (held).
    let changed = text.replacen(&text[..1], if &text[..1] == "0" { "1" } else { "0" }, 1);
    for reorder in [false, true] {
        let mut lines: Vec<&str> = changed.lines().collect();
        if reorder {
            lines.reverse();
        }
        fs::write(&manifest, lines.join("\n") + "\n").unwrap();
        let report = dir.verify_json(&bundle, &[&key], 1);
        let found = problems(&report);
        assert!(
            found.iter().any(|(c, p)| c == "payload.digest-mismatch"
                && p.as_deref() == Some("data/evidence/f0.bin")),
            "{reorder}: {found:?}"
        );
    }
}
