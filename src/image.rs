//! Forensic images: an EWF image (`.E01` and its segments `.E02` …, or
//! `.Ex01` …) recognised by its content, read through its container, and
//! held against the hashes the imager stored at acquisition. The container
//! is read with the `ewf` crate; the one check it leaves out, the Adler-32
//! of an uncompressed chunk, is made here. Native only: `seal` and
//! `image verify` read images, `verify` reads what the seal recorded.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest as _, Sha256};

use crate::format::acquisition::{Acquisition, ErrorRange, ImageResult, MediaHashes};

/// The first bytes of an EWF version 1 segment (`EVF\t\r\n\xff\0`).
const EVF1: [u8; 8] = *b"EVF\x09\x0d\x0a\xff\x00";
/// The first bytes of an EWF version 2 segment (`EVF2\r\n\x81\0`).
const EVF2: [u8; 8] = *b"EVF2\x0d\x0a\x81\x00";

/// The formats recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// EWF version 1 (EnCase 1–6, FTK Imager, Guymager, ewfacquire).
    Ewf,
    /// EWF version 2 (`.Ex01`, EnCase 7 and later).
    Ewf2,
}

impl ImageFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ImageFormat::Ewf => "ewf",
            ImageFormat::Ewf2 => "ewf2",
        }
    }
}

/// Why an image could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    // The reason is the source, which the one line prints after this.
    #[error("{}: cannot read", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: not an EWF image (no EVF signature)")]
    NotAnImage(PathBuf),
    #[error("{path}: is segment {number} of an image, not its first segment")]
    NotFirst { path: PathBuf, number: u32 },
    #[error("{expected}: segment {number} of the image is missing")]
    MissingSegment { expected: PathBuf, number: u32 },
    #[error("{path}: the image cannot be opened: {reason}")]
    Unusable { path: PathBuf, reason: String },
}

/// An EWF segment's format and number, from its first 13 bytes; None when
/// the file is not an EWF segment.
pub fn segment_header(path: &Path) -> Result<Option<(ImageFormat, u32)>, ImageError> {
    let read = |source| ImageError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(read)?;
    let mut head = [0u8; 13];
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..]).map_err(read)? {
            0 => return Ok(None),
            n => filled += n,
        }
    }
    let format = if head[..8] == EVF1 {
        ImageFormat::Ewf
    } else if head[..8] == EVF2 {
        ImageFormat::Ewf2
    } else {
        return Ok(None);
    };
    // Version 1: u16 at 9; version 2: u32 at 12 (after major, minor and
    // compression method). Read from the bytes the format fixes.
    let number = match format {
        ImageFormat::Ewf => u32::from(u16::from_le_bytes([head[9], head[10]])),
        ImageFormat::Ewf2 => {
            let mut rest = [0u8; 3];
            file.read_exact(&mut rest).map_err(read)?;
            u32::from_le_bytes([head[12], rest[0], rest[1], rest[2]])
        }
    };
    Ok(Some((format, number)))
}

/// The extension of segment `number` (1-based) after `first`'s: `E01` …
/// `E99`, then `EAA` … `EZZ`, `FAA` …; `Ex01` … `Ex99`, `ExAA` … for
/// version 2. The case of the first extension is kept.
pub fn segment_extension(first: &str, number: u32) -> Option<String> {
    let upper = first.chars().next()?.is_ascii_uppercase();
    let (prefix, width) = match first.len() {
        3 => (first[..1].to_string(), 2),
        4 => (first[..2].to_string(), 2),
        _ => return None,
    };
    let tail = if number < 100 {
        format!("{number:0width$}")
    } else {
        // 100 → AA, 101 → AB … 775 → ZZ; then the first letter moves on.
        let n = number - 100;
        let (major, minor) = (n / 26 / 26, n / 26 % 26);
        let last = (b'A' + (n % 26) as u8) as char;
        let middle = (b'A' + minor as u8) as char;
        if major > 0 {
            let first_letter = (prefix.as_bytes()[0] + major as u8) as char;
            if !first_letter.is_ascii_alphabetic() {
                return None;
            }
            let extension = format!("{first_letter}{}{middle}{last}", &prefix[1..]);
            return Some(if upper {
                extension
            } else {
                extension.to_ascii_lowercase()
            });
        }
        format!("{middle}{last}")
    };
    let extension = format!("{prefix}{tail}");
    Some(if upper {
        extension
    } else {
        extension.to_ascii_lowercase()
    })
}

