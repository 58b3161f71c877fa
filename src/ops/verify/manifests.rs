//! Step 1d: the payload manifests (and exhibit's BLAKE3 manifest), held compactly or streamed.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read};

use crate::digest::manifest_hasher;
use crate::digest::Sha256Reader;
use crate::format::bag::{self, TagEncoding};
use crate::format::paths::BagPath;
use crate::format::seal::BLAKE3_MANIFEST_PATH;
use crate::limits::MAX_MANIFEST_BYTES;
use crate::problem::ProblemCode;
use crate::store::StoreError;

use super::{payload_index, Verification};

/// A payload manifest, held compactly: a million lines would take some
/// 170 bytes each in a map of strings. The digest of each payload file
/// sits at its index in `Verification::payload`; only lines that name no
/// payload file (absent files, other spellings), which stay rare, are kept
/// by name.
pub(super) struct Manifest {
    pub(super) file: String,
    pub(super) algorithm: String,
    /// Digest bytes: `width` per payload file, in payload order; empty
    /// when `streamed`.
    pub(super) width: usize,
    pub(super) digests: Vec<u8>,
    /// The manifest lists its paths in payload order (exhibit writes it
    /// so): its digests are not held but read again while hashing, one
    /// batch at a time ([`LineCursor`]).
    pub(super) streamed: bool,
    /// Which payload files it lists, a bit each.
    pub(super) listed: Bits,
    /// The line listing each payload file (to name a repeat); empty when
    /// `streamed` (a repeat is out of order, so never streamed).
    pub(super) lines: Vec<u32>,
    /// Lines naming no payload file: path to (lowercase hex digest, line).
    pub(super) others: BTreeMap<String, (String, usize)>,
    /// Files in the bag that this manifest lists under another spelling of
    /// their name (case, normalization): name in the bag to listed name.
    pub(super) aliases: HashMap<Box<str>, Box<str>>,
}

impl Manifest {
    pub(super) fn new(
        file: &str,
        algorithm: &str,
        width: usize,
        files: usize,
        streamed: bool,
    ) -> Manifest {
        Manifest {
            file: file.into(),
            algorithm: algorithm.into(),
            width,
            digests: if streamed {
                Vec::new()
            } else {
                vec![0; width * files]
            },
            streamed,
            listed: Bits::new(files),
            lines: if streamed { Vec::new() } else { vec![0; files] },
            others: BTreeMap::new(),
            aliases: HashMap::new(),
        }
    }

    pub(super) fn digest_at(&self, index: usize) -> Option<&[u8]> {
        let at = index * self.width;
        self.listed
            .get(index)
            .then(|| self.digests.get(at..at + self.width))
            .flatten()
    }

    /// Whether the manifest lists `path` (payload file `index`, if it is one).
    pub(super) fn lists(&self, index: Option<usize>, path: &str) -> bool {
        match index {
            Some(i) => self.listed.get(i),
            None => self.others.contains_key(path),
        }
    }

    /// The hex digest listed for `path` (payload file `index`, if it is one).
    pub(super) fn listed_hex(&self, index: Option<usize>, path: &str) -> Option<String> {
        match index {
            Some(i) => self.digest_at(i).map(hex::encode),
            None => self.others.get(path).map(|(d, _)| d.clone()),
        }
    }

    /// The digest listed for payload file `index` named `name`, under its
    /// name or an alias.
    /// `window` holds the digests of a streamed manifest for the batch
    /// starting at payload index `base`.
    pub(super) fn listed<'m>(
        &'m self,
        index: usize,
        name: &str,
        window: &'m [u8],
        base: usize,
    ) -> Option<std::borrow::Cow<'m, [u8]>> {
        if self.streamed {
            let at = index.checked_sub(base)? * self.width;
            return self
                .listed
                .get(index)
                .then(|| window.get(at..at + self.width))
                .flatten()
                .map(std::borrow::Cow::Borrowed);
        }
        if let Some(d) = self.digest_at(index) {
            return Some(std::borrow::Cow::Borrowed(d));
        }
        let alias = self.aliases.get(name)?;
        let (hex_digest, _) = self.others.get(&**alias)?;
        hex::decode(hex_digest).ok().map(std::borrow::Cow::Owned)
    }
}

