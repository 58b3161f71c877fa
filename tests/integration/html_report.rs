//! `verify --report FILE.html`: the page a court files. Checked as HTML
//! (hostile names escaped and made visible, nothing loaded from anywhere,
//! no script) and as print: headless Chromium prints it to PDF, and the
//! PDF's text holds the verdict, the files' SHA-256 and the custody events.
//! A screenshot of the first page is kept under `target/report-screenshots/`
//! for a person to look at.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::print::{pdf_text, print_to_pdf, squeezed};
use crate::common::{self, assert_tool_ok, run_tool, tool_or_skip, Dir, Key};

const HOSTILE: &str = "<script>alert(1)</script>.txt";
const BIDI: &str = "invoice\u{202E}fdp.exe";
const NEWLINE: &str = "two\nlines.txt";

/// A sealed zip with hostile names, then transfer A → B, receive and
/// analyze by B.
fn story(dir: &Dir) -> (PathBuf, Key, Key) {
    let a = dir.keygen("alice");
    let b = dir.keygen("bob");
    dir.write("evidence/plain.txt", "plain evidence\n");
    dir.write(format!("evidence/{HOSTILE}"), "hostile\n");
    dir.write(format!("evidence/{BIDI}"), "bidi\n");
    dir.write(format!("evidence/{NEWLINE}"), "newline\n");
    let bundle = dir.seal(&["evidence"], "case.zip", &a);
    dir.hand_over("case.zip", &a, &b, "triage <b>bold</b>");
    (bundle, a, b)
}

