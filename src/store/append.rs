//! Appending to an existing bundle: an exclusive lock beside it, new files
//! renamed into a folder bundle without clobbering, and zip appends that a
//! journal makes crash-safe.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use zip::{ZipArchive, ZipWriter};

use super::stage::{zip_err, zip_options};
use super::{io_err, Bundle, BundleForm, NewFile, StoreError};
use crate::fsx::{parent_or_dot, set_mode, sync_dir};
use crate::limits::MAX_JOURNAL_BYTES;
use crate::time::UtcTime;

/// An exclusive lock on a bundle for appending (a lock file beside it,
/// released when dropped or when the process dies).
pub struct AppendLock {
    _file: File,
    path: PathBuf,
    rolled_back: bool,
}

impl AppendLock {
    /// Whether taking the lock rolled back an interrupted zip append.
    pub fn rolled_back(&self) -> bool {
        self.rolled_back
    }
}

impl Drop for AppendLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Takes the bundle's lock file exclusively, waiting if another process
/// holds it.
pub(super) fn acquire_lock(path: &Path, on_wait: &dyn Fn()) -> Result<AppendLock, StoreError> {
    let lock_path = sidecar(path, ".lock");
    let shown = || lock_path.display().to_string();
    let mut waited = false;
    loop {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err(shown()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                if !waited {
                    on_wait();
                    waited = true;
                }
                file.lock().map_err(io_err(shown()))?;
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(StoreError::Io {
                    path: shown(),
                    error: e,
                })
            }
        }
        // The holder before us deletes the lock file when it is done; a
        // lock on a deleted file protects nothing, so take it again.
        if same_file(&file, &lock_path) {
            return Ok(AppendLock {
                _file: file,
                path: lock_path,
                rolled_back: false,
            });
        }
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

pub(super) fn sidecar(bundle: &Path, suffix: &str) -> PathBuf {
    let mut name = bundle
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    bundle.with_file_name(name)
}

impl Bundle {
    /// Takes the bundle's append lock, waiting while another process holds
    /// it (`on_wait` is called once if it has to wait).
    /// An append that was interrupted is rolled back first (see
    /// [`AppendLock::rolled_back`]): only writers, under the lock, do that.
    pub fn lock(path: &Path, on_wait: &dyn Fn()) -> Result<AppendLock, StoreError> {
        // No lock file beside a bundle that is not there.
        fs::symlink_metadata(path).map_err(io_err(path.display()))?;
        let mut lock = acquire_lock(path, on_wait)?;
        lock.rolled_back = rollback_interrupted_append(path).map_err(io_err(path.display()))?;
        Ok(lock)
    }

    /// Adds new small files (signature records, custody events). Existing
    /// files are never rewritten; a name that exists is refused. The lock
    /// must be held. A zip gains entries without its payload being copied.
    pub fn append(
        &self,
        _lock: &AppendLock,
        files: &[NewFile],
        time: UtcTime,
    ) -> Result<(), StoreError> {
        match self.form {
            // Each file is renamed into place without clobbering.
            BundleForm::Directory => {
                for file in files {
                    write_new_file_atomically(&self.path, &file.name, &file.bytes)?;
                }
                Ok(())
            }
            BundleForm::Zip => {
                if let Some(file) = files.iter().find(|f| self.find(&f.name).is_some()) {
                    return Err(StoreError::Exists {
                        path: file.name.clone(),
                    });
                }
                append_to_zip(&self.path, &self.top, files, time)
            }
        }
    }
}

impl Bundle {
    /// Deletes a file left by an interrupted append to a directory bundle
    /// (zip appends are journaled and cannot leave one).
    pub fn remove_orphan(&self, _lock: &AppendLock, name: &str) -> Result<(), StoreError> {
        match self.form {
            BundleForm::Directory => {
                let path = self.path.join(name);
                fs::remove_file(&path).map_err(io_err(name))?;
                sync_dir(path.parent().unwrap_or(&self.path));
                Ok(())
            }
            BundleForm::Zip => Err(StoreError::Exists { path: name.into() }),
        }
    }
}

/// Temporary file, fsync, rename without clobbering, fsync the folder.
fn write_new_file_atomically(root: &Path, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let target = root.join(name);
    let parent = target.parent().unwrap_or(root);
    fs::create_dir_all(parent).map_err(io_err(name))?;
    // The temporary file lives beside the bag, not in it: a crash must not
    // leave a stray file inside the bundle.
    let mut temp = tempfile::Builder::new()
        .prefix(".exhibit-append-")
        .tempfile_in(parent_or_dot(root))
        .map_err(io_err(name))?;
    CrashPoint(temp.as_file_mut())
        .write_all(bytes)
        .map_err(io_err(name))?;
    temp.as_file().sync_all().map_err(io_err(name))?;
    // As readable as the files sealed with it (a temporary file is private).
    set_mode(temp.path(), 0o644);
    temp.persist_noclobber(&target)
        .map_err(|e| match e.error.kind() {
            io::ErrorKind::AlreadyExists => StoreError::Exists { path: name.into() },
            _ => StoreError::Io {
                path: name.into(),
                error: e.error,
            },
        })?;
    sync_dir(parent);
    Ok(())
}

/// Every write of an append goes through this, so crash-safety tests can
/// stop the process part-way (feature `crash-points`; a no-op otherwise).
struct CrashPoint<W>(W);

impl<W: Write> Write for CrashPoint<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        #[cfg(feature = "crash-points")]
        if let Some((allowed, crash)) = crash_points::take(buf.len()) {
            let _ = self.0.write_all(&buf[..allowed]);
            crash();
        }
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl<W: Seek> Seek for CrashPoint<W> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}

