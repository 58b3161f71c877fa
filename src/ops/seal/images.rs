//! Forensic images among the files a seal takes in: each EWF image found
//! by its content (a segment numbered 1) is read whole and held against the
//! hashes its imager stored, before anything is written, and the result is
//! recorded in the seal statement. A mismatch is refused unless allowed;
//! an image whose segments are not all sealed with it is refused.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::{ImageChecks, SealError};
use crate::format::acquisition::{Acquisition, ImageResult};
use crate::image::{check, segment_header, ImageFormat};
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
