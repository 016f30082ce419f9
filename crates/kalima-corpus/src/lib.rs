//! Corpus readers: from bytes on disk to a stream of decoded UTF-8 text chunks.
//!
//! This crate finds inputs, decompresses them, opens archives, detects encodings and formats,
//! and hands out the text as [`Chunk`]s. It knows nothing of tokenization or counting.
//!
//! # Overview
//!
//! - **Inputs**: files; directories, walked recursively in byte-wise path order, hidden entries
//!   skipped (a directory with no file to read is an error); `-` or [`Corpus::stdin`] for
//!   standard input; any [`Read`] with [`Corpus::from_reader`].
//! - **Compression** by magic bytes: gzip (multi-member), xz (multi-stream), zstd; tar archives
//!   (`.tar`, `.tar.gz`, `.tgz`, `.tar.xz`, `.tar.zst`, or any stream with the `ustar` magic)
//!   are read member by member, each member detected on its own. Everything streams: no file
//!   is held in memory whole.
//! - **Encodings**: UTF-8 (BOM removed), UTF-16LE/BE (by BOM, or by the pattern of NUL/0x06
//!   bytes), windows-1256 and ISO-8859-6 (by option, or detected with a [`Note`] when that
//!   reading is more plausible than UTF-8), or any WHATWG encoding by option
//!   ([`parse_encoding`]). The choice looks at the first 64 KiB: UTF-8 with some bad bytes
//!   stays UTF-8 (with an error listing them) as long as its valid multi-byte sequences
//!   outnumber the invalid ones, or make a larger share than the characters that look like
//!   text (letters, marks, Arabic punctuation) under the single-byte reading; text without
//!   one valid multi-byte sequence is single-byte.
//! - **Formats** ([`Format`]): plain text (one file = one document, streamed in chunks of about
//!   [`ReadOptions::chunk_size`] bytes cut at line ends); JSON arrays and JSON Lines (one record
//!   = one document); CSV/TSV (one row; quoting read strictly, so that a stray quote cannot
//!   merge rows: see below); TREC `<DOC>` blocks (one block); CoNLL-U (one
//!   `# newdoc`, one line per sentence). Detected per file from the extension (after stripping
//!   the compression extension) and the content (a `.txt` file starting with `<DOC>` is TREC).
//! - **Robustness**: nothing panics and nothing is lost silently. Problems arrive as
//!   [`Event::Error`] values naming the path and the record or byte offset, and reading goes on
//!   with the next record or input: invalid bytes become U+FFFD (one error per file with the
//!   count and the first offsets), binary files are skipped, a truncated compressed stream
//!   reports the decompressed offset reached after delivering the text before it, a malformed
//!   record is skipped. CSV/TSV: a record whose number of fields differs from the header's is
//!   reported with its line and skipped; a quoted field never closed (by the end of the file
//!   or within 10 000 lines) or closed by a quote followed by text is reported with the line
//!   of its opening quote, that line is skipped and reading starts again on the next line,
//!   so that rows a stray quote would swallow are still read. TREC: a `<TEXT>` (or the
//!   chosen field) that is opened but never closed is reported with its line.
//!
//! A [`Corpus`] reads on one background thread and is an [`Iterator`] of [`Event`]s (and
//! `Send`), so it can be driven from any thread; chunks can then be fanned out to workers.
//! Documents are numbered `0, 1, 2, …` in input order ([`Chunk::doc`]).
//!
//! # Example
//!
//! ```
//! use kalima_corpus::{Corpus, Event, ReadOptions};
//!
//! let dir = std::env::temp_dir().join(format!("kalima-corpus-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! std::fs::write(dir.join("a.txt"), "السلام عليكم\nصباح الخير\n")?;
//! std::fs::write(dir.join("b.jsonl"), "{\"id\": 7, \"content\": \"مرحبا\"}\n")?;
//!
//! let mut texts = Vec::new();
//! for event in Corpus::open(&[&dir], ReadOptions::default()) {
//!     match event {
//!         Event::Chunk(c) => texts.push((c.doc, c.name, c.text)),
//!         Event::Note(n) => eprintln!("note: {n}"),
//!         Event::Error(e) => eprintln!("error: {e}"),
//!     }
//! }
//! assert_eq!(texts, vec![
//!     (0, None, "السلام عليكم\nصباح الخير\n".to_string()),
//!     (1, Some("7".to_string()), "مرحبا".to_string()),
//! ]);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), std::io::Error>(())
//! ```
#![deny(missing_docs)]

