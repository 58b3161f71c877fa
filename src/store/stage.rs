//! Writing a new bundle under a temporary name beside its final path, and
//! renaming it into place only when it is complete.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Seek as _, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

use super::{io_err, BundleForm, StoreError};
use crate::digest::{hash_stream, FileDigest};
use crate::fsx::{create_dirs_within, parent_or_dot, set_mode, sync_dir};
use crate::time::UtcTime;

// Declared here rather than in store/mod.rs: only staging writes zips.

use super::planned::{open_staged_zip, zip_top};
use super::zip_write::{file_kind, Stamp, ZipStream};

/// A bundle being written under a temporary name beside its final path.
/// Dropping it without [`StagedBundle::commit`] removes everything.
pub struct StagedBundle {
    out: PathBuf,
    kind: Staging,
}

enum Staging {
    Directory(StagedFolder),
    Zip {
        writer: Box<ZipStream>,
        temp: tempfile::TempPath,
        top: String,
    },
    /// Built by the shards of a plan (`store::planned`): kept, not
    /// removed, when the finish fails, so it can be run again.
    PlannedDirectory(PathBuf),
    PlannedZip {
        writer: Box<ZipStream>,
        path: PathBuf,
        top: String,
    },
}

impl StagedBundle {
    /// Starts a bundle that will appear at `out` (which must not exist).
    pub fn create(out: &Path, time: UtcTime) -> Result<Self, StoreError> {
        if fs::symlink_metadata(out).is_ok() {
            return Err(StoreError::OutputExists { path: out.into() });
        }
        let kind = match BundleForm::for_output(out) {
            BundleForm::Directory => Staging::Directory(StagedFolder::create(out)?),
            BundleForm::Zip => {
                let parent = parent_or_dot(out);
                let temp = tempfile::Builder::new()
                    .prefix(&partial_prefix(out))
                    .tempfile_in(parent)
                    .map_err(io_err(parent.display()))?;
                let (file, temp) = temp.into_parts();
                // Beside the output, not in a temporary folder that may be
                // memory: it holds the central directory, ~80 bytes a file.
                let central = tempfile::tempfile_in(parent).map_err(io_err(parent.display()))?;
                let top = zip_top(out);
                // Another handle, to flush in the background (an
                // optimisation: none if the handle cannot be had).
                let flusher = file.try_clone().ok();
                let mut writer =
                    ZipStream::new(file, central, zip_stamp(time), out.display().to_string());
                if let Some(flusher) = flusher {
                    writer = writer.with_writeback(flusher);
                }
                Staging::Zip {
                    writer: Box::new(writer),
                    temp,
                    top,
                }
            }
        };
        Ok(StagedBundle {
            out: out.into(),
            kind,
        })
    }

    /// Goes on with a bundle whose payload the shards of a plan wrote at
    /// `staged` ([`super::WorkFolder::staged`]), writing from its first
    /// byte: the head (`bagit.txt`, `data/`), then
    /// [`StagedBundle::adopt_payload`] for each payload file, then the tag
    /// files.
    pub fn resume(out: &Path, staged: &Path, time: UtcTime) -> Result<Self, StoreError> {
        if fs::symlink_metadata(out).is_ok() {
            return Err(StoreError::OutputExists { path: out.into() });
        }
        let kind = match BundleForm::for_output(out) {
            BundleForm::Directory => {
                create_dirs_within(staged, &staged.join("data"))
                    .map_err(io_err(staged.display()))?;
                Staging::PlannedDirectory(staged.into())
            }
            BundleForm::Zip => {
                let file = open_staged_zip(staged)?;
                let central = tempfile::tempfile_in(parent_or_dot(staged))
                    .map_err(io_err(staged.display()))?;
                Staging::PlannedZip {
                    writer: Box::new(ZipStream::new(
                        file,
                        central,
                        zip_stamp(time),
                        out.display().to_string(),
                    )),
                    path: staged.into(),
                    top: zip_top(out),
                }
            }
        };
        Ok(StagedBundle {
            out: out.into(),
            kind,
        })
    }

