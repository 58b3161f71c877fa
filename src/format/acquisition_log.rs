//! The logs imagers write beside a raw image (`.dd`, `.raw`, `.img`,
//! `.001`): the hashes they computed from the source device and what they
//! recorded of the case and the device. Read from their documented text
//! forms: FTK Imager's `.txt` ("Created By AccessData FTK Imager"),
//! Guymager's `.info` ("GUYMAGER ACQUISITION INFO FILE") and `dc3dd`'s
//! `log=` file. Pure text in, a record out.

use std::collections::BTreeMap;

use super::acquisition::MediaHashes;

/// What a log says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AcquisitionLog {
    /// `ftk-imager`, `guymager` or `dc3dd`.
    pub imager: &'static str,
    /// The hashes the imager computed from the source.
    pub stored: MediaHashes,
    /// Case, evidence number, examiner, notes, device model and serial,
    /// acquisition times, as the log states them.
    pub metadata: BTreeMap<String, String>,
}

/// Why a log cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    #[error("not an acquisition log exhibit reads (FTK Imager .txt, Guymager .info or dc3dd log)")]
    Unknown,
    #[error("the {0} log states no MD5, SHA-1 or SHA-256 of the source")]
    NoHash(&'static str),
}

/// Reads a log, recognised by its content.
pub fn parse(text: &str) -> Result<AcquisitionLog, LogError> {
    let head: String = text.lines().take(5).collect::<Vec<_>>().join("\n");
    let log = if head.contains("GUYMAGER ACQUISITION INFO FILE") {
        guymager(text)
    } else if head.contains("AccessData") && head.contains("FTK") {
        ftk_imager(text)
    } else if head.trim_start().starts_with("dc3dd ") {
        dc3dd(text)
    } else {
        return Err(LogError::Unknown);
    };
    if log.stored.is_empty() {
        return Err(LogError::NoHash(log.imager));
    }
    Ok(log)
}

/// A hex digest of `len` digits, lowercase; None for anything else (`--`,
/// `n/a`, a digest cut short).
fn digest(text: &str, len: usize) -> Option<String> {
    let text = text.trim();
    (text.len() == len && text.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| text.to_ascii_lowercase())
}

/// `Key: value` (FTK) or `Key   : value` (Guymager), trimmed.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    Some((key.trim(), value.trim()))
}

fn put(metadata: &mut BTreeMap<String, String>, key: &str, value: &str) {
    if !value.is_empty() && !metadata.contains_key(key) {
        metadata.insert(key.to_string(), value.to_string());
    }
}

/// FTK Imager: the source's hashes are under `[Computed Hashes]`
/// (`MD5 checksum:`, `SHA1 checksum:`); the verification results after
/// them are of the image, not the source.
fn ftk_imager(text: &str) -> AcquisitionLog {
    let mut log = AcquisitionLog {
        imager: "ftk-imager",
        ..Default::default()
    };
    let mut section = "";
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            section = if trimmed == "[Computed Hashes]" {
                "hashes"
            } else {
                ""
            };
            continue;
        }
        if trimmed.starts_with("Image Information:")
            || trimmed.starts_with("Image Verification Results:")
        {
            section = "";
        }
        let Some((key, value)) = key_value(trimmed) else {
            continue;
        };
        match (section, key) {
            ("hashes", "MD5 checksum") => log.stored.md5 = digest(value, 32),
            ("hashes", "SHA1 checksum") => log.stored.sha1 = digest(value, 40),
            ("hashes", "SHA256 checksum") => log.stored.sha256 = digest(value, 64),
            (_, "Case Number") => put(&mut log.metadata, "case_number", value),
            (_, "Evidence Number") => put(&mut log.metadata, "evidence_number", value),
            (_, "Unique Description") => put(&mut log.metadata, "description", value),
            (_, "Examiner") => put(&mut log.metadata, "examiner", value),
            (_, "Notes") => put(&mut log.metadata, "notes", value),
            (_, "Drive Model") => put(&mut log.metadata, "device_model", value),
            (_, "Drive Serial Number") => put(&mut log.metadata, "device_serial", value),
            (_, "Acquisition started") => put(&mut log.metadata, "acquisition_started", value),
            (_, "Acquisition finished") => put(&mut log.metadata, "acquisition_finished", value),
            (_, "Acquired using") => put(&mut log.metadata, "acquisition_software", value),
            _ => {}
        }
    }
    log
}

/// Guymager: `MD5 hash`, `SHA1 hash`, `SHA256 hash` (of the source as
/// read), beside `... verified source` and `... verified image` lines.
fn guymager(text: &str) -> AcquisitionLog {
    let mut log = AcquisitionLog {
        imager: "guymager",
        ..Default::default()
    };
    for line in text.lines() {
        let Some((key, value)) = key_value(line) else {
            continue;
        };
        match key {
            "MD5 hash" => log.stored.md5 = digest(value, 32),
            "SHA1 hash" => log.stored.sha1 = digest(value, 40),
            "SHA256 hash" => log.stored.sha256 = digest(value, 64),
            "Case number" => put(&mut log.metadata, "case_number", value),
            "Evidence number" => put(&mut log.metadata, "evidence_number", value),
            "Examiner" => put(&mut log.metadata, "examiner", value),
            "Description" => put(&mut log.metadata, "description", value),
            "Notes" => put(&mut log.metadata, "notes", value),
            "Model" => put(&mut log.metadata, "device_model", value),
            "Serial no." => put(&mut log.metadata, "device_serial", value),
            "Linux device" => put(&mut log.metadata, "device", value),
            "Device size" => put(&mut log.metadata, "device_size", value),
            "Version" => put(
                &mut log.metadata,
                "acquisition_software",
                &format!("Guymager {value}"),
            ),
            "State" => put(&mut log.metadata, "acquisition_state", value),
            _ => {}
        }
    }
    log
}

