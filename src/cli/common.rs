//! Pieces several commands share: the time to write, signing keys, trust
//! keys, opening bundles, what a person sees while an operation runs, and
//! removing partial output on interrupt.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};

use exhibit::format::document::Party;
use exhibit::keys::{self, Identity, PublicKey, SecretKey, Signer};
use exhibit::limits::MAX_CA_FILE_BYTES;
use exhibit::ops::Observer;
use exhibit::store::Bundle;
use exhibit::time::UtcTime;
use exhibit::trust::{TrustPolicy, TrustSet};
use exhibit::tsp::{
    self,
    http::{Authority, HttpAuthority},
};

use super::output::{byte_progress, error_line, sanitize};
use super::passphrase;
use super::{Context, KeyArgs, PassphraseArgs, TimeArgs, TrustArgs, TsaArgs};

/// `--time`, else `SOURCE_DATE_EPOCH`, else the clock.
pub fn resolve_time(args: &TimeArgs) -> anyhow::Result<UtcTime> {
    if let Some(text) = &args.time {
        return UtcTime::parse_rfc3339(text).context("--time");
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let seconds: i64 = epoch
            .trim()
            .parse()
            .with_context(|| format!("SOURCE_DATE_EPOCH={epoch:?} is not a number of seconds"))?;
        return UtcTime::from_unix_seconds(seconds).context("SOURCE_DATE_EPOCH");
    }
    Ok(UtcTime::now())
}

/// What signs for a command: an Ed25519 key with the identity kept beside
/// it, or a certificate (which names its holder itself). One value per
/// run: its size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Loaded {
    Key(SecretKey, Identity),
    Cert(exhibit::tsp::CertSigner),
}

impl Loaded {
    /// Opens `--key` (asking for its passphrase only if it is encrypted)
    /// or `--cert` (with `--cert-chain`).
    pub fn open(args: &KeyArgs) -> anyhow::Result<Loaded> {
        if let Some(uri) = &args.pkcs11 {
            let module = args
                .pkcs11_module
                .clone()
                .or_else(|| std::env::var_os("EXHIBIT_PKCS11_MODULE").map(PathBuf::from));
            let Some(module) = module else {
                anyhow::bail!(
                    "--pkcs11 needs the token's module: --pkcs11-module PATH or EXHIBIT_PKCS11_MODULE"
                );
            };
            let mut chain = Vec::new();
            for file in &args.cert_chain {
                chain.extend(tsa_roots(file)?);
            }
            let signer = keys::open_token_signer(&module, uri, &passphrase::token_pin, chain)?;
            return Ok(Loaded::Cert(signer));
        }
        if args.key.is_some() && !args.cert_chain.is_empty() {
            anyhow::bail!("--cert-chain goes with --cert or --pkcs11, not with --key");
        }
        Loaded::open_if_given(
            args.key.as_deref(),
            args.cert.as_deref(),
            &args.cert_chain,
            &args.passphrase,
        )?
        .ok_or_else(|| anyhow::anyhow!("--key KEY or --cert FILE.p12 is needed"))
    }

    /// [`Loaded::open`] where signing is optional: None when neither is given.
    pub fn open_if_given(
        key: Option<&Path>,
        cert: Option<&Path>,
        chain: &[PathBuf],
        passphrase: &PassphraseArgs,
    ) -> anyhow::Result<Option<Loaded>> {
        Ok(match (key, cert) {
            (Some(path), _) => {
                let (key, identity) = load_signing_key_at(path, passphrase)?;
                Some(Loaded::Key(key, identity))
            }
            (None, Some(path)) => Some(Loaded::Cert(load_cert_signer(path, chain, passphrase)?)),
            (None, None) => None,
        })
    }

    pub fn signer(&self) -> Signer<'_> {
        match self {
            Loaded::Key(key, _) => Signer::Key(key),
            Loaded::Cert(cert) => Signer::Cert(cert),
        }
    }

    /// The claimed identity kept beside a key; a certificate's is in it.
    pub fn identity(&self) -> Identity {
        match self {
            Loaded::Key(_, identity) => identity.clone(),
            Loaded::Cert(cert) => {
                let (name, organization) = cert.holder();
                Identity { name, organization }
            }
        }
    }

    /// "key ID" or "certificate ID (SUBJECT)", for a summary line.
    pub fn describe(&self) -> String {
        match self {
            Loaded::Key(key, _) => format!("key {}", key.public_key().key_id()),
            Loaded::Cert(cert) => {
                format!("certificate {} ({})", cert.id(), sanitize(&cert.subject()))
            }
        }
    }
}

