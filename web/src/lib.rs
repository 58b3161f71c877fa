//! exhibit's verifier for the offline page (`verify.html`): the library's
//! own `verify`, compiled to WebAssembly, behind a small C-style interface
//! that the page's worker script calls. No check is written here: this
//! file only turns what the person chose in the page into the library's
//! inputs (a [`Bundle`] read through [`ByteSource`]s, a [`TrustSet`]) and
//! the report into the JSON and HTML the page shows.
//!
//! The interface (all numbers little-endian, strings UTF-8 JSON):
//! - the page writes a request into memory from `exhibit_alloc` and calls
//!   `exhibit_verify(ptr, len)`, then `exhibit_report(ptr, len)` when the
//!   person saves the court report; each returns a pointer to a result
//!   (4 bytes of length, then the JSON), valid until the next call;
//! - the module calls back `exhibit.read_at(source, offset, ptr, len)`
//!   (bytes copied, or a negative number when the browser could not read),
//!   `exhibit.progress(done, total)` and `exhibit.phase(ptr, len)`.

use std::cell::RefCell;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use exhibit::digest::Sha256Digest;
use exhibit::i18n::{Lang, Texts};
use exhibit::keys::PublicKey;
use exhibit::ops::verify::verify_bundle_with;
use exhibit::ops::Observer;
use exhibit::report::words;
use exhibit::report::{Outcome, PageContext, Received, Report, TrustSource};
use exhibit::store::{Bundle, ByteSource};
use exhibit::time::UtcTime;
use exhibit::trust::{PolicyFiles, TrustPolicy, TrustSet};
use serde::{Deserialize, Serialize};

#[link(wasm_import_module = "exhibit")]
extern "C" {
    /// Copies up to `len` bytes of chosen file `source` at `offset` to
    /// `ptr`; returns how many (0 at the end), negative on a read error.
    fn read_at(source: u32, offset: f64, ptr: *mut u8, len: u32) -> f64;
    /// Bytes of the payload hashed so far, of `total`.
    fn progress(done: f64, total: f64);
    /// What is being checked now (UTF-8 at `ptr`).
    fn phase(ptr: *const u8, len: u32);
}

/// Memory for the page to write a request into.
#[no_mangle]
pub extern "C" fn exhibit_alloc(len: u32) -> *mut u8 {
    let mut buffer = vec![0u8; len as usize].into_boxed_slice();
    let ptr = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    ptr
}

/// Frees what `exhibit_alloc` gave.
///
/// # Safety
/// `ptr` and `len` are exactly a pair `exhibit_alloc` returned and took.
#[no_mangle]
pub unsafe extern "C" fn exhibit_free(ptr: *mut u8, len: u32) {
    let slice = std::ptr::slice_from_raw_parts_mut(ptr, len as usize);
    drop(Box::from_raw(slice));
}

/// Verifies the bundle a request describes (see [`Request`]).
///
/// # Safety
/// `ptr..ptr+len` was written by the page into memory from `exhibit_alloc`.
#[no_mangle]
pub unsafe extern "C" fn exhibit_verify(ptr: *const u8, len: u32) -> *const u8 {
    let request = std::slice::from_raw_parts(ptr, len as usize);
    answer(&run_verify(request))
}

/// The court report of the last verification (as `verify --report`
/// writes it): the bundle as received is read once more for its SHA-256.
///
/// # Safety
/// As for [`exhibit_verify`].
#[no_mangle]
pub unsafe extern "C" fn exhibit_report(ptr: *const u8, len: u32) -> *const u8 {
    let request = std::slice::from_raw_parts(ptr, len as usize);
    answer(&run_report(request))
}

thread_local! {
    /// The last answer, alive until the next call.
    static ANSWER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The last verification, for `exhibit_report`.
    static LAST: RefCell<Option<Verified>> = const { RefCell::new(None) };
}

fn answer(value: &serde_json::Value) -> *const u8 {
    let json = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    ANSWER.with(|cell| {
        let mut out = cell.borrow_mut();
        out.clear();
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out.extend_from_slice(&json);
        out.as_ptr()
    })
}

