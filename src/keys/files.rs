//! Saving a key pair: three files, each written atomically.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::identity::{identity_json, identity_path, public_key_path, Identity};
use super::secret::SecretKey;
use super::KeyError;
use crate::fsx::{parent_or_dot, sync_dir, AtomicFile, Overwrite};

/// The files of one key pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFiles {
    /// `NAME.key`: PKCS#8 PEM, mode 0600.
    pub secret: PathBuf,
    /// `NAME.pub`: SPKI PEM.
    pub public: PathBuf,
    /// `NAME.id.json`: claimed identity (written only when there is one).
    pub identity: PathBuf,
}

impl KeyFiles {
    pub fn for_key(key_path: &Path) -> Self {
        KeyFiles {
            secret: key_path.to_path_buf(),
            public: public_key_path(key_path),
            identity: identity_path(key_path),
        }
    }

    /// Those of the three files that exist already.
    pub fn existing(&self) -> Vec<&Path> {
        [&self.secret, &self.public, &self.identity]
            .into_iter()
            .filter(|path| path.symlink_metadata().is_ok())
            .map(PathBuf::as_path)
            .collect()
    }
}

/// Writes `NAME.key` (mode 0600 from creation), `NAME.pub` and, when the
/// identity is not empty, `NAME.id.json`. Each file is written to a
/// temporary name, synced and renamed, so none is ever seen half-written.
/// Without `overwrite`, an existing file is refused (also when it appears
/// while we write); with it, a stale identity file is removed.
pub fn save_key_pair(
    key_path: &Path,
    secret: &SecretKey,
    passphrase: Option<&[u8]>,
    identity: &Identity,
    overwrite: bool,
) -> Result<KeyFiles, KeyError> {
    let files = KeyFiles::for_key(key_path);
    if !overwrite {
        if let Some(path) = files.existing().first() {
            return Err(KeyError::AlreadyExists {
                path: path.to_path_buf(),
            });
        }
    }
    let public = secret.public_key();
    let secret_pem = secret.to_pkcs8_pem(passphrase)?;
    // Mode 0600 from creation: the secret key is never readable by others.
    let write = |path: &Path, contents: &[u8], mode| {
        AtomicFile::write(path, contents, mode).map_err(|e| KeyError::write(path, e))
    };
    let secret_tmp = write(&files.secret, secret_pem.as_bytes(), 0o600)?;
    let public_tmp = write(&files.public, public.to_spki_pem().as_bytes(), 0o644)?;
    let identity_tmp = if identity.is_empty() {
        None
    } else {
        let text = identity_json(identity, public.key_id())?;
        Some(write(&files.identity, text.as_bytes(), 0o644)?)
    };

    let overwrite = if overwrite {
        Overwrite::Allow
    } else {
        Overwrite::Refuse
    };
    commit(secret_tmp, &files.secret, overwrite)?;
    commit(public_tmp, &files.public, overwrite)?;
    match identity_tmp {
        Some(tmp) => commit(tmp, &files.identity, overwrite)?,
        None => match fs::remove_file(&files.identity) {
            Ok(()) => sync_dir(parent_or_dot(&files.identity)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(KeyError::write(&files.identity, e)),
        },
    }
    Ok(files)
}

fn commit(file: AtomicFile, path: &Path, overwrite: Overwrite) -> Result<(), KeyError> {
    file.commit(path, overwrite).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            KeyError::AlreadyExists {
                path: path.to_path_buf(),
            }
        } else {
            KeyError::write(path, e)
        }
    })
}
