//! Asking a TSA over HTTP(S) (RFC 3161 3.4): one POST of a DER
//! `TimeStampReq` as `application/timestamp-query`, the DER
//! `TimeStampResp` back. A small blocking client (ureq, TLS by rustls).

use std::time::Duration;

use crate::limits::MAX_TOKEN_BYTES;

/// Where tokens come from. The HTTP TSA is one; tests and air-gapped
/// flows can provide others.
pub trait Authority: Sync {
    /// How the TSA is named in messages (its URL).
    fn name(&self) -> &str;
    /// Sends one DER `TimeStampReq`, returns the DER `TimeStampResp`; on
    /// failure, what went wrong, in a few words.
    fn ask(&self, query: &[u8]) -> Result<Vec<u8>, String>;
}

/// A TSA reached by HTTP or HTTPS.
pub struct HttpAuthority {
    url: String,
    agent: ureq::Agent,
}

impl HttpAuthority {
    /// A TSA at `url` (`http://` or `https://`); each request is given
    /// `timeout` in all, connecting included.
    pub fn new(url: &str, timeout: Duration) -> Result<Self, String> {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(format!("{url}: a TSA URL starts with http:// or https://"));
        }
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("exhibit/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(HttpAuthority {
            url: url.to_string(),
            agent: ureq::Agent::new_with_config(config),
        })
    }
}

impl Authority for HttpAuthority {
    fn name(&self) -> &str {
        &self.url
    }

    fn ask(&self, query: &[u8]) -> Result<Vec<u8>, String> {
        let mut response = self
            .agent
            .post(&self.url)
            .header("Content-Type", "application/timestamp-query")
            .header("Accept", "application/timestamp-reply")
            .send(query)
            .map_err(describe)?;
        let status = response.status();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_TOKEN_BYTES)
            .read_to_vec()
            .map_err(describe)?;
        if !status.is_success() {
            let text: String = String::from_utf8_lossy(&body)
                .chars()
                .filter(|c| !c.is_control())
                .take(120)
                .collect();
            let reason = status.canonical_reason().unwrap_or("");
            return Err(format!("HTTP {} {reason} {text}", status.as_u16())
                .trim()
                .to_string());
        }
        Ok(body)
    }
}

fn describe(error: ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "no answer in time (timed out)".into(),
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::ConnectionFailed => "connection failed".into(),
        ureq::Error::Io(e) => format!("cannot be reached: {e}"),
        ureq::Error::BodyExceedsLimit(limit) => {
            format!("answer larger than {limit} bytes: not a time-stamp response")
        }
        other => other.to_string(),
    }
}
