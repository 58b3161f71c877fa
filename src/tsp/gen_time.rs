//! `genTime`: the GeneralizedTime of a TSTInfo, with fractional seconds.
//!
//! RFC 3161 lets a TSA give `genTime` to sub-second precision
//! (`20261122100000.123Z`; OpenSSL does so with `clock_precision_digits`).
//! `der` 0.7's `GeneralizedTime` implements the RFC 5280 profile instead
//! (`YYYYMMDDHHMMSSZ`, fractions forbidden) and rejects such a token. The
//! maintained fix is x509-tsp's `GeneralizedTimeNanos` (RustCrypto/formats
//! PR 2063), which only exists on the unreleased der 0.8 line; until that
//! line is released this type decodes the DER form of X.690 11.7 for the
//! 0.7 line: seconds present, `Z`, a `.` before at most nine fraction
//! digits, no trailing zero (and no fraction at all when it is zero).

use std::fmt;
use std::time::Duration;

use der::{DateTime, DecodeValue, EncodeValue, FixedTag, Header, Length, Reader, Tag, Writer};

/// An instant to the nanosecond, as a TSA states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct GenTime {
    /// The whole seconds.
    datetime: DateTime,
    /// 0 to 999 999 999.
    nanos: u32,
}

/// `YYYYMMDDHHMMSSZ`.
const WHOLE_LEN: usize = 15;
/// Nanosecond precision: a `.` and nine digits more.
const MAX_LEN: usize = WHOLE_LEN + 10;

impl GenTime {
    /// From seconds and nanoseconds since the Unix epoch.
    pub fn from_unix(seconds: u64, nanos: u32) -> der::Result<Self> {
        if nanos >= 1_000_000_000 {
            return Err(Self::TAG.value_error());
        }
        let datetime = DateTime::from_unix_duration(Duration::from_secs(seconds))?;
        Ok(GenTime { datetime, nanos })
    }

    /// Whole seconds since the Unix epoch (the fraction dropped).
    pub fn unix_seconds(&self) -> i64 {
        self.datetime.unix_duration().as_secs() as i64
    }

    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// The fraction digits as DER writes them: no trailing zero, none at
    /// all for a whole second.
    fn fraction_digits(&self) -> String {
        if self.nanos == 0 {
            return String::new();
        }
        format!("{:09}", self.nanos)
            .trim_end_matches('0')
            .to_string()
    }
}

fn two_digits(pair: &[u8]) -> der::Result<u8> {
    match pair {
        [hi @ b'0'..=b'9', lo @ b'0'..=b'9'] => Ok((hi - b'0') * 10 + (lo - b'0')),
        _ => Err(GenTime::TAG.value_error()),
    }
}

impl<'a> DecodeValue<'a> for GenTime {
    fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
        let len = usize::try_from(header.length)?;
        if !(WHOLE_LEN..=MAX_LEN).contains(&len) {
            return Err(Self::TAG.value_error());
        }
        let bytes = reader.read_slice(header.length)?;
        let invalid = || Self::TAG.value_error();
        let (body, zone) = bytes.split_at(len - 1);
        if zone != b"Z" {
            return Err(invalid());
        }
        let (whole, fraction) = body.split_at(WHOLE_LEN - 1);
        let nanos = match fraction {
            [] => 0,
            [b'.', digits @ ..] => {
                let well_formed = !digits.is_empty()
                    && digits.len() <= 9
                    && digits.iter().all(u8::is_ascii_digit)
                    && digits.last() != Some(&b'0');
                if !well_formed {
                    return Err(invalid());
                }
                let value: u32 = std::str::from_utf8(digits)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(invalid)?;
                value * 10u32.pow(9 - digits.len() as u32)
            }
            _ => return Err(invalid()),
        };
        let year =
            u16::from(two_digits(&whole[0..2])?) * 100 + u16::from(two_digits(&whole[2..4])?);
        let datetime = DateTime::new(
            year,
            two_digits(&whole[4..6])?,
            two_digits(&whole[6..8])?,
            two_digits(&whole[8..10])?,
            two_digits(&whole[10..12])?,
            two_digits(&whole[12..14])?,
        )
        .map_err(|_| invalid())?;
        Ok(GenTime { datetime, nanos })
    }
}

