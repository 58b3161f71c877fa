//! Asking a TSA over HTTP(S) (RFC 3161 3.4): one POST of a DER
//! `TimeStampReq` as `application/timestamp-query`, the DER
//! `TimeStampResp` back; and fetching the material revocation is judged
//! from: a CRL by GET (RFC 5280 4.2.1.13), an OCSP answer by POST (RFC 6960
//! appendix A). A small blocking client (ureq, TLS by rustls), configured
//! once for all of them: no redirects, every answer read with a limit.

use std::time::Duration;

/// Where tokens come from. The HTTP TSA is one; tests and air-gapped
/// flows can provide others.
pub trait Authority: Sync {
    /// How the TSA is named in messages (its URL).
    fn name(&self) -> &str;
    /// Sends one DER `TimeStampReq`, returns the DER `TimeStampResp`; on
    /// failure, what went wrong, in a few words.
    fn ask(&self, query: &[u8]) -> Result<Vec<u8>, String>;
    /// How long one request may take: also what asking the TSA's
    /// revocation sources may take while online.
    fn timeout(&self) -> Duration {
        Duration::from_secs(30)
    }
}

#[cfg(feature = "native")]
pub use client::{ask_ocsp, fetch_crl, HttpAuthority};

/// Without the `native` feature (the WebAssembly verifier) nothing is
/// fetched: a bundle's material is judged as it is.
#[cfg(not(feature = "native"))]
pub fn fetch_crl(url: &str, _timeout: Duration) -> Result<Vec<u8>, String> {
    Err(format!("{url}: this build makes no network requests"))
}

#[cfg(not(feature = "native"))]
pub fn ask_ocsp(url: &str, _request: &[u8], _timeout: Duration) -> Result<Vec<u8>, String> {
    Err(format!("{url}: this build makes no network requests"))
}

#[cfg(feature = "native")]
mod client {
    use std::time::Duration;

    use super::Authority;
    use crate::limits::{MAX_TOKEN_BYTES, MAX_VALIDATION_BYTES};

    /// A TSA reached by HTTP or HTTPS.
    pub struct HttpAuthority {
        url: String,
        agent: ureq::Agent,
        timeout: Duration,
    }

    impl HttpAuthority {
        /// A TSA at `url` (`http://` or `https://`); each request is given
        /// `timeout` in all, connecting included.
        pub fn new(url: &str, timeout: Duration) -> Result<Self, String> {
            check_scheme(url, "a TSA URL")?;
            Ok(HttpAuthority {
                url: url.to_string(),
                agent: agent(timeout),
                timeout,
            })
        }
    }

    impl Authority for HttpAuthority {
        fn name(&self) -> &str {
            &self.url
        }

        fn timeout(&self) -> Duration {
            self.timeout
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
                return Err(status_error(status, &body));
            }
            Ok(body)
        }
    }

    /// The one agent configuration: `timeout` for a whole exchange, connecting
    /// included; statuses read as answers, not errors; no redirects (an
    /// answer comes from the address asked, or not at all).
    fn agent(timeout: Duration) -> ureq::Agent {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("exhibit/", env!("CARGO_PKG_VERSION")))
            .build();
        ureq::Agent::new_with_config(config)
    }

    fn check_scheme(url: &str, what: &str) -> Result<(), String> {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(format!("{url}: {what} starts with http:// or https://"));
        }
        Ok(())
    }

    /// An error status, named, with the start of the answer's text.
    fn status_error(status: ureq::http::StatusCode, body: &[u8]) -> String {
        let text: String = String::from_utf8_lossy(body)
            .chars()
            .filter(|c| !c.is_control())
            .take(120)
            .collect();
        let reason = status.canonical_reason().unwrap_or("");
        format!("HTTP {} {reason} {text}", status.as_u16())
            .trim()
            .to_string()
    }

    /// Reads a validation answer: at most [`MAX_VALIDATION_BYTES`], and of
    /// `content_type` when one is expected.
    fn read_validation(
        mut response: ureq::http::Response<ureq::Body>,
        content_type: Option<&str>,
    ) -> Result<Vec<u8>, String> {
        let status = response.status();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_VALIDATION_BYTES)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => {
                    format!("answer larger than {} MiB", MAX_VALIDATION_BYTES >> 20)
                }
                other => describe(other),
            })?;
        // A validation answer is 200 or nothing: a 204 or a partial answer
        // holds no CRL or OCSP response.
        if status != ureq::http::StatusCode::OK {
            return Err(status_error(status, &body));
        }
        if let Some(expected) = content_type {
            let given = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let essence = given.split(';').next().unwrap_or("").trim();
            if !essence.eq_ignore_ascii_case(expected) {
                let shown: String = given.chars().filter(|c| !c.is_control()).take(80).collect();
                return Err(format!("the answer is {shown:?}, not {expected}"));
            }
        }
        Ok(body)
    }

    /// Fetches a CRL from one of a certificate's distribution points (`http://`
    /// or `https://`): the DER bytes, unchecked (the caller reads them).
    pub fn fetch_crl(url: &str, timeout: Duration) -> Result<Vec<u8>, String> {
        check_scheme(url, "a CRL URL")?;
        let response = agent(timeout).get(url).call().map_err(describe)?;
        read_validation(response, None)
    }

    /// Asks an OCSP responder (`http://` or `https://`) with one DER
    /// OCSPRequest by POST; the DER OCSPResponse, unchecked.
    pub fn ask_ocsp(url: &str, request: &[u8], timeout: Duration) -> Result<Vec<u8>, String> {
        check_scheme(url, "an OCSP URL")?;
        let response = agent(timeout)
            .post(url)
            .header("Content-Type", "application/ocsp-request")
            .header("Accept", "application/ocsp-response")
            .send(request)
            .map_err(describe)?;
        read_validation(response, Some("application/ocsp-response"))
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
}
