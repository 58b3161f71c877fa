//! Every limit on what is read from untrusted input, in one place, each
//! with the reason for its size. A bundle is hostile until checked: no read
//! may grow without bound, whatever a header or a file size claims.

/// Largest payload manifest read: about a million files' worth of lines.
pub const MAX_MANIFEST_BYTES: u64 = 256 << 20;

/// Longest manifest line: a real path is at most a few KiB; anything longer
/// is hostile and would only bloat diagnostics.
pub const MAX_MANIFEST_LINE: usize = 64 << 10;

/// Largest `bagit.txt` / `bag-info.txt` read: metadata, never bulk data.
pub const MAX_TAG_BYTES: u64 = 1 << 20;

/// Largest seal statement read: it lists every symlink and empty folder of
/// the source, which for a large seizure can run to many MB.
pub const MAX_DOCUMENT_BYTES: u64 = 64 << 20;

/// Largest custody event or signature record read: each is a small JSON
/// object of a few hundred bytes.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;

/// Largest key file read: a PEM key is well under 1 KiB.
pub const MAX_KEY_FILE_BYTES: u64 = 64 << 10;

/// Deflate cannot expand data more than about 1032 times; a zip entry that
/// declares more is lying (a zip bomb) and is not read.
pub const MAX_DEFLATE_RATIO: u64 = 1100;

/// Largest append journal read: it holds a zip's old central directory,
/// about 150 bytes per file, so 1 GiB covers millions of files.
pub const MAX_JOURNAL_BYTES: u64 = 1 << 30;

/// Largest time-stamp response read (a token file, a TSA's answer, an
/// attached `.tsr`): a token with its certificate chain is a few KiB.
pub const MAX_TOKEN_BYTES: u64 = 1 << 20;

/// Largest `--tsa-ca` file read: a few PEM certificates.
pub const MAX_CA_FILE_BYTES: u64 = 1 << 20;

/// Most certificates a time-stamp token may carry: a TSA sends its own and
/// a few CA certificates; each more one is another signature to try while
/// following the path, so a hostile token is refused rather than slow.
pub const MAX_TOKEN_CERTIFICATES: usize = 32;

/// Most entries outside the payload folder that a light open (`inspect`,
/// `disclose`) keeps: exhibit writes a few files plus two or three per
/// signature and custody event, so this is far beyond any real bundle, and
/// a hostile zip cannot make the listing grow without bound.
pub const MAX_TAG_ENTRIES: usize = 100_000;

/// Largest CRL or OCSP response read or fetched: a large CA's full CRL runs
/// to a few MiB (tens of thousands of entries); 16 MiB leaves room while
/// bounding the entries walked and the memory a hostile file can claim.
pub const MAX_VALIDATION_BYTES: u64 = 16 << 20;

/// Most certificates an OCSP response may carry: a responder sends its own,
/// perhaps with its issuer; each is another signature to try.
pub const MAX_OCSP_CERTIFICATES: usize = 8;
