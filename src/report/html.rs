//! The HTML report: a self-contained page (no scripts, no external
//! resources) for people who read reports in a browser or print them for a
//! court file. Everything taken from the bundle is escaped.

use super::{Outcome, Report};
use crate::format::timestamp::TimestampReport;

impl Report {
    /// The whole page.
    pub fn to_html(&self) -> String {
        let mut page = String::new();
        head(&mut page, self);
        summary(&mut page, self);
        signers(&mut page, self);
        custody(&mut page, self);
        problems(&mut page, self);
        footer(&mut page);
        page
    }
}

/// The document head and the verdict.
fn head(page: &mut String, report: &Report) {
    let status = match report.status {
        Outcome::Verified => (
            "VERIFIED",
            "ok",
            "intact, and the seal is signed by a trusted key",
        ),
        Outcome::Untrusted => (
            "UNTRUSTED",
            "warn",
            "intact, but no trusted key signed the seal",
        ),
        Outcome::Failed => (
            "FAILED",
            "bad",
            "the evidence does not match what was sealed (see problems)",
        ),
    };
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str(&format!(
        "<title>exhibit verification: {}</title>\n",
        escape(&report.bundle)
    ));
    page.push_str(
        "<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}\
         td,th{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}code{font-size:.9em}\
         .ok{background:#d7f5d7}.warn{background:#fff2c2}.bad{background:#f8d0d0}.status{padding:.6em;font-size:1.3em}</style>\n",
    );
    page.push_str("</head>\n<body>\n");
    page.push_str(&format!(
        "<h1>Verification report</h1>\n<p class=\"status {}\"><strong>{}</strong>: {}</p>\n",
        status.1, status.0, status.2
    ));
}

/// What the bundle is: case, exhibit, seal, payload, custody head.
fn summary(page: &mut String, report: &Report) {
    page.push_str("<table>\n");
    let mut row = |label: &str, value: String| {
        page.push_str(&format!("<tr><th>{label}</th><td>{value}</td></tr>\n"));
    };
    row("Bundle", format!("<code>{}</code>", escape(&report.bundle)));
    row("Kind", escape(report.kind.as_str()));
    if let Some(case) = &report.case_id {
        row("Case", escape(case));
    }
    if let Some(exhibit) = &report.exhibit_id {
        row("Exhibit", escape(exhibit));
    }
    if let Some(statement) = &report.statement {
        if let Some(description) = &statement.description {
            row("Description", escape(description));
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
            row("Examiner (claimed)", escape(&examiner));
        }
        row(
            "Merkle root",
            format!("<code>{}</code>", statement.payload.merkle_root),
        );
        for (key, value) in &statement.metadata {
            row(&escape(key), escape(value));
        }
    }
    if let Some(sealed_at) = &report.sealed_at {
        row("Sealed at", sealed_at.to_string());
    }
    row(
        "Payload",
        format!("{} files, {} bytes", report.file_count, report.total_bytes),
    );
    if let Some(head) = &report.custody_head {
        row("Custody log head", format!("<code>{}</code>", escape(head)));
    }
    page.push_str("</table>\n");
}

/// One row per seal signature.
fn signers(page: &mut String, report: &Report) {
    page.push_str("<h2>Seal signers</h2>\n");
    if report.signers.is_empty() {
        page.push_str("<p>None.</p>\n");
    } else {
        page.push_str("<table>\n<tr><th>Key id</th><th>Claimed name</th><th>Claimed organization</th><th>Signed at (claimed)</th><th>Signature</th><th>Trusted</th><th>Proven time (RFC 3161)</th></tr>\n");
        for s in &report.signers {
            page.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td class=\"{}\">{}</td>{}</tr>\n",
                s.key_id,
                escape(s.name.as_deref().unwrap_or("")),
                escape(s.organization.as_deref().unwrap_or("")),
                s.signed_at.map(|t| t.to_string()).unwrap_or_default(),
                if s.valid { "ok" } else { "bad" },
                if s.valid { "valid" } else { "INVALID" },
                if s.trusted { "ok" } else { "warn" },
                if s.trusted { "yes" } else { "no" },
                timestamp_cell(s.timestamp.as_ref()),
            ));
        }
        page.push_str("</table>\n");
    }
}

