//! Streaming SHA-256 + BLAKE3 in one read pass.
//!
//! Small inputs are hashed on the calling thread. Large inputs go through a
//! pipeline: SHA-256, the slower of the two, gets a thread of its own, while
//! the calling thread reads each buffer and hashes it with BLAKE3 as SHA-256
//! works on it, so the wall time approaches SHA-256 alone. An optional copy
//! sink gets a third thread. Memory is bounded by a fixed pool of buffers
//! whatever the input size.

use std::fmt;
use std::io::{self, Read, Write};
use std::str::FromStr;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;

use sha2::{Digest as _, Sha256};

mod readers;

pub use readers::{digest_to_end, manifest_hasher, OtherDigests, Sha256Reader, TeeReader};

/// Inputs at least this large are hashed by the multi-threaded pipeline.
pub const PIPELINE_THRESHOLD: u64 = 8 << 20;
/// Whether threads can be started: not in a browser's WebAssembly module,
/// where every input is hashed on the calling thread.
const THREADS: bool = !cfg!(all(target_family = "wasm", target_os = "unknown"));
/// Size of one read buffer, in the pipeline and for small inputs. Small
/// enough that a buffer just read is still in the reading core's cache when
/// BLAKE3 runs over it.
pub const CHUNK_SIZE: usize = 256 << 10;
/// The pipeline's buffers when nothing but the two digests reads them
/// (`hash`, `verify`): SHA-256 runs on another core than the one that
/// copied the buffer out of the page cache, and at this size the buffers
/// in flight stay in that core's cache. 1 GiB: 0.65 s against 0.75 s with
/// 256 KiB buffers; a copying seal writes each buffer too, and does better
/// with fewer, larger writes.
const HASH_ONLY_CHUNK: usize = 64 << 10;
/// Buffers in flight per pipelined input (bounds memory to 2 MiB per input).
const POOL_BUFFERS: usize = 8;
/// Buffers start on a page boundary: the kernel copies file data into a
/// buffer that starts a few bytes past one (as the allocator returns large
/// blocks) several times slower on some CPUs (AMD Zen: 1.5 against 7 GB/s).
const PAGE: usize = 4096;

macro_rules! digest_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub [u8; 32]);

        impl $name {
            /// Lowercase hex, as every file of the bundle stores it.
            pub fn to_hex(&self) -> String {
                hex32(&self.0, &mut [0u8; 64]).to_owned()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(hex32(&self.0, &mut [0u8; 64]))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.to_hex())
            }
        }

        impl FromStr for $name {
            type Err = DigestParseError;
            /// Accepts exactly 64 lowercase hex digits (the only spelling we write).
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse_lower_hex(s).map($name)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(hex32(&self.0, &mut [0u8; 64]))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

digest_type!(
    /// A SHA-256 digest.
    Sha256Digest
);
digest_type!(
    /// A BLAKE3 (256-bit) digest.
    Blake3Digest
);
digest_type!(
    /// A Merkle leaf salt (256 bits, seal format 2), written like a digest.
    Salt
);

impl Sha256Digest {
    /// SHA-256 of a byte string held in memory (tag files, JSON documents).
    pub fn of(bytes: &[u8]) -> Self {
        Sha256Digest(Sha256::digest(bytes).into())
    }
}

impl Blake3Digest {
    /// BLAKE3 of a byte string held in memory.
    pub fn of(bytes: &[u8]) -> Self {
        Blake3Digest(*blake3::hash(bytes).as_bytes())
    }
}

/// A digest string that is not 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a digest (64 lowercase hex digits expected): {0:?}")]
pub struct DigestParseError(String);

fn parse_lower_hex(s: &str) -> Result<[u8; 32], DigestParseError> {
    let bad = || DigestParseError(s.chars().take(80).collect());
    if s.len() != 64 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out).map_err(|_| bad())?;
    Ok(out)
}

/// 32 bytes in lower-case hex, written into `buf`: no allocation, for
/// lines made or compared a file at a time.
pub fn hex32<'a>(bytes: &[u8; 32], buf: &'a mut [u8; 64]) -> &'a str {
    hex::encode_to_slice(bytes, buf).expect("32 bytes are 64 hex digits");
    std::str::from_utf8(buf).expect("hex digits are ASCII")
}

