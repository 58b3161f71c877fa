//! Forensic images among the files a seal takes in: each EWF image found
//! by its content (a segment numbered 1) is read whole and held against the
//! hashes its imager stored, before anything is written, and the result is
//! recorded in the seal statement. A mismatch is refused unless allowed;
//! an image whose segments are not all sealed with it is refused.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::{ImageChecks, SealError};
use crate::digest::Sha256Digest;
use crate::format::acquisition::{Acquisition, ImageResult};
use crate::format::acquisition_log::parse;
use crate::image::{check, hash_raw, segment_header, ImageFormat};
use crate::ops::sources::Sources;
use crate::ops::Observer;

/// The images among `sources`, checked: one record each, in bag order.
pub(super) fn check_images(
    checks: ImageChecks,
    sources: &Sources,
    observer: &dyn Observer,
) -> Result<Vec<Acquisition>, SealError> {
    if !checks.check {
        return Ok(Vec::new());
    }
    // Every payload file big enough to be a segment, by its first bytes.
    let found: Vec<(usize, ImageFormat, u32)> = (0..sources.payload.len())
        .into_par_iter()
        .filter(|&i| sources.size(i) >= 512)
        .map(|i| {
            let file = sources.file(i)?;
            Ok(segment_header(&file.source)
                .map_err(|e| SealError::Image(Box::new(e)))?
                .map(|(format, number)| (i, format, number)))
        })
        .filter_map(Result::transpose)
        .collect::<Result<_, SealError>>()?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    // Where each payload file comes from, to find an image's segments.
    let mut bag_path_of: BTreeMap<PathBuf, String> = BTreeMap::new();
    for &(i, _, _) in &found {
        let file = sources.file(i)?;
        bag_path_of.insert(file.source, file.bag_path.as_str().to_string());
    }
    let mut records = Vec::new();
    for &(i, _, number) in &found {
        if number != 1 {
            continue;
        }
        let file = sources.file(i)?;
        let name = file.bag_path.as_str().to_string();
        observer.start(&format!("checking the image {name}"), 0);
        let checked = check(&file.source, &name, &|n| observer.advance(n))
            .map_err(|e| SealError::Image(Box::new(e)))?;
        observer.finish();
        for segment in &checked.segments {
            if !bag_path_of.contains_key(segment) {
                return Err(SealError::ImageSegmentLeftOut {
                    image: name.clone(),
                    segment: segment.clone(),
                });
            }
        }
        let record = checked.acquisition;
        if record.result == ImageResult::Mismatch && !checks.allow_mismatch {
            let detail = match checked.bad_chunks.first() {
                Some(chunk) => format!(
                    "{} chunk(s) do not check out, the first at media offset {}: {}",
                    checked.bad_chunks.len(),
                    chunk.media_offset,
                    chunk.reason
                ),
                None => record
                    .stored
                    .common(&record.computed)
                    .into_iter()
                    .filter(|(_, stored, computed)| !stored.eq_ignore_ascii_case(computed))
                    .map(|(algorithm, stored, computed)| {
                        format!("{algorithm} stored {stored}, computed {computed}")
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            };
            return Err(SealError::ImageMismatch {
                image: name,
                detail,
            });
        }
        records.push(record);
    }
    Ok(records)
}

/// Raw images given with the log their imager wrote (`--acquisition-log
/// SOURCE=LOG`): each read whole (MD5, SHA-1, SHA-256) and held against
/// the hashes the log states, recorded with what the log says of the case
/// and the device, and the log's own SHA-256 (so the statement binds the
/// log read, sealed with the image or not).
pub(super) fn check_logged_images(
    checks: ImageChecks,
    logs: &[(PathBuf, PathBuf)],
    sources: &Sources,
    observer: &dyn Observer,
) -> Result<Vec<Acquisition>, SealError> {
    if logs.is_empty() {
        return Ok(Vec::new());
    }
    // Each payload file's source, resolved, to find the images named.
    let mut bag_path_of: BTreeMap<PathBuf, String> = BTreeMap::new();
    for i in 0..sources.payload.len() {
        let file = sources.file(i)?;
        let resolved = std::fs::canonicalize(&file.source).unwrap_or(file.source);
        bag_path_of.insert(resolved, file.bag_path.as_str().to_string());
    }
    let mut records = Vec::new();
    for (image, log) in logs {
        let log_error = |reason: String| SealError::AcquisitionLog {
            log: log.clone(),
            reason,
        };
        let resolved = std::fs::canonicalize(image).unwrap_or_else(|_| image.clone());
        let name = bag_path_of
            .get(&resolved)
            .cloned()
            .ok_or_else(|| SealError::AcquisitionLogImage(image.clone()))?;
        let bytes = read_log(log).map_err(|e| log_error(e.to_string()))?;
        let text = String::from_utf8_lossy(&bytes);
        let parsed = parse(&text).map_err(|e| log_error(e.to_string()))?;
        observer.start(&format!("hashing the image {name}"), 0);
        let (size, computed) =
            hash_raw(image, &|n| observer.advance(n)).map_err(|e| SealError::Source {
                path: image.clone(),
                reason: e.to_string(),
            })?;
        observer.finish();
        let result = ImageResult::judge(&parsed.stored, &computed, false);
        if result == ImageResult::Mismatch && !checks.allow_mismatch {
            let detail = parsed
                .stored
                .common(&computed)
                .into_iter()
                .filter(|(_, stored, computed)| !stored.eq_ignore_ascii_case(computed))
                .map(|(algorithm, stored, computed)| {
                    format!("{algorithm}: the log states {stored}, the image gives {computed}")
                })
                .collect::<Vec<_>>()
                .join("; ");
            return Err(SealError::ImageMismatch {
                image: name,
                detail,
            });
        }
        let mut metadata = parsed.metadata;
        metadata.insert("imager".into(), parsed.imager.into());
        metadata.insert(
            "log".into(),
            log.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        metadata.insert("log_sha256".into(), Sha256Digest::of(&bytes).to_hex());
        records.push(Acquisition {
            path: name,
            format: "raw".into(),
            segments: 1,
            media_size: size,
            stored: parsed.stored,
            computed,
            result,
            metadata,
            error_ranges: Vec::new(),
        });
    }
    Ok(records)
}

/// A log's bytes, at most 16 MiB (an imager's log is a few kilobytes).
fn read_log(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    const MAX_LOG_BYTES: u64 = 16 << 20;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_LOG_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_LOG_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {MAX_LOG_BYTES} bytes: not an imager's log"
        )));
    }
    Ok(bytes)
}