/// One bit per payload file.
pub(super) struct Bits(Vec<u64>);

impl Bits {
    pub(super) fn new(len: usize) -> Bits {
        Bits(vec![0; len.div_ceil(64)])
    }

    pub(super) fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub(super) fn set(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
}

/// A manifest to be streamed is not in payload order.
pub(super) struct Unsorted;

/// What loading a manifest found besides its digests.
#[derive(Default)]
pub(super) struct Found {
    pub(super) markers: usize,
    pub(super) dot_slashes: usize,
    /// Lines that repeat a path listed before (the first line is kept).
    pub(super) repeats: Vec<bag::RepeatedLine>,
    /// The first repeat, as the error an exhibit bundle's manifest gets.
    pub(super) duplicate: Option<bag::BagError>,
    /// Lines whose path is not a clean payload path: (line, path).
    pub(super) rejected: Vec<(usize, String)>,
    /// Rejected paths already seen: path to (line, digest).
    pub(super) rejected_seen: HashMap<String, (usize, String)>,
    /// The last path, while every path so far came after the one before.
    pub(super) last: Option<String>,
    /// A path came at or before the one before it: the manifest cannot be
    /// streamed in payload order.
    pub(super) unsorted: bool,
}

impl Found {
    /// Files one manifest line into `manifest`.
    pub(super) fn add(
        &mut self,
        manifest: &mut Manifest,
        payload: &[&crate::store::Entry],
        line: bag::ManifestLine,
    ) {
        if manifest.streamed {
            if self.unsorted || self.last.as_deref() >= Some(line.path.as_str()) {
                // Read again, held whole (a repeat is found then too).
                self.unsorted = true;
                return;
            }
            self.last = Some(line.path.clone());
        }
        let first = match payload_index(payload, &line.path) {
            Some(i) if manifest.streamed => {
                manifest.listed.set(i);
                return;
            }
            Some(i) => {
                let width = manifest.width;
                let slot = &mut manifest.digests[i * width..(i + 1) * width];
                if !manifest.listed.get(i) {
                    // Checked as hex digits of the right length when parsed.
                    let _ = hex::decode_to_slice(&line.digest, slot);
                    manifest.listed.set(i);
                    manifest.lines[i] = u32::try_from(line.line).unwrap_or(u32::MAX);
                    return;
                }
                (manifest.lines[i] as usize, hex::encode(slot) == line.digest)
            }
            None if BagPath::parse(&line.path).is_ok_and(|p| p.is_payload()) => {
                match manifest.others.get(&line.path) {
                    Some((digest, first)) => (*first, *digest == line.digest),
                    None => {
                        manifest.others.insert(line.path, (line.digest, line.line));
                        return;
                    }
                }
            }
            None => match self.rejected_seen.get(&line.path) {
                Some((first, digest)) => (*first, *digest == line.digest),
                None => {
                    self.rejected.push((line.line, line.path.clone()));
                    self.rejected_seen
                        .insert(line.path, (line.line, line.digest));
                    return;
                }
            },
        };
        let (first_line, same_digest) = first;
        if self.duplicate.is_none() {
            self.duplicate = Some(bag::duplicate_entry(
                &manifest.file,
                &line.path,
                line.line,
                first_line,
            ));
        }
        self.repeats.push(bag::RepeatedLine {
            path: line.path,
            line: line.line,
            first_line,
            same_digest,
        });
    }
}

impl Verification<'_> {
    /// Warns of the md5sum and sha256sum forms a foreign manifest's lines
    /// used (a binary-mode `*`, a leading `./`), read as the tools meant them.
    pub(super) fn warn_foreign_forms(&mut self, name: &str, markers: usize, dot_slashes: usize) {
        let lines = if markers == 1 {
            "line puts"
        } else {
            "lines put"
        };
        if markers > 0 {
            self.warning(
                ProblemCode::ManifestNonstandard,
                Some(name),
                format!(
                    "{markers} {lines} md5sum's binary-mode '*' before the path; read as a marker, not part of the name"
                ),
            );
        }
        let paths = if dot_slashes == 1 {
            "line starts"
        } else {
            "lines start"
        };
        if dot_slashes > 0 {
            self.warning(
                ProblemCode::ManifestNonstandard,
                Some(name),
                format!("{dot_slashes} {paths} the path with './'; read relative to the bag root"),
            );
        }
    }

