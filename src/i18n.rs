//! The receiver's language: which language a person reads, and the words,
//! numbers and dates in it. One Fluent file per language,
//! `i18n/<tag>/exhibit.ftl`, embedded in the binary (and in the browser
//! page); `t!` checks each message id and its arguments against the
//! English file when the library compiles, and a test checks that every
//! language has every message. Adding a language is one `.ftl` file and
//! its tag in [`Lang`].
//!
//! Never translated: problem codes, JSON (member names, values and the
//! problems' `message`, which stays English and stable), key ids, digests,
//! paths and names from the bundle.

use std::collections::HashMap;

use i18n_embed::fluent::FluentLanguageLoader;
use i18n_embed::LanguageLoader as _;
use rust_embed::RustEmbed;

use crate::problem::ProblemCode;
use crate::time::UtcTime;

/// The Fluent files, embedded (`.ftl` only: the glossary beside them is
/// for people).
#[derive(RustEmbed)]
#[folder = "i18n/"]
#[include = "*.ftl"]
struct Localizations;

/// A language exhibit speaks: the six UN languages and Vietnamese.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    En,
    Fr,
    Es,
    Ru,
    Zh,
    Ar,
    Vi,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 7] = [
        Lang::En,
        Lang::Fr,
        Lang::Es,
        Lang::Ru,
        Lang::Zh,
        Lang::Ar,
        Lang::Vi,
    ];

    /// The tag: `en`, `fr`, ... (the folder under `i18n/`, `<html lang>`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Ru => "ru",
            Lang::Zh => "zh",
            Lang::Ar => "ar",
            Lang::Vi => "vi",
        }
    }

    /// A language from a tag or a POSIX locale name: `fr`, `fr-CA`,
    /// `fr_FR.UTF-8`, `zh-Hans-CN`, `vi_VN@x` all name their language;
    /// `C`, `POSIX` and languages exhibit does not speak name none.
    pub fn parse(text: &str) -> Option<Lang> {
        let primary = text
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.tag() == primary)
    }

    /// The language of the environment, as POSIX orders it: the first of
    /// `LC_ALL`, `LC_MESSAGES`, `LANG` that is set and not empty decides;
    /// English when it names a language exhibit does not speak (or none).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(|name| var(name).filter(|v| !v.is_empty()))
            .next()
            .and_then(|value| Lang::parse(&value))
            .unwrap_or(Lang::En)
    }

    /// Written right to left (Arabic).
    pub fn right_to_left(self) -> bool {
        self == Lang::Ar
    }
}

/// The messages of one language, and its numbers and dates.
pub struct Texts {
    lang: Lang,
    loader: FluentLanguageLoader,
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Texts({})", self.lang.tag())
    }
}

