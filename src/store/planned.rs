//! A bundle built by several machines at once (`seal --plan --shard`, then
//! `seal --plan --finish`): where its pieces wait beside the output, and
//! how each shard writes its files into it, at places every shard computes
//! alike from the plan, so that the finish only adds the metadata.
//!
//! A zip's payload entries come one after another from a fixed head
//! (`bagit.txt` and the `data/` folder entry), each a local header and the
//! file's stored bytes: with the names and sizes of the plan, every
//! entry's offset is known before a byte is read ([`ZipPlacement`]). A
//! shard writes its entries there — into the shared staging zip, or into
//! a segment file of its own that the finish copies in — a large file's
//! data first and its complete local header last, a run of small files as
//! complete entries in one write, so a shard killed half-way, or run
//! twice at once, leaves only bytes a complete run also writes.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::zip_write::{planned_entry, planned_local_header};
use super::{io_err, BundleForm, StoreError};
use crate::digest::{hash_stream, FileDigest, Sha256Digest};
use crate::format::bag::BAGIT_TXT;

/// Where the pieces of a bundle built from a plan wait until the finish
/// renames the bundle into place: `.NAME.plan-<first 16 hex digits of the
/// plan's SHA-256>` beside the output `NAME`, holding the bundle being
/// built (`bundle/` or `bundle.zip`), the shards' parts (`parts/`) and
/// their segment files (`segments/`).
#[derive(Debug, Clone)]
pub struct WorkFolder {
    root: PathBuf,
    form: BundleForm,
}

impl WorkFolder {
    pub fn for_output(out: &Path, plan_sha256: &Sha256Digest) -> WorkFolder {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "bundle".into());
        let plan = &plan_sha256.to_hex()[..16];
        WorkFolder {
            root: crate::fsx::parent_or_dot(out).join(format!(".{name}.plan-{plan}")),
            form: BundleForm::for_output(out),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn form(&self) -> BundleForm {
        self.form
    }

    /// The bundle being built: a folder (the bag's root) or a zip file.
    pub fn staged(&self) -> PathBuf {
        match self.form {
            BundleForm::Directory => self.root.join("bundle"),
            BundleForm::Zip => self.root.join("bundle.zip"),
        }
    }

    pub fn parts(&self) -> PathBuf {
        self.root.join("parts")
    }

    pub fn part(&self, shard: u64) -> PathBuf {
        self.parts().join(format!("{shard}.part"))
    }

    pub fn segment(&self, shard: u64) -> PathBuf {
        self.root.join("segments").join(format!("{shard}.seg"))
    }

    /// Makes the folders a shard writes into (every shard does: any may
    /// run first).
    pub fn prepare(&self) -> Result<(), StoreError> {
        let made = |path: PathBuf| fs::create_dir_all(&path).map_err(io_err(path.display()));
        made(self.parts())?;
        made(self.root.join("segments"))?;
        if self.form == BundleForm::Directory {
            made(self.staged().join("data"))?;
        }
        Ok(())
    }

    /// Removes what is left once the bundle has been renamed into place.
    pub fn remove(&self) -> Result<(), StoreError> {
        fs::remove_dir_all(&self.root).map_err(io_err(self.root.display()))
    }
}

/// The zip being built, for writing where its writers choose: created by
/// whichever comes first, never truncated (others' bytes are in it).
pub(super) fn open_staged_zip(staged: &Path) -> Result<File, StoreError> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(staged)
        .map_err(io_err(staged.display()))
}

/// The zip's top folder for an output path, as a plain seal names it.
pub(super) fn zip_top(out: &Path) -> String {
    out.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "bundle".into())
}

/// Where each payload entry of a zip bundle starts, file after file in bag
/// order: after the head (`bagit.txt`, then the `data/` folder entry, both
/// with short names and no extra field), each entry where the one before
/// ends.
#[derive(Debug, Clone)]
pub struct ZipPlacement {
    top: String,
    next: u64,
}

impl ZipPlacement {
    pub fn new(out: &Path) -> ZipPlacement {
        let top = zip_top(out);
        let bagit = 30 + format!("{top}/bagit.txt").len() as u64 + BAGIT_TXT.len() as u64;
        let data = 30 + format!("{top}/data/").len() as u64;
        ZipPlacement {
            top,
            next: bagit + data,
        }
    }

