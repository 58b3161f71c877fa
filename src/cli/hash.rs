//! `exhibit hash`: SHA-256 and BLAKE3 of files and trees, printed in
//! `sha256sum`, `b3sum`, JSON, hashdeep or DFXML form, sorted by path.

use std::ffi::OsStr;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::sync::OnceLock;

use anyhow::Context as _;
use indicatif::ProgressBar;

use exhibit::digest::FileDigest;
use exhibit::ops::hash::{hash_files, list, HashRequest};
use exhibit::ops::sources::{Naming, Skipped};
use exhibit::ops::Observer;
use exhibit::report::hashdeep::{hashdeep_header, hashdeep_line, DfxmlWriter, Unrepresentable};

use super::output::{byte_progress, error_line, sanitize};
use super::{Context, HashArgs, HashFormat, Status};

pub fn run(ctx: &Context, args: &HashArgs) -> anyhow::Result<Status> {
    if let Some(plan) = &args.plan {
        return super::plan::run_hash_shard(ctx, args, plan);
    }
    let request = HashRequest {
        paths: &args.paths,
        // hashdeep names files by their absolute, resolved path (its `-r`
        // without `-l`); its audit only matches a name written the same way.
        naming: match args.format {
            HashFormat::Hashdeep => Naming::Resolved,
            _ => Naming::AsGiven,
        },
        progress: !ctx.quiet && io::stderr().is_terminal(),
    };
    let files = list(&request, report_skipped);

    let progress = Progress {
        quiet: ctx.quiet,
        bar: OnceLock::new(),
    };
    let stdout = io::stdout();
    let out = io::BufWriter::with_capacity(64 << 10, stdout.lock());
    let mut sink = Sink::start(out, args.format)?;
    let mut unrepresentable = false;
    let summary = hash_files(&request, &files, &progress, |path, result| {
        let why = match result {
            Ok(digest) => match sink.write(path, &digest)? {
                Ok(()) => return Ok(()),
                Err(why) => {
                    unrepresentable = true;
                    why.to_string()
                }
            },
            Err(err) => err.to_string(),
        };
        progress.suspend(|| error_line(&format!("{}: {why}", sanitize(&path.to_string_lossy()))));
        Ok::<_, io::Error>(())
    })?;
    sink.finish()?.flush().context("writing results")?;
    progress.clear();
    Ok(
        if summary.unlisted > 0 || summary.unreadable > 0 || unrepresentable {
            Status::Unusable
        } else {
            Status::Success
        },
    )
}

/// One line on stderr for each path not hashed.
fn report_skipped(skipped: Skipped) {
    match skipped {
        Skipped::Unlisted(err) => error_line(&sanitize(&err.to_string())),
        Skipped::Symlink { path, target } => error_line(&format!(
            "{}: symbolic link to {} not followed",
            sanitize(&path.to_string_lossy()),
            sanitize(&target.to_string_lossy())
        )),
        Skipped::Special { path, what } => error_line(&format!(
            "{}: {what} not read",
            sanitize(&path.to_string_lossy())
        )),
    }
}

/// The progress bar of `hash` (hidden with `--quiet` or off a terminal).
/// It stays up until the results are written out ([`Progress::clear`]),
/// and lines about files that could not be hashed print above it.
struct Progress {
    quiet: bool,
    bar: OnceLock<ProgressBar>,
}

