//! The HTML report: a self-contained page (no scripts, no external
//! resources) for people who read reports in a browser or print them for a
//! court file (A4 print stylesheet). Everything taken from the bundle is
//! escaped, and characters that hide or reorder text (controls, bidi
//! overrides, zero-width marks) are shown as visible `[U+XXXX]` marks.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{BundleKind, Outcome, Report, TimestampReport};
use crate::i18n::{Lang, Texts};
use crate::keys::KeyId;
use crate::t;
use crate::time::UtcTime;
use crate::tsp::GenTime;

/// Payload rows the page lists; the full list is in `verify --json`.
pub const PAYLOAD_ROWS_SHOWN: usize = 10_000;

/// What the page says about this run that the [`Report`] does not hold:
/// when the check ran, the bundle as received and the trust sources. The
/// caller (the command line) establishes these; the library reads no clock.
#[derive(Debug, Clone, Default)]
pub struct PageContext {
    /// When the check ran (UTC).
    pub checked_at: Option<UtcTime>,
    /// The bundle file or folder as received.
    pub received: Option<Received>,
    /// Each `--trust` file.
    pub trust_sources: Vec<TrustSource>,
    /// Each `--tsa-ca` file: (path as given, SHA-256 of its bytes).
    pub tsa_roots: Vec<(String, String)>,
    /// Each `--ca` file (roots for certificate signers), likewise.
    pub ca_roots: Vec<(String, String)>,
    /// How a reader gets the JSON report, which lists every payload file
    /// (the command line, which only the caller knows).
    pub json_command: Option<String>,
    /// What ran the check, when not the command line (the verification
    /// page, with the SHA-256 of the module it ran).
    pub tool: Option<String>,
}

/// The bundle as it was received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The path as given.
    pub path: String,
    /// `zip` or `folder`.
    pub form: &'static str,
    /// Bytes: of the zip file, or of all files in the folder.
    pub size: u64,
    /// SHA-256 of the zip file (none for a folder).
    pub sha256: Option<String>,
}

/// One `--trust` file.
#[derive(Debug, Clone)]
pub struct TrustSource {
    pub file: String,
    pub key_id: KeyId,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
}

impl Report {
    /// The whole page in English, without what only the caller knows
    /// (time of the check, the bundle as received, trust files).
    pub fn to_html(&self) -> String {
        self.to_html_page(&PageContext::default(), &[Texts::new(Lang::En)])
    }

    /// The whole page, in the report languages given: every text in the
    /// first, and beneath it in each other (`--report-lang fr,en`: the
    /// court's language first, the sender's beside it). At least one.
    pub fn to_html_page(&self, context: &PageContext, langs: &[Texts]) -> String {
        let english = [Texts::new(Lang::En)];
        let w = Words {
            langs: if langs.is_empty() { &english } else { langs },
        };
        let mut page = String::new();
        head(&mut page, self, &w);
        this_check(&mut page, self, context, &w);
        summary(&mut page, self, &w);
        checks(&mut page, self, &w);
        proves(&mut page, self, &w);
        signers(&mut page, self, context, &w);
        acquisition(&mut page, self, &w);
        trust_sources(&mut page, self, context, &w);
        custody(&mut page, self, &w);
        custody_drawing(&mut page, self, &w);
        long_term(&mut page, self, &w);
        problems(&mut page, self, &w);
        payload(&mut page, self, context, &w);
        footer(&mut page, &w);
        page
    }
}

/// The report languages, and every text of the page said in each.
struct Words<'a> {
    langs: &'a [Texts],
}

impl Words<'_> {
    /// A text in every report language, escaped: the first as it is, each
    /// other in a block beneath it marked with its language.
    fn say(&self, text: impl Fn(&Texts) -> String) -> String {
        self.say_with(|t| (text(t), Vec::new()))
    }

    /// The same for a text with markup in its arguments: the message is
    /// made with [`slot`]s where the markup goes, escaped, then each slot
    /// is filled with its (already escaped) HTML.
    fn say_with(&self, text: impl Fn(&Texts) -> (String, Vec<String>)) -> String {
        self.each(|texts| {
            let (message, slots) = text(texts);
            fill(&escape(&message), &slots)
        })
    }

    /// HTML made for each report language, laid out: the first as it is,
    /// each other in a block beneath it marked with its language.
    fn each(&self, html: impl Fn(&Texts) -> String) -> String {
        let mut out = String::new();
        for (i, texts) in self.langs.iter().enumerate() {
            let html = html(texts);
            if i == 0 {
                out.push_str(&html);
            } else {
                let lang = texts.lang();
                let _ = write!(
                    out,
                    "<span class=\"l2\" lang=\"{}\" dir=\"{}\">{html}</span>",
                    lang.tag(),
                    if lang.right_to_left() { "rtl" } else { "ltr" }
                );
            }
        }
        out
    }

    /// The first report language (the page's own).
    fn first(&self) -> &Texts {
        &self.langs[0]
    }
}

/// Where the `i`th piece of markup goes in a message (private-use
/// characters, which no message and no escaping produces).
fn slot(i: usize) -> String {
    format!("\u{E000}{i}\u{E001}")
}

/// Each slot of `html` replaced by its markup.
fn fill(html: &str, slots: &[String]) -> String {
    let mut out = html.to_string();
    for (i, markup) in slots.iter().enumerate() {
        out = out.replace(&slot(i), markup);
    }
    out
}

/// Left-to-right text (a key id, a digest, a time in ISO 8601) kept in one
/// run inside right-to-left text.
fn ltr(text: &str) -> String {
    format!("<bdi dir=\"ltr\">{}</bdi>", escape(text))
}

/// A path or name from the bundle, as code, isolated.
fn code(text: &str) -> String {
    format!("<code>{}</code>", escape_path(text))
}

/// A moment in the language's form with ISO 8601 beside it.
fn when(texts: &Texts, at: &UtcTime) -> String {
    texts.date_time(at)
}

/// A moment as a table cell: the language's form, and ISO 8601 kept in
/// one left-to-right run (in every report language).
fn when_cell(w: &Words, at: &UtcTime) -> String {
    let iso = ltr(&at.to_string());
    w.say_with(|t| (t.date_time_as(at, slot(0)), vec![iso.clone()]))
}

