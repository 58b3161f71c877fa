//! Bundle paths: the only place an OS path becomes a path inside a bag and
//! back.
//!
//! A [`BagPath`] is relative to the bag root, `/`-separated and UTF-8. Bag
//! paths come from untrusted manifests, so [`BagPath::parse`] refuses
//! everything that could name a file outside the bag on any platform: absolute
//! paths, `.` and `..` components, drive letters, backslash traversal and NUL.
//! Everything else, including CR and LF, is a legal file-name byte and is kept
//! exactly; manifests carry such names with BagIt percent-encoding
//! ([`percent_encode`], [`percent_decode`]).

use std::borrow::Cow;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

/// The folder of a bag that holds the payload.
pub const PAYLOAD_DIR: &str = "data";

/// A path that is not acceptable as a path inside a bag.
///
/// Every message names the offending path, escaped with `{:?}` so that
/// control characters in hostile names cannot reach a terminal raw.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum PathError {
    #[error("empty path")]
    Empty,
    #[error("{path:?}: absolute path (starts with '/')")]
    Absolute { path: String },
    #[error("{path:?}: empty path component ('//' or a trailing '/')")]
    EmptyComponent { path: String },
    #[error("{path:?}: '.' or '..' component")]
    DotComponent { path: String },
    #[error("{path:?}: contains a NUL byte")]
    Nul { path: String },
    #[error("{path:?}: component {component:?} starts with a drive letter")]
    DriveLetter { path: String, component: String },
    #[error("{path:?}: component {component:?} is a backslash-separated absolute or '..' path")]
    Backslash { path: String, component: String },
    #[error("{path:?}: file name is not valid UTF-8")]
    NotUtf8 { path: String },
    #[error("{path:?}: not a plain relative path")]
    NotRelative { path: String },
}

/// A validated path inside a bag, relative to the bag root, '/'-separated,
/// UTF-8.
///
/// Ordering is by the UTF-8 bytes, which is the order every file of the
/// bundle lists paths in.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct BagPath(String);

impl BagPath {
    /// Validates an untrusted path.
    ///
    /// Refused: the empty path; a leading `/`; empty components (`a//b`, a
    /// trailing `/`); `.` and `..`; NUL; a component starting with a drive
    /// letter (`C:`, `c:x`); a component that starts with `\` or that has a
    /// `..` part when split on `\` (`..\x`, `a\..\b`). Everything else is
    /// accepted, including CR, LF, `%`, spaces and any Unicode.
    ///
    /// Drive letters and a leading `\` are refused in every component, not
    /// only the first: on Windows, joining such a component to a folder
    /// replaces the folder, which would let a name escape the target.
    pub fn parse(s: &str) -> Result<Self, PathError> {
        let path = || s.to_owned();
        if s.is_empty() {
            return Err(PathError::Empty);
        }
        if s.contains('\0') {
            return Err(PathError::Nul { path: path() });
        }
        if s.starts_with('/') {
            return Err(PathError::Absolute { path: path() });
        }
        for component in s.split('/') {
            if component.is_empty() {
                return Err(PathError::EmptyComponent { path: path() });
            }
            if component == "." || component == ".." {
                return Err(PathError::DotComponent { path: path() });
            }
            if starts_with_drive_letter(component) {
                return Err(PathError::DriveLetter {
                    path: path(),
                    component: component.to_owned(),
                });
            }
            if component.starts_with('\\') || component.split('\\').any(|part| part == "..") {
                return Err(PathError::Backslash {
                    path: path(),
                    component: component.to_owned(),
                });
            }
        }
        Ok(BagPath(s.to_owned()))
    }

    /// The path as stored in the bag (not percent-encoded).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `/`-separated components; never empty, never `.` or `..`.
    pub fn components(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }

    /// Whether the path is below the payload folder `data/`.
    pub fn is_payload(&self) -> bool {
        self.strip_data().is_some()
    }

