//! `exhibit hash`: SHA-256 and BLAKE3 of files and trees, printed in
//! `sha256sum`, `b3sum`, JSON, hashdeep or DFXML form, sorted by path.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use rayon::prelude::*;

use exhibit::digest::{hash_stream, FileDigest};
use exhibit::report::hashdeep::{hashdeep_header, hashdeep_line, DfxmlWriter, Unrepresentable};
use exhibit::walk::{walk_with, Listing, SourceEntry, SourceKind, WalkOptions};

use super::output::{byte_progress, error_line, sanitize};
use super::{Context, HashArgs, HashFormat, Status};

/// Files hashed between two flushes of ordered output; bounds memory for
/// trees of millions of files.
const BATCH: usize = 4096;

pub fn run(ctx: &Context, args: &HashArgs) -> anyhow::Result<Status> {
    if let Some(plan) = &args.plan {
        return super::plan::run_hash_shard(ctx, args, plan);
    }
    // Sizes are only needed for the progress bar's total; without one, each
    // file's size comes from reading it, which saves a `stat` per file.
    let show_progress = !ctx.quiet && io::stderr().is_terminal();
    let options = WalkOptions {
        skip_file_sizes: !show_progress,
    };
    let mut roots = Vec::new();
    let mut had_errors = false;
    for root in &args.paths {
        let (listing, errors) = walk_with(root, options);
        // hashdeep names files by their absolute, resolved path (its `-r`
        // without `-l`); its audit only matches a name written the same way.
        let resolved = match args.format {
            HashFormat::Hashdeep => std::fs::canonicalize(root).ok(),
            _ => None,
        };
        for err in errors {
            error_line(&sanitize(&err.to_string()));
            had_errors = true;
        }
        for entry in listing.iter() {
            match entry.kind {
                SourceKind::Symlink { target } => error_line(&format!(
                    "{}: symbolic link to {} not followed",
                    sanitize(&entry.path().to_string_lossy()),
                    sanitize(&target.to_string_lossy())
                )),
                SourceKind::Special { what } => error_line(&format!(
                    "{}: {what} not read",
                    sanitize(&entry.path().to_string_lossy())
                )),
                SourceKind::File { .. } | SourceKind::EmptyDir => {}
            }
        }
        roots.push(Root { listing, resolved });
    }
    let files = Files::new(roots);

    let total: u64 = (0..files.len()).map(|i| files.size(i)).sum();
    let bar = byte_progress(ctx.quiet, total, "hashing");
    let progress = |n| bar.inc(n);
    let no_progress = |_| {};
    let progress: &(dyn Fn(u64) + Sync) = if show_progress {
        &progress
    } else {
        &no_progress
    };
    let stdout = io::stdout();
    let out = io::BufWriter::with_capacity(64 << 10, stdout.lock());
    let mut sink = Sink::start(out, args.format)?;
    for start in (0..files.len()).step_by(BATCH) {
        let batch: Vec<(PathBuf, u64)> = (start..files.len().min(start + BATCH))
            .into_par_iter()
            .map(|i| files.get(i))
            .collect();
        let results: Vec<io::Result<FileDigest>> = batch
            .par_iter()
            .map(|(path, size)| {
                let mut file = File::open(path)?;
                hash_stream(&mut file, *size, None, progress)
            })
            .collect();
        for ((path, _), result) in batch.iter().zip(results) {
            match result {
                Ok(digest) => {
                    if let Err(why) = sink.write(path, &digest)? {
                        bar.suspend(|| {
                            error_line(&format!("{}: {why}", sanitize(&path.to_string_lossy())))
                        });
                        had_errors = true;
                    }
                }
                Err(err) => {
                    bar.suspend(|| {
                        error_line(&format!("{}: {err}", sanitize(&path.to_string_lossy())))
                    });
                    had_errors = true;
                }
            }
        }
    }
    sink.finish()?.flush().context("writing results")?;
    bar.finish_and_clear();
    Ok(if had_errors {
        Status::Unusable
    } else {
        Status::Success
    })
}

fn path_bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// One root's listing, and the resolved folder its files are named under
/// (hashdeep form).
struct Root {
    listing: Listing,
    resolved: Option<PathBuf>,
}

impl Root {
    fn path(&self, entry: &SourceEntry<'_>) -> PathBuf {
        let path = entry.path();
        match (&self.resolved, path.strip_prefix(self.listing.root())) {
            (Some(base), Ok(below)) if !below.as_os_str().is_empty() => base.join(below),
            (Some(base), _) => base.clone(),
            (None, _) => path,
        }
    }
}

/// The files to hash, in output order (by path bytes). One root's listing
/// is in that order already and is read in place (a few dozen bytes a
/// file); files of several roots are merged into one sorted list of paths.
enum Files {
    One(Root, Vec<u32>),
    Merged(Vec<(PathBuf, u64)>),
}

impl Files {
    fn new(mut roots: Vec<Root>) -> Self {
        let is_file = |e: &SourceEntry<'_>| matches!(e.kind, SourceKind::File { .. });
        if roots.len() == 1 {
            let root = roots.remove(0);
            let rows = (0..root.listing.len())
                .filter(|&i| is_file(&root.listing.get(i)))
                .map(|i| i as u32)
                .collect();
            return Files::One(root, rows);
        }
        let mut files: Vec<(PathBuf, u64)> = roots
            .iter()
            .flat_map(|root| {
                root.listing.iter().filter(is_file).map(|e| {
                    let SourceKind::File { size } = e.kind else {
                        unreachable!("filtered to files")
                    };
                    (root.path(&e), size)
                })
            })
            .collect();
        files.par_sort_by(|a, b| path_bytes(&a.0).cmp(path_bytes(&b.0)));
        files.dedup_by(|a, b| a.0 == b.0);
        Files::Merged(files)
    }

    fn len(&self) -> usize {
        match self {
            Files::One(_, rows) => rows.len(),
            Files::Merged(files) => files.len(),
        }
    }

    fn size(&self, index: usize) -> u64 {
        match self {
            Files::One(root, rows) => match root.listing.get(rows[index] as usize).kind {
                SourceKind::File { size } => size,
                _ => 0,
            },
            Files::Merged(files) => files[index].1,
        }
    }

    fn get(&self, index: usize) -> (PathBuf, u64) {
        match self {
            Files::One(root, rows) => {
                let entry = root.listing.get(rows[index] as usize);
                (root.path(&entry), self.size(index))
            }
            Files::Merged(files) => files[index].clone(),
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
                let record = serde_json::json!({
                    "path": path.to_string_lossy(),
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