impl Texts {
    /// The messages of `lang`. Every language's file is embedded and
    /// complete (a test checks both), so this cannot fail at run time.
    pub fn new(lang: Lang) -> Texts {
        let english = unic_langid::langid!("en");
        let loader = FluentLanguageLoader::new("exhibit", english.clone());
        let wanted: unic_langid::LanguageIdentifier =
            lang.tag().parse().unwrap_or_else(|_| english.clone());
        // English is loaded too, as Fluent's fallback; the completeness
        // test makes sure it is never needed.
        let languages = match source(lang) {
            Some(_) => vec![wanted, english],
            None => vec![english],
        };
        let _ = loader.load_languages(&Localizations, &languages);
        // Marks around arguments would reach the terminal and the JSON
        // of tests; the HTML page isolates what needs it itself.
        loader.set_use_isolating(false);
        Texts { lang, loader }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The loader, for `t!`.
    #[doc(hidden)]
    pub fn loader(&self) -> &FluentLanguageLoader {
        &self.loader
    }

    /// A message found by a name made at run time (problem codes, month
    /// names), with arguments; the completeness test covers these ids.
    pub fn get(&self, id: &str, args: &[(&str, String)]) -> String {
        if args.is_empty() {
            return self.loader.get(id);
        }
        let map: HashMap<&str, fluent::FluentValue> = args
            .iter()
            .map(|(name, value)| (*name, fluent::FluentValue::from(value.clone())))
            .collect();
        self.loader.get_args_concrete(id, map)
    }

    /// `3224128872` with the language's digit grouping: `3,224,128,872`,
    /// `3 224 128 872`, `3.224.128.872`.
    pub fn number(&self, n: u64) -> String {
        let separator = self.loader.get("number-group-separator");
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() * 2);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(&separator);
            }
            out.push(c);
        }
        out
    }

    /// A count of things, in the plural the language uses for it (`1 file`,
    /// `12,000 files`); `id` is a message taking `$count` and `$n`.
    pub fn count(&self, id: &str, n: u64) -> String {
        self.count_with(id, n, &[])
    }

    /// The same for a message with more arguments than the count.
    pub fn count_with(&self, id: &str, n: u64, args: &[(&str, String)]) -> String {
        let mut map: HashMap<&str, fluent::FluentValue> = args
            .iter()
            .map(|(name, value)| (*name, fluent::FluentValue::from(value.clone())))
            .collect();
        map.insert("count", fluent::FluentValue::from(n));
        map.insert("n", fluent::FluentValue::from(self.number(n)));
        self.loader.get_args_concrete(id, map)
    }

    /// A size as a person reads it, with the exact byte count beside it:
    /// `3.0 GiB (3,224,128,872 bytes)` in the language's own units,
    /// grouping and decimal mark.
    pub fn size(&self, bytes: u64) -> String {
        const UNITS: [&str; 5] = ["unit-kib", "unit-mib", "unit-gib", "unit-tib", "unit-pib"];
        let exact = self.count("size-bytes", bytes);
        let Some((value, unit)) = crate::units::scaled(bytes) else {
            return exact;
        };
        let amount =
            format!("{value:.1}").replace('.', &self.loader.get("number-decimal-separator"));
        self.get(
            "size-larger",
            &[
                ("amount", amount),
                ("unit", self.loader.get(UNITS[unit])),
                ("exact", exact),
            ],
        )
    }

    /// A moment in the language's own form beside ISO 8601 UTC (English
    /// writes ISO 8601 alone): `7 décembre 2026 à 06:44:16 UTC
    /// (2026-12-07T06:44:16Z)`.
    pub fn date_time(&self, at: &UtcTime) -> String {
        self.date_time_as(at, at.to_string())
    }

    /// The same, with the ISO 8601 form given (a time-stamp's, which
    /// keeps its fraction of a second).
    pub fn date_time_as(&self, at: &UtcTime, iso: String) -> String {
        let (year, month, day, hour, minute, second) = at.civil();
        self.get(
            "date-time",
            &[
                ("iso", iso),
                ("year", year.to_string()),
                ("month", self.loader.get(&format!("month-{month}"))),
                ("month-number", month.to_string()),
                ("day", day.to_string()),
                ("time", format!("{hour:02}:{minute:02}:{second:02}")),
            ],
        )
    }

    /// What a problem code means, in a sentence (`problem-payload-missing`).
    pub fn problem(&self, code: ProblemCode) -> String {
        self.loader.get(&problem_message_id(code))
    }
}

/// The message id that says what a problem code means.
pub fn problem_message_id(code: ProblemCode) -> String {
    format!("problem-{}", code.as_str().replace('.', "-"))
}

/// A message of `texts`, its id and arguments checked against the English
/// file when this compiles: `t!(texts, "verdict-verified")`,
/// `t!(texts, "verify-line", verdict = word, ...)`.
#[macro_export]
macro_rules! t {
    ($texts:expr, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::fl_inner!($texts.loader(), $id $(, $name = $value)*)
    };
}

#[doc(hidden)]
pub use i18n_embed_fl::fl as fl_inner;