impl<W: Read> Read for CrashPoint<W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

/// Crash-safety testing, compiled only with the `crash-points` feature
/// (never into a release build). The caller arms a budget of bytes and a
/// function that ends the process; once an append has written that many
/// bytes, in the middle of a write if need be, the function is called, as
/// if the machine had died there.
#[cfg(feature = "crash-points")]
pub mod crash_points {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;

    static BUDGET: AtomicU64 = AtomicU64::new(u64::MAX);
    static CRASH: OnceLock<fn() -> !> = OnceLock::new();

    /// Ends the process through `crash` after `bytes` appended bytes.
    pub fn arm(bytes: u64, crash: fn() -> !) {
        if CRASH.set(crash).is_ok() {
            BUDGET.store(bytes, Ordering::SeqCst);
        }
    }

    /// Takes `len` bytes from the budget; when only `n` of them may still
    /// be written, `Some((n, crash))`: write those, then call `crash`.
    pub(crate) fn take(len: usize) -> Option<(usize, fn() -> !)> {
        let crash = *CRASH.get()?;
        let left = BUDGET.load(Ordering::SeqCst);
        if (len as u64) < left {
            BUDGET.fetch_sub(len as u64, Ordering::SeqCst);
            None
        } else {
            Some((left as usize, crash))
        }
    }
}

/// Journal layout: magic, original length (u64 LE), offset of the old
/// central directory (u64 LE), then the old bytes from that offset to the
/// end. Writing new entries overwrites only that tail, so restoring it and
/// truncating gives back the old zip exactly.
const JOURNAL_MAGIC: &[u8; 16] = b"exhibit-journal1";

fn append_to_zip(
    path: &Path,
    top: &str,
    files: &[NewFile],
    time: UtcTime,
) -> Result<(), StoreError> {
    let shown = path.display().to_string();
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(io_err(&shown))?;
    let original_len = file.metadata().map_err(io_err(&shown))?.len();
    let cd_start = {
        let archive = ZipArchive::new(io::BufReader::new(&file)).map_err(zip_err(&shown))?;
        archive.central_directory_start()
    };
    if cd_start > original_len {
        return Err(StoreError::Zip {
            path: shown,
            reason: "central directory offset past end of file".into(),
        });
    }
    let mut tail = Vec::with_capacity((original_len - cd_start) as usize);
    file.seek(SeekFrom::Start(cd_start))
        .map_err(io_err(&shown))?;
    (&file)
        .take(original_len - cd_start)
        .read_to_end(&mut tail)
        .map_err(io_err(&shown))?;

    let journal_path = sidecar(path, ".journal");
    let journal = Journal {
        original_len,
        cd_start,
        tail,
    }
    .to_bytes();
    {
        let mut j = File::create(&journal_path).map_err(io_err(journal_path.display()))?;
        CrashPoint(&mut j)
            .write_all(&journal)
            .map_err(io_err(journal_path.display()))?;
        j.sync_all().map_err(io_err(journal_path.display()))?;
    }
    sync_dir(parent_or_dot(path));

    file.seek(SeekFrom::Start(0)).map_err(io_err(&shown))?;
    // New entries go where the old central directory starts (the journal
    // holds it), so the entries keep tiling the file with no dead bytes.
    let armed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let target = WriteFrom {
        inner: CrashPoint(file),
        start: cd_start,
        armed: Arc::clone(&armed),
        moved: false,
    };
    let mut writer = ZipWriter::new_append(target).map_err(zip_err(&shown))?;
    armed.store(true, std::sync::atomic::Ordering::SeqCst);
    let options = zip_options(time);
    for NewFile { name, bytes } in files {
        let full = format!("{top}/{name}");
        writer
            .start_file(full.as_str(), options)
            .map_err(zip_err(&full))?;
        writer.write_all(bytes).map_err(io_err(&full))?;
    }
    let WriteFrom {
        inner: CrashPoint(mut file),
        ..
    } = writer.finish().map_err(zip_err(&shown))?;
    let end = file.stream_position().map_err(io_err(&shown))?;
    file.set_len(end).map_err(io_err(&shown))?;
    file.sync_all().map_err(io_err(&shown))?;
    fs::remove_file(&journal_path).map_err(io_err(journal_path.display()))?;
    sync_dir(parent_or_dot(path));
    Ok(())
}