/// A time-stamp's moment as a table cell likewise.
fn stamped_cell(w: &Words, at: &GenTime) -> String {
    let iso = ltr(&at.to_string());
    match UtcTime::from_unix_seconds(at.unix_seconds()) {
        Ok(civil) => w.say_with(|t| (t.date_time_as(&civil, slot(0)), vec![iso.clone()])),
        Err(_) => iso,
    }
}

/// A time-stamp's moment likewise, with its fraction of a second.
fn when_stamped(texts: &Texts, at: &GenTime) -> String {
    match UtcTime::from_unix_seconds(at.unix_seconds()) {
        Ok(civil) => texts.date_time_as(&civil, at.to_string()),
        Err(_) => at.to_string(),
    }
}

/// The document head and the verdict.
fn head(page: &mut String, report: &Report, w: &Words) {
    let (word, class) = match report.status {
        Outcome::Verified => ("verdict-verified", "ok"),
        Outcome::Untrusted => ("verdict-untrusted", "warn"),
        Outcome::Failed => ("verdict-failed", "bad"),
    };
    let first = w.first().lang();
    let _ = writeln!(
        page,
        "<!DOCTYPE html>\n<html lang=\"{}\"{}>\n<head>\n<meta charset=\"utf-8\">",
        first.tag(),
        if first.right_to_left() {
            " dir=\"rtl\""
        } else {
            ""
        }
    );
    let _ = writeln!(
        page,
        "<title>{}</title>",
        escape_plain(&t!(
            w.first(),
            "report-title",
            bundle = report.bundle.as_str()
        ))
    );
    page.push_str(STYLE);
    page.push_str("</head>\n<body>\n");
    let verdict = w.say_with(|t| {
        let detail = match report.status {
            Outcome::Verified => t!(t, "report-status-verified"),
            Outcome::Untrusted => t!(
                t,
                "report-status-untrusted",
                reason = report.untrusted_reason_in(t).unwrap_or_default()
            ),
            Outcome::Failed => t!(t, "report-status-failed"),
        };
        let word = format!("<strong>{}</strong>", escape(&t.get(word, &[])));
        (format!("{}: {detail}", slot(0)), vec![word])
    });
    let _ = writeln!(
        page,
        "<h1>{}</h1>\n<p class=\"status {class}\">{verdict}</p>",
        w.say(|t| t!(t, "report-heading"))
    );
}

/// Screen and print (A4) styles; rows never split across pages and table
/// headings repeat on each page. The fonts cover Latin with Vietnamese
/// marks, Cyrillic, Arabic and Chinese (the Noto families); paths,
/// digests and key ids stay left to right in a right-to-left page.
const STYLE: &str = "<style>\n\
body{font-family:\"Noto Sans\",\"Noto Naskh Arabic\",\"Noto Sans CJK SC\",\"Noto Sans Symbols2\",\"DejaVu Sans\",sans-serif;margin:2em;max-width:70em;color:#000}\n\
:lang(zh){font-family:\"Noto Sans\",\"Noto Sans CJK SC\",\"Noto Sans Symbols2\",sans-serif}\n\
:lang(ar){font-family:\"Noto Naskh Arabic\",\"Noto Sans\",\"Noto Sans Symbols2\",sans-serif}\n\
table{border-collapse:collapse;margin:1em 0}\n\
td,th{border:1px solid #999;padding:.3em .6em;text-align:start;vertical-align:top}\n\
.free{overflow-wrap:anywhere;min-width:10em}\n\
code,.hash,.mono{font-family:\"Noto Sans Mono\",\"Noto Mono\",\"Noto Sans Mono CJK SC\",\"Noto Naskh Arabic\",\"DejaVu Sans Mono\",monospace;font-size:.9em}\n\
code,.hash,bdi[dir=ltr]{unicode-bidi:isolate;direction:ltr}\n\
code.problem{white-space:nowrap}\n\
.hash{word-break:break-all}\n\
.l2{display:block;color:#333;font-size:.85em;margin-top:.15em}\n\
.ok{background:#d7f5d7}.warn{background:#fff2c2}.bad{background:#f8d0d0}.na{background:#eee}\n\
.status{padding:.6em;font-size:1.3em;border:2px solid #000}\n\
.mark{border:1px solid #c00;color:#c00;font-family:\"Noto Mono\",monospace;font-size:.8em;padding:0 .1em}\n\
table.payload td{font-size:.8em}\n\
svg{max-width:100%;height:auto;direction:ltr}\nsvg text{font-family:inherit}\n\
@page{size:A4;margin:15mm 12mm}\n\
@media print{\n\
body{margin:0;max-width:none;font-size:9pt}\n\
tr,.status,svg,li{break-inside:avoid;page-break-inside:avoid}\n\
thead{display:table-header-group}\n\
h2{break-after:avoid;page-break-after:avoid}\n\
table{width:100%}\n\
.ok,.warn,.bad,.na{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n\
}\n\
</style>\n";

/// A table row: a heading cell and a value.
fn row(page: &mut String, label: String, value: String) {
    let _ = writeln!(page, "<tr><th>{label}</th><td>{value}</td></tr>");
}

/// When and how this check ran: time, tool version, the bundle as received.
fn this_check(page: &mut String, report: &Report, context: &PageContext, w: &Words) {
    let _ = writeln!(
        page,
        "<h2>{}</h2>\n<table>",
        w.say(|t| t!(t, "report-this-check"))
    );
    if let Some(at) = &context.checked_at {
        row(
            page,
            w.say(|t| t!(t, "report-checked-at")),
            when_cell(w, at),
        );
    }
    let tool = match &context.tool {
        Some(tool) => tool.clone(),
        None => format!("exhibit {}", env!("CARGO_PKG_VERSION")),
    };
    row(page, w.say(|t| t!(t, "report-tool")), escape(&tool));
    match &context.received {
        Some(received) => {
            row(
                page,
                w.say(|t| t!(t, "report-bundle-as-received")),
                code(&received.path),
            );
            let form = if received.form == "zip" {
                "report-form-zip"
            } else {
                "report-form-folder"
            };
            row(
                page,
                w.say(|t| t!(t, "report-form")),
                w.say(|t| t.get(form, &[])),
            );
            row(
                page,
                w.say(|t| t!(t, "report-size")),
                w.say(|t| t.size(received.size)),
            );
            if let Some(sha256) = &received.sha256 {
                row(
                    page,
                    w.say(|t| t!(t, "report-sha256-of-file")),
                    format!("<span class=\"hash\">{}</span>", escape(sha256)),
                );
            }
        }
        None => row(
            page,
            w.say(|t| t!(t, "report-bundle")),
            code(&report.bundle),
        ),
    }
    page.push_str("</table>\n");
}