/// Every segment of the image whose first segment is `first`, in order:
/// the files beside it named by the segment sequence, each checked by its
/// content (an EWF segment with the number it should have). A gap is an
/// error naming the file that should be there; the image ends at the first
/// name that does not exist after the last segment found, and the reader
/// checks that the last one closes the image.
pub fn segments(first: &Path) -> Result<(ImageFormat, Vec<PathBuf>), ImageError> {
    let (format, number) =
        segment_header(first)?.ok_or_else(|| ImageError::NotAnImage(first.to_path_buf()))?;
    if number != 1 {
        return Err(ImageError::NotFirst {
            path: first.to_path_buf(),
            number,
        });
    }
    let extension = first
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| matches!(e.len(), 3 | 4));
    let mut found = vec![first.to_path_buf()];
    let Some(extension) = extension else {
        return Ok((format, found));
    };
    for number in 2.. {
        let Some(next) = segment_extension(extension, number) else {
            break;
        };
        let path = first.with_extension(&next);
        match segment_header(&path) {
            Ok(Some((_, n))) if n == number => found.push(path),
            Ok(_) | Err(ImageError::Read { .. }) if !path.exists() => break,
            Ok(_) => {
                return Err(ImageError::MissingSegment {
                    expected: path,
                    number,
                })
            }
            Err(e) => return Err(e),
        }
    }
    if format == ImageFormat::Ewf {
        let last = found.len() as u32;
        let path = found[found.len() - 1].clone();
        if !closes_the_image(&path)? {
            let next = segment_extension(extension, last + 1)
                .map(|e| first.with_extension(e))
                .unwrap_or(path);
            return Err(ImageError::MissingSegment {
                expected: next,
                number: last + 1,
            });
        }
    }
    Ok((format, found))
}

/// Whether an EWF version 1 segment is the image's last: its chain of
/// sections ends with `done` (a segment followed by another ends with
/// `next`).
fn closes_the_image(path: &Path) -> Result<bool, ImageError> {
    use std::os::unix::fs::FileExt as _;
    let read = |source| ImageError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(read)?;
    let length = file.metadata().map_err(read)?.len();
    let mut offset = ewf::FILE_HEADER_SIZE as u64;
    let mut descriptor = [0u8; ewf::SECTION_DESCRIPTOR_SIZE];
    // A chain of sections only moves forward; a hostile one that loops or
    // runs past the end is not an image that closes.
    for _ in 0..1_000_000 {
        if offset + descriptor.len() as u64 > length {
            return Ok(false);
        }
        file.read_exact_at(&mut descriptor, offset).map_err(read)?;
        let Ok(section) = ewf::SectionDescriptor::parse(&descriptor, offset) else {
            return Ok(false);
        };
        match section.section_type.as_str() {
            "done" => return Ok(true),
            "next" => return Ok(false),
            _ if section.next <= offset => return Ok(false),
            _ => offset = section.next,
        }
    }
    Ok(false)
}

/// A chunk whose data does not check out: where it is in the media, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BadChunk {
    pub media_offset: u64,
    pub size: u64,
    pub reason: String,
}

/// What checking an image found.
#[derive(Debug, Clone)]
pub struct ImageCheck {
    /// The record a seal statement keeps (path as the caller names it).
    pub acquisition: Acquisition,
    /// Chunks that failed their checksum or could not be decompressed, in
    /// media order.
    pub bad_chunks: Vec<BadChunk>,
    /// The segment files, in order.
    pub segments: Vec<PathBuf>,
}

