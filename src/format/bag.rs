//! BagIt tag files (RFC 8493), read and write: `bagit.txt`, `bag-info.txt`
//! and manifests.
//!
//! Readers take untrusted bytes and never panic; every error names the file
//! and, where there is one, the line. Lines may end in LF, CRLF or a lone CR
//! (all three are BagIt newlines); a missing newline at the end of the file
//! is tolerated. Writers always produce LF.
//!
//! Tag files other than `bagit.txt` are in the encoding `bagit.txt`
//! declares: [`decode_tag_file`] turns their bytes into text, and the
//! `*_text` parsers read that text. The byte parsers (`BagInfo::parse`,
//! [`parse_manifest_file`]) read UTF-8, what exhibit writes.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::format::paths::{percent_decode, percent_encode};
use crate::limits::MAX_MANIFEST_LINE;

/// The bag declaration this tool writes.
pub const BAGIT_TXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
/// File name of the bag declaration.
pub const BAGIT_TXT_NAME: &str = "bagit.txt";
/// File name of the bag metadata.
pub const BAG_INFO_NAME: &str = "bag-info.txt";
/// The bag-info label holding [`PayloadOxum`].
pub const PAYLOAD_OXUM_LABEL: &str = "Payload-Oxum";
/// File name of the bag metadata before BagIt 0.96.
pub const PACKAGE_INFO_NAME: &str = "package-info.txt";
/// File name of the list of payload files held outside the bag.
pub const FETCH_NAME: &str = "fetch.txt";
/// BagIt versions this tool reads: RFC 8493 (1.0) and the drafts before it
/// that bags in the wild declare. Which of them a given bag may declare is
/// for the verifier to decide (exhibit bundles: 1.0 and 0.97).
pub const SUPPORTED_VERSIONS: [&str; 6] = ["1.0", "0.97", "0.96", "0.95", "0.94", "0.93"];

/// U+FEFF: a byte-order mark when it starts a file, so never a label's start.
const ZERO_WIDTH_NO_BREAK_SPACE: char = '\u{FEFF}';

/// Longest excerpt of hostile input quoted in an error message.
const EXCERPT_CHARS: usize = 80;

/// A tag file that cannot be used. Variants carry the file name and, where
/// one applies, the 1-based line number.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum BagError {
    #[error("{file}: starts with a byte-order mark, which BagIt tag files must not have")]
    ByteOrderMark { file: String },
    #[error("{file} line {line}: not valid UTF-8")]
    NotUtf8 { file: String, line: usize },
    #[error("{file} line {line}: not valid {encoding}, the encoding bagit.txt declares")]
    NotInEncoding {
        file: String,
        line: usize,
        encoding: &'static str,
    },
    #[error("{file} line {line}: {reason}")]
    Malformed {
        file: String,
        line: usize,
        reason: String,
    },
    #[error("{file} line {line}: unsupported BagIt version {version:?} (supported: 1.0, 0.97, 0.96, 0.95, 0.94, 0.93)")]
    UnsupportedVersion {
        file: String,
        line: usize,
        version: String,
    },
    #[error("{file} line {line}: unsupported tag file character encoding {encoding:?} (supported: {})", TagEncoding::NAMES.join(", "))]
    UnsupportedEncoding {
        file: String,
        line: usize,
        encoding: String,
    },
    #[error("{file} line {line}: invalid digest {digest:?}: {reason}")]
    InvalidDigest {
        file: String,
        line: usize,
        digest: String,
        reason: String,
    },
    #[error("{file} line {line}: {path:?} is listed more than once (first at line {first_line})")]
    DuplicateEntry {
        file: String,
        path: String,
        line: usize,
        first_line: usize,
    },
    #[error("{file}: invalid label {label:?}: {reason}")]
    InvalidLabel {
        file: String,
        label: String,
        reason: &'static str,
    },
    #[error("{file}: invalid value for {label:?}: {reason}")]
    InvalidValue {
        file: String,
        label: String,
        reason: &'static str,
    },
    #[error("{file}{}: invalid Payload-Oxum {value:?}: {reason}", at_line(*.line))]
    InvalidPayloadOxum {
        file: String,
        line: Option<usize>,
        value: String,
        reason: &'static str,
    },
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(" line {l}")).unwrap_or_default()
}

impl BagError {
    /// The tag file concerned.
    pub fn file(&self) -> &str {
        match self {
            BagError::ByteOrderMark { file }
            | BagError::NotUtf8 { file, .. }
            | BagError::NotInEncoding { file, .. }
            | BagError::Malformed { file, .. }
            | BagError::UnsupportedVersion { file, .. }
            | BagError::UnsupportedEncoding { file, .. }
            | BagError::InvalidDigest { file, .. }
            | BagError::DuplicateEntry { file, .. }
            | BagError::InvalidLabel { file, .. }
            | BagError::InvalidValue { file, .. }
            | BagError::InvalidPayloadOxum { file, .. } => file,
        }
    }

    /// The 1-based line concerned, when the error is about one line.
    pub fn line(&self) -> Option<usize> {
        match self {
            BagError::NotUtf8 { line, .. }
            | BagError::NotInEncoding { line, .. }
            | BagError::Malformed { line, .. }
            | BagError::UnsupportedVersion { line, .. }
            | BagError::UnsupportedEncoding { line, .. }
            | BagError::InvalidDigest { line, .. }
            | BagError::DuplicateEntry { line, .. } => Some(*line),
            BagError::InvalidPayloadOxum { line, .. } => *line,
            BagError::ByteOrderMark { .. }
            | BagError::InvalidLabel { .. }
            | BagError::InvalidValue { .. } => None,
        }
    }
}

fn malformed(file: &str, line: usize, reason: impl Into<String>) -> BagError {
    BagError::Malformed {
        file: file.to_owned(),
        line,
        reason: reason.into(),
    }
}

/// At most [`EXCERPT_CHARS`] characters of `s`, for quoting hostile input.
fn excerpt(s: &str) -> String {
    match s.char_indices().nth(EXCERPT_CHARS) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

/// Checks a whole tag file is UTF-8 without a byte-order mark.
fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, BagError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(BagError::ByteOrderMark {
            file: file.to_owned(),
        });
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let mut line = 1;
        for (i, b) in good.iter().enumerate() {
            let crlf = *b == b'\r' && bytes.get(i + 1) == Some(&b'\n');
            if *b == b'\n' || (*b == b'\r' && !crlf) {
                line += 1;
            }
        }
        BagError::NotUtf8 {
            file: file.to_owned(),
            line,
        }
    })
}

/// The 1-based line that starts after `before` (LF, CRLF and a lone CR
/// each end one line).
fn line_after(before: impl IntoIterator<Item = char>) -> usize {
    let mut line = 1;
    let mut after_cr = false;
    for c in before {
        match c {
            '\n' if after_cr => {}
            '\n' | '\r' => line += 1,
            _ => {}
        }
        after_cr = c == '\r';
    }
    line
}

/// A character encoding a bag may declare for its tag files in
/// `Tag-File-Character-Encoding` (`bagit.txt` itself is always UTF-8).
/// Names are the IANA charset names and aliases, compared ignoring ASCII
/// case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TagEncoding {
    /// UTF-8 without a byte-order mark: what exhibit writes.
    Utf8,
    /// US-ASCII: bytes 0x00 to 0x7F only.
    Ascii,
    /// ISO-8859-1: each byte is the code point of the same number (0x80 to
    /// 0x9F are the C1 controls, not the windows-1252 characters).
    Latin1,
    /// UTF-16 in the byte order its byte-order mark gives (the mark is not
    /// part of the text); big-endian without one (RFC 2781 section 4.3).
    Utf16,
    /// UTF-16 big-endian; a leading U+FEFF is text, not a mark.
    Utf16Be,
    /// UTF-16 little-endian; a leading U+FEFF is text, not a mark.
    Utf16Le,
}

impl TagEncoding {
    /// Every encoding, in the order of [`TagEncoding::NAMES`].
    pub const ALL: [TagEncoding; 6] = [
        TagEncoding::Utf8,
        TagEncoding::Ascii,
        TagEncoding::Latin1,
        TagEncoding::Utf16,
        TagEncoding::Utf16Be,
        TagEncoding::Utf16Le,
    ];

