//! `exhibit extract`: verify, and write the payload out only if it checks.
//!
//! The payload is written into a temporary folder beside the target in the
//! same read pass as verification; that folder becomes the target only when
//! the verdict allows it, so a failed or refused extraction writes nothing.

use std::io;
use std::path::{Path, PathBuf};

use crate::format::paths::BagPath;
use crate::ops::verify::{
    payload_bytes, verify, verify_bundle_with, verify_without_payload, CopyOut, VerifyOptions,
};
use crate::ops::Observer;
use crate::report::{Outcome, Report};
use crate::store::{Bundle, StagedFolder, StoreError};
use crate::trust::TrustSet;

/// What to extract where.
pub struct ExtractRequest<'a> {
    pub bundle: &'a Bundle,
    /// Must be absent or an empty folder.
    pub target: &'a Path,
    pub trust: &'a TrustSet,
    /// Extract an intact bundle that no trusted key signed (exit 3).
    pub allow_untrusted: bool,
}

impl ExtractRequest<'_> {
    /// Whether a bundle with this outcome is extracted.
    fn allows(&self, outcome: Outcome) -> bool {
        match outcome {
            Outcome::Verified => true,
            Outcome::Untrusted => self.allow_untrusted,
            Outcome::Failed => false,
        }
    }
}

/// The verdict, and whether the payload was written.
pub struct Extraction {
    pub report: Report,
    /// The folder written, or None when the verdict did not allow it.
    pub written: Option<PathBuf>,
}

/// Why extraction could not even start, or could not finish writing.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("{}: not empty; extract needs an absent or empty folder", .0.display())]
    TargetNotEmpty(PathBuf),
    #[error("{}: {error}", path.display())]
    Io { path: PathBuf, error: io::Error },
    #[error("{0}; nothing was extracted")]
    NoSpace(crate::fsx::NotEnoughSpace),
    /// Writing the copy failed: the target's failure, not the bundle's.
    #[error("{}: {}; nothing was extracted (the bundle was not judged)", target.display(), write_failure(error))]
    Write { target: PathBuf, error: StoreError },
    #[error(transparent)]
    Store(#[from] StoreError),
}

// Not `#[from]`: that would make the space error the source too, and the
// one line printed would say it twice.
impl From<crate::fsx::NotEnoughSpace> for ExtractError {
    fn from(error: crate::fsx::NotEnoughSpace) -> Self {
        ExtractError::NoSpace(error)
    }
}

/// "data/a: not enough space (No space left on device)", or the error.
fn write_failure(error: &StoreError) -> String {
    match error {
        StoreError::Write { path, error } if crate::fsx::is_out_of_space(error) => {
            format!("not enough space to write {path} ({error})")
        }
        other => other.to_string(),
    }
}

/// Checks that `target` is absent or an empty folder; true if it exists.
pub fn check_target(target: &Path) -> Result<bool, ExtractError> {
    match std::fs::read_dir(target) {
        Ok(mut entries) => match entries.next() {
            Some(_) => Err(ExtractError::TargetNotEmpty(target.into())),
            None => Ok(true),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(ExtractError::Io {
            path: target.into(),
            error,
        }),
    }
}

/// Verifies the bundle while copying its payload out, then keeps the copy
/// only if the outcome allows it.
pub fn extract(
    request: &ExtractRequest<'_>,
    observer: &dyn Observer,
) -> Result<Extraction, ExtractError> {
    let target = request.target;
    let target_exists = check_target(target)?;
    let parent = crate::fsx::parent_or_dot(target);
    std::fs::create_dir_all(parent).map_err(|error| ExtractError::Io {
        path: parent.into(),
        error,
    })?;
    // What fails without the payload (the zip's structure, tag files,
    // signatures, trust) refuses as fast as verify does: nothing is copied
    // only to be removed. The report is verify's, payload included.
    if !request.allows(verify_without_payload(request.bundle, request.trust).status) {
        let report = verify_bundle_with(request.bundle, request.trust, observer, true);
        return Ok(Extraction {
            report,
            written: None,
        });
    }
    let needed = payload_bytes(request.bundle);
    crate::fsx::check_space(target, needed)?;
    observer.will_stage();
    let staging = StagedFolder::create(target)?;
    observer.staging(staging.path());
    observer.start("verifying and copying", needed);
    let copy = CopyOut::new(staging.path());
    let report = verify(
        request.bundle,
        &VerifyOptions {
            trust: request.trust,
            progress: &|n| observer.advance(n),
            extract_to: Some(&copy),
            hash_payload: true,
            recorded: None,
        },
    );
    observer.finish();
    let write_failed = |error| ExtractError::Write {
        target: target.into(),
        error,
    };
    if let Some(error) = copy.failure() {
        return Err(write_failed(error));
    }
    if !request.allows(report.status) {
        observer.staged(staging.path());
        return Ok(Extraction {
            report,
            written: None,
        });
    }
    create_empty_folders(&report, staging.path()).map_err(write_failed)?;
    flush_to_disk(staging.path(), observer).map_err(write_failed)?;
    let temp = staging.path().to_path_buf();
    let written = staging.commit(target_exists);
    observer.staged(&temp);
    Ok(Extraction {
        report,
        written: Some(written?),
    })
}

/// Makes every extracted file durable before the folder becomes the target,
/// as a second phase a person can watch: writing lands in the page cache
/// at memory speed, and on a large payload most of the time is here.
fn flush_to_disk(root: &Path, observer: &dyn Observer) -> Result<(), StoreError> {
    use rayon::prelude::*;
    let (files, errors) = crate::walk::walk(root);
    if let Some(error) = errors.into_iter().next() {
        return Err(StoreError::Io {
            path: error.path.display().to_string(),
            error: error.source,
        });
    }
    let total = files
        .iter()
        .map(|f| match f.kind {
            crate::walk::SourceKind::File { size } => size,
            _ => 0,
        })
        .sum();
    observer.start("writing to disk", total);
    let flushed = files.par_iter().try_for_each(|file| {
        let crate::walk::SourceKind::File { size } = file.kind else {
            return Ok(());
        };
        let path = file.path();
        std::fs::File::open(&path)
            .and_then(|f| f.sync_all())
            .map_err(|error| StoreError::Write {
                path: path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .display()
                    .to_string(),
                error,
            })?;
        observer.advance(size);
        Ok(())
    });
    observer.finish();
    flushed
}

/// Folders the seal recorded as empty (BagIt cannot carry them); not for
/// a disclosure bundle, which holds only the files disclosed.
fn create_empty_folders(report: &Report, root: &Path) -> Result<(), StoreError> {
    if report.disclosure.is_some() {
        return Ok(());
    }
    for folder in report.statement.iter().flat_map(|s| &s.empty_directories) {
        let Some(path) = BagPath::parse(folder)
            .ok()
            .and_then(|p| p.strip_data().map(str::to_owned))
            .and_then(|relative| BagPath::parse(&relative).ok())
            .map(|relative| relative.to_fs_path(root))
        else {
            continue;
        };
        crate::fsx::create_dirs_within(root, &path).map_err(|error| StoreError::Write {
            path: folder.clone(),
            error,
        })?;
    }
    Ok(())
}