/// What the bundle is: case, exhibit, seal, payload, custody head.
fn summary(page: &mut String, report: &Report, w: &Words) {
    page.push_str("<table>\n");
    row(
        page,
        w.say(|t| t!(t, "report-bundle")),
        code(&report.bundle),
    );
    row(
        page,
        w.say(|t| t!(t, "report-kind")),
        escape(report.kind.as_str()),
    );
    if let Some(case) = &report.case_id {
        row(page, w.say(|t| t!(t, "report-case")), escape(case));
    }
    if let Some(exhibit) = &report.exhibit_id {
        row(page, w.say(|t| t!(t, "report-exhibit")), escape(exhibit));
    }
    if let Some(statement) = &report.statement {
        if let Some(description) = &statement.description {
            row(
                page,
                w.say(|t| t!(t, "report-description")),
                escape(description),
            );
        }
        let examiner = [
            statement.examiner.name.as_deref(),
            statement.examiner.organization.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        if !examiner.is_empty() {
            row(
                page,
                w.say(|t| t!(t, "report-examiner-claimed")),
                escape(&examiner),
            );
        }
        row(
            page,
            w.say(|t| t!(t, "report-merkle-root")),
            format!("<code>{}</code>", statement.payload.merkle_root),
        );
        for (key, value) in &statement.metadata {
            row(page, escape(key), escape(value));
        }
    }
    if let Some(sealed_at) = &report.sealed_at {
        row(
            page,
            w.say(|t| t!(t, "report-sealed-at")),
            when_cell(w, sealed_at),
        );
    }
    row(
        page,
        w.say(|t| t!(t, "report-payload")),
        w.say(|t| {
            t!(
                t,
                "report-payload-value",
                files = t.count("count-files", report.file_count),
                size = t.size(report.total_bytes)
            )
        }),
    );
    if let Some(head) = &report.custody_head {
        row(
            page,
            w.say(|t| t!(t, "report-custody-head")),
            format!("<code>{}</code>", escape(head)),
        );
    }
    page.push_str("</table>\n");
}

/// The six checks of a verification, in order (message ids).
const CHECKS: [&str; 6] = [
    "check-1", "check-2", "check-3", "check-4", "check-5", "check-6",
];

/// Which of [`CHECKS`] (0-based) a problem code belongs to.
fn check_of(code: &str) -> usize {
    match code {
        "payload.missing"
        | "payload.unlisted"
        | "payload.digest-mismatch"
        | "payload.unreadable"
        | "payload.os-file"
        | "bag.oxum-mismatch" => 1,
        "bag.tag-mismatch" => 2,
        _ if code.starts_with("seal.") => 2,
        _ if code.starts_with("validation.") || code.starts_with("evidence-record.") => 2,
        _ if code.starts_with("signature.") => 3,
        _ if code.starts_with("custody.") => 4,
        _ => 0,
    }
}

/// Each check with its result, derived from the problem codes found.
fn checks(page: &mut String, report: &Report, w: &Words) {
    let mut problems = [0usize; 6];
    let mut warnings = [0usize; 6];
    let mut codes: [BTreeMap<&str, usize>; 6] = Default::default();
    for p in &report.problems {
        let i = check_of(p.code.as_str());
        problems[i] += 1;
        *codes[i].entry(p.code.as_str()).or_default() += 1;
    }
    for p in &report.warnings {
        warnings[check_of(p.code.as_str())] += 1;
    }
    let _ = writeln!(
        page,
        "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th></tr></thead>",
        w.say(|t| t!(t, "report-checks")),
        w.say(|t| t!(t, "report-check")),
        w.say(|t| t!(t, "report-result")),
    );
    let plain = report.kind == BundleKind::Bagit;
    for (i, title) in CHECKS.iter().enumerate() {
        let (class, result) = if problems[i] > 0 {
            let list: Vec<String> = codes[i]
                .iter()
                .map(|(code, n)| {
                    format!("<code class=\"problem\">{code}</code>\u{a0}\u{d7}\u{a0}{n}")
                })
                .collect();
            let list = list.join(", ");
            (
                "bad",
                w.say_with(|t| (t!(t, "check-failed", codes = slot(0)), vec![list.clone()])),
            )
        } else if plain && (2..=5).contains(&i) {
            ("na", w.say(|t| t!(t, "check-not-applicable")))
        } else if i == 5 {
            if report.trusted_signers.is_empty() {
                ("warn", w.say(|t| t!(t, "check-not-established")))
            } else {
                let ids: Vec<String> = report.trusted_signers.iter().map(|k| k.short()).collect();
                let ids = ids.join(", ");
                match report.untrusted_reason() {
                    // The page never says trusted where the verdict says not.
                    Some(_) => (
                        "warn",
                        w.say(|t| {
                            t!(
                                t,
                                "check-not-established-but",
                                keys = ids.as_str(),
                                reason = report.untrusted_reason_in(t).unwrap_or_default()
                            )
                        }),
                    ),
                    None => (
                        "ok",
                        w.say(|t| t!(t, "check-passed-trusted", keys = ids.as_str())),
                    ),
                }
            }
        } else if warnings[i] > 0 {
            (
                "warn",
                w.say(|t| t!(t, "check-passed-warnings", n = t.number(warnings[i] as u64))),
            )
        } else {
            ("ok", w.say(|t| t!(t, "check-passed")))
        };
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"{class}\">{result}</td></tr>",
            w.say(|t| t.get(title, &[]))
        );
    }
    page.push_str("</table>\n");
}