/// The certificate and key of a PKCS#12 file (`--cert`), with more
/// intermediates (`--cert-chain`). An unprotected file opens without a
/// prompt; otherwise the passphrase comes as a key's does.
pub fn load_cert_signer(
    path: &Path,
    chain: &[PathBuf],
    passphrase_args: &PassphraseArgs,
) -> anyhow::Result<exhibit::tsp::CertSigner> {
    let signer = match keys::load_cert_signer(path, "") {
        Err(keys::KeyError::WrongPassphrase { .. }) => {
            let ask = passphrase::for_existing_key(passphrase_args, path);
            keys::load_cert_signer(path, &ask()?)?
        }
        other => other?,
    };
    let mut more = Vec::new();
    for file in chain {
        more.extend(tsa_roots(file)?);
    }
    Ok(signer.with_chain(more))
}

/// [`load_signing_key`] for a command whose key is optional.
pub fn load_signing_key_at(
    path: &Path,
    passphrase_args: &PassphraseArgs,
) -> anyhow::Result<(SecretKey, Identity)> {
    let ask = passphrase::for_existing_key(passphrase_args, path);
    // A person at a terminal may mistype: ask again, a few times.
    let attempts = if passphrase::is_prompted(passphrase_args) {
        passphrase::ATTEMPTS
    } else {
        1
    };
    let mut attempt = 1;
    let key = loop {
        match SecretKey::load(path, &ask) {
            Err(keys::KeyError::WrongPassphrase { .. }) if attempt < attempts => {
                error_line("wrong passphrase; try again");
                attempt += 1;
            }
            other => break other?,
        }
    };
    let identity = keys::load_identity_for(path, &key.public_key().key_id())?;
    Ok((key, identity))
}

/// The claimed party: explicit flags win over the identity kept with the key.
pub fn party(identity: &Identity, name: Option<&String>, organization: Option<&String>) -> Party {
    Party {
        name: name.cloned().or_else(|| identity.name.clone()),
        organization: organization
            .cloned()
            .or_else(|| identity.organization.clone()),
    }
}

/// The `--trust` keys as given: each key id and the file it came from, so
/// a verdict can say whom the user trusted.
#[derive(Debug, Default)]
pub struct TrustGiven {
    pub keys: Vec<(exhibit::keys::KeyId, PathBuf)>,
    /// A trust policy was given too.
    pub policy: bool,
    /// `--ca` roots were given.
    pub cas: bool,
}

impl TrustGiven {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && !self.policy && !self.cas
    }
}

/// Loads every `--trust` key, `--tsa-ca` certificate and `--trust-policy`;
/// an unusable file is an error (exit 2), never silently skipped.
pub fn load_trust(args: &TrustArgs) -> anyhow::Result<(TrustSet, TrustGiven)> {
    let keys: Vec<PublicKey> = args
        .trust
        .iter()
        .map(|path| PublicKey::load(path))
        .collect::<Result<_, _>>()?;
    let given = TrustGiven {
        keys: keys
            .iter()
            .map(PublicKey::key_id)
            .zip(args.trust.iter().cloned())
            .collect(),
        policy: args.trust_policy.is_some(),
        cas: !args.ca.is_empty(),
    };
    let mut trust = TrustSet::new(&keys)
        .with_tsa_roots(roots_of(&args.tsa_ca)?)
        .with_cas(roots_of(&args.ca)?)
        .judged_at(args.at);
    if let Some(path) = &args.trust_policy {
        let policy = TrustPolicy::load(path)?;
        trust = trust
            .with_tsa_roots(policy.tsa_roots.clone())
            .with_policy(policy);
    }
    Ok((trust, given))
}

