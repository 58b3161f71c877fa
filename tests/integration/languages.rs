//! The receiver's language (`--lang`, `--report-lang`, the locale): every
//! word a person reads in the language asked, and nothing a machine reads
//! changed by it. The report of one bundle is printed to PDF in all seven
//! languages with headless Chromium; the PDF's text holds the verdict,
//! every check and every custody event, and every font in it is a Noto
//! font embedded whole enough to draw the scripts used (no fallback).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::print::{pdf_text, print_to_pdf, squeezed};
use crate::common::terminal::Terminal;
use crate::common::{assert_tool_ok, run_tool, stderr, stdout, tool_or_skip, Dir, Key};

const LANGS: [&str; 7] = ["en", "fr", "es", "ru", "zh", "ar", "vi"];

/// The one-line messages of a language's Fluent file (selections and
/// multi-line messages left out), by id.
fn messages(lang: &str) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("i18n")
        .join(lang)
        .join("exhibit.ftl");
    let text = fs::read_to_string(&path).unwrap();
    text.lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .filter(|(_, value)| !value.is_empty())
        .map(|(id, value)| (id.trim().to_string(), value.to_string()))
        .collect()
}

/// A message's text before its first placeable (what a check can look for
/// whatever the arguments).
fn fixed_part(message: &str) -> &str {
    message.split('{').next().unwrap_or("").trim()
}

/// A sealed bundle with a hand-over: seal by Alice, transfer to Bob,
/// receive and analysis by Bob.
fn story(dir: &Dir) -> (PathBuf, Key, Key) {
    let a = dir.keygen("alice");
    let b = dir.keygen("bob");
    dir.write("evidence/mail/inbox.mbox", "From: a@example.org\n\nhello\n");
    dir.write("evidence/photo.jpg", "not really a photo\n");
    let bundle = dir.seal(&["evidence"], "case.zip", &a);
    dir.hand_over("case.zip", &a, &b, "triage");
    (bundle, a, b)
}

#[test]
fn json_is_the_same_in_every_language() {
    let dir = Dir::new();
    let (bundle, a, _) = story(&dir);
    let bundle = bundle.display().to_string();
    let trust = a.public.display().to_string();
    let english = dir.run(["verify", &bundle, "--trust", &trust, "--json"], 0);
    for lang in LANGS {
        let by_flag = dir.run(
            [
                "--lang", lang, "verify", &bundle, "--trust", &trust, "--json",
            ],
            0,
        );
        assert_eq!(stdout(&by_flag), stdout(&english), "--lang {lang}");
        let mut by_locale = dir.command();
        by_locale
            .env("LANG", format!("{lang}_XX.UTF-8"))
            .args(["custody", "log", &bundle, "--json"]);
        let logged = by_locale.output().unwrap();
        let english_log = dir.run(["custody", "log", &bundle, "--json"], 0);
        assert_eq!(stdout(&logged), stdout(&english_log), "LANG={lang}");
    }
    // A tampered bundle: the problems' codes, paths and messages are
    // the JSON's, in English, whatever the language.
    dir.seal(&["evidence"], "case.bdir", &a);
    fs::write(dir.join("case.bdir/data/evidence/photo.jpg"), "changed\n").unwrap();
    let failed = dir.run(["verify", "case.bdir", "--trust", &trust, "--json"], 1);
    for lang in ["fr", "ar", "zh"] {
        let again = dir.run(
            [
                "--lang",
                lang,
                "verify",
                "case.bdir",
                "--trust",
                &trust,
                "--json",
            ],
            1,
        );
        assert_eq!(stdout(&again), stdout(&failed), "{lang}");
    }
}