/// One row per seal signature: the identity claimed in the record, the
/// key that is proven, and whether (and through which file) it is trusted.
fn signers(page: &mut String, report: &Report, context: &PageContext, w: &Words) {
    let _ = writeln!(page, "<h2>{}</h2>", w.say(|t| t!(t, "report-signers")));
    if report.signers.is_empty() {
        let _ = writeln!(page, "<p>{}</p>", w.say(|t| t!(t, "report-none")));
        return;
    }
    let headings = [
        w.say(|t| t!(t, "report-signer-key")),
        w.say(|t| t!(t, "report-signer-name")),
        w.say(|t| t!(t, "report-signer-organization")),
        w.say(|t| t!(t, "report-signer-signed-at")),
        w.say(|t| t!(t, "report-signer-signature")),
        w.say(|t| t!(t, "report-signer-trusted")),
        w.say(|t| t!(t, "report-proven-time")),
    ];
    table_head(page, &headings);
    for s in &report.signers {
        let sources: Vec<String> = context
            .trust_sources
            .iter()
            .filter(|t| t.key_id == s.key_id)
            .map(|t| format!("<code>{}</code>", escape(&t.file)))
            .collect();
        let sources = sources.join(", ");
        let policy = report.trust.policy.as_ref().map(|p| code(&p.path));
        let trusted = match &s.certificate {
            Some(certificate) => {
                certificate_cell(certificate, s.trusted, s.untrusted_reason.as_deref(), w)
            }
            None => match (s.trusted, sources.is_empty(), &s.untrusted_reason) {
                (true, false, _) => w.say_with(|t| {
                    (
                        t!(t, "report-trusted-by-file", files = slot(0)),
                        vec![sources.clone()],
                    )
                }),
                (true, true, _) => match &policy {
                    Some(policy) => w.say_with(|t| {
                        (
                            t!(t, "report-trusted-by-policy-file", policy = slot(0)),
                            vec![policy.clone()],
                        )
                    }),
                    None => w.say(|t| t!(t, "report-trusted")),
                },
                (false, _, Some(reason)) if report.trust.policy.is_some() => w.say(|t| {
                    t!(
                        t,
                        "report-not-trusted-because",
                        reason = super::policy_reason(t, Some(reason))
                    )
                }),
                (false, _, _) => w.say(|t| t!(t, "report-not-trusted-claims")),
            },
        };
        let _ = writeln!(
            page,
            "<tr><td class=\"hash\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td class=\"{}\">{}</td>{}</tr>",
            s.key_id,
            escape(s.name.as_deref().unwrap_or("")),
            escape(s.organization.as_deref().unwrap_or("")),
            s.signed_at.map(|at| when_cell(w, &at)).unwrap_or_default(),
            if s.valid { "ok" } else { "bad" },
            valid_word(s.valid, w),
            if s.trusted { "ok" } else { "warn" },
            trusted,
            timestamp_cell(s.timestamp.as_ref(), w),
        );
    }
    page.push_str("</table>\n");
}

/// The forensic images the seal checked: device and imager as the image
/// records them, the hashes its imager stored beside the ones recomputed
/// at the seal, and the sectors it could not read.
fn acquisition(page: &mut String, report: &Report, w: &Words) {
    let Some(statement) = &report.statement else {
        return;
    };
    if statement.acquisition.is_empty() {
        return;
    }
    let _ = writeln!(page, "<h2>{}</h2>", w.say(|t| t!(t, "report-acquisition")));
    let hashes = |hashes: &crate::format::acquisition::MediaHashes| -> String {
        [
            ("MD5", &hashes.md5),
            ("SHA-1", &hashes.sha1),
            ("SHA-256", &hashes.sha256),
        ]
        .into_iter()
        .filter_map(|(name, value)| {
            let value = value.as_deref()?;
            // One left-to-right run, so a right-to-left page keeps the
            // algorithm before its value.
            Some(format!(
                "<bdi dir=\"ltr\">{name} <span class=\"hash\">{}</span></bdi>",
                escape(value)
            ))
        })
        .collect::<Vec<_>>()
        .join("<br>")
    };
    for image in &statement.acquisition {
        use crate::format::acquisition::ImageResult;
        page.push_str("<table>\n");
        row(page, w.say(|t| t!(t, "report-image")), code(&image.path));
        row(
            page,
            w.say(|t| t!(t, "report-image-format")),
            escape(&format!("{} ({} segment(s))", image.format, image.segments)),
        );
        row(
            page,
            w.say(|t| t!(t, "report-media-size")),
            w.say(|t| t.size(image.media_size)),
        );
        row(
            page,
            w.say(|t| t!(t, "report-stored-hashes")),
            hashes(&image.stored),
        );
        row(
            page,
            w.say(|t| t!(t, "report-computed-hashes")),
            hashes(&image.computed),
        );
        let (class, id) = match image.result {
            ImageResult::Match => ("ok", "image-result-match"),
            ImageResult::Mismatch => ("bad", "image-result-mismatch"),
            ImageResult::NoStoredHash => ("warn", "image-result-no-stored-hash"),
        };
        let _ = writeln!(
            page,
            "<tr><th>{}</th><td class=\"{class}\">{}</td></tr>",
            w.say(|t| t!(t, "report-image-result")),
            w.say(|t| t.get(id, &[]))
        );
        if !image.metadata.is_empty() {
            let lines: Vec<String> = image
                .metadata
                .iter()
                .map(|(key, value)| {
                    format!(
                        "<bdi dir=\"ltr\"><code>{}</code>: {}</bdi>",
                        escape(key),
                        escape(value)
                    )
                })
                .collect();
            row(
                page,
                w.say(|t| t!(t, "report-acquisition-metadata")),
                lines.join("<br>"),
            );
        }
        if !image.error_ranges.is_empty() {
            let ranges: Vec<String> = image
                .error_ranges
                .iter()
                .map(|r| {
                    let last = r.first_sector + r.sectors.saturating_sub(1);
                    w.say(|t| {
                        t!(
                            t,
                            "report-sector-range",
                            first = t.number(r.first_sector),
                            last = t.number(last)
                        )
                    })
                })
                .collect();
            row(
                page,
                w.say(|t| t!(t, "report-unreadable-sectors")),
                ranges.join("<br>"),
            );
        }
        page.push_str("</table>\n");
    }
}

/// `<table>` and its heading row.
fn table_head(page: &mut String, headings: &[String]) {
    page.push_str("<table>\n<thead><tr>");
    for heading in headings {
        let _ = write!(page, "<th>{heading}</th>");
    }
    page.push_str("</tr></thead>\n");
}