/// Reads the whole media of the image whose first segment is `first`,
/// computing MD5, SHA-1 and SHA-256 in one pass, and holds them against
/// the hashes the imager stored. `name` is how the record names the image
/// (its bag path at seal). `progress` is told the media bytes read.
pub fn check(first: &Path, name: &str, progress: &dyn Fn(u64)) -> Result<ImageCheck, ImageError> {
    let (format, segments) = segments(first)?;
    let unusable = |reason: String| ImageError::Unusable {
        path: first.to_path_buf(),
        reason,
    };
    let reader = ewf::EwfReader::open_segments(&segments).map_err(|e| unusable(e.to_string()))?;
    let media_size = reader.total_size();
    let chunk_size = reader.chunk_size();
    // The chunks are read here, in batches, and hashed on two threads (MD5
    // on one, SHA-1 and SHA-256 on the other): MD5 alone is as slow as the
    // other two together, so the three take about as long as MD5 does.
    const BATCH_CHUNKS: usize = 64;
    let (md5_tx, md5_rx) = std::sync::mpsc::sync_channel::<Arc<Vec<u8>>>(4);
    let (sha_tx, sha_rx) = std::sync::mpsc::sync_channel::<Arc<Vec<u8>>>(4);
    let mut bad_chunks = Vec::new();
    let (md5, (sha1, sha256)) = std::thread::scope(|scope| {
        let md5 = scope.spawn(move || {
            let mut md5 = Md5::new();
            for batch in md5_rx {
                md5.update(&batch[..]);
            }
            md5.finalize()
        });
        let sha = scope.spawn(move || {
            let (mut sha1, mut sha256) = (Sha1::new(), Sha256::new());
            for batch in sha_rx {
                sha1.update(&batch[..]);
                sha256.update(&batch[..]);
            }
            (sha1.finalize(), sha256.finalize())
        });
        let mut chunks = ChunkReader::new(&reader, &segments);
        let mut batch = Vec::with_capacity(chunk_size as usize * BATCH_CHUNKS);
        let mut offset = 0u64;
        for index in 0..reader.chunk_count() {
            let length = chunk_size.min(media_size.saturating_sub(offset)) as usize;
            if length == 0 {
                break;
            }
            let start = batch.len();
            batch.resize(start + length, 0);
            if let Err(reason) = chunks.read(index, offset, &mut batch[start..]) {
                // As `ewfverify -w` does: a chunk that cannot be read counts
                // as zeros, so the media hash is still over its length.
                batch[start..].fill(0);
                bad_chunks.push(BadChunk {
                    media_offset: offset,
                    size: length as u64,
                    reason,
                });
            }
            offset += length as u64;
            progress(length as u64);
            if batch.len() >= chunk_size as usize * BATCH_CHUNKS {
                let full = Arc::new(std::mem::take(&mut batch));
                // A hashing thread that is gone has panicked; join says so.
                let _ = md5_tx.send(Arc::clone(&full));
                let _ = sha_tx.send(full);
                batch = Vec::with_capacity(chunk_size as usize * BATCH_CHUNKS);
            }
        }
        let last = Arc::new(batch);
        let _ = md5_tx.send(Arc::clone(&last));
        let _ = sha_tx.send(last);
        drop((md5_tx, sha_tx));
        let md5 = md5
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let sha = sha
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (md5, sha)
    });
    let stored_hashes = reader.stored_hashes();
    let stored = MediaHashes {
        md5: stored_hashes.md5.map(hex::encode),
        sha1: stored_hashes.sha1.map(hex::encode),
        sha256: None,
    };
    let computed = MediaHashes {
        md5: Some(hex::encode(md5)),
        sha1: Some(hex::encode(sha1)),
        sha256: Some(hex::encode(sha256)),
    };
    let result = ImageResult::judge(&stored, &computed, !bad_chunks.is_empty());
    let meta = reader.metadata();
    let metadata: BTreeMap<String, String> = [
        ("case_number", &meta.case_number),
        ("evidence_number", &meta.evidence_number),
        ("description", &meta.description),
        ("examiner", &meta.examiner),
        ("notes", &meta.notes),
        ("acquisition_software", &meta.acquiry_software),
        ("acquisition_os", &meta.os_version),
        ("acquisition_date", &meta.acquiry_date),
        ("system_date", &meta.system_date),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.as_ref().map(|v| (key.to_string(), v.clone())))
    .collect();
    let error_ranges = reader
        .acquisition_errors()
        .iter()
        .map(|e| ErrorRange {
            first_sector: u64::from(e.first_sector),
            sectors: u64::from(e.sector_count),
        })
        .collect();
    Ok(ImageCheck {
        acquisition: Acquisition {
            path: name.to_string(),
            format: format.as_str().to_string(),
            segments: segments.len() as u64,
            media_size,
            stored,
            computed,
            result,
            metadata,
            error_ranges,
        },
        bad_chunks,
        segments,
    })
}

