//! RFC 6962 Merkle tree vectors from transparency-dev/merkle
//! (tests/data/rfc6962, Apache-2.0): every root and leaf hash, and every
//! inclusion-proof case with its expected outcome.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use exhibit::format::merkle::{self, Hash};
use serde_json::Value;

fn data_dir() -> PathBuf {
    common::test_data("rfc6962")
}

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn hex_list(v: &Value, key: &str) -> Vec<Vec<u8>> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} missing"))
        .iter()
        .map(|s| hex::decode(s.as_str().unwrap()).unwrap())
        .collect()
}

fn to_hash(bytes: &[u8]) -> Hash {
    bytes.try_into().unwrap()
}

#[test]
fn roots_and_leaf_hashes() {
    let v = read_json(&data_dir().join("roots.json"));
    let inputs = hex_list(&v, "leaf_inputs_hex");
    let leaf_hashes = hex_list(&v, "leaf_hashes_hex");
    let roots = hex_list(&v, "root_by_tree_size_hex");
    assert_eq!(inputs.len(), 8);
    assert_eq!(leaf_hashes.len(), 8);
    assert_eq!(roots.len(), 9);

    let leaves: Vec<Hash> = inputs.iter().map(|i| merkle::leaf_hash(i)).collect();
    for (i, (got, want)) in leaves.iter().zip(&leaf_hashes).enumerate() {
        assert_eq!(got.as_slice(), want.as_slice(), "leaf hash {i}");
    }
    for (size, want) in roots.iter().enumerate() {
        assert_eq!(
            merkle::root(&leaves[..size]).as_slice(),
            want.as_slice(),
            "root of tree size {size}"
        );
        let mut builder = merkle::RootBuilder::new();
        leaves[..size].iter().for_each(|l| builder.push(*l));
        assert_eq!(builder.root().as_slice(), want.as_slice());
    }
    assert_eq!(merkle::empty_root().as_slice(), roots[0].as_slice());

    // Our own proofs for every leaf of these trees verify against the
    // published roots.
    for size in 1..=8 {
        let root = to_hash(&roots[size]);
        for index in 0..size {
            let proof = merkle::inclusion_proof(&leaves[..size], index).unwrap();
            merkle::verify_inclusion(index as u64, size as u64, &leaves[index], &proof, &root)
                .unwrap_or_else(|e| panic!("leaf {index} of {size}: {e}"));
        }
    }
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// A base64 digest that must be exactly 32 bytes. The vectors also hold empty
/// or otherwise sized digests; a verifier taking `[u8; 32]` cannot be handed
/// those, which counts as rejecting the case (transparency-dev/merkle rejects
/// them by length too).
fn digest(v: &Value) -> Option<Hash> {
    let bytes = STANDARD.decode(v.as_str()?).ok()?;
    bytes.as_slice().try_into().ok()
}

/// Runs one case the way `proof.VerifyInclusion` would; `Ok` means accepted.
fn run_inclusion_case(case: &Value) -> Result<(), String> {
    let index = case["leafIdx"].as_u64().ok_or("leafIdx")?;
    let size = case["treeSize"].as_u64().ok_or("treeSize")?;
    let leaf = digest(&case["leafHash"]).ok_or("leaf hash is not 32 bytes")?;
    let root = digest(&case["root"]).ok_or("root is not 32 bytes")?;
    // Go writes an empty proof (a nil slice) as `null`.
    let proof = match &case["proof"] {
        Value::Null => Vec::new(),
        p => p.as_array().ok_or("proof is not a list")?.clone(),
    };
    let proof = proof
        .iter()
        .map(|p| digest(p).ok_or("proof hash is not 32 bytes"))
        .collect::<Result<Vec<Hash>, _>>()?;
    merkle::verify_inclusion(index, size, &leaf, &proof, &root).map_err(|e| e.to_string())
}

#[test]
fn inclusion_vectors() {
    let mut files = Vec::new();
    json_files(&data_dir().join("inclusion"), &mut files);
    assert_eq!(files.len(), 98, "expected every vector file to be found");
    let (mut accepted, mut rejected) = (0, 0);
    for path in &files {
        let case = read_json(path);
        let want_err = case["wantErr"]
            .as_bool()
            .unwrap_or_else(|| panic!("{}: wantErr missing", path.display()));
        let result = run_inclusion_case(&case);
        let name = path.strip_prefix(data_dir()).unwrap().display();
        match (want_err, result) {
            (false, Ok(())) => accepted += 1,
            (true, Err(_)) => rejected += 1,
            (false, Err(e)) => panic!("{name}: should be accepted, got: {e}"),
            (true, Ok(())) => panic!("{name}: should be rejected, was accepted"),
        }
    }
    // Sanity: the set holds both outcomes.
    assert_eq!((accepted, rejected), (6, 92));
}

#[test]
fn own_proofs_verify_for_all_indices_up_to_40() {
    let leaves: Vec<Hash> = (0u32..40)
        .map(|i| merkle::leaf_hash(&i.to_be_bytes()))
        .collect();
    for size in 1..=leaves.len() {
        let tree = &leaves[..size];
        let root = merkle::root(tree);
        for index in 0..size {
            let proof = merkle::inclusion_proof(tree, index).unwrap();
            merkle::verify_inclusion(index as u64, size as u64, &tree[index], &proof, &root)
                .unwrap_or_else(|e| panic!("leaf {index} of {size}: {e}"));
            // The same proof must not prove another leaf or position.
            let other = (index + 1) % size;
            if other != index {
                assert!(merkle::verify_inclusion(
                    other as u64,
                    size as u64,
                    &tree[index],
                    &proof,
                    &root
                )
                .is_err());
                assert!(merkle::verify_inclusion(
                    index as u64,
                    size as u64,
                    &tree[other],
                    &proof,
                    &root
                )
                .is_err());
            }
        }
        assert_eq!(merkle::inclusion_proof(tree, size), None);
    }
}
