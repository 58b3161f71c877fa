//! Pure bytes, no I/O: the files of a bundle as they are written and read —
//! bag tag files, bag paths, the Merkle tree, the signed documents (seal
//! statement, signature records, custody events) and the custody chain rules.

pub mod bag;
pub mod custody;
pub mod document;
pub mod merkle;
pub mod paths;
pub mod seal;
pub mod signature;
pub mod timestamp;