    /// The temporary path, so an interrupt handler can remove it.
    pub fn temp_path(&self) -> &Path {
        match &self.kind {
            Staging::Directory(dir) => dir.path(),
            Staging::Zip { temp, .. } => temp,
            Staging::PlannedDirectory(path) | Staging::PlannedZip { path, .. } => path,
        }
    }

    /// The bag root of a directory bundle being written, for writers that
    /// fill it in parallel.
    pub fn directory_root(&self) -> Option<&Path> {
        match &self.kind {
            Staging::Directory(dir) => Some(dir.path()),
            Staging::PlannedDirectory(path) => Some(path),
            Staging::Zip { .. } | Staging::PlannedZip { .. } => None,
        }
    }

    /// Where the next zip entry starts (0 for a folder).
    pub fn position(&self) -> u64 {
        match &self.kind {
            Staging::Zip { writer, .. } | Staging::PlannedZip { writer, .. } => writer.position(),
            Staging::Directory(_) | Staging::PlannedDirectory(_) => 0,
        }
    }

    /// Takes in a payload file a shard already wrote (a zip entry at the
    /// place [`super::ZipPlacement`] gave it, or a file of the folder).
    pub fn adopt_payload(&mut self, name: &str, size: u64, crc: u32) -> Result<(), StoreError> {
        match &mut self.kind {
            Staging::PlannedZip { writer, top, .. } => {
                writer.adopt_file(&format!("{top}/{name}"), file_kind(size), crc, size)
            }
            Staging::PlannedDirectory(_) => Ok(()),
            Staging::Directory(_) | Staging::Zip { .. } => Err(StoreError::Io {
                path: name.into(),
                error: io::Error::other("only a bundle built by shards takes in written files"),
            }),
        }
    }

    /// Copies `source` to `name` while hashing it (one read pass).
    pub fn write_stream(
        &mut self,
        name: &str,
        size_hint: u64,
        source: &mut (dyn Read + Send),
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<FileDigest, StoreError> {
        match &mut self.kind {
            Staging::Directory(dir) => {
                copy_into_directory(dir.path(), name, size_hint, source, progress)
            }
            Staging::PlannedDirectory(root) => {
                rewrite_into_directory(root, name, size_hint, source, progress)
            }
            Staging::Zip { writer, top, .. } | Staging::PlannedZip { writer, top, .. } => {
                writer.start_file(&format!("{top}/{name}"), file_kind(size_hint), stamp(name))?;
                let digest = hash_stream(source, size_hint, Some(&mut **writer), progress)
                    .map_err(io_err(name))?;
                writer.finish_file()?;
                Ok(digest)
            }
        }
    }

    /// Creates the payload folder `data/`, which a bag must have even when
    /// the payload is empty.
    pub fn write_payload_dir(&mut self) -> Result<(), StoreError> {
        match &mut self.kind {
            Staging::Directory(dir) => {
                create_dirs_within(dir.path(), &dir.path().join("data")).map_err(io_err("data"))
            }
            Staging::PlannedDirectory(root) => {
                create_dirs_within(root, &root.join("data")).map_err(io_err("data"))
            }
            Staging::Zip { writer, top, .. } | Staging::PlannedZip { writer, top, .. } => {
                writer.add_directory(&format!("{top}/data/"))
            }
        }
    }

    /// Writes a small file held in memory.
    pub fn write_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        match &mut self.kind {
            Staging::Directory(_) | Staging::PlannedDirectory(_) => self
                .write_stream(name, bytes.len() as u64, &mut &bytes[..], &|_| {})
                .map(|_| ()),
            // No digests are wanted: the caller has them (seal hashed each
            // small file as it read it), so the bytes are only copied.
            Staging::Zip { writer, top, .. } | Staging::PlannedZip { writer, top, .. } => {
                writer.start_file(
                    &format!("{top}/{name}"),
                    file_kind(bytes.len() as u64),
                    stamp(name),
                )?;
                writer.write_all(bytes).map_err(io_err(name))?;
                writer.finish_file()
            }
        }
    }