    /// The bag path of a source file: `data/` followed by the source-relative
    /// OS path, e.g. `mail/inbox/1.eml` gives `data/mail/inbox/1.eml`.
    ///
    /// Refuses names that are not UTF-8 (the error shows the name lossily),
    /// absolute paths, `..`, and any name [`BagPath::parse`] refuses, so
    /// every result parses again. A leading `.` component is ignored.
    pub fn from_source(relative: &Path) -> Result<Self, PathError> {
        let lossy = || relative.to_string_lossy().into_owned();
        let mut out = String::from(PAYLOAD_DIR);
        let mut any = false;
        for component in relative.components() {
            match component {
                Component::Normal(name) => {
                    let name = name
                        .to_str()
                        .ok_or_else(|| PathError::NotUtf8 { path: lossy() })?;
                    out.push('/');
                    out.push_str(name);
                    any = true;
                }
                Component::CurDir => {}
                Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                    return Err(PathError::NotRelative { path: lossy() });
                }
            }
        }
        if !any {
            return Err(PathError::NotRelative { path: lossy() });
        }
        // The name may hold bytes that are legal on this OS but refused in a
        // bag (e.g. "..\x" on Unix); report them against the source name.
        BagPath::parse(&out).map_err(|err| match err {
            PathError::DriveLetter { component, .. } => PathError::DriveLetter {
                path: lossy(),
                component,
            },
            PathError::Backslash { component, .. } => PathError::Backslash {
                path: lossy(),
                component,
            },
            PathError::Nul { .. } => PathError::Nul { path: lossy() },
            _ => PathError::NotRelative { path: lossy() },
        })
    }

    /// `base` joined with each component. Never leaves `base`, because
    /// [`BagPath::parse`] refused every component that could.
    pub fn to_fs_path(&self, base: &Path) -> PathBuf {
        let mut out = base.to_path_buf();
        for component in self.components() {
            out.push(component);
        }
        out
    }

    /// The part below `data/`: `data/x/y` gives `x/y`; `None` for tag files
    /// (and for `data` itself).
    pub fn strip_data(&self) -> Option<&str> {
        self.0
            .strip_prefix(PAYLOAD_DIR)
            .and_then(|rest| rest.strip_prefix('/'))
    }
}

impl fmt::Display for BagPath {
    /// The raw path. Callers showing it on a terminal must escape it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for BagPath {
    type Err = PathError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BagPath::parse(s)
    }
}

impl AsRef<str> for BagPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