    /// The canonical names, in the order error messages list them.
    pub const NAMES: [&'static str; 6] = [
        "UTF-8",
        "US-ASCII",
        "ISO-8859-1",
        "UTF-16",
        "UTF-16BE",
        "UTF-16LE",
    ];

    /// The encoding a `Tag-File-Character-Encoding` value names, if this
    /// tool can decode it.
    pub fn from_label(label: &str) -> Option<TagEncoding> {
        const LABELS: &[(&str, TagEncoding)] = &[
            ("UTF-8", TagEncoding::Utf8),
            ("US-ASCII", TagEncoding::Ascii),
            ("ASCII", TagEncoding::Ascii),
            ("ANSI_X3.4-1968", TagEncoding::Ascii),
            ("ISO646-US", TagEncoding::Ascii),
            ("ISO-8859-1", TagEncoding::Latin1),
            ("ISO_8859-1", TagEncoding::Latin1),
            ("ISO_8859-1:1987", TagEncoding::Latin1),
            ("ISO-IR-100", TagEncoding::Latin1),
            ("LATIN1", TagEncoding::Latin1),
            ("L1", TagEncoding::Latin1),
            ("IBM819", TagEncoding::Latin1),
            ("CP819", TagEncoding::Latin1),
            ("CSISOLATIN1", TagEncoding::Latin1),
            ("UTF-16", TagEncoding::Utf16),
            ("UTF-16BE", TagEncoding::Utf16Be),
            ("UTF-16LE", TagEncoding::Utf16Le),
        ];
        LABELS
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(label))
            .map(|(_, encoding)| *encoding)
    }

    /// The canonical name (`UTF-8`, `ISO-8859-1`, ...).
    pub fn name(self) -> &'static str {
        match self {
            TagEncoding::Utf8 => Self::NAMES[0],
            TagEncoding::Ascii => Self::NAMES[1],
            TagEncoding::Latin1 => Self::NAMES[2],
            TagEncoding::Utf16 => Self::NAMES[3],
            TagEncoding::Utf16Be => Self::NAMES[4],
            TagEncoding::Utf16Le => Self::NAMES[5],
        }
    }
}

impl fmt::Display for TagEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Decodes a whole tag file (not `bagit.txt`) from the encoding `bagit.txt`
/// declares. Never panics, for any bytes.
///
/// - UTF-8: must be valid and must not start with a byte-order mark
///   (exactly what [`BagInfo::parse`] and [`parse_manifest_file`] accept);
///   the text is borrowed, byte for byte the input.
/// - US-ASCII: every byte below 0x80.
/// - ISO-8859-1: always decodes.
/// - UTF-16: an even number of bytes, surrogates in pairs; for `UTF-16`,
///   a leading byte-order mark picks the byte order and is dropped.
///
/// Errors name `file` and the line where decoding stopped.
pub fn decode_tag_file<'a>(
    file: &str,
    bytes: &'a [u8],
    encoding: TagEncoding,
) -> Result<Cow<'a, str>, BagError> {
    let not_in = |line| BagError::NotInEncoding {
        file: file.to_owned(),
        line,
        encoding: encoding.name(),
    };
    match encoding {
        TagEncoding::Utf8 => decode(file, bytes).map(Cow::Borrowed),
        TagEncoding::Ascii => match bytes.iter().position(|b| !b.is_ascii()) {
            // ASCII is UTF-8: borrow it as it is.
            None => Ok(Cow::Borrowed(
                std::str::from_utf8(bytes).map_err(|_| not_in(1))?,
            )),
            Some(at) => Err(not_in(line_after(
                bytes[..at].iter().map(|&b| char::from(b)),
            ))),
        },
        TagEncoding::Latin1 => Ok(match std::str::from_utf8(bytes) {
            Ok(text) if bytes.is_ascii() => Cow::Borrowed(text),
            _ => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
        }),
        TagEncoding::Utf16 | TagEncoding::Utf16Be | TagEncoding::Utf16Le => {
            let (big_endian, body) = match (encoding, bytes) {
                (TagEncoding::Utf16, [0xFE, 0xFF, rest @ ..]) => (true, rest),
                (TagEncoding::Utf16, [0xFF, 0xFE, rest @ ..]) => (false, rest),
                (TagEncoding::Utf16Le, _) => (false, bytes),
                _ => (true, bytes),
            };
            let units = body.chunks_exact(2).map(|pair| {
                if big_endian {
                    u16::from_be_bytes([pair[0], pair[1]])
                } else {
                    u16::from_le_bytes([pair[0], pair[1]])
                }
            });
            let mut text = String::with_capacity(body.len() / 2);
            for c in char::decode_utf16(units) {
                match c {
                    Ok(c) => text.push(c),
                    Err(_) => return Err(not_in(line_after(text.chars()))),
                }
            }
            if body.len() % 2 == 1 {
                return Err(not_in(line_after(text.chars())));
            }
            Ok(Cow::Owned(text))
        }
    }
}

/// Lines of a tag file with their 1-based numbers, split at LF, CRLF or CR.
/// A terminator at the very end does not start another line.
fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = Some(text);
    let mut number = 0;
    std::iter::from_fn(move || {
        let current = rest?;
        if current.is_empty() {
            rest = None;
            return None;
        }
        number += 1;
        match current.find(['\r', '\n']) {
            Some(at) => {
                let skip = if current[at..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                rest = Some(&current[at + skip..]);
                Some((number, &current[..at]))
            }
            None => {
                rest = None;
                Some((number, current))
            }
        }
    })
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ' || b == b'\t')
}

fn trim_ws(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

// ---------------------------------------------------------------------------
// bagit.txt

/// The bag declaration, `bagit.txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BagitDeclaration {
    /// One of [`SUPPORTED_VERSIONS`].
    pub version: String,
    /// The encoding's name as the file spells it.
    pub encoding: String,
    /// The encoding the other tag files are in.
    pub tag_encoding: TagEncoding,
}

impl BagitDeclaration {
    /// The version as `(major, minor)`: `(1, 0)`, `(0, 97)`, ...
    pub fn version_number(&self) -> (u32, u32) {
        parse_version(&self.version).unwrap_or((0, 0))
    }
}

/// `M.N`, both decimal digits only.
fn parse_version(version: &str) -> Option<(u32, u32)> {
    let (major, minor) = version.split_once('.')?;
    let number = |digits: &str| {
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
    };
    Some((number(major)?, number(minor)?))
}

/// Parses `bagit.txt`: exactly the two lines `BagIt-Version: M.N` and
/// `Tag-File-Character-Encoding: ENCODING`, in that order, UTF-8 without a
/// byte-order mark (RFC 8493 section 2.1.1). The version must be one of
/// [`SUPPORTED_VERSIONS`]; the encoding one [`TagEncoding::from_label`]
/// knows.
pub fn parse_bagit_txt(bytes: &[u8]) -> Result<BagitDeclaration, BagError> {
    let file = BAGIT_TXT_NAME;
    let text = decode(file, bytes)?;
    let mut lines = numbered_lines(text);
    let mut field = |label: &str| -> Result<(usize, String), BagError> {
        let Some((number, line)) = lines.next() else {
            let missing = numbered_lines(text).count() + 1;
            return Err(malformed(
                file,
                missing,
                format!("missing the {label} line"),
            ));
        };
        match line.split_once(':') {
            Some((found, value)) if found == label => Ok((number, trim_ws(value).to_owned())),
            _ => Err(malformed(
                file,
                number,
                format!("expected \"{label}: ...\", found {:?}", excerpt(line)),
            )),
        }
    };
    let (version_line, version) = field("BagIt-Version")?;
    let (encoding_line, encoding) = field("Tag-File-Character-Encoding")?;
    if let Some((number, _)) = lines.next() {
        return Err(malformed(
            file,
            number,
            "bagit.txt must have exactly two lines",
        ));
    }
    if !SUPPORTED_VERSIONS.contains(&version.as_str()) {
        return Err(BagError::UnsupportedVersion {
            file: file.to_owned(),
            line: version_line,
            version: excerpt(&version),
        });
    }
    let Some(tag_encoding) = TagEncoding::from_label(&encoding) else {
        return Err(BagError::UnsupportedEncoding {
            file: file.to_owned(),
            line: encoding_line,
            encoding: excerpt(&encoding),
        });
    };
    Ok(BagitDeclaration {
        version,
        encoding,
        tag_encoding,
    })
}

