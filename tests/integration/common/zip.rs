//! Zip files read and written with the zip library, the way a foreign tool
//! (or a forger) would: entries listed, bags read and rewritten, folders
//! zipped and unzipped.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use ::zip::write::SimpleFileOptions;
use ::zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::tree::{read_tree, Node};

/// What the central directory says about one zip entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipEntryInfo {
    pub name: Vec<u8>,
    pub method: CompressionMethod,
    pub data_start: u64,
    pub size: u64,
    pub compressed_size: u64,
    pub modified: Option<::zip::DateTime>,
    pub is_dir: bool,
}

/// Every entry of a zip file, in central-directory order.
pub fn zip_entries(path: &Path) -> Vec<ZipEntryInfo> {
    let mut archive = ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let entry = archive.by_index_raw(i).unwrap();
            ZipEntryInfo {
                name: entry.name_raw().to_vec(),
                method: entry.compression(),
                data_start: entry.data_start().expect("local header was read"),
                size: entry.size(),
                compressed_size: entry.compressed_size(),
                modified: entry.last_modified(),
                is_dir: entry.is_dir(),
            }
        })
        .collect()
}

/// Where the central directory of a zip file starts.
pub fn zip_central_directory_start(path: &Path) -> u64 {
    ZipArchive::new(fs::File::open(path).unwrap())
        .unwrap()
        .central_directory_start()
}

/// The files of a zip bag (below its single top folder) as
/// `bag path -> bytes`, and that top folder's name. Stored entries are read
/// raw, so a bag changed in place (its CRC no longer matching) still reads.
pub fn read_zip_bag(path: &Path) -> (String, BTreeMap<String, Vec<u8>>) {
    let mut archive = ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut top = None;
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let stored = archive.by_index_raw(i).unwrap().compression() == CompressionMethod::Stored;
        let mut entry = if stored {
            archive.by_index_raw(i).unwrap()
        } else {
            archive.by_index(i).unwrap()
        };
        let name = String::from_utf8(entry.name_raw().to_vec()).unwrap();
        let (first, rest) = name.split_once('/').expect("entry below a top folder");
        assert_eq!(
            *top.get_or_insert(first.to_string()),
            first,
            "one top folder"
        );
        if entry.is_dir() || rest.is_empty() {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.insert(rest.to_string(), bytes);
    }
    (top.expect("a non-empty zip"), files)
}

/// Writes `dst`: the entries of the zip bag `src` with its bag files made
/// equal to `files`. Unchanged entries are copied raw (same bytes, same
/// header fields); changed ones are written stored, like `exhibit` writes
/// them; new ones are appended at the end.
pub fn rewrite_zip_bag(src: &Path, dst: &Path, files: &BTreeMap<String, Vec<u8>>) {
    let (top, before) = read_zip_bag(src);
    let mut archive = ZipArchive::new(fs::File::open(src).unwrap()).unwrap();
    let mut writer = ZipWriter::new(fs::File::create(dst).unwrap());
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .unix_permissions(0o644);
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).unwrap();
        let name = String::from_utf8(entry.name_raw().to_vec()).unwrap();
        let bag_name = name.split_once('/').map(|(_, rest)| rest).unwrap_or("");
        let unchanged = entry.is_dir() || files.get(bag_name) == before.get(bag_name);
        if unchanged {
            writer.raw_copy_file(entry).unwrap();
        } else if let Some(bytes) = files.get(bag_name) {
            writer.start_file(name.as_str(), options).unwrap();
            writer.write_all(bytes).unwrap();
        }
    }
    for (name, bytes) in files.iter().filter(|(n, _)| !before.contains_key(*n)) {
        writer
            .start_file(format!("{top}/{name}").as_str(), options)
            .unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap();
}

/// Writes a zip holding the folder `root` under the top folder `top`, with
/// every file compressed by `method` (as a foreign tool would).
pub fn zip_folder(root: &Path, top: &str, dst: &Path, method: CompressionMethod) {
    let mut writer = ZipWriter::new(fs::File::create(dst).unwrap());
    let options = SimpleFileOptions::default().compression_method(method);
    writer
        .add_directory(format!("{top}/").as_str(), options)
        .unwrap();
    for (name, node) in read_tree(root) {
        let full = format!("{top}/{}", name.to_str().unwrap());
        match node {
            Node::Dir => writer.add_directory(full.as_str(), options).unwrap(),
            Node::File(bytes) => {
                writer.start_file(full.as_str(), options).unwrap();
                writer.write_all(&bytes).unwrap();
            }
            Node::Symlink(_) => panic!("no symbolic links expected in {}", root.display()),
        }
    }
    writer.finish().unwrap();
}

/// Extracts every entry of a zip below `dst` with the zip library (names
/// kept exactly, as bytes).
pub fn unzip(src: &Path, dst: &Path) {
    let mut archive = ZipArchive::new(fs::File::open(src).unwrap()).unwrap();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name_raw().to_vec();
        assert!(
            !name.starts_with(b"/") && !name.split(|b| *b == b'/').any(|c| c == b".."),
            "unsafe name in a test zip"
        );
        let path = dst.join(OsStr::from_bytes(&name));
        if entry.is_dir() {
            fs::create_dir_all(&path).unwrap();
            continue;
        }
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        fs::write(&path, bytes).unwrap();
    }
}