mod decode;
mod event;
mod formats;
mod input;
mod options;
mod sink;

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, sync_channel};

/// Re-exported so callers can name encodings without depending on encoding_rs.
pub use encoding_rs::Encoding;
pub use event::{Chunk, ErrorKind, Event, InputError, Note, Source};
pub use input::plain_size;
pub use options::{DEFAULT_CHUNK_SIZE, Format, ParseFormatError, ReadOptions, parse_encoding};

use sink::{Ctx, Flow, Sink};

/// How many batches of events may wait between the reader thread and the consumer.
const CHANNEL_CAPACITY: usize = 8;

/// A stream of [`Event`]s read from inputs by one background thread.
///
/// Dropping it stops the reader thread at its next event (it is not joined: a thread blocked
/// reading standard input ends with the process).
pub struct Corpus {
    rx: Receiver<Vec<Event>>,
    current: std::vec::IntoIter<Event>,
    label: String,
}

impl fmt::Debug for Corpus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Corpus")
            .field("inputs", &self.label)
            .finish()
    }
}

impl Corpus {
    /// Reads `paths` in order: files as given (`-` is standard input), directories walked
    /// recursively in byte-wise sorted path order, skipping hidden entries (with a [`Note`]).
    pub fn open<P: AsRef<Path>>(paths: &[P], opts: ReadOptions) -> Self {
        let paths: Vec<PathBuf> = paths.iter().map(|p| p.as_ref().to_path_buf()).collect();
        let label = format!("{} path(s)", paths.len());
        Self::spawn(label, opts, move |ctx| input::run_paths(ctx, &paths))
    }

    /// Reads standard input (decompressed and detected like a file named `<stdin>`; plain text
    /// unless [`ReadOptions::format`] says otherwise or it starts with `<DOC>`).
    pub fn stdin(opts: ReadOptions) -> Self {
        Self::spawn("<stdin>".into(), opts, |ctx| {
            input::process_reader(ctx, "<stdin>", "", &mut std::io::stdin().lock())
        })
    }

    /// Reads any byte stream, shown as `name` (whose extension also guides the format
    /// detection, e.g. `upload.json.gz`).
    pub fn from_reader<R: Read + Send + 'static>(
        name: impl Into<String>,
        reader: R,
        opts: ReadOptions,
    ) -> Self {
        let name = name.into();
        let label = name.clone();
        let mut reader = reader;
        Self::spawn(label, opts, move |ctx| {
            let file_name = name.rsplit(['/', '\\']).next().unwrap_or("").to_string();
            input::process_reader(ctx, &name, &file_name, &mut reader)
        })
    }

    fn spawn(
        label: String,
        opts: ReadOptions,
        work: impl FnOnce(&mut Ctx) -> Flow + Send + 'static,
    ) -> Self {
        let (tx, rx) = sync_channel(CHANNEL_CAPACITY);
        let fallback = tx.clone();
        let spawned = std::thread::Builder::new()
            .name("kalima-corpus".into())
            .spawn(move || {
                let mut ctx = Ctx::new(Sink::new(tx), opts);
                // Err only when the consumer went away.
                if work(&mut ctx).is_ok() {
                    let _ = ctx.sink.flush();
                }
            });
        if let Err(e) = spawned {
            let _ = fallback.send(vec![Event::Error(InputError {
                path: label.clone(),
                offset: None,
                record: None,
                kind: ErrorKind::Other(format!("cannot start the reader thread: {e}")),
            })]);
        }
        drop(fallback);
        Corpus {
            rx,
            current: Vec::new().into_iter(),
            label,
        }
    }
}

impl Iterator for Corpus {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(e) = self.current.next() {
                return Some(e);
            }
            self.current = self.rx.recv().ok()?.into_iter();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_is_send() {
        fn send<T: Send>() {}
        send::<Corpus>();
        send::<Event>();
    }
}