/// What the page asks: the bundle (as chosen files) and the trust inputs.
#[derive(Deserialize)]
struct Request {
    /// The browser's clock (seconds since 1970, UTC).
    now: i64,
    bundle: BundleRequest,
    #[serde(default)]
    trust: Vec<TextFile>,
    #[serde(default)]
    tsa_ca: Vec<TextFile>,
    #[serde(default)]
    ca: Vec<TextFile>,
    #[serde(default)]
    policy: Option<TextFile>,
    /// What ran the check: added to the JSON as `checked_by`.
    #[serde(default)]
    checked_by: serde_json::Value,
    /// The language of the verdict and the report (`fr`, ...; English
    /// when absent or not one exhibit speaks).
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Deserialize)]
#[serde(tag = "form", rename_all = "lowercase")]
enum BundleRequest {
    /// A zip file: source 0.
    Zip { name: String, size: u64 },
    /// A folder's files in order: file `i` is source `i`; `path` is from the
    /// bag root.
    Folder {
        name: String,
        files: Vec<FolderFile>,
    },
}

#[derive(Deserialize)]
struct FolderFile {
    path: String,
    size: u64,
}

/// A small file the person chose (a key, a root certificate, a policy).
#[derive(Deserialize, Clone)]
struct TextFile {
    name: String,
    text: String,
}

/// A chosen file, read in slices through the page.
struct PageFile {
    source: u32,
    size: u64,
}

impl ByteSource for PageFile {
    fn size(&self) -> u64 {
        self.size
    }

    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
        let len = u32::try_from(buf.len()).unwrap_or(u32::MAX);
        // SAFETY: the page copies at most `len` bytes to `buf`.
        let read = unsafe { read_at(self.source, offset as f64, buf.as_mut_ptr(), len) };
        if read < 0.0 {
            return Err(std::io::Error::other(
                "the browser could not read the file (was it changed or moved?)",
            ));
        }
        Ok((read as usize).min(buf.len()))
    }
}

/// Reports progress to the page, a step at a time.
struct PageObserver {
    done: AtomicU64,
    total: AtomicU64,
}

impl Observer for PageObserver {
    fn start(&self, what: &str, total: u64) {
        self.total.store(total, Ordering::Relaxed);
        // SAFETY: the page reads `what.len()` bytes at `what.as_ptr()`.
        unsafe { phase(what.as_ptr(), what.len() as u32) };
    }

    fn advance(&self, bytes: u64) {
        let done = self.done.fetch_add(bytes, Ordering::Relaxed) + bytes;
        // SAFETY: plain numbers.
        unsafe { progress(done as f64, self.total.load(Ordering::Relaxed) as f64) };
    }
}

/// The JSON `verify --json` prints, with what ran the check.
#[derive(Serialize)]
struct PageJson<'a> {
    #[serde(flatten)]
    report: &'a Report,
    checked_by: &'a serde_json::Value,
}

/// A verification kept for the court report.
struct Verified {
    bundle: Bundle,
    report: Report,
    context: PageContext,
    lang: Lang,
}

fn unusable(error: impl std::fmt::Display) -> serde_json::Value {
    serde_json::json!({ "status": "unusable", "error": error.to_string() })
}

fn run_verify(request: &[u8]) -> serde_json::Value {
    LAST.with(|last| last.borrow_mut().take());
    let request: Request = match serde_json::from_slice(request) {
        Ok(request) => request,
        Err(e) => {
            return unusable(format!(
                "the page sent a request the verifier cannot read: {e}"
            ))
        }
    };
    UtcTime::set_browser_clock(request.now);
    let (trust, trust_sources) = match trust_of(&request) {
        Ok(trust) => trust,
        Err(message) => return unusable(message),
    };
    let bundle = match open(&request.bundle) {
        Ok(bundle) => bundle,
        Err(message) => return unusable(message),
    };
    let observer = PageObserver {
        done: AtomicU64::new(0),
        total: AtomicU64::new(0),
    };
    let report = verify_bundle_with(&bundle, &trust, &observer, true);
    // What `verify --json` prints, and what ran the check.
    let json = match serde_json::to_string_pretty(&PageJson {
        report: &report,
        checked_by: &request.checked_by,
    }) {
        Ok(json) => json,
        Err(e) => return unusable(e),
    };
    let context = PageContext {
        checked_at: Some(UtcTime::now()),
        received: None,
        trust_sources,
        tsa_roots: digests_of(&request.tsa_ca),
        ca_roots: digests_of(&request.ca),
        json_command: Some("Save JSON on the verification page".into()),
        tool: Some(format!(
            "exhibit {} verification page (module SHA-256 {})",
            exhibit::VERSION,
            request.checked_by["module_sha256"]
                .as_str()
                .unwrap_or("unknown")
        )),
    };
    let status = status_word(report.status);
    let lang = request
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(Lang::En);
    let texts = Texts::new(lang);
    let nothing_given =
        request.trust.is_empty() && request.ca.is_empty() && request.policy.is_none();
    let answer = serde_json::json!({
        "status": status,
        "verdict": words::verdict_line(&texts, &report, nothing_given, &|name| name.to_string()),
        "json": json,
        "html": report.to_html_page(&context, &[texts]),
    });
    LAST.with(|last| {
        *last.borrow_mut() = Some(Verified {
            bundle,
            report,
            context,
            lang,
        })
    });
    answer
}