impl EncodeValue for GenTime {
    fn value_len(&self) -> der::Result<Length> {
        let fraction = self.fraction_digits().len();
        let dot = usize::from(fraction > 0);
        Length::try_from(WHOLE_LEN + dot + fraction)
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        let d = &self.datetime;
        let whole = format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minutes(),
            d.seconds()
        );
        writer.write(whole.as_bytes())?;
        let fraction = self.fraction_digits();
        if !fraction.is_empty() {
            writer.write_byte(b'.')?;
            writer.write(fraction.as_bytes())?;
        }
        writer.write_byte(b'Z')
    }
}

impl FixedTag for GenTime {
    const TAG: Tag = Tag::GeneralizedTime;
}

/// RFC 3339 in UTC, with the fraction when the TSA gave one:
/// `2026-11-22T10:00:00.123Z`.
impl fmt::Display for GenTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.datetime;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minutes(),
            d.seconds()
        )?;
        let fraction = self.fraction_digits();
        if !fraction.is_empty() {
            write!(f, ".{fraction}")?;
        }
        f.write_str("Z")
    }
}

impl serde::Serialize for GenTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::{Decode, Encode};

    fn der_of(text: &str) -> Vec<u8> {
        let mut bytes = vec![0x18, text.len() as u8];
        bytes.extend_from_slice(text.as_bytes());
        bytes
    }

    /// What this type exists for: der 0.7's own GeneralizedTime refuses
    /// the fractional form OpenSSL writes with `clock_precision_digits`.
    #[test]
    fn der_generalized_time_rejects_fractions_and_gen_time_reads_them() {
        let fractional = der_of("20261122100000.123Z");
        assert!(der::asn1::GeneralizedTime::from_der(&fractional).is_err());
        let time = GenTime::from_der(&fractional).unwrap();
        assert_eq!(time.to_string(), "2026-11-22T10:00:00.123Z");
        assert_eq!(time.subsec_nanos(), 123_000_000);
        assert_eq!(time.to_der().unwrap(), fractional);

        let whole = der_of("20261122100000Z");
        let parsed = GenTime::from_der(&whole).unwrap();
        assert_eq!(
            parsed.unix_seconds(),
            der::asn1::GeneralizedTime::from_der(&whole)
                .unwrap()
                .to_unix_duration()
                .as_secs() as i64
        );
        assert_eq!(parsed.to_string(), "2026-11-22T10:00:00Z");
        assert_eq!(parsed.to_der().unwrap(), whole);
    }

    #[test]
    fn every_precision_round_trips() {
        for (text, nanos) in [
            ("20261122100000.1Z", 100_000_000),
            ("20261122100000.05Z", 50_000_000),
            ("20261122100000.000001Z", 1_000),
            ("20261122100000.123456789Z", 123_456_789),
            ("20261122100000.000000005Z", 5),
        ] {
            let time = GenTime::from_der(&der_of(text)).unwrap();
            assert_eq!(time.subsec_nanos(), nanos, "{text}");
            assert_eq!(time.to_der().unwrap(), der_of(text), "{text}");
        }
    }

    #[test]
    fn non_der_spellings_are_refused() {
        for text in [
            "20261122100000.Z",           // a point without digits
            "20261122100000.120Z",        // trailing zero
            "20261122100000.0Z",          // a zero fraction must be left out
            "20261122100000,5Z",          // comma
            "20261122100000.1234567891Z", // finer than nanoseconds
            "20261122100000",             // no zone
            "20261122100000+0100",        // an offset
            "202611221000Z",              // no seconds
            "20261322100000Z",            // month 13
            "2026112210000aZ",
            "20261122100000.+1Z",
        ] {
            assert!(GenTime::from_der(&der_of(text)).is_err(), "{text}");
        }
    }
}
