//! Helpers shared by the fuzz targets: opening and verifying a zip bundle
//! held in memory, and a compact encoding of "a zip with these entries" so
//! the fuzzer can mutate entry names and contents without first having to
//! discover the zip format.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use exhibit::format::custody::check_chain;
use exhibit::ops::custody::{read_log, CustodyLog};
use exhibit::store::Bundle;
use exhibit::ops::verify::{verify, VerifyOptions};
use exhibit::trust::TrustSet;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The top-level folder every structured bundle uses.
pub const TOP: &str = "b";

/// Most entries taken from one structured input.
const MAX_ENTRIES: usize = 64;

/// Writes `bytes` to this process's scratch zip file and returns its path.
/// One file per process, rewritten for every input: the fuzzer runs one
/// input at a time.
pub fn scratch_zip(bytes: &[u8]) -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("create a scratch folder"));
    let path = dir.path().join("bundle.zip");
    std::fs::write(&path, bytes).expect("write the scratch zip");
    path
}

/// Opens the file as a bundle and, when it opens, does what `verify`,
/// `inspect` and `custody log` do with it: every check with an empty trust
/// set (with and without hashing the payload), the report rendered both ways
/// a user sees it, and the custody log read and checked on its own.
pub fn open_and_verify(path: &Path) {
    let Ok(bundle) = Bundle::open(path) else {
        return;
    };
    for hash_payload in [true, false] {
        let report = verify(
            &bundle,
            &VerifyOptions {
                trust: &TrustSet::default(),
                progress: &|_| {},
                extract_to: None,
                hash_payload,
            },
        );
        // An empty trust set trusts nobody: nothing can verify.
        assert!(!report.verified(), "verified with an empty trust set");
        assert!(report.trusted_signers.is_empty());
        let json = serde_json::to_vec(&report).expect("report serializes");
        assert!(!json.is_empty());
        let _ = report.to_html();
    }
    let CustodyLog { seal, events, .. } = read_log(&bundle);
    let _ = check_chain(&events, seal.as_deref().unwrap_or_default(), &|_| false);
}

/// Flags of one entry in the structured encoding.
pub mod flags {
    /// Deflate instead of store.
    pub const DEFLATE: u8 = 0x01;
    /// A directory entry (contents ignored).
    pub const DIRECTORY: u8 = 0x02;
    /// A symbolic link whose target is the contents.
    pub const SYMLINK: u8 = 0x04;
    /// The name is used as is, not placed below the top-level folder.
    pub const OUTSIDE_TOP: u8 = 0x08;
    /// Zip64 headers.
    pub const LARGE_FILE: u8 = 0x10;
    /// Unix mode 0755 instead of 0644.
    pub const EXECUTABLE: u8 = 0x20;
}

/// One entry of a structured zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntrySpec {
    pub flags: u8,
    pub name: Vec<u8>,
    pub data: Vec<u8>,
}

/// Encodes entries as the structured target reads them:
/// `flags:u8 name_len:u8 name data_len:u16le data`, repeated.
pub fn encode_entries(entries: &[EntrySpec]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        let name = &e.name[..e.name.len().min(u8::MAX as usize)];
        let data = &e.data[..e.data.len().min(u16::MAX as usize)];
        out.push(e.flags);
        out.push(name.len() as u8);
        out.extend_from_slice(name);
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
    }
    out
}

/// Decodes as many whole entries as `bytes` holds (at most 64).
pub fn decode_entries(mut bytes: &[u8]) -> Vec<EntrySpec> {
    let mut out = Vec::new();
    while out.len() < MAX_ENTRIES {
        let [flags, name_len, rest @ ..] = bytes else {
            break;
        };
        let Some((name, rest)) = rest.split_at_checked(*name_len as usize) else {
            break;
        };
        let Some(([lo, hi], rest)) = rest.split_first_chunk::<2>() else {
            break;
        };
        let data_len = u16::from_le_bytes([*lo, *hi]) as usize;
        let Some((data, rest)) = rest.split_at_checked(data_len) else {
            break;
        };
        out.push(EntrySpec {
            flags: *flags,
            name: name.to_vec(),
            data: data.to_vec(),
        });
        bytes = rest;
    }
    out
}

/// Builds a zip with the `zip` crate. Entries the writer refuses (a
/// duplicate name, say) are left out.
pub fn build_zip(entries: &[EntrySpec]) -> Option<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for e in entries {
        let name = String::from_utf8_lossy(&e.name);
        let name = if e.flags & flags::OUTSIDE_TOP != 0 {
            name.into_owned()
        } else {
            format!("{TOP}/{name}")
        };
        let method = if e.flags & flags::DEFLATE != 0 {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        let mode = if e.flags & flags::EXECUTABLE != 0 {
            0o755
        } else {
            0o644
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .large_file(e.flags & flags::LARGE_FILE != 0)
            .unix_permissions(mode)
            .last_modified_time(zip::DateTime::default());
        let written = if e.flags & flags::DIRECTORY != 0 {
            zip.add_directory(name, options)
        } else if e.flags & flags::SYMLINK != 0 {
            zip.add_symlink(name, String::from_utf8_lossy(&e.data), options)
        } else {
            zip.start_file(name, options)
                .and_then(|()| zip.write_all(&e.data).map_err(Into::into))
        };
        if written.is_err() {
            let _ = zip.abort_file();
        }
    }
    zip.finish().ok().map(Cursor::into_inner)
}
