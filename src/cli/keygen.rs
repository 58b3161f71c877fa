//! `exhibit keygen` (a new Ed25519 key pair) and `exhibit key id` (the key
//! id of a `.key` or `.pub` file).

use std::io::{IsTerminal, Write};
use std::path::Path;

use exhibit::keys::{self, Identity, KeyError, KeyFiles, SecretKey};

use super::output::{error_line, sanitize};
use super::passphrase::{self, NewKeyPassphrase};
use super::{Context, KeyIdArgs, KeygenArgs, Status};

pub fn run_keygen(ctx: &Context, args: &KeygenArgs) -> anyhow::Result<Status> {
    let key_path = args.output.as_path();
    if key_path.extension().is_some_and(|ext| ext == "pub") {
        anyhow::bail!(
            "{}: a secret key must not be named .pub; use NAME.key (the public key goes to NAME.pub)",
            show(key_path)
        );
    }
    let files = KeyFiles::for_key(key_path);
    if !args.force {
        if let Some(existing) = files.existing().first() {
            return Err(exists(existing));
        }
    }

    let passphrase = passphrase::for_new_key(&args.passphrase, args.no_passphrase, key_path)?;
    let identity = Identity {
        name: non_empty(&args.name),
        organization: non_empty(&args.org),
    };
    let secret = SecretKey::generate();
    let encrypt_with = match &passphrase {
        NewKeyPassphrase::Encrypt(value) => Some(value.as_bytes()),
        NewKeyPassphrase::PlainByChoice | NewKeyPassphrase::PlainNoSource => None,
    };
    let written = match keys::save_key_pair(key_path, &secret, encrypt_with, &identity, args.force)
    {
        Ok(written) => written,
        Err(KeyError::AlreadyExists { path }) => return Err(exists(&path)),
        Err(err) => return Err(err.into()),
    };

    if let NewKeyPassphrase::PlainNoSource = passphrase {
        error_line(&format!(
            "warning: {} is not encrypted (no passphrase given and no terminal to ask); \
             protect it, or encrypt it next time with --passphrase-file FILE or EXHIBIT_PASSPHRASE",
            show(&written.secret)
        ));
    }
    if !ctx.quiet {
        let how = if encrypt_with.is_some() {
            "encrypted"
        } else {
            "not encrypted"
        };
        error_line(&format!(
            "wrote {} (secret key, {how}, readable by you only)",
            show(&written.secret)
        ));
        error_line(&format!(
            "wrote {} (public key: give it to whoever verifies your seals)",
            show(&written.public)
        ));
        if written.identity.exists() {
            error_line(&format!(
                "wrote {} (the name and organization you claim)",
                show(&written.identity)
            ));
        }
    }
    // A person reads "key id: …"; a script reading a pipe gets the id alone.
    let id = secret.public_key().key_id();
    let mut stdout = std::io::stdout().lock();
    if stdout.is_terminal() {
        writeln!(stdout, "key id: {id}")?;
    } else {
        writeln!(stdout, "{id}")?;
    }
    stdout.flush()?;
    Ok(Status::Success)
}

pub fn run_key_id(_ctx: &Context, args: &KeyIdArgs) -> anyhow::Result<Status> {
    let ask = passphrase::for_existing_key(&args.passphrase, &args.file);
    let public = keys::load_any_public(&args.file, &ask)?;
    let id = public.key_id();
    let text = if args.short {
        id.short()
    } else {
        id.to_string()
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}")?;
    stdout.flush()?;
    Ok(Status::Success)
}

fn exists(path: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "{} exists; use --force to overwrite it (and the key pair's other files)",
        show(path)
    )
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

fn show(path: &Path) -> String {
    sanitize(&path.display().to_string())
}
