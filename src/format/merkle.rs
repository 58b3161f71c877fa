//! RFC 6962 Merkle tree over SHA-256, as used by Certificate Transparency
//! and transparency-dev/merkle.
//!
//! - leaf hash: `SHA-256(0x00 || leaf input)`
//! - node hash: `SHA-256(0x01 || left || right)`
//! - the root of the empty tree is `SHA-256("")`
//! - a tree of `n > 1` leaves splits at the largest power of two below `n`.
//!
//! The seal statement commits to the root over every payload file (leaves in
//! sorted path order, see [`LeafEncoding`]), so one file can later be proven
//! part of the seal with an inclusion proof, without the others.

use sha2::{Digest as _, Sha256};

/// A SHA-256 tree hash.
pub type Hash = [u8; 32];

/// Domain-separation prefix of [`payload_leaf`] inputs (leaf encoding 1).
pub const PAYLOAD_LEAF_PREFIX: &[u8] = b"exhibit.merkle-leaf/1\0";
/// Domain-separation prefix of [`payload_leaf_v2`] inputs (leaf encoding 2).
pub const PAYLOAD_LEAF_V2_PREFIX: &[u8] = b"exhibit.merkle-leaf/2\0";

/// How a payload file becomes a leaf: named in the seal statement's
/// `payload.merkle_leaf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeafEncoding {
    /// `exhibit.merkle-leaf/1` (seal format 1): path, size and digests.
    V1,
    /// `exhibit.merkle-leaf/2` (seal format 2): a 256-bit salt first, so
    /// that a leaf (and any node above it) confirms nothing about a file
    /// to someone who does not hold its salt.
    V2,
}

impl LeafEncoding {
    /// The name used in `payload.merkle_leaf`.
    pub fn name(self) -> &'static str {
        match self {
            LeafEncoding::V1 => "exhibit.merkle-leaf/1",
            LeafEncoding::V2 => "exhibit.merkle-leaf/2",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [LeafEncoding::V1, LeafEncoding::V2]
            .into_iter()
            .find(|e| e.name() == name)
    }

    /// The leaf hash of one payload file: the one place either encoding is
    /// chosen. `None` when the encoding needs a salt and `input` has none.
    pub fn leaf(self, input: &LeafInput<'_>) -> Option<Hash> {
        match (self, input.salt) {
            (LeafEncoding::V1, _) => Some(payload_leaf(
                input.path,
                input.size,
                input.sha256,
                input.blake3,
            )),
            (LeafEncoding::V2, Some(salt)) => Some(payload_leaf_v2(
                salt,
                input.path,
                input.size,
                input.sha256,
                input.blake3,
            )),
            (LeafEncoding::V2, None) => None,
        }
    }
}

/// What a payload file's leaf commits to.
#[derive(Debug, Clone, Copy)]
pub struct LeafInput<'a> {
    /// The bag path (`data/...`), raw UTF-8, not percent-encoded.
    pub path: &'a str,
    pub size: u64,
    pub sha256: &'a [u8; 32],
    pub blake3: &'a [u8; 32],
    /// The file's salt (leaf encoding 2 only).
    pub salt: Option<&'a [u8; 32]>,
}

/// An inclusion proof that does not prove what it claims.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum MerkleError {
    #[error("leaf index {index} is beyond tree size {size}")]
    IndexBeyondSize { index: u64, size: u64 },
    #[error("inclusion proof for leaf {index} of {size} has {got} hashes, expected {want}")]
    WrongProofSize {
        index: u64,
        size: u64,
        got: usize,
        want: usize,
    },
    #[error(
        "inclusion proof for leaf {index} of {size} gives root {calculated}, expected {expected}"
    )]
    RootMismatch {
        index: u64,
        size: u64,
        /// Lowercase hex.
        calculated: String,
        /// Lowercase hex.
        expected: String,
    },
}

/// `SHA-256(0x00 || input)`.
pub fn leaf_hash(input: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(input);
    h.finalize().into()
}