/// "valid" or "INVALID", of a signature.
fn valid_word(valid: bool, w: &Words) -> String {
    if valid {
        w.say(|t| t!(t, "report-valid"))
    } else {
        w.say(|t| t!(t, "report-invalid"))
    }
}

/// A certificate signer: whose certificate, by whom, and the root it
/// reaches; what is not checked yet is said.
fn certificate_cell(
    certificate: &super::CertificateReport,
    trusted: bool,
    untrusted_reason: Option<&str>,
    w: &Words,
) -> String {
    let markup = vec![
        code(&certificate.subject),
        code(&certificate.issuer),
        format!(
            "<span class=\"hash\">{}</span>",
            escape(&certificate.serial)
        ),
        certificate.root.as_deref().map(code).unwrap_or_default(),
    ];
    w.say_with(|t| {
        let verdict = match (trusted, &certificate.root, untrusted_reason) {
            (true, Some(_), _) => t!(t, "report-certificate-trusted-root", root = slot(3)),
            (true, None, _) => t!(t, "report-certificate-trusted-policy"),
            (false, _, Some(reason)) => t!(
                t,
                "report-not-trusted-because",
                reason = super::policy_reason(t, Some(reason))
            ),
            (false, _, None) => t!(t, "report-not-trusted"),
        };
        let who = t!(
            t,
            "report-certificate-of",
            subject = slot(0),
            issuer = slot(1),
            serial = slot(2)
        );
        let qualified = if certificate.qualified {
            t!(t, "report-qualified")
        } else {
            String::new()
        };
        let revocation = revocation_words(
            t,
            certificate.revocation,
            certificate.revocation_detail.as_deref(),
        );
        (
            t!(
                t,
                "report-certificate-cell",
                verdict = verdict,
                who = who,
                qualified = qualified,
                revocation = revocation
            ),
            markup.clone(),
        )
    })
}

/// What the validation material says of a chain, in words (its detail,
/// naming certificates and times, as the JSON gives it).
fn revocation_words(texts: &Texts, state: &str, detail: Option<&str>) -> String {
    match (state, detail) {
        ("good", None) => t!(texts, "revocation-good"),
        ("good", Some(later)) => t!(texts, "revocation-good-later", detail = later),
        ("revoked", detail) => t!(texts, "revocation-revoked", detail = detail.unwrap_or("")),
        _ => t!(texts, "revocation-not-checked"),
    }
}

/// The evidence record and when the bundle's proof lapses unless renewed.
fn long_term(page: &mut String, report: &Report, w: &Words) {
    if report.evidence_record.is_none() && report.proof_expires.is_none() {
        return;
    }
    let _ = writeln!(page, "<h2>{}</h2>", w.say(|t| t!(t, "report-long-term")));
    if let Some(record) = &report.evidence_record {
        let (class, verdict) = match &record.lapsed {
            None => (
                "ok",
                w.say(|t| {
                    t!(
                        t,
                        "report-record-holds",
                        n = t.number(record.covers.len() as u64),
                        since = record
                            .proven_since
                            .map(|at| when_stamped(t, &at))
                            .unwrap_or_default()
                    )
                }),
            ),
            Some(why) => (
                "warn",
                w.say(|t| t!(t, "report-record-lapsed", why = why.as_str())),
            ),
        };
        let _ = writeln!(page, "<p class=\"{class}\">{verdict}</p>");
        let headings = [
            w.say(|t| t!(t, "report-stamp")),
            w.say(|t| t!(t, "report-stamp-hash")),
            w.say(|t| t!(t, "report-stamp-time")),
            w.say(|t| t!(t, "report-stamp-tsa")),
            w.say(|t| t!(t, "report-stamp-revocation")),
            w.say(|t| t!(t, "report-stamp-expires")),
        ];
        table_head(page, &headings);
        for stamp in &record.stamps {
            let _ = writeln!(
                page,
                "<tr><td>{}.{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                stamp.chain,
                stamp.stamp,
                stamp.algorithm,
                stamped_cell(w, &stamp.gen_time),
                escape(&stamp.tsa),
                stamp.revocation,
                stamp
                    .expires
                    .map(|at| when_cell(w, &at))
                    .unwrap_or_default()
            );
        }
        page.push_str("</table>\n");
    }
    if let Some(until) = &report.proof_expires {
        let said = w.say_with(|t| {
            (
                t!(
                    t,
                    "report-proof-expires",
                    command = slot(0),
                    until = when(t, until)
                ),
                vec!["<code>exhibit renew</code>".to_string()],
            )
        });
        let _ = writeln!(page, "<p>{said}</p>");
    }
}

/// The `--trust` files this check used, with their SHA-256, so the trust
/// decision can be traced to the exact files.
fn trust_sources(page: &mut String, report: &Report, context: &PageContext, w: &Words) {
    let _ = writeln!(
        page,
        "<h2>{}</h2>",
        w.say(|t| t!(t, "report-trust-sources"))
    );
    if let Some(policy) = &report.trust.policy {
        let markup = vec![
            code(&policy.path),
            format!("<span class=\"hash\">{}</span>", policy.sha256),
        ];
        let said = w.say_with(|t| {
            (
                t!(
                    t,
                    "report-policy",
                    policy = slot(0),
                    sha256 = slot(1),
                    needed = report.trust.min_signers.to_string()
                ),
                markup.clone(),
            )
        });
        let _ = writeln!(page, "<p>{said}</p>");
    }
    for (what, roots) in [
        ("report-ca-roots", &context.ca_roots),
        ("report-tsa-roots", &context.tsa_roots),
    ] {
        if roots.is_empty() {
            continue;
        }
        table_head(
            page,
            &[
                w.say(|t| t.get(what, &[])),
                w.say(|t| t!(t, "report-sha256-of-file")),
            ],
        );
        for (file, sha256) in roots {
            let _ = writeln!(
                page,
                "<tr><td><code>{}</code></td><td class=\"hash\">{}</td></tr>",
                escape(file),
                escape(sha256)
            );
        }
        page.push_str("</table>\n");
    }
    if context.trust_sources.is_empty() && report.trust.policy.is_some() {
        return;
    }
    if context.trust_sources.is_empty() && !context.ca_roots.is_empty() {
        let _ = writeln!(page, "<p>{}</p>", w.say(|t| t!(t, "report-no-key-roots")));
        return;
    }
    if context.trust_sources.is_empty() {
        let _ = writeln!(page, "<p>{}</p>", w.say(|t| t!(t, "report-no-key")));
        return;
    }
    table_head(
        page,
        &[
            w.say(|t| t!(t, "report-trusted-key-file")),
            w.say(|t| t!(t, "report-key-id")),
            w.say(|t| t!(t, "report-sha256-of-file")),
        ],
    );
    for t in &context.trust_sources {
        let _ = writeln!(
            page,
            "<tr><td><code>{}</code></td><td class=\"hash\">{}</td><td class=\"hash\">{}</td></tr>",
            escape(&t.file),
            t.key_id,
            escape(&t.sha256)
        );
    }
    page.push_str("</table>\n");
}

