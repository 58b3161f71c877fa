//! `exhibit recover`: undo what an interrupted append left behind, under
//! the bundle's lock. Reading commands never do this: they judge the bundle
//! as it is and say when it needs recovering.

use std::path::{Path, PathBuf};

use crate::format::custody::{event_paths, trailing_orphan_signature};
use crate::ops::custody::{read_log, CustodyLog};
use crate::ops::Observer;
use crate::store::{Bundle, OpenError, StoreError};

/// What was undone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovery {
    /// A zip append was rolled back: the zip is as it was before it.
    pub rolled_back: bool,
    /// A custody signature whose event was never written, removed from a
    /// folder bundle.
    pub removed: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RecoverError {
    #[error("{}: no such bundle", .0.display())]
    Missing(PathBuf),
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Takes the lock (which rolls back an interrupted zip append), then, for
/// a folder bundle, removes a trailing custody signature with no event.
pub fn recover(path: &Path, observer: &dyn Observer) -> Result<Recovery, RecoverError> {
    if std::fs::symlink_metadata(path).is_err() {
        return Err(RecoverError::Missing(path.into()));
    }
    let lock = Bundle::lock(path, &|| observer.waiting_for_lock())?;
    let mut recovery = Recovery {
        rolled_back: lock.rolled_back(),
        removed: None,
    };
    // Zip appends are journaled and leave nothing else; a folder bundle
    // (opened only then) can hold a signature whose event never came.
    if path.is_dir() {
        let bundle = Bundle::open(path)?;
        let CustodyLog { mut events, .. } = read_log(&bundle);
        if let Some(orphan) = trailing_orphan_signature(&mut events) {
            let name = event_paths(orphan).signature;
            bundle.remove_orphan(&lock, &name)?;
            recovery.removed = Some(name);
        }
    }
    Ok(recovery)
}