/// dc3dd: the hashes under `input results for device ...` (`<hex>
/// (md5)`), and its counts of sectors in and of bad sectors.
fn dc3dd(text: &str) -> AcquisitionLog {
    let mut log = AcquisitionLog {
        imager: "dc3dd",
        ..Default::default()
    };
    let mut input = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(version) = trimmed.strip_prefix("dc3dd ") {
            if let Some((version, started)) = version.split_once(" started at ") {
                put(
                    &mut log.metadata,
                    "acquisition_software",
                    &format!("dc3dd {version}"),
                );
                put(&mut log.metadata, "acquisition_started", started);
            }
            continue;
        }
        if trimmed.starts_with("input results for") {
            input = true;
            if let Some(device) = trimmed.split(['`', '\'']).nth(1) {
                put(&mut log.metadata, "device", device);
            }
            continue;
        }
        if trimmed.starts_with("output results for") {
            input = false;
            continue;
        }
        if !input {
            continue;
        }
        if trimmed.ends_with("bad sectors replaced by zeros") {
            put(
                &mut log.metadata,
                "bad_sectors",
                trimmed.split_whitespace().next().unwrap_or(""),
            );
            continue;
        }
        let Some((hex, algorithm)) = trimmed.rsplit_once(' ') else {
            continue;
        };
        match algorithm {
            "(md5)" => log.stored.md5 = digest(hex, 32),
            "(sha1)" => log.stored.sha1 = digest(hex, 40),
            "(sha256)" => log.stored.sha256 = digest(hex, 64),
            _ => {}
        }
    }
    log
}

#[cfg(test)]
mod tests {
    use super::*;

    const MD5: &str = "0f343b0931126a20f133d67c2b018a3b";
    const SHA1: &str = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

    #[test]
    fn ftk_imager_logs_give_the_source_hashes_not_the_verification() {
        let text = format!(
            "Created By AccessData® FTK® Imager 4.7.1.2\n\nCase Information: \nAcquired using: ADI4.7.1.2\nCase Number: 2026-042\nEvidence Number: A1\nUnique Description: USB stick\nExaminer: J. Doe\nNotes: \n\n[Physical Drive Information]\n Drive Model: SanDisk Cruzer\n Drive Serial Number: 4C5300\n[Computed Hashes]\n MD5 checksum:    {MD5}\n SHA1 checksum:   {SHA1}\n\nImage Information:\n Acquisition started:   Mon Jan 01 10:00:00 2026\n\nImage Verification Results:\n MD5 checksum:    ffffffffffffffffffffffffffffffff : verified\n"
        );
        let log = parse(&text).unwrap();
        assert_eq!(log.imager, "ftk-imager");
        assert_eq!(log.stored.md5.as_deref(), Some(MD5));
        assert_eq!(log.stored.sha1.as_deref(), Some(SHA1));
        assert_eq!(log.metadata["case_number"], "2026-042");
        assert_eq!(log.metadata["device_serial"], "4C5300");
        assert!(!log.metadata.contains_key("notes"));
    }

    #[test]
    fn guymager_and_dc3dd_logs_are_read() {
        let text = format!(
            "GUYMAGER ACQUISITION INFO FILE\n==============================\n\nCase number          : 2026-042\nExaminer             : J. Doe\nModel                : WDC WD10\nSerial no.           : WX1\nMD5 hash                   : {MD5}\nMD5 hash verified source   : {MD5}\nSHA1 hash                  : --\nSHA256 hash                : --\n"
        );
        let log = parse(&text).unwrap();
        assert_eq!(log.imager, "guymager");
        assert_eq!(log.stored.md5.as_deref(), Some(MD5));
        assert_eq!(log.stored.sha1, None);
        assert_eq!(log.metadata["device_model"], "WDC WD10");
        let text = format!(
            "dc3dd 7.2.646 started at 2026-01-01 10:00:00 +0000\ncommand line: dc3dd if=/dev/sdb hof=image.dd hash=md5 log=image.log\n\ninput results for device `/dev/sdb':\n   8 sectors in\n   0 bad sectors replaced by zeros\n   {MD5} (md5)\n\noutput results for file `image.dd':\n   8 sectors out\n   [ok] ffffffffffffffffffffffffffffffff (md5)\n"
        );
        let log = parse(&text).unwrap();
        assert_eq!(log.imager, "dc3dd");
        assert_eq!(log.stored.md5.as_deref(), Some(MD5));
        assert_eq!(log.metadata["device"], "/dev/sdb");
        assert_eq!(log.metadata["bad_sectors"], "0");
    }

    #[test]
    fn other_text_and_logs_without_a_hash_are_refused() {
        assert_eq!(parse("hello\n"), Err(LogError::Unknown));
        assert_eq!(
            parse("GUYMAGER ACQUISITION INFO FILE\nMD5 hash : --\n"),
            Err(LogError::NoHash("guymager"))
        );
    }
}