/// Every certificate of some root files (`--tsa-ca`, `--ca`).
pub fn roots_of(paths: &[PathBuf]) -> anyhow::Result<Vec<tsp::Cert>> {
    let mut roots = Vec::new();
    for path in paths {
        roots.extend(tsa_roots(path)?);
    }
    Ok(roots)
}

/// The certificates of one `--tsa-ca` PEM file.
pub fn tsa_roots(path: &Path) -> anyhow::Result<Vec<tsp::Cert>> {
    let bytes =
        read_limited(path, MAX_CA_FILE_BYTES).with_context(|| path.display().to_string())?;
    tsp::certificates_from_pem(&bytes)
        .map_err(|e| anyhow::anyhow!("{}: not a PEM certificate file: {e}", path.display()))
}

/// Reads a small file whole, refusing one larger than `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        anyhow::bail!("larger than {limit} bytes");
    }
    Ok(bytes)
}

/// The TSA that `--tsa URL` names, if any.
pub fn tsa_authority(ctx: &Context, args: &TsaArgs) -> anyhow::Result<Option<WatchedTsa>> {
    args.tsa
        .as_deref()
        .map(|url| http_authority(ctx, url, args.tsa_timeout))
        .transpose()
}

pub fn http_authority(
    ctx: &Context,
    url: &str,
    timeout_seconds: u64,
) -> anyhow::Result<WatchedTsa> {
    let timeout = timeout_seconds.max(1);
    let inner = HttpAuthority::new(url, Duration::from_secs(timeout))
        .map_err(|e| anyhow::anyhow!("--tsa {e}"))?;
    Ok(WatchedTsa {
        inner,
        timeout,
        shown: !ctx.quiet && std::io::stderr().is_terminal(),
    })
}

/// A TSA that may take up to its timeout to answer: at a terminal, a
/// spinner says what is being waited for, and for how long at most.
pub struct WatchedTsa {
    inner: HttpAuthority,
    timeout: u64,
    shown: bool,
}

impl Authority for WatchedTsa {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn timeout(&self) -> Duration {
        self.inner.timeout()
    }

    fn ask(&self, query: &[u8]) -> Result<Vec<u8>, String> {
        let spinner = if self.shown {
            let spinner = ProgressBar::new_spinner();
            spinner.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            spinner.set_message(format!(
                "waiting for the TSA {} to answer (gives up after {} s)",
                sanitize(self.inner.name()),
                self.timeout
            ));
            spinner.enable_steady_tick(Duration::from_millis(100));
            spinner
        } else {
            ProgressBar::hidden()
        };
        let answer = self.inner.ask(query);
        spinner.finish_and_clear();
        answer
    }
}

/// A path argument that must exist, checked before any prompt or work.
pub fn require_exists(path: &Path) -> anyhow::Result<()> {
    std::fs::symlink_metadata(path)
        .map(drop)
        .with_context(|| path.display().to_string())
}

pub fn open_bundle(path: &Path) -> anyhow::Result<Bundle> {
    Ok(Bundle::open(path)?)
}

/// Paths removed if the process is interrupted (SIGINT, SIGTERM, SIGHUP).
static PARTIAL_OUTPUT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Outputs announced by `will_stage` whose temporary name is not yet known.
static STAGING_UNNAMED: AtomicUsize = AtomicUsize::new(0);
/// Set the moment a signal arrives: the handler is removing the partial
/// output and will end the process with the signal's exit code.
static INTERRUPTING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// When a signal is being handled, waits for the handler to end the
/// process: an operation that failed because its partial output was just
/// removed must not exit first with its own error (exit 2 for an exit 130
/// or 143). Returns at once otherwise.
pub fn wait_if_interrupted() {
    if INTERRUPTING.load(Ordering::SeqCst) {
        // The handler exits within its bounded waits; this only outlasts it.
        std::thread::sleep(std::time::Duration::from_secs(10));
    }
}

/// Starts the thread that cleans up and exits with 128 + signal number.
pub fn install_interrupt_cleanup() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            INTERRUPTING.store(true, Ordering::SeqCst);
            // Output being created is named in a moment: wait for its name
            // (bounded: a creation that failed never names one).
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
            while STAGING_UNNAMED.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < deadline
            {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            let paths = PARTIAL_OUTPUT.lock().map(|p| p.clone()).unwrap_or_default();
            for path in &paths {
                remove_partial(path);
            }
            let name = match signal {
                SIGINT => "interrupted",
                SIGTERM => "terminated",
                _ => "hung up",
            };
            if paths.is_empty() {
                eprintln!("exhibit: {name}");
            } else {
                eprintln!("exhibit: {name}; partial output removed");
            }
            std::process::exit(128 + signal);
        }
    });
}

