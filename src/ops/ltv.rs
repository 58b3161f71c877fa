//! `exhibit ltv`: validation material for every certificate chain a bundle
//! relies on — the TSA chains of its time-stamp tokens and of its evidence
//! record, and the chains of its certificate signers — stored under
//! `exhibit/validation/` (`format::validation`): an OCSP response asked of
//! the responder a certificate names (AIA), else the CRL of its
//! distribution point; or, air-gapped, the OCSP requests and the addresses
//! written to a folder and the answers attached later.
//!
//! Every piece is checked before anything is stored: it must be signed by
//! the certificate's issuer (or a responder it delegated to) and speak of
//! that certificate. Any failure leaves the bundle unchanged. Files are
//! appended through the append lock; a piece already stored is not stored
//! twice.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::format::custody::{numbered_path, parse_event_file_name, EventFile};
use crate::format::evidence_record::{EvidenceRecord, EVIDENCE_RECORD_PATH};
use crate::format::seal::SEAL_PATH;
use crate::format::signature::SIGNATURES_DIR;
use crate::format::timestamp;
use crate::format::validation::{MaterialFile, ValidationName};
use crate::fsx::{write_atomically, Overwrite};
use crate::limits::{MAX_DOCUMENT_BYTES, MAX_RECORD_BYTES, MAX_TOKEN_BYTES, MAX_VALIDATION_BYTES};
use crate::ops::Observer;
use crate::problem::Problem;
use crate::store::{Bundle, EntryKind, NewFile, OpenError, StoreError};
use crate::time::UtcTime;
use crate::trust::TrustSet;
use crate::tsp::revocation::{self, CertStatus, MaterialKind};
use crate::tsp::{self, cert_id, Cert};

/// Where the material comes from.
pub enum MaterialSource<'a> {
    /// Asked of the responders and distribution points the certificates
    /// name, each request given this long.
    Online(Duration),
    /// The OCSP requests and a list of what to fetch where, written here.
    RequestDir(&'a Path),
    /// These CRL / OCSP response files (path, bytes), each stored for the
    /// certificate it speaks of.
    Attach(&'a [(PathBuf, Vec<u8>)]),
}

/// What `exhibit ltv` is asked to do.
pub struct LtvRequest<'a> {
    pub bundle: &'a Path,
    /// Roots that complete the chains (`--tsa-ca`, `--ca`): the issuer of a
    /// chain's last certificate is known only through them.
    pub trust: &'a TrustSet,
    pub source: MaterialSource<'a>,
    /// Written as the time of new zip entries.
    pub time: UtcTime,
}

/// One file of validation material added.
#[derive(Debug, Clone)]
pub struct AddedMaterial {
    /// Its bag path.
    pub path: String,
    /// The certificate it speaks of (its subject).
    pub subject: String,
    pub kind: MaterialKind,
    /// What it says of that certificate: good, or revoked (when, why).
    pub status: String,
}

/// What `exhibit ltv` did.
#[derive(Debug, Clone)]
pub enum LtvOutcome {
    Added {
        added: Vec<AddedMaterial>,
        /// Certificates that name neither a responder nor a CRL
        /// distribution point (subjects): nothing can be fetched for them.
        no_source: Vec<String>,
    },
    /// Requests written: (file, what to do with it).
    RequestsWritten(Vec<(PathBuf, String)>),
}