/// One row per custody event.
fn custody(page: &mut String, report: &Report, w: &Words) {
    let _ = writeln!(page, "<h2>{}</h2>", w.say(|t| t!(t, "report-custody")));
    if report.custody.is_empty() {
        let _ = writeln!(page, "<p>{}</p>", w.say(|t| t!(t, "report-no-events")));
        return;
    }
    let headings = [
        "#".to_string(),
        w.say(|t| t!(t, "report-event-time")),
        w.say(|t| t!(t, "report-event-action")),
        w.say(|t| t!(t, "report-event-actor")),
        w.say(|t| t!(t, "report-event-actor-key")),
        w.say(|t| t!(t, "report-event-recipient-key")),
        w.say(|t| t!(t, "report-event-note")),
        w.say(|t| t!(t, "report-event-location")),
        w.say(|t| t!(t, "report-signer-signature")),
        w.say(|t| t!(t, "report-proven-time")),
    ];
    table_head(page, &headings);
    for e in &report.custody {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code>{}</td><td><code>{}</code></td><td class=\"free\">{}</td><td class=\"free\">{}</td><td class=\"{}\">{}</td>{}</tr>",
            e.sequence,
            when_cell(w, &e.time),
            escape(&e.action),
            escape(e.actor_name.as_deref().unwrap_or("")),
            e.actor_key_id.short(),
            if e.trusted {
                format!(" {}", w.say(|t| t!(t, "report-key-trusted")))
            } else {
                String::new()
            },
            e.recipient_key_id.map(|k| k.short()).unwrap_or_default(),
            escape(e.note.as_deref().unwrap_or("")),
            escape(e.location.as_deref().unwrap_or("")),
            if e.signature_valid { "ok" } else { "bad" },
            valid_word(e.signature_valid, w),
            timestamp_cell(e.timestamp.as_ref(), w),
        );
    }
    page.push_str("</table>\n");
}

/// The proven time, the TSA and whether it is trusted, as one table cell.
fn timestamp_cell(token: Option<&TimestampReport>, w: &Words) -> String {
    let Some(token) = token else {
        return format!(
            "<td class=\"warn\">{}</td>",
            w.say(|t| t!(t, "report-no-token"))
        );
    };
    let time = |t: &Texts| {
        token
            .gen_time
            .map(|at| when_stamped(t, &at))
            .unwrap_or_default()
    };
    let tsa = token.tsa.as_deref().unwrap_or("");
    match (token.valid, token.trusted) {
        (true, true) => format!(
            "<td class=\"ok\">{}<br>{}</td>",
            w.say(time),
            w.say(|t| t!(
                t,
                "report-token-trusted",
                tsa = tsa,
                root = token.root.as_deref().unwrap_or(""),
                revocation = revocation_words(
                    t,
                    token.revocation.unwrap_or("not-checked"),
                    token.revocation_detail.as_deref()
                )
            ))
        ),
        (true, false) if token.revocation == Some("revoked") => format!(
            "<td class=\"bad\">{}<br>{}</td>",
            w.say(|t| t!(t, "report-token-unproven", time = time(t))),
            w.say(|t| t!(
                t,
                "report-token-revoked",
                tsa = tsa,
                revocation = revocation_words(t, "revoked", token.revocation_detail.as_deref())
            ))
        ),
        (true, false) => format!(
            "<td class=\"warn\">{}<br>{}</td>",
            w.say(|t| t!(t, "report-token-unproven", time = time(t))),
            w.say(|t| t!(t, "report-token-untrusted", tsa = tsa))
        ),
        (false, _) => {
            let file = code(&token.file);
            format!(
                "<td class=\"bad\">{}</td>",
                w.say_with(|t| (
                    t!(t, "report-token-invalid", file = slot(0)),
                    vec![file.clone()]
                ))
            )
        }
    }
}

/// Every problem and warning: the code, the file or event, and what it
/// means. In English the message is the problem's own; in another language
/// what the code means comes first in that language, then the problem's
/// own message as the JSON report gives it (English, naming the exact
/// bytes, values and keys concerned).
fn problems(page: &mut String, report: &Report, w: &Words) {
    for (title, list) in [
        ("report-problems", &report.problems),
        ("report-warnings", &report.warnings),
    ] {
        let _ = writeln!(page, "<h2>{}</h2>", w.say(|t| t.get(title, &[])));
        if list.is_empty() {
            let _ = writeln!(page, "<p>{}</p>", w.say(|t| t!(t, "report-none")));
            continue;
        }
        table_head(
            page,
            &[
                w.say(|t| t!(t, "report-code")),
                w.say(|t| t!(t, "report-file-or-event")),
                w.say(|t| t!(t, "report-message")),
            ],
        );
        for p in list {
            let _ = writeln!(
                page,
                "<tr><td><code class=\"problem\">{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
                p.code.as_str(),
                escape_path(p.path.as_deref().unwrap_or("")),
                problem_cell(p, w)
            );
        }
        page.push_str("</table>\n");
    }
}

/// A problem's message in the report languages: English says the
/// problem's own message; another language what the code means, with the
/// message beneath it marked as English.
fn problem_cell(problem: &crate::problem::Problem, w: &Words) -> String {
    let mut out = w.each(|texts| {
        if texts.lang() == Lang::En {
            escape(&problem.message)
        } else {
            escape(&texts.problem(problem.code))
        }
    });
    if !w.langs.iter().any(|t| t.lang() == Lang::En) {
        let _ = write!(
            out,
            "<span class=\"l2\"><small>{}:</small> <span lang=\"en\" dir=\"ltr\">{}</span></span>",
            escape(&t!(w.first(), "report-detail-english")),
            escape(&problem.message)
        );
    }
    out
}