    /// Calls `each` with every line of a payload manifest (or the salts),
    /// in file order. A UTF-8 file is streamed, never held whole, and its
    /// SHA-256 noted for the seal's tag digests; a plain bag's file in
    /// another declared encoding is small and decoded whole. `None` when it
    /// cannot be read (`Err` with the read error); `Some(Err)` with the
    /// error the whole-file parser gives (an undecodable line anywhere
    /// before a malformed one).
    pub(super) fn manifest_lines(
        &mut self,
        name: &str,
        hex_len: usize,
        encoding: TagEncoding,
        each: &mut dyn FnMut(bag::ManifestLine),
    ) -> Result<Result<(), bag::BagError>, StoreError> {
        let Some(entry) = self.tags.get(name).copied() else {
            return Err(StoreError::Io {
                path: name.into(),
                error: io::ErrorKind::NotFound.into(),
            });
        };
        if encoding != TagEncoding::Utf8 {
            let bytes = self.bundle.read_entry(entry, MAX_MANIFEST_BYTES)?;
            let parsed = bag::decode_tag_file(name, &bytes, encoding)
                .and_then(|text| bag::parse_manifest_lines(name, &text, hex_len));
            return Ok(parsed.map(|lines| lines.into_iter().for_each(each)));
        }
        if entry.size > MAX_MANIFEST_BYTES {
            return Err(StoreError::TooLarge {
                path: name.into(),
                size: entry.size,
                limit: MAX_MANIFEST_BYTES,
            });
        }
        let reader = Sha256Reader::new(self.bundle.open_entry(entry)?.take(MAX_MANIFEST_BYTES + 1));
        let mut lines = bag::TextLines::new(name, reader);
        let mut failed: Option<bag::BagError> = None;
        loop {
            match lines.next_line() {
                Ok(None) => break,
                Ok(Some(_)) if failed.is_some() => {}
                Ok(Some((number, line))) => {
                    match bag::parse_manifest_line(name, number, line, hex_len) {
                        Ok(Some(line)) => each(line),
                        Ok(None) => {}
                        Err(e) => failed = Some(e),
                    }
                }
                Err(bag::TextLinesError::Bag(e)) => return Ok(Err(e)),
                Err(bag::TextLinesError::Io(error)) => {
                    return Err(StoreError::Io {
                        path: name.into(),
                        error,
                    })
                }
            }
        }
        let reader = lines.into_inner();
        if reader.count() > MAX_MANIFEST_BYTES {
            return Err(StoreError::TooLarge {
                path: name.into(),
                size: reader.count(),
                limit: MAX_MANIFEST_BYTES,
            });
        }
        let digest = reader.digest();
        self.tag_sha256.insert(name.to_owned(), digest);
        Ok(failed.map_or(Ok(()), Err))
    }