/// Why no material was added (the bundle is unchanged).
#[derive(Debug, thiserror::Error)]
pub enum LtvError {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{}: does not verify; no validation material added", bundle.display())]
    DoesNotVerify {
        bundle: PathBuf,
        problems: Vec<Problem>,
    },
    /// A responder or distribution point failed, or answered with
    /// something that does not speak of the certificate.
    #[error("{url}: {reason} (for {subject}); nothing was added")]
    Fetch {
        url: String,
        subject: String,
        reason: String,
    },
    #[error("{}: {reason}; nothing attached", file.display())]
    Attach { file: PathBuf, reason: String },
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

crate::ops::refused_unless_verified!(LtvError);

/// A certificate and the one that issued it: what one piece of
/// revocation material speaks of.
#[derive(Clone)]
pub struct Link {
    pub cert: Cert,
    pub issuer: Cert,
}

impl Link {
    fn subject(&self) -> String {
        self.cert.subject()
    }
}

/// Every (certificate, issuer) pair of the chains `bundle` relies on, once
/// each: its tokens' TSAs, its evidence record's TSAs, its certificate
/// signers. A chain's last certificate has an issuer only when it reached
/// a root of `trust` (the root itself is the receiver's to trust, not to
/// look up).
pub fn links(bundle: &Bundle, trust: &TrustSet) -> Vec<Link> {
    let mut chains: Vec<Vec<Cert>> = Vec::new();
    let read = |name: &str, limit: u64| {
        bundle
            .find(name)
            .and_then(|entry| bundle.read_entry(entry, limit).ok())
    };
    let seal = read(SEAL_PATH, MAX_DOCUMENT_BYTES);
    for entry in bundle.entries.iter().filter(|e| e.kind == EntryKind::File) {
        let name = entry.name.as_str();
        if timestamp::parse_token_path(name).is_some() {
            if let Some(facts) = read(name, MAX_TOKEN_BYTES)
                .and_then(|token| tsp::check_response(&token, trust.tsa_roots()).ok())
            {
                chains.push(completed(facts.chain, &facts.carried));
            }
            continue;
        }
        let content = if name.starts_with(SIGNATURES_DIR) && name.ends_with(".p7s") {
            seal.clone()
        } else if let Some((sequence, EventFile::CertSignature)) = parse_event_file_name(name) {
            read(&numbered_path(sequence, "json"), MAX_RECORD_BYTES)
        } else {
            continue;
        };
        if let (Some(content), Some(p7s)) = (content, read(name, MAX_RECORD_BYTES)) {
            if let Ok(facts) = tsp::check_detached(&p7s, &content, trust.cas(), None) {
                chains.push(completed(facts.chain, &facts.carried));
            }
        }
    }
    if let Some(record) = read(EVIDENCE_RECORD_PATH, MAX_VALIDATION_BYTES)
        .and_then(|bytes| EvidenceRecord::from_der(&bytes).ok())
    {
        for token in record.tokens() {
            if let Ok(facts) = tsp::check_token(token, trust.tsa_roots()) {
                chains.push(completed(facts.chain, &facts.carried));
            }
        }
    }
    links_of(chains)
}

/// A path that stopped short of a root, completed by the certificate that
/// issued its last one when the signature carries it: a root nobody
/// trusted yet still names where to ask about revocation, and whether the
/// answer counts is decided at verify, against the receiver's roots.
fn completed(mut chain: Vec<Cert>, carried: &[Cert]) -> Vec<Cert> {
    if let Some(last) = chain.last() {
        if !last.is_self_issued() {
            if let Some(issuer) = carried.iter().find(|c| last.signed_by(c)) {
                chain.push(issuer.clone());
            }
        }
    }
    chain
}

/// Every (certificate, issuer) pair of `chains`, each certificate once.
fn links_of(chains: Vec<Vec<Cert>>) -> Vec<Link> {
    let mut seen = BTreeSet::new();
    let mut links = Vec::new();
    for chain in chains {
        for pair in chain.windows(2) {
            let (cert, issuer) = (&pair[0], &pair[1]);
            if cert.der == issuer.der || !seen.insert(cert_id(cert)) {
                continue;
            }
            links.push(Link {
                cert: cert.clone(),
                issuer: issuer.clone(),
            });
        }
    }
    links
}

/// The validation material of a token just received (a `TimeStampResp`),
/// asked for while online, each request given `timeout`. Best effort: a
/// source that fails is told to `observer` and skipped (the token stands;
/// `exhibit ltv` can add the material later).
pub fn material_for_token(
    response: &[u8],
    timeout: Duration,
    observer: &dyn Observer,
) -> Vec<NewFile> {
    let mut files: Vec<NewFile> = Vec::new();
    for link in token_links(response, &[]) {
        match fetch(&link, timeout) {
            Ok(Some((file, _))) if !files.iter().any(|f| f.name == file.name) => files.push(file),
            Ok(_) => {}
            Err(LtvError::Fetch {
                url,
                subject,
                reason,
            }) => observer.material_not_fetched(&format!("{url}: {reason} (for {subject})")),
            Err(e) => observer.material_not_fetched(&e.to_string()),
        }
    }
    files
}

/// The links of a token's TSA chain (a `TimeStampResp`), the path
/// checked against `roots` and completed by the issuer the token carries.
pub fn token_links(response: &[u8], roots: &[Cert]) -> Vec<Link> {
    match tsp::check_response(response, roots) {
        Ok(facts) => links_of(vec![completed(facts.chain, &facts.carried)]),
        Err(_) => Vec::new(),
    }
}

/// Checks one piece of material against the link it was fetched or
/// attached for, and names its file: it must be signed by the issuer (or
/// its delegated responder) and speak of the certificate.
fn stored_as(link: &Link, der: &[u8]) -> Result<(NewFile, AddedMaterial), String> {
    let kind = revocation::read_material(der)?;
    let status = revocation::status_at(&link.cert, &link.issuer, &[der.to_vec()], i64::MIN, None);
    let (evidence, said) = match status {
        CertStatus::NotChecked { why } => return Err(why),
        CertStatus::Good { evidence } => (evidence, "good".to_string()),
        CertStatus::Revoked {
            at,
            reason,
            evidence,
            ..
        }
        | CertStatus::RevokedLater {
            at,
            reason,
            evidence,
        } => {
            let when = UtcTime::from_unix_seconds(at)
                .map(|t| t.to_string())
                .unwrap_or_else(|_| at.to_string());
            let why = reason
                .map(|r| format!(" ({})", r.name()))
                .unwrap_or_default();
            (evidence, format!("revoked at {when}{why}"))
        }
    };
    let issued = UtcTime::from_unix_seconds(evidence.issued).map_err(|e| e.to_string())?;
    let name = match kind {
        MaterialKind::Crl => ValidationName {
            covers: cert_id(&link.issuer),
            issued,
            kind: MaterialFile::Crl,
        },
        MaterialKind::Ocsp => ValidationName {
            covers: cert_id(&link.cert),
            issued,
            kind: MaterialFile::Ocsp,
        },
    };
    let path = name.path();
    Ok((
        NewFile {
            name: path.clone(),
            bytes: der.to_vec(),
        },
        AddedMaterial {
            path,
            subject: link.subject(),
            kind,
            status: said,
        },
    ))
}

/// Asks for the material of one link: its OCSP responders first, then its
/// CRL distribution points; the first usable answer counts. `Ok(None)`:
/// the certificate names no source.
pub fn fetch(link: &Link, timeout: Duration) -> Result<Option<(NewFile, AddedMaterial)>, LtvError> {
    let fail = |url: &str, reason: String| LtvError::Fetch {
        url: url.to_string(),
        subject: link.subject(),
        reason,
    };
    let mut failure = None;
    for url in revocation::ocsp_urls(&link.cert) {
        let answer = revocation::ocsp_request(&link.cert, &link.issuer)
            .and_then(|request| tsp::http::ask_ocsp(&url, &request, timeout))
            .and_then(|der| stored_as(link, &der));
        match answer {
            Ok(found) => return Ok(Some(found)),
            Err(reason) => {
                failure.get_or_insert(fail(&url, reason));
            }
        }
    }
    for url in revocation::crl_urls(&link.cert) {
        match tsp::http::fetch_crl(&url, timeout).and_then(|der| stored_as(link, &der)) {
            Ok(found) => return Ok(Some(found)),
            Err(reason) => {
                failure.get_or_insert(fail(&url, reason));
            }
        }
    }
    failure.map_or(Ok(None), Err)
}

/// `exhibit ltv`: under the append lock, checks the bundle (all but the
/// payload bytes), then adds the material of every link, or writes the
/// requests for it.
pub fn ltv(request: &LtvRequest<'_>, observer: &dyn Observer) -> Result<LtvOutcome, LtvError> {
    let path = request.bundle;
    let (lock, bundle) =
        crate::ops::lock_checked(path, observer, |problems| LtvError::DoesNotVerify {
            bundle: path.into(),
            problems,
        })?;
    let links = links(&bundle, request.trust);
    let mut found: Vec<(NewFile, AddedMaterial)> = Vec::new();
    let mut no_source = Vec::new();
    match &request.source {
        MaterialSource::RequestDir(dir) => return write_requests(dir, &links),
        MaterialSource::Online(timeout) => {
            for link in &links {
                match fetch(link, *timeout)? {
                    Some(piece) => found.push(piece),
                    None => no_source.push(link.subject()),
                }
            }
        }
        MaterialSource::Attach(files) => {
            for (file, bytes) in *files {
                let piece = links
                    .iter()
                    .find_map(|link| stored_as(link, bytes).ok())
                    .ok_or_else(|| LtvError::Attach {
                        file: file.clone(),
                        reason: attach_refusal(bytes, &links),
                    })?;
                found.push(piece);
            }
        }
    }
    // One file per name: the same CRL fetched for two certificates of one
    // CA, or material the bundle already holds, is stored once.
    let mut names = BTreeSet::new();
    found.retain(|(file, _)| bundle.find(&file.name).is_none() && names.insert(file.name.clone()));
    let files: Vec<NewFile> = found.iter().map(|(file, _)| file.clone()).collect();
    if !files.is_empty() {
        bundle.append(&lock, &files, request.time)?;
    }
    Ok(LtvOutcome::Added {
        added: found.into_iter().map(|(_, added)| added).collect(),
        no_source,
    })
}

/// Why an attached file speaks of no certificate the bundle relies on.
fn attach_refusal(bytes: &[u8], links: &[Link]) -> String {
    if bytes.len() as u64 > MAX_VALIDATION_BYTES {
        return format!("larger than {MAX_VALIDATION_BYTES} bytes: not validation material");
    }
    match revocation::read_material(bytes) {
        Err(e) => format!("not a DER CRL or OCSP response: {e}"),
        Ok(kind) if links.is_empty() => format!(
            "a {}, but the bundle relies on no certificate chain (are --tsa-ca / --ca given?)",
            kind.name()
        ),
        Ok(kind) => format!(
            "a {} that speaks of no certificate the bundle relies on, or is not signed by its issuer",
            kind.name()
        ),
    }
}

/// Air-gapped: one OCSP request per certificate that names a responder
/// (`ocsp-<cert-id>.req`), and `sources.txt`: for each, where to send it,
/// and every CRL address to download. The answers come back with
/// `--attach`.
fn write_requests(dir: &Path, links: &[Link]) -> Result<LtvOutcome, LtvError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| LtvError::Io { path, error }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut written = Vec::new();
    let mut sources = String::new();
    let mut crls = BTreeSet::new();
    for link in links {
        let subject = link.subject();
        if let Some(url) = revocation::ocsp_urls(&link.cert).into_iter().next() {
            let request = revocation::ocsp_request(&link.cert, &link.issuer).map_err(|reason| {
                LtvError::Fetch {
                    url: url.clone(),
                    subject: subject.clone(),
                    reason,
                }
            })?;
            let file = dir.join(format!("ocsp-{}.req", cert_id(&link.cert)));
            write_atomically(&file, &request, 0o644, Overwrite::Allow).map_err(io(&file))?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
            let line = format!(
                "POST {url} {} (OCSP request for {subject})",
                name.unwrap_or_default()
            );
            sources.push_str(&line);
            sources.push('\n');
            written.push((file, line));
        }
        for url in revocation::crl_urls(&link.cert) {
            if crls.insert(url.clone()) {
                sources.push_str(&format!("GET {url} (CRL of {})\n", link.issuer.subject()));
            }
        }
    }
    let list = dir.join("sources.txt");
    write_atomically(&list, sources.as_bytes(), 0o644, Overwrite::Allow).map_err(io(&list))?;
    written.push((
        list,
        "what to fetch where; attach the answers with --attach".to_string(),
    ));
    Ok(LtvOutcome::RequestsWritten(written))
}