/// MD5, SHA-1 and SHA-256 of a raw image (a plain file), read once;
/// `progress` is told the bytes read.
pub fn hash_raw(path: &Path, progress: &dyn Fn(u64)) -> std::io::Result<(u64, MediaHashes)> {
    let mut file = File::open(path)?;
    let (mut md5, mut sha1, mut sha256) = (Md5::new(), Sha1::new(), Sha256::new());
    let mut buffer = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        md5.update(&buffer[..n]);
        sha1.update(&buffer[..n]);
        sha256.update(&buffer[..n]);
        size += n as u64;
        progress(n as u64);
    }
    Ok((
        size,
        MediaHashes {
            md5: Some(hex::encode(md5.finalize())),
            sha1: Some(hex::encode(sha1.finalize())),
            sha256: Some(hex::encode(sha256.finalize())),
        },
    ))
}

/// Reads an image's chunks: an uncompressed one straight from its segment
/// file, with the Adler-32 that follows its data checked (the reader does
/// not check it), a compressed one through the reader (zlib checks it).
struct ChunkReader<'a> {
    reader: &'a ewf::EwfReader,
    segments: &'a [PathBuf],
    files: Vec<Option<File>>,
    raw: Vec<u8>,
}

impl<'a> ChunkReader<'a> {
    fn new(reader: &'a ewf::EwfReader, segments: &'a [PathBuf]) -> Self {
        ChunkReader {
            reader,
            segments,
            files: segments.iter().map(|_| None).collect(),
            raw: Vec::new(),
        }
    }

    /// Chunk `index` (at media `offset`) into `page`, or why it cannot be.
    fn read(&mut self, index: usize, offset: u64, page: &mut [u8]) -> Result<(), String> {
        use std::os::unix::fs::FileExt as _;
        let (at, size, compressed, segment) =
            self.reader.debug_chunk(index).map_err(|e| e.to_string())?;
        // The reader gives an uncompressed chunk's size without the four
        // bytes of its checksum, which follow the data.
        if compressed || size < page.len() as u64 || size > self.reader.chunk_size() {
            return match self.reader.read_at(page, offset) {
                Ok(n) if n == page.len() => Ok(()),
                Ok(n) => Err(format!("the chunk ends after {n} of {} bytes", page.len())),
                Err(e) => Err(e.to_string()),
            };
        }
        let Some(path) = self.segments.get(segment) else {
            return Err(format!(
                "the chunk is in segment {}, which the image lacks",
                segment + 1
            ));
        };
        let file = match &mut self.files[segment] {
            Some(file) => file,
            slot => slot.insert(File::open(path).map_err(|e| e.to_string())?),
        };
        self.raw.resize(size as usize + 4, 0);
        file.read_exact_at(&mut self.raw, at)
            .map_err(|e| e.to_string())?;
        let (data, stored) = self.raw.split_at(size as usize);
        let stored = u32::from_le_bytes([stored[0], stored[1], stored[2], stored[3]]);
        let mut adler = adler2::Adler32::new();
        adler.write_slice(data);
        if adler.checksum() != stored {
            return Err("its Adler-32 checksum does not match its data".to_string());
        }
        page.copy_from_slice(&data[..page.len()]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_names_follow_the_ewf_sequence() {
        assert_eq!(segment_extension("E01", 2).as_deref(), Some("E02"));
        assert_eq!(segment_extension("E01", 99).as_deref(), Some("E99"));
        assert_eq!(segment_extension("E01", 100).as_deref(), Some("EAA"));
        assert_eq!(segment_extension("E01", 101).as_deref(), Some("EAB"));
        assert_eq!(segment_extension("E01", 126).as_deref(), Some("EBA"));
        assert_eq!(segment_extension("E01", 775).as_deref(), Some("EZZ"));
        assert_eq!(segment_extension("E01", 776).as_deref(), Some("FAA"));
        assert_eq!(segment_extension("e01", 3).as_deref(), Some("e03"));
        assert_eq!(segment_extension("Ex01", 2).as_deref(), Some("Ex02"));
        assert_eq!(segment_extension("Ex01", 100).as_deref(), Some("ExAA"));
    }
}