impl Progress {
    fn suspend(&self, f: impl FnOnce()) {
        match self.bar.get() {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn clear(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

impl Observer for Progress {
    fn start(&self, what: &str, total: u64) {
        let _ = self.bar.set(byte_progress(self.quiet, total, what));
    }

    fn advance(&self, bytes: u64) {
        if let Some(bar) = self.bar.get() {
            bar.inc(bytes);
        }
    }
}

/// Where results go, in the chosen format: one record per file, written
/// as soon as it is hashed (in path order), with the format's header and
/// trailer around them.
enum Sink<W: Write> {
    Lines(W, HashFormat),
    Json { out: W, first: bool },
    Hashdeep(W),
    Dfxml(DfxmlWriter<W>),
}

impl<W: Write> Sink<W> {
    fn start(mut out: W, format: HashFormat) -> io::Result<Self> {
        Ok(match format {
            HashFormat::Sha256sum | HashFormat::B3sum => Sink::Lines(out, format),
            HashFormat::Json => {
                out.write_all(b"[")?;
                Sink::Json { out, first: true }
            }
            HashFormat::Hashdeep => {
                hashdeep_header(&mut out, &command_line())?;
                Sink::Hashdeep(out)
            }
            HashFormat::Dfxml => Sink::Dfxml(DfxmlWriter::start(out, &command_line())?),
        })
    }

    /// One file; `Ok(Err(_))` when the format cannot hold its name.
    fn write(
        &mut self,
        path: &Path,
        digest: &FileDigest,
    ) -> io::Result<Result<(), Unrepresentable>> {
        let name = path.as_os_str();
        match self {
            Sink::Lines(out, HashFormat::B3sum) => {
                write_checksum_line(out, &digest.blake3.to_hex(), name)?
            }
            Sink::Lines(out, _) => write_checksum_line(out, &digest.sha256.to_hex(), name)?,
            Sink::Json { out, first } => {
                let Some(path) = path.to_str() else {
                    return Ok(Err(Unrepresentable::NotUtf8));
                };
                let record = serde_json::json!({
                    "path": path,
                    "size": digest.size,
                    "sha256": digest.sha256,
                    "blake3": digest.blake3,
                });
                out.write_all(if *first { b"\n  " } else { b",\n  " })?;
                *first = false;
                serde_json::to_writer(&mut *out, &record)?;
            }
            Sink::Hashdeep(out) => {
                return hashdeep_line(
                    out,
                    digest.size,
                    &digest.sha256.to_hex(),
                    name.as_encoded_bytes(),
                )
            }
            Sink::Dfxml(xml) => {
                return xml.file(
                    name.as_encoded_bytes(),
                    digest.size,
                    &digest.sha256.to_hex(),
                )
            }
        }
        Ok(Ok(()))
    }

    fn finish(self) -> io::Result<W> {
        match self {
            Sink::Lines(out, _) | Sink::Hashdeep(out) => Ok(out),
            Sink::Json { mut out, first } => {
                out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
                Ok(out)
            }
            Sink::Dfxml(xml) => xml.finish(),
        }
    }
}

/// The command as invoked, for the comment a hashdeep file and a DFXML
/// `creator` carry.
fn command_line() -> String {
    let mut args = std::env::args_os();
    args.next();
    std::iter::once("exhibit".to_string())
        .chain(args.map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One `<hex>  <name>` line exactly as `sha256sum` and `b3sum` print it, so
/// their `-c` reads it back: a name with a backslash, newline or carriage
/// return has them escaped (`\\`, `\n`, `\r`) and the line starts with a
/// backslash. Both GNU coreutils (9.x) and b3sum (1.x) escape this same set.
pub fn write_checksum_line(out: &mut impl Write, hex: &str, name: &OsStr) -> io::Result<()> {
    let bytes = name.as_encoded_bytes();
    let special = |b: &u8| matches!(b, b'\\' | b'\n' | b'\r');
    if !bytes.iter().any(special) {
        out.write_all(hex.as_bytes())?;
        out.write_all(b"  ")?;
        out.write_all(bytes)?;
        return out.write_all(b"\n");
    }
    out.write_all(b"\\")?;
    out.write_all(hex.as_bytes())?;
    out.write_all(b"  ")?;
    for &b in bytes {
        match b {
            b'\\' => out.write_all(b"\\\\")?,
            b'\n' => out.write_all(b"\\n")?,
            b'\r' => out.write_all(b"\\r")?,
            b => out.write_all(&[b])?,
        }
    }
    out.write_all(b"\n")
}