/// Size and both digests of one stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileDigest {
    pub size: u64,
    pub sha256: Sha256Digest,
    pub blake3: Blake3Digest,
}

/// Hashes `reader` to its end, copying every byte to `sink` when given.
///
/// `size_hint` (the expected length, e.g. from metadata) picks the strategy:
/// at or above [`PIPELINE_THRESHOLD`] the threaded pipeline starts at once.
/// Below it (pass 0 when the size is unknown) hashing starts on the calling
/// thread and moves to the pipeline if the input turns out to be large, so
/// a caller can skip asking for the size. `progress` is called with the
/// number of bytes each time a buffer has been read.
pub fn hash_stream(
    reader: &mut (dyn Read + Send),
    size_hint: u64,
    sink: Option<&mut (dyn Write + Send)>,
    progress: &(dyn Fn(u64) + Sync),
) -> io::Result<FileDigest> {
    if THREADS && size_hint >= PIPELINE_THRESHOLD {
        hash_pipelined(reader, sink, progress, Hashers::new())
    } else {
        hash_sequential(reader, sink, progress)
    }
}

/// Hashes an in-memory byte string (no copy, no threads).
pub fn hash_bytes(bytes: &[u8]) -> FileDigest {
    FileDigest {
        size: bytes.len() as u64,
        sha256: Sha256Digest::of(bytes),
        blake3: Blake3Digest::of(bytes),
    }
}

/// A zeroed heap buffer of a fixed length whose first byte is page aligned.
struct AlignedBuf {
    raw: Vec<u8>,
    start: usize,
    len: usize,
}

impl AlignedBuf {
    fn new(len: usize) -> Self {
        let raw = vec![0u8; len + PAGE];
        let start = (PAGE - raw.as_ptr() as usize % PAGE) % PAGE;
        AlignedBuf { raw, start, len }
    }

    fn as_slice(&self) -> &[u8] {
        &self.raw[self.start..self.start + self.len]
    }

    fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.raw[self.start..self.start + self.len]
    }
}

/// The running state of one input: both hashes and the bytes seen so far.
struct Hashers {
    sha: Sha256,
    b3: blake3::Hasher,
    size: u64,
}

impl Hashers {
    fn new() -> Self {
        Hashers {
            sha: Sha256::new(),
            b3: blake3::Hasher::new(),
            size: 0,
        }
    }
}

thread_local! {
    static SMALL_BUF: std::cell::RefCell<Option<AlignedBuf>> = const { std::cell::RefCell::new(None) };
}

/// Hashes on the calling thread with a per-thread buffer (no allocation per
/// input); hands over to the pipeline once `PIPELINE_THRESHOLD` bytes have
/// gone through and more follow.
fn hash_sequential(
    reader: &mut (dyn Read + Send),
    mut sink: Option<&mut (dyn Write + Send)>,
    progress: &(dyn Fn(u64) + Sync),
) -> io::Result<FileDigest> {
    let mut state = Hashers::new();
    let mut run = |buf: &mut [u8]| -> io::Result<bool> {
        while state.size < PIPELINE_THRESHOLD || !THREADS {
            let (n, at_end) = read_full(reader, buf)?;
            let chunk = &buf[..n];
            if n > 0 {
                state.sha.update(chunk);
                state.b3.update(chunk);
                if let Some(sink) = sink.as_deref_mut() {
                    sink.write_all(chunk)?;
                }
                state.size += n as u64;
                progress(n as u64);
            }
            if at_end {
                return Ok(true);
            }
        }
        Ok(false)
    };
    let finished = SMALL_BUF.with(|cell| match cell.try_borrow_mut() {
        Ok(mut slot) => run(slot
            .get_or_insert_with(|| AlignedBuf::new(CHUNK_SIZE))
            .as_mut_slice()),
        // Only when a sink itself hashes on this thread.
        Err(_) => run(AlignedBuf::new(CHUNK_SIZE).as_mut_slice()),
    })?;
    if !finished {
        return hash_pipelined(reader, sink, progress, state);
    }
    Ok(FileDigest {
        size: state.size,
        sha256: Sha256Digest(state.sha.finalize().into()),
        blake3: Blake3Digest(*state.b3.finalize().as_bytes()),
    })
}