    /// Step 1d: every payload manifest (and exhibit's BLAKE3 manifest).
    pub(super) fn load_manifests(&mut self) {
        for (name, algorithm) in self.tags_by_algorithm(bag::manifest_algorithm) {
            if let Some(manifest) = self.load_manifest(&name, &algorithm) {
                self.manifests.push(manifest);
            }
        }
        if self.manifests.is_empty()
            && !self
                .report
                .problems
                .iter()
                .any(|p| p.code == ProblemCode::ManifestInvalid)
        {
            self.problem(
                ProblemCode::NoManifest,
                None,
                "no payload manifest (manifest-<algorithm>.txt)",
            );
        }
        // A disclosure bundle has no BLAKE3 manifest: its leaf inputs say.
        if self.is_exhibit() && !self.is_disclosure() {
            if self.tags.contains_key(BLAKE3_MANIFEST_PATH) {
                self.blake3_manifest = self.load_manifest(BLAKE3_MANIFEST_PATH, "blake3");
            } else {
                self.problem(
                    ProblemCode::SealMissing,
                    Some(BLAKE3_MANIFEST_PATH),
                    "BLAKE3 manifest is missing",
                );
            }
        }
    }

    /// A payload manifest: streamed in an exhibit bundle when it lists its
    /// paths in payload order, else (or when it does not) held whole.
    pub(super) fn load_manifest(&mut self, name: &str, algorithm: &str) -> Option<Manifest> {
        if manifest_hasher(algorithm).is_none() && algorithm != "blake3" {
            self.problem(
                ProblemCode::ManifestUnsupported,
                Some(name),
                format!("cannot compute {algorithm} digests"),
            );
            return None;
        }
        if !self.bundle.payload_listed() {
            // Found but not read: the seal's tag digest binds it.
            let width = bag::digest_hex_len(algorithm)? / 2;
            return Some(Manifest::new(name, algorithm, width, 0, false));
        }
        if self.is_exhibit() {
            match self.read_manifest(name, algorithm, true) {
                Err(Unsorted) => {}
                Ok(manifest) => return manifest,
            }
        }
        self.read_manifest(name, algorithm, false).ok().flatten()
    }

    /// Reads a payload manifest (`streamed`: without its digests);
    /// `Err(Unsorted)`, with nothing reported, when a streamed manifest is
    /// not in payload order.
    pub(super) fn read_manifest(
        &mut self,
        name: &str,
        algorithm: &str,
        streamed: bool,
    ) -> Result<Option<Manifest>, Unsorted> {
        let Some(hex_len) = bag::digest_hex_len(algorithm) else {
            return Ok(None);
        };
        let rules = self.rules;
        let payload = std::mem::take(&mut self.payload);
        let mut manifest = Manifest::new(name, algorithm, hex_len / 2, payload.len(), streamed);
        let mut found = Found::default();
        let read = self.manifest_lines(name, hex_len, self.encoding, &mut |mut line| {
            if rules.foreign_manifest_forms {
                let (path, prefixes) = bag::foreign_path_prefixes(&line.path);
                if prefixes != bag::ForeignPrefixes::default() {
                    found.markers += usize::from(prefixes.binary_marker);
                    found.dot_slashes += usize::from(prefixes.dot_slash);
                    line.path = path.to_owned();
                }
            }
            found.add(&mut manifest, &payload, line);
        });
        self.payload = payload;
        let parsed = match read {
            Ok(parsed) => parsed,
            Err(e) => {
                self.tag_unreadable(name, e);
                return Ok(None);
            }
        };
        if found.unsorted {
            return Err(Unsorted);
        }
        if let Err(e) = parsed.and(found.duplicate.map_or(Ok(()), Err)) {
            if rules.repeats.is_none() || !matches!(e, bag::BagError::DuplicateEntry { .. }) {
                self.problem(ProblemCode::ManifestInvalid, Some(name), e.to_string());
                return Ok(None);
            }
        }
        if rules.foreign_manifest_forms {
            self.warn_foreign_forms(name, found.markers, found.dot_slashes);
        }
        if let Some(warn_same_digest) = rules.repeats {
            found
                .repeats
                .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
            self.report_repeats(name, found.repeats, warn_same_digest);
        }
        // Paths that are not clean payload paths, as the lines that list them.
        found.rejected.sort_by_key(|(line, _)| *line);
        for (line, path) in found.rejected {
            self.is_payload_path(name, line, &path);
        }
        Ok(Some(manifest))
    }
}