#[test]
fn the_verdict_is_in_the_language_asked_or_the_locales() {
    let dir = Dir::new();
    let (bundle, a, _) = story(&dir);
    let bundle = bundle.display().to_string();
    let trust = a.public.display().to_string();
    for lang in LANGS {
        let words = messages(lang);
        let verified = &words["verdict-verified"];
        let out = dir.run(["--lang", lang, "verify", &bundle, "--trust", &trust], 0);
        assert!(
            stdout(&out).starts_with(&format!("{verified}: ")),
            "{lang}:\n{}",
            stdout(&out)
        );
        // Untrusted, in the same language, with its reason and next step.
        let untrusted = &words["verdict-untrusted"];
        let out = dir.run(["--lang", lang, "verify", &bundle], 3);
        assert!(
            stdout(&out).starts_with(&format!("{untrusted}: ")),
            "{lang}:\n{}",
            stdout(&out)
        );
        assert!(
            stdout(&out).contains("--trust FILE.pub"),
            "{lang}: the flag stays as typed"
        );
        // custody replay ends with its verdict.
        let out = dir.run(
            [
                "--lang", lang, "custody", "replay", &bundle, "--trust", &trust,
            ],
            0,
        );
        assert!(
            stdout(&out)
                .lines()
                .last()
                .unwrap_or("")
                .starts_with(&format!("{verified}: ")),
            "{lang}:\n{}",
            stdout(&out)
        );
    }
    // The locale decides when --lang is not given; LC_ALL before LANG;
    // a language exhibit does not speak is English.
    let run_with = |vars: &[(&str, &str)]| {
        let mut cmd = dir.command();
        for (name, value) in vars {
            cmd.env(name, value);
        }
        let out = cmd
            .args(["verify", &bundle, "--trust", &trust])
            .output()
            .unwrap();
        stdout(&out)
    };
    assert!(run_with(&[("LANG", "fr_FR.UTF-8")]).starts_with("VÉRIFIÉ: "));
    assert!(
        run_with(&[("LANG", "fr_FR.UTF-8"), ("LC_MESSAGES", "ru_RU.UTF-8")])
            .starts_with("ПРОВЕРЕНО: ")
    );
    assert!(run_with(&[("LANG", "fr_FR.UTF-8"), ("LC_ALL", "C")]).starts_with("VERIFIED: "));
    assert!(run_with(&[("LANG", "de_DE.UTF-8")]).starts_with("VERIFIED: "));
    let mut flag_wins = dir.command();
    let out = flag_wins
        .env("LANG", "fr_FR.UTF-8")
        .args(["--lang", "zh", "verify", &bundle, "--trust", &trust])
        .output()
        .unwrap();
    assert!(stdout(&out).starts_with("校验通过: "), "{}", stdout(&out));
    // A language it does not speak, asked for by name, is a usage error.
    let out = dir.run(["--lang", "de", "verify", &bundle], 2);
    assert!(
        stderr(&out).contains("exhibit speaks en, fr, es, ru, zh, ar, vi"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn problems_keep_their_code_and_path_and_say_what_they_mean() {
    let dir = Dir::new();
    let a = dir.keygen("alice");
    dir.write("evidence/a.txt", "a\n");
    dir.seal(&["evidence"], "case.bdir", &a);
    fs::write(dir.join("case.bdir/data/evidence/a.txt"), "b\n").unwrap();
    let trust = a.public.display().to_string();
    for lang in LANGS {
        let words = messages(lang);
        let out = dir.run(
            ["--lang", lang, "verify", "case.bdir", "--trust", &trust],
            1,
        );
        let err = stderr(&out);
        let line = err
            .lines()
            .find(|l| l.contains("payload.digest-mismatch: data/evidence/a.txt: "))
            .unwrap_or_else(|| panic!("{lang}: no problem line:\n{err}"));
        if lang != "en" {
            let meaning = &words["problem-payload-digest-mismatch"];
            assert!(line.contains(meaning.as_str()), "{lang}: {line}");
        }
        assert!(stdout(&out).starts_with(&words["verdict-failed"]), "{lang}");
    }
}

/// The report of one bundle in `lang`, printed to PDF.
fn report_pdf(dir: &Dir, bundle: &Path, trust: &Key, chromium: &Path, langs: &str) -> PathBuf {
    let html = dir.join(format!("report-{langs}.html"));
    let pdf = dir.join(format!("report-{langs}.pdf"));
    dir.run(
        [
            "verify",
            &bundle.display().to_string(),
            "--trust",
            &trust.public.display().to_string(),
            "--report",
            &html.display().to_string(),
            "--report-lang",
            langs,
        ],
        0,
    );
    print_to_pdf(chromium, dir, &html, &pdf);
    pdf
}

/// Every font of a PDF, as pdffonts lists it: (name without its subset
/// prefix, embedded).
fn pdf_fonts(pdffonts: &Path, dir: &Dir, pdf: &Path) -> Vec<(String, bool)> {
    let output = run_tool(pdffonts, dir.path(), [pdf.as_os_str()]);
    assert_tool_ok(&output, "pdffonts");
    stdout(&output)
        .lines()
        .skip(2)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let name = fields.first()?;
            let name = name.split_once('+').map_or(*name, |(_, n)| n);
            // name, type..., encoding, emb, sub, uni, object, id
            let embedded = fields.get(fields.len().checked_sub(5)?)? == &"yes";
            Some((name.to_string(), embedded))
        })
        .collect()
}

#[test]
fn the_report_prints_in_every_language_with_every_glyph() {
    const TEST: &str = "the_report_prints_in_every_language_with_every_glyph";
    let Some(chromium) = tool_or_skip("chromium", TEST) else {
        return;
    };
    let Some(pdftotext) = tool_or_skip("pdftotext", TEST) else {
        return;
    };
    let Some(pdffonts) = tool_or_skip("pdffonts", TEST) else {
        return;
    };
    let dir = Dir::new();
    let (bundle, a, _) = story(&dir);
    let events = dir.verify_json(&bundle, &[&a], 0)["custody"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(events.len(), 4, "seal, transfer, receive, analysis");
    for lang in LANGS {
        let words = messages(lang);
        let pdf = report_pdf(&dir, &bundle, &a, &chromium, lang);
        let text = pdf_text(&pdftotext, &dir, &pdf);
        let joined = squeezed(&text);
        let mut wanted = vec![
            words["verdict-verified"].clone(),
            fixed_part(&words["report-heading"]).to_string(),
            fixed_part(&words["report-custody"]).to_string(),
            fixed_part(&words["proves-heading"]).to_string(),
        ];
        // Each check by its words (its number, "1.", reads back as ".1"
        // from a right-to-left line).
        wanted.extend((1..=6).map(|i| {
            let check = &words[&format!("check-{i}")];
            check
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                .to_string()
        }));
        for event in &events {
            // Each event's action (a word of the bundle, never translated)
            // and its actor's key id, in the custody table.
            wanted.push(event["action"].as_str().unwrap().to_string());
            let key = event["actor_key_id"].as_str().unwrap();
            wanted.push(key[..16].to_string());
        }
        for want in &wanted {
            // pdftotext rebuilds a line that mixes a right-to-left or CJK
            // script with Latin runs (SHA-256, BagIt, Payload-Oxum) in an
            // order of its own, so in Arabic and Chinese each run between
            // spaces is looked for.
            let found = if lang == "ar" || lang == "zh" {
                want.split_whitespace()
                    .all(|word| joined.contains(&squeezed(word)))
            } else {
                joined.contains(&squeezed(want))
            };
            assert!(
                found,
                "{lang}: {want:?} is not in the printed report:\n{text}"
            );
        }
        // No glyph drawn from a font the page does not name (a fallback
        // such as DejaVu or a last-resort box): every named font is a
        // Noto font, and the unnamed ones are the Type 3 form Chromium
        // gives the OpenType (CFF) Noto fonts, embedded with their
        // Unicode map, as the text read back above shows.
        assert!(
            !text.contains('\u{FFFD}'),
            "{lang}: a glyph with no character"
        );
        let fonts = pdf_fonts(&pdffonts, &dir, &pdf);
        assert!(!fonts.is_empty(), "{lang}: no fonts");
        for (name, embedded) in &fonts {
            assert!(embedded, "{lang}: {name} is not embedded");
            assert!(
                name.starts_with("Noto") || name == "[none]",
                "{lang}: {name} is a fallback font, not the report's (a glyph the Noto fonts named in the page lack): {fonts:?}"
            );
        }
        if lang == "ar" {
            assert!(
                fonts.iter().any(|(name, _)| name.contains("Arabic")),
                "ar: no Arabic font: {fonts:?}"
            );
        }
    }
    // Both languages on one page: the court's first, the sender's beside it.
    let pdf = report_pdf(&dir, &bundle, &a, &chromium, "fr,en");
    let joined = squeezed(&pdf_text(&pdftotext, &dir, &pdf));
    for want in [
        "VÉRIFIÉ",
        "VERIFIED",
        "Chaîne de possession",
        "Chain of custody",
    ] {
        assert!(joined.contains(&squeezed(want)), "fr,en: {want}");
    }
}

#[test]
fn the_arabic_report_reads_right_to_left_with_paths_left_to_right() {
    let dir = Dir::new();
    let (bundle, a, _) = story(&dir);
    let bundle = bundle.display().to_string();
    let trust = a.public.display().to_string();
    dir.run(
        [
            "--lang", "ar", "verify", &bundle, "--trust", &trust, "--report", "r.html",
        ],
        0,
    );
    let page = fs::read_to_string(dir.join("r.html")).unwrap();
    assert!(
        page.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "{}",
        &page[..200]
    );
    // Paths and digests are code or hash runs, which the style isolates
    // left to right; ISO 8601 times likewise.
    assert!(page.contains("code,.hash,bdi[dir=ltr]{unicode-bidi:isolate;direction:ltr}"));
    assert!(page.contains("<code>data/evidence/mail/inbox.mbox</code>"));
    assert!(page.contains("<bdi dir=\"ltr\">"));
    // Two languages: Arabic first, English beneath, marked as English.
    dir.run(
        [
            "verify",
            &bundle,
            "--trust",
            &trust,
            "--report",
            "r2.html",
            "--report-lang",
            "ar,en",
        ],
        0,
    );
    let page = fs::read_to_string(dir.join("r2.html")).unwrap();
    assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(page.contains("<span class=\"l2\" lang=\"en\" dir=\"ltr\">Chain of custody</span>"));
}

#[test]
fn a_terminal_reads_vietnamese_from_the_locale() {
    let dir = Dir::new();
    let (bundle, a, _) = story(&dir);
    let trust = a.public.display().to_string();
    let Some(terminal) = Terminal::start_with_env(
        dir.path(),
        &["verify", &bundle.display().to_string(), "--trust", &trust],
        &[("LANG", "vi_VN.UTF-8")],
        "a_terminal_reads_vietnamese_from_the_locale",
    ) else {
        return;
    };
    let (code, screen) = terminal.finish();
    let verdict = &messages("vi")["verdict-verified"];
    assert_eq!(code, 0, "{screen}");
    // The verdict, its diacritics drawn as they are (one cell each).
    assert!(screen.contains(&format!("{verdict}: ")), "{screen}");
}
