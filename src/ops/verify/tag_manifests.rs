//! Step 2b: every tag manifest present is correct.

use crate::digest::manifest_hasher;
use crate::format::bag::{self, ManifestLine};
use crate::limits::MAX_MANIFEST_BYTES;
use crate::problem::ProblemCode;

use super::{stream_digest, Verification};

impl Verification<'_> {
    /// A (tag) manifest's lines as the [`Rules`] read them: in an exhibit
    /// bundle exactly as written and a repeated path makes the file
    /// invalid; in a plain bag with md5sum's `*` and a leading `./` read as
    /// meant (one warning per file), and one line kept per path.
    pub(super) fn read_manifest_lines(
        &mut self,
        name: &str,
        hex_len: usize,
    ) -> Option<Vec<ManifestLine>> {
        let bytes = self.read_tag(name, MAX_MANIFEST_BYTES)?;
        let text = self.decode_tag(name, &bytes, ProblemCode::ManifestInvalid)?;
        let parsed = if self.rules.foreign_manifest_forms {
            bag::parse_manifest_lines(name, &text, hex_len)
        } else {
            bag::parse_manifest_text(name, &text, hex_len)
        };
        let mut lines = match parsed {
            Ok(lines) => lines,
            Err(e) => {
                self.problem(ProblemCode::ManifestInvalid, Some(name), e.to_string());
                return None;
            }
        };
        if self.rules.foreign_manifest_forms {
            let (mut markers, mut dot_slashes) = (0usize, 0usize);
            for line in &mut lines {
                let (path, found) = bag::foreign_path_prefixes(&line.path);
                if found != bag::ForeignPrefixes::default() {
                    markers += usize::from(found.binary_marker);
                    dot_slashes += usize::from(found.dot_slash);
                    line.path = path.to_owned();
                }
            }
            self.warn_foreign_forms(name, markers, dot_slashes);
        }
        if let Some(warn_same_digest) = self.rules.repeats {
            let (kept, repeats) = bag::drop_repeated_lines(lines);
            self.report_repeats(name, repeats, warn_same_digest);
            lines = kept;
        }
        Some(lines)
    }

    /// Reports the lines of manifest `name` that list a path again: a
    /// problem, or only a warning when the drafts allowed it
    /// (`warn_same_digest`) and the digest is the same.
    pub(super) fn report_repeats(
        &mut self,
        name: &str,
        repeats: Vec<bag::RepeatedLine>,
        warn_same_digest: bool,
    ) {
        for repeat in repeats {
            let at = format!(
                "{name} line {}: listed again (first at line {})",
                repeat.line, repeat.first_line
            );
            let path = Some(repeat.path.as_str());
            if !repeat.same_digest {
                let message = format!("{at} with a different digest");
                self.problem(ProblemCode::ManifestDuplicate, path, message);
            } else if warn_same_digest {
                let message = format!("{at} with the same digest");
                self.warning(ProblemCode::ManifestDuplicate, path, message);
            } else {
                let message = format!("{at}; BagIt 1.0 lists each file once");
                self.problem(ProblemCode::ManifestDuplicate, path, message);
            }
        }
    }

    /// Step 2b: every tag manifest present is correct.
    pub(super) fn check_tag_manifests(&mut self) {
        for (name, algorithm) in self.tags_by_algorithm(bag::tagmanifest_algorithm) {
            let (Some(hex_len), Some(_)) =
                (bag::digest_hex_len(&algorithm), manifest_hasher(&algorithm))
            else {
                self.problem(
                    ProblemCode::ManifestUnsupported,
                    Some(&name),
                    format!("cannot compute {algorithm} digests"),
                );
                continue;
            };
            let Some(lines) = self.read_manifest_lines(&name, hex_len) else {
                continue;
            };
            for line in lines {
                let Some(entry) = self.tags.get(&line.path).copied() else {
                    let what = if line.path.starts_with("data/") {
                        "lists a payload file"
                    } else {
                        "lists a tag file that is missing"
                    };
                    self.problem(
                        ProblemCode::TagMismatch,
                        Some(&line.path),
                        format!("{name} line {}: {what}", line.line),
                    );
                    continue;
                };
                // Streamed: a tag manifest lists the payload manifests.
                let actual = match manifest_hasher(&algorithm) {
                    Some(mut hasher) => {
                        stream_digest(self.bundle, entry, MAX_MANIFEST_BYTES, &mut *hasher)
                            .map(hex::encode)
                    }
                    None => continue,
                };
                match actual {
                    Ok(actual) if actual == line.digest => {}
                    Ok(actual) => self.problem(
                        ProblemCode::TagMismatch,
                        Some(&line.path),
                        format!("{algorithm} is {actual}, {name} says {}", line.digest),
                    ),
                    Err(e) => self.tag_unreadable(&line.path, e),
                }
            }
        }
    }
}