    /// The entry name of a bag path.
    pub fn entry_name(&self, bag_path: &str) -> String {
        format!("{}/{bag_path}", self.top)
    }

    /// Places the next payload file: where its entry starts, and where its
    /// data starts (after the local header).
    pub fn place(&mut self, bag_path: &str, size: u64) -> Result<(u64, u64), StoreError> {
        let start = self.next;
        let data = start + planned_entry(&self.entry_name(bag_path), size, start)?;
        self.next = data.checked_add(size).ok_or_else(|| StoreError::Zip {
            path: bag_path.into(),
            reason: "the zip would be larger than 2^64 bytes".into(),
        })?;
        Ok((start, data))
    }

    /// The complete local header of the entry of `bag_path` at
    /// `header_start`, once its data's CRC-32 is known.
    pub fn local_header(
        &self,
        bag_path: &str,
        size: u64,
        header_start: u64,
        crc: u32,
    ) -> Result<Vec<u8>, StoreError> {
        planned_local_header(&self.entry_name(bag_path), size, header_start, crc)
    }

    /// Where the next entry would start: after the last file placed.
    pub fn end(&self) -> u64 {
        self.next
    }
}

/// Where one shard writes its zip entries: the staging zip itself, at the
/// entries' offsets, or its own segment file, which holds the shard's run
/// of the zip from `base` on.
pub struct ShardZip {
    file: File,
    base: u64,
    shown: PathBuf,
}

impl ShardZip {
    /// The staging zip, shared by every shard (created by whichever comes
    /// first; never truncated).
    pub fn in_place(staged: &Path) -> Result<ShardZip, StoreError> {
        Ok(ShardZip {
            file: open_staged_zip(staged)?,
            base: 0,
            shown: staged.into(),
        })
    }

    /// A segment file (a temporary file the caller renames once complete)
    /// holding the zip's bytes from `base` on.
    pub fn segment(file: File, path: &Path, base: u64) -> ShardZip {
        ShardZip {
            file,
            base,
            shown: path.into(),
        }
    }

    /// Copies `source` into the entry of `bag_path` that starts at
    /// `header_start` while hashing it: the data first, then (only when it
    /// is exactly `size` bytes) its complete local header. Returns the
    /// digest of the bytes read and their CRC-32.
    pub fn write_entry(
        &self,
        placement: &ZipPlacement,
        bag_path: &str,
        size: u64,
        header_start: u64,
        source: &mut (dyn Read + Send),
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<(FileDigest, u32), StoreError> {
        let name = placement.entry_name(bag_path);
        let header_len = planned_entry(&name, size, header_start)?;
        let local = |at: u64| {
            at.checked_sub(self.base).ok_or_else(|| StoreError::Zip {
                path: bag_path.into(),
                reason: "an entry before the segment's start".into(),
            })
        };
        let mut sink = PositionedWrites {
            file: &self.file,
            at: local(header_start + header_len)?,
            crc: crc32fast::Hasher::new(),
            failed: false,
        };
        let digest = match hash_stream(source, size, Some(&mut sink), progress) {
            Ok(digest) => digest,
            Err(error) if sink.failed => {
                return Err(StoreError::Write {
                    path: self.shown.display().to_string(),
                    error,
                })
            }
            Err(error) => return Err(io_err(bag_path)(error)),
        };
        let crc = sink.crc.finalize();
        if digest.size == size {
            let header = planned_local_header(&name, size, header_start, crc)?;
            write_all_at(&self.file, &header, local(header_start)?).map_err(|error| {
                StoreError::Write {
                    path: self.shown.display().to_string(),
                    error,
                }
            })?;
        }
        Ok((digest, crc))
    }

    /// Writes a run of complete entries (headers and data, one after
    /// another) that starts at `at` in the zip, in one write.
    pub fn write_run(&self, at: u64, bytes: &[u8]) -> Result<(), StoreError> {
        let local = at.checked_sub(self.base).ok_or_else(|| StoreError::Zip {
            path: self.shown.display().to_string(),
            reason: "a run before the segment's start".into(),
        })?;
        write_all_at(&self.file, bytes, local).map_err(|error| StoreError::Write {
            path: self.shown.display().to_string(),
            error,
        })
    }

    /// Flushes what this shard wrote to disk.
    pub fn sync(&self) -> Result<(), StoreError> {
        self.file.sync_data().map_err(io_err(self.shown.display()))
    }
}

/// Writes at an advancing offset of a file shared with other writers, and
/// keeps the CRC-32 of what went through.
struct PositionedWrites<'a> {
    file: &'a File,
    at: u64,
    crc: crc32fast::Hasher,
    failed: bool,
}