/// Moves to `start` before the first operation once armed: the zip crate
/// opens an archive for appending by reading it, then writes wherever the
/// reading stopped.
struct WriteFrom<W> {
    inner: W,
    start: u64,
    armed: Arc<std::sync::atomic::AtomicBool>,
    moved: bool,
}

impl<W: Seek> WriteFrom<W> {
    fn arrive(&mut self) -> io::Result<()> {
        if !self.moved && self.armed.load(std::sync::atomic::Ordering::SeqCst) {
            self.inner.seek(SeekFrom::Start(self.start))?;
            self.moved = true;
        }
        Ok(())
    }
}

impl<W: Write + Seek> Write for WriteFrom<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.arrive()?;
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Seek> Seek for WriteFrom<W> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.arrive()?;
        self.inner.seek(to)
    }
}

impl<W: Read + Seek> Read for WriteFrom<W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.arrive()?;
        self.inner.read(buf)
    }
}

/// A complete journal: the zip's length and central directory before an
/// append that has not finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    original_len: u64,
    cd_start: u64,
    tail: Vec<u8>,
}

impl Journal {
    /// The journal file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.tail.len() + 32);
        bytes.extend_from_slice(JOURNAL_MAGIC);
        bytes.extend_from_slice(&self.original_len.to_le_bytes());
        bytes.extend_from_slice(&self.cd_start.to_le_bytes());
        bytes.extend_from_slice(&self.tail);
        bytes
    }

    /// A journal file's bytes, when they are a complete journal; None when
    /// cut short or not a journal at all (then the append never touched
    /// the zip, which is written only after the journal is synced).
    pub fn parse(bytes: &[u8]) -> Option<Journal> {
        let header = bytes.get(..32)?;
        if &header[..16] != JOURNAL_MAGIC {
            return None;
        }
        let word = |at: usize| {
            let mut word = [0u8; 8];
            word.copy_from_slice(&header[at..at + 8]);
            u64::from_le_bytes(word)
        };
        let (original_len, cd_start) = (word(16), word(24));
        let tail = bytes[32..].to_vec();
        (cd_start.checked_add(tail.len() as u64) == Some(original_len)).then_some(Journal {
            original_len,
            cd_start,
            tail,
        })
    }

    /// The zip's length before the append.
    pub fn original_len(&self) -> u64 {
        self.original_len
    }
}

/// Reads the journal beside `path`; `Ok(None)` when there is none or it is
/// not a complete journal.
fn read_journal(path: &Path) -> io::Result<Option<Journal>> {
    let file = match File::open(sidecar(path, ".journal")) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut bytes = Vec::new();
    file.take(MAX_JOURNAL_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_JOURNAL_BYTES {
        return Err(io::Error::other(format!(
            "journal larger than {MAX_JOURNAL_BYTES} bytes: not one exhibit wrote"
        )));
    }
    Ok(Journal::parse(&bytes))
}

/// Undoes an append that was interrupted before it completed. Called only
/// by writers holding the lock: reading never modifies a bundle.
fn rollback_interrupted_append(path: &Path) -> io::Result<bool> {
    let journal_path = sidecar(path, ".journal");
    let journal = read_journal(path)?;
    if let Some(journal) = &journal {
        let mut file = OpenOptions::new().write(true).open(path)?;
        // An append only ever writes from the old central directory on.
        if file.metadata()?.len() < journal.cd_start {
            return Err(io::Error::other(
                "the journal describes a longer zip than this one: not its journal",
            ));
        }
        file.seek(SeekFrom::Start(journal.cd_start))?;
        file.write_all(&journal.tail)?;
        file.set_len(journal.original_len)?;
        file.sync_all()?;
    }
    match fs::remove_file(&journal_path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(journal.is_some()),
    }
}
