//! Enumerates source files and folders without ever following a symbolic
//! link. Used by `hash` and `seal`; the result is sorted by path bytes so
//! every run over the same tree produces the same order.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

/// What a source path turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// A regular file and its size when it was listed.
    File { size: u64 },
    /// A symbolic link; recorded, never followed.
    Symlink { target: PathBuf },
    /// A folder with nothing in it (BagIt cannot carry it as payload).
    EmptyDir,
    /// A device, socket or FIFO: never read.
    Special { what: &'static str },
}

/// One entry found under a source root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceEntry {
    /// Where it is on disk (the root as given, joined with the relative part).
    pub path: PathBuf,
    /// The path below the root's parent: the root's own name, then the rest.
    /// `seal` puts the entry at `data/<relative>`.
    pub relative: PathBuf,
    pub kind: SourceKind,
}

/// A path that could not be listed.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct WalkError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Lists everything under `root` (or `root` itself when it is not a folder).
/// Entries come back sorted by `path` bytes; listing errors are returned
/// beside them so one unreadable folder does not stop the rest.
pub fn walk(root: &Path) -> (Vec<SourceEntry>, Vec<WalkError>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let root_name = root_name(root);
    let mut dirs = Vec::new();
    let mut non_empty: HashSet<PathBuf> = HashSet::new();
    for item in walkdir::WalkDir::new(root)
        .follow_links(false)
        .follow_root_links(false)
    {
        let item = match item {
            Ok(item) => item,
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                let source = err
                    .into_io_error()
                    .unwrap_or_else(|| io::Error::other("file system loop"));
                errors.push(WalkError { path, source });
                continue;
            }
        };
        let path = item.path().to_path_buf();
        if item.depth() > 0 {
            if let Some(parent) = path.parent() {
                non_empty.insert(parent.to_path_buf());
            }
        }
        let relative = match path.strip_prefix(root) {
            Ok(rest) if rest.as_os_str().is_empty() => root_name.clone(),
            Ok(rest) => root_name.join(rest),
            Err(_) => path.clone(),
        };
        let file_type = item.file_type();
        let kind = if file_type.is_dir() {
            dirs.push((path, relative));
            continue;
        } else if file_type.is_symlink() {
            match std::fs::read_link(&path) {
                Ok(target) => SourceKind::Symlink { target },
                Err(source) => {
                    errors.push(WalkError { path, source });
                    continue;
                }
            }
        } else if file_type.is_file() {
            match item.metadata() {
                Ok(meta) => SourceKind::File { size: meta.len() },
                Err(err) => {
                    let source = err
                        .into_io_error()
                        .unwrap_or_else(|| io::Error::other("cannot read metadata"));
                    errors.push(WalkError { path, source });
                    continue;
                }
            }
        } else {
            SourceKind::Special {
                what: special_kind(&file_type),
            }
        };
        entries.push(SourceEntry {
            path,
            relative,
            kind,
        });
    }
    for (path, relative) in dirs {
        if !non_empty.contains(&path) {
            entries.push(SourceEntry {
                path,
                relative,
                kind: SourceKind::EmptyDir,
            });
        }
    }
    entries.sort_by(|a, b| {
        a.path
            .as_os_str()
            .as_encoded_bytes()
            .cmp(b.path.as_os_str().as_encoded_bytes())
    });
    (entries, errors)
}

/// The last component of a root as the user named it (`mail/` → `mail`,
/// `.` → the folder's real name).
fn root_name(root: &Path) -> PathBuf {
    match root.file_name() {
        Some(name) => PathBuf::from(name),
        None => std::fs::canonicalize(root)
            .ok()
            .and_then(|p| p.file_name().map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("root")),
    }
}

#[cfg(unix)]
fn special_kind(file_type: &std::fs::FileType) -> &'static str {
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
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_files_symlinks_and_empty_dirs_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("case");
        std::fs::create_dir_all(root.join("b/deep")).unwrap();
        std::fs::create_dir_all(root.join("empty")).unwrap();
        std::fs::write(root.join("a-c"), b"x").unwrap();
        std::fs::write(root.join("a"), b"").unwrap();
        std::fs::write(root.join("b/deep/f"), b"123").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc/passwd", root.join("link")).unwrap();
        let (entries, errors) = walk(&root);
        assert!(errors.is_empty());
        let rel: Vec<_> = entries
            .iter()
            .map(|e| e.relative.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            rel,
            [
                "case/a",
                "case/a-c",
                "case/b/deep/f",
                "case/empty",
                "case/link"
            ]
        );
        assert_eq!(entries[2].kind, SourceKind::File { size: 3 });
        assert_eq!(entries[3].kind, SourceKind::EmptyDir);
        assert_eq!(
            entries[4].kind,
            SourceKind::Symlink {
                target: "/etc/passwd".into()
            }
        );
    }

    #[test]
    fn single_file_root_is_its_own_entry() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("disk.img");
        std::fs::write(&file, b"abc").unwrap();
        let (entries, errors) = walk(&file);
        assert!(errors.is_empty());
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].relative, PathBuf::from("disk.img"));
    }

    #[test]
    fn missing_root_is_an_error() {
        let (entries, errors) = walk(Path::new("/nonexistent/exhibit-test"));
        assert!(entries.is_empty());
        assert_eq!(errors.len(), 1);
    }
}