    /// Finishes the bundle and renames it to its final path.
    pub fn commit(self) -> Result<PathBuf, StoreError> {
        let out = self.out;
        match self.kind {
            Staging::Directory(dir) => return dir.commit(false),
            Staging::Zip { writer, temp, .. } => {
                let file = writer.finish()?;
                // The only flush of the zip's data.
                file.sync_all().map_err(io_err(out.display()))?;
                set_mode(&temp, 0o644);
                temp.persist_noclobber(&out).map_err(|e| StoreError::Io {
                    path: out.display().to_string(),
                    error: e.error,
                })?;
            }
            Staging::PlannedDirectory(root) => {
                sync_dir(&root);
                set_mode(&root, 0o755);
                rename_new(&root, &out)?;
            }
            Staging::PlannedZip { writer, path, .. } => {
                let mut file = writer.finish()?;
                // Whatever an earlier run left past the end is not the zip.
                let len = file.stream_position().map_err(io_err(out.display()))?;
                file.set_len(len).map_err(io_err(out.display()))?;
                file.sync_all().map_err(io_err(out.display()))?;
                set_mode(&path, 0o644);
                rename_new(&path, &out)?;
            }
        }
        sync_dir(parent_or_dot(&out));
        Ok(out)
    }
}

/// Renames `from` to `out`, which must not exist.
fn rename_new(from: &Path, out: &Path) -> Result<(), StoreError> {
    if fs::symlink_metadata(out).is_ok() {
        return Err(StoreError::OutputExists { path: out.into() });
    }
    fs::rename(from, out).map_err(io_err(out.display()))
}

/// Payload files carry the zip epoch, everything else the sealing time.
fn stamp(name: &str) -> Stamp {
    if name.starts_with("data/") {
        Stamp::Epoch
    } else {
        Stamp::Sealing
    }
}

/// `.NAME.partial-`: what a temporary output beside `out` is called, so a
/// person who finds one after a crash can tell what it was.
fn partial_prefix(out: &Path) -> String {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    format!(".{name}.partial-")
}

/// A folder written under a temporary name beside its final path and
/// renamed into place by [`StagedFolder::commit`]; dropped uncommitted, it is
/// removed. Directory bundles and extracted payloads are written this way.
pub struct StagedFolder {
    temp: tempfile::TempDir,
    out: PathBuf,
}

impl StagedFolder {
    /// Starts a folder that will appear at `out`.
    pub fn create(out: &Path) -> Result<Self, StoreError> {
        let parent = parent_or_dot(out);
        let temp = tempfile::Builder::new()
            .prefix(&partial_prefix(out))
            .tempdir_in(parent)
            .map_err(io_err(parent.display()))?;
        Ok(StagedFolder {
            temp,
            out: out.into(),
        })
    }

    /// Where the folder is being written.
    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// Renames the folder to its final path, which must be absent, or, with
    /// `replace_empty`, may be an empty folder (removed first).
    pub fn commit(self, replace_empty: bool) -> Result<PathBuf, StoreError> {
        let out = self.out;
        let exists = fs::symlink_metadata(&out).is_ok();
        if exists && !replace_empty {
            return Err(StoreError::OutputExists { path: out });
        }
        sync_dir(self.temp.path());
        // Temporary folders are private (0700); the output is not.
        set_mode(self.temp.path(), 0o755);
        if exists {
            // Fails, leaving it alone, unless it is an empty folder.
            fs::remove_dir(&out).map_err(io_err(out.display()))?;
        }
        let temp = self.temp.keep();
        if let Err(source) = fs::rename(&temp, &out) {
            let _ = fs::remove_dir_all(&temp);
            return Err(StoreError::Io {
                path: out.display().to_string(),
                error: source,
            });
        }
        sync_dir(parent_or_dot(&out));
        Ok(out)
    }
}

