//! Writes the seed corpus `fuzz/seeds/<target>/` from a sealed bundle in
//! both forms (a folder and a zip of the same bundle, ideally with a few
//! custody events):
//!
//! ```text
//! cargo run --manifest-path fuzz/Cargo.toml --example make_seeds -- BUNDLE_DIR BUNDLE_ZIP fuzz/seeds
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use exhibit_fuzz::properties::{encode_entries, flags, EntrySpec};

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [dir, zip, out] = args.as_slice() else {
        eprintln!("usage: make_seeds BUNDLE_DIR BUNDLE_ZIP SEEDS_DIR");
        std::process::exit(2);
    };
    let files = bundle_files(dir);
    let put = |target: &str, name: &str, bytes: &[u8]| {
        let folder = out.join(target);
        fs::create_dir_all(&folder).expect("create seed folder");
        fs::write(folder.join(name), bytes).expect("write seed");
    };
    let file = |name: &str| -> Vec<u8> {
        files
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} is not in the bundle"))
            .1
            .clone()
    };

    put(
        "bundle_zip",
        "sealed.zip",
        &fs::read(zip).expect("read zip"),
    );

    let entries = |deflate: bool| -> Vec<EntrySpec> {
        files
            .iter()
            .map(|(name, data)| EntrySpec {
                flags: if deflate { flags::DEFLATE } else { 0 },
                name: name.as_bytes().to_vec(),
                data: data.clone(),
            })
            .collect()
    };
    put(
        "bundle_structured",
        "sealed-stored",
        &encode_entries(&entries(false)),
    );
    put(
        "bundle_structured",
        "sealed-deflated",
        &encode_entries(&entries(true)),
    );
    let plain: Vec<EntrySpec> = entries(false)
        .into_iter()
        .filter(|e| !e.name.starts_with(b"exhibit/"))
        .collect();
    put("bundle_structured", "plain-bag", &encode_entries(&plain));

    put("seal_statement", "seal.json", &file("exhibit/seal.json"));
    put("bag_info", "bag-info.txt", &file("bag-info.txt"));
    put("bagit_txt", "bagit.txt", &file("bagit.txt"));
    put(
        "manifest",
        "manifest-sha256.txt",
        &file("manifest-sha256.txt"),
    );
    put(
        "manifest",
        "manifest-blake3.txt",
        &file("exhibit/manifest-blake3.txt"),
    );
    for (name, data) in &files {
        let base = name.rsplit('/').next().unwrap_or(name);
        if name.starts_with("exhibit/signatures/") {
            put("signature_record", "seal-signature.json", data);
        } else if name.starts_with("exhibit/custody/") && name.ends_with(".sig") {
            put("signature_record", &format!("custody-{base}"), data);
        } else if name.starts_with("exhibit/custody/") {
            put("custody_event", base, data);
        }
    }
    let payload = files.iter().filter(|(name, _)| name.starts_with("data/"));
    for (i, (name, _)) in payload.enumerate() {
        put("bag_path", &format!("payload-{i}"), name.as_bytes());
    }
    put("bag_path", "encoded", b"data/100%25 done%0D%0Anext%zz");
    put("bag_path", "backslash", b"data/a\\..\\b");
    put("bag_path", "drive", b"data/C:/x");
}

/// Every regular file of a folder bundle, by bag path, sorted.
fn bundle_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in fs::read_dir(dir).expect("read folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let name = path.strip_prefix(root).expect("below root");
                let name = name.to_str().expect("UTF-8 name").replace('\\', "/");
                out.push((name, fs::read(&path).expect("read file")));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}