// ---------------------------------------------------------------------------
// bag-info.txt

/// `bag-info.txt`: ordered `Label: value` entries; labels may repeat.
#[derive(Debug, Clone, Default)]
pub struct BagInfo {
    entries: Vec<(String, String)>,
    /// Line of each entry when it was parsed from a file.
    lines: Vec<Option<usize>>,
    /// The file it was parsed from when that is not `bag-info.txt`
    /// (`package-info.txt` before BagIt 0.96).
    file: Option<String>,
}

impl PartialEq for BagInfo {
    /// Equal when the entries are; where they were read from does not matter.
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Eq for BagInfo {}

impl BagInfo {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an entry.
    ///
    /// Refused: an empty label, a label with `:`, a line break,
    /// leading/trailing whitespace or a leading U+FEFF; a value with CR or LF, or with
    /// leading/trailing spaces or tabs (readers trim those, so they would not
    /// survive a round trip).
    pub fn push(&mut self, label: &str, value: &str) -> Result<(), BagError> {
        let bad_label = |reason| BagError::InvalidLabel {
            file: BAG_INFO_NAME.to_owned(),
            label: excerpt(label),
            reason,
        };
        if label.is_empty() {
            return Err(bad_label("empty label"));
        }
        if label.contains(':') {
            return Err(bad_label("labels cannot contain ':'"));
        }
        if label.contains(['\r', '\n']) {
            return Err(bad_label("labels cannot contain a line break"));
        }
        if label.trim() != label {
            return Err(bad_label("labels cannot start or end with whitespace"));
        }
        if label.starts_with(ZERO_WIDTH_NO_BREAK_SPACE) {
            return Err(bad_label(
                "labels cannot start with U+FEFF (first in the file, it is a byte-order mark)",
            ));
        }
        let bad_value = |reason| BagError::InvalidValue {
            file: BAG_INFO_NAME.to_owned(),
            label: excerpt(label),
            reason,
        };
        if value.contains(['\r', '\n']) {
            return Err(bad_value("values cannot contain a line break"));
        }
        if trim_ws(value) != value {
            return Err(bad_value("values cannot start or end with a space or tab"));
        }
        self.entries.push((label.to_owned(), value.to_owned()));
        self.lines.push(None);
        Ok(())
    }

    /// Parses `bag-info.txt`: UTF-8, `Label: value` lines (whitespace around
    /// label and value is trimmed); a line starting with a space or tab
    /// continues the previous value and is joined to it with a single space.
    /// Blank lines are skipped. A label starting with U+FEFF is refused, so
    /// that whatever parses is written back by [`BagInfo::to_bytes`] as a
    /// file that parses (never starting with a byte-order mark).
    pub fn parse(bytes: &[u8]) -> Result<Self, BagError> {
        Self::parse_text(BAG_INFO_NAME, decode(BAG_INFO_NAME, bytes)?)
    }

    /// Parses decoded text (see [`decode_tag_file`]) as [`BagInfo::parse`]
    /// does; errors name `file`.
    pub fn parse_text(file: &str, text: &str) -> Result<Self, BagError> {
        let mut info = BagInfo::new();
        if file != BAG_INFO_NAME {
            info.file = Some(file.to_owned());
        }
        for (number, line) in numbered_lines(text) {
            if is_blank(line) {
                continue;
            }
            if line.starts_with([' ', '\t']) {
                let Some((_, value)) = info.entries.last_mut() else {
                    return Err(malformed(
                        file,
                        number,
                        "continuation line before any label",
                    ));
                };
                if !value.is_empty() {
                    value.push(' ');
                }
                value.push_str(trim_ws(line));
                continue;
            }
            let Some((label, value)) = line.split_once(':') else {
                return Err(malformed(
                    file,
                    number,
                    format!("expected \"Label: value\", found {:?}", excerpt(line)),
                ));
            };
            let label = trim_ws(label);
            if label.is_empty() {
                return Err(malformed(file, number, "empty label"));
            }
            if label.starts_with(ZERO_WIDTH_NO_BREAK_SPACE) {
                // Written back first in the file it would be a byte-order mark.
                return Err(malformed(file, number, "label starts with U+FEFF"));
            }
            info.entries
                .push((label.to_owned(), trim_ws(value).to_owned()));
            info.lines.push(Some(number));
        }
        Ok(info)
    }

    /// `Label: value\n` for every entry, in order.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = String::new();
        for (label, value) in &self.entries {
            out.push_str(label);
            out.push_str(": ");
            out.push_str(value);
            out.push('\n');
        }
        out.into_bytes()
    }

    /// The first value whose label matches (ASCII case-insensitive).
    pub fn get(&self, label: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case(label))
            .map(|(_, v)| v.as_str())
    }

    /// Every value whose label matches (ASCII case-insensitive), in order.
    pub fn get_all(&self, label: &str) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|(l, _)| l.eq_ignore_ascii_case(label))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn entries(&self) -> &[(String, String)] {
        &self.entries
    }

    /// The `Payload-Oxum` entry: `None` when absent; an error when it is
    /// malformed or given more than once.
    pub fn payload_oxum(&self) -> Option<Result<PayloadOxum, BagError>> {
        let mut found = self
            .entries
            .iter()
            .zip(&self.lines)
            .filter(|((l, _), _)| l.eq_ignore_ascii_case(PAYLOAD_OXUM_LABEL));
        let ((_, value), line) = found.next()?;
        let file = self.file.as_deref().unwrap_or(BAG_INFO_NAME);
        if let Some(((_, again), line_again)) = found.next() {
            return Some(Err(BagError::InvalidPayloadOxum {
                file: file.to_owned(),
                line: *line_again,
                value: excerpt(again),
                reason: "Payload-Oxum is given more than once",
            }));
        }
        Some(PayloadOxum::parse_at(value, *line).map_err(|e| match e {
            BagError::InvalidPayloadOxum {
                line,
                value,
                reason,
                ..
            } => BagError::InvalidPayloadOxum {
                file: file.to_owned(),
                line,
                value,
                reason,
            },
            other => other,
        }))
    }
}

/// `Payload-Oxum`: total payload bytes and file count, written
/// `<octets>.<streams>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayloadOxum {
    pub octets: u64,
    pub streams: u64,
}

impl PayloadOxum {
    fn parse_at(value: &str, line: Option<usize>) -> Result<Self, BagError> {
        let err = |reason| BagError::InvalidPayloadOxum {
            file: BAG_INFO_NAME.to_owned(),
            line,
            value: excerpt(value),
            reason,
        };
        let (octets, streams) = value
            .split_once('.')
            .ok_or_else(|| err("expected <octets>.<streams>, found no '.'"))?;
        let number = |digits: &str| -> Result<u64, BagError> {
            // u64::from_str also takes a leading '+': check digits first.
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("expected <octets>.<streams>, both decimal digits only"));
            }
            digits.parse().map_err(|_| err("number too large"))
        };
        Ok(PayloadOxum {
            octets: number(octets)?,
            streams: number(streams)?,
        })
    }
}

impl FromStr for PayloadOxum {
    type Err = BagError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PayloadOxum::parse_at(s, None)
    }
}

impl fmt::Display for PayloadOxum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.octets, self.streams)
    }
}

// ---------------------------------------------------------------------------
// Manifests

/// One line of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestLine {
    /// Lowercase hex (uppercase in the file is accepted and lowered).
    pub digest: String,
    /// The file path, percent-decoded; not yet validated as a bag path.
    pub path: String,
    /// 1-based line number in the manifest.
    pub line: usize,
}

/// A manifest line that lists a path again (plain bags of the drafts
/// before RFC 8493 may; the first line is the one kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatedLine {
    pub path: String,
    pub line: usize,
    pub first_line: usize,
    /// It repeats the digest of the first line.
    pub same_digest: bool,
}