fn verify_report(dir: &Dir, bundle: &Path, trust: &[&Key], code: i32) -> String {
    let mut args: Vec<String> = vec![
        "verify".into(),
        bundle.display().to_string(),
        "--report".into(),
        "report.html".into(),
    ];
    for key in trust {
        args.push("--trust".into());
        args.push(key.public.display().to_string());
    }
    let out = dir.run(&args, code);
    // Regression: it never said where it wrote the report.
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("report written to report.html"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    fs::read_to_string(dir.join("report.html")).unwrap()
}

/// Keeps a picture of page 1 under `target/` (never committed).
fn screenshot(dir: &Dir, pdf: &Path, name: &str) {
    let Some(pdftoppm) = tool_or_skip("pdftoppm", "html_report_screenshot") else {
        return;
    };
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-screenshots");
    fs::create_dir_all(&out).unwrap();
    let output = run_tool(
        &pdftoppm,
        dir.path(),
        [
            "-png".as_ref(),
            "-r".as_ref(),
            "50".as_ref(),
            "-f".as_ref(),
            "1".as_ref(),
            "-l".as_ref(),
            "1".as_ref(),
            "-singlefile".as_ref(),
            pdf.as_os_str(),
            out.join(name).as_os_str(),
        ],
    );
    assert_tool_ok(&output, "pdftoppm");
    assert!(out.join(format!("{name}.png")).is_file());
}

#[test]
fn report_escapes_hostile_names_and_loads_nothing() {
    let dir = Dir::new();
    let (bundle, a, _) = story(&dir);
    let html = verify_report(&dir, &bundle, &[&a], 0);
    // No script, nothing fetched from anywhere.
    assert!(
        !html.to_lowercase().contains("<script"),
        "a raw <script> tag"
    );
    for forbidden in ["src=", "href=", "<link", "@import", "<iframe", "<object"] {
        assert!(!html.contains(forbidden), "{forbidden} in the page");
    }
    assert!(!html.replace("url(#arrow)", "").contains("url("));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.txt"));
    assert!(html.contains("triage &lt;b&gt;bold&lt;/b&gt;"));
    // A bidi override or a newline in a name is shown, never obeyed.
    assert!(!html.contains('\u{202E}'));
    assert!(html.contains("invoice<span class=\"mark\">[U+202E]</span>fdp.exe"));
    assert!(html.contains("two<span class=\"mark\">[U+000A]</span>lines.txt"));
    // The parts the contract lists.
    for part in [
        "VERIFIED",
        "Checked at (UTC)",
        concat!("exhibit ", env!("CARGO_PKG_VERSION")),
        "SHA-256 of the file",
        "1. The bag is well formed",
        "6. Trust",
        "Trust sources",
        "alice.pub",
        "<svg",
        "Payload files",
        "What this report proves and what it does not",
        "@page{size:A4",
    ] {
        assert!(html.contains(part), "{part:?} missing");
    }
    // The zip's SHA-256 as received, computed by the command.
    let zip_sha = {
        use sha2::Digest as _;
        hex::encode(sha2::Sha256::digest(fs::read(&bundle).unwrap()))
    };
    assert!(html.contains(&zip_sha));
}

#[test]
fn report_prints_to_pdf_with_verdict_hashes_and_custody() {
    let Some(chromium) = tool_or_skip("chromium", "report_prints_to_pdf") else {
        return;
    };
    let Some(pdftotext) = tool_or_skip("pdftotext", "report_prints_to_pdf") else {
        return;
    };
    let dir = Dir::new();
    let (bundle, a, _) = story(&dir);
    verify_report(&dir, &bundle, &[&a], 0);
    let json = dir.verify_json(&bundle, &[&a], 0);
    let payload = json["payload"].as_array().unwrap();
    assert_eq!(payload.len(), 4);
    let plain = payload
        .iter()
        .find(|row| row["path"] == "data/evidence/plain.txt")
        .unwrap();
    let sha = plain["sha256"].as_str().unwrap();
    assert_eq!(plain["size"], 15);

    let pdf = dir.join("report.pdf");
    print_to_pdf(&chromium, &dir, &dir.join("report.html"), &pdf);
    let text = pdf_text(&pdftotext, &dir, &pdf);
    let joined = squeezed(&text);
    assert!(text.contains("VERIFIED"), "{text}");
    assert!(joined.contains(sha), "{sha} not in:\n{text}");
    for event in [
        "seal",
        "transfer",
        "receive",
        "analyze",
        "MLA request 17",
        "Lyon",
    ] {
        assert!(
            joined.contains(&squeezed(event)),
            "{event:?} not in:\n{text}"
        );
    }
    screenshot(&dir, &pdf, "verified");
}

#[test]
fn failed_report_names_the_check_and_the_problem() {
    let Some(chromium) = tool_or_skip("chromium", "failed_report_prints") else {
        return;
    };
    let Some(pdftotext) = tool_or_skip("pdftotext", "failed_report_prints") else {
        return;
    };
    let dir = Dir::new();
    let a = dir.keygen("alice");
    dir.write("evidence/disk.img", common::content(5000, 1));
    dir.seal(&["evidence"], "case", &a);
    let victim = dir.join("case/data/evidence/disk.img");
    let mut bytes = fs::read(&victim).unwrap();
    bytes[100] ^= 1;
    fs::write(&victim, bytes).unwrap();
    let html = verify_report(&dir, &dir.join("case"), &[&a], 1);
    assert!(html.contains("FAILED"));
    assert!(
        html.contains("FAILED: <code class=\"problem\">payload.digest-mismatch</code>"),
        "{html}"
    );
    assert!(html.contains("<td>folder</td>"));

    let pdf = dir.join("report.pdf");
    print_to_pdf(&chromium, &dir, &dir.join("report.html"), &pdf);
    let text = pdf_text(&pdftotext, &dir, &pdf);
    assert!(text.contains("FAILED"), "{text}");
    assert!(
        squeezed(&text).contains(&squeezed("payload.digest-mismatch")),
        "{text}"
    );
    screenshot(&dir, &pdf, "failed");
}

/// 20,000 files: the page lists 10,000, says where the rest are, stays a
/// few MB and still prints.
#[test]
fn report_of_twenty_thousand_files_is_bounded_and_prints() {
    let dir = Dir::new();
    let a = dir.keygen("alice");
    for i in 0..20_000 {
        dir.write(
            format!("evidence/d{:02}/f{i:05}.txt", i % 50),
            i.to_string(),
        );
    }
    dir.seal(&["evidence"], "big.zip", &a);
    let html = verify_report(&dir, &dir.join("big.zip"), &[&a], 0);
    let rows = html.matches("<tr><td><code>data/evidence/").count();
    assert_eq!(rows, 10_000);
    assert!(html.contains("10,000 more files not listed here"));
    assert!(html.contains("--json"));
    let size = html.len();
    assert!(size < 4 << 20, "report is {size} bytes");
    eprintln!("report of 20,000 files: {size} bytes");

    let Some(chromium) = tool_or_skip("chromium", "big_report_prints") else {
        return;
    };
    let pdf = dir.join("big.pdf");
    print_to_pdf(&chromium, &dir, &dir.join("report.html"), &pdf);
    eprintln!(
        "its PDF: {} bytes",
        fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0)
    );
}

