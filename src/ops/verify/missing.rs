//! Step 2a: listed files that are not in the bag.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::format::bag::{self};
use crate::format::paths::{self};
use crate::problem::ProblemCode;

use super::{payload_index, Verification};

/// Listed payload files that are not in the bag and were excused (a holey
/// bag's, operating-system files): `Payload-Oxum` counts them too.
#[derive(Debug)]
pub(super) struct Unchecked {
    pub(super) seen: BTreeSet<String>,
    pub(super) files: u64,
    pub(super) known_bytes: u64,
    /// Every excused file's size is known (from `fetch.txt`).
    pub(super) sizes_known: bool,
}

impl Default for Unchecked {
    fn default() -> Self {
        Unchecked {
            seen: BTreeSet::new(),
            files: 0,
            known_bytes: 0,
            sizes_known: true,
        }
    }
}

impl Unchecked {
    /// Counts a file once, however many manifests list it.
    pub(super) fn add(&mut self, path: &str, length: Option<u64>) {
        if !self.seen.insert(path.to_owned()) {
            return;
        }
        self.files += 1;
        match length {
            Some(n) => self.known_bytes = self.known_bytes.saturating_add(n),
            None => self.sizes_known = false,
        }
    }
}

impl Verification<'_> {
    /// Listed files that are not in the bag: a problem each, except what
    /// the [`Rules`] of a plain bag excuse: files `fetch.txt` holds
    /// elsewhere and operating-system metadata files (not checked, counted
    /// in the returned [`Unchecked`]), and names that are another spelling
    /// (case, Unicode normalization) of a file in the bag.
    pub(super) fn check_missing(&mut self) -> Unchecked {
        let rules = self.rules;
        // Files in the bag by alias key, made only when a name is missing.
        let mut by_alias: Option<HashMap<String, Vec<&str>>> = None;
        let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut unchecked = Unchecked::default();
        let mut os_absent: BTreeMap<String, (&'static str, Vec<String>)> = BTreeMap::new();
        // Listed name -> (name in the bag, how they differ, manifests).
        let mut aliased: BTreeMap<String, (String, &'static str, Vec<String>)> = BTreeMap::new();
        let payload = &self.payload;
        for manifest in self
            .manifests
            .iter_mut()
            .chain(self.blake3_manifest.as_mut())
        {
            // Sorted already; only these name no file in the bag.
            let listed_missing: Vec<String> = manifest.others.keys().cloned().collect();
            for path in &listed_missing {
                let path = path.as_str();
                if let Some(fetched) = self.fetch.get(path) {
                    unchecked.add(path, fetched.length);
                    continue;
                }
                if rules.os_files {
                    if let Some(what) = paths::os_metadata_file(path) {
                        unchecked.add(path, None);
                        let entry = os_absent
                            .entry(path.to_owned())
                            .or_insert((what, Vec::new()));
                        entry.1.push(manifest.file.clone());
                        continue;
                    }
                }
                if rules.name_aliases {
                    let by_alias = by_alias.get_or_insert_with(|| {
                        let mut map: HashMap<String, Vec<&str>> = HashMap::new();
                        for entry in payload.iter() {
                            map.entry(paths::alias_key(&entry.name))
                                .or_default()
                                .push(&entry.name);
                        }
                        map
                    });
                    let digest = manifest.listed_hex(None, path);
                    let candidates = by_alias
                        .get(&paths::alias_key(path))
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    // The same file listed twice under two spellings.
                    let twice = candidates
                        .iter()
                        .find(|c| manifest.listed_hex(payload_index(payload, c), c) == digest);
                    // Or listed once, under a spelling other than the bag's.
                    let renamed = match candidates {
                        [only]
                            if !manifest.lists(payload_index(payload, only), only)
                                && !manifest.aliases.contains_key(*only) =>
                        {
                            Some(only)
                        }
                        _ => None,
                    };
                    if let Some(in_bag) = twice.or(renamed) {
                        if renamed.is_some() && twice.is_none() {
                            manifest.aliases.insert((*in_bag).into(), path.into());
                        }
                        let entry = aliased.entry(path.to_owned()).or_insert_with(|| {
                            (
                                in_bag.to_string(),
                                paths::alias_difference(path, in_bag),
                                Vec::new(),
                            )
                        });
                        entry.2.push(manifest.file.clone());
                        continue;
                    }
                }
                missing
                    .entry(path.to_owned())
                    .or_default()
                    .push(manifest.file.clone());
            }
        }
        for (path, files) in missing {
            self.problem(
                ProblemCode::PayloadMissing,
                Some(&path),
                format!("listed in {} but not in the bag", files.join(", ")),
            );
        }
        for (path, (in_bag, how, files)) in aliased {
            let message = format!(
                "listed in {} as a spelling of {in_bag:?} that differs only by {how}; \
                 read as that file (they are one file on case-insensitive or normalizing file systems)",
                files.join(", ")
            );
            self.warning(ProblemCode::PathDuplicate, Some(&path), message);
        }
        for (path, (what, files)) in os_absent {
            let message = format!(
                "{what}, listed in {} but not in the bag (copying tools often leave these out); not checked",
                files.join(", ")
            );
            self.warning(ProblemCode::PayloadOsFile, Some(&path), message);
        }
        if rules.os_files {
            let present_os: Vec<(String, &'static str)> = self
                .payload
                .iter()
                .filter_map(|e| Some((e.name.clone(), paths::os_metadata_file(&e.name)?)))
                .collect();
            for (path, what) in present_os {
                let message = format!("{what} in the payload; checked like any payload file, but probably not meant as evidence");
                self.warning(ProblemCode::PayloadOsFile, Some(&path), message);
            }
        }
        let fetched_absent = self
            .fetch
            .keys()
            .filter(|p| payload_index(&self.payload, p).is_none())
            .count();
        if fetched_absent > 0 {
            let message = format!(
                "{fetched_absent} of the {} files listed in fetch.txt are not in the bag (a holey bag); they were not checked",
                self.fetch.len()
            );
            self.warning(ProblemCode::Fetch, Some(bag::FETCH_NAME), message);
        }
        unchecked
    }
}