fn run_report(_request: &[u8]) -> serde_json::Value {
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        let Some(verified) = last.as_mut() else {
            return unusable("nothing has been verified yet");
        };
        let (size, sha256) = match verified.bundle.as_received() {
            Ok(received) => received,
            Err(e) => return unusable(e),
        };
        verified.context.received = Some(Received {
            path: verified.report.bundle.clone(),
            form: if sha256.is_some() { "zip" } else { "folder" },
            size,
            sha256: sha256.map(|d| d.to_hex()),
        });
        serde_json::json!({
            "html": verified.report.to_html_page(&verified.context, &[Texts::new(verified.lang)])
        })
    })
}

fn status_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Verified => "verified",
        Outcome::Failed => "failed",
        Outcome::Untrusted => "untrusted",
    }
}

/// The bundle the request names, read through the page.
fn open(request: &BundleRequest) -> Result<Bundle, String> {
    match request {
        BundleRequest::Zip { name, size } => {
            let source: Arc<dyn ByteSource> = Arc::new(PageFile {
                source: 0,
                size: *size,
            });
            Bundle::open_zip_source(Path::new(name), source).map_err(|e| e.to_string())
        }
        BundleRequest::Folder { name, files } => {
            let mut sources: Vec<(String, Arc<dyn ByteSource>)> = Vec::with_capacity(files.len());
            for (index, file) in files.iter().enumerate() {
                let source = u32::try_from(index).map_err(|_| "too many files".to_string())?;
                sources.push((
                    file.path.clone(),
                    Arc::new(PageFile {
                        source,
                        size: file.size,
                    }),
                ));
            }
            Bundle::open_folder_sources(Path::new(name), sources).map_err(|e| e.to_string())
        }
    }
}

/// The trust the chosen files give, as `exhibit verify --trust --tsa-ca
/// --ca --trust-policy` would build it.
fn trust_of(request: &Request) -> Result<(TrustSet, Vec<TrustSource>), String> {
    let mut keys = Vec::with_capacity(request.trust.len());
    let mut sources = Vec::with_capacity(request.trust.len());
    for file in &request.trust {
        let key = PublicKey::from_spki_pem_named(&file.text, Path::new(&file.name))
            .map_err(|e| e.to_string())?;
        sources.push(TrustSource {
            file: file.name.clone(),
            key_id: key.key_id(),
            sha256: Sha256Digest::of(file.text.as_bytes()).to_hex(),
        });
        keys.push(key);
    }
    let mut trust = TrustSet::new(&keys)
        .with_tsa_roots(roots_of(&request.tsa_ca)?)
        .with_cas(roots_of(&request.ca)?);
    if let Some(file) = &request.policy {
        let given: Vec<(String, Vec<u8>)> = request
            .trust
            .iter()
            .chain(&request.tsa_ca)
            .chain(&request.ca)
            .map(|f| (f.name.clone(), f.text.clone().into_bytes()))
            .collect();
        let files = PolicyFiles::Given(&given);
        let path = Path::new(&file.name);
        let policy = TrustPolicy::parse_with(
            &file.text,
            path,
            Sha256Digest::of(file.text.as_bytes()),
            &files,
        )
        .map_err(|e| e.to_string())?;
        trust = trust
            .with_tsa_roots(policy.tsa_roots.clone())
            .with_policy(policy);
    }
    Ok((trust, sources))
}

fn roots_of(files: &[TextFile]) -> Result<Vec<exhibit::tsp::Cert>, String> {
    let mut roots = Vec::new();
    for file in files {
        roots.extend(
            exhibit::tsp::certificates_from_pem(file.text.as_bytes())
                .map_err(|e| format!("{}: not a PEM certificate file: {e}", file.name))?,
        );
    }
    Ok(roots)
}

fn digests_of(files: &[TextFile]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|f| (f.name.clone(), Sha256Digest::of(f.text.as_bytes()).to_hex()))
        .collect()
}