/// Keeps the first line of each path; every later one is returned as a
/// [`RepeatedLine`], in path order, then line order.
pub fn drop_repeated_lines(lines: Vec<ManifestLine>) -> (Vec<ManifestLine>, Vec<RepeatedLine>) {
    // Sorting indices costs 8 bytes a line, less than a set of paths.
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| lines[a].path.cmp(&lines[b].path).then(a.cmp(&b)));
    let mut repeat = vec![false; lines.len()];
    let mut repeats = Vec::new();
    let mut first = None;
    for pair in order.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if lines[a].path != lines[b].path {
            first = None;
            continue;
        }
        let first = *first.get_or_insert(a);
        repeat[b] = true;
        let (kept, again) = (&lines[first], &lines[b]);
        repeats.push(RepeatedLine {
            path: again.path.clone(),
            line: again.line,
            first_line: kept.line,
            same_digest: kept.digest == again.digest,
        });
    }
    let kept = lines
        .into_iter()
        .zip(repeat)
        .filter_map(|(line, repeat)| (!repeat).then_some(line))
        .collect();
    (kept, repeats)
}

/// Parses a manifest; errors name the file generically as "manifest". Use
/// [`parse_manifest_file`] to have them name the actual file.
pub fn parse_manifest(bytes: &[u8], digest_hex_len: usize) -> Result<Vec<ManifestLine>, BagError> {
    parse_manifest_file("manifest", bytes, digest_hex_len)
}

/// Parses a manifest (RFC 8493 section 2.1.3): `checksum<whitespace>filepath`
/// per line, one or more spaces or tabs between, the path percent-decoded
/// (`%25`, `%0D`, `%0A`). No binary marker is recognised: a `*` before the
/// path is part of the path (see [`foreign_path_prefixes`]). Digests must be `digest_hex_len` hex digits;
/// uppercase is accepted and lowered. Blank lines are skipped. A path listed
/// twice is [`BagError::DuplicateEntry`]. Errors name `file_name`.
pub fn parse_manifest_file(
    file_name: &str,
    bytes: &[u8],
    digest_hex_len: usize,
) -> Result<Vec<ManifestLine>, BagError> {
    parse_manifest_text(file_name, decode(file_name, bytes)?, digest_hex_len)
}

/// [`parse_manifest_file`] on decoded text (see [`decode_tag_file`]).
pub fn parse_manifest_text(
    file_name: &str,
    text: &str,
    digest_hex_len: usize,
) -> Result<Vec<ManifestLine>, BagError> {
    let out = parse_manifest_lines(file_name, text, digest_hex_len)?;
    check_duplicates(file_name, &out)?;
    Ok(out)
}

/// Every line of a manifest as [`parse_manifest_text`] reads it, in file
/// order, without refusing a path listed more than once: for callers that
/// judge repeated paths themselves.
pub fn parse_manifest_lines(
    file_name: &str,
    text: &str,
    digest_hex_len: usize,
) -> Result<Vec<ManifestLine>, BagError> {
    let mut out = Vec::new();
    for (number, line) in numbered_lines(text) {
        out.extend(parse_manifest_line(
            file_name,
            number,
            line,
            digest_hex_len,
        )?);
    }
    Ok(out)
}

/// One line of a manifest, numbered `number`, as [`parse_manifest_lines`]
/// reads it (`None` for a blank line): for callers that stream a manifest
/// line by line (see [`TextLines`]).
pub fn parse_manifest_line(
    file_name: &str,
    number: usize,
    line: &str,
    digest_hex_len: usize,
) -> Result<Option<ManifestLine>, BagError> {
    check_line_length(file_name, number, line)?;
    if is_blank(line) {
        return Ok(None);
    }
    let Some(gap) = line.find([' ', '\t']) else {
        return Err(malformed(
            file_name,
            number,
            format!("expected \"<digest> <path>\", found {:?}", excerpt(line)),
        ));
    };
    let digest = &line[..gap];
    if digest.is_empty() {
        return Err(malformed(
            file_name,
            number,
            "line starts with whitespace, expected a digest",
        ));
    }
    let path = line[gap..].trim_start_matches([' ', '\t']);
    if path.is_empty() {
        return Err(malformed(
            file_name,
            number,
            "missing file path after the digest",
        ));
    }
    let bad_digest = |reason: String| BagError::InvalidDigest {
        file: file_name.to_owned(),
        line: number,
        digest: excerpt(digest),
        reason,
    };
    if !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad_digest("not hexadecimal".to_owned()));
    }
    if digest.len() != digest_hex_len {
        return Err(bad_digest(format!(
            "{} hex digits, expected {digest_hex_len}",
            digest.len()
        )));
    }
    Ok(Some(ManifestLine {
        digest: digest.to_ascii_lowercase(),
        path: percent_decode(path).into_owned(),
        line: number,
    }))
}

/// The error [`parse_manifest_text`] gives for `path` listed again at
/// `line` (first at `first_line`), for callers that find repeats themselves.
pub fn duplicate_entry(file_name: &str, path: &str, line: usize, first_line: usize) -> BagError {
    BagError::DuplicateEntry {
        file: file_name.to_owned(),
        path: excerpt(path),
        line,
        first_line,
    }
}

/// The lines of a UTF-8 tag file read from a stream, numbered and split
/// exactly as the whole-file parsers split them (LF, CRLF or a lone CR end
/// a line), so a manifest of a million lines is never held whole. Only the
/// current line is buffered.
pub struct TextLines<R> {
    reader: R,
    file: String,
    buf: Vec<u8>,
    /// `buf[pos..filled]` is not yet returned.
    pos: usize,
    filled: usize,
    /// Bytes after `pos` already searched for a line end (a long line is
    /// searched once, not again after every read).
    scanned: usize,
    eof: bool,
    number: usize,
    started: bool,
}

/// Why [`TextLines::next_line`] stopped.
#[derive(Debug, thiserror::Error)]
pub enum TextLinesError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Bag(#[from] BagError),
}

impl<R: std::io::Read> TextLines<R> {
    const CHUNK: usize = 64 << 10;

    pub fn new(file: &str, reader: R) -> Self {
        TextLines {
            reader,
            file: file.to_owned(),
            buf: Vec::new(),
            pos: 0,
            filled: 0,
            scanned: 0,
            eof: false,
            number: 0,
            started: false,
        }
    }

    /// The reader, once the lines are read.
    pub fn into_inner(self) -> R {
        self.reader
    }

