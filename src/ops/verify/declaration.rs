//! Steps 1b to 1d: `bagit.txt`, `bag-info.txt` and (plain bags) `fetch.txt`.

use crate::format::bag::{self, BagInfo, TagEncoding};
use crate::format::paths::BagPath;
use crate::limits::{MAX_MANIFEST_BYTES, MAX_TAG_BYTES};
use crate::problem::ProblemCode;

use super::{payload_index, Rules, Verification};

/// A file `fetch.txt` lists.
pub(super) struct Fetched {
    pub(super) line: usize,
    pub(super) length: Option<u64>,
}

impl Verification<'_> {
    /// Step 1b: `bagit.txt`; it decides the [`Rules`] and the encoding.
    pub(super) fn check_declaration(&mut self) {
        let name = bag::BAGIT_TXT_NAME;
        match self.read_tag(name, MAX_TAG_BYTES) {
            Some(bytes) => match bag::parse_bagit_txt(&bytes) {
                Ok(declaration) => {
                    self.rules = Rules::for_bag(self.exhibit, Some(declaration.version_number()));
                    if !self.rules.versions.contains(&declaration.version.as_str()) {
                        self.problem(
                            ProblemCode::BagDeclaration,
                            Some(name),
                            format!(
                                "BagIt version {} in an exhibit bundle (exhibit bundles are BagIt {})",
                                declaration.version,
                                self.rules.versions.join(" or ")
                            ),
                        );
                    }
                    if self.rules.declared_encoding {
                        self.encoding = declaration.tag_encoding;
                    } else if declaration.tag_encoding != TagEncoding::Utf8 {
                        self.problem(
                            ProblemCode::BagDeclaration,
                            Some(name),
                            format!(
                                "tag file character encoding {:?} in an exhibit bundle (exhibit bundles are UTF-8)",
                                declaration.encoding
                            ),
                        );
                    }
                }
                Err(e) => self.problem(ProblemCode::BagDeclaration, Some(name), e.to_string()),
            },
            // Present but unreadable: reported once, by `read_tag`.
            None if self.tags.contains_key(name) => {}
            None => self.problem(
                ProblemCode::BagDeclaration,
                Some(name),
                "bagit.txt is missing",
            ),
        }
        if self.tags.contains_key(bag::FETCH_NAME) && !self.rules.fetch {
            self.problem(
                ProblemCode::Fetch,
                Some(bag::FETCH_NAME),
                "fetch.txt lists payload held outside the bag; exhibit bundles hold all of it",
            );
        }
    }

    /// Step 1c: `bag-info.txt` (required in exhibit bundles;
    /// `package-info.txt` in plain bags before BagIt 0.96).
    pub(super) fn check_bag_info(&mut self) {
        let name = self.rules.info_file;
        match self.read_tag(name, MAX_TAG_BYTES) {
            Some(bytes) => {
                let text = self.decode_tag(name, &bytes, ProblemCode::BagInfo);
                match text.map(|text| BagInfo::parse_text(name, &text)) {
                    Some(Ok(info)) => {
                        if let Some(Err(e)) = info.payload_oxum() {
                            self.problem(ProblemCode::OxumMismatch, Some(name), e.to_string());
                        }
                        self.bag_info = Some(info)
                    }
                    Some(Err(e)) => self.problem(ProblemCode::BagInfo, Some(name), e.to_string()),
                    None => {}
                }
                self.bag_info_bytes = Some(bytes);
            }
            None if self.tags.contains_key(name) => {}
            None if self.rules.info_required => self.problem(
                ProblemCode::BagInfo,
                Some(name),
                format!("{name} is missing"),
            ),
            None => {}
        }
    }

    /// Step 1d (plain bags): `fetch.txt`, the payload files held elsewhere.
    /// Each must be a payload path; whether it is listed in the manifests
    /// is checked once they are loaded.
    pub(super) fn load_fetch(&mut self) {
        let name = bag::FETCH_NAME;
        if !self.rules.fetch {
            return;
        }
        let Some(bytes) = self.read_tag(name, MAX_MANIFEST_BYTES) else {
            return;
        };
        let Some(text) = self.decode_tag(name, &bytes, ProblemCode::Fetch) else {
            return;
        };
        let lines = match bag::parse_fetch_text(name, &text) {
            Ok(lines) => lines,
            Err(e) => return self.problem(ProblemCode::Fetch, Some(name), e.to_string()),
        };
        for line in lines {
            if self.is_payload_path(name, line.line, &line.path) {
                self.fetch.insert(
                    line.path,
                    Fetched {
                        line: line.line,
                        length: line.length,
                    },
                );
            }
        }
    }

    /// Every file `fetch.txt` lists must be listed in every payload
    /// manifest (RFC 8493 section 2.2.3).
    pub(super) fn check_fetch_listed(&mut self) {
        let mut unlisted = Vec::new();
        for (path, fetched) in &self.fetch {
            let index = payload_index(&self.payload, path);
            let missing_from: Vec<&str> = self
                .manifests
                .iter()
                .filter(|m| !m.lists(index, path))
                .map(|m| m.file.as_str())
                .collect();
            if !missing_from.is_empty() {
                unlisted.push(format!(
                    "line {}: {path:?} is not listed in {}",
                    fetched.line,
                    missing_from.join(", ")
                ));
            }
        }
        for message in unlisted {
            self.problem(ProblemCode::Fetch, Some(bag::FETCH_NAME), message);
        }
    }

    /// Whether a path a manifest or `fetch.txt` lists (at `line` of
    /// `file`) is a clean payload path; reports it when not.
    pub(super) fn is_payload_path(&mut self, file: &str, line: usize, path: &str) -> bool {
        match BagPath::parse(path) {
            Ok(parsed) if parsed.is_payload() => true,
            Ok(_) => {
                self.problem(
                    ProblemCode::PathUnsafe,
                    Some(path),
                    format!("{file} line {line}: lists a file outside data/"),
                );
                false
            }
            Err(e) => {
                self.problem(
                    ProblemCode::PathUnsafe,
                    Some(path),
                    format!("{file} line {line}: {e}"),
                );
                false
            }
        }
    }
}
