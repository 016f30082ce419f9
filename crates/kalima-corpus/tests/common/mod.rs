//! Helpers shared by the integration tests: run a corpus, check the chunk invariants, and
//! build compressed fixtures.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

use kalima_corpus::{Chunk, Corpus, Event, InputError, Note, ReadOptions};

/// A document put back together from its chunks.
#[derive(Debug, Clone)]
pub struct Doc {
    pub doc: u64,
    pub text: String,
    pub chunks: Vec<Chunk>,
    pub path: String,
    pub name: Option<String>,
    pub meta: Vec<(String, String)>,
}

/// Everything a corpus yielded, sorted by kind.
#[derive(Debug, Default)]
pub struct Run {
    pub events: Vec<Event>,
    pub docs: Vec<Doc>,
    pub notes: Vec<Note>,
    pub errors: Vec<InputError>,
}

impl Run {
    pub fn texts(&self) -> Vec<&str> {
        self.docs.iter().map(|d| d.text.as_str()).collect()
    }

    pub fn error_lines(&self) -> Vec<String> {
        self.errors.iter().map(|e| e.to_string()).collect()
    }

    pub fn note_lines(&self) -> Vec<String> {
        self.notes.iter().map(|n| n.to_string()).collect()
    }
}

/// Collects the events and checks the stream invariants: documents numbered 0, 1, 2, … in
/// order, chunks of a document contiguous with `first` on the first and `last` on the last,
/// offsets adding up, one source per document, `ends_line` true exactly when the chunk ends
/// with `\n` or is the last.
pub fn collect(corpus: Corpus) -> Run {
    let mut run = Run::default();
    let mut open: Option<Doc> = None;
    for event in corpus {
        run.events.push(event.clone());
        match event {
            Event::Chunk(c) => {
                match &mut open {
                    None => {
                        assert!(c.first, "document {} starts without first: {c:?}", c.doc);
                        assert_eq!(c.doc, run.docs.len() as u64, "document numbers in order");
                        assert_eq!(c.offset, 0);
                        open = Some(Doc {
                            doc: c.doc,
                            text: String::new(),
                            chunks: Vec::new(),
                            path: c.source.path.clone(),
                            name: c.name.clone(),
                            meta: c.meta.clone(),
                        });
                    }
                    Some(d) => {
                        assert!(!c.first, "first in the middle of document {}", d.doc);
                        assert_eq!(c.doc, d.doc, "chunks of a document are contiguous");
                        assert_eq!(c.source.path, d.path);
                        assert!(c.meta.is_empty(), "meta only on the first chunk");
                        assert_eq!(c.offset, d.text.len() as u64, "offsets add up");
                    }
                }
                let d = open.as_mut().unwrap();
                if c.last {
                    assert!(c.ends_line, "the last chunk ends a line");
                } else {
                    assert!(!c.text.is_empty(), "only a last chunk may be empty");
                    assert_eq!(c.ends_line, c.text.ends_with('\n'), "ends_line of {c:?}");
                }
                d.text.push_str(&c.text);
                let last = c.last;
                d.chunks.push(c);
                if last {
                    run.docs.push(open.take().unwrap());
                }
            }
            Event::Note(n) => run.notes.push(n),
            Event::Error(e) => {
                assert!(!e.to_string().contains('\n'), "one-line error: {e}");
                run.errors.push(e)
            }
        }
    }
    assert!(open.is_none(), "a document was left open: {open:?}");
    run
}

pub fn read_paths<P: AsRef<Path>>(paths: &[P], opts: ReadOptions) -> Run {
    collect(Corpus::open(paths, opts))
}

pub fn read_bytes(name: &str, bytes: impl Into<Vec<u8>>, opts: ReadOptions) -> Run {
    collect(Corpus::from_reader(
        name,
        std::io::Cursor::new(bytes.into()),
        opts,
    ))
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn xz(data: &[u8]) -> Vec<u8> {
    let mut e = xz2::write::XzEncoder::new(Vec::new(), 6);
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn zst(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 3).unwrap()
}

/// A tar archive of `(path, bytes)` members.
pub fn tar(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, data) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(0);
        h.set_cksum();
        b.append_data(&mut h, path, *data).unwrap();
    }
    b.into_inner().unwrap()
}

/// Options with a chunk size.
pub fn chunked(size: usize) -> ReadOptions {
    ReadOptions {
        chunk_size: size,
        ..ReadOptions::default()
    }
}

/// The shared corpora ($KALIMA_SHARED_DATA, else `<workspace>/../shared/data`), or `None` with
/// a message when absent. Under `KALIMA_REQUIRE_DATA=1` (set by CI) an absent folder fails the
/// test instead of skipping it.
pub fn shared_data(what: &str) -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("KALIMA_SHARED_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var("KALIMA_REQUIRE_DATA").as_deref() != Ok("1"),
            "{what} needs the shared corpora (KALIMA_REQUIRE_DATA=1) but {} is not a directory",
            dir.display()
        );
        eprintln!(
            "skipping {what}: shared data not found at {} (set KALIMA_SHARED_DATA; \
             KALIMA_REQUIRE_DATA=1 makes this fail)",
            dir.display()
        );
        None
    }
}