/// A custody event changed after it was signed: check 5 fails, and the
/// table and the drawing mark the event's signature as bad.
#[test]
fn report_marks_a_custody_event_whose_signature_fails() {
    let dir = Dir::new();
    let a = dir.keygen("alice");
    dir.write("evidence/x.txt", "x\n");
    dir.seal(&["evidence"], "case", &a);
    dir.run(
        [
            "custody",
            "add",
            "case",
            "--key",
            a.secret.to_str().unwrap(),
            "--action",
            "note",
            "--note",
            "hello",
            "--time",
            "2026-11-23T09:00:00Z",
        ],
        0,
    );
    let event = dir.join("case/exhibit/custody/000002.json");
    let text = fs::read_to_string(&event).unwrap();
    fs::write(&event, text.replace("hello", "jello")).unwrap();
    let html = verify_report(&dir, &dir.join("case"), &[&a], 1);
    assert!(html.contains("FAILED: <code class=\"problem\">custody.signature</code>"));
    assert!(html.contains("BAD SIGNATURE \u{2717}"));
    assert!(html.contains("<td class=\"bad\">INVALID</td>"));
    // The payload and seal checks still pass.
    assert_eq!(html.matches("passed: no problem found").count(), 4);
}

/// Regression: a custody note holding a 64-hex-digit hash made the custody
/// table wider than A4, so the printed "proven time" column was cut off.
/// Long words wrap: printed, every column header and the whole note are
/// there. An Arabic path keeps its components in order (isolated, left to
/// right) and Vietnamese names are in fonts that cover them.
#[test]
fn a_long_note_wraps_and_every_custody_column_prints() {
    let Some(chromium) = tool_or_skip("chromium", "a_long_note_prints") else {
        return;
    };
    let Some(pdftotext) = tool_or_skip("pdftotext", "a_long_note_prints") else {
        return;
    };
    let dir = Dir::new();
    let a = dir.keygen("alice");
    dir.write("evidence/plain.txt", "plain evidence\n");
    let bundle = dir.seal(&["evidence"], "case.zip", &a);
    let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let note = format!("image copied, sha256 {hash}, checked twice");
    dir.custody_add(
        "case.zip",
        &a,
        "copy",
        &["--note", &note],
        "2026-11-24T09:00:00Z",
    );
    let html = verify_report(&dir, &bundle, &[&a], 0);
    // Chromium shrinks a page that is too wide rather than cut it, so the
    // printed text alone does not show the overflow: the style must let
    // long words wrap.
    assert!(html.contains("td,th{") && html.contains("overflow-wrap:anywhere"));
    let pdf = dir.join("report.pdf");
    print_to_pdf(&chromium, &dir, &dir.join("report.html"), &pdf);
    let text = pdf_text(&pdftotext, &dir, &pdf);
    let joined = squeezed(&text);
    for header in [
        "Time (UTC)",
        "Action",
        "Actor (claimed)",
        "Actor key",
        "Recipient key",
        "Note",
        "Location",
        "Signature",
        "Proven time (RFC 3161)",
    ] {
        assert!(
            joined.contains(&squeezed(header)),
            "{header:?} not in:\n{text}"
        );
    }
    assert!(
        joined.contains(&squeezed(&note)),
        "the note is cut:\n{text}"
    );
}

/// Regression: an Arabic path component pulled its neighbours' digits and
/// marks into its run and reordered the path (`البريد الوارد/02955 100%
/// sure.eml` read as `100 02955/…% sure.eml`). Each component of such a path
/// is isolated; a path without right-to-left letters is written as before.
#[test]
fn a_right_to_left_path_keeps_its_components_in_order() {
    let dir = Dir::new();
    let a = dir.keygen("alice");
    dir.write("evidence/البريد الوارد/02955 100% sure.eml", "mail\n");
    dir.write("evidence/plain.txt", "plain\n");
    let bundle = dir.seal(&["evidence"], "case.zip", &a);
    let html = verify_report(&dir, &bundle, &[&a], 0);
    assert!(
        html.contains(
            "<bdi>data</bdi>/<bdi>evidence</bdi>/<bdi>البريد الوارد</bdi>/<bdi>02955 100% sure.eml</bdi>"
        ),
        "each component isolated"
    );
    assert!(html.contains("<tr><td><code>data/evidence/plain.txt</code>"));
}
