//! Small file-system helpers, written once: the folder a path lives in,
//! durable renames, file modes, atomic writes, and naming special files.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

/// The folder holding `path`: its parent, or `.` for a bare file name.
pub fn parent_or_dot(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Creates the folders from `root` (which must exist) down to `dir`, never
/// `root` itself: a partial output removed on interrupt must stay removed
/// even while a writer thread is still making folders in it.
pub fn create_dirs_within(root: &Path, dir: &Path) -> io::Result<()> {
    let Ok(below) = dir.strip_prefix(root) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "folder outside the output",
        ));
    };
    let mut path = root.to_path_buf();
    for part in below.components() {
        path.push(part);
        match fs::create_dir(&path) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => {}
            other => other?,
        }
    }
    Ok(())
}

/// The bytes that may still be written on the file system holding `dir`
/// (what `df` shows as available); `None` where it cannot be told.
#[cfg(unix)]
pub fn available_space(dir: &Path) -> Option<u64> {
    let stats = rustix::fs::statvfs(dir).ok()?;
    Some(stats.f_bavail.saturating_mul(stats.f_frsize))
}

#[cfg(not(unix))]
pub fn available_space(_: &Path) -> Option<u64> {
    None
}

/// The disk an output goes to has less space than writing it takes.
#[derive(Debug, thiserror::Error)]
#[error(
    "{}: not enough space: it needs {}, {} is free",
    output.display(),
    crate::units::human_size(*needed),
    crate::units::human_size(*available)
)]
pub struct NotEnoughSpace {
    pub output: std::path::PathBuf,
    pub needed: u64,
    pub available: u64,
}

/// Checks, before writing `needed` bytes to `output`, that the disk of its
/// folder has room for them (where the free space can be told).
pub fn check_space(output: &Path, needed: u64) -> Result<(), NotEnoughSpace> {
    match available_space(parent_or_dot(output)) {
        Some(available) if available < needed => Err(NotEnoughSpace {
            output: output.into(),
            needed,
            available,
        }),
        _ => Ok(()),
    }
}

/// Whether a write failed because the disk (or its quota) is full.
pub fn is_out_of_space(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
    )
}

/// Makes renames and creations in a folder durable. Best effort: not every
/// platform or file system can sync a folder, and the files themselves are
/// synced before they are renamed.
pub fn sync_dir(path: &Path) {
    if let Ok(dir) = File::open(path) {
        let _ = dir.sync_all();
    }
}

/// Sets a file's permission bits (Unix); temporary files and folders are
/// private until they become the user's output.
#[cfg(unix)]
pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
pub fn set_mode(_: &Path, _: u32) {}

/// Whether [`write_atomically`] may replace an existing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    Allow,
    Refuse,
}

/// A file written under a temporary name beside its target, synced, and
/// renamed into place only by [`AtomicFile::commit`]: a reader sees the old
/// file or the new one, never half of one. Dropped uncommitted, it is removed.
pub struct AtomicFile {
    temp: tempfile::NamedTempFile,
}

impl AtomicFile {
    /// Writes `contents` to a temporary file beside `target`, created with
    /// `mode` (Unix), so a secret key is never readable by others, not even
    /// for a moment.
    pub fn write(target: &Path, contents: &[u8], mode: u32) -> io::Result<AtomicFile> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".exhibit-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(mode));
        }
        #[cfg(not(unix))]
        let _ = mode;
        let mut temp = builder.tempfile_in(parent_or_dot(target))?;
        temp.write_all(contents)?;
        temp.as_file().sync_all()?;
        Ok(AtomicFile { temp })
    }

    /// Renames the temporary file to `target`; with [`Overwrite::Refuse`]
    /// an existing target is an `AlreadyExists` error and is left alone.
    pub fn commit(self, target: &Path, overwrite: Overwrite) -> io::Result<()> {
        let result = match overwrite {
            Overwrite::Allow => self.temp.persist(target).map(drop),
            Overwrite::Refuse => self.temp.persist_noclobber(target).map(drop),
        };
        result.map_err(|e| e.error)?;
        sync_dir(parent_or_dot(target));
        Ok(())
    }
}

/// Writes one file atomically (see [`AtomicFile`]).
pub fn write_atomically(
    target: &Path,
    contents: &[u8],
    mode: u32,
    overwrite: Overwrite,
) -> io::Result<()> {
    AtomicFile::write(target, contents, mode)?.commit(target, overwrite)
}

/// A word for a file that is neither a regular file, a folder nor a link.
#[cfg(unix)]
pub fn special_kind(file_type: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "FIFO"
    } else if file_type.is_socket() {
        "socket"
    } else if file_type.is_block_device() {
        "block device"
    } else if file_type.is_char_device() {
        "character device"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
pub fn special_kind(_: &fs::FileType) -> &'static str {
    "special file"
}