fn starts_with_drive_letter(component: &str) -> bool {
    let bytes = component.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// BagIt percent-encoding of a file path in a manifest line: only `%` becomes
/// `%25`, CR `%0D` and LF `%0A` (RFC 8493 section 2.1.3).
pub fn percent_encode(path: &str) -> Cow<'_, str> {
    if !path.contains(['%', '\r', '\n']) {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 8);
    for c in path.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Inverse of [`percent_encode`]: decodes `%25`, `%0D`, `%0A` (hex digits in
/// either case) only; any other `%` sequence is left as is, as bagit-python
/// does.
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let decoded = match after.as_bytes() {
            [b'2', b'5', ..] => Some('%'),
            [b'0', b'D' | b'd', ..] => Some('\r'),
            [b'0', b'A' | b'a', ..] => Some('\n'),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                // The two matched bytes are ASCII, so this is a char boundary.
                rest = &after[2..];
            }
            None => {
                out.push('%');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A key that is equal for two paths that would name the same file on a
/// case-insensitive file system (full Unicode lowercase).
///
/// This only covers case. Paths that differ only in Unicode normalization
/// (NFC vs NFD spellings) are distinct files in a bag and are detected where
/// the payload is written out, not here.
pub fn case_fold_key(p: &BagPath) -> String {
    p.as_str().to_lowercase()
}

/// A key that is equal for two names a case-insensitive or a normalizing
/// file system (macOS keeps names in NFD, most others as written) may take
/// for the same file: full Unicode lowercase, then NFC.
pub fn alias_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.to_lowercase().nfc().collect()
}

/// What an operating system leaves beside the files a person put in a
/// folder (Finder's `.DS_Store`, Windows' `Thumbs.db`, ...), when `path` is
/// or lies below such a file or folder: a short description of it.
pub fn os_metadata_file(path: &str) -> Option<&'static str> {
    let mut components = path.split('/').peekable();
    while let Some(component) = components.next() {
        let last = components.peek().is_none();
        let lower = component.to_ascii_lowercase();
        let found = match lower.as_str() {
            ".spotlight-v100" | ".trashes" | ".fseventsd" | ".temporaryitems" => {
                Some("macOS volume metadata")
            }
            "__macosx" => Some("macOS resource forks left by a zip tool"),
            ".ds_store" if last => Some("macOS Finder folder settings"),
            "thumbs.db" | "ehthumbs.db" if last => Some("Windows thumbnail cache"),
            "desktop.ini" if last => Some("Windows folder settings"),
            name if last && name.starts_with("._") => Some("macOS resource fork (AppleDouble)"),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// How two different spellings of a name that share an [`alias_key`]
/// differ: only in Unicode normalization (NFC and NFD spellings), or in
/// letter case (perhaps normalization too).
pub fn alias_difference(a: &str, b: &str) -> &'static str {
    use unicode_normalization::UnicodeNormalization;
    if a.nfc().eq(b.nfc()) {
        "Unicode normalization (NFC/NFD)"
    } else {
        "letter case"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_and_awkward_names() {
        for ok in [
            "data/x",
            "bagit.txt",
            "data/a b/c d.txt",
            "data/100%.txt",
            "data/line\nbreak\r.txt",
            "data/ünï/日本.txt",
            "data/...",
            "data/.hidden",
            "data/..x",
            "data/a\\b",
            "data/1:b",
            "data/ab:c",
            "data/tab\there",
        ] {
            let p = BagPath::parse(ok).unwrap_or_else(|e| panic!("{ok:?}: {e}"));
            assert_eq!(p.as_str(), ok);
            assert_eq!(p.to_string(), ok);
        }
    }

    #[test]
    fn rejects_hostile_table() {
        type Check = fn(&PathError) -> bool;
        let table: &[(&str, Check)] = &[
            ("", |e| matches!(e, PathError::Empty)),
            ("../x", |e| matches!(e, PathError::DotComponent { .. })),
            ("/abs/x", |e| matches!(e, PathError::Absolute { .. })),
            ("C:\\x", |e| matches!(e, PathError::DriveLetter { .. })),
            ("C:", |e| matches!(e, PathError::DriveLetter { .. })),
            ("c:x/y", |e| matches!(e, PathError::DriveLetter { .. })),
            ("data/C:x", |e| matches!(e, PathError::DriveLetter { .. })),
            ("data/../../x", |e| {
                matches!(e, PathError::DotComponent { .. })
            }),
            ("a\0b", |e| matches!(e, PathError::Nul { .. })),
            ("data//x", |e| matches!(e, PathError::EmptyComponent { .. })),
            ("data/x/", |e| matches!(e, PathError::EmptyComponent { .. })),
            ("data/./x", |e| matches!(e, PathError::DotComponent { .. })),
            (".", |e| matches!(e, PathError::DotComponent { .. })),
            ("data/..", |e| matches!(e, PathError::DotComponent { .. })),
            ("..\\x", |e| matches!(e, PathError::Backslash { .. })),
            ("data/a\\..\\b", |e| {
                matches!(e, PathError::Backslash { .. })
            }),
            ("data/a\\..", |e| matches!(e, PathError::Backslash { .. })),
            ("\\x", |e| matches!(e, PathError::Backslash { .. })),
            ("data/\\\\server\\share", |e| {
                matches!(e, PathError::Backslash { .. })
            }),
        ];
        for (input, check) in table {
            match BagPath::parse(input) {
                Ok(p) => panic!("{input:?} accepted as {p:?}"),
                Err(e) => assert!(check(&e), "{input:?}: unexpected {e:?}"),
            }
        }
    }

    #[test]
    fn error_messages_escape_the_path() {
        let e = BagPath::parse("data/\n/../x").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("\"data/\\n/../x\""), "{msg}");
        assert!(!msg.contains('\n'));
    }

    #[test]
    fn payload_helpers() {
        let p = BagPath::parse("data/x/y").unwrap();
        assert!(p.is_payload());
        assert_eq!(p.strip_data(), Some("x/y"));
        assert_eq!(p.components().collect::<Vec<_>>(), ["data", "x", "y"]);
        for tag in [
            "data",
            "database/x",
            "manifest-sha256.txt",
            "exhibit/seal.json",
        ] {
            let p = BagPath::parse(tag).unwrap();
            assert!(!p.is_payload(), "{tag}");
            assert_eq!(p.strip_data(), None);
        }
    }

    #[test]
    fn from_source_prefixes_data() {
        let p = BagPath::from_source(Path::new("mail/inbox/1.eml")).unwrap();
        assert_eq!(p.as_str(), "data/mail/inbox/1.eml");
        let p = BagPath::from_source(Path::new("./phone.img")).unwrap();
        assert_eq!(p.as_str(), "data/phone.img");
        for bad in ["", ".", "/etc/passwd", "../x", "a/../b"] {
            assert!(BagPath::from_source(Path::new(bad)).is_err(), "{bad:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn from_source_refuses_bytes_a_bag_cannot_hold() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let e = BagPath::from_source(Path::new(OsStr::from_bytes(b"dir/bad\xff.bin"))).unwrap_err();
        assert_eq!(
            e,
            PathError::NotUtf8 {
                path: "dir/bad\u{fffd}.bin".into()
            }
        );
        let e = BagPath::from_source(Path::new("dir/..\\x")).unwrap_err();
        assert!(matches!(e, PathError::Backslash { ref path, .. } if path == "dir/..\\x"));
        let e = BagPath::from_source(Path::new("dir/C:x")).unwrap_err();
        assert!(matches!(e, PathError::DriveLetter { .. }));
    }

    #[test]
    fn to_fs_path_stays_below_base() {
        let base = Path::new("out");
        let p = BagPath::parse("data/a/b c").unwrap();
        let fs = p.to_fs_path(base);
        assert_eq!(fs, Path::new("out").join("data").join("a").join("b c"));
        assert!(fs.starts_with(base));
    }

    #[test]
    fn percent_coding_examples() {
        assert_eq!(percent_encode("data/a b"), "data/a b");
        assert!(matches!(percent_encode("data/plain"), Cow::Borrowed(_)));
        assert_eq!(percent_encode("a%b\r\nc"), "a%25b%0D%0Ac");
        assert_eq!(percent_decode("a%25b%0D%0Ac"), "a%b\r\nc");
        assert_eq!(percent_decode("%0d%0a"), "\r\n");
        // Other sequences stay as they are.
        assert_eq!(percent_decode("%20%2F%zz%"), "%20%2F%zz%");
        assert_eq!(percent_decode("100%"), "100%");
        // One pass: "%250A" is "%" followed by a literal "0A".
        assert_eq!(percent_decode("%250A"), "%0A");
        assert_eq!(percent_decode("%%0A"), "%\n");
        assert_eq!(percent_decode("%ü"), "%ü");
    }

    #[test]
    fn case_fold() {
        let a = BagPath::parse("data/Report.PDF").unwrap();
        let b = BagPath::parse("data/report.pdf").unwrap();
        assert_eq!(case_fold_key(&a), case_fold_key(&b));
        let c = BagPath::parse("data/ÄRGER").unwrap();
        let d = BagPath::parse("data/ärger").unwrap();
        assert_eq!(case_fold_key(&c), case_fold_key(&d));
    }

    #[test]
    fn os_metadata_files() {
        for os in [
            "data/.DS_Store",
            "data/a/Thumbs.db",
            "data/THUMBS.DB",
            "data/desktop.ini",
            "data/._report.pdf",
            "data/.Spotlight-V100/Store-V2/x",
            "data/__MACOSX/a/b",
        ] {
            assert!(os_metadata_file(os).is_some(), "{os}");
        }
        for plain in [
            "data/report.pdf",
            "data/.DS_Store.txt",
            "data/Thumbs.db/evidence.txt",
            "data/_.x",
            "data/.hidden",
        ] {
            assert_eq!(os_metadata_file(plain), None, "{plain}");
        }
    }

    #[test]
    fn aliases() {
        let nfc = "data/N\u{fa}\u{f1}ez";
        let nfd = "data/Nu\u{301}n\u{303}ez";
        assert_ne!(nfc, nfd);
        assert_eq!(alias_key(nfc), alias_key(nfd));
        assert_eq!(alias_key("data/HELLO.txt"), alias_key("data/hello.txt"));
        assert_eq!(alias_key("data/N\u{da}\u{d1}EZ"), alias_key(nfd));
        assert_ne!(alias_key("data/a"), alias_key("data/b"));
        assert_eq!(
            alias_difference(nfc, nfd),
            "Unicode normalization (NFC/NFD)"
        );
        assert_eq!(alias_difference("data/A", "data/a"), "letter case");
    }

    /// Names a file system can hold: any chars but '/' and NUL, not "." or "..".
    fn file_name() -> impl Strategy<Value = String> {
        "[^/\\x00]{1,12}".prop_filter("dot names", |s| s != "." && s != "..")
    }

    proptest! {
        // Deterministic: the same cases on every run and machine.
        #![proptest_config(ProptestConfig {
            rng_seed: proptest::test_runner::RngSeed::Fixed(0xe4_1b17),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn percent_round_trip(s in any::<String>()) {
            let encoded = percent_encode(&s);
            prop_assert!(!encoded.contains(['\r', '\n']));
            prop_assert_eq!(percent_decode(&encoded), s.as_str());
        }

        #[test]
        fn percent_decode_never_panics(s in "[%0-9a-fA-F\r\nü]{0,16}") {
            let _ = percent_decode(&s);
        }

        #[test]
        fn parse_never_panics(s in any::<String>()) {
            if let Ok(p) = BagPath::parse(&s) {
                prop_assert_eq!(p.as_str(), s.as_str());
                prop_assert!(p.components().all(|c| !c.is_empty() && c != "." && c != ".."));
            }
        }

        #[test]
        fn from_source_output_parses(names in proptest::collection::vec(file_name(), 1..5)) {
            let rel: PathBuf = names.iter().collect();
            if let Ok(p) = BagPath::from_source(&rel) {
                let again = BagPath::parse(p.as_str()).unwrap();
                prop_assert_eq!(&again, &p);
                prop_assert!(p.is_payload());
                let joined = names.join("/");
                prop_assert_eq!(p.strip_data(), Some(joined.as_str()));
            }
        }

        #[test]
        fn plain_names_are_accepted(names in proptest::collection::vec("[a-zA-Z0-9 _.%\r\n-]{1,10}", 1..5)) {
            prop_assume!(names.iter().all(|n| n != "." && n != ".."));
            let rel: PathBuf = names.iter().collect();
            let p = BagPath::from_source(&rel).unwrap();
            prop_assert_eq!(p.as_str(), format!("data/{}", names.join("/")));
        }
    }
}
