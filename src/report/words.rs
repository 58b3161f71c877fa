//! The verdict in words, in a language: the first line of a verification,
//! the problem lines and what they mean for the payload. The command line
//! and the browser page say the same thing with these. Names from the bundle
//! go through `show`, which makes them safe where they are shown: the
//! terminal escapes control and bidi characters, a page shows text as text.

use crate::i18n::{Lang, Texts};
use crate::problem::{Problem, ProblemCode};
use crate::t;

use super::{BundleKind, Outcome, Report};

/// `code: path: message`, every part escaped. In English the message is
/// the problem's own; in another language what its code means, with the
/// problem's own message (as the JSON gives it) after it.
pub fn problem_line(texts: &Texts, problem: &Problem, show: &dyn Fn(&str) -> String) -> String {
    let message = if texts.lang() == Lang::En {
        show(&problem.message)
    } else {
        t!(
            texts,
            "problem-translated",
            meaning = texts.problem(problem.code),
            detail = show(&problem.message)
        )
    };
    let code = problem.code.as_str();
    match &problem.path {
        Some(path) => t!(
            texts,
            "problem-line-path",
            code = code,
            path = show(path),
            message = message
        ),
        None => t!(texts, "problem-line", code = code, message = message),
    }
}

/// The problems a person reads: one line per problem, except that the
/// several findings about one payload file (its SHA-256 and its BLAKE3
/// both differ, …) are one line, and the seal-wide consequences of changed
/// payload files (Merkle root, file count and size, Payload-Oxum) are one
/// line after them. `--json` keeps every problem with its own code.
pub fn problem_lines(
    texts: &Texts,
    problems: &[Problem],
    show: &dyn Fn(&str) -> String,
) -> Vec<String> {
    let by_file = |p: &&Problem| {
        p.path
            .as_deref()
            .is_some_and(|path| path.starts_with("data/"))
            && p.code.as_str().starts_with("payload.")
    };
    let consequence = |p: &Problem| {
        matches!(
            p.code,
            ProblemCode::SealMerkleMismatch
                | ProblemCode::SealPayloadMismatch
                | ProblemCode::OxumMismatch
        )
    };
    let file_problems: Vec<&Problem> = problems.iter().filter(by_file).collect();
    let mut lines = Vec::new();
    let mut done: Vec<&str> = Vec::new();
    for problem in problems {
        let Some(path) = problem.path.as_deref().filter(|_| by_file(&problem)) else {
            if !consequence(problem) || file_problems.is_empty() {
                lines.push(problem_line(texts, problem, show));
            }
            continue;
        };
        if done.contains(&path) {
            continue;
        }
        done.push(path);
        let same: Vec<&&Problem> = file_problems
            .iter()
            .filter(|p| p.path.as_deref() == Some(path))
            .collect();
        let mut line = problem_line(texts, same[0], show);
        if same.len() > 1 {
            let more = (same.len() - 1) as u64;
            line = texts.count_with("more-findings-for-file", more, &[("line", line)]);
        }
        lines.push(line);
    }
    let consequences: Vec<&str> = problems
        .iter()
        .filter(|p| consequence(p) && !file_problems.is_empty())
        .map(|p| p.code.as_str())
        .collect();
    if !consequences.is_empty() {
        lines.push(t!(
            texts,
            "seal-totals-differ",
            codes = consequences.join(", ")
        ));
    }
    lines
}

/// What the problems mean for the payload, for a verdict line:
/// "1 file differs from the seal (data/x)".
pub fn problem_summary(
    texts: &Texts,
    problems: &[Problem],
    show: &dyn Fn(&str) -> String,
) -> String {
    let mut parts = Vec::new();
    let mut named: Vec<&str> = Vec::new();
    for (code, id) in [
        (ProblemCode::PayloadDigestMismatch, "failed-files-differ"),
        (ProblemCode::PayloadMissing, "failed-files-missing"),
        (ProblemCode::PayloadUnlisted, "failed-files-added"),
        (ProblemCode::PayloadUnreadable, "failed-files-unreadable"),
    ] {
        let mut paths: Vec<&str> = problems
            .iter()
            .filter(|p| p.code == code)
            .filter_map(|p| p.path.as_deref())
            .collect();
        paths.dedup();
        if paths.is_empty() {
            continue;
        }
        parts.push(texts.count(id, paths.len() as u64));
        named.extend(paths.iter().take(3));
    }
    let listed = problem_lines(texts, problems, show).len() as u64;
    if parts.is_empty() {
        return texts.count("count-problems", listed);
    }
    let separator = t!(texts, "list-separator");
    let shown: Vec<String> = named.iter().map(|p| show(p)).collect();
    t!(
        texts,
        "failed-summary",
        parts = parts.join(&separator),
        paths = shown.join(&separator)
    )
}

