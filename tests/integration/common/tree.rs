//! File trees compared byte for byte, copied, and read or written as the
//! files of a bag.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// One node of a file tree, compared byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    File(Vec<u8>),
    Dir,
    Symlink(PathBuf),
}

/// Every node below `root` by its exact relative name (not followed
/// through symbolic links).
pub fn read_tree(root: &Path) -> BTreeMap<PathBuf, Node> {
    let mut tree = BTreeMap::new();
    for item in walkdir::WalkDir::new(root).follow_links(false).min_depth(1) {
        let item = item.unwrap();
        let relative = item.path().strip_prefix(root).unwrap().to_path_buf();
        let kind = item.file_type();
        let node = if kind.is_symlink() {
            Node::Symlink(fs::read_link(item.path()).unwrap())
        } else if kind.is_dir() {
            Node::Dir
        } else {
            Node::File(fs::read(item.path()).unwrap())
        };
        tree.insert(relative, node);
    }
    tree
}

/// Names of the nodes that differ between two trees (for messages that do
/// not dump megabytes).
pub fn tree_diff(a: &BTreeMap<PathBuf, Node>, b: &BTreeMap<PathBuf, Node>) -> Vec<String> {
    let mut diff = Vec::new();
    for (name, node) in a {
        match b.get(name) {
            None => diff.push(format!("only in first: {name:?}")),
            Some(other) if other != node => diff.push(format!("differs: {name:?}")),
            Some(_) => {}
        }
    }
    for name in b.keys().filter(|n| !a.contains_key(*n)) {
        diff.push(format!("only in second: {name:?}"));
    }
    diff
}

/// Copies a tree, keeping symbolic links as links.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for (name, node) in read_tree(from) {
        let target = to.join(&name);
        match node {
            Node::Dir => fs::create_dir_all(&target).unwrap(),
            Node::File(bytes) => fs::write(&target, bytes).unwrap(),
            Node::Symlink(link) => std::os::unix::fs::symlink(link, &target).unwrap(),
        }
    }
}

/// The regular files of a bag folder as `bag path -> bytes`.
pub fn read_bag_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    read_tree(root)
        .into_iter()
        .filter_map(|(name, node)| match node {
            Node::File(bytes) => Some((name.to_str().unwrap().to_string(), bytes)),
            _ => None,
        })
        .collect()
}

/// Makes the files of a bag folder equal to `files`: removes, rewrites and
/// adds only what differs.
pub fn write_bag_files(root: &Path, files: &BTreeMap<String, Vec<u8>>) {
    let before = read_bag_files(root);
    for name in before.keys().filter(|n| !files.contains_key(*n)) {
        fs::remove_file(root.join(name)).unwrap();
    }
    for (name, bytes) in files {
        if before.get(name) != Some(bytes) {
            let path = root.join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
    }
}
