//! Step 1a: the entries of the bundle: clean names, regular files, each once; payload names that collide once folded.

use crate::format::paths::{self, BagPath};
use crate::problem::{Problem, ProblemCode};
use crate::store::EntryKind;

use super::Verification;

impl Verification<'_> {
    /// Step 1a: every entry has a clean name, is a regular file or folder,
    /// and appears once.
    pub(super) fn check_entries(&mut self) {
        let bundle = self.bundle;
        let mut previous: Option<&str> = None;
        // Payload files by a hash of their folded name (8 bytes a file, not
        // a map of keys): only names whose hashes meet are compared.
        let fold_state = std::collections::hash_map::RandomState::new();
        let mut folded: Vec<(u32, u32)> = Vec::new();
        // At most one per entry: reserved once, not doubled on the way.
        let files = bundle
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::File && e.name.starts_with("data/"))
            .count();
        folded.reserve_exact(files);
        self.payload.reserve_exact(files);
        for entry in &bundle.entries {
            if previous == Some(entry.name.as_str()) {
                self.problem(
                    ProblemCode::PathDuplicate,
                    Some(&entry.name),
                    "entry appears more than once",
                );
                continue;
            }
            previous = Some(&entry.name);
            let path = match BagPath::parse(&entry.name) {
                Ok(path) => path,
                Err(e) => {
                    self.problem(ProblemCode::PathUnsafe, Some(&entry.name), e.to_string());
                    continue;
                }
            };
            match entry.kind {
                EntryKind::Directory => continue,
                EntryKind::File => {}
                EntryKind::Symlink => {
                    self.problem(
                        ProblemCode::PathNotRegular,
                        Some(&entry.name),
                        "symbolic link in the bundle (not followed)",
                    );
                    continue;
                }
                EntryKind::Special(what) => {
                    self.problem(
                        ProblemCode::PathNotRegular,
                        Some(&entry.name),
                        format!("{what} in the bundle (not read)"),
                    );
                    continue;
                }
            }
            if path.is_payload() {
                // Exhibit keeps NFC and NFD spellings apart and says so in
                // its format; a plain bag is told about both kinds.
                let key = self.fold_key(&path);
                let hash = std::hash::BuildHasher::hash_one(&fold_state, &key);
                // Truncated: a chance meeting only costs comparing two keys.
                let index = u32::try_from(self.payload.len()).unwrap_or(u32::MAX);
                folded.push((hash as u32, index));
                self.payload.push(entry);
            } else {
                self.tags.insert(entry.name.clone(), entry);
            }
        }
        self.check_folded_names(folded);
    }

    /// The key two payload names collide under: letter case in an exhibit
    /// bundle (it keeps NFC and NFD spellings apart and says so in its
    /// format), case and Unicode normalization in a plain bag.
    pub(super) fn fold_key(&self, path: &BagPath) -> String {
        if self.rules.name_aliases {
            paths::alias_key(path.as_str())
        } else {
            paths::case_fold_key(path)
        }
    }

    /// Warns about payload names that collide once folded: each name about
    /// the one before it, in payload order. `folded` is (key hash, index).
    pub(super) fn check_folded_names(&mut self, mut folded: Vec<(u32, u32)>) {
        folded.sort_unstable();
        let mut found: Vec<(usize, Problem)> = Vec::new();
        for group in folded.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
            // Same hash: compare the keys themselves, in payload order.
            let mut keyed: Vec<(String, usize)> = group
                .iter()
                .filter_map(|&(_, i)| {
                    let i = i as usize;
                    let path = BagPath::parse(&self.payload.get(i)?.name).ok()?;
                    Some((self.fold_key(&path), i))
                })
                .collect();
            keyed.sort_unstable();
            for pair in keyed.windows(2).filter(|p| p[0].0 == p[1].0) {
                let (other, name) = (&self.payload[pair[0].1].name, &self.payload[pair[1].1].name);
                let how = paths::alias_difference(other, name);
                let collide = if how == "letter case" {
                    "case-insensitive"
                } else {
                    "normalizing"
                };
                found.push((
                    pair[1].1,
                    Problem::new(
                        ProblemCode::PathDuplicate,
                        Some(name),
                        format!("differs from {other:?} only by {how}; they collide on {collide} file systems"),
                    ),
                ));
            }
        }
        found.sort_by_key(|(i, _)| *i);
        self.report
            .warnings
            .extend(found.into_iter().map(|(_, p)| p));
    }
}