    /// Reads more bytes after `filled`, keeping `buf[pos..filled]`.
    fn fill(&mut self) -> std::io::Result<()> {
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.pos = 0;
        }
        if self.buf.len() < self.filled + Self::CHUNK {
            // Doubling: a long line costs linear time.
            let len = (self.filled + Self::CHUNK).max(self.buf.len() * 2);
            self.buf.resize(len, 0);
        }
        loop {
            match self.reader.read(&mut self.buf[self.filled..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.filled += n;
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The next line and its 1-based number; `None` at the end. A
    /// byte-order mark, or a line that is not UTF-8, is the error the
    /// whole-file decoding gives for it.
    pub fn next_line(&mut self) -> Result<Option<(usize, &str)>, TextLinesError> {
        if !self.started {
            while !self.eof && self.filled < 3 {
                self.fill()?;
            }
            self.started = true;
            if self.buf[..self.filled].starts_with(&[0xEF, 0xBB, 0xBF]) {
                return Err(BagError::ByteOrderMark {
                    file: self.file.clone(),
                }
                .into());
            }
        }
        let (start, end, next) = loop {
            let pending = &self.buf[self.pos..self.filled];
            let found = pending[self.scanned..]
                .iter()
                .position(|&b| b == b'\n' || b == b'\r')
                .map(|at| at + self.scanned);
            match found {
                // A CR at the end of what was read may be half of a CRLF.
                Some(at) if pending[at] == b'\r' && at + 1 == pending.len() && !self.eof => {
                    self.scanned = at;
                    self.fill()?
                }
                Some(at) => {
                    let skip = if pending[at..].starts_with(b"\r\n") {
                        2
                    } else {
                        1
                    };
                    break (self.pos, self.pos + at, self.pos + at + skip);
                }
                None if self.eof => {
                    if pending.is_empty() {
                        return Ok(None);
                    }
                    break (self.pos, self.filled, self.filled);
                }
                None => {
                    self.scanned = pending.len();
                    self.fill()?
                }
            }
        };
        self.pos = next;
        self.scanned = 0;
        self.number += 1;
        match std::str::from_utf8(&self.buf[start..end]) {
            Ok(line) => Ok(Some((self.number, line))),
            Err(_) => Err(BagError::NotUtf8 {
                file: self.file.clone(),
                line: self.number,
            }
            .into()),
        }
    }
}

/// A manifest read again line by line in path order, for the digests of
/// the paths asked in that same order: the payload is hashed in batches,
/// and a manifest written in payload order need not be held whole.
pub struct ManifestCursor<R> {
    lines: TextLines<R>,
    file: String,
    hex_len: usize,
    /// The next line: (path, lowercase hex digest).
    pending: Option<(String, String)>,
    /// The end was reached, or a line did not read or parse.
    done: bool,
    failed: bool,
}

impl<R: std::io::Read> ManifestCursor<R> {
    /// A cursor over `reader`, the manifest `file` with digests of
    /// `hex_len` hex digits; `failed` when it could not be opened at all.
    pub fn new(file: &str, reader: R, hex_len: usize, failed: bool) -> Self {
        ManifestCursor {
            lines: TextLines::new(file, reader),
            file: file.to_owned(),
            hex_len,
            pending: None,
            done: failed,
            failed,
        }
    }

    /// The next line, read on first need.
    fn peek(&mut self) -> Option<&(String, String)> {
        while self.pending.is_none() && !self.done {
            match self.lines.next_line() {
                Ok(Some((number, line))) => {
                    match parse_manifest_line(&self.file, number, line, self.hex_len) {
                        Ok(Some(line)) => self.pending = Some((line.path, line.digest)),
                        Ok(None) => {}
                        Err(_) => (self.done, self.failed) = (true, true),
                    }
                }
                Ok(None) => self.done = true,
                Err(_) => (self.done, self.failed) = (true, true),
            }
        }
        self.pending.as_ref()
    }

    /// Writes the digest listed for `path` into `out`; false when the
    /// manifest does not list it. Paths must be asked in path order.
    pub fn digest_for(&mut self, path: &str, out: &mut [u8]) -> bool {
        while let Some((listed, digest)) = self.peek() {
            match listed.as_str().cmp(path) {
                std::cmp::Ordering::Less => self.pending = None,
                std::cmp::Ordering::Equal => {
                    let found = hex::decode_to_slice(digest, out).is_ok();
                    self.pending = None;
                    return found;
                }
                std::cmp::Ordering::Greater => return false,
            }
        }
        false
    }

    /// Reads to the end and gives the reader back; `None` when a line
    /// could not be read or parsed.
    pub fn finish(mut self) -> Option<R> {
        while self.peek().is_some() {
            self.pending = None;
        }
        (!self.failed).then(|| self.lines.into_inner())
    }
}

/// What [`foreign_path_prefixes`] found before a manifest path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ForeignPrefixes {
    /// md5sum's binary-mode marker: `<digest> *<path>`.
    pub binary_marker: bool,
    /// One or more `./` before the path.
    pub dot_slash: bool,
}

/// A manifest path without the prefixes other tools write before it and
/// RFC 8493 does not define: md5sum's binary-mode `*`, then any number of
/// `./`. exhibit never writes either; whether to read a path this way is
/// the verifier's decision.
pub fn foreign_path_prefixes(path: &str) -> (&str, ForeignPrefixes) {
    let mut found = ForeignPrefixes::default();
    let mut rest = path;
    if let Some(after) = rest.strip_prefix('*') {
        found.binary_marker = true;
        rest = after;
    }
    while let Some(after) = rest.strip_prefix("./") {
        found.dot_slash = true;
        rest = after;
    }
    (rest, found)
}

// ---------------------------------------------------------------------------
// fetch.txt

/// One line of `fetch.txt`: a payload file to be fetched from elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchLine {
    pub url: String,
    /// Its size in bytes; `None` for `-` (unknown).
    pub length: Option<u64>,
    /// The file path, percent-decoded; not yet validated as a bag path.
    pub path: String,
    /// 1-based line number.
    pub line: usize,
}

/// A manifest or `fetch.txt` line longer than any real path is hostile.
fn check_line_length(file_name: &str, number: usize, line: &str) -> Result<(), BagError> {
    if line.len() > MAX_MANIFEST_LINE {
        return Err(malformed(
            file_name,
            number,
            format!(
                "line of {} bytes is longer than any real path ({MAX_MANIFEST_LINE} bytes at most)",
                line.len()
            ),
        ));
    }
    Ok(())
}

/// Parses `fetch.txt` text (RFC 8493 section 2.2.3): `url length filepath`
/// per line, separated by spaces or tabs; `length` is decimal digits or
/// `-`; the path is the rest of the line, percent-decoded like a manifest
/// path. Blank lines are skipped. Errors name `file_name` and the line.
pub fn parse_fetch_text(file_name: &str, text: &str) -> Result<Vec<FetchLine>, BagError> {
    let mut out = Vec::new();
    for (number, line) in numbered_lines(text) {
        check_line_length(file_name, number, line)?;
        if is_blank(line) {
            continue;
        }
        let expected = || {
            malformed(
                file_name,
                number,
                format!(
                    "expected \"<url> <length> <path>\", found {:?}",
                    excerpt(line)
                ),
            )
        };
        let (url, rest) = line.split_once([' ', '\t']).ok_or_else(expected)?;
        let rest = rest.trim_start_matches([' ', '\t']);
        let (length, path) = rest.split_once([' ', '\t']).ok_or_else(expected)?;
        let path = path.trim_start_matches([' ', '\t']);
        if url.is_empty() || path.is_empty() {
            return Err(expected());
        }
        let length = match length {
            "-" => None,
            digits if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => Some(
                digits
                    .parse()
                    .map_err(|_| malformed(file_name, number, "length too large"))?,
            ),
            other => {
                return Err(malformed(
                    file_name,
                    number,
                    format!(
                        "length must be decimal digits or '-', found {:?}",
                        excerpt(other)
                    ),
                ))
            }
        };
        out.push(FetchLine {
            url: url.to_owned(),
            length,
            path: percent_decode(path).into_owned(),
            line: number,
        });
    }
    Ok(out)
}

/// Reports the earliest line that repeats a path listed before it.
fn check_duplicates(file_name: &str, lines: &[ManifestLine]) -> Result<(), BagError> {
    // Sorting indices costs 8 bytes per entry, less than a hash set of paths.
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| lines[a].path.cmp(&lines[b].path).then(a.cmp(&b)));
    let mut worst: Option<(usize, usize)> = None; // (duplicate, first)
    let mut group_first = None;
    for pair in order.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if lines[a].path == lines[b].path {
            let first = *group_first.get_or_insert(a);
            if worst.is_none_or(|(dup, _)| b < dup) {
                worst = Some((b, first));
            }
        } else {
            group_first = None;
        }
    }
    match worst {
        None => Ok(()),
        Some((dup, first)) => Err(BagError::DuplicateEntry {
            file: file_name.to_owned(),
            path: excerpt(&lines[dup].path),
            line: lines[dup].line,
            first_line: lines[first].line,
        }),
    }
}

/// Writes manifest lines `<hex>  <percent-encoded path>\n` (two spaces, as
/// `sha256sum` writes them), in the order given; callers pass them sorted.
pub fn write_manifest<'a>(lines: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<u8> {
    let mut out = Vec::new();
    for (digest, path) in lines {
        push_manifest_line(&mut out, digest, path);
    }
    out
}

/// Appends one manifest line (`DIGEST  PATH\n`, the path percent-encoded)
/// to `out`.
pub fn push_manifest_line(out: &mut Vec<u8>, digest: &str, path: &str) {
    out.extend_from_slice(digest.as_bytes());
    out.extend_from_slice(b"  ");
    out.extend_from_slice(percent_encode(path).as_bytes());
    out.push(b'\n');
}

fn algorithm_between<'a>(file_name: &'a str, prefix: &str) -> Option<&'a str> {
    let algorithm = file_name.strip_prefix(prefix)?.strip_suffix(".txt")?;
    (!algorithm.is_empty() && algorithm.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(algorithm)
}