/// A filled buffer shared by the threads that consume it; it returns to the
/// pool when the last of them drops it.
struct Chunk {
    buf: Option<AlignedBuf>,
    len: usize,
    pool: SyncSender<AlignedBuf>,
}

impl Chunk {
    fn data(&self) -> &[u8] {
        self.buf.as_ref().map_or(&[], |b| &b.as_slice()[..self.len])
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        // The pool is gone only when the reader has stopped; then the buffer
        // is simply freed.
        if let Some(buf) = self.buf.take() {
            let _ = self.pool.try_send(buf);
        }
    }
}

/// Continues `state` over the rest of `reader` with SHA-256 on its own thread.
fn hash_pipelined(
    reader: &mut (dyn Read + Send),
    sink: Option<&mut (dyn Write + Send)>,
    progress: &(dyn Fn(u64) + Sync),
    state: Hashers,
) -> io::Result<FileDigest> {
    let Hashers { sha, mut b3, size } = state;
    let chunk_size = if sink.is_some() {
        CHUNK_SIZE
    } else {
        HASH_ONLY_CHUNK
    };
    let (pool_tx, pool_rx) = sync_channel::<AlignedBuf>(POOL_BUFFERS);
    for _ in 0..POOL_BUFFERS {
        pool_tx
            .try_send(AlignedBuf::new(chunk_size))
            .expect("pool has room for its own buffers");
    }
    std::thread::scope(|scope| {
        let (sha_tx, sha_rx) = sync_channel::<Arc<Chunk>>(POOL_BUFFERS);
        let sha_thread = scope.spawn(move || {
            let mut sha = sha;
            sha_rx.iter().for_each(|chunk| sha.update(chunk.data()));
            Ok(Sha256Digest(sha.finalize().into()))
        });
        let (sink_tx, sink_thread) = match sink {
            Some(sink) => {
                let (tx, rx) = sync_channel::<Arc<Chunk>>(POOL_BUFFERS);
                let handle = scope
                    .spawn(move || rx.iter().try_for_each(|chunk| sink.write_all(chunk.data())));
                (Some(tx), Some(handle))
            }
            None => (None, None),
        };

        let read_result = (|| -> io::Result<u64> {
            let mut size = size;
            // A consumer that fails drops its channel; the next send stops the loop.
            while let Ok(mut buf) = pool_rx.recv() {
                let (n, at_end) = read_full(reader, buf.as_mut_slice())?;
                if n == 0 {
                    break;
                }
                size += n as u64;
                let chunk = Arc::new(Chunk {
                    buf: Some(buf),
                    len: n,
                    pool: pool_tx.clone(),
                });
                let sent_sha = sha_tx.send(Arc::clone(&chunk)).is_ok();
                let sent_sink = sink_tx
                    .as_ref()
                    .is_none_or(|tx| tx.send(Arc::clone(&chunk)).is_ok());
                if !(sent_sha && sent_sink) {
                    break;
                }
                // BLAKE3 here, while SHA-256 runs over the same buffer.
                b3.update(chunk.data());
                drop(chunk);
                progress(n as u64);
                if at_end {
                    break;
                }
            }
            Ok(size)
        })();
        drop((sha_tx, sink_tx));

        let sha256 = join(sha_thread.join());
        let sunk = sink_thread.map(|t| join(t.join())).transpose();
        let size = read_result?;
        sunk?;
        Ok(FileDigest {
            size,
            sha256: sha256?,
            blake3: Blake3Digest(*b3.finalize().as_bytes()),
        })
    })
}

fn join<T>(result: std::thread::Result<io::Result<T>>) -> io::Result<T> {
    result.unwrap_or_else(|_| Err(io::Error::other("hashing thread panicked")))
}