/// Copies one file into a directory bag (used in parallel by `seal`, and
/// by `extract`). A file that cannot be created or written is
/// [`StoreError::Write`], told apart from a source that cannot be read.
pub fn copy_into_directory(
    root: &Path,
    name: &str,
    size_hint: u64,
    source: &mut (dyn Read + Send),
    progress: &(dyn Fn(u64) + Sync),
) -> Result<FileDigest, StoreError> {
    copy_into(root, name, size_hint, source, progress, false)
}

/// [`copy_into_directory`] over a file that may exist already (a shard of
/// a plan run again): written over without being truncated first, then cut
/// to its length, so a run killed half-way, or two at once, never leave a
/// complete run's file shorter or changed.
pub fn rewrite_into_directory(
    root: &Path,
    name: &str,
    size_hint: u64,
    source: &mut (dyn Read + Send),
    progress: &(dyn Fn(u64) + Sync),
) -> Result<FileDigest, StoreError> {
    copy_into(root, name, size_hint, source, progress, true)
}

fn copy_into(
    root: &Path,
    name: &str,
    size_hint: u64,
    source: &mut (dyn Read + Send),
    progress: &(dyn Fn(u64) + Sync),
    rewrite: bool,
) -> Result<FileDigest, StoreError> {
    let write_err = |error| StoreError::Write {
        path: name.to_string(),
        error,
    };
    let path = root.join(name);
    let create = || {
        let mut options = OpenOptions::new();
        options.write(true);
        if rewrite {
            options.create(true).truncate(false);
        } else {
            options.create_new(true);
        }
        options.open(&path)
    };
    // Folders are made only when missing: creating files is the expensive
    // part of copying many small files, do not add syscalls to it.
    let file = match create() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                create_dirs_within(root, parent).map_err(write_err)?;
            }
            create()
        }
        other => other,
    }
    .map_err(write_err)?;
    let mut sink = WatchedWrites {
        file,
        failed: false,
    };
    let digest = match hash_stream(source, size_hint, Some(&mut sink), progress) {
        Ok(digest) => digest,
        Err(error) if sink.failed => return Err(write_err(error)),
        Err(error) => return Err(io_err(name)(error)),
    };
    if rewrite {
        sink.file.set_len(digest.size).map_err(write_err)?;
    }
    Ok(digest)
}

/// A file that remembers whether a write to it failed.
struct WatchedWrites {
    file: fs::File,
    failed: bool,
}

impl io::Write for WatchedWrites {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Crash-safety tests stop a shard part-way, as if it were killed.
        #[cfg(feature = "crash-points")]
        if let Some((allowed, crash)) = super::append::crash_points::take(buf.len()) {
            let _ = self.file.write_all(&buf[..allowed]);
            crash();
        }
        self.file.write(buf).inspect_err(|_| self.failed = true)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush().inspect_err(|_| self.failed = true)
    }
}

/// Entry options for everything we append: stored, fixed time and modes
/// (what [`ZipStream`] writes too).
pub(super) fn zip_options(time: UtcTime) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(zip_stamp(time))
        .unix_permissions(0o644)
}

/// The MS-DOS time of every entry: the sealing time.
pub(super) fn zip_stamp(time: UtcTime) -> zip::DateTime {
    let (year, month, day, hour, minute, second) = time.civil();
    // Zip timestamps cannot go before 1980; clamp so any --time works.
    if year < 1980 {
        zip::DateTime::default()
    } else {
        zip::DateTime::from_date_and_time(
            year as u16,
            month as u8,
            day as u8,
            hour as u8,
            minute as u8,
            second as u8,
        )
        .unwrap_or_default()
    }
}

pub(super) fn zip_err(
    path: impl std::fmt::Display,
) -> impl FnOnce(zip::result::ZipError) -> StoreError {
    let path = path.to_string();
    move |e| StoreError::Zip {
        path,
        reason: e.to_string(),
    }
}