/// The algorithm of a payload manifest name: `manifest-sha256.txt` gives
/// `sha256`. `None` for any other name.
pub fn manifest_algorithm(file_name: &str) -> Option<&str> {
    algorithm_between(file_name, "manifest-")
}

/// The algorithm of a tag manifest name: `tagmanifest-sha256.txt` gives
/// `sha256`. `None` for any other name.
pub fn tagmanifest_algorithm(file_name: &str) -> Option<&str> {
    algorithm_between(file_name, "tagmanifest-")
}

/// Hex length of a digest by algorithm name (ASCII case-insensitive): md5 32,
/// sha1 40, sha224 56, sha256 64, sha384 96, sha512 128, blake3 64. Knowing
/// the length does not mean this tool can compute the digest.
pub fn digest_hex_len(algorithm: &str) -> Option<usize> {
    const LENGTHS: [(&str, usize); 7] = [
        ("md5", 32),
        ("sha1", 40),
        ("sha224", 56),
        ("sha256", 64),
        ("sha384", 96),
        ("sha512", 128),
        ("blake3", 64),
    ];
    LENGTHS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(algorithm))
        .map(|(_, len)| *len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const D64: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn reason_of(e: &BagError) -> &str {
        match e {
            BagError::Malformed { reason, .. } => reason,
            other => panic!("not Malformed: {other:?}"),
        }
    }

    #[test]
    fn bagit_txt_ours_parses() {
        let d = parse_bagit_txt(BAGIT_TXT.as_bytes()).unwrap();
        assert_eq!(d.version, "1.0");
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn bagit_txt_variants_accepted() {
        for ok in [
            "BagIt-Version: 1.0\r\nTag-File-Character-Encoding: UTF-8\r\n",
            "BagIt-Version: 0.97\nTag-File-Character-Encoding: utf-8\n",
            "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8",
            "BagIt-Version: 1.0\rTag-File-Character-Encoding: UTF-8\r",
        ] {
            parse_bagit_txt(ok.as_bytes()).unwrap_or_else(|e| panic!("{ok:?}: {e}"));
        }
    }

    #[test]
    fn bagit_txt_refusals() {
        let bom = [b"\xEF\xBB\xBF".as_slice(), BAGIT_TXT.as_bytes()].concat();
        assert_eq!(
            parse_bagit_txt(&bom).unwrap_err(),
            BagError::ByteOrderMark {
                file: "bagit.txt".into()
            }
        );
        let e = parse_bagit_txt(b"BagIt-Version: 2.0\nTag-File-Character-Encoding: UTF-8\n")
            .unwrap_err();
        assert!(
            matches!(e, BagError::UnsupportedVersion { line: 1, ref version, .. } if version == "2.0")
        );
        let e = parse_bagit_txt(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: KOI8-R\n")
            .unwrap_err();
        assert!(matches!(e, BagError::UnsupportedEncoding { line: 2, .. }));
        for bad in ["0.92", ".97", "1", "1.0.0", "01.0", "v1.0", "1.00"] {
            let text = format!("BagIt-Version: {bad}\nTag-File-Character-Encoding: UTF-8\n");
            let e = parse_bagit_txt(text.as_bytes()).unwrap_err();
            assert!(
                matches!(e, BagError::UnsupportedVersion { .. }),
                "{bad}: {e}"
            );
        }
        // Order matters.
        let e = parse_bagit_txt(b"Tag-File-Character-Encoding: UTF-8\nBagIt-Version: 1.0\n")
            .unwrap_err();
        assert_eq!(e.line(), Some(1));
        // Exactly two lines.
        let e = parse_bagit_txt(b"BagIt-Version: 1.0\n").unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert!(reason_of(&e).contains("missing"));
        let e = parse_bagit_txt(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\nX: y\n")
            .unwrap_err();
        assert_eq!(e.line(), Some(3));
        let e = parse_bagit_txt(b"BagIt-Version: 1.0\n\nTag-File-Character-Encoding: UTF-8\n")
            .unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert!(parse_bagit_txt(b"").is_err());
        let e = parse_bagit_txt(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-\xff\n")
            .unwrap_err();
        assert_eq!(
            e,
            BagError::NotUtf8 {
                file: "bagit.txt".into(),
                line: 2
            }
        );
        assert!(e.to_string().starts_with("bagit.txt line 2:"));
    }

    #[test]
    fn bagit_txt_every_version_and_encoding() {
        for version in SUPPORTED_VERSIONS {
            for (label, encoding) in [
                ("UTF-8", TagEncoding::Utf8),
                ("iso-8859-1", TagEncoding::Latin1),
                ("UTF-16", TagEncoding::Utf16),
                ("US-ASCII", TagEncoding::Ascii),
            ] {
                let text =
                    format!("BagIt-Version: {version}\r\nTag-File-Character-Encoding: {label}");
                let d = parse_bagit_txt(text.as_bytes()).unwrap();
                assert_eq!(d.version, version);
                assert_eq!(d.encoding, label);
                assert_eq!(d.tag_encoding, encoding);
            }
        }
        let d =
            parse_bagit_txt(b"BagIt-Version: 0.96\nTag-File-Character-Encoding: UTF-8\n").unwrap();
        assert_eq!(d.version_number(), (0, 96));
        assert!(d.version_number() < (1, 0));
        // The label must be spelled exactly, with no space before the colon.
        assert!(
            parse_bagit_txt(b"BagIt-Version : 1.0\nTag-File-Character-Encoding: UTF-8\n").is_err()
        );
        for (name, encoding) in TagEncoding::NAMES.into_iter().zip(TagEncoding::ALL) {
            assert_eq!(TagEncoding::from_label(name), Some(encoding));
            assert_eq!(encoding.name(), name);
        }
        assert_eq!(TagEncoding::from_label("utf8"), None);
        assert_eq!(TagEncoding::from_label("windows-1252"), None);
    }

    #[test]
    fn tag_files_decode_as_declared() {
        let utf8 = "Contact-Name: Núñez\n".as_bytes();
        let text = decode_tag_file("bag-info.txt", utf8, TagEncoding::Utf8).unwrap();
        assert!(matches!(text, Cow::Borrowed(_)));
        assert_eq!(text.as_bytes(), utf8);
        assert!(matches!(
            decode_tag_file("bag-info.txt", b"\xEF\xBB\xBFA: 1\n", TagEncoding::Utf8),
            Err(BagError::ByteOrderMark { .. })
        ));

        let latin1 = b"Contact-Name: N\xfa\xf1ez\nX: \x80\n";
        let text = decode_tag_file("bag-info.txt", latin1, TagEncoding::Latin1).unwrap();
        assert_eq!(text, "Contact-Name: Núñez\nX: \u{80}\n");
        assert!(matches!(
            decode_tag_file("m", b"ab", TagEncoding::Latin1).unwrap(),
            Cow::Borrowed("ab")
        ));

        let e = decode_tag_file("m", b"a\nb\r\nc\xe9", TagEncoding::Ascii).unwrap_err();
        assert_eq!(
            e,
            BagError::NotInEncoding {
                file: "m".into(),
                line: 3,
                encoding: "US-ASCII"
            }
        );

        let text = "A: Núñez\r\nB: 𝄞\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let with = |bom: &[u8], body: &[u8]| [bom, body].concat();
        for (bytes, encoding) in [
            (with(b"\xFF\xFE", &le), TagEncoding::Utf16),
            (with(b"\xFE\xFF", &be), TagEncoding::Utf16),
            (be.clone(), TagEncoding::Utf16),
            (le.clone(), TagEncoding::Utf16Le),
            (be.clone(), TagEncoding::Utf16Be),
        ] {
            let decoded = decode_tag_file("m", &bytes, encoding).unwrap();
            assert_eq!(decoded, text, "{encoding} {bytes:02x?}");
        }
        // With an explicit byte order, U+FEFF is text.
        let marked = with(b"\xFE\xFF", &be);
        let decoded = decode_tag_file("m", &marked, TagEncoding::Utf16Be).unwrap();
        assert_eq!(decoded, format!("\u{feff}{text}"));
        // Odd length; a lone surrogate, on line 2.
        let e = decode_tag_file("m", &be[..be.len() - 1], TagEncoding::Utf16Be).unwrap_err();
        assert_eq!(e.line(), Some(2));
        let mut lone = "a\nb"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect::<Vec<u8>>();
        lone.extend([0xD8, 0x00, 0x00, 0x41]);
        let e = decode_tag_file("m", &lone, TagEncoding::Utf16).unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert!(e.to_string().contains("not valid UTF-16"), "{e}");
    }

    #[test]
    fn foreign_prefixes() {
        assert_eq!(
            foreign_path_prefixes("*data/a"),
            (
                "data/a",
                ForeignPrefixes {
                    binary_marker: true,
                    dot_slash: false
                }
            )
        );
        assert_eq!(
            foreign_path_prefixes("*././data/a"),
            (
                "data/a",
                ForeignPrefixes {
                    binary_marker: true,
                    dot_slash: true
                }
            )
        );
        assert_eq!(foreign_path_prefixes("data/*a").0, "data/*a");
        assert_eq!(
            foreign_path_prefixes("data/a"),
            ("data/a", ForeignPrefixes::default())
        );
        assert_eq!(foreign_path_prefixes("**data").0, "*data");
        assert_eq!(foreign_path_prefixes(".//data").0, "/data");
    }

    #[test]
    fn manifest_lines_keep_repeats() {
        let text = format!("{D64}  data/a\n{D64} *data/a\n{D64}  data/a\n");
        let lines = parse_manifest_lines("m", &text, 64).unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].path, "*data/a");
        assert!(matches!(
            parse_manifest_text("m", &text, 64),
            Err(BagError::DuplicateEntry { line: 3, .. })
        ));
    }

    #[test]
    fn fetch_lines() {
        let text = "http://x/a%201 12 data/test 1.txt\r\n\nhttps://y/b\t-\t data/b%0A\n";
        let lines = parse_fetch_text("fetch.txt", text).unwrap();
        assert_eq!(
            lines,
            [
                FetchLine {
                    url: "http://x/a%201".into(),
                    length: Some(12),
                    path: "data/test 1.txt".into(),
                    line: 1
                },
                FetchLine {
                    url: "https://y/b".into(),
                    length: None,
                    path: "data/b\n".into(),
                    line: 3
                },
            ]
        );
        for (bad, line) in [
            ("http://x 12\n", 1),
            ("http://x\n", 1),
            ("ok 1 data/a\nhttp://x twelve data/a\n", 2),
            ("http://x 99999999999999999999999 data/a\n", 1),
            (" 1 data/a\n", 1),
        ] {
            let e = parse_fetch_text("fetch.txt", bad).unwrap_err();
            assert_eq!(e.line(), Some(line), "{bad:?}: {e}");
            assert!(e.to_string().starts_with("fetch.txt line"), "{e}");
        }
    }

    #[test]
    fn bag_info_round_trip_and_lookup() {
        let mut info = BagInfo::new();
        info.push("Source-Organization", "Police, Unit 7: Cyber")
            .unwrap();
        info.push("Payload-Oxum", "1024.3").unwrap();
        info.push("Internal-Sender-Identifier", "a").unwrap();
        info.push("internal-sender-identifier", "b").unwrap();
        info.push("Empty", "").unwrap();
        info.push("Unicode-Ä", "日本\tx").unwrap();
        let bytes = info.to_bytes();
        assert!(bytes
            .starts_with(b"Source-Organization: Police, Unit 7: Cyber\nPayload-Oxum: 1024.3\n"));
        let again = BagInfo::parse(&bytes).unwrap();
        assert_eq!(again, info);
        assert_eq!(again.to_bytes(), bytes);
        assert_eq!(again.get("INTERNAL-SENDER-IDENTIFIER"), Some("a"));
        assert_eq!(again.get_all("Internal-Sender-Identifier"), ["a", "b"]);
        assert_eq!(again.get("missing"), None);
        assert_eq!(
            again.payload_oxum(),
            Some(Ok(PayloadOxum {
                octets: 1024,
                streams: 3
            }))
        );
    }

    #[test]
    fn bag_info_push_refusals() {
        let mut info = BagInfo::new();
        for label in ["", "a:b", " a", "a ", "a\tb\n", "a\nb", "a\rb"] {
            let e = info.push(label, "v").unwrap_err();
            assert!(
                matches!(e, BagError::InvalidLabel { .. }),
                "{label:?}: {e:?}"
            );
            assert_eq!(e.file(), "bag-info.txt");
        }
        for value in ["a\nb", "a\r", " a", "a\t"] {
            let e = info.push("L", value).unwrap_err();
            assert!(
                matches!(e, BagError::InvalidValue { .. }),
                "{value:?}: {e:?}"
            );
        }
        assert!(info.entries().is_empty());
    }

    #[test]
    fn bag_info_continuation_lines() {
        let text = "External-Description: first part\r\n  second\tpart\r\n\tthird\r\nContact-Name:   Jo  \r\n\r\nX:\n more\n";
        let info = BagInfo::parse(text.as_bytes()).unwrap();
        assert_eq!(
            info.entries(),
            [
                (
                    "External-Description".to_owned(),
                    "first part second\tpart third".to_owned()
                ),
                ("Contact-Name".to_owned(), "Jo".to_owned()),
                ("X".to_owned(), "more".to_owned()),
            ]
        );
    }

    #[test]
    fn bag_info_malformed_lines_are_numbered() {
        let cases: &[(&[u8], usize)] = &[
            (b" leading continuation\n", 1),
            (b"A: 1\nno colon here\n", 2),
            (b"A: 1\r\nB: 2\r\n: empty label\r\n", 3),
            (b"A: 1\n\nB: \xC3\x28\n", 3),
        ];
        for (bytes, line) in cases {
            let e = BagInfo::parse(bytes).unwrap_err();
            assert_eq!(e.line(), Some(*line), "{e}");
            assert_eq!(e.file(), "bag-info.txt");
            assert!(
                e.to_string()
                    .starts_with(&format!("bag-info.txt line {line}:")),
                "{e}"
            );
        }
        assert!(matches!(
            BagInfo::parse(b"\xEF\xBB\xBFA: 1\n"),
            Err(BagError::ByteOrderMark { .. })
        ));
    }

    #[test]
    fn payload_oxum_edge_cases() {
        let ok = |s: &str| s.parse::<PayloadOxum>().unwrap();
        assert_eq!(
            ok("0.0"),
            PayloadOxum {
                octets: 0,
                streams: 0
            }
        );
        assert_eq!(ok("007.1").octets, 7);
        let max = format!("{}.{}", u64::MAX, u64::MAX);
        assert_eq!(ok(&max).to_string(), max);
        assert_eq!(ok("12.3").to_string(), "12.3");
        for bad in [
            "",
            "12",
            ".",
            "12.",
            ".3",
            "+1.2",
            "1.+2",
            "-1.2",
            "1.2.3",
            "1 .2",
            " 1.2",
            "1e3.2",
            "１.2",
            "18446744073709551616.1",
            "1.18446744073709551616",
            "99999999999999999999999999.1",
        ] {
            let e = bad.parse::<PayloadOxum>().unwrap_err();
            assert!(matches!(e, BagError::InvalidPayloadOxum { .. }), "{bad:?}");
        }
        let info = BagInfo::parse(b"A: b\nPayload-Oxum: 12\n").unwrap();
        let e = info.payload_oxum().unwrap().unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert!(
            e.to_string()
                .starts_with("bag-info.txt line 2: invalid Payload-Oxum \"12\""),
            "{e}"
        );
        let info = BagInfo::parse(b"Payload-Oxum: 1.1\npayload-oxum: 1.1\n").unwrap();
        assert_eq!(info.payload_oxum().unwrap().unwrap_err().line(), Some(2));
        assert_eq!(BagInfo::new().payload_oxum(), None);
    }

    #[test]
    fn manifest_examples() {
        let text = format!(
            "{up}  data/a b.txt\r\n\n{D64}\t \tdata/100%25%0d%0A.txt\n{D64} *data/star\n",
            up = D64.to_uppercase()
        );
        let lines = parse_manifest_file("manifest-sha256.txt", text.as_bytes(), 64).unwrap();
        let got: Vec<_> = lines
            .iter()
            .map(|l| (l.digest.as_str(), l.path.as_str(), l.line))
            .collect();
        assert_eq!(
            got,
            [
                (D64, "data/a b.txt", 1),
                (D64, "data/100%\r\n.txt", 3),
                (D64, "*data/star", 4),
            ]
        );
        // A path may end in spaces; they are part of the name.
        let lines = parse_manifest(format!("{D64}  data/x \n").as_bytes(), 64).unwrap();
        assert_eq!(lines[0].path, "data/x ");
        assert!(parse_manifest(b"", 64).unwrap().is_empty());
        assert!(parse_manifest(b"\n\n", 64).unwrap().is_empty());
    }

    #[test]
    fn manifest_errors_name_file_and_line() {
        let file = "tagmanifest-sha256.txt";
        let short = &D64[..63];
        let cases: Vec<(String, usize)> = vec![
            (format!("{D64}  ok\n{D64}\n"), 2),
            (format!("{D64}  ok\n{D64}  \n"), 2),
            (format!("  {D64}  x\n"), 1),
            (format!("{short}  x\n"), 1),
            (format!("{D64}0  x\n"), 1),
            (format!("{}g  x\n", short), 1),
            (format!("{D64}  a\n{D64}  b\n{D64}  a\n{D64}  b\n"), 3),
            (format!("{D64}  a%0A\n{D64}  a\n\n{D64}  a%0a\n"), 4),
        ];
        for (text, line) in &cases {
            let e = parse_manifest_file(file, text.as_bytes(), 64).unwrap_err();
            assert_eq!(e.line(), Some(*line), "{text:?}: {e}");
            assert_eq!(e.file(), file);
            assert!(
                e.to_string().starts_with(&format!("{file} line {line}:")),
                "{e}"
            );
        }
        let e = parse_manifest(format!("{D64}  a\n{D64}  a\n").as_bytes(), 64).unwrap_err();
        assert_eq!(
            e,
            BagError::DuplicateEntry {
                file: "manifest".into(),
                path: "a".into(),
                line: 2,
                first_line: 1
            }
        );
        let e = parse_manifest(
            &[format!("{D64}  a\n{D64}  ").as_bytes(), b"\xff\n"].concat(),
            64,
        )
        .unwrap_err();
        assert_eq!(e.line(), Some(2));
        // Hostile digests are quoted short.
        let long = "z".repeat(10_000);
        let e = parse_manifest(format!("{long} x").as_bytes(), 64).unwrap_err();
        assert!(e.to_string().len() < 300);
    }

    #[test]
    fn write_manifest_format() {
        let out = write_manifest([(D64, "data/a"), (D64, "data/%\n")]);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("{D64}  data/a\n{D64}  data/%25%0A\n")
        );
        assert!(write_manifest([]).is_empty());
    }

    #[test]
    fn algorithm_names() {
        assert_eq!(manifest_algorithm("manifest-sha256.txt"), Some("sha256"));
        assert_eq!(manifest_algorithm("manifest-blake3.txt"), Some("blake3"));
        assert_eq!(
            tagmanifest_algorithm("tagmanifest-sha512.txt"),
            Some("sha512")
        );
        for bad in [
            "manifest-.txt",
            "manifest-sha256.txt.bak",
            "manifest-sha-256.txt",
            "tagmanifest-sha256.txt",
            "data/manifest-sha256.txt",
            "bagit.txt",
        ] {
            assert_eq!(manifest_algorithm(bad), None, "{bad}");
        }
        assert_eq!(tagmanifest_algorithm("manifest-sha256.txt"), None);
        assert_eq!(digest_hex_len("sha256"), Some(64));
        assert_eq!(digest_hex_len("SHA512"), Some(128));
        assert_eq!(digest_hex_len("md5"), Some(32));
        assert_eq!(digest_hex_len("sha1"), Some(40));
        assert_eq!(digest_hex_len("blake3"), Some(64));
        assert_eq!(digest_hex_len("crc32"), None);
    }

    /// Paths as they may appear in a bag: any chars but NUL, including CR, LF,
    /// '%', spaces, tabs and unicode; not starting with whitespace, which the
    /// manifest format cannot carry.
    fn manifest_path() -> impl Strategy<Value = String> {
        "[^ \t\\x00][^\\x00]{0,20}"
    }

    proptest! {
        // Deterministic: the same cases on every run and machine.
        #![proptest_config(ProptestConfig {
            rng_seed: proptest::test_runner::RngSeed::Fixed(0xe4_1b17),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn manifest_round_trip(
            entries in proptest::collection::btree_map(manifest_path(), "[0-9a-f]{64}", 0..20)
        ) {
            let bytes = write_manifest(entries.iter().map(|(p, d)| (d.as_str(), p.as_str())));
            let parsed = parse_manifest(&bytes, 64).unwrap();
            let got: Vec<(String, String)> =
                parsed.into_iter().map(|l| (l.path, l.digest)).collect();
            let want: Vec<(String, String)> = entries.into_iter().collect();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn manifest_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_manifest(&bytes, 64);
        }

        #[test]
        fn manifest_parse_never_panics_on_near_misses(s in "[0-9a-fA-F%\r\n \t*]{0,150}") {
            let _ = parse_manifest(s.as_bytes(), 4);
        }

        #[test]
        fn bag_info_round_trip(
            entries in proptest::collection::vec(
                ("[A-Za-z][A-Za-z0-9 _-]{0,10}[A-Za-z0-9]", "([^\r\n \t]([^\r\n]{0,20}[^\r\n \t])?)?"),
                0..10,
            )
        ) {
            let mut info = BagInfo::new();
            for (label, value) in &entries {
                info.push(label, value).unwrap();
            }
            let parsed = BagInfo::parse(&info.to_bytes()).unwrap();
            prop_assert_eq!(parsed.entries(), info.entries());
        }

        #[test]
        fn tag_parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_bagit_txt(&bytes);
            if let Ok(info) = BagInfo::parse(&bytes) {
                let _ = info.payload_oxum();
                let again = BagInfo::parse(&info.to_bytes()).unwrap();
                prop_assert_eq!(again, info);
            }
        }

        #[test]
        fn tag_decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            for encoding in TagEncoding::ALL {
                let _ = decode_tag_file("m", &bytes, encoding);
            }
            let _ = parse_fetch_text("fetch.txt", &String::from_utf8_lossy(&bytes));
        }

        #[test]
        fn oxum_round_trip(octets in any::<u64>(), streams in any::<u64>()) {
            let o = PayloadOxum { octets, streams };
            prop_assert_eq!(o.to_string().parse::<PayloadOxum>().unwrap(), o);
        }

        /// Streaming a tag file line by line, in reads of any size, gives
        /// exactly the lines (or the first error) of decoding it whole.
        #[test]
        fn streamed_lines_are_the_whole_file_lines(
            bytes in proptest::collection::vec(
                prop_oneof![
                    Just(b'\r'), Just(b'\n'), Just(b'a'), Just(b' '), Just(0xC3), Just(0xA9),
                    Just(0xEF), Just(0xBB), Just(0xBF), Just(0xFF),
                ],
                0..40,
            ),
            step in 1usize..5,
        ) {
            struct Trickle<'a>(&'a [u8], usize);
            impl std::io::Read for Trickle<'_> {
                fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                    let n = self.1.min(buf.len()).min(self.0.len());
                    buf[..n].copy_from_slice(&self.0[..n]);
                    self.0 = &self.0[n..];
                    Ok(n)
                }
            }
            let mut streamed = Vec::new();
            let mut lines = TextLines::new("m", Trickle(&bytes, step));
            let outcome = loop {
                match lines.next_line() {
                    Ok(Some((n, line))) => streamed.push((n, line.to_owned())),
                    Ok(None) => break Ok(()),
                    Err(TextLinesError::Bag(e)) => break Err(e),
                    Err(TextLinesError::Io(e)) => panic!("{e}"),
                }
            };
            match decode("m", &bytes) {
                Ok(text) => {
                    let whole: Vec<(usize, String)> =
                        numbered_lines(text).map(|(n, l)| (n, l.to_owned())).collect();
                    prop_assert_eq!(outcome, Ok(()));
                    prop_assert_eq!(streamed, whole);
                }
                Err(e) => prop_assert_eq!(outcome, Err(e)),
            }
        }
    }
}