/// Reads until `buf` is full or the stream ends; returns the bytes read
/// and whether the end was seen. Knowing the end saves asking again: a
/// small file then costs two reads, not three.
pub(crate) fn read_full(
    reader: &mut (dyn Read + Send),
    buf: &mut [u8],
) -> io::Result<(usize, bool)> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => return Ok((filled, true)),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok((filled, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const EMPTY_BLAKE3: &str = "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262";
    const ABC_SHA256: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const ABC_BLAKE3: &str = "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85";

    fn hash_with(data: &[u8], hint: u64, copy: bool) -> (FileDigest, Vec<u8>) {
        let mut out = Vec::new();
        let mut reader = data;
        let sink: Option<&mut (dyn Write + Send)> = if copy { Some(&mut out) } else { None };
        let d = hash_stream(&mut reader, hint, sink, &|_| {}).unwrap();
        (d, out)
    }

    #[test]
    fn known_vectors() {
        for (input, sha, b3) in [
            (&b""[..], EMPTY_SHA256, EMPTY_BLAKE3),
            (b"abc", ABC_SHA256, ABC_BLAKE3),
        ] {
            for hint in [0, PIPELINE_THRESHOLD] {
                let (d, _) = hash_with(input, hint, false);
                assert_eq!(d.sha256.to_hex(), sha);
                assert_eq!(d.blake3.to_hex(), b3);
                assert_eq!(d.size, input.len() as u64);
            }
        }
    }

    #[test]
    fn pipeline_matches_sequential_and_copies_exactly() {
        for len in [
            0,
            1,
            CHUNK_SIZE - 1,
            CHUNK_SIZE,
            CHUNK_SIZE + 1,
            3 * CHUNK_SIZE + 17,
            PIPELINE_THRESHOLD as usize - 1,
            PIPELINE_THRESHOLD as usize,
            // Starts on the calling thread, moves to the pipeline.
            PIPELINE_THRESHOLD as usize + 1,
            PIPELINE_THRESHOLD as usize + 3 * CHUNK_SIZE + 5,
            PIPELINE_THRESHOLD as usize + 3 * HASH_ONLY_CHUNK + 1,
        ] {
            let data: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let (seq, seq_copy) = hash_with(&data, 0, true);
            let (pip, pip_copy) = hash_with(&data, PIPELINE_THRESHOLD, true);
            // Without a sink the pipeline uses its smaller buffers.
            let (hash_only, _) = hash_with(&data, PIPELINE_THRESHOLD, false);
            assert_eq!(seq, pip, "len {len}");
            assert_eq!(seq, hash_only, "len {len}, no sink");
            assert_eq!(seq, hash_bytes(&data));
            assert_eq!(seq_copy, data);
            assert_eq!(pip_copy, data);
        }
    }

    #[test]
    fn sink_failure_is_reported() {
        struct Failing;
        impl Write for Failing {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let data = vec![7u8; 12 * CHUNK_SIZE];
        for hint in [0, PIPELINE_THRESHOLD] {
            let mut sink = Failing;
            let err = hash_stream(&mut &data[..], hint, Some(&mut sink), &|_| {}).unwrap_err();
            assert!(err.to_string().contains("disk full"));
        }
    }

    #[test]
    fn read_failure_is_reported() {
        struct Broken(usize);
        impl Read for Broken {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Err(io::Error::other("bad sector"));
                }
                self.0 -= 1;
                buf.fill(1);
                Ok(buf.len())
            }
        }
        for hint in [0, PIPELINE_THRESHOLD] {
            let err = hash_stream(&mut Broken(20), hint, None, &|_| {}).unwrap_err();
            assert!(err.to_string().contains("bad sector"));
        }
    }

    #[test]
    fn digest_hex_round_trip_and_strictness() {
        let d: Sha256Digest = ABC_SHA256.parse().unwrap();
        assert_eq!(d.to_string(), ABC_SHA256);
        assert!(ABC_SHA256.to_uppercase().parse::<Sha256Digest>().is_err());
        assert!("abc".parse::<Blake3Digest>().is_err());
    }
}
