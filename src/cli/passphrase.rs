//! Passphrase sources for encrypted secret keys, in this order:
//! `--passphrase-file FILE` (its first line), the `EXHIBIT_PASSPHRASE`
//! environment variable, then a prompt when stdin is a terminal.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use exhibit::keys::KeyError;

use super::PassphraseArgs;

/// The environment variable holding a passphrase.
pub const PASSPHRASE_ENV: &str = "EXHIBIT_PASSPHRASE";

/// How to give a passphrase when none could be found.
const HOW_TO_GIVE: &str =
    "give it with --passphrase-file FILE or the EXHIBIT_PASSPHRASE environment variable, or run in a terminal to be asked";

/// Where a passphrase comes from, decided from the flags and environment.
enum Source {
    File(PathBuf),
    Env(Zeroizing<String>),
    Prompt,
    Unavailable,
}

/// Where the passphrase comes from; `Err` explains why a source that was
/// set cannot be used.
fn source(args: &PassphraseArgs) -> Result<Source, String> {
    if let Some(file) = &args.passphrase_file {
        return Ok(Source::File(file.clone()));
    }
    match std::env::var(PASSPHRASE_ENV) {
        Ok(value) => return Ok(Source::Env(Zeroizing::new(value))),
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(format!("{PASSPHRASE_ENV} is not valid UTF-8"))
        }
        Err(std::env::VarError::NotPresent) => {}
    }
    if std::io::stdin().is_terminal() {
        Ok(Source::Prompt)
    } else {
        Ok(Source::Unavailable)
    }
}

/// How many times a person at a terminal may type a passphrase again.
pub const ATTEMPTS: usize = 3;

/// Whether the passphrase is typed at a terminal (so a mistake can be
/// corrected by typing it again).
pub fn is_prompted(args: &PassphraseArgs) -> bool {
    matches!(source(args), Ok(Source::Prompt))
}

/// The first line of a passphrase file, without its line end (what
/// `openssl -passin file:FILE` reads too).
fn read_passphrase_file(path: &Path) -> Result<Zeroizing<String>, KeyError> {
    let unreadable = |cause| KeyError::Io {
        path: path.to_path_buf(),
        action: "cannot read passphrase file",
        cause,
    };
    let bytes = Zeroizing::new(std::fs::read(path).map_err(unreadable)?);
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        unreadable(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not UTF-8 text",
        ))
    })?;
    let line = text.split('\n').next().unwrap_or("");
    let line = line.strip_suffix('\r').unwrap_or(line);
    Ok(Zeroizing::new(line.to_string()))
}

fn prompt(text: &str) -> Result<Zeroizing<String>, KeyError> {
    rpassword::prompt_password(text)
        .map(Zeroizing::new)
        .map_err(|cause| KeyError::Io {
            path: PathBuf::from("the terminal"),
            action: "cannot read a passphrase from",
            cause,
        })
}

/// The PIN of a PKCS#11 token: `EXHIBIT_PKCS11_PIN`, else asked at the
/// terminal (never echoed); with neither, an error naming the token.
pub fn token_pin(token: &str) -> Result<Zeroizing<String>, KeyError> {
    if let Some(pin) = std::env::var_os("EXHIBIT_PKCS11_PIN") {
        return pin
            .into_string()
            .map(Zeroizing::new)
            .map_err(|_| KeyError::Pkcs11 {
                what: "EXHIBIT_PKCS11_PIN".into(),
                detail: "not UTF-8".into(),
            });
    }
    if !std::io::stdin().is_terminal() {
        return Err(KeyError::Pkcs11 {
            what: format!("token {token:?}"),
            detail: "no PIN: set EXHIBIT_PKCS11_PIN, or run at a terminal to be asked".into(),
        });
    }
    prompt(&format!("PIN for token {token}: "))
}

/// A passphrase callback for opening `key_path`; it is only called when the
/// key is encrypted, so a plain key never prompts.
pub fn for_existing_key<'a>(
    args: &'a PassphraseArgs,
    key_path: &'a Path,
) -> impl Fn() -> Result<Zeroizing<String>, KeyError> + 'a {
    move || {
        let unavailable = |reason: String| KeyError::PassphraseUnavailable {
            path: key_path.to_path_buf(),
            reason,
        };
        match source(args).map_err(unavailable)? {
            Source::File(file) => read_passphrase_file(&file),
            Source::Env(value) => Ok(value),
            Source::Prompt => prompt(&format!("Passphrase for {}: ", key_path.display())),
            Source::Unavailable => Err(unavailable(HOW_TO_GIVE.to_string())),
        }
    }
}

/// The passphrase chosen for a new key.
pub enum NewKeyPassphrase {
    /// Encrypt with this passphrase.
    Encrypt(Zeroizing<String>),
    /// Write the key unencrypted because the user asked for it
    /// (`--no-passphrase`, or an empty answer at the prompt).
    PlainByChoice,
    /// Write the key unencrypted because no passphrase source exists; the
    /// caller warns.
    PlainNoSource,
}

/// Finds the passphrase for a new key; at a terminal it asks twice.
pub fn for_new_key(
    args: &PassphraseArgs,
    no_passphrase: bool,
    key_path: &Path,
) -> anyhow::Result<NewKeyPassphrase> {
    if no_passphrase {
        return Ok(NewKeyPassphrase::PlainByChoice);
    }
    let given = match source(args).map_err(anyhow::Error::msg)? {
        Source::File(file) => {
            let value = read_passphrase_file(&file)?;
            if value.is_empty() {
                anyhow::bail!(
                    "the passphrase file {} is empty (use --no-passphrase for an unencrypted key)",
                    file.display()
                );
            }
            value
        }
        Source::Env(value) => {
            if value.is_empty() {
                anyhow::bail!(
                    "{PASSPHRASE_ENV} is set but empty (unset it, or use --no-passphrase for an unencrypted key)"
                );
            }
            // Taken from the environment without asking: say so, or a
            // forgotten variable would encrypt a key nobody knows it for.
            super::output::error_line(&format!(
                "the new key is encrypted with the passphrase in {PASSPHRASE_ENV}"
            ));
            value
        }
        Source::Prompt => {
            let first = prompt(&format!(
                "New passphrase for {} (empty for none): ",
                key_path.display()
            ))?;
            if first.is_empty() {
                return Ok(NewKeyPassphrase::PlainByChoice);
            }
            let mut first = first;
            let mut attempt = 1;
            loop {
                let second = prompt("Repeat the passphrase: ")?;
                if *first == *second {
                    break first;
                }
                if attempt == ATTEMPTS {
                    anyhow::bail!(
                        "the two passphrases did not match {ATTEMPTS} times; nothing was written"
                    );
                }
                attempt += 1;
                super::output::error_line("the two passphrases do not match; try again");
                first = prompt(&format!("New passphrase for {}: ", key_path.display()))?;
            }
        }
        Source::Unavailable => return Ok(NewKeyPassphrase::PlainNoSource),
    };
    Ok(NewKeyPassphrase::Encrypt(given))
}