/// The custody timeline as a drawing: one lane per key holder, events in
/// order from left to right (circles marked with their signature state),
/// hand-overs as arrows from the sender's lane to the recipient's. Its
/// labels are in the first report language (room is short); the legend
/// beneath it in all.
fn custody_drawing(page: &mut String, report: &Report, w: &Words) {
    let events = &report.custody;
    if events.is_empty() {
        return;
    }
    let first = w.first();
    // Lanes in order of first appearance; labels from the first event a key
    // made (claimed names), else its short key id alone.
    let mut lanes: Vec<KeyId> = Vec::new();
    let mut labels: BTreeMap<KeyId, String> = BTreeMap::new();
    for e in events {
        for key in std::iter::once(e.actor_key_id).chain(e.recipient_key_id) {
            if !lanes.contains(&key) {
                lanes.push(key);
            }
        }
        if let Some(name) = &e.actor_name {
            labels.entry(e.actor_key_id).or_insert_with(|| name.clone());
        }
    }
    const LEFT: usize = 200;
    const STEP: usize = 120;
    const TOP: usize = 50;
    const LANE: usize = 70;
    let width = LEFT + STEP * events.len() + 40;
    let height = TOP + LANE * lanes.len() + 10;
    let x = |i: usize| LEFT + STEP * i + STEP / 2;
    let y = |key: &KeyId| TOP + LANE * lanes.iter().position(|k| k == key).unwrap_or(0) + LANE / 2;
    let _ = writeln!(page, "<h3>{}</h3>", w.say(|t| t!(t, "drawing-heading")));
    let _ = writeln!(
        page,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" font-size=\"11\">"
    );
    let _ = writeln!(
        page,
        "<title>{}</title>",
        escape(&t!(first, "drawing-title"))
    );
    page.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1f4e9c\"/></marker></defs>\n");
    for key in &lanes {
        let ly = y(key);
        let label = labels.get(key).map(|n| escape(n)).unwrap_or_default();
        let _ = writeln!(
            page,
            "<line x1=\"{LEFT}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\" stroke=\"#ccc\" stroke-dasharray=\"4 3\"/>\
             <text x=\"8\" y=\"{}\" font-weight=\"bold\">{label}</text><text x=\"8\" y=\"{}\" class=\"mono\">{}</text>",
            width - 20,
            ly - 3,
            ly + 11,
            key.short()
        );
    }
    // Who holds the evidence between events: the sealer first, then each
    // recipient from the transfer that named it.
    let mut holder = events[0].actor_key_id;
    let mut since = x(0);
    for (i, e) in events.iter().enumerate() {
        if let (Some(to), "transfer") = (e.recipient_key_id, e.action.as_str()) {
            let _ = writeln!(
                page,
                "<line x1=\"{since}\" y1=\"{hy}\" x2=\"{}\" y2=\"{hy}\" stroke=\"#1f4e9c\" stroke-width=\"5\" stroke-opacity=\".35\"/>",
                x(i),
                hy = y(&holder)
            );
            holder = to;
            since = x(i);
        }
    }
    let _ = writeln!(
        page,
        "<line x1=\"{since}\" y1=\"{hy}\" x2=\"{}\" y2=\"{hy}\" stroke=\"#1f4e9c\" stroke-width=\"5\" stroke-opacity=\".35\"/>",
        width - 20,
        hy = y(&holder)
    );
    for (i, e) in events.iter().enumerate() {
        let (ex, ey) = (x(i), y(&e.actor_key_id));
        let _ = writeln!(
            page,
            "<text x=\"{ex}\" y=\"14\" text-anchor=\"middle\" font-weight=\"bold\">#{}</text><text x=\"{ex}\" y=\"28\" text-anchor=\"middle\" font-size=\"9\">{}</text><text x=\"{ex}\" y=\"40\" text-anchor=\"middle\" font-size=\"9\">{}</text>",
            e.sequence,
            e.time.date_string(),
            time_of_day(&e.time),
        );
        if let Some(to) = &e.recipient_key_id {
            let _ = writeln!(
                page,
                "<line x1=\"{ex}\" y1=\"{ey}\" x2=\"{}\" y2=\"{}\" stroke=\"#1f4e9c\" stroke-width=\"2\" marker-end=\"url(#arrow)\"/>",
                ex + STEP / 2 - 6,
                y(to)
            );
        }
        let (fill, mark) = if e.signature_valid {
            (
                "#2e8b2e",
                format!("{} \u{2713}", t!(first, "drawing-signed")),
            )
        } else {
            (
                "#c00000",
                format!("{} \u{2717}", t!(first, "drawing-bad-signature")),
            )
        };
        let state = if e.signature_valid {
            t!(first, "drawing-signature-valid")
        } else {
            t!(first, "drawing-signature-invalid")
        };
        let _ = writeln!(
            page,
            "<circle cx=\"{ex}\" cy=\"{ey}\" r=\"7\" fill=\"{fill}\" stroke=\"#000\"><title>{}</title></circle>\
             <text x=\"{ex}\" y=\"{}\" text-anchor=\"middle\">{}</text><text x=\"{ex}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\" fill=\"{fill}\">{}</text>",
            escape(&t!(
                first,
                "drawing-event-tooltip",
                sequence = e.sequence.to_string(),
                action = e.action.as_str(),
                key = e.actor_key_id.short(),
                state = state
            )),
            ey + 20,
            escape(&e.action),
            ey + 31,
            escape(&mark),
        );
    }
    let _ = writeln!(
        page,
        "</svg>\n<p><small>{}</small></p>",
        w.say(|t| t!(t, "drawing-legend"))
    );
}

/// `HH:MM:SS` of a time.
fn time_of_day(time: &UtcTime) -> String {
    let (_, _, _, h, m, s) = time.civil();
    format!("{h:02}:{m:02}:{s:02}")
}