impl Write for PositionedWrites<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        write_all_at(self.file, buf, self.at).inspect_err(|_| self.failed = true)?;
        self.crc.update(buf);
        self.at += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(unix)]
fn write_all_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    // Crash-safety tests stop a shard part-way, as if it were killed.
    #[cfg(feature = "crash-points")]
    if let Some((allowed, crash)) = super::append::crash_points::take(bytes.len()) {
        let _ = std::os::unix::fs::FileExt::write_all_at(file, &bytes[..allowed], at);
        crash();
    }
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(windows)]
fn write_all_at(file: &File, mut bytes: &[u8], mut at: u64) -> io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, bytes, at)?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        bytes = &bytes[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn write_all_at(_file: &File, _bytes: &[u8], _at: u64) -> io::Result<()> {
    Err(io::Error::other("positioned writes are not supported here"))
}

/// Copies a shard's segment file, which must be `len` bytes (its shard's
/// entries), into the staging zip at `at`, file to file (the kernel's
/// `copy_file_range`: a server-side copy where the file system offers
/// one). A segment of another length is refused before a byte is copied:
/// it would write over its neighbours' entries.
pub fn join_segment(staged: &Path, segment: &Path, at: u64, len: u64) -> Result<(), StoreError> {
    let shown = || segment.display().to_string();
    let from = File::open(segment).map_err(io_err(shown()))?;
    let found = from.metadata().map_err(io_err(shown()))?.len();
    let wrong = |what: String| StoreError::Zip {
        path: shown(),
        reason: what,
    };
    if found != len {
        return Err(wrong(format!(
            "{found} bytes, its shard's entries take {len}"
        )));
    }
    let mut to = open_staged_zip(staged)?;
    to.seek(SeekFrom::Start(at))
        .map_err(io_err(staged.display()))?;
    let copied = io::copy(&mut from.take(len), &mut to).map_err(io_err(shown()))?;
    if copied != len {
        return Err(wrong(format!(
            "{copied} bytes copied of {len} (changed while read?)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_work_folder_is_named_after_the_output_and_the_plan() {
        let plan = Sha256Digest::of(b"plan");
        let work = WorkFolder::for_output(Path::new("/cases/c-42.zip"), &plan);
        let hex = plan.to_hex();
        assert_eq!(
            work.root(),
            Path::new(&format!("/cases/.c-42.zip.plan-{}", &hex[..16]))
        );
        assert_eq!(work.staged(), work.root().join("bundle.zip"));
        assert_eq!(work.part(3), work.root().join("parts/3.part"));
        let folder = WorkFolder::for_output(Path::new("c-42"), &plan);
        assert_eq!(folder.staged(), folder.root().join("bundle"));
    }

    #[test]
    fn entries_are_placed_one_after_another() {
        let mut placement = ZipPlacement::new(Path::new("b.zip"));
        // b/bagit.txt (30 + 11 + 54) and b/data/ (30 + 7).
        assert_eq!(placement.end(), 95 + 37);
        let (first, data) = placement.place("data/a", 5).unwrap();
        assert_eq!((first, data), (132, 132 + 30 + 8));
        assert_eq!(placement.end(), 132 + 30 + 8 + 5);
        // A large file's data starts on a page boundary.
        let (big, data) = placement.place("data/big", 9 << 20).unwrap();
        assert_eq!(
            data,
            big + planned_entry("b/data/big", 9 << 20, big).unwrap()
        );
        assert_eq!(data % 4096, 0);
    }
}