/// The embedded Fluent source of a language, for the tests that compare
/// languages message by message.
pub fn source(lang: Lang) -> Option<String> {
    let file = Localizations::get(&format!("{}/exhibit.ftl", lang.tag()))?;
    String::from_utf8(file.data.into_owned()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    /// A message's text (every variant of a selection, placeables left
    /// out) and the variables it uses, by id.
    type Messages = BTreeMap<String, (String, BTreeSet<String>)>;

    fn messages(lang: Lang) -> Messages {
        let source = source(lang).unwrap_or_else(|| panic!("no i18n/{}/exhibit.ftl", lang.tag()));
        let resource = fluent_syntax::parser::parse(source.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", lang.tag()));
        let mut out = Messages::new();
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let mut text = String::new();
                let mut variables = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    walk(pattern, &mut text, &mut variables);
                }
                let id = message.id.name.to_string();
                assert!(
                    out.insert(id.clone(), (text, variables)).is_none(),
                    "{}: {id} twice",
                    lang.tag()
                );
            }
        }
        out
    }

    fn walk(pattern: &ast::Pattern<&str>, text: &mut String, variables: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            match element {
                ast::PatternElement::TextElement { value } => text.push_str(value),
                ast::PatternElement::Placeable { expression } => {
                    expression_text(expression, text, variables)
                }
            }
        }
    }

    fn expression_text(
        expression: &ast::Expression<&str>,
        text: &mut String,
        variables: &mut BTreeSet<String>,
    ) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                inline(selector, text, variables);
                for variant in variants {
                    text.push(' ');
                    walk(&variant.value, text, variables);
                }
            }
            ast::Expression::Inline(inline_expression) => {
                inline(inline_expression, text, variables)
            }
        }
    }

    fn inline(
        expression: &ast::InlineExpression<&str>,
        text: &mut String,
        variables: &mut BTreeSet<String>,
    ) {
        match expression {
            ast::InlineExpression::VariableReference { id } => {
                variables.insert(id.name.to_string());
                text.push(' ');
            }
            ast::InlineExpression::StringLiteral { value } => text.push_str(value),
            ast::InlineExpression::Placeable { expression } => {
                expression_text(expression, text, variables)
            }
            _ => text.push(' '),
        }
    }

    #[test]
    fn every_language_has_every_message_with_the_same_arguments() {
        let english = messages(Lang::En);
        for code in ProblemCode::ALL {
            assert!(
                english.contains_key(&problem_message_id(*code)),
                "no {} in English",
                problem_message_id(*code)
            );
        }
        for lang in Lang::ALL {
            let other = messages(lang);
            let missing: Vec<&String> = english
                .keys()
                .filter(|id| !other.contains_key(*id))
                .collect();
            let extra: Vec<&String> = other
                .keys()
                .filter(|id| !english.contains_key(*id))
                .collect();
            assert!(missing.is_empty(), "{}: missing {missing:?}", lang.tag());
            assert!(extra.is_empty(), "{}: not in English {extra:?}", lang.tag());
            for (id, (text, variables)) in &other {
                let (_, wanted) = &english[id];
                if id == "date-time" {
                    // Each language writes a moment its own way, from these.
                    let allowed = ["day", "month", "month-number", "year", "time", "iso"];
                    assert!(variables.contains("iso"), "{}: date-time", lang.tag());
                    assert!(
                        variables.iter().all(|v| allowed.contains(&v.as_str())),
                        "{}: date-time",
                        lang.tag()
                    );
                    continue;
                }
                assert_eq!(
                    variables,
                    wanted,
                    "{}: {id}: arguments differ from English",
                    lang.tag()
                );
                assert!(
                    !text.trim().is_empty()
                        || !variables.is_empty()
                        || id.starts_with("number-")
                        || id == "list-separator",
                    "{}: {id} is empty",
                    lang.tag()
                );
            }
        }
    }

    /// The glossary's first table: (English term, term of each language).
    fn glossary() -> Vec<BTreeMap<Lang, String>> {
        let text = include_str!("../i18n/glossary.md");
        let mut rows = Vec::new();
        let mut tables = 0;
        for line in text.lines() {
            if line.starts_with("| en |") {
                tables += 1;
                continue;
            }
            if tables != 1 || !line.starts_with('|') || line.starts_with("|---") {
                continue;
            }
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(cells.len(), Lang::ALL.len(), "{line}");
            rows.push(
                Lang::ALL
                    .into_iter()
                    .zip(cells.into_iter().map(str::to_string))
                    .collect(),
            );
        }
        assert!(rows.len() > 20, "the glossary table was not found");
        rows
    }

    /// Whether English `text` uses `term` as a word (plural s allowed).
    fn english_uses(text: &str, term: &str) -> bool {
        let lower = text.to_lowercase();
        let mut from = 0;
        while let Some(found) = lower[from..].find(term) {
            let start = from + found;
            let end = start + term.len();
            from = end;
            let before = lower[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            let rest = &lower[end..];
            let rest = rest
                .strip_prefix('s')
                .filter(|r| !r.starts_with(char::is_alphanumeric))
                .unwrap_or(rest);
            if rest.starts_with(|c: char| c.is_alphanumeric() || c == '-') {
                continue;
            }
            // The program's name before a command or its folder.
            if term == "exhibit" {
                let mut after = rest.chars();
                let (first, second) = (after.next(), after.next());
                if first == Some('/')
                    || (first == Some(' ') && second.is_some_and(|c| c.is_ascii_lowercase()))
                {
                    continue;
                }
            }
            return true;
        }
        false
    }

    /// Whether translated `text` holds `term`, each word longer than four
    /// letters by its beginning (all but its last three, at least four).
    fn translation_uses(text: &str, term: &str) -> bool {
        let lower = text.to_lowercase();
        term.to_lowercase().split_whitespace().all(|word| {
            let letters: Vec<char> = word.chars().collect();
            let keep = if letters.len() > 4 {
                (letters.len() - 3).max(4)
            } else {
                letters.len()
            };
            let stem: String = letters[..keep].iter().collect();
            lower.contains(&stem)
        })
    }

    #[test]
    fn glossary_terms_are_used_consistently() {
        let english = messages(Lang::En);
        let mut failures = Vec::new();
        for lang in Lang::ALL.into_iter().skip(1) {
            let other = messages(lang);
            for row in glossary() {
                let term = &row[&Lang::En];
                for (id, (text, _)) in &english {
                    if !english_uses(text, term) {
                        continue;
                    }
                    let translated = other.get(id).map(|(t, _)| t.as_str()).unwrap_or("");
                    if !translation_uses(translated, &row[&lang]) {
                        failures.push(format!(
                            "{}: {id}: uses \"{term}\" but not \"{}\"",
                            lang.tag(),
                            row[&lang]
                        ));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn the_glossary_matcher_reads_words() {
        assert!(english_uses("the seal has no signature", "seal"));
        assert!(english_uses("two seals", "seal"));
        assert!(!english_uses("sealed files", "seal"));
        assert!(!english_uses("the Payload-Oxum differs", "payload"));
        assert!(english_uses("case 1, exhibit 2", "exhibit"));
        assert!(!english_uses("renew with exhibit renew", "exhibit"));
        assert!(!english_uses("a file under exhibit/", "exhibit"));
        assert!(translation_uses("акт опечатывания", "печать"));
        assert!(translation_uses(
            "des pièces à conviction",
            "pièce à conviction"
        ));
        assert!(!translation_uses("le lot", "pièce à conviction"));
    }

    #[test]
    fn verdicts_are_the_glossary_words() {
        let text = include_str!("../i18n/glossary.md");
        let verdicts: Vec<Vec<String>> = text
            .lines()
            .filter(|l| {
                l.starts_with("| VERIFIED")
                    || l.starts_with("| FAILED")
                    || l.starts_with("| UNTRUSTED")
            })
            .map(|l| {
                l.trim_matches('|')
                    .split('|')
                    .map(|c| c.trim().to_string())
                    .collect()
            })
            .collect();
        assert_eq!(verdicts.len(), 3);
        for (i, lang) in Lang::ALL.into_iter().enumerate() {
            let texts = Texts::new(lang);
            for (row, id) in
                verdicts
                    .iter()
                    .zip(["verdict-verified", "verdict-failed", "verdict-untrusted"])
            {
                assert_eq!(texts.get(id, &[]), row[i], "{}: {id}", lang.tag());
            }
        }
    }

    #[test]
    fn tags_and_locale_names_name_their_language() {
        assert_eq!(Lang::parse("fr"), Some(Lang::Fr));
        assert_eq!(Lang::parse("fr_FR.UTF-8"), Some(Lang::Fr));
        assert_eq!(Lang::parse("zh-Hans-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("VI_vn"), Some(Lang::Vi));
        assert_eq!(Lang::parse("C.UTF-8"), None);
        assert_eq!(Lang::parse("de_DE.UTF-8"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn the_first_locale_variable_set_decides() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::from_env(env(&[("LANG", "vi_VN.UTF-8")])), Lang::Vi);
        assert_eq!(
            Lang::from_env(env(&[("LC_ALL", "C"), ("LANG", "fr_FR.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            Lang::from_env(env(&[
                ("LC_ALL", ""),
                ("LC_MESSAGES", "ar_EG"),
                ("LANG", "fr")
            ])),
            Lang::Ar
        );
        assert_eq!(Lang::from_env(env(&[])), Lang::En);
    }

    #[test]
    fn numbers_sizes_and_dates_follow_the_language() {
        let en = Texts::new(Lang::En);
        assert_eq!(en.number(3_224_128_872), "3,224,128,872");
        assert_eq!(
            en.size(3_224_128_872),
            crate::units::human_size(3_224_128_872)
        );
        assert_eq!(en.size(1), "1 byte");
        assert_eq!(en.count("count-files", 12_000), "12,000 files");
        let at = UtcTime::parse_rfc3339("2026-12-07T06:44:16Z").expect("time");
        assert_eq!(en.date_time(&at), "2026-12-07T06:44:16Z");
        let fr = Texts::new(Lang::Fr);
        assert_eq!(
            fr.number(3_224_128_872),
            "3\u{202f}224\u{202f}128\u{202f}872"
        );
        assert!(fr.date_time(&at).contains("décembre 2026"));
        assert!(fr.date_time(&at).contains("2026-12-07T06:44:16Z"));
    }
}
