//! Replacing one small file of a bundle (the evidence record, which each
//! renewal rewrites): a folder bundle gets the new file renamed over the
//! old one; a zip is copied entry by entry, raw (no inflating, no
//! re-hashing), to a temporary file beside it that is renamed over it. An
//! interruption leaves the old bundle or the new one, never a mix.

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

use zip::{ZipArchive, ZipWriter};

use super::stage::{zip_err, zip_options};
use super::{io_err, AppendLock, Bundle, BundleForm, NewFile, StoreError};
use crate::fsx::{parent_or_dot, set_mode, sync_dir};
use crate::time::UtcTime;

impl Bundle {
    /// Writes `file`, replacing the file of that name when there is one
    /// (appending it otherwise). The lock must be held.
    pub fn replace(
        &self,
        lock: &AppendLock,
        file: &NewFile,
        time: UtcTime,
    ) -> Result<(), StoreError> {
        if self.find(&file.name).is_none() {
            return self.append(lock, std::slice::from_ref(file), time);
        }
        match self.form {
            BundleForm::Directory => {
                let target = self.path.join(&file.name);
                let mut temp = tempfile::Builder::new()
                    .prefix(".exhibit-replace-")
                    .tempfile_in(parent_or_dot(&self.path))
                    .map_err(io_err(&file.name))?;
                temp.write_all(&file.bytes).map_err(io_err(&file.name))?;
                temp.as_file().sync_all().map_err(io_err(&file.name))?;
                // As readable as the file it replaces.
                set_mode(temp.path(), 0o644);
                temp.persist(&target).map_err(|e| StoreError::Io {
                    path: file.name.clone(),
                    error: e.error,
                })?;
                sync_dir(parent_or_dot(&target));
                Ok(())
            }
            BundleForm::Zip => rewrite_zip(&self.path, &self.top, file, time),
        }
    }
}

/// The zip again with `file` in place of the entry of that name: every
/// other entry copied raw, in its order, the new one last.
fn rewrite_zip(path: &Path, top: &str, file: &NewFile, time: UtcTime) -> Result<(), StoreError> {
    let shown = path.display().to_string();
    let source = File::open(path).map_err(io_err(&shown))?;
    let permissions = source.metadata().map_err(io_err(&shown))?.permissions();
    let mut archive = ZipArchive::new(BufReader::new(source)).map_err(zip_err(&shown))?;
    let full = format!("{top}/{}", file.name);
    let temp = tempfile::Builder::new()
        .prefix(".exhibit-replace-")
        .tempfile_in(parent_or_dot(path))
        .map_err(io_err(&shown))?;
    let mut writer = ZipWriter::new(BufWriter::new(temp.as_file()));
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(zip_err(&shown))?;
        if entry.name().map_err(zip_err(&shown))? == full {
            continue;
        }
        writer.raw_copy_file(entry).map_err(zip_err(&shown))?;
    }
    writer
        .start_file(full.as_str(), zip_options(time))
        .map_err(zip_err(&full))?;
    writer.write_all(&file.bytes).map_err(io_err(&full))?;
    writer
        .finish()
        .map_err(zip_err(&shown))?
        .into_inner()
        .map_err(|e| io_err(&shown)(e.into_error()))?;
    temp.as_file().sync_all().map_err(io_err(&shown))?;
    fs::set_permissions(temp.path(), permissions).map_err(io_err(&shown))?;
    temp.persist(path).map_err(|e| StoreError::Io {
        path: shown.clone(),
        error: e.error,
    })?;
    sync_dir(parent_or_dot(path));
    Ok(())
}
