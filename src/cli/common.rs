//! Pieces several commands share: the time to write, signing keys, trust
//! keys, opening bundles, what a person sees while an operation runs, and
//! removing partial output on interrupt.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context as _;
use indicatif::ProgressBar;

use exhibit::format::document::Party;
use exhibit::keys::{self, Identity, PublicKey, SecretKey};
use exhibit::ops::Observer;
use exhibit::store::Bundle;
use exhibit::time::UtcTime;
use exhibit::trust::TrustSet;

use super::output::{byte_progress, error_line};
use super::passphrase;
use super::{Context, KeyArgs, PassphraseArgs, TrustArgs};

/// `--time`, else `SOURCE_DATE_EPOCH`, else the clock.
pub fn resolve_time(ctx: &Context) -> anyhow::Result<UtcTime> {
    if let Some(text) = &ctx.time {
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

/// Opens `--key` (asking for its passphrase only if it is encrypted) and
/// the claimed identity kept beside it.
pub fn load_signing_key(args: &KeyArgs) -> anyhow::Result<(SecretKey, Identity)> {
    load_signing_key_at(&args.key, &args.passphrase)
}

/// [`load_signing_key`] for a command whose key is optional.
pub fn load_signing_key_at(
    path: &Path,
    passphrase: &PassphraseArgs,
) -> anyhow::Result<(SecretKey, Identity)> {
    let ask = passphrase::for_existing_key(passphrase, path);
    let key = SecretKey::load(path, &ask)?;
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

/// Loads every `--trust` key; an unusable key file is an error (exit 2),
/// never silently skipped.
pub fn load_trust(args: &TrustArgs) -> anyhow::Result<TrustSet> {
    let keys: Vec<PublicKey> = args
        .trust
        .iter()
        .map(|path| PublicKey::load(path))
        .collect::<Result<_, _>>()?;
    Ok(TrustSet::new(&keys))
}

pub fn open_bundle(path: &Path) -> anyhow::Result<Bundle> {
    Ok(Bundle::open(path)?)
}

/// Paths removed if the process is interrupted (SIGINT, SIGTERM, SIGHUP).
static PARTIAL_OUTPUT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Starts the thread that cleans up and exits with 128 + signal number.
pub fn install_interrupt_cleanup() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let paths = PARTIAL_OUTPUT.lock().map(|p| p.clone()).unwrap_or_default();
            for path in &paths {
                let _ = std::fs::remove_dir_all(path).or_else(|_| std::fs::remove_file(path));
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
    bar: Mutex<Option<ProgressBar>>,
}

impl Terminal {
    pub fn new(ctx: &Context) -> Self {
        Terminal {
            quiet: ctx.quiet,
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

    fn staging(&self, temp: &Path) {
        remove_on_interrupt(temp);
    }

    fn staged(&self, temp: &Path) {
        keep_on_interrupt(temp);
    }

    fn waiting_for_lock(&self) {
        error_line("waiting for another exhibit process to finish with this bundle");
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Crash-safety tests (feature `crash-points` only): with
/// `EXHIBIT_TEST_CRASH_AFTER_BYTES=N`, the process dies as if killed once an
/// append has written N bytes.
#[cfg(feature = "crash-points")]
pub fn arm_crash_points() {
    let budget = std::env::var("EXHIBIT_TEST_CRASH_AFTER_BYTES")
        .ok()
        .and_then(|v| v.parse().ok());
    if let Some(bytes) = budget {
        exhibit::store::crash_points::arm(bytes, || std::process::abort());
    }
}
