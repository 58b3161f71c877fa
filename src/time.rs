//! Times written into signed documents: UTC, whole seconds, RFC 3339
//! (`2026-11-22T09:40:00Z`). Times are always passed in by the caller (a
//! `--time` flag, `SOURCE_DATE_EPOCH`, or the clock read at the CLI edge).

use std::fmt;
use std::str::FromStr;

/// A UTC instant with one-second resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcTime(jiff::Timestamp);

/// A time that is not RFC 3339 or lies outside the supported range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid time {input:?}: {reason}")]
pub struct TimeError {
    input: String,
    reason: String,
}

/// The clock of a WebAssembly module in a browser, which has no clock of
/// its own: the page sets it ([`UtcTime::set_browser_clock`]).
#[cfg(all(target_family = "wasm", target_os = "unknown"))]
static BROWSER_CLOCK: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

impl UtcTime {
    /// The current time, truncated to the second.
    #[cfg(not(all(target_family = "wasm", target_os = "unknown")))]
    pub fn now() -> Self {
        Self::from_unix_seconds(jiff::Timestamp::now().as_second())
            .unwrap_or(UtcTime(jiff::Timestamp::UNIX_EPOCH))
    }

    /// The time the page last set (see [`UtcTime::set_browser_clock`]).
    #[cfg(all(target_family = "wasm", target_os = "unknown"))]
    pub fn now() -> Self {
        let seconds = BROWSER_CLOCK.load(std::sync::atomic::Ordering::Relaxed);
        Self::from_unix_seconds(seconds).unwrap_or(UtcTime(jiff::Timestamp::UNIX_EPOCH))
    }

    /// Sets what [`UtcTime::now`] returns in a browser, from its clock.
    #[cfg(all(target_family = "wasm", target_os = "unknown"))]
    pub fn set_browser_clock(unix_seconds: i64) {
        BROWSER_CLOCK.store(unix_seconds, std::sync::atomic::Ordering::Relaxed);
    }

    /// Seconds since 1970-01-01T00:00:00Z (as `SOURCE_DATE_EPOCH` gives).
    pub fn from_unix_seconds(seconds: i64) -> Result<Self, TimeError> {
        jiff::Timestamp::from_second(seconds)
            .map(UtcTime)
            .map_err(|e| TimeError {
                input: seconds.to_string(),
                reason: e.to_string(),
            })
    }

    /// Parses RFC 3339 with any offset; the result is UTC and sub-second
    /// digits are dropped.
    pub fn parse_rfc3339(input: &str) -> Result<Self, TimeError> {
        let error = |reason: String| TimeError {
            input: input.chars().take(64).collect(),
            reason,
        };
        // Accept only the RFC 3339 shape: date 'T' time, then 'Z' or an offset.
        let bytes = input.as_bytes();
        if bytes.len() < 20 || !matches!(bytes[10], b'T' | b't') {
            return Err(error("expected RFC 3339, e.g. 2026-01-31T12:00:00Z".into()));
        }
        let ts = jiff::Timestamp::from_str(input).map_err(|e| error(e.to_string()))?;
        Self::from_unix_seconds(ts.as_second())
    }

    /// The canonical form parsed back from a signed document: it must be
    /// exactly what `to_string` writes, so signed bytes have one spelling.
    pub fn parse_canonical(input: &str) -> Result<Self, TimeError> {
        let time = Self::parse_rfc3339(input)?;
        if time.to_string() != input {
            return Err(TimeError {
                input: input.chars().take(64).collect(),
                reason: "not in canonical form YYYY-MM-DDTHH:MM:SSZ".into(),
            });
        }
        Ok(time)
    }

    pub fn unix_seconds(&self) -> i64 {
        self.0.as_second()
    }

    /// The calendar date in UTC, `YYYY-MM-DD` (BagIt's Bagging-Date).
    pub fn date_string(&self) -> String {
        self.0.strftime("%Y-%m-%d").to_string()
    }

    /// The date and time as MS-DOS fields for zip headers
    /// (year, month, day, hour, minute, second).
    pub fn civil(&self) -> (i16, i8, i8, i8, i8, i8) {
        let dt = self.0.to_zoned(jiff::tz::TimeZone::UTC).datetime();
        (
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
        )
    }
}

impl fmt::Display for UtcTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.strftime("%Y-%m-%dT%H:%M:%SZ"))
    }
}

impl serde::Serialize for UtcTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for UtcTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        UtcTime::parse_canonical(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_round_trip() {
        let t = UtcTime::parse_rfc3339("2026-11-22T10:30:00+01:00").unwrap();
        assert_eq!(t.to_string(), "2026-11-22T09:30:00Z");
        assert_eq!(t.date_string(), "2026-11-22");
        assert_eq!(UtcTime::parse_canonical("2026-11-22T09:30:00Z").unwrap(), t);
        assert!(UtcTime::parse_canonical("2026-11-22T10:30:00+01:00").is_err());
        assert!(UtcTime::parse_rfc3339("2026-11-22").is_err());
        assert!(UtcTime::parse_rfc3339("yesterday").is_err());
        assert_eq!(
            UtcTime::from_unix_seconds(0).unwrap().to_string(),
            "1970-01-01T00:00:00Z"
        );
    }

    #[test]
    fn sub_seconds_are_dropped() {
        let t = UtcTime::parse_rfc3339("2026-01-31T12:00:00.987Z").unwrap();
        assert_eq!(t.to_string(), "2026-01-31T12:00:00Z");
    }
}