/// The payload files with size and SHA-256, the first
/// [`PAYLOAD_ROWS_SHOWN`] of them.
fn payload(page: &mut String, report: &Report, context: &PageContext, w: &Words) {
    let _ = writeln!(
        page,
        "<h2>{}</h2>",
        w.say(|t| t!(t, "report-payload-files"))
    );
    if report.payload.is_empty() {
        let _ = writeln!(page, "<p>{}</p>", w.say(|t| t!(t, "report-no-payload")));
        return;
    }
    let _ = writeln!(
        page,
        "<p>{}</p>",
        w.say(|t| t!(
            t,
            "report-payload-read",
            files = t.count("count-files", report.payload.len() as u64),
            size = t.size(report.total_bytes)
        ))
    );
    let _ = write!(page, "<table class=\"payload\">\n<thead><tr><th>{}</th><th>{}</th><th>SHA-256</th></tr></thead>\n",
        w.say(|t| t!(t, "report-path")),
        w.say(|t| t!(t, "report-size-bytes")),
    );
    let unreadable = w.say(|t| t!(t, "report-unreadable"));
    for row in report.payload.iter().take(PAYLOAD_ROWS_SHOWN) {
        let _ = writeln!(
            page,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"hash\">{}</td></tr>",
            escape_path(&row.path),
            row.size,
            row.sha256
                .map(|d| d.to_hex())
                .unwrap_or_else(|| unreadable.clone())
        );
    }
    page.push_str("</table>\n");
    let more = report.payload.len().saturating_sub(PAYLOAD_ROWS_SHOWN) as u64;
    if more > 0 {
        let member = "<code>payload</code>".to_string();
        let full_list = match &context.json_command {
            Some(command) => {
                let command = format!("<code>{}</code>", escape(command));
                w.say_with(|t| {
                    (
                        t!(
                            t,
                            "report-full-list-command",
                            member = slot(0),
                            command = slot(1)
                        ),
                        vec![member.clone(), command.clone()],
                    )
                })
            }
            None => w.say_with(|t| {
                (
                    t!(t, "report-full-list", member = slot(0)),
                    vec![member.clone()],
                )
            }),
        };
        let _ = writeln!(
            page,
            "<p class=\"warn\"><strong>{}</strong> {full_list}</p>",
            w.say(|t| t!(
                t,
                "report-not-listed",
                more = t.count("count-more-files", more)
            ))
        );
    }
}

/// What a reader may and may not conclude from this page.
fn proves(page: &mut String, report: &Report, w: &Words) {
    let item = |page: &mut String, id: &str| {
        let _ = writeln!(page, "<li>{}</li>", w.say(|t| t.get(id, &[])));
    };
    let command = |page: &mut String, id: &str, command: &str| {
        let markup = vec![format!("<code>{command}</code>")];
        let said = w.say_with(|t| (t.get(id, &[("command", slot(0))]), markup.clone()));
        let _ = writeln!(page, "<li>{said}</li>");
    };
    let _ = writeln!(
        page,
        "<h2>{}</h2>\n<p>{}</p>\n<ul>",
        w.say(|t| t!(t, "proves-heading")),
        w.say(|t| t!(t, "proves-shows"))
    );
    match report.status {
        Outcome::Failed => item(page, "proves-failed"),
        _ => item(page, "proves-payload"),
    }
    if report.kind == BundleKind::Exhibit {
        item(page, "proves-signers");
        item(page, "proves-events");
    }
    let certificates = report.signers.iter().any(|s| s.certificate.is_some());
    match (report.trust.policy.is_some(), certificates) {
        (true, _) => item(page, "proves-trusted-policy"),
        (false, true) => item(page, "proves-trusted-certificates"),
        (false, false) => item(page, "proves-trusted-keys"),
    }
    let proven = report.signers.iter().any(|s| s.proven_time.is_some())
        || report.custody.iter().any(|e| e.proven_time.is_some());
    if proven {
        item(page, "proves-time");
    }
    let _ = writeln!(
        page,
        "</ul>\n<p>{}</p>\n<ul>",
        w.say(|t| t!(t, "proves-not"))
    );
    item(page, "proves-not-who");
    item(
        page,
        if proven {
            "proves-not-when-else"
        } else {
            "proves-not-when"
        },
    );
    let unchecked = report
        .signers
        .iter()
        .filter_map(|s| s.certificate.as_ref())
        .any(|c| c.revocation == "not-checked");
    if certificates && unchecked {
        command(page, "proves-not-revoked", "exhibit ltv");
    }
    item(page, "proves-not-before");
    command(page, "proves-not-itself", "exhibit verify");
    page.push_str("</ul>\n");
}

/// The tool version and what the names in the report are worth.
fn footer(page: &mut String, w: &Words) {
    let _ = writeln!(
        page,
        "<p><small>{}</small></p>",
        w.say(|t| t!(
            t,
            "report-footer",
            tool = "exhibit",
            version = env!("CARGO_PKG_VERSION")
        ))
    );
    page.push_str("</body>\n</html>\n");
}

/// `12345678` as `12,345,678`.
/// Characters that hide, move or reorder text around them: controls
/// (newline, escape, ...), bidirectional overrides and isolates, zero-width
/// and invisible marks. A name holding one is shown with a visible mark.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// Escapes text for HTML element content; hidden characters become a
/// visible `[U+XXXX]` mark.
fn escape(text: &str) -> String {
    escape_with(text, true)
}

/// A bag path, escaped; when it holds right-to-left letters, each
/// component isolated (`<bdi>`), so a right-to-left component cannot pull
/// the digits and marks of its neighbours into its run and reorder the
/// path around it.
fn escape_path(path: &str) -> String {
    let right_to_left =
        |c: char| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF);
    if !path.chars().any(right_to_left) {
        return escape(path);
    }
    path.split('/')
        .map(|part| format!("<bdi>{}</bdi>", escape(part)))
        .collect::<Vec<_>>()
        .join("/")
}

/// The same for places that hold text only (the page title).
fn escape_plain(text: &str) -> String {
    escape_with(text, false)
}

fn escape_with(text: &str, markup: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_hidden(c) && markup => {
                let _ = write!(out, "<span class=\"mark\">[U+{:04X}]</span>", c as u32);
            }
            c if is_hidden(c) => {
                let _ = write!(out, "[U+{:04X}]", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_hostile_text() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(escape_plain("a\u{1b}b"), "a[U+001B]b");
        assert_eq!(
            escape("x\u{202e}y\nz"),
            "x<span class=\"mark\">[U+202E]</span>y<span class=\"mark\">[U+000A]</span>z"
        );
    }
}