/// Whether a seal signer signed with a certificate.
pub fn has_certificates(report: &Report) -> bool {
    report.signers.iter().any(|s| s.certificate.is_some())
}

/// The first line of a verification: the verdict, the bundle, what it
/// holds, and in a few words why. `nothing_given`: no key, root or policy
/// was given to trust anyone by.
pub fn verdict_line(
    texts: &Texts,
    report: &Report,
    nothing_given: bool,
    show: &dyn Fn(&str) -> String,
) -> String {
    let mut verdict = match report.status {
        Outcome::Verified => t!(texts, "verdict-verified"),
        Outcome::Failed => t!(texts, "verdict-failed"),
        Outcome::Untrusted => t!(texts, "verdict-untrusted"),
    };
    if let Some(d) = &report.disclosure {
        verdict = t!(
            texts,
            "verdict-with-disclosure",
            verdict = verdict,
            disclosed = texts.number(d.disclosed),
            sealed = texts.number(d.sealed)
        );
    }
    let detail = match (report.status, report.kind) {
        (Outcome::Failed, _) => problem_summary(texts, &report.problems, show),
        (Outcome::Untrusted, BundleKind::Bagit) => t!(texts, "detail-bag-unsigned"),
        (Outcome::Untrusted, _) if nothing_given && has_certificates(report) => {
            t!(texts, "detail-no-trust-given-certificates")
        }
        (Outcome::Untrusted, _) if nothing_given => t!(texts, "detail-no-trust-given"),
        (Outcome::Untrusted, _)
            if report.trust.policy.is_some() || !report.untrusted_proofs.is_empty() =>
        {
            t!(
                texts,
                "detail-untrusted-because",
                reason = report.untrusted_reason_in(texts).unwrap_or_default()
            )
        }
        (Outcome::Untrusted, _) if has_certificates(report) => t!(texts, "detail-no-key-or-root"),
        (Outcome::Untrusted, _) => t!(texts, "detail-no-trusted-key"),
        (Outcome::Verified, _) => t!(texts, "detail-verified"),
    };
    let bundle = show(&report.bundle);
    let files = texts.count("count-files", report.file_count);
    let size = texts.size(report.total_bytes);
    match (&report.case_id, &report.exhibit_id) {
        (Some(case), Some(exhibit)) => t!(
            texts,
            "verify-line-case",
            verdict = verdict,
            bundle = bundle,
            case = show(case),
            exhibit = show(exhibit),
            files = files,
            size = size,
            detail = detail
        ),
        _ if report.kind == BundleKind::Bagit => t!(
            texts,
            "verify-line-bag",
            verdict = verdict,
            bundle = bundle,
            files = files,
            size = size,
            detail = detail
        ),
        _ => t!(
            texts,
            "verify-line",
            verdict = verdict,
            bundle = bundle,
            files = files,
            size = size,
            detail = detail
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_about_one_file_are_one_line() {
        let problems = [
            Problem::new(
                ProblemCode::PayloadDigestMismatch,
                Some("data/x"),
                "sha256 differs",
            ),
            Problem::new(
                ProblemCode::PayloadDigestMismatch,
                Some("data/x"),
                "blake3 differs",
            ),
            Problem::new(
                ProblemCode::SealMerkleMismatch,
                Some("exhibit/seal.json"),
                "root",
            ),
        ];
        let english = Texts::new(Lang::En);
        let same = |name: &str| name.to_string();
        let lines = problem_lines(&english, &problems, &same);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("payload.digest-mismatch: data/x: sha256 differs; and 1 more"));
        assert!(lines[1].starts_with("seal.merkle-mismatch: so the seal's totals differ too"));
        assert_eq!(
            problem_summary(&english, &problems, &same),
            "1 file differs from the seal (data/x)"
        );
    }

    #[test]
    fn another_language_keeps_the_code_and_path_first() {
        let problem = Problem::new(
            ProblemCode::PayloadMissing,
            Some("data/a"),
            "listed in manifest-sha256.txt but not in the bag",
        );
        let fr = Texts::new(Lang::Fr);
        let line = problem_line(&fr, &problem, &|name| name.to_string());
        assert!(line.starts_with("payload.missing: data/a: "), "{line}");
        assert!(
            line.contains(&fr.problem(ProblemCode::PayloadMissing)),
            "{line}"
        );
        assert!(
            line.contains("listed in manifest-sha256.txt but not in the bag"),
            "{line}"
        );
    }
}