/// `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// Root of the empty tree, `SHA-256("")`.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// Computes a root from leaf hashes pushed one at a time, keeping only one
/// hash per level (at most 64), so memory does not grow with the leaf count.
#[derive(Debug, Clone, Default)]
pub struct RootBuilder {
    /// Roots of complete subtrees, largest (leftmost) first.
    stack: Vec<Hash>,
    count: u64,
}

impl RootBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the next leaf hash (in tree order).
    pub fn push(&mut self, leaf: Hash) {
        self.count += 1;
        let mut hash = leaf;
        // Each trailing zero bit of the new count completes one more level.
        for _ in 0..self.count.trailing_zeros() {
            let Some(left) = self.stack.pop() else { break };
            hash = node_hash(&left, &hash);
        }
        self.stack.push(hash);
    }

    /// Leaves pushed so far.
    pub fn len(&self) -> u64 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The root of the leaves pushed so far.
    pub fn root(&self) -> Hash {
        // The complete subtrees left to right are exactly the RFC 6962 split
        // points, so folding them from the right gives the RFC root.
        let mut rest = self.stack.iter().rev();
        let Some(last) = rest.next() else {
            return empty_root();
        };
        rest.fold(*last, |acc, left| node_hash(left, &acc))
    }
}

/// The RFC 6962 root (MTH) of the given leaf hashes. Iterative, O(n) time,
/// O(log n) extra memory.
pub fn root(leaves: &[Hash]) -> Hash {
    let mut builder = RootBuilder::new();
    for leaf in leaves {
        builder.push(*leaf);
    }
    builder.root()
}