/// Removes a partial output while worker threads may still be writing into
/// it: a file created between listing a folder and removing it makes that
/// removal fail, so try again until the path is gone (writers never
/// re-create the partial folder itself).
fn remove_partial(path: &Path) {
    for _ in 0..100 {
        let _ = std::fs::remove_dir_all(path).or_else(|_| std::fs::remove_file(path));
        if std::fs::symlink_metadata(path).is_err() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// Registers a temporary path to remove on interrupt.
pub fn remove_on_interrupt(path: &Path) {
    if let Ok(mut paths) = PARTIAL_OUTPUT.lock() {
        paths.push(path.to_path_buf());
    }
}

/// The path is final (or already gone): never remove it on interrupt.
pub fn keep_on_interrupt(path: &Path) {
    if let Ok(mut paths) = PARTIAL_OUTPUT.lock() {
        paths.retain(|p| p != path);
    }
}

/// What a person sees while an operation runs: a progress bar on stderr
/// (only on a terminal, never with `--quiet`), and temporary output that an
/// interrupt removes.
pub struct Terminal {
    quiet: bool,
    /// The language a person reads (what a disclosure reveals is said in it).
    lang: exhibit::i18n::Lang,
    bar: Mutex<Option<ProgressBar>>,
}

impl Terminal {
    pub fn new(ctx: &Context) -> Self {
        Terminal {
            quiet: ctx.quiet,
            lang: ctx.texts.lang(),
            bar: Mutex::new(None),
        }
    }

    fn with_bar(&self, f: impl FnOnce(&ProgressBar)) {
        if let Ok(bar) = self.bar.lock() {
            if let Some(bar) = bar.as_ref() {
                f(bar);
            }
        }
    }
}

impl Observer for Terminal {
    fn start(&self, what: &str, total: u64) {
        if let Ok(mut bar) = self.bar.lock() {
            *bar = Some(byte_progress(self.quiet, total, what));
        }
    }

    fn advance(&self, bytes: u64) {
        self.with_bar(|bar| bar.inc(bytes));
    }

    fn finish(&self) {
        if let Ok(mut bar) = self.bar.lock() {
            if let Some(bar) = bar.take() {
                bar.finish_and_clear();
            }
        }
    }

    fn will_stage(&self) {
        STAGING_UNNAMED.fetch_add(1, Ordering::SeqCst);
    }

    fn staging(&self, temp: &Path) {
        remove_on_interrupt(temp);
        // Saturating: `staging` without `will_stage` leaves the count alone.
        let _ =
            STAGING_UNNAMED.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
    }

    fn staged(&self, temp: &Path) {
        keep_on_interrupt(temp);
    }

    fn waiting_for_lock(&self) {
        error_line("waiting for another exhibit process to finish with this bundle");
    }

    fn material_not_fetched(&self, why: &str) {
        error_line(&format!(
            "warning: validation material not fetched: {why}; add it later with: exhibit ltv BUNDLE"
        ));
    }

    fn will_reveal(&self, revealed: &exhibit::ops::disclose::Revealed) {
        if !self.quiet {
            let texts = exhibit::i18n::Texts::new(self.lang);
            println!("{}", super::disclose::what_is_revealed(&texts, revealed));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Crash-safety tests (feature `crash-points` only): with
/// `EXHIBIT_TEST_CRASH_AFTER_BYTES=N`, the process dies as if killed once an
/// append, or a shard of a plan, has written N bytes.
#[cfg(feature = "crash-points")]
pub fn arm_crash_points() {
    let budget = std::env::var("EXHIBIT_TEST_CRASH_AFTER_BYTES")
        .ok()
        .and_then(|v| v.parse().ok());
    if let Some(bytes) = budget {
        exhibit::store::crash_points::arm(bytes, || std::process::abort());
    }
}
