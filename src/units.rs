//! Counts and sizes as a person reads them, written one way everywhere:
//! the terminal, error messages and the court report.

/// A size: "3.0 GiB (3,224,128,872 bytes)"; small sizes in bytes alone.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    let exact = count(bytes, "byte");
    match scaled(bytes) {
        Some((value, unit)) => format!("{value:.1} {} ({exact})", UNITS[unit]),
        None => exact,
    }
}

/// A size of 1 KiB or more in the largest binary unit under which it is at
/// least 1: (value, 0 for KiB … 4 for PiB); None below 1 KiB. Every
/// language writes sizes from this (`i18n::Texts::size`).
pub fn scaled(bytes: u64) -> Option<(f64, usize)> {
    if bytes < 1024 {
        return None;
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < 4 {
        value /= 1024.0;
        unit += 1;
    }
    Some((value, unit))
}

/// A count and its noun: "1 file", "12,000 files".
pub fn count(n: u64, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{} {noun}s", group_digits(n)),
    }
}

/// 3224128872 → "3,224,128,872".
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_the_same_everywhere() {
        assert_eq!(human_size(0), "0 bytes");
        assert_eq!(human_size(1), "1 byte");
        assert_eq!(human_size(1023), "1,023 bytes");
        assert_eq!(human_size(1024), "1.0 KiB (1,024 bytes)");
        assert_eq!(human_size(3_224_128_872), "3.0 GiB (3,224,128,872 bytes)");
    }

    #[test]
    fn one_is_singular() {
        assert_eq!(count(1, "file"), "1 file");
        assert_eq!(count(0, "file"), "0 files");
        assert_eq!(count(12_000, "event"), "12,000 events");
    }
}
