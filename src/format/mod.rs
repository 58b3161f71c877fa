//! Pure bytes, no I/O: the files of a bundle as they are written and read —
//! bag tag files, bag paths, the Merkle tree and its salts, the signed
//! documents (seal statement, signature records, custody events), the
//! disclosure document and the custody chain rules.

pub mod acquisition;
pub mod acquisition_log;
pub mod bag;
pub mod custody;
pub mod disclosure;
pub mod document;
pub mod evidence_record;
pub mod merkle;
pub mod paths;
pub mod plan;
pub mod salt;
pub mod seal;
pub mod signature;
pub mod timestamp;
pub mod validation;
pub mod verify_part;
