//! How strictly a bag is read: an exhibit bundle, or a plain bag made by another tool.

use crate::format::bag::{self};

/// How strictly a bag is read: the one place where a bag made by exhibit
/// (it has `exhibit/`) and a plain bag made by another tool are told apart.
/// An exhibit bundle is held to exactly what exhibit writes; a plain bag
/// gets what RFC 8493 and the drafts before it (0.93 to 0.97) allow, and
/// the forms BagIt linters only warn about are warnings, not problems.
/// docs/FORMAT.md ("Plain BagIt bags") lists the differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rules {
    /// BagIt versions `bagit.txt` may declare.
    pub(super) versions: &'static [&'static str],
    /// Tag files are read in the encoding `bagit.txt` declares; otherwise
    /// it must declare UTF-8.
    pub(super) declared_encoding: bool,
    /// The bag metadata file, and whether it must be present.
    pub(super) info_file: &'static str,
    pub(super) info_required: bool,
    /// Manifest lines as other tools write them (md5sum's `*`, a leading
    /// `./`) are read as meant, with a warning; otherwise the prefix is
    /// part of the path (which then names no payload file).
    pub(super) foreign_manifest_forms: bool,
    /// A path listed twice in one manifest: `None`, the manifest is
    /// invalid; `Some(warn)`, each repeat is a problem, or only a warning
    /// when it repeats the same digest and `warn`.
    pub(super) repeats: Option<bool>,
    /// `fetch.txt` is read (a holey bag: its files may be absent); otherwise
    /// it is a problem.
    pub(super) fetch: bool,
    /// A listed file that is absent, but whose name differs only by case or
    /// Unicode normalization from a file in the bag, names that file.
    pub(super) name_aliases: bool,
    /// Operating-system metadata files (`.DS_Store`, ...) are warned about,
    /// and may be listed yet absent.
    pub(super) os_files: bool,
}

impl Rules {
    /// The rules for an exhibit bundle, or for a plain bag of `version`
    /// (`None`: `bagit.txt` unreadable).
    pub(super) fn for_bag(exhibit: bool, version: Option<(u32, u32)>) -> Rules {
        if exhibit {
            return Rules {
                versions: &["1.0", "0.97"],
                declared_encoding: false,
                info_file: bag::BAG_INFO_NAME,
                info_required: true,
                foreign_manifest_forms: false,
                repeats: None,
                fetch: false,
                name_aliases: false,
                os_files: false,
            };
        }
        let version = version.unwrap_or((1, 0));
        Rules {
            versions: &bag::SUPPORTED_VERSIONS,
            declared_encoding: true,
            info_file: if version < (0, 96) {
                bag::PACKAGE_INFO_NAME
            } else {
                bag::BAG_INFO_NAME
            },
            info_required: false,
            foreign_manifest_forms: true,
            // RFC 8493 made a repeated line an error; the drafts did not.
            repeats: Some(version < (1, 0)),
            fetch: true,
            name_aliases: true,
            os_files: true,
        }
    }
}
