//! Claimed identity: who a key holder says they are, kept beside the key.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::id::KeyId;
use super::pem::read_limited;
use super::{KeyError, IDENTITY_TYPE};

/// Who the key holder says they are. A claim, not proof: only a trusted
/// public key proves who signed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Identity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
}

impl Identity {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.organization.is_none()
    }
}

/// The identity file as stored (`NAME.id.json`).
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct IdentityFile {
    #[serde(rename = "type")]
    kind: String,
    key_id: KeyId,
    #[serde(flatten)]
    identity: Identity,
}

/// The identity file beside a secret key: `NAME.id.json` for `NAME.key`
/// (or `FILE.id.json` when the key file does not end in `.key`).
pub fn identity_path(key_path: &Path) -> PathBuf {
    sibling_path(key_path, ".id.json")
}

/// The public key file beside a secret key: `NAME.pub` for `NAME.key`
/// (or `FILE.pub` when the key file does not end in `.key`).
pub fn public_key_path(key_path: &Path) -> PathBuf {
    sibling_path(key_path, ".pub")
}

pub(super) fn sibling_path(key_path: &Path, suffix: &str) -> PathBuf {
    let mut name = key_path.as_os_str().to_owned();
    if key_path.extension().is_some_and(|ext| ext == "key") {
        name = key_path.with_extension("").into_os_string();
    }
    name.push(suffix);
    PathBuf::from(name)
}

/// The claimed identity kept beside `key_path`; a missing file gives
/// `Identity::default()`.
pub fn load_identity(key_path: &Path) -> Result<Identity, KeyError> {
    Ok(read_identity_file(key_path)?
        .map(|file| file.identity)
        .unwrap_or_default())
}

/// Like [`load_identity`], but refuses an identity file written for a
/// different key (e.g. left behind when the key was replaced by hand).
pub fn load_identity_for(key_path: &Path, key_id: &KeyId) -> Result<Identity, KeyError> {
    match read_identity_file(key_path)? {
        None => Ok(Identity::default()),
        Some(file) if file.key_id == *key_id => Ok(file.identity),
        Some(file) => Err(KeyError::Identity {
            path: identity_path(key_path),
            detail: format!("it belongs to key {}, not to key {key_id}", file.key_id),
        }),
    }
}

pub(super) fn read_identity_file(key_path: &Path) -> Result<Option<IdentityFile>, KeyError> {
    let path = identity_path(key_path);
    let bytes = match read_limited(&path) {
        Ok(bytes) => bytes,
        Err(KeyError::Io { cause, .. }) if cause.kind() == io::ErrorKind::NotFound => {
            return Ok(None)
        }
        Err(err) => return Err(err),
    };
    let file: IdentityFile = serde_json::from_slice(&bytes).map_err(|e| KeyError::Identity {
        path: path.clone(),
        detail: e.to_string(),
    })?;
    if file.kind != IDENTITY_TYPE {
        return Err(KeyError::Identity {
            path,
            detail: format!("type is {:?}, expected {IDENTITY_TYPE:?}", file.kind),
        });
    }
    Ok(Some(file))
}

pub(super) fn identity_json(identity: &Identity, key_id: KeyId) -> Result<String, KeyError> {
    let file = IdentityFile {
        kind: IDENTITY_TYPE.to_string(),
        key_id,
        identity: identity.clone(),
    };
    let mut text =
        serde_json::to_string_pretty(&file).map_err(|e| KeyError::Encode(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