/// One row per custody event.
fn custody(page: &mut String, report: &Report) {
    page.push_str("<h2>Chain of custody</h2>\n");
    if report.custody.is_empty() {
        page.push_str("<p>No events.</p>\n");
    } else {
        page.push_str("<table>\n<tr><th>#</th><th>Time (UTC)</th><th>Action</th><th>Actor (claimed)</th><th>Actor key</th><th>Recipient key</th><th>Note</th><th>Location</th><th>Signature</th><th>Proven time (RFC 3161)</th></tr>\n");
        for e in &report.custody {
            page.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"{}\">{}</td>{}</tr>\n",
                e.sequence,
                e.time,
                escape(&e.action),
                escape(e.actor_name.as_deref().unwrap_or("")),
                e.actor_key_id.short(),
                if e.trusted { " (trusted)" } else { "" },
                e.recipient_key_id.map(|k| k.short()).unwrap_or_default(),
                escape(e.note.as_deref().unwrap_or("")),
                escape(e.location.as_deref().unwrap_or("")),
                if e.signature_valid { "ok" } else { "bad" },
                if e.signature_valid { "valid" } else { "INVALID" },
                timestamp_cell(e.timestamp.as_ref()),
            ));
        }
        page.push_str("</table>\n");
    }
}

/// The proven time, the TSA and whether it is trusted, as one table cell.
fn timestamp_cell(token: Option<&TimestampReport>) -> String {
    let Some(token) = token else {
        return "<td class=\"warn\">no token: time not proven</td>".into();
    };
    let time = token.gen_time.map(|t| t.to_string()).unwrap_or_default();
    let tsa = escape(token.tsa.as_deref().unwrap_or(""));
    match (token.valid, token.trusted) {
        (true, true) => format!(
            "<td class=\"ok\">{time}<br>TSA {tsa} (trusted, root {})</td>",
            escape(token.root.as_deref().unwrap_or(""))
        ),
        (true, false) => {
            format!("<td class=\"warn\">{time} (unproven)<br>TSA {tsa} (not trusted)</td>")
        }
        (false, _) => format!(
            "<td class=\"bad\">INVALID token <code>{}</code></td>",
            escape(&token.file)
        ),
    }
}

/// Every problem and warning.
fn problems(page: &mut String, report: &Report) {
    for (title, list) in [
        ("Problems", &report.problems),
        ("Warnings", &report.warnings),
    ] {
        page.push_str(&format!("<h2>{title}</h2>\n"));
        if list.is_empty() {
            page.push_str("<p>None.</p>\n");
            continue;
        }
        page.push_str("<table>\n<tr><th>Code</th><th>File or event</th><th>Message</th></tr>\n");
        for p in list {
            page.push_str(&format!(
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>\n",
                p.code.as_str(),
                escape(p.path.as_deref().unwrap_or("")),
                escape(&p.message)
            ));
        }
        page.push_str("</table>\n");
    }
}

/// The tool version and what the names in the report are worth.
fn footer(page: &mut String) {
    page.push_str(&format!(
        "<p><small>Produced by exhibit {}. Names and organizations are claims made by the key holders; \
         only key ids are proven. Compare key ids with the senders through another channel.</small></p>\n",
        env!("CARGO_PKG_VERSION")
    ));
    page.push_str("</body>\n</html>\n");
}

/// Escapes text for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                out.push_str(&format!("&#x{:x};", c as u32))
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
        assert_eq!(escape("a\u{1b}b"), "a&#x1b;b");
    }
}