/// Largest power of two strictly below `n`; `n` must be at least 2.
fn split_point(n: usize) -> usize {
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// The RFC 6962 audit path (PATH) for leaf `index`, from the leaf's sibling
/// up to the child of the root; `None` when `index` is out of range.
pub fn inclusion_proof(leaves: &[Hash], index: usize) -> Option<Vec<Hash>> {
    if index >= leaves.len() {
        return None;
    }
    let mut path = Vec::new();
    let (mut lo, mut hi, mut m) = (0, leaves.len(), index);
    // Walk down from the root; each step records the other subtree's root.
    while hi - lo > 1 {
        let k = split_point(hi - lo);
        if m < k {
            path.push(root(&leaves[lo + k..hi]));
            hi = lo + k;
        } else {
            path.push(root(&leaves[lo..lo + k]));
            lo += k;
            m -= k;
        }
    }
    path.reverse();
    Some(path)
}

/// Checks that `leaf` is at `leaf_index` in the tree of `tree_size` leaves
/// with root `root`, as transparency-dev/merkle `proof.VerifyInclusion` does.
pub fn verify_inclusion(
    leaf_index: u64,
    tree_size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), MerkleError> {
    let calculated = root_from_inclusion_proof(leaf_index, tree_size, leaf, proof)?;
    if &calculated != root {
        return Err(MerkleError::RootMismatch {
            index: leaf_index,
            size: tree_size,
            calculated: hex::encode(calculated),
            expected: hex::encode(root),
        });
    }
    Ok(())
}

/// The root implied by an inclusion proof (transparency-dev/merkle
/// `proof.RootFromInclusionProof`).
pub fn root_from_inclusion_proof(
    leaf_index: u64,
    tree_size: u64,
    leaf: &Hash,
    proof: &[Hash],
) -> Result<Hash, MerkleError> {
    if leaf_index >= tree_size {
        return Err(MerkleError::IndexBeyondSize {
            index: leaf_index,
            size: tree_size,
        });
    }
    // The path splits into an inner part, below the point where the leaf's
    // path and the right border of the tree meet, and a border part above it.
    let inner = (u64::BITS - (leaf_index ^ (tree_size - 1)).leading_zeros()) as usize;
    let border = leaf_index
        .checked_shr(inner as u32)
        .unwrap_or(0)
        .count_ones() as usize;
    if proof.len() != inner + border {
        return Err(MerkleError::WrongProofSize {
            index: leaf_index,
            size: tree_size,
            got: proof.len(),
            want: inner + border,
        });
    }
    let (inner_proof, border_proof) = proof.split_at(inner);
    let mut hash = *leaf;
    for (level, sibling) in inner_proof.iter().enumerate() {
        let is_right_child = leaf_index.checked_shr(level as u32).unwrap_or(0) & 1 == 1;
        hash = if is_right_child {
            node_hash(sibling, &hash)
        } else {
            node_hash(&hash, sibling)
        };
    }
    for sibling in border_proof {
        hash = node_hash(sibling, &hash);
    }
    Ok(hash)
}

/// The leaf of one payload file:
/// `leaf_hash(PAYLOAD_LEAF_PREFIX || u64be(len(path)) || path || u64be(size) || sha256 || blake3)`,
/// where `path` is the bag path in UTF-8 (`data/...`, not percent-encoded).
/// The length prefix keeps the encoding unambiguous whatever the path holds.
pub fn payload_leaf(path: &str, size: u64, sha256: &[u8; 32], blake3: &[u8; 32]) -> Hash {
    leaf_hash(&leaf_input(
        PAYLOAD_LEAF_PREFIX,
        &[],
        path,
        size,
        sha256,
        blake3,
    ))
}

/// `prefix || salt || u64be(len(path)) || path || u64be(size) || sha256 ||
/// blake3`: the input of both leaf encodings (encoding 1 has no salt).
fn leaf_input(
    prefix: &[u8],
    salt: &[u8],
    path: &str,
    size: u64,
    sha256: &[u8; 32],
    blake3: &[u8; 32],
) -> Vec<u8> {
    let mut input = Vec::with_capacity(prefix.len() + salt.len() + 8 + path.len() + 8 + 64);
    input.extend_from_slice(prefix);
    input.extend_from_slice(salt);
    input.extend_from_slice(&(path.len() as u64).to_be_bytes());
    input.extend_from_slice(path.as_bytes());
    input.extend_from_slice(&size.to_be_bytes());
    input.extend_from_slice(sha256);
    input.extend_from_slice(blake3);
    input
}

/// The leaf of one payload file in leaf encoding 2:
/// `leaf_hash(PAYLOAD_LEAF_V2_PREFIX || salt || u64be(len(path)) || path || u64be(size) || sha256 || blake3)`.
/// The salt has a fixed length and comes first; the rest is the encoding-1
/// input after its prefix.
pub fn payload_leaf_v2(
    salt: &[u8; 32],
    path: &str,
    size: u64,
    sha256: &[u8; 32],
    blake3: &[u8; 32],
) -> Hash {
    leaf_hash(&leaf_input(
        PAYLOAD_LEAF_V2_PREFIX,
        salt,
        path,
        size,
        sha256,
        blake3,
    ))
}

/// The root of `leaves` and the audit path of each leaf in `indices`, in
/// one pass: every subtree root is computed once, so k proofs over n leaves
/// cost O(n) hashes (not O(k n)) and O(log n) stack. Each path is the one
/// [`inclusion_proof`] gives. `None` when an index is out of range.
pub fn inclusion_proofs(leaves: &[Hash], indices: &[usize]) -> Option<(Hash, Vec<Vec<Hash>>)> {
    if indices.iter().any(|&i| i >= leaves.len()) {
        return None;
    }
    let mut selected: Vec<usize> = indices.to_vec();
    selected.sort_unstable();
    selected.dedup();
    let mut paths: Vec<Vec<Hash>> = vec![Vec::new(); selected.len()];
    let root = proofs_below(leaves, 0, &selected, &mut paths);
    let by_index = |i: &usize| paths[selected.binary_search(i).expect("selected")].clone();
    Some((root, indices.iter().map(by_index).collect()))
}

/// Root of `leaves` (which start at leaf `offset`); appends, for every
/// selected index below it, the sibling at each level, lowest first.
/// `selected` is sorted and `paths[j]` belongs to `selected[j]`.
fn proofs_below(
    leaves: &[Hash],
    offset: usize,
    selected: &[usize],
    paths: &mut [Vec<Hash>],
) -> Hash {
    if selected.is_empty() {
        return root(leaves);
    }
    if leaves.len() == 1 {
        return leaves[0];
    }
    let k = split_point(leaves.len());
    let split = selected.partition_point(|&i| i < offset + k);
    let (left_sel, right_sel) = selected.split_at(split);
    let (left_paths, right_paths) = paths.split_at_mut(split);
    let left = proofs_below(&leaves[..k], offset, left_sel, left_paths);
    let right = proofs_below(&leaves[k..], offset + k, right_sel, right_paths);
    left_paths.iter_mut().for_each(|p| p.push(right));
    right_paths.iter_mut().for_each(|p| p.push(left));
    node_hash(&left, &right)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// RFC 6962 section 2.1 MTH, written as the RFC states it.
    fn reference_root(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => empty_root(),
            1 => leaves[0],
            n => {
                let k = split_point(n);
                node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
            }
        }
    }

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n as u64).map(|i| leaf_hash(&i.to_be_bytes())).collect()
    }

    #[test]
    fn split_points() {
        let cases = [
            (2, 1),
            (3, 2),
            (4, 2),
            (5, 4),
            (8, 4),
            (9, 8),
            (1 << 20, 1 << 19),
        ];
        for (n, k) in cases {
            assert_eq!(split_point(n), k, "n = {n}");
        }
    }

    #[test]
    fn empty_and_single() {
        assert_eq!(
            hex::encode(root(&[])),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let one = leaf_hash(b"");
        assert_eq!(root(&[one]), one);
        assert_eq!(inclusion_proof(&[one], 0), Some(vec![]));
        assert_eq!(inclusion_proof(&[one], 1), None);
        assert_eq!(inclusion_proof(&[], 0), None);
    }

    #[test]
    fn matches_rfc_definition() {
        let all = leaves(300);
        for n in 0..=all.len() {
            assert_eq!(root(&all[..n]), reference_root(&all[..n]), "n = {n}");
        }
    }

    #[test]
    fn million_leaves() {
        // With equal leaves x, a complete subtree of 2^k leaves has root
        // f^k(x), f(h) = node_hash(h, h); the RFC tree of n leaves is made of
        // one complete subtree per set bit of n, largest on the left.
        let n = 1_000_000usize;
        let x = leaf_hash(b"x");
        let mut complete = vec![x];
        for k in 1..20 {
            complete.push(node_hash(&complete[k - 1], &complete[k - 1]));
        }
        let mut subtrees: Vec<Hash> = (0..20)
            .rev()
            .filter(|k| (n >> k) & 1 == 1)
            .map(|k| complete[k])
            .collect();
        let mut expected = subtrees.pop().unwrap();
        while let Some(left) = subtrees.pop() {
            expected = node_hash(&left, &expected);
        }
        assert_eq!(root(&vec![x; n]), expected);
    }

    #[test]
    fn rejections() {
        let all = leaves(7);
        let r = root(&all);
        let proof = inclusion_proof(&all, 3).unwrap();
        assert_eq!(
            verify_inclusion(7, 7, &all[3], &proof, &r),
            Err(MerkleError::IndexBeyondSize { index: 7, size: 7 })
        );
        assert!(matches!(
            verify_inclusion(3, 7, &all[3], &proof[1..], &r),
            Err(MerkleError::WrongProofSize { .. })
        ));
        assert!(matches!(
            verify_inclusion(3, 7, &all[4], &proof, &r),
            Err(MerkleError::RootMismatch { .. })
        ));
        assert!(verify_inclusion(0, 0, &all[0], &[], &empty_root()).is_err());
        // Extreme sizes must not overflow a shift.
        assert!(verify_inclusion(u64::MAX - 1, u64::MAX, &all[0], &[], &r).is_err());
        assert!(verify_inclusion(0, u64::MAX, &all[0], &proof, &r).is_err());
        assert!(verify_inclusion(1 << 63, u64::MAX, &all[0], &proof, &r).is_err());
    }

    #[test]
    fn payload_leaf_vector() {
        // Computed independently from the byte layout in the doc comment.
        let leaf = payload_leaf("data/disk.img", 1234, &[0x11; 32], &[0x22; 32]);
        assert_eq!(
            hex::encode(leaf),
            "f3455c7376aee3b681a85ac9c15867792ed6bf2c618bd61bb6c889d9fcfc0342"
        );
        // Every field is committed to.
        assert_ne!(
            leaf,
            payload_leaf("data/disk.imh", 1234, &[0x11; 32], &[0x22; 32])
        );
        assert_ne!(
            leaf,
            payload_leaf("data/disk.img", 1235, &[0x11; 32], &[0x22; 32])
        );
        assert_ne!(
            leaf,
            payload_leaf("data/disk.img", 1234, &[0x12; 32], &[0x22; 32])
        );
        assert_ne!(
            leaf,
            payload_leaf("data/disk.img", 1234, &[0x11; 32], &[0x23; 32])
        );
    }

    #[test]
    fn payload_leaf_v2_vector() {
        // Computed independently (Python hashlib) from the byte layout above.
        let leaf = payload_leaf_v2(&[0x33; 32], "data/disk.img", 1234, &[0x11; 32], &[0x22; 32]);
        assert_eq!(hex::encode(leaf), V2_VECTOR);
        assert_ne!(
            leaf,
            payload_leaf_v2(&[0x34; 32], "data/disk.img", 1234, &[0x11; 32], &[0x22; 32])
        );
        assert_ne!(
            leaf,
            payload_leaf("data/disk.img", 1234, &[0x11; 32], &[0x22; 32])
        );
        let input = LeafInput {
            path: "data/disk.img",
            size: 1234,
            sha256: &[0x11; 32],
            blake3: &[0x22; 32],
            salt: Some(&[0x33; 32]),
        };
        assert_eq!(LeafEncoding::V2.leaf(&input), Some(leaf));
        assert_eq!(
            LeafEncoding::V1.leaf(&input),
            Some(payload_leaf(
                "data/disk.img",
                1234,
                &[0x11; 32],
                &[0x22; 32]
            ))
        );
        let unsalted = LeafInput {
            salt: None,
            ..input
        };
        assert_eq!(LeafEncoding::V2.leaf(&unsalted), None);
        for encoding in [LeafEncoding::V1, LeafEncoding::V2] {
            assert_eq!(LeafEncoding::from_name(encoding.name()), Some(encoding));
        }
        assert_eq!(LeafEncoding::from_name("exhibit.merkle-leaf/3"), None);
    }

    const V2_VECTOR: &str = "f8adc6a0747afb4f78e5be86665a528cd60e2ae7e5ff27da75f53c7a7eb347e1";

    #[test]
    fn batch_proofs_equal_single_proofs() {
        for n in 1..70 {
            let all = leaves(n);
            let indices: Vec<usize> = (0..n).filter(|i| i % 3 != 1).rev().collect();
            let (r, paths) = inclusion_proofs(&all, &indices).unwrap();
            assert_eq!(r, root(&all), "n = {n}");
            for (i, path) in indices.iter().zip(&paths) {
                assert_eq!(
                    Some(path.clone()),
                    inclusion_proof(&all, *i),
                    "n = {n}, i = {i}"
                );
            }
            assert!(inclusion_proofs(&all, &[n]).is_none());
        }
        let (r, paths) = inclusion_proofs(&[], &[]).unwrap();
        assert_eq!((r, paths.len()), (empty_root(), 0));
    }

    proptest! {
        // Deterministic: the same cases on every run and machine.
        #![proptest_config(ProptestConfig {
            rng_seed: proptest::test_runner::RngSeed::Fixed(0xe4_1b17),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn builder_equals_reference(n in 0usize..200) {
            let all = leaves(n);
            prop_assert_eq!(root(&all), reference_root(&all));
        }

        #[test]
        fn proofs_verify_and_bind_the_index(n in 1usize..120, seed in any::<usize>()) {
            let all = leaves(n);
            let r = root(&all);
            let i = seed % n;
            let proof = inclusion_proof(&all, i).unwrap();
            prop_assert!(verify_inclusion(i as u64, n as u64, &all[i], &proof, &r).is_ok());
            if n > 1 {
                let j = (i + 1) % n;
                prop_assert!(verify_inclusion(j as u64, n as u64, &all[i], &proof, &r).is_err());
            }
        }

        #[test]
        fn verify_never_panics(index in any::<u64>(), size in any::<u64>(), len in 0usize..70) {
            let proof = vec![[7u8; 32]; len];
            let _ = verify_inclusion(index, size, &[1; 32], &proof, &[2; 32]);
        }
    }
}
