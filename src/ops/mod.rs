//! One operation per file. Each takes checked inputs, does its work over
//! `store`, `format` and `keys`, and returns a result as data (a report or
//! a typed error); none prints, prompts or exits. What a person should see
//! while it runs goes through an [`Observer`].

use std::io::{self, Write as _};
use std::path::Path;

use sha2::{Digest as _, Sha256};

use crate::digest::Sha256Digest;

use crate::problem::Problem;

#[cfg(feature = "native")]
pub mod audit;
pub mod custody;
pub mod disclose;
pub mod export;
pub mod extract;
pub mod hash;
pub mod inspect;
pub mod ltv;
pub mod plan;
pub mod planned;
pub mod recover;
pub mod renew;
pub mod seal;
pub mod sign;
pub mod sources;
pub mod timestamp;
pub mod verify;

/// What an operation tells its caller while it runs (rage's `Callbacks`):
/// progress, temporary output to remove on interrupt, waiting for a lock.
/// Every method has a no-op default.
pub trait Observer: Sync {
    /// The operation will read about `total` bytes; `what` names the phase.
    fn start(&self, _what: &str, _total: u64) {}
    /// `bytes` more were read.
    fn advance(&self, _bytes: u64) {}
    /// The phase is over.
    fn finish(&self) {}
    /// Output is about to be created under a temporary name: until
    /// [`Observer::staging`] names it, an interrupt must wait for the name
    /// rather than miss a file it cannot see yet.
    fn will_stage(&self) {}
    /// Output is being written at `temp` until it is renamed into place;
    /// remove it if the process is interrupted.
    fn staging(&self, _temp: &Path) {}
    /// `temp` is final now, or gone: do not remove it.
    fn staged(&self, _temp: &Path) {}
    /// Another process holds the bundle's append lock; waiting for it.
    fn waiting_for_lock(&self) {}
    /// `disclose` has checked everything and is about to write: what the
    /// disclosure bundle will reveal, for the person to know before it exists.
    fn will_reveal(&self, _revealed: &disclose::Revealed) {}
    /// Validation material for a new token could not be fetched (why, in
    /// one line); the token stands without it.
    fn material_not_fetched(&self, _why: &str) {}
}

/// A bundle to add small files to (tokens, validation material, the
/// evidence record): its append lock taken, opened again under it, and
/// checked, all but the payload bytes. A bundle that does not verify gets
/// nothing added: `does_not_verify` names that refusal in the caller's terms.
pub(crate) fn lock_checked<E: From<crate::store::OpenError> + From<crate::store::StoreError>>(
    path: &Path,
    observer: &dyn Observer,
    does_not_verify: impl FnOnce(Vec<Problem>) -> E,
) -> Result<(crate::store::AppendLock, crate::store::Bundle), E> {
    use crate::store::Bundle;
    // Open first: no lock file beside something that is not a bundle.
    Bundle::open(path)?;
    let lock = Bundle::lock(path, &|| observer.waiting_for_lock())?;
    let bundle = Bundle::open(path)?;
    let checked = verify::verify_without_payload(&bundle, &crate::trust::TrustSet::default());
    if !checked.problems.is_empty() {
        return Err(does_not_verify(checked.problems));
    }
    Ok((lock, bundle))
}

/// An observer that shows nothing.
pub struct Silent;

impl Observer for Silent {}

/// What an operation's refusal is: a verdict about the evidence (the
/// bundle, a file, a hand-over does not check out: exit 1), or input that
/// cannot be used at all (exit 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Verdict,
    Unusable,
}

/// Every operation error says which kind of refusal it is, in one place
/// per operation, and carries the problems a verdict rests on.
pub trait OpError: std::error::Error + Send + Sync + 'static {
    fn refusal(&self) -> Refusal;

    /// The problems found (a bundle that does not verify), listed before
    /// the error itself.
    fn problems(&self) -> &[Problem] {
        &[]
    }
}

/// [`OpError`] for an operation whose one verdict is that the bundle does
/// not verify (a `DoesNotVerify { problems, .. }` variant); every other
/// refusal is input that cannot be used.
macro_rules! refused_unless_verified {
    ($error:ident) => {
        impl crate::ops::OpError for $error {
            fn refusal(&self) -> crate::ops::Refusal {
                match self {
                    $error::DoesNotVerify { .. } => crate::ops::Refusal::Verdict,
                    _ => crate::ops::Refusal::Unusable,
                }
            }

            fn problems(&self) -> &[Problem] {
                match self {
                    $error::DoesNotVerify { problems, .. } => problems,
                    _ => &[],
                }
            }
        }
    };
}
pub(crate) use refused_unless_verified;

/// Writes a working file shared with other machines' jobs (a plan, a part)
/// under a temporary name beside `target` through `fill` (given a buffered
/// writer and a SHA-256 of what it writes, to finish as it likes), syncs it
/// and renames it into place (over `target` when `replace`): it is complete
/// or absent. Returns the SHA-256 of the file's bytes as `fill` left the
/// hasher. An error from `fill` comes back as it was.
pub(crate) fn write_working_file(
    target: &Path,
    replace: bool,
    observer: &dyn Observer,
    fill: impl FnOnce(&mut io::BufWriter<&std::fs::File>, &mut Sha256) -> io::Result<()>,
) -> io::Result<Sha256Digest> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".exhibit-").suffix(".tmp");
    // Read by jobs of other users on other machines; nothing secret in it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    observer.will_stage();
    let temp = builder.tempfile_in(crate::fsx::parent_or_dot(target))?;
    // An interrupt removes the temporary file (the observer knows it).
    let temp_path = temp.path().to_path_buf();
    observer.staging(&temp_path);
    let written = (|| {
        let mut hasher = Sha256::new();
        {
            let mut out = io::BufWriter::with_capacity(1 << 20, temp.as_file());
            fill(&mut out, &mut hasher)?;
            out.flush()?;
        }
        temp.as_file().sync_all()?;
        let persisted = if replace {
            temp.persist(target).map(drop)
        } else {
            temp.persist_noclobber(target).map(drop)
        };
        persisted.map_err(|e| e.error)?;
        crate::fsx::sync_dir(crate::fsx::parent_or_dot(target));
        Ok(Sha256Digest(hasher.finalize().into()))
    })();
    observer.staged(&temp_path);
    written
}
